import { changeOf, type LayerValues } from '../../src/core/model/parameters';
import { pointName } from '../../src/core/outline/phrases';
import type { RunShape } from '../../src/core/run/summary';
import { label, rounded, type Label } from '../../src/core/words/label';
import type { WireDetail } from '../../src/shared/protocol';

/** What an edge's number is, in this picture. */
export type EdgeMeaning = 'weight' | 'gradient' | 'sum' | 'change';

/**
 * What the network drawing shows for one step, decided from the step's numbers alone: the
 * number on each edge (and bias), the value on each node, and a caption that says what is drawn.
 */
export interface Picture {
  caption: Label;
  meaning: EdgeMeaning;
  /** Per layer [out][in] and [out], the trace's shapes. */
  edges: LayerValues;
  /** "sum": this point's own gradient, beside the running sum. */
  share?: LayerValues;
  /** "change": each weight before and after the update. */
  before?: LayerValues;
  after?: LayerValues;
  /** Node values, layer 0 (the inputs) to the output layer: a forward step's. */
  nodes?: number[][];
  target?: number[];
  loss?: number;
}

/** The picture of a step's numbers. */
export function pictureOf(detail: WireDetail): Picture {
  switch (detail.kind) {
    case 'forward':
      return {
        caption: label('network.forward', { point: pointName(detail.index), from: detail.weightsFrom }),
        meaning: 'weight',
        edges: detail.weightsUsed,
        nodes: [detail.inputs, ...detail.activations],
        target: detail.target,
        loss: detail.loss,
      };
    case 'backward':
      return { caption: label('network.backward', { point: pointName(detail.index), norm: rounded(detail.norm) }), meaning: 'gradient', edges: detail.gradient };
    case 'sum':
      return { caption: label('network.sum', { point: pointName(detail.index), k: detail.pointsSummed, size: detail.batchSize }), meaning: 'sum', edges: detail.batchSum, share: detail.gradient };
    case 'update':
      return { caption: label('network.update', { batch: detail.batch, epoch: detail.epoch }), meaning: 'change', edges: changeOf(detail.before, detail.after), before: detail.before, after: detail.after };
    case 'init':
      return { caption: label('network.init', { init: detail.init }), meaning: 'weight', edges: detail.weights };
    case 'start':
      return { caption: label('network.start', { batch: detail.batch, epoch: detail.epoch, from: detail.from }), meaning: 'weight', edges: detail.weights };
  }
}

/** Before a step's numbers arrive, or for a node without any: the bare network. */
export function bareCaption(shape: RunShape): Label {
  return label('network.structure', { layers: shape.layerSizes.join('-') });
}
