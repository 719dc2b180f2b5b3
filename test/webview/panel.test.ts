import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { loadConfigFile, loadConfigText } from '../../src/core/load/loadConfig';
import { SummaryRecorder, type RunSummary } from '../../src/core/run/summary';
import { batchSizeOf, batchStart } from '../../src/core/train/schedule';
import { EMPTY_CURSOR, summaryDelta } from '../../src/core/run/summaryDelta';
import type { BackwardEvent, TraceEvent } from '../../src/core/trace/events';
import { traceRun } from '../../src/core/trace/fullTrace';
import { contrastOfText } from './contrast';
import type { FakeHost } from './fakeHost';
import { ARTIFACTS, EXAMPLES, panelPages } from './panelPages';


interface RowInfo {
  id: string;
  kind: string;
  label: string;
  chips: { text: string; verdict: string }[];
}

describe('the panel in Chromium', function () {
  this.timeout(60_000);
  const pages = panelPages();

  /** A bundled example, 1180 px wide, once the panel shows its run (or its problems). */
  const openPanel = (example: string, theme = 'light', prepare?: (host: FakeHost) => void) => pages.open(path.join(EXAMPLES, example), { theme, prepare, ready: (r) => r.status !== 'empty' });

  const rows = (page: Page): Promise<RowInfo[]> =>
    page.$$eval('.row:not([hidden])', (elements) =>
      elements
        .map((e) => ({
          top: (e as HTMLElement).getBoundingClientRect().top,
          id: (e as HTMLElement).dataset.id ?? '',
          kind: (e as HTMLElement).dataset.kind ?? '',
          label: e.querySelector('.label')?.textContent ?? '',
          chips: Array.from(e.querySelectorAll('.chip')).map((c) => ({ text: c.textContent ?? '', verdict: c.classList.contains('correction') ? 'correction' : 'confirmed' })),
        }))
        .sort((a, b) => a.top - b.top)
        .map(({ top: _top, ...row }) => row),
    );

  /** Clicks a row as a learner would: scrolled into the tree's view first (rows drawn past its edge exist but are hidden). */
  const clickRow = async (page: Page, id: string) => {
    await page.$eval(`.row[data-id="${id}"]`, (row) => {
      const tree = row.closest('.tree')!;
      const offset = row.getBoundingClientRect().top - tree.getBoundingClientRect().top;
      if (offset < 0 || offset > tree.clientHeight - 22) tree.scrollTop += offset - tree.clientHeight / 2;
      return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    });
    await page.click(`.row[data-id="${id}"] .label`);
  };

  const selectedId = (page: Page) =>
    page.evaluate(() => {
      const tree = document.querySelector('.tree')!;
      const active = tree.getAttribute('aria-activedescendant');
      return active ? (document.getElementById(active) as HTMLElement).dataset.id : undefined;
    });

  it('renders the learner’s set-up as the outline, with C1–C7 marked as corrections', async () => {
    const { page, host } = await openPanel('question.training.json');
    const report = await host.until((r) => r.status === 'done');
    assert.deepEqual(report.nodes, { epoch: 3, batch: 30, point: 60, update: 30 });
    assert.deepEqual(report.corrections, ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']);
    assert.deepEqual(report.confirmations, ['C8']);
    const shown = await rows(page);
    const labels = shown.map((r) => r.label);
    assert.ok(labels.includes('Random weights are initialised — once, before the first epoch'));
    assert.ok(labels.some((l) => /^Executing epoch 1 of 3: 10 batches — mean loss /.test(l)), labels.join('\n'));
    assert.ok(labels.some((l) => /^Data point-\d+: 8 feature values go through the 8 input nodes$/.test(l)));
    assert.ok(labels.includes('Gradient added to the batch sum (1 of 2) — weights not updated yet'));
    const chips = new Set(shown.flatMap((r) => r.chips.map((c) => `${c.text}:${c.verdict}`)));
    for (const id of ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']) assert.ok(chips.has(`✗ ${id}:correction`), `${id} is shown as a correction`);
    assert.ok(chips.has('✓ C8:confirmed'));
  });

  it('reads C2–C4 as confirmed for batch size 1 (stochastic gradient descent)', async () => {
    const { page, host } = await openPanel('sgd.training.json');
    const report = await host.until((r) => r.status === 'done');
    assert.deepEqual(report.confirmations, ['C2', 'C3', 'C4', 'C6', 'C8']);
    assert.ok(!report.corrections.some((id) => ['C2', 'C3', 'C4'].includes(id)));
    const chips = (await rows(page)).flatMap((r) => r.chips);
    for (const id of ['C2', 'C4']) {
      assert.ok(chips.some((c) => c.text === `✓ ${id}` && c.verdict === 'confirmed'), `${id} confirmed`);
      assert.ok(!chips.some((c) => c.text.endsWith(id) && c.verdict === 'correction'), `${id} never a correction`);
    }
    const runRow = (await rows(page)).find((r) => r.kind === 'run')!;
    assert.deepEqual(runRow.chips.map((c) => c.text), ['✓ C2', '✓ C3', '✓ C4']);
  });

  it('shows, on hovering Data point-1’s backward step, the gradient the full trace records (the same trainer: replay against its trace)', async () => {
    const { page, host } = await openPanel('question.training.json');
    const order = host.summary.epochs[0].order;
    const batch = Math.floor(order.indexOf(0) / 2) + 1;
    await page.click(`.row[data-id="e1/b${batch}"]`);
    await page.click(`.row[data-id="e1/b${batch}/d0"]`);
    await page.hover(`.row[data-id="e1/b${batch}/d0/backward"]`);
    await page.waitForSelector('.hover-card:not([hidden]) .section .matrix');
    // Each cell's tooltip holds the exact double; compare with the trace's own backward event.
    const shown = await page.$$eval('.hover-card .section:first-child .matrix td .num', (cells) => cells.map((c) => Number((c as HTMLElement).title)));
    const loaded = loadConfigFile(path.join(EXAMPLES, 'question.training.json'));
    assert.ok(loaded.ok);
    const events: TraceEvent[] = [];
    traceRun(loaded.config, loaded.data, (e) => events.push(e));
    const backward = events.find((e): e is BackwardEvent => e.type === 'backward' && e.epoch === 1 && e.index === 0)!;
    // The card's tables run down the inputs (the bias last), a column per unit: read row by row.
    const expected = backward.gradient.weights.flatMap((layer, l) => [...layer[0].map((_, i) => layer.map((row) => row[i])), backward.gradient.biases[l]].flat());
    assert.deepEqual(shown, expected);
    const title = await page.textContent('.hover-card .section:first-child .section-title');
    assert.match(title!, /^This point’s gradient \(norm [\d.e-]+\)$/);
    const sum = await page.textContent('.hover-card .section:nth-child(2) .section-title');
    assert.match(sum!, /Batch sum so far: \d of 2 points — not applied yet/);
  });

  it('is navigable by keyboard, as VS Code’s trees are', async () => {
    const { page } = await openPanel('question.training.json');
    await page.focus('.tree');
    await page.keyboard.press('Home');
    assert.equal(await selectedId(page), 'run');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await selectedId(page), 'e1');
    const expandedCount = (await rows(page)).length;
    await page.keyboard.press('ArrowLeft');
    assert.ok((await rows(page)).length < expandedCount, 'ArrowLeft collapses the epoch');
    assert.equal(await page.getAttribute('.row[data-id="e1"]', 'aria-expanded'), 'false');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute('.row[data-id="e1"]', 'aria-expanded'), 'true');
    await page.keyboard.press('ArrowRight');
    assert.equal(await selectedId(page), 'e1/order');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await selectedId(page), 'e1');
    await page.keyboard.press('End');
    assert.equal(await selectedId(page), 'end');
    await page.keyboard.press('ArrowUp');
    assert.equal(await selectedId(page), 'e3');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('.row[data-id="e3"]', 'aria-expanded'), 'true');
    assert.match((await page.textContent('.details-pane'))!, /Executing epoch 3 of 3/);
    assert.match((await page.textContent('.details-pane'))!, /The outline says.*What happens/s);
  });

  it('filters to the corrections only, keeping their ancestors', async () => {
    const { page, host } = await openPanel('question.training.json');
    const before = await host.until((r) => r.status === 'done');
    await page.click('vscode-checkbox:has-text("Only corrections")');
    const after = await host.until((r) => r.rows !== before.rows);
    assert.ok(after.rows < before.rows);
    assert.ok(after.rows > 0);
    for (const row of await rows(page)) {
      const ancestor = ['epoch', 'batch', 'point'].includes(row.kind);
      assert.ok(ancestor || row.chips.some((c) => c.verdict === 'correction'), `${row.id} is neither a correction nor an ancestor of one`);
      assert.notEqual(row.kind, 'backward');
    }
  });

  it('shows the learner’s whole outline with the wrong lines marked', async () => {
    const { page } = await openPanel('question.training.json');
    await page.click('vscode-checkbox:has-text("Learner’s outline")');
    await page.waitForSelector('.learner-outline');
    const lines = await page.$$eval('.learner-line', (items) => items.map((i) => ({ verdict: i.className.replace('learner-line ', ''), text: i.querySelector('.line-text')!.textContent })));
    assert.equal(lines.length, 22);
    assert.equal(lines.find((l) => l.text === 'Random weights are initialised')!.verdict, 'correction');
    assert.equal(lines.find((l) => l.text === 'The result of backward propagation: all the weights are updated')!.verdict, 'correction');
    assert.equal(lines.find((l) => l.text === 'Executing second epoch')!.verdict, 'confirmed');
  });

  it('restores its expansion, selection and scroll after a reload, while the config runs again', async () => {
    const { page, host } = await openPanel('question.training.json');
    await clickRow(page, 'e2');
    await clickRow(page, 'e2/b1');
    const isExpanded = (id: string) => page.getAttribute(`.row[data-id="${id}"]`, 'aria-expanded');
    const scrollTop = () => page.$eval('.tree', (tree) => tree.scrollTop);
    const rowsBefore = (await host.describe()).rows;
    const scrollBefore = await scrollTop();
    assert.ok(scrollBefore > 0, 'the selection scrolled the tree');
    await page.waitForTimeout(400); // state is saved a moment after a change
    // As after a window reload: the config runs again from nothing, and streams in.
    host.onReady = () => host.snapshot(new SummaryRecorder(host.summary.shape).summary);
    await page.reload();
    await host.until((r) => r.status === 'running');
    await new LiveRun(host, host.summary).play();
    const after = await host.until((r) => r.status === 'done');
    assert.equal(after.rows, rowsBefore);
    await page.waitForFunction(() => document.querySelector('.tree')!.getAttribute('aria-activedescendant'), undefined, { timeout: 5000 });
    assert.equal(await isExpanded('e2'), 'true');
    assert.equal(await isExpanded('e2/b1'), 'true');
    assert.equal(await selectedId(page), 'e2/b1');
    assert.equal(await scrollTop(), scrollBefore);
  });

  it('streams a run: progress while it goes, the full tree at the end', async () => {
    const { page, host } = await openPanel('question.training.json', 'light', (h) => {
      h.onReady = () => h.snapshot(new SummaryRecorder(h.summary.shape).summary);
    });
    const run = new LiveRun(host, host.summary);
    await run.play(3);
    await host.until((r) => r.nodes.update === 3);
    assert.equal(await page.textContent('.toolbar .progress'), 'Epoch 1 of 3 · batch 3 of 10');
    assert.ok(await page.isVisible('vscode-button:has-text("Stop")'));
    await run.play();
    const done = await host.until((r) => r.status === 'done');
    assert.deepEqual(done.nodes, { epoch: 3, batch: 30, point: 60, update: 30 });
    assert.equal(await page.textContent('.toolbar .progress'), 'Done: 3 epochs');
  });

  it('lists a config’s problems instead of a tree', async () => {
    const bad = loadConfigText('/w/bad.training.json', '{\n  "data": {"generate": "xor"},\n  "model": {"layers": [{"units": 1}]},\n  "epochs": 0\n}\n');
    assert.ok(!bad.ok);
    const { page } = await openPanel('question.training.json', 'light', (h) => {
      h.onReady = () => ({ type: 'problems', run: { kind: 'config', file: '/w/bad.training.json', name: 'bad.training.json' }, problems: bad.problems });
    });
    assert.equal(await page.textContent('.message h2'), 'bad.training.json cannot run yet');
    assert.deepEqual(await page.$$eval('.problems li', (items) => items.map((i) => i.textContent)), ['/w/bad.training.json:4:13: $.epochs: must be an integer ≥ 1 and ≤ 1000000, found 0']);
    assert.ok(await page.isHidden('.tree'));
  });

  for (const theme of ['light', 'dark', 'high-contrast']) {
    it(`reads at WCAG AA contrast in the ${theme} theme (screenshot kept in test-artifacts/)`, async () => {
      const { page, host } = await openPanel('question.training.json', theme);
      const order = host.summary.epochs[0].order;
      // The pictures folded away, so the tree shows the epochs' rows and their confirmations.
      await page.click('.tab[aria-selected="true"]');
      await page.click('vscode-checkbox:has-text("Learner’s outline")');
      await page.click(`.row[data-id="e1/b1/d${order[1]}"]`);
      await page.click(`.row[data-id="e1/b1/d${order[1]}/forward"]`);
      await page.hover(`.row[data-id="e1/b1/d${order[0]}/backward"]`);
      await page.waitForSelector('.hover-card:not([hidden]) .matrix');
      // Text against the colour behind it, as drawn: WCAG AA asks 4.5:1 of text this size.
      const measured = await page.evaluate(contrastOfText, [
        '.row .label',
        '.row .chip.correction',
        '.row .chip.confirmed',
        '.toolbar .progress',
        '.loss-caption',
        '.details-pane .finding-text',
        '.details-pane .says.wrong div:last-child',
        '.details-pane .caption',
        '.learner-line.correction .line-text',
        '.learner-line.confirmed .mark',
        '.learner-line.neutral .line-text',
        '.hover-card .section-title',
        '.hover-card .matrix td .num',
        '.hover-card .caption',
      ]);
      const failing = measured.filter((m) => !(m.ratio >= 4.5));
      await page.screenshot({ path: path.join(ARTIFACTS, `panel-${theme}.png`) });
      assert.deepEqual(failing, [], `below 4.5:1 in ${theme}: ${JSON.stringify(failing)}`);
      assert.equal(measured.length, 14, 'every element measured was on the page');
    });
  }
});

