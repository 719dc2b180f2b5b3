import * as path from 'node:path';
import { LIMITS } from '../config/defaults';
import type { LocatedJson } from '../validation/locatedJson';
import { CappedProblems, LINE_END, type Problem } from '../validation/problems';
import { label, list, type Label } from '../words/label';
import { CsvReader, type CsvRow } from './csv';
import type { Dataset } from './dataset';
import { GrowingFloats, GrowingInts } from './growing';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Where each target cell is written, so that later checks (a class number, a probability) can point at it. */
export interface CsvPlaces {
  file: string;
  header: string[];
  targetIndex: number[];
  lines: Int32Array;
  columns: Int32Array;
  /** The line each data row's first cell starts on, and its last cell (a quoted cell may span lines). */
  rowFirstLines: Int32Array;
  rowLastLines: Int32Array;
}

/**
 * Turns CSV text, fed a piece at a time, into a data set: the header names the columns, the
 * target columns are the named ones (or the last), every other column is a feature. Values go
 * straight into growing typed arrays, never one object per cell. Problems of rows (a wrong
 * number of values, a value that is not a decimal number) are listed up to MAX_LISTED, then
 * counted; a header or target column that cannot work stops the reading at once.
 */
export class CsvDataBuilder {
  private readonly reader = new CsvReader((row) => this.row(row));
  private header: string[] | undefined;
  private targetIndex: number[] = [];
  private featureIndex: number[] = [];
  /** For each column, its place among the features (≥ 0) or among the targets (-1 - k). */
  private slot: Int32Array = new Int32Array(0);
  private readonly inputs = new GrowingFloats();
  private readonly targets = new GrowingFloats();
  private readonly lines = new GrowingInts();
  private readonly columns = new GrowingInts();
  private readonly rowFirstLines = new GrowingInts();
  private readonly rowLastLines = new GrowingInts();
  private rows = 0;
  private readonly rowProblems = new CappedProblems();
  /** A problem that ends the reading (the header cannot work): nothing more is read. */
  private fatal: Problem[] | undefined;

  constructor(
    private readonly file: string,
    private readonly targetColumns: string[] | undefined,
    private readonly configDoc: LocatedJson,
  ) {}

  /** Reads the next piece of the file; false once the file cannot be used (its header), so the rest need not be read. */
  push(text: string): boolean {
    if (this.fatal === undefined) this.reader.push(text);
    return this.fatal === undefined;
  }

  finish(): { data: Dataset; places: CsvPlaces } | Problem[] {
    if (this.fatal) return this.fatal;
    const unclosed = this.reader.end();
    if (this.fatal) return this.fatal;
    const problems = this.rowProblems.list();
    if (unclosed) {
      const place = this.header ? label('place.csvRow', { row: this.rows + 1 }) : label('place.header');
      problems.push(this.at(unclosed, place, label('problem.unclosedQuote')));
    }
    if (problems.length > 0) return problems;
    if (!this.header || this.rows === 0) return [this.at({ line: 1, column: 1 }, label('place.header'), label('problem.csvTooShort'))];
    const header = this.header;
    const data: Dataset = {
      count: this.rows,
      features: this.featureIndex.length,
      targetWidth: this.targetIndex.length,
      inputs: this.inputs.done(),
      targets: this.targets.done(),
      featureNames: this.featureIndex.map((i) => header[i]),
      targetNames: this.targetIndex.map((i) => header[i]),
    };
    const places = { file: this.file, header, targetIndex: this.targetIndex, lines: this.lines.done(), columns: this.columns.done(), rowFirstLines: this.rowFirstLines.done(), rowLastLines: this.rowLastLines.done() };
    return { data, places };
  }

  private row(row: CsvRow): void {
    if (this.fatal) return;
    if (!this.header) this.readHeader(row);
    else this.readValues(row);
  }

