import { LIMITS } from '../config/defaults';
import { pointList, pointName } from '../outline/phrases';
import type { Fault } from '../trace/checkEvent';
import type { BackwardEvent, BatchStartEvent, DivergedEvent, DoneEvent, EpochEndEvent, EpochStartEvent, ForwardEvent, TraceEvent, UpdateEvent } from '../trace/events';
import type { LoopBatchEntry } from '../run/summary';
import { batchSizeOf, batchStart, globalBatch } from '../train/schedule';
import type { Segment } from '../validation/problems';
import { counted, label, type Label } from '../words/label';
import { layerValuesFault, type TracedRun } from './tracedRun';

/**
 * The order of a trace's events, checked against the run's tree: init once; each epoch from 1
 * with its order; each of its batches in turn with the rows the order gives it; in each batch
 * every point's forward event before its backward event (a batch's forward events may all come
 * first, as PyTorch does them); then the batch's one update; the epoch's end; done or diverged.
 * A recorded loop (`RunShape.recordedLoop`) may also step inside a batch, end a batch without
 * stepping, and clear its gradients anywhere (`zeroGrad`): what it did is counted per batch.
 *
 * What the tree can show is handed to an observer as it becomes known, points in their order
 * within the batch; the reader builds the summary from it, and the detail reader a node's
 * numbers. Events that do not fit the tree but do not contradict it (a second update in a batch,
 * a forward pass repeated) are skipped with a note; anything else is a fault: the reading stops
 * there, and what came before stands.
 */
export interface SequenceObserver {
  epochStart?(epoch: number, order: Int32Array): void;
  batchStart?(epoch: number, batch: number): void;
  /** A point of the open batch, once its forward and backward events are in (backward is absent when the trace has none for it). */
  point?(epoch: number, batch: number, position: number, forward: ForwardEvent, backward: BackwardEvent | undefined): void;
  /**
   * The batch has ended: with its update, after all its points, or, in a recorded loop, without
   * one (the loop did not step at the batch's end); `loop` says what a recorded loop did.
   */
  update?(epoch: number, batch: number, update: UpdateEvent | undefined, loop: LoopBatchEntry | undefined): void;
  /** A recorded loop stepped inside the batch, before its last point: the points after it use its weights. */
  step?(epoch: number, batch: number, update: UpdateEvent): void;
  epochEnd?(epoch: number, loss: number | undefined): void;
  end?(event: DoneEvent | DivergedEvent): void;
}

/** What became of an event: taken (undefined), skipped with a note, or a fault. */
export type Verdict = undefined | { note: Label } | { fault: Fault };

type Phase = 'init' | 'betweenEpochs' | 'betweenBatches' | 'inBatch' | 'ended';

/** The steps of the open batch of a recorded loop so far; `gradientFrom` is Infinity until the first. */
const NO_STEPS: Readonly<LoopBatchEntry> = { steps: 0, gradientFrom: Infinity, reusedPoints: 0, gradientPoints: 0 };

interface Slot {
  forward?: ForwardEvent;
  backward?: BackwardEvent;
}

/** Where a reading starts that does not start at the trace's first line: just before a batch. */
export interface BatchStartPoint {
  epoch: number;
  batch: number;
  order: Int32Array;
}

export class TraceSequence {
  private phase: Phase = 'init';
  private epoch = 0;
  private batch = 0;
  private order: Int32Array = new Int32Array(0);
  /** Rows of this epoch's order seen so far, when the order is learnt from the batches (the producer did not know it in advance). */
  private orderLearnt: Uint8Array | undefined;
  /** The open batch: its rows' places, and each point's events so far. */
  private rows = new Map<number, number>();
  private slots: Slot[] = [];
  private committed = 0;
  /** The last epoch ended before its last batch: only a run's last epoch may. */
  private shortEpoch: { epoch: number; batches: number } | undefined;
  /** What a recorded loop did in the open batch, and the points passed forward since its last step (across batches). */
  private steps: LoopBatchEntry = { ...NO_STEPS };
  private pointsSinceStep = 0;

  constructor(
    private readonly run: TracedRun,
    private readonly observer: SequenceObserver,
    from?: BatchStartPoint,
  ) {
    if (from) {
      this.phase = 'betweenBatches';
      this.epoch = from.epoch;
      this.batch = from.batch - 1;
      this.order = from.order;
    }
  }

  get ended(): boolean {
    return this.phase === 'ended';
  }

