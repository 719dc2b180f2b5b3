import * as assert from 'node:assert/strict';
import type { NodeRef } from '../../src/core/outline/tree';
import { Rng, RngStream } from '../../src/core/rng';
import { Replayer } from '../../src/core/run/replay';
import { recordRun } from '../../src/core/run/recordRun';
import { packSummary, unpackSummary } from '../../src/core/run/packedSummary';
import { applySummaryDelta, EMPTY_CURSOR, summaryDelta } from '../../src/core/run/summaryDelta';
import { SummaryRecorder } from '../../src/core/run/summary';
import type { TraceEvent } from '../../src/core/trace/events';
import { traceRun } from '../../src/core/trace/fullTrace';
import { batchOf, globalBatch, indexInBatch } from '../../src/core/train/schedule';
import { loadOk, randomConfig, summaryFromEvents } from './helpers';

describe('exact recall by replay from checkpoints', () => {
  it('gives every sampled node the numbers of the full trace, bit for bit', async () => {
    const rng = new Rng(2024, RngStream.data);
    let compared = 0;
    let replayed = 0;
    for (let c = 0; c < 30; c++) {
      const { config, data } = loadOk(randomConfig(rng));
      const events: TraceEvent[] = [];
      traceRun(config, data, (e) => events.push(e));
      // A tiny budget forces sparse checkpoints, so most details need several batches of replay.
      const run = recordRun(config, data, 8 * 40);
      const replayer = new Replayer(config, data, run.recorder.summary, run.checkpoints);
      const { schedule } = run.trainer;
      const batchesRun = run.recorder.summary.epochs.reduce((n, e) => n + e.batchesDone, 0) + (run.recorder.summary.status === 'diverged' ? 1 : 0);
      assert.equal(run.checkpoints.size, Math.ceil(batchesRun / run.checkpoints.interval), `config ${c}: one checkpoint every ${run.checkpoints.interval} batches`);
      for (let sample = 0; sample < 12; sample++) {
        const pointEvents = events.filter((e) => e.type === 'backward');
        if (pointEvents.length === 0) break;
        const backward = pointEvents[rng.below(pointEvents.length)] as Extract<TraceEvent, { type: 'backward' }>;
        const order = run.recorder.summary.epochs[backward.epoch - 1].order;
        const position = order.indexOf(backward.index);
        const ref: NodeRef = { kind: 'backward', epoch: backward.epoch, batch: backward.batch, position };
        const goal = globalBatch(schedule, backward.epoch, backward.batch);
        if (goal - run.checkpoints.latestAtOrBefore(goal)!.globalBatch > 0) replayed++;
        const detail = await replayer.detail(ref);
        assert.ok(detail && detail.kind === 'backward');
        assert.deepEqual(detail.gradient, backward.gradient, `config ${c}, e${backward.epoch} b${backward.batch} d${backward.index}`);
        const forward = events.find((e) => e.type === 'forward' && e.epoch === backward.epoch && e.index === backward.index) as Extract<TraceEvent, { type: 'forward' }>;
        const forwardDetail = await replayer.detail({ ...ref, kind: 'forward' });
        assert.ok(forwardDetail && forwardDetail.kind === 'forward');
        assert.deepEqual(forwardDetail.output, forward.output);
        assert.equal(forwardDetail.loss, forward.loss);
        const update = events.find((e) => e.type === 'update' && e.epoch === backward.epoch && e.batch === backward.batch) as Extract<TraceEvent, { type: 'update' }> | undefined;
        if (update) {
          const updateDetail = await replayer.detail({ kind: 'update', epoch: update.epoch, batch: update.batch });
          assert.ok(updateDetail && updateDetail.kind === 'update');
          assert.deepEqual(updateDetail.gradient, update.gradient);
          assert.deepEqual(updateDetail.after, { weights: update.weights, biases: update.biases });
        }
        compared++;
      }
    }
    assert.ok(compared > 100, `compared ${compared} nodes`);
    assert.ok(replayed > compared / 2, `${replayed} of ${compared} nodes were recomputed by replaying batches after their checkpoint`);
  });

  it('gives the network drawing’s numbers as the full trace has them, bit for bit: the weights a point and a batch start from, each unit’s activation', async () => {
    const rng = new Rng(99, RngStream.data);
    let checked = 0;
    for (let c = 0; c < 20; c++) {
      const { config, data } = loadOk(randomConfig(rng));
      const events: TraceEvent[] = [];
      traceRun(config, data, (e) => events.push(e));
      const run = recordRun(config, data, 8 * 40);
      const replayer = new Replayer(config, data, run.recorder.summary, run.checkpoints);
      const init = events.find((e) => e.type === 'init') as Extract<TraceEvent, { type: 'init' }>;
      // The weights in force before each batch: the init's, then each update's, in trace order.
      let current = { weights: init.weights, biases: init.biases };
      for (const event of events) {
        if (event.type === 'batchStart') {
          const start = await replayer.detail({ kind: 'batch', epoch: event.epoch, batch: event.batch });
          assert.ok(start?.kind === 'start');
          assert.deepEqual(start.weights, current, `config ${c}: e${event.epoch} b${event.batch} starts from the last update's weights`);
          if (event.batch === 1) assert.deepEqual((await replayer.detail({ kind: 'epoch', epoch: event.epoch }))!, start, 'an epoch starts where its first batch does');
        }
        if (event.type === 'forward') {
          const position = run.recorder.summary.epochs[event.epoch - 1].order.indexOf(event.index);
          const forward = await replayer.detail({ kind: 'forward', epoch: event.epoch, batch: event.batch, position });
          assert.ok(forward?.kind === 'forward');
          assert.deepEqual(forward.weightsUsed, current);
          assert.deepEqual(forward.activations[forward.activations.length - 1], event.output, 'the last layer’s activations are the output');
          // Hidden units, recomputed here from the trace's own weights and inputs: z = b + Σ w·a, then f(z).
          let a = forward.inputs;
          config.model.layers.forEach((layer, l) => {
            const z = current.weights[l].map((row, o) => row.reduce((sum, w, i) => sum + w * a[i], config.model.bias ? current.biases[l][o] : 0));
            const f = { linear: (v: number) => v, relu: (v: number) => (v > 0 ? v : 0), sigmoid: (v: number) => 1 / (1 + Math.exp(-v)), tanh: Math.tanh }[layer.activation];
            a = z.map(f);
            assert.deepEqual(forward.activations[l], a, `config ${c}: layer ${l + 1} of e${event.epoch} d${event.index}`);
          });
          checked++;
        }
        if (event.type === 'update') current = { weights: event.weights, biases: event.biases };
      }
    }
    assert.ok(checked > 100, `checked ${checked} forward steps`);
  });

  it('yields to the event loop during a long replay, so the host thread it shares stays free', async () => {
    const { config, data } = loadOk({ data: { generate: 'random', count: 2000, features: 32 }, model: { layers: [{ units: 32, activation: 'tanh' }, { units: 1 }] }, batchSize: 2, epochs: 12 });
    // A budget of one checkpoint: the last node is the whole run away from it.
    const run = recordRun(config, data, 1);
    const replayer = new Replayer(config, data, run.recorder.summary, run.checkpoints);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const detail = await replayer.detail({ kind: 'update', epoch: 12, batch: 1000 });
    clearInterval(ticker);
    assert.ok(detail?.kind === 'update');
    assert.ok(ticks >= 2, `the event loop ran ${ticks} times during the replay`);
  });

  it('gives the batch sum so far, k of m', async () => {
    const { config, data } = loadOk({ data: { inputs: [[0.1], [0.2]], targets: [[0.05], [0.1]] }, model: { layers: [{ units: 1 }], bias: false, initialWeights: [[[0.2]]] }, reduction: 'sum', batchSize: 2, shuffle: false });
    const run = recordRun(config, data);
    const replayer = new Replayer(config, data, run.recorder.summary, run.checkpoints);
    const second = await replayer.detail({ kind: 'sum', epoch: 1, batch: 1, position: 1 });
    assert.ok(second && second.kind === 'sum');
    assert.equal(second.pointsSummed, 2);
    assert.deepEqual(second.batchSum.weights, [[[-0.03]]]);
    const first = await replayer.detail({ kind: 'backward', epoch: 1, batch: 1, position: 0 });
    assert.ok(first && first.kind === 'backward');
    assert.deepEqual(first.batchSum.weights, [[[-0.006]]]);
  });
});

