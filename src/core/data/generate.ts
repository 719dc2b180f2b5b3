import type { GeneratorName } from '../config/types';
import { Rng, RngStream } from '../rng';
import { numberedNames, type Dataset } from './dataset';

/**
 * Synthetic data sets, drawn from the seed's "data" stream, so the same config always gives the
 * same rows. Inputs are U(−1, 1) per feature, drawn row by row; then, per generator:
 *
 *   xor     y = 1 when x1 and x2 have different signs, else 0        (needs 2+ features)
 *   circle  y = 1 when x1² + x2² < 0.5, else 0                        (needs 2+ features)
 *   linear  y = w · x + 0.5, with w ~ U(−1, 1) drawn once before the rows
 *   random  y ~ U(0, 1)
 *
 * `noise` is the standard deviation of Gaussian noise: added to every input for xor and circle
 * (after the label is decided), and to the target for linear; random has no use for it.
 * Draw order per row: the inputs, then the target's draw (random), then the noise draws.
 */
export function generateDataset(generate: GeneratorName, count: number, features: number, noise: number, seed: number): Dataset {
  const rng = new Rng(seed, RngStream.data);
  const inputs = new Float64Array(count * features);
  const targets = new Float64Array(count);
  const slope = generate === 'linear' ? Array.from({ length: features }, () => rng.uniform(-1, 1)) : [];
  for (let r = 0; r < count; r++) {
    const x = inputs.subarray(r * features, (r + 1) * features);
    for (let f = 0; f < features; f++) x[f] = rng.uniform(-1, 1);
    switch (generate) {
      case 'xor':
        targets[r] = x[0] * x[1] < 0 ? 1 : 0;
        break;
      case 'circle':
        targets[r] = x[0] * x[0] + x[1] * x[1] < 0.5 ? 1 : 0;
        break;
      case 'linear': {
        let y = 0.5;
        for (let f = 0; f < features; f++) y += slope[f] * x[f];
        targets[r] = y;
        break;
      }
      case 'random':
        targets[r] = rng.nextFloat();
        break;
    }
    if (noise > 0) {
      if (generate === 'linear') targets[r] += noise * rng.normal();
      else if (generate !== 'random') for (let f = 0; f < features; f++) x[f] += noise * rng.normal();
    }
  }
  return { count, features, targetWidth: 1, inputs, targets, featureNames: numberedNames('x', features), targetNames: ['y'] };
}
