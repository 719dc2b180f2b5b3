import { formatNumber } from '../../src/core/words/words';
import { svg } from '../dom';

/**
 * One line (or cloud of dots) of a chart. `x` never decreases; `y` is the value; both exact.
 * Series that are too long for the chart's width are drawn by their minimum and maximum in
 * each pixel column, so a million points cost one pass and a few hundred SVG vertices.
 */
export interface Series {
  /** A stable name, for styling (`series-${key}`) and tests. */
  key: string;
  /** Its name in the legend. */
  name: string;
  style: 'dots' | 'line';
  /** Marker shape, so series differ by more than colour. */
  marker: 'dot' | 'square' | 'circle' | 'diamond' | 'triangle';
  dashed?: boolean;
  x: Float64Array;
  y: Float64Array;
  count: number;
  /** What a point is, in words, with its exact value: the readout on hover. */
  describe(index: number): string;
}

export interface ChartOptions {
  width: number;
  height: number;
  xTitle: string;
  yTitle: string;
  log: boolean;
  /** The accessible name: what the chart shows. */
  name: string;
}

/** Where a hover or the keys landed: a series and an index in it. */
export interface ChartHit {
  series: Series;
  index: number;
}

const MARGIN = { left: 52, right: 10, top: 8, bottom: 32 };

/**
 * A chart with axes, ticks, axis titles and one mark style per series. The returned element
 * is focusable: the arrow keys move along a series (up and down change series), and every
 * point reached, by the keys or the pointer, is handed to `pick`.
 */
