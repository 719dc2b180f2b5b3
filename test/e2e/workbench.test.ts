import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { loadConfigFile } from '../../src/core/load/loadConfig';
import type { BackwardEvent, TraceEvent } from '../../src/core/trace/events';
import { traceRun } from '../../src/core/trace/fullTrace';
import { launchChromium } from '../support/chromium';
import { ARTIFACTS, REPO, log, panelFrame as findPanelFrame, runFromCommandPalette as runCommand, useWorkbench, writeSettings as writeQuietSettings, type ScratchDirs } from './workbenchPage';

/**
 * What a new user does, in a real VS Code (code-server) with the packaged .vsix installed:
 * open the learner's config, run "Training Trace: Run Training Config" from the Command
 * Palette, read the tree in the panel's webview, hover a backward step and read its numbers.
 */
describe('the packaged extension in the VS Code workbench', function () {
  this.timeout(180_000);
  const workbench = useWorkbench({ name: 'workbench', theme: 'Default Dark Modern', viewport: { width: 1600, height: 900 } });
  let page: Page;
  let dirs: ScratchDirs;
  let workspace: string;
  before(() => ({ page, dirs, workspace } = workbench));

  const writeSettings = (theme: string) => writeQuietSettings(dirs, theme);
  const runFromCommandPalette = (title: string) => runCommand(page, title);
  const panelFrame = () => findPanelFrame(page);

  it('runs the learner’s config from the Command Palette and shows the corrected outline beside the editor', async () => {
    await page.click('.explorer-folders-view .monaco-list-row:has-text("question.training.json")');
    await page.waitForSelector('.tab.active[aria-label*="question.training.json"]', { timeout: 30_000 });
    await runFromCommandPalette('Training Trace: Run Training Config');
    const frame = await panelFrame();
    await frame.waitForSelector('.toolbar .progress:has-text("Done: 3 epochs")', { timeout: 30_000 });
    const chips = await frame.$$eval('.row:not([hidden]) .chip', (items) => items.map((i) => `${i.textContent}:${i.classList.contains('correction') ? 'correction' : 'confirmed'}`));
    for (const id of ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']) assert.ok(chips.includes(`✗ ${id}:correction`), `${id} is shown as a correction`);
    assert.ok(chips.includes('✓ C8:confirmed'));
    // The panel opened beside the editor: two editor groups, the config still in the first.
    assert.equal(await page.$$eval('.editor-group-container', (groups) => groups.length), 2);
    // The real webview's policy: nothing by default, the one script by nonce, no inline script or eval.
    const csp = await frame.$eval('meta[http-equiv="Content-Security-Policy"]', (meta) => meta.getAttribute('content') ?? '');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[^' ]+'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });

  it('shows, on hovering Data point-1’s backward step, the gradient the full trace records (the same trainer: replay against its trace)', async () => {
    const frame = await panelFrame();
    const loaded = loadConfigFile(path.join(workspace, 'question.training.json'));
    assert.ok(loaded.ok);
    const events: TraceEvent[] = [];
    traceRun(loaded.config, loaded.data, (e) => events.push(e));
    const backward = events.find((e): e is BackwardEvent => e.type === 'backward' && e.epoch === 1 && e.index === 0)!;
    await frame.click(`.row[data-id="e1/b${backward.batch}"]`);
    await frame.click(`.row[data-id="e1/b${backward.batch}/d0"]`);
    // The point's numbers fill the details pane below the tree, which shrinks it: hover once it has.
    await frame.waitForSelector('.details-pane .numbers');
    await frame.hover(`.row[data-id="e1/b${backward.batch}/d0/backward"]`);
    await frame.waitForSelector('.hover-card:not([hidden]) .section .matrix');
    const shown = await frame.$$eval('.hover-card .section:first-child .matrix td .num', (cells) => cells.map((c) => Number((c as HTMLElement).title)));
    // The card's tables run down the inputs: a row per input (and the bias), a column per unit.
    const byInput = backward.gradient.weights.flatMap((layer, l) => [...layer[0].map((_, i) => layer.map((row) => row[i])), backward.gradient.biases[l]].flat());
    assert.deepEqual(shown, byInput);
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-dark.png') });
  });

  it('comes back after a window reload, in the theme of the moment (light; screenshot kept in test-artifacts/)', async () => {
    writeSettings('Default Light Modern');
    // As a user does: the command saves the workbench's state (open editors, panels) before reloading.
    await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), runFromCommandPalette('Developer: Reload Window')]);
    // The panel serializer restores the panel and reruns its config: the same tree again.
    const frame = await panelFrame();
    await frame.waitForSelector('.toolbar .progress:has-text("Done: 3 epochs")', { timeout: 30_000 });
    assert.ok(await frame.evaluate(() => document.body.classList.contains('vscode-light')));
    assert.equal(await frame.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
    const chips = await frame.$$eval('.row:not([hidden]) .chip.correction', (items) => items.length);
    assert.ok(chips > 0);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-light.png') });
  });

  /** Opens a file of the workspace from the Explorer, as a user does, and waits for its tab. */
  async function openFromExplorer(name: string): Promise<void> {
    await page.click(`.explorer-folders-view .monaco-list-row:has-text("${name}")`);
    await page.waitForSelector(`.tab.active[aria-label*="${name}"]`, { timeout: 30_000 });
  }

  /** The CodeLens of the config in the active editor (another group may show a config too). */
  async function clickRunLens(): Promise<void> {
    await page.click('.editor-group-container.active .codelens-decoration a:has-text("Run training trace")', { timeout: 30_000 });
  }

  /** Copies a file the extension-host suite uses into the workspace; the Explorer lists it. */
  function addToWorkspace(name: string): void {
    fs.copyFileSync(path.join(REPO, 'test', 'integration', 'workspace', name), path.join(workspace, name));
  }

  it('runs a config from the CodeLens above its first line, shows the epoch in the status bar, and stops on a click there (screenshot kept)', async () => {
    addToWorkspace('long.training.json');
    await page.waitForSelector('.explorer-folders-view .monaco-list-row:has-text("long.training.json")', { timeout: 30_000 });
    await openFromExplorer('long.training.json');
    await clickRunLens();
    const status = await page.waitForSelector('.statusbar-item:has-text("Training: epoch")', { timeout: 30_000 });
    assert.match((await status.textContent())!, /Training: epoch \d+ of 1000/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-running-light.png') });
    await status.click();
    const frame = await panelFrame();
    await frame.waitForSelector('.toolbar .progress:has-text("Stopped at epoch")', { timeout: 30_000 });
    await page.waitForSelector('.statusbar-item:has-text("Training: epoch")', { state: 'detached', timeout: 10_000 });
  });

  it('selects a data point’s CSV row beside the panel on Enter in the tree', async () => {
    addToWorkspace('points.csv');
    addToWorkspace('csv.training.json');
    await page.waitForSelector('.explorer-folders-view .monaco-list-row:has-text("csv.training.json")', { timeout: 30_000 });
    await openFromExplorer('csv.training.json');
    await clickRunLens();
    const frame = await panelFrame();
    await frame.waitForSelector('.toolbar .progress:has-text("Done: 2 epochs")', { timeout: 30_000 });
    const loaded = loadConfigFile(path.join(workspace, 'csv.training.json'));
    assert.ok(loaded.ok);
    const events: TraceEvent[] = [];
    traceRun(loaded.config, loaded.data, (e) => events.push(e));
    // Row 6 ("-0.1,-0.4,-0.5", the file's line 9 after a header and a blank line) in epoch 1.
    const forward = events.find((e) => e.type === 'forward' && e.epoch === 1 && e.index === 6) as Extract<TraceEvent, { type: 'forward' }>;
    const batch = `e1/b${forward.batch}`;
    if ((await frame.getAttribute(`.row[data-id="${batch}"]`, 'aria-expanded')) !== 'true') await frame.click(`.row[data-id="${batch}"]`);
    await frame.click(`.row[data-id="${batch}/d6"] .label`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.tab.active[aria-label*="points.csv"]', { timeout: 30_000 });
    const selection = await page.waitForSelector('.statusbar-item:has-text("(14 selected)")', { timeout: 10_000 });
    assert.equal((await selection.textContent())?.trim(), 'Ln 9, Col 15 (14 selected)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-reveal-light.png') });
  });

  it('writes a new config from the Command Palette, a starting point picked from the list, and opens it', async () => {
    await runFromCommandPalette('Training Trace: New Training Config');
    await page.waitForSelector('.quick-input-list .monaco-list-row:has-text("Stochastic gradient descent")', { timeout: 10_000 });
    await page.keyboard.type('Stochastic');
    await page.keyboard.press('Enter');
    // The save dialog (a quick input in this VS Code) offers the workspace and a free name.
    const input = await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible', timeout: 10_000 });
    await page.waitForFunction((box) => /sgd(-\d+)?\.training\.json$/.test((box as HTMLInputElement).value), input, { timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.tab.active[aria-label*="sgd-2.training.json"], .tab.active[aria-label*="sgd.training.json"]', { timeout: 10_000 });
    const written = fs.readdirSync(workspace).filter((name) => /^sgd(-\d+)?\.training\.json$/.test(name));
    const fresh = written.find((name) => name !== 'sgd.training.json');
    assert.ok(fresh, `a new file beside the example: ${written.join(', ')}`);
    const result = loadConfigFile(path.join(workspace, fresh));
    assert.ok(result.ok);
    assert.equal(result.config.batchSize, 1);
  });

  it('offers the walkthrough, each step done by doing it (screenshot kept)', async () => {
    const openWalkthrough = async () => {
      await runFromCommandPalette('Welcome: Open Walkthrough...');
      await page.waitForSelector('.quick-input-list .monaco-list-row:has-text("What an epoch, a batch and an update really do")', { timeout: 10_000 });
      await page.keyboard.type('What an epoch');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.gettingStartedSlideDetails h2:has-text("What an epoch, a batch and an update really do")', { timeout: 30_000 });
    };
    const step = (title: string) => page.waitForSelector(`button.getting-started-step:has-text("${title}")`, { timeout: 10_000 });
    const done = (title: string) => page.waitForSelector(`button.getting-started-step[aria-checked="true"]:has-text("${title}")`, { timeout: 10_000 });
    await openWalkthrough();
    // 1. Its button opens the learner's config (the copy shipped in the extension).
    await (await step('Open the learner’s config')).click();
    await page.getByRole('button', { name: 'Open the learner’s config', exact: true }).click();
    await page.waitForSelector('.tab.active[aria-label*="question.training.json"]', { timeout: 10_000 });
    await openWalkthrough();
    await done('Open the learner’s config');
    // 2. Its button runs the config the learner was last in, though the walkthrough is now in front.
    await (await step('Run it')).click();
    await page.getByRole('button', { name: 'Run Training Config', exact: true }).click();
    const frame = await panelFrame();
    await frame.waitForSelector('.toolbar .progress:has-text("Done: 3 epochs")', { timeout: 30_000 });
    await done('Run it');
    // 3. Hovering a backward step in the panel.
    const backward = await frame.$eval('.row:not([hidden])[data-kind="backward"]', (row) => (row as HTMLElement).dataset.id!);
    await frame.hover(`.row[data-id="${backward}"]`);
    await frame.waitForSelector('.hover-card:not([hidden])');
    await done('Hover a backward step');
    // 4. Its button compares the three batch sizes: 20, 10 and 1 updates per epoch, side by side.
    await (await step('Compare batch sizes')).click();
    await page.getByRole('button', { name: 'Compare Batch Sizes', exact: true }).click();
    await frame.waitForSelector('.compare-table tr[data-run="3"]', { timeout: 30_000 });
    assert.deepEqual(await frame.$$eval('.compare-table tr[data-run]', (rows) => rows.map((r) => Number((r as HTMLElement).dataset.updates))), [20, 10, 1]);
    await done('Compare batch sizes');
    await (await step('Run it')).click();
    // Its picture is drawn in the theme's colours (this workbench is light since the reload).
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-walkthrough-light.png') });
  });

  it('saves the run as a trace and reopens it after a window reload without training: its config is gone by then (screenshot kept)', async () => {
    await openFromExplorer('question.training.json');
    await runFromCommandPalette('Training Trace: Run Training Config');
    await (await panelFrame()).waitForSelector('.toolbar .progress:has-text("Done: 3 epochs")', { timeout: 30_000 });
    await runFromCommandPalette('Training Trace: Save Trace…');
    // VS Code's own save dialog (a quick input in the browser) offers <config name>.trace.jsonl beside the config.
    await page.waitForSelector('.quick-input-widget .quick-input-title:has-text("Save the run as a trace")', { timeout: 10_000 });
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLInputElement>('.quick-input-widget .quick-input-box input')).some((i) => i.value.endsWith('/workspace/question.trace.jsonl')), undefined, { timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.click('.notifications-toasts .monaco-button:has-text("Open Trace")', { timeout: 30_000 });
    const traceFile = path.join(workspace, 'question.trace.jsonl');
    assert.ok(fs.existsSync(traceFile));
    await page.waitForSelector('.tab.active[aria-label*="question.trace.jsonl"]', { timeout: 30_000 });
    await tracePanel();
    // Nothing can train the run again: the trace alone must bring it back.
    fs.rmSync(path.join(workspace, 'question.training.json'));
    await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), runFromCommandPalette('Developer: Reload Window')]);
    const frame = await tracePanel();
    await page.waitForSelector('.tab[aria-label*="question.trace.jsonl"]', { timeout: 30_000 });
    const chips = await frame.$$eval('.row:not([hidden]) .chip.correction', (items) => items.map((i) => i.textContent));
    assert.ok(chips.includes('✗ C2'), chips.join(' '));
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-trace-reopened.png') });
  });

  /** The frame of the trace editor's panel, once it shows the whole run read from the file. */
  async function tracePanel(): Promise<Frame> {
    for (let waited = 0; waited < 30_000; waited += 250) {
      for (const frame of page.frames()) {
        const file = await frame.$eval('.toolbar .file', (e) => e.textContent).catch(() => null);
        if (file === 'question.trace.jsonl' && (await frame.$('.toolbar .progress:has-text("Done: 3 epochs")').catch(() => null))) return frame;
      }
      await page.waitForTimeout(250);
    }
    throw new Error('the trace’s panel did not show the run');
  }

  it('does not rerun a long run after a window reload: it names the config, says how long it would take, and offers Run (screenshot kept)', async () => {
    // Only this run's panel is open, so the one found after the reload is its.
    await runFromCommandPalette('View: Close All Editors');
    addToWorkspace('long.training.json');
    await page.waitForSelector('.explorer-folders-view .monaco-list-row:has-text("long.training.json")', { timeout: 30_000 });
    await openFromExplorer('long.training.json');
    await runFromCommandPalette('Training Trace: Run Training Config');
    let frame = await panelFrame();
    await frame.waitForSelector('.toolbar .progress:has-text("Epoch")', { timeout: 30_000 });
    await runFromCommandPalette('Training Trace: Stop Training');
    await frame.waitForSelector('.toolbar .progress:has-text("Stopped")', { timeout: 30_000 });
    await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), runFromCommandPalette('Developer: Reload Window')]);
    frame = await waitForFrame('.message h2');
    assert.equal(await frame.textContent('.message h2'), 'long.training.json is ready to run');
    assert.match((await frame.textContent('.message p')) ?? '', /^It was not run again after the window reload: it would take about \d+ s\. Press Run to run it\.$/);
    assert.equal(await frame.$$eval('.tree .row[data-id]', (rows) => rows.length), 0, 'nothing ran');
    await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-reload-long.png') });
    // Run, in the panel, runs it.
    await frame.click('vscode-button:has-text("Run")');
    await frame.waitForSelector('.toolbar .progress:has-text("Epoch")', { timeout: 30_000 });
    await runFromCommandPalette('Training Trace: Stop Training');
  });

  /** The frame of the panel's document once it holds `selector`. */
  async function waitForFrame(selector: string): Promise<Frame> {
    for (let waited = 0; waited < 30_000; waited += 250) {
      for (const frame of page.frames()) {
        if (await frame.$(selector).catch(() => null)) return frame;
      }
      await page.waitForTimeout(250);
    }
    throw new Error(`no frame showed ${selector}`);
  }
});

