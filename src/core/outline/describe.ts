import { loopFacts } from '../run/loop';
import type { RunShape, RunSummary } from '../run/summary';
import { batchSizeOf, batchStart, indexInBatch } from '../train/schedule';
import { counted, label, rounded, type Label } from '../words/label';
import { byLoop, findingsAt, reductionWord, type Finding } from './corrections';
import { describeOptimizer, pointList, pointName } from './phrases';
import { nodeId, treeCounts, type NodeRef } from './tree';

/** A node of the tree as it is shown: its words, its findings, and the loss it stands for. */
export interface OutlineNode {
  id: string;
  ref: NodeRef;
  label: Label;
  findings: Finding[];
  hasChildren: boolean;
  /** The loss this node stands for, when it has one (drawn as a bar behind the row). */
  loss?: number;
}

export function describeNode(summary: RunSummary, ref: NodeRef): OutlineNode {
  const hasChildren = ref.kind === 'epoch' || ref.kind === 'batch' || ref.kind === 'point';
  return { id: nodeId(summary, ref), ref, hasChildren, findings: findingsAt(summary, ref), ...labelOf(summary, ref) };
}

/** A node's line in the tree, in the learner's vocabulary. */
function labelOf(summary: RunSummary, ref: NodeRef): { label: Label; loss?: number } {
  const { shape } = summary;
  const { schedule } = shape;
  switch (ref.kind) {
    case 'root':
      return { label: label('node.root') };
    case 'run':
      return { label: runLabel(shape) };
    case 'init':
      return { label: label(shape.init === 'given' ? 'node.init.given' : 'node.init.random') };
    case 'epoch': {
      const { loss } = summary.epochs[ref.epoch - 1];
      const batches = counted(schedule.batchCount, 'batch');
      const text = loss === undefined ? label('node.epoch', { epoch: ref.epoch, epochs: shape.epochs, batches }) : label('node.epoch.loss', { epoch: ref.epoch, epochs: shape.epochs, batches, loss: rounded(loss) });
      return { label: text, loss };
    }
    case 'order': {
      const points = pointList(summary.epochs[ref.epoch - 1].order, 6);
      return { label: label(shape.shuffle ? 'node.order.shuffled' : 'node.order', { points }) };
    }
    case 'batch': {
      const start = batchStart(schedule, ref.batch);
      const points = pointList(summary.epochs[ref.epoch - 1].order.subarray(start, start + batchSizeOf(schedule, ref.batch)));
      return { label: label('node.batch', { batch: ref.batch, batches: schedule.batchCount, points }) };
    }
    case 'point': {
      const epoch = summary.epochs[ref.epoch - 1];
      const features = shape.layerSizes[0];
      return { label: label(features === 1 ? 'node.point.one' : 'node.point.other', { point: pointName(epoch.order[ref.position]), n: features }), loss: epoch.pointLoss[ref.position] };
    }
    case 'forward': {
      const loss = summary.epochs[ref.epoch - 1].pointLoss[ref.position];
      const firstOfRun = ref.epoch === 1 && ref.position === 0;
      if (firstOfRun) return { label: label('node.forward.initial', { loss: rounded(loss) }), loss };
      const afterStep = byLoop(summary) && indexInBatch(schedule, ref.position) > 0;
      return { label: afterStep ? label('node.forward.afterStep', { loss: rounded(loss) }) : label('node.forward', { batch: ref.batch, loss: rounded(loss) }), loss };
    }
    case 'backward':
      return { label: label('node.backward', { norm: rounded(summary.epochs[ref.epoch - 1].pointGradientNorm[ref.position]) }) };
    case 'sum': {
      if (schedule.batchSize === 1) return { label: label('node.sum.sgd') };
      if (byLoop(summary)) return { label: label('node.sum.step') };
      return { label: label('node.sum', { k: indexInBatch(schedule, ref.position) + 1, size: batchSizeOf(schedule, ref.batch) }) };
    }
    case 'update':
      return { label: updateLabel(summary, ref.epoch, ref.batch) };
    case 'epochEnd': {
      const loss = summary.epochs[ref.epoch - 1].loss as number;
      return { label: label('node.epochEnd', { epoch: ref.epoch, loss: rounded(loss), points: counted(schedule.pointsPerEpoch, 'dataPoint') }), loss };
    }
    case 'end':
      return { label: endLabel(summary) };
  }
}

function updateLabel(summary: RunSummary, epoch: number, batch: number): Label {
  const { shape } = summary;
  const norm = rounded(summary.epochs[epoch - 1].batchGradientNorm[batch - 1]);
  const size = batchSizeOf(shape.schedule, batch);
  // A recorded loop's step may not be the batch's one update with its own gradient.
  const loop = loopFacts(summary, epoch, batch);
  if (loop && loop.steps === 0) return label('node.update.none');
  if (loop && loop.steps > 1) return label('node.update.steps', { steps: loop.steps, points: counted(loop.gradientPoints, 'point'), norm });
  if (loop && loop.gradientPoints !== size) return label('node.update.loop', { points: counted(loop.gradientPoints, 'point'), norm });
  if (shape.schedule.batchSize === 1) return label('node.update.sgd', { norm });
  return label('node.update', { reduction: reductionWord(shape), size, norm });
}

function runLabel(shape: RunShape): Label {
  const { count, batchSize } = shape.schedule;
  return label('node.run', {
    points: counted(count, 'dataPoint'),
    features: counted(shape.layerSizes[0], 'feature'),
    layers: shape.layerSizes.join('-'),
    batchSize,
    epochs: counted(shape.epochs, 'epoch'),
    loss: shape.loss,
    reduction: reductionWord(shape),
    optimizer: describeOptimizer(shape.optimizer),
  });
}

function endLabel(summary: RunSummary): Label {
  const updates = treeCounts(summary).update;
  switch (summary.status) {
    case 'done':
      return label('node.end.done', { epochs: counted(summary.epochs.length, 'epoch'), updates: counted(updates, 'update') });
    case 'diverged':
      return label('node.end.diverged', { why: summary.divergence?.message ?? label('node.end.notFinite') });
    case 'stopped':
      return label('node.end.stopped', { updates: counted(updates, 'update') });
    case 'running':
      return label('node.end.running');
  }
}
