import { batchOf, batchSizeOf, batchStart, batchesBegun, indexInBatch } from '../train/schedule';
import type { RunSummary } from '../run/summary';

/**
 * The tree the panel draws and the CLI prints, in the learner's own vocabulary:
 *
 *   run overview · "Random weights are initialised" (once) · epochs › batches › data points ›
 *   forward / backward / "gradient added to the batch sum" · the batch's update · epoch end
 *
 * Nodes are found from a RunSummary by their position: a child is computed on demand, so a tree
 * of millions of nodes is never built whole. What a node says is in `describe.ts`.
 */
export type NodeRef =
  | { kind: 'root' }
  | { kind: 'run' }
  | { kind: 'init' }
  | { kind: 'epoch'; epoch: number }
  | { kind: 'order'; epoch: number }
  | { kind: 'batch'; epoch: number; batch: number }
  /** `position` is the point's place in its epoch's visiting order. */
  | PointRef
  | { kind: 'update'; epoch: number; batch: number }
  | { kind: 'epochEnd'; epoch: number }
  | { kind: 'end' };

export interface PointRef {
  kind: 'point' | 'forward' | 'backward' | 'sum';
  epoch: number;
  batch: number;
  position: number;
}

export type NodeKind = NodeRef['kind'];

const POINT_STEPS = ['forward', 'backward', 'sum'] as const;

/** Batches of an epoch that have begun (their first point has been visited, or their update made). */
function batchesShown(summary: RunSummary, epoch: number): number {
  const record = summary.epochs[epoch - 1];
  return Math.max(batchesBegun(summary.shape.schedule, record.pointsDone), record.batchesDone);
}

export function childCount(summary: RunSummary, ref: NodeRef): number {
  switch (ref.kind) {
    case 'root':
      return 2 + summary.epochs.length + (summary.status === 'running' ? 0 : 1);
    case 'epoch':
      return 1 + batchesShown(summary, ref.epoch) + (summary.epochs[ref.epoch - 1].loss === undefined ? 0 : 1);
    case 'batch': {
      const epoch = summary.epochs[ref.epoch - 1];
      const { schedule } = summary.shape;
      const points = Math.max(0, Math.min(epoch.pointsDone - batchStart(schedule, ref.batch), batchSizeOf(schedule, ref.batch)));
      return points + (epoch.batchesDone >= ref.batch ? 1 : 0);
    }
    case 'point':
      return POINT_STEPS.length;
    default:
      return 0;
  }
}

/** The i-th child (0-based) of a node; `i` must be below `childCount`. */
export function childAt(summary: RunSummary, ref: NodeRef, i: number): NodeRef {
  switch (ref.kind) {
    case 'root': {
      if (i === 0) return { kind: 'run' };
      if (i === 1) return { kind: 'init' };
      return i - 2 < summary.epochs.length ? { kind: 'epoch', epoch: i - 1 } : { kind: 'end' };
    }
    case 'epoch': {
      if (i === 0) return { kind: 'order', epoch: ref.epoch };
      return i <= batchesShown(summary, ref.epoch) ? { kind: 'batch', epoch: ref.epoch, batch: i } : { kind: 'epochEnd', epoch: ref.epoch };
    }
    case 'batch': {
      const { schedule } = summary.shape;
      return i < batchSizeOf(schedule, ref.batch)
        ? { kind: 'point', epoch: ref.epoch, batch: ref.batch, position: batchStart(schedule, ref.batch) + i }
        : { kind: 'update', epoch: ref.epoch, batch: ref.batch };
    }
    case 'point':
      return { ...ref, kind: POINT_STEPS[i] };
    default:
      throw new RangeError(`a ${ref.kind} node has no children`);
  }
}

export function childrenOf(summary: RunSummary, ref: NodeRef): NodeRef[] {
  const count = childCount(summary, ref);
  return Array.from({ length: count }, (_, i) => childAt(summary, ref, i));
}

/** Stable across runs of the same config, e.g. "e2/b3/d17/forward" (d = 0-based data row). */
export function nodeId(summary: RunSummary, ref: NodeRef): string {
  switch (ref.kind) {
    case 'root':
    case 'run':
    case 'init':
    case 'end':
      return ref.kind;
    case 'epoch':
      return `e${ref.epoch}`;
    case 'order':
      return `e${ref.epoch}/order`;
    case 'epochEnd':
      return `e${ref.epoch}/end`;
    case 'batch':
      return `e${ref.epoch}/b${ref.batch}`;
    case 'update':
      return `e${ref.epoch}/b${ref.batch}/update`;
    case 'point':
    case 'forward':
    case 'backward':
    case 'sum': {
      const index = summary.epochs[ref.epoch - 1].order[ref.position];
      const point = `e${ref.epoch}/b${ref.batch}/d${index}`;
      return ref.kind === 'point' ? point : `${point}/${ref.kind}`;
    }
  }
}