  accept(event: TraceEvent): Verdict {
    switch (event.type) {
      case 'run':
        return this.outOfOrder(event);
      case 'init':
        if (this.phase !== 'init') return this.outOfOrder(event);
        return this.taken(layerValuesFault(this.run, event.weights, event.biases, []), () => (this.phase = 'betweenEpochs'));
      case 'epochStart':
        return this.epochStart(event);
      case 'batchStart':
        return this.batchStart(event);
      case 'forward':
        return this.forward(event);
      case 'backward':
        return this.backward(event);
      case 'update':
        return this.update(event);
      case 'epochEnd':
        return this.epochEnd(event);
      case 'zeroGrad':
        // Its effect is in the updates' own account of their gradient (`size`, `gradientSince`).
        return this.phase === 'init' || this.phase === 'ended' ? this.outOfOrder(event) : undefined;
      case 'done':
        if (this.phase !== 'betweenEpochs') return this.outOfOrder(event);
        if (event.epochs !== this.epoch) return fault(['epochs'], label('trace.doneEpochs', { found: event.epochs, begun: this.epoch }));
        return this.end(event);
      case 'diverged':
        if (this.phase !== 'inBatch' && this.phase !== 'betweenBatches') return this.outOfOrder(event);
        if (event.epoch !== this.epoch) return fault(['epoch'], label('trace.wrongEpoch', { found: event.epoch, epoch: this.epoch }));
        return this.end(event);
    }
  }

  private epochStart(event: EpochStartEvent): Verdict {
    if (this.phase !== 'betweenEpochs') return this.outOfOrder(event);
    const epoch = this.epoch + 1;
    if (event.epoch !== epoch) return fault(['epoch'], label('trace.epochNumber', { found: event.epoch, expected: epoch }));
    const { shape, epochsKnown, count } = this.run;
    if (this.shortEpoch) return fault(['epoch'], label('trace.shortEpoch', { epoch: this.shortEpoch.epoch, next: epoch, done: this.shortEpoch.batches, batches: counted(shape.schedule.batchCount, 'batch') }));
    if (epochsKnown && epoch > shape.epochs) return fault(['epoch'], label('trace.tooManyEpochs', { epoch, epochs: counted(shape.epochs, 'epoch') }));
    const total = epoch * shape.schedule.pointsPerEpoch;
    if (total > LIMITS.runPoints) return fault(['epoch'], label('problem.tooManyPoints', { epochs: epoch, points: shape.schedule.pointsPerEpoch, total, max: LIMITS.runPoints }));
    // A producer that cannot know the order in advance says so, and the batches tell it.
    const learnt = event.order.length === 0 && (event as { orderKnown?: unknown }).orderKnown === false;
    if (!learnt) {
      const wrong = orderFault(event.order, count);
      if (wrong) return wrong;
    }
    this.epoch = epoch;
    this.batch = 0;
    this.order = learnt ? new Int32Array(count) : Int32Array.from(event.order);
    this.orderLearnt = learnt ? new Uint8Array(count) : undefined;
    if (!epochsKnown) shape.epochs = epoch;
    this.phase = 'betweenBatches';
    this.observer.epochStart?.(epoch, this.order);
    return undefined;
  }

  private batchStart(event: BatchStartEvent): Verdict {
    if (this.phase === 'inBatch' && this.endsWithoutStep()) this.closeBatch(undefined);
    if (this.phase !== 'betweenBatches') return this.outOfOrder(event);
    if (event.epoch !== this.epoch) return fault(['epoch'], label('trace.wrongEpoch', { found: event.epoch, epoch: this.epoch }));
    const batch = this.batch + 1;
    const { schedule } = this.run.shape;
    if (event.batch !== batch) return fault(['batch'], label('trace.batchNumber', { found: event.batch, expected: batch, epoch: this.epoch }));
    if (batch > schedule.batchCount) return fault(['batch'], label('trace.tooManyBatches', { count: schedule.count, batchSize: schedule.batchSize, batches: counted(schedule.batchCount, 'batch'), batch }));
    const size = batchSizeOf(schedule, batch);
    if (event.indices.length !== size) return fault(['indices'], label('trace.batchSize', { batch, size: counted(size, 'point'), found: event.indices.length }));
    const start = batchStart(schedule, batch);
    const rows = new Map<number, number>();
    for (let k = 0; k < size; k++) {
      const row = event.indices[k];
      const wrong = this.orderLearnt ? learntRowFault(row, rows.has(row) ? undefined : this.orderLearnt, this.run.count) : row === this.order[start + k] ? undefined : label('trace.indexOrder', { expected: this.order[start + k] });
      if (wrong) return fault(['indices', k], wrong);
      rows.set(row, k);
    }
    if (this.orderLearnt) {
      for (let k = 0; k < size; k++) {
        this.order[start + k] = event.indices[k];
        this.orderLearnt[event.indices[k]] = 1;
      }
    }
    this.batch = batch;
    this.rows = rows;
    this.slots = Array.from({ length: size }, () => ({}));
    this.committed = 0;
    this.steps = { ...NO_STEPS };
    this.phase = 'inBatch';
    this.observer.batchStart?.(this.epoch, batch);
    return undefined;
  }

