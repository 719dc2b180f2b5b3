import { DEFAULTS, LIMITS } from '../config/defaults';
import { ACTIVATIONS, LOSSES, OPTIMIZERS, REDUCTIONS, type Activation, type OptimizerConfig } from '../config/types';
import { numberedNames } from '../data/dataset';
import type { RunShape } from '../run/summary';
import type { Fault } from '../trace/checkEvent';
import type { RunEvent } from '../trace/events';
import { batchSchedule } from '../train/schedule';
import { describe, describeRule } from '../validation/checker';
import type { Segment } from '../validation/problems';
import { counted, label, list, type Arg, type Label } from '../words/label';

/**
 * What a trace's `run` event says about the run, checked: the shape its tree is drawn from and
 * the data rows its forward passes read. A producer other than our CLI may leave config keys
 * out: a missing key means the config contract's default, except `epochs`, which a recorder
 * of a running loop may not know in advance (the epochs are then counted as they come).
 */
export interface TracedRun {
  shape: RunShape;
  /** False when the run event does not say how many epochs: `shape.epochs` counts those begun. */
  epochsKnown: boolean;
  /** Data points in the data set. */
  count: number;
  features: number;
  targetWidth: number;
  featureNames: string[];
  targetNames: string[];
  /** count × features, row-major; absent when the producer left the rows out (its forward events may carry `input`). */
  inputs: Float64Array | undefined;
  /** Each layer's activation function, when the config names them all: a forward pass can then be drawn unit by unit. */
  activations: Activation[] | undefined;
  /** A recorded loop that reduced its losses itself: the first update says whether it took their mean or their sum. */
  reductionFromUpdates: boolean;
}

/** Reads a run event; the first fault found, when there is one. */
export function tracedRun(event: RunEvent): TracedRun | Fault {
  try {
    return readRun(event);
  } catch (error) {
    if (error instanceof FaultFound) return error.fault;
    throw error;
  }
}

/** Thrown inside this module only, to stop at the first fault without checks after every read. */
class FaultFound extends Error {
  constructor(readonly fault: Fault) {
    super('a fault in the run event');
  }
}

const fail = (path: Segment[], message: Label): never => {
  throw new FaultFound({ path, message });
};

const mustBe = (path: Segment[], what: Label, value: unknown): never => fail(path, label('problem.mustBe', { what, found: describe(value) }));

