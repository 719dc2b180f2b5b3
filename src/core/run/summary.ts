import type { LossName, OptimizerConfig, Reduction, TrainingConfig } from '../config/types';
import type { Dataset } from '../data/dataset';
import { batchSchedule, type BatchSchedule } from '../train/schedule';
import type { Divergence } from '../train/trainer';

/**
 * A compact record of a run: a few numbers per node (losses and gradient norms), never the
 * weights. It is what the tree is drawn from, in the CLI and in the panel, and it is small
 * enough to keep for millions of data points. The full numbers of a node are recomputed on
 * demand (see `replay`).
 */
export interface RunShape {
  /** How each epoch is cut into batches. */
  schedule: BatchSchedule;
  /** Units per layer, the input layer first. */
  layerSizes: number[];
  /** The inputs' names (x1…xn, or the CSV's headers): the network drawing labels its input nodes with them. */
  featureNames: string[];
  epochs: number;
  shuffle: boolean;
  reduction: Reduction;
  /** The config's loss; a recorded loop's may be one the config contract has no name for. */
  loss: LossName | (string & {});
  optimizer: OptimizerConfig;
  /** How the weights started: an `init` scheme's name, or "given" for `initialWeights`. */
  init: string;
  hasBias: boolean;
  /** A trace of a recorded training loop (its producer names its `source`): each batch says what the loop did at its end. */
  recordedLoop?: boolean;
}

export interface EpochSummary {
  /** Data rows in visiting order. */
  order: Int32Array;
  /** Each point's loss at its forward pass, by position in `order`. */
  pointLoss: Float64Array;
  /** The norm of each point's own gradient, by position in `order`. */
  pointGradientNorm: Float64Array;
  /** The norm of each batch's reduced gradient, the one its update used. */
  batchGradientNorm: Float64Array;
  pointsDone: number;
  batchesDone: number;
  /** Mean point loss, once the epoch has ended. */
  loss?: number;
  /** What the loop did at each batch's end: only in a trace of a recorded loop (`RunShape.recordedLoop`). */
  loop?: BatchLoop;
}

/**
 * What a recorded training loop (a trace from the PyTorch recorder) did at the end of each
 * batch, where a config's run always makes one update with the batch's own gradient. A loop
 * may step after every point, not step at all (its gradients wait in `.grad` for a later
 * batch), or step with gradients left over from batches an earlier step already used (no
 * `zero_grad()`). Kept per batch, like the batch's gradient norm, only for recorded loops.
 */
export interface BatchLoop {
  /** `optimizer.step()` calls made in each batch: 1 in a plain loop, 0 when the batch made none. */
  steps: Int32Array;
  /** The global number of the first batch whose gradients the batch's steps used: its own in a plain loop. */
  gradientFrom: Int32Array;
  /** Points whose gradients the batch's last step used (the recorder's `update.size`). */
  gradientPoints: Int32Array;
  /** Of the gradients its steps used, how many an earlier step had already used (most over its steps). */
  reusedPoints: Int32Array;
}

/** The loop's kinds of surprise, each the subject of one correction (see corrections.ts). */
export type LoopKind = 'stale' | 'stepsInBatch' | 'accumulated' | 'meanLoss';

/**
 * The whole run's loop at a glance, kept as batches arrive, so that the tree's findings need
 * not walk it: the first batch of each kind, and whether every batch so far stepped after each
 * of its points (then the loop is stochastic gradient descent, whatever the loader's batch size).
 */
export interface LoopTally {
  first: Partial<Record<LoopKind, number>>;
  batchesSeen: number;
  everyPointStepped: boolean;
}

export function emptyBatchLoop(batches: number): BatchLoop {
  return { steps: new Int32Array(batches), gradientFrom: new Int32Array(batches), gradientPoints: new Int32Array(batches), reusedPoints: new Int32Array(batches) };
}

export const LOOP_KEYS = ['steps', 'gradientFrom', 'gradientPoints', 'reusedPoints'] as const satisfies readonly (keyof BatchLoop)[];

/** The same arrays, each passed through `part` (a slice or a view of some batches). */
export function mapBatchLoop(loop: BatchLoop, part: (values: Int32Array) => Int32Array): BatchLoop {
  return { steps: part(loop.steps), gradientFrom: part(loop.gradientFrom), gradientPoints: part(loop.gradientPoints), reusedPoints: part(loop.reusedPoints) };
}

/** One batch's entry of `BatchLoop`. */
export type LoopBatchEntry = { [K in keyof BatchLoop]: number };

