import { Checker, type ValueKind } from '../validation/checker';
import type { LocatedJson } from '../validation/locatedJson';
import type { Problem, Segment } from '../validation/problems';
import { label, list } from '../words/label';
import { DEFAULTS, LIMITS } from './defaults';
import {
  ACTIVATIONS,
  GENERATORS,
  INITS,
  LOSSES,
  OPTIMIZERS,
  REDUCTIONS,
  type DataSpec,
  type LayerConfig,
  type ModelConfig,
  type OptimizerConfig,
  type TrainingConfig,
} from './types';

const TOP_KEYS = ['data', 'model', 'loss', 'reduction', 'optimizer', 'batchSize', 'epochs', 'shuffle', 'dropLast', 'seed'];

/**
 * Checks a parsed config and fills in its defaults. Shapes that depend on the data (input
 * width, target width) are checked later, once the data is loaded (`checkAgainstData`).
 */
export function parseConfig(doc: LocatedJson): { config?: TrainingConfig; problems: Problem[] } {
  const check = new Checker(doc);
  const root = check.object(doc.value, [], label('value.configObject'));
  if (!root) return { problems: check.problems };
  check.knownKeys(root, [], TOP_KEYS);

  const data = 'data' in root ? readData(check, root.data) : check.error([], label('problem.missingData', { inputs: '{"inputs", "targets"}', file: '{"file"}', generate: '{"generate"}' }));
  const model = 'model' in root ? readModel(check, root.model) : check.error([], label('problem.missingModel', { example: '{"layers": [{"units": 1}]}' }));
  const loss = check.optionalOneOf(root, 'loss', [], LOSSES, DEFAULTS.loss);
  const reduction = check.optionalOneOf(root, 'reduction', [], REDUCTIONS, DEFAULTS.reduction);
  const optimizer = 'optimizer' in root ? readOptimizer(check, root.optimizer) : { type: 'sgd' as const, ...DEFAULTS.sgd };
  const batchSize = check.optionalNumber(root, 'batchSize', [], DEFAULTS.batchSize, { integer: true, min: 1, max: LIMITS.count });
  const epochs = check.optionalNumber(root, 'epochs', [], DEFAULTS.epochs, { integer: true, min: 1, max: LIMITS.epochs });
  const shuffle = check.boolean(root, 'shuffle', [], DEFAULTS.shuffle);
  const dropLast = check.boolean(root, 'dropLast', [], DEFAULTS.dropLast);
  const seed = check.optionalNumber(root, 'seed', [], DEFAULTS.seed, { integer: true });

  if (
    check.hasErrors || !data || !model || !loss || !reduction || !optimizer ||
    batchSize === undefined || epochs === undefined || shuffle === undefined || dropLast === undefined || seed === undefined
  ) {
    return { problems: check.problems };
  }
  const config: TrainingConfig = { data, model, loss, reduction, optimizer, batchSize, epochs, shuffle, dropLast, seed };
  return { config, problems: check.problems };
}

function readData(check: Checker, value: unknown): DataSpec | undefined {
  const path: Segment[] = ['data'];
  const data = check.object(value, path);
  if (!data) return undefined;
  const forms = ['inputs', 'file', 'generate'].filter((key) => key in data);
  if (forms.length !== 1) {
    const found = forms.length === 0 ? label('value.noneOfThem') : list(forms.map((f) => `"${f}"`), 'and');
    return check.error(path, label('problem.dataForms', { found }));
  }
  if ('inputs' in data) {
    check.knownKeys(data, path, ['inputs', 'targets']);
    const inputs = check.matrix(data.inputs, [...path, 'inputs'], 'input');
    if (!('targets' in data)) return check.error(path, label('problem.missingTargets'));
    const targets = check.matrix(data.targets, [...path, 'targets'], 'target');
    if (!inputs || !targets) return undefined;
    if (inputs.length !== targets.length) {
      return check.error([...path, 'targets'], label('problem.rowCounts', { inputs: inputs.length, targets: targets.length }));
    }
    return { inputs, targets };
  }
  if ('file' in data) {
    check.knownKeys(data, path, ['file', 'targetColumns']);
    if (typeof data.file !== 'string' || data.file.trim() === '') {
      return check.error([...path, 'file'], label('problem.dataFile'));
    }
    if (!('targetColumns' in data)) return { file: data.file };
    const columns = check.array(data.targetColumns, [...path, 'targetColumns'], 1);
    if (!columns) return undefined;
    const seen = new Map<string, number>();
    const names = columns.map((c, i) => {
      if (typeof c !== 'string' || c === '') return check.error([...path, 'targetColumns', i], label('problem.columnName'));
      const first = seen.get(c);
      if (first !== undefined) return check.error([...path, 'targetColumns', i], label('problem.targetColumnTwice', { name: c, first }));
      seen.set(c, i);
      return c;
    });
    return names.every((n): n is string => n !== undefined) ? { file: data.file, targetColumns: names } : undefined;
  }
  check.knownKeys(data, path, ['generate', 'count', 'features', 'noise']);
  const generate = check.oneOf(data.generate, [...path, 'generate'], GENERATORS);
  const count = check.optionalNumber(data, 'count', path, DEFAULTS.generate.count, { integer: true, min: 1, max: LIMITS.count });
  const minFeatures = generate === 'xor' || generate === 'circle' ? 2 : 1;
  const features = check.optionalNumber(data, 'features', path, DEFAULTS.generate.features, { integer: true, min: minFeatures, max: LIMITS.units });
  const noise = check.optionalNumber(data, 'noise', path, DEFAULTS.generate.noise, { min: 0 });
  if (!generate || count === undefined || features === undefined || noise === undefined) return undefined;
  if (count * features > LIMITS.dataValues) return check.error(path, label('problem.tooMuchGenerated', { values: count * features, max: LIMITS.dataValues }));
  return { generate, count, features, noise };
}

