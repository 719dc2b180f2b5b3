import type { TrainingConfig } from '../config/types';
import { rowsOf } from '../data/dataset';
import type { LayerShape, Network } from './network';

/** Weights and biases (or their gradients) in the trace's shapes: weights[layer][out][in], biases[layer][out]. */
export interface LayerValues {
  weights: number[][][];
  biases: number[][];
}

/** The layers a config builds on data of `features` input values. */
export function layerShapes(config: TrainingConfig, features: number): LayerShape[] {
  let inputs = features;
  return config.model.layers.map((layer) => {
    const shape = { inputs, units: layer.units, activation: layer.activation };
    inputs = layer.units;
    return shape;
  });
}

/** This point's gradient, formed from the network's deltas and activations (δ ⊗ a and δ). */
export function pointGradient(network: Network): LayerValues {
  return {
    weights: network.layers.map((layer, l) => {
      const delta = network.deltas[l];
      const a = network.activations[l];
      return Array.from(delta, (d) => Array.from(a.subarray(0, layer.inputs), (x) => d * x));
    }),
    biases: network.layers.map((_, l) => (network.hasBias ? Array.from(network.deltas[l]) : [])),
  };
}

/** Parameters (or their gradients) held in flat arrays, nested into the trace's shapes. */
export function nestedParameters(network: Network, flat: { weights: Float64Array[]; biases: Float64Array[] }): LayerValues {
  return {
    weights: network.layers.map((layer, l) => rowsOf(flat.weights[l], layer.inputs)),
    biases: flat.biases.map((b) => Array.from(b)),
  };
}

/**
 * The Euclidean norm of weights and biases (or their gradients), summed in the order the
 * optimizer sums a batch gradient's squares (each layer's weights, then its biases), so that
 * an update's norm computed from its trace is bit for bit the one the trainer computed.
 */
export function layerValuesNorm(values: LayerValues): number {
  let total = 0;
  values.weights.forEach((matrix, l) => {
    let squares = 0;
    for (const row of matrix) for (const g of row) squares += g * g;
    total += squares;
    squares = 0;
    for (const g of values.biases[l] ?? []) squares += g * g;
    total += squares;
  });
  return Math.sqrt(total);
}

/** Each parameter's change, after − before (an update drawn as what it changed). */
export function changeOf(before: LayerValues, after: LayerValues): LayerValues {
  return {
    weights: after.weights.map((layer, l) => layer.map((row, o) => row.map((w, i) => w - before.weights[l][o][i]))),
    biases: after.biases.map((row, l) => row.map((b, o) => b - before.biases[l][o])),
  };
}
