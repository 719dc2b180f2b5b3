import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadConfigFile, loadConfigText } from '../core/config/loadConfig';
import { formatProblem, type Problem } from '../core/config/problems';
import type { RunStatus } from '../core/outline/summary';
import { ConfigDiagnostics } from './diagnostics';
import { RunSession } from './runSession';
import { TrainingPanel } from './trainingPanel';

export const CONFIG_SUFFIX = '.training.json';

/** What `trainingTrace.run` resolves to: how the run ended (tests read it). */
export type RunOutcome = { file: string; status: RunStatus } | { file: string; status: 'problems'; problems: string[] } | { status: 'cancelled' };

/**
 * Owns the one run and the one panel: running a config replaces the run shown (a run still
 * going is stopped first), and closing the panel stops its run.
 */
export class TrainingController implements vscode.Disposable {
  private session: RunSession | undefined;
  private panel: TrainingPanel | undefined;
  private readonly diagnostics = new ConfigDiagnostics();
  private requests = 0;
  private readonly panelEvents = new vscode.EventEmitter<TrainingPanel>();
  /** Fires when a panel is created or revived (the extension's API hands it to tests). */
  readonly onDidCreatePanel = this.panelEvents.event;

  constructor(private readonly extensionUri: vscode.Uri) {}

  get currentPanel(): TrainingPanel | undefined {
    return this.panel;
  }

  get running(): boolean {
    return this.session?.running ?? false;
  }

  /** Runs a config: the given file, else the active editor's, else one the user picks. */
  async run(target?: vscode.Uri): Promise<RunOutcome> {
    // Only the latest request may start a run: one made while an earlier one was still
    // waiting (for the quick pick, or for the old run to stop) wins, the earlier is cancelled.
    const request = ++this.requests;
    const file = target?.fsPath ?? (await this.pickConfig());
    if (!file || request !== this.requests) return { status: 'cancelled' };
    await this.stop();
    if (request !== this.requests) return { status: 'cancelled' };
    // An open editor's text is what the learner sees, saved or not; a file that cannot be read is one more problem.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    const loaded = open ? loadConfigText(file, open.getText()) : loadConfigFile(file);
    const panel = this.ensurePanel();
    if (!loaded.ok) {
      this.diagnostics.show(file, loaded.problems);
      const problems = loaded.problems.map(formatProblem);
      panel.show({ kind: 'problems', run: { file, name: path.basename(file) }, problems });
      void this.reportProblems(file, loaded.problems);
      return { file, status: 'problems', problems };
    }
    this.diagnostics.show(file, loaded.warnings);
    const session = new RunSession(file, loaded.config, loaded.data, vscode.Uri.joinPath(this.extensionUri, 'dist', 'trainerWorker.js').fsPath);
    this.session = session;
    void vscode.commands.executeCommand('setContext', 'trainingTrace.running', true);
    panel.show({ kind: 'session', session });
    const status = await session.finished;
    if (this.session === session) void vscode.commands.executeCommand('setContext', 'trainingTrace.running', false);
    if (session.error) void vscode.window.showErrorMessage(`Training Trace: ${session.error}`);
    return { file, status };
  }

  async stop(): Promise<void> {
    const session = this.session;
    if (!session) return;
    await session.stop();
    void vscode.commands.executeCommand('setContext', 'trainingTrace.running', false);
  }

  /** Adopts a panel VS Code restored after a reload, and reruns the config it showed. */
  revive(webviewPanel: vscode.WebviewPanel, file: string | undefined): void {
    this.adopt(new TrainingPanel(webviewPanel, this.extensionUri, this.panelActions()));
    if (file && fs.existsSync(file)) void this.run(vscode.Uri.file(file));
  }

  private ensurePanel(): TrainingPanel {
    if (this.panel) {
      this.panel.reveal();
      return this.panel;
    }
    return this.adopt(TrainingPanel.create(this.extensionUri, this.panelActions()));
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
    this.panelEvents.fire(panel);
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
      void vscode.window.showErrorMessage('Training Trace: open a *.training.json config to run (see the examples folder of the extension’s README).');
      return undefined;
    }
    if (found.length === 1) return found[0].fsPath;
    const pick = await vscode.window.showQuickPick(
      found.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })),
      { placeHolder: 'Which training config should run?' },
    );
    return pick?.uri.fsPath;
  }

  private async reportProblems(file: string, problems: Problem[]): Promise<void> {
    const errors = problems.filter((p) => p.severity === 'error');
    const count = errors.length === 1 ? 'a problem' : `${errors.length} problems`;
    const choice = await vscode.window.showErrorMessage(`Training Trace: ${path.basename(file)} has ${count}: ${errors[0].path}: ${errors[0].message}`, 'Show Problems');
    if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
  }

  dispose(): void {
    void this.session?.stop();
    this.panel?.dispose();
    this.diagnostics.dispose();
    this.panelEvents.dispose();
  }
}
