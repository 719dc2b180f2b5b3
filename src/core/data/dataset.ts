/** The training data, loaded and checked: rows of inputs and targets in flat, row-major arrays. */
export interface Dataset {
  count: number;
  /** Values per input row: the number of input nodes. */
  features: number;
  /** Values per target row: the number of output nodes the targets need. */
  targetWidth: number;
  /** count × features. */
  inputs: Float64Array;
  /** count × targetWidth. */
  targets: Float64Array;
  featureNames: string[];
  targetNames: string[];
}

export function rowsOf(values: Float64Array, width: number): number[][] {
  const rows: number[][] = [];
  for (let start = 0; start < values.length; start += width) rows.push(Array.from(values.subarray(start, start + width)));
  return rows;
}

export function datasetFromRows(inputs: number[][], targets: number[][], featureNames?: string[], targetNames?: string[]): Dataset {
  const features = inputs[0].length;
  const targetWidth = targets[0].length;
  return {
    count: inputs.length,
    features,
    targetWidth,
    inputs: Float64Array.from(inputs.flat()),
    targets: Float64Array.from(targets.flat()),
    featureNames: featureNames ?? numberedNames('x', features),
    targetNames: targetNames ?? numberedNames('y', targetWidth),
  };
}

export function numberedNames(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
}
