import { describeNode } from '../../src/core/outline/describe';
import { nodeId, parentOf } from '../../src/core/outline/tree';
import type { RunSummary } from '../../src/core/run/summary';
import { label } from '../../src/core/words/label';
import type { Words } from '../../src/core/words/words';
import { h } from '../dom';
import { findingChip } from '../findings';
import type { Row, VisibleTree } from './visibleTree';

export const ROW_HEIGHT = 22;
/** Chromium (VS Code's webviews) caps an element's height near 33.5 million px; past this the scroll is scaled. */
const MAX_SCROLL_HEIGHT = 30_000_000;
/** Rows drawn beyond the visible ones, so a fast scroll does not show blanks. */
const OVERSCAN = 6;

export interface TreeViewEvents {
  /** The selected row changed (by click or keyboard). */
  select(row: Row | undefined): void;
  /** The pointer is over a row (its element, to place a card), or over none. */
  hover(row: Row | undefined, element: HTMLElement | undefined): void;
  /** Expansion changed: a row was opened or closed. */
  toggled(): void;
}

/**
 * The tree as an ARIA tree with a window of rows: only the rows in view (plus a few) exist in
 * the DOM, at a fixed height, positioned by transform. The container keeps the focus and
 * points at the selected row with aria-activedescendant; arrows, Home/End, PageUp/PageDown,
 * Enter and Space work as in VS Code's own trees.
 */
export class TreeView {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  /** The element showing each row in view, by node id. */
  private byId = new Map<string, HTMLElement>();
  /** What each row element was last filled with, to leave an unchanged row's DOM alone. */
  private readonly shown = new WeakMap<HTMLElement, string>();
  /** Hidden elements ready for rows that scroll into view. */
  private readonly spare: HTMLElement[] = [];
  private created = 0;
  private tree: VisibleTree | undefined;
  private summary: RunSummary | undefined;
  private selectedId: string | undefined;
  private frame = 0;
  private hoveredId: string | undefined;
  private maxLoss = 0;
  /**
   * The tree's height and scroll position as last laid out, kept from resize and scroll events:
   * a redraw after a delta reads no layout, so it never forces the browser to lay out mid-task.
   */
  private viewport = 0;
  private knownScrollTop = 0;
  /** Where the scan for `maxLoss` has got to. */
  private lossScanned = { epoch: 0, point: 0 };

  constructor(
    private readonly events: TreeViewEvents,
    private readonly words: Words,
  ) {
    this.spacer = h('div', { className: 'tree-spacer' });
    this.element = h('div', { className: 'tree', attrs: { role: 'tree', tabindex: '0', 'aria-label': words.text(label('panel.tree')) } }, [this.spacer]);
    this.element.addEventListener('scroll', () => {
      this.knownScrollTop = this.element.scrollTop;
      this.scheduleRender();
    });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.element.addEventListener('click', (event) => this.onClick(event));
    this.element.addEventListener('mouseover', (event) => this.onPointer(event));
    this.element.addEventListener('mouseleave', () => this.setHovered(undefined, undefined));
    new ResizeObserver(() => {
      this.viewport = this.element.clientHeight;
      this.scheduleRender();
    }).observe(this.element);
  }

  setModel(tree: VisibleTree | undefined, summary: RunSummary | undefined): void {
    this.tree = tree;
    this.summary = summary;
    this.maxLoss = 0;
    this.lossScanned = { epoch: 0, point: 0 };
    this.render();
  }

  get selected(): string | undefined {
    return this.selectedId;
  }

  /** Selects a node by id and scrolls it into view (when it is visible at all). */
  select(id: string | undefined, reveal = true): void {
    this.selectedId = id;
    const index = id && this.tree ? this.tree.indexOf(id) : -1;
    if (reveal && index >= 0) this.scrollToRow(index);
    this.render();
    this.events.select(index >= 0 ? this.tree!.rowAt(index) : undefined);
  }

  get scrollTop(): number {
    return this.knownScrollTop;
  }

  set scrollTop(value: number) {
    this.element.scrollTop = value;
    this.knownScrollTop = this.element.scrollTop;
  }

  /** The tree's visible height, as last laid out. */
  get viewportHeight(): number {
    return this.viewport || 600;
  }

