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
  loss: LossName;
  optimizer: OptimizerConfig;
  /** How the weights started: an `init` scheme's name, or "given" for `initialWeights`. */
  init: string;
  hasBias: boolean;
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
}

export type RunStatus = 'running' | 'done' | 'diverged' | 'stopped';

export interface RunSummary {
  shape: RunShape;
  epochs: EpochSummary[];
  status: RunStatus;
  divergence?: Divergence;
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

export function emptyEpoch(order: Int32Array, points: number, batches: number): EpochSummary {
  return {
    order,
    pointLoss: new Float64Array(points),
    pointGradientNorm: new Float64Array(points),
    batchGradientNorm: new Float64Array(batches),
    pointsDone: 0,
    batchesDone: 0,
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
    });
  }

  point(loss: number, gradientNorm: number): void {
    const epoch = this.current();
    epoch.pointLoss[epoch.pointsDone] = loss;
    epoch.pointGradientNorm[epoch.pointsDone] = gradientNorm;
    epoch.pointsDone++;
  }

  update(gradientNorm: number): void {
    const epoch = this.current();
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
