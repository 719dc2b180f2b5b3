import type { TrainingConfig } from '../config/types';
import type { Dataset } from '../data/dataset';
import { initialiseParameters } from '../model/init';
import { Network } from '../model/network';
import { createOptimizer, type Optimizer, type OptimizerState, type StepTotals } from '../model/optimizers';
import { layerShapes } from '../model/parameters';
import { Rng, RngStream } from '../rng';
import { label, type Label } from '../words/label';
import { batchSchedule, batchSizeOf, batchStart, globalBatch, type BatchSchedule } from './schedule';

/** Where a run stopped because a loss or a weight stopped being a finite number. */
export interface Divergence {
  epoch: number;
  batch: number;
  /** The data row whose loss or gradient was not finite; absent when the update made a weight non-finite. */
  index?: number;
  /** `epochEnd`: every point was finite, but their mean loss overflowed. */
  stage: 'forward' | 'backward' | 'update' | 'epochEnd';
  /** What went wrong, in words: the trace writes it in English as its `message`. */
  message: Label;
}

/**
 * What the training loop reports, in the order it happens. Observers read the numbers from the
 * trainer (its network holds the current point's activations and deltas, `gradientSum` the
 * batch so far) and must copy what they keep: the buffers are reused for the next point.
 */
export interface TrainingObserver {
  /** `order` is a fresh array each epoch: an observer may keep it. */
  epochStart?(epoch: number, order: Int32Array): void;
  batchStart?(epoch: number, batch: number, indices: Int32Array): void;
  /** After this point's forward pass, once its loss is known to be finite (network.output holds its output). */
  forward?(epoch: number, batch: number, index: number, loss: number): void;
  /**
   * After this point's backward pass, once its gradient is known to be finite and has been
   * added to the sum; `gradientNorm` is the Euclidean norm of this point's gradient.
   */
  point?(epoch: number, batch: number, index: number, loss: number, gradientNorm: number): void;
  /** After the batch's single update; `gradientSum` now holds the reduced batch gradient, of norm `gradientNorm`. */
  update?(epoch: number, batch: number, size: number, gradientNorm: number): void;
  epochEnd?(epoch: number, meanLoss: number): void;
  diverged?(divergence: Divergence): void;
}

/** Everything needed to resume a run bit for bit at the start of a batch. */
export interface Checkpoint {
  weights: Float64Array[];
  biases: Float64Array[];
  optimizer: OptimizerState;
}

/** Where a run hands its checkpoints, at the start of the batches it wants: a store, or a worker's outbox. */
export interface CheckpointSink {
  /** `globalBatch` counts the run's batches across epochs from 0. */
  wants(globalBatch: number): boolean;
  add(globalBatch: number, checkpoint: Checkpoint): void;
}

/**
 * Mini-batch gradient descent, exactly as the corrections describe it: the weights are
 * initialised once; every point of a batch is passed forward and backward with the weights the
 * batch started with; the points' gradients are summed; after the batch's last point the sum is
 * reduced (kept as a sum, or divided by the batch's size) and the optimizer makes one update.
 */
export class Trainer {
  readonly network: Network;
  /** The batch's summed gradient while the batch runs; the reduced batch gradient after its update. */
  readonly gradientSum: { weights: Float64Array[]; biases: Float64Array[] };
  readonly schedule: BatchSchedule;
  private readonly optimizer: Optimizer;
  private readonly shuffleRng: Rng;
  /** Reused by every update: an object per batch would be garbage per batch. */
  private readonly totals: StepTotals = { squares: 0, check: 0 };

  constructor(
    readonly config: TrainingConfig,
    readonly data: Dataset,
  ) {
    this.network = new Network(layerShapes(config, data.features), config.model.bias, config.loss);
    this.gradientSum = {
      weights: this.network.weights.map((w) => new Float64Array(w.length)),
      biases: this.network.biases.map((b) => new Float64Array(b.length)),
    };
    this.optimizer = createOptimizer(config.optimizer, this.network.weights.flatMap((w, l) => [w.length, this.network.biases[l].length]));
    this.shuffleRng = new Rng(config.seed, RngStream.shuffle);
    this.schedule = batchSchedule(data.count, config);
    initialiseParameters(this.network, config.model, config.seed);
  }

