import type { NodeDetail } from '../core/run/detail';
import type { LayerValues } from '../core/model/parameters';
import type { WireDetail } from '../shared/protocol';

/**
 * What of a detail goes to the panel. The network drawing shows every unit of a layer up to 32
 * and a heat map beyond; a heat map of 128 × 128 cells still draws within a frame and costs
 * 128 KB a layer on the wire, so larger layers are cut to their first 128 rows and columns (the
 * panel says so; "Copy numbers" still copies every number). The learner's set-up and the
 * 64-64-10 benchmark network go whole.
 */
export const MAX_ROWS = 128;
export const MAX_COLUMNS = 128;
export const MAX_VALUES = 128;

/** How much of each array a cut detail keeps. */
export interface DetailLimits {
  rows: number;
  columns: number;
  values: number;
}

/** Cuts a detail's large arrays to what the panel can show (or to `limits`: an exported page shows less); the numbers kept are exact. */
export function toWire(detail: NodeDetail, limits: DetailLimits = { rows: MAX_ROWS, columns: MAX_COLUMNS, values: MAX_VALUES }): WireDetail {
  let truncated = false;
  const cutList = (values: number[], max = limits.values) => {
    if (values.length > max) truncated = true;
    return values.slice(0, max);
  };
  const cutLayers = (layers: LayerValues): LayerValues => ({
    weights: layers.weights.map((matrix) => {
      if (matrix.length > limits.rows) truncated = true;
      return matrix.slice(0, limits.rows).map((row) => cutList(row, limits.columns));
    }),
    biases: layers.biases.map((row) => cutList(row, limits.rows)),
  });
  let wire: NodeDetail;
  switch (detail.kind) {
    case 'forward':
      wire = {
        ...detail,
        inputs: cutList(detail.inputs),
        inputNames: detail.inputNames.slice(0, limits.values),
        output: cutList(detail.output),
        target: cutList(detail.target),
        targetNames: detail.targetNames.slice(0, limits.values),
        weightsUsed: cutLayers(detail.weightsUsed),
        activations: detail.activations.map((layer) => cutList(layer, limits.rows)),
      };
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
    case 'start':
      wire = { ...detail, weights: cutLayers(detail.weights) };
      break;
  }
  return truncated ? { ...wire, truncated } : wire;
}
