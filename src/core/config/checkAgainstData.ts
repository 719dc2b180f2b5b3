import type { Dataset } from '../data/dataset';
import { truncate, type DataLocator } from '../data/loadData';
import { batchesPerEpoch, pointsPerEpoch } from '../train/schedule';
import { LIMITS } from './defaults';
import type { LocatedJson } from './locatedJson';
import type { Problem } from './problems';
import type { TrainingConfig } from './types';

/**
 * The checks that need both the config and its data: layer shapes against the data's widths,
 * targets against the loss, and sizes. Returns the data to train on: for cross-entropy with one
 * target column and several output units, that column's class numbers become one-hot rows.
 */
export function checkAgainstData(config: TrainingConfig, data: Dataset, doc: LocatedJson, locate: DataLocator): { data?: Dataset; problems: Problem[] } {
  const problems: Problem[] = [];
  const { layers } = config.model;
  const lastIndex = layers.length - 1;
  const outputs = layers[lastIndex].units;
  let trained = data;

  const outputActivation = layers[lastIndex].activation;
  if (config.loss === 'cross-entropy' && outputs === 1) {
    problems.push(doc.problem(['model', 'layers', lastIndex, 'units'], 'cross-entropy needs 2 or more output units: the softmax of a single output is always 1, so nothing would be learnt; for two classes use 2 units, or "bce" with 1 sigmoid unit'));
  } else if (config.loss === 'cross-entropy' && data.targetWidth === 1) {
    const classes = oneHot(data, outputs, locate, problems);
    if (classes) trained = classes;
  } else if (data.targetWidth !== outputs) {
    problems.push(doc.problem(['model', 'layers', lastIndex, 'units'], `the last layer has ${outputs} units but each target row has ${data.targetWidth} value${data.targetWidth === 1 ? '' : 's'} (${data.targetNames.join(', ')}): they must match`));
  } else {
    checkTargetRange(config, data, locate, problems);
  }
  if (config.loss === 'bce' && outputActivation !== 'sigmoid') {
    problems.push(doc.problem(['model', 'layers', lastIndex, 'activation'], `binary cross-entropy reads the outputs as probabilities, but a "${outputActivation}" output can leave (0, 1) and end the run at once; use "sigmoid"`, 'warning'));
  }
  checkInitialShapes(config, data.features, doc, problems);

  let parameters = 0;
  let inputs = data.features;
  for (const layer of layers) {
    parameters += layer.units * (inputs + (config.model.bias ? 1 : 0));
    inputs = layer.units;
  }
  if (parameters > LIMITS.parameters) {
    problems.push(doc.problem(['model', 'layers'], `the network has ${parameters} parameters; at most ${LIMITS.parameters} are allowed`));
  }
  const schedule = { count: data.count, batchSize: config.batchSize, dropLast: config.dropLast };
  const runPoints = pointsPerEpoch(schedule) * config.epochs;
  if (runPoints > LIMITS.runPoints) {
    problems.push(doc.problem(['epochs'], `${config.epochs} epochs of ${pointsPerEpoch(schedule)} points visit ${runPoints} data points; a run may visit at most ${LIMITS.runPoints} (it keeps a few numbers for each); use fewer epochs or less data`));
  }
  if (batchesPerEpoch(schedule) === 0) {
    problems.push(doc.problem(['batchSize'], `with "dropLast": true, a batch size of ${config.batchSize} leaves no batch from ${data.count} data points; use a batch size ≤ ${data.count}`));
  } else if (config.batchSize > data.count) {
    problems.push(doc.problem(['batchSize'], `is larger than the ${data.count} data points: each epoch is one batch of all of them (full-batch gradient descent)`, 'warning'));
  }
  return problems.some((p) => p.severity === 'error') ? { problems } : { data: trained, problems };
}

function oneHot(data: Dataset, classes: number, locate: DataLocator, problems: Problem[]): Dataset | undefined {
  const targets = new Float64Array(data.count * classes);
  const bad: Problem[] = [];
  for (let r = 0; r < data.count; r++) {
    const label = data.targets[r];
    if (Number.isInteger(label) && label >= 0 && label < classes) targets[r * classes + label] = 1;
    else bad.push(locate(r, 0, 'targets', `with one target column and ${classes} output units, cross-entropy reads each target as a class number 0…${classes - 1}; found ${label}`));
  }
  problems.push(...truncate(bad));
  if (bad.length > 0) return undefined;
  const names = Array.from({ length: classes }, (_, k) => `${data.targetNames[0]}=${k}`);
  return { ...data, targetWidth: classes, targets, targetNames: names };
}

function checkTargetRange(config: TrainingConfig, data: Dataset, locate: DataLocator, problems: Problem[]): void {
  if (config.loss === 'mse') return;
  const bad: Problem[] = [];
  for (let r = 0; r < data.count; r++) {
    for (let c = 0; c < data.targetWidth; c++) {
      const y = data.targets[r * data.targetWidth + c];
      if (config.loss === 'bce' && !(y >= 0 && y <= 1)) bad.push(locate(r, c, 'targets', `binary cross-entropy needs targets from 0 to 1 (probabilities); found ${y}`));
      if (config.loss === 'cross-entropy' && y < 0) bad.push(locate(r, c, 'targets', `cross-entropy needs non-negative targets (one-hot rows or class weights); found ${y}`));
    }
  }
  problems.push(...truncate(bad));
}

function checkInitialShapes(config: TrainingConfig, features: number, doc: LocatedJson, problems: Problem[]): void {
  const { layers, initialWeights, initialBiases, bias } = config.model;
  const expected = (l: number) => ({ rows: layers[l].units, cols: l === 0 ? features : layers[l - 1].units });
  if (initialWeights) {
    if (initialWeights.length !== layers.length) {
      problems.push(doc.problem(['model', 'initialWeights'], `must have one matrix per layer: ${layers.length} layers, found ${initialWeights.length} matrices`));
    } else {
      initialWeights.forEach((matrix, l) => {
        const { rows, cols } = expected(l);
        const shapeOk = matrix.length === rows && matrix.every((row) => row.length === cols);
        if (!shapeOk) {
          const found = `${matrix.length} rows of ${[...new Set(matrix.map((row) => row.length))].join('/')} values`;
          problems.push(doc.problem(['model', 'initialWeights', l], `layer ${l + 1} needs ${rows} rows (its units) of ${cols} values (its inputs), [out][in]; found ${found}`));
        }
      });
    }
  }
  if (initialBiases && !bias) {
    problems.push(doc.problem(['model', 'initialBiases'], 'is ignored: "bias" is false, so the model has no biases', 'warning'));
  } else if (initialBiases) {
    if (initialBiases.length !== layers.length) {
      problems.push(doc.problem(['model', 'initialBiases'], `must have one row per layer: ${layers.length} layers, found ${initialBiases.length} rows`));
    } else {
      initialBiases.forEach((row, l) => {
        if (row.length !== layers[l].units) problems.push(doc.problem(['model', 'initialBiases', l], `layer ${l + 1} has ${layers[l].units} units, so it needs ${layers[l].units} biases; found ${row.length}`));
      });
    }
  }
}
