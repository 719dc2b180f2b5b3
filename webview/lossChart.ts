import type { RunSummary } from '../src/core/run/summary';
import type { SummaryDelta } from '../src/core/run/summaryDelta';
import { counted, label, rounded } from '../src/core/words/label';
import type { Words } from '../src/core/words/words';
import { svg } from './dom';

const WIDTH = 220;
const HEIGHT = 56;
const PAD = 4;
/** Each line keeps between this many and twice as many points, however long the run. */
const MAX_POINTS = 200;

/**
 * Consecutive values averaged in buckets of `stride`: when there are twice MAX_POINTS full
 * buckets, neighbours merge and the stride doubles. Adding a value costs the same at the
 * millionth epoch as at the first, and a line never has more than 2 × MAX_POINTS points.
 */
class Buckets {
  readonly xs: number[] = [];
  readonly ys: number[] = [];
  private sum = 0;
  private n = 0;

  constructor(private stride: number) {}

  add(x: number, y: number): void {
    this.sum += y;
    if (++this.n < this.stride) return;
    this.xs.push(x);
    this.ys.push(this.sum / this.n);
    this.sum = 0;
    this.n = 0;
    if (this.xs.length >= 2 * MAX_POINTS) this.merge();
  }

  private merge(): void {
    for (let i = 0; 2 * i + 1 < this.xs.length; i++) {
      this.xs[i] = this.xs[2 * i + 1];
      this.ys[i] = (this.ys[2 * i] + this.ys[2 * i + 1]) / 2;
    }
    this.xs.length = this.ys.length = Math.floor(this.xs.length / 2);
    this.stride *= 2;
  }
}

/**
 * A small loss curve: the mean loss of stretches of points as a faint line, and each epoch's
 * mean loss as a bolder line with dots. It is kept up to date delta by delta (`applied`), so
 * drawing it never walks the run: a million epochs cost what ten do.
 */
export class LossCurve {
  private readonly points: Buckets;
  private readonly epochs = new Buckets(1);
  private ended = 0;
  private first: number | undefined;
  private last: number | undefined;

  constructor(private readonly summary: RunSummary) {
    this.points = new Buckets(summary.shape.schedule.batchSize);
    summary.epochs.forEach((epoch, e) => {
      this.addPoints(e + 1, 0, epoch.pointLoss.subarray(0, epoch.pointsDone));
      if (epoch.loss !== undefined) this.addEpoch(e + 1, epoch.loss);
    });
  }

  /** Takes in what a delta added to the summary (call after applying it). */
  applied(delta: SummaryDelta): void {
    for (const change of delta.epochs) {
      this.addPoints(change.epoch, change.pointFrom, change.pointLoss);
      if (change.loss !== undefined) this.addEpoch(change.epoch, change.loss);
    }
  }

  draw(words: Words): SVGSVGElement {
    const { pointsPerEpoch } = this.summary.shape.schedule;
    const totalPoints = Math.max(1, this.summary.shape.epochs * pointsPerEpoch);
    const lines = [this.points, this.epochs];
    let min = Infinity;
    let max = -Infinity;
    for (const line of lines) {
      for (const y of line.ys) {
        if (y < min) min = y;
        if (y > max) max = y;
      }
    }
    const span = max - min || 1;
    const px = (x: number) => (PAD + ((WIDTH - 2 * PAD) * x) / totalPoints).toFixed(1);
    const py = (y: number) => (HEIGHT - PAD - ((HEIGHT - 2 * PAD) * (y - min)) / span).toFixed(1);
    const polyline = (line: Buckets) => line.xs.map((x, i) => `${px(x)},${py(line.ys[i])}`).join(' ');
    const chart = svg('svg', { class: 'loss-chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT, role: 'img' });
    const title = words.text(this.first !== undefined && this.last !== undefined ? label('panel.chart.title', { epochs: counted(this.ended, 'epoch'), from: rounded(this.first), to: rounded(this.last) }) : label('panel.chart.empty'));
    chart.append(Object.assign(svg('title'), { textContent: title }));
    if (this.points.xs.length > 1) chart.append(svg('polyline', { class: 'batches', points: polyline(this.points) }));
    if (this.epochs.xs.length > 1) chart.append(svg('polyline', { class: 'epochs', points: polyline(this.epochs) }));
    this.epochs.xs.forEach((x, i) => chart.append(svg('circle', { class: 'epoch-dot', cx: px(x), cy: py(this.epochs.ys[i]), r: 2.5 })));
    return chart;
  }

  private addPoints(epoch: number, from: number, losses: Float64Array): void {
    const start = (epoch - 1) * this.summary.shape.schedule.pointsPerEpoch + from;
    for (let p = 0; p < losses.length; p++) this.points.add(start + p + 1, losses[p]);
  }

  private addEpoch(epoch: number, loss: number): void {
    this.epochs.add(epoch * this.summary.shape.schedule.pointsPerEpoch, loss);
    this.first ??= loss;
    this.last = loss;
    this.ended++;
  }
}