/** Plays a finished run to the panel again as a live run arrives: a delta after each batch. */
class LiveRun {
  private readonly live: SummaryRecorder;
  private cursor = EMPTY_CURSOR;
  private epoch = 0;
  private batch = 0;

  constructor(
    private readonly host: FakeHost,
    private readonly full: RunSummary,
  ) {
    this.live = new SummaryRecorder(full.shape);
  }

  /** Plays `batches` more batches (all that remain by default); the run ends after the last. */
  async play(batches = Infinity): Promise<void> {
    for (let played = 0; played < batches && this.step(); played++) await this.send();
    if (this.epoch === this.full.epochs.length && this.live.summary.status === 'running') {
      this.live.finish(this.full.status === 'running' ? 'done' : this.full.status);
      await this.send();
    }
  }

  private step(): boolean {
    const record = this.full.epochs[this.epoch];
    if (!record) return false;
    const { schedule } = this.full.shape;
    if (this.batch === 0) this.live.epochStart(record.order);
    const start = batchStart(schedule, this.batch + 1);
    for (let p = start; p < Math.min(start + batchSizeOf(schedule, this.batch + 1), record.pointsDone); p++) this.live.point(record.pointLoss[p], record.pointGradientNorm[p]);
    this.live.update(record.batchGradientNorm[this.batch]);
    if (++this.batch === record.batchesDone) {
      if (record.loss !== undefined) this.live.epochEnd(record.loss);
      this.epoch++;
      this.batch = 0;
    }
    return true;
  }

  private async send(): Promise<void> {
    const next = summaryDelta(this.live.summary, this.cursor);
    if (!next) return;
    this.cursor = next.cursor;
    await this.host.post({ type: 'delta', delta: next.delta });
  }
}
