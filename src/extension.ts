import * as vscode from 'vscode';
import { isPanelState } from './shared/panelState';
import type { PanelReport } from './shared/protocol';
import { TrainingController, type RunEnd, type RunStart } from './host/controller';
import { PANEL_VIEW_TYPE } from './host/trainingPanel';
import { liveResources, type ResourceKind } from './host/resources';
import { hostWords } from './host/words';

/**
 * What Training Trace gives other extensions (`vscode.extensions.getExtension(…).activate()`);
 * its own extension-host tests use it the same way. The command `trainingTrace.run` resolves
 * with a `RunStart` once the run has started (or failed to); the run's end is `onDidEndRun`.
 */
export interface TrainingTraceApi {
  /** Fires once for every run that started, when it ends: done, diverged or stopped. */
  readonly onDidEndRun: vscode.Event<RunEnd>;
  /** What the open panel shows now, as it says itself; undefined with no panel, or no answer within 10 s. */
  describePanel(): Promise<PanelReport | undefined>;
  /** Worker threads, file watchers and run listeners the extension holds now, and checks in progress: all return to 0 when nothing runs. */
  liveResources(): Readonly<Record<ResourceKind | 'checks', number>>;
}

export type { PanelReport, RunEnd, RunStart };

export function activate(context: vscode.ExtensionContext): TrainingTraceApi {
  const controller = new TrainingController(context.extensionUri, hostWords());
  context.subscriptions.push(
    controller,
    vscode.commands.registerCommand('trainingTrace.run', (uri?: vscode.Uri): Promise<RunStart> => controller.run(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('trainingTrace.stop', () => controller.stop()),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        controller.revive(panel, isPanelState(state) ? state.file : undefined);
      },
    }),
  );
  return {
    onDidEndRun: controller.onDidEndRun,
    describePanel: async () => controller.currentPanel?.describe(),
    liveResources: () => ({ ...liveResources(), checks: controller.pendingChecks }),
  };
}

export function deactivate(): void {}
