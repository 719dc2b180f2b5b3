import * as path from 'node:path';
import * as vscode from 'vscode';
import { NumbersUnavailable } from '../core/run/replay';
import { packSummary } from '../core/run/packedSummary';
import { TraceChanged } from '../core/traceFile/traceDetails';
import type { Problem } from '../core/validation/problems';
import { label, verbatim, type Label } from '../core/words/label';
import type { Words } from '../core/words/words';
import { assertNever, type HostToWebview, type PanelReport, type RunInfo } from '../shared/protocol';
import { acceptPanelMessage } from './panelMessages';
import { panelHtml } from './html';
import { onDidChangeSetting, SIGNIFICANT_DIGITS } from './settings';
import { panelWords } from './words';
import { DeltaStream } from './deltaStream';
import type { PanelSession } from './session';
import { toWire } from './wireDetail';

export const PANEL_VIEW_TYPE = 'trainingTrace.panel';

/** What the panel asks of the extension: the toolbar's run and stop, a comparison of batch sizes, save and export, and what the learner did in it. */
export interface PanelActions {
  run(file: string): void;
  stop(): void;
  compare(file: string): void;
  saveTrace(panel: TrainingPanel): void;
  exportHtml(panel: TrainingPanel): void;
  /** Show where a node comes from in the files. */
  reveal(nodeId: string): void;
  /** A backward step was hovered. */
  hoveredBackward(): void;
}

/** What the panel shows: a run (trained, or read from a trace), a file that could not be shown, a config not run again after a reload (and why), or nothing yet. */
type Content = { kind: 'session'; session: PanelSession } | { kind: 'problems'; run: RunInfo; problems: Problem[] } | { kind: 'notRun'; run: RunInfo; reason: Label } | { kind: 'empty' };

/** How long the panel has to say what it shows. */
const DESCRIBE_TIMEOUT_MS = 10_000;
/** How long a node's numbers may take to recompute: a hover card's, and the selected node's. */
const HOVER_DETAIL_LIMIT_MS = 10_000;
const PANE_DETAIL_LIMIT_MS = 60_000;

/**
 * The webview panel beside the editor. It follows the ready → snapshot → deltas handshake,
 * sends deltas only to a visible, ready webview and never more often than ~30 a second, and
 * answers detail requests from the run's replay.
 */
export class TrainingPanel implements vscode.Disposable {
  private content: Content = { kind: 'empty' };
  private ready = false;
  private disposed = false;
  private deltas: DeltaStream | undefined;
  private sessionListener: { dispose(): void } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly showEmitter = new vscode.EventEmitter<void>();
  /** Fires when the panel is given something new to show (a run, or a file's problems). */
  readonly onDidShow = this.showEmitter.event;
  /** `describe` and `shareView` requests waiting for the webview's answer, by request id. */
  private readonly descriptions = new Map<number, (report: PanelReport | undefined) => void>();
  private readonly views = new Map<number, (view: SharedView | undefined) => void>();
  private nextRequest = 1;
  /** The last comparison sent, sent again to a webview that comes back. */
  private comparison: Extract<HostToWebview, { type: 'comparison' }> | undefined;
  /** A node asked to be selected while the webview was hidden: selected once it is back. */
  private selecting: string | undefined;