  /**
   * The order epoch after epoch visits the rows in. Call once per epoch, in epoch order: with
   * shuffling on, each call draws a fresh permutation of 0…N−1 from the seed's shuffle stream.
   */
  nextEpochOrder(): Int32Array {
    const order = new Int32Array(this.data.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    if (this.config.shuffle) this.shuffleRng.shuffle(order);
    return order;
  }

  /**
   * Runs every epoch to the end (or the first non-finite number). `checkpoints`, when given,
   * receives the state at the start of the batches it wants.
   */
  run(observer: TrainingObserver, checkpoints?: CheckpointSink): 'done' | 'diverged' {
    return new TrainingRun(this, observer, checkpoints).advance() as 'done' | 'diverged';
  }

  /**
   * One batch: forward and backward for each of its points with unchanged weights, then one
   * update. Returns the sum of the points' losses, or undefined when the run diverged.
   */
  runBatch(epoch: number, batch: number, order: Int32Array, observer: TrainingObserver): number | undefined {
    const start = batchStart(this.schedule, batch);
    const end = start + batchSizeOf(this.schedule, batch);
    this.beginBatch(epoch, batch, order.subarray(start, end), observer);
    let lossSum = 0;
    for (let p = start; p < end; p++) {
      const loss = this.pointStep(epoch, batch, order[p], observer);
      if (loss === undefined) return undefined;
      lossSum += loss;
    }
    return this.finishBatch(epoch, batch, end - start, observer) ? lossSum : undefined;
  }

  /** A batch begins: its points' gradients will be summed from zero. */
  beginBatch(epoch: number, batch: number, indices: Int32Array, observer: TrainingObserver): void {
    observer.batchStart?.(epoch, batch, indices);
    for (const g of this.gradientSum.weights) g.fill(0);
    for (const g of this.gradientSum.biases) g.fill(0);
  }

  /**
   * One point of the batch, with the batch's starting weights: forward, backward, and its
   * gradient added to the batch's sum. Returns its loss, or undefined when the run diverged.
   */
  pointStep(epoch: number, batch: number, index: number, observer: TrainingObserver): number | undefined {
    const { network, data } = this;
    network.forward(data.inputs, index * data.features);
    const loss = network.backward(data.targets, index * data.targetWidth);
    if (!Number.isFinite(loss)) {
      observer.diverged?.(lossDivergence(epoch, batch, index, loss));
      return undefined;
    }
    observer.forward?.(epoch, batch, index, loss);
    // A finite norm bounds every entry; only an overflowing one needs the entries checked.
    const gradientNorm = network.pointGradientNorm();
    if (!Number.isFinite(gradientNorm) && !network.gradientIsFinite()) {
      observer.diverged?.({ epoch, batch, index, stage: 'backward', message: label('diverged.gradient', { point: index + 1, epoch, batch }) });
      return undefined;
    }
    network.accumulateGradient(this.gradientSum.weights, this.gradientSum.biases);
    observer.point?.(epoch, batch, index, loss, gradientNorm);
    return loss;
  }

  /** After the batch's last point: its one update. False when it made a weight non-finite. */
  finishBatch(epoch: number, batch: number, size: number, observer: TrainingObserver): boolean {
    const totals = this.applyUpdate(size);
    if (totals.check !== 0) {
      observer.diverged?.({ epoch, batch, stage: 'update', message: label('diverged.update', { epoch, batch }) });
      return false;
    }
    observer.update?.(epoch, batch, size, Math.sqrt(totals.squares));
    return true;
  }

  /** Reduces the summed gradient in place and steps the optimizer, in one pass over the parameters. */
  private applyUpdate(size: number): StepTotals {
    const { network, gradientSum: sums, totals } = this;
    const divisor = this.config.reduction === 'mean' ? size : 1;
    totals.squares = 0;
    totals.check = 0;
    this.optimizer.beginStep();
    for (let l = 0; l < network.layers.length; l++) {
      this.optimizer.step(2 * l, network.weights[l], sums.weights[l], divisor, totals);
      this.optimizer.step(2 * l + 1, network.biases[l], sums.biases[l], divisor, totals);
    }
    return totals;
  }

  /** How many doubles a checkpoint holds: the parameters and the optimizer's buffers. */
  checkpointDoubles(): number {
    const { optimizer } = this.config;
    const buffers = optimizer.type === 'adam' ? 2 : optimizer.momentum > 0 ? 1 : 0;
    return this.network.parameterCount() * (1 + buffers);
  }

  checkpoint(): Checkpoint {
    return {
      weights: this.network.weights.map((w) => w.slice()),
      biases: this.network.biases.map((b) => b.slice()),
      optimizer: this.optimizer.snapshot(),
    };
  }

  restore(checkpoint: Checkpoint): void {
    checkpoint.weights.forEach((w, l) => this.network.weights[l].set(w));
    checkpoint.biases.forEach((b, l) => this.network.biases[l].set(b));
    this.optimizer.restore(checkpoint.optimizer);
  }
}

function lossDivergence(epoch: number, batch: number, index: number, loss: number): Divergence {
  return {
    epoch,
    batch,
    index,
    stage: 'forward',
    message: label('diverged.loss', { point: index + 1, epoch, batch, loss: String(loss) }),
  };
}

/**
 * A run in progress that can pause after any point (or before any batch) and carry on where it
 * stopped: the CLI pauses it while its output drains, and to let Ctrl-C be heard. The order of
 * every computation is the same as a run in one go, so the numbers are bit for bit the same.
 */
export class TrainingRun {
  private epoch = 0;
  /** The batch being run, from 1; 0 between epochs. */
  private batch = 0;
  /** The next position of the batch to run; -1 before the batch has begun. */
  private position = -1;
  private batchEnd = 0;
  private order: Int32Array = new Int32Array(0);
  private epochLoss = 0;
  private batchLoss = 0;
  private outcome: 'done' | 'diverged' | undefined;

