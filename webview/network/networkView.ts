import type { LayerValues } from '../../src/core/model/parameters';
import type { RunShape } from '../../src/core/run/summary';
import { counted, label, rounded, type Label } from '../../src/core/words/label';
import { formatNumber, type Words } from '../../src/core/words/words';
import type { WireDetail } from '../../src/shared/protocol';
import { h, svg } from '../dom';
import { largest, palette, strength } from '../drawing/colours';
import { heatMap } from '../drawing/heatMap';
import { bareCaption, pictureOf, type Picture } from './picture';

/** More units than this in a layer and the network is drawn as heat maps: circles would be a blur. */
export const MAX_DRAWN_UNITS = 32;
/** Values are written beside the nodes up to this many units a layer; beyond, hover or the keys read them. */
const MAX_LABELLED_UNITS = 16;
const MAX_WIDTH = 760;
const LEFT = 96;
const RIGHT = 112;
const TOP = 8;

/**
 * The network, drawn for the selected step: columns of nodes (inputs named by their features),
 * edges whose thickness is the size of the step's number and whose sign is colour and dash.
 * Every drawn number carries its exact value (data-value, a tooltip, and the readout line when
 * hovered or reached by the arrow keys). Networks too wide for circles become heat maps.
 */
export class NetworkView {
  readonly element = h('section', { className: 'network' });
  private readonly caption = h('div', { className: 'view-caption' });
  private readonly legend = h('div', { className: 'legend' });
  private readonly canvas = h('div', { className: 'network-drawing' });
  private readonly readout = h('div', { className: 'readout', attrs: { 'aria-live': 'polite' } });
  private shape: RunShape | undefined;
  private shown: { nodeId: string; detail: WireDetail | undefined } | undefined;
  private drawnWidth = 0;
  /** The section's width as last laid out: reading clientWidth as a step is drawn would lay the panel out first. */
  private laidOutWidth = 0;

  constructor(private readonly words: Words) {
    this.element.append(this.caption, this.canvas, this.readout, this.legend);
    new ResizeObserver(([entry]) => {
      this.laidOutWidth = entry.contentRect.width;
      if (this.shown && Math.abs(this.width() - this.drawnWidth) > 16) this.draw();
    }).observe(this.element);
  }

  setShape(shape: RunShape | undefined): void {
    this.shape = shape;
    this.shown = undefined;
    this.canvas.replaceChildren();
    this.caption.textContent = shape ? this.words.text(bareCaption(shape)) : '';
    this.legend.textContent = '';
    this.readout.textContent = '';
  }

  /** Draws a step's numbers (or the bare network for a node without any) on the next frame. */
  show(nodeId: string, detail: WireDetail | undefined): void {
    this.shown = { nodeId, detail };
    requestAnimationFrame(() => {
      if (this.shown?.nodeId === nodeId) this.draw();
    });
  }

  /** The panel's width, but not so wide that the layers drift apart in a wide panel. */
  private width(): number {
    return Math.max(280, Math.min(MAX_WIDTH, this.laidOutWidth || 480));
  }

  private draw(): void {
    const { shape, shown } = this;
    if (!shape || !shown) return;
    const started = performance.now();
    const picture = shown.detail ? pictureOf(shown.detail) : undefined;
    const say = (l: Label) => this.words.text(l);
    this.drawnWidth = this.width();
    this.caption.textContent = say(picture ? picture.caption : bareCaption(shape));
    this.readout.textContent = '';
    const wide = shape.layerSizes.some((n) => n > MAX_DRAWN_UNITS);
    const max = picture ? largest(allValues(picture.edges)) : 1;
    const notes: string[] = [];
    if (picture) notes.push(say(label('network.legend', { what: label(`network.what.${picture.meaning}`), max: rounded(max) })));
    if (wide) {
      notes.push(say(label('network.heatMaps', { max: MAX_DRAWN_UNITS })));
      this.canvas.replaceChildren(...(picture ? this.heatMaps(picture, shape, max) : []));
    } else this.canvas.replaceChildren(this.graph(picture, shape, max));
    if (shown.detail?.truncated) notes.push(say(label('numbers.truncated')));
    this.legend.textContent = notes.join(' ');
    this.canvas.dataset.node = shown.nodeId;
    this.canvas.dataset.drawMs = (performance.now() - started).toFixed(2);
  }

