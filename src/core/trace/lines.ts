/**
 * Cuts a stream of bytes into lines at "\n", keeping each line's place in the file: its number
 * and its byte offsets, which an index of a trace keeps to read parts of it back later. It
 * works on bytes, not characters, so offsets stay exact whatever the text holds, and it holds
 * at most one unfinished line: a file of any size passes through in bounded memory.
 */
export interface RawLine {
  /** From 1. */
  number: number;
  /** Byte offset of the line's first byte. */
  start: number;
  /** Byte offset just after the line and its "\n": where the next line starts. */
  end: number;
  /** The line's bytes, without its "\n" (nor a "\r" before it); empty when `tooLong`. */
  bytes: Uint8Array;
  /** Longer than the splitter holds: its bytes were dropped. */
  tooLong: boolean;
}

/**
 * No single event is allowed to be longer: a JavaScript string cannot hold much more
 * (V8's limit is about 512 M characters), and parsing one costs several times its size.
 */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

const NEWLINE = 0x0a;
const RETURN = 0x0d;

export class LineSplitter {
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private dropping = false;
  private number: number;
  private offset: number;

  /** `from`: where the first byte pushed sits in the file (a read that resumes mid-file). */
  constructor(
    from: { number: number; offset: number } = { number: 1, offset: 0 },
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {
    this.number = from.number;
    this.offset = from.offset;
  }

  /** The unfinished line's start: every line before it has been handed out. */
  get position(): { number: number; offset: number } {
    return { number: this.number, offset: this.offset };
  }

  /**
   * Feeds bytes; `onLine` gets every line they complete, in order. It may return false to stop:
   * the rest is dropped and the splitter is done (a read that found what it looked for).
   */
  push(chunk: Uint8Array, onLine: (line: RawLine) => boolean | void): boolean {
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, from);
      if (newline < 0) break;
      const line = this.take(chunk.subarray(from, newline), 1);
      from = newline + 1;
      if (onLine(line) === false) return false;
    }
    this.hold(chunk.subarray(from));
    return true;
  }

  /** The end of the input: hands out the last line when it has no "\n" (a file cut short, or a producer's habit). */
  finish(onLine: (line: RawLine) => boolean | void): void {
    if (this.heldBytes > 0 || this.dropping) onLine(this.take(new Uint8Array(0), 0));
  }

  private hold(rest: Uint8Array): void {
    if (rest.length === 0) return;
    if (this.dropping || this.heldBytes + rest.length > this.maxLineBytes) {
      this.dropping = true;
      this.held = [];
    } else {
      // The caller may reuse its buffer: what is held is copied.
      this.held.push(rest.slice());
    }
    this.heldBytes += rest.length;
  }

  private take(tail: Uint8Array, newlineBytes: number): RawLine {
    const length = this.heldBytes + tail.length;
    const tooLong = this.dropping || length > this.maxLineBytes;
    let bytes: Uint8Array = new Uint8Array(0);
    if (!tooLong) {
      bytes = this.held.length === 0 ? tail : concat([...this.held, tail], length);
      if (bytes.length > 0 && bytes[bytes.length - 1] === RETURN) bytes = bytes.subarray(0, bytes.length - 1);
    }
    const line: RawLine = { number: this.number, start: this.offset, end: this.offset + length + newlineBytes, bytes, tooLong };
    this.number++;
    this.offset = line.end;
    this.held = [];
    this.heldBytes = 0;
    this.dropping = false;
    return line;
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const joined = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}
