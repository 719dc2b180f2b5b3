import { verdictOf } from '../../src/core/outline/corrections';
import { unpackSummary } from '../../src/core/run/packedSummary';
import type { RunShape, RunSummary } from '../../src/core/run/summary';
import { label, type Label } from '../../src/core/words/label';
import { formatNumber, type Words } from '../../src/core/words/words';
import type { PanelWords } from '../panelWords';
import type { Comparison, PanelReport } from '../../src/shared/protocol';
import { custom, h } from '../dom';
import { largest, palette } from '../drawing/colours';
import { heatMap } from '../drawing/heatMap';
import { findingChip } from '../findings';
import { chart, type Series } from '../plots/chart';
import { AxisControls, legend } from '../plots/plotsView';
import { batchValues } from '../plots/runSeries';

const MARKERS: Series['marker'][] = ['circle', 'square', 'triangle', 'diamond'];

/**
 * Runs side by side (SGD, mini-batch and full batch of one config, or two configs): how many
 * updates each makes an epoch, their loss curves on one chart (against updates, where SGD makes
 * many small steps and full batch few, or against epochs), the learner's outline marked for
 * each, and the weights after each epoch in one colour scale.
 */
export class CompareView {
  readonly element = h('section', { className: 'compare-view' });
  private readonly status = h('div', { className: 'view-caption', attrs: { role: 'status' } });
  private readonly body = h('div');
  private readonly controls: AxisControls;
  private runs: { name: string; summary: RunSummary; weights: number[][] }[] = [];
  private comparison: Comparison | undefined;
  private error: Label | undefined;
  /** Nothing asked for yet, under way, shown, or failed: what the panel reports. */
  private state: NonNullable<PanelReport['comparison']>['status'] | undefined;

  constructor(
    private readonly words: PanelWords,
    start: () => void,
  ) {
    const button = words.labelled(custom('vscode-button', { attrs: { appearance: 'secondary' } }), { text: label('compare.start'), title: label('compare.start.title') });
    button.addEventListener('click', start);
    this.controls = new AxisControls(words, () => this.draw());
    this.status.textContent = words.text(label('compare.empty'));
    this.element.append(h('div', { className: 'plot-controls' }, [button]), this.status, this.body);
  }

  /** A comparison under way (nothing yet), done, or failed. */
  show(comparison: Comparison | undefined, error: Label | undefined): void {
    this.comparison = comparison;
    this.error = error;
    this.state = error ? 'failed' : comparison ? 'done' : 'running';
    this.redraw();
  }

  /** Everything said again, in words that may have changed. */
  redraw(): void {
    const { comparison, error } = this;
    this.runs = (comparison?.runs ?? []).map((run) => ({ name: this.words.text(run.name), summary: unpackSummary(run.summary), weights: run.weightsAfterEpoch }));
    this.status.textContent = this.words.text(error ?? (comparison ? comparison.title : label(this.state ? 'compare.running' : 'compare.empty')));
    this.draw();
  }

  /** What the view shows, for the panel's report. */
  report(): PanelReport['comparison'] {
    if (!this.state) return undefined;
    return { status: this.state, runs: this.runs.map((run) => ({ name: run.name, batchSize: run.summary.shape.schedule.batchSize, updatesPerEpoch: run.summary.shape.schedule.batchCount })) };
  }

  draw(): void {
    const { comparison, runs } = this;
    if (!comparison || runs.length === 0) {
      this.body.replaceChildren();
      return;
    }
    const say = (l: Label) => this.words.text(l);
    const width = Math.max(280, (this.element.clientWidth || 480) - 4);
    const axis = this.controls.xAxis;
    const readout = h('div', { className: 'readout', attrs: { 'aria-live': 'polite' } });
    const series: Series[] = runs.map((run, i) => {
      const values = batchValues(run.summary, axis, false);
      return {
        key: `run${i + 1}`,
        name: say(label('compare.series', { name: run.name })),
        style: 'line',
        marker: MARKERS[i % MARKERS.length],
        dashed: i === 1,
        x: values.x,
        y: values.y,
        count: values.count,
        describe: (index: number) => say(label('compare.read.batch', { run: run.name, place: values.describe(index) })),
      };
    });
    const lossChart = chart(series, { width, height: 200, xTitle: say(label(`plot.x.${axis}`)), yTitle: say(label('plot.loss')), log: this.controls.log.checked, name: say(label('compare.lossName', { axis: label(`plot.x.${axis}`) })) }, (hit) => {
      readout.textContent = hit.series.describe(hit.index);
    });
    this.body.replaceChildren(this.table(), this.controls.element, lossChart.element, legend(series), readout, ...this.weights(width));
  }

