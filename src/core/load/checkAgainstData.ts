import type { TrainingConfig } from '../config/types';
import type { Dataset } from '../data/dataset';
import type { DataLocator } from '../data/loadData';
import { batchSchedule } from '../train/schedule';
import type { LocatedJson } from '../validation/locatedJson';
import { CappedProblems, type Problem } from '../validation/problems';
import { counted, label, list } from '../words/label';

/** How large a run may be: the defaults are LIMITS', a setting may move them. */
export interface RunLimits {
  /** Data points a whole run visits. */
  runPoints: number;
  /** Weights and biases of the network. */
  parameters: number;
}

/**
 * The checks that need both the config and its data: layer shapes against the data's widths,
 * targets against the loss, and sizes. Returns the data to train on: for cross-entropy with one
 * target column and several output units, that column's class numbers become one-hot rows.
 */
export function checkAgainstData(config: TrainingConfig, data: Dataset, doc: LocatedJson, locate: DataLocator, limits: RunLimits): { data?: Dataset; problems: Problem[] } {
  const problems: Problem[] = [];
  const { layers } = config.model;
  const lastIndex = layers.length - 1;
  const outputs = layers[lastIndex].units;
  let trained = data;

  const outputActivation = layers[lastIndex].activation;
  if (config.loss === 'cross-entropy' && outputs === 1) {
    problems.push(doc.problem(['model', 'layers', lastIndex, 'units'], label('problem.softmaxOfOne')));
  } else if (config.loss === 'cross-entropy' && data.targetWidth === 1) {
    const classes = oneHot(data, outputs, locate, problems);
    if (classes) trained = classes;
  } else if (data.targetWidth !== outputs) {
    problems.push(doc.problem(['model', 'layers', lastIndex, 'units'], label('problem.outputWidth', { units: outputs, values: counted(data.targetWidth, 'value'), names: list(data.targetNames) })));
  } else {
    checkTargetRange(config, data, locate, problems);
  }
  if (config.loss === 'bce' && outputActivation !== 'sigmoid') {
    problems.push(doc.problem(['model', 'layers', lastIndex, 'activation'], label('problem.bceActivation', { activation: outputActivation }), 'warning'));
  }
  checkInitialShapes(config, data.features, doc, problems);

  let parameters = 0;
  let inputs = data.features;
  for (const layer of layers) {
    parameters += layer.units * (inputs + (config.model.bias ? 1 : 0));
    inputs = layer.units;
  }
  if (parameters > limits.parameters) {
    problems.push(doc.problem(['model', 'layers'], label('problem.tooManyParameters', { n: parameters, max: limits.parameters })));
  }
  const schedule = batchSchedule(data.count, config);
  const runPoints = schedule.pointsPerEpoch * config.epochs;
  if (runPoints > limits.runPoints) {
    problems.push(doc.problem(['epochs'], label('problem.tooManyPoints', { epochs: config.epochs, points: schedule.pointsPerEpoch, total: runPoints, max: limits.runPoints })));
  }
  if (schedule.batchCount === 0) {
    problems.push(doc.problem(['batchSize'], label('problem.noBatchLeft', { batchSize: config.batchSize, count: data.count })));
  } else if (config.batchSize > data.count) {
    problems.push(doc.problem(['batchSize'], label('problem.fullBatch', { count: data.count }), 'warning'));
  }
  return problems.some((p) => p.severity === 'error') ? { problems } : { data: trained, problems };
}

function oneHot(data: Dataset, classes: number, locate: DataLocator, problems: Problem[]): Dataset | undefined {
  const targets = new Float64Array(data.count * classes);
  const bad = new CappedProblems();
  for (let r = 0; r < data.count; r++) {
    const target = data.targets[r];
    if (Number.isInteger(target) && target >= 0 && target < classes) targets[r * classes + target] = 1;
    else bad.add(() => locate(r, 0, label('problem.classNumber', { classes, last: classes - 1, found: target })));
  }
  problems.push(...bad.list());
  if (bad.size > 0) return undefined;
  const names = Array.from({ length: classes }, (_, k) => `${data.targetNames[0]}=${k}`);
  return { ...data, targetWidth: classes, targets, targetNames: names };
}

function checkTargetRange(config: TrainingConfig, data: Dataset, locate: DataLocator, problems: Problem[]): void {
  if (config.loss === 'mse') return;
  const bad = new CappedProblems();
  for (let r = 0; r < data.count; r++) {
    for (let c = 0; c < data.targetWidth; c++) {
      const y = data.targets[r * data.targetWidth + c];
      if (config.loss === 'bce' && !(y >= 0 && y <= 1)) bad.add(() => locate(r, c, label('problem.bceTarget', { found: y })));
      if (config.loss === 'cross-entropy' && y < 0) bad.add(() => locate(r, c, label('problem.negativeTarget', { found: y })));
    }
  }
  problems.push(...bad.list());
}

function checkInitialShapes(config: TrainingConfig, features: number, doc: LocatedJson, problems: Problem[]): void {
  const { layers, initialWeights, initialBiases, bias } = config.model;
  const expected = (l: number) => ({ rows: layers[l].units, cols: l === 0 ? features : layers[l - 1].units });
  if (initialWeights) {
    if (initialWeights.length !== layers.length) {
      problems.push(doc.problem(['model', 'initialWeights'], label('problem.matrixCount', { layers: layers.length, found: initialWeights.length })));
    } else {
      initialWeights.forEach((matrix, l) => {
        const { rows, cols } = expected(l);
        const shapeOk = matrix.length === rows && matrix.every((row) => row.length === cols);
        if (!shapeOk) {
          const widths = [...new Set(matrix.map((row) => row.length))].join('/');
          problems.push(doc.problem(['model', 'initialWeights', l], label('problem.matrixShape', { layer: l + 1, rows, cols, foundRows: matrix.length, foundCols: widths })));
        }
      });
    }
  }
  if (initialBiases && !bias) {
    problems.push(doc.problem(['model', 'initialBiases'], label('problem.biasesIgnored'), 'warning'));
  } else if (initialBiases) {
    if (initialBiases.length !== layers.length) {
      problems.push(doc.problem(['model', 'initialBiases'], label('problem.biasRowCount', { layers: layers.length, found: initialBiases.length })));
    } else {
      initialBiases.forEach((row, l) => {
        if (row.length !== layers[l].units) problems.push(doc.problem(['model', 'initialBiases', l], label('problem.biasCount', { layer: l + 1, units: layers[l].units, found: row.length })));
      });
    }
  }
}
