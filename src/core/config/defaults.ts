/** Every default of the config in one place; the JSON Schema repeats them and a test holds the two equal. */
export const DEFAULTS = {
  activation: 'linear',
  bias: true,
  init: 'xavier',
  loss: 'mse',
  reduction: 'mean',
  batchSize: 32,
  epochs: 1,
  shuffle: true,
  dropLast: false,
  seed: 0,
  sgd: { learningRate: 0.1, momentum: 0 },
  adam: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  generate: { count: 20, features: 2, noise: 0 },
} as const;

/** Upper bounds that keep a run inside a laptop's memory and a learner's patience. */
export const LIMITS = {
  units: 100_000,
  layers: 100,
  /** A checkpoint of 2 million parameters is 16 MB: a run keeps at least a few within its budget. */
  parameters: 2_000_000,
  dataValues: 100_000_000,
  count: 10_000_000,
  epochs: 1_000_000,
  /** Data points a whole run visits: its summary keeps about 20 bytes for each. */
  runPoints: 20_000_000,
} as const;

/** The largest data (or config) file read, in MB, unless a setting or `--max-data-mb` raises it. */
export const DEFAULT_MAX_FILE_MB = 256;
