/**
 * How an epoch is cut into batches (correction C7): ceil(N / B) batches, the last one smaller
 * when N is not a multiple of B, or floor(N / B) batches when `dropLast` drops that remainder.
 */
export interface BatchSchedule {
  count: number;
  batchSize: number;
  dropLast: boolean;
}

export function batchesPerEpoch(s: BatchSchedule): number {
  return s.dropLast ? Math.floor(s.count / s.batchSize) : Math.ceil(s.count / s.batchSize);
}

/** Data points an epoch visits (fewer than N only when `dropLast` drops a remainder). */
export function pointsPerEpoch(s: BatchSchedule): number {
  return s.dropLast ? batchesPerEpoch(s) * s.batchSize : s.count;
}
