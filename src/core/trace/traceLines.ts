import type { TrainingConfig } from '../config/types';
import type { Dataset } from '../data/dataset';
import type { TraceEvent } from './events';
import { traceLine, traceRun } from './fullTrace';

/**
 * The trace as JSONL: one line per event (`traceLine`), every number at full precision
 * (JSON.stringify writes the shortest decimal that reads back as the same double). What the
 * CLI prints and what Save Trace writes, byte for byte the same.
 */
export function traceLines(config: TrainingConfig, data: Dataset, write: (line: string, event: TraceEvent) => void): 'done' | 'diverged' {
  return traceRun(config, data, (event) => write(`${traceLine(event)}\n`, event));
}
