import * as vscode from 'vscode';
import { TrainingController, type RunOutcome } from './host/controller';
import { PANEL_VIEW_TYPE, type TrainingPanel } from './host/trainingPanel';
import type { RenderReport } from './shared/protocol';

/** What the extension gives other extensions and its own tests. */
export interface TrainingTraceApi {
  /** The panel's last render report, and each new one. */
  lastRender(): RenderReport | undefined;
  onDidRender: vscode.Event<RenderReport>;
  /** The column the panel is in, if it is open. */
  panelColumn(): vscode.ViewColumn | undefined;
  isRunning(): boolean;
}

export function activate(context: vscode.ExtensionContext): TrainingTraceApi {
  const controller = new TrainingController(context.extensionUri);
  const renders = new vscode.EventEmitter<RenderReport>();
  // Each panel's renders are forwarded while it lives; its own disposal ends the forwarding.
  const forwardRenders = (panel: TrainingPanel) => {
    const forwarding = panel.onDidRender((report) => renders.fire(report));
    panel.onDidDispose(() => forwarding.dispose());
  };
  context.subscriptions.push(
    controller,
    renders,
    controller.onDidCreatePanel(forwardRenders),
    vscode.commands.registerCommand('trainingTrace.run', (uri?: vscode.Uri): Promise<RunOutcome> => controller.run(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('trainingTrace.stop', () => controller.stop()),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const file = typeof state === 'object' && state !== null && typeof (state as { file?: unknown }).file === 'string' ? (state as { file: string }).file : undefined;
        controller.revive(panel, file);
      },
    }),
  );
  return {
    lastRender: () => controller.currentPanel?.lastRender,
    onDidRender: renders.event,
    panelColumn: () => controller.currentPanel?.panel.viewColumn,
    isRunning: () => controller.running,
  };
}

export function deactivate(): void {}