  constructor(
    private readonly trainer: Trainer,
    private readonly observer: TrainingObserver,
    private readonly checkpoints?: CheckpointSink,
  ) {}

  /** Where the run is: the epoch and batch being run (both from 1; 0 before the first). */
  get at(): { epoch: number; batch: number } {
    return { epoch: this.epoch, batch: this.batch };
  }

  /** Trains until the run ends or `pause` (asked before each batch and after each point) says to pause. */
  advance(pause?: () => boolean): 'paused' | 'done' | 'diverged' {
    if (this.outcome) return this.outcome;
    const { trainer, observer } = this;
    const { schedule } = trainer;
    for (;;) {
      if (this.batch === 0) {
        if (this.epoch === trainer.config.epochs) return (this.outcome = 'done');
        this.epoch++;
        this.order = trainer.nextEpochOrder();
        observer.epochStart?.(this.epoch, this.order);
        this.epochLoss = 0;
        this.batch = 1;
        this.position = -1;
      }
      const { epoch, batch, order } = this;
      if (this.position < 0) {
        if (pause?.()) return 'paused';
        const global = globalBatch(schedule, epoch, batch);
        if (this.checkpoints?.wants(global)) this.checkpoints.add(global, trainer.checkpoint());
        const start = batchStart(schedule, batch);
        this.batchEnd = start + batchSizeOf(schedule, batch);
        trainer.beginBatch(epoch, batch, order.subarray(start, this.batchEnd), observer);
        this.position = start;
        this.batchLoss = 0;
      }
      while (this.position < this.batchEnd) {
        const loss = trainer.pointStep(epoch, batch, order[this.position++], observer);
        if (loss === undefined) return (this.outcome = 'diverged');
        this.batchLoss += loss;
        if (pause?.()) return 'paused';
      }
      if (!trainer.finishBatch(epoch, batch, this.batchEnd - batchStart(schedule, batch), observer)) return (this.outcome = 'diverged');
      this.epochLoss += this.batchLoss;
      this.position = -1;
      if (batch < schedule.batchCount) {
        this.batch++;
        continue;
      }
      this.batch = 0;
      // Every point's loss is finite, but their sum can still overflow: the epoch diverged there.
      const mean = this.epochLoss / schedule.pointsPerEpoch;
      if (!Number.isFinite(mean)) {
        observer.diverged?.({ epoch, batch, stage: 'epochEnd', message: label('diverged.epochLoss', { epoch }) });
        return (this.outcome = 'diverged');
      }
      observer.epochEnd?.(epoch, mean);
    }
  }
}
