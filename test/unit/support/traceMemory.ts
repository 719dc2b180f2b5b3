import * as fs from 'node:fs';
import { TraceReader } from '../../../src/core/traceFile/traceReader';

/**
 * Reads the trace file named on the command line as the reader reads any file, a chunk at a
 * time, and prints what memory it took: run with --expose-gc (and a small heap limit) by the
 * memory test, in a process of its own so nothing else is on its heap.
 */
const file = process.argv[2];
const gc = (globalThis as { gc?: () => void }).gc!;
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

gc();
const baseline = used();
const reader = new TraceReader(file);
const fd = fs.openSync(file, 'r');
const buffer = new Uint8Array(1 << 20);
let peak = 0;
for (let offset = 0; ; ) {
  const n = fs.readSync(fd, buffer, 0, buffer.length, offset);
  if (n === 0) break;
  offset += n;
  reader.push(buffer.subarray(0, n));
  peak = Math.max(peak, used() - baseline);
}
fs.closeSync(fd);
reader.finish();
gc();
gc();
const retained = used() - baseline;
const summary = reader.summary!;
console.log(JSON.stringify({
  fileBytes: fs.statSync(file).size,
  peakBytes: peak,
  retainedBytes: retained,
  points: summary.epochs.reduce((n, e) => n + e.pointsDone, 0),
  batches: reader.index.batches,
  status: summary.status,
  problems: reader.problems.length,
}));
