import * as path from 'node:path';
import { refFromId } from '../core/outline/tree';
import { isDetailRef, type NodeDetail } from '../core/run/detail';
import type { RunStatus, RunSummary } from '../core/run/summary';
import { TraceDetails } from '../core/traceFile/traceDetails';
import { TraceFile } from '../core/traceFile/traceFile';
import type { Problem } from '../core/validation/problems';
import { label, type Label } from '../core/words/label';
import type { PanelSession } from './session';

export interface TraceOpenOptions {
  /**
   * Keep reading as the file grows, until its trace ends (done or diverged), a problem stops
   * it, or `stop`: for a trace another program is still writing. Without it, the end of the
   * file is the end of the trace.
   */
  follow?: boolean;
  /** How often a followed file is looked at for new lines. */
  pollMs?: number;
  /** Gives up waiting for a followed file's first line. */
  signal?: AbortSignal;
}

/** A trace that opened (its run event was read), or what is wrong with its first lines. */
export type TraceOpened = { session: TraceSession } | { problems: Problem[] };

const DEFAULT_POLL_MS = 100;

/**
 * A run read from a trace file, shown exactly as a live run: the summary fills as the file is
 * read (a large trace opens as a stream, its first epochs shown while the rest is read), a
 * followed file keeps growing it, and a node's numbers are read back from the file when asked.
 * A problem in the file ends the reading at its line; what came before stays shown.
 */
export class TraceSession implements PanelSession {
  readonly kind = 'trace';
  readonly summary: RunSummary;
  readonly finished: Promise<RunStatus>;
  private readonly details: TraceDetails;
  private readonly listeners = new Set<() => void>();
  private readonly pumped: Promise<void>;
  private settle!: (status: RunStatus) => void;
  private stopping = false;
  /** A followed file will not grow any more (its writer has ended): read what is there, then end. */
  private writerEnded = false;
  private wake: (() => void) | undefined;

  /** Reads the file's first lines: a session once its run event is known, its problems otherwise. */
  static async open(file: string, options: TraceOpenOptions = {}): Promise<TraceOpened> {
    const traceFile = new TraceFile(file);
    const { reader } = traceFile;
    for (;;) {
      await traceFile.readAvailable({ shouldStop: () => reader.summary !== undefined, notYetIsEmpty: options.follow });
      if (reader.summary) return { session: new TraceSession(traceFile, options) };
      if (reader.error) return { problems: reader.problems };
      if (!options.follow || options.signal?.aborted) {
        traceFile.finish();
        return { problems: reader.problems };
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? DEFAULT_POLL_MS));
    }
  }

  private constructor(
    private readonly traceFile: TraceFile,
    private readonly options: TraceOpenOptions,
  ) {
    this.summary = traceFile.reader.summary!;
    this.details = new TraceDetails(traceFile.reader);
    this.finished = new Promise((resolve) => (this.settle = resolve));
    this.pumped = this.pump();
  }

  get file(): string {
    return this.traceFile.path;
  }

  /** The problem that stopped the reading, at its place in the file. */
  get error(): Label | undefined {
    const problem = this.traceFile.reader.error;
    return problem && label('problem.line', { file: path.basename(problem.file), line: problem.line, column: problem.column, path: problem.path, message: problem.message });
  }

  /** Everything to report about the file: the problem that stopped the reading, and notes of what was skipped. */
  get problems(): Problem[] {
    return this.traceFile.reader.problems;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The numbers of a node, read back from the file (a TraceChanged error when the file was rewritten since). */
  async detail(nodeId: string): Promise<NodeDetail | undefined> {
    const ref = refFromId(this.summary, nodeId);
    if (!ref || !isDetailRef(ref)) return undefined;
    return this.details.detail(ref);
  }

  /**
   * The program writing a followed file has ended: what it wrote is read to the end, and a
   * trace without its last event is then said to be cut short, at its place.
   */
  endFollowing(): void {
    this.writerEnded = true;
    this.wake?.();
  }

  /** Stops reading (a followed file is no longer followed); what was read stays, as stopped. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.pumped;
  }

  private async pump(): Promise<void> {
    const { reader } = this.traceFile;
    while (!this.stopping && !reader.done) {
      const read = await this.traceFile.readAvailable({ shouldStop: () => this.stopping, afterChunk: () => this.changed() });
      if (reader.done || this.stopping) break;
      if (!this.options.follow || this.writerEnded) {
        this.traceFile.finish();
        break;
      }
      if (read === 0) await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs ?? DEFAULT_POLL_MS);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    reader.abandon();
    this.settle(this.summary.status);
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
