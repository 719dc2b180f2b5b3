import { subtreeHasCorrection } from '../../src/core/outline/corrections';
import { childAt, childCount, childIndex, nodeId, parentOf, refFromId, type NodeRef } from '../../src/core/outline/tree';
import type { RunSummary } from '../../src/core/run/summary';
import { batchOf, batchesBegun } from '../../src/core/train/schedule';
import type { SummaryDelta } from '../../src/core/run/summaryDelta';

/** One row of the flattened tree. */
export interface Row {
  ref: NodeRef;
  id: string;
  /** 0 for the top level. */
  depth: number;
  expandable: boolean;
  expanded: boolean;
}

const ROOT: NodeRef = { kind: 'root' };

/**
 * The tree flattened into rows, without ever listing them all: each expanded node keeps the
 * prefix sums of its children's visible sizes, so finding row i is a binary search per level
 * and a tree of millions of nodes costs memory only for what is expanded. Pure logic (no DOM).
 *
 * Expansion is a set of ids, or "everything" with a set of exceptions, so "expand all" on a
 * huge run is one flag, not a million ids.
 */
export class VisibleTree {
  private expandedIds = new Set<string>();
  private allExpanded = false;
  private collapsedIds = new Set<string>();
  private filter = false;
  /** Prefix sums of the visible sizes of an expanded node's children, by node id. */
  private prefixes = new Map<string, Prefix>();
  /** Under the filter: how many of a node's first children are shown, by node id (for aria-posinset). */
  private shownSiblings = new Map<string, Int32Array>();

  constructor(private readonly summary: RunSummary) {}

  // ---- state ---------------------------------------------------------------------------

  /**
   * Forgets the sizes a delta may have changed. A run only grows at its end, so the sums before
   * the first changed child stay right: a long epoch is extended, not recounted.
   */
  applied(delta: SummaryDelta): void {
    const { schedule } = this.summary.shape;
    this.shownSiblings.clear();
    const first = delta.epochs[0];
    // Root children: run, init, epoch e at e + 1, then the end.
    this.invalidateFrom('root', first ? first.epoch + 1 : 2 + this.summary.epochs.length);
    for (const change of delta.epochs) {
      const record = this.summary.epochs[change.epoch - 1];
      const firstBatch = Math.min(batchOf(schedule, change.pointFrom), change.batchFrom + 1);
      const lastBatch = batchesBegun(schedule, record.pointsDone);
      this.invalidateFrom(`e${change.epoch}`, firstBatch);
      for (let b = firstBatch; b <= lastBatch; b++) this.prefixes.delete(`e${change.epoch}/b${b}`);
    }
  }

  /** The sums from child `child` on are stale; those before it stay. */
  private invalidateFrom(id: string, child: number): void {
    const prefix = this.prefixes.get(id);
    if (prefix) prefix.valid = Math.min(prefix.valid, child + 1);
  }

  get onlyCorrections(): boolean {
    return this.filter;
  }

  set onlyCorrections(value: boolean) {
    if (value === this.filter) return;
    this.filter = value;
    this.prefixes.clear();
    this.shownSiblings.clear();
  }

  isExpanded(id: string): boolean {
    return this.allExpanded ? !this.collapsedIds.has(id) : this.expandedIds.has(id);
  }

  setExpanded(ref: NodeRef, expanded: boolean): void {
    const id = nodeId(this.summary, ref);
    if (this.isExpanded(id) === expanded || !isExpandable(ref)) return;
    const set = this.allExpanded ? this.collapsedIds : this.expandedIds;
    if (expanded === !this.allExpanded) set.add(id);
    else set.delete(id);
    // Its size changed, so did every ancestor's, from this branch on.
    for (let r = ref; r.kind !== 'root'; r = parentOf(r)) this.invalidateFrom(nodeId(this.summary, parentOf(r)), childIndex(this.summary, r));
  }

  expandAll(): void {
    this.allExpanded = true;
    this.collapsedIds.clear();
    this.prefixes.clear();
  }

  collapseAll(): void {
    this.allExpanded = false;
    this.expandedIds.clear();
    this.prefixes.clear();
  }

  /** The expansion, for saving in the webview's state. */
  expansionState(): { allExpanded: boolean; ids: string[] } {
    return { allExpanded: this.allExpanded, ids: [...(this.allExpanded ? this.collapsedIds : this.expandedIds)] };
  }

  restoreExpansion(state: { allExpanded: boolean; ids: string[] }): void {
    this.allExpanded = state.allExpanded;
    this.expandedIds = new Set(state.allExpanded ? [] : state.ids);
    this.collapsedIds = new Set(state.allExpanded ? state.ids : []);
    this.prefixes.clear();
  }

  // ---- rows ----------------------------------------------------------------------------

  get rowCount(): number {
    const prefix = this.childPrefix(ROOT, 'root');
    return prefix.sums[prefix.length - 1];
  }

