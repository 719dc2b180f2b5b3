import type { NodeRef } from '../../src/core/outline/tree';
import type { RunSummary } from '../../src/core/run/summary';
import { counted, label, type Label } from '../../src/core/words/label';
import type { PanelWords } from '../panelWords';
import { h } from '../dom';
import { chart, legendEntry, type Series } from './chart';
import { batchValues, epochLosses, pointLosses, type RunSeries, type XAxis } from './runSeries';

/** Tells apart the log-scale boxes of the panel's charts (their labels point at them by id). */
let controlsMade = 0;

/** How long the pointer rests on a point before the tree selects it. */
const SELECT_DELAY_MS = 120;

/** The controls every chart of the panel shares: the x axis and the log scale. */
export class AxisControls {
  readonly element: HTMLElement;
  readonly axis: HTMLSelectElement;
  readonly log: HTMLInputElement;

  constructor(words: PanelWords, changed: () => void) {
    this.axis = words.labelled(h('select', { className: 'select' }), { 'aria-label': label('plot.xAxis') });
    for (const axis of ['updates', 'epochs'] as const) this.axis.append(words.labelled(h('option', { attrs: { value: axis } }), { text: label('plot.against', { axis: label(`plot.x.${axis}`) }) }));
    this.log = h('input', { attrs: { type: 'checkbox', id: `tt-log-${++controlsMade}` } });
    this.axis.addEventListener('change', changed);
    this.log.addEventListener('change', changed);
    this.element = h('div', { className: 'plot-controls' }, [this.axis, h('label', { className: 'check' }, [this.log, words.labelled(h('span'), { text: label('plot.log') })])]);
  }

  get xAxis(): XAxis {
    return this.axis.value as XAxis;
  }
}

/**
 * The run's numbers as charts with axes and a legend: the loss of every data point (at its
 * forward pass), each batch's mean and each epoch's mean on one chart, and each batch's
 * gradient norm below. Hovering a point (or reaching it with the arrow keys) shows its exact
 * value and selects its node in the tree.
 */
export class PlotsView {
  readonly element = h('section', { className: 'plots' });
  private readonly controls: AxisControls;
  private readonly body = h('div');
  private summary: RunSummary | undefined;
  private selectTimer = 0;

  constructor(
    private readonly words: PanelWords,
    private readonly select: (ref: NodeRef) => void,
  ) {
    this.controls = new AxisControls(words, () => this.draw());
    this.element.append(this.controls.element, this.body);
  }

  setSummary(summary: RunSummary | undefined): void {
    this.summary = summary;
  }

  draw(): void {
    const { summary } = this;
    const started = performance.now();
    if (!summary) {
      this.body.replaceChildren();
      return;
    }
    const say = (l: Label) => this.words.text(l);
    const axis = this.controls.xAxis;
    const width = Math.max(280, (this.element.clientWidth || 480) - 4);
    const readout = h('div', { className: 'readout', attrs: { 'aria-live': 'polite' } });
    const pick = (series: Series & { run: RunSeries }, index: number) => {
      readout.textContent = series.describe(index);
      window.clearTimeout(this.selectTimer);
      this.selectTimer = window.setTimeout(() => this.select(series.run.ref(index)), SELECT_DELAY_MS);
    };
    const style = (run: RunSeries, key: string, name: Label, shape: Pick<Series, 'style' | 'marker' | 'dashed'>) => ({ ...shape, key, name: say(name), x: run.x, y: run.y, count: run.count, describe: (i: number) => say(run.describe(i)), run });
    const losses = [
      style(pointLosses(summary, axis), 'point', label('plot.series.point'), { style: 'dots', marker: 'dot' }),
      style(batchValues(summary, axis, false), 'batch', label('plot.series.batch'), { style: 'line', marker: 'square', dashed: true }),
      style(epochLosses(summary, axis), 'epoch', label('plot.series.epoch'), { style: 'line', marker: 'circle' }),
    ];
    const norms = [style(batchValues(summary, axis, true), 'norm', label('plot.series.norm'), { style: 'line', marker: 'diamond' })];
    const xTitle = say(label(`plot.x.${axis}`));
    const options = { width, xTitle, log: this.controls.log.checked };
    const lossChart = chart(losses, { ...options, height: 190, yTitle: say(label('plot.loss')), name: say(label('plot.lossName', { axis: label(`plot.x.${axis}`) })) }, (hit) => pick(hit.series as (typeof losses)[number], hit.index));
    const normChart = chart(norms, { ...options, height: 120, yTitle: say(label('plot.norm')), name: say(label('plot.normName', { axis: label(`plot.x.${axis}`) })) }, (hit) => pick(hit.series as (typeof norms)[number], hit.index));
    const notes: HTMLElement[] = [];
    if (lossChart.downsampled || normChart.downsampled) notes.push(h('div', { className: 'view-note', text: say(label('plot.downsampled', { points: counted(losses[0].count, 'point') })) }));
    this.body.replaceChildren(lossChart.element, legend([...losses]), normChart.element, legend(norms), readout, ...notes);
    this.element.dataset.drawMs = (performance.now() - started).toFixed(2);
  }
}

/** A chart's legend: each series' marker and dash, and its name. */
export function legend(series: Pick<Series, 'key' | 'name' | 'marker' | 'dashed' | 'style'>[]): HTMLElement {
  return h('ul', { className: 'chart-legend' }, series.map((s) => h('li', {}, [...legendEntry(s), h('span', { text: s.name })])));
}
