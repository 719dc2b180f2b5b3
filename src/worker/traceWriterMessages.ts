import type { TrainingConfig } from '../core/config/types';
import type { Dataset } from '../core/data/dataset';

/** What the trace writer worker is given: the run to trace again, and the file to write it to. */
export interface TraceWriterInput {
  config: TrainingConfig;
  data: Dataset;
  file: string;
  /** How often, at most, the worker reports progress. */
  progressMs: number;
}

/** The trace writer's reports: progress (batches written), then written or failed. */
export type TraceWriterMessage = { type: 'progress'; batches: number } | { type: 'written'; bytes: number } | { type: 'failed'; message: string };
