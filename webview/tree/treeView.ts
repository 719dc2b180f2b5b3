import { describeNode } from '../../src/core/outline/describe';
import { nodeId, parentOf } from '../../src/core/outline/tree';
import type { RunSummary } from '../../src/core/run/summary';
import { label, rounded, type Label } from '../../src/core/words/label';
import type { Words } from '../../src/core/words/words';
import { h } from '../dom';
import { findingChip } from '../findings';
import type { Row, VisibleTree } from './visibleTree';

export const ROW_HEIGHT = 22;
/** Chromium (VS Code's webviews) caps an element's height near 33.5 million px; past this the scroll is scaled. */
const MAX_SCROLL_HEIGHT = 30_000_000;
/** Rows drawn beyond the visible ones, so a fast scroll does not show blanks. */
const OVERSCAN = 6;
/** Type-ahead: a pause this long starts a new word; one keystroke searches the rows for at most this long. */
const TYPE_AHEAD_RESET_MS = 800;
const TYPE_AHEAD_BUDGET_MS = 50;

export interface TreeViewEvents {
  /** The selected row changed (by click or keyboard). */
  select(row: Row | undefined): void;
  /** The pointer is over a row (its element, to place a card), or over none. */
  hover(row: Row | undefined, element: HTMLElement | undefined): void;
  /** Expansion changed: a row was opened or closed. */
  toggled(): void;
  /** Enter or a double-click on a row: true when that did something (then Enter does not also toggle). */
  activate(row: Row): boolean;
}

