import * as path from 'node:path';
import * as vscode from 'vscode';
import { nodeId, refFromId, type NodeRef } from '../core/outline/tree';
import { isDetailRef, type NodeDetail } from '../core/run/detail';
import { label } from '../core/words/label';
import type { Words } from '../core/words/words';
import { exportPage, type PageAssets } from './exportHtml';
import type { TrainingPanel } from './trainingPanel';

/** Steps whose numbers a page holds at most: each is read back or replayed, and each adds a few tables. */
const MAX_EXPORTED_DETAILS = 500;

/** `<name>.html` beside the config or trace the run came from. */
export function defaultExportFile(file: string): string {
  const name = path.basename(file).replace(/\.training\.json$|\.trace\.jsonl$|\.[^.]*$/, '');
  return path.join(path.dirname(file), `${name}.html`);
}

/**
 * Export as HTML: the rows the panel shows now (what is expanded, what the filter keeps) and
 * the numbers of those that have some, as one self-contained page, to `target` or where the
 * learner picks. Resolves with where it was written, or undefined when there was nothing to
 * export or the learner cancelled.
 */
export async function exportHtml(panel: TrainingPanel, words: Words, assets: PageAssets, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const session = panel.session;
  const shown = session && (await panel.sharedView());
  if (!session || !shown) {
    void vscode.window.showWarningMessage(words.text(label(session ? 'host.export.noAnswer' : 'host.export.noRun')));
    return undefined;
  }
  const uri =
    target ??
    (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(defaultExportFile(session.file)), filters: { [words.text(label('host.export.filter'))]: ['html'] }, title: words.text(label('host.export.title')) }));
  if (!uri) return undefined;
  const { summary } = session;
  const rows = shown.ids.map((id) => refFromId(summary, id)).filter((ref): ref is NodeRef => ref !== undefined);
  const withNumbers = rows.filter(isDetailRef);
  const details = new Map<string, NodeDetail>();
  const finished = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, cancellable: true, title: words.text(label('host.export.progress', { name: path.basename(uri.fsPath) })) },
    async (progress, token) => {
      for (const ref of withNumbers.slice(0, MAX_EXPORTED_DETAILS)) {
        if (token.isCancellationRequested) return false;
        const id = nodeId(summary, ref);
        // A node whose numbers cannot be had now (a run that has not sent them yet) is exported without them.
        const detail = await session.detail(id).catch(() => undefined);
        if (detail) details.set(id, detail);
        progress.report({ increment: 100 / Math.min(withNumbers.length, MAX_EXPORTED_DETAILS) });
      }
      return true;
    },
  );
  if (!finished) return undefined;
  const page = exportPage({ name: path.basename(session.file), summary, rows, rowsLeftOut: shown.more, details, detailsLeftOut: Math.max(0, withNumbers.length - MAX_EXPORTED_DETAILS) }, words, assets);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(page));
  void vscode.window.setStatusBarMessage(words.text(label('host.export.saved', { file: path.basename(uri.fsPath) })), 5000);
  return uri;
}
