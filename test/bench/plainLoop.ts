import type { Activation, TrainingConfig } from '../../src/core/config/types';
import type { Dataset } from '../../src/core/data/dataset';

/**
 * The benchmark's baseline: the same maths as the trainer (dense layers, mse, plain SGD, one
 * update per batch with the mean or sum of the points' gradients) written as one plain loop
 * over Float64Arrays, recording each point's loss and gradient norm and nothing else: no
 * observers, no summary, no checkpoints, no checks. Same inputs ⇒ the same final weights.
 */
export function plainTrain(
  config: TrainingConfig,
  data: Dataset,
  start: { weights: Float64Array[]; biases: Float64Array[] },
  /** Each epoch's visiting order, shuffled as the trainer does (timed: shuffling is part of training). */
  nextOrder: () => Int32Array,
): { weights: Float64Array[]; biases: Float64Array[]; losses: Float64Array; norms: Float64Array } {
  const sizes = [data.features, ...config.model.layers.map((l) => l.units)];
  const acts: Activation[] = config.model.layers.map((l) => l.activation);
  const L = acts.length;
  const W = start.weights.map((w) => w.slice());
  const B = start.biases.map((b) => b.slice());
  const hasBias = config.model.bias;
  const gW = W.map((w) => new Float64Array(w.length));
  const gB = B.map((b) => new Float64Array(b.length));
  const a = sizes.map((n) => new Float64Array(n));
  const d = sizes.slice(1).map((n) => new Float64Array(n));
  const lr = config.optimizer.learningRate;
  const k = sizes[L];
  const total = config.epochs * data.count;
  const losses = new Float64Array(total);
  const norms = new Float64Array(total);
  let recorded = 0;

  for (let epoch = 0; epoch < config.epochs; epoch++) {
    const order = nextOrder();
    for (let startAt = 0; startAt < order.length; startAt += config.batchSize) {
      const end = Math.min(startAt + config.batchSize, order.length);
      for (let l = 0; l < L; l++) {
        gW[l].fill(0);
        gB[l].fill(0);
      }
      for (let p = startAt; p < end; p++) {
        const row = order[p];
        const x = a[0];
        for (let i = 0; i < sizes[0]; i++) x[i] = data.inputs[row * sizes[0] + i];
        for (let l = 0; l < L; l++) {
          const n = sizes[l];
          const w = W[l];
          const b = B[l];
          const input = a[l];
          const output = a[l + 1];
          const act = acts[l];
          for (let o = 0; o < sizes[l + 1]; o++) {
            let z = hasBias ? b[o] : 0;
            const offset = o * n;
            for (let i = 0; i < n; i++) z += w[offset + i] * input[i];
            output[o] = act === 'tanh' ? Math.tanh(z) : act === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : act === 'relu' ? (z > 0 ? z : 0) : z;
          }
        }
        let loss = 0;
        const out = a[L];
        const top = d[L - 1];
        for (let o = 0; o < k; o++) {
          const diff = out[o] - data.targets[row * k + o];
          loss += diff * diff;
          top[o] = ((2 * diff) / k) * derivative(acts[L - 1], out[o]);
        }
        for (let l = L - 1; l > 0; l--) {
          const n = sizes[l];
          const w = W[l];
          const above = d[l];
          const below = d[l - 1];
          const act = acts[l - 1];
          const input = a[l];
          below.fill(0);
          for (let o = 0; o < sizes[l + 1]; o++) {
            const g = above[o];
            const offset = o * n;
            for (let i = 0; i < n; i++) below[i] += w[offset + i] * g;
          }
          for (let i = 0; i < n; i++) below[i] *= derivative(act, input[i]);
        }
        let squares = 0;
        for (let l = 0; l < L; l++) {
          const n = sizes[l];
          const delta = d[l];
          const input = a[l];
          const gw = gW[l];
          const gb = gB[l];
          let dd = 0;
          let aa = 0;
          for (let o = 0; o < sizes[l + 1]; o++) {
            const g = delta[o];
            dd += g * g;
            const offset = o * n;
            for (let i = 0; i < n; i++) gw[offset + i] += g * input[i];
            if (hasBias) gb[o] += g;
          }
          for (let i = 0; i < n; i++) aa += input[i] * input[i];
          squares += dd * aa + (hasBias ? dd : 0);
        }
        losses[recorded] = loss / k;
        norms[recorded++] = Math.sqrt(squares);
      }
      const divisor = config.reduction === 'mean' ? end - startAt : 1;
      for (let l = 0; l < L; l++) {
        const w = W[l];
        const b = B[l];
        const gw = gW[l];
        const gb = gB[l];
        for (let i = 0; i < w.length; i++) w[i] -= lr * (gw[i] / divisor);
        for (let i = 0; i < b.length; i++) b[i] -= lr * (gb[i] / divisor);
      }
    }
  }
  return { weights: W, biases: B, losses, norms };
}

function derivative(kind: Activation, a: number): number {
  switch (kind) {
    case 'tanh':
      return 1 - a * a;
    case 'sigmoid':
      return a * (1 - a);
    case 'relu':
      return a > 0 ? 1 : 0;
    case 'linear':
      return 1;
  }
}
