import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { untranslated } from '../support/untranslated';

interface CodeServer {
  url: string;
  stop(): Promise<void>;
}

interface CodeServerScripts {
  provisionCodeServer(options?: { log?: (line: string) => void }): Promise<{ entry: string }>;
  startCodeServer(options: { entry: string; workspace: string; userDataDir: string; extensionsDir: string; extraArgs?: string[]; log?: (line: string) => void }): Promise<CodeServer>;
}

interface Harness {
  scratchDirs(name: string): { root: string; userDataDir: string; extensionsDir: string };
}

const codeServer = { ...require('../../../scripts/vscode/provision'), ...require('../../../scripts/vscode/codeServer') } as CodeServerScripts;
const harness = require('../../../scripts/vscode/codeServerTests') as Harness;

const REPO = path.resolve(__dirname, '..', '..', '..');
const ARTIFACTS = path.join(REPO, 'test-artifacts');
const VSIX = path.join(REPO, 'training-trace.vsix');
const log = (line: string) => process.env.TRAINING_TRACE_VERBOSE && console.log(line);
/** Names and code the panel keeps in every language (the product, the config's file, loss, initialisation, optimizer). */
const KEPT = new Set(['Training', 'Trace', 'question', 'training', 'json', 'mse', 'xavier', 'SGD', 'softmax', 'ceil']);

const PACK = { publisher: 'training-trace-test', name: 'zh-cn-pack', version: '0.0.1' };

/**
 * VS Code reports a display language only when a language pack for it is installed, and the
 * marketplace's packs cannot be reached here: this makes one of its own (no translations of
 * the workbench, which stays English) as a .vsix, with vsce, offline.
 */
function makeLanguagePack(root: string): string {
  const dir = path.join(root, 'language-pack');
  fs.mkdirSync(path.join(dir, 'translations'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  const manifest = {
    ...PACK,
    engines: { vscode: '^1.95.0' },
    categories: ['Language Packs'],
    contributes: { localizations: [{ languageId: 'zh-cn', languageName: 'Chinese Simplified', localizedLanguageName: '中文(简体)', translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }] },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'README.md'), 'A test language pack: VS Code in zh-cn, its workbench untranslated.\n');
  const vsix = path.join(root, 'zh-cn-pack.vsix');
  const vsce = require.resolve('@vscode/vsce/vsce');
  const packed = spawnSync(process.execPath, [vsce, 'package', '--allow-missing-repository', '--skip-license', '--out', vsix], { cwd: dir, encoding: 'utf8' });
  assert.equal(packed.status, 0, packed.stdout + packed.stderr);
  return vsix;
}

/**
 * A new user whose VS Code speaks Chinese (code-server started with `--locale zh-cn`): the
 * packaged extension's command is in Chinese, and the panel, its corrections and its hover
 * cards read in Chinese, the host's words sent to the webview.
 */
describe('the packaged extension in a VS Code whose display language is Chinese (zh-cn)', function () {
  this.timeout(180_000);
  let dirs: ReturnType<Harness['scratchDirs']>;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let workspace: string;

  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} exists (npm run package makes it)`);
    const { entry } = await codeServer.provisionCodeServer({ log });
    dirs = harness.scratchDirs('workbench-zh');
    const install = (vsix: string) => {
      const installed = spawnSync(process.execPath, [entry, '--extensions-dir', dirs.extensionsDir, '--user-data-dir', dirs.userDataDir, '--install-extension', vsix], { encoding: 'utf8' });
      assert.match(installed.stdout + installed.stderr, /was successfully installed/, installed.stdout + installed.stderr);
    };
    install(VSIX);
    install(makeLanguagePack(dirs.root));
    const packDir = fs.readdirSync(dirs.extensionsDir).find((name) => name.startsWith(`${PACK.publisher}.${PACK.name}`));
    assert.ok(packDir, 'the language pack is installed');
    const languagePacks = {
      'zh-cn': { hash: 'test', extensions: [{ extensionIdentifier: { id: `${PACK.publisher}.${PACK.name}` }, version: PACK.version }], translations: { vscode: path.join(dirs.extensionsDir, packDir, 'translations', 'main.i18n.json') }, label: '中文(简体)' },
    };
    fs.writeFileSync(path.join(dirs.userDataDir, 'languagepacks.json'), JSON.stringify(languagePacks));
    const user = path.join(dirs.userDataDir, 'User');
    fs.mkdirSync(user, { recursive: true });
    fs.writeFileSync(path.join(user, 'settings.json'), JSON.stringify({ 'workbench.colorTheme': 'Default Light Modern', 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'security.workspace.trust.enabled': false, 'extensions.ignoreRecommendations': true, 'chat.commandCenter.enabled': false }));
    workspace = path.join(dirs.root, 'workspace');
    fs.mkdirSync(workspace);
    fs.cpSync(path.join(REPO, 'examples'), workspace, { recursive: true });
    server = await codeServer.startCodeServer({ entry, workspace, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir, extraArgs: ['--locale', 'zh-cn'], log });
    browser = await launchChromium({ log });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.explorer-folders-view .monaco-list-row:has-text("question.training.json")', { timeout: 60_000 });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(ARTIFACTS, `workbench-zh-cn-failure-${Date.now()}.png`) });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dirs) fs.rmSync(dirs.root, { recursive: true, force: true });
  });

  /** Runs a command from the Command Palette by its title, retrying while the workbench reads the extension's contributions. */
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

  async function panelFrame(): Promise<Frame> {
    for (let waited = 0; waited < 30_000; waited += 250) {
      for (const frame of page.frames()) {
        if (await frame.$('.tree .row').catch(() => null)) return frame;
      }
      await page.waitForTimeout(250);
    }
    throw new Error('the Training Trace panel did not appear');
  }

  it('runs the learner’s config from its Chinese command, and the panel, its corrections and a hover card read in Chinese', async () => {
    await page.click('.explorer-folders-view .monaco-list-row:has-text("question.training.json")');
    await page.waitForSelector('.tab.active[aria-label*="question.training.json"]', { timeout: 30_000 });
    // package.nls.zh-cn.json: the command's Chinese title.
    await runFromCommandPalette('Training Trace: 运行训练配置');
    const frame = await panelFrame();
    await frame.waitForSelector('.toolbar .progress:has-text("完成：3 轮")', { timeout: 30_000 });
    assert.equal(await frame.getAttribute('html', 'lang'), 'zh-cn');
    const rows = await frame.$$eval('.row .label', (labels) => labels.map((l) => l.textContent ?? ''));
    assert.ok(rows.some((row) => /^数据点-\d+：8 个特征值通过 8 个输入节点$/.test(row)), rows.join(' | '));
    const point = await frame.getAttribute('.row[data-kind="point"]', 'data-id');
    await frame.hover(`.row[data-id="${point}/backward"]`);
    await frame.waitForSelector('.hover-card:not([hidden]) .matrix');
    assert.match((await frame.textContent('.hover-card'))!, /这个点的梯度（范数 \d/);
    // The panel's title, set by the host from the same bundle.
    assert.ok(await page.$('.tab[aria-label*="Training Trace：question.training.json"]'), 'the panel’s tab title is the Chinese one');
    await page.screenshot({ path: path.join(ARTIFACTS, 'workbench-zh-cn.png') });
    assert.deepEqual(await untranslated(frame, KEPT), []);
  });
});
