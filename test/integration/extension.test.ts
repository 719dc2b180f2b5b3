import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadConfigFile } from '../../src/core/load/loadConfig';
import type { TraceEvent } from '../../src/core/trace/events';
import { traceRun } from '../../src/core/trace/fullTrace';
import type { PanelReport, RunEnd, RunStart, TrainingTraceApi } from '../../src/extension';

const EXTENSION_ID = 'training-trace.training-trace';
const workspace = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const configUri = (name: string) => vscode.Uri.file(path.join(workspace(), name));

async function api(): Promise<TrainingTraceApi> {
  const extension = vscode.extensions.getExtension<TrainingTraceApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.activate();
}

/** Runs a config as the command does; resolves with how it started and, when it started, how it ended. */
async function run(uri?: vscode.Uri): Promise<{ start: RunStart; end?: RunEnd }> {
  const trainingTrace = await api();
  const ends: RunEnd[] = [];
  let arrived = () => {};
  const listener = trainingTrace.onDidEndRun((e) => {
    ends.push(e);
    arrived();
  });
  try {
    const start = (await vscode.commands.executeCommand('trainingTrace.run', uri)) as RunStart;
    if (start.status !== 'started') return { start };
    // Another run (one this one replaced) may end first: wait for this run's own end.
    for (;;) {
      const end = ends.find((e) => e.file === start.file);
      if (end) return { start, end };
      await new Promise<void>((resolve) => (arrived = resolve));
    }
  } finally {
    listener.dispose();
  }
}

