import { verdictOf, type CorrectionId, type Finding } from './corrections';
import { describeOptimizer, formatNumber, plural, pointList, pointName } from './format';
import { batchSizeOf, type RunShape, type RunSummary } from './summary';

/**
 * The tree the panel draws and the CLI prints, in the learner's own vocabulary:
 *
 *   run overview · "Random weights are initialised" (once) · epochs › batches › data points ›
 *   forward / backward / "gradient added to the batch sum" · the batch's update · epoch end
 *
 * Nodes are computed on demand from a RunSummary: a child is found by its position, so a tree
 * of millions of nodes is never built whole. Each node carries the corrections (C1–C8) that
 * apply to it, as corrections or confirmations, decided by this run's config.
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

export interface OutlineNode {
  /** Stable across runs of the same config, e.g. "e2/b3/d17/forward" (d = 0-based data row). */
  id: string;
  ref: NodeRef;
  label: string;
  findings: Finding[];
  hasChildren: boolean;
  /** The loss this node stands for, when it has one (drawn as a bar behind the row). */
  loss?: number;
}

const POINT_STEPS = ['forward', 'backward', 'sum'] as const;

export function childCount(summary: RunSummary, ref: NodeRef): number {
  switch (ref.kind) {
    case 'root':
      return 2 + summary.epochs.length + (summary.status === 'running' ? 0 : 1);
    case 'epoch': {
      const epoch = summary.epochs[ref.epoch - 1];
      const batchesStarted = Math.min(Math.ceil(epoch.pointsDone / summary.shape.batchSize), summary.shape.batchCount);
      const started = Math.max(batchesStarted, epoch.batchesDone);
      return 1 + started + (epoch.loss === undefined ? 0 : 1);
    }
    case 'batch': {
      const epoch = summary.epochs[ref.epoch - 1];
      const first = (ref.batch - 1) * summary.shape.batchSize;
      const points = Math.max(0, Math.min(epoch.pointsDone - first, batchSizeOf(summary.shape, ref.batch)));
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
      const batches = childCount(summary, ref) - 1 - (summary.epochs[ref.epoch - 1].loss === undefined ? 0 : 1);
      return i <= batches ? { kind: 'batch', epoch: ref.epoch, batch: i } : { kind: 'epochEnd', epoch: ref.epoch };
    }
    case 'batch': {
      const size = batchSizeOf(summary.shape, ref.batch);
      const position = (ref.batch - 1) * summary.shape.batchSize + i;
      return i < size ? { kind: 'point', epoch: ref.epoch, batch: ref.batch, position } : { kind: 'update', epoch: ref.epoch, batch: ref.batch };
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
  const batchesStarted = childCount(summary, { kind: 'epoch', epoch }) - 1 - (record.loss === undefined ? 0 : 1);
  if (batch < 1 || batch > batchesStarted) return undefined;
  if (match[4]) return record.batchesDone >= batch ? { kind: 'update', epoch, batch } : undefined;
  if (match[5] === undefined) return { kind: 'batch', epoch, batch };
  const start = (batch - 1) * summary.shape.batchSize;
  const end = Math.min(start + batchSizeOf(summary.shape, batch), record.pointsDone);
  for (let position = start; position < end; position++) {
    if (record.order[position] === Number(match[5])) {
      return { kind: (match[6] as 'forward' | 'backward' | 'sum' | undefined) ?? 'point', epoch, batch, position };
    }
  }
  return undefined;
}

export function describeNode(summary: RunSummary, ref: NodeRef): OutlineNode {
  const id = nodeId(summary, ref);
  const hasChildren = ref.kind === 'epoch' || ref.kind === 'batch' || ref.kind === 'point';
  return { id, ref, hasChildren, ...labelAndFindings(summary, ref) };
}

function labelAndFindings(summary: RunSummary, ref: NodeRef): Pick<OutlineNode, 'label' | 'findings' | 'loss'> {
  const { shape } = summary;
  const finding = (id: CorrectionId, text: string): Finding => ({ id, verdict: verdictOf(id, shape), text });
  switch (ref.kind) {
    case 'root':
      return { label: 'Training', findings: [] };
    case 'run':
      return {
        label: runLabel(shape),
        findings: shape.batchSize === 1
          ? (['C2', 'C3', 'C4'] as const).map((id) => finding(id, 'Batch size 1 is stochastic gradient descent: the weights are updated after every data point, as the outline says.'))
          : [],
      };
    case 'init':
      return {
        label: `${shape.init === 'given' ? 'Weights are set from the config' : 'Random weights are initialised'} — once, before the first epoch`,
        findings: [finding('C1', `Initialised here, ${shape.init === 'given' ? 'from the config’s initialWeights' : `by “${shape.init}”`}, before epoch 1 — not at Data point-1, and never again.`)],
      };
    case 'epoch': {
      const epoch = summary.epochs[ref.epoch - 1];
      const findings = [finding('C7', batchCountText(shape))];
      if (ref.epoch > 1) {
        findings.push(finding('C8', `Starts from the weights of epoch ${ref.epoch - 1}’s last update: nothing is reset between epochs.`));
        findings.push(finding('C5', `Starts again with batch 1 and visits every point once — not with “the second batch”.`));
      }
      const loss = epoch.loss === undefined ? '' : ` — mean loss ${formatNumber(epoch.loss)}`;
      return { label: `Executing epoch ${ref.epoch} of ${shape.epochs}: ${plural(shape.batchCount, 'batch', 'batches')}${loss}`, findings, loss: epoch.loss };
    }
    case 'order': {
      const order = summary.epochs[ref.epoch - 1].order;
      const findings: Finding[] = [];
      if (shape.shuffle) findings.push(finding('C6', `Shuffled: epoch ${ref.epoch} visits the points in a new order, starting with ${pointName(order[0])}.`));
      else if (ref.epoch > 1) findings.push(finding('C6', 'Shuffling is off: every epoch visits the points in the same order, Data point-1 first.'));
      return { label: `Visiting order${shape.shuffle ? ' (shuffled)' : ''}: ${pointList(order, 6)}`, findings };
    }
    case 'batch': {
      const epoch = summary.epochs[ref.epoch - 1];
      const size = batchSizeOf(shape, ref.batch);
      const start = (ref.batch - 1) * shape.batchSize;
      const findings: Finding[] = [];
      if (ref.epoch > 1 && ref.batch === 1) findings.push(finding('C5', `Epoch ${ref.epoch} begins with its first batch again.`));
      if (size < shape.batchSize) findings.push(finding('C7', `The last batch has ${plural(size, 'point')}: ${shape.count} is not a multiple of ${shape.batchSize}.`));
      return { label: `Executing batch ${ref.batch} of ${shape.batchCount}: ${pointList(epoch.order.subarray(start, start + size))}`, findings };
    }
    case 'point': {
      const epoch = summary.epochs[ref.epoch - 1];
      const features = shape.layerSizes[0];
      const name = pointName(epoch.order[ref.position]);
      return { label: `${name}: ${plural(features, 'feature value')} go${features === 1 ? 'es' : ''} through the ${plural(features, 'input node')}`, findings: [], loss: epoch.pointLoss[ref.position] };
    }
    case 'forward':
      return forwardNode(summary, ref, finding);
    case 'backward': {
      const norm = summary.epochs[ref.epoch - 1].pointGradientNorm[ref.position];
      return { label: `Backward propagation: this point’s gradient (norm ${formatNumber(norm)})`, findings: [] };
    }
    case 'sum':
      return sumNode(summary, ref, finding);
    case 'update': {
      const size = batchSizeOf(shape, ref.batch);
      const norm = summary.epochs[ref.epoch - 1].batchGradientNorm[ref.batch - 1];
      const made = shape.batchSize === 1 ? 'this point’s gradient' : `the ${shape.reduction} of the batch’s ${size} gradients`;
      const text = shape.batchSize === 1
        ? 'One update per data point: with batch size 1 the batch gradient is this point’s gradient.'
        : `One update for the batch’s ${size} points, with the ${shape.reduction} of their gradients, after its last point.`;
      return { label: `Update: all weights change once, with ${made} (norm ${formatNumber(norm)})`, findings: [finding('C4', text)] };
    }
    case 'epochEnd': {
      const loss = summary.epochs[ref.epoch - 1].loss as number;
      return { label: `Epoch ${ref.epoch} ends — mean loss ${formatNumber(loss)} over ${plural(shape.pointsPerEpoch, 'data point')}`, findings: [], loss };
    }
    case 'end':
      return { label: endLabel(summary), findings: [] };
  }
}

type MakeFinding = (id: CorrectionId, text: string) => Finding;

function forwardNode(summary: RunSummary, ref: PointRef, finding: MakeFinding): Pick<OutlineNode, 'label' | 'findings' | 'loss'> {
  const { shape } = summary;
  const epoch = summary.epochs[ref.epoch - 1];
  const first = (ref.batch - 1) * shape.batchSize;
  const loss = epoch.pointLoss[ref.position];
  const findings: Finding[] = [];
  const firstOfRun = ref.epoch === 1 && ref.position === 0;
  if (shape.batchSize > 1 && ref.position > first) {
    findings.push(finding('C3', `Uses the same weights as ${pointName(epoch.order[first])}: those at the start of batch ${ref.batch}. No update happened in between.`));
  } else if (shape.batchSize === 1 && !firstOfRun) {
    findings.push(finding('C3', 'Uses the weights updated right after the previous data point (batch size 1).'));
  }
  const weights = firstOfRun ? 'the initial weights' : `the weights from the start of batch ${ref.batch}`;
  return { label: `Forward propagation with ${weights} — loss ${formatNumber(loss)}`, findings, loss };
}

function sumNode(summary: RunSummary, ref: PointRef, finding: MakeFinding): Pick<OutlineNode, 'label' | 'findings' | 'loss'> {
  const { shape } = summary;
  if (shape.batchSize === 1) {
    return {
      label: 'Gradient is the whole batch’s gradient — the weights are updated right after this point',
      findings: [finding('C2', 'With batch size 1, each point’s backward propagation leads straight to an update, as the outline says.')],
    };
  }
  const size = batchSizeOf(shape, ref.batch);
  const k = ref.position - (ref.batch - 1) * shape.batchSize + 1;
  const findings = [finding('C2', `Only added to the batch’s sum (${k} of ${size}): the weights stay as they were until the batch’s update.`)];
  if (k < size) findings.push(finding('C3', 'So the next point of this batch is passed forward with the same weights.'));
  return { label: `Gradient added to the batch sum (${k} of ${size}) — weights not updated yet`, findings };
}

function runLabel(shape: RunShape): string {
  const inputs = shape.layerSizes[0];
  return `${plural(shape.count, 'data point')} × ${plural(inputs, 'feature')}; network ${shape.layerSizes.join('-')}; batches of ${shape.batchSize}; ${plural(shape.epochs, 'epoch')}; ${shape.loss} loss, batch gradient = ${shape.reduction}; ${describeOptimizer(shape.optimizer)}`;
}

function batchCountText(shape: RunShape): string {
  const { count, batchSize, batchCount } = shape;
  const rest = count % batchSize;
  if (rest === 0) return `${count} points in batches of ${batchSize}: ${plural(batchCount, 'batch', 'batches')} per epoch, ${plural(batchCount, 'update')}.`;
  if (shape.dropLast) return `${count} points in batches of ${batchSize}: ${plural(batchCount, 'batch', 'batches')}; the last ${plural(rest, 'point')} of each epoch’s order are dropped (dropLast).`;
  return `${count} points in batches of ${batchSize}: ceil(${count} / ${batchSize}) = ${plural(batchCount, 'batch', 'batches')}; the last has ${plural(rest, 'point')}.`;
}

function endLabel(summary: RunSummary): string {
  const updates = summary.epochs.reduce((n, e) => n + e.batchesDone, 0);
  switch (summary.status) {
    case 'done':
      return `Training done: ${plural(summary.epochs.length, 'epoch')}, ${plural(updates, 'update')}`;
    case 'diverged':
      return `Training diverged: ${summary.divergence?.message ?? 'a value stopped being finite'}`;
    case 'stopped':
      return `Stopped after ${plural(updates, 'update')}`;
    case 'running':
      return 'Running…';
  }
}

/**
 * Whether a node carries a correction (not a confirmation): the same answer as
 * `describeNode(…).findings`, without building any text, for filtering millions of nodes.
 * A test holds the two equal on every node of several runs.
 */
export function hasCorrection(summary: RunSummary, ref: NodeRef): boolean {
  const { batchSize, shuffle } = summary.shape;
  const minibatch = batchSize > 1;
  switch (ref.kind) {
    case 'init':
    case 'epoch':
      return true;
    case 'order':
      return shuffle;
    case 'batch':
      return (ref.epoch > 1 && ref.batch === 1) || batchSizeOf(summary.shape, ref.batch) < batchSize;
    case 'forward':
      return minibatch && ref.position > (ref.batch - 1) * batchSize;
    case 'sum':
    case 'update':
      return minibatch;
    default:
      return false;
  }
}

/** How many nodes of each kind the whole tree has now (what the panel reports it rendered). */
export function treeCounts(summary: RunSummary): Record<'epoch' | 'batch' | 'point' | 'update', number> {
  const root: NodeRef = { kind: 'root' };
  let batch = 0;
  let point = 0;
  let update = 0;
  summary.epochs.forEach((record, e) => {
    const epochRef: NodeRef = { kind: 'epoch', epoch: e + 1 };
    batch += childCount(summary, epochRef) - 1 - (record.loss === undefined ? 0 : 1);
    point += record.pointsDone;
    update += record.batchesDone;
  });
  return { epoch: childCount(summary, root) - 2 - (summary.status === 'running' ? 0 : 1), batch, point, update };
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
      return 0;
    case 'init':
      return 1;
    case 'epoch':
      return ref.epoch + 1;
    case 'end':
      return 2 + summary.epochs.length;
    case 'order':
      return 0;
    case 'batch':
      return ref.batch;
    case 'epochEnd':
      return childCount(summary, { kind: 'epoch', epoch: ref.epoch }) - 1;
    case 'point':
      return ref.position - (ref.batch - 1) * summary.shape.batchSize;
    case 'update':
      return batchSizeOf(summary.shape, ref.batch);
    case 'forward':
    case 'backward':
    case 'sum':
      return POINT_STEPS.indexOf(ref.kind);
  }
}

/**
 * The corrections and confirmations the whole tree shows, by id. Every kind of finding occurs
 * in the first two epochs, in their first two and last batches, at their first two and last
 * points (later epochs repeat epoch 2), so only those are visited: the cost does not grow with
 * the run. A test holds this equal to a full walk.
 */
export function findingsInTree(summary: RunSummary): { corrections: CorrectionId[]; confirmations: CorrectionId[] } {
  const corrections = new Set<CorrectionId>();
  const confirmations = new Set<CorrectionId>();
  const add = (ref: NodeRef) => {
    for (const f of describeNode(summary, ref).findings) (f.verdict === 'correction' ? corrections : confirmations).add(f.id);
  };
  const sampled = <T>(items: T[]) => (items.length <= 3 ? items : [items[0], items[1], items[items.length - 1]]);
  for (const top of childrenOf(summary, { kind: 'root' })) {
    add(top);
    if (top.kind !== 'epoch' || top.epoch > 2) continue;
    const inEpoch = childrenOf(summary, top);
    for (const child of inEpoch) if (child.kind !== 'batch') add(child);
    for (const batch of sampled(inEpoch.filter((c) => c.kind === 'batch'))) {
      add(batch);
      const inBatch = childrenOf(summary, batch);
      for (const child of inBatch) if (child.kind === 'update') add(child);
      for (const point of sampled(inBatch.filter((c) => c.kind === 'point'))) {
        add(point);
        for (const step of childrenOf(summary, point)) add(step);
      }
    }
  }
  return { corrections: [...corrections].sort(), confirmations: [...confirmations].sort() };
}
