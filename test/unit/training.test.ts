import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../../src/core/rng';
import { baseConfig, EXAMPLES, ofType, trace } from './helpers';
import type { TraceEvent } from '../../src/core/trace/events';

const answer = () => JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'answer.training.json'), 'utf8'));

describe('the accepted answer’s numbers (y = W·x, W = 0.2, loss (Wx − y)²)', () => {
  // Hand-derived: dL/dW = 2(Wx − y)x. Point 1: 2(0.02 − 0.05)(0.1) = −0.006; point 2: 2(0.04 − 0.1)(0.2) = −0.024.
  it('gives the per-point gradients −0.006 and −0.024', () => {
    const backward = ofType(trace(answer()), 'backward');
    assert.deepEqual(backward.map((e) => e.index), [0, 1]);
    assert.equal(backward[0].gradient.weights[0][0][0], -0.006);
    assert.equal(backward[1].gradient.weights[0][0][0], -0.024);
    assert.deepEqual(backward[0].gradient.biases, [[]], 'no bias, no bias gradient');
  });

  it('sums them into the batch gradient −0.03 and updates once: W = 0.2 − 0.1 × (−0.03)', () => {
    const [update] = ofType(trace(answer()), 'update');
    assert.equal(update.reduction, 'sum');
    assert.equal(update.gradient.weights[0][0][0], -0.03);
    assert.ok(Math.abs(update.weights[0][0][0] - 0.203) < 1e-15);
  });

  it('averages them into −0.015 with reduction "mean"', () => {
    const [update] = ofType(trace({ ...answer(), reduction: 'mean' }), 'update');
    assert.equal(update.gradient.weights[0][0][0], -0.015);
  });

  it('reports each point’s loss without a factor ½: (0.02 − 0.05)² = 0.0009', () => {
    const forward = ofType(trace(answer()), 'forward');
    assert.ok(Math.abs(forward[0].loss - 0.0009) < 1e-18);
    assert.ok(Math.abs(forward[1].loss - 0.0036) < 1e-18);
  });
});

