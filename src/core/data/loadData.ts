import * as path from 'node:path';
import type { DataSpec } from '../config/types';
import { Checker } from '../validation/checker';
import { LocatedJson } from '../validation/locatedJson';
import { describeReadError, type Problem } from '../validation/problems';
import { label, type Label } from '../words/label';
import { CsvDataBuilder, csvTargetProblem } from './csvData';
import { datasetFromRows, type Dataset } from './dataset';
import { generateDataset } from './generate';
import { openRegularFile, readTextChunks, readWholeText, ReadRefused, type ReadPolicy } from './readFile';
import type { RowLayout } from './rowPlaces';

/** Says where a target value is written, so later checks (targets in range, …) can point at it. */
export type DataLocator = (row: number, column: number, message: Label) => Problem;

export interface LoadedData {
  data: Dataset;
  locate: DataLocator;
  /** Where each row is written. */
  rows: RowLayout;
  warnings?: Problem[];
}

/** Resolves the config's `data` to rows: inline, from a CSV or JSON file, or generated. Every value is a finite number, or a problem says where it is not. */
export function loadData(spec: DataSpec, configDoc: LocatedJson, seed: number, policy: ReadPolicy): LoadedData | Problem[] {
  if ('inputs' in spec) {
    return {
      data: datasetFromRows(spec.inputs, spec.targets),
      locate: (row, column, message) => configDoc.problem(['data', 'targets', row, column], message),
      rows: { form: 'json', file: configDoc.file, base: ['data'] },
    };
  }
  if ('generate' in spec) {
    const data = generateDataset(spec.generate, spec.count, spec.features, spec.noise, seed);
    const row = firstNonFiniteRow(data);
    if (row >= 0) return [configDoc.problem(['data', 'noise'], label('problem.generatedNotFinite', { noise: spec.noise, row }))];
    return {
      data,
      locate: (r, _column, message) => configDoc.problem(['data', 'generate'], label('problem.generatedRow', { row: r, message })),
      rows: { form: 'generated' },
    };
  }
  const file = path.resolve(path.dirname(configDoc.file), spec.file);
  try {
    if (file.toLowerCase().endsWith('.json')) {
      const loaded = loadJsonData(file, readWholeText(file, policy, 'data'));
      if (Array.isArray(loaded) || !spec.targetColumns) return loaded;
      return { ...loaded, warnings: [configDoc.problem(['data', 'targetColumns'], label('problem.targetColumnsIgnored'), 'warning')] };
    }
    const builder = new CsvDataBuilder(file, spec.targetColumns, configDoc);
    const { fd } = openRegularFile(file, policy, 'data');
    readTextChunks(file, fd, policy, 'data', (text) => builder.push(text));
    const read = builder.finish();
    if (Array.isArray(read)) return read;
    return { data: read.data, locate: (row, column, message) => csvTargetProblem(read.places, row, column, message), rows: { form: 'csv', file, firstLines: read.places.rowFirstLines, lastLines: read.places.rowLastLines } };
  } catch (error) {
    return [configDoc.problem(['data', 'file'], error instanceof ReadRefused ? error.why : describeReadError(error, file, 'data'))];
  }
}

/** The first row (from 0) holding a value that is not finite, or -1. */
function firstNonFiniteRow(data: Dataset): number {
  for (let r = 0; r < data.count; r++) {
    for (let f = 0; f < data.features; f++) if (!Number.isFinite(data.inputs[r * data.features + f])) return r;
    for (let t = 0; t < data.targetWidth; t++) if (!Number.isFinite(data.targets[r * data.targetWidth + t])) return r;
  }
  return -1;
}

function loadJsonData(file: string, text: string): LoadedData | Problem[] {
  const doc = LocatedJson.parse(file, text);
  if (Array.isArray(doc)) return doc;
  const check = new Checker(doc);
  const root = check.object(doc.value, [], label('value.objectShaped', { example: '{"inputs": number[][], "targets": number[][]}' }));
  if (!root) return check.problems;
  check.knownKeys(root, [], ['inputs', 'targets']);
  const inputs = 'inputs' in root ? check.matrix(root.inputs, ['inputs'], 'input') : check.error([], label('problem.missingInputs'));
  const targets = 'targets' in root ? check.matrix(root.targets, ['targets'], 'target') : check.error([], label('problem.missingDataTargets'));
  if (inputs && targets && inputs.length !== targets.length) {
    check.error(['targets'], label('problem.rowCounts', { inputs: inputs.length, targets: targets.length }));
  }
  if (check.hasErrors || !inputs || !targets) return check.problems;
  return { data: datasetFromRows(inputs, targets), locate: (row, column, message) => doc.problem(['targets', row, column], message), rows: { form: 'json', file, base: [] } };
}
