import { loopFacts, loopKinds, type LoopFacts } from '../run/loop';
import type { LoopKind, RunShape, RunSummary } from '../run/summary';
import { epochAndBatch } from '../train/schedule';
import { batchSizeOf, batchStart, batchesBegun, indexInBatch } from '../train/schedule';
import { counted, label, type Label } from '../words/label';
import { pointName } from './phrases';
import { childAt, childCount, type NodeKind, type NodeRef, type PointRef } from './tree';

/**
 * The learner's outline (from the question the extension was born from), the corrections C1–C8
 * to it, C9–C12 for what a recorded PyTorch loop really did (gradients left from earlier
 * batches, steps inside a batch, accumulation, a mean loss), and the one table that says where
 * each correction speaks in a run's tree. Everything
 * else asks this module: a node's findings, the filter, the tree's findings, the marks of the
 * learner's outline, the ids the protocol accepts. The ids are stable.
 */

export const CORRECTION_IDS = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9', 'C10', 'C11', 'C12'] as const;
export type CorrectionId = (typeof CORRECTION_IDS)[number];

export function isCorrectionId(value: unknown): value is CorrectionId {
  return (CORRECTION_IDS as readonly unknown[]).includes(value);
}

export type Verdict = 'correction' | 'confirmed';

/** A correction's verdict on one node of this run: wrong in the outline, or right. */
export interface Finding {
  id: CorrectionId;
  verdict: Verdict;
  /** What happens here, in this run's numbers. */
  text: Label;
}

/**
 * True when the weights change after every point: batches of one (stochastic gradient descent),
 * or a recorded loop that steps after each point whatever its loader's batch size. The
 * outline's per-point updates are right then.
 */
export function isSgd(summary: RunSummary): boolean {
  return summary.shape.schedule.batchSize === 1 || summary.loop?.everyPointStepped === true;
}

/** SGD made by a recorded loop that steps after every point of larger batches, not by batches of one. */
export const byLoop = (summary: RunSummary) => summary.shape.schedule.batchSize > 1 && isSgd(summary);

/** C3 speaks at a forward pass that the outline says follows an update: every one but a batch's first (SGD: the run's first). */
const afterAnotherPoint = (place: Place, summary: RunSummary) => (isSgd(summary) ? !place.firstOfRun : !place.firstInBatch);

/** An update that happened: every update but that of a recorded loop's batch without a step. */
const steps = (place: Place) => place.loopFacts?.steps !== 0;

/** C9–C12 speak at the update of a recorded loop's batch that showed their kind. */
const loopShows = (kind: LoopKind) => (place: Place) => place.loop.includes(kind);

/** C5 and C6 ask at the first point of a later epoch: where the outline says "the second batch" and "Data point-1 again". */
const laterEpochBegins = (place: Place) => place.laterEpoch && place.firstBatch && place.firstInBatch;

/**
 * Each correction: its title, what the learner's outline says, what really happens, and in
 * which runs the outline happens to be right (then the correction reads as confirmed).
 */
export const CORRECTIONS: Record<CorrectionId, { title: Label; learnerSays: Label; whatHappens: Label; outlineRight(summary: RunSummary): boolean }> = {
  C1: { title: label('C1.title'), learnerSays: label('C1.says'), whatHappens: label('C1.happens'), outlineRight: () => false },
  C2: { title: label('C2.title'), learnerSays: label('C2.says'), whatHappens: label('C2.happens'), outlineRight: isSgd },
  C3: { title: label('C3.title'), learnerSays: label('C3.says'), whatHappens: label('C3.happens'), outlineRight: isSgd },
  C4: { title: label('C4.title'), learnerSays: label('C4.says'), whatHappens: label('C4.happens'), outlineRight: isSgd },
  C5: { title: label('C5.title'), learnerSays: label('C5.says'), whatHappens: label('C5.happens'), outlineRight: () => false },
  C6: { title: label('C6.title'), learnerSays: label('C6.says'), whatHappens: label('C6.happens'), outlineRight: ({ shape }) => !shape.shuffle },
  C7: { title: label('C7.title'), learnerSays: label('C7.says'), whatHappens: label('C7.happens'), outlineRight: () => false },
  C8: { title: label('C8.title'), learnerSays: label('C8.says'), whatHappens: label('C8.happens'), outlineRight: () => true },
  C9: { title: label('C9.title'), learnerSays: label('C9.says'), whatHappens: label('C9.happens'), outlineRight: () => false },
  C10: { title: label('C10.title'), learnerSays: label('C10.says'), whatHappens: label('C10.happens'), outlineRight: () => false },
  C11: { title: label('C11.title'), learnerSays: label('C11.says'), whatHappens: label('C11.happens'), outlineRight: () => false },
  C12: { title: label('C12.title'), learnerSays: label('C12.says'), whatHappens: label('C12.happens'), outlineRight: () => false },
};

