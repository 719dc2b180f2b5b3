import * as path from 'node:path';
import { Checker } from '../config/checker';
import { LocatedJson } from '../config/locatedJson';
import type { Problem } from '../config/problems';
import type { DataSpec } from '../config/types';
import { parseCsv, type CsvCell } from './csv';
import { datasetFromRows, type Dataset } from './dataset';
import { generateDataset } from './generate';

/** Says where a data value is written, so later checks (targets in range, …) can point at it. */
export type DataLocator = (row: number, column: number, part: 'inputs' | 'targets', message: string) => Problem;

export interface LoadedData {
  data: Dataset;
  locate: DataLocator;
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
    };
  }
  if ('generate' in spec) {
    return {
      data: generateDataset(spec.generate, spec.count, spec.features, spec.noise, seed),
      locate: (row, _column, _part, message) => configDoc.problem(['data', 'generate'], `generated row ${row}: ${message}`),
    };
  }
  const file = path.resolve(path.dirname(configDoc.file), spec.file);
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    return [configDoc.problem(['data', 'file'], describeReadError(error, file, 'data file'))];
  }
  if (file.toLowerCase().endsWith('.json')) {
    const loaded = loadJsonData(file, text);
    if (Array.isArray(loaded) || !spec.targetColumns) return loaded;
    return { ...loaded, warnings: [configDoc.problem(['data', 'targetColumns'], 'is ignored for a .json data file: it names its "targets" itself', 'warning')] };
  }
  return loadCsvData(file, text, spec.targetColumns, configDoc);
}

/** Why a file could not be read, in words: "data file not found: /path/points.csv". */
export function describeReadError(error: unknown, file: string, what: 'config file' | 'data file'): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${what} not found: ${file}`;
  if (code === 'EISDIR') return `is a folder, not a ${what}: ${file}`;
  if (code === 'EACCES') return `${what} cannot be read (permission denied): ${file}`;
  return `${what} cannot be read: ${file}: ${(error as Error).message}`;
}

function loadJsonData(file: string, text: string): LoadedData | Problem[] {
  const doc = LocatedJson.parse(file, text);
  if (Array.isArray(doc)) return doc;
  const check = new Checker(doc);
  const root = check.object(doc.value, [], 'an object {"inputs": number[][], "targets": number[][]}');
  if (!root) return check.problems;
  check.knownKeys(root, [], ['inputs', 'targets']);
  const inputs = 'inputs' in root ? check.matrix(root.inputs, ['inputs'], 'input') : check.error([], 'missing key "inputs": one row of feature values per data point');
  const targets = 'targets' in root ? check.matrix(root.targets, ['targets'], 'target') : check.error([], 'missing key "targets": one row of target values per data point');
  if (inputs && targets && inputs.length !== targets.length) {
    check.error(['targets'], `must have one row per input row: ${inputs.length} input rows, ${targets.length} target rows`);
  }
  if (check.hasErrors || !inputs || !targets) return check.problems;
  return { data: datasetFromRows(inputs, targets), locate: (row, column, part, message) => doc.problem([part, row, column], message) };
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function loadCsvData(file: string, text: string, targetColumns: string[] | undefined, configDoc: LocatedJson): LoadedData | Problem[] {
  const { rows, problems } = parseCsv(file, text);
  if (problems.length > 0) return problems;
  const at = (cell: CsvCell, place: string, message: string): Problem => ({ severity: 'error', file, line: cell.line, column: cell.column, path: place, message });
  if (rows.length < 2) return [{ severity: 'error', file, line: 1, column: 1, path: 'header', message: 'needs a header row and at least one data row' }];
  const header = rows[0].map((c) => c.text.trim());
  const targetNames = targetColumns ?? [header[header.length - 1]];
  const targetIndex = targetNames.map((name) => header.indexOf(name));
  const missing = targetNames.map((name, i) => (targetIndex[i] < 0 ? configDoc.problem(['data', 'targetColumns', i], `no column "${name}" in ${path.basename(file)}; its columns are ${header.join(', ')}`) : undefined));
  if (missing.some(Boolean)) return missing.filter((p): p is Problem => p !== undefined);
  const featureIndex = header.map((_, i) => i).filter((i) => !targetIndex.includes(i));
  if (featureIndex.length === 0) return [at(rows[0][0], 'header', 'every column is a target: at least one column must hold features')];

  const errors: Problem[] = [];
  const inputs: number[][] = [];
  const targets: number[][] = [];
  const cellsByRow: CsvCell[][] = [];
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r];
    if (cells.length !== header.length) {
      errors.push(at(cells[0], `row ${r}`, `has ${cells.length} values but the header has ${header.length} columns`));
      continue;
    }
    const value = (c: number): number => {
      const raw = cells[c].text.trim();
      if (DECIMAL.test(raw) && Number.isFinite(Number(raw))) return Number(raw);
      const found = raw === '' ? 'an empty cell' : JSON.stringify(raw);
      errors.push(at(cells[c], `row ${r}, column "${header[c]}"`, `must be a finite decimal number, found ${found}`));
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
      return at(cellsByRow[row][c], `row ${row + 1}, column "${header[c]}"`, message);
    },
  };
}

/** Keeps a wall of identical complaints readable: the first few, then how many more. */
export function truncate(problems: Problem[]): Problem[] {
  if (problems.length <= MAX_REPORTED) return problems;
  const rest = problems.length - MAX_REPORTED;
  const last = problems[MAX_REPORTED - 1];
  return [...problems.slice(0, MAX_REPORTED), { ...last, message: `… and ${rest} more problems like these` }];
}
