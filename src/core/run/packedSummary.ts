import type { Divergence } from '../train/trainer';
import { tallyLoop } from './loop';
import { LOOP_KEYS, emptyBatchLoop, mapBatchLoop, type BatchLoop, type RunShape, type RunStatus, type RunSummary } from './summary';

/**
 * A summary in a few long arrays instead of a few small ones per epoch, for sending whole: a
 * message serialiser handles six buffers quickly, where a run of 100,000 short epochs would
 * give it 400,000.
 */
export interface PackedSummary {
  shape: RunShape;
  status: RunStatus;
  divergence?: Divergence;
  /** Epochs started. */
  epochs: number;
  /** epochs × count: each epoch's visiting order. */
  orders: Int32Array;
  /** epochs × pointsPerEpoch. */
  pointLoss: Float64Array;
  pointGradientNorm: Float64Array;
  /** epochs × batchCount. */
  batchGradientNorm: Float64Array;
  pointsDone: Int32Array;
  batchesDone: Int32Array;
  /** Each epoch's mean loss; NaN while it runs. */
  losses: Float64Array;
  /** epochs × batchCount: what a recorded loop did at each batch's end. */
  loop?: BatchLoop;
}

export function packSummary(summary: RunSummary): PackedSummary {
  const { count, pointsPerEpoch, batchCount } = summary.shape.schedule;
  const n = summary.epochs.length;
  const packed: PackedSummary = {
    shape: summary.shape,
    status: summary.status,
    epochs: n,
    orders: new Int32Array(n * count),
    pointLoss: new Float64Array(n * pointsPerEpoch),
    pointGradientNorm: new Float64Array(n * pointsPerEpoch),
    batchGradientNorm: new Float64Array(n * batchCount),
    pointsDone: new Int32Array(n),
    batchesDone: new Int32Array(n),
    losses: new Float64Array(n),
  };
  if (summary.divergence) packed.divergence = summary.divergence;
  if (summary.shape.recordedLoop) packed.loop = emptyBatchLoop(n * batchCount);
  summary.epochs.forEach((epoch, e) => {
    packed.orders.set(epoch.order, e * count);
    packed.pointLoss.set(epoch.pointLoss.subarray(0, epoch.pointsDone), e * pointsPerEpoch);
    packed.pointGradientNorm.set(epoch.pointGradientNorm.subarray(0, epoch.pointsDone), e * pointsPerEpoch);
    packed.batchGradientNorm.set(epoch.batchGradientNorm.subarray(0, epoch.batchesDone), e * batchCount);
    packed.pointsDone[e] = epoch.pointsDone;
    packed.batchesDone[e] = epoch.batchesDone;
    packed.losses[e] = epoch.loss ?? NaN;
    if (packed.loop && epoch.loop) for (const key of LOOP_KEYS) packed.loop[key].set(epoch.loop[key].subarray(0, epoch.batchesDone), e * batchCount);
  });
  return packed;
}

/**
 * The summary again, its epochs views into the packed arrays. Each epoch's arrays have their
 * full length already, so the deltas that follow are written into them in place.
 */
export function unpackSummary(packed: PackedSummary): RunSummary {
  const { count, pointsPerEpoch, batchCount } = packed.shape.schedule;
  const summary: RunSummary = { shape: packed.shape, status: packed.status, epochs: [] };
  if (packed.divergence) summary.divergence = packed.divergence;
  for (let e = 0; e < packed.epochs; e++) {
    const loss = packed.losses[e];
    summary.epochs.push({
      order: packed.orders.subarray(e * count, (e + 1) * count),
      pointLoss: packed.pointLoss.subarray(e * pointsPerEpoch, (e + 1) * pointsPerEpoch),
      pointGradientNorm: packed.pointGradientNorm.subarray(e * pointsPerEpoch, (e + 1) * pointsPerEpoch),
      batchGradientNorm: packed.batchGradientNorm.subarray(e * batchCount, (e + 1) * batchCount),
      pointsDone: packed.pointsDone[e],
      batchesDone: packed.batchesDone[e],
      ...(Number.isNaN(loss) ? {} : { loss }),
      ...(packed.loop ? { loop: mapBatchLoop(packed.loop, (values) => values.subarray(e * batchCount, (e + 1) * batchCount)) } : {}),
    });
  }
  tallyLoop(summary);
  return summary;
}
