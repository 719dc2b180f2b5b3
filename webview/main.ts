import { findingsInTree, isSgd } from '../src/core/outline/corrections';
import { loopNotice } from './loopNotice';
import { describeNode } from '../src/core/outline/describe';
import { placedKind } from '../src/core/load/places';
import { nodeId, parentOf, refFromId, treeCounts, type NodeRef } from '../src/core/outline/tree';
import { isDetailRef } from '../src/core/run/detail';
import { unpackSummary } from '../src/core/run/packedSummary';
import type { RunShape, RunSummary } from '../src/core/run/summary';
import { applySummaryDelta } from '../src/core/run/summaryDelta';
import { formatProblem, type Problem } from '../src/core/validation/problems';
import { counted, label, list, rounded, type Label } from '../src/core/words/label';
import { wordsFor } from '../src/core/words/words';
import { INITIAL_PANEL_STATE, type PanelState } from '../src/shared/panelState';
import { assertNever, MAX_SHARED_ROWS, type HostToWebview, type PanelReport, type RunInfo } from '../src/shared/protocol';
import { Channel } from './channel';
import { DetailSource, renderNodeInfo } from './details';
import { h } from './dom';
import { HoverCard } from './hoverCard';
import { learnerOutline } from './learnerOutline';
import { CompareView } from './compare/compareView';
import { NetworkView } from './network/networkView';
import { PanelWords } from './panelWords';
import { Player } from './player/player';
import { PlotsView } from './plots/plotsView';
import { Toolbar } from './toolbar';
import { Sash } from './sash';
import { registerToolkit } from './toolkit';
import { ROW_HEIGHT, TreeView } from './tree/treeView';
import { VisibleTree, type Row } from './tree/visibleTree';
import { Views, type ViewName } from './views';

/**
 * The panel: a toolbar, the run's one-line description, the views (tree, network, player, plots,
 * comparison), the learner's outline (on demand), and a details pane for the selected node. All data arrives
 * from the host by message; UI state is saved with setState so a reload restores it.
 */
class PanelApp {
  private run: RunInfo | undefined;
  private summary: RunSummary | undefined;
  private problems: Problem[] | undefined;
  /** Why the config shown was not run (again) after a window reload. */
  private notRun: Label | undefined;
  private error: Label | undefined;
  private tree: VisibleTree | undefined;
  private state: PanelState;
  private readonly details: DetailSource;
  private readonly toolbar: Toolbar;
  private readonly treeView: TreeView;
  private readonly hover: HoverCard;
  private readonly network: NetworkView;
  private readonly player: Player;
  private readonly views: Views;
  private readonly plots: PlotsView;
  private readonly compare: CompareView;
  private readonly heading = h('div', { className: 'heading' });
  private readonly message = h('div', { className: 'message', attrs: { role: 'status' } });
  private readonly outlineSlot = h('aside', { className: 'outline-slot' });
  private readonly pane: HTMLElement;
  private readonly detailsSash: Sash;
  private saveTimer = 0;
  private firstPointPending = false;
  /** A reload's selection and scroll, waiting for the rerun to reach them. */
  private restoring: { selected?: string; scrollTop: number } | undefined;
  /** What the details pane shows now (id, label and findings), to redraw it only on change. */
  private paneShows: string | undefined;
  /** When the heading and the plots were last drawn, for which run and status. */
  private headingDrawn: { at: number; summary?: RunSummary; status?: string } = { at: 0 };
  /** The run shape the learner's outline was drawn for (undefined: hidden). */
  private outlineKey: { shape: RunShape; sgd: boolean } | undefined;
  /** Whether the host has been told that a backward step was hovered (once is enough). */
  private saidHoveredBackward = false;

