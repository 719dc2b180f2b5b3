import type { OptimizerConfig } from '../config/types';
import type { LayerValues } from '../model/parameters';
import type { BackwardEvent, ForwardEvent, UpdateEvent } from '../trace/events';
import type { Label } from '../words/label';

/**
 * The full numbers behind one node of the tree, as the panel shows them: the trace's event for
 * that step, and what the card adds around it. Weights and gradients have the trace's shapes.
 */

/** The steps whose numbers replay can recompute (a subset of the tree's nodes). */
export type DetailRef =
  | { kind: 'init' }
  /** An epoch or a batch: the weights it starts from. */
  | { kind: 'epoch'; epoch: number }
  | { kind: 'batch'; epoch: number; batch: number }
  | { kind: 'point' | 'forward' | 'backward' | 'sum'; epoch: number; batch: number; position: number }
  | { kind: 'update'; epoch: number; batch: number };

const DETAIL_KINDS: readonly string[] = ['init', 'epoch', 'batch', 'point', 'forward', 'backward', 'sum', 'update'];

/** Whether a node of the tree has numbers of its own, which replay recomputes. */
export function isDetailRef<R extends { kind: string }>(ref: R): ref is R & DetailRef {
  return DETAIL_KINDS.includes(ref.kind);
}

export type ForwardDetail = Omit<ForwardEvent, 'type'> & {
  kind: 'forward';
  inputs: number[];
  inputNames: string[];
  targetNames: string[];
  /** Which weights this forward pass used: the batch's starting weights. */
  weightsFrom: Label;
  /** Those weights themselves, for drawing the network. */
  weightsUsed: LayerValues;
  /** Each layer's output for this point, the first hidden layer first (the last is `output`). */
  activations: number[][];
};

export type GradientDetail = Omit<BackwardEvent, 'type'> & {
  kind: 'backward' | 'sum';
  /** The norm of this point's own gradient. */
  norm: number;
  /** The batch's running sum after this point was added (k of m). */
  batchSum: LayerValues;
  pointsSummed: number;
  batchSize: number;
};

/** A batch's single update: the trace's event (its `weights` and `biases` are `after` here), and the weights before. */
export type UpdateDetail = Omit<UpdateEvent, 'type' | 'weights' | 'biases'> & {
  kind: 'update';
  optimizer: OptimizerConfig;
  norm: number;
  before: LayerValues;
  after: LayerValues;
};

export interface InitDetail {
  kind: 'init';
  /** An `init` scheme's name, or "given" for `initialWeights`. */
  init: string;
  weights: LayerValues;
}

/** The weights an epoch or a batch starts from: those of the update just before it (C8: nothing is reset). */
export interface StartDetail {
  kind: 'start';
  epoch: number;
  /** The batch, or 1 for an epoch. */
  batch: number;
  from: Label;
  weights: LayerValues;
}

export type NodeDetail = ForwardDetail | GradientDetail | UpdateDetail | InitDetail | StartDetail;
