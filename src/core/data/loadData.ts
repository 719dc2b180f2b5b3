import * as path from 'node:path';
import type { DataSpec } from '../config/types';
import { Checker } from '../validation/checker';
import { LocatedJson } from '../validation/locatedJson';
import { describeReadError, type Problem } from '../validation/problems';
import { label, list, type Label } from '../words/label';
import { parseCsv, type CsvCell } from './csv';
import { datasetFromRows, type Dataset } from './dataset';
import { generateDataset } from './generate';
import { csvRows, generatedRows, jsonRows, type RowPlaces } from './rowPlaces';

/** Says where a data value is written, so later checks (targets in range, …) can point at it. */
export type DataLocator = (row: number, column: number, part: 'inputs' | 'targets', message: Label) => Problem;

export interface LoadedData {
  data: Dataset;
  locate: DataLocator;
  /** Where each row is written. */
  rows: RowPlaces;
  warnings?: Problem[];
}

/** Reads a file as UTF-8 text; throws Node's usual errors (ENOENT, EISDIR, …). */
export type ReadText = (absolutePath: string) => string;

const MAX_REPORTED = 20;

/** Resolves the config's `data` to rows: inline, from a CSV or JSON file, or generated. */
export function loadData(spec: DataSpec, configDoc: LocatedJson, seed: number, readText: ReadText): LoadedData | Problem[] {
  if ('inputs' in spec) {
    return {
      data: datasetFromRows(spec.inputs, spec.targets),
      locate: (row, column, part, message) => configDoc.problem(['data', part, row, column], message),
      rows: jsonRows(configDoc, ['data']),
    };
  }
  if ('generate' in spec) {
    return {
      data: generateDataset(spec.generate, spec.count, spec.features, spec.noise, seed),
      locate: (row, _column, _part, message) => configDoc.problem(['data', 'generate'], label('problem.generatedRow', { row, message })),
      rows: generatedRows(configDoc),
    };
  }
  const file = path.resolve(path.dirname(configDoc.file), spec.file);
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    return [configDoc.problem(['data', 'file'], describeReadError(error, file, 'data'))];
  }
  if (file.toLowerCase().endsWith('.json')) {
    const loaded = loadJsonData(file, text);
    if (Array.isArray(loaded) || !spec.targetColumns) return loaded;
    return { ...loaded, warnings: [configDoc.problem(['data', 'targetColumns'], label('problem.targetColumnsIgnored'), 'warning')] };
  }
  return loadCsvData(file, text, spec.targetColumns, configDoc);
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
  return { data: datasetFromRows(inputs, targets), locate: (row, column, part, message) => doc.problem([part, row, column], message), rows: jsonRows(doc, []) };
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function loadCsvData(file: string, text: string, targetColumns: string[] | undefined, configDoc: LocatedJson): LoadedData | Problem[] {
  const { rows, problems } = parseCsv(file, text);
  if (problems.length > 0) return problems;
  const at = (cell: CsvCell, place: Label, message: Label): Problem => ({ severity: 'error', file, line: cell.line, column: cell.column, path: place, message });
  if (rows.length < 2) return [{ severity: 'error', file, line: 1, column: 1, path: label('place.header'), message: label('problem.csvTooShort') }];
  const header = rows[0].map((c) => c.text.trim());
  const targetNames = targetColumns ?? [header[header.length - 1]];
  const targetIndex = targetNames.map((name) => header.indexOf(name));
  const missing = targetNames.map((name, i) => (targetIndex[i] < 0 ? configDoc.problem(['data', 'targetColumns', i], label('problem.noColumn', { name, file: path.basename(file), columns: list(header) })) : undefined));
  if (missing.some(Boolean)) return missing.filter((p): p is Problem => p !== undefined);
  const featureIndex = header.map((_, i) => i).filter((i) => !targetIndex.includes(i));
  if (featureIndex.length === 0) return [at(rows[0][0], label('place.header'), label('problem.noFeatures'))];

  const errors: Problem[] = [];
  const inputs: number[][] = [];
  const targets: number[][] = [];
  const cellsByRow: CsvCell[][] = [];
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r];
    if (cells.length !== header.length) {
      errors.push(at(cells[0], label('place.csvRow', { row: r }), label('problem.csvRowWidth', { values: cells.length, columns: header.length })));
      continue;
    }
    const value = (c: number): number => {
      const raw = cells[c].text.trim();
      if (DECIMAL.test(raw) && Number.isFinite(Number(raw))) return Number(raw);
      const found = raw === '' ? label('value.emptyCell') : JSON.stringify(raw);
      errors.push(at(cells[c], label('place.csvCell', { row: r, column: header[c] }), label('problem.notDecimal', { found })));
      return NaN;
    };
    inputs.push(featureIndex.map(value));
    targets.push(targetIndex.map(value));
    cellsByRow.push(cells);
  }
  if (errors.length > 0) return truncate(errors);
  return {
    data: datasetFromRows(inputs, targets, featureIndex.map((i) => header[i]), targetNames),
    locate: (row, column, part, message) => {
      const c = (part === 'inputs' ? featureIndex : targetIndex)[column];
      return at(cellsByRow[row][c], label('place.csvCell', { row: row + 1, column: header[c] }), message);
    },
    rows: csvRows(file, Int32Array.from(cellsByRow, (cells) => cells[0].line), Int32Array.from(cellsByRow, (cells) => cells[cells.length - 1].line)),
  };
}

/** Keeps a wall of identical complaints readable: the first few, then how many more. */
export function truncate(problems: Problem[]): Problem[] {
  if (problems.length <= MAX_REPORTED) return problems;
  const rest = problems.length - MAX_REPORTED;
  const last = problems[MAX_REPORTED - 1];
  return [...problems.slice(0, MAX_REPORTED), { ...last, message: label('problem.moreLikeThese', { n: rest }) }];
}
