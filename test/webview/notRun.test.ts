import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { label } from '../../src/core/words/label';
import { launchChromium } from '../support/chromium';
import { FakeHost, REPO, servePanel } from './fakeHost';

const ARTIFACTS = path.join(REPO, 'test-artifacts');

/**
 * After a window reload, a config whose run would be long is not run again: the panel names it,
 * says why, and offers Run, which asks the host to run it. Seen at the width of a panel beside
 * an editor, in each theme (screenshots kept in test-artifacts/).
 */
describe('the panel after a reload that did not rerun a long run', function () {
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
    it(`names the config, says how long it would take, and runs it on Run (${theme})`, async () => {
      const page = await browser.newPage({ viewport: { width: 520, height: 420 } });
      const host = new FakeHost(page, path.join(REPO, 'examples', 'question.training.json'));
      host.onReady = () => ({ type: 'notRun', run: { kind: 'config', file: '/w/long.training.json', name: 'long.training.json' }, reason: label('host.notRerun.long', { seconds: 70 }) });
      await host.attach();
      await page.goto(server.url(theme));
      const report = await host.until((r) => r.status === 'notRun');
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
      await page.close();
    });
  }
});