describe('mini-batch gradient descent', () => {
  const config = baseConfig({ data: { generate: 'xor', count: 10, features: 2 }, batchSize: 4, epochs: 3, seed: 11 });

  it('initialises once, before the first epoch (C1)', () => {
    const events = trace(config);
    assert.equal(ofType(events, 'init').length, 1);
    assert.equal(events.findIndex((e) => e.type === 'init'), 1);
  });

  it('keeps the weights constant within a batch and changes them once, after it (C2–C4)', () => {
    const events = trace(config);
    const updates = ofType(events, 'update');
    assert.equal(updates.length, 3 * 3, 'ceil(10 / 4) = 3 updates per epoch');
    // The first point of each batch after the first is passed forward with the previous update's weights;
    // replaying every point of the batch with those weights must give the trace's outputs exactly.
    let weights = ofType(events, 'init')[0].weights;
    let biases = ofType(events, 'init')[0].biases;
    const inputs = rowsOfRun(events);
    for (const event of events) {
      if (event.type === 'forward') {
        assert.deepEqual(event.output, forwardWith(weights, biases, inputs[event.index]), `epoch ${event.epoch} batch ${event.batch}: forward uses the batch's starting weights`);
      }
      if (event.type === 'update') {
        assert.notDeepEqual(event.weights, weights, 'the update changes the weights');
        weights = event.weights;
        biases = event.biases;
      }
    }
  });

  it('makes the batch gradient the mean of the points’ gradients, in visiting order', () => {
    const events = trace(config);
    let sum: number[] | undefined;
    let size = 0;
    for (const event of events) {
      if (event.type === 'backward') {
        const flat = event.gradient.weights.flat(2);
        sum = sum ? sum.map((s, i) => s + flat[i]) : flat;
        size++;
      }
      if (event.type === 'update') {
        assert.equal(event.size, size);
        assert.deepEqual(event.gradient.weights.flat(2), sum!.map((s) => s / size));
        sum = undefined;
        size = 0;
      }
    }
  });

  it('cuts an epoch into ceil(N / B) batches with a smaller last one', () => {
    const batches = ofType(trace(config), 'batchStart').filter((e) => e.epoch === 1);
    assert.deepEqual(batches.map((b) => b.indices.length), [4, 4, 2]);
    const visited = batches.flatMap((b) => b.indices).sort((a, b) => a - b);
    assert.deepEqual(visited, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'every point once per epoch (C5)');
  });

  it('drops the smaller last batch with dropLast', () => {
    const events = trace({ ...config, dropLast: true });
    const batches = ofType(events, 'batchStart').filter((e) => e.epoch === 1);
    assert.deepEqual(batches.map((b) => b.indices.length), [4, 4]);
    assert.equal(ofType(events, 'forward').filter((e) => e.epoch === 1).length, 8);
  });

  it('shuffles into a new order every epoch with shuffle on, the same without (C6)', () => {
    const shuffled = ofType(trace(config), 'epochStart').map((e) => e.order.join());
    assert.equal(new Set(shuffled).size, 3, `three different orders: ${shuffled.join(' | ')}`);
    const fixed = ofType(trace({ ...config, shuffle: false }), 'epochStart').map((e) => e.order.join());
    assert.deepEqual(fixed, ['0,1,2,3,4,5,6,7,8,9', '0,1,2,3,4,5,6,7,8,9', '0,1,2,3,4,5,6,7,8,9']);
  });

  it('starts each epoch from the last update of the one before (C8)', () => {
    const events = trace(config);
    const lastOfEpoch1 = ofType(events, 'update').filter((u) => u.epoch === 1).pop()!;
    const firstForwardOfEpoch2 = ofType(events, 'forward').find((f) => f.epoch === 2)!;
    const inputs = rowsOfRun(events);
    assert.deepEqual(firstForwardOfEpoch2.output, forwardWith(lastOfEpoch1.weights, lastOfEpoch1.biases, inputs[firstForwardOfEpoch2.index]));
  });

  it('reports the epoch loss as the mean of its points’ losses', () => {
    const events = trace(config);
    for (const end of ofType(events, 'epochEnd')) {
      const losses = ofType(events, 'forward').filter((f) => f.epoch === end.epoch).map((f) => f.loss);
      assert.ok(Math.abs(end.loss - losses.reduce((a, b) => a + b, 0) / losses.length) < 1e-15);
    }
  });
});

describe('optimizers against hand-computed steps', () => {
  // One weight, no bias, y = W·x, mse: g = 2(Wx − y)x per point; one point per batch.
  const oneWeight = (optimizer: Record<string, unknown>, epochs: number) => ({
    data: { inputs: [[1]], targets: [[0]] },
    model: { layers: [{ units: 1 }], bias: false, initialWeights: [[[1]]] },
    optimizer,
    batchSize: 1,
    epochs,
  });

  it('sgd with momentum: v ← μv + g, w ← w − ηv', () => {
    const updates = ofType(trace(oneWeight({ type: 'sgd', learningRate: 0.1, momentum: 0.9 }, 3)), 'update');
    // w0 = 1. g1 = 2; v1 = 2; w1 = 0.8. g2 = 1.6; v2 = 0.9·2 + 1.6 = 3.4; w2 = 0.46. g3 = 0.92; v3 = 3.06 + 0.92 = 3.98; w3 = 0.062.
    const expected = [0.8, 0.46, 0.062];
    updates.forEach((u, i) => assert.ok(Math.abs(u.weights[0][0][0] - expected[i]) < 1e-12, `step ${i + 1}: ${u.weights[0][0][0]} vs ${expected[i]}`));
  });

  it('adam: bias-corrected moments', () => {
    const updates = ofType(trace(oneWeight({ type: 'adam', learningRate: 0.1 }, 2)), 'update');
    // Step 1: g = 2, m = 0.2, s = 0.004, m̂ = 2, ŝ = 4: w = 1 − 0.1·2/(2 + 1e-8).
    const w1 = 1 - (0.1 * 2) / (2 + 1e-8);
    assert.ok(Math.abs(updates[0].weights[0][0][0] - w1) < 1e-15);
    // Step 2: g = 2·w1, m = 0.9·0.2 + 0.1g, s = 0.999·0.004 + 0.001g², corrections 1 − 0.9², 1 − 0.999².
    const g = 2 * w1;
    const m = 0.9 * 0.2 + 0.1 * g;
    const s = 0.999 * 0.004 + 0.001 * g * g;
    const w2 = w1 - (0.1 * (m / (1 - 0.81))) / (Math.sqrt(s / (1 - 0.999 * 0.999)) + 1e-8);
    assert.ok(Math.abs(updates[1].weights[0][0][0] - w2) < 1e-15, `${updates[1].weights[0][0][0]} vs ${w2}`);
  });
});

