import { pointName } from '../../src/core/outline/phrases';
import type { NodeRef } from '../../src/core/outline/tree';
import type { RunSummary } from '../../src/core/run/summary';
import { batchOf, batchSizeOf, batchStart, epochAndBatch, globalBatch } from '../../src/core/train/schedule';
import { label, type Label } from '../../src/core/words/label';

/** The x axis: updates made so far (what makes SGD and full batch comparable), or epochs. */
export type XAxis = 'updates' | 'epochs';

/** A series of a run's numbers before it is styled: x, y, and each point's node and words. */
export interface RunSeries {
  x: Float64Array;
  y: Float64Array;
  count: number;
  ref(index: number): NodeRef;
  describe(index: number): Label;
}

/**
 * Where a measurement sits on the x axis. A point's loss is measured at its forward pass, with
 * the weights its batch started from: on the update axis every point of a batch sits where the
 * batch begins (after the updates before it), which is C3 drawn. An epoch's mean loss sits at
 * the epoch's end.
 */
function place(summary: RunSummary, axis: XAxis, epoch: number, position: number): number {
  const { pointsPerEpoch } = summary.shape.schedule;
  if (axis === 'epochs') return epoch - 1 + position / pointsPerEpoch;
  return globalBatch(summary.shape.schedule, epoch, batchOf(summary.shape.schedule, position));
}

/** Each point's loss, as recorded at its forward pass. */
export function pointLosses(summary: RunSummary, axis: XAxis): RunSeries {
  const { pointsPerEpoch } = summary.shape.schedule;
  const count = summary.epochs.reduce((n, e) => n + e.pointsDone, 0);
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  let i = 0;
  summary.epochs.forEach((record, e) => {
    for (let p = 0; p < record.pointsDone; p++, i++) {
      x[i] = place(summary, axis, e + 1, p);
      y[i] = record.pointLoss[p];
    }
  });
  const at = (index: number) => ({ epoch: Math.floor(index / pointsPerEpoch) + 1, position: index % pointsPerEpoch });
  return {
    x,
    y,
    count,
    ref: (index) => {
      const { epoch, position } = at(index);
      return { kind: 'forward', epoch, batch: batchOf(summary.shape.schedule, position), position };
    },
    describe: (index) => {
      const { epoch, position } = at(index);
      return label('plot.read.point', { point: pointName(summary.epochs[epoch - 1].order[position]), epoch, batch: batchOf(summary.shape.schedule, position), value: String(y[index]) });
    },
  };
}

/** Per batch: the mean of its points' losses, or (with `norms`) the norm of its update's gradient. */
export function batchValues(summary: RunSummary, axis: XAxis, norms: boolean): RunSeries {
  const { schedule } = summary.shape;
  const count = summary.epochs.reduce((n, e) => n + e.batchesDone, 0);
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  let i = 0;
  summary.epochs.forEach((record, e) => {
    for (let b = 1; b <= record.batchesDone; b++, i++) {
      const start = batchStart(schedule, b);
      x[i] = place(summary, axis, e + 1, start);
      if (norms) y[i] = record.batchGradientNorm[b - 1];
      else {
        let sum = 0;
        const size = batchSizeOf(schedule, b);
        for (let p = start; p < start + size; p++) sum += record.pointLoss[p];
        y[i] = sum / size;
      }
    }
  });
  const at = (index: number) => epochAndBatch(schedule, index);
  return {
    x,
    y,
    count,
    ref: (index) => ({ kind: norms ? 'update' : 'batch', ...at(index) }),
    describe: (index) => label(norms ? 'plot.read.norm' : 'plot.read.batch', { ...at(index), value: String(y[index]) }),
  };
}

/** Each ended epoch's mean loss, at the epoch's end. */
export function epochLosses(summary: RunSummary, axis: XAxis): RunSeries {
  const ended = summary.epochs.map((e, i) => ({ epoch: i + 1, loss: e.loss })).filter((e): e is { epoch: number; loss: number } => e.loss !== undefined);
  const { schedule } = summary.shape;
  return {
    x: Float64Array.from(ended, (e) => (axis === 'epochs' ? e.epoch : globalBatch(schedule, e.epoch + 1, 1))),
    y: Float64Array.from(ended, (e) => e.loss),
    count: ended.length,
    ref: (index) => ({ kind: 'epoch', epoch: ended[index].epoch }),
    describe: (index) => label('plot.read.epoch', { epoch: ended[index].epoch, value: String(ended[index].loss) }),
  };
}
