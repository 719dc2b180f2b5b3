import { LOSSES, type LossName } from '../config/types';
import { Network } from '../model/network';
import { layerValuesNorm, type LayerValues } from '../model/parameters';
import type { DetailRef, ForwardDetail, GradientDetail, NodeDetail } from '../run/detail';
import { loopFacts } from '../run/loop';
import { readTraceLine } from '../trace/checkEvent';
import type { BackwardEvent, ForwardEvent, InitEvent, TraceEvent, UpdateEvent } from '../trace/events';
import type { RawLine } from '../trace/lines';
import { batchSizeOf, batchStart, globalBatch, indexInBatch } from '../train/schedule';
import { label, type Label } from '../words/label';
import type { LinePlace } from './batchIndex';
import { TraceSequence } from './sequence';
import { readLines } from './traceFile';
import { layerValuesFault, type TracedRun } from './tracedRun';
import type { TraceReader } from './traceReader';

/** The file no longer holds what was read from it (it was rewritten after it was opened). */
export class TraceChanged extends Error {
  /** What to tell the learner. */
  readonly label: Label;

  constructor(file: string, line: number) {
    super(`${file} changed at line ${line} after it was read`);
    this.name = 'TraceChanged';
    this.label = label('trace.changed', { line });
  }
}

/**
 * The full numbers of a node of a trace's tree, read back from the file: the lines of the
 * node's batch, found by the reader's index, go through the same checks and the same order
 * (TraceSequence) as when the file was first read. The numbers are the trace's own; the batch
 * sum so far is the sum of its points' gradients in their order, as the trainer adds them, so a
 * config's saved trace gives the same details as its live run.
 */
