import type { TrainingConfig } from '../config/types';
import type { Dataset } from '../data/dataset';
import { layerValuesNorm, nestedParameters, pointGradient } from '../model/parameters';
import { batchSizeOf, batchStart, epochAndBatch, globalBatch, indexInBatch } from '../train/schedule';
import { Trainer, type Checkpoint, type TrainingObserver } from '../train/trainer';
import { label, type Label } from '../words/label';
import type { CheckpointStore } from './checkpoints';
import type { DetailRef, NodeDetail } from './detail';
import type { RunSummary } from './summary';

/** The longest stretch of replay between two yields to the event loop. */
const SLICE_MS = 20;

/** Why a node's numbers did not come, in the catalogue's words: the host passes the label on to the panel. */
export class NumbersUnavailable extends Error {
  constructor(readonly label: Label) {
    super(label.id);
    this.name = 'NumbersUnavailable';
  }
}

/** A node exists but the checkpoint to replay it from has not arrived yet (a run just started): ask again soon. */
export class NumbersNotReady extends NumbersUnavailable {
  constructor() {
    super(label('detail.notReady'));
    this.name = 'NumbersNotReady';
  }
}

/** How a request for a node's numbers may be cut short. */
export interface DetailOptions {
  /** A newer request for another node cancels this one (a hover card the pointer has left). */
  cancellable?: boolean;
  /** Give up after this long, and say so. */
  limitMs?: number;
}

interface Request {
  key: string;
  cancellable: boolean;
  deadline: number;
  limitMs: number;
  cancelled: boolean;
}

/**
 * Recomputes the full numbers of any node from the nearest checkpoint, by running the same
 * trainer code over the same batches in the same order: the result is bit for bit what a full
 * trace would have recorded. The start of the last replayed batch is remembered, so hovering
 * from node to node inside one batch replays only that batch.
 */
export class Replayer {
  private readonly trainer: Trainer;
  private cached: { globalBatch: number; checkpoint: Checkpoint } | undefined;
  /** Requests run one after another: they share the trainer. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Requests not yet answered, the one replaying first. */
  private readonly open = new Set<Request>();

  constructor(
    private readonly config: TrainingConfig,
    private readonly data: Dataset,
    private readonly summary: RunSummary,
    private readonly checkpoints: CheckpointStore,
  ) {
    this.trainer = new Trainer(config, data);
  }

  /**
   * The numbers of a node, or undefined for nodes that have none of their own (epochs, orders …).
   * A long replay yields to the event loop every SLICE_MS, so the thread it runs on (the
   * extension host's, shared with every extension) never stalls while it works. A newer request
   * for another node skips the cancellable requests still waiting and stops the one replaying;
   * a request that runs past its limit stops and says so (NumbersUnavailable).
   */
  detail(ref: DetailRef, options: DetailOptions = {}): Promise<NodeDetail | undefined> {
    const limitMs = options.limitMs ?? Infinity;
    const request: Request = { key: JSON.stringify(ref), cancellable: options.cancellable ?? false, deadline: performance.now() + limitMs, limitMs, cancelled: false };
    for (const older of this.open) if (older.cancellable && older.key !== request.key) older.cancelled = true;
    this.open.add(request);
    const answer = this.queue.then(() => {
      this.checkStillWanted(request);
      return this.compute(ref, request);
    });
    const settled = () => this.open.delete(request);
    answer.then(settled, settled);
    this.queue = answer.catch(() => undefined);
    return answer;
  }

