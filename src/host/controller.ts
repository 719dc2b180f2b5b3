import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LoadResult } from '../core/load/loadConfig';
import type { RunStatus } from '../core/run/summary';
import { formatProblem, type Problem } from '../core/validation/problems';
import { counted, label } from '../core/words/label';
import type { Words } from '../core/words/words';
import { ConfigDiagnostics } from './diagnostics';
import { estimateRunSeconds } from './estimate';
import { CONFIG_SUFFIX, LiveProblems } from './liveProblems';
import { RunSession } from './runSession';
import { rerunOnReload } from './settings';
import { TrainingPanel } from './trainingPanel';
import { watchWhileRunning } from './watchRun';

export { CONFIG_SUFFIX };

/** A window reload reruns the restored panel's config by itself only when it should take less than this. */
const QUICK_RUN_SECONDS = 1;

/** What `trainingTrace.run` resolves to, as soon as it is known: the run started, or why not. */
export type RunStart = { file: string; status: 'started' } | { file: string; status: 'problems'; problems: string[] } | { status: 'cancelled' };

/** How a run ended: fired once per run that started. */
export interface RunEnd {
  file: string;
  status: Exclude<RunStatus, 'running'>;
}

/**
 * Owns the one run and the one panel: running a config replaces the run shown (a run still
 * going is stopped first), and closing the panel stops its run.
 */
