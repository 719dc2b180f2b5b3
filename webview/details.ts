import { formatNumber, pointList } from '../src/core/outline/format';
import type { OutlineNode } from '../src/core/outline/outline';
import { batchSizeOf, type RunSummary } from '../src/core/outline/summary';
import type { WireDetail } from '../src/shared/protocol';
import { custom, h } from './dom';
import { findingBlock } from './findings';
import type { Host } from './host';
import { renderNumbers } from './numbers';

/** Numbers far from a checkpoint of a long run of a large network can take a while to replay. */
const DETAIL_TIMEOUT_MS = 60_000;
const CACHE_SIZE = 64;

/** Which nodes have numbers of their own, recomputed by the host on request. */
export function hasNumbers(node: OutlineNode): boolean {
  return ['init', 'point', 'forward', 'backward', 'sum', 'update'].includes(node.ref.kind);
}

/**
 * Asks the host for a node's numbers: one request per node at a time, answered or rejected
 * within a timeout, cached for the current run, and all dropped when a new run starts.
 */
export class DetailSource {
  private nextId = 1;
  private readonly pending = new Map<number, { nodeId: string; resolve(detail: WireDetail | undefined): void; reject(error: Error): void; timer: number }>();
  private cache = new Map<string, Promise<WireDetail | undefined>>();

  constructor(private readonly host: Host) {}

  get(nodeId: string): Promise<WireDetail | undefined> {
    const cached = this.cache.get(nodeId);
    if (cached) return cached;
    const requestId = this.nextId++;
    const promise = new Promise<WireDetail | undefined>((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.pending.delete(requestId);
        this.cache.delete(nodeId);
        reject(new Error('the numbers did not arrive in time'));
      }, DETAIL_TIMEOUT_MS);
      this.pending.set(requestId, { nodeId, resolve, reject, timer });
    });
    this.cache.set(nodeId, promise);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    this.host.post({ type: 'requestDetail', requestId, nodeId });
    return promise;
  }

  answer(requestId: number, detail: WireDetail | undefined, error: string | undefined): void {
    const request = this.pending.get(requestId);
    if (!request) return;
    this.pending.delete(requestId);
    window.clearTimeout(request.timer);
    if (error) {
      this.cache.delete(request.nodeId);
      request.reject(new Error(error));
    } else request.resolve(detail);
  }

  /** A new run: nothing cached or pending belongs to it. */
  reset(): void {
    for (const request of this.pending.values()) {
      window.clearTimeout(request.timer);
      request.reject(new Error('a new run replaced this one'));
    }
    this.pending.clear();
    this.cache.clear();
  }
}

/**
 * Everything known about a node: its label, each finding (with the learner's line beside
 * what happens when `withOutline`), and its numbers, which arrive from the host.
 */
export function renderNodeInfo(node: OutlineNode, summary: RunSummary, source: DetailSource, host: Host, withOutline: boolean): HTMLElement {
  const numbers = h('div', { className: 'numbers-slot' });
  const children: HTMLElement[] = [h('div', { className: 'info-label', text: node.label }), ...node.findings.map((f) => findingBlock(f, withOutline)), numbers];
  const facts = summaryFacts(node, summary);
  if (facts) numbers.append(facts);
  if (hasNumbers(node)) {
    numbers.append(h('div', { className: 'note', text: 'Recomputing the numbers from the nearest checkpoint…' }));
    source.get(node.id).then(
      (detail) => {
        if (!detail) numbers.replaceChildren(h('div', { className: 'note', text: 'No numbers for this step.' }));
        else {
          const copy = custom('vscode-button', { text: 'Copy numbers', attrs: { appearance: 'secondary', title: 'Copy every number of this step, at full precision' } });
          copy.addEventListener('click', () => host.post({ type: 'copyDetail', nodeId: node.id }));
          numbers.replaceChildren(renderNumbers(detail, summary.shape.layerSizes), copy);
        }
      },
      (error: Error) => numbers.replaceChildren(h('div', { className: 'note error', text: `Numbers unavailable: ${error.message}` })),
    );
  }
  return h('div', { className: 'node-info' }, children);
}

/** What the summary itself says about nodes that have no replayed numbers. */
function summaryFacts(node: OutlineNode, summary: RunSummary): HTMLElement | undefined {
  const { ref } = node;
  switch (ref.kind) {
    case 'order': {
      const order = summary.epochs[ref.epoch - 1].order;
      return h('div', { className: 'note', text: `All ${order.length} points, in this epoch’s order: ${pointList(order, 40)}` });
    }
    case 'batch': {
      const epoch = summary.epochs[ref.epoch - 1];
      const norm = epoch.batchesDone >= ref.batch ? ` Its update’s gradient norm: ${formatNumber(epoch.batchGradientNorm[ref.batch - 1])}.` : '';
      return h('div', { className: 'note', text: `${batchSizeOf(summary.shape, ref.batch)} points, passed forward with the same weights, then one update.${norm}` });
    }
    default:
      return undefined;
  }
}
