import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { WebviewToHost } from '../../src/shared/protocol';
import type { FakeHost } from './fakeHost';
import { EXAMPLES, panelPages } from './panelPages';

/**
 * The panel's side of "beside the code", of the walkthrough and of the digits setting: what
 * it asks the host (reveal a node's place, a backward step was hovered) and what it does when
 * the host asks (select a node, show numbers to so many significant digits).
 */
describe('the panel beside the code', function () {
  this.timeout(60_000);
  const pages = panelPages();

  const openPanel = (example: string) => pages.open(path.join(EXAMPLES, example), { theme: 'dark', viewport: { width: 520, height: 820 } });

  const sent = (host: FakeHost, type: WebviewToHost['type']) => host.received.filter((m) => m.type === type);
  /** Selects a row as the host can, which scrolls it into view, and waits until it is drawn there. */
  const showRow = async (host: FakeHost, id: string) => {
    await host.post({ type: 'select', nodeId: id });
    await host.until((r) => r.selected === id);
  };
  const expanded = (page: Page, id: string) => page.getAttribute(`.row[data-id="${id}"]`, 'aria-expanded');

  it('asks the host to reveal a data point on Enter, leaving its expansion to the arrows', async () => {
    const { page, host } = await openPanel('question.training.json');
    const point = `e1/b1/d${host.summary.epochs[0].order[0]}`;
    await page.click(`.row[data-id="${point}"]`);
    const before = await expanded(page, point);
    await page.keyboard.press('Enter');
    assert.deepEqual(sent(host, 'reveal'), [{ type: 'reveal', nodeId: point }]);
    assert.equal(await expanded(page, point), before, 'Enter did not toggle the data point');
    await page.keyboard.press(before === 'true' ? 'ArrowLeft' : 'ArrowRight');
    assert.equal(await expanded(page, point), before === 'true' ? 'false' : 'true', 'the arrows still expand and collapse it');
    // An epoch comes from no one place: Enter still toggles it.
    await showRow(host, 'e2');
    await page.click('.row[data-id="e2"]');
    const epochBefore = await expanded(page, 'e2');
    await page.keyboard.press('Enter');
    assert.notEqual(await expanded(page, 'e2'), epochBefore);
    assert.equal(sent(host, 'reveal').length, 1);
  });

  it('asks the host to reveal a batch, an update and the initialisation on a double-click', async () => {
    const { page, host } = await openPanel('question.training.json');
    for (const id of ['e1/b1', 'e1/b1/update', 'init']) {
      // Selected first: selecting fills the details pane, which may scroll the tree under the pointer.
      await showRow(host, id);
      // The last row double-clicked shows its hover card after a moment, which may cover this one: the pointer leaves, the card goes.
      await page.mouse.move(0, 0);
      await page.waitForSelector('.hover-card', { state: 'hidden' });
      await page.dblclick(`.row[data-id="${id}"]`);
    }
    assert.deepEqual(sent(host, 'reveal').map((m) => m.type === 'reveal' && m.nodeId), ['e1/b1', 'e1/b1/update', 'init']);
  });

  it('selects the node the host names, opening its parents and scrolling it into view', async () => {
    const { page, host } = await openPanel('question.training.json');
    const order = host.summary.epochs[0].order;
    const last = order[order.length - 1];
    const id = `e1/b10/d${last}`;
    assert.equal(await page.$(`.row[data-id="${id}"]`), null, 'closed at first');
    await host.post({ type: 'select', nodeId: id });
    const report = await host.until((r) => r.selected === id);
    assert.equal(report.selected, id);
    // Its numbers fill the details pane, which takes height from the tree: measure once they are in.
    await page.waitForSelector('.details-pane .numbers');
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const box = await page.locator(`.row[data-id="${id}"]`).boundingBox();
    const tree = await page.locator('.tree').boundingBox();
    assert.ok(box && tree && box.y >= tree.y && box.y + box.height <= tree.y + tree.height, 'the row is in view');
    assert.equal(await page.getAttribute(`.row[data-id="${id}"]`, 'aria-selected'), 'true');
    assert.match((await page.textContent('.details-pane'))!, new RegExp(`Data point-${last + 1}`));
  });

  it('lifts the corrections filter when it hides the node the host names', async () => {
    // With batch size 1 the outline is right about each point: the filter hides every point.
    const { page, host } = await openPanel('sgd.training.json');
    // At 520 px the filter is behind "More actions".
    await page.click('.toolbar .more');
    await page.click('vscode-checkbox:has-text("Only corrections")');
    const filtered = await host.until((r) => r.rows < 10);
    const id = `e3/b5/d${host.summary.epochs[2].order[4]}`;
    await host.post({ type: 'select', nodeId: id });
    const report = await host.until((r) => r.selected === id);
    assert.ok(report.rows > filtered.rows, 'the filter is off');
    assert.equal(await page.$eval('vscode-checkbox:has-text("Only corrections")', (box) => (box as HTMLElement & { checked: boolean }).checked), false);
  });

  it('shows numbers to the significant digits the host says, and back', async () => {
    const { page, host } = await openPanel('answer.training.json');
    const caption = () => page.textContent('.loss-caption');
    // The answer's one epoch: loss of W = 0.2 on (0.1, 0.05) and (0.2, 0.1): mean of 0.03² and 0.06² = 0.00225.
    assert.equal(await caption(), 'Mean loss per epoch: 0.00225');
    await host.post({ type: 'words', language: 'en', bundle: {}, significantDigits: 2 });
    assert.equal((await host.until((r) => r.significantDigits === 2)).significantDigits, 2);
    // 0.00225 is stored as the double just below it.
    assert.equal(await caption(), 'Mean loss per epoch: 0.0022');
    // The first batch is open from the start.
    await page.hover('.row[data-id="e1/b1/update"]');
    await page.waitForSelector('.hover-card:not([hidden]) .matrix .num');
    const cells = await page.$$eval('.hover-card .matrix .num', (nums) => nums.map((n) => [n.textContent, (n as HTMLElement).title]));
    // The batch gradient −0.03 and the weight 0.2 → 0.203 (η = 0.1, sum): each cell to 2 digits, every digit in its tooltip.
    assert.deepEqual(cells, [['-0.03', '-0.03'], ['0.2', '0.2'], ['0.2', '0.203']]);
    await host.post({ type: 'words', language: 'en', bundle: {}, significantDigits: 4 });
    await host.until((r) => r.significantDigits === 4);
    assert.equal(await caption(), 'Mean loss per epoch: 0.00225');
  });

  it('tells the host once that a backward step was hovered', async () => {
    const { page, host } = await openPanel('answer.training.json');
    // The first point of the first batch is open from the start.
    await page.hover('.row[data-id="e1/b1/d0/forward"]');
    await page.waitForSelector('.hover-card:not([hidden])');
    assert.equal(sent(host, 'hoveredBackward').length, 0, 'a forward step is not a backward step');
    for (const step of ['backward', 'sum', 'backward']) {
      // Away first, until the card is gone: it may cover the next row.
      await page.mouse.move(1, 1);
      await page.waitForSelector('.hover-card', { state: 'hidden' });
      await page.hover(`.row[data-id="e1/b1/d0/${step}"]`);
      await page.waitForSelector('.hover-card:not([hidden])');
    }
    await host.describe();
    assert.equal(sent(host, 'hoveredBackward').length, 1);
  });
});
