import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, REPO, tempDir } from './helpers';

/** The built CLI, as a user runs it. */
function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(REPO, 'bin', 'training-trace.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the training-trace CLI', () => {
  it('prints the answer’s gradients in the jsonl trace', () => {
    const { code, stdout } = cli('run', path.join(EXAMPLES, 'answer.training.json'), '--format', 'jsonl');
    assert.equal(code, 0);
    const events = stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(events.filter((e) => e.type === 'backward').map((e) => e.gradient.weights[0][0][0]), [-0.006, -0.024]);
    assert.equal(events.find((e) => e.type === 'update').gradient.weights[0][0][0], -0.03);
    assert.match(stdout, /"weights":\[\[\[-0\.006\]\]\]/);
  });

  it('is deterministic: the same config gives a byte-identical trace', () => {
    const config = path.join(EXAMPLES, 'question.training.json');
    const first = cli('run', config, '--format=jsonl');
    const second = cli('run', config, '--format=jsonl');
    assert.equal(first.code, 0);
    assert.ok(first.stdout.length > 10_000);
    assert.equal(first.stdout, second.stdout);
  });

  it('prints the outline without colour when the output is not a terminal', () => {
    const { code, stdout } = cli('run', path.join(EXAMPLES, 'question.training.json'));
    assert.equal(code, 0);
    assert.match(stdout, /✗ C1 \(correction: Weights are initialised once\)/);
    assert.match(stdout, /Gradient added to the batch sum \(1 of 2\) — weights not updated yet/);
    assert.doesNotMatch(stdout, /\x1b\[/);
  });

  it('exits 2 with located messages, all of them, and no stack trace, on a bad config', () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.training.json');
    fs.writeFileSync(file, '{\n  "data": {"generate": "xor"},\n  "model": {"layers": [{"units": 0}]},\n  "epochs": "3"\n}\n');
    const { code, stdout, stderr } = cli('run', file);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    const lines = stderr.trim().split('\n');
    assert.deepEqual(lines, [
      `${file}:3:34: $.model.layers[0].units: must be an integer ≥ 1 and ≤ 100000, found 0`,
      `${file}:4:13: $.epochs: must be an integer ≥ 1 and ≤ 1000000, found "3"`,
    ]);
  });

  it('exits 2 on a missing file and on bad usage, never with a stack trace', () => {
    for (const args of [['run', 'missing.training.json'], ['run'], ['fly'], ['run', 'x.json', '--format', 'xml'], []]) {
      const { code, stderr } = cli(...args);
      assert.equal(code, 2, args.join(' '));
      assert.doesNotMatch(stderr, /\n\s+at /, `${args.join(' ')}: ${stderr}`);
    }
  });

  it('exits 0 on a run that diverges, with the trace ending in "diverged"', () => {
    const dir = tempDir();
    const file = path.join(dir, 'wild.training.json');
    fs.writeFileSync(file, JSON.stringify({ data: { inputs: [[1000]], targets: [[0]] }, model: { layers: [{ units: 1 }] }, optimizer: { learningRate: 10 }, epochs: 50 }));
    const { code, stdout } = cli('run', file, '--format', 'jsonl');
    assert.equal(code, 0);
    const last = JSON.parse(stdout.trim().split('\n').pop()!);
    assert.equal(last.type, 'diverged');
  });
});
