import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Rng, RngStream } from '../../src/core/rng';
import { EXAMPLES, REPO, randomConfig, tempDir, trace } from './helpers';

const ORACLE = path.join(REPO, 'test', 'oracle', 'reference_trainer.py');

/** The CLI's jsonl trace of a config file. */
function traceOf(file: string): string {
  const run = spawnSync(process.execPath, [path.join(REPO, 'bin', 'training-trace.js'), 'run', file, '--format', 'jsonl'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

/** The independent Python trainer's verdict on a trace. */
function oracle(trace: string): { code: number | null; output: string } {
  const result = spawnSync('python3', [ORACLE], { input: trace, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.error) throw new Error(`python3 is needed for the oracle: ${result.error.message}`);
  return { code: result.status, output: result.stdout + result.stderr };
}

describe('the trace against an independent implementation (Python, from the README alone)', function () {
  this.timeout(60_000);
  it('agrees on the bundled examples to 1e-9 relative', () => {
    for (const name of fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.training.json'))) {
      const verdict = oracle(traceOf(path.join(EXAMPLES, name)));
      assert.equal(verdict.code, 0, `${name}: ${verdict.output}`);
    }
  });

  it('agrees on configs nobody wrote by hand: random sizes, activations, losses, optimizers and batch options', () => {
    const rng = new Rng(31337, RngStream.data);
    for (let c = 0; c < 60; c++) {
      const config = randomConfig(rng);
      // In process, as the CLI writes it: one JSON event per line.
      const jsonl = trace(config).map((e) => `${JSON.stringify(e)}\n`).join('');
      const verdict = oracle(jsonl);
      assert.equal(verdict.code, 0, `${JSON.stringify(config)}: ${verdict.output}`);
      assert.match(verdict.output, /^reference: OK/);
    }
  });

  it('agrees on data read from a CSV with a class-number column (cross-entropy)', () => {
    const dir = tempDir();
    const rows = ['a,b,label', ...Array.from({ length: 9 }, (_, i) => `${(i * 0.37) % 1},${(i * 0.71) % 1 - 0.5},${i % 3}`)];
    fs.writeFileSync(path.join(dir, 'points.csv'), rows.join('\n'));
    const file = path.join(dir, 'csv.training.json');
    fs.writeFileSync(file, JSON.stringify({ data: { file: 'points.csv' }, model: { layers: [{ units: 5, activation: 'relu' }, { units: 3 }] }, loss: 'cross-entropy', batchSize: 4, epochs: 3, optimizer: { type: 'adam', learningRate: 0.05 } }));
    assert.equal(oracle(traceOf(file)).code, 0);
  });

  it('catches a trace that is off by one part in a million', () => {
    const lines = traceOf(path.join(EXAMPLES, 'question.training.json')).trim().split('\n');
    const i = lines.findIndex((l) => l.includes('"type":"update"'));
    const update = JSON.parse(lines[i]);
    update.weights[0][1][2] *= 1 + 1e-6;
    lines[i] = JSON.stringify(update);
    const verdict = oracle(`${lines.join('\n')}\n`);
    assert.equal(verdict.code, 1, verdict.output);
    assert.match(verdict.output, /weights\[0\]\[1\]\[2\]/);
  });
});
