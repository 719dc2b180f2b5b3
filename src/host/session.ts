import type { NodeDetail } from '../core/run/detail';
import type { DetailOptions } from '../core/run/replay';
import type { RunStatus, RunSummary } from '../core/run/summary';
import type { Label } from '../core/words/label';

/**
 * What a panel shows: a run, live or read from a file. The panel draws `summary` (sent as a
 * snapshot, then as deltas after each `onDidChange`), asks `detail` for a node's numbers, and
 * shows `error` when the run could not go on. A config's run (`RunSession`, trained in a worker)
 * and a trace file (`TraceSession`, read as it streams or grows) are the two kinds; free of
 * `vscode`, so plain Node tests drive them as the extension does.
 */
export interface PanelSession {
  /** What the run comes from: a config it trains, or a trace file it reads. */
  readonly kind: 'config' | 'trace';
  /** The config's or the trace's absolute path. */
  readonly file: string;
  /** Grows while the run goes on (trains, or is read); its status says when it has ended. */
  readonly summary: RunSummary;
  /** Why the run ended early, when it failed rather than being stopped: said at a place for a trace. */
  readonly error: Label | undefined;
  /** Settles when the run has ended, however it ended. */
  readonly finished: Promise<RunStatus>;
  /** Called after every change to the summary, the status or the error. */
  onDidChange(listener: () => void): { dispose(): void };
  /**
   * The full numbers of a node; undefined for a node without any. May reject with an error that
   * has a `label` for the learner. `options` matter where numbers are recomputed (a config's run).
   */
  detail(nodeId: string, options?: DetailOptions): Promise<NodeDetail | undefined>;
  /** Ends the run now (stops the trainer, or the reading) and waits until it has. */
  stop(): Promise<void>;
}