export function verdictOf(id: CorrectionId, summary: RunSummary): Verdict {
  return CORRECTIONS[id].outlineRight(summary) ? 'confirmed' : 'correction';
}

/**
 * Where a node stands in the run, in the only terms a correction may use to decide whether it
 * speaks to the node. Because `when` sees nothing else, a few representative nodes show every
 * finding a whole tree has (see `findingsInTree`).
 */
export interface Place {
  /** Epoch 2 or later. */
  laterEpoch: boolean;
  /** The first batch of its epoch. */
  firstBatch: boolean;
  /** A batch with fewer points than the batch size: an epoch's last, when N is not a multiple of it. */
  shortBatch: boolean;
  /** The point is the first of its batch. */
  firstInBatch: boolean;
  /** The point is the last of its batch. */
  lastInBatch: boolean;
  /** The very first point of the run. */
  firstOfRun: boolean;
  /** At the update of a recorded loop's batch: what the loop did there that a plain loop does not. */
  loop: readonly LoopKind[];
  /** At the update of a recorded loop's batch: what the loop did there (a batch without a step has no update to speak of). */
  loopFacts: LoopFacts | undefined;
}

/** What a rule's text may quote: the node, its run, and where it stands. */
export interface NodeContext<R extends NodeRef = NodeRef> {
  summary: RunSummary;
  ref: R;
  place: Place;
}

/** The ref of a node of kind K (a data point's three steps share the point's shape). */
type RefOf<K extends NodeKind> = K extends PointRef['kind'] ? PointRef : Extract<NodeRef, { kind: K }>;

interface Rule<K extends NodeKind> {
  id: CorrectionId;
  /** Whether the correction speaks to a node of this kind here; always, when absent. */
  when?(place: Place, summary: RunSummary): boolean;
  /** What it says there. */
  says(node: NodeContext<RefOf<K>>): Label;
}

type Table = { [K in NodeKind]?: Rule<K>[] };

/**
 * Which corrections speak to which nodes, and what they say there: the one declaration behind
 * every finding. Within a kind, findings are listed in this order.
 */
