import type { Problem } from '../validation/problems';
import { label } from '../words/label';

/** A CSV cell with the place it was written, for messages that point at it. */
export interface CsvCell {
  text: string;
  line: number;
  column: number;
}

/**
 * Splits CSV text (RFC 4180: commas, double-quoted fields with "" for a quote, CRLF or LF) into
 * rows of cells. Blank lines are skipped. An unclosed quote is a problem, not a guess.
 */
export function parseCsv(file: string, text: string): { rows: CsvCell[][]; problems: Problem[] } {
  const rows: CsvCell[][] = [];
  const problems: Problem[] = [];
  let row: CsvCell[] = [];
  let line = 1;
  let lineStart = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is not part of the header
  const endRow = () => {
    if (!(row.length === 1 && row[0].text.trim() === '')) rows.push(row);
    row = [];
  };
  while (i <= text.length) {
    const column = i - lineStart + 1;
    const cellLine = line;
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) {
          problems.push({ severity: 'error', file, line: cellLine, column, path: label('place.csvRow', { row: rows.length + 1 }), message: label('problem.unclosedQuote') });
          return { rows, problems };
        }
        if (text[i] === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else {
          if (text[i] === '\n') {
            line++;
            lineStart = i + 1;
          }
          cell += text[i++];
        }
      }
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
    }
    row.push({ text: cell, line: cellLine, column });
    if (i >= text.length) {
      endRow();
      break;
    }
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    i++;
    line++;
    lineStart = i;
    endRow();
  }
  return { rows, problems };
}
