import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { recordRun } from '../../src/core/run/recordRun';
import { SummaryRecorder } from '../../src/core/run/summary';
import { applySummaryDelta } from '../../src/core/run/summaryDelta';
import { DELTA_INTERVAL_MS, DeltaStream } from '../../src/host/deltaStream';
import { RunSession } from '../../src/host/runSession';
import { REPO, loadOk } from './helpers';

const WORKER = path.join(REPO, 'dist', 'trainerWorker.js');

describe('a run in a worker thread (the extension host’s side of it)', function () {
  this.timeout(30_000);

  it('streams the same summary the trainer records in process', async () => {
    const { config, data } = loadOk({ data: { generate: 'circle', count: 50, features: 3 }, model: { layers: [{ units: 6, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }] }, loss: 'bce', batchSize: 4, epochs: 5 });
    const session = new RunSession('/virtual/circle.training.json', config, data, WORKER);
    let changes = 0;
    session.onDidChange(() => changes++);
    assert.equal(await session.finished, 'done');
    assert.ok(changes >= 1);
    const expected = recordRun(config, data).recorder.summary;
    assert.deepEqual(session.summary, expected);
  });

  it('answers a node’s numbers by replay, once the run has them', async () => {
    const { config, data } = loadOk({ data: { inputs: [[0.1], [0.2]], targets: [[0.05], [0.1]] }, model: { layers: [{ units: 1 }], bias: false, initialWeights: [[[0.2]]] }, reduction: 'sum', batchSize: 2, shuffle: false });
    const session = new RunSession('/virtual/answer.training.json', config, data, WORKER);
    await session.finished;
    const backward = await session.detail('e1/b1/d1/backward');
    assert.ok(backward?.kind === 'backward');
    assert.deepEqual(backward.gradient.weights, [[[-0.024]]]);
    const update = await session.detail('e1/b1/update');
    assert.ok(update?.kind === 'update');
    assert.deepEqual(update.gradient.weights, [[[-0.03]]]);
    assert.equal(await session.detail('e1/b2/update'), undefined, 'no such node');
  });

  it('stops when asked and leaves no worker behind (how fast is measured by `npm run bench`)', async () => {
    const { config, data } = loadOk({ data: { generate: 'random', count: 2000, features: 64 }, model: { layers: [{ units: 64, activation: 'relu' }, { units: 1 }] }, batchSize: 2, epochs: 1000 });
    const session = new RunSession('/virtual/long.training.json', config, data, WORKER);
    await new Promise<void>((resolve) => {
      const listener = session.onDidChange(() => {
        listener.dispose();
        resolve();
      });
    });
    assert.ok(session.running, 'the run is still going');
    const progress = () => session.summary.epochs.reduce((n, e) => n + e.pointsDone, 0);
    const stopped = session.stop();
    const atStop = progress();
    await stopped;
    assert.equal(await session.finished, 'stopped');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(progress(), atStop, 'nothing the worker had already sent is applied after the stop');
    assert.equal(session.summary.status, 'stopped', 'the status stays stopped');
    assert.equal(session.running, false);
  });

  it('coalesces a fast run into at most one delta per interval, and the reader ends with every number', async () => {
    const { config, data } = loadOk({ data: { generate: 'random', count: 200, features: 4 }, model: { layers: [{ units: 3, activation: 'tanh' }, { units: 1 }] }, batchSize: 1, epochs: 400 });
    const session = new RunSession('/virtual/fast.training.json', config, data, WORKER);
    const replica = new SummaryRecorder(session.summary.shape).summary;
    let sent = 0;
    const stream = new DeltaStream(session.summary, (delta) => {
      sent++;
      applySummaryDelta(replica, delta);
    });
    let changes = 0;
    session.onDidChange(() => {
      changes++;
      stream.changed();
    });
    const started = performance.now();
    await session.finished;
    await new Promise((resolve) => setTimeout(resolve, 3 * DELTA_INTERVAL_MS));
    const elapsed = performance.now() - started;
    stream.dispose();
    assert.ok(sent <= elapsed / DELTA_INTERVAL_MS + 1, `${sent} deltas in ${elapsed.toFixed(0)} ms`);
    assert.ok(sent >= 1 && changes >= sent);
    assert.deepEqual(replica, session.summary, 'nothing is missing or stale at the end');
  });
});