describe('a run that diverges', () => {
  // Hand-derived: one point x = 1000, y = 0, no bias, η = 10: g = 2·(1000w)·1000 = 2e6·w, so each
  // update multiplies w by (1 − 2e7): w_k ≈ (−2e7)^k, |w_20| ≈ 10^146, |w_21| ≈ 10^153. The loss
  // (1000w)² is finite at epoch 21 (≈ 10^298) and overflows to Infinity at epoch 22's forward pass.
  it('stops at the first non-finite value and says where: the loss of Data point-1 at epoch 22, batch 1', () => {
    const events = trace({
      data: { inputs: [[1000]], targets: [[0]] },
      model: { layers: [{ units: 1 }], bias: false, initialWeights: [[[1]]] },
      optimizer: { learningRate: 10 },
      batchSize: 1,
      epochs: 100,
    });
    const last = events[events.length - 1];
    assert.ok(last.type === 'diverged', JSON.stringify(last));
    assert.deepEqual({ stage: last.stage, epoch: last.epoch, batch: last.batch, index: last.index }, { stage: 'forward', epoch: 22, batch: 1, index: 0 });
    assert.equal(last.message, "the loss of Data point-1 (epoch 22, batch 1) is Infinity: the outputs overflowed or left the loss's domain");
    assert.equal(ofType(events, 'forward').length, 21, 'every epoch before it passed its point forward');
    assert.equal(ofType(events, 'done').length, 0);
  });
});

/** An independent forward pass over the trace's own weights (tanh hidden layer, linear output as in baseConfig). */
function forwardWith(weights: number[][][], biases: number[][], x: number[]): number[] {
  let a = x;
  weights.forEach((w, l) => {
    const z = w.map((row, o) => row.reduce((s, wi, i) => s + wi * a[i], biases[l][o] ?? 0));
    a = l < weights.length - 1 ? z.map(Math.tanh) : z;
  });
  return a;
}

describe('the seeded generator', () => {
  it('gives every (seed, stream) pair its own sequence', () => {
    const first = (seed: number, stream: 1 | 2 | 3) => {
      const rng = new Rng(seed, stream);
      return [rng.nextUint32(), rng.nextUint32()].join();
    };
    const seen = new Set<string>();
    for (const seed of [0, 1, 2, -1, 2 ** 32, 2 ** 32 + 1, 2723777227, Number.MAX_SAFE_INTEGER]) {
      for (const stream of [1, 2, 3] as const) seen.add(first(seed, stream));
    }
    assert.equal(seen.size, 24);
  });

  it('draws uniform doubles in [0, 1) and unbiased integers below n', () => {
    const rng = new Rng(42, 1);
    const counts = [0, 0, 0];
    let sum = 0;
    for (let i = 0; i < 30_000; i++) {
      const x = rng.nextFloat();
      assert.ok(x >= 0 && x < 1);
      sum += x;
      counts[rng.below(3)]++;
    }
    assert.ok(Math.abs(sum / 30_000 - 0.5) < 0.01, `mean ${sum / 30_000}`);
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 400, `counts ${counts}`);
  });
});

/** The data rows the `run` event repeats (a small data set: always there). */
function rowsOfRun(events: TraceEvent[]): number[][] {
  const { data } = ofType(events, 'run')[0];
  assert.ok('inputs' in data, 'a small data set is repeated in the run event');
  return data.inputs;
}