  /** Redraws on the next frame what a scroll or a resize brought into view (the content is unchanged). */
  scheduleRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render(false);
    });
  }

  /**
   * Draws the rows in view now. With `contentChanged` false (a scroll), rows that stay in view
   * keep what they show and only move: a smooth scroll fills just the rows that enter.
   */
  render(contentChanged = true): void {
    const { tree, summary } = this;
    const rows = tree?.rowCount ?? 0;
    const total = rows * ROW_HEIGHT;
    const scale = this.scale(rows);
    // Read the layout before writing to it, so the browser lays out once per frame.
    const viewport = this.viewportHeight;
    const scrollTop = this.knownScrollTop;
    this.spacer.style.height = `${Math.min(total, MAX_SCROLL_HEIGHT)}px`;
    const virtualTop = scrollTop * scale;
    const first = Math.max(0, Math.floor(virtualTop / ROW_HEIGHT) - OVERSCAN);
    const count = Math.min(rows - first, Math.ceil(viewport / ROW_HEIGHT) + 2 * OVERSCAN);
    const top = scrollTop - (virtualTop - first * ROW_HEIGHT);
    if (summary && contentChanged) this.updateMaxLoss(summary);
    // Rows keep their element while they stay in view, so a row under the pointer (or a test's
    // click) is still the same row after a scroll re-renders the window.
    const previous = this.byId;
    this.byId = new Map();
    const wanted: Row[] = [];
    for (let k = 0; k < Math.max(count, 0); k++) wanted.push(tree!.rowAt(first + k)!);
    const keep = new Set(wanted.map((row) => row.id));
    const spare = [...previous].filter(([id]) => !keep.has(id)).map(([, element]) => element);
    let active: string | undefined;
    wanted.forEach((row, k) => {
      const kept = previous.get(row.id);
      const element = kept ?? spare.pop() ?? this.createRow();
      this.byId.set(row.id, element);
      element.hidden = false;
      if (!kept || contentChanged) this.fill(element, row, first + k, summary!);
      element.style.transform = `translateY(${top + k * ROW_HEIGHT}px)`;
      if (row.id === this.selectedId) active = element.id;
    });
    for (const element of spare) {
      // A spare row keeps no identity: nothing should find a node in it.
      element.hidden = true;
      delete element.dataset.id;
      this.shown.delete(element);
      this.spare.push(element);
    }
    if (active) this.element.setAttribute('aria-activedescendant', active);
    else this.element.removeAttribute('aria-activedescendant');
  }

  private createRow(): HTMLElement {
    const reused = this.spare.pop();
    if (reused) return reused;
    const element = h('div', { className: 'row', attrs: { role: 'treeitem', id: `tt-row-${this.created++}` } }, [
      h('span', { className: 'bar' }),
      h('span', { className: 'twisty', attrs: { 'aria-hidden': 'true' } }),
      h('span', { className: 'label' }),
      h('span', { className: 'chips' }),
    ]);
    this.element.append(element);
    return element;
  }

  private fill(element: HTMLElement, row: Row, index: number, summary: RunSummary): void {
    const node = describeNode(summary, row.ref);
    const labelText = this.words.text(node.label);
    const share = node.loss !== undefined && this.maxLoss > 0 ? Math.min(1, node.loss / this.maxLoss) : 0;
    // A redraw after a delta mostly finds the rows in view unchanged: their DOM is left alone.
    const shows = `${index}|${row.id}|${row.expanded}|${row.id === this.selectedId}|${labelText}|${node.findings.map((f) => f.id + f.verdict).join()}|${share.toFixed(3)}`;
    if (this.shown.get(element) === shows) return;
    this.shown.set(element, shows);
    const [bar, twisty, text, chips] = Array.from(element.children) as HTMLElement[];
    element.dataset.index = String(index);
    element.dataset.id = row.id;
    element.dataset.kind = row.ref.kind;
    element.style.setProperty('--depth', String(row.depth));
    element.setAttribute('aria-level', String(row.depth + 1));
    element.setAttribute('aria-selected', String(row.id === this.selectedId));
    if (row.expandable) element.setAttribute('aria-expanded', String(row.expanded));
    else element.removeAttribute('aria-expanded');
    element.classList.toggle('selected', row.id === this.selectedId);
    element.classList.toggle('has-correction', node.findings.some((f) => f.verdict === 'correction'));
    twisty.className = `twisty${row.expandable ? (row.expanded ? ' open' : ' closed') : ''}`;
    text.textContent = labelText;
    chips.replaceChildren(...node.findings.map((f) => findingChip(f, this.words)));
    bar.style.width = `${(share * 100).toFixed(1)}%`;
  }

  /**
   * The largest point loss so far (the impact bars are drawn against it), read incrementally:
   * epochs fill one after another, so only the one the scan stopped in can have grown.
   */
  private updateMaxLoss(summary: RunSummary): void {
    const scanned = this.lossScanned;
    for (; scanned.epoch < summary.epochs.length; scanned.epoch++, scanned.point = 0) {
      const epoch = summary.epochs[scanned.epoch];
      for (; scanned.point < epoch.pointsDone; scanned.point++) if (epoch.pointLoss[scanned.point] > this.maxLoss) this.maxLoss = epoch.pointLoss[scanned.point];
      if (epoch.pointsDone < summary.shape.schedule.pointsPerEpoch) return;
    }
  }

  /** How many pixels of rows one pixel of scrolling stands for (1 below the height cap). */
  private scale(rows: number): number {
    return Math.max(1, (rows * ROW_HEIGHT) / MAX_SCROLL_HEIGHT);
  }

  private scrollToRow(index: number): void {
    const scale = this.scale(this.tree?.rowCount ?? 0);
    const viewport = this.viewportHeight;
    const rowTop = (index * ROW_HEIGHT) / scale;
    const current = this.knownScrollTop;
    if (rowTop < current) this.scrollTop = rowTop;
    else if (rowTop + ROW_HEIGHT > current + viewport) this.scrollTop = rowTop + ROW_HEIGHT - viewport;
  }

  private currentIndex(): number {
    return this.selectedId && this.tree ? this.tree.indexOf(this.selectedId) : -1;
  }

  private selectIndex(index: number): void {
    const tree = this.tree;
    if (!tree || tree.rowCount === 0) return;
    const row = tree.rowAt(Math.max(0, Math.min(tree.rowCount - 1, index)))!;
    this.select(row.id);
  }

  private toggle(row: Row): void {
    if (!this.tree || !row.expandable) return;
    this.tree.setExpanded(row.ref, !row.expanded);
    this.events.toggled();
    this.select(row.id);
  }

  private onKey(event: KeyboardEvent): void {
    const tree = this.tree;
    if (!tree || !this.summary) return;
    const index = this.currentIndex();
    const row = index >= 0 ? tree.rowAt(index) : undefined;
    const page = Math.max(1, Math.floor(this.viewportHeight / ROW_HEIGHT) - 1);
    switch (event.key) {
      case 'ArrowDown':
        this.selectIndex(index + 1);
        break;
      case 'ArrowUp':
        this.selectIndex(index < 0 ? 0 : index - 1);
        break;
      case 'PageDown':
        this.selectIndex(index + page);
        break;
      case 'PageUp':
        this.selectIndex(index - page);
        break;
      case 'Home':
        this.selectIndex(0);
        break;
      case 'End':
        this.selectIndex(tree.rowCount - 1);
        break;
      case 'ArrowRight':
        if (row?.expandable && !row.expanded) this.toggle(row);
        else if (row?.expandable) this.selectIndex(index + 1);
        break;
      case 'ArrowLeft':
        if (row?.expanded) this.toggle(row);
        else if (row) {
          const parent = parentOf(row.ref);
          if (parent.kind !== 'root') this.select(nodeId(this.summary, parent));
        }
        break;
      case 'Enter':
      case ' ':
        if (row) this.toggle(row);
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  private rowFromEvent(event: Event): { row: Row; element: HTMLElement } | undefined {
    const element = (event.target as HTMLElement).closest<HTMLElement>('.row');
    const index = element?.dataset.index;
    const row = index === undefined ? undefined : this.tree?.rowAt(Number(index));
    return row && element ? { row, element } : undefined;
  }

  private onClick(event: MouseEvent): void {
    const hit = this.rowFromEvent(event);
    if (!hit) return;
    this.element.focus();
    if (hit.row.expandable) this.toggle(hit.row);
    else this.select(hit.row.id, false);
  }

  private onPointer(event: MouseEvent): void {
    const hit = this.rowFromEvent(event);
    this.setHovered(hit?.row, hit?.element);
  }

  private setHovered(row: Row | undefined, element: HTMLElement | undefined): void {
    if (row?.id === this.hoveredId) return;
    this.hoveredId = row?.id;
    this.events.hover(row, element);
  }
}