export function chart(series: Series[], options: ChartOptions, pick: (hit: ChartHit) => void): { element: SVGSVGElement; downsampled: boolean } {
  const { width, height } = options;
  const inner = { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: height - MARGIN.bottom };
  const shown = series.filter((s) => s.count > 0);
  const transform = options.log ? (v: number) => Math.log10(Math.max(v, Number.MIN_VALUE)) : (v: number) => v;
  const xs = extent(shown.map((s) => [s.x[0], s.x[s.count - 1]]).flat());
  const ys = extent(shown.flatMap((s) => minMax(s.y, s.count, options.log)).map(transform));
  const px = (x: number) => inner.left + ((x - xs.min) / (xs.max - xs.min || 1)) * (inner.right - inner.left);
  const py = (y: number) => inner.bottom - ((transform(y) - ys.min) / (ys.max - ys.min || 1)) * (inner.bottom - inner.top);
  const root = svg('svg', { class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', tabindex: 0, 'aria-label': options.name });
  root.append(axes(inner, xs, ys, options, px));
  let downsampled = false;
  for (const s of shown) {
    const group = svg('g', { class: `series series-${s.key}${s.dashed ? ' dashed' : ''}`, 'data-series': s.key, 'data-count': s.count });
    const columns = inner.right - inner.left;
    if (s.count > columns) {
      downsampled = true;
      group.dataset.downsampled = 'true';
      group.append(svg('path', { class: 'band', d: bandPath(s, px, py, inner.left, columns) }));
    } else {
      if (s.style === 'line' && s.count > 1) group.append(svg('polyline', { class: 'line', points: Array.from({ length: s.count }, (_, i) => `${px(s.x[i]).toFixed(1)},${py(s.y[i]).toFixed(1)}`).join(' ') }));
      for (let i = 0; i < s.count; i++) {
        const mark = marker(s.marker, px(s.x[i]), py(s.y[i]));
        Object.assign(mark.dataset, { index: String(i), x: String(s.x[i]), y: String(s.y[i]) });
        group.append(mark);
      }
    }
    root.append(group);
  }
  const cursor = svg('circle', { class: 'cursor', r: 5, cx: 0, cy: 0, visibility: 'hidden' });
  root.append(cursor);
  let at: ChartHit | undefined;
  const land = (hit: ChartHit | undefined) => {
    if (!hit) return;
    at = hit;
    cursor.setAttribute('visibility', 'visible');
    cursor.setAttribute('cx', px(hit.series.x[hit.index]).toFixed(1));
    cursor.setAttribute('cy', py(hit.series.y[hit.index]).toFixed(1));
    pick(hit);
  };
  root.addEventListener('mousemove', (event) => {
    const box = root.getBoundingClientRect();
    land(nearest(shown, event.clientX - box.left, event.clientY - box.top, px, py));
  });
  root.addEventListener('keydown', (event) => {
    if (!shown.length) return;
    const current = at ?? { series: shown[0], index: -1 };
    const s = shown.indexOf(current.series);
    let hit: ChartHit | undefined;
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      const index = Math.max(0, Math.min(current.series.count - 1, current.index + (event.key === 'ArrowRight' ? 1 : -1)));
      hit = { series: current.series, index };
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      const next = shown[(s + (event.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length];
      hit = { series: next, index: closestIndex(next, current.index >= 0 ? current.series.x[current.index] : next.x[0]) };
    } else if (event.key === 'Home' || event.key === 'End') hit = { series: current.series, index: event.key === 'Home' ? 0 : current.series.count - 1 };
    if (!hit) return;
    event.preventDefault();
    event.stopPropagation();
    land(hit);
  });
  return { element: root, downsampled };
}

/** Each series' legend entry: its marker and dash drawn as on the chart, and its name. */
export function legendEntry(series: Pick<Series, 'key' | 'name' | 'marker' | 'dashed' | 'style'>): SVGSVGElement[] {
  const sample = svg('svg', { class: `series series-${series.key}${series.dashed ? ' dashed' : ''}`, width: 26, height: 12, 'aria-hidden': 'true' });
  if (series.style === 'line') sample.append(svg('line', { class: 'line', x1: 1, y1: 6, x2: 25, y2: 6 }));
  sample.append(marker(series.marker, 13, 6));
  return [sample];
}

function marker(shape: Series['marker'], x: number, y: number): SVGElement {
  const r = 3;
  switch (shape) {
    case 'dot':
      return svg('circle', { class: 'mark', cx: x.toFixed(1), cy: y.toFixed(1), r: 1.6 });
    case 'circle':
      return svg('circle', { class: 'mark', cx: x.toFixed(1), cy: y.toFixed(1), r });
    case 'square':
      return svg('rect', { class: 'mark', x: (x - r).toFixed(1), y: (y - r).toFixed(1), width: 2 * r, height: 2 * r });
    case 'diamond':
      return svg('path', { class: 'mark', d: `M${x.toFixed(1)} ${(y - r - 1).toFixed(1)}l${r + 1} ${r + 1}l${-r - 1} ${r + 1}l${-r - 1} ${-r - 1}z` });
    case 'triangle':
      return svg('path', { class: 'mark', d: `M${x.toFixed(1)} ${(y - r - 1).toFixed(1)}l${r + 1} ${2 * r + 1}h${-2 * r - 2}z` });
  }
}

/**
 * Min/max downsampling: for each pixel column, the smallest and largest value of the points
 * that fall in it, drawn as one vertical stroke (joined to the next column), so every spike
 * survives however many points share a pixel.
 */
export function columnExtremes(x: Float64Array, y: Float64Array, count: number, column: (x: number) => number, columns: number): Float64Array {
  const extremes = new Float64Array(2 * columns).fill(NaN);
  for (let i = 0; i < count; i++) {
    const v = y[i];
    // A value that is not there (a recorded loop's batch without an update) leaves its column as it is.
    if (Number.isNaN(v)) continue;
    const c = Math.min(columns - 1, Math.max(0, column(x[i])));
    const low = extremes[2 * c];
    if (!(low <= v)) extremes[2 * c] = v;
    const high = extremes[2 * c + 1];
    if (!(high >= v)) extremes[2 * c + 1] = v;
  }
  return extremes;
}

function bandPath(s: Series, px: (x: number) => number, py: (y: number) => number, left: number, columns: number): string {
  const extremes = columnExtremes(s.x, s.y, s.count, (x) => Math.floor(px(x) - left), columns);
  const parts: string[] = [];
  for (let c = 0; c < columns; c++) {
    const low = extremes[2 * c];
    if (Number.isNaN(low)) continue;
    const x = (left + c + 0.5).toFixed(1);
    parts.push(`M${x} ${py(low).toFixed(1)}V${(py(extremes[2 * c + 1]) - 0.5).toFixed(1)}`);
  }
  return parts.join('');
}

function axes(inner: { left: number; right: number; top: number; bottom: number }, xs: Range, ys: Range, options: ChartOptions, px: (x: number) => number): SVGGElement {
  const group = svg('g', { class: 'axes' });
  group.append(svg('line', { class: 'axis', x1: inner.left, y1: inner.bottom, x2: inner.right, y2: inner.bottom }), svg('line', { class: 'axis', x1: inner.left, y1: inner.top, x2: inner.left, y2: inner.bottom }));
  for (const tick of niceTicks(xs.min, xs.max, 5)) {
    const x = px(tick);
    group.append(svg('line', { class: 'tick', x1: x, y1: inner.bottom, x2: x, y2: inner.bottom + 4 }), text(x, inner.bottom + 14, 'middle', formatNumber(tick)));
  }
  for (const tick of niceTicks(ys.min, ys.max, 4)) {
    const y = inner.bottom - ((tick - ys.min) / (ys.max - ys.min || 1)) * (inner.bottom - inner.top);
    const label = options.log ? formatNumber(10 ** tick) : formatNumber(tick);
    group.append(svg('line', { class: 'grid', x1: inner.left, y1: y, x2: inner.right, y2: y }), text(inner.left - 4, y + 4, 'end', label));
  }
  group.append(text((inner.left + inner.right) / 2, options.height - 4, 'middle', options.xTitle, 'axis-title'));
  const yTitle = text(12, (inner.top + inner.bottom) / 2, 'middle', options.yTitle, 'axis-title');
  yTitle.setAttribute('transform', `rotate(-90 12 ${(inner.top + inner.bottom) / 2})`);
  group.append(yTitle);
  return group;
}

function text(x: number, y: number, anchor: string, content: string, className = 'tick-label'): SVGTextElement {
  const element = svg('text', { x: x.toFixed(1), y: y.toFixed(1), 'text-anchor': anchor, class: className });
  element.textContent = content;
  return element;
}

interface Range {
  min: number;
  max: number;
}

function extent(values: number[]): Range {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return { min: 0, max: 1 };
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return min === max ? { min: min - 0.5, max: max + 0.5 } : { min, max };
}

function minMax(values: Float64Array, count: number, positiveOnly: boolean): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (positiveOnly && !(v > 0)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [];
}

/** Round numbers (1, 2 or 5 times a power of ten) spanning the range. */
export function niceTicks(min: number, max: number, wanted: number): number[] {
  const span = max - min;
  if (!(span > 0)) return [min];
  const raw = span / wanted;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toPrecision(12)));
  return ticks;
}

/** The point nearest the pointer: the closest in x of each series, then the closest on screen. */
function nearest(series: Series[], mx: number, my: number, px: (x: number) => number, py: (y: number) => number): ChartHit | undefined {
  let best: ChartHit | undefined;
  let bestDistance = Infinity;
  for (const s of series) {
    const index = closestIndex(s, xFromPixel(mx, px));
    // Points sharing an x (a batch's points on the update axis) are all candidates.
    for (let i = index; i >= 0 && s.x[i] === s.x[index]; i--) consider(s, i);
    for (let i = index + 1; i < s.count && s.x[i] === s.x[index]; i++) consider(s, i);
  }
  return best;

  function consider(s: Series, i: number): void {
    const distance = Math.hypot(px(s.x[i]) - mx, py(s.y[i]) - my);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = { series: s, index: i };
    }
  }
}

function xFromPixel(mx: number, px: (x: number) => number): number {
  // px is linear: two samples give its inverse.
  const a = px(0);
  const b = px(1);
  return (mx - a) / (b - a || 1);
}

/** The index of the point whose x is closest to `x` (binary search: x never decreases). */
function closestIndex(s: Series, x: number): number {
  let low = 0;
  let high = s.count - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (s.x[mid] < x) low = mid + 1;
    else high = mid;
  }
  if (low > 0 && Math.abs(s.x[low - 1] - x) <= Math.abs(s.x[low] - x)) {
    // Go to the first of a run of equal x.
    let i = low - 1;
    while (i > 0 && s.x[i - 1] === s.x[i]) i--;
    return i;
  }
  return low;
}
