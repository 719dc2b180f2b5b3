import * as path from 'node:path';
import * as vscode from 'vscode';
import { NumbersUnavailable } from '../core/run/replay';
import { packSummary } from '../core/run/packedSummary';
import type { Problem } from '../core/validation/problems';
import { label, verbatim, type Label } from '../core/words/label';
import type { Words } from '../core/words/words';
import { assertNever, type HostToWebview, type PanelReport, type RunInfo } from '../shared/protocol';
import { acceptPanelMessage } from './panelMessages';
import { panelHtml } from './html';
import { DeltaStream } from './deltaStream';
import type { RunSession } from './runSession';
import { toWire } from './wireDetail';

export const PANEL_VIEW_TYPE = 'trainingTrace.panel';

/** What the panel asks of the extension: the toolbar's run and stop. */
export interface PanelActions {
  run(file: string): void;
  stop(): void;
}

/** What the panel shows: a run, a config that could not run, one not run again after a reload (and why), or nothing yet. */
type Content = { kind: 'session'; session: RunSession } | { kind: 'problems'; run: RunInfo; problems: Problem[] } | { kind: 'notRun'; run: RunInfo; reason: Label } | { kind: 'empty' };

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
  /** `describe` requests waiting for the webview's answer. */
  private readonly descriptions = new Map<number, (report: PanelReport | undefined) => void>();
  private nextDescription = 1;

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
    const run = this.runInfo();
    this.panel.title = this.words.text(run ? label('host.panelTitle.run', { name: run.name }) : label('host.panelTitle'));
    if (content.kind === 'session') {
      const { session } = content;
      const deltas = new DeltaStream(session.summary, (delta) => this.post({ type: 'delta', delta, error: session.error }));
      this.deltas = deltas;
      // A webview that is not ready gets everything in the snapshot that answers its `ready`.
      this.sessionListener = session.onDidChange(() => this.ready && deltas.changed());
    }
    this.sendSnapshot();
  }

  /**
   * What the panel shows now, as the webview reports it: undefined when it does not answer in
   * time (a hidden panel answers once it is shown again).
   */
  describe(): Promise<PanelReport | undefined> {
    const requestId = this.nextDescription++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => answer(undefined), DESCRIBE_TIMEOUT_MS);
      const answer = (report: PanelReport | undefined) => {
        clearTimeout(timer);
        this.descriptions.delete(requestId);
        resolve(report);
      };
      this.descriptions.set(requestId, answer);
      this.post({ type: 'describe', requestId });
    });
  }

  reveal(): void {
    this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
  }

  private receive(raw: unknown): void {
    const message = acceptPanelMessage(raw, (text) => console.warn(text));
    if (!message) return;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendSnapshot();
        for (const requestId of this.descriptions.keys()) this.post({ type: 'describe', requestId });
        return;
      case 'requestDetail':
        void this.answerDetail(message.requestId, message.nodeId, message.hover === true);
        return;
      case 'copyDetail':
        void this.copyDetail(message.nodeId);
        return;
      case 'run': {
        const run = this.runInfo();
        if (run) this.actions.run(run.file);
        return;
      }
      case 'stop':
        this.actions.stop();
        return;
      case 'openConfig': {
        const run = this.runInfo();
        // The config may have been deleted or renamed since: say so rather than fail silently.
        if (run) {
          vscode.window.showTextDocument(vscode.Uri.file(run.file), { viewColumn: vscode.ViewColumn.One }).then(undefined, (error: unknown) => {
            void vscode.window.showWarningMessage(this.words.text(label('host.openFailed', { file: run.file, why: whyNot(error) })));
          });
        }
        return;
      }
      case 'described':
        this.descriptions.get(message.requestId)?.(message.report);
        return;
      default:
        assertNever(message);
    }
  }

  private runInfo(): RunInfo | undefined {
    switch (this.content.kind) {
      case 'session':
        return { file: this.content.session.file, name: path.basename(this.content.session.file) };
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
    this.post({ type: 'snapshot', run: this.runInfo(), summary: session && packSummary(session.summary), error: session?.error });
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
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/** Why a node's numbers could not be had, for the learner. */
function whyNot(error: unknown): Label {
  if (error instanceof NumbersUnavailable) return error.label;
  return verbatim(error instanceof Error ? error.message : String(error));
}

/** Scripts on, and only the panel's own files readable: its bundle and its stylesheet folder. */
function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