  /** The network as circles and lines, in an SVG sized to the panel. */
  private graph(picture: Picture | undefined, shape: RunShape, max: number): SVGSVGElement {
    const say = (l: Label) => this.words.text(l);
    const sizes = shape.layerSizes;
    const width = this.drawnWidth;
    const tallest = Math.max(...sizes);
    const height = Math.max(120, Math.min(320, tallest * 21 + 2 * TOP));
    const spacing = (height - 2 * TOP) / tallest;
    const radius = Math.max(3, Math.min(8, spacing * 0.32));
    const x = (layer: number) => LEFT + ((width - LEFT - RIGHT) * layer) / (sizes.length - 1);
    const y = (layer: number, unit: number) => height / 2 + (unit - (sizes[layer] - 1) / 2) * spacing;
    const root = svg('svg', { class: 'network-graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group', tabindex: 0, 'aria-label': say(label('network.aria')) });
    const edges = svg('g', { class: 'edges' });
    const marks = svg('g', { class: 'nodes' });
    root.append(edges, marks);
    const item = (element: SVGElement, text: string) => {
      element.append(Object.assign(svg('title'), { textContent: text }));
      element.dataset.read = text;
    };
    const name = (layer: number, unit: number) => (layer === 0 ? shape.featureNames[unit] ?? `x${unit + 1}` : say(label('network.unitName', { unit: unit + 1, layer })));
    for (let l = 1; l < sizes.length; l++) {
      for (let o = 0; o < sizes[l]; o++) {
        for (let i = 0; i < sizes[l - 1]; i++) {
          const value = picture?.edges.weights[l - 1]?.[o]?.[i];
          const line = svg('line', { x1: x(l - 1) + radius, y1: y(l - 1, i), x2: x(l) - radius, y2: y(l, o), class: `edge ${value === undefined ? 'bare' : value < 0 ? 'negative' : 'positive'}` });
          if (value !== undefined) {
            line.style.strokeWidth = (0.5 + 4 * strength(value, max)).toFixed(2);
            Object.assign(line.dataset, { layer: String(l), unit: String(o), input: String(i), value: String(value) });
            if (picture!.share) line.dataset.share = String(picture!.share.weights[l - 1][o][i]);
            if (picture!.before && picture!.after) Object.assign(line.dataset, { before: String(picture!.before.weights[l - 1][o][i]), after: String(picture!.after.weights[l - 1][o][i]) });
            item(line, this.reading(picture!, l - 1, o, i, name(l - 1, i), name(l, o)));
          }
          edges.append(line);
        }
        const bias = picture?.edges.biases[l - 1]?.[o];
        if (bias !== undefined) {
          const size = Math.max(3, radius * 0.9);
          const mark = svg('rect', { x: x(l) - radius - size - 2, y: y(l, o) - radius - size + 1, width: size, height: size, class: `bias ${bias < 0 ? 'negative' : 'positive'}` });
          mark.style.fillOpacity = (0.15 + 0.85 * strength(bias, max)).toFixed(2);
          Object.assign(mark.dataset, { layer: String(l), unit: String(o), bias: 'true', value: String(bias) });
          item(mark, this.reading(picture!, l - 1, o, -1, say(label('numbers.bias')), name(l, o)));
          marks.append(mark);
        }
      }
    }
    const last = sizes.length - 1;
    sizes.forEach((count, l) => {
      for (let u = 0; u < count; u++) {
        const value = picture?.nodes?.[l]?.[u];
        const node = svg('circle', { cx: x(l), cy: y(l, u), r: radius, class: `node${l === 0 ? ' input' : l === last ? ' output' : ''}` });
        node.dataset.layer = String(l);
        node.dataset.unit = String(u);
        if (value !== undefined) {
          node.dataset.value = String(value);
          const target = l === last ? picture?.target?.[u] : undefined;
          if (target !== undefined) node.dataset.target = String(target);
          const text =
            l === 0
              ? say(label('network.read.input', { name: name(0, u), value: String(value) }))
              : target !== undefined
                ? say(label('network.read.output', { unit: name(l, u), value: String(value), target: String(target) }))
                : say(label('network.read.unit', { unit: name(l, u), value: String(value) }));
          item(node, text);
        }
        marks.append(node);
        if (l === 0) marks.append(this.text(x(0) - radius - 4, y(0, u), 'end', value === undefined ? name(0, u) : say(label('network.inputLabel', { name: name(0, u), value: rounded(value) }))));
        else if (l === last && value !== undefined) {
          const lines = [say(label('network.outputLabel', { value: rounded(value) }))];
          const target = picture?.target?.[u];
          if (target !== undefined) lines.push(say(label('network.targetLabel', { value: rounded(target) })));
          lines.forEach((t, k) => marks.append(this.text(x(l) + radius + 4, y(l, u) + (k - (lines.length - 1) / 2) * 13, 'start', t)));
        } else if (value !== undefined && count <= MAX_LABELLED_UNITS) marks.append(this.text(x(l) + radius + 3, y(l, u) - radius - 2, 'start', formatNumber(value), 'value'));
      }
    });
    if (picture?.loss !== undefined) {
      root.dataset.loss = String(picture.loss);
      const loss = this.text(x(last) + radius + 4, Math.min(height - 6, y(last, sizes[last] - 1) + 30), 'start', say(label('network.lossLabel', { value: rounded(picture.loss) })));
      loss.append(Object.assign(svg('title'), { textContent: String(picture.loss) }));
      marks.append(loss);
    }
    this.keyboard(root);
    return root;
  }