  private readHeader(row: CsvRow): void {
    const header = row.cells.map((c) => c.trim());
    if (header.length > LIMITS.units) {
      this.fatal = [this.cellProblem(row, 0, label('place.header'), label('problem.tooManyColumns', { found: header.length, max: LIMITS.units }))];
      return;
    }
    const seen = new Map<string, number>();
    const twice = new CappedProblems();
    header.forEach((name, c) => {
      const first = seen.get(name);
      if (first === undefined) seen.set(name, c);
      else twice.add(() => this.cellProblem(row, c, label('place.header'), label('problem.headerTwice', { name, first: first + 1, second: c + 1 })));
    });
    if (twice.size > 0) {
      this.fatal = twice.list();
      return;
    }
    const targetNames = this.targetColumns ?? [header[header.length - 1]];
    this.targetIndex = targetNames.map((name) => header.indexOf(name));
    const missing = targetNames.flatMap((name, i) =>
      this.targetIndex[i] < 0 ? [this.configDoc.problem(['data', 'targetColumns', i], label('problem.noColumn', { name, file: path.basename(this.file), columns: list(header) }))] : [],
    );
    if (missing.length > 0) {
      this.fatal = missing;
      return;
    }
    this.featureIndex = header.map((_, i) => i).filter((i) => !this.targetIndex.includes(i));
    if (this.featureIndex.length === 0) {
      this.fatal = [this.cellProblem(row, 0, label('place.header'), label('problem.noFeatures'))];
      return;
    }
    this.slot = new Int32Array(header.length);
    this.featureIndex.forEach((column, k) => (this.slot[column] = k));
    this.targetIndex.forEach((column, k) => (this.slot[column] = -1 - k));
    this.header = header;
  }

  private readValues(row: CsvRow): void {
    const header = this.header!;
    const r = ++this.rows;
    if (row.cells.length !== header.length) {
      this.rowProblems.add(() => this.rowProblem(row, label('place.csvRow', { row: r }), label('problem.csvRowWidth', { values: row.cells.length, columns: header.length })));
      return;
    }
    if ((r + 1) * header.length > LIMITS.dataValues) {
      this.fatal = [this.rowProblem(row, label('place.csvRow', { row: r }), label('problem.tooManyValues', { max: LIMITS.dataValues }))];
      return;
    }
    // Rows with problems are still read, to find every problem, but their values are not kept.
    const keep = this.rowProblems.size === 0;
    const inputs = keep ? this.inputs.reserve(this.featureIndex.length) : undefined;
    const targets = keep ? this.targets.reserve(this.targetIndex.length) : undefined;
    for (let c = 0; c < header.length; c++) {
      const raw = row.cells[c].trim();
      const value = DECIMAL.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(value)) {
        const found = raw === '' ? label('value.emptyCell') : JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
        this.rowProblems.add(() => this.cellProblem(row, c, label('place.csvCell', { row: r, column: header[c] }), label('problem.notDecimal', { found })));
        continue;
      }
      const slot = this.slot[c];
      if (slot >= 0) {
        if (inputs) inputs.array[inputs.at + slot] = value;
      } else if (targets) {
        targets.array[targets.at - 1 - slot] = value;
      }
    }
    if (keep && this.rowProblems.size === 0) {
      for (const c of this.targetIndex) {
        this.lines.push(row.lines[c]);
        this.columns.push(row.columns[c]);
      }
      this.rowFirstLines.push(row.lines[0]);
      this.rowLastLines.push(row.lines[row.lines.length - 1]);
    }
  }

  /** A problem of one cell: underlined from its start for its length. */
  private cellProblem(row: CsvRow, c: number, place: Label, message: Label): Problem {
    const start = { line: row.lines[c], column: row.columns[c] };
    return { ...this.at(start, place, message), end: { line: start.line, column: start.column + Math.max(1, row.cells[c].length) } };
  }

  /** A problem of a whole row: underlined to the end of its line. */
  private rowProblem(row: CsvRow, place: Label, message: Label): Problem {
    const start = { line: row.lines[0], column: row.columns[0] };
    return { ...this.at(start, place, message), end: { line: start.line, column: LINE_END } };
  }

  private at(where: { line: number; column: number }, place: Label, message: Label): Problem {
    return { severity: 'error', file: this.file, line: where.line, column: where.column, path: place, message };
  }
}

/** Says where a target value of a CSV data set is written. */
export function csvTargetProblem(places: CsvPlaces, row: number, column: number, message: Label): Problem {
  const k = row * places.targetIndex.length + column;
  const name = places.header[places.targetIndex[column]];
  return { severity: 'error', file: places.file, line: places.lines[k], column: places.columns[k], path: label('place.csvCell', { row: row + 1, column: name }), message };
}