export class TraceDetails {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly reader: TraceReader) {}

  /** The numbers of a node, or undefined for a node the trace has none for (or has not reached). */
  async detail(ref: DetailRef): Promise<NodeDetail | undefined> {
    switch (ref.kind) {
      case 'init': {
        const init = this.reader.init && (await this.eventAt(this.reader.init, 'init'));
        return init && { kind: 'init', init: this.reader.run!.shape.init, weights: { weights: init.weights, biases: init.biases } };
      }
      case 'epoch':
      case 'batch': {
        const batch = ref.kind === 'batch' ? ref.batch : 1;
        // As replay has them: for a batch that has a point (one that diverged at its first has none).
        const { summary, run } = this.reader;
        if (!(summary!.epochs[ref.epoch - 1]?.pointsDone > batchStart(run!.shape.schedule, batch))) return undefined;
        const start = await this.startWeights(ref.epoch, batch);
        return start && { kind: 'start', epoch: ref.epoch, batch, from: start.from, weights: start.weights };
      }
      case 'update':
        return this.update(ref.epoch, ref.batch);
      case 'point':
      case 'forward':
      case 'backward':
      case 'sum':
        return this.point(ref.kind === 'point' ? 'forward' : ref.kind, ref.epoch, ref.batch, ref.position);
    }
  }

  private async update(epoch: number, batch: number): Promise<NodeDetail | undefined> {
    const { run, index } = this.reader;
    const g = globalBatch(run!.shape.schedule, epoch, batch);
    const at = index.update(g);
    // A recorded loop's batch that made no step has no update of its own to show.
    if (!at || loopFacts(this.reader.summary!, epoch, batch)?.steps === 0) return undefined;
    const event = await this.eventAt(at, 'update');
    if (event.epoch !== epoch || event.batch !== batch) throw new TraceChanged(this.reader.file, at.line);
    const before = (await this.startWeights(epoch, batch))!.weights;
    const gradient = { weights: event.gradient.weights, biases: event.gradient.biases };
    return {
      kind: 'update',
      epoch,
      batch,
      size: event.size,
      reduction: event.reduction,
      optimizer: run!.shape.optimizer,
      gradient,
      norm: layerValuesNorm(gradient),
      before,
      after: { weights: event.weights, biases: event.biases },
    };
  }

  /** Reads the point's batch up to the point, through the same sequence checks, adding up the batch's gradients on the way. */
  private async point(kind: 'forward' | 'backward' | 'sum', epoch: number, batch: number, position: number): Promise<NodeDetail | undefined> {
    const { run, summary, index, file } = this.reader;
    const { schedule } = run!.shape;
    const g = globalBatch(schedule, epoch, batch);
    const start = index.start(g);
    if (!start) return undefined;
    // A recorded loop's batch without a step of its own is indexed at an earlier update: read on until the point is found.
    const update = index.update(g);
    const end = update && update.offset > start.offset ? update.offset : this.reader.bytesRead;
    let found: { forward: ForwardEvent; backward: BackwardEvent | undefined; batchSum: LayerValues | undefined; stepped: UpdateEvent | undefined } | undefined;
    // The sum so far; unknown from the first point without a gradient on.
    let batchSum: LayerValues | undefined;
    let first = true;
    // A recorded loop that steps inside the batch: the points after a step are passed forward with its weights.
    let stepped: UpdateEvent | undefined;
    const sequence = new TraceSequence(run!, {
      point: (_e, _b, at, forward, backward) => {
        batchSum = backward && (first || batchSum) ? added(batchSum, backward.gradient) : undefined;
        first = false;
        if (at === position) found = { forward, backward, batchSum, stepped };
      },
      step: (_e, _b, event) => (stepped = event),
    }, { epoch, batch, order: summary!.epochs[epoch - 1].order });
    let lastLine = start.line;
    await readLines(file, start, end, (line) => {
      lastLine = line.number;
      const event = this.parse(line);
      const verdict = event && sequence.accept(event);
      if (verdict && 'fault' in verdict) throw new TraceChanged(file, line.number);
      return found === undefined;
    });
    if (!found) {
      // The summary has the point, so its lines were read once: they are not there any more.
      if (summary!.epochs[epoch - 1].pointsDone > position) throw new TraceChanged(file, lastLine);
      return undefined;
    }
    if (kind === 'forward') {
      const used = found.stepped ? weightsAfter(found.stepped) : (await this.startWeights(epoch, batch))!;
      return this.forwardDetail(found.forward, epoch, batch, used);
    }
    if (!found.backward || !found.batchSum) return undefined;
    const gradient = { weights: found.backward.gradient.weights, biases: found.backward.gradient.biases };
    const detail: GradientDetail = {
      kind,
      epoch,
      batch,
      index: found.backward.index,
      gradient,
      norm: layerValuesNorm(gradient),
      batchSum: found.batchSum,
      pointsSummed: indexInBatch(schedule, position) + 1,
      batchSize: batchSizeOf(schedule, batch),
    };
    return detail;
  }

  private forwardDetail(event: ForwardEvent, epoch: number, batch: number, used: WeightsAt): ForwardDetail {
    const weightsUsed = used.weights;
    const run = this.reader.run!;
    const { index } = event;
    const inputs = run.inputs ? Array.from(run.inputs.subarray(index * run.features, (index + 1) * run.features)) : inputOf(event, run.features);
    return {
      kind: 'forward',
      epoch,
      batch,
      index,
      inputs,
      inputNames: run.featureNames,
      output: event.output,
      target: event.target,
      targetNames: run.targetNames,
      loss: event.loss,
      weightsFrom: used.from,
      weightsUsed,
      activations: forwardActivations(run, weightsUsed, inputs, event.output),
      ...(event.probabilities ? { probabilities: event.probabilities } : {}),
    };
  }

  /**
   * The weights a batch starts from, and whose they are: those after the last update before it
   * (a recorded loop's batch may follow batches that made none), or the initial ones; undefined
   * when the batch has not begun.
   */
  private async startWeights(epoch: number, batch: number): Promise<WeightsAt | undefined> {
    const { index, init } = this.reader;
    const g = globalBatch(this.reader.run!.shape.schedule, epoch, batch);
    if (!index.start(g)) return undefined;
    const previous = g === 0 ? init : index.update(g - 1);
    if (!previous) throw new TraceChanged(this.reader.file, index.start(g)!.line);
    // A recorded loop that has not stepped yet starts its batch from the initial weights.
    if (previous.offset === init?.offset) {
      const event = await this.eventAt(previous, 'init');
      return { weights: { weights: event.weights, biases: event.biases }, from: label('detail.weightsFrom.initial') };
    }
    return weightsAfter(await this.eventAt(previous, 'update'));
  }

  /** The event of one line, which must be of the type the index says, with the run's layer shapes. */
  private async eventAt<T extends 'init' | 'update'>(place: LinePlace, type: T): Promise<T extends 'init' ? InitEvent : UpdateEvent> {
    let event: TraceEvent | undefined;
    await readLines(this.reader.file, place, Number.MAX_SAFE_INTEGER, (line) => {
      event = this.parse(line);
      return false;
    });
    const values = event?.type === type ? (event as InitEvent | UpdateEvent) : undefined;
    if (!values || layerValuesFault(this.reader.run!, values.weights, values.biases, [])) throw new TraceChanged(this.reader.file, place.line);
    return values as T extends 'init' ? InitEvent : UpdateEvent;
  }

  private parse(line: RawLine): TraceEvent | undefined {
    let text: string;
    try {
      text = this.decoder.decode(line.bytes);
    } catch {
      throw new TraceChanged(this.reader.file, line.number);
    }
    const read = readTraceLine(text);
    if (read.kind === 'fault') throw new TraceChanged(this.reader.file, line.number);
    return read.kind === 'event' ? read.event : undefined;
  }
}