  /** Opens a new panel in the column beside the active editor, leaving the focus in the editor. */
  static create(extensionUri: vscode.Uri, actions: PanelActions, words: Words): TrainingPanel {
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, words.text(label('host.panelTitle')), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
    return new TrainingPanel(panel, extensionUri, actions, words);
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly actions: PanelActions,
    private readonly words: Words,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    panel.webview.html = panelHtml(panel.webview, extensionUri);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        // A hidden webview is discarded (no retainContextWhenHidden); it posts `ready` when shown again.
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
      onDidChangeSetting(SIGNIFICANT_DIGITS, () => this.post(panelWords())),
    );
  }

  /** Whether the panel shows a run (the last good trace stays when a config with problems is run). */
  get showsRun(): boolean {
    return this.content.kind === 'session';
  }

  /** Shows a run (streaming as it goes), or a config's problems, in place of what was shown. */
  show(content: Content): void {
    this.sessionListener?.dispose();
    this.deltas?.dispose();
    this.sessionListener = this.deltas = undefined;
    this.content = content;
    this.selecting = undefined;
    const run = this.run;
    this.panel.title = this.words.text(run ? label('host.panelTitle.run', { name: run.name }) : label('host.panelTitle'));
    if (content.kind === 'session') {
      const { session } = content;
      const deltas = new DeltaStream(session.summary, (delta) => this.post({ type: 'delta', delta, error: session.error }));
      this.deltas = deltas;
      // A webview that is not ready gets everything in the snapshot that answers its `ready`.
      this.sessionListener = session.onDidChange(() => this.ready && deltas.changed());
    }
    this.sendSnapshot();
    this.showEmitter.fire();
  }

  /**
   * What the panel shows now, as the webview reports it: undefined when it does not answer in
   * time (a hidden panel answers once it is shown again).
   */
  describe(): Promise<PanelReport | undefined> {
    return this.ask(this.descriptions, (requestId) => ({ type: 'describe', requestId }));
  }

  /** The rows the panel shows now (expanded, filtered), as the webview reports them, for an export. */
  sharedView(): Promise<SharedView | undefined> {
    return this.ask(this.views, (requestId) => ({ type: 'shareView', requestId }));
  }

  /** The run shown, if any. */
  get session(): PanelSession | undefined {
    return this.content.kind === 'session' ? this.content.session : undefined;
  }

  /** Asks the webview a question; its answer arrives through `pending`, or undefined after the timeout. */
  private ask<T>(pending: Map<number, (answer: T | undefined) => void>, question: (requestId: number) => HostToWebview): Promise<T | undefined> {
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => answer(undefined), DESCRIBE_TIMEOUT_MS);
      const answer = (value: T | undefined) => {
        clearTimeout(timer);
        pending.delete(requestId);
        resolve(value);
      };
      pending.set(requestId, answer);
      this.post(question(requestId));
    });
  }

  /** A comparison's progress or result, shown in the panel's Compare view. */
  showComparison(message: Omit<Extract<HostToWebview, { type: 'comparison' }>, 'type'>): void {
    this.comparison = { type: 'comparison', ...message };
    this.post(this.comparison);
  }

  reveal(): void {
    this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
  }

  /** Selects a node in the tree (shown, but the focus left where it is); a hidden panel selects it once it is back. */
  select(nodeId: string): void {
    this.reveal();
    if (this.ready) this.post({ type: 'select', nodeId });
    else this.selecting = nodeId;
  }

  private receive(raw: unknown): void {
    const message = acceptPanelMessage(raw, (text) => console.warn(text));
    if (!message) return;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post(panelWords());
        this.sendSnapshot();
        if (this.selecting) this.post({ type: 'select', nodeId: this.selecting });
        this.selecting = undefined;
        for (const requestId of this.descriptions.keys()) this.post({ type: 'describe', requestId });
        for (const requestId of this.views.keys()) this.post({ type: 'shareView', requestId });
        return;
      case 'requestDetail':
        void this.answerDetail(message.requestId, message.nodeId, message.hover === true);
        return;
      case 'copyDetail':
        void this.copyDetail(message.nodeId);
        return;
      case 'run': {
        const run = this.run;
        if (run) this.actions.run(run.file);
        return;
      }
      case 'stop':
        this.actions.stop();
        return;
      case 'openConfig': {
        const run = this.run;
        // A trace opens as text: its own editor is this panel. The file may have been deleted or renamed since: say so rather than fail silently.
        const opened = run?.kind === 'trace' ? vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(run.file), 'default', vscode.ViewColumn.Beside) : run && vscode.window.showTextDocument(vscode.Uri.file(run.file), { viewColumn: vscode.ViewColumn.One });
        opened?.then(undefined, (error: unknown) => {
          void vscode.window.showWarningMessage(this.words.text(label('host.openFailed', { file: run!.file, why: whyNot(error) })));
        });
        return;
      }
      case 'described':
        this.descriptions.get(message.requestId)?.(message.report);
        return;
      case 'saveTrace':
        this.actions.saveTrace(this);
        return;
      case 'exportHtml':
        this.actions.exportHtml(this);
        return;
      case 'sharedView':
        this.views.get(message.requestId)?.({ ids: message.ids, more: message.more });
        return;
      case 'compare': {
        const run = this.run;
        if (run) this.actions.compare(run.file);
        return;
      }
      case 'reveal':
        this.actions.reveal(message.nodeId);
        return;
      case 'hoveredBackward':
        this.actions.hoveredBackward();
        return;
      default:
        assertNever(message);
    }
  }

  /** The file the panel shows a run of, or the problems of. */
  get run(): RunInfo | undefined {
    switch (this.content.kind) {
      case 'session': {
        const { kind, file } = this.content.session;
        return { kind, file, name: path.basename(file) };
      }
      case 'problems':
      case 'notRun':
        return this.content.run;
      case 'empty':
        return undefined;
    }
  }

  private post(message: HostToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private sendSnapshot(): void {
    if (!this.ready) return;
    const { content } = this;
    if (content.kind === 'problems') {
      this.post({ type: 'problems', run: content.run, problems: content.problems });
      return;
    }
    if (content.kind === 'notRun') {
      this.post({ type: 'notRun', run: content.run, reason: content.reason });
      return;
    }
    const session = content.kind === 'session' ? content.session : undefined;
    this.deltas?.caughtUp();
    this.post({ type: 'snapshot', run: this.run, summary: session && packSummary(session.summary), error: session?.error });
    if (this.comparison) this.post(this.comparison);
  }

  /** A hover's request may be cancelled by a newer hover's; both have a time limit, and say when they run past it. */
  private async answerDetail(requestId: number, nodeId: string, hover: boolean): Promise<void> {
    if (this.content.kind !== 'session') {
      this.post({ type: 'detail', requestId, nodeId, error: label('detail.noRun') });
      return;
    }
    try {
      const detail = await this.content.session.detail(nodeId, { cancellable: hover, limitMs: hover ? HOVER_DETAIL_LIMIT_MS : PANE_DETAIL_LIMIT_MS });
      this.post({ type: 'detail', requestId, nodeId, detail: detail && toWire(detail) });
    } catch (error) {
      this.post({ type: 'detail', requestId, nodeId, error: whyNot(error) });
    }
  }

  /** Copies every number of a node, at full precision (JSON keeps the shortest exact decimals). */
  private async copyDetail(nodeId: string): Promise<void> {
    try {
      const detail = this.content.kind === 'session' ? await this.content.session.detail(nodeId) : undefined;
      if (!detail) return;
      await vscode.env.clipboard.writeText(JSON.stringify({ node: nodeId, ...detail }, null, 2));
      void vscode.window.setStatusBarMessage(this.words.text(label('host.copied', { node: nodeId })), 3000);
    } catch (error) {
      void vscode.window.showWarningMessage(this.words.text(label('host.copyFailed', { node: nodeId, why: whyNot(error) })));
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.deltas?.dispose();
    this.sessionListener?.dispose();
    for (const answer of [...this.descriptions.values()]) answer(undefined);
    for (const answer of [...this.views.values()]) answer(undefined);
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.showEmitter.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/** What the panel shows, as an export takes it: the rows' ids in order, and how many rows were left out. */
export interface SharedView {
  ids: string[];
  more: number;
}

/** Why a node's numbers could not be had, for the learner. */
function whyNot(error: unknown): Label {
  if (error instanceof NumbersUnavailable || error instanceof TraceChanged) return error.label;
  return verbatim(error instanceof Error ? error.message : String(error));
}

/** Scripts on, and only the panel's own files readable: its bundle and its stylesheet folder. */
function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