/**
 * The tree as an ARIA tree with a window of rows: only the rows in view (plus a few) exist in
 * the DOM, at a fixed height, positioned by transform. The container keeps the focus and
 * points at the selected row with aria-activedescendant; arrows, Home/End, PageUp/PageDown,
 * Enter and Space work as in VS Code's own trees: Enter activates a row that has something to
 * open (its source), and toggles any other; Space and the arrows expand and collapse.
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
  private typed = { text: '', at: 0 };
  /** Rows filled since the last frame, whose labels are yet to be checked for being cut short. */
  private readonly unmeasured = new Set<HTMLElement>();
  private measureFrame = 0;

  constructor(
    private readonly events: TreeViewEvents,
    private readonly words: Words,
  ) {
    this.spacer = h('div', { className: 'tree-spacer' });
    this.element = h('div', { className: 'tree', attrs: { role: 'tree', tabindex: '0' } }, [this.spacer]);
    this.element.addEventListener('scroll', () => {
      this.knownScrollTop = this.element.scrollTop;
      this.scheduleRender();
    });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.element.addEventListener('click', (event) => this.onClick(event));
    this.element.addEventListener('dblclick', (event) => {
      const hit = this.rowFromEvent(event);
      if (hit) this.events.activate(hit.row);
    });
    this.element.addEventListener('mouseover', (event) => this.onPointer(event));
    this.element.addEventListener('mouseleave', () => this.setHovered(undefined, undefined));
    new ResizeObserver(() => this.resized()).observe(this.element);
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
    // The pane below shows the selected node and may change the tree's height: told first, so
    // the scroll below reads the height it leaves (one layout per selection, never per delta).
    this.events.select(index >= 0 ? this.tree!.rowAt(index) : undefined);
    if (reveal && index >= 0) {
      this.viewport = this.element.clientHeight;
      this.scrollToRow(index);
    }
    this.render();
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
      this.render(false, this.readCutLabels());
    });
  }

  /**
   * Draws the rows in view now. With `contentChanged` false (a scroll), rows that stay in view
   * keep what they show and only move: a smooth scroll fills just the rows that enter.
   */
  render(contentChanged = true, measured: CutLabel[] = []): void {
    const { tree, summary } = this;
    const rows = tree?.rowCount ?? 0;
    const total = rows * ROW_HEIGHT;
    const scale = this.scale(rows);
    // Read the layout before writing to it, so the browser lays out once per frame.
    const viewport = this.viewportHeight;
    const scrollTop = this.knownScrollTop;
    TreeView.showKeys(measured);
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
      if (!kept || contentChanged) {
        this.fill(element, row, first + k, summary!);
        this.unmeasured.add(element);
      }
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
    this.measureSoon();
  }

  /**
   * A label cut short by the panel's width shows its key number (a loss or a norm) beside it,
   * where it stays visible. Whether a row filled in one frame is cut is read at the start of the
   * next one, before anything is written: the layout is still the one just painted, so reading
   * it costs nothing, and a scrolled frame is laid out once (reading right after filling the
   * rows laid every frame out twice, and a render for a click or a key forced a layout of the
   * whole panel). The key appears a frame after its row.
   */
  private readCutLabels(): CutLabel[] {
    const rows = [...this.unmeasured].filter((row) => !row.hidden);
    this.unmeasured.clear();
    return rows.map((row) => {
      const text = row.querySelector<HTMLElement>('.label')!;
      return { key: row.querySelector<HTMLElement>('.key')!, cut: text.scrollWidth > text.clientWidth + 1 };
    });
  }

  private static showKeys(labels: CutLabel[]): void {
    for (const { key, cut } of labels) key.hidden = !cut || !key.textContent;
  }

  /** Rows were filled: measure them in the next frame; by the render of that frame, when it scrolls. */
  private measureSoon(): void {
    if (this.measureFrame || this.unmeasured.size === 0) return;
    this.measureFrame = requestAnimationFrame(() => {
      this.measureFrame = 0;
      if (!this.frame) TreeView.showKeys(this.readCutLabels());
    });
  }

  private createRow(): HTMLElement {
    const reused = this.spare.pop();
    if (reused) return reused;
    const element = h('div', { className: 'row', attrs: { role: 'treeitem', id: `tt-row-${this.created++}` } }, [
      h('span', { className: 'bar' }),
      h('span', { className: 'twisty', attrs: { 'aria-hidden': 'true' } }),
      h('span', { className: 'label' }),
      h('span', { className: 'key' }),
      h('span', { className: 'chips' }),
    ]);
    this.element.append(element);
    return element;
  }

  private fill(element: HTMLElement, row: Row, index: number, summary: RunSummary): void {
    const node = describeNode(summary, row.ref);
    const labelText = this.words.text(node.label);
    const keyNumber = keyOf(summary, row.ref);
    const keyText = keyNumber ? this.words.text(keyNumber) : '';
    const place = this.tree!.siblingPosition(row.ref);
    const share = node.loss !== undefined && this.maxLoss > 0 ? Math.min(1, node.loss / this.maxLoss) : 0;
    // A redraw after a delta mostly finds the rows in view unchanged: their DOM is left alone.
    const shows = `${index}|${row.id}|${row.expanded}|${row.id === this.selectedId}|${place.position}/${place.size}|${labelText}|${keyText}|${node.findings.map((f) => f.id + f.verdict).join()}|${share.toFixed(3)}`;
    if (this.shown.get(element) === shows) return;
    this.shown.set(element, shows);
    const [bar, twisty, text, key, chips] = Array.from(element.children) as HTMLElement[];
    element.setAttribute('aria-posinset', String(place.position));
    element.setAttribute('aria-setsize', String(place.size));
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
    // A row drawn again with the same words keeps its key as it was until it is measured, so the key does not blink.
    if (text.textContent !== labelText || key.textContent !== keyText) key.hidden = true;
    text.textContent = labelText;
    key.textContent = keyText;
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

  /**
   * The view changed height (the details pane below grew as a node's numbers arrived): a
   * selected row that was in view stays in view.
   */
  private resized(): void {
    const height = this.element.clientHeight;
    const index = this.currentIndex();
    const before = this.viewport;
    this.viewport = height;
    if (index >= 0 && before > 0) {
      const rowTop = (index * ROW_HEIGHT) / this.scale(this.tree!.rowCount);
      const top = this.knownScrollTop;
      const wasInView = rowTop >= top && rowTop + ROW_HEIGHT <= top + before;
      if (wasInView && rowTop + ROW_HEIGHT > top + height) this.scrollToRow(index);
    }
    this.scheduleRender();
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
        if (row && !this.events.activate(row)) this.toggle(row);
        break;
      case ' ':
        if (row) this.toggle(row);
        break;
      default:
        if (!this.typeAhead(event)) return;
    }
    event.preventDefault();
  }

  /**
   * Type-ahead, as in VS Code's trees: letters and digits typed in quick succession select the
   * next row whose label starts with them. A long tree is searched for a moment per keystroke.
   */
  private typeAhead(event: KeyboardEvent): boolean {
    const { tree, summary } = this;
    if (!tree || !summary || event.ctrlKey || event.metaKey || event.altKey || !/^[\p{L}\p{N}]$/u.test(event.key)) return false;
    const now = performance.now();
    this.typed = { text: (now - this.typed.at < TYPE_AHEAD_RESET_MS ? this.typed.text : '') + event.key.toLowerCase(), at: now };
    const wanted = this.typed.text;
    const start = this.currentIndex();
    const rows = tree.rowCount;
    // A new word looks from the next row; a longer one may still match the current row.
    const from = wanted.length === 1 ? start + 1 : Math.max(start, 0);
    for (let k = 0; k < rows && performance.now() - now < TYPE_AHEAD_BUDGET_MS; k++) {
      const row = tree.rowAt((from + k) % rows)!;
      if (this.words.text(describeNode(summary, row.ref).label).toLowerCase().startsWith(wanted)) {
        this.select(row.id);
        break;
      }
    }
    return true;
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

/** A row's key number, and whether its label was found cut short. */
interface CutLabel {
  key: HTMLElement;
  cut: boolean;
}

/** The number a row must keep in view when its label is cut short: its loss, or its gradient norm. */
function keyOf(summary: RunSummary, ref: Row['ref']): Label | undefined {
  switch (ref.kind) {
    case 'point':
    case 'forward':
      return label('tree.key.loss', { value: rounded(summary.epochs[ref.epoch - 1].pointLoss[ref.position]) });
    case 'backward':
      return label('tree.key.norm', { value: rounded(summary.epochs[ref.epoch - 1].pointGradientNorm[ref.position]) });
    case 'update':
      return label('tree.key.norm', { value: rounded(summary.epochs[ref.epoch - 1].batchGradientNorm[ref.batch - 1]) });
    case 'epoch':
    case 'epochEnd': {
      const { loss } = summary.epochs[ref.epoch - 1];
      return loss === undefined ? undefined : label('tree.key.loss', { value: rounded(loss) });
    }
    default:
      return undefined;
  }
}
