import type { Activation, LossName } from '../config/types';
import { multiplyByDerivative } from './activations';

/**
 * Per-point losses and their gradient with respect to the last layer's pre-activations.
 * k is the number of output units.
 *
 *   mse            L = (1/k) Σ (a − y)²             (no factor ½, so dL/da = 2(a − y)/k)
 *   bce            L = −(1/k) Σ [y ln a + (1 − y) ln(1 − a)]
 *   cross-entropy  p = softmax(a),  L = −Σ y ln p     (y one-hot, or any non-negative weights)
 *
 * With a sigmoid output, bce is computed from z (as "BCE with logits" does), which is the same
 * number without the overflow of ln(1 − a) once a rounds to 1.
 */
export function lossAndOutputDelta(
  loss: LossName,
  activation: Activation,
  z: Float64Array,
  a: Float64Array,
  y: Float64Array,
  yOffset: number,
  k: number,
  delta: Float64Array,
  probabilities: Float64Array,
): number {
  switch (loss) {
    case 'mse': {
      let sum = 0;
      for (let i = 0; i < k; i++) {
        const diff = a[i] - y[yOffset + i];
        sum += diff * diff;
        delta[i] = (2 * diff) / k;
      }
      multiplyByDerivative(activation, a, delta, k);
      return sum / k;
    }
    case 'bce': {
      let sum = 0;
      for (let i = 0; i < k; i++) {
        const target = y[yOffset + i];
        if (activation === 'sigmoid') {
          // −[y ln σ(z) + (1 − y) ln(1 − σ(z))] = max(z, 0) − y z + ln(1 + e^−|z|)
          sum += Math.max(z[i], 0) - target * z[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
          delta[i] = (a[i] - target) / k; // dL/da · σ'(z) with σ' = a(1 − a), simplified
        } else {
          sum -= (target === 0 ? 0 : target * Math.log(a[i])) + (target === 1 ? 0 : (1 - target) * Math.log(1 - a[i]));
          delta[i] = (a[i] - target) / (a[i] * (1 - a[i]) * k);
        }
      }
      if (activation !== 'sigmoid') multiplyByDerivative(activation, a, delta, k);
      return sum / k;
    }
    case 'cross-entropy': {
      let max = -Infinity;
      for (let i = 0; i < k; i++) if (a[i] > max) max = a[i];
      let total = 0;
      for (let i = 0; i < k; i++) total += Math.exp(a[i] - max);
      const logTotal = Math.log(total);
      let sum = 0;
      let targetMass = 0;
      for (let i = 0; i < k; i++) {
        const logP = a[i] - max - logTotal;
        probabilities[i] = Math.exp(logP);
        const target = y[yOffset + i];
        if (target !== 0) sum -= target * logP;
        targetMass += target;
      }
      // dL/da_i = p_i Σ_j y_j − y_i, which is p − y for a one-hot target.
      for (let i = 0; i < k; i++) delta[i] = probabilities[i] * targetMass - y[yOffset + i];
      multiplyByDerivative(activation, a, delta, k);
      return sum;
    }
  }
}
