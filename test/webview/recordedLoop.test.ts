import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { packSummary } from '../../src/core/run/packedSummary';
import { readTraceFileSync } from '../../src/core/traceFile/traceFile';
import { launchChromium } from '../support/chromium';
import { FakeHost, REPO, servePanel } from './fakeHost';

const ARTIFACTS = path.join(REPO, 'test-artifacts');
const FORGOT = path.join(REPO, 'test', 'fixtures', 'traces', 'pytorch-forgot-zero-grad.trace.jsonl');

/**
 * The trace PyTorch wrote for the learner's loop with zero_grad() forgotten, in the panel: a line
 * at the top names the mistake and where it first happened, and its Show selects that update,
 * whose row carries the correction. Seen at the width of a panel beside an editor, in each theme.
 */
describe('the panel on a recorded loop that forgot zero_grad()', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: Awaited<ReturnType<typeof servePanel>>;

  before(async () => {
    browser = await launchChromium();
    server = await servePanel();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const theme of ['light', 'dark', 'high-contrast']) {
    it(`says where the first stale gradient was used, and shows that update on Show (${theme})`, async () => {
      const page = await browser.newPage({ viewport: { width: 520, height: 640 } });
      const host = new FakeHost(page, path.join(REPO, 'examples', 'question.training.json'));
      const summary = readTraceFileSync(FORGOT).summary!;
      host.onReady = () => ({ type: 'snapshot', run: { kind: 'trace', file: FORGOT, name: path.basename(FORGOT) }, summary: packSummary(summary) });
      await host.attach();
      await page.goto(server.url(theme));
      await host.until((r) => r.status === 'done');
      const notice = await page.textContent('.loop-notice');
      assert.equal(notice?.replace(/\s+/g, ' ').trim(), '✗ C9Gradients pile up without zero_grad(): first at the update of batch 2 of epoch 1.Show');
      await page.click('.loop-notice button:has-text("Show")');
      const report = await host.until((r) => r.selected !== undefined);
      assert.equal(report.selected, 'e1/b2/update');
      const row = page.locator('.row[data-id="e1/b2/update"]');
      assert.ok(await row.isVisible(), 'the update’s row is shown');
      assert.match((await row.textContent()) ?? '', /✗ C9/);
      await page.screenshot({ path: path.join(ARTIFACTS, `panel-forgot-zero-grad-${theme}.png`) });
      await page.close();
    });
  }
});
