import type { OptimizerConfig } from '../config/types';

/** Number display for labels and tooltips: rounded for reading. Copies use the exact value. */
export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-4) return value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(digits)));
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** "Data point-8" for row index 7: the learner's own numbering, from 1. */
export function pointName(index: number): string {
  return `Data point-${index + 1}`;
}

/** A short list of data points: "Data point-3, Data point-9" or "Data point-3, …, Data point-7 (5 points)". */
export function pointList(indices: ArrayLike<number>, max = 4): string {
  const n = indices.length;
  if (n <= max) return Array.from(indices, pointName).join(', ');
  const head: string[] = [];
  for (let i = 0; i < max - 1; i++) head.push(pointName(indices[i]));
  return `${head.join(', ')}, …, ${pointName(indices[n - 1])} (${n} points)`;
}

/** "SGD, learning rate 0.1, momentum 0.9" or "Adam, learning rate 0.001 (β1 0.9, β2 0.999, ε 1e-8)". */
export function describeOptimizer(optimizer: OptimizerConfig): string {
  if (optimizer.type === 'adam') return `Adam, learning rate ${optimizer.learningRate} (β1 ${optimizer.beta1}, β2 ${optimizer.beta2}, ε ${optimizer.epsilon})`;
  return `SGD, learning rate ${optimizer.learningRate}${optimizer.momentum ? `, momentum ${optimizer.momentum}` : ''}`;
}