  private async compute(ref: DetailRef, request: Request): Promise<NodeDetail | undefined> {
    switch (ref.kind) {
      case 'init':
        return this.initDetail();
      case 'epoch':
      case 'batch': {
        const batch = ref.kind === 'batch' ? ref.batch : 1;
        return (await this.seekBatchStart(ref.epoch, batch, request)) ? this.startDetail(ref.epoch, batch) : undefined;
      }
      case 'point':
      case 'forward':
      case 'backward':
      case 'sum':
        return (await this.seekBatchStart(ref.epoch, ref.batch, request)) ? this.pointDetail(ref.kind === 'point' ? 'forward' : ref.kind, ref.epoch, ref.batch, ref.position, request) : undefined;
      case 'update':
        return (await this.seekBatchStart(ref.epoch, ref.batch, request)) ? this.updateDetail(ref.epoch, ref.batch, request) : undefined;
    }
  }

  private initDetail(): NodeDetail | undefined {
    const start = this.checkpoints.latestAtOrBefore(0);
    if (!start) throw new NumbersNotReady();
    this.trainer.restore(start.checkpoint);
    return { kind: 'init', init: this.summary.shape.init, weights: nestedParameters(this.trainer.network, this.trainer.network) };
  }

  /** After seekBatchStart: the weights as they are now, at the batch's start. */
  private startDetail(epoch: number, batch: number): NodeDetail {
    const { network } = this.trainer;
    return { kind: 'start', epoch, batch, from: weightsFrom(epoch, batch, this.summary.shape.schedule.batchCount), weights: nestedParameters(network, network) };
  }

  /**
   * After seekBatchStart: runs the batch up to one of its points and keeps that point's numbers
   * (the points after it change nothing it shows). A batch of millions of points yields as the
   * replay between batches does.
   */
  private async pointDetail(kind: 'forward' | 'backward' | 'sum', epoch: number, batch: number, position: number, request: Request): Promise<NodeDetail | undefined> {
    const { trainer, data, summary } = this;
    const { network } = trainer;
    const { schedule } = summary.shape;
    const order = summary.epochs[epoch - 1].order;
    const wanted = order[position];
    // Every point of the batch uses the weights it starts with (C3): these, before the batch runs.
    const weightsUsed = kind === 'forward' ? nestedParameters(network, network) : undefined;
    let detail: NodeDetail | undefined;
    const observer: TrainingObserver = {
      point: (_e, _b, index, loss) => {
        if (index !== wanted) return;
        if (kind !== 'forward') {
          const gradient = pointGradient(network);
          detail = {
            kind,
            epoch,
            batch,
            index,
            gradient,
            // The norm of the entries shown (the trainer's own, ‖δ‖·‖a‖ per layer, differs in the last bits): a saved trace gives the same.
            norm: layerValuesNorm(gradient),
            batchSum: nestedParameters(network, trainer.gradientSum),
            pointsSummed: indexInBatch(schedule, position) + 1,
            batchSize: batchSizeOf(schedule, batch),
          };
          return;
        }
        detail = {
          kind,
          epoch,
          batch,
          index,
          inputs: Array.from(data.inputs.subarray(index * data.features, (index + 1) * data.features)),
          inputNames: data.featureNames,
          output: Array.from(network.output),
          target: Array.from(data.targets.subarray(index * data.targetWidth, (index + 1) * data.targetWidth)),
          targetNames: data.targetNames,
          loss,
          weightsFrom: weightsFrom(epoch, batch, schedule.batchCount),
          weightsUsed: weightsUsed!,
          activations: network.activations.slice(1).map((a) => Array.from(a)),
          ...(this.config.loss === 'cross-entropy' ? { probabilities: Array.from(network.probabilities) } : {}),
        };
      },
    };
    return (await this.runPoints(epoch, batch, position, observer, request)) ? detail : undefined;
  }

