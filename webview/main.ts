import { formatNumber } from '../src/core/outline/format';
import { describeNode, findingsInTree, treeCounts } from '../src/core/outline/outline';
import type { RunShape, RunSummary } from '../src/core/outline/summary';
import { unpackSummary } from '../src/core/run/packedSummary';
import { applySummaryDelta } from '../src/core/run/summaryDelta';
import { assertNever, type HostToWebview, type RenderReport, type RunInfo } from '../src/shared/protocol';
import { DetailSource, hasNumbers, renderNodeInfo } from './details';
import { h } from './dom';
import { Host, type PanelState } from './host';
import { HoverCard } from './hoverCard';
import { learnerOutline } from './learnerOutline';
import { lossChart } from './lossChart';
import { Toolbar } from './toolbar';
import { registerToolkit } from './toolkit';
import { ROW_HEIGHT, TreeView } from './tree/treeView';
import { VisibleTree, type Row } from './tree/visibleTree';

/**
 * The panel: a toolbar, the run's one-line description and loss curve, the tree, the
 * learner's outline (on demand), and a details pane for the selected node. All data arrives
 * from the host by message; UI state is saved with setState so a reload restores it.
 */
class PanelApp {
  private run: RunInfo | undefined;
  private summary: RunSummary | undefined;
  private problems: string[] | undefined;
  private error: string | undefined;
  private tree: VisibleTree | undefined;
  private state: PanelState;
  private readonly details: DetailSource;
  private readonly toolbar: Toolbar;
  private readonly treeView: TreeView;
  private readonly hover: HoverCard;
  private readonly heading = h('div', { className: 'heading' });
  private readonly message = h('div', { className: 'message', attrs: { role: 'status' } });
  private readonly outlineSlot = h('aside', { className: 'outline-slot' });
  private readonly pane = h('section', { className: 'details-pane', attrs: { 'aria-label': 'The selected step', 'aria-live': 'polite' } });
  private lastReport = '';
  private saveTimer = 0;
  private firstPointPending = false;
  /** A reload's selection and scroll, waiting for the rerun to reach them. */
  private restoring: { selected?: string; scrollTop: number } | undefined;
  /** What the details pane shows now (id, label and findings), to redraw it only on change. */
  private paneShows: string | undefined;
  /** When the heading (loss curve) was last drawn, for which run and status. */
  private headingDrawn: { at: number; summary?: RunSummary; status?: string } = { at: 0 };
  /** The run shape the learner's outline was drawn for (undefined: hidden). */
  private outlineShape: RunShape | undefined;

  constructor(private readonly host: Host, root: HTMLElement) {
    this.state = host.loadState() ?? { v: 1, expansion: { allExpanded: false, ids: [] }, onlyCorrections: false, showOutline: false, scrollTop: 0 };
    this.details = new DetailSource(host);
    this.hover = new HoverCard();
    this.toolbar = new Toolbar({
      run: () => host.post({ type: 'run' }),
      stop: () => host.post({ type: 'stop' }),
      openConfig: () => host.post({ type: 'openConfig' }),
      onlyCorrections: (on) => {
        this.state.onlyCorrections = on;
        if (this.tree) this.tree.onlyCorrections = on;
        this.refresh();
      },
      showOutline: (on) => {
        this.state.showOutline = on;
        this.refresh();
      },
      expandAll: () => {
        this.tree?.expandAll();
        this.refresh();
      },
      collapseAll: () => {
        this.tree?.collapseAll();
        this.refresh();
      },
    });
    this.treeView = new TreeView({
      select: (row) => this.showSelected(row),
      hover: (row, element) => this.showHover(row, element),
      toggled: () => this.refresh(),
    });
    this.treeView.element.addEventListener('scroll', () => this.saveStateSoon());
    this.outlineSlot.hidden = true;
    root.append(this.toolbar.element, this.heading, this.message, h('div', { className: 'body' }, [this.treeView.element, this.outlineSlot]), this.pane, this.hover.element);
    this.refresh();
  }

  receive(message: HostToWebview): void {
    switch (message.type) {
      case 'snapshot':
        this.showRun(message.run, message.summary && unpackSummary(message.summary), message.error);
        return;
      case 'delta': {
        if (!this.summary || !this.tree) return;
        applySummaryDelta(this.summary, message.delta);
        this.tree.applied(message.delta);
        this.openFirstPoint();
        this.error = message.error;
        this.refresh();
        return;
      }
      case 'problems':
        this.showProblems(message.run, message.problems);
        return;
      case 'detail':
        this.details.answer(message.requestId, message.detail, message.error);
        return;
      default:
        assertNever(message);
    }
  }

