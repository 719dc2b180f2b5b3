import type { LocatedJson } from '../validation/locatedJson';
import type { Segment, SourcePlace } from '../validation/problems';

/**
 * How a data set's rows are written, as plain data the loader returns (it crosses from the
 * loader's worker): lines of a CSV, elements of `inputs` under `base` in a JSON document (a JSON
 * data file, or the config itself), or nowhere (generated). The loader already knows where every
 * row is, so nobody parses the data a second time to find it.
 */
export type RowLayout =
  /** Row r starts on line `firstLines[r]` and its last cell on `lastLines[r]` (a quoted cell may hold line breaks); blank lines are not rows. */
  | { form: 'csv'; file: string; firstLines: Int32Array; lastLines: Int32Array }
  | { form: 'json'; file: string; base: Segment[] }
  | { form: 'generated' };

/** Where each data row is written, and which row is written at a place: what lets an editor select a data point's row, and go back. */
export interface RowPlaces {
  readonly form: RowLayout['form'];
  /** Where data row `row` (0-based) is written; for generated data, where the generator is named. */
  row(row: number): SourcePlace;
  /** The data row written at a 1-based line and column of `file`, if any. */
  rowAt(file: string, line: number, column: number): number | undefined;
}

/**
 * The places of a layout's rows. `doc` is the document the rows are written in for the JSON
 * form (the JSON data file, or the config for inline data), and the config for the generated
 * form (whose rows are placed at its `data.generate`).
 */
export function rowPlaces(layout: RowLayout, doc: LocatedJson): RowPlaces {
  switch (layout.form) {
    case 'csv':
      return csvRows(layout.file, layout.firstLines, layout.lastLines);
    case 'json':
      return jsonRows(doc, layout.base);
    case 'generated':
      return { form: 'generated', row: () => doc.place(['data', 'generate']), rowAt: () => undefined };
  }
}

/** Rows written as the elements of `inputs` and `targets` under `base`: a row is selected by its `inputs` element, and found from either of its elements. */
function jsonRows(doc: LocatedJson, base: readonly Segment[]): RowPlaces {
  return {
    form: 'json',
    row: (row) => doc.place([...base, 'inputs', row]),
    rowAt: (file, line, column) => {
      if (file !== doc.file) return undefined;
      const path = doc.pathAt(line, column);
      if (!path || !base.every((segment, i) => path[i] === segment)) return undefined;
      const [part, row] = path.slice(base.length);
      return (part === 'inputs' || part === 'targets') && typeof row === 'number' ? row : undefined;
    },
  };
}

/** Rows of a CSV file, by the lines their first and last cells start on: two numbers per row, whatever the width of the file. */
function csvRows(file: string, firstLines: Int32Array, lastLines: Int32Array): RowPlaces {
  return {
    form: 'csv',
    row: (row) => ({ file, line: firstLines[row], column: 1, endLine: lastLines[row] }),
    rowAt: (at, line) => {
      if (at !== file) return undefined;
      // The last row starting at or before the line: rows are in file order.
      let low = 0;
      let high = firstLines.length - 1;
      if (high < 0 || line < firstLines[0]) return undefined;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (firstLines[mid] <= line) low = mid;
        else high = mid - 1;
      }
      return line <= lastLines[low] ? low : undefined;
    },
  };
}
