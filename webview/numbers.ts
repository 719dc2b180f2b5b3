import { formatNumber } from '../src/core/outline/format';
import type { Gradient } from '../src/core/trace/events';
import type { WireDetail } from '../src/shared/protocol';
import { h } from './dom';

/**
 * The numbers of a node, laid out for reading: rounded to 4 significant digits on screen, the
 * exact value in each cell's tooltip, and every digit in "Copy numbers" (done by the host).
 */
export function renderNumbers(detail: WireDetail, layerSizes: number[]): HTMLElement {
  const parts: HTMLElement[] = [];
  switch (detail.kind) {
    case 'forward':
      parts.push(
        section(`Data point-${detail.index + 1}: ${detail.inputs.length} input value${detail.inputs.length === 1 ? '' : 's'}`, vectorTable(detail.inputNames, detail.inputs)),
        section('Forward propagation', keyValues([
          ['output', list(detail.output)],
          ['target', list(detail.target)],
          ...(detail.probabilities ? [['softmax', list(detail.probabilities)] as [string, HTMLElement]] : []),
          ['loss', number(detail.loss)],
          ['weights used', text(detail.weightsFrom)],
        ])),
      );
      break;
    case 'backward':
    case 'sum':
      parts.push(
        section(`This point’s gradient (norm ${formatNumber(detail.norm)})`, layers(detail.gradient, layerSizes)),
        section(`Batch sum so far: ${detail.pointsSummed} of ${detail.batchSize} point${detail.batchSize === 1 ? '' : 's'} — not applied yet`, layers(detail.batchSum, layerSizes)),
      );
      break;
    case 'update':
      parts.push(
        section('The update', keyValues([
          ['batch gradient', text(`the ${detail.reduction} of ${detail.size} point gradient${detail.size === 1 ? '' : 's'}${detail.reduction === 'mean' ? ` (sum ÷ ${detail.size})` : ''}`)],
          ['optimizer', text(detail.optimizer)],
          ['gradient norm', number(detail.norm)],
        ])),
        section('Batch gradient', layers(detail.gradient, layerSizes)),
        section('Each weight, before → after', layers(detail.before, layerSizes, detail.after)),
      );
      break;
    case 'init':
      parts.push(section(`Initial weights (${detail.init})`, layers(detail.weights, layerSizes)));
      break;
  }
  if (detail.truncated) parts.push(h('div', { className: 'note', text: 'Large layers are cut to their first rows and columns here; “Copy numbers” copies all of them.' }));
  return h('div', { className: 'numbers' }, parts);
}

function section(title: string, body: HTMLElement): HTMLElement {
  return h('div', { className: 'section' }, [h('div', { className: 'section-title', text: title }), body]);
}

function number(value: number): HTMLElement {
  return h('span', { className: 'num', text: formatNumber(value), title: String(value) });
}

function text(value: string): HTMLElement {
  return h('span', { text: value });
}

function list(values: number[]): HTMLElement {
  const span = h('span', { className: 'num-list' });
  values.forEach((v, i) => span.append(...(i ? [', '] : []), number(v)));
  return span;
}

function keyValues(rows: [string, HTMLElement][]): HTMLElement {
  return h('table', { className: 'kv' }, rows.map(([key, value]) => h('tr', {}, [h('th', { text: key }), h('td', {}, [value])])));
}

function vectorTable(names: string[], values: number[]): HTMLElement {
  return h('table', { className: 'matrix' }, [
    h('tr', {}, names.map((n) => h('th', { text: n }))),
    h('tr', {}, values.map((v) => h('td', {}, [number(v)]))),
  ]);
}

/**
 * One small matrix per layer: a row per unit, a column per input, and the bias last. With
 * `after`, each cell reads "before → after".
 */
function layers(values: Gradient, layerSizes: number[], after?: Gradient): HTMLElement {
  return h('div', { className: 'layers' }, values.weights.map((matrix, l) => {
    const hasBias = values.biases[l].length > 0;
    const inputName = (i: number) => (l === 0 ? `x${i + 1}` : `h${l}.${i + 1}`);
    const header = h('tr', {}, [h('th', { text: '' }), ...(matrix[0] ?? []).map((_, i) => h('th', { text: inputName(i) })), ...(hasBias ? [h('th', { text: 'bias' })] : [])]);
    const cell = (v: number, w?: number) => h('td', {}, w === undefined ? [number(v)] : [number(v), h('span', { className: 'arrow', text: ' → ' }), number(w)]);
    const body = matrix.map((row, o) =>
      h('tr', {}, [
        h('th', { text: `unit ${o + 1}` }),
        ...row.map((v, i) => cell(v, after?.weights[l][o][i])),
        ...(hasBias ? [cell(values.biases[l][o], after?.biases[l][o])] : []),
      ]),
    );
    return h('div', { className: 'layer' }, [
      h('div', { className: 'caption', text: `Layer ${l + 1}: ${layerSizes[l + 1]} unit${layerSizes[l + 1] === 1 ? '' : 's'} × ${layerSizes[l]} input${layerSizes[l] === 1 ? '' : 's'}` }),
      h('table', { className: 'matrix' }, [header, ...body]),
    ]);
  }));
}
