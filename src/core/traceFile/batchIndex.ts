/** Where a line of a trace file is: its byte offset and its number. */
export interface LinePlace {
  offset: number;
  line: number;
}

/**
 * Where each batch of a trace is written, so that a node's numbers are read back from the
 * file on demand instead of being kept: per batch (counted across epochs from 0, as
 * `globalBatch` counts them) the place of its batchStart line and of its update line: 24 bytes
 * a batch, in arrays that grow by doubling. (Line numbers fit 32 bits: a run visits at most
 * LIMITS.runPoints points, a few lines each.)
 */
export class BatchIndex {
  private starts = new Float64Array(64);
  private startLines = new Uint32Array(64);
  /** Where the batch's update line is; its line number is 0 while the update has not come. */
  private updates = new Float64Array(64);
  private updateLines = new Uint32Array(64);
  private size = 0;

  /** Batches begun. */
  get batches(): number {
    return this.size;
  }

  /** Batch `globalBatch` has begun at `place` (batches come in order). */
  begin(globalBatch: number, place: LinePlace): void {
    if (globalBatch !== this.size) throw new Error(`batch ${globalBatch} indexed after ${this.size}`);
    if (this.size === this.starts.length) this.grow();
    this.starts[this.size] = place.offset;
    this.startLines[this.size] = place.line;
    this.size++;
  }

  /** The update of batch `globalBatch` is at `place`. */
  updated(globalBatch: number, place: LinePlace): void {
    this.updates[globalBatch] = place.offset;
    this.updateLines[globalBatch] = place.line;
  }

  start(globalBatch: number): LinePlace | undefined {
    return globalBatch < this.size ? { offset: this.starts[globalBatch], line: this.startLines[globalBatch] } : undefined;
  }

  update(globalBatch: number): LinePlace | undefined {
    if (globalBatch >= this.size || this.updateLines[globalBatch] === 0) return undefined;
    return { offset: this.updates[globalBatch], line: this.updateLines[globalBatch] };
  }

  private grow(): void {
    const grown = <T extends Float64Array | Uint32Array>(old: T, make: (n: number) => T): T => {
      const next = make(old.length * 2);
      next.set(old);
      return next;
    };
    this.starts = grown(this.starts, (n) => new Float64Array(n));
    this.startLines = grown(this.startLines, (n) => new Uint32Array(n));
    this.updates = grown(this.updates, (n) => new Float64Array(n));
    this.updateLines = grown(this.updateLines, (n) => new Uint32Array(n));
  }
}
