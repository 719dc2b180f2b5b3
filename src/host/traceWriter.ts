import * as fs from 'node:fs';
import { startWorker } from './resources';
import type { TrainingConfig } from '../core/config/types';
import type { Dataset } from '../core/data/dataset';
import type { TraceWriterInput, TraceWriterMessage } from '../worker/traceWriterMessages';

/** How often, at most, the writer reports how far it is. */
const PROGRESS_MS = 100;

/**
 * Writes a config's full trace to `file` (byte for byte what `training-trace run --format
 * jsonl` prints) by training it again in a worker that streams the lines to disk. The lines go
 * to a file beside the target that replaces it only once complete, so a cancelled or failed
 * save leaves no half trace and the old file, if any, untouched. Free of `vscode`.
 */
export function writeTraceFile(
  config: TrainingConfig,
  data: Dataset,
  file: string,
  workerScript: string,
  onProgress: (batchesDone: number) => void = () => {},
  signal?: AbortSignal,
): Promise<'written' | 'cancelled'> {
  const partial = `${file}.${process.pid}-${Date.now()}.partial`;
  const input: TraceWriterInput = { config, data, file: partial, progressMs: PROGRESS_MS };
  const worker = startWorker(workerScript, { workerData: input });
  return new Promise((resolve, reject) => {
    // Whatever happens first decides; the worker's exit (on its own, or terminated) settles it.
    let outcome: 'written' | 'cancelled' | Error | undefined;
    const abort = () => {
      outcome ??= 'cancelled';
      void worker.terminate();
    };
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort);
    worker.on('message', (message: TraceWriterMessage) => {
      if (message.type === 'progress') onProgress(message.batches);
      else outcome ??= message.type === 'written' ? 'written' : new Error(message.message);
    });
    worker.on('error', (error) => (outcome ??= error));
    worker.on('exit', () => {
      signal?.removeEventListener('abort', abort);
      try {
        if (outcome === 'written') fs.renameSync(partial, file);
        else fs.rmSync(partial, { force: true });
      } catch (error) {
        outcome = error as Error;
      }
      if (outcome === 'written' || outcome === 'cancelled') resolve(outcome);
      else reject(outcome ?? new Error('the trace writer stopped before it had written the trace'));
    });
  });
}
