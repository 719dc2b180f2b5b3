import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LayerValues } from '../core/model/parameters';
import { CORRECTIONS, type Finding } from '../core/outline/corrections';
import { describeNode } from '../core/outline/describe';
import { describeOptimizer } from '../core/outline/phrases';
import { parentOf, type NodeRef } from '../core/outline/tree';
import type { NodeDetail } from '../core/run/detail';
import type { RunSummary } from '../core/run/summary';
import { counted, label, rounded, type Label } from '../core/words/label';
import type { Words } from '../core/words/words';
import { toWire } from './wireDetail';

/** The page's one style and one script (media/export.css, media/export.js), inlined and allowed by their hashes. */
export interface PageAssets {
  style: string;
  script: string;
}

export function readPageAssets(mediaDir: string): PageAssets {
  return { style: fs.readFileSync(path.join(mediaDir, 'export.css'), 'utf8'), script: fs.readFileSync(path.join(mediaDir, 'export.js'), 'utf8') };
}

/** What the panel showed, to be written as a page: the rows in order, and the numbers of those that have some. */
export interface ExportedView {
  /** The file the run came from, by name. */
  name: string;
  summary: RunSummary;
  rows: NodeRef[];
  /** Rows shown that the export left out (past its limit). */
  rowsLeftOut: number;
  /** The numbers of rows, by node id. */
  details: Map<string, NodeDetail>;
  /** Rows with numbers whose numbers the export left out (past its limit). */
  detailsLeftOut: number;
}



const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/**
 * One self-contained HTML page of what the panel showed, to share: opens offline in any
 * browser. Nothing is fetched; the CSP allows only this page's one style and one script, by
 * their hashes. Text from the run (labels, names, numbers) is escaped into the HTML; the script
 * holds none of it.
 */
export function exportPage(view: ExportedView, words: Words, { style, script }: PageAssets): string {
  const say = (l: Label) => escape(words.text(l));
  const csp = ["default-src 'none'", `style-src 'sha256-${sha256(style)}'`, `script-src 'sha256-${sha256(script)}'`, "base-uri 'none'", "form-action 'none'"].join('; ');
  const title = say(label('host.panelTitle.run', { name: view.name }));
  const leftOut = [
    ...(view.rowsLeftOut > 0 ? [say(label('export.rowsLeftOut', { rows: counted(view.rowsLeftOut, 'row') }))] : []),
    ...(view.detailsLeftOut > 0 ? [say(label('export.detailsLeftOut', { steps: counted(view.detailsLeftOut, 'step') }))] : []),
  ];
  return `<!DOCTYPE html>
<html lang="${escape(words.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<style>${style}</style>
</head>
<body>
<h1>${title}</h1>
<p class="about">${say(label('export.about'))}</p>
<p class="controls" hidden><button type="button" data-open="true">${say(label('export.showNumbers'))}</button><button type="button" data-open="false">${say(label('export.hideNumbers'))}</button></p>
${tree(view, words)}
${leftOut.map((text) => `<p class="left-out">${text}</p>`).join('\n')}
<script>${script}</script>
</body>
</html>
`;
}

/** The rows as nested lists, one level per depth of the tree (a list reads as a tree without a script). */
function tree(view: ExportedView, words: Words): string {
  const out = ['<ul class="tree">'];
  let depth = 0;
  view.rows.forEach((ref, i) => {
    const d = depthOf(ref);
    if (i === 0) for (let k = 0; k < d; k++) out.push('<li class="gap"><ul>');
    else if (d > depth) for (let k = depth; k < d; k++) out.push(k === depth ? '<ul>' : '<li class="gap"><ul>');
    else {
      out.push('</li>');
      for (let k = depth; k > d; k--) out.push('</ul></li>');
    }
    out.push(`<li>${row(view, ref, words)}`);
    depth = d;
  });
  if (view.rows.length > 0) {
    out.push('</li>');
    for (let k = depth; k > 0; k--) out.push('</ul></li>');
  }
  out.push('</ul>');
  return out.join('\n');
}

function depthOf(ref: NodeRef): number {
  let depth = 0;
  for (let at = parentOf(ref); at.kind !== 'root'; at = parentOf(at)) depth++;
  return depth;
}

function row(view: ExportedView, ref: NodeRef, words: Words): string {
  const node = describeNode(view.summary, ref);
  const detail = view.details.get(node.id);
  const findings = node.findings.map((f) => `<p class="finding ${f.verdict}">${escape(words.text(findingLabel(f)))}</p>`).join('');
  // A step's numbers are shown; those of an epoch or a batch (the weights it starts from) are a click away.
  const open = detail && detail.kind !== 'start' ? ' open' : '';
  const numbers = detail ? `<details class="numbers"${open}><summary>${escape(words.text(label('export.numbers')))}</summary>${renderNumbers(detail, view.summary.shape.layerSizes, words)}</details>` : '';
  return `<div class="row ${ref.kind}" data-id="${escape(node.id)}">${escape(words.text(node.label))}</div>${findings}${numbers}`;
}

