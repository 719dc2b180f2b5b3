import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO } from './fakeHost';
import { ARTIFACTS, EXAMPLES, panelPages } from './panelPages';

const GOLDEN = path.join(REPO, 'test', 'golden');

/**
 * Every word the panel shows for the bundled examples, read from the DOM, against the text it
 * showed before its words moved into the catalogue (test/golden/panel-*.txt): the tree fully
 * expanded, a details pane of each kind of node, the learner's outline, the toolbar.
 * What was read is kept in test-artifacts/ for a diff when the comparison fails.
 */
describe('the panel’s words, word for word', function () {
  this.timeout(120_000);
  const pages = panelPages();

  for (const example of ['question', 'sgd', 'answer']) {
    it(`reads as it did for ${example}.training.json`, async () => {
      const { page } = await pages.open(path.join(EXAMPLES, `${example}.training.json`), { theme: 'dark' });
      await page.waitForSelector('.toolbar .progress:has-text("Done")');
      const text = await panelText(page);
      fs.writeFileSync(path.join(ARTIFACTS, `panel-text-${example}.txt`), text);
      assert.equal(text, fs.readFileSync(path.join(GOLDEN, `panel-${example}.txt`), 'utf8'));
    });
  }
});

async function panelText(page: Page): Promise<string> {
  const out: string[] = [];
  out.push('# toolbar', await page.$eval('.toolbar', (e) => (e as HTMLElement).innerText));
  out.push('# heading', await page.$eval('.heading', (e) => `${(e as HTMLElement).innerText}\n${e.querySelector('title')?.textContent ?? ''}`));
  out.push('# empty pane', await page.$eval('.details-pane', (e) => (e as HTMLElement).innerText));
  await page.click('vscode-button:has-text("Expand all")');
  out.push('# tree', ...(await allRows(page)));
  const kinds = ['run', 'init', 'epoch', 'order', 'batch', 'point', 'forward', 'backward', 'sum', 'update', 'epochEnd', 'end'];
  for (const kind of kinds) {
    const id = await firstRowOfKind(page, kind);
    if (id === undefined) continue;
    // The pointer leaves the tree first: a hover card left open by the last click would cover the row.
    await page.mouse.move(0, 0);
    await page.waitForSelector('.hover-card', { state: 'hidden' });
    await page.click(`.row[data-id="${id}"] .label`);
    await page.waitForFunction(() => !document.querySelector('.details-pane')!.textContent!.includes('Recomputing'));
    out.push(`# pane: ${kind}`, await page.$eval('.details-pane', (e) => (e as HTMLElement).innerText));
  }
  await page.click('vscode-checkbox:has-text("Learner’s outline")');
  await page.waitForSelector('.learner-outline');
  out.push('# learner outline', await page.$eval('.learner-outline', (e) => (e as HTMLElement).innerText));
  out.push('# learner outline labels', ...(await page.$$eval('.learner-line', (items) => items.map((i) => `${i.getAttribute('aria-label')} | ${Array.from(i.querySelectorAll('.chip')).map((c) => (c as HTMLElement).title).join(' | ')}`))));
  return `${out.join('\n')}\n`;
}

/** Scrolls from the top until a row of this kind is drawn; its id, or undefined when the tree has none. */
async function firstRowOfKind(page: Page, kind: string): Promise<string | undefined> {
  await page.$eval('.tree', (tree) => (tree.scrollTop = 0));
  for (;;) {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const id = await page.$$eval(`.row[data-kind="${kind}"]:not([hidden])`, (rows) => rows.map((r) => ({ id: (r as HTMLElement).dataset.id!, index: Number((r as HTMLElement).dataset.index) })).sort((a, b) => a.index - b.index)[0]?.id);
    if (id !== undefined) {
      await page.$eval(`.row[data-id="${id}"]`, (row) => row.scrollIntoView({ block: 'center' }));
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      return id;
    }
    const moved = await page.$eval('.tree', (tree) => {
      const before = tree.scrollTop;
      tree.scrollTop += tree.clientHeight - 44;
      return tree.scrollTop !== before;
    });
    if (!moved) return undefined;
  }
}

/** Scrolls the fully expanded tree from top to bottom, reading each row once: its label and its chips' words. */
async function allRows(page: Page): Promise<string[]> {
  const lines: string[] = [];
  const seen = new Set<string>();
  await page.$eval('.tree', (tree) => (tree.scrollTop = 0));
  for (;;) {
    const batch = await page.$$eval('.row:not([hidden])', (rows) =>
      rows
        .map((r) => {
          const row = r as HTMLElement;
          const chips = Array.from(row.querySelectorAll('.chip')).map((c) => `  ${c.textContent} | ${(c as HTMLElement).title} | ${c.getAttribute('aria-label')}`);
          return { index: Number(row.dataset.index), text: [`${'  '.repeat(Number(row.getAttribute('aria-level')) - 1)}${row.querySelector('.label')!.textContent}`, ...chips].join('\n') };
        })
        .sort((a, b) => a.index - b.index),
    );
    for (const row of batch) {
      if (seen.has(String(row.index))) continue;
      seen.add(String(row.index));
      lines.push(row.text);
    }
    const moved = await page.$eval('.tree', (tree) => {
      const before = tree.scrollTop;
      tree.scrollTop += tree.clientHeight - 44;
      return tree.scrollTop !== before;
    });
    if (!moved) break;
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }
  return lines;
}