const SPEAKS: Table = {
  run: (['C2', 'C3', 'C4'] as const).map((id) => ({ id, when: (_place: Place, summary: RunSummary) => isSgd(summary), says: ({ summary }: NodeContext) => label(byLoop(summary) ? 'finding.run.stepEveryPoint' : 'finding.run.sgd') })),
  init: [{ id: 'C1', says: ({ summary }) => (summary.shape.init === 'given' ? label('finding.C1.given') : label('finding.C1.scheme', { init: summary.shape.init })) }],
  epoch: [
    { id: 'C7', says: ({ summary }) => batchCountText(summary.shape) },
    { id: 'C8', when: (place) => place.laterEpoch, says: ({ ref }) => label('finding.C8.epoch', { previous: ref.epoch - 1 }) },
    { id: 'C5', when: (place) => place.laterEpoch, says: () => label('finding.C5.epoch') },
  ],
  order: [
    {
      id: 'C6',
      when: (place, { shape }) => shape.shuffle || place.laterEpoch,
      says: ({ summary, ref }) =>
        summary.shape.shuffle ? label('finding.C6.shuffled', { epoch: ref.epoch, first: pointName(summary.epochs[ref.epoch - 1].order[0]) }) : label('finding.C6.fixed'),
    },
  ],
  batch: [
    { id: 'C5', when: (place) => place.laterEpoch && place.firstBatch, says: ({ ref }) => label('finding.C5.batch', { epoch: ref.epoch }) },
    {
      id: 'C7',
      when: (place) => place.shortBatch,
      says: ({ summary, ref }) => {
        const { schedule } = summary.shape;
        return label('finding.C7.batch', { points: counted(batchSizeOf(schedule, ref.batch), 'point'), count: schedule.count, batchSize: schedule.batchSize });
      },
    },
  ],
  forward: [
    {
      id: 'C3',
      when: afterAnotherPoint,
      says: ({ summary, ref }) => {
        if (isSgd(summary)) return label(byLoop(summary) ? 'finding.C3.stepEveryPoint' : 'finding.C3.sgd');
        const first = summary.epochs[ref.epoch - 1].order[batchStart(summary.shape.schedule, ref.batch)];
        return label('finding.C3.sameWeights', { first: pointName(first), batch: ref.batch });
      },
    },
  ],
  sum: [
    {
      id: 'C2',
      says: ({ summary, ref }) => {
        if (isSgd(summary)) return label(byLoop(summary) ? 'finding.C2.stepEveryPoint' : 'finding.C2.sgd');
        const { schedule } = summary.shape;
        return label('finding.C2.added', { k: indexInBatch(schedule, ref.position) + 1, size: batchSizeOf(schedule, ref.batch) });
      },
    },
    { id: 'C3', when: (place, summary) => !isSgd(summary) && !place.lastInBatch, says: () => label('finding.C3.next') },
  ],
  update: [
    {
      id: 'C4',
      when: steps,
      says: ({ summary, ref, place }) => {
        if (isSgd(summary)) return label(byLoop(summary) ? 'finding.C4.stepEveryPoint' : 'finding.C4.sgd');
        // A recorded loop's update may hold other batches' gradients too (C9, C11 say whose).
        if (place.loop.includes('stale') || place.loop.includes('accumulated')) return label('finding.C4.loop', { points: counted(place.loopFacts!.gradientPoints, 'point') });
        return label('finding.C4.batch', { size: batchSizeOf(summary.shape.schedule, ref.batch), reduction: reductionWord(summary.shape) });
      },
    },
    { id: 'C9', when: loopShows('stale'), says: ({ ref, place }) => staleText(place.loopFacts!, ref.epoch, ref.batch) },
    {
      id: 'C10',
      when: loopShows('stepsInBatch'),
      says: ({ summary, ref, place }) => {
        const { steps } = place.loopFacts!;
        const size = batchSizeOf(summary.shape.schedule, ref.batch);
        return label(steps === size ? 'finding.C10.everyPoint' : 'finding.C10.some', { steps, size });
      },
    },
    { id: 'C11', when: loopShows('accumulated'), says: ({ summary, ref, place }) => accumulatedText(summary, place.loopFacts!, ref.epoch, ref.batch) },
    { id: 'C12', when: loopShows('meanLoss'), says: ({ summary, ref }) => label('finding.C12.mean', { size: batchSizeOf(summary.shape.schedule, ref.batch) }) },
  ],
};

/** C9: which batches' gradients a step used, and how many of them an earlier step had used already. */
function staleText(facts: LoopFacts, epoch: number, batch: number): Label {
  const args = { points: counted(facts.gradientPoints, 'point'), reused: facts.reusedPoints, batch, from: facts.from.batch, fromEpoch: facts.from.epoch };
  if (facts.batchesUsed === 1) return label('finding.C9.inBatch', args);
  return label(facts.from.epoch === epoch ? 'finding.C9.batches' : 'finding.C9.epochs', args);
}

/** C11: a batch that left its gradients for a later step, or the step that used several batches'. */
function accumulatedText(summary: RunSummary, facts: LoopFacts, epoch: number, batch: number): Label {
  if (facts.steps === 0) return label('finding.C11.wait');
  const args = { points: counted(facts.gradientPoints, 'point'), k: facts.batchesUsed, size: summary.shape.schedule.batchSize, batch, from: facts.from.batch, fromEpoch: facts.from.epoch };
  return label(facts.from.epoch === epoch ? 'finding.C11.batches' : 'finding.C11.epochs', args);
}

/** The player's step kinds: the nodes it walks through (see steps.ts). */
type StepKind = 'forward' | 'backward' | 'sum' | 'update';

interface AskRule<K extends StepKind> {
  id: CorrectionId;
  at: K;
  /** At which of these steps the question is asked; always, when absent. */
  when?(place: Place, summary: RunSummary): boolean;
  /** The question the learner's outline answers (wrongly, unless the run confirms it). */
  question(node: NodeContext<RefOf<K>>): Label;
  /** The outline's answer. */
  outlineAnswer(node: NodeContext<RefOf<K>>): Label;
  /** What mini-batch gradient descent does instead: the real answer wherever the correction holds. */
  batchAnswer(node: NodeContext<RefOf<K>>): Label;
}