/** Asks the panel what it shows until the answer passes `test`. */
async function panelShows(test: (report: PanelReport) => boolean, timeoutMs = 30_000): Promise<PanelReport> {
  const trainingTrace = await api();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await trainingTrace.describePanel();
    if (report && test(report)) return report;
    if (Date.now() > deadline) throw new Error(`the panel did not show what was expected within ${timeoutMs} ms; it shows ${JSON.stringify(report)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function panelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('trainingTrace.panel'));
}

/** The column of the editor group the panel's tab is in. */
function panelColumn(): vscode.ViewColumn | undefined {
  return vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => panelTabs().includes(t)))?.viewColumn;
}

/** Node counts of a config's full trace (the same core's other path): what the panel's tree must hold. */
function expectedCounts(file: string): PanelReport['nodes'] {
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

  test('activates when a *.training.json file is opened, and not before', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(extension.isActive, false, 'nothing has activated it yet: this test runs first, with no file open');
    const document = await vscode.workspace.openTextDocument(configUri('question.training.json'));
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    for (let waited = 0; !extension.isActive && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    assert.ok(extension.isActive, 'the extension is active');
  });

  test('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('trainingTrace.run'), 'trainingTrace.run');
    assert.ok(commands.includes('trainingTrace.stop'), 'trainingTrace.stop');
  });

  for (const name of ['question.training.json', 'answer.training.json', 'sgd.training.json']) {
    test(`runs ${name} into a panel beside the editor whose tree holds the nodes of the full trace`, async () => {
      const document = await vscode.workspace.openTextDocument(configUri(name));
      await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
      const { start, end } = await run();
      assert.deepEqual(start, { file: configUri(name).fsPath, status: 'started' }, 'the command resolves once the run has started');
      assert.deepEqual(end, { file: configUri(name).fsPath, status: 'done' });
      const report = await panelShows((r) => r.file === configUri(name).fsPath && r.status === 'done');
      assert.deepEqual(report.nodes, expectedCounts(configUri(name).fsPath));
      assert.ok(report.rows > 0);
      assert.equal(panelColumn(), vscode.ViewColumn.Two, 'the panel is in the column beside the editor');
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, configUri(name).fsPath, 'the focus stays in the editor');
      assert.equal(panelTabs().length, 1, 'one panel, reused');
    });
  }

  test('shows a malformed config’s problems in the Problems panel and the panel, and recovers', async () => {
    // With no run shown, the panel shows the problems.
    await vscode.window.tabGroups.close(panelTabs());
    const bad = configUri('broken.training.json');
    fs.writeFileSync(bad.fsPath, '{\n  "data": {"generate": "xor"},\n  "model": {"layers": [{"units": 0}]},\n  "epochs": "3"\n}\n');
    const { start } = await run(bad);
    assert.equal(start.status, 'problems');
    const diagnostics = vscode.languages.getDiagnostics(bad);
    // Underlined exactly: the value 0, and the value "3".
    assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.severity]), [
      [2, 33, 2, 34, vscode.DiagnosticSeverity.Error],
      [3, 12, 3, 15, vscode.DiagnosticSeverity.Error],
    ]);
    assert.match(diagnostics[0].message, /\$\.model\.layers\[0\]\.units: must be an integer ≥ 1/);
    await panelShows((r) => r.status === 'problems' && r.file === bad.fsPath);
    // The same panel then shows a good run: nothing was left broken.
    assert.equal((await run(configUri('answer.training.json'))).end?.status, 'done');
    await panelShows((r) => r.status === 'done' && r.file === configUri('answer.training.json').fsPath);
    // Running the broken config again shows its problems, and the last good trace stays in the panel.
    assert.equal((await run(bad)).start.status, 'problems');
    await panelShows((r) => r.status === 'done' && r.file === configUri('answer.training.json').fsPath);
    fs.writeFileSync(bad.fsPath, fs.readFileSync(configUri('answer.training.json').fsPath));
    assert.equal((await run(bad)).end?.status, 'done');
    assert.deepEqual(vscode.languages.getDiagnostics(bad), [], 'fixing the config clears its problems');
    fs.rmSync(bad.fsPath);
  });

  test('stops the trainer when the panel is closed during a long run', async () => {
    const long = run(configUri('long.training.json'));
    await panelShows((r) => r.status === 'running' && r.nodes.point > 0 && r.file === configUri('long.training.json').fsPath);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(configUri('answer.training.json')), vscode.ViewColumn.One);
    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
    assert.equal(panelTabs().length, 0, 'the panel is closed');
    assert.equal((await long).end?.status, 'stopped');
  });

  test('running twice quickly leaves one run and one panel', async () => {
    const ends: RunEnd[] = [];
    const listener = (await api()).onDidEndRun((e) => ends.push(e));
    const first = vscode.commands.executeCommand('trainingTrace.run', configUri('long.training.json')) as Thenable<RunStart>;
    const second = run(configUri('question.training.json'));
    const [a, b] = await Promise.all([first, second]);
    listener.dispose();
    assert.equal(b.end?.status, 'done');
    if (a.status === 'started') assert.deepEqual(ends[0], { file: configUri('long.training.json').fsPath, status: 'stopped' }, 'the first run was replaced');
    else assert.equal(a.status, 'cancelled', 'the first run was replaced before it started');
    await panelShows((r) => r.status === 'done' && r.file === configUri('question.training.json').fsPath);
    assert.equal(panelTabs().length, 1);
  });

  test('stops a run with the Stop command', async () => {
    const long = run(configUri('long.training.json'));
    await panelShows((r) => r.status === 'running' && r.file === configUri('long.training.json').fsPath);
    await vscode.commands.executeCommand('trainingTrace.stop');
    assert.equal((await long).end?.status, 'stopped');
    await panelShows((r) => r.status === 'stopped');
  });

  /** Waits until the config's diagnostics pass `test` (they come from a check in a worker, after a pause in typing). */
  async function diagnosticsOf(uri: vscode.Uri, test: (d: readonly vscode.Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<readonly vscode.Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (test(diagnostics)) return diagnostics;
      if (Date.now() > deadline) throw new Error(`the diagnostics of ${uri.fsPath} never came right; they are ${JSON.stringify(diagnostics.map((d) => [d.range.start.line, d.message]))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  test('checks a config as the learner types: problems appear without Run, at their place, and clear when fixed', async () => {
    const uri = configUri('typing.training.json');
    fs.writeFileSync(uri.fsPath, '{\n  "data": {"generate": "xor"},\n  "model": {"layers": [{"units": 1}]},\n  "epochs": 3\n}\n');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.One);
    await diagnosticsOf(uri, (d) => d.length > 0 && d.every((x) => x.severity === vscode.DiagnosticSeverity.Warning));
    // Typing a mistake: 3 becomes 0 (unsaved), and the check after the pause finds it, underlined exactly.
    await editor.edit((edit) => edit.replace(new vscode.Range(3, 12, 3, 13), '0'));
    const broken = await diagnosticsOf(uri, (d) => d.some((x) => x.severity === vscode.DiagnosticSeverity.Error));
    const error = broken.find((x) => x.severity === vscode.DiagnosticSeverity.Error)!;
    assert.deepEqual([error.range.start.line, error.range.start.character, error.range.end.line, error.range.end.character], [3, 12, 3, 13]);
    assert.match(error.message, /\$\.epochs: must be an integer ≥ 1/);
    await editor.edit((edit) => edit.replace(new vscode.Range(3, 12, 3, 13), '2'));
    await diagnosticsOf(uri, (d) => d.every((x) => x.severity !== vscode.DiagnosticSeverity.Error));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    fs.rmSync(uri.fsPath);
  });

  test('points at a bad CSV row in the CSV itself, the whole line, and rechecks when the CSV is saved', async () => {
    const csv = configUri('rows.csv');
    fs.writeFileSync(csv.fsPath, 'a,b,y\n1,2,3\n4,5\n7,8,9\n');
    const uri = configUri('rows.training.json');
    fs.writeFileSync(uri.fsPath, JSON.stringify({ data: { file: 'rows.csv' }, model: { layers: [{ units: 1 }] } }));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.One);
    const problems = await diagnosticsOf(csv, (d) => d.length === 1);
    assert.equal(problems[0].range.start.line, 2);
    assert.equal(problems[0].range.start.character, 0);
    assert.ok(problems[0].range.end.character >= 3, 'to the end of the line');
    assert.match(problems[0].message, /row 2: has 2 values but the header has 3 columns/);
    const csvEditor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(csv), vscode.ViewColumn.One);
    await csvEditor.edit((edit) => edit.replace(new vscode.Range(2, 0, 2, 3), '4,5,6'));
    await csvEditor.document.save();
    await diagnosticsOf(csv, (d) => d.length === 0);
    await closeAllEditors();
    fs.rmSync(uri.fsPath);
    fs.rmSync(csv.fsPath);
  });

  test('reads no data file outside the workspace folder: ../, absolute paths and symbolic links are refused, devices too', async () => {
    const outside = path.join(path.dirname(workspace()), `outside-${path.basename(workspace())}.csv`);
    fs.writeFileSync(outside, 'secret,y\n1,2\n');
    fs.symlinkSync(outside, path.join(workspace(), 'link.csv'));
    try {
      for (const file of [`../${path.basename(outside)}`, outside, 'link.csv', '/dev/zero']) {
        const uri = configUri('outside.training.json');
        fs.writeFileSync(uri.fsPath, JSON.stringify({ data: { file }, model: { layers: [{ units: 1 }] } }));
        const { start } = await run(uri);
        assert.equal(start.status, 'problems', file);
        assert.ok(start.status === 'problems' && start.problems.length === 1, file);
        assert.match(start.status === 'problems' ? start.problems[0] : '', /outside the workspace folder/, file);
        assert.doesNotMatch(start.status === 'problems' ? start.problems[0] : '', /secret/, 'nothing of the file is quoted');
      }
    } finally {
      fs.rmSync(outside, { force: true });
      fs.rmSync(path.join(workspace(), 'link.csv'), { force: true });
      fs.rmSync(configUri('outside.training.json').fsPath, { force: true });
    }
  });

  test('reports, and does not throw, when the config is deleted while it runs', async () => {
    const uri = configUri('deleted.training.json');
    fs.copyFileSync(configUri('long.training.json').fsPath, uri.fsPath);
    const long = run(uri);
    await panelShows((r) => r.status === 'running' && r.file === uri.fsPath);
    fs.rmSync(uri.fsPath);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await panelShows((r) => r.status === 'running' && r.file === uri.fsPath);
    await vscode.commands.executeCommand('trainingTrace.stop');
    assert.equal((await long).end?.status, 'stopped');
  });

  test('leaves no worker, watcher, listener, check or timer behind after 50 runs, stops, closed panels and reloaded webviews', async function () {
    this.timeout(300_000);
    const trainingTrace = await api();
    await vscode.window.tabGroups.close(panelTabs());
    const settle = async () => {
      for (let waited = 0; waited < 10_000; waited += 100) {
        const live = trainingTrace.liveResources();
        if (Object.values(live).every((n) => n === 0)) return live;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return trainingTrace.liveResources();
    };
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    assert.deepEqual(await settle(), { worker: 0, watcher: 0, listener: 0, checks: 0 }, 'nothing is held open before');
    const timersBefore = timers();
    // The panel shows the long run itself (not the end of the one before, still on its way).
    const longRunning = (r: PanelReport) => r.status === 'running' && r.file === configUri('long.training.json').fsPath && r.nodes.point > 0;
    for (let i = 0; i < 50; i++) {
      if (i % 10 === 3) {
        const long = run(configUri('long.training.json'));
        await panelShows(longRunning);
        await vscode.commands.executeCommand('trainingTrace.stop');
        await long;
      } else if (i % 10 === 6) {
        await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
        assert.equal((await run(configUri('answer.training.json'))).end?.status, 'done');
      } else if (i % 10 === 9) {
        const long = run(configUri('long.training.json'));
        await panelShows(longRunning);
        assert.equal(panelTabs().length, 1, `run ${i}: one panel, to close`);
        assert.ok(await vscode.window.tabGroups.close(panelTabs()), `run ${i}: the panel closed`);
        const ended = await long;
        assert.equal(ended.end?.status, 'stopped', `run ${i}: ${JSON.stringify(ended)}`);
      } else {
        assert.equal((await run(configUri(i % 2 ? 'answer.training.json' : 'question.training.json'))).end?.status, 'done');
      }
    }
    await vscode.window.tabGroups.close(panelTabs());
    assert.deepEqual(await settle(), { worker: 0, watcher: 0, listener: 0, checks: 0 }, 'every worker exited; every watcher, listener and check is gone');
    // The extension host runs other timers of its own: only growth with the runs would be ours.
    assert.ok(timers() <= timersBefore + 3, `${timersBefore} timers before, ${timers()} after`);
  });
});
