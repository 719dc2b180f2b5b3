import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadConfigText } from '../../src/core/load/loadConfig';
import { launchChromium } from '../support/chromium';
import { FakeHost, servePanel } from './fakeHost';

/** Markup that would run if it were ever parsed as HTML: each sets a flag the test reads. */
const SCRIPT = '<script>__ran=1</script>';
const IMAGE = '<img src=x onerror=__ran=2>';

/**
 * The webview boundary, in Chromium: a config whose description, CSV headers and file name
 * hold markup is shown as text, runs nothing, and the page's policy allows no inline script or
 * eval. The panel's page has the extension's own CSP (src/host/csp.ts).
 */
describe('the panel shows what a config holds as text, and runs none of it', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: Awaited<ReturnType<typeof servePanel>>;
  let dir: string;
  let configFile: string;

  before(async () => {
    browser = await launchChromium();
    server = await servePanel();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'training-trace-hostile-'));
    fs.writeFileSync(path.join(dir, 'data.csv'), `${SCRIPT},${IMAGE},y\n0.1,0.2,0\n0.3,0.4,1\n`);
    // A file name may hold < > " = ( ) and spaces: only / is out.
    configFile = path.join(dir, `${IMAGE}.training.json`);
    fs.writeFileSync(configFile, JSON.stringify({ description: `${SCRIPT} ${IMAGE}`, data: { file: 'data.csv' }, model: { layers: [{ units: 2, activation: 'tanh' }, { units: 1 }] }, batchSize: 1, shuffle: false }));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(prepare?: (host: FakeHost) => void): Promise<{ page: Page; host: FakeHost; violations: string[] }> {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => /Content Security Policy/.test(message.text()) && !/inline style/.test(message.text()) && violations.push(message.text()));
    const host = new FakeHost(page, configFile);
    prepare?.(host);
    await host.attach();
    await page.goto(server.url('dark'));
    await host.until((r) => r.status !== 'empty');
    return { page, host, violations };
  }

  const nothingRan = async (page: Page) => {
    assert.equal(await page.evaluate(() => (window as unknown as { __ran?: string }).__ran), undefined, 'no markup ran');
    assert.equal(await page.$$eval('#app script, #app img, body > img, body > script:not([src])', (found) => found.length), 0, 'no element was made from the config’s text');
  };

  it('a run: the file name in the toolbar and the CSV headers in a step’s numbers are text', async () => {
    const { page, violations } = await open();
    assert.equal(await page.textContent('.toolbar .file'), path.basename(configFile));
    // The first look opens epoch 1's first batch and its first point.
    await page.hover('.row[data-id="e1/b1/d0/forward"]');
    await page.waitForSelector('.hover-card:not([hidden]) .section');
    const card = await page.textContent('.hover-card');
    assert.ok(card?.includes(SCRIPT) && card.includes(IMAGE), `the headers are shown as written: ${card}`);
    await nothingRan(page);
    assert.deepEqual(violations, [], 'nothing even tried to run');
    await page.close();
  });

  it('a config that cannot run: its problems quote the markup as text', async () => {
    const text = JSON.stringify({ description: SCRIPT, data: { generate: IMAGE }, model: { layers: [{ units: 1 }] }, [SCRIPT]: 1 });
    const bad = loadConfigText(configFile, text);
    assert.ok(!bad.ok);
    const { page, violations } = await open((host) => {
      host.onReady = () => ({ type: 'problems', run: { kind: 'config', file: configFile, name: path.basename(configFile) }, problems: bad.problems });
    });
    const listed = await page.$$eval('.problems li', (items) => items.map((i) => i.textContent ?? ''));
    assert.ok(listed.some((line) => line.includes(IMAGE)), listed.join('\n'));
    assert.ok(listed.some((line) => line.includes(SCRIPT)), listed.join('\n'));
    assert.ok((await page.textContent('.message h2'))?.includes(IMAGE));
    await nothingRan(page);
    assert.deepEqual(violations, []);
    await page.close();
  });

  it('the page’s policy allows no inline script, no eval, nothing by default', async () => {
    const { page } = await open();
    const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (meta) => meta.getAttribute('content') ?? '');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[^']+'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    // And it holds: an inline script added now does not run.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__ran = "inline"';
      document.body.append(script);
    });
    assert.equal(await page.evaluate(() => (window as unknown as { __ran?: string }).__ran), undefined);
    await page.close();
  });
});
