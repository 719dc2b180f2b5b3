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

/** Each parameter's change, after − before (an update drawn as what it changed). */
export function changeOf(before: LayerValues, after: LayerValues): LayerValues {
  return {
    weights: after.weights.map((layer, l) => layer.map((row, o) => row.map((w, i) => w - before.weights[l][o][i]))),
    biases: after.biases.map((row, l) => row.map((b, o) => b - before.biases[l][o])),
  };
}
