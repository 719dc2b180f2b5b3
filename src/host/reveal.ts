import * as vscode from 'vscode';
import { placeOfNode, pointNodeOf } from '../core/load/places';
import { refFromId } from '../core/outline/tree';
import type { SourcePlace } from '../core/validation/problems';
import { label, type Label } from '../core/words/label';
import type { Words } from '../core/words/words';
import type { TrainingController } from './controller';

/** Offered on a line that holds a data row of the run the panel shows. */
const SHOW_POINT = vscode.CodeActionKind.Empty.append('trainingTrace.showPoint');

/** What revealing a node did: the editor and the selection made, and what was said about it. */
export interface Revealed {
  uri: vscode.Uri;
  selection: vscode.Selection;
  said?: string;
}

/**
 * Beside the code, both ways. A node of the panel's tree (Enter or a double-click) is shown
 * where it comes from, selected in an editor beside the panel: a data point's row (its CSV
 * line, its element of a JSON data file, `inputs[i]` of an inline config), a batch's
 * `batchSize`, an update's `optimizer`, the initialisation's `model.init` or `initialWeights`;
 * generated data says so, at the generator. And a data row under the cursor is shown as its
 * data point in the panel's tree, in epoch 1 (a code action on the row, or the command).
 *
 * `trainingTrace.revealNode` (a node id) and `trainingTrace.showPoint` (a file and a 0-based
 * line and character) do the same from scripts and the extension's tests.
 */
export function registerReveal(controller: TrainingController, words: Words): vscode.Disposable[] {
  return [
    controller.onDidAskReveal((nodeId) => void revealNode(controller, words, nodeId)),
    controller.onDidStartRun(() => void vscode.commands.executeCommand('setContext', 'trainingTrace.hasRun', true)),
    vscode.commands.registerCommand('trainingTrace.revealNode', (nodeId: string) => revealNode(controller, words, nodeId)),
    vscode.commands.registerCommand('trainingTrace.showPoint', (uri?: vscode.Uri, line?: number, character?: number) => showPoint(controller, words, uri, line, character)),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, {
      provideCodeActions: (document, range) => {
        const row = controller.currentPanel && controller.currentRun?.places()?.rows.rowAt(document.uri.fsPath, range.start.line + 1, range.start.character + 1);
        if (row === undefined) return [];
        const action = new vscode.CodeAction(words.text(label('reveal.showPoint', { point: pointName(row) })), SHOW_POINT);
        action.command = { command: 'trainingTrace.showPoint', title: action.title, arguments: [document.uri, range.start.line, range.start.character] };
        return [action];
      },
    }, { providedCodeActionKinds: [SHOW_POINT] }),
  ];
}

/** Shows where a node of the run's tree comes from, selected in an editor beside the panel. */
async function revealNode(controller: TrainingController, words: Words, nodeId: string): Promise<Revealed | undefined> {
  const run = controller.currentRun;
  const ref = run && refFromId(run.session.summary, nodeId);
  const places = run?.places();
  const where = run && ref && places && placeOfNode(run.session.summary, ref, run.session.config, places);
  if (!where) return undefined;
  const document = await vscode.workspace.openTextDocument(where.place.file);
  let range = rangeOf(document, where.place);
  let note: Label | undefined;
  if (where.kind === 'generated') {
    const generate = 'generate' in run.session.config.data ? run.session.config.data.generate : '';
    note = label('reveal.generated', { point: pointName(where.row), generator: generate });
  } else if (where.kind === 'key' && !where.written) {
    // Not written: its default applies. The cursor goes to the start of what holds it, nothing selected.
    range = new vscode.Range(range.start, range.start);
    note = label('reveal.default', { key: where.key.join('.'), value: JSON.stringify(where.value) });
  }
  const editor = await vscode.window.showTextDocument(document, { viewColumn: besidePanel(controller, document), selection: range, preview: true });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  const said = note && words.text(note);
  if (said) void vscode.window.showInformationMessage(said);
  return { uri: document.uri, selection: editor.selection, said };
}

/** Selects, in the panel's tree, the data point of the row at a place (by default the cursor's), in epoch 1. */
async function showPoint(controller: TrainingController, words: Words, uri?: vscode.Uri, line?: number, character?: number): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const file = uri?.fsPath ?? editor?.document.uri.fsPath;
  const position = line !== undefined ? new vscode.Position(line, character ?? 0) : editor?.selection.active;
  const run = controller.currentRun;
  const panel = controller.currentPanel;
  const row = file && position ? run?.places()?.rows.rowAt(file, position.line + 1, position.character + 1) : undefined;
  if (!run || !panel || row === undefined) {
    void vscode.window.showInformationMessage(words.text(label('reveal.noRow')));
    return undefined;
  }
  const found = pointNodeOf(run.session.summary, row);
  if ('missing' in found) {
    void vscode.window.showInformationMessage(words.text(label(found.missing === 'dropped' ? 'reveal.dropped' : 'reveal.notReached', { point: pointName(row) })));
    return undefined;
  }
  panel.select(found.nodeId);
  return found.nodeId;
}

function pointName(row: number): Label {
  return label('point.name', { n: row + 1 });
}

/** A place as a range of the document as it is now (lines past its end are clamped). */
function rangeOf(document: vscode.TextDocument, place: SourcePlace): vscode.Range {
  const lastLine = document.lineCount - 1;
  const start = new vscode.Position(Math.min(place.line - 1, lastLine), place.column - 1);
  const endLine = Math.min(place.endLine - 1, lastLine);
  const end = place.endColumn === undefined ? document.lineAt(endLine).range.end : new vscode.Position(endLine, place.endColumn - 1);
  return document.validateRange(new vscode.Range(start, end));
}

/** The column beside the panel: where the document is already shown, else where another editor is, else a new one beside. */
function besidePanel(controller: TrainingController, document: vscode.TextDocument): vscode.ViewColumn {
  const panelColumn = controller.currentPanel?.panel.viewColumn;
  const others = vscode.window.visibleTextEditors.filter((e) => e.viewColumn !== undefined && e.viewColumn !== panelColumn);
  const showing = others.find((e) => e.document === document) ?? others[0];
  return showing?.viewColumn ?? (panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One);
}
