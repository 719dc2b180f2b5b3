import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
    const bad = configUri('broken.training.json');
    fs.writeFileSync(bad.fsPath, '{\n  "data": {"generate": "xor"},\n  "model": {"layers": [{"units": 0}]},\n  "epochs": "3"\n}\n');
    const { start } = await run(bad);
    assert.equal(start.status, 'problems');
    const diagnostics = vscode.languages.getDiagnostics(bad);
    assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.severity]), [
      [2, 33, vscode.DiagnosticSeverity.Error],
      [3, 12, vscode.DiagnosticSeverity.Error],
    ]);
    assert.match(diagnostics[0].message, /\$\.model\.layers\[0\]\.units: must be an integer ≥ 1/);
    await panelShows((r) => r.status === 'problems' && r.file === bad.fsPath);
    // The same panel then shows a good run: nothing was left broken.
    assert.equal((await run(configUri('answer.training.json'))).end?.status, 'done');
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
});

/** The CLI of this extension's folder, as a learner runs it in a terminal. */
function cli(...args: string[]): Buffer {
  const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
  // Desktop VS Code's execPath is Electron: it runs as Node with ELECTRON_RUN_AS_NODE.
  const result = spawnSync(process.execPath, [path.join(extension.extensionPath, 'bin', 'training-trace.js'), ...args], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 1 << 28 });
  assert.equal(result.status, 0, result.stderr.toString());
  return result.stdout;
}

function traceTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'trainingTrace.trace');
}

suite('Training Trace: save, reopen and export a trace', () => {
  const traceUri = () => configUri('question.trace.jsonl');
  let live: PanelReport;

  suiteSetup(async () => {
    await closeAllEditors();
    assert.equal((await run(configUri('question.training.json'))).end?.status, 'done');
    live = await panelShows((r) => r.status === 'done' && r.file === configUri('question.training.json').fsPath);
  });

  test('Save Trace writes the run shown, byte for byte what `training-trace run --format jsonl` prints', async () => {
    const saved = (await vscode.commands.executeCommand('trainingTrace.saveTrace', traceUri())) as vscode.Uri | undefined;
    assert.equal(saved?.fsPath, traceUri().fsPath);
    const written = fs.readFileSync(traceUri().fsPath);
    assert.ok(written.length > 10_000);
    assert.ok(written.equals(cli('run', configUri('question.training.json').fsPath, '--format', 'jsonl')), 'the saved trace is the CLI’s, byte for byte');
    assert.deepEqual(fs.readdirSync(workspace()).filter((f) => f.endsWith('.partial')), [], 'no partial file left');
  });

  test('opens a *.trace.jsonl file in the panel, in its own editor, without training: the panel reads as the live run did', async () => {
    const ends: RunEnd[] = [];
    const listener = (await api()).onDidEndRun((e) => ends.push(e));
    await vscode.commands.executeCommand('vscode.open', traceUri());
    const report = await waitForTrace(traceUri().fsPath, (r) => r.status === 'done');
    listener.dispose();
    assert.deepEqual(ends, [], 'no run started');
    assert.equal(traceTabs().length, 1, 'the trace opened in the Training Trace editor, the default for *.trace.jsonl');
    const { file: _traceFile, ...fromTrace } = report;
    const { file: _configFile, ...fromLive } = live;
    assert.deepEqual(fromTrace, fromLive);
  });

  test('reopens the trace as text with “Reopen Editor With… Text Editor”', async () => {
    await vscode.commands.executeCommand('vscode.openWith', traceUri(), 'default');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, traceUri().fsPath);
    assert.match(vscode.window.activeTextEditor!.document.lineAt(0).text, /^\{"type":"run","version":1,/);
  });

  test('exports the view of the panel as one HTML page', async () => {
    await vscode.commands.executeCommand('vscode.openWith', traceUri(), 'trainingTrace.trace');
    await waitForTrace(traceUri().fsPath, (r) => r.status === 'done');
    const target = configUri('question.html');
    const written = (await vscode.commands.executeCommand('trainingTrace.exportHtml', target)) as vscode.Uri | undefined;
    assert.equal(written?.fsPath, target.fsPath);
    const page = fs.readFileSync(target.fsPath, 'utf8');
    assert.match(page, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-/);
    assert.match(page, /Random weights are initialised — once, before the first epoch/);
    assert.match(page, /<details class="numbers" open>/);
  });

  test('shows a trace cut short up to where it ends, and says where, in the panel and the Problems panel', async () => {
    const lines = fs.readFileSync(traceUri().fsPath, 'utf8').split('\n');
    const cut = configUri('cut.trace.jsonl');
    // 44 whole lines (run, init, epochStart, 6 batches of 6 lines, batch 7 up to its second backward), then 40 bytes of line 45, its update.
    fs.writeFileSync(cut.fsPath, `${lines.slice(0, 44).join('\n')}\n${lines[44].slice(0, 40)}`);
    await vscode.commands.executeCommand('vscode.openWith', cut, 'trainingTrace.trace');
    const report = await waitForTrace(cut.fsPath, (r) => r.status === 'stopped');
    assert.deepEqual(report.nodes, { epoch: 1, batch: 7, point: 14, update: 6 });
    const diagnostics = vscode.languages.getDiagnostics(cut);
    assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.severity]), [[44, 40, vscode.DiagnosticSeverity.Error]]);
    assert.match(diagnostics[0].message, /the file ends in the middle of this event/);
    await closeAllEditors();
    fs.rmSync(cut.fsPath);
  });
});

/** Asks the trace editor's panel what it shows until the answer passes `test`. */
async function waitForTrace(file: string, test: (report: PanelReport) => boolean, timeoutMs = 30_000): Promise<PanelReport> {
  const trainingTrace = await api();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await trainingTrace.describePanel(file);
    if (report && test(report)) return report;
    if (Date.now() > deadline) throw new Error(`the trace’s panel did not show what was expected within ${timeoutMs} ms; it shows ${JSON.stringify(report)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
