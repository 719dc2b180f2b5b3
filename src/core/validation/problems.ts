import { label, type Label } from '../words/label';
import type { Words } from '../words/words';

/**
 * Problems found in a config or its data file, each tied to a place: the file, the line and
 * column, and where in the document (a JSON path, or a CSV row and column). Validation
 * collects every problem instead of stopping at the first.
 */

export type Segment = string | number;

export interface Problem {
  severity: 'error' | 'warning';
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** A JSONPath such as `$.model.layers[0].units`, or a CSV place such as `row 3, column "y"`. */
  path: Label;
  message: Label;
}

/** `<file>:<line>:<col>: <path>: <message>`, the shape editors and terminals link to. */
export function formatProblem(problem: Problem, words: Words): string {
  const { file, line, column, path, message } = problem;
  return words.text(problem.severity === 'warning' ? label('problem.line.warning', { file, line, column, path, message }) : label('problem.line', { file, line, column, path, message }));
}

/**
 * A stretch of a file, for an editor to select: 1-based lines and columns, the end exclusive;
 * without `endColumn` the stretch runs to the end of `endLine` (a CSV row).
 */
export interface SourcePlace {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn?: number;
}

/** A JSONPath as a place: `$.model.layers[0].units`. */
export function jsonPlace(path: readonly Segment[]): Label {
  return label('place.json', { path: jsonPath(path) });
}

export function jsonPath(path: readonly Segment[]): string {
  let text = '$';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) text += `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** Why a file could not be read: "data file not found: /path/points.csv". */
export function describeReadError(error: unknown, file: string, what: 'config' | 'data' | 'trace'): Label {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return label(`read.notFound.${what}`, { file });
  if (code === 'EISDIR') return label(`read.folder.${what}`, { file });
  if (code === 'EACCES') return label(`read.denied.${what}`, { file });
  return label(`read.failed.${what}`, { file, reason: (error as Error).message });
}

/** Maps character offsets to 1-based line and column numbers. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  /** The offset where a 1-based line starts; undefined past the last line. */
  offsetOf(line: number): number | undefined {
    return line >= 1 ? this.lineStarts[line - 1] : undefined;
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }
}
