import * as vscode from 'vscode';
import type { TrainingController } from './controller';

/** The command the walkthrough's last step waits for, when this version of the extension has it. */
const COMPARE_COMMAND = 'trainingTrace.compareBatchSizes';

/**
 * What the walkthrough "What an epoch, a batch and an update really do" needs beyond its
 * manifest entry: a command that opens the learner's config (shipped in the extension), the
 * context key its "hover a backward step" step completes on, and whether its last step,
 * comparing batch sizes, can be offered.
 */
export function registerWalkthrough(context: vscode.ExtensionContext, controller: TrainingController): vscode.Disposable[] {
  const commands = (context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? [];
  void vscode.commands.executeCommand('setContext', 'trainingTrace.canCompare', commands.some((c) => c.command === COMPARE_COMMAND));
  return [
    vscode.commands.registerCommand('trainingTrace.openExample', () => vscode.window.showTextDocument(vscode.Uri.joinPath(context.extensionUri, 'examples', 'question.training.json'), { preview: false })),
    controller.onDidHoverBackward(() => void vscode.commands.executeCommand('setContext', 'trainingTrace.hoveredBackward', true)),
  ];
}
