import { batchSizeOf, epochAndBatch, globalBatch } from '../train/schedule';
import { emptyLoopTally, type LoopKind, type RunSummary } from './summary';

/**
 * Reading what a recorded loop did at a batch's end (`EpochSummary.loop`): the facts of one
 * batch, the kinds of surprise they show (each the subject of one of C9–C12 in
 * corrections.ts), and the run's tally of them, kept as batches end so that the tree's findings
 * are known without walking it.
 */

/** What one batch of a recorded loop did, read from its arrays. */
export interface LoopFacts {
  steps: number;
  /** The first batch whose gradients were used, as epoch and batch. */
  from: { epoch: number; batch: number };
  /** Batches whose gradients the step used, counted across epochs (1 in a plain loop). */
  batchesUsed: number;
  gradientPoints: number;
  reusedPoints: number;
}

/** The facts of a batch of a recorded loop, once it has ended; undefined for a config's run. */
export function loopFacts(summary: RunSummary, epoch: number, batch: number): LoopFacts | undefined {
  const loop = summary.epochs[epoch - 1]?.loop;
  if (!loop || summary.epochs[epoch - 1].batchesDone < batch) return undefined;
  const { schedule } = summary.shape;
  const at = batch - 1;
  const from = loop.gradientFrom[at];
  return {
    steps: loop.steps[at],
    from: epochAndBatch(schedule, from),
    batchesUsed: globalBatch(schedule, epoch, batch) - from + 1,
    gradientPoints: loop.gradientPoints[at],
    reusedPoints: loop.reusedPoints[at],
  };
}

/** What a batch of a recorded loop shows that a plain mini-batch loop would not. */
export function loopKinds(summary: RunSummary, facts: LoopFacts, batch: number): LoopKind[] {
  const kinds: LoopKind[] = [];
  if (facts.reusedPoints > 0) kinds.push('stale');
  if (facts.steps > 1) kinds.push('stepsInBatch');
  if (facts.steps === 0 || (facts.reusedPoints === 0 && facts.batchesUsed > 1)) kinds.push('accumulated');
  // A mean loss over one point divides by 1: only a step over several points is scaled.
  if (facts.steps === 1 && summary.shape.reduction === 'mean' && batchSizeOf(summary.shape.schedule, batch) > 1) kinds.push('meanLoss');
  return kinds;
}

/** Counts a recorded loop's batch that has just ended into the run's tally. */
export function tallyLoopBatch(summary: RunSummary, epoch: number, batch: number): void {
  const facts = loopFacts(summary, epoch, batch);
  if (!facts) return;
  const tally = (summary.loop ??= emptyLoopTally());
  const kinds = loopKinds(summary, facts, batch);
  const global = globalBatch(summary.shape.schedule, epoch, batch);
  for (const kind of kinds) if (tally.first[kind] === undefined) tally.first[kind] = global;
  const everyPoint = facts.steps === batchSizeOf(summary.shape.schedule, batch);
  tally.everyPointStepped = (tally.batchesSeen === 0 || tally.everyPointStepped) && everyPoint;
  tally.batchesSeen++;
}

/** Counts every ended batch of a summary received whole (a snapshot). */
export function tallyLoop(summary: RunSummary): void {
  delete summary.loop;
  summary.epochs.forEach((record, e) => {
    for (let batch = 1; batch <= record.batchesDone; batch++) tallyLoopBatch(summary, e + 1, batch);
  });
}
