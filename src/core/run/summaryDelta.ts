import type { Divergence } from '../train/trainer';
import { tallyLoopBatch } from './loop';
import { LOOP_KEYS, emptyEpoch, mapBatchLoop, type BatchLoop, type RunStatus, type RunSummary } from './summary';

/**
 * What a summary gained since a reader last looked: the worker sends these to the extension
 * host, and the host to the panel, so that a long run streams a few kilobytes at a time
 * instead of its whole history. Epochs only ever grow at the end, so a cursor is a position.
 */
export interface SummaryCursor {
  /** Epochs the reader has, the last of them possibly partly. */
  epochs: number;
  pointsDone: number;
  batchesDone: number;
  lossSent: boolean;
  status: RunStatus;
}

export interface EpochDelta {
  /** 1-based. */
  epoch: number;
  /** Present when the reader does not have this epoch yet. */
  order?: Int32Array;
  pointFrom: number;
  pointLoss: Float64Array;
  pointGradientNorm: Float64Array;
  batchFrom: number;
  batchGradientNorm: Float64Array;
  /** A recorded loop's batches from `batchFrom`: what the loop did at each one's end. */
  loop?: BatchLoop;
  loss?: number;
}

export interface SummaryDelta {
  epochs: EpochDelta[];
  status: RunStatus;
  divergence?: Divergence;
}

export const EMPTY_CURSOR: SummaryCursor = { epochs: 0, pointsDone: 0, batchesDone: 0, lossSent: false, status: 'running' };

/** The change since `cursor`, or undefined when there is none. Slices are copies: safe to transfer. */
export function summaryDelta(summary: RunSummary, cursor: SummaryCursor): { delta: SummaryDelta; cursor: SummaryCursor } | undefined {
  const epochs: EpochDelta[] = [];
  const first = Math.max(cursor.epochs, 1);
  for (let e = first; e <= summary.epochs.length; e++) {
    const record = summary.epochs[e - 1];
    const known = e === cursor.epochs;
    const pointFrom = known ? cursor.pointsDone : 0;
    const batchFrom = known ? cursor.batchesDone : 0;
    const lossNew = record.loss !== undefined && !(known && cursor.lossSent);
    if (known && pointFrom === record.pointsDone && batchFrom === record.batchesDone && !lossNew) continue;
    const delta: EpochDelta = {
      epoch: e,
      pointFrom,
      pointLoss: record.pointLoss.slice(pointFrom, record.pointsDone),
      pointGradientNorm: record.pointGradientNorm.slice(pointFrom, record.pointsDone),
      batchFrom,
      batchGradientNorm: record.batchGradientNorm.slice(batchFrom, record.batchesDone),
    };
    if (record.loop) delta.loop = mapBatchLoop(record.loop, (values) => values.slice(batchFrom, record.batchesDone));
    if (!known) delta.order = record.order.slice();
    if (lossNew) delta.loss = record.loss;
    epochs.push(delta);
  }
  if (epochs.length === 0 && summary.status === cursor.status) return undefined;
  const delta: SummaryDelta = { epochs, status: summary.status };
  if (summary.divergence) delta.divergence = summary.divergence;
  return { delta, cursor: cursorOf(summary) };
}

/** Applies a delta made by `summaryDelta` to a copy of the same summary. */
export function applySummaryDelta(summary: RunSummary, delta: SummaryDelta): void {
  const { pointsPerEpoch, batchCount } = summary.shape.schedule;
  for (const change of delta.epochs) {
    if (change.order) {
      summary.epochs[change.epoch - 1] = emptyEpoch(change.order, pointsPerEpoch, batchCount, summary.shape.recordedLoop);
    }
    const record = summary.epochs[change.epoch - 1];
    if (!record) throw new Error(`a delta for epoch ${change.epoch} arrived before its order`);
    record.pointLoss.set(change.pointLoss, change.pointFrom);
    record.pointGradientNorm.set(change.pointGradientNorm, change.pointFrom);
    record.pointsDone = change.pointFrom + change.pointLoss.length;
    record.batchGradientNorm.set(change.batchGradientNorm, change.batchFrom);
    record.batchesDone = change.batchFrom + change.batchGradientNorm.length;
    if (record.loop && change.loop) {
      for (const key of LOOP_KEYS) record.loop[key].set(change.loop[key], change.batchFrom);
      for (let batch = change.batchFrom + 1; batch <= record.batchesDone; batch++) tallyLoopBatch(summary, change.epoch, batch);
    }
    if (change.loss !== undefined) record.loss = change.loss;
  }
  summary.status = delta.status;
  if (delta.divergence) summary.divergence = delta.divergence;
}

/** Where a reader stands once it has all of `summary` (after a snapshot). */
export function cursorOf(summary: RunSummary): SummaryCursor {
  const last = summary.epochs[summary.epochs.length - 1];
  return {
    epochs: summary.epochs.length,
    pointsDone: last?.pointsDone ?? 0,
    batchesDone: last?.batchesDone ?? 0,
    lossSent: last?.loss !== undefined,
    status: summary.status,
  };
}