describe('the summary', () => {
  it('is the same whether recorded from the trainer or built from the trace events', () => {
    const rng = new Rng(7, RngStream.data);
    for (let c = 0; c < 10; c++) {
      const { config, data } = loadOk(randomConfig(rng));
      const events: TraceEvent[] = [];
      traceRun(config, data, (e) => events.push(e));
      const fromEvents = summaryFromEvents(events);
      const fromTrainer = recordRun(config, data).recorder.summary;
      assert.equal(fromTrainer.status, fromEvents.status);
      fromTrainer.epochs.forEach((epoch, e) => {
        const other = fromEvents.epochs[e];
        assert.deepEqual(epoch.order, other.order);
        assert.deepEqual(epoch.pointLoss, other.pointLoss);
        assert.equal(epoch.loss, other.loss);
        // A point's norm is ‖δ‖·‖a‖ per layer in the trainer, over the gradient's entries from a trace: equal to rounding.
        epoch.pointGradientNorm.forEach((n, i) => assert.ok(Math.abs(n - other.pointGradientNorm[i]) <= 1e-12 * Math.max(1, n)));
        // A batch's norm is summed in the optimizer's order either way: bit for bit.
        assert.deepEqual(epoch.batchGradientNorm, other.batchGradientNorm);
      });
    }
  });

  it('streams as deltas that rebuild it exactly, whenever they are taken', () => {
    const { config, data } = loadOk(randomConfig(new Rng(3, RngStream.data)));
    const full = recordRun(config, data).recorder.summary;
    const replica = new SummaryRecorder(full.shape).summary;
    // Feed the events one by one through a second recorder, taking a delta after each.
    const live = new SummaryRecorder(full.shape);
    let cursor = EMPTY_CURSOR;
    const pump = () => {
      const next = summaryDelta(live.summary, cursor);
      if (next) {
        applySummaryDelta(replica, next.delta);
        cursor = next.cursor;
      }
    };
    full.epochs.forEach((epoch) => {
      live.epochStart(epoch.order);
      pump();
      for (let p = 0; p < epoch.pointsDone; p++) {
        live.point(epoch.pointLoss[p], epoch.pointGradientNorm[p]);
        if (p % 3 === 0) pump();
        const { schedule } = full.shape;
        if (indexInBatch(schedule, p) === schedule.batchSize - 1 || p === epoch.pointsDone - 1) live.update(epoch.batchGradientNorm[batchOf(schedule, p) - 1]);
      }
      if (epoch.loss !== undefined) live.epochEnd(epoch.loss);
    });
    live.finish('done');
    pump();
    assert.equal(summaryDelta(live.summary, cursor), undefined, 'nothing left to send');
    assert.deepEqual(replica, live.summary);
  });

  it('packs into a few long arrays and unpacks to the same summary, mid-run too', () => {
    const { config, data } = loadOk(randomConfig(new Rng(11, RngStream.data)));
    const full = recordRun(config, data).recorder.summary;
    assert.deepEqual(plain(unpackSummary(packSummary(full))), plain(full));
    const partial = new SummaryRecorder(full.shape);
    partial.epochStart(full.epochs[0].order);
    partial.point(0.5, 0.25);
    const unpacked = unpackSummary(packSummary(partial.summary));
    assert.deepEqual(plain(unpacked), plain(partial.summary));
    assert.equal(unpacked.epochs[0].loss, undefined, 'a running epoch has no loss yet');
  });
});

/** A summary with its typed arrays as plain arrays, so views and copies compare by value. */
function plain(summary: ReturnType<typeof unpackSummary>): unknown {
  return JSON.parse(JSON.stringify(summary, (_key, value) => (ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value)));
}
