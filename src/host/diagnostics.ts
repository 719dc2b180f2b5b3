import * as vscode from 'vscode';
import type { Problem } from '../core/validation/problems';
import { label } from '../core/words/label';
import type { Words } from '../core/words/words';

/**
 * Shows config problems where they are written: squiggles in the config (or its CSV) under
 * exactly what is wrong (a value, a key, a CSV cell or row), and entries in the Problems panel,
 * so a learner can click through to each one.
 */
export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('training-trace');
  /** The files each config's problems were shown in, to clear them all on the next check. */
  private readonly owned = new Map<string, string[]>();

  constructor(private readonly words: Words) {}

  show(configFile: string, problems: Problem[]): void {
    this.clear(configFile);
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const problem of problems) {
      const diagnostic = new vscode.Diagnostic(
        rangeOf(problem),
        this.words.text(label('problem.diagnostic', { path: problem.path, message: problem.message })),
        problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.source = 'Training Trace';
      const list = byFile.get(problem.file) ?? [];
      list.push(diagnostic);
      byFile.set(problem.file, list);
    }
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
    this.owned.set(configFile, [...byFile.keys()]);
  }

  /** Removes what the last check of this config reported (in the config and its data files). */
  clear(configFile: string): void {
    for (const file of this.owned.get(configFile) ?? []) {
      // A data file two configs share keeps the other config's problems.
      const shared = [...this.owned].some(([config, files]) => config !== configFile && files.includes(file));
      if (!shared) this.collection.delete(vscode.Uri.file(file));
    }
    this.owned.delete(configFile);
  }

  dispose(): void {
    this.collection.dispose();
  }
}

/** From the problem's start to its end (a value, a key, a cell, a line), or one character. */
function rangeOf(problem: Problem): vscode.Range {
  const start = new vscode.Position(Math.max(0, problem.line - 1), Math.max(0, problem.column - 1));
  const end = problem.end ? new vscode.Position(Math.max(0, problem.end.line - 1), Math.max(0, problem.end.column - 1)) : start.translate(0, 1);
  return new vscode.Range(start, end.isAfter(start) ? end : start.translate(0, 1));
}