  private forward(event: ForwardEvent): Verdict {
    const k = this.placeInBatch(event);
    if (typeof k !== 'number') return k;
    const { layerSizes } = this.run.shape;
    const outputs = layerSizes[layerSizes.length - 1];
    if (event.output.length !== outputs) return fault(['output'], label('trace.width', { n: counted(outputs, 'value'), found: event.output.length }));
    if (event.target.length !== this.run.targetWidth) return fault(['target'], label('trace.width', { n: counted(this.run.targetWidth, 'value'), found: event.target.length }));
    if (event.probabilities && event.probabilities.length !== outputs) return fault(['probabilities'], label('trace.width', { n: counted(outputs, 'value'), found: event.probabilities.length }));
    const slot = this.slots[k];
    if (slot.forward) return { note: label('trace.note.extraForward', { point: pointName(event.index), batch: this.batch, epoch: this.epoch }) };
    slot.forward = event;
    if (!(event as { noGrad?: unknown }).noGrad) this.pointsSinceStep++;
    this.commitReady();
    return undefined;
  }

  private backward(event: BackwardEvent): Verdict {
    const k = this.placeInBatch(event);
    if (typeof k !== 'number') return k;
    const slot = this.slots[k];
    if (!slot.forward) return fault(['index'], label('trace.backwardFirst', { point: pointName(event.index) }));
    if (slot.backward) return { note: label('trace.note.extraBackward', { point: pointName(event.index), batch: this.batch, epoch: this.epoch }) };
    const wrong = layerValuesFault(this.run, event.gradient.weights, event.gradient.biases, ['gradient']);
    if (wrong) return { fault: wrong };
    slot.backward = event;
    this.commitReady();
    return undefined;
  }

  /** Hands out the points whose events are all in, in their order within the batch. */
  private commitReady(): void {
    while (this.committed < this.slots.length) {
      const slot = this.slots[this.committed];
      if (!slot.forward || !slot.backward) return;
      this.observer.point?.(this.epoch, this.batch, batchStart(this.run.shape.schedule, this.batch) + this.committed, slot.forward, slot.backward);
      this.committed++;
    }
  }

  private update(event: UpdateEvent): Verdict {
    const where = { batch: this.batch, epoch: this.epoch };
    // A producer may record optimizer steps the tree has no place for (before the first batch, after an epoch's last).
    if (this.phase === 'betweenEpochs' || this.phase === 'init') return { note: label('trace.note.updateOutside') };
    if (this.phase === 'betweenBatches') return this.batch === 0 ? { note: label('trace.note.updateOutside') } : { note: label('trace.note.extraUpdate', where) };
    if (this.phase !== 'inBatch') return this.outOfOrder(event);
    if (event.epoch !== this.epoch || event.batch !== this.batch) return this.wrongBatch(event);
    const early = this.slots.some((slot) => !slot.forward);
    // A step inside the batch, before its last point: a config's trace has none; a recorded loop's is counted.
    if (early && !this.run.shape.recordedLoop) return { note: label('trace.note.earlyUpdate', where) };
    for (const [part, values] of [['gradient', event.gradient], ['', event]] as const) {
      const wrong = layerValuesFault(this.run, values.weights, values.biases, part ? [part] : []);
      if (wrong) return { fault: wrong };
    }
    this.countStep(event);
    if (early) this.observer.step?.(this.epoch, this.batch, event);
    else this.closeBatch(event);
    return undefined;
  }

  /** A recorded loop's step: which batches' gradients it used, and how many of them an earlier step had used already. */
  private countStep(event: UpdateEvent): void {
    const { schedule } = this.run.shape;
    const since = (event as { gradientSince?: { epoch?: unknown; batch?: unknown } }).gradientSince;
    const sinceKnown = since && Number.isInteger(since.epoch) && Number.isInteger(since.batch) && (since.epoch as number) >= 1 && (since.batch as number) >= 1 && (since.batch as number) <= schedule.batchCount;
    const from = sinceKnown ? globalBatch(schedule, since.epoch as number, since.batch as number) : globalBatch(schedule, this.epoch, this.batch);
    this.steps.steps++;
    this.steps.gradientFrom = Math.min(this.steps.gradientFrom, from, globalBatch(schedule, this.epoch, this.batch));
    this.steps.reusedPoints = Math.max(this.steps.reusedPoints, event.size - this.pointsSinceStep);
    this.steps.gradientPoints = event.size;
    this.pointsSinceStep = 0;
  }

  /** A recorded loop may end a batch without stepping once all its points are in: its gradients wait for a later step. */
  private endsWithoutStep(): boolean {
    return this.run.shape.recordedLoop === true && this.slots.every((slot) => slot.forward);
  }

