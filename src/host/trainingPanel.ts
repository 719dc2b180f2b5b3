import * as path from 'node:path';
import * as vscode from 'vscode';
import { packSummary } from '../core/run/packedSummary';
import { assertNever, isWebviewToHost, type HostToWebview, type RenderReport, type RunInfo, type WebviewToHost } from '../shared/protocol';
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

/** What the panel shows: a run, a config that could not run, or nothing yet. */
type Content = { kind: 'session'; session: RunSession } | { kind: 'problems'; run: RunInfo; problems: string[] } | { kind: 'empty' };

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
  private readonly renderEmitter = new vscode.EventEmitter<RenderReport>();
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires each time the webview reports a render. */
  readonly onDidRender = this.renderEmitter.event;
  readonly onDidDispose = this.disposeEmitter.event;
  lastRender: RenderReport | undefined;

  /** Opens a new panel in the column beside the active editor, leaving the focus in the editor. */
  static create(extensionUri: vscode.Uri, actions: PanelActions): TrainingPanel {
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Training Trace', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
    return new TrainingPanel(panel, extensionUri, actions);
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly actions: PanelActions,
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
      this.renderEmitter,
    );
  }

  /** Shows a run (streaming as it goes), or a config's problems, in place of what was shown. */
  show(content: Content): void {
    this.sessionListener?.dispose();
    this.deltas?.dispose();
    this.sessionListener = this.deltas = undefined;
    this.content = content;
    const run = this.runInfo();
    this.panel.title = run ? `Training Trace: ${run.name}` : 'Training Trace';
    if (content.kind === 'session') {
      const { session } = content;
      const deltas = new DeltaStream(session.summary, (delta) => this.post({ type: 'delta', delta, error: session.error }));
      this.deltas = deltas;
      // A webview that is not ready gets everything in the snapshot that answers its `ready`.
      this.sessionListener = session.onDidChange(() => this.ready && deltas.changed());
    }
    this.sendSnapshot();
  }

  reveal(): void {
    this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
  }

  private receive(raw: unknown): void {
    if (!isWebviewToHost(raw)) {
      console.warn('Training Trace: ignored a malformed message from the panel', raw);
      return;
    }
    const message: WebviewToHost = raw;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendSnapshot();
        return;
      case 'requestDetail':
        void this.answerDetail(message.requestId, message.nodeId);
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
        if (run) void vscode.window.showTextDocument(vscode.Uri.file(run.file), { viewColumn: vscode.ViewColumn.One });
        return;
      }
      case 'rendered':
        this.lastRender = message.report;
        this.renderEmitter.fire(message.report);
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
    const session = content.kind === 'session' ? content.session : undefined;
    this.deltas?.caughtUp();
    this.post({ type: 'snapshot', run: this.runInfo(), summary: session && packSummary(session.summary), error: session?.error });
  }

  private async answerDetail(requestId: number, nodeId: string): Promise<void> {
    if (this.content.kind !== 'session') {
      this.post({ type: 'detail', requestId, nodeId, error: 'no run' });
      return;
    }
    try {
      const detail = await this.content.session.detail(nodeId);
      this.post({ type: 'detail', requestId, nodeId, detail: detail && toWire(detail) });
    } catch (error) {
      this.post({ type: 'detail', requestId, nodeId, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Copies every number of a node, at full precision (JSON keeps the shortest exact decimals). */
  private async copyDetail(nodeId: string): Promise<void> {
    try {
      const detail = this.content.kind === 'session' ? await this.content.session.detail(nodeId) : undefined;
      if (!detail) return;
      await vscode.env.clipboard.writeText(JSON.stringify({ node: nodeId, ...detail }, null, 2));
      void vscode.window.setStatusBarMessage(`Training Trace: copied the numbers of ${nodeId}`, 3000);
    } catch (error) {
      void vscode.window.showWarningMessage(`Training Trace: could not copy the numbers of ${nodeId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.deltas?.dispose();
    this.sessionListener?.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/** Scripts on, and only the panel's own files readable: its bundle and its stylesheet folder. */
function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
