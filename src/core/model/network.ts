import type { Activation, LossName } from '../config/types';
import { activate, multiplyByDerivative } from './activations';
import { lossAndOutputDelta } from './losses';

/** One dense layer: `units` nodes, each fed by all `inputs` values of the layer before. */
export interface LayerShape {
  inputs: number;
  units: number;
  activation: Activation;
}

/**
 * A fully connected network and the scratch space of one data point's passes.
 * Weights of layer l are row-major [out][in] in one Float64Array (the trace's number[l][out][in]).
 * Nothing here allocates after construction: the loop runs millions of points.
 */
export class Network {
  readonly weights: Float64Array[];
  /** Empty arrays when the model has no biases. */
  readonly biases: Float64Array[];
  /** activations[0] is the data point's inputs; activations[l + 1] is the output of layer l. */
  readonly activations: Float64Array[];
  /** Pre-activations z of layer l, this data point. */
  readonly preActivations: Float64Array[];
  /** dLoss/dz of each unit of layer l, this data point. */
  readonly deltas: Float64Array[];
  /** Softmax of the output, this data point (cross-entropy only). */
  readonly probabilities: Float64Array;

  constructor(
    readonly layers: readonly LayerShape[],
    readonly hasBias: boolean,
    readonly loss: LossName,
  ) {
    this.weights = layers.map((l) => new Float64Array(l.units * l.inputs));
    this.biases = layers.map((l) => new Float64Array(hasBias ? l.units : 0));
    this.activations = [new Float64Array(layers[0].inputs), ...layers.map((l) => new Float64Array(l.units))];
    this.preActivations = layers.map((l) => new Float64Array(l.units));
    this.deltas = layers.map((l) => new Float64Array(l.units));
    this.probabilities = new Float64Array(layers[layers.length - 1].units);
  }

  get output(): Float64Array {
    return this.activations[this.layers.length];
  }

  /** Forward propagation of the row at `offset` of `inputs`: fills activations and pre-activations. */
  forward(inputs: Float64Array, offset: number): void {
    const first = this.activations[0];
    for (let i = 0; i < first.length; i++) first[i] = inputs[offset + i];
    for (let l = 0; l < this.layers.length; l++) {
      const { inputs: n, units, activation } = this.layers[l];
      const w = this.weights[l];
      const b = this.biases[l];
      const a = this.activations[l];
      const z = this.preActivations[l];
      for (let o = 0; o < units; o++) {
        let sum = this.hasBias ? b[o] : 0;
        const row = o * n;
        for (let i = 0; i < n; i++) sum += w[row + i] * a[i];
        z[o] = sum;
      }
      activate(activation, z, this.activations[l + 1], units);
    }
  }

  /**
   * Backward propagation after `forward`: fills `deltas` for every layer and returns this
   * point's loss. The gradient itself is never stored per point: dLoss/dW[l][o][i] is
   * deltas[l][o] · activations[l][i], and dLoss/db[l][o] is deltas[l][o].
   */
  backward(targets: Float64Array, offset: number): number {
    const last = this.layers.length - 1;
    const loss = lossAndOutputDelta(
      this.loss,
      this.layers[last].activation,
      this.preActivations[last],
      this.activations[last + 1],
      targets,
      offset,
      this.layers[last].units,
      this.deltas[last],
      this.probabilities,
    );
    for (let l = last; l > 0; l--) {
      const { inputs: n, units } = this.layers[l];
      const w = this.weights[l];
      const delta = this.deltas[l];
      const below = this.deltas[l - 1];
      // dLoss/da of the layer below is Wᵀ δ; times f'(z) it becomes that layer's δ.
      below.fill(0);
      for (let o = 0; o < units; o++) {
        const d = delta[o];
        const row = o * n;
        for (let i = 0; i < n; i++) below[i] += w[row + i] * d;
      }
      multiplyByDerivative(this.layers[l - 1].activation, this.activations[l], below, n);
    }
    return loss;
  }

  /** Adds this point's gradient (δ ⊗ a, and δ for biases) to the running batch sums. */
  accumulateGradient(sumWeights: Float64Array[], sumBiases: Float64Array[]): void {
    for (let l = 0; l < this.layers.length; l++) {
      const { inputs: n, units } = this.layers[l];
      const delta = this.deltas[l];
      const a = this.activations[l];
      const g = sumWeights[l];
      for (let o = 0; o < units; o++) {
        const d = delta[o];
        const row = o * n;
        for (let i = 0; i < n; i++) g[row + i] += d * a[i];
      }
      if (this.hasBias) {
        const gb = sumBiases[l];
        for (let o = 0; o < units; o++) gb[o] += delta[o];
      }
    }
  }

  /**
   * The Euclidean norm of this point's whole gradient, without forming it:
   * ‖δ ⊗ a‖² = ‖δ‖² ‖a‖², so the cost is per unit, not per weight.
   */
  pointGradientNorm(): number {
    let total = 0;
    for (let l = 0; l < this.layers.length; l++) {
      const deltaSquared = sumOfSquares(this.deltas[l]);
      total += deltaSquared * sumOfSquares(this.activations[l]);
      if (this.hasBias) total += deltaSquared;
    }
    return Math.sqrt(total);
  }

  /**
   * Whether every entry of this point's gradient (δ ⊗ a, and δ) is finite, checked per unit:
   * |δ_o a_i| ≤ max|δ| · max|a|, so only when that bound overflows are the products looked at.
   */
  gradientIsFinite(): boolean {
    for (let l = 0; l < this.layers.length; l++) {
      const maxDelta = maxAbs(this.deltas[l]);
      const maxInput = maxAbs(this.activations[l]);
      if (!Number.isFinite(maxDelta) || !Number.isFinite(maxInput)) return false;
      if (Number.isFinite(maxDelta * maxInput)) continue;
      for (const d of this.deltas[l]) for (const a of this.activations[l]) if (!Number.isFinite(d * a)) return false;
    }
    return true;
  }

  parameterCount(): number {
    return this.layers.reduce((sum, l) => sum + l.units * l.inputs + (this.hasBias ? l.units : 0), 0);
  }
}

/** The largest magnitude, or NaN when a value is NaN. */
function maxAbs(values: Float64Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const m = Math.abs(values[i]);
    if (!(m <= max)) max = m;
  }
  return max;
}

function sumOfSquares(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return sum;
}