  /** Per run: updates per epoch, the last mean loss, and the verdicts on the outline's per-point update lines. */
  private table(): HTMLElement {
    const say = (l: Label) => this.words.text(l);
    const head = h('tr', {}, [label('compare.run'), label('compare.updates'), label('compare.finalLoss'), label('compare.outline')].map((l) => h('th', { text: say(l) })));
    const rows = this.runs.map((run, i) => {
      const last = [...run.summary.epochs].reverse().find((e) => e.loss !== undefined)?.loss;
      const chips = (['C2', 'C3', 'C4'] as const).map((id) => findingChip({ id, verdict: verdictOf(id, run.summary), text: label(`${id}.happens`) }, this.words));
      return h('tr', { attrs: { 'data-run': String(i + 1), 'data-updates': String(run.summary.shape.schedule.batchCount) } }, [
        h('th', { text: run.name }),
        h('td', { className: 'num', text: String(run.summary.shape.schedule.batchCount) }),
        h('td', {}, last === undefined ? [] : [h('span', { className: 'num', text: formatNumber(last), title: String(last) })]),
        h('td', {}, [h('span', { className: 'chips' }, chips)]),
      ]);
    });
    return h('table', { className: 'compare-table' }, [head, ...rows]);
  }

  /** The weights after each epoch of each run, a heat map per run in one colour scale. */
  private weights(width: number): HTMLElement[] {
    const { comparison, runs } = this;
    if (!comparison || runs.every((r) => r.weights.length === 0)) return [];
    const colours = palette(this.element);
    const max = largest(runs.flatMap((r) => r.weights.flat()));
    const say = (l: Label) => this.words.text(l);
    const names = parameterNames(runs[0].summary.shape, this.words);
    const note = h('div', { className: 'view-note', text: say(comparison.parametersCut ? label('compare.weights.cut', { n: runs[0].weights[0]?.length ?? 0 }) : label('compare.weights')) });
    return [
      note,
      ...runs.map((run) => {
        const grid = {
          rows: run.weights.length,
          columns: run.weights[0]?.length ?? 0,
          value: (r: number, c: number) => run.weights[r][c],
          describe: (r: number, c: number) => say(label('compare.read.weight', { run: run.name, epoch: r + 1, parameter: names[c] ?? String(c + 1), value: String(run.weights[r][c]) })),
        };
        return h('figure', { className: 'layer-map' }, [h('figcaption', { text: run.name }), heatMap(grid, max, colours, width - 8, run.name)]);
      }),
    ];
  }
}

/** Each parameter's name, in the order a comparison flattens them: per layer its weights row by row, then its biases. */
function parameterNames(shape: RunShape, words: Words): string[] {
  const names: string[] = [];
  const unit = (layer: number, u: number) => (layer === 0 ? shape.featureNames[u] ?? `x${u + 1}` : words.text(label('network.unitName', { unit: u + 1, layer })));
  for (let l = 1; l < shape.layerSizes.length; l++) {
    for (let o = 0; o < shape.layerSizes[l]; o++) for (let i = 0; i < shape.layerSizes[l - 1]; i++) names.push(words.text(label('compare.weightName', { from: unit(l - 1, i), to: unit(l, o) })));
    if (shape.hasBias) for (let o = 0; o < shape.layerSizes[l]; o++) names.push(words.text(label('compare.weightName', { from: label('numbers.bias'), to: unit(l, o) })));
  }
  return names;
}
