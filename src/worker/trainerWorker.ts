import { parentPort, workerData } from 'node:worker_threads';
import { prepareRecordedRun, summaryObserver } from '../core/run/recordRun';
import { EMPTY_CURSOR, summaryDelta } from '../core/run/summaryDelta';
import type { Checkpoint } from '../core/train/trainer';
import type { WorkerInput, WorkerMessage } from './messages';

/**
 * Trains off the extension host's thread. Progress goes out as summary deltas plus the new
 * checkpoints, at most every `flushMs`, so the host's thread only ever applies small messages.
 * The host stops a run by terminating this worker; nothing here needs to clean up.
 */
const input = workerData as WorkerInput;
const port = parentPort!;
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  const { trainer, recorder, checkpoints } = prepareRecordedRun(input.config, input.data);
  post({ type: 'started', checkpointInterval: checkpoints.interval });

  let pending: { globalBatch: number; checkpoint: Checkpoint }[] = [];
  let cursor = EMPTY_CURSOR;
  let lastFlush = Date.now();
  const flush = () => {
    const next = summaryDelta(recorder.summary, cursor);
    if (!next && pending.length === 0) return;
    const delta = next?.delta ?? { epochs: [], status: recorder.summary.status };
    if (next) cursor = next.cursor;
    // The worker never replays, so its checkpoints' buffers can move to the host without a copy.
    const transfer = pending.flatMap(({ checkpoint }) => [...checkpoint.weights, ...checkpoint.biases, ...checkpoint.optimizer.buffers].map((a) => a.buffer as ArrayBuffer));
    post({ type: 'progress', delta, checkpoints: pending }, transfer);
    pending = [];
    lastFlush = Date.now();
  };
  const sink = { wants: (g: number) => checkpoints.wants(g), add: (globalBatch: number, checkpoint: Checkpoint) => pending.push({ globalBatch, checkpoint }) };
  const summarise = summaryObserver(recorder);
  const outcome = trainer.run(
    {
      ...summarise,
      update: (epoch, batch, size, gradientNorm) => {
        summarise.update?.(epoch, batch, size, gradientNorm);
        if (Date.now() - lastFlush >= input.flushMs) flush();
      },
    },
    sink,
  );
  if (outcome === 'done') recorder.finish('done');
  flush();
  post({ type: 'finished' });
} catch (error) {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
