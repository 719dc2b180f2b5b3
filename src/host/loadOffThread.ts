import { wholeFileFailure, type LoadResult } from '../core/load/loadConfig';
import { label, type Label } from '../core/words/label';
import type { LoaderInput, LoaderMessage } from '../worker/loaderMessages';
import { startWorker } from './resources';

/** The loader's heap may grow this far (a large JSON data file) before its worker, not the host, runs out. */
const LOADER_HEAP_MB = 1536;

/** A check in progress: its result, or cancel it (its worker is terminated, the result is undefined). */
export interface PendingLoad {
  readonly result: Promise<LoadResult | undefined>;
  cancel(): void;
}

/**
 * Checks a config and reads its data in a worker thread (`dist/loaderWorker.js`): parsing a
 * large config or CSV never holds up the extension host. However the worker ends, the result
 * settles: with the load's result, or a problem that says why there is none.
 */
export function loadOffThread(script: string, input: LoaderInput): PendingLoad {
  const worker = startWorker(script, { workerData: input, resourceLimits: { maxOldGenerationSizeMb: LOADER_HEAP_MB } });
  let settle!: (result: LoadResult | undefined) => void;
  const result = new Promise<LoadResult | undefined>((resolve) => (settle = resolve));
  let settled = false;
  const finish = (value: LoadResult | undefined) => {
    if (settled) return;
    settled = true;
    settle(value);
    void worker.terminate();
  };
  const failed = (message: Label) => wholeFileFailure(input.file, message);
  worker.on('message', (message: LoaderMessage) => finish(message.type === 'loaded' ? message.result : failed(label('host.loadFailed', { reason: message.message }))));
  worker.on('error', (error) => finish(failed(label('host.loadFailed', { reason: error.message }))));
  worker.on('exit', (code) => finish(failed(label('host.loaderExited', { code }))));
  return { result, cancel: () => finish(undefined) };
}
