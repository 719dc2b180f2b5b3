import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { readable, untranslated } from '../support/untranslated';
import type { FakeHost } from './fakeHost';
import { REPO } from './fakeHost';
import { ARTIFACTS, EXAMPLES, panelPages } from './panelPages';

/** What the host sends a panel in VS Code whose display language is Chinese: the shipped bundle. */
const CHINESE = { type: 'words', language: 'zh-cn', bundle: JSON.parse(fs.readFileSync(path.join(REPO, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>, significantDigits: 4 } as const;
const ENGLISH = { type: 'words', language: 'en', bundle: {}, significantDigits: 4 } as const;

/**
 * Code and names that stay as they are in every language: the product's name, what the
 * learner's config says (its file, loss, initialisation and optimizer), `softmax`, `ceil` in
 * the formula for an epoch's batches.
 */
const KEPT = new Set(['Training', 'Trace', 'question', 'training', 'json', 'mse', 'xavier', 'SGD', 'softmax', 'ceil']);

/** What the controls built once say (the toolbar, the tabs, the player, the sashes, the tree's and the pane's names). */
function controls(page: Page): Promise<string[]> {
  return page.$$eval('.toolbar, .tabs, .player, .sash, .tree, .details-pane', (elements) =>
    elements.flatMap((e) => (e.matches('.tree, .details-pane') ? [] : [e.textContent ?? '']).concat(Array.from(e.querySelectorAll('*'), (c) => c).concat(e).flatMap((c) => [c.getAttribute('title') ?? '', c.getAttribute('aria-label') ?? '']).filter(Boolean))),
  );
}

/** English words left in what the page shows, with the text they are in. */
const englishLeft = (page: Page) => untranslated(page, KEPT);

describe('the panel in Simplified Chinese (zh-cn), beside an editor (520 px)', function () {
  this.timeout(120_000);
  const pages = panelPages();

  /** The learner's config, its words changed to Chinese once the run is drawn, as VS Code's host sends them. */
  async function openInChinese(theme: string): Promise<{ page: Page; host: FakeHost }> {
    const opened = await pages.open(path.join(EXAMPLES, 'question.training.json'), { theme, viewport: { width: 520, height: 1000 } });
    await opened.host.post(CHINESE);
    return opened;
  }

  /** The learner's outline shown (from "More actions" in a narrow panel), a point's steps open, a backward step hovered. */
  async function showEverything(page: Page, host: FakeHost): Promise<void> {
    const order = host.summary.epochs[0].order;
    await page.click('.toolbar .more');
    await page.click('vscode-checkbox:has-text("学习者的提纲")');
    await page.keyboard.press('Escape');
    await page.click(`.row[data-id="e1/b1/d${order[1]}"]`);
    await page.click(`.row[data-id="e1/b1/d${order[1]}/forward"]`);
    await page.hover(`.row[data-id="e1/b1/d${order[0]}/backward"]`);
    await page.waitForSelector('.hover-card:not([hidden]) .matrix');
    await page.waitForSelector('.network-graph');
  }

  for (const theme of ['light', 'dark', 'high-contrast']) {
    it(`shows the learner's config in Chinese, with no English left, in the ${theme} theme (screenshot kept in test-artifacts/)`, async () => {
      const { page, host } = await openInChinese(theme);
      await showEverything(page, host);
      await page.screenshot({ path: path.join(ARTIFACTS, `panel-zh-cn-${theme}.png`) });

      assert.equal(await page.getAttribute('html', 'lang'), 'zh-cn');
      const rows = await page.$$eval('.row .label', (labels) => labels.map((l) => l.textContent ?? ''));
      assert.ok(rows.some((row) => /^数据点-\d+：8 个特征值通过 8 个输入节点$/.test(row)), `no data point row in Chinese: ${rows.join(' | ')}`);
      assert.ok(rows.some((row) => row.startsWith('梯度加到批次总和里')));
      const chips = await page.$$eval('.row .chip.correction', (found) => found.map((c) => c.textContent ?? ''));
      assert.ok(chips.length > 0 && chips.every((chip) => /^✗ C\d$/.test(chip)), chips.join());
      const pane = await page.textContent('.details-pane');
      assert.match(pane!, /提纲的说法/);
      // The learner's outline in the question's own words (shared/seed/000_83ade4885fdb6fdb.txt).
      const outline = await page.textContent('.learner-outline');
      for (const wording of ['执行第一纪元', '执行第二纪元', '这个过程一直持续到所需的时代。']) assert.ok(outline!.includes(wording), `the outline lacks "${wording}"`);
      const card = await page.textContent('.hover-card');
      assert.match(card!, /这个点的梯度（范数 \d/);
      assert.deepEqual(await englishLeft(page), []);
    });
  }

  it('shows the plots (axes, legends, a point read out) and the comparison of batch sizes in Chinese, with no English left', async () => {
    const { page } = await openInChinese('light');
    await page.click('.tab[data-view="plots"]');
    await page.waitForSelector('.plots .chart');
    await page.hover('.plots .chart .series-epoch .mark >> nth=1');
    await page.waitForFunction(() => /第 2 轮：平均损失/.test(document.querySelector('.plots .readout')?.textContent ?? ''));
    assert.match((await page.textContent('.plots .chart-legend'))!, /每一轮的均值/);
    assert.deepEqual(await englishLeft(page), []);
    await page.click('.tab[data-view="compare"]');
    await page.click('.compare-view vscode-button');
    await page.waitForSelector('.compare-table tr[data-run="3"]', { timeout: 60_000 });
    assert.match((await page.textContent('.compare-table'))!, /批量大小 1：随机梯度下降/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-zh-cn-compare.png') });
    assert.deepEqual(await englishLeft(page), []);
  });

  it('says everything already drawn again when the words change: to Chinese and back, with the same numbers', async () => {
    const { page, host } = await pages.open(path.join(EXAMPLES, 'question.training.json'), { viewport: { width: 520, height: 1000 } });
    // As VS Code's host does once the panel is ready (a toolkit control says its own English until then).
    await host.post(ENGLISH);
    const order = host.summary.epochs[0].order;
    // The first point opens by itself, as the learner's outline starts.
    await page.click(`.row[data-id="e1/b1/d${order[0]}/backward"]`);
    await page.waitForSelector('.details-pane .matrix');
    // Which numbers, not how often: a row repeats its label's number beside it only when the label is cut short.
    const numbers = async () => [...new Set((await readable(page)).join('\n').match(/\d+\.\d+/g))].sort();
    const inEnglish = { left: await englishLeft(page), numbers: await numbers(), controls: await controls(page) };
    assert.ok(inEnglish.left.length > 20, 'the English panel has English words (the check can fail)');

    await host.post(CHINESE);
    await page.waitForFunction(() => document.documentElement.lang === 'zh-cn');
    assert.deepEqual(await englishLeft(page), []);
    assert.deepEqual(await numbers(), inEnglish.numbers);

    await host.post(ENGLISH);
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.deepEqual(await controls(page), inEnglish.controls);
  });
});