/**
 * Predict, then reveal: before the player shows a step where the outline is wrong for the run,
 * it asks the question the outline answers and offers the outline's answer and the other one.
 * Where the run confirms the outline (batch size 1; no shuffling for C6), the same questions
 * confirm it. The steps asked at follow from this table and the run's summary alone.
 */
const ASKS: readonly AskRule<StepKind>[] = [
  ask({
    id: 'C5',
    at: 'forward',
    when: laterEpochBegins,
    question: ({ ref }) => label('ask.C5.question', { epoch: ref.epoch }),
    outlineAnswer: () => label('ask.C5.outline'),
    batchAnswer: () => label('ask.C5.batch'),
  }),
  ask({
    id: 'C6',
    at: 'forward',
    when: laterEpochBegins,
    question: ({ ref }) => label('ask.C6.question', { epoch: ref.epoch }),
    outlineAnswer: () => label('ask.C6.outline'),
    batchAnswer: ({ summary, ref }) => label('ask.C6.batch', { first: pointName(summary.epochs[ref.epoch - 1].order[0]) }),
  }),
  ask({
    id: 'C3',
    at: 'forward',
    when: afterAnotherPoint,
    question: ({ summary, ref }) => label('ask.C3.question', { point: pointName(summary.epochs[ref.epoch - 1].order[ref.position]) }),
    outlineAnswer: ({ summary, ref }) => label('ask.C3.outline', { previous: pointName(previousPoint(summary, ref)) }),
    batchAnswer: ({ summary, ref }) => label('ask.C3.batch', { first: pointName(summary.epochs[ref.epoch - 1].order[batchStart(summary.shape.schedule, ref.batch)]), batch: ref.batch }),
  }),
  ask({
    id: 'C2',
    at: 'sum',
    question: ({ summary, ref }) => label('ask.C2.question', { point: pointName(summary.epochs[ref.epoch - 1].order[ref.position]) }),
    outlineAnswer: () => label('ask.C2.outline'),
    batchAnswer: ({ summary, ref }) => label('ask.C2.batch', { k: indexInBatch(summary.shape.schedule, ref.position) + 1, size: batchSizeOf(summary.shape.schedule, ref.batch) }),
  }),
  ask({
    id: 'C4',
    at: 'update',
    when: steps,
    question: ({ ref }) => label('ask.C4.question', { batch: ref.batch }),
    outlineAnswer: ({ summary, ref }) => label('ask.C4.outline', { updates: counted(batchSizeOf(summary.shape.schedule, ref.batch), 'update') }),
    batchAnswer: ({ summary, ref }) => label('ask.C4.batch', { reduction: reductionWord(summary.shape), points: counted(batchSizeOf(summary.shape.schedule, ref.batch), 'point') }),
  }),
];

/** One rule of the table, checked against its kind and stored with the others. */
function ask<K extends StepKind>(rule: AskRule<K>): AskRule<StepKind> {
  return rule as unknown as AskRule<StepKind>;
}

/** A question the player asks before a step, with both answers and which is right in this run. */
export interface Question {
  id: CorrectionId;
  /** `confirmed`: the outline's answer is the right one here. */
  verdict: Verdict;
  question: Label;
  outlineAnswer: Label;
  /** The other answer: mini-batch gradient descent's. */
  otherAnswer: Label;
}

/** The questions to ask before revealing this step, in the order to ask them (none for other nodes). */
export function questionsAt(summary: RunSummary, ref: NodeRef): Question[] {
  const place = placeOf(summary, ref);
  return ASKS.filter((rule) => rule.at === ref.kind && (!rule.when || rule.when(place, summary))).map((rule) => {
    const node = { summary, ref, place } as NodeContext<never>;
    return { id: rule.id, verdict: verdictOf(rule.id, summary), question: rule.question(node), outlineAnswer: rule.outlineAnswer(node), otherAnswer: rule.batchAnswer(node) };
  });
}

/** The point visited just before this one in the run: the one whose update the outline says this point uses. */
function previousPoint(summary: RunSummary, ref: PointRef): number {
  if (ref.position > 0) return summary.epochs[ref.epoch - 1].order[ref.position - 1];
  const previous = summary.epochs[ref.epoch - 2];
  return previous.order[summary.shape.schedule.pointsPerEpoch - 1];
}

/** "mean" or "sum", as the sentences about a batch gradient use it. */
export function reductionWord(shape: RunShape): Label {
  return label(shape.reduction === 'mean' ? 'reduction.mean' : 'reduction.sum');
}