  /** The row at `index` (0-based), or undefined past the end. */
  rowAt(index: number): Row | undefined {
    if (index < 0 || index >= this.rowCount) return undefined;
    let ref = ROOT;
    let id = 'root';
    let remaining = index;
    for (let depth = 0; ; depth++) {
      const prefix = this.childPrefix(ref, id);
      const k = upperBound(prefix.sums, prefix.length, remaining) - 1;
      ref = childAt(this.summary, ref, k);
      id = nodeId(this.summary, ref);
      remaining -= prefix.sums[k];
      if (remaining === 0) {
        const expandable = isExpandable(ref);
        return { ref, id, depth, expandable, expanded: expandable && this.isExpanded(id) };
      }
      remaining -= 1;
    }
  }

  /** The row index of a node, or -1 when it is not visible (hidden by a collapsed ancestor or the filter). */
  indexOf(id: string): number {
    const ref = refFromId(this.summary, id);
    if (!ref || !this.shown(ref)) return -1;
    const path: NodeRef[] = [];
    for (let r = ref; r.kind !== 'root'; r = parentOf(r)) path.unshift(r);
    let index = -1;
    let parent = ROOT;
    for (const node of path) {
      const parentId = nodeId(this.summary, parent);
      if (parent.kind !== 'root' && !this.isExpanded(parentId)) return -1;
      index += 1 + this.childPrefix(parent, parentId).sums[childIndex(this.summary, node)];
      parent = node;
    }
    return index;
  }

  /** A node's place among the siblings the tree shows, from 1, and how many there are: aria-posinset and aria-setsize. */
  siblingPosition(ref: NodeRef): { position: number; size: number } {
    const parent = parentOf(ref);
    const index = childIndex(this.summary, ref);
    const count = childCount(this.summary, parent);
    if (!this.filter) return { position: index + 1, size: count };
    const id = nodeId(this.summary, parent);
    let shown = this.shownSiblings.get(id);
    if (!shown || shown.length !== count + 1) {
      shown = new Int32Array(count + 1);
      for (let i = 0; i < count; i++) shown[i + 1] = shown[i] + (this.shown(childAt(this.summary, parent, i)) ? 1 : 0);
      this.shownSiblings.set(id, shown);
    }
    return { position: shown[index] + 1, size: shown[count] };
  }

  // ---- sizes ---------------------------------------------------------------------------

  /** Rows this node's subtree shows: 0 when filtered out, 1 when collapsed. */
  private size(ref: NodeRef): number {
    if (this.filter && !this.shown(ref)) return 0;
    if (!isExpandable(ref) || !this.expandedRef(ref)) return 1;
    // A point's three steps have no children of their own: no need to count them one by one.
    if (ref.kind === 'point' && !this.filter) return 4;
    const children = this.childPrefix(ref, nodeId(this.summary, ref));
    return 1 + children.sums[children.length - 1];
  }

  /** `isExpanded` without building the node's id when the answer is the same for every node. */
  private expandedRef(ref: NodeRef): boolean {
    if (this.allExpanded && this.collapsedIds.size === 0) return true;
    if (!this.allExpanded && this.expandedIds.size === 0) return false;
    return this.isExpanded(nodeId(this.summary, ref));
  }

  /** Under the filter, a node stays when it or something below it is a correction (asked of a few representative nodes, not every child). */
  private shown(ref: NodeRef): boolean {
    return !this.filter || subtreeHasCorrection(this.summary, ref);
  }

  /** The prefix sums of a node's children, brought up to date from its first stale entry. */
  private childPrefix(ref: NodeRef, id: string): Prefix {
    const count = childCount(this.summary, ref);
    let prefix = this.prefixes.get(id);
    if (prefix && prefix.valid === count + 1 && prefix.length === count + 1) return prefix;
    if (!prefix || prefix.sums.length < count + 1) {
      // Room for every child the node will have, so a growing epoch is never copied.
      const sums = new Float64Array(Math.max(count + 1, this.finalChildren(ref) + 1));
      if (prefix) sums.set(prefix.sums.subarray(0, prefix.valid));
      prefix = { sums, length: count + 1, valid: prefix?.valid ?? 1 };
    }
    prefix.length = count + 1;
    for (let i = prefix.valid - 1; i < count; i++) prefix.sums[i + 1] = prefix.sums[i] + this.size(childAt(this.summary, ref, i));
    prefix.valid = count + 1;
    // A point's three steps are cheaper to recount than to keep.
    if (ref.kind !== 'point') this.prefixes.set(id, prefix);
    return prefix;
  }

  /** How many children a node has once the run is over. */
  private finalChildren(ref: NodeRef): number {
    const { epochs } = this.summary.shape;
    const { batchCount, batchSize } = this.summary.shape.schedule;
    switch (ref.kind) {
      case 'root':
        return 3 + epochs;
      case 'epoch':
        return 2 + batchCount;
      case 'batch':
        return batchSize + 1;
      default:
        return 3;
    }
  }
}

/** Prefix sums of a node's children's visible sizes: `sums[i]` rows come before child i. */
interface Prefix {
  sums: Float64Array;
  /** Children + 1. */
  length: number;
  /** How many leading entries are right; the rest are recomputed when next read. */
  valid: number;
}

export function isExpandable(ref: NodeRef): boolean {
  return ref.kind === 'epoch' || ref.kind === 'batch' || ref.kind === 'point';
}

/** The first index below `length` whose value is greater than `value` (prefix sums never decrease). */
function upperBound(prefix: Float64Array, length: number, value: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (prefix[mid] <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