export class TrainingController implements vscode.Disposable {
  private session: RunSession | undefined;
  private panel: TrainingPanel | undefined;
  private readonly diagnostics: ConfigDiagnostics;
  private readonly live: LiveProblems;
  private sessionWatch: vscode.Disposable | undefined;
  private requests = 0;
  private readonly endEmitter = new vscode.EventEmitter<RunEnd>();
  readonly onDidEndRun = this.endEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly words: Words,
  ) {
    this.diagnostics = new ConfigDiagnostics(words);
    this.live = new LiveProblems(this.diagnostics, this.script('loaderWorker.js'));
  }

  get currentPanel(): TrainingPanel | undefined {
    return this.panel;
  }

  /** Config checks in progress or waiting for a pause in typing. */
  get pendingChecks(): number {
    return this.live.pending;
  }

  /** Runs a config: the given file, else the active editor's, else one the user picks. Resolves once it has started. */
  async run(target?: vscode.Uri): Promise<RunStart> {
    // Only the latest request may start a run: one made while an earlier one was still
    // waiting (for the quick pick, the check, or the old run to stop) wins, the earlier is cancelled.
    const request = ++this.requests;
    const file = target?.fsPath ?? (await this.pickConfig());
    if (!file || request !== this.requests) return { status: 'cancelled' };
    // An open editor's text is what the learner sees, saved or not; it is checked, and its data read, off this thread.
    const loaded = await this.live.check(file);
    if (!loaded || request !== this.requests) return { status: 'cancelled' };
    return this.start(request, file, loaded);
  }

  /** Starts a checked config's run, or shows why it cannot run: the last good run stays in the panel. */
  private async start(request: number, file: string, loaded: LoadResult): Promise<RunStart> {
    if (!loaded.ok) {
      const panel = this.panel?.showsRun ? this.panel : this.ensurePanel();
      if (!panel.showsRun) panel.show({ kind: 'problems', run: { file, name: path.basename(file) }, problems: loaded.problems });
      void this.reportProblems(file, loaded.problems);
      return { file, status: 'problems', problems: loaded.problems.map((p) => formatProblem(p, this.words)) };
    }
    await this.stop();
    if (request !== this.requests) return { status: 'cancelled' };
    const panel = this.ensurePanel();
    const session = new RunSession(file, loaded.config, loaded.data, this.script('trainerWorker.js'));
    this.session = session;
    this.sessionWatch?.dispose();
    this.sessionWatch = watchWhileRunning(session, [file, ...(loaded.dataFile ? [loaded.dataFile] : [])], (gone) => this.reportGone(session, gone));
    void vscode.commands.executeCommand('setContext', 'trainingTrace.running', true);
    panel.show({ kind: 'session', session });
    void session.finished.then((status) => {
      if (this.session === session) void vscode.commands.executeCommand('setContext', 'trainingTrace.running', false);
      if (session.error) void vscode.window.showErrorMessage(this.words.text(label('host.runFailed', { why: session.error })));
      this.endEmitter.fire({ file, status: status === 'running' ? 'stopped' : status });
    });
    return { file, status: 'started' };
  }

  async stop(): Promise<void> {
    const session = this.session;
    if (!session) return;
    await session.stop();
    void vscode.commands.executeCommand('setContext', 'trainingTrace.running', false);
  }

  /**
   * Adopts a panel VS Code restored after a reload. Its config runs again only when that is
   * quick (estimated from its size, or as the setting says); otherwise the panel names the
   * config, says how long it would take, and offers Run.
   */
  revive(webviewPanel: vscode.WebviewPanel, file: string | undefined): void {
    const panel = this.adopt(new TrainingPanel(webviewPanel, this.extensionUri, this.panelActions(), this.words));
    if (file) void this.rerunRestored(panel, file);
  }

  private async rerunRestored(panel: TrainingPanel, file: string): Promise<void> {
    const request = ++this.requests;
    const run = { file, name: path.basename(file) };
    const setting = rerunOnReload();
    if (setting === 'never') {
      panel.show({ kind: 'notRun', run, reason: label('host.notRerun.setting') });
      return;
    }
    const loaded = await this.live.check(file);
    if (!loaded || request !== this.requests || this.panel !== panel) return;
    const seconds = loaded.ok ? estimateRunSeconds(loaded.config, loaded.data) : 0;
    if (setting === 'quick' && seconds >= QUICK_RUN_SECONDS) {
      panel.show({ kind: 'notRun', run, reason: label('host.notRerun.long', { seconds: Math.ceil(seconds) }) });
      return;
    }
    await this.start(request, file, loaded);
  }

  /** A config or data file of the run was deleted or renamed while it ran: said, not thrown; the run has its data already. */
  private reportGone(session: RunSession, gone: string): void {
    if (this.session !== session) return;
    void vscode.window.showWarningMessage(this.words.text(label('host.goneDuringRun', { file: gone, name: path.basename(session.file) })));
  }

  private script(name: string): string {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', name).fsPath;
  }

  private ensurePanel(): TrainingPanel {
    if (this.panel) {
      this.panel.reveal();
      return this.panel;
    }
    return this.adopt(TrainingPanel.create(this.extensionUri, this.panelActions(), this.words));
  }

  private adopt(panel: TrainingPanel): TrainingPanel {
    this.panel?.dispose();
    this.panel = panel;
    panel.onDidDispose(() => {
      if (this.panel !== panel) return;
      this.panel = undefined;
      // Closing the panel ends what it showed: nobody is watching the run any more.
      void this.stop();
    });
    return panel;
  }

  private panelActions() {
    return {
      run: (file: string) => void this.run(vscode.Uri.file(file)),
      stop: () => void this.stop(),
    };
  }

  private async pickConfig(): Promise<string | undefined> {
    const active = vscode.window.activeTextEditor?.document;
    if (active && active.uri.scheme === 'file' && active.fileName.endsWith(CONFIG_SUFFIX)) return active.uri.fsPath;
    const found = await vscode.workspace.findFiles(`**/*${CONFIG_SUFFIX}`, '**/node_modules/**', 200);
    if (found.length === 0) {
      void vscode.window.showErrorMessage(this.words.text(label('host.noConfig')));
      return undefined;
    }
    if (found.length === 1) return found[0].fsPath;
    const pick = await vscode.window.showQuickPick(
      found.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })),
      { placeHolder: this.words.text(label('host.pickConfig')) },
    );
    return pick?.uri.fsPath;
  }

  private async reportProblems(file: string, problems: Problem[]): Promise<void> {
    const errors = problems.filter((p) => p.severity === 'error');
    const first = errors[0];
    const message = label('host.configProblems', { file: path.basename(file), count: counted(errors.length, 'problem'), path: first.path, message: first.message });
    const show = this.words.text(label('host.showProblems'));
    const choice = await vscode.window.showErrorMessage(this.words.text(message), show);
    if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
  }

  dispose(): void {
    void this.session?.stop();
    this.sessionWatch?.dispose();
    this.live.dispose();
    this.panel?.dispose();
    this.diagnostics.dispose();
    this.endEmitter.dispose();
  }
}
