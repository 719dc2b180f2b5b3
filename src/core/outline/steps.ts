import type { RunSummary } from '../run/summary';
import { batchOf, batchSizeOf, batchStart, indexInBatch, type BatchSchedule } from '../train/schedule';
import type { NodeRef, PointRef } from './tree';

/**
 * The player's steps through a run, in the order training does them: each point's forward,
 * backward and "added to the batch sum", then its batch's update, then the next batch. Step 0
 * is the first point's forward pass in epoch 1. Arithmetic on the schedule: a step's node is
 * found from its number (and back) without listing the steps.
 */
export type StepRef = (PointRef & { kind: 'forward' | 'backward' | 'sum' }) | Extract<NodeRef, { kind: 'update' }>;

const POINT_STEPS = ['forward', 'backward', 'sum'] as const;

/** Steps in a whole epoch: three per point and one per batch. */
function stepsPerEpoch(summary: RunSummary): number {
  const { pointsPerEpoch, batchCount } = summary.shape.schedule;
  return 3 * pointsPerEpoch + batchCount;
}

/** Steps of an epoch before this batch's first: three for each point of the batches before it, and their updates. */
function stepsBeforeBatch(schedule: BatchSchedule, batch: number): number {
  return 3 * batchStart(schedule, batch) + batch - 1;
}

/** Steps the run has done so far. Every epoch but the last is complete. */
export function stepCount(summary: RunSummary): number {
  const epochs = summary.epochs.length;
  if (epochs === 0) return 0;
  const last = summary.epochs[epochs - 1];
  return (epochs - 1) * stepsPerEpoch(summary) + 3 * last.pointsDone + last.batchesDone;
}

/** The step with this number (from 0); `index` must be below `stepCount`. */
export function stepAt(summary: RunSummary, index: number): StepRef {
  const { schedule } = summary.shape;
  const perEpoch = stepsPerEpoch(summary);
  const epoch = Math.floor(index / perEpoch) + 1;
  const inEpoch = index % perEpoch;
  // Every batch but the last is full (as long as the first); the last is the one the arithmetic cannot overshoot.
  const perBatch = stepsBeforeBatch(schedule, 2);
  const batch = Math.min(Math.floor(inEpoch / perBatch) + 1, schedule.batchCount);
  const inBatch = inEpoch - stepsBeforeBatch(schedule, batch);
  const size = batchSizeOf(schedule, batch);
  if (inBatch >= 3 * size) return { kind: 'update', epoch, batch };
  return { kind: POINT_STEPS[inBatch % 3], epoch, batch, position: batchStart(schedule, batch) + Math.floor(inBatch / 3) };
}

/** The step number of a node the player visits (a data point counts as its forward step); undefined for any other node. */
export function stepIndex(summary: RunSummary, ref: NodeRef): number | undefined {
  const { schedule } = summary.shape;
  const epochStart = (epoch: number) => (epoch - 1) * stepsPerEpoch(summary);
  switch (ref.kind) {
    case 'point':
    case 'forward':
    case 'backward':
    case 'sum': {
      const step = ref.kind === 'point' ? 0 : POINT_STEPS.indexOf(ref.kind);
      return epochStart(ref.epoch) + stepsBeforeBatch(schedule, batchOf(schedule, ref.position)) + 3 * indexInBatch(schedule, ref.position) + step;
    }
    case 'update':
      return epochStart(ref.epoch) + stepsBeforeBatch(schedule, ref.batch) + 3 * batchSizeOf(schedule, ref.batch);
    default:
      return undefined;
  }
}
