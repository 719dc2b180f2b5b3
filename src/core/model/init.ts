import type { ModelConfig } from '../config/types';
import { Rng, RngStream } from '../rng';
import type { Network } from './network';

/**
 * Sets a network's starting weights, once, before the first epoch (correction C1: the weights
 * are not initialised at Data point-1, nor ever again).
 *
 *   xavier   U(−√(6 / (in + out)), +√(6 / (in + out)))   (Glorot & Bengio 2010, uniform)
 *   he       N(0, 2 / in)                                  (He et al. 2015, normal)
 *   uniform  U(−0.5, +0.5)
 *
 * Draws come from the seed's "init" stream, layer by layer, row by row ([out][in] order).
 * Biases start at 0. `initialWeights` / `initialBiases` replace the drawn values when given.
 */
export function initialiseParameters(network: Network, model: ModelConfig, seed: number): void {
  const rng = new Rng(seed, RngStream.init);
  network.layers.forEach((layer, l) => {
    const w = network.weights[l];
    const given = model.initialWeights?.[l];
    for (let o = 0; o < layer.units; o++) {
      for (let i = 0; i < layer.inputs; i++) {
        w[o * layer.inputs + i] = given ? given[o][i] : draw(model.init, layer.inputs, layer.units, rng);
      }
    }
    const givenBiases = model.initialBiases?.[l];
    // Without biases ("bias": false) given biases are ignored, as the config check warns.
    if (givenBiases && model.bias) network.biases[l].set(givenBiases);
  });
}

function draw(init: ModelConfig['init'], fanIn: number, fanOut: number, rng: Rng): number {
  switch (init) {
    case 'xavier': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return rng.uniform(-limit, limit);
    }
    case 'he':
      return rng.normal() * Math.sqrt(2 / fanIn);
    case 'uniform':
      return rng.uniform(-0.5, 0.5);
  }
}