  constructor(
    private readonly channel: Channel,
    root: HTMLElement,
    private readonly words: PanelWords,
  ) {
    this.state = channel.loadState() ?? structuredClone(INITIAL_PANEL_STATE);
    this.details = new DetailSource(channel);
    this.hover = new HoverCard();
    this.pane = words.labelled(h('section', { className: 'details-pane', attrs: { 'aria-live': 'polite' } }), { 'aria-label': label('panel.pane') });
    this.toolbar = new Toolbar({
      run: () => channel.post({ type: 'run' }),
      stop: () => channel.post({ type: 'stop' }),
      openConfig: () => channel.post({ type: 'openConfig' }),
      saveTrace: () => channel.post({ type: 'saveTrace' }),
      exportHtml: () => channel.post({ type: 'exportHtml' }),
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
    }, words);
    this.treeView = new TreeView({
      select: (row) => this.showSelected(row),
      hover: (row, element) => this.showHover(row, element),
      toggled: () => this.refresh(),
      activate: (row) => this.revealInEditor(row),
    }, words);
    // After the tree's own listener: the card is placed once the scrolled rows have moved.
    this.treeView.element.addEventListener('scroll', () => {
      this.hover.placeSoon();
      this.saveStateSoon();
    });
    this.outlineSlot.hidden = true;
    this.network = new NetworkView(words);
    this.player = new Player({ summary: () => this.summary, goTo: (ref) => this.selectRef(ref) }, words);
    this.plots = new PlotsView(words, (ref) => this.selectRef(ref));
    this.compare = new CompareView(words, () => {
      channel.post({ type: 'compare' });
      this.compare.show(undefined, undefined);
    });
    this.views = new Views(words, { network: this.network.element, plots: this.plots.element, compare: this.compare.element }, (name) => this.viewShown(name));
    document.addEventListener('keydown', (event) => this.onKey(event));
    const openView = () => this.views.element.querySelector<HTMLElement>('.view:not([hidden])') ?? this.views.element;
    const picturesSash = new Sash(root, '--pictures-height', openView, false);
    this.detailsSash = new Sash(root, '--details-height', () => this.pane, true);
    words.labelled(picturesSash.element, { 'aria-label': label('panel.sash.pictures') });
    words.labelled(this.detailsSash.element, { 'aria-label': label('panel.sash.details') });
    words.labelled(this.treeView.element, { 'aria-label': label('panel.tree') });
    root.append(this.toolbar.element, this.heading, this.message, this.player.element, this.player.questionBox, this.views.element, picturesSash.element, h('div', { className: 'body' }, [this.treeView.element, this.outlineSlot]), this.detailsSash.element, this.pane, this.hover.element);
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
      case 'notRun':
        this.showProblems(message.run, undefined, message.reason);
        return;
      case 'detail':
        this.details.answer(message.requestId, message.detail, message.error);
        return;
      case 'describe':
        this.channel.post({ type: 'described', requestId: message.requestId, report: this.describe() });
        return;
      case 'shareView': {
        // The rows as they are shown, for an export: the host words them again and adds their numbers.
        const count = this.tree?.rowCount ?? 0;
        const ids = Array.from({ length: Math.min(count, MAX_SHARED_ROWS) }, (_, i) => this.tree!.rowAt(i)!.id);
        this.channel.post({ type: 'sharedView', requestId: message.requestId, ids, more: count - ids.length });
        return;
      }
      case 'comparison':
        this.compare.show(message.comparison, message.error);
        this.views.show('compare');
        return;
      case 'words':
        this.words.use(wordsFor(message.language, message.bundle, { significantDigits: message.significantDigits }), message.significantDigits);
        this.redrawAll();
        return;
      case 'select': {
        const ref = this.summary && refFromId(this.summary, message.nodeId);
        if (ref) this.selectRef(ref);
        return;
      }
      default:
        assertNever(message);
    }
  }

  private showRun(run: RunInfo | undefined, summary: RunSummary | undefined, error: Label | undefined): void {
    const sameConfig = run?.file !== undefined && run.file === this.state.file;
    this.run = run;
    this.summary = summary;
    this.problems = undefined;
    this.notRun = undefined;
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
    this.network.setShape(summary?.shape);
    this.plots.setSummary(summary);
    this.player.reset();
    this.refresh();
  }

  /**
   * Selects a node and shows it in the tree, opening its parents (and lifting the filter if it
   * hides the node): the player moved, a plot's point was picked, or the host names a data row's node.
   */
  private selectRef(ref: NodeRef): void {
    const { tree, summary } = this;
    if (!tree || !summary) return;
    for (let parent = parentOf(ref); parent.kind !== 'root'; parent = parentOf(parent)) tree.setExpanded(parent, true);
    const id = nodeId(summary, ref);
    if (tree.indexOf(id) < 0 && this.state.onlyCorrections) {
      this.state.onlyCorrections = false;
      tree.onlyCorrections = false;
      this.refresh();
    }
    // Selecting draws the tree (its new rows too) and, through showSelected, the pane, the network
    // and the player: a whole refresh would draw the tree a second time for every step played.
    this.treeView.select(id);
    this.hover.placeSoon();
  }

  /** The player's keys work wherever the focus is, but in a field that takes text. */
  private onKey(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if ((event.target as HTMLElement).closest('input, select, textarea')) return;
    if (this.player.onKey(event)) event.preventDefault();
  }

  private viewShown(name: ViewName): void {
    if (name === 'network') this.drawNetwork(this.selectedRow());
    if (name === 'plots') this.plots.draw();
    if (name === 'compare') this.compare.draw();
  }

  private selectedRow(): Row | undefined {
    const index = this.treeView.selected === undefined || !this.tree ? -1 : this.tree.indexOf(this.treeView.selected);
    return index >= 0 ? this.tree!.rowAt(index) : undefined;
  }

  /** The network follows the selection; its numbers come from the same cache as the pane's. */
  private drawNetwork(row: Row | undefined): void {
    if (!row || this.views.visible !== 'network') return;
    if (!isDetailRef(row.ref)) {
      this.network.show(row.id, undefined);
      return;
    }
    this.details.get(row.id).then(
      (detail) => this.network.show(row.id, detail),
      () => this.network.show(row.id, undefined),
    );
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
    const tallEnough = this.tree.rowCount * ROW_HEIGHT >= restoring.scrollTop + this.treeView.viewportHeight;
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

  /** A config that did not run: its problems, or why it was not run again. */
  private showProblems(run: RunInfo, problems: Problem[] | undefined, notRun?: Label): void {
    this.run = run;
    this.summary = undefined;
    this.tree = undefined;
    this.problems = problems;
    this.notRun = notRun;
    this.details.reset();
    this.paneShows = undefined;
    this.treeView.setModel(undefined, undefined);
    this.refresh();
  }

  /** Redraws everything from the current state. */
  private refresh(): void {
    const { summary, tree } = this;
    const findings = summary ? findingsInTree(summary) : { corrections: [], confirmations: [] };
    this.toolbar.update({
      file: this.run?.name,
      canRun: this.run?.kind !== 'trace',
      status: this.status(),
      progress: summary ? this.words.text(progressText(summary)) : '',
      corrections: findings.corrections.length,
      onlyCorrections: this.state.onlyCorrections,
      showOutline: this.state.showOutline,
    });
    this.drawHeading(summary);
    this.message.replaceChildren(...this.messageContent());
    this.drawOutline(summary);
    this.treeView.element.hidden = !tree;
    this.pane.hidden = !tree;
    this.detailsSash.element.hidden = !tree;
    this.treeView.render();
    this.continueRestoring();
    this.updatePane(this.selectedRow());
    this.player.refresh();
    // Rows above the hovered one may have opened or closed: its card follows it.
    this.hover.placeSoon();
    this.saveStateSoon();
  }

  private status(): PanelReport['status'] {
    return this.problems ? 'problems' : this.notRun ? 'notRun' : this.summary ? this.summary.status : 'empty';
  }

  /** What the panel shows now, for whoever asks (the extension's API). */
  private describe(): PanelReport {
    const { summary, tree } = this;
    const findings = summary ? findingsInTree(summary) : { corrections: [], confirmations: [] };
    return {
      file: this.run?.file,
      status: this.status(),
      rows: tree?.rowCount ?? 0,
      nodes: summary ? treeCounts(summary) : { epoch: 0, batch: 0, point: 0, update: 0 },
      corrections: findings.corrections,
      confirmations: findings.confirmations,
      selected: this.treeView.selected,
      significantDigits: this.words.significantDigits,
      comparison: this.compare.report(),
    };
  }

  /** Everything drawn again, in words that may have changed. */
  private redrawAll(): void {
    this.paneShows = undefined;
    this.headingDrawn = { at: 0 };
    this.outlineKey = undefined;
    this.network.setShape(this.summary?.shape);
    this.compare.redraw();
    this.refresh();
    this.drawNetwork(this.selectedRow());
  }

  /** Enter or a double-click on a node that comes from a place in the files: the host shows that place. */
  private revealInEditor(row: Row): boolean {
    if (!placedKind(row.ref.kind)) return false;
    this.channel.post({ type: 'reveal', nodeId: row.id });
    return true;
  }

  /** The plots walk every point's loss: while a run streams they are redrawn twice a second, not thirty times. */
  private drawHeading(summary: RunSummary | undefined): void {
    const now = performance.now();
    const same = summary === this.headingDrawn.summary && summary?.status === this.headingDrawn.status;
    // The same run: redrawn at most twice a second while it runs, and not at all once it has ended (a new word or digit resets `headingDrawn`).
    if (same && (summary?.status !== 'running' || now - this.headingDrawn.at < 500)) return;
    this.headingDrawn = { at: now, summary, status: summary?.status };
    const caption = summary ? [h('div', { className: 'loss-caption', text: this.words.text(lossCaption(summary)) })] : [];
    this.heading.replaceChildren(...caption, ...(summary ? loopNotice(summary, this.words, (ref) => this.selectRef(ref)) : []));
    if (this.views.visible === 'plots') this.plots.draw();
  }

  /**
   * The learner's outline depends on the run's shape and on whether its weights change after
   * every point (a recorded loop shows that as it goes): drawn when it is toggled or either changes.
   */
  private drawOutline(summary: RunSummary | undefined): void {
    const shown = this.state.showOutline ? summary : undefined;
    const key = shown && { shape: shown.shape, sgd: isSgd(shown) };
    if (key?.shape === this.outlineKey?.shape && key?.sgd === this.outlineKey?.sgd) return;
    this.outlineKey = key;
    this.outlineSlot.hidden = !shown;
    this.outlineSlot.replaceChildren(...(shown ? [learnerOutline(shown, this.words)] : []));
  }

  private messageContent(): HTMLElement[] {
    const say = (l: Label) => this.words.text(l);
    if (this.problems) {
      return [
        h('h2', { text: say(!this.run ? label('panel.cannotRun.unnamed') : this.run.kind === 'trace' ? label('panel.cannotOpen', { name: this.run.name }) : label('panel.cannotRun', { name: this.run.name })) }),
        h('ul', { className: 'problems' }, this.problems.map((p) => h('li', { text: formatProblem(p, this.words) }))),
        h('p', { text: say(label('panel.problemsPanel')) }),
      ];
    }
    if (this.notRun && this.run) return [h('h2', { text: say(label('panel.notRun', { name: this.run.name })) }), h('p', { text: say(this.notRun) })];
    if (this.error) return [h('p', { className: 'error', text: say(this.error) })];
    if (!this.summary) return [h('p', { text: say(label('panel.empty')) })];
    return [];
  }

  private showSelected(row: Row | undefined): void {
    if (!this.restoring) {
      this.state.selected = row?.id;
      this.saveStateSoon();
    }
    this.paneShows = undefined;
    this.updatePane(row);
    this.player.follow(row?.ref);
    this.drawNetwork(row);
  }

  /** Draws the details pane for the selected row, again only when what it says has changed. */
  private updatePane(row: Row | undefined): void {
    if (!row || !this.summary) {
      if (this.paneShows !== '') this.pane.replaceChildren(h('p', { className: 'note', text: this.words.text(label('panel.selectStep')) }));
      this.paneShows = '';
      return;
    }
    const node = describeNode(this.summary, row.ref);
    const shows = JSON.stringify([node.id, node.label, node.findings]);
    if (shows === this.paneShows) return;
    this.paneShows = shows;
    this.pane.replaceChildren(renderNodeInfo(node, this.summary, this.details, this.channel, true, this.words));
  }

  private showHover(row: Row | undefined, element: HTMLElement | undefined): void {
    if (!row || !element || !this.summary) {
      this.hover.hideSoon();
      return;
    }
    const node = describeNode(this.summary, row.ref);
    if (node.ref.kind === 'backward' && !this.saidHoveredBackward) {
      this.saidHoveredBackward = true;
      this.channel.post({ type: 'hoveredBackward' });
    }
    if (!isDetailRef(node.ref) && node.findings.length === 0) {
      this.hover.hideSoon();
      return;
    }
    const summary = this.summary;
    this.hover.showFor(element, () => renderNodeInfo(node, summary, this.details, this.channel, false, this.words));
  }

  private saveStateSoon(): void {
    if (this.saveTimer) return;
    this.saveTimer = window.setTimeout(() => {
      this.saveTimer = 0;
      if (this.tree) this.state.expansion = this.tree.expansionState();
      // While a restore waits for the rerun, the scroll is not yet the learner's.
      if (!this.restoring) this.state.scrollTop = this.treeView.scrollTop;
      this.channel.saveState(this.state);
    }, 200);
  }
}

