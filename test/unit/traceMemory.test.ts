import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { traceRun } from '../../src/core/trace/fullTrace';
import { loadOk, tempDir } from './helpers';

/** Writes a config's full trace to a file as it is made, in large writes: the test's own memory stays small too. */
function writeLargeTrace(points: number): string {
  const { config, data } = loadOk({ data: { generate: 'linear', count: points, features: 16 }, model: { layers: [{ units: 32, activation: 'tanh' }, { units: 1 }] }, batchSize: 8, epochs: 1 });
  const file = path.join(tempDir(), `large-${points}.trace.jsonl`);
  const fd = fs.openSync(file, 'w');
  let pending: string[] = [];
  let size = 0;
  const flush = () => {
    fs.writeSync(fd, pending.join(''));
    pending = [];
    size = 0;
  };
  traceRun(config, data, (event) => {
    const line = `${JSON.stringify(event)}\n`;
    pending.push(line);
    size += line.length;
    if (size > 1 << 22) flush();
  });
  flush();
  fs.closeSync(fd);
  return file;
}

interface Measured {
  fileBytes: number;
  peakBytes: number;
  retainedBytes: number;
  points: number;
  batches: number;
  status: string;
  problems: number;
}

/** Reads the file in a process of its own with a 48 MB heap limit: a reader that held the file would not fit. */
function measure(file: string): Measured {
  const script = path.join(__dirname, 'support', 'traceMemory.js');
  const result = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=48', script, file], { encoding: 'utf8' });
  fs.rmSync(file);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Measured;
}

describe('a large trace', function () {
  this.timeout(180_000);

  it('is read as a stream: its memory does not grow with the file, only the summary (a few numbers a point) stays', () => {
    const small = measure(writeLargeTrace(1_500));
    const large = measure(writeLargeTrace(6_000));
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
    console.log(`      trace of ${large.points} points: file ${mb(large.fileBytes)}, peak heap while reading ${mb(large.peakBytes)} (${(large.peakBytes / large.fileBytes).toFixed(3)} of the file), kept after ${mb(large.retainedBytes)}; ${small.points} points: file ${mb(small.fileBytes)}, peak ${mb(small.peakBytes)}, kept ${mb(small.retainedBytes)}`);
    for (const m of [small, large]) {
      assert.equal(m.status, 'done');
      assert.equal(m.problems, 0);
    }
    assert.equal(large.points, 6_000);
    assert.ok(large.fileBytes > 90e6, `the large trace is large: ${mb(large.fileBytes)}`);
    // Four times the file, not four times the memory: the lines pass through (the peak is mostly garbage
    // the collector has not taken yet); what stays is the data rows, the summary and the index.
    assert.ok(large.peakBytes < large.fileBytes / 3, `peak ${mb(large.peakBytes)} for a file of ${mb(large.fileBytes)}`);
    assert.ok(large.retainedBytes < large.fileBytes / 10, `kept ${mb(large.retainedBytes)} of a file of ${mb(large.fileBytes)}`);
    assert.ok(large.retainedBytes - small.retainedBytes < (large.fileBytes - small.fileBytes) / 10, `kept ${mb(small.retainedBytes)} then ${mb(large.retainedBytes)}`);
  });
});
