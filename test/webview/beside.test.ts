import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { contrastOfText } from './contrast';
import { ARTIFACTS, EXAMPLES, panelPages } from './panelPages';

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
  const pages = panelPages();
  /** The learner's config, in a panel `width` wide. */
  const open = (width: number, theme = 'dark') => pages.open(path.join(EXAMPLES, 'question.training.json'), { theme, viewport: { width, height: 900 } });

  /**
   * The card, once it shows its row's numbers and has settled, and the row it is for. After the
   * window changes the pointer may be over another row, whose card opens and fills anew: the
   * card has settled when two frames in a row find it the same.
   */
  async function cardAndRow(page: Page): Promise<{ id: string; card: Box; row: Box; viewport: { width: number; height: number } }> {
    const read = () =>
      page.evaluate(() => {
        const box = (e: Element) => {
          const r = e.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
        };
        const card = document.querySelector<HTMLElement>('.hover-card')!;
        const id = card.dataset.for ?? '';
        const row = id ? document.querySelector(`.row[data-id="${id}"]`) : null;
        const filled = !card.hidden && !!row && !!card.querySelector('.numbers-slot .layer, .numbers-slot .kv');
        return { id, filled, card: box(card), row: row ? box(row) : box(card), viewport: { width: innerWidth, height: innerHeight } };
      });
    let last = await read();
    for (let frame = 0; frame < 100; frame++) {
      await settle(page);
      const now = await read();
      if (now.filled && JSON.stringify(now) === JSON.stringify(last)) return now;
      last = now;
    }
    throw new Error(`the card never settled: ${JSON.stringify(last)}`);
  }

  /** Expand all, from the toolbar or, in a narrow panel, from its "More actions". */
  async function expandAll(page: Page): Promise<void> {
    if (await page.isVisible('.toolbar .more')) await page.click('.toolbar .more');
    await page.click('vscode-button:has-text("Expand all")');
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

  for (const theme of ['light', 'dark', 'high-contrast']) {
    it(`keeps its toolbar on one line at 520 px, the secondary actions behind “More actions”, reachable by keyboard (${theme})`, async () => {
      const { page } = await open(520, theme);
      const line = await page.$$eval('.toolbar .primary > :not([hidden])', (items) => items.map((i) => ({ tag: i.tagName.toLowerCase(), top: Math.round(i.getBoundingClientRect().top), bottom: Math.round(i.getBoundingClientRect().bottom), right: i.getBoundingClientRect().right })));
      const toolbar = (await page.$eval('.toolbar', (t) => t.getBoundingClientRect().height))!;
      assert.ok(toolbar < 44, `the toolbar is ${toolbar} px tall: more than one line`);
      assert.ok(line.every((i) => i.right <= 520), `cut off at the right: ${JSON.stringify(line)}`);
      assert.equal(await page.isVisible('vscode-checkbox:has-text("Only corrections")'), false, 'the filter is folded away');
      // By keyboard: the button opens the actions and takes the focus into them; Escape folds them and gives it back.
      await page.focus('.toolbar .more');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.toolbar .secondary', { state: 'visible' });
      assert.equal(await page.getAttribute('.toolbar .more', 'aria-expanded'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Only corrections');
      const popup = await page.$eval('.toolbar .secondary', (p) => ({ right: p.getBoundingClientRect().right, bottom: p.getBoundingClientRect().bottom }));
      assert.ok(popup.right <= 520 && popup.bottom <= 900, `the actions leave the window: ${JSON.stringify(popup)}`);
      const measured = await page.evaluate(contrastOfText, ['.toolbar .secondary vscode-checkbox', '.toolbar .progress', '.toolbar .file']);
      assert.deepEqual(measured.filter((m) => !(m.ratio >= 4.5)), [], `below 4.5:1 in ${theme}`);
      await page.screenshot({ path: path.join(ARTIFACTS, `beside-toolbar-${theme}.png`) });
      await page.keyboard.press(' ');
      await page.waitForSelector('.row[data-kind="epoch"] .chip.correction');
      assert.equal(await page.isChecked('vscode-checkbox:has-text("Only corrections")'), true, 'Space checks the focused action');
      await page.keyboard.press('Escape');
      await page.waitForSelector('.toolbar .secondary', { state: 'hidden' });
      assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('more')), true, 'the focus is back on “More actions”');
    });
  }

  it('shows every action in one toolbar line at 1180 px, and no “More actions”', async () => {
    const { page } = await open(1180);
    assert.equal(await page.isVisible('.toolbar .more'), false);
    for (const name of ['Only corrections', 'Learner’s outline', 'Expand all', 'Collapse all']) assert.ok(await page.isVisible(`.toolbar :text-is("${name}")`), name);
    assert.ok((await page.$eval('.toolbar', (t) => t.getBoundingClientRect().height)) < 44, 'one line');
  });

  it('lets the pictures and the details share the height: sashes moved by pointer and by keyboard (520 px)', async () => {
    const { page } = await open(520);
    await page.keyboard.press('.');
    await page.waitForSelector('.network-drawing svg');
    const heights = () => page.evaluate(() => ({ view: document.querySelector('.view:not([hidden])')!.getBoundingClientRect().height, tree: document.querySelector('.tree')!.getBoundingClientRect().height, pane: document.querySelector('.details-pane')!.getBoundingClientRect().height }));
    const before = await heights();
    const sash = (await page.$$('.sash'))[0];
    const box = (await sash.boundingBox())!;
    await page.mouse.move(box.x + 100, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 100, box.y + box.height / 2 - 100, { steps: 4 });
    await page.mouse.up();
    const dragged = await heights();
    assert.ok(Math.abs(dragged.view - (before.view - 100)) <= 1, `dragged 100 px up: the pictures ${before.view} → ${dragged.view}`);
    assert.ok(dragged.tree > before.tree + 90, 'the tree takes the room');
    // The details' sash, by keyboard: each arrow press moves it 16 px.
    await page.focus('.sash >> nth=1');
    assert.equal(await page.getAttribute('.sash >> nth=1', 'role'), 'separator');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    const keyed = await heights();
    assert.ok(Math.abs(keyed.pane - (dragged.pane + 32)) <= 1, `two ArrowUp: the details ${dragged.pane} → ${keyed.pane}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'beside-sashes.png') });
  });

  it('keeps a cut label’s key number and badges in view, and shows the number only when the label is cut (520 px)', async () => {
    const { page } = await open(520);
    await expandAll(page);
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
      await expandAll(page);
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
