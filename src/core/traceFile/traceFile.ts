import * as fs from 'node:fs';
import { LineSplitter, type RawLine } from '../trace/lines';
import { describeReadError } from '../validation/problems';
import { label } from '../words/label';
import type { LinePlace } from './batchIndex';
import { TraceReader } from './traceReader';

/** Bytes read at a time: large enough to be quick, small enough that a read never holds much. */
const CHUNK_BYTES = 1 << 20;

/** Reads a whole trace file now, in chunks (the CLI): the reader holds the summary and the problems. */
export function readTraceFileSync(file: string): TraceReader {
  const reader = new TraceReader(file);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    reader.failHere(describeReadError(error, file, 'trace'), label('trace.place.file'));
    return reader;
  }
  try {
    const buffer = new Uint8Array(CHUNK_BYTES);
    for (let offset = 0; !reader.done; ) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, offset);
      if (n === 0) break;
      offset += n;
      reader.push(buffer.subarray(0, n));
    }
    reader.finish();
  } catch (error) {
    reader.failHere(describeReadError(error, file, 'trace'), label('trace.place.file'));
  } finally {
    fs.closeSync(fd);
  }
  return reader;
}

/**
 * A trace file read as it is written: each `readAvailable` reads what was added since the last
 * one, so a file another program is still writing can be followed (call it again when it
 * grows), and `finish` says that nothing more will come.
 */
export class TraceFile {
  readonly reader: TraceReader;
  private offset = 0;

  constructor(readonly path: string) {
    this.reader = new TraceReader(path);
  }

  /**
   * Reads what the file holds beyond what was read, a chunk at a time; `afterChunk` is called
   * after each, and `shouldStop` asked before each. Resolves with the bytes read (0: nothing new).
   * With `notYetIsEmpty`, a file that does not exist yet holds nothing yet (its writer has not
   * made it), rather than being a problem.
   */
  async readAvailable(options: { shouldStop?: () => boolean; afterChunk?: () => void; notYetIsEmpty?: boolean } = {}): Promise<number> {
    if (this.reader.done) return 0;
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(this.path, 'r');
    } catch (error) {
      if (options.notYetIsEmpty && this.offset === 0 && (error as { code?: unknown }).code === 'ENOENT') return 0;
      this.reader.failHere(describeReadError(error, this.path, 'trace'), label('trace.place.file'));
      return 0;
    }
    try {
      const { size } = await handle.stat();
      // A file that got shorter was rewritten: what was read no longer describes it.
      if (size < this.offset) {
        this.reader.failHere(label('trace.shrunk', { read: this.offset, size }), label('trace.place.end'));
        return 0;
      }
      const buffer = new Uint8Array(CHUNK_BYTES);
      let total = 0;
      while (!this.reader.done && !options.shouldStop?.()) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        total += bytesRead;
        this.reader.push(buffer.subarray(0, bytesRead));
        options.afterChunk?.();
      }
      return total;
    } catch (error) {
      this.reader.failHere(describeReadError(error, this.path, 'trace'), label('trace.place.file'));
      return 0;
    } finally {
      await handle.close();
    }
  }

  /** Nothing more will be read: the end of the file is the end of the trace. */
  finish(): void {
    this.reader.finish();
  }
}

/**
 * Reads the file's lines from `from` (the place of a line read before) up to the byte offset
 * `end`, handing each to `onLine` until it returns false. Reads a chunk at a time: a batch of a
 * large network is never held whole.
 */
export async function readLines(file: string, from: LinePlace, end: number, onLine: (line: RawLine) => boolean | void): Promise<void> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const splitter = new LineSplitter({ number: from.line, offset: from.offset });
    const buffer = new Uint8Array(Math.min(CHUNK_BYTES, Math.max(end - from.offset, 1)));
    for (let offset = from.offset; offset < end; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - offset), offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      if (!splitter.push(buffer.subarray(0, bytesRead), onLine)) return;
    }
  } finally {
    await handle.close();
  }
}