export function emptyLoopTally(): LoopTally {
  return { first: {}, batchesSeen: 0, everyPointStepped: false };
}

export type RunStatus = 'running' | 'done' | 'diverged' | 'stopped';

export interface RunSummary {
  shape: RunShape;
  epochs: EpochSummary[];
  status: RunStatus;
  divergence?: Divergence;
  /** A recorded loop's batches at a glance, once one has ended (see loop.ts). */
  loop?: LoopTally;
}

export function runShape(config: Omit<TrainingConfig, 'data'>, data: Pick<Dataset, 'count' | 'features' | 'featureNames'>): RunShape {
  return {
    schedule: batchSchedule(data.count, config),
    layerSizes: [data.features, ...config.model.layers.map((l) => l.units)],
    featureNames: data.featureNames,
    epochs: config.epochs,
    shuffle: config.shuffle,
    reduction: config.reduction,
    loss: config.loss,
    optimizer: config.optimizer,
    init: config.model.initialWeights ? 'given' : config.model.init,
    hasBias: config.model.bias,
  };
}

export function emptyEpoch(order: Int32Array, points: number, batches: number, recordedLoop = false): EpochSummary {
  return {
    order,
    pointLoss: new Float64Array(points),
    pointGradientNorm: new Float64Array(points),
    batchGradientNorm: new Float64Array(batches),
    pointsDone: 0,
    batchesDone: 0,
    ...(recordedLoop ? { loop: emptyBatchLoop(batches) } : {}),
  };
}

/** Points of storage allocated at a time for many short epochs' numbers. */
const CHUNK_POINTS = 65_536;

/** Builds a summary as the run goes; fed by the trainer directly, or by a trace's events as they are read (traceFile/). */
export class SummaryRecorder {
  readonly summary: RunSummary;
  /** Storage shared by consecutive epochs: for tiny data sets, an allocation per epoch would cost more than the epoch. */
  private chunk = { pointLoss: new Float64Array(0), pointGradientNorm: new Float64Array(0), batchGradientNorm: new Float64Array(0), used: 0, capacity: 0 };

  constructor(shape: RunShape) {
    this.summary = { shape, epochs: [], status: 'running' };
  }

  /** Keeps `order` itself: the trainer makes a fresh one each epoch. */
  epochStart(order: Int32Array): void {
    const { pointsPerEpoch: points, batchCount: batches } = this.summary.shape.schedule;
    let chunk = this.chunk;
    if (chunk.used === chunk.capacity) {
      const capacity = Math.max(1, Math.floor(CHUNK_POINTS / Math.max(points, 1)));
      chunk = this.chunk = {
        pointLoss: new Float64Array(capacity * points),
        pointGradientNorm: new Float64Array(capacity * points),
        batchGradientNorm: new Float64Array(capacity * batches),
        used: 0,
        capacity,
      };
    }
    const at = chunk.used++;
    this.summary.epochs.push({
      order,
      pointLoss: chunk.pointLoss.subarray(at * points, (at + 1) * points),
      pointGradientNorm: chunk.pointGradientNorm.subarray(at * points, (at + 1) * points),
      batchGradientNorm: chunk.batchGradientNorm.subarray(at * batches, (at + 1) * batches),
      pointsDone: 0,
      batchesDone: 0,
      ...(this.summary.shape.recordedLoop ? { loop: emptyBatchLoop(batches) } : {}),
    });
  }

  point(loss: number, gradientNorm: number): void {
    const epoch = this.current();
    epoch.pointLoss[epoch.pointsDone] = loss;
    epoch.pointGradientNorm[epoch.pointsDone] = gradientNorm;
    epoch.pointsDone++;
  }

  /** The batch has ended with its update (NaN: a recorded loop's batch that made none), and what the loop did, for a recorded loop. */
  update(gradientNorm: number, loop?: LoopBatchEntry): void {
    const epoch = this.current();
    const at = epoch.batchesDone;
    if (loop && epoch.loop) for (const key of LOOP_KEYS) epoch.loop[key][at] = loop[key];
    epoch.batchGradientNorm[epoch.batchesDone++] = gradientNorm;
  }

  epochEnd(loss: number): void {
    this.current().loss = loss;
  }

  finish(status: Exclude<RunStatus, 'running'>, divergence?: Divergence): void {
    this.summary.status = status;
    if (divergence) this.summary.divergence = divergence;
  }

  private current(): EpochSummary {
    return this.summary.epochs[this.summary.epochs.length - 1];
  }
}
