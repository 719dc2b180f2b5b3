import type { TrainingConfig } from '../core/config/types';
import type { Dataset } from '../core/data/dataset';
import type { SummaryDelta } from '../core/run/summaryDelta';
import type { Checkpoint } from '../core/train/trainer';

/** What the extension host gives the trainer worker: the checked config and its data. */
export interface WorkerInput {
  config: TrainingConfig;
  data: Dataset;
  /** How often, at most, the worker reports progress. */
  flushMs: number;
}

/** The trainer worker's reports, in order: started, progress…, then finished or failed. */
export type WorkerMessage =
  | { type: 'started'; checkpointInterval: number }
  | { type: 'progress'; delta: SummaryDelta; checkpoints: { globalBatch: number; checkpoint: Checkpoint }[] }
  | { type: 'finished' }
  | { type: 'failed'; message: string };
