/**
 * Splits CSV text (RFC 4180: commas, double-quoted fields with "" for a quote, rows ending in
 * LF, CRLF or a lone CR) into rows of cells. It is fed a piece at a time, so a file of any size
 * is read in bounded memory: only the row being read is held. Blank lines are skipped. Each
 * cell comes with the line and column it starts at, for messages that point at it.
 */
export interface CsvRow {
  cells: string[];
  lines: number[];
  columns: number[];
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Where the reader is in a cell: before its first character, in plain text, in quotes, or just after a quote inside quotes. */
type State = 'start' | 'plain' | 'quoted' | 'quoteInQuotes';

export class CsvReader {
  private row: CsvRow = { cells: [], lines: [], columns: [] };
  private state: State = 'start';
  /** The current cell's text read from earlier pieces. */
  private carry = '';
  private cellLine = 1;
  private cellColumn = 1;
  private line = 1;
  /** The column the next piece's first character is at. */
  private column = 1;
  /** The last piece ended with a CR: an LF beginning the next one ends the same line. */
  private crAtEnd = false;
  private started = false;

  constructor(private readonly onRow: (row: CsvRow) => void) {}

  /** Reads the next piece of text. */
  push(text: string): void {
    const n = text.length;
    let i = 0;
    if (!this.started && n > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1; // a byte-order mark is not part of the header
    }
    let lineStart = i - (this.column - 1);
    if (this.crAtEnd && n > 0) {
      this.crAtEnd = false;
      if (text.charCodeAt(0) === LF) {
        i = 1;
        lineStart = 1;
      }
    }
    let from = i;
    while (i < n) {
      switch (this.state) {
        case 'start': {
          const code = text.charCodeAt(i);
          this.cellLine = this.line;
          this.cellColumn = i - lineStart + 1;
          this.carry = '';
          if (code === COMMA) {
            this.endCell('');
            i++;
          } else if (code === LF || code === CR) {
            if (this.row.cells.length > 0) this.endCell('');
            i = lineStart = this.endLine(text, i);
          } else if (code === QUOTE) {
            this.state = 'quoted';
            from = ++i;
          } else {
            this.state = 'plain';
            from = i;
          }
          break;
        }
        case 'plain': {
          let j = i;
          for (; j < n; j++) {
            const code = text.charCodeAt(j);
            if (code === COMMA || code === LF || code === CR) break;
          }
          if (j === n) {
            this.carry += text.slice(from, n);
            i = n;
            break;
          }
          this.endCell(this.carry + text.slice(from, j));
          if (text.charCodeAt(j) === COMMA) {
            this.state = 'start';
            i = j + 1;
          } else {
            i = lineStart = this.endLine(text, j);
          }
          break;
        }
        case 'quoted': {
          let j = i;
          for (; j < n; j++) {
            const code = text.charCodeAt(j);
            if (code === QUOTE) break;
            if (code === CR || (code === LF && (j > 0 ? text.charCodeAt(j - 1) : this.lastCode) !== CR)) this.line++;
            if (code === CR || code === LF) lineStart = j + 1;
          }
          this.carry += text.slice(from, j);
          if (j < n) this.state = 'quoteInQuotes';
          i = j + 1;
          break;
        }
        case 'quoteInQuotes': {
          if (text.charCodeAt(i) === QUOTE) {
            // "" inside quotes is one quote.
            this.carry += '"';
            this.state = 'quoted';
            from = ++i;
          } else {
            // The cell's quotes are closed; anything up to the comma still belongs to it.
            this.state = 'plain';
            from = i;
          }
          break;
        }
      }
    }
    if (n > 0) this.lastCode = text.charCodeAt(n - 1);
    this.column = n - lineStart + 1;
  }

  /** The text has ended. Returns where a quoted cell was left open, if one was. */
  end(): { line: number; column: number } | undefined {
    if (this.state === 'quoted') return { line: this.cellLine, column: this.cellColumn };
    if (this.state !== 'start') this.endCell(this.carry);
    else if (this.row.cells.length > 0) this.endCell('');
    this.endRow();
    return undefined;
  }

  /** The last character of the previous piece, for a CRLF split between pieces. */
  private lastCode = -1;

  private endCell(text: string): void {
    this.row.cells.push(text);
    this.row.lines.push(this.cellLine);
    this.row.columns.push(this.cellColumn);
    this.carry = '';
    this.state = 'start';
  }

  /** Ends the row at the line break at `i`; returns where the next line begins. */
  private endLine(text: string, i: number): number {
    this.endRow();
    this.line++;
    let next = i + 1;
    if (text.charCodeAt(i) === CR) {
      if (next === text.length) this.crAtEnd = true;
      else if (text.charCodeAt(next) === LF) next++;
    }
    return next;
  }

  private endRow(): void {
    const { row } = this;
    this.row = { cells: [], lines: [], columns: [] };
    this.state = 'start';
    if (row.cells.length === 0 || (row.cells.length === 1 && row.cells[0].trim() === '')) return;
    this.onRow(row);
  }
}
