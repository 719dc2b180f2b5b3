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
  /** Where what the problem is about ends (1-based, exclusive), when known: an editor underlines from line:column to here. */
  end?: { line: number; column: number };
}

/** An `end` column that means "to the end of the line" (editors clamp it to the line's length). */
export const LINE_END = 1_000_000_000;

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

/** Problems listed of one kind before the rest are summed up in one line. */
export const MAX_LISTED = 20;

/** Keeps a wall of identical complaints readable: the first few, then how many more. */
export function truncateProblems(problems: Problem[], more = problems.length - MAX_LISTED): Problem[] {
  if (more <= 0 && problems.length <= MAX_LISTED) return problems;
  const kept = problems.slice(0, MAX_LISTED);
  const last = kept[kept.length - 1];
  return [...kept, { ...last, message: label('problem.moreLikeThese', { n: more }) }];
}

/**
 * Collects problems of one kind, keeping only the first MAX_LISTED (and counting the rest), so
 * that a data set wrong in every one of its million rows costs a counter, not a million problems.
 */
export class CappedProblems {
  private readonly kept: Problem[] = [];
  private count = 0;

  /** `make` is only called for problems that are kept: locating one may cost a lookup. */
  add(make: () => Problem): void {
    if (this.count++ < MAX_LISTED) this.kept.push(make());
  }

  get size(): number {
    return this.count;
  }

  list(): Problem[] {
    return this.count === 0 ? [] : truncateProblems(this.kept, this.count - MAX_LISTED);
  }
}

/** Maps character offsets to 1-based line and column numbers; a line ends at LF, CRLF or a lone CR, as in editors. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10 || (code === 13 && text.charCodeAt(i + 1) !== 10)) this.lineStarts.push(i + 1);
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
