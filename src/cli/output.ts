/** Text gathered per write to the stream: a long trace is millions of lines. */
const GATHER_CHARS = 1 << 16;
/** The most handed to the stream at once: one event of a large network can be tens of MB. */
const PIECE_CHARS = 1 << 20;

/**
 * The CLI's output, written with the stream's back-pressure: small writes are gathered, and
 * `full` says when the stream holds as much as it wants, so the run pauses until `drained()`.
 * Memory stays bounded however fast the run and however slow the reader (`| wc -c`, a full
 * pipe, a slow disk). A write error (EPIPE, ENOSPC…) is kept in `failure`, not thrown.
 */
export class Output {
  private chunks: string[] = [];
  private size = 0;
  failure: NodeJS.ErrnoException | undefined;

  constructor(private readonly stream: NodeJS.WritableStream & { writableNeedDrain?: boolean }) {
    stream.on('error', (error: NodeJS.ErrnoException) => (this.failure ??= error));
  }

  line(text: string): void {
    this.chunks.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= GATHER_CHARS) this.flush();
  }

  /** Hands everything gathered to the stream. */
  flush(): void {
    if (this.chunks.length === 0) return;
    const text = this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    if (this.failure) return;
    for (let at = 0; at < text.length; at += PIECE_CHARS) this.stream.write(at === 0 && text.length <= PIECE_CHARS ? text : text.slice(at, at + PIECE_CHARS));
  }

  /** The stream has as much as it wants (or cannot take more): pause until `drained`. */
  get full(): boolean {
    return this.failure !== undefined || this.stream.writableNeedDrain === true;
  }

  /** Resolves once the stream wants more, or has failed, or after `timeoutMs` when given. */
  drained(timeoutMs?: number): Promise<void> {
    if (!this.full || this.failure) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.stream.off('drain', done);
        this.stream.off('error', done);
        this.stream.off('close', done);
        resolve();
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
      this.stream.on('drain', done);
      this.stream.on('error', done);
      this.stream.on('close', done);
    });
  }
}
