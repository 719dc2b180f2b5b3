import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { packSummary } from '../../src/core/run/packedSummary';
import { readTraceFileSync } from '../../src/core/traceFile/traceFile';
import { REPO } from './fakeHost';
import { ARTIFACTS, EXAMPLES, panelPages } from './panelPages';

const FORGOT = path.join(REPO, 'test', 'fixtures', 'traces', 'pytorch-forgot-zero-grad.trace.jsonl');

/**
 * The trace PyTorch wrote for the learner's loop with zero_grad() forgotten, in the panel: a line
 * at the top names the mistake and where it first happened, and its Show selects that update,
 * whose row carries the correction. Seen at the width of a panel beside an editor, in each theme.
 */
describe('the panel on a recorded loop that forgot zero_grad()', function () {
  this.timeout(60_000);
  const pages = panelPages();
  const summary = readTraceFileSync(FORGOT).summary!;

  for (const theme of ['light', 'dark', 'high-contrast']) {
    it(`says where the first stale gradient was used, and shows that update on Show (${theme})`, async () => {
      const { page, host } = await pages.open(path.join(EXAMPLES, 'question.training.json'), {
        theme,
        viewport: { width: 520, height: 640 },
        prepare: (fake) => (fake.onReady = () => ({ type: 'snapshot', run: { kind: 'trace', file: FORGOT, name: path.basename(FORGOT) }, summary: packSummary(summary) })),
      });
      const notice = await page.textContent('.loop-notice');
      assert.equal(notice?.replace(/\s+/g, ' ').trim(), '✗ C9Gradients pile up without zero_grad(): first at the update of batch 2 of epoch 1.Show');
      await page.click('.loop-notice button:has-text("Show")');
      const report = await host.until((r) => r.selected !== undefined);
      assert.equal(report.selected, 'e1/b2/update');
      const row = page.locator('.row[data-id="e1/b2/update"]');
      assert.ok(await row.isVisible(), 'the update’s row is shown');
      assert.match((await row.textContent()) ?? '', /✗ C9/);
      await page.screenshot({ path: path.join(ARTIFACTS, `panel-forgot-zero-grad-${theme}.png`) });
    });
  }
});
