/**
 * The training config, contract v1, after defaults are filled in ("normalised").
 * The keys are a contract other tools rely on: keys may be added, never changed.
 * Every default lives in `defaults.ts` and in `schemas/training-config.schema.json`.
 */

export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const LOSSES = ['mse', 'bce', 'cross-entropy'] as const;
export type LossName = (typeof LOSSES)[number];

export const REDUCTIONS = ['mean', 'sum'] as const;
export type Reduction = (typeof REDUCTIONS)[number];

export const INITS = ['xavier', 'he', 'uniform'] as const;
export type InitName = (typeof INITS)[number];

export const GENERATORS = ['xor', 'circle', 'linear', 'random'] as const;
export type GeneratorName = (typeof GENERATORS)[number];

export const OPTIMIZERS = ['sgd', 'adam'] as const;

export interface LayerConfig {
  units: number;
  activation: Activation;
}

export interface ModelConfig {
  layers: LayerConfig[];
  bias: boolean;
  init: InitName;
  /** number[layer][out][in]; when given, `init` is not used for weights. */
  initialWeights?: number[][][];
  /** number[layer][out]; when given (and `bias` is on), biases start here instead of at 0. */
  initialBiases?: number[][];
}

export interface SgdConfig {
  type: 'sgd';
  learningRate: number;
  momentum: number;
}

export interface AdamConfig {
  type: 'adam';
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export type OptimizerConfig = SgdConfig | AdamConfig;

/** Where the data came from, as written in the config (paths stay as written). */
export type DataSpec =
  | { inputs: number[][]; targets: number[][] }
  | { file: string; targetColumns?: string[] }
  | { generate: GeneratorName; count: number; features: number; noise: number };

export interface TrainingConfig {
  data: DataSpec;
  model: ModelConfig;
  loss: LossName;
  reduction: Reduction;
  optimizer: OptimizerConfig;
  batchSize: number;
  epochs: number;
  shuffle: boolean;
  dropLast: boolean;
  seed: number;
}
