import type { Worker } from 'node:worker_threads';
import type { TrainingConfig } from '../core/config/types';
import type { Dataset } from '../core/data/dataset';
import { refFromId } from '../core/outline/tree';
import { CheckpointStore } from '../core/run/checkpoints';
import { isDetailRef, type NodeDetail } from '../core/run/detail';
import { NumbersNotReady, Replayer, type DetailOptions } from '../core/run/replay';
import { SummaryRecorder, runShape, type RunStatus, type RunSummary } from '../core/run/summary';
import { applySummaryDelta } from '../core/run/summaryDelta';
import { label, type Label } from '../core/words/label';
import type { WorkerInput, WorkerMessage } from '../worker/messages';
import { DELTA_INTERVAL_MS } from './deltaStream';
import type { PanelSession } from './session';
import { startWorker, track } from './resources';

/**
 * One training run of one config, owned by the extension host: the trainer runs in a worker
 * thread; this side keeps the summary and the checkpoints it streams, and answers detail
 * requests by replay. Free of `vscode`, so plain Node tests drive it as the extension does.
 */
export class RunSession implements PanelSession {
  readonly kind = 'config';
  readonly summary: RunSummary;
  /** Settles when the run has ended, however it ended. */
  readonly finished: Promise<RunStatus>;
  private readonly worker: Worker;
  private checkpoints: CheckpointStore | undefined;
  private replayer: Replayer | undefined;
  private readonly listeners = new Set<() => void>();
  private settle!: (status: RunStatus) => void;
  private failure: Label | undefined;
  private ended = false;

  constructor(
    readonly file: string,
    readonly config: TrainingConfig,
    readonly data: Dataset,
    workerScript: string,
  ) {
    this.summary = new SummaryRecorder(runShape(config, data)).summary;
    this.finished = new Promise((resolve) => (this.settle = resolve));
    // The worker reports as often as the panel is refreshed, at most.
    const input: WorkerInput = { config, data, flushMs: DELTA_INTERVAL_MS };
    this.worker = startWorker(workerScript, { workerData: input });
    this.worker.on('message', (message: WorkerMessage) => this.receive(message));
    this.worker.on('error', (error) => this.end('stopped', label('session.trainerFailed', { reason: error.message })));
    // A worker that exits before saying it finished did not finish: it failed, and says so (a stop ends the run first).
    this.worker.on('exit', (code) => this.end('stopped', label('session.trainerExited', { code })));
  }

  get running(): boolean {
    return this.summary.status === 'running';
  }

  /** Why the run ended early, when it failed rather than being stopped. */
  get error(): Label | undefined {
    return this.failure;
  }

  /** Called after every change to the summary or the status. */
  onDidChange(listener: () => void): { dispose(): void } {
    // A fresh function per subscription, so the same listener twice is two subscriptions.
    const entry = () => listener();
    this.listeners.add(entry);
    const release = track('listener');
    return {
      dispose: () => {
        this.listeners.delete(entry);
        release();
      },
    };
  }

  /** Stops the trainer now (its worker is terminated) and waits until it is gone. */
  async stop(): Promise<void> {
    if (this.running) this.end('stopped');
    await this.worker.terminate();
  }

  /** The full numbers of a node, recomputed by replay; undefined for a node without any. */
  async detail(nodeId: string, options?: DetailOptions): Promise<NodeDetail | undefined> {
    const ref = refFromId(this.summary, nodeId);
    if (!ref || !isDetailRef(ref)) return undefined;
    if (!this.checkpoints) throw new NumbersNotReady();
    this.replayer ??= new Replayer(this.config, this.data, this.summary, this.checkpoints);
    return this.replayer.detail(ref, options);
  }

  private receive(message: WorkerMessage): void {
    // A terminated worker's last messages still arrive: a run that has ended takes no more news.
    if (this.ended) return;
    switch (message.type) {
      case 'started':
        this.checkpoints = new CheckpointStore(message.checkpointInterval);
        return;
      case 'progress':
        for (const { globalBatch, checkpoint } of message.checkpoints) this.checkpoints?.add(globalBatch, checkpoint);
        applySummaryDelta(this.summary, message.delta);
        if (!this.running) this.end(this.summary.status);
        else this.changed();
        return;
      case 'finished':
        this.end(this.summary.status === 'running' ? 'done' : this.summary.status);
        return;
      case 'failed':
        this.end('stopped', label('session.trainerFailed', { reason: message.message }));
        return;
    }
  }

  private end(status: RunStatus, failure?: Label): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    if (this.summary.status === 'running') this.summary.status = status;
    this.settle(this.summary.status);
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