  /** What an edge (or a bias, `input` −1) says when read: its exact number, in this step's terms. */
  private reading(picture: Picture, layer: number, unit: number, input: number, from: string, to: string): string {
    const pick = (values: LayerValues | undefined) => (input < 0 ? values?.biases[layer][unit] : values?.weights[layer][unit][input]);
    const value = String(pick(picture.edges));
    switch (picture.meaning) {
      case 'weight':
        return this.words.text(label('network.read.weight', { from, to, value }));
      case 'gradient':
        return this.words.text(label('network.read.gradient', { from, to, value }));
      case 'sum':
        return this.words.text(label('network.read.sum', { from, to, value, share: String(pick(picture.share)) }));
      case 'change':
        return this.words.text(label('network.read.change', { from, to, value, before: String(pick(picture.before)), after: String(pick(picture.after)) }));
    }
  }

  private text(x: number, y: number, anchor: 'start' | 'end', content: string, extra = ''): SVGTextElement {
    const text = svg('text', { x, y, 'text-anchor': anchor, 'dominant-baseline': 'middle', class: `label ${extra}` });
    text.textContent = content;
    return text;
  }

  /** Arrow keys walk through every drawn number; the readout says each one. */
  private keyboard(root: SVGSVGElement): void {
    let at = -1;
    const show = (target: Element | null) => {
      for (const old of root.querySelectorAll('.focused')) old.classList.remove('focused');
      if (!(target instanceof SVGElement) || !target.dataset.read) return;
      target.classList.add('focused');
      this.readout.textContent = target.dataset.read;
    };
    root.addEventListener('keydown', (event) => {
      const items = root.querySelectorAll('[data-read]');
      const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
      if (!step || items.length === 0) return;
      event.preventDefault();
      at = (at + step + items.length) % items.length;
      show(items[at]);
    });
    root.addEventListener('mouseover', (event) => show((event.target as Element).closest('[data-read]')));
  }

  /** Each layer as a heat map (a row per unit, a column per input, the bias last), in one colour scale. */
  private heatMaps(picture: Picture, shape: RunShape, max: number): HTMLElement[] {
    const colours = palette(this.element);
    const width = this.drawnWidth - 24;
    return picture.edges.weights.map((matrix, l) => {
      const inputs = matrix[0]?.length ?? 0;
      const hasBias = picture.edges.biases[l].length > 0;
      const name = (i: number) => (i === inputs ? this.words.text(label('numbers.bias')) : l === 0 ? shape.featureNames[i] ?? `x${i + 1}` : this.words.text(label('network.unitName', { unit: i + 1, layer: l })));
      const grid = {
        rows: matrix.length,
        columns: inputs + (hasBias ? 1 : 0),
        value: (o: number, i: number) => (i === inputs ? picture.edges.biases[l][o] : matrix[o][i]),
        describe: (o: number, i: number) => this.reading(picture, l, o, i === inputs ? -1 : i, name(i), this.words.text(label('network.unitName', { unit: o + 1, layer: l + 1 }))),
      };
      const title = this.words.text(label('numbers.layer', { layer: l + 1, units: counted(shape.layerSizes[l + 1], 'unit'), inputs: counted(shape.layerSizes[l], 'input') }));
      return h('figure', { className: 'layer-map' }, [h('figcaption', { text: title }), heatMap(grid, max, colours, width, title)]);
    });
  }
}

function* allValues(values: LayerValues): Iterable<number> {
  for (const layer of values.weights) for (const row of layer) yield* row;
  for (const row of values.biases) yield* row;
}
