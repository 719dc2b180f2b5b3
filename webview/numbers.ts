import { describeOptimizer } from '../src/core/outline/phrases';
import { changeOf, type LayerValues } from '../src/core/model/parameters';
import { counted, label, rounded, type Label } from '../src/core/words/label';
import type { Words } from '../src/core/words/words';
import type { WireDetail } from '../src/shared/protocol';
import { h } from './dom';
import { largest, palette } from './drawing/colours';
import { heatMap } from './drawing/heatMap';

/** Tables taller than this become heat maps: a card scrolls, but not through hundreds of rows. */
const MAX_TABLE_ROWS = 40;
/** About how wide a monospace character and a cell's padding are, to tell whether a table fits. */
const CHAR_PX = 7.5;
const CELL_PADDING_PX = 14;
const ROW_HEADER_PX = 64;

/**
 * The numbers of a node, laid out for reading: rounded to the words' significant digits on screen, the
 * exact value in each cell's tooltip, and every digit in "Copy numbers" (done by the host).
 */
export function renderNumbers(detail: WireDetail, layerSizes: number[], words: Words, width = cardWidth()): HTMLElement {
  const say = (l: Label) => words.text(l);
  const parts: HTMLElement[] = [];
  const layers = (values: LayerValues, after?: LayerValues) => layerViews(values, layerSizes, words, width, after);
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
        section(say(label('numbers.pointGradient', { norm: rounded(detail.norm) })), layers(detail.gradient)),
        // The batch's first point: its sum so far is its own gradient, shown once above.
        section(
          say(label('numbers.batchSum', { k: detail.pointsSummed, points: counted(detail.batchSize, 'point') })),
          sameValues(detail.batchSum, detail.gradient) ? h('div', { className: 'note', text: say(label('numbers.sameAsGradient')) }) : layers(detail.batchSum),
        ),
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
        section(say(label('numbers.batchGradient.title')), layers(detail.gradient)),
        section(say(label('numbers.beforeAfter')), layers(detail.before, detail.after)),
      );
      break;
    }
    case 'init':
      parts.push(section(say(label('numbers.init', { init: detail.init })), layers(detail.weights)));
      break;
    case 'start':
      parts.push(section(say(label('numbers.start', { from: detail.from })), layers(detail.weights)));
      break;
  }
  if (detail.truncated) parts.push(h('div', { className: 'note', text: say(label('numbers.truncated')) }));
  return h('div', { className: 'numbers' }, parts);
}

/** The room a card or the details pane gives a table: the panel's width less their padding, at most the card's own limit. */
function cardWidth(): number {
  return Math.min(620, window.innerWidth - 48);
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

/** Whether two sets of layer values hold the same numbers. */
function sameValues(a: LayerValues, b: LayerValues): boolean {
  const flat = (v: LayerValues) => [...v.weights.flat(2), ...v.biases.flat()];
  const x = flat(a);
  const y = flat(b);
  return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
}

/**
 * One matrix per layer, shaped for a narrow panel: a row per input (the bias last) and a column
 * per unit, so the network's 8 inputs run down the card rather than across it. With `after`,
 * each cell reads "before → after". A layer that would not fit `width` (or is very tall)
 * becomes a heat map in the drawings' colours, its exact numbers on hover.
 */
function layerViews(values: LayerValues, layerSizes: number[], words: Words, width: number, after?: LayerValues): HTMLElement {
  return h('div', { className: 'layers' }, values.weights.map((matrix, l) => {
    const hasBias = values.biases[l].length > 0;
    const units = matrix.length;
    const inputs = matrix[0]?.length ?? 0;
    const inputName = (i: number) => (i === inputs ? words.text(label('numbers.bias')) : l === 0 ? `x${i + 1}` : `h${l}.${i + 1}`);
    const value = (source: LayerValues, o: number, i: number) => (i === inputs ? source.biases[l][o] : source.weights[l][o][i]);
    const rows = inputs + (hasBias ? 1 : 0);
    const caption = words.text(label('numbers.layer', { layer: l + 1, units: counted(layerSizes[l + 1], 'unit'), inputs: counted(layerSizes[l], 'input') }));
    const cellChars = after ? 17 : 8;
    const fits = rows <= MAX_TABLE_ROWS && ROW_HEADER_PX + units * (cellChars * CHAR_PX + CELL_PADDING_PX) <= width;
    if (!fits) {
      const shown = after ? changeOf(values, after) : values;
      const grid = {
        rows: units,
        columns: rows,
        value: (o: number, i: number) => value(shown, o, i),
        describe: (o: number, i: number) => {
          const unit = words.text(label('numbers.unit', { n: o + 1 }));
          return after
            ? words.text(label('numbers.cell.change', { unit, input: inputName(i), before: String(value(values, o, i)), after: String(value(after, o, i)) }))
            : words.text(label('numbers.cell', { unit, input: inputName(i), value: String(value(values, o, i)) }));
        },
      };
      const max = largest([...shown.weights[l].flat(), ...shown.biases[l]]);
      return h('div', { className: 'layer' }, [h('div', { className: 'caption', text: `${caption} ${words.text(label(after ? 'numbers.heatMap.change' : 'numbers.heatMap'))}` }), heatMap(grid, max, palette(), width, caption)]);
    }
    const cell = (o: number, i: number) => {
      const v = value(values, o, i);
      return h('td', {}, after === undefined ? [number(v, words)] : [number(v, words), h('span', { className: 'arrow', text: ' → ' }), number(value(after, o, i), words)]);
    };
    const header = h('tr', {}, [h('th', { text: '' }), ...matrix.map((_, o) => h('th', { text: words.text(label('numbers.unit', { n: o + 1 })) }))]);
    const body = Array.from({ length: rows }, (_, i) => h('tr', {}, [h('th', { text: inputName(i) }), ...matrix.map((_, o) => cell(o, i))]));
    return h('div', { className: 'layer' }, [h('div', { className: 'caption', text: caption }), h('table', { className: 'matrix' }, [header, ...body])]);
  }));
}
