import type { TrainingConfig } from '../config/types';
import type { LayerValues } from '../model/parameters';
import type { Divergence } from '../train/trainer';

/**
 * The trace, contract v1: one JSON object per event, in the order training does things.
 * Epochs and batches count from 1; `index` is the 0-based data row ("Data point-1" is index 0).
 * Weights are number[layer][out][in]; biases number[layer][out] (empty rows when the model has
 * no biases). Keys may be added to events, never changed.
 */
export type TraceEvent =
  | RunEvent
  | InitEvent
  | EpochStartEvent
  | BatchStartEvent
  | ForwardEvent
  | BackwardEvent
  | UpdateEvent
  | EpochEndEvent
  | ZeroGradEvent
  | DoneEvent
  | DivergedEvent;

/** The normalised config, and the data it resolved to, so a trace can be checked on its own. */
export interface RunEvent {
  type: 'run';
  version: 1;
  /** The config; for inline data of more than 1,000,000 values, `data` is `{inputsOmitted, targetsOmitted, omittedReason}` instead. */
  config: TrainingConfig | (Omit<TrainingConfig, 'data'> & { data: DataOmitted });
  /** The rows, up to 1,000,000 values; a larger data set leaves `inputs` and `targets` out and says so (DataOmitted). */
  data: { count: number; features: number; targetWidth: number; featureNames: string[]; targetNames: string[] } & ({ inputs: number[][]; targets: number[][] } | DataOmitted);
  /** Units per layer, the input layer first (e.g. [8, 4, 1]). */
  layerSizes: number[];
  batchesPerEpoch: number;
}

/** Keys added to contract v1 for a data set too large to repeat in the trace. */
export interface DataOmitted {
  inputsOmitted: true;
  targetsOmitted: true;
  /** Why, in English. */
  omittedReason: string;
}

/** The weights as initialised: once, before the first epoch. */
export interface InitEvent {
  type: 'init';
  weights: number[][][];
  biases: number[][];
}

export interface EpochStartEvent {
  type: 'epochStart';
  epoch: number;
  /** Row indices in the order this epoch visits them. */
  order: number[];
}

export interface BatchStartEvent {
  type: 'batchStart';
  epoch: number;
  batch: number;
  indices: number[];
}

export interface ForwardEvent {
  type: 'forward';
  epoch: number;
  batch: number;
  index: number;
  output: number[];
  target: number[];
  loss: number;
  /** Softmax of the output; cross-entropy runs only. */
  probabilities?: number[];
}

/** The gradient of this one point's loss: it is added to the batch sum, not applied. */
export interface BackwardEvent {
  type: 'backward';
  epoch: number;
  batch: number;
  index: number;
  gradient: LayerValues;
}

/** The batch's single update. `gradient` is the batch gradient after reduction (sum or mean). */
export interface UpdateEvent {
  type: 'update';
  epoch: number;
  batch: number;
  /** How many points the batch had. */
  size: number;
  reduction: 'sum' | 'mean';
  gradient: LayerValues;
  /** After the update. */
  weights: number[][][];
  biases: number[][];
}

/**
 * A recorded loop cleared its gradients (`optimizer.zero_grad()` or `model.zero_grad()`).
 * Written by the PyTorch recorder only; epoch and batch are 0 before the first batch.
 */
export interface ZeroGradEvent {
  type: 'zeroGrad';
  epoch: number;
  batch: number;
}

export interface EpochEndEvent {
  type: 'epochEnd';
  epoch: number;
  /** The mean of this epoch's point losses, each taken at its forward pass. */
  loss: number;
}

export interface DoneEvent {
  type: 'done';
  epochs: number;
}

/** The first non-finite loss, gradient or weight: the run stops here and says where, in English. */
export type DivergedEvent = { type: 'diverged' } & Omit<Divergence, 'message'> & { message: string };