/** Weights a step used, and whose they are (the initial ones, or an update's). */
interface WeightsAt {
  weights: LayerValues;
  from: Label;
}

/** The weights after an update, named by the update's own batch (an inner step of a recorded loop is in the batch it reads). */
function weightsAfter(update: UpdateEvent): WeightsAt {
  return { weights: { weights: update.weights, biases: update.biases }, from: label('detail.weightsFrom.update', { batch: update.batch, epoch: update.epoch }) };
}

/** The running sum plus one more gradient, in a new array (the first one: itself, added to zero). */
function added(sum: LayerValues | undefined, gradient: LayerValues): LayerValues {
  return {
    weights: gradient.weights.map((matrix, l) => matrix.map((row, o) => row.map((g, i) => (sum ? sum.weights[l][o][i] : 0) + g))),
    biases: gradient.biases.map((row, l) => row.map((g, o) => (sum ? sum.biases[l][o] : 0) + g)),
  };
}

/** A forward event's own copy of its inputs (a producer that left the data rows out of its run event). */
function inputOf(event: ForwardEvent, features: number): number[] {
  const input = (event as { input?: unknown }).input;
  return Array.isArray(input) && input.length === features && input.every((x) => typeof x === 'number' && Number.isFinite(x)) ? input : [];
}

/**
 * Each layer's output for a forward pass (the first hidden layer first, the output last), by the
 * trainer's own forward pass with the weights the batch started from: bit for bit what the live
 * run computed. Another producer's arithmetic (PyTorch's float32) gives an output near ours; a
 * model the run event does not describe fully (an activation the config contract does not name,
 * a custom forward()) gives one far from it: then only the trace's own output is shown.
 */
function forwardActivations(run: TracedRun, weights: LayerValues, inputs: number[], output: number[]): number[][] {
  const { layerSizes, hasBias, loss } = run.shape;
  const onlyOutput = () => [...layerSizes.slice(2).map(() => []), output];
  if (!run.activations || inputs.length !== run.features) return onlyOutput();
  // Only the layers' outputs are wanted: a loss the trainer does not know (a recorded loop's L1Loss …) is taken as mse, and the check below still holds them to the trace's output.
  const known = (LOSSES as readonly string[]).includes(loss) ? (loss as LossName) : 'mse';
  const network = new Network(layerSizes.slice(1).map((units, l) => ({ inputs: layerSizes[l], units, activation: run.activations![l] })), hasBias, known);
  weights.weights.forEach((matrix, l) => network.weights[l].set(matrix.flat()));
  weights.biases.forEach((row, l) => network.biases[l].set(row));
  network.forward(Float64Array.from(inputs), 0);
  const activations = network.activations.slice(1).map((a) => Array.from(a));
  const last = activations[activations.length - 1];
  return last.every((v, i) => Math.abs(v - output[i]) <= 1e-5 * Math.max(1, Math.abs(output[i]))) ? activations : onlyOutput();
}