  /** Hands out the batch's points not yet out (those without a backward event) and ends the batch, with its update or without. */
  private closeBatch(update: UpdateEvent | undefined): void {
    for (; this.committed < this.slots.length; this.committed++) {
      const slot = this.slots[this.committed];
      this.observer.point?.(this.epoch, this.batch, batchStart(this.run.shape.schedule, this.batch) + this.committed, slot.forward!, slot.backward);
    }
    const loop = this.run.shape.recordedLoop ? this.loopEntry() : undefined;
    this.phase = 'betweenBatches';
    this.observer.update?.(this.epoch, this.batch, update, loop);
  }

  private loopEntry(): LoopBatchEntry {
    const { steps, gradientFrom, reusedPoints, gradientPoints } = this.steps;
    // Without a step, the batch's gradients wait in `.grad`: counted from its own batch.
    return { steps, gradientFrom: steps ? gradientFrom : globalBatch(this.run.shape.schedule, this.epoch, this.batch), gradientPoints, reusedPoints: Math.max(0, reusedPoints) };
  }

  private epochEnd(event: EpochEndEvent): Verdict {
    if (this.phase === 'inBatch' && event.epoch === this.epoch && this.endsWithoutStep()) this.closeBatch(undefined);
    if (this.phase === 'inBatch' && event.epoch === this.epoch) return fault([], label('trace.epochEndInBatch', { epoch: this.epoch, batch: this.batch }));
    if (this.phase !== 'betweenBatches') return this.outOfOrder(event);
    if (event.epoch !== this.epoch) return fault(['epoch'], label('trace.wrongEpoch', { found: event.epoch, epoch: this.epoch }));
    if (this.batch < this.run.shape.schedule.batchCount) this.shortEpoch = { epoch: this.epoch, batches: this.batch };
    this.phase = 'betweenEpochs';
    this.observer.epochEnd?.(this.epoch, event.loss);
    return undefined;
  }

  private end(event: DoneEvent | DivergedEvent): Verdict {
    this.phase = 'ended';
    this.observer.end?.(event);
    return undefined;
  }

  /** The place in the open batch of the row a forward or backward event is about, or what is wrong. */
  private placeInBatch(event: ForwardEvent | BackwardEvent): number | Verdict {
    if (this.phase !== 'inBatch') return this.outOfOrder(event);
    if (event.epoch !== this.epoch || event.batch !== this.batch) return this.wrongBatch(event);
    const k = this.rows.get(event.index);
    if (k === undefined) return fault(['index'], label('trace.notInBatch', { point: pointName(event.index), points: pointList([...this.rows.keys()]) }));
    return k;
  }

  private wrongBatch(event: { epoch: number; batch: number }): Verdict {
    return fault(event.epoch !== this.epoch ? ['epoch'] : ['batch'], label('trace.wrongBatch', { batch: event.batch, epoch: event.epoch, openBatch: this.batch, openEpoch: this.epoch }));
  }

  private outOfOrder(event: TraceEvent): Verdict {
    return fault(['type'], label('trace.outOfOrder', { type: event.type, expected: this.expected() }));
  }

  /** What may come next, in words. */
  private expected(): Label {
    const where = { epoch: this.epoch, batch: this.batch };
    switch (this.phase) {
      case 'init':
        return label('trace.expected.init');
      case 'betweenEpochs':
        return this.epoch === 0 ? label('trace.expected.firstEpoch') : label('trace.expected.nextEpoch', { epoch: this.epoch, next: this.epoch + 1 });
      case 'betweenBatches':
        return label('trace.expected.nextBatch', { epoch: this.epoch, next: this.batch + 1 });
      case 'inBatch':
        return label('trace.expected.inBatch', where);
      case 'ended':
        return label('trace.expected.ended');
    }
  }

  private taken(wrong: Fault | undefined, then: () => void): Verdict {
    if (wrong) return { fault: wrong };
    then();
    return undefined;
  }
}

function fault(path: Segment[], message: Label): Verdict {
  return { fault: { path, message } };
}

/** An epoch's order must list every data row once. */
function orderFault(order: number[], count: number): Verdict {
  if (order.length !== count) return fault(['order'], label('trace.orderLength', { count, found: order.length }));
  const seen = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const row = order[i];
    if (row >= count) return fault(['order', i], label('trace.rowRange', { row, count }));
    if (seen[row]) return fault(['order', i], label('trace.rowTwice', { row }));
    seen[row] = 1;
  }
  return undefined;
}

/** A row of a batch whose epoch's order is learnt from its batches: in range, and not seen before (`seen` undefined: it was, in this batch). */
function learntRowFault(row: number, seen: Uint8Array | undefined, count: number): Label | undefined {
  if (row >= count) return label('trace.rowRange', { row, count });
  return !seen || seen[row] ? label('trace.rowTwice', { row }) : undefined;
}
