import * as vscode from 'vscode';
import { label, verbatim } from '../core/words/label';
import type { Words } from '../core/words/words';
import { readPageAssets } from './exportHtml';
import { exportHtml } from './exportView';
import type { Panels } from './panels';
import { saveTrace } from './saveTrace';
import type { PanelActions, TrainingPanel } from './trainingPanel';

/**
 * Save Trace… and Export as HTML…, from the Command Palette (on the panel the learner looked at
 * last), the panel's toolbar, or the panel's context menu. Each command takes an optional
 * target Uri (no dialog then) and resolves with where it wrote, or undefined.
 */
export class TraceCommands {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly words: Words,
    private readonly panels: Panels,
  ) {}

  /** What the panels' toolbars do with these two buttons. */
  readonly panelActions: Pick<PanelActions, 'saveTrace' | 'exportHtml'> = {
    saveTrace: (panel) => void this.saveTrace(panel),
    exportHtml: (panel) => void this.exportHtml(panel),
  };

  register(): vscode.Disposable[] {
    const target = (uri: unknown) => (uri instanceof vscode.Uri ? uri : undefined);
    return [
      vscode.commands.registerCommand('trainingTrace.saveTrace', (uri?: unknown) => this.saveTrace(this.panels.current, target(uri))),
      vscode.commands.registerCommand('trainingTrace.exportHtml', (uri?: unknown) => this.exportHtml(this.panels.current, target(uri))),
    ];
  }

  async saveTrace(panel: TrainingPanel | undefined, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const session = panel?.session;
    if (!session) {
      void vscode.window.showWarningMessage(this.words.text(label('host.save.noRun')));
      return undefined;
    }
    try {
      return await saveTrace(session, this.words, vscode.Uri.joinPath(this.extensionUri, 'dist', 'traceWriterWorker.js').fsPath, target);
    } catch (error) {
      void vscode.window.showErrorMessage(this.words.text(label('host.save.failed', { why: verbatim(error instanceof Error ? error.message : String(error)) })));
      return undefined;
    }
  }

  async exportHtml(panel: TrainingPanel | undefined, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    if (!panel) {
      void vscode.window.showWarningMessage(this.words.text(label('host.export.noRun')));
      return undefined;
    }
    try {
      return await exportHtml(panel, this.words, readPageAssets(vscode.Uri.joinPath(this.extensionUri, 'media').fsPath), target);
    } catch (error) {
      void vscode.window.showErrorMessage(this.words.text(label('host.export.failed', { why: verbatim(error instanceof Error ? error.message : String(error)) })));
      return undefined;
    }
  }
}