function readRun(event: RunEvent): TracedRun {
  const layerSizes = event.layerSizes;
  if (layerSizes.length < 2) fail(['layerSizes'], label('trace.layerSizes', { found: layerSizes.length }));
  layerSizes.forEach((units, i) => units > LIMITS.units && mustBe(['layerSizes', i], describeRule({ integer: true, max: LIMITS.units }), units));
  const parameters = layerSizes.slice(1).reduce((sum, units, l) => sum + units * (layerSizes[l] + 1), 0);
  if (parameters > LIMITS.parameters) fail(['layerSizes'], label('problem.tooManyParameters', { n: parameters, max: LIMITS.parameters }));

  const data = event.data as unknown as Record<string, unknown>;
  const count = integer(data.count, ['data', 'count'], 1, LIMITS.count);
  const features = integer(data.features, ['data', 'features'], 1, LIMITS.units);
  if (features !== layerSizes[0]) fail(['data', 'features'], label('trace.features', { features, inputs: layerSizes[0] }));
  const targetWidth = integer(data.targetWidth, ['data', 'targetWidth'], 1, LIMITS.units);
  const inputs = 'inputs' in data ? rows(data.inputs, ['data', 'inputs'], count, features) : undefined;

  const config = event.config as unknown as Record<string, unknown>;
  const model = optionalObject(config, 'model', ['config']);
  const hasBias = optionalBoolean(model, 'bias', ['config', 'model'], DEFAULTS.bias);
  if ('layers' in model) {
    const layers = model.layers;
    if (!Array.isArray(layers) || layers.length !== layerSizes.length - 1) fail(['config', 'model', 'layers'], label('trace.layerCount', { layers: layerSizes.length - 1, found: sizeOf(layers) }));
    (layers as unknown[]).forEach((layer, l) => {
      const units = (layer as Record<string, unknown> | null)?.units;
      if (units !== layerSizes[l + 1]) fail(['config', 'model', 'layers', l, 'units'], label('trace.units', { units: layerSizes[l + 1], found: describe(units) }));
    });
  }
  const init = 'initialWeights' in model ? 'given' : initName(model, event);
  const batchSize = 'batchSize' in config ? integer(config.batchSize, ['config', 'batchSize'], 1, Number.MAX_SAFE_INTEGER) : DEFAULTS.batchSize;
  const dropLast = optionalBoolean(config, 'dropLast', ['config'], DEFAULTS.dropLast);
  const schedule = batchSchedule(count, { batchSize, dropLast });
  if (schedule.batchCount === 0) fail(['config', 'batchSize'], label('problem.noBatchLeft', { batchSize, count }));
  if (event.batchesPerEpoch !== undefined && event.batchesPerEpoch !== schedule.batchCount) {
    fail(['batchesPerEpoch'], label('trace.batchesPerEpoch', { found: event.batchesPerEpoch, count, batchSize, batches: counted(schedule.batchCount, 'batch') }));
  }
  const epochsKnown = 'epochs' in config;
  const epochs = epochsKnown ? integer(config.epochs, ['config', 'epochs'], 1, LIMITS.epochs) : 0;
  if (epochs * schedule.pointsPerEpoch > LIMITS.runPoints) {
    fail(['config', 'epochs'], label('problem.tooManyPoints', { epochs, points: schedule.pointsPerEpoch, total: epochs * schedule.pointsPerEpoch, max: LIMITS.runPoints }));
  }

  const featureNames = names(data.featureNames, ['data', 'featureNames'], features) ?? numberedNames('x', features);
  const loop = recordsLoop(event);
  return {
    shape: {
      schedule,
      layerSizes,
      featureNames,
      epochs,
      shuffle: optionalBoolean(config, 'shuffle', ['config'], DEFAULTS.shuffle),
      reduction: optionalChoice(config, 'reduction', ['config'], REDUCTIONS, DEFAULTS.reduction),
      // A loop may use a loss the config contract has no name for (PyTorch's L1Loss, HuberLoss …): it is only shown.
      loss: loop && typeof config.loss === 'string' && config.loss.length > 0 && config.loss.length <= 40 ? config.loss : optionalChoice(config, 'loss', ['config'], LOSSES, DEFAULTS.loss),
      optimizer: optimizer(config),
      init,
      hasBias,
      // A producer that names itself records a loop (the PyTorch recorder): its batches may step otherwise than once.
      ...(loop ? { recordedLoop: true } : {}),
    },
    epochsKnown,
    count,
    features,
    targetWidth,
    featureNames,
    targetNames: names(data.targetNames, ['data', 'targetNames'], targetWidth) ?? numberedNames('y', targetWidth),
    inputs,
    activations: activationsOf(model.layers),
    reductionFromUpdates: loop && !('reduction' in config),
  };
}

/**
 * How the weights were initialised, as the tree names it: the config's scheme; a producer that
 * leaves it out initialised them its own way, and is named instead (the PyTorch recorder's
 * `source: "pytorch"`); the contract's default only when the trace says neither.
 */
function initName(model: Record<string, unknown>, event: RunEvent): string {
  const source = (event as { source?: unknown }).source;
  if (!('init' in model)) return typeof source === 'string' && source.length > 0 && source.length <= 40 ? source : DEFAULTS.init;
  if (typeof model.init === 'string' && model.init.length > 0 && model.init.length <= 40) return model.init;
  return mustBe(['config', 'model', 'init'], label('trace.value.name'), model.init);
}

function recordsLoop(event: RunEvent): boolean {
  const source = (event as { source?: unknown }).source;
  return typeof source === 'string' && source.length > 0;
}

/** The layers' activations, when every layer names one the config contract knows (another producer may name others). */
function activationsOf(layers: unknown): Activation[] | undefined {
  if (!Array.isArray(layers)) return undefined;
  const named = layers.map((layer) => (layer as Record<string, unknown> | null)?.activation ?? 'linear');
  return named.every((a) => (ACTIVATIONS as readonly unknown[]).includes(a)) ? (named as Activation[]) : undefined;
}

