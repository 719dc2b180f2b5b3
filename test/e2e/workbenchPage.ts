import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';

/**
 * What the workbench checks share: code-server with the packaged .vsix installed, a quiet
 * workbench, and the two things a user does in every test (the Command Palette, the panel).
 */

interface CodeServer {
  url: string;
  stop(): Promise<void>;
}

interface CodeServerScripts {
  provisionCodeServer(options?: { log?: (line: string) => void }): Promise<{ entry: string }>;
  startCodeServer(options: { entry: string; workspace: string; userDataDir: string; extensionsDir: string; extraArgs?: string[]; log?: (line: string) => void }): Promise<CodeServer>;
}

interface Harness {
  scratchDirs(name: string): ScratchDirs;
}

export interface ScratchDirs {
  root: string;
  userDataDir: string;
  extensionsDir: string;
}

// The provisioning scripts are plain JavaScript (they run before anything is compiled).
export const codeServer = { ...require('../../../scripts/vscode/provision'), ...require('../../../scripts/vscode/codeServer') } as CodeServerScripts;
export const harness = require('../../../scripts/vscode/codeServerTests') as Harness;

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const ARTIFACTS = path.join(REPO, 'test-artifacts');
export const VSIX = path.join(REPO, 'training-trace.vsix');
export const log = (line: string) => process.env.TRAINING_TRACE_VERBOSE && console.log(line);

/** Installs a .vsix into code-server's extensions folder, as `--install-extension` does. */
export function installExtension(entry: string, dirs: ScratchDirs, vsix: string): void {
  const installed = spawnSync(process.execPath, [entry, '--extensions-dir', dirs.extensionsDir, '--user-data-dir', dirs.userDataDir, '--install-extension', vsix], { encoding: 'utf8' });
  assert.match(installed.stdout + installed.stderr, /was successfully installed/, installed.stdout + installed.stderr);
}

/** A quiet workbench in the given theme: no welcome page, tips, trust prompt or recommendations. */
export function writeSettings(dirs: ScratchDirs, theme: string): void {
  const user = path.join(dirs.userDataDir, 'User');
  fs.mkdirSync(user, { recursive: true });
  const settings = { 'workbench.colorTheme': theme, 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'security.workspace.trust.enabled': false, 'extensions.ignoreRecommendations': true, 'chat.commandCenter.enabled': false };
  fs.writeFileSync(path.join(user, 'settings.json'), JSON.stringify(settings, null, 2));
}

/**
 * Runs a command from the Command Palette as a user does, retrying while the workbench
 * settles (an extension's commands appear once its contributions are read).
 */
export async function runFromCommandPalette(page: Page, title: string): Promise<void> {
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
export async function panelFrame(page: Page): Promise<Frame> {
  for (let waited = 0; waited < 30_000; waited += 250) {
    for (const frame of page.frames()) {
      if (await frame.$('.tree .row').catch(() => null)) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error('the Training Trace panel did not appear');
}

export interface WorkbenchOptions {
  /** Names the scratch folders and the failure screenshots. */
  name: string;
  theme: string;
  viewport: { width: number; height: number };
  /** More of code-server's arguments (`--locale zh-cn`). */
  extraArgs?: string[];
  /** More set-up once the extension is installed, before code-server starts. */
  prepare?(entry: string, dirs: ScratchDirs): void;
}

export interface Workbench {
  page: Page;
  dirs: ScratchDirs;
  /** A copy of examples/, the folder the workbench opens. */
  workspace: string;
}

/**
 * For a describe block: code-server with the packaged .vsix installed, started once, in a
 * Chromium page that shows the examples' folder; a failed test's screenshot kept; all of it
 * removed afterwards. The returned object is filled in by the block's `before`.
 */
export function useWorkbench(options: WorkbenchOptions): Workbench {
  const workbench = {} as Workbench;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;

  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} exists (npm run package makes it)`);
    const { entry } = await codeServer.provisionCodeServer({ log });
    const dirs = harness.scratchDirs(options.name);
    workbench.dirs = dirs;
    installExtension(entry, dirs, VSIX);
    options.prepare?.(entry, dirs);
    writeSettings(dirs, options.theme);
    workbench.workspace = path.join(dirs.root, 'workspace');
    fs.mkdirSync(workbench.workspace);
    fs.cpSync(path.join(REPO, 'examples'), workbench.workspace, { recursive: true });
    server = await codeServer.startCodeServer({ entry, workspace: workbench.workspace, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir, extraArgs: options.extraArgs, log });
    browser = await launchChromium({ log });
    workbench.page = await browser.newPage({ viewport: options.viewport });
    await workbench.page.goto(`${server.url}?folder=${encodeURIComponent(workbench.workspace)}`);
    // The Explorer lists the files once the server's remote connection works: only then do keys reach the workbench.
    await workbench.page.waitForSelector('.explorer-folders-view .monaco-list-row:has-text("question.training.json")', { timeout: 60_000 });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterEach(async function () {
    // What the workbench showed when a test failed is the first thing to look at.
    if (this.currentTest?.state === 'failed' && workbench.page) await workbench.page.screenshot({ path: path.join(ARTIFACTS, `${options.name}-failure-${Date.now()}.png`) });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (workbench.dirs) fs.rmSync(workbench.dirs.root, { recursive: true, force: true });
  });

  return workbench;
}