export function placeOf(summary: RunSummary, ref: NodeRef): Place {
  const { schedule } = summary.shape;
  const epoch = 'epoch' in ref ? ref.epoch : 1;
  const batch = 'batch' in ref ? ref.batch : 0;
  const size = batch ? batchSizeOf(schedule, batch) : 0;
  const k = 'position' in ref ? indexInBatch(schedule, ref.position) : -1;
  return {
    laterEpoch: epoch > 1,
    firstBatch: batch === 1,
    shortBatch: batch > 0 && size < schedule.batchSize,
    firstInBatch: k === 0,
    lastInBatch: k >= 0 && k === size - 1,
    firstOfRun: epoch === 1 && 'position' in ref && ref.position === 0,
    ...loopPlace(summary, ref),
  };
}

function loopPlace(summary: RunSummary, ref: NodeRef): Pick<Place, 'loop' | 'loopFacts'> {
  const facts = ref.kind === 'update' ? loopFacts(summary, ref.epoch, ref.batch) : undefined;
  return facts && ref.kind === 'update' ? { loop: loopKinds(summary, facts, ref.batch), loopFacts: facts } : { loop: [], loopFacts: undefined };
}

function rulesAt(summary: RunSummary, ref: NodeRef): { rules: Rule<NodeKind>[]; place: Place } {
  const place = placeOf(summary, ref);
  const all = (SPEAKS[ref.kind] ?? []) as Rule<NodeKind>[];
  return { rules: all.filter((rule) => !rule.when || rule.when(place, summary)), place };
}

/** The corrections and confirmations of a node, with what each says there. */
export function findingsAt(summary: RunSummary, ref: NodeRef): Finding[] {
  const { rules, place } = rulesAt(summary, ref);
  return rules.map((rule) => ({ id: rule.id, verdict: verdictOf(rule.id, summary), text: rule.says({ summary, ref, place } as NodeContext<never>) }));
}

/** Whether a node carries a correction (not only confirmations): the filter's test, without building any text. */
export function hasCorrection(summary: RunSummary, ref: NodeRef): boolean {
  return rulesAt(summary, ref).rules.some((rule) => verdictOf(rule.id, summary) === 'correction');
}

/**
 * The corrections and confirmations the whole tree shows, by id. A rule decides only from a
 * node's Place, so it is enough to visit one node of each Place the tree has: epochs 1 and 2
 * (later epochs begin only once epoch 2 is complete, and repeat its places), in each the first,
 * second and last begun batch (the batches between are complete, neither first nor short, like
 * the second), and in each of those the first, second and last visited point. The cost does not
 * grow with the run; a test holds the answer equal to a walk of every node.
 */
export function findingsInTree(summary: RunSummary): { corrections: CorrectionId[]; confirmations: CorrectionId[] } {
  const found = { correction: new Set<CorrectionId>(), confirmed: new Set<CorrectionId>() };
  const visit = (ref: NodeRef) => {
    for (const rule of rulesAt(summary, ref).rules) found[verdictOf(rule.id, summary)].add(rule.id);
  };
  visit({ kind: 'run' });
  visit({ kind: 'init' });
  const { schedule } = summary.shape;
  for (const epoch of distinct([1, 2]).filter((e) => e <= summary.epochs.length)) {
    const record = summary.epochs[epoch - 1];
    visit({ kind: 'epoch', epoch });
    visit({ kind: 'order', epoch });
    const begun = Math.max(batchesBegun(schedule, record.pointsDone), record.batchesDone);
    for (const batch of distinct([1, 2, begun]).filter((b) => b >= 1 && b <= begun)) {
      visit({ kind: 'batch', epoch, batch });
      if (record.batchesDone >= batch) visit({ kind: 'update', epoch, batch });
      const start = batchStart(schedule, batch);
      const visited = Math.min(record.pointsDone - start, batchSizeOf(schedule, batch));
      for (const k of distinct([0, 1, visited - 1]).filter((k) => k >= 0 && k < visited)) {
        for (const kind of ['point', 'forward', 'backward', 'sum'] as const) visit({ kind, epoch, batch, position: start + k });
      }
    }
    if (record.loss !== undefined) visit({ kind: 'epochEnd', epoch });
  }
  if (summary.status !== 'running') visit({ kind: 'end' });
  // A recorded loop's corrections are not decided by place: the tally knows the first update of each kind.
  for (const global of Object.values(summary.loop?.first ?? {})) visit({ kind: 'update', ...epochAndBatch(schedule, global) });
  return { corrections: inIdOrder(found.correction), confirmations: inIdOrder(found.confirmed) };
}

