import type { RunSummary } from '../core/run/summary';
import { cursorOf, summaryDelta, type SummaryCursor, type SummaryDelta } from '../core/run/summaryDelta';

/** How often, at most, a reader gets a delta while a run streams (about 30 a second). */
export const DELTA_INTERVAL_MS = 33;

/**
 * Turns a growing summary into deltas for one reader (the panel): however fast the run
 * changes, at most one delta per interval, each holding everything since the last one.
 * Free of `vscode`, so plain Node tests count what it sends.
 */
export class DeltaStream {
  private cursor: SummaryCursor;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly summary: RunSummary,
    private readonly send: (delta: SummaryDelta) => void,
    private readonly intervalMs = DELTA_INTERVAL_MS,
  ) {
    this.cursor = cursorOf(summary);
  }

  /** The reader has just been sent the whole summary (a snapshot): only later changes are news. */
  caughtUp(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.cursor = cursorOf(this.summary);
  }

  /** The summary changed: a delta goes out at the end of the current interval. */
  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const next = summaryDelta(this.summary, this.cursor);
      if (!next) return;
      this.cursor = next.cursor;
      this.send(next.delta);
    }, this.intervalMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
