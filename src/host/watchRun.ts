import * as path from 'node:path';
import * as vscode from 'vscode';
import { track } from './resources';
import type { RunSession } from './runSession';

/**
 * Watches a run's config and data file while it runs: deleting or renaming one is reported
 * (`onGone`), never thrown — the run read everything it needs when it started. The watchers
 * go when the run ends or the returned disposable is disposed, whichever comes first.
 */
export function watchWhileRunning(session: RunSession, files: string[], onGone: (file: string) => void): vscode.Disposable {
  const watchers = files.map((file) => {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)), true, true, false);
    watcher.onDidDelete(() => session.running && onGone(file));
    return { watcher, release: track('watcher') };
  });
  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    for (const { watcher, release } of watchers) {
      watcher.dispose();
      release();
    }
  };
  void session.finished.then(dispose);
  return { dispose };
}
