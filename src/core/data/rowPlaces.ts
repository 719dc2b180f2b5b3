import type { LocatedJson } from '../validation/locatedJson';
import type { Segment, SourcePlace } from '../validation/problems';

/**
 * Where each data row is written, and which row is written at a place: what lets an editor
 * select a data point's row, and go from a row back to its data point. Kept by the loader,
 * which already knows where every row is, so nobody parses the data a second time to find it.
 */
export interface RowPlaces {
  /** How the rows are written: lines of a CSV, elements of a JSON array, or nowhere (generated). */
  readonly form: 'csv' | 'json' | 'generated';
  /** Where data row `row` (0-based) is written; for generated data, where the generator is named. */
  row(row: number): SourcePlace;
  /** The data row written at a 1-based line and column of `file`, if any. */
  rowAt(file: string, line: number, column: number): number | undefined;
}

/**
 * Rows written as the elements of `inputs` and `targets` under `base` in a JSON document: a
 * row is selected by its `inputs` element, and found from either of its elements.
 */
export function jsonRows(doc: LocatedJson, base: readonly Segment[]): RowPlaces {
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

/**
 * Rows of a CSV file, by the line their first cell starts on and the line their last cell
 * starts on (a quoted cell may hold line breaks); blank lines are not rows, so row r is not
 * always line r + 2. Two numbers per row, whatever the width of the file.
 */
export function csvRows(file: string, firstLines: Int32Array, lastLines: Int32Array): RowPlaces {
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

/** Generated rows are written nowhere: every row is placed at the config's `data.generate`. */
export function generatedRows(configDoc: LocatedJson): RowPlaces {
  return {
    form: 'generated',
    row: () => configDoc.place(['data', 'generate']),
    rowAt: () => undefined,
  };
}
