import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { FakeHost, REPO, servePanel } from './fakeHost';

const EXAMPLES = path.join(REPO, 'examples');
const ARTIFACTS = path.join(REPO, 'test-artifacts');
const KNOWN_TOOLKIT_ERROR = /Applying inline style violates the following Content Security Policy directive/;
/** A panel beside an editor, and a panel on its own. */
const WIDTHS = [520, 1180];

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Two frames: what a ResizeObserver or a frame callback does has been laid out. */
const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

describe('the panel beside an editor (520 px) and on its own (1180 px)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let server: Awaited<ReturnType<typeof servePanel>>;
  const pages: Page[] = [];
  const errors: string[] = [];

  before(async () => {
    browser = await launchChromium();
    server = await servePanel();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
    assert.deepEqual(errors.splice(0).filter((e) => !KNOWN_TOOLKIT_ERROR.test(e)), [], 'the page logged errors');
  });

  async function open(width: number, theme = 'dark'): Promise<{ page: Page; host: FakeHost }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    pages.push(page);
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const host = new FakeHost(page, path.join(EXAMPLES, 'question.training.json'));
    await host.attach();
    await page.goto(server.url(theme));
    await host.until((r) => r.status === 'done');
    return { page, host };
  }

  /** The card, once it shows its row's numbers and has settled, and the row it is for. */
  async function cardAndRow(page: Page): Promise<{ id: string; card: Box; row: Box; viewport: { width: number; height: number } }> {
    await page.waitForSelector('.hover-card:not([hidden]) .numbers-slot .layer, .hover-card:not([hidden]) .numbers-slot .kv');
    await settle(page);
    return page.evaluate(() => {
      const box = (e: Element) => {
        const r = e.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
      };
      const card = document.querySelector<HTMLElement>('.hover-card')!;
      const id = card.dataset.for!;
      return { id, card: box(card), row: box(document.querySelector(`.row[data-id="${id}"]`)!), viewport: { width: innerWidth, height: innerHeight } };
    });
  }

  /** The pointer leaves the tree, and the card (which covers other rows) goes with it. */
  async function leave(page: Page): Promise<void> {
    await page.mouse.move(1, 1);
    await page.waitForSelector('.hover-card', { state: 'hidden' });
  }

  /** The card beside or below the row, never over it, and inside the window. */
  function assertClear(found: Awaited<ReturnType<typeof cardAndRow>>, when: string): void {
    const { card, row, viewport } = found;
    const overlap = Math.min(card.bottom, row.bottom) - Math.max(card.top, row.top);
    assert.ok(overlap <= 0, `${when}: the card (${card.top}–${card.bottom}) covers its row (${row.top}–${row.bottom})`);
    assert.ok(card.top >= 0 && card.bottom <= viewport.height && card.left >= 0 && card.right <= viewport.width, `${when}: the card ${JSON.stringify(card)} leaves the window ${JSON.stringify(viewport)}`);
  }

  /** Rows in the tree's view, top to bottom, that have numbers to show. */
  const rowsInView = (page: Page) =>
    page.$$eval('.row:not([hidden])', (rows) => {
      const tree = document.querySelector('.tree')!.getBoundingClientRect();
      return rows
        .filter((r) => ['forward', 'backward', 'sum', 'update', 'point'].includes((r as HTMLElement).dataset.kind!))
        .map((r) => ({ id: (r as HTMLElement).dataset.id!, top: r.getBoundingClientRect().top, bottom: r.getBoundingClientRect().bottom }))
        .filter((r) => r.top >= tree.top && r.bottom <= tree.bottom)
        .sort((a, b) => a.top - b.top)
        .map((r) => r.id);
    });

  it('keeps a cut label’s key number and badges in view, and shows the number only when the label is cut (520 px)', async () => {
    const { page } = await open(520);
    await page.click('vscode-button:has-text("Expand all")');
    const seen = { cutWithKey: 0, whole: 0 };
    // Down the tree a screenful at a time: rows are drawn again into recycled elements.
    for (let screen = 0; screen < 4; screen++) {
      await settle(page);
      const rows = await page.$$eval('.row:not([hidden])', (elements) => {
        const tree = document.querySelector('.tree')!.getBoundingClientRect();
        return elements
          .filter((r) => r.getBoundingClientRect().top >= tree.top && r.getBoundingClientRect().bottom <= tree.bottom)
          .map((r) => {
            const label = r.querySelector<HTMLElement>('.label')!;
            const key = r.querySelector<HTMLElement>('.key')!;
            const chips = Array.from(r.querySelectorAll('.chip')).map((c) => c.getBoundingClientRect().right);
            return { id: (r as HTMLElement).dataset.id!, cut: label.scrollWidth > label.clientWidth + 1, keyText: key.textContent!, keyShown: !key.hidden && key.getBoundingClientRect().width > 0, keyRight: key.getBoundingClientRect().right, chipsRight: Math.max(0, ...chips), right: tree.right };
          });
      });
      for (const row of rows) {
        assert.ok(row.chipsRight <= row.right, `${row.id}: its badges run past the tree's edge`);
        if (!row.keyText) continue;
        assert.equal(row.keyShown, row.cut, `${row.id}: its key number (${row.keyText}) is ${row.keyShown ? 'shown beside a whole label' : 'hidden while its label is cut'}`);
        if (row.keyShown) assert.ok(row.keyRight <= row.right, `${row.id}: its key number runs past the tree's edge`);
        if (row.cut) seen.cutWithKey++;
        else seen.whole++;
      }
      await page.$eval('.tree', (tree) => (tree.scrollTop += tree.clientHeight));
    }
    assert.ok(seen.cutWithKey > 0 && seen.whole > 0, `rows of both kinds were looked at: ${JSON.stringify(seen)}`);
  });

  for (const width of WIDTHS) {
    it(`places the hover card beside or below its row, never over it, as its numbers arrive and the window changes (${width} px)`, async () => {
      const { page, host } = await open(width);
      // Rows down to the tree's bottom edge: a card there opens above its row, small while its numbers come.
      await page.click('vscode-button:has-text("Expand all")');
      // The first point's "added to the sum" has the tallest card (two gradient tables).
      const sum = `e1/b1/d${host.summary.epochs[0].order[0]}/sum`;
      const inView = await rowsInView(page);
      for (const id of [sum, inView[0], inView[inView.length - 1]]) {
        await leave(page);
        await page.hover(`.row[data-id="${id}"] .label`);
        const hovered = await cardAndRow(page);
        assert.equal(hovered.id, id);
        assertClear(hovered, `${id} hovered`);
        // A screenshot makes Chromium dispatch the pointer's events again: the card is rebuilt with numbers already cached.
        await page.screenshot({ path: path.join(ARTIFACTS, `beside-card-${width}.png`) });
        assertClear(await cardAndRow(page), `${id} after a screenshot`);
        // The pointer leaves the tree and comes back before the card has gone: the same.
        const box = (await page.$(`.row[data-id="${id}"] .label`))!;
        const at = (await box.boundingBox())!;
        await page.mouse.move(1, 1);
        await page.mouse.move(at.x + 4, at.y + at.height / 2);
        assertClear(await cardAndRow(page), `${id} hovered again`);
      }
      // The window changes while the card is open (the editor beside it resized): the rows move
      // under the pointer, and the card follows the row it is over.
      await leave(page);
      await page.hover(`.row[data-id="${sum}"] .label`);
      await cardAndRow(page);
      for (const size of [{ width, height: 700 }, { width: width + 120, height: 1000 }, { width, height: 900 }]) {
        await page.setViewportSize(size);
        const found = await cardAndRow(page);
        assertClear(found, `${found.id} in a window of ${size.width} × ${size.height}`);
      }
    });
  }
});
