/**
 * How an epoch is cut into batches (correction C7): ceil(N / B) batches, the last one smaller
 * when N is not a multiple of B, or floor(N / B) batches when `dropLast` drops that remainder.
 * Every batch's range, size and place in the run is computed here and nowhere else.
 *
 * Positions count the points of an epoch in visiting order from 0; batches count from 1, and
 * a run's batches are numbered across epochs from 0 ("global" batches, for checkpoints).
 */
export interface BatchSchedule {
  /** Data points in the data set. */
  count: number;
  batchSize: number;
  dropLast: boolean;
  /** Batches per epoch. */
  batchCount: number;
  /** Points each epoch visits (less than `count` only when `dropLast` drops a remainder). */
  pointsPerEpoch: number;
}

export function batchSchedule(count: number, config: { batchSize: number; dropLast: boolean }): BatchSchedule {
  const { batchSize, dropLast } = config;
  const batchCount = dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
  return { count, batchSize, dropLast, batchCount, pointsPerEpoch: dropLast ? batchCount * batchSize : count };
}

/** The position of batch `batch`'s first point. */
export function batchStart(s: BatchSchedule, batch: number): number {
  return (batch - 1) * s.batchSize;
}

/** Points in batch `batch`: the last batch may be smaller (C7). */
export function batchSizeOf(s: BatchSchedule, batch: number): number {
  return Math.min(s.batchSize, s.pointsPerEpoch - batchStart(s, batch));
}

/** The batch (from 1) that holds the point at `position`. */
export function batchOf(s: BatchSchedule, position: number): number {
  return Math.floor(position / s.batchSize) + 1;
}

/** The point's place in its batch, from 0: it is the (k + 1)-th point added to the batch's sum. */
export function indexInBatch(s: BatchSchedule, position: number): number {
  return position % s.batchSize;
}

/** Batches of an epoch begun once `pointsDone` of its points have been visited. */
export function batchesBegun(s: BatchSchedule, pointsDone: number): number {
  return Math.min(Math.ceil(pointsDone / s.batchSize), s.batchCount);
}

/** A batch's number across the whole run, from 0: the key of its checkpoint. */
export function globalBatch(s: BatchSchedule, epoch: number, batch: number): number {
  return (epoch - 1) * s.batchCount + (batch - 1);
}

/** The epoch and batch (both from 1) of a global batch number. */
export function epochAndBatch(s: BatchSchedule, global: number): { epoch: number; batch: number } {
  return { epoch: Math.floor(global / s.batchCount) + 1, batch: (global % s.batchCount) + 1 };
}
