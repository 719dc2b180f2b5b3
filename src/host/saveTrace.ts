import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { label } from '../core/words/label';
import type { Words } from '../core/words/words';
import { RunSession } from './runSession';
import type { PanelSession } from './session';
import { TRACE_VIEW_TYPE } from './traceEditor';
import { writeTraceFile } from './traceWriter';

export const TRACE_SUFFIX = '.trace.jsonl';

/** Where a run's trace is saved unless the learner says otherwise: `<config name>.trace.jsonl` beside the config. */
export function defaultTraceFile(configFile: string): string {
  const name = path.basename(configFile).replace(/\.training\.json$|\.json$/, '');
  return path.join(path.dirname(configFile), `${name}${TRACE_SUFFIX}`);
}

/**
 * Save Trace…: writes the run shown as a trace file, to `target` or where the learner picks
 * (by default `<config name>.trace.jsonl` beside the config). A config's run is traced again
 * from its config in a worker, streamed to disk with progress and Cancel: byte for byte what
 * `training-trace run <config> --format jsonl` prints. A trace read from a file is copied.
 * Resolves with where it was saved, or undefined when the learner cancelled.
 */
export async function saveTrace(session: PanelSession, words: Words, workerScript: string, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(session.kind === 'trace' ? session.file : defaultTraceFile(session.file)),
      filters: { [words.text(label('host.save.filter'))]: ['jsonl'] },
      title: words.text(label('host.save.title')),
    }));
  if (!uri) return undefined;
  if (session.kind === 'trace' || !(session instanceof RunSession)) {
    if (uri.toString() !== vscode.Uri.file(session.file).toString()) await vscode.workspace.fs.copy(vscode.Uri.file(session.file), uri, { overwrite: true });
    return uri;
  }
  const { config, data } = session;
  // A worker writes to a local path; a file elsewhere (a remote file system) gets a copy of it.
  const local = uri.scheme === 'file' ? uri.fsPath : path.join(os.tmpdir(), `training-trace-${process.pid}-${Date.now()}${TRACE_SUFFIX}`);
  const batches = config.epochs * session.summary.shape.schedule.batchCount;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, cancellable: true, title: words.text(label('host.save.progress', { name: path.basename(uri.fsPath) })) },
    (progress, token) => {
      const cancel = new AbortController();
      token.onCancellationRequested(() => cancel.abort());
      let shown = 0;
      return writeTraceFile(config, data, local, workerScript, (done) => {
        const percent = (100 * done) / batches;
        progress.report({ increment: percent - shown, message: words.text(label('host.save.batches', { done, batches })) });
        shown = percent;
      }, cancel.signal);
    },
  );
  if (outcome === 'cancelled') return undefined;
  if (local !== uri.fsPath) {
    await vscode.workspace.fs.copy(vscode.Uri.file(local), uri, { overwrite: true });
    fs.rmSync(local, { force: true });
  }
  const open = words.text(label('host.save.open'));
  void vscode.window.showInformationMessage(words.text(label('host.save.saved', { file: path.basename(uri.fsPath) })), open).then((choice) => {
    if (choice) void vscode.commands.executeCommand('vscode.openWith', uri, TRACE_VIEW_TYPE);
  });
  return uri;
}
