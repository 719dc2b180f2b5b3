import { formatNumber } from '../src/core/outline/format';
import type { RunSummary } from '../src/core/outline/summary';
import { svg } from './dom';

const WIDTH = 220;
const HEIGHT = 56;
const PAD = 4;
/** A long run's batches are averaged into at most this many points. */
const MAX_POINTS = 200;

/**
 * A small loss curve: each epoch's mean loss as dots joined by a line, over the running mean
 * loss of the batches (averaged down to a few hundred points) as a fainter line.
 */
export function lossChart(summary: RunSummary): SVGSVGElement {
  const batches = batchLosses(summary);
  const epochs = summary.epochs.map((e, i) => ({ x: (i + 1) * summary.shape.pointsPerEpoch, y: e.loss })).filter((p): p is { x: number; y: number } => p.y !== undefined);
  const totalPoints = Math.max(1, summary.shape.epochs * summary.shape.pointsPerEpoch);
  const ys = [...batches.map((b) => b.y), ...epochs.map((e) => e.y)];
  const max = Math.max(...ys, 0);
  const min = Math.min(...ys, max);
  const span = max - min || 1;
  const px = (x: number) => PAD + ((WIDTH - 2 * PAD) * x) / totalPoints;
  const py = (y: number) => HEIGHT - PAD - ((HEIGHT - 2 * PAD) * (y - min)) / span;
  const chart = svg('svg', { class: 'loss-chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT, role: 'img' });
  const description = epochs.length ? `Mean loss per epoch: ${epochs.map((e) => formatNumber(e.y)).join(', ')}` : 'No epoch has ended yet';
  chart.append(Object.assign(svg('title'), { textContent: description }));
  if (batches.length > 1) chart.append(svg('polyline', { class: 'batches', points: batches.map((b) => `${px(b.x).toFixed(1)},${py(b.y).toFixed(1)}`).join(' ') }));
  if (epochs.length > 1) chart.append(svg('polyline', { class: 'epochs', points: epochs.map((e) => `${px(e.x).toFixed(1)},${py(e.y).toFixed(1)}`).join(' ') }));
  for (const e of epochs) chart.append(svg('circle', { class: 'epoch-dot', cx: px(e.x).toFixed(1), cy: py(e.y).toFixed(1), r: 2.5 }));
  return chart;
}

/** Mean point loss over consecutive stretches of the run, at most MAX_POINTS of them. */
function batchLosses(summary: RunSummary): { x: number; y: number }[] {
  const { pointsPerEpoch } = summary.shape;
  const done = summary.epochs.reduce((n, e) => n + e.pointsDone, 0);
  const stride = Math.max(summary.shape.batchSize, Math.ceil(done / MAX_POINTS));
  const points: { x: number; y: number }[] = [];
  let sum = 0;
  let n = 0;
  summary.epochs.forEach((epoch, e) => {
    for (let p = 0; p < epoch.pointsDone; p++) {
      sum += epoch.pointLoss[p];
      if (++n === stride) {
        points.push({ x: e * pointsPerEpoch + p + 1, y: sum / n });
        sum = 0;
        n = 0;
      }
    }
  });
  return points;
}
