import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { untranslated } from '../support/untranslated';
import { ARTIFACTS, installExtension, panelFrame, runFromCommandPalette, useWorkbench, type ScratchDirs } from './workbenchPage';

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

/** VS Code offers zh-cn once a language pack for it is installed and listed in the user data's languagepacks.json. */
function installLanguagePack(entry: string, dirs: ScratchDirs): void {
  installExtension(entry, dirs, makeLanguagePack(dirs.root));
  const packDir = fs.readdirSync(dirs.extensionsDir).find((name) => name.startsWith(`${PACK.publisher}.${PACK.name}`));
  assert.ok(packDir, 'the language pack is installed');
  const languagePacks = {
    'zh-cn': { hash: 'test', extensions: [{ extensionIdentifier: { id: `${PACK.publisher}.${PACK.name}` }, version: PACK.version }], translations: { vscode: path.join(dirs.extensionsDir, packDir, 'translations', 'main.i18n.json') }, label: '中文(简体)' },
  };
  fs.writeFileSync(path.join(dirs.userDataDir, 'languagepacks.json'), JSON.stringify(languagePacks));
}

/**
 * A new user whose VS Code speaks Chinese (code-server started with `--locale zh-cn`): the
 * packaged extension's command is in Chinese, and the panel, its corrections and its hover
 * cards read in Chinese, the host's words sent to the webview.
 */
describe('the packaged extension in a VS Code whose display language is Chinese (zh-cn)', function () {
  this.timeout(180_000);
  const workbench = useWorkbench({ name: 'workbench-zh-cn', theme: 'Default Light Modern', viewport: { width: 1400, height: 900 }, extraArgs: ['--locale', 'zh-cn'], prepare: installLanguagePack });
  let page: Page;
  before(() => ({ page } = workbench));

  it('runs the learner’s config from its Chinese command, and the panel, its corrections and a hover card read in Chinese', async () => {
    await page.click('.explorer-folders-view .monaco-list-row:has-text("question.training.json")');
    await page.waitForSelector('.tab.active[aria-label*="question.training.json"]', { timeout: 30_000 });
    // package.nls.zh-cn.json: the command's Chinese title.
    await runFromCommandPalette(page, 'Training Trace: 运行训练配置');
    const frame = await panelFrame(page);
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

  it('explains the config’s keys in Chinese as the learner writes it (the schema of the display language)', async () => {
    await page.click('.editor-group-container .tab[aria-label*="question.training.json"]');
    const key = page.locator('.editor-group-container.active .view-line > span > span', { hasText: 'batchSize' }).first();
    await key.hover();
    const hover = await page.waitForSelector('.monaco-hover:not(.hidden):has-text("每个批次的数据点数")', { timeout: 30_000 });
    assert.match((await hover.textContent()) ?? '', /批次进行一次更新/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'workbench-zh-cn-schema.png') });
  });
});
