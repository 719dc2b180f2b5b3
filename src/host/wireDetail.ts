import type { NodeDetail } from '../core/run/detail';
import type { LayerValues } from '../core/model/parameters';
import type { WireDetail } from '../shared/protocol';

/** The corner of each matrix a hover card shows; bigger layers are cut, and say so. */
export const MAX_ROWS = 16;
export const MAX_COLUMNS = 16;
export const MAX_VALUES = 64;

/** Cuts a detail's large arrays to what the card can show; the numbers kept are exact. */
export function toWire(detail: NodeDetail): WireDetail {
  let truncated = false;
  const cutList = (values: number[], max = MAX_VALUES) => {
    if (values.length > max) truncated = true;
    return values.slice(0, max);
  };
  const cutLayers = (layers: LayerValues): LayerValues => ({
    weights: layers.weights.map((matrix) => {
      if (matrix.length > MAX_ROWS) truncated = true;
      return matrix.slice(0, MAX_ROWS).map((row) => cutList(row, MAX_COLUMNS));
    }),
    biases: layers.biases.map((row) => cutList(row, MAX_ROWS)),
  });
  let wire: NodeDetail;
  switch (detail.kind) {
    case 'forward':
      wire = { ...detail, inputs: cutList(detail.inputs), inputNames: detail.inputNames.slice(0, MAX_VALUES), output: cutList(detail.output), target: cutList(detail.target), targetNames: detail.targetNames.slice(0, MAX_VALUES) };
      if (detail.probabilities) wire.probabilities = cutList(detail.probabilities);
      break;
    case 'backward':
    case 'sum':
      wire = { ...detail, gradient: cutLayers(detail.gradient), batchSum: cutLayers(detail.batchSum) };
      break;
    case 'update':
      wire = { ...detail, gradient: cutLayers(detail.gradient), before: cutLayers(detail.before), after: cutLayers(detail.after) };
      break;
    case 'init':
      wire = { ...detail, weights: cutLayers(detail.weights) };
      break;
  }
  return truncated ? { ...wire, truncated } : wire;
}