  /** After seekBatchStart: runs the whole batch and keeps its update. */
  private async updateDetail(epoch: number, batch: number, request: Request): Promise<NodeDetail | undefined> {
    const { trainer } = this;
    const { schedule } = this.summary.shape;
    const before = nestedParameters(trainer.network, trainer.network);
    let detail: NodeDetail | undefined;
    const observer: TrainingObserver = {
      update: (_e, _b, size, gradientNorm) => {
        detail = {
          kind: 'update',
          epoch,
          batch,
          size,
          reduction: this.config.reduction,
          optimizer: this.config.optimizer,
          gradient: nestedParameters(trainer.network, trainer.gradientSum),
          norm: gradientNorm,
          before,
          after: nestedParameters(trainer.network, trainer.network),
        };
      },
    };
    const size = batchSizeOf(schedule, batch);
    if (!(await this.runPoints(epoch, batch, batchStart(schedule, batch) + size - 1, observer, request))) return undefined;
    trainer.finishBatch(epoch, batch, size, observer);
    return detail;
  }

  /**
   * After seekBatchStart: begins the batch and steps its points up to the one at `last`,
   * yielding between them. False when a point's numbers stopped being finite.
   */
  private async runPoints(epoch: number, batch: number, last: number, observer: TrainingObserver, request: Request): Promise<boolean> {
    const { trainer } = this;
    const { schedule } = this.summary.shape;
    const order = this.summary.epochs[epoch - 1].order;
    const start = batchStart(schedule, batch);
    trainer.beginBatch(epoch, batch, order.subarray(start, start + batchSizeOf(schedule, batch)), observer);
    const slices = this.slices(request);
    for (let p = start; p <= last; p++) {
      if (trainer.pointStep(epoch, batch, order[p], observer) === undefined) return false;
      await slices.breathe();
    }
    return true;
  }

  /**
   * Puts the trainer at the start of the batch: from the cache or the nearest checkpoint, then
   * replay. False when the batch has not started; NumbersNotReady when its checkpoint is on its way.
   */
  private async seekBatchStart(epoch: number, batch: number, request: Request): Promise<boolean> {
    const { schedule } = this.summary.shape;
    const goal = globalBatch(schedule, epoch, batch);
    const record = this.summary.epochs[epoch - 1];
    if (!record || record.pointsDone <= batchStart(schedule, batch)) return false;
    const fromCheckpoint = this.checkpoints.latestAtOrBefore(goal);
    const start = this.cached && this.cached.globalBatch <= goal && (!fromCheckpoint || this.cached.globalBatch >= fromCheckpoint.globalBatch) ? this.cached : fromCheckpoint;
    if (!start) throw new NumbersNotReady();
    this.trainer.restore(start.checkpoint);
    const slices = this.slices(request);
    for (let g = start.globalBatch; g < goal; g++) {
      const at = epochAndBatch(schedule, g);
      this.trainer.runBatch(at.epoch, at.batch, this.summary.epochs[at.epoch - 1].order, {});
      await slices.breathe();
    }
    this.cached = { globalBatch: goal, checkpoint: this.trainer.checkpoint() };
    return true;
  }

  /** Yields to the event loop every SLICE_MS, and stops there when the request is no longer wanted. */
  private slices(request: Request): { breathe(): Promise<void> } {
    let sliceStart = performance.now();
    return {
      breathe: async () => {
        if (performance.now() - sliceStart <= SLICE_MS) return;
        await new Promise((resolve) => setTimeout(resolve, 0));
        this.checkStillWanted(request);
        sliceStart = performance.now();
      },
    };
  }

  private checkStillWanted(request: Request): void {
    if (request.cancelled) throw new NumbersUnavailable(label('detail.superseded'));
    if (performance.now() > request.deadline) throw new NumbersUnavailable(label('detail.tooSlow', { seconds: Math.round(request.limitMs / 1000) }));
  }
}

/** The weights a batch starts from: the initial ones, or those of the update just before it. */
function weightsFrom(epoch: number, batch: number, batchCount: number): Label {
  if (epoch === 1 && batch === 1) return label('detail.weightsFrom.initial');
  return batch > 1 ? label('detail.weightsFrom.update', { batch: batch - 1, epoch }) : label('detail.weightsFrom.update', { batch: batchCount, epoch: epoch - 1 });
}
