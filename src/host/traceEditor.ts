import * as path from 'node:path';
import * as vscode from 'vscode';
import { label } from '../core/words/label';
import type { Words } from '../core/words/words';
import { ConfigDiagnostics } from './diagnostics';
import type { Panels } from './panels';
import { TrainingPanel, type PanelActions } from './trainingPanel';
import { TraceSession, type TraceOpened } from './traceSession';

/** The custom editor of `*.trace.jsonl` files (package.json's contributes.customEditors). */
export const TRACE_VIEW_TYPE = 'trainingTrace.trace';

/** A trace file as the editor holds it: read once, shown by every editor opened on it. */
class TraceDocument implements vscode.CustomDocument {
  constructor(
    readonly uri: vscode.Uri,
    readonly opened: TraceOpened,
    private readonly onDispose: () => void,
  ) {}

  dispose(): void {
    if ('session' in this.opened) void this.opened.session.stop();
    this.onDispose();
  }
}

/**
 * Opens a `*.trace.jsonl` file in the panel, read-only: the same tree, numbers and corrections
 * as the run that made it, without training again. The file is read as a stream (a large trace
 * shows its first epochs while the rest is read); its problems go to the panel and to the
 * Problems panel, at their lines. VS Code restores the editor after a window reload, which reads
 * the file again; "Reopen Editor With… › Text Editor" shows its lines.
 */
export class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider<TraceDocument>, vscode.Disposable {
  private readonly diagnostics: ConfigDiagnostics;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly words: Words,
    private readonly actions: Pick<PanelActions, 'saveTrace' | 'exportHtml'>,
    private readonly panels: Panels,
  ) {
    this.diagnostics = new ConfigDiagnostics(words);
  }

  async openCustomDocument(uri: vscode.Uri): Promise<TraceDocument> {
    const file = uri.fsPath;
    const opened = await TraceSession.open(file);
    if ('session' in opened) void opened.session.finished.then(() => this.diagnostics.show(file, opened.session.problems));
    else this.diagnostics.show(file, opened.problems);
    return new TraceDocument(uri, opened, () => this.diagnostics.clear(file));
  }

  async resolveCustomEditor(document: TraceDocument, webviewPanel: vscode.WebviewPanel): Promise<void> {
    const { opened } = document;
    const session = 'session' in opened ? opened.session : undefined;
    const panel: TrainingPanel = new TrainingPanel(webviewPanel, this.extensionUri, {
      ...this.actions,
      // A trace has no config to run, nor files its nodes come from: its panel shows no Run button, and its Compare view says why it compares nothing.
      run: () => undefined,
      reveal: () => undefined,
      hoveredBackward: () => undefined,
      compare: () => panel.showComparison({ error: label('host.compare.trace') }),
      stop: () => void session?.stop(),
    }, this.words);
    this.panels.add(panel);
    const file = document.uri.fsPath;
    if (session) panel.show({ kind: 'session', session });
    else if ('problems' in opened) panel.show({ kind: 'problems', run: { kind: 'trace', file, name: path.basename(file) }, problems: opened.problems });
  }

  dispose(): void {
    this.diagnostics.dispose();
  }
}
