import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, REPO, cli, tempDir } from './helpers';

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

  describe('on a long run, with the output and the learner working against it', () => {
    const CLI = path.join(REPO, 'bin', 'training-trace.js');
    const longConfig = () => {
      const file = path.join(tempDir(), 'long.training.json');
      fs.writeFileSync(file, JSON.stringify({ data: { generate: 'random', count: 20, features: 8 }, model: { layers: [{ units: 16, activation: 'tanh' }, { units: 1 }] }, batchSize: 2, epochs: 1000000 }));
      return file;
    };

    for (const format of ['outline', 'jsonl']) {
      it(`stops at Ctrl-C (${format}): exit 130, one line on stderr, whole lines written`, async function () {
        this.timeout(30_000);
        const out = path.join(tempDir(), 'out.txt');
        const fd = fs.openSync(out, 'w');
        const child = spawn(process.execPath, [CLI, 'run', longConfig(), '--format', format], { stdio: ['ignore', fd, 'pipe'] });
        let stderr = '';
        child.stderr!.on('data', (chunk) => (stderr += chunk));
        await new Promise((resolve) => setTimeout(resolve, 1500));
        child.kill('SIGINT');
        const code = await new Promise((resolve) => child.on('exit', resolve));
        fs.closeSync(fd);
        assert.equal(code, 130);
        assert.match(stderr, /^training-trace: stopped by Ctrl-C in epoch \d+, batch \d+; what was written so far stays written\n$/);
        const written = fs.readFileSync(out, 'utf8');
        assert.ok(written.length > 1000 && written.endsWith('\n'), 'something was written, and it ends with a whole line');
        if (format === 'jsonl') for (const line of written.trim().split('\n').slice(-3)) JSON.parse(line);
      });
    }

    it('says in one line that the disk is full (ENOSPC), exit 1, no stack trace', function () {
      this.timeout(30_000);
      const result = spawnSync(process.execPath, [CLI, 'run', longConfig(), '--format', 'jsonl'], { stdio: ['ignore', fs.openSync('/dev/full', 'w'), 'pipe'], encoding: 'utf8' });
      assert.equal(result.status, 1);
      assert.equal(result.stderr, 'training-trace: cannot write the output: the disk is full (ENOSPC)\n');
    });

    it('stops quietly, in one line, when the reader closes the pipe (| head)', function () {
      this.timeout(30_000);
      const result = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" run "${longConfig()}" | head -c 100 > /dev/null`], { encoding: 'utf8' });
      assert.equal(result.status, 0);
      assert.equal(result.stderr, 'training-trace: stopped: the output was closed before the run ended\n');
    });

    it('keeps its memory bounded when the reader is slower than the run (back-pressure)', async function () {
      this.timeout(60_000);
      const child = spawn(process.execPath, [CLI, 'run', longConfig(), '--format', 'jsonl'], { stdio: ['ignore', 'pipe', 'pipe'] });
      // Read nothing for a while: a CLI that ignored back-pressure would grow by hundreds of MB a second.
      child.stdout.pause();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const rss = Number(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024;
      child.kill('SIGKILL');
      assert.ok(rss < 150, `${rss.toFixed(0)} MB resident after 3 s of an unread pipe`);
    });
  });
});
