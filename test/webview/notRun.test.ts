import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { label } from '../../src/core/words/label';
import { ARTIFACTS, EXAMPLES, panelPages } from './panelPages';

/**
 * After a window reload, a config whose run would be long is not run again: the panel names it,
 * says why, and offers Run, which asks the host to run it. Seen at the width of a panel beside
 * an editor, in each theme (screenshots kept in test-artifacts/).
 */
describe('the panel after a reload that did not rerun a long run', function () {
  this.timeout(60_000);
  const pages = panelPages();

  for (const theme of ['light', 'dark', 'high-contrast']) {
    it(`names the config, says how long it would take, and runs it on Run (${theme})`, async () => {
      const { page, host } = await pages.open(path.join(EXAMPLES, 'question.training.json'), {
        theme,
        viewport: { width: 520, height: 420 },
        prepare: (fake) => (fake.onReady = () => ({ type: 'notRun', run: { kind: 'config', file: '/w/long.training.json', name: 'long.training.json' }, reason: label('host.notRerun.long', { seconds: 70 }) })),
        ready: (r) => r.status === 'notRun',
      });
      const report = await host.describe();
      assert.equal(report.file, '/w/long.training.json');
      assert.equal(await page.textContent('.message h2'), 'long.training.json is ready to run');
      assert.equal(await page.textContent('.message p'), 'It was not run again after the window reload: it would take about 70 s. Press Run to run it.');
      assert.ok(await page.isHidden('.tree'));
      assert.ok(await page.isHidden('vscode-badge'), 'no corrections are counted for a run that has not happened');
      await page.screenshot({ path: path.join(ARTIFACTS, `panel-not-rerun-${theme}.png`) });
      await page.click('vscode-button:has-text("Run")');
      for (let waited = 0; !host.received.some((m) => m.type === 'run'); waited += 50) {
        assert.ok(waited < 5000, 'Run asks the host to run the config');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
  }
});
