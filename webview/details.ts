import type { OutlineNode } from '../src/core/outline/describe';
import { pointList } from '../src/core/outline/phrases';
import { isDetailRef } from '../src/core/run/detail';
import type { RunSummary } from '../src/core/run/summary';
import { batchSizeOf } from '../src/core/train/schedule';
import { label, rounded, verbatim, type Label } from '../src/core/words/label';
import type { Words } from '../src/core/words/words';
import type { WireDetail } from '../src/shared/protocol';
import type { Channel } from './channel';
import { custom, h } from './dom';
import { findingBlock } from './findings';
import { renderNumbers } from './numbers';

/**
 * Numbers far from a checkpoint of a long run of a large network can take a while to replay:
 * the host gives up after its limit (10 s for a hover card, 60 s for the selected step) and
 * says so; these are a little longer, for a host that cannot even say that.
 */
const HOVER_TIMEOUT_MS = 15_000;
const PANE_TIMEOUT_MS = 65_000;
const CACHE_SIZE = 64;

/** Why a node's numbers did not come: in the catalogue's words. */
class NumbersUnavailable extends Error {
  constructor(readonly why: Label) {
    super(why.id);
  }
}

/**
 * Asks the host for a node's numbers: one request per node at a time, answered or rejected
 * within a timeout, cached for the current run, and all dropped when a new run starts. A
 * hover card's request (`hover`) may be cancelled by the host when a newer hover asks for
 * another node; the selected step's request never is (it asks again if it finds only a hover's).
 */
export class DetailSource {
  private nextId = 1;
  private readonly pending = new Map<number, { nodeId: string; resolve(detail: WireDetail | undefined): void; reject(error: Error): void; timer: number }>();
  private cache = new Map<string, { promise: Promise<WireDetail | undefined>; hover: boolean; requestId: number }>();

  constructor(private readonly channel: Channel) {}

  get(nodeId: string, hover = false): Promise<WireDetail | undefined> {
    const cached = this.cache.get(nodeId);
    if (cached && (hover || !cached.hover)) return cached.promise;
    const requestId = this.nextId++;
    const promise = new Promise<WireDetail | undefined>((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.pending.delete(requestId);
        if (this.cache.get(nodeId)?.requestId === requestId) this.cache.delete(nodeId);
        reject(new NumbersUnavailable(label('panel.numbers.timeout')));
      }, hover ? HOVER_TIMEOUT_MS : PANE_TIMEOUT_MS);
      this.pending.set(requestId, { nodeId, resolve, reject, timer });
    });
    this.cache.delete(nodeId);
    this.cache.set(nodeId, { promise, hover, requestId });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    this.channel.post({ type: 'requestDetail', requestId, nodeId, ...(hover ? { hover } : {}) });
    return promise;
  }

  answer(requestId: number, detail: WireDetail | undefined, error: Label | undefined): void {
    const request = this.pending.get(requestId);
    if (!request) return;
    this.pending.delete(requestId);
    window.clearTimeout(request.timer);
    if (error) {
      if (this.cache.get(request.nodeId)?.requestId === requestId) this.cache.delete(request.nodeId);
      request.reject(new NumbersUnavailable(error));
    } else request.resolve(detail);
  }

  /** A new run: nothing cached or pending belongs to it. */
  reset(): void {
    for (const request of this.pending.values()) {
      window.clearTimeout(request.timer);
      request.reject(new NumbersUnavailable(label('panel.numbers.replaced')));
    }
    this.pending.clear();
    this.cache.clear();
  }
}

/**
 * Everything known about a node: its label, each finding (with the learner's line beside
 * what happens when `withOutline`), and its numbers, which arrive from the host.
 */
export function renderNodeInfo(node: OutlineNode, summary: RunSummary, source: DetailSource, channel: Channel, withOutline: boolean, words: Words): HTMLElement {
  const numbers = h('div', { className: 'numbers-slot' });
  const children: HTMLElement[] = [h('div', { className: 'info-label', text: words.text(node.label) }), ...node.findings.map((f) => findingBlock(f, withOutline, words)), numbers];
  const facts = summaryFacts(node, summary);
  // The summary's facts stay when the numbers arrive (a batch has both).
  const factNotes = facts ? [h('div', { className: 'note', text: words.text(facts) })] : [];
  numbers.append(...factNotes);
  if (isDetailRef(node.ref)) {
    numbers.append(h('div', { className: 'note', text: words.text(label('panel.numbers.recomputing')) }));
    source.get(node.id, !withOutline).then(
      (detail) => {
        if (!detail) numbers.replaceChildren(h('div', { className: 'note', text: words.text(label('panel.numbers.none')) }));
        else {
          const copy = custom('vscode-button', { text: words.text(label('panel.numbers.copy')), attrs: { appearance: 'secondary', title: words.text(label('panel.numbers.copy.title')) } });
          copy.addEventListener('click', () => channel.post({ type: 'copyDetail', nodeId: node.id }));
          numbers.replaceChildren(...factNotes, renderNumbers(detail, summary.shape.layerSizes, words, withOutline ? window.innerWidth - 48 : undefined), copy);
        }
      },
      (error: Error) => {
        const why = error instanceof NumbersUnavailable ? error.why : verbatim(error.message);
        numbers.replaceChildren(h('div', { className: 'note error', text: words.text(label('panel.numbers.unavailable', { why })) }));
      },
    );
  }
  return h('div', { className: 'node-info' }, children);
}

/** What the summary itself says about nodes that have no replayed numbers. */
function summaryFacts(node: OutlineNode, summary: RunSummary): Label | undefined {
  const { ref } = node;
  switch (ref.kind) {
    case 'order': {
      const order = summary.epochs[ref.epoch - 1].order;
      return label('panel.facts.order', { n: order.length, points: pointList(order, 40) });
    }
    case 'batch': {
      const epoch = summary.epochs[ref.epoch - 1];
      const size = batchSizeOf(summary.shape.schedule, ref.batch);
      if (epoch.batchesDone < ref.batch) return label('panel.facts.batch', { size });
      return label('panel.facts.batch.norm', { size, norm: rounded(epoch.batchGradientNorm[ref.batch - 1]) });
    }
    default:
      return undefined;
  }
}
