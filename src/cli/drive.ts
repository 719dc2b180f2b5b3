import type { Output } from './output';

/** The longest the CLI trains or writes before it lets the event loop turn (signals, progress, drains). */
const SLICE_MS = 50;

/** Whether the learner has asked the CLI to stop (Ctrl-C). */
export interface StopSignal {
  requested: boolean;
}

/** A run that can pause after any point: a TrainingRun, or a trace made of one. */
export interface Advancing {
  advance(pause?: () => boolean): 'paused' | 'done' | 'diverged';
}

/**
 * Trains and writes in slices of at most SLICE_MS, whichever it is doing: between slices it
 * waits for the output to drain and lets timers and signals run, so memory stays bounded, the
 * progress line moves and Ctrl-C is heard at once.
 */
export class Driver {
  private sliceEnd = performance.now() + SLICE_MS;

  constructor(
    private readonly output: Output,
    private readonly stop: StopSignal,
  ) {}

  /** Trains until the run ends, `wanted()` asks for a pause (an epoch's lines are ready), or a stop. */
  async train(run: Advancing, wanted: () => boolean = () => false): Promise<'paused' | 'done' | 'diverged' | 'stopped'> {
    const { output, stop } = this;
    for (;;) {
      if (stop.requested || output.failure) return 'stopped';
      let asked = 0;
      // The clock is read every 64 points: often enough for a large network, cheap for a tiny one.
      const outcome = run.advance(() => wanted() || output.full || stop.requested || ((++asked & 63) === 0 && this.due()));
      if (outcome !== 'paused') return outcome;
      if (this.due() || output.full) await this.breathe();
      if (wanted() && !stop.requested) return 'paused';
    }
  }

  /** Writes lines from `lines` until it ends. False when stopped (or the output failed). */
  async write(lines: Iterator<string>): Promise<boolean> {
    const { output, stop } = this;
    for (;;) {
      for (let n = 1; ; n++) {
        if (stop.requested || output.failure) return false;
        const next = lines.next();
        if (next.done) return true;
        output.line(next.value);
        if (output.full || ((n & 15) === 0 && this.due())) break;
      }
      await this.breathe();
    }
  }

  private due(): boolean {
    return performance.now() > this.sliceEnd;
  }

  /**
   * Waits for the output to drain when it is full, then lets the event loop turn once (a file's
   * 'drain' comes on the next tick, which alone would never let a signal or a timer through).
   */
  private async breathe(): Promise<void> {
    this.output.flush();
    if (this.output.full) await this.output.drained();
    await new Promise((resolve) => setImmediate(resolve));
    this.sliceEnd = performance.now() + SLICE_MS;
  }
}