  private showRun(run: RunInfo | undefined, summary: RunSummary | undefined, error: string | undefined): void {
    const sameConfig = run?.file !== undefined && run.file === this.state.file;
    this.run = run;
    this.summary = summary;
    this.problems = undefined;
    this.error = error;
    this.details.reset();
    this.paneShows = undefined;
    this.tree = summary ? new VisibleTree(summary) : undefined;
    this.firstPointPending = false;
    if (this.tree && summary) {
      this.tree.onlyCorrections = this.state.onlyCorrections;
      if (sameConfig) this.tree.restoreExpansion(this.state.expansion);
      else this.openFirstSteps(this.tree);
    }
    // A panel revived after a reload may first be told of no run at all: keep what it remembers.
    if (run) this.state.file = run.file;
    this.restoring = sameConfig && (this.state.selected !== undefined || this.state.scrollTop > 0) ? { selected: this.state.selected, scrollTop: this.state.scrollTop } : undefined;
    this.treeView.setModel(this.tree, summary);
    this.refresh();
  }

  /**
   * After a reload the config runs again from the start: the remembered selection and scroll
   * are applied once the rerun has reached them (or has ended, whatever it reached).
   */
  private continueRestoring(): void {
    const restoring = this.restoring;
    if (!restoring || !this.tree || !this.summary) return;
    const ended = this.summary.status !== 'running';
    const reached = !restoring.selected || this.tree.indexOf(restoring.selected) >= 0;
    const tallEnough = this.tree.rowCount * ROW_HEIGHT >= restoring.scrollTop + this.treeView.element.clientHeight;
    if (!ended && !(reached && tallEnough)) return;
    this.restoring = undefined;
    // Selecting fills the details pane, which sizes the tree: scroll after it.
    if (restoring.selected) this.treeView.select(restoring.selected, false);
    this.treeView.scrollTop = restoring.scrollTop;
  }

  /**
   * A first look that mirrors the learner's outline: epoch 1, its first batch, its first point.
   * A point's id needs the epoch's order, so on a run just started it is opened when it arrives.
   */
  private openFirstSteps(tree: VisibleTree): void {
    tree.restoreExpansion({ allExpanded: false, ids: ['e1', 'e1/b1'] });
    this.firstPointPending = true;
    this.openFirstPoint();
  }

  private openFirstPoint(): void {
    if (!this.firstPointPending || !this.tree || !this.summary?.epochs[0]?.pointsDone) return;
    this.firstPointPending = false;
    this.tree.setExpanded({ kind: 'point', epoch: 1, batch: 1, position: 0 }, true);
  }

  private showProblems(run: RunInfo, problems: string[]): void {
    this.run = run;
    this.summary = undefined;
    this.tree = undefined;
    this.problems = problems;
    this.details.reset();
    this.paneShows = undefined;
    this.treeView.setModel(undefined, undefined);
    this.refresh();
  }

  /** Redraws everything from the current state, and tells the host what it drew. */
  private refresh(): void {
    const { summary, tree } = this;
    const findings = summary ? findingsInTree(summary) : { corrections: [], confirmations: [] };
    const status = this.problems ? 'problems' : summary ? summary.status : 'empty';
    this.toolbar.update({
      file: this.run?.name,
      status,
      progress: summary ? progressText(summary) : '',
      corrections: findings.corrections.length,
      onlyCorrections: this.state.onlyCorrections,
      showOutline: this.state.showOutline,
    });
    this.drawHeading(summary);
    this.message.replaceChildren(...this.messageContent());
    this.drawOutline(summary);
    this.treeView.element.hidden = !tree;
    this.pane.hidden = !tree;
    this.treeView.render();
    this.continueRestoring();
    const selected = this.treeView.selected === undefined || !tree ? -1 : tree.indexOf(this.treeView.selected);
    this.updatePane(selected >= 0 ? tree!.rowAt(selected) : undefined);
    this.saveStateSoon();
    this.report({
      file: this.run?.file,
      status,
      rows: tree?.rowCount ?? 0,
      nodes: summary ? treeCounts(summary) : { epoch: 0, batch: 0, point: 0, update: 0 },
      corrections: findings.corrections,
      confirmations: findings.confirmations,
    });
  }

  /** The loss curve walks every point's loss: while a run streams it is redrawn twice a second, not thirty times. */
  private drawHeading(summary: RunSummary | undefined): void {
    const now = performance.now();
    const same = summary === this.headingDrawn.summary && summary?.status === this.headingDrawn.status;
    if (summary?.status === 'running' && same && now - this.headingDrawn.at < 500) return;
    this.headingDrawn = { at: now, summary, status: summary?.status };
    this.heading.replaceChildren(...(summary ? [h('div', { className: 'loss-caption', text: lossCaption(summary) }), lossChart(summary)] : []));
  }

