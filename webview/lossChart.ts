import type { RunSummary } from '../src/core/run/summary';
import { counted, label, rounded } from '../src/core/words/label';
import type { Words } from '../src/core/words/words';
import { svg } from './dom';

const WIDTH = 220;
const HEIGHT = 56;
const PAD = 4;
/** Each line is averaged down to at most this many points, however long the run. */
const MAX_POINTS = 200;

interface Point {
  x: number;
  y: number;
}

/**
 * A small loss curve: the mean loss of stretches of points as a faint line, and each epoch's
 * mean loss as a bolder line with dots (both averaged down to a few hundred points).
 */
export function lossChart(summary: RunSummary, words: Words): SVGSVGElement {
  const { pointsPerEpoch } = summary.shape.schedule;
  const stretches = pointLosses(summary);
  const ended = summary.epochs.map((e, i) => ({ x: (i + 1) * pointsPerEpoch, y: e.loss })).filter((p): p is Point => p.y !== undefined);
  const epochs = downsample(ended);
  const totalPoints = Math.max(1, summary.shape.epochs * pointsPerEpoch);
  let min = Infinity;
  let max = -Infinity;
  for (const p of [...stretches, ...epochs]) {
    if (p.y < min) min = p.y;
    if (p.y > max) max = p.y;
  }
  const span = max - min || 1;
  const px = (x: number) => (PAD + ((WIDTH - 2 * PAD) * x) / totalPoints).toFixed(1);
  const py = (y: number) => (HEIGHT - PAD - ((HEIGHT - 2 * PAD) * (y - min)) / span).toFixed(1);
  const line = (points: Point[]) => points.map((p) => `${px(p.x)},${py(p.y)}`).join(' ');
  const chart = svg('svg', { class: 'loss-chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT, role: 'img' });
  const last = ended[ended.length - 1];
  const title = words.text(last ? label('panel.chart.title', { epochs: counted(ended.length, 'epoch'), from: rounded(ended[0].y), to: rounded(last.y) }) : label('panel.chart.empty'));
  chart.append(Object.assign(svg('title'), { textContent: title }));
  if (stretches.length > 1) chart.append(svg('polyline', { class: 'batches', points: line(stretches) }));
  if (epochs.length > 1) chart.append(svg('polyline', { class: 'epochs', points: line(epochs) }));
  for (const e of epochs) chart.append(svg('circle', { class: 'epoch-dot', cx: px(e.x), cy: py(e.y), r: 2.5 }));
  return chart;
}

/** Mean point loss over consecutive stretches of the run, at most MAX_POINTS of them. */
function pointLosses(summary: RunSummary): Point[] {
  const { pointsPerEpoch, batchSize } = summary.shape.schedule;
  const done = summary.epochs.reduce((n, e) => n + e.pointsDone, 0);
  const stride = Math.max(batchSize, Math.ceil(done / MAX_POINTS));
  const points: Point[] = [];
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

/** At most MAX_POINTS points: consecutive ones averaged together. */
function downsample(points: Point[]): Point[] {
  if (points.length <= MAX_POINTS) return points;
  const stride = Math.ceil(points.length / MAX_POINTS);
  const out: Point[] = [];
  for (let i = 0; i < points.length; i += stride) {
    const group = points.slice(i, i + stride);
    out.push({ x: group[group.length - 1].x, y: group.reduce((s, p) => s + p.y, 0) / group.length });
  }
  return out;
}
