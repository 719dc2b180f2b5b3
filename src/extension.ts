import * as vscode from 'vscode';
import { isPanelState } from './shared/panelState';
import type { PanelReport } from './shared/protocol';
import { registerConfigLenses } from './host/codeLens';
import { TrainingController, type RunEnd, type RunStart } from './host/controller';
import { newTrainingConfig } from './host/newConfig';
import { registerReveal } from './host/reveal';
import { registerRunProgress } from './host/runProgress';
import { Panels } from './host/panels';
import { TraceCommands } from './host/traceCommands';
import { TRACE_VIEW_TYPE, TraceEditorProvider } from './host/traceEditor';
import { registerPythonScripts } from './host/pythonCommand';
import { PANEL_VIEW_TYPE } from './host/trainingPanel';
import { registerWalkthrough } from './host/walkthrough';
import { liveResources, type ResourceKind } from './host/resources';
import { hostWords } from './host/words';

/** Set by the bundle's first line (esbuild.js): when VS Code began to evaluate this extension's code. */
declare const __trainingTraceLoadStart: number | undefined;
/** This module's body runs last in the bundle, once everything it imports is evaluated. */
const loadMs = typeof __trainingTraceLoadStart === 'number' ? performance.now() - __trainingTraceLoadStart : 0;

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
  /** How long starting took, in ms: evaluating the extension's bundle, and its `activate()` (VS Code's own work in between is not counted). */
  readonly activation: { loadMs: number; activateMs: number };
  /** Worker threads, file watchers and run listeners the extension holds now, and checks in progress: all return to 0 when nothing runs. */
  liveResources(): Readonly<Record<ResourceKind | 'checks', number>>;
}

export type { PanelReport, RunEnd, RunStart };

export function activate(context: vscode.ExtensionContext): TrainingTraceApi {
  const activateStart = performance.now();
  const words = hostWords();
  const panels = new Panels();
  const traces = new TraceCommands(context.extensionUri, words, panels);
  const controller = new TrainingController(context.extensionUri, words, traces.panelActions, panels);
  const traceEditors = new TraceEditorProvider(context.extensionUri, words, traces.panelActions, panels);
  context.subscriptions.push(
    words,
    controller,
    traceEditors,
    ...traces.register(),
    vscode.window.registerCustomEditorProvider(TRACE_VIEW_TYPE, traceEditors, { supportsMultipleEditorsPerDocument: true }),
    vscode.commands.registerCommand('trainingTrace.run', (uri?: vscode.Uri): Promise<RunStart> => controller.run(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('trainingTrace.stop', () => controller.stop()),
    vscode.commands.registerCommand('trainingTrace.compareBatchSizes', (uri?: vscode.Uri) => controller.compareBatchSizes(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('trainingTrace.compareConfigs', () => controller.compareConfigs()),
    vscode.commands.registerCommand('trainingTrace.newConfig', (request?: unknown) => newTrainingConfig(words, request)),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        controller.revive(panel, isPanelState(state) ? state.file : undefined);
      },
    }),
    ...registerConfigLenses(words),
    ...registerRunProgress(controller, words),
    ...registerReveal(controller, words),
    ...registerWalkthrough(context, controller),
    ...registerPythonScripts(controller, context.extensionUri, words),
  );
  const activation = { loadMs, activateMs: performance.now() - activateStart };
  return {
    onDidEndRun: controller.onDidEndRun,
    describePanel: async (file?: string) => (file === undefined ? controller.currentPanel : panels.showing(file))?.describe(),
    activation,
    liveResources: () => ({ ...liveResources(), checks: controller.pendingChecks }),
  };
}

export function deactivate(): void {}