/**
 * Whether a node or anything below it carries a correction: the filter's test. By the same
 * argument as findingsInTree, the children of a node fall into a few Places (the first, the
 * second, the last one or two: the order and the end of an epoch, its first, short and
 * ordinary batches, a batch's first, second and last points and its update), so looking at
 * those children, and theirs, answers for the whole subtree: a node with a million children
 * costs what one with five does. A test holds it equal to a walk of every node.
 */
export function subtreeHasCorrection(summary: RunSummary, ref: NodeRef): boolean {
  if (hasCorrection(summary, ref)) return true;
  const count = childCount(summary, ref);
  for (const i of distinct([0, 1, 2, count - 2, count - 1])) {
    if (i >= 0 && i < count && subtreeHasCorrection(summary, childAt(summary, ref, i))) return true;
  }
  return false;
}

/** C1, C2, …, C9, C10: in the order of their ids, not of their spelling. */
export function inIdOrder(ids: Iterable<string>): CorrectionId[] {
  const present = new Set(ids);
  return CORRECTION_IDS.filter((id) => present.has(id));
}

function distinct(values: number[]): number[] {
  return [...new Set(values)];
}

/** C7 at an epoch: how its points are cut into batches. */
function batchCountText(shape: RunShape): Label {
  const { count, batchSize, batchCount } = shape.schedule;
  const rest = count % batchSize;
  const batches = counted(batchCount, 'batch');
  if (rest === 0) return label('finding.C7.even', { count, batchSize, batches, updates: counted(batchCount, 'update') });
  if (shape.schedule.dropLast) return label('finding.C7.dropped', { count, batchSize, batches, rest: counted(rest, 'point') });
  return label('finding.C7.ceil', { count, batchSize, batches, rest: counted(rest, 'point') });
}

/** One line of the learner's outline, and the corrections that speak to it. */
export interface OutlineLine {
  depth: number;
  text: Label;
  corrections: readonly CorrectionId[];
}

/** The learner's outline, as they wrote it (shortened), line by line. */
export const LEARNER_OUTLINE: readonly OutlineLine[] = [
  { depth: 0, text: label('outline.firstEpoch'), corrections: ['C7'] },
  { depth: 1, text: label('outline.firstBatch'), corrections: [] },
  { depth: 2, text: label('outline.point1'), corrections: ['C6'] },
  { depth: 3, text: label('outline.randomWeights'), corrections: ['C1'] },
  { depth: 3, text: label('outline.forward'), corrections: [] },
  { depth: 3, text: label('outline.backward'), corrections: [] },
  { depth: 3, text: label('outline.allUpdated'), corrections: ['C2', 'C4'] },
  { depth: 2, text: label('outline.point2'), corrections: [] },
  { depth: 3, text: label('outline.forwardAfterPoint1'), corrections: ['C3'] },
  { depth: 3, text: label('outline.backwardAgain'), corrections: ['C2', 'C4'] },
  { depth: 1, text: label('outline.secondBatch'), corrections: [] },
  { depth: 2, text: label('outline.point3'), corrections: [] },
  { depth: 3, text: label('outline.forwardAfterPoint2'), corrections: ['C4'] },
  { depth: 3, text: label('outline.backwardAgain'), corrections: ['C2', 'C4'] },
  { depth: 1, text: label('outline.untilFirstEpochEnds'), corrections: ['C7'] },
  { depth: 0, text: label('outline.secondEpoch'), corrections: ['C8'] },
  { depth: 1, text: label('outline.theSecondBatch'), corrections: ['C5'] },
  { depth: 2, text: label('outline.point1'), corrections: ['C6'] },
  { depth: 3, text: label('outline.noRandomWeights'), corrections: ['C8'] },
  { depth: 3, text: label('outline.backwardAgain'), corrections: ['C2', 'C4'] },
  { depth: 1, text: label('outline.untilSecondEpochEnds'), corrections: [] },
  { depth: 0, text: label('outline.untilDesiredEpochs'), corrections: [] },
];

/** A learner's line is wrong when one of its corrections holds, right when only confirmations do. */
export function lineVerdict(line: OutlineLine, summary: RunSummary): Verdict | 'neutral' {
  if (line.corrections.length === 0) return 'neutral';
  return line.corrections.some((id) => verdictOf(id, summary) === 'correction') ? 'correction' : 'confirmed';
}
