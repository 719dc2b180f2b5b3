import { describeOptimizer } from '../src/core/outline/phrases';
import type { LayerValues } from '../src/core/model/parameters';
import { counted, label, rounded, type Label } from '../src/core/words/label';
import type { Words } from '../src/core/words/words';
import type { WireDetail } from '../src/shared/protocol';
import { h } from './dom';

/**
 * The numbers of a node, laid out for reading: rounded to the words' significant digits on screen, the
 * exact value in each cell's tooltip, and every digit in "Copy numbers" (done by the host).
 */
export function renderNumbers(detail: WireDetail, layerSizes: number[], words: Words): HTMLElement {
  const say = (l: Label) => words.text(l);
  const parts: HTMLElement[] = [];
  switch (detail.kind) {
    case 'forward':
      parts.push(
        section(say(label('numbers.point', { point: detail.index + 1, values: counted(detail.inputs.length, 'inputValue') })), vectorTable(detail.inputNames, detail.inputs, words)),
        section(say(label('numbers.forward')), keyValues([
          [say(label('numbers.output')), list(detail.output, words)],
          [say(label('numbers.target')), list(detail.target, words)],
          ...(detail.probabilities ? [[say(label('numbers.softmax')), list(detail.probabilities, words)] as [string, HTMLElement]] : []),
          [say(label('numbers.loss')), number(detail.loss, words)],
          [say(label('numbers.weightsUsed')), text(say(detail.weightsFrom))],
        ])),
      );
      break;
    case 'backward':
    case 'sum':
      parts.push(
        section(say(label('numbers.pointGradient', { norm: rounded(detail.norm) })), layers(detail.gradient, layerSizes, words)),
        section(say(label('numbers.batchSum', { k: detail.pointsSummed, points: counted(detail.batchSize, 'point') })), layers(detail.batchSum, layerSizes, words)),
      );
      break;
    case 'update': {
      const gradients = counted(detail.size, 'pointGradient');
      parts.push(
        section(say(label('numbers.update')), keyValues([
          [say(label('numbers.batchGradient')), text(say(detail.reduction === 'mean' ? label('numbers.made.mean', { gradients, size: detail.size }) : label('numbers.made.sum', { gradients })))],
          [say(label('numbers.optimizer')), text(say(describeOptimizer(detail.optimizer)))],
          [say(label('numbers.gradientNorm')), number(detail.norm, words)],
        ])),
        section(say(label('numbers.batchGradient.title')), layers(detail.gradient, layerSizes, words)),
        section(say(label('numbers.beforeAfter')), layers(detail.before, layerSizes, words, detail.after)),
      );
      break;
    }
    case 'init':
      parts.push(section(say(label('numbers.init', { init: detail.init })), layers(detail.weights, layerSizes, words)));
      break;
  }
  if (detail.truncated) parts.push(h('div', { className: 'note', text: say(label('numbers.truncated')) }));
  return h('div', { className: 'numbers' }, parts);
}

function section(title: string, body: HTMLElement): HTMLElement {
  return h('div', { className: 'section' }, [h('div', { className: 'section-title', text: title }), body]);
}

function number(value: number, words: Words): HTMLElement {
  return h('span', { className: 'num', text: words.number(value), title: String(value) });
}

function text(value: string): HTMLElement {
  return h('span', { text: value });
}

function list(values: number[], words: Words): HTMLElement {
  const span = h('span', { className: 'num-list' });
  values.forEach((v, i) => span.append(...(i ? [', '] : []), number(v, words)));
  return span;
}

function keyValues(rows: [string, HTMLElement][]): HTMLElement {
  return h('table', { className: 'kv' }, rows.map(([key, value]) => h('tr', {}, [h('th', { text: key }), h('td', {}, [value])])));
}

function vectorTable(names: string[], values: number[], words: Words): HTMLElement {
  return h('table', { className: 'matrix' }, [
    h('tr', {}, names.map((n) => h('th', { text: n }))),
    h('tr', {}, values.map((v) => h('td', {}, [number(v, words)]))),
  ]);
}

/**
 * One small matrix per layer: a row per unit, a column per input, and the bias last. With
 * `after`, each cell reads "before → after".
 */
function layers(values: LayerValues, layerSizes: number[], words: Words, after?: LayerValues): HTMLElement {
  return h('div', { className: 'layers' }, values.weights.map((matrix, l) => {
    const hasBias = values.biases[l].length > 0;
    const inputName = (i: number) => (l === 0 ? `x${i + 1}` : `h${l}.${i + 1}`);
    const header = h('tr', {}, [h('th', { text: '' }), ...(matrix[0] ?? []).map((_, i) => h('th', { text: inputName(i) })), ...(hasBias ? [h('th', { text: words.text(label('numbers.bias')) })] : [])]);
    const cell = (v: number, w?: number) => h('td', {}, w === undefined ? [number(v, words)] : [number(v, words), h('span', { className: 'arrow', text: ' → ' }), number(w, words)]);
    const body = matrix.map((row, o) =>
      h('tr', {}, [
        h('th', { text: words.text(label('numbers.unit', { n: o + 1 })) }),
        ...row.map((v, i) => cell(v, after?.weights[l][o][i])),
        ...(hasBias ? [cell(values.biases[l][o], after?.biases[l][o])] : []),
      ]),
    );
    const caption = label('numbers.layer', { layer: l + 1, units: counted(layerSizes[l + 1], 'unit'), inputs: counted(layerSizes[l], 'input') });
    return h('div', { className: 'layer' }, [h('div', { className: 'caption', text: words.text(caption) }), h('table', { className: 'matrix' }, [header, ...body])]);
  }));
}
