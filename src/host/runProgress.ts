import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../core/run/summary';
import { label } from '../core/words/label';
import type { Words } from '../core/words/words';
import type { TrainingController } from './controller';
import type { RunSession } from './runSession';

/** A run still going after this long also shows VS Code's progress notification, with Cancel. */
export const PROGRESS_AFTER_MS = 2000;

/**
 * While a run is going: a status bar item "epoch k of n" that stops the run on click, and, for
 * a run longer than two seconds, a progress notification whose Cancel stops it too.
 */
export function registerRunProgress(controller: TrainingController, words: Words): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('trainingTrace.run', vscode.StatusBarAlignment.Left, 10);
  item.name = words.text(label('status.name'));
  item.command = 'trainingTrace.stop';
  let following: vscode.Disposable | undefined;
  return [
    item,
    controller.onDidStartRun(({ session }) => {
      following?.dispose();
      following = follow(session, item, words);
    }),
    { dispose: () => following?.dispose() },
  ];
}

function follow(session: RunSession, item: vscode.StatusBarItem, words: Words): vscode.Disposable {
  const name = path.basename(session.file);
  item.tooltip = words.text(label('status.tooltip', { name }));
  const show = () => {
    if (!session.running) return item.hide();
    const text = `$(sync~spin) ${words.text(label('status.epoch', epochOf(session.summary)))}`;
    if (item.text !== text) item.text = text;
    item.show();
  };
  show();
  const listener = session.onDidChange(show);
  const timer = setTimeout(() => session.running && void showProgress(session, name, words), PROGRESS_AFTER_MS);
  let following = true;
  const stopFollowing = () => {
    // Once only: the item is shared, and by the time a replaced run ends the item shows the next one.
    if (!following) return;
    following = false;
    listener.dispose();
    clearTimeout(timer);
    item.hide();
  };
  // A run that has ended holds nothing of ours: the item's listener goes with it, not with the next run.
  void session.finished.then(stopFollowing);
  return { dispose: stopFollowing };
}

/** The notification: the share of the run's points visited, the epoch, and Cancel, until the run ends. */
function showProgress(session: RunSession, name: string, words: Words): Thenable<void> {
  const options = { location: vscode.ProgressLocation.Notification, title: words.text(label('progress.title', { name })), cancellable: true };
  return vscode.window.withProgress(options, (progress, token) => {
    token.onCancellationRequested(() => void session.stop());
    let reported = { percent: 0, message: '' };
    const report = () => {
      const percent = Math.floor(100 * shareDone(session.summary));
      const message = words.text(label('progress.epoch', epochOf(session.summary)));
      if (percent === reported.percent && message === reported.message) return;
      progress.report({ increment: percent - reported.percent, message });
      reported = { percent, message };
    };
    report();
    const listener = session.onDidChange(report);
    return session.finished.then(() => listener.dispose());
  });
}

function epochOf(summary: RunSummary): { epoch: number; epochs: number } {
  return { epoch: Math.max(summary.epochs.length, 1), epochs: summary.shape.epochs };
}

/** How much of the run is done, from 0 to 1, counted in data points visited. */
function shareDone(summary: RunSummary): number {
  const { epochs, schedule } = summary.shape;
  const last = summary.epochs[summary.epochs.length - 1];
  const visited = (summary.epochs.length - 1) * schedule.pointsPerEpoch + (last?.pointsDone ?? 0);
  return Math.max(0, visited) / (epochs * schedule.pointsPerEpoch);
}
