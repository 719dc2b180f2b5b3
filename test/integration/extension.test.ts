import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadConfigFile } from '../../src/core/config/loadConfig';
import type { TraceEvent } from '../../src/core/trace/events';
import { traceRun } from '../../src/core/trace/fullTrace';
import type { TrainingTraceApi } from '../../src/extension';
import type { RunOutcome } from '../../src/host/controller';
import type { RenderReport } from '../../src/shared/protocol';

const EXTENSION_ID = 'training-trace.training-trace';
const workspace = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const configUri = (name: string) => vscode.Uri.file(path.join(workspace(), name));

async function api(): Promise<TrainingTraceApi> {
  const extension = vscode.extensions.getExtension<TrainingTraceApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.activate();
}

/** The next render report that passes `test` (or the last one, if it already does). */
async function rendered(test: (report: RenderReport) => boolean, timeoutMs = 30_000): Promise<RenderReport> {
  const trainingTrace = await api();
  const last = trainingTrace.lastRender();
  if (last && test(last)) return last;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`no render report passed the test within ${timeoutMs} ms; the last was ${JSON.stringify(trainingTrace.lastRender())}`));
    }, timeoutMs);
    const listener = trainingTrace.onDidRender((report) => {
      if (!test(report)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(report);
    });
  });
}

function panelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('trainingTrace.panel'));
}

/** Node counts of a config's trace, computed here from the core's full trace: the oracle for the panel's report. */
function expectedCounts(file: string): RenderReport['nodes'] {
  const loaded = loadConfigFile(file);
  assert.ok(loaded.ok);
  const events: TraceEvent[] = [];
  traceRun(loaded.config, loaded.data, (e) => events.push(e));
  const count = (type: TraceEvent['type']) => events.filter((e) => e.type === type).length;
  return { epoch: count('epochStart'), batch: count('batchStart'), point: count('forward'), update: count('update') };
}

async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

suite('Training Trace in VS Code', () => {
  suiteSetup(async () => {
    await closeAllEditors();
  });

  test('activates when a *.training.json file is opened', async () => {
    const document = await vscode.workspace.openTextDocument(configUri('question.training.json'));
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    for (let waited = 0; !extension.isActive && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    assert.ok(extension.isActive, 'the extension is active');
  });

  test('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('trainingTrace.run'), 'trainingTrace.run');
    assert.ok(commands.includes('trainingTrace.stop'), 'trainingTrace.stop');
  });

  for (const name of ['question.training.json', 'answer.training.json', 'sgd.training.json']) {
    test(`runs ${name} into a panel beside the editor whose tree matches the trace`, async () => {
      const document = await vscode.workspace.openTextDocument(configUri(name));
      await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
      const outcome = (await vscode.commands.executeCommand('trainingTrace.run')) as RunOutcome;
      assert.equal(outcome.status, 'done');
      const report = await rendered((r) => r.file === configUri(name).fsPath && r.status === 'done');
      assert.deepEqual(report.nodes, expectedCounts(configUri(name).fsPath));
      assert.ok(report.rows > 0);
      const trainingTrace = await api();
      assert.equal(trainingTrace.panelColumn(), vscode.ViewColumn.Two, 'the panel is in the column beside the editor');
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, configUri(name).fsPath, 'the focus stays in the editor');
      assert.equal(panelTabs().length, 1, 'one panel, reused');
    });
  }

  test('shows a malformed config’s problems in the Problems panel and the panel, and recovers', async () => {
    const bad = configUri('broken.training.json');
    fs.writeFileSync(bad.fsPath, '{\n  "data": {"generate": "xor"},\n  "model": {"layers": [{"units": 0}]},\n  "epochs": "3"\n}\n');
    const outcome = (await vscode.commands.executeCommand('trainingTrace.run', bad)) as RunOutcome;
    assert.equal(outcome.status, 'problems');
    const diagnostics = vscode.languages.getDiagnostics(bad);
    assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.severity]), [
      [2, 33, vscode.DiagnosticSeverity.Error],
      [3, 12, vscode.DiagnosticSeverity.Error],
    ]);
    assert.match(diagnostics[0].message, /\$\.model\.layers\[0\]\.units: must be an integer ≥ 1/);
    await rendered((r) => r.status === 'problems' && r.file === bad.fsPath);
    // The same panel then shows a good run: nothing was left broken.
    const good = (await vscode.commands.executeCommand('trainingTrace.run', configUri('answer.training.json'))) as RunOutcome;
    assert.equal(good.status, 'done');
    await rendered((r) => r.status === 'done' && r.file === configUri('answer.training.json').fsPath);
    fs.writeFileSync(bad.fsPath, fs.readFileSync(configUri('answer.training.json').fsPath));
    const fixed = (await vscode.commands.executeCommand('trainingTrace.run', bad)) as RunOutcome;
    assert.equal(fixed.status, 'done');
    assert.deepEqual(vscode.languages.getDiagnostics(bad), [], 'fixing the config clears its problems');
    fs.rmSync(bad.fsPath);
  });

  test('stops the trainer when the panel is closed during a long run', async () => {
    const pending = vscode.commands.executeCommand('trainingTrace.run', configUri('long.training.json')) as Thenable<RunOutcome>;
    await rendered((r) => r.status === 'running' && r.nodes.point > 0 && r.file === configUri('long.training.json').fsPath);
    const trainingTrace = await api();
    assert.ok(trainingTrace.isRunning());
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(configUri('answer.training.json')), vscode.ViewColumn.One);
    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
    assert.equal(panelTabs().length, 0, 'the panel is closed');
    assert.equal((await pending).status, 'stopped');
    assert.equal(trainingTrace.isRunning(), false);
  });

  test('running twice quickly leaves one run and one panel', async () => {
    const first = vscode.commands.executeCommand('trainingTrace.run', configUri('long.training.json')) as Thenable<RunOutcome>;
    const second = vscode.commands.executeCommand('trainingTrace.run', configUri('question.training.json')) as Thenable<RunOutcome>;
    const [a, b] = await Promise.all([first, second]);
    assert.ok(a.status === 'stopped' || a.status === 'cancelled', `the first run was replaced (${a.status})`);
    assert.equal(b.status, 'done');
    await rendered((r) => r.status === 'done' && r.file === configUri('question.training.json').fsPath);
    assert.equal(panelTabs().length, 1);
    assert.equal((await api()).isRunning(), false);
  });

  test('stops a run with the Stop command', async () => {
    const pending = vscode.commands.executeCommand('trainingTrace.run', configUri('long.training.json')) as Thenable<RunOutcome>;
    await rendered((r) => r.status === 'running' && r.file === configUri('long.training.json').fsPath);
    await vscode.commands.executeCommand('trainingTrace.stop');
    assert.equal((await pending).status, 'stopped');
    await rendered((r) => r.status === 'stopped');
  });
});
