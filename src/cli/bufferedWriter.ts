/** Gathers small writes into large ones: a long trace is millions of lines. */
export class BufferedWriter {
  private chunks: string[] = [];
  private size = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly limit = 1 << 16,
  ) {}

  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= this.limit) this.flush();
  }

  flush(): void {
    if (this.chunks.length === 0) return;
    this.stream.write(this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }
}
