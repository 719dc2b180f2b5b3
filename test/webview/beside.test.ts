import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { FakeHost, REPO, servePanel } from './fakeHost';

const EXAMPLES = path.join(REPO, 'examples');
const ARTIFACTS = path.join(REPO, 'test-artifacts');
const KNOWN_TOOLKIT_ERROR = /Applying inline style violates the following Content Security Policy directive/;
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
});
