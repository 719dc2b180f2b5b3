import * as vscode from 'vscode';
import { isPanelState } from './shared/panelState';
import type { PanelReport } from './shared/protocol';
import { TrainingController, type RunEnd, type RunStart } from './host/controller';
import { Panels } from './host/panels';
import { TraceCommands } from './host/traceCommands';
import { TRACE_VIEW_TYPE, TraceEditorProvider } from './host/traceEditor';
import { PANEL_VIEW_TYPE } from './host/trainingPanel';
import { hostWords } from './host/words';

/**
 * What Training Trace gives other extensions (`vscode.extensions.getExtension(…).activate()`);
 * its own extension-host tests use it the same way. The command `trainingTrace.run` resolves
 * with a `RunStart` once the run has started (or failed to); the run's end is `onDidEndRun`.
 */
export interface TrainingTraceApi {
  /** Fires once for every run that started, when it ends: done, diverged or stopped. */
  readonly onDidEndRun: vscode.Event<RunEnd>;
  /**
   * What the open panel shows now, as it says itself; undefined with no panel, or no answer
   * within 10 s. With `file`, the panel showing that config or trace (a trace's editor).
   */
  describePanel(file?: string): Promise<PanelReport | undefined>;
}

export type { PanelReport, RunEnd, RunStart };

export function activate(context: vscode.ExtensionContext): TrainingTraceApi {
  const words = hostWords();
  const panels = new Panels();
  const traces = new TraceCommands(context.extensionUri, words, panels);
  const controller = new TrainingController(context.extensionUri, words, traces.panelActions, panels);
  const traceEditors = new TraceEditorProvider(context.extensionUri, words, traces.panelActions, panels);
  context.subscriptions.push(
    controller,
    traceEditors,
    ...traces.register(),
    vscode.window.registerCustomEditorProvider(TRACE_VIEW_TYPE, traceEditors, { supportsMultipleEditorsPerDocument: true }),
    vscode.commands.registerCommand('trainingTrace.run', (uri?: vscode.Uri): Promise<RunStart> => controller.run(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('trainingTrace.stop', () => controller.stop()),
    vscode.commands.registerCommand('trainingTrace.compareBatchSizes', (uri?: vscode.Uri) => controller.compareBatchSizes(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('trainingTrace.compareConfigs', () => controller.compareConfigs()),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        controller.revive(panel, isPanelState(state) ? state.file : undefined);
      },
    }),
  );
  return {
    onDidEndRun: controller.onDidEndRun,
    describePanel: async (file?: string) => (file === undefined ? controller.currentPanel : panels.showing(file))?.describe(),
  };
}

export function deactivate(): void {}
