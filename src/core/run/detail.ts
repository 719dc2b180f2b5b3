import type { Gradient } from '../trace/events';

/**
 * The full numbers behind one node of the tree, as the panel's hover card shows them.
 * Weights and gradients have the trace's shapes: weights[layer][out][in], biases[layer][out].
 */
export type LayerValues = Gradient;

export interface ForwardDetail {
  kind: 'forward';
  epoch: number;
  batch: number;
  index: number;
  inputs: number[];
  inputNames: string[];
  output: number[];
  target: number[];
  targetNames: string[];
  loss: number;
  /** Softmax of the output (cross-entropy only). */
  probabilities?: number[];
  /** Which weights this forward pass used, in words: the batch's starting weights. */
  weightsFrom: string;
}

export interface GradientDetail {
  kind: 'backward' | 'sum';
  epoch: number;
  batch: number;
  index: number;
  /** This point's own gradient. */
  gradient: LayerValues;
  norm: number;
  /** The batch's running sum after this point was added (k of m). */
  batchSum: LayerValues;
  pointsSummed: number;
  batchSize: number;
}

export interface UpdateDetail {
  kind: 'update';
  epoch: number;
  batch: number;
  size: number;
  reduction: 'sum' | 'mean';
  optimizer: string;
  learningRate: number;
  /** The batch gradient after reduction: the one the optimizer used. */
  gradient: LayerValues;
  norm: number;
  before: LayerValues;
  after: LayerValues;
}

export interface InitDetail {
  kind: 'init';
  init: string;
  weights: LayerValues;
}

export type NodeDetail = ForwardDetail | GradientDetail | UpdateDetail | InitDetail;
