import * as assert from 'node:assert/strict';
import { ACTIVATIONS, LOSSES, type Activation, type LossName } from '../../src/core/config/types';
import { Network } from '../../src/core/model/network';
import { Rng, RngStream } from '../../src/core/rng';

/**
 * Backward propagation against an independent oracle: central finite differences of the loss
 * for every weight and bias of random small networks, for every activation (hidden and output)
 * with every loss. The five-point stencil
 *   [8(L(θ+h) − L(θ−h)) − (L(θ+2h) − L(θ−2h))] / 12h
 * has an O(h⁴) error, so h = 1e-3 keeps both truncation (~1e-12) and rounding (~1e-13) far
 * below the 1e-6 relative tolerance, even for gradients near 1e-6.
 */
const H = 1e-3;
const TOLERANCE = 1e-6;

function randomNetwork(rng: Rng, hidden: Activation, output: Activation, loss: LossName): { net: Network; x: Float64Array; y: Float64Array } {
  const inputs = 3;
  const outputs = loss === 'mse' ? 2 : 3;
  const net = new Network(
    [
      { inputs, units: 4, activation: hidden },
      { inputs: 4, units: 3, activation: hidden },
      { inputs: 3, units: outputs, activation: output },
    ],
    true,
    loss,
  );
  for (const w of net.weights) for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-1, 1);
  for (const b of net.biases) for (let i = 0; i < b.length; i++) b[i] = rng.uniform(-0.5, 0.5);
  if (loss === 'bce' && output !== 'sigmoid') {
    // bce needs outputs inside (0, 1): small last-layer weights around a bias of 0.5 keep them there.
    const last = net.weights.length - 1;
    for (let i = 0; i < net.weights[last].length; i++) net.weights[last][i] *= 0.1;
    net.biases[last].fill(0.5);
  }
  const x = Float64Array.from({ length: inputs }, () => rng.uniform(-1, 1));
  const y = Float64Array.from({ length: outputs }, () => (loss === 'mse' ? rng.uniform(-1, 1) : rng.nextFloat()));
  if (loss === 'cross-entropy') {
    y.fill(0);
    y[rng.below(outputs)] = 1;
  }
  return { net, x, y };
}

function lossAt(net: Network, x: Float64Array, y: Float64Array): number {
  net.forward(x, 0);
  return net.backward(y, 0);
}

function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a) + Math.abs(b), 1e-7);
}

/** True when some ReLU input sits within `margin` of its kink, where a finite difference is meaningless. */
function nearKink(net: Network, margin: number): boolean {
  return net.layers.some((l, i) => l.activation === 'relu' && net.preActivations[i].some((z) => Math.abs(z) < margin));
}

describe('backward propagation matches central finite differences', () => {
  for (const loss of LOSSES) {
    for (const hidden of ACTIVATIONS) {
      for (const output of ACTIVATIONS) {
        it(`${loss}, hidden ${hidden}, output ${output}`, () => {
          const rng = new Rng(LOSSES.indexOf(loss) * 100 + ACTIVATIONS.indexOf(hidden) * 10 + ACTIVATIONS.indexOf(output), RngStream.init);
          let checked = 0;
          for (let trial = 0; trial < 5; trial++) {
            const { net, x, y } = randomNetwork(rng, hidden, output, loss);
            lossAt(net, x, y);
            if (nearKink(net, 1e-2)) continue;
            const sumW = net.weights.map((w) => new Float64Array(w.length));
            const sumB = net.biases.map((b) => new Float64Array(b.length));
            net.accumulateGradient(sumW, sumB);
            const params = [...net.weights, ...net.biases];
            const analytic = [...sumW, ...sumB];
            params.forEach((p, slot) => {
              for (let i = 0; i < p.length; i++) {
                const saved = p[i];
                const at = (offset: number) => {
                  p[i] = saved + offset;
                  return lossAt(net, x, y);
                };
                const numeric = (8 * (at(H) - at(-H)) - (at(2 * H) - at(-2 * H))) / (12 * H);
                p[i] = saved;
                const error = relativeError(analytic[slot][i], numeric);
                assert.ok(error < TOLERANCE, `parameter ${slot}:${i}: backward ${analytic[slot][i]}, finite difference ${numeric}, relative error ${error}`);
                checked++;
              }
            });
          }
          assert.ok(checked > 0, 'every trial landed on a ReLU kink');
        });
      }
    }
  }
});

describe('the gradient norm computed without forming the gradient', () => {
  it('equals the norm of the full per-point gradient', () => {
    const rng = new Rng(5, RngStream.init);
    const { net, x, y } = randomNetwork(rng, 'tanh', 'sigmoid', 'mse');
    lossAt(net, x, y);
    const sumW = net.weights.map((w) => new Float64Array(w.length));
    const sumB = net.biases.map((b) => new Float64Array(b.length));
    net.accumulateGradient(sumW, sumB);
    let squares = 0;
    for (const g of [...sumW, ...sumB]) for (const v of g) squares += v * v;
    assert.ok(relativeError(net.pointGradientNorm(), Math.sqrt(squares)) < 1e-12);
  });
});
