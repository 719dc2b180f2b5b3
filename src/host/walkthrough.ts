import * as vscode from 'vscode';
import type { TrainingController } from './controller';

/**
 * What the walkthrough "What an epoch, a batch and an update really do" needs beyond its
 * manifest entry: a command that opens the learner’s config (shipped in the extension), and the
 * context key its "hover a backward step" step completes on.
 */
export function registerWalkthrough(context: vscode.ExtensionContext, controller: TrainingController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('trainingTrace.openExample', () => vscode.window.showTextDocument(vscode.Uri.joinPath(context.extensionUri, 'examples', 'question.training.json'), { preview: false })),
    controller.onDidHoverBackward(() => void vscode.commands.executeCommand('setContext', 'trainingTrace.hoveredBackward', true)),
  ];
}