  /** The learner's outline depends only on the run's shape: drawn when it is toggled or the run changes. */
  private drawOutline(summary: RunSummary | undefined): void {
    const shape = this.state.showOutline ? summary?.shape : undefined;
    if (shape === this.outlineShape) return;
    this.outlineShape = shape;
    this.outlineSlot.hidden = !shape;
    this.outlineSlot.replaceChildren(...(shape ? [learnerOutline(shape)] : []));
  }

  private messageContent(): HTMLElement[] {
    if (this.problems) {
      return [
        h('h2', { text: `${this.run?.name ?? 'This config'} cannot run yet` }),
        h('ul', { className: 'problems' }, this.problems.map((p) => h('li', { text: p }))),
        h('p', { text: 'Each problem is also in the Problems panel, pointing at its place in the file.' }),
      ];
    }
    if (this.error) return [h('p', { className: 'error', text: this.error })];
    if (!this.summary) return [h('p', { text: 'Open a *.training.json config and run “Training Trace: Run Training Config” to see what training does, step by step.' })];
    return [];
  }

  private showSelected(row: Row | undefined): void {
    if (!this.restoring) {
      this.state.selected = row?.id;
      this.saveStateSoon();
    }
    this.paneShows = undefined;
    this.updatePane(row);
  }

  /** Draws the details pane for the selected row, again only when what it says has changed. */
  private updatePane(row: Row | undefined): void {
    if (!row || !this.summary) {
      if (this.paneShows !== '') this.pane.replaceChildren(h('p', { className: 'note', text: 'Select a step to see why it happens and its numbers.' }));
      this.paneShows = '';
      return;
    }
    const node = describeNode(this.summary, row.ref);
    const shows = `${node.id}\n${node.label}\n${node.findings.map((f) => f.text).join('\n')}`;
    if (shows === this.paneShows) return;
    this.paneShows = shows;
    this.pane.replaceChildren(renderNodeInfo(node, this.summary, this.details, this.host, true));
  }

  private showHover(row: Row | undefined, element: HTMLElement | undefined): void {
    if (!row || !element || !this.summary) {
      this.hover.hideSoon();
      return;
    }
    const node = describeNode(this.summary, row.ref);
    if (!hasNumbers(node) && node.findings.length === 0) {
      this.hover.hideSoon();
      return;
    }
    const summary = this.summary;
    this.hover.showFor(element, () => renderNodeInfo(node, summary, this.details, this.host, false));
  }

  private saveStateSoon(): void {
    if (this.saveTimer) return;
    this.saveTimer = window.setTimeout(() => {
      this.saveTimer = 0;
      if (this.tree) this.state.expansion = this.tree.expansionState();
      // While a restore waits for the rerun, the scroll is not yet the learner's.
      if (!this.restoring) this.state.scrollTop = this.treeView.scrollTop;
      this.host.saveState(this.state);
    }, 200);
  }

  /** Posts a render report when what it says has changed (tests and the extension API read it). */
  private report(report: RenderReport): void {
    const text = JSON.stringify(report);
    if (text === this.lastReport) return;
    this.lastReport = text;
    this.host.post({ type: 'rendered', report });
  }
}

/** "Mean loss per epoch: 0.7829 → 0.3102 → 0.2217" (the last few when there are many). */
function lossCaption(summary: RunSummary): string {
  const losses = summary.epochs.map((e) => e.loss).filter((l): l is number => l !== undefined);
  if (losses.length === 0) return 'Mean loss per epoch: none has ended yet';
  const shown = losses.length > 6 ? ['…', ...losses.slice(-5).map((l) => formatNumber(l))] : losses.map((l) => formatNumber(l));
  return `Mean loss per epoch: ${shown.join(' → ')}`;
}

function progressText(summary: RunSummary): string {
  const { epochs, batchCount } = summary.shape;
  const epoch = summary.epochs.length;
  const batches = summary.epochs[epoch - 1]?.batchesDone ?? 0;
  const where = `Epoch ${Math.max(epoch, 1)} of ${epochs} · batch ${batches} of ${batchCount}`;
  switch (summary.status) {
    case 'running':
      return where;
    case 'done':
      return `Done: ${epochs} epoch${epochs === 1 ? '' : 's'}`;
    case 'stopped':
      return `Stopped at ${where.toLowerCase()}`;
    case 'diverged':
      return `Diverged at ${where.toLowerCase()}`;
  }
}

registerToolkit();
const host = new Host();
const app = new PanelApp(host, document.getElementById('app')!);
host.listen((message) => app.receive(message));
host.post({ type: 'ready' });
