import { label } from '../core/words/label';
import type { Words } from '../core/words/words';

/** A run shorter than this shows no progress at all. */
const QUIET_MS = 1000;
const EVERY_MS = 250;

/**
 * "epoch 3 of 10 · batch 120 of 500 · 24%" on one line of a terminal's stderr, from the second
 * second of a run on: a long run never looks like a hang. Cleared when the run ends.
 */
export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private shown = false;

  constructor(
    private readonly stderr: NodeJS.WritableStream,
    private readonly words: Words,
    private readonly where: () => { epoch: number; batch: number },
    private readonly size: { epochs: number; batches: number },
  ) {
    const start = setTimeout(() => {
      this.timer = setInterval(() => this.show(), EVERY_MS);
      this.show();
    }, QUIET_MS);
    this.timer = start;
  }

  private show(): void {
    const { epoch, batch } = this.where();
    const { epochs, batches } = this.size;
    const done = Math.max(0, epoch - 1) * batches + Math.max(0, batch - 1);
    const percent = Math.floor((100 * done) / Math.max(1, epochs * batches));
    this.stderr.write(`\r${this.words.text(label('cli.progress', { epoch: Math.max(epoch, 1), epochs, batch: Math.max(batch, 1), batches, percent }))}\x1b[K`);
    this.shown = true;
  }

  /** Stops updating and clears the line. */
  end(): void {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    if (this.shown) this.stderr.write('\r\x1b[K');
  }
}
