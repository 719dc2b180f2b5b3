import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { label } from '../core/words/label';
import type { Words } from '../core/words/words';
import { CONFIG_SUFFIX } from './controller';
import { TRACE_SUFFIX, defaultTraceFile } from './saveTrace';
import { TRACE_VIEW_TYPE } from './traceEditor';

/**
 * Above the first line of every config: "Run training trace", and "Open last trace" when a
 * saved trace of it lies beside it (the lenses are asked again when such a file comes or goes).
 */
export function registerConfigLenses(words: Words): vscode.Disposable[] {
  const changed = new vscode.EventEmitter<void>();
  const traces = vscode.workspace.createFileSystemWatcher(`**/*${TRACE_SUFFIX}`, false, true, false);
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses: async (document) => {
      const top = new vscode.Range(0, 0, 0, 0);
      const run = new vscode.CodeLens(top, { title: `$(play) ${words.text(label('lens.run'))}`, command: 'trainingTrace.run', arguments: [document.uri] });
      const trace = defaultTraceFile(document.uri.fsPath);
      if (!(await fs.promises.stat(trace).then((s) => s.isFile(), () => false))) return [run];
      return [run, new vscode.CodeLens(top, { title: `$(history) ${words.text(label('lens.openTrace'))}`, command: 'vscode.openWith', arguments: [vscode.Uri.file(trace), TRACE_VIEW_TYPE] })];
    },
  };
  return [
    changed,
    traces,
    traces.onDidCreate(() => changed.fire()),
    traces.onDidDelete(() => changed.fire()),
    vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: `**/*${CONFIG_SUFFIX}` }, provider),
  ];
}
