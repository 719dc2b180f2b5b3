import type { OptimizerConfig } from '../config/types';
import { counted, label, list, type Label } from '../words/label';

/** "Data point-8" for row index 7: the learner's own numbering, from 1. */
export function pointName(index: number): Label {
  return label('point.name', { n: index + 1 });
}

/** A short list of data points: "Data point-3, Data point-9" or "Data point-3, …, Data point-7 (5 points)". */
export function pointList(indices: ArrayLike<number>, max = 4): Label {
  const n = indices.length;
  if (n <= max) return label('point.list', { points: list(Array.from(indices, pointName)) });
  const head: Label[] = [];
  for (let i = 0; i < max - 1; i++) head.push(pointName(indices[i]));
  return label('point.listCut', { head: list(head), last: pointName(indices[n - 1]), n: counted(n, 'point') });
}

/** "SGD, learning rate 0.1, momentum 0.9" or "Adam, learning rate 0.001 (β1 0.9, β2 0.999, ε 1e-8)". */
export function describeOptimizer(optimizer: OptimizerConfig): Label {
  if (optimizer.type === 'adam') return label('optimizer.adam', { rate: optimizer.learningRate, beta1: optimizer.beta1, beta2: optimizer.beta2, epsilon: optimizer.epsilon });
  if (optimizer.momentum) return label('optimizer.momentum', { rate: optimizer.learningRate, momentum: optimizer.momentum });
  return label('optimizer.sgd', { rate: optimizer.learningRate });
}
