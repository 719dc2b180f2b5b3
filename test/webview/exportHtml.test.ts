import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { loadConfigFile } from '../../src/core/load/loadConfig';
import { refFromId, type NodeRef } from '../../src/core/outline/tree';
import { isDetailRef, type NodeDetail } from '../../src/core/run/detail';
import type { BackwardEvent, TraceEvent } from '../../src/core/trace/events';
import { traceRun } from '../../src/core/trace/fullTrace';
import { ENGLISH_WORDS } from '../../src/core/words/words';
import { exportPage, readPageAssets } from '../../src/host/exportHtml';
import { launchChromium } from '../support/chromium';
import { FakeHost, REPO, servePanel } from './fakeHost';
import { ARTIFACTS, EXAMPLES, KNOWN_TOOLKIT_ERROR } from './panelPages';

/**
 * Export as HTML, end to end but for the save dialog: the panel (the real webview bundle)
 * says which rows it shows, the host's page builder writes them with their numbers, and the
 * page opens from disk in Chromium with every network request refused.
 */
describe('the HTML export in Chromium, offline', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: Awaited<ReturnType<typeof servePanel>>;
  let page: Page;
  let file: string;
  /** The rows the panel draws (those in view: its tree is virtual), and how many rows it says it shows. */
  let panelLabels: string[];
  let panelRows: number;
  let backward: BackwardEvent;
  const requests: string[] = [];
  const errors: string[] = [];

  before(async () => {
    browser = await launchChromium();
    server = await servePanel();
    // The panel as a learner left it: epoch 1 and the batch of Data point-1 open, and that point's steps.
    const panel = await browser.newPage({ viewport: { width: 1180, height: 820 } });
    panel.on('console', (m) => m.type() === 'error' && !KNOWN_TOOLKIT_ERROR.test(m.text()) && errors.push(`panel: ${m.text()}`));
    const host = new FakeHost(panel, path.join(EXAMPLES, 'question.training.json'));
    await host.attach();
    await panel.goto(server.url('light'));
    await host.until((r) => r.status === 'done');
    const batch = Math.floor(host.summary.epochs[0].order.indexOf(0) / 2) + 1;
    await panel.click(`.row[data-id="e1/b${batch}"]`);
    await panel.click(`.row[data-id="e1/b${batch}/d0"]`);
    // Scrolled to the top, as a learner would: the rows move in the frame after the scroll.
    await panel.$eval('.tree', (tree) => {
      tree.scrollTop = 0;
      return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    });
    panelLabels = await panel.$$eval('.row:not([hidden])', (rows) => rows.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map((r) => r.querySelector('.label')?.textContent ?? ''));
    panelRows = (await host.describe()).rows;
    const view = await host.sharedView();
    const rows = view.ids.map((id) => refFromId(host.summary, id)).filter((ref): ref is NodeRef => ref !== undefined);
    assert.equal(rows.length, view.ids.length);
    const details = new Map<string, NodeDetail>();
    for (const id of view.ids) if (isDetailRef(refFromId(host.summary, id)!)) details.set(id, (await host.detail(id))!);
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'training-trace-export-')), 'question.html');
    fs.writeFileSync(file, exportPage({ name: 'question.training.json', summary: host.summary, rows, rowsLeftOut: view.more, details, detailsLeftOut: 0 }, ENGLISH_WORDS, readPageAssets(path.join(REPO, 'media'))));
    await panel.close();

    const loaded = loadConfigFile(path.join(EXAMPLES, 'question.training.json'));
    assert.ok(loaded.ok);
    const events: TraceEvent[] = [];
    traceRun(loaded.config, loaded.data, (e) => events.push(e));
    backward = events.find((e): e is BackwardEvent => e.type === 'backward' && e.epoch === 1 && e.index === 0)!;

    const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
    await context.setOffline(true);
    await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    page = await context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && errors.push(m.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)));
    await page.goto(pathToFileURL(file).href);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens from disk with no request but the file itself, and no error (no CSP violation)', () => {
    assert.deepEqual(requests, [pathToFileURL(file).href]);
    assert.deepEqual(errors, []);
  });

  it('has a strict CSP: nothing by default, its one style and one script by their hashes, nothing inline otherwise', () => {
    const html = fs.readFileSync(file, 'utf8');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'$/);
    assert.doesNotMatch(csp, /unsafe/);
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.equal(html.match(/<style/g)?.length, 1);
    assert.doesNotMatch(html, /\sstyle="|\son[a-z]+="|https?:\/\//);
  });

  it('shows the rows the panel showed, in its words and order, those scrolled out of view too', async () => {
    const labels = await page.$$eval('.row', (rows) => rows.map((r) => r.textContent ?? ''));
    assert.equal(labels.length, panelRows);
    assert.ok(panelLabels.length > 5 && panelLabels.length < panelRows, `${panelLabels.length} of ${panelRows} rows drawn`);
    assert.deepEqual(labels.slice(0, panelLabels.length), panelLabels);
    const findings = await page.$$eval('.finding.correction', (items) => items.map((i) => i.textContent ?? ''));
    assert.ok(findings.some((f) => f.startsWith('✗ C2 (correction: A point’s gradient is only added up)')), findings.join('\n'));
  });

  it('shows the numbers of the steps shown: Data point-1’s gradient, every digit in the tooltips (the same trainer: replay against its trace)', async () => {
    const id = `e1/b${backward.batch}/d0/backward`;
    const expected = backward.gradient.weights.flatMap((layer, l) => layer.flatMap((row, o) => [...row, backward.gradient.biases[l][o]]));
    const shown = await page.$$eval(`.row[data-id="${id}"] ~ details.numbers > div.section:first-of-type td .num`, (nums) => nums.map((c) => Number((c as HTMLElement).title)));
    assert.deepEqual(shown, expected);
    const update = await page.textContent(`.row[data-id="e1/b${backward.batch}/update"] ~ details.numbers`);
    assert.match(update ?? '', /the mean of 2 point gradients \(sum ÷ 2\)/);
  });

  it('opens and closes every block of numbers with its own buttons, and reads in light and dark (screenshots kept)', async () => {
    assert.ok(await page.isVisible('.controls'), 'the script ran: its controls are shown');
    const open = () => page.$$eval('details.numbers', (items) => items.map((d) => (d as HTMLDetailsElement).open));
    const steps = () => page.$$eval('.row:not(.epoch):not(.batch) ~ details.numbers', (items) => items.map((d) => (d as HTMLDetailsElement).open));
    assert.ok((await steps()).length > 0 && (await steps()).every(Boolean), 'a step’s numbers are shown');
    assert.ok((await page.$$eval('.row.batch ~ details.numbers', (items) => items.map((d) => (d as HTMLDetailsElement).open))).every((o) => !o), 'a batch’s starting weights are a click away');
    await page.click('button[data-open="false"]');
    assert.ok((await open()).every((o) => !o));
    await page.click('button[data-open="true"]');
    assert.ok((await open()).every(Boolean));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: path.join(ARTIFACTS, `export-${scheme}.png`), fullPage: false });
    }
    await page.setViewportSize({ width: 520, height: 900 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'export-narrow.png') });
  });
});
