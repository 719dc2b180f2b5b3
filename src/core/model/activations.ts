import type { Activation } from '../config/types';

/**
 * The activation functions, applied in place to a layer's pre-activations, and their
 * derivatives written in terms of the output a = f(z), which is all the backward pass keeps.
 */

/** a = f(z) for each of the first `n` values. */
export function activate(kind: Activation, z: Float64Array, a: Float64Array, n: number): void {
  switch (kind) {
    case 'linear':
      for (let i = 0; i < n; i++) a[i] = z[i];
      return;
    case 'relu':
      for (let i = 0; i < n; i++) a[i] = z[i] > 0 ? z[i] : 0;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) a[i] = 1 / (1 + Math.exp(-z[i]));
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) a[i] = Math.tanh(z[i]);
      return;
  }
}

/**
 * delta[i] *= f'(z[i]), with f' read off the output a[i]:
 * linear 1; relu 1 where a > 0, else 0 (the kink at 0 takes 0); sigmoid a(1 − a); tanh 1 − a².
 */
export function multiplyByDerivative(kind: Activation, a: Float64Array, delta: Float64Array, n: number): void {
  switch (kind) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < n; i++) if (!(a[i] > 0)) delta[i] = 0;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) delta[i] *= a[i] * (1 - a[i]);
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) delta[i] *= 1 - a[i] * a[i];
      return;
  }
}