/** A finding as the CLI writes it: its mark, its id, its title and what it says here. */
function findingLabel(f: Finding): Label {
  const args = { id: f.id, title: CORRECTIONS[f.id].title, text: f.text };
  return f.verdict === 'correction' ? label('cli.finding.correction', args) : label('cli.finding.confirmed', args);
}

/** A page is read, not scrolled through: each matrix shows its first 16 rows and columns, as the panel's tables once did. */
const PAGE_LIMITS = { rows: 16, columns: 16, values: 64 };

/** A node's numbers, laid out as the panel's card lays them out: rounded on the page, every digit in each cell's tooltip. */
function renderNumbers(full: NodeDetail, layerSizes: number[], words: Words): string {
  const detail = toWire(full, PAGE_LIMITS);
  const say = (l: Label) => escape(words.text(l));
  const parts: string[] = [];
  switch (detail.kind) {
    case 'forward':
      parts.push(
        section(say(label('numbers.point', { point: detail.index + 1, values: counted(detail.inputs.length, 'inputValue') })), vectorTable(detail.inputNames, detail.inputs, words)),
        section(say(label('numbers.forward')), keyValues([
          [say(label('numbers.output')), list(detail.output, words)],
          [say(label('numbers.target')), list(detail.target, words)],
          ...(detail.probabilities ? [[say(label('numbers.softmax')), list(detail.probabilities, words)] as [string, string]] : []),
          [say(label('numbers.loss')), number(detail.loss, words)],
          [say(label('numbers.weightsUsed')), say(detail.weightsFrom)],
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
          [say(label('numbers.batchGradient')), say(detail.reduction === 'mean' ? label('numbers.made.mean', { gradients, size: detail.size }) : label('numbers.made.sum', { gradients }))],
          [say(label('numbers.optimizer')), say(describeOptimizer(detail.optimizer))],
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
    case 'start':
      parts.push(section(say(label('numbers.start', { from: detail.from })), layers(detail.weights, layerSizes, words)));
      break;
  }
  if (detail.truncated) parts.push(`<p class="note">${say(label('export.truncated'))}</p>`);
  return parts.join('');
}

function section(title: string, body: string): string {
  return `<div class="section"><div class="section-title">${title}</div>${body}</div>`;
}

/** A number as the panel shows it: to the significant digits of the learner's setting, every digit in its tooltip. */
function number(value: number, words: Words): string {
  return `<span class="num" title="${escape(String(value))}">${escape(words.number(value))}</span>`;
}

function list(values: number[], words: Words): string {
  return values.map((v) => number(v, words)).join(', ');
}

function keyValues(rows: [string, string][]): string {
  return `<table class="kv">${rows.map(([key, value]) => `<tr><th>${key}</th><td>${value}</td></tr>`).join('')}</table>`;
}

function vectorTable(names: string[], values: number[], words: Words): string {
  return `<table class="matrix"><tr>${names.map((n) => `<th>${escape(n)}</th>`).join('')}</tr><tr>${values.map((v) => `<td>${number(v, words)}</td>`).join('')}</tr></table>`;
}

/** One matrix per layer: a row per unit, a column per input, the bias last; with `after`, "before → after". */
function layers(values: LayerValues, layerSizes: number[], words: Words, after?: LayerValues): string {
  return values.weights
    .map((matrix, l) => {
      const hasBias = values.biases[l].length > 0;
      const inputName = (i: number) => (l === 0 ? `x${i + 1}` : `h${l}.${i + 1}`);
      const header = `<tr><th></th>${(matrix[0] ?? []).map((_, i) => `<th>${inputName(i)}</th>`).join('')}${hasBias ? `<th>${escape(words.text(label('numbers.bias')))}</th>` : ''}</tr>`;
      const cell = (v: number, w?: number) => `<td>${number(v, words)}${w === undefined ? '' : ` → ${number(w, words)}`}</td>`;
      const body = matrix
        .map((r, o) => `<tr><th>${escape(words.text(label('numbers.unit', { n: o + 1 })))}</th>${r.map((v, i) => cell(v, after?.weights[l][o][i])).join('')}${hasBias ? cell(values.biases[l][o], after?.biases[l][o]) : ''}</tr>`)
        .join('');
      const caption = label('numbers.layer', { layer: l + 1, units: counted(layerSizes[l + 1], 'unit'), inputs: counted(layerSizes[l], 'input') });
      return `<div class="layer"><div class="caption">${escape(words.text(caption))}</div><table class="matrix">${header}${body}</table></div>`;
    })
    .join('');
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