/** "Mean loss per epoch: 0.7829 → 0.3102 → 0.2217" (the last few when there are many): read from the end, whatever the run's length. */
function lossCaption(summary: RunSummary): Label {
  const last: number[] = [];
  let ended = 0;
  for (let e = summary.epochs.length - 1; e >= 0; e--) {
    const { loss } = summary.epochs[e];
    if (loss === undefined) continue;
    // Epochs end in order, and only the last can be without a loss: all before it have one.
    ended = e + 1;
    for (let k = e; k >= 0 && last.length < 6; k--) last.unshift(summary.epochs[k].loss!);
    break;
  }
  if (ended === 0) return label('panel.lossCaption.none');
  const shown = ended > 6 ? ['…', ...last.slice(-5).map(rounded)] : last.map(rounded);
  return label('panel.lossCaption', { losses: list(shown, 'arrow') });
}

function progressText(summary: RunSummary): Label {
  const { epochs } = summary.shape;
  const epoch = summary.epochs.length;
  const where = { epoch: Math.max(epoch, 1), epochs, batch: summary.epochs[epoch - 1]?.batchesDone ?? 0, batches: summary.shape.schedule.batchCount };
  switch (summary.status) {
    case 'running':
      return label('panel.progress.running', where);
    case 'done':
      return label('panel.progress.done', { epochs: counted(epochs, 'epoch') });
    case 'stopped':
      return label('panel.progress.stopped', where);
    case 'diverged':
      return label('panel.progress.diverged', where);
  }
}

registerToolkit();
const channel = new Channel();
const app = new PanelApp(channel, document.getElementById('app')!, new PanelWords());
channel.listen((message) => app.receive(message));
channel.post({ type: 'ready' });