describe('npm run demo', function () {
  this.timeout(180_000);

  it('serves a working VS Code with the examples and the extension loaded', async () => {
    const demo = spawn(process.execPath, [path.join(REPO, 'scripts', 'demo.js')], { cwd: REPO, env: { ...process.env, TRAINING_TRACE_VSCODE: 'code-server' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    demo.stdout.on('data', (chunk) => (output += chunk));
    demo.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => demo.on('exit', resolve));
    const browser = await launchChromium({ log });
    try {
      for (let waited = 0; !/http:\/\/127\.0\.0\.1:\d+\/\S+/.test(output); waited += 200) {
        assert.ok(waited < 120_000, `the demo printed no URL:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const url = /http:\/\/127\.0\.0\.1:\d+\/\S+/.exec(output)![0];
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(url);
      await page.waitForSelector('.explorer-folders-view .monaco-list-row:has-text("question.training.json")', { timeout: 60_000 });
      await page.click('.explorer-folders-view .monaco-list-row:has-text("question.training.json")');
      // The editor's title bar offers the extension's Run button for a *.training.json file.
      await page.click('.editor-actions [aria-label="Run Training Config"]', { timeout: 60_000 });
      let found = false;
      for (let waited = 0; !found && waited < 30_000; waited += 250) {
        for (const frame of page.frames()) if (await frame.$('.toolbar .progress:has-text("Done: 3 epochs")').catch(() => null)) found = true;
        if (!found) await page.waitForTimeout(250);
      }
      assert.ok(found, 'the panel showed the finished run');
    } finally {
      await browser.close();
      demo.kill('SIGINT');
    }
    assert.equal(await exited, 0, 'Ctrl-C stops the demo cleanly');
  });
});