function readModel(check: Checker, value: unknown): ModelConfig | undefined {
  const path: Segment[] = ['model'];
  const model = check.object(value, path);
  if (!model) return undefined;
  check.knownKeys(model, path, ['layers', 'bias', 'init', 'initialWeights', 'initialBiases']);
  if (!('layers' in model)) return check.error(path, label('problem.missingLayers', { example: '[{"units": 4, "activation": "tanh"}, {"units": 1}]' }));
  const layerValues = check.array(model.layers, [...path, 'layers'], 1);
  const tooMany = layerValues !== undefined && layerValues.length > LIMITS.layers;
  if (tooMany) check.error([...path, 'layers'], label('problem.tooManyLayers', { max: LIMITS.layers, found: layerValues.length }));
  // Past the limit, each layer's own mistakes would only bury the one that matters.
  const layers = tooMany ? undefined : layerValues?.map((layer, i) => readLayer(check, layer, [...path, 'layers', i]));
  const bias = check.boolean(model, 'bias', path, DEFAULTS.bias);
  const init = check.optionalOneOf(model, 'init', path, INITS, DEFAULTS.init);
  // Their shapes depend on the data's width, so only their element types are checked here.
  const initialWeights = 'initialWeights' in model ? readNested(check, model.initialWeights, [...path, 'initialWeights'], 3) : undefined;
  const initialBiases = 'initialBiases' in model ? readNested(check, model.initialBiases, [...path, 'initialBiases'], 2) : undefined;
  if (!layers || !layers.every((l): l is LayerConfig => l !== undefined) || bias === undefined || !init) return undefined;
  if (('initialWeights' in model && !initialWeights) || ('initialBiases' in model && !initialBiases)) return undefined;
  const result: ModelConfig = { layers, bias, init };
  if (initialWeights) result.initialWeights = initialWeights as number[][][];
  if (initialBiases) result.initialBiases = initialBiases as number[][];
  return result;
}

function readLayer(check: Checker, value: unknown, path: Segment[]): LayerConfig | undefined {
  const layer = check.object(value, path, label('value.objectLike', { example: '{"units": 4, "activation": "tanh"}' }));
  if (!layer) return undefined;
  check.knownKeys(layer, path, ['units', 'activation']);
  if (!('units' in layer)) return check.error(path, label('problem.missingUnits'));
  const units = check.number(layer.units, [...path, 'units'], { integer: true, min: 1, max: LIMITS.units });
  const activation = check.optionalOneOf(layer, 'activation', path, ACTIVATIONS, DEFAULTS.activation);
  return units === undefined || !activation ? undefined : { units, activation };
}

/** Nested arrays of finite numbers, `depth` levels deep (shape checked later against the data). */
function readNested(check: Checker, value: unknown, path: Segment[], depth: number): unknown[] | undefined {
  if (depth === 1) return check.vector(value, path, (path[1] === 'initialWeights' ? 'weight' : 'bias') satisfies ValueKind);
  const items = check.array(value, path);
  if (!items) return undefined;
  const read = items.map((item, i) => readNested(check, item, [...path, i], depth - 1));
  return read.every((r) => r !== undefined) ? read : undefined;
}

function readOptimizer(check: Checker, value: unknown): OptimizerConfig | undefined {
  const path: Segment[] = ['optimizer'];
  const optimizer = check.object(value, path, label('value.objectLike', { example: '{"type": "sgd", "learningRate": 0.1}' }));
  if (!optimizer) return undefined;
  const type = 'type' in optimizer ? check.oneOf(optimizer.type, [...path, 'type'], OPTIMIZERS) : 'sgd';
  if (type === 'sgd') {
    check.knownKeys(optimizer, path, ['type', 'learningRate', 'momentum']);
    const learningRate = check.optionalNumber(optimizer, 'learningRate', path, DEFAULTS.sgd.learningRate, { min: 0, minExclusive: true });
    const momentum = check.optionalNumber(optimizer, 'momentum', path, DEFAULTS.sgd.momentum, { min: 0, max: 1, maxExclusive: true });
    return learningRate === undefined || momentum === undefined ? undefined : { type, learningRate, momentum };
  }
  if (type === 'adam') {
    check.knownKeys(optimizer, path, ['type', 'learningRate', 'beta1', 'beta2', 'epsilon']);
    const learningRate = check.optionalNumber(optimizer, 'learningRate', path, DEFAULTS.adam.learningRate, { min: 0, minExclusive: true });
    const beta1 = check.optionalNumber(optimizer, 'beta1', path, DEFAULTS.adam.beta1, { min: 0, max: 1, maxExclusive: true });
    const beta2 = check.optionalNumber(optimizer, 'beta2', path, DEFAULTS.adam.beta2, { min: 0, max: 1, maxExclusive: true });
    const epsilon = check.optionalNumber(optimizer, 'epsilon', path, DEFAULTS.adam.epsilon, { min: 0, minExclusive: true });
    if (learningRate === undefined || beta1 === undefined || beta2 === undefined || epsilon === undefined) return undefined;
    return { type, learningRate, beta1, beta2, epsilon };
  }
  return undefined;
}
