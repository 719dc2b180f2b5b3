import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { traceLines } from '../core/trace/traceLines';
import type { TraceWriterInput, TraceWriterMessage } from './traceWriterMessages';

/**
 * Trains the run again with the full-trace observer and streams its trace to a file, off the
 * extension host's thread: a long run's full trace is far larger than its summary, so it is
 * written as it is made (in writes of about 1 MB) rather than held. The host cancels by
 * terminating this worker, and removes the partial file.
 */
const input = workerData as TraceWriterInput;
const port = parentPort!;
const post = (message: TraceWriterMessage) => port.postMessage(message);
const FLUSH_CHARS = 1 << 20;

try {
  const fd = fs.openSync(input.file, 'w');
  let pending: string[] = [];
  let chars = 0;
  let bytes = 0;
  const flush = () => {
    bytes += fs.writeSync(fd, pending.join(''));
    pending = [];
    chars = 0;
  };
  let batches = 0;
  let reported = Date.now();
  traceLines(input.config, input.data, (line, event) => {
    pending.push(line);
    chars += line.length;
    if (chars >= FLUSH_CHARS) flush();
    if (event.type !== 'update') return;
    batches++;
    if (Date.now() - reported >= input.progressMs) {
      post({ type: 'progress', batches });
      reported = Date.now();
    }
  });
  flush();
  fs.closeSync(fd);
  post({ type: 'written', bytes });
} catch (error) {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
