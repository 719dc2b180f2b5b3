/**
 * The learner's outline (from the question the extension was born from) and the corrections
 * C1–C8 to it. Whether a line is wrong depends on the run: with batch size 1 (stochastic
 * gradient descent) the outline's per-point updates are right, and C2–C4 read as confirmed.
 * The ids are stable: code, tests and the panel use them.
 */

export const CORRECTION_IDS = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8'] as const;
export type CorrectionId = (typeof CORRECTION_IDS)[number];

/** A correction's verdict on one node of this run: wrong in the outline, or right. */
export interface Finding {
  id: CorrectionId;
  verdict: 'correction' | 'confirmed';
  /** One line: what happens here, in this run's numbers. */
  text: string;
}

export interface CorrectionInfo {
  id: CorrectionId;
  title: string;
  /** What the learner's outline says (their words, shortened). */
  learnerSays: string;
  /** What happens in mini-batch gradient descent. */
  whatHappens: string;
}

export const CORRECTIONS: Record<CorrectionId, CorrectionInfo> = {
  C1: { id: 'C1', title: 'Weights are initialised once', learnerSays: 'Random weights are initialised at Data point-1.', whatHappens: 'Weights are initialised once, before the first epoch, and never again.' },
  C2: { id: 'C2', title: 'A point’s gradient is only added up', learnerSays: 'After each point’s backward propagation, all the weights are updated.', whatHappens: 'Each point’s gradient is only added to the batch’s sum; the weights do not change inside a batch.' },
  C3: { id: 'C3', title: 'One set of weights per batch', learnerSays: 'Data point-2’s forward propagation uses the weights updated by Data point-1.', whatHappens: 'Every point of a batch uses the same weights: those at the start of the batch.' },
  C4: { id: 'C4', title: 'One update per batch', learnerSays: 'One update per data point.', whatHappens: 'One update per batch, with the batch gradient (the sum or the mean of its points’ gradients), after the batch’s last point.' },
  C5: { id: 'C5', title: 'Every epoch starts at its first batch', learnerSays: 'Epoch 2 begins with “the second batch”.', whatHappens: 'Every epoch begins again with its first batch and visits every point once.' },
  C6: { id: 'C6', title: 'Shuffling changes the order', learnerSays: 'Epoch 2 begins with Data point-1 again.', whatHappens: 'With shuffling on, each epoch visits the points in a new order; with it off, in the same order.' },
  C7: { id: 'C7', title: 'How many batches an epoch has', learnerSays: '(silent) 20 points in batches of 2.', whatHappens: 'An epoch has ceil(N / batch size) batches; the last one is smaller when N is not a multiple, or dropped if asked.' },
  C8: { id: 'C8', title: 'Weights carry over between epochs', learnerSays: 'The weights carry over into epoch 2.', whatHappens: 'Right: nothing is reset between epochs; epoch 2 starts from epoch 1’s last update.' },
};

/** One line of the learner's outline, with the corrections that speak to it. */
export interface OutlineLine {
  depth: number;
  text: string;
  corrections: CorrectionId[];
}

export const LEARNER_OUTLINE: readonly OutlineLine[] = [
  { depth: 0, text: 'Executing first epoch', corrections: ['C7'] },
  { depth: 1, text: 'Executing first batch', corrections: [] },
  { depth: 2, text: 'Data point-1: 8 feature values go through the 8 input nodes', corrections: ['C6'] },
  { depth: 3, text: 'Random weights are initialised', corrections: ['C1'] },
  { depth: 3, text: 'Forward propagation happens', corrections: [] },
  { depth: 3, text: 'Backward propagation happens', corrections: [] },
  { depth: 3, text: 'The result of backward propagation: all the weights are updated', corrections: ['C2', 'C4'] },
  { depth: 2, text: 'Data point-2: 8 feature values go through the 8 input nodes', corrections: [] },
  { depth: 3, text: 'Forward propagation happens with the updated weights found from the previous (Data point-1) back-propagation result', corrections: ['C3'] },
  { depth: 3, text: 'Backward propagation happens and all the weights are again updated', corrections: ['C2', 'C4'] },
  { depth: 1, text: 'Executing second batch', corrections: [] },
  { depth: 2, text: 'Data point-3: 8 features go through the 8 input nodes', corrections: [] },
  { depth: 3, text: 'Forward propagation happens with the updated nodes found from the previous (Data point-2) back-propagation result', corrections: ['C4'] },
  { depth: 3, text: 'Backward propagation happens and all the weights are again updated', corrections: ['C2', 'C4'] },
  { depth: 1, text: '... until the first epoch ends', corrections: ['C7'] },
  { depth: 0, text: 'Executing second epoch', corrections: ['C8'] },
  { depth: 1, text: 'Executing the second batch', corrections: ['C5'] },
  { depth: 2, text: 'Data point-1: 8 feature values go through the 8 input nodes', corrections: ['C6'] },
  { depth: 3, text: 'No random weights this time. Forward propagation happens with the last back-propagated values (from the first epoch, last executed batch)', corrections: ['C8'] },
  { depth: 3, text: 'Backward propagation happens and all the weights are again updated', corrections: ['C2', 'C4'] },
  { depth: 1, text: '... until the second epoch ends', corrections: [] },
  { depth: 0, text: '... until the desired number of epochs.', corrections: [] },
];

/** The facts of a run that decide which corrections hold. */
export interface CorrectionContext {
  batchSize: number;
  shuffle: boolean;
  epochs: number;
}

/**
 * Whether the outline's claim behind a correction is wrong for this run. C1, C5 and C7 always
 * are; C2–C4 are right when every batch has one point (SGD); C6 is right without shuffling;
 * C8 is always right.
 */
export function verdictOf(id: CorrectionId, run: CorrectionContext): Finding['verdict'] {
  switch (id) {
    case 'C1':
    case 'C5':
    case 'C7':
      return 'correction';
    case 'C2':
    case 'C3':
    case 'C4':
      return run.batchSize === 1 ? 'confirmed' : 'correction';
    case 'C6':
      return run.shuffle ? 'correction' : 'confirmed';
    case 'C8':
      return 'confirmed';
  }
}

/** A learner's line is wrong when one of its corrections holds, right when only confirmations do. */
export function lineVerdict(line: OutlineLine, run: CorrectionContext): Finding['verdict'] | 'neutral' {
  if (line.corrections.length === 0) return 'neutral';
  return line.corrections.some((id) => verdictOf(id, run) === 'correction') ? 'correction' : 'confirmed';
}
