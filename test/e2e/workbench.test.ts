import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { loadConfigFile } from '../../src/core/load/loadConfig';
import type { BackwardEvent, TraceEvent } from '../../src/core/trace/events';
import { traceRun } from '../../src/core/trace/fullTrace';
import { launchChromium } from '../support/chromium';

interface CodeServer {
  url: string;
  stop(): Promise<void>;
}

interface CodeServerScripts {
  provisionCodeServer(options?: { log?: (line: string) => void }): Promise<{ entry: string }>;
  startCodeServer(options: { entry: string; workspace: string; userDataDir: string; extensionsDir: string; log?: (line: string) => void }): Promise<CodeServer>;
}

interface Harness {
  scratchDirs(name: string): { root: string; userDataDir: string; extensionsDir: string };
}

// The provisioning scripts are plain JavaScript (they run before anything is compiled).
const codeServer = { ...require('../../../scripts/vscode/provision'), ...require('../../../scripts/vscode/codeServer') } as CodeServerScripts;
const harness = require('../../../scripts/vscode/codeServerTests') as Harness;

const REPO = path.resolve(__dirname, '..', '..', '..');
const ARTIFACTS = path.join(REPO, 'test-artifacts');
const VSIX = path.join(REPO, 'training-trace.vsix');
const log = (line: string) => process.env.TRAINING_TRACE_VERBOSE && console.log(line);

/**
 * What a new user does, in a real VS Code (code-server) with the packaged .vsix installed:
 * open the learner's config, run "Training Trace: Run Training Config" from the Command
 * Palette, read the tree in the panel's webview, hover a backward step and read its numbers.
 */
describe('the packaged extension in the VS Code workbench', function () {
  this.timeout(180_000);
  let dirs: ReturnType<Harness['scratchDirs']>;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let workspace: string;

  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} exists (npm run package makes it)`);
    const { entry } = await codeServer.provisionCodeServer({ log });
    dirs = harness.scratchDirs('workbench');
    const install = spawnSync(process.execPath, [entry, '--extensions-dir', dirs.extensionsDir, '--user-data-dir', dirs.userDataDir, '--install-extension', VSIX], { encoding: 'utf8' });
    assert.match(install.stdout + install.stderr, /was successfully installed/, install.stdout + install.stderr);
    workspace = path.join(dirs.root, 'workspace');
    fs.mkdirSync(workspace);
    for (const name of fs.readdirSync(path.join(REPO, 'examples'))) fs.copyFileSync(path.join(REPO, 'examples', name), path.join(workspace, name));
    fs.copyFileSync(path.join(REPO, 'test', 'integration', 'workspace', 'long.training.json'), path.join(workspace, 'long.training.json'));
    writeSettings('Default Dark Modern');
    server = await codeServer.startCodeServer({ entry, workspace, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir, log });
    browser = await launchChromium({ log });
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
    // The Explorer lists the files once the server's remote connection works: only then do keys reach the workbench.
    await page.waitForSelector('.explorer-folders-view .monaco-list-row:has-text("question.training.json")', { timeout: 60_000 });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterEach(async function () {
    // What the workbench showed when a test failed is the first thing to look at.
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(ARTIFACTS, `workbench-failure-${Date.now()}.png`) });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dirs) fs.rmSync(dirs.root, { recursive: true, force: true });
  });

  /** A quiet workbench in the given theme: no welcome page, tips, trust prompt or recommendations. */
  function writeSettings(theme: string): void {
    const user = path.join(dirs.userDataDir, 'User');
    fs.mkdirSync(user, { recursive: true });
    const settings = { 'workbench.colorTheme': theme, 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'security.workspace.trust.enabled': false, 'extensions.ignoreRecommendations': true, 'chat.commandCenter.enabled': false };
    fs.writeFileSync(path.join(user, 'settings.json'), JSON.stringify(settings, null, 2));
  }

  /**
   * Runs a command from the Command Palette as a user does, retrying while the workbench
   * settles (an extension's commands appear once its contributions are read).
   */
  async function runFromCommandPalette(title: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('F1');
      const input = await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible', timeout: 3000 }).catch(() => null);
      if (input) {
        await page.keyboard.type(title);
        const row = await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${title}")`, { timeout: 5000 }).catch(() => null);
        if (row) break;
      }
      await page.keyboard.press('Escape');
      if (attempt === 8) throw new Error(`the Command Palette did not offer "${title}"`);
    }
    await page.keyboard.press('Enter');
  }

  /** The frame that holds the panel's own document (webviews nest it in two iframes). */
  async function panelFrame(): Promise<Frame> {
    for (let waited = 0; waited < 30_000; waited += 250) {
      for (const frame of page.frames()) {
        if (await frame.$('.tree .row').catch(() => null)) return frame;
      }
      await page.waitForTimeout(250);
    }
    throw new Error('the Training Trace panel did not appear');
  }

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
    await frame.hover(`.row[data-id="e1/b${backward.batch}/d0/backward"]`);
    await frame.waitForSelector('.hover-card:not([hidden]) .section .matrix');
    const shown = await frame.$$eval('.hover-card .section:first-child .matrix td .num', (cells) => cells.map((c) => Number((c as HTMLElement).title)));
    assert.deepEqual(shown, backward.gradient.weights.flatMap((layer, l) => layer.flatMap((row, o) => [...row, backward.gradient.biases[l][o]])));
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

  it('does not rerun a long run after a window reload: it names the config, says how long it would take, and offers Run (screenshot kept)', async () => {
    await page.click('.explorer-folders-view .monaco-list-row:has-text("long.training.json")');
    await page.waitForSelector('.tab.active[aria-label*="long.training.json"]', { timeout: 30_000 });
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
