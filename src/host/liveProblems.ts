import * as vscode from 'vscode';
import type { LoadResult } from '../core/load/loadConfig';
import type { ConfigDiagnostics } from './diagnostics';
import { loadOffThread, type PendingLoad } from './loadOffThread';
import { loadOptionsFor } from './settings';

export const CONFIG_SUFFIX = '.training.json';

/** How long the learner may pause typing before the config is checked. */
const TYPING_PAUSE_MS = 400;

export function isConfigDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && document.fileName.endsWith(CONFIG_SUFFIX);
}

/**
 * Checks configs as the learner works: when one is opened, a pause after typing, and on save;
 * and again when the data file a config names is saved, created, deleted or renamed. Each
 * check runs in a worker (loadOffThread), a newer check of a config cancels an older one, and
 * the problems go to the Problems panel at their exact place, cleared once fixed.
 */
export class LiveProblems implements vscode.Disposable {
  /** Checks in progress, by config; `forRun`: the Run command's, which a check for typing never cancels. */
  private readonly checks = new Map<string, { load: PendingLoad; forRun: boolean }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The data file each checked config names: a change to it rechecks the config. */
  private readonly dataFiles = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly diagnostics: ConfigDiagnostics,
    private readonly loaderScript: string,
  ) {
    const filesChanged = (uris: readonly vscode.Uri[]) => {
      for (const uri of uris) this.dataFileChanged(uri.fsPath);
    };
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((document) => isConfigDocument(document) && this.schedule(document.fileName, 0)),
      vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => isConfigDocument(document) && contentChanges.length > 0 && this.schedule(document.fileName, TYPING_PAUSE_MS)),
      vscode.workspace.onDidSaveTextDocument((document) => (isConfigDocument(document) ? this.schedule(document.fileName, 0) : this.dataFileChanged(document.fileName))),
      vscode.workspace.onDidCreateFiles(({ files }) => filesChanged(files)),
      vscode.workspace.onDidDeleteFiles(({ files }) => {
        for (const uri of files) this.forget(uri.fsPath);
        filesChanged(files);
      }),
      vscode.workspace.onDidRenameFiles(({ files }) => {
        for (const { oldUri } of files) this.forget(oldUri.fsPath);
        filesChanged(files.flatMap((f) => [f.oldUri, f.newUri]));
      }),
    );
    for (const document of vscode.workspace.textDocuments) if (isConfigDocument(document)) this.schedule(document.fileName, 0);
  }

  /**
   * Checks a config now, in a worker: the editor's text when it is open (saved or not), else the
   * file. Resolves undefined when a newer check of the same config replaced this one, or (for a
   * check for typing, `forRun` false) when the Run command's check is still going.
   */
  async check(file: string, forRun = true): Promise<LoadResult | undefined> {
    clearTimeout(this.timers.get(file));
    this.timers.delete(file);
    const running = this.checks.get(file);
    if (running?.forRun && !forRun) {
      // The learner pressed Run: a check for typing must not cancel it; it comes again after.
      this.schedule(file, TYPING_PAUSE_MS);
      return undefined;
    }
    running?.load.cancel();
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.fileName === file);
    const pending = { load: loadOffThread(this.loaderScript, { file, text: open?.getText(), options: loadOptionsFor(file) }), forRun };
    this.checks.set(file, pending);
    const result = await pending.load.result;
    if (this.checks.get(file) === pending) this.checks.delete(file);
    if (!result) return undefined;
    if (result.dataFile) this.dataFiles.set(file, result.dataFile);
    else this.dataFiles.delete(file);
    this.diagnostics.show(file, result.ok ? result.warnings : result.problems);
    return result;
  }

  /** Checks still going, and typing pauses still being waited for: none once disposed. */
  get pending(): number {
    return this.checks.size + this.timers.size;
  }

  private schedule(file: string, delayMs: number): void {
    clearTimeout(this.timers.get(file));
    this.timers.set(
      file,
      setTimeout(() => {
        this.timers.delete(file);
        void this.check(file, false);
      }, delayMs),
    );
  }

  private dataFileChanged(file: string): void {
    for (const [config, dataFile] of this.dataFiles) if (dataFile === file) this.schedule(config, 0);
  }

  /** A config that is gone has no problems left to show. */
  private forget(file: string): void {
    if (!file.endsWith(CONFIG_SUFFIX)) return;
    clearTimeout(this.timers.get(file));
    this.timers.delete(file);
    this.checks.get(file)?.load.cancel();
    this.checks.delete(file);
    this.dataFiles.delete(file);
    this.diagnostics.clear(file);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const check of this.checks.values()) check.load.cancel();
    this.checks.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
