import { createRequire } from 'node:module';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { TrainingConfig } from '../../src/core/config/types';
import { recordRun } from '../../src/core/run/recordRun';
import { Trainer } from '../../src/core/train/trainer';
import { plainTrain } from './plainLoop';
import type { BenchSize } from './sizes';

export interface TrainerFigures {
  tracedPointsPerSec: number;
  plainPointsPerSec: number;
  tfjsPointsPerSec: number;
  tracedVsPlain: number;
  tracedVsTfjs: number;
  /** The plain loop ended on bit-identical weights: it really is the same maths. */
  sameWeights: boolean;
}

const withEpochs = (config: TrainingConfig, epochs: number): TrainingConfig => ({ ...config, epochs });

/**
 * The part of TensorFlow.js the benchmark uses, as its own types declare it. TensorFlow.js is
 * not in the extension's node_modules: it is the npm package of test/bench/tfjs, which
 * scripts/bench.js installs there on first use, so this compiles without it.
 */
interface Tfjs {
  setBackend(name: 'cpu'): Promise<boolean>;
  ready(): Promise<void>;
  sequential(config: { layers: TfjsLayer[] }): TfjsModel;
  layers: { dense(config: { inputShape?: number[]; units: number; activation: 'tanh' | 'sigmoid' }): TfjsLayer };
  train: { sgd(learningRate: number): TfjsOptimizer };
  tensor2d(values: Float32Array, shape: [number, number]): TfjsTensor;
}
interface TfjsLayer {
  readonly name: string;
}
interface TfjsOptimizer {
  getClassName(): string;
}
interface TfjsTensor {
  dispose(): void;
}
interface TfjsModel {
  compile(config: { optimizer: TfjsOptimizer; loss: 'meanSquaredError' }): void;
  fit(x: TfjsTensor, y: TfjsTensor, options: { batchSize: number; epochs: number; shuffle: boolean; verbose: 0 }): Promise<unknown>;
  dispose(): unknown;
}

const TFJS_PACKAGE = path.resolve(__dirname, '..', '..', '..', 'test', 'bench', 'tfjs', 'package.json');
let loaded: Tfjs | undefined;

/** TensorFlow.js from test/bench/tfjs/node_modules, loaded on first use. */
function tfjsLibrary(): Tfjs {
  try {
    loaded ??= createRequire(TFJS_PACKAGE)('@tensorflow/tfjs') as Tfjs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(`TensorFlow.js is not installed in ${path.dirname(TFJS_PACKAGE)}: \`npm run bench\` installs it there`);
  }
  return loaded;
}

// Each measurement starts on a collected heap, so that one side's garbage is not another's pause.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Our trainer with summary tracing and checkpoints, as the extension runs it. */
function traced(size: BenchSize, epochs: number): number {
  collectGarbage();
  const started = performance.now();
  recordRun(withEpochs(size.config, epochs), size.data);
  return performance.now() - started;
}

/** The plain loop, from the same initial weights, shuffling into the same visiting orders. */
function plain(size: BenchSize, epochs: number): { ms: number; weights: Float64Array[] } {
  const config = withEpochs(size.config, epochs);
  const trainer = new Trainer(config, size.data);
  const start = trainer.checkpoint();
  collectGarbage();
  const started = performance.now();
  const result = plainTrain(config, size.data, start, () => trainer.nextEpochOrder());
  return { ms: performance.now() - started, weights: result.weights };
}

/** The same network in TensorFlow.js on its pure-JavaScript CPU backend, trained with model.fit. */
async function tfjs(size: BenchSize, epochs: number): Promise<number> {
  const tf = tfjsLibrary();
  const { features, targetWidth, count } = size.data;
  const [hidden, output] = size.config.model.layers;
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [features], units: hidden.units, activation: 'tanh' }),
      tf.layers.dense({ units: output.units, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(size.config.optimizer.learningRate), loss: 'meanSquaredError' });
  const x = tf.tensor2d(Float32Array.from(size.data.inputs), [count, features]);
  const y = tf.tensor2d(Float32Array.from(size.data.targets), [count, targetWidth]);
  collectGarbage();
  const started = performance.now();
  await model.fit(x, y, { batchSize: size.config.batchSize, epochs, shuffle: true, verbose: 0 });
  const ms = performance.now() - started;
  x.dispose();
  y.dispose();
  model.dispose();
  return ms;
}

/** How long each side trains: epochs of our trainer (and of the plain loop), and of TensorFlow.js. */
export interface BenchPlan {
  epochs: number;
  tfjsEpochs: number;
  /** Unmeasured runs of each first: short runs need a few before the JIT has settled. */
  warmups: number;
  rounds: number;
}

/**
 * Points per second of the three, measured side by side in this process: after warm-up runs
 * (so the JIT has compiled all three), each round runs all three in turn, and each figure is
 * the best of the rounds (the least disturbed by the machine).
 */
export async function benchTrainer(size: BenchSize, plan: BenchPlan): Promise<TrainerFigures> {
  const tf = tfjsLibrary();
  await tf.setBackend('cpu');
  await tf.ready();
  const points = (epochs: number) => epochs * size.data.count;
  const reference = recordRun(withEpochs(size.config, plan.epochs), size.data).trainer.network.weights;
  for (let warmup = 0; warmup < plan.warmups; warmup++) {
    traced(size, plan.epochs);
    plain(size, plan.epochs);
    await tfjs(size, plan.tfjsEpochs);
  }
  let best = { traced: 0, plain: 0, tfjs: 0 };
  let sameWeights = true;
  for (let round = 0; round < plan.rounds; round++) {
    const t = traced(size, plan.epochs);
    const p = plain(size, plan.epochs);
    const f = await tfjs(size, plan.tfjsEpochs);
    sameWeights &&= p.weights.every((w, l) => w.every((v, i) => Object.is(v, reference[l][i])));
    best = {
      traced: Math.max(best.traced, points(plan.epochs) / (t / 1000)),
      plain: Math.max(best.plain, points(plan.epochs) / (p.ms / 1000)),
      tfjs: Math.max(best.tfjs, points(plan.tfjsEpochs) / (f / 1000)),
    };
  }
  return {
    tracedPointsPerSec: Math.round(best.traced),
    plainPointsPerSec: Math.round(best.plain),
    tfjsPointsPerSec: Math.round(best.tfjs),
    tracedVsPlain: round2(best.traced / best.plain),
    tracedVsTfjs: round2(best.traced / best.tfjs),
    sameWeights,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
