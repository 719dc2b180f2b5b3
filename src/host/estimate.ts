import type { TrainingConfig } from '../core/config/types';
import type { Dataset } from '../core/data/dataset';
import { batchSchedule } from '../core/train/schedule';

/**
 * Roughly how long a run takes, in seconds, from its size alone: data points visited × (a
 * fixed cost per point + a cost per parameter). The costs are this project's 2-core machine's,
 * rounded up (see `npm run bench`: 1.3 µs a point for the learner's 161 parameters, 270 µs for
 * 100,000), so the estimate errs long: a window reload reruns only what is surely quick.
 */
export function estimateRunSeconds(config: TrainingConfig, data: Pick<Dataset, 'count' | 'features'>): number {
  const points = batchSchedule(data.count, config).pointsPerEpoch * config.epochs;
  let parameters = 0;
  let inputs = data.features;
  for (const layer of config.model.layers) {
    parameters += layer.units * (inputs + (config.model.bias ? 1 : 0));
    inputs = layer.units;
  }
  return points * (1e-6 + parameters * 8e-9);
}
