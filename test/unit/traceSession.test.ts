import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfigFile } from '../../src/core/load/loadConfig';
import { nodeId, type NodeRef } from '../../src/core/outline/tree';
import { RunSession } from '../../src/host/runSession';
import { TraceSession } from '../../src/host/traceSession';
import { writeTraceFile } from '../../src/host/traceWriter';
import { EXAMPLES, REPO, loadOk, tempDir } from './helpers';

const RUN_WORKER = path.join(REPO, 'dist', 'trainerWorker.js');
const WRITER_WORKER = path.join(REPO, 'dist', 'traceWriterWorker.js');

function cliTrace(config: string): Buffer {
  const result = spawnSync(process.execPath, [path.join(REPO, 'bin', 'training-trace.js'), 'run', config, '--format', 'jsonl'], { maxBuffer: 1 << 28 });
  assert.equal(result.status, 0);
  return result.stdout;
}

describe('a trace as a session the panel shows (the extension host’s side of it)', function () {
  this.timeout(60_000);

  it('shows a saved trace as its live run showed: the same summary and the same numbers (the same trainer: live run against its trace)', async () => {
    const config = path.join(EXAMPLES, 'question.training.json');
    const file = path.join(tempDir(), 'question.trace.jsonl');
    fs.writeFileSync(file, cliTrace(config));
    const loaded = loadConfigFile(config);
    assert.ok(loaded.ok);
    const live = new RunSession(config, loaded.config, loaded.data, RUN_WORKER);
    const opened = await TraceSession.open(file);
    assert.ok('session' in opened);
    const trace = opened.session;
    assert.equal(await trace.finished, 'done');
    assert.equal(await live.finished, 'done');
    assert.deepEqual(trace.problems, []);
    assert.deepEqual(trace.summary.epochs.map((e) => [e.order, e.pointLoss, e.batchGradientNorm, e.loss]), live.summary.epochs.map((e) => [e.order, e.pointLoss, e.batchGradientNorm, e.loss]));
    const refs: NodeRef[] = [
      { kind: 'init' },
      { kind: 'forward', epoch: 1, batch: 1, position: 0 },
      { kind: 'sum', epoch: 2, batch: 5, position: 9 },
      { kind: 'update', epoch: 3, batch: 10 },
      { kind: 'backward', epoch: 3, batch: 10, position: 18 },
    ];
    for (const id of refs.map((ref) => nodeId(live.summary, ref))) {
      const [fromTrace, fromLive] = [await trace.detail(id), await live.detail(id)];
      assert.ok(fromLive, id);
      // Compared as JSON writes numbers: every double exactly, −0 as 0 (JSON cannot tell them apart).
      assert.deepEqual(JSON.parse(JSON.stringify(fromTrace)), JSON.parse(JSON.stringify(fromLive)), id);
    }
  });

  it('follows a file as another program writes it, from before it exists until its done event', async () => {
    const whole = cliTrace(path.join(EXAMPLES, 'sgd.training.json'));
    const file = path.join(tempDir(), 'growing.trace.jsonl');
    // The writer (a Python script starting up) has not made the file yet.
    const opening = TraceSession.open(file, { follow: true, pollMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Written in pieces that cut lines anywhere, the first before the run event is complete.
    let written = 0;
    const writeSome = (n: number) => {
      fs.appendFileSync(file, whole.subarray(written, written + n));
      written += n;
    };
    writeSome(100);
    await new Promise((resolve) => setTimeout(resolve, 50));
    writeSome(whole.length / 3);
    const opened = await opening;
    assert.ok('session' in opened);
    const { session } = opened;
    const seen: number[] = [];
    session.onDidChange(() => seen.push(session.summary.epochs.reduce((n, e) => n + e.pointsDone, 0)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(session.summary.status, 'running', 'still being written: still running');
    assert.equal(session.error, undefined);
    for (let pieces = 5; pieces > 0; pieces--) {
      writeSome(Math.ceil((whole.length - written) / pieces));
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    assert.equal(await session.finished, 'done');
    assert.ok(new Set(seen).size >= 3, `the panel saw it grow: ${seen.join(', ')}`);
    assert.deepEqual(session.problems, []);
  });

  it('reads to the end of a followed file once its writer has ended, and says where a trace cut short stops', async () => {
    const whole = cliTrace(path.join(EXAMPLES, 'sgd.training.json'));
    const file = path.join(tempDir(), 'killed.trace.jsonl');
    const lines = whole.toString('utf8').split('\n');
    // The writer was stopped in the middle of line 31.
    fs.writeFileSync(file, `${lines.slice(0, 30).join('\n')}\n${lines[30].slice(0, 25)}`);
    const opened = await TraceSession.open(file, { follow: true, pollMs: 10 });
    assert.ok('session' in opened);
    opened.session.endFollowing();
    assert.equal(await opened.session.finished, 'stopped');
    assert.deepEqual(opened.session.problems.map((p) => [p.line, p.message.id]), [[31, 'trace.cutShort']]);
  });

  it('stops following when asked: what was read stays, as stopped', async () => {
    const whole = cliTrace(path.join(EXAMPLES, 'sgd.training.json'));
    const file = path.join(tempDir(), 'half.trace.jsonl');
    fs.writeFileSync(file, whole.subarray(0, whole.length / 2));
    const opened = await TraceSession.open(file, { follow: true, pollMs: 10 });
    assert.ok('session' in opened);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await opened.session.stop();
    assert.equal(await opened.session.finished, 'stopped');
    assert.equal(opened.session.error, undefined, 'stopping is not a problem of the file');
    assert.ok(opened.session.summary.epochs.length > 0);
  });

  it('says so, rather than showing wrong numbers, when the file was rewritten after it was read', async () => {
    const file = path.join(tempDir(), 'rewritten.trace.jsonl');
    fs.writeFileSync(file, cliTrace(path.join(EXAMPLES, 'question.training.json')));
    const opened = await TraceSession.open(file);
    assert.ok('session' in opened);
    await opened.session.finished;
    const id = nodeId(opened.session.summary, { kind: 'update', epoch: 2, batch: 3 });
    assert.ok(await opened.session.detail(id));
    fs.writeFileSync(file, cliTrace(path.join(EXAMPLES, 'sgd.training.json')));
    await assert.rejects(opened.session.detail(id), (error: Error & { label?: { id: string } }) => error.label?.id === 'trace.changed');
  });

  it('says what is wrong with a file that does not open, located', async () => {
    const file = path.join(tempDir(), 'not.trace.jsonl');
    fs.writeFileSync(file, '{"type":"epochStart","epoch":1,"order":[]}\n');
    const opened = await TraceSession.open(file);
    assert.ok('problems' in opened);
    assert.deepEqual(opened.problems.map((p) => [p.line, p.column, p.message.id]), [[1, 1, 'trace.firstLine']]);
  });
});

describe('writing a config’s trace from a worker (Save Trace’s engine)', function () {
  this.timeout(60_000);

  it('writes byte for byte what `training-trace run --format jsonl` prints, for every example', async () => {
    for (const name of ['question', 'sgd', 'answer']) {
      const config = path.join(EXAMPLES, `${name}.training.json`);
      const loaded = loadConfigFile(config);
      assert.ok(loaded.ok);
      const file = path.join(tempDir(), `${name}.trace.jsonl`);
      let progress = 0;
      assert.equal(await writeTraceFile(loaded.config, loaded.data, file, WRITER_WORKER, (batches) => (progress = batches)), 'written');
      assert.ok(fs.readFileSync(file).equals(cliTrace(config)), name);
      assert.ok(progress >= 0);
      assert.deepEqual(fs.readdirSync(path.dirname(file)), [`${name}.trace.jsonl`], 'no partial file left');
    }
  });

  it('leaves nothing behind, and an older file untouched, when cancelled', async () => {
    const { config, data } = loadOk({ data: { generate: 'random', count: 2000, features: 32 }, model: { layers: [{ units: 32, activation: 'relu' }, { units: 1 }] }, batchSize: 4, epochs: 50 });
    const dir = tempDir();
    const file = path.join(dir, 'long.trace.jsonl');
    fs.writeFileSync(file, 'an older trace');
    const cancel = new AbortController();
    const writing = writeTraceFile(config, data, file, WRITER_WORKER, () => cancel.abort(), cancel.signal);
    assert.equal(await writing, 'cancelled');
    assert.deepEqual(fs.readdirSync(dir), ['long.trace.jsonl']);
    assert.equal(fs.readFileSync(file, 'utf8'), 'an older trace');
  });
});