/** The node for an id made by `nodeId`, or undefined when the tree has no such node (yet). */
export function refFromId(summary: RunSummary, id: string): NodeRef | undefined {
  if (id === 'end') return summary.status === 'running' ? undefined : { kind: 'end' };
  if (id === 'root' || id === 'run' || id === 'init') return { kind: id };
  const match = /^e(\d+)(?:\/(order|end)|\/b(\d+)(?:\/(update)|\/d(\d+)(?:\/(forward|backward|sum))?)?)?$/.exec(id);
  if (!match) return undefined;
  const epoch = Number(match[1]);
  const record = summary.epochs[epoch - 1];
  if (!record) return undefined;
  if (match[2] === 'order') return { kind: 'order', epoch };
  if (match[2] === 'end') return record.loss === undefined ? undefined : { kind: 'epochEnd', epoch };
  if (match[3] === undefined) return { kind: 'epoch', epoch };
  const batch = Number(match[3]);
  if (batch < 1 || batch > batchesShown(summary, epoch)) return undefined;
  if (match[4]) return record.batchesDone >= batch ? { kind: 'update', epoch, batch } : undefined;
  if (match[5] === undefined) return { kind: 'batch', epoch, batch };
  const { schedule } = summary.shape;
  const start = batchStart(schedule, batch);
  const end = Math.min(start + batchSizeOf(schedule, batch), record.pointsDone);
  for (let position = start; position < end; position++) {
    if (record.order[position] === Number(match[5])) {
      return { kind: (match[6] as PointRef['kind'] | undefined) ?? 'point', epoch, batch, position };
    }
  }
  return undefined;
}

/** The node's parent ({kind: 'root'} for the top level). */
export function parentOf(ref: NodeRef): NodeRef {
  switch (ref.kind) {
    case 'root':
    case 'run':
    case 'init':
    case 'epoch':
    case 'end':
      return { kind: 'root' };
    case 'order':
    case 'batch':
    case 'epochEnd':
      return { kind: 'epoch', epoch: ref.epoch };
    case 'point':
    case 'update':
      return { kind: 'batch', epoch: ref.epoch, batch: ref.batch };
    case 'forward':
    case 'backward':
    case 'sum':
      return { ...ref, kind: 'point' };
  }
}

/** The node's position among its parent's children: the inverse of `childAt`. */
export function childIndex(summary: RunSummary, ref: NodeRef): number {
  switch (ref.kind) {
    case 'root':
    case 'run':
    case 'order':
      return 0;
    case 'init':
      return 1;
    case 'epoch':
      return ref.epoch + 1;
    case 'end':
      return 2 + summary.epochs.length;
    case 'batch':
      return ref.batch;
    case 'epochEnd':
      return childCount(summary, { kind: 'epoch', epoch: ref.epoch }) - 1;
    case 'point':
      return indexInBatch(summary.shape.schedule, ref.position);
    case 'update':
      return batchSizeOf(summary.shape.schedule, ref.batch);
    case 'forward':
    case 'backward':
    case 'sum':
      return POINT_STEPS.indexOf(ref.kind);
  }
}

/**
 * How many nodes of each kind the whole tree has now. Every epoch but the last is complete, so
 * this is arithmetic on the last one: the cost does not grow with the run.
 */
export function treeCounts(summary: RunSummary): Record<'epoch' | 'batch' | 'point' | 'update', number> {
  const { schedule } = summary.shape;
  const epochs = summary.epochs.length;
  if (epochs === 0) return { epoch: 0, batch: 0, point: 0, update: 0 };
  const whole = epochs - 1;
  const last = summary.epochs[epochs - 1];
  return {
    epoch: epochs,
    batch: whole * schedule.batchCount + batchesShown(summary, epochs),
    point: whole * schedule.pointsPerEpoch + last.pointsDone,
    update: whole * schedule.batchCount + last.batchesDone,
  };
}

/** The batch the point at `position` of an epoch belongs to (for building point refs). */
export function pointRef(summary: RunSummary, kind: PointRef['kind'], epoch: number, position: number): PointRef {
  return { kind, epoch, batch: batchOf(summary.shape.schedule, position), position };
}