/** The optimizer as a config normalises it: only the contract's keys (a producer may add its own). */
function optimizer(config: Record<string, unknown>): OptimizerConfig {
  const path: Segment[] = ['config', 'optimizer'];
  const given = optionalObject(config, 'optimizer', ['config']);
  const type = optionalChoice(given, 'type', path, OPTIMIZERS, 'sgd');
  const rate = (key: string, fallback: number) => (key in given ? real(given[key], [...path, key]) : fallback);
  if (type === 'adam') {
    const { adam } = DEFAULTS;
    return { type, learningRate: rate('learningRate', adam.learningRate), beta1: rate('beta1', adam.beta1), beta2: rate('beta2', adam.beta2), epsilon: rate('epsilon', adam.epsilon) };
  }
  return { type, learningRate: rate('learningRate', DEFAULTS.sgd.learningRate), momentum: rate('momentum', DEFAULTS.sgd.momentum) };
}

function integer(value: unknown, path: Segment[], min: number, max: number): number {
  if (Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max) return value as number;
  return mustBe(path, describeRule({ integer: true, min, max }), value);
}

function real(value: unknown, path: Segment[]): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : mustBe(path, label('value.number'), value);
}

function optionalObject(object: Record<string, unknown>, key: string, path: Segment[]): Record<string, unknown> {
  if (!(key in object)) return {};
  const value = object[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : mustBe([...path, key], label('value.anObject'), value);
}

function optionalBoolean(object: Record<string, unknown>, key: string, path: Segment[], fallback: boolean): boolean {
  if (!(key in object)) return fallback;
  const value = object[key];
  return typeof value === 'boolean' ? value : mustBe([...path, key], label('value.boolean'), value);
}

/** A value the config contract names (a loss, a reduction …): what the tree's words and corrections are chosen by. */
function optionalChoice<T extends string>(object: Record<string, unknown>, key: string, path: Segment[], choices: readonly T[], fallback: T): T {
  if (!(key in object)) return fallback;
  const value = object[key];
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  return fail([...path, key], label('problem.oneOf', { choices: list(choices.map((c) => `"${c}"`)), found: describe(value) }));
}

/** number[count][width], every value finite, as one flat array. */
function rows(value: unknown, path: Segment[], count: number, width: number): Float64Array {
  if (!Array.isArray(value) || value.length !== count) return fail(path, label('trace.rowCount', { count, found: sizeOf(value) }));
  const flat = new Float64Array(count * width);
  value.forEach((row: unknown, r) => {
    if (!Array.isArray(row) || row.length !== width) fail([...path, r], label('trace.rowWidth', { width, found: sizeOf(row) }));
    (row as unknown[]).forEach((x, c) => {
      flat[r * width + c] = real(x, [...path, r, c]);
    });
  });
  return flat;
}

function names(value: unknown, path: Segment[], width: number): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.length === width && value.every((name) => typeof name === 'string')) return value as string[];
  return fail(path, label('trace.names', { n: width, found: describe(value) }));
}

/** How many items an array has, or what the value is when it is no array. */
export function sizeOf(value: unknown): Arg {
  return Array.isArray(value) ? value.length : describe(value);
}

/**
 * Checks weights and biases (or their gradients) against the run's layers: a matrix of
 * [units][inputs] per layer, and a row of biases per layer (empty when the model has none).
 * The entries were checked to be finite numbers when the line was read.
 */
export function layerValuesFault(run: TracedRun, weights: number[][][], biases: number[][], path: Segment[]): Fault | undefined {
  const { layerSizes, hasBias } = run.shape;
  const layers = layerSizes.length - 1;
  if (weights.length !== layers) return { path: [...path, 'weights'], message: label('problem.matrixCount', { layers, found: weights.length }) };
  for (let l = 0; l < layers; l++) {
    const matrix = weights[l];
    const wrong = matrix.findIndex((row) => row.length !== layerSizes[l]);
    if (matrix.length !== layerSizes[l + 1] || wrong >= 0) {
      const foundCols = matrix[Math.max(wrong, 0)]?.length ?? 0;
      return { path: [...path, 'weights', l], message: label('problem.matrixShape', { layer: l + 1, rows: layerSizes[l + 1], cols: layerSizes[l], foundRows: matrix.length, foundCols }) };
    }
  }
  if (biases.length !== layers) return { path: [...path, 'biases'], message: label('problem.biasRowCount', { layers, found: biases.length }) };
  for (let l = 0; l < layers; l++) {
    const units = hasBias ? layerSizes[l + 1] : 0;
    if (biases[l].length === units) continue;
    const message = hasBias ? label('problem.biasCount', { layer: l + 1, units, found: biases[l].length }) : label('trace.noBiases', { layer: l + 1, found: biases[l].length });
    return { path: [...path, 'biases', l], message };
  }
  return undefined;
}
