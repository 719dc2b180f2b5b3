import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RowLayout } from '../core/data/rowPlaces';
import type { LoadResult } from '../core/load/loadConfig';
import { configPlaces, type ConfigPlaces } from '../core/load/places';
import type { RunStatus } from '../core/run/summary';
import { formatProblem, type Problem } from '../core/validation/problems';
import { counted, label, verbatim, type Label } from '../core/words/label';
import type { Words } from '../core/words/words';
import { batchSizeVariants, runComparison, toWireComparison, type ComparisonSource, type RunningComparison } from './compare';
import { ConfigDiagnostics } from './diagnostics';
import { estimateRunSeconds } from './estimate';
import { CONFIG_SUFFIX, LiveProblems, isConfigDocument } from './liveProblems';
import type { Panels } from './panels';
import { RunSession } from './runSession';
import type { PanelSession } from './session';
import { rerunOnReload } from './settings';
import { TrainingPanel, type PanelActions } from './trainingPanel';
import { watchWhileRunning } from './watchRun';

export { CONFIG_SUFFIX };

/** A window reload reruns the restored panel's config by itself only when it should take less than this. */
const QUICK_RUN_SECONDS = 1;

/** What `trainingTrace.run` resolves to, as soon as it is known: the run started, or why not. */
export type RunStart = { file: string; status: 'started' } | { file: string; status: 'problems'; problems: string[] } | { status: 'cancelled' };

