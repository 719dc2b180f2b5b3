import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, REPO, cli, tempDir } from './helpers';

const GOLDEN_CONFIGS = path.join(REPO, 'test', 'golden', 'configs');
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'traces');

/** Every config that runs: the examples and the golden ones (a diverging run among them). */
const CONFIGS = [
  ...['question', 'sgd', 'answer'].map((name) => path.join(EXAMPLES, `${name}.training.json`)),
  ...fs.readdirSync(GOLDEN_CONFIGS).filter((f) => f.endsWith('.training.json')).map((f) => path.join(GOLDEN_CONFIGS, f)),
].filter((file) => cli('run', file).code === 0);

describe('training-trace show', () => {
  it('has configs to try, a diverging one among them', () => {
    assert.ok(CONFIGS.length >= 7, CONFIGS.join(', '));
    assert.ok(CONFIGS.some((file) => file.endsWith('diverges.training.json')));
  });

  for (const config of CONFIGS) {
    it(`prints for the saved trace of ${path.basename(config)} the outline run prints for it, word for word`, () => {
      const trace = path.join(tempDir(), path.basename(config).replace('.training.json', '.trace.jsonl'));
      fs.writeFileSync(trace, cli('run', config, '--format', 'jsonl').stdout);
      const shown = cli('show', trace);
      assert.equal(shown.stderr, '');
      assert.equal(shown.code, 0);
      assert.equal(shown.stdout, cli('run', config).stdout);
    });
  }

  it('prints the outline of what came before a malformed line, then the line’s problem, and exits 2', () => {
    const lines = cli('run', path.join(EXAMPLES, 'question.training.json'), '--format', 'jsonl').stdout.split('\n');
    const trace = path.join(tempDir(), 'broken.trace.jsonl');
    fs.writeFileSync(trace, [...lines.slice(0, 40), '{"type": "forward", "epoch": 1,,', ...lines.slice(41)].join('\n'));
    const { code, stdout, stderr } = cli('show', trace);
    assert.equal(code, 2);
    assert.equal(stderr, `${trace}:41:32: (syntax): invalid JSON: expected a key in double quotes (JSON has no trailing commas)\n`);
    assert.match(stdout, /^20 data points × 8 features/);
    assert.match(stdout, /Stopped after 6 updates\n/);
    assert.doesNotMatch(stdout + stderr, /\n\s+at /);
  });

  it('reads a trace the PyTorch recorder wrote, its zero_grad() calls and all', () => {
    const { code, stdout, stderr } = cli('show', path.join(FIXTURES, 'pytorch-question.trace.jsonl'));
    assert.equal(code, 0);
    assert.match(stdout, /^20 data points × 8 features; network 8-4-1; batches of 2; 3 epochs; mse loss/);
    assert.match(stdout, /Training done: 3 epochs, 30 updates/);
    assert.equal(stderr, '');
  });

  it('exits 2 on a missing trace and on bad usage, never with a stack trace', () => {
    const missing = path.join(tempDir(), 'missing.trace.jsonl');
    assert.deepEqual(cli('show', missing), { code: 2, stdout: '', stderr: `${missing}:1:1: (file): trace file not found: ${missing}\n` });
    for (const args of [['show'], ['show', 'a.trace.jsonl', 'b.trace.jsonl'], ['show', '--format', 'jsonl']]) {
      const { code, stderr } = cli(...args);
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, /show takes exactly one trace file/);
    }
  });
});
