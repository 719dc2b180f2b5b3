import type { OptimizerConfig } from '../config/types';

/** What one update pass learns on the way, so that nothing walks the parameters twice. */
export interface StepTotals {
  /** Σ g² of the reduced gradient: the batch gradient's squared norm. */
  squares: number;
  /** Σ (w − w) of the updated parameters: 0 when all are finite, NaN otherwise. */
  check: number;
}

/**
 * One optimizer step per batch, from the batch gradient g (already reduced: sum or mean).
 *
 *   sgd   v ← μ v + g;  w ← w − η v        (μ = 0 gives plain w ← w − η g; PyTorch's convention)
 *   adam  m ← β1 m + (1 − β1) g;  s ← β2 s + (1 − β2) g²;  t ← t + 1
 *         w ← w − η m̂ / (√ŝ + ε)  with m̂ = m / (1 − β1ᵗ), ŝ = s / (1 − β2ᵗ)   (Kingma & Ba 2015)
 */
export interface Optimizer {
  /**
   * Divides `gradient` by `divisor` in place (the batch's reduction: 1 for a sum, its size for
   * a mean), then updates `params` from it; `slot` names the parameter array (for its state).
   * One pass over the parameters, because for small networks these passes are the update's
   * whole cost; the pass adds to `totals`.
   */
  step(slot: number, params: Float64Array, gradient: Float64Array, divisor: number, totals: StepTotals): void;
  /** Called once per batch, before the steps of that batch. */
  beginStep(): void;
  /** The state needed to resume bit for bit (momentum buffers, Adam moments, step count). */
  snapshot(): OptimizerState;
  restore(state: OptimizerState): void;
}

export interface OptimizerState {
  step: number;
  buffers: Float64Array[];
}

export function createOptimizer(config: OptimizerConfig, sizes: readonly number[]): Optimizer {
  return config.type === 'sgd' ? new Sgd(config.learningRate, config.momentum, sizes) : new Adam(config, sizes);
}

class Sgd implements Optimizer {
  private velocity: Float64Array[];
  private steps = 0;

  constructor(
    private readonly learningRate: number,
    private readonly momentum: number,
    sizes: readonly number[],
  ) {
    this.velocity = momentum > 0 ? sizes.map((n) => new Float64Array(n)) : [];
  }

  beginStep(): void {
    this.steps++;
  }

  step(slot: number, params: Float64Array, gradient: Float64Array, divisor: number, totals: StepTotals): void {
    const lr = this.learningRate;
    let squares = 0;
    let check = 0;
    if (this.momentum === 0) {
      for (let i = 0; i < params.length; i++) {
        const g = gradient[i] / divisor;
        gradient[i] = g;
        squares += g * g;
        params[i] -= lr * g;
        check += params[i] - params[i];
      }
    } else {
      const v = this.velocity[slot];
      const mu = this.momentum;
      for (let i = 0; i < params.length; i++) {
        const g = gradient[i] / divisor;
        gradient[i] = g;
        squares += g * g;
        v[i] = mu * v[i] + g;
        params[i] -= lr * v[i];
        check += params[i] - params[i];
      }
    }
    totals.squares += squares;
    totals.check += check;
  }

  snapshot(): OptimizerState {
    return { step: this.steps, buffers: this.velocity.map((v) => v.slice()) };
  }

  restore(state: OptimizerState): void {
    this.steps = state.step;
    this.velocity = state.buffers.map((v) => v.slice());
  }
}

class Adam implements Optimizer {
  private first: Float64Array[];
  private second: Float64Array[];
  private steps = 0;
  private firstCorrection = 1;
  private secondCorrection = 1;

  constructor(
    private readonly config: Extract<OptimizerConfig, { type: 'adam' }>,
    sizes: readonly number[],
  ) {
    this.first = sizes.map((n) => new Float64Array(n));
    this.second = sizes.map((n) => new Float64Array(n));
  }

  beginStep(): void {
    this.steps++;
    this.firstCorrection = 1 - Math.pow(this.config.beta1, this.steps);
    this.secondCorrection = 1 - Math.pow(this.config.beta2, this.steps);
  }

  step(slot: number, params: Float64Array, gradient: Float64Array, divisor: number, totals: StepTotals): void {
    const { learningRate, beta1, beta2, epsilon } = this.config;
    const m = this.first[slot];
    const s = this.second[slot];
    let squares = 0;
    let check = 0;
    for (let i = 0; i < params.length; i++) {
      const g = gradient[i] / divisor;
      gradient[i] = g;
      squares += g * g;
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      s[i] = beta2 * s[i] + (1 - beta2) * g * g;
      const mHat = m[i] / this.firstCorrection;
      const sHat = s[i] / this.secondCorrection;
      params[i] -= (learningRate * mHat) / (Math.sqrt(sHat) + epsilon);
      check += params[i] - params[i];
    }
    totals.squares += squares;
    totals.check += check;
  }

  snapshot(): OptimizerState {
    return { step: this.steps, buffers: [...this.first, ...this.second].map((b) => b.slice()) };
  }

  restore(state: OptimizerState): void {
    const half = state.buffers.length / 2;
    this.steps = state.step;
    this.first = state.buffers.slice(0, half).map((b) => b.slice());
    this.second = state.buffers.slice(half).map((b) => b.slice());
    this.firstCorrection = 1 - Math.pow(this.config.beta1, this.steps);
    this.secondCorrection = 1 - Math.pow(this.config.beta2, this.steps);
  }
}