/** A config's run that started: its session, and where its config's keys and data rows are written (found on the first ask). */
export interface StartedRun {
  session: RunSession;
  places(): ConfigPlaces | undefined;
}

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
  private session: PanelSession | undefined;
  /** The shown config's run, and where its rows are written: what the tree's nodes come from (a config's run only). */
  private started: StartedRun | undefined;
  /** What else ends with the shown run (the program writing a followed trace). */
  private stopAlso: (() => Promise<void>) | undefined;
  private panel: TrainingPanel | undefined;
  private readonly diagnostics: ConfigDiagnostics;
  private readonly live: LiveProblems;
  private sessionWatch: vscode.Disposable | undefined;
  private requests = 0;
  private comparison: RunningComparison | undefined;
  /** The config last in the active editor: what Run means when another editor (a CSV, the walkthrough) is in front. */
  private lastConfig: string | undefined;
  private readonly editorListener: vscode.Disposable;
  private readonly endEmitter = new vscode.EventEmitter<RunEnd>();
  readonly onDidEndRun = this.endEmitter.event;
  private readonly startEmitter = new vscode.EventEmitter<StartedRun>();
  /** Fires when a config's run has started (its worker is training). */
  readonly onDidStartRun = this.startEmitter.event;
  private readonly revealEmitter = new vscode.EventEmitter<string>();
  /** The panel asks to show where a node (by id) comes from: Enter or a double-click on it. */
  readonly onDidAskReveal = this.revealEmitter.event;
  private readonly hoverEmitter = new vscode.EventEmitter<void>();
  /** A backward step was hovered in the panel. */
  readonly onDidHoverBackward = this.hoverEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly words: Words,
    private readonly traceActions: Pick<PanelActions, 'saveTrace' | 'exportHtml'>,
    private readonly panels: Panels,
  ) {
    this.diagnostics = new ConfigDiagnostics(words);
    this.live = new LiveProblems(this.diagnostics, this.script('loaderWorker.js'));
    this.editorListener = vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor && isConfigDocument(editor.document)) this.lastConfig = editor.document.uri.fsPath;
    });
  }

  get currentPanel(): TrainingPanel | undefined {
    return this.panel;
  }

  /** The last config's run started (going or ended), while it is the run shown. */
  get currentRun(): StartedRun | undefined {
    return this.started && this.session === this.started.session ? this.started : undefined;
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
  private async start(request: number, file: string, loaded: LoadResult, { reveal = true } = {}): Promise<RunStart> {
    if (!loaded.ok) {
      const panel = this.panel?.showsRun ? this.panel : this.ensurePanel();
      if (!panel.showsRun) panel.show({ kind: 'problems', run: { kind: 'config', file, name: path.basename(file) }, problems: loaded.problems });
      void this.reportProblems(file, loaded.problems);
      return { file, status: 'problems', problems: loaded.problems.map((p) => formatProblem(p, this.words)) };
    }
    await this.stop();
    if (request !== this.requests) return { status: 'cancelled' };
    const panel = this.ensurePanel({ reveal });
    const session = new RunSession(file, loaded.config, loaded.data, this.script('trainerWorker.js'));
    this.follow(session, panel);
    this.sessionWatch = watchWhileRunning(session, [file, ...(loaded.dataFile ? [loaded.dataFile] : [])], (gone) => this.reportGone(session, gone));
    this.started = { session, places: placesOnFirstAsk(file, loaded.rows) };
    this.startEmitter.fire(this.started);
    return { file, status: 'started' };
  }

  /**
   * Shows a run the controller did not start (a Python script's trace, read as it is written)
   * in place of the run shown; Stop and closing the panel end it, and `stopAlso` with it.
   */
  async show(session: PanelSession, stopAlso?: () => Promise<void>): Promise<void> {
    ++this.requests;
    await this.stop();
    this.follow(session, this.ensurePanel());
    this.stopAlso = stopAlso;
  }

  /** Makes a session the one shown: the panel draws it, and its end is told. */
  private follow(session: PanelSession, panel: TrainingPanel): void {
    this.session = session;
    this.stopAlso = undefined;
    this.sessionWatch?.dispose();
    this.sessionWatch = undefined;
    void vscode.commands.executeCommand('setContext', 'trainingTrace.running', true);
    panel.show({ kind: 'session', session });
    void session.finished.then((status) => {
      if (this.session === session) void vscode.commands.executeCommand('setContext', 'trainingTrace.running', false);
      if (session.error) void vscode.window.showErrorMessage(this.words.text(label('host.runFailed', { why: session.error })));
      this.endEmitter.fire({ file: session.file, status: status === 'running' ? 'stopped' : status });
    });
  }

  async stop(): Promise<void> {
    const session = this.session;
    if (!session) return;
    await this.stopAlso?.();
    await session.stop();
    void vscode.commands.executeCommand('setContext', 'trainingTrace.running', false);
  }

  /** Runs a config with batch size 1, as configured and the whole data set, and shows them side by side (running it too when the panel shows nothing). */
  async compareBatchSizes(target?: vscode.Uri): Promise<void> {
    const shown = this.session?.kind === 'config' ? this.session.file : undefined;
    const file = target?.fsPath ?? shown ?? (await this.pickConfig());
    const loaded = file && (await this.loadForComparison(file));
    if (!file || !loaded) return;
    // The config just checked runs as it is: no second check and read of its data.
    if (this.session?.file !== file) await this.start(++this.requests, file, loaded);
    const title = label('compare.title.batchSizes', { name: path.basename(file), seed: loaded.config.seed });
    await this.compare(title, batchSizeVariants(loaded.config, loaded.data));
  }

  /** Two configs the user picks, side by side. */
  async compareConfigs(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: true, filters: { [this.words.text(label('host.configFilter'))]: ['json'] }, title: this.words.text(label('host.pickTwoConfigs')) });
    if (!picked || picked.length !== 2) {
      if (picked) void vscode.window.showErrorMessage(this.words.text(label('host.pickTwoConfigs')));
      return;
    }
    const sources: ComparisonSource[] = [];
    for (const uri of picked) {
      const loaded = await this.loadForComparison(uri.fsPath);
      if (!loaded) return;
      sources.push({ name: verbatim(path.basename(uri.fsPath)), config: loaded.config, data: loaded.data });
    }
    await this.compare(label('compare.title.configs', { first: sources[0].name, second: sources[1].name }), sources);
  }

  /** A config checked and its data read off this thread, or its problems shown. */
  private async loadForComparison(file: string): Promise<Extract<LoadResult, { ok: true }> | undefined> {
    const loaded = await this.live.check(file);
    if (!loaded) return undefined;
    if (loaded.ok) return loaded;
    void this.reportProblems(file, loaded.problems);
    return undefined;
  }

  private async compare(title: Label, sources: ComparisonSource[]): Promise<void> {
    const panel = this.ensurePanel();
    await this.comparison?.stop();
    const comparison = runComparison(sources, this.script('trainerWorker.js'));
    this.comparison = comparison;
    panel.showComparison({});
    try {
      const results = await comparison.result;
      if (this.comparison === comparison) panel.showComparison({ comparison: toWireComparison(title, results) });
    } catch (error) {
      panel.showComparison({ error: label('compare.failed', { why: verbatim(error instanceof Error ? error.message : String(error)) }) });
    }
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
    const run = { kind: 'config' as const, file, name: path.basename(file) };
    const setting = rerunOnReload();
    if (setting === 'never') {
      panel.show({ kind: 'notRun', run, reason: label('host.notRerun.setting') });
      return;
    }
    const loaded = await this.live.check(file);
    if (!loaded || request !== this.requests || this.panel !== panel) return;
    // A restored panel stays where the reload put it, behind the tab that was in front, and raises no notification.
    if (!loaded.ok) {
      panel.show({ kind: 'problems', run, problems: loaded.problems });
      return;
    }
    const seconds = estimateRunSeconds(loaded.config, loaded.data);
    if (setting === 'quick' && seconds >= QUICK_RUN_SECONDS) {
      panel.show({ kind: 'notRun', run, reason: label('host.notRerun.long', { seconds: Math.ceil(seconds) }) });
      return;
    }
    await this.start(request, file, loaded, { reveal: false });
  }

  /** A config or data file of the run was deleted or renamed while it ran: said, not thrown; the run has its data already. */
  private reportGone(session: RunSession, gone: string): void {
    if (this.session !== session) return;
    void vscode.window.showWarningMessage(this.words.text(label('host.goneDuringRun', { file: gone, name: path.basename(session.file) })));
  }

  private script(name: string): string {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', name).fsPath;
  }

  private ensurePanel({ reveal = true } = {}): TrainingPanel {
    if (this.panel) {
      if (reveal) this.panel.reveal();
      return this.panel;
    }
    return this.adopt(TrainingPanel.create(this.extensionUri, this.panelActions(), this.words));
  }

  private adopt(panel: TrainingPanel): TrainingPanel {
    this.panel?.dispose();
    this.panel = panel;
    this.panels.add(panel);
    panel.onDidDispose(() => {
      if (this.panel !== panel) return;
      this.panel = undefined;
      void this.comparison?.stop();
      // Closing the panel ends what it showed: nobody is watching the run any more.
      void this.stop();
    });
    return panel;
  }

  private panelActions(): PanelActions {
    return {
      ...this.traceActions,
      run: (file: string) => void this.run(vscode.Uri.file(file)),
      stop: () => void this.stop(),
      compare: (file: string) => void this.compareBatchSizes(vscode.Uri.file(file)),
      reveal: (nodeId: string) => this.revealEmitter.fire(nodeId),
      hoveredBackward: () => this.hoverEmitter.fire(),
    };
  }

  private async pickConfig(): Promise<string | undefined> {
    const active = vscode.window.activeTextEditor?.document;
    if (active && isConfigDocument(active)) return active.uri.fsPath;
    if (this.lastConfig && vscode.workspace.textDocuments.some((d) => d.uri.fsPath === this.lastConfig)) return this.lastConfig;
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
    void this.comparison?.stop();
    this.sessionWatch?.dispose();
    this.live.dispose();
    this.panel?.dispose();
    this.diagnostics.dispose();
    this.editorListener.dispose();
    this.endEmitter.dispose();
    this.startEmitter.dispose();
    this.revealEmitter.dispose();
    this.hoverEmitter.dispose();
  }
}

/**
 * Where a run's config keys and data rows are written, found the first time something asks (a
 * reveal): from the config's text as the editor has it (or the file), and the layout of rows
 * the loader returned. Kept once found.
 */
function placesOnFirstAsk(file: string, rows: RowLayout): () => ConfigPlaces | undefined {
  let found: ConfigPlaces | undefined;
  return () => {
    if (found) return found;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    try {
      found = configPlaces(file, open ? open.getText() : fs.readFileSync(file, 'utf8'), rows, (data) => fs.readFileSync(data, 'utf8'));
    } catch {
      found = undefined;
    }
    return found;
  };
}
