import type { TrainingConfig } from '../../src/core/config/types';
import { numberedNames, type Dataset } from '../../src/core/data/dataset';
import { Rng, RngStream } from '../../src/core/rng';

/** One of the networks the benchmark trains, with its data: tanh hidden layer, sigmoid outputs, mse, SGD. */
export interface BenchSize {
  name: string;
  config: TrainingConfig;
  data: Dataset;
}

export function benchSize(name: string, rows: number, features: number, hidden: number, outputs: number, batchSize: number): BenchSize {
  const rng = new Rng(1, RngStream.data);
  const data: Dataset = {
    count: rows,
    features,
    targetWidth: outputs,
    inputs: Float64Array.from({ length: rows * features }, () => rng.uniform(-1, 1)),
    targets: Float64Array.from({ length: rows * outputs }, () => rng.nextFloat()),
    featureNames: numberedNames('x', features),
    targetNames: numberedNames('y', outputs),
  };
  const config: TrainingConfig = {
    data: { generate: 'random', count: rows, features, noise: 0 },
    model: { layers: [{ units: hidden, activation: 'tanh' }, { units: outputs, activation: 'sigmoid' }], bias: true, init: 'xavier' },
    loss: 'mse',
    reduction: 'mean',
    optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0 },
    batchSize,
    epochs: 1,
    shuffle: true,
    dropLast: false,
    seed: 1,
  };
  return { name, config, data };
}

/** The learner's network (8 features, 16 tanh units, 1 sigmoid output) in batches of 2, on `rows` rows. */
export const learnerNetwork = (rows: number): BenchSize => benchSize('question', rows, 8, 16, 1, 2);
export const mediumNetwork = (rows: number): BenchSize => benchSize('medium', rows, 64, 64, 10, 32);
export const largeNetwork = (rows: number): BenchSize => benchSize('large', rows, 784, 128, 10, 32);
