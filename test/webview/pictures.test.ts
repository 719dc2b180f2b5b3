import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { questionsAt } from '../../src/core/outline/corrections';
import { stepAt, stepCount } from '../../src/core/outline/steps';
import { nodeId } from '../../src/core/outline/tree';
import { loadConfigFile } from '../../src/core/load/loadConfig';
import type { LayerValues } from '../../src/core/model/parameters';
import type { TraceEvent } from '../../src/core/trace/events';
import { traceRun } from '../../src/core/trace/fullTrace';
import { batchSizeOf, batchStart } from '../../src/core/train/schedule';
import { stepsOfTrace } from '../support/traceSteps';
import { contrastOfText } from './contrast';
import { ARTIFACTS, EXAMPLES, panelPages } from './panelPages';

/** A panel beside an editor. */
const BESIDE = { width: 520, height: 900 };

function traceOf(example: string): TraceEvent[] {
  const loaded = loadConfigFile(path.join(EXAMPLES, example));
  assert.ok(loaded.ok);
  const events: TraceEvent[] = [];
  traceRun(loaded.config, loaded.data, (e) => events.push(e));
  return events;
}

/** Every drawn number of the network: edges and biases by layer, unit and input; nodes by layer and unit. */
interface Drawn {
  edges: { layer: number; unit: number; input: number; value: number; share?: number; before?: number; after?: number }[];
  biases: { layer: number; unit: number; value: number }[];
  nodes: { layer: number; unit: number; value: number; target?: number }[];
  loss?: number;
}

describe('the pictures: network, player, plots, comparison', function () {
  this.timeout(120_000);
  const pages = panelPages();
  const open = (example: string, theme = 'light') => pages.open(path.join(EXAMPLES, example), { theme, viewport: BESIDE });

  const selected = (page: Page) =>
    page.evaluate(() => {
      const active = document.querySelector('.tree')!.getAttribute('aria-activedescendant');
      return active ? (document.getElementById(active) as HTMLElement).dataset.id : undefined;
    });

  /** Plays the player's keys until the tree selects `id`; the network drawn for it, read back. */
  async function drawnFor(page: Page, id: string): Promise<Drawn> {
    for (let guard = 0; (await selected(page)) !== id; guard++) {
      assert.ok(guard < 300, `the player never reached ${id}`);
      await page.keyboard.press('.');
    }
    await page.waitForSelector(`.network-drawing[data-node="${id}"] svg`);
    return page.$eval('.network-drawing svg', (root) => {
      const n = (v: string | undefined) => (v === undefined ? undefined : Number(v));
      const all = (selector: string) => Array.from(root.querySelectorAll<SVGElement>(selector)).map((e) => e.dataset);
      return {
        edges: all('.edge[data-value]').map((d) => ({ layer: n(d.layer)!, unit: n(d.unit)!, input: n(d.input)!, value: n(d.value)!, share: n(d.share), before: n(d.before), after: n(d.after) })),
        biases: all('.bias[data-value]').map((d) => ({ layer: n(d.layer)!, unit: n(d.unit)!, value: n(d.value)! })),
        nodes: all('.node[data-value]').map((d) => ({ layer: n(d.layer)!, unit: n(d.unit)!, value: n(d.value)!, target: n(d.target) })),
        loss: n((root as SVGElement).dataset.loss),
      };
    });
  }

  const edgesOf = (values: LayerValues) => values.weights.flatMap((layer, l) => layer.flatMap((row, unit) => row.map((value, input) => ({ layer: l + 1, unit, input, value }))));
  const biasesOf = (values: LayerValues) => values.biases.flatMap((row, l) => row.map((value, unit) => ({ layer: l + 1, unit, value })));

  it('draws a forward, a backward, a sum and an update step with the trace’s own numbers', async () => {
    const { page, host } = await open('question.training.json');
    await page.selectOption('.player select:nth-of-type(2)', 'never');
    const events = traceOf('question.training.json');
    const run = events[0] as Extract<TraceEvent, { type: 'run' }>;
    const init = events.find((e) => e.type === 'init') as Extract<TraceEvent, { type: 'init' }>;
    const order = host.summary.epochs[0].order;
    const [first, second] = [order[0], order[1]];
    const weights = { weights: init.weights, biases: init.biases };

    // Forward of the batch's second point: the initial weights on the edges, each unit's activation, the output and target, the loss.
    const forward = events.find((e): e is Extract<TraceEvent, { type: 'forward' }> => e.type === 'forward' && e.epoch === 1 && e.index === second)!;
    const drawnForward = await drawnFor(page, `e1/b1/d${second}/forward`);
    assert.deepEqual(drawnForward.edges, edgesOf(weights).map((e) => ({ ...e, share: undefined, before: undefined, after: undefined })));
    assert.deepEqual(drawnForward.biases, biasesOf(weights));
    assert.ok('inputs' in run.data, 'a small data set is in the trace');
    const inputs = run.data.inputs[second];
    assert.deepEqual(drawnForward.nodes.filter((d) => d.layer === 0).map((d) => d.value), inputs);
    // Hidden units from the trace's weights and inputs (tanh), the output from the trace's forward event.
    const hidden = init.weights[0].map((row, o) => Math.tanh(row.reduce((s, w, i) => s + w * inputs[i], init.biases[0][o])));
    assert.deepEqual(drawnForward.nodes.filter((d) => d.layer === 1).map((d) => d.value), hidden);
    assert.deepEqual(drawnForward.nodes.filter((d) => d.layer === 2).map((d) => [d.value, d.target]), forward.output.map((v, k) => [v, forward.target[k]]));
    assert.equal(drawnForward.loss, forward.loss);

    // Backward: this point's own gradient on every edge.
    const backward = events.find((e): e is Extract<TraceEvent, { type: 'backward' }> => e.type === 'backward' && e.epoch === 1 && e.index === second)!;
    const drawnBackward = await drawnFor(page, `e1/b1/d${second}/backward`);
    assert.deepEqual(drawnBackward.edges.map((e) => e.value), edgesOf(backward.gradient).map((e) => e.value));
    assert.deepEqual(drawnBackward.biases.map((e) => e.value), biasesOf(backward.gradient).map((e) => e.value));

    // Sum after the second point: both points' gradients added in order, this point's share beside it.
    const firstBackward = events.find((e): e is Extract<TraceEvent, { type: 'backward' }> => e.type === 'backward' && e.epoch === 1 && e.index === first)!;
    const drawnSum = await drawnFor(page, `e1/b1/d${second}/sum`);
    const sums = edgesOf(firstBackward.gradient).map((e, k) => 0 + e.value + edgesOf(backward.gradient)[k].value);
    assert.deepEqual(drawnSum.edges.map((e) => e.value), sums);
    assert.deepEqual(drawnSum.edges.map((e) => e.share), edgesOf(backward.gradient).map((e) => e.value));

    // The update: each weight before → after, its change on the edge.
    const update = events.find((e): e is Extract<TraceEvent, { type: 'update' }> => e.type === 'update' && e.epoch === 1 && e.batch === 1)!;
    const drawnUpdate = await drawnFor(page, 'e1/b1/update');
    const after = edgesOf({ weights: update.weights, biases: update.biases });
    assert.deepEqual(drawnUpdate.edges.map((e) => [e.before, e.after, e.value]), edgesOf(weights).map((e, k) => [e.value, after[k].value, after[k].value - e.value]));
  });

  it('plays exactly the trace’s steps in order, and back', async () => {
    const { page } = await open('question.training.json');
    await page.selectOption('.player select:nth-of-type(2)', 'never');
    const steps = stepsOfTrace(traceOf('question.training.json'));
    const visited: (string | undefined)[] = [];
    for (let i = 0; i < steps.length; i++) {
      await page.keyboard.press('.');
      visited.push(await selected(page));
    }
    assert.deepEqual(visited, steps);
    await page.keyboard.press('.');
    assert.equal(await selected(page), steps[steps.length - 1], 'the last step is the end');
    const back: (string | undefined)[] = [];
    for (let i = steps.length - 2; i >= 0; i--) {
      await page.keyboard.press(',');
      back.push(await selected(page));
    }
    assert.deepEqual(back, steps.slice(0, -1).reverse());
  });

  for (const example of ['question', 'sgd']) {
    it(`asks before the steps the corrections’ table names, and nowhere else (${example}.training.json)`, async () => {
      const { page, host } = await open(`${example}.training.json`);
      await page.selectOption('.player select:nth-of-type(2)', 'always');
      const summary = host.summary;
      // Two epochs' worth of steps: the first batches, and a later epoch's beginning.
      const last = Math.min(stepCount(summary), summary.shape.schedule.batchCount * 2 * 4 + 3 * 2 * summary.shape.schedule.pointsPerEpoch) - 1;
      const asked: string[] = [];
      while (Number(await page.getAttribute('.player .position', 'data-step')) < last) {
        await page.keyboard.press('.');
        while (await page.isVisible('.question .answers')) {
          const step = Number(await page.getAttribute('.question', 'data-step'));
          asked.push(`${step} ${await page.getAttribute('.question', 'data-correction')} ${await page.getAttribute('.question', 'data-verdict')}`);
          await page.click('.question .answer >> nth=0');
          if (await page.isVisible('.question .answer:has-text("Next question")')) await page.click('.question .answer:has-text("Next question")');
        }
      }
      const expected: string[] = [];
      for (let i = 0; i <= last; i++) for (const q of questionsAt(summary, stepAt(summary, i))) expected.push(`${i} ${q.id} ${q.verdict}`);
      assert.deepEqual(asked, expected);
      if (example === 'sgd') assert.ok(asked.filter((a) => / C[234] /.test(a)).every((a) => a.endsWith('confirmed')), 'batch size 1 confirms C2–C4');
      else assert.ok(asked.every((a) => a.endsWith('correction')));
    });
  }

  it('asks each question once by default, says whether the answer is right, and then shows the step', async () => {
    const { page, host } = await open('question.training.json');
    const order = host.summary.epochs[0].order;
    for (let i = 0; i < 3; i++) await page.keyboard.press('.');
    // Step 3 is the sum of the batch's first point: "do the weights change now?"
    assert.equal(await page.getAttribute('.question', 'data-correction'), 'C2');
    assert.equal(await selected(page), `e1/b1/d${order[0]}/backward`, 'the step waits for the answer');
    await page.click('.question .answer[data-outline="true"]');
    assert.match((await page.textContent('.question .reveal-answer'))!, /^Not in this run: No: its gradient is only added to the batch’s sum \(1 of 2\)/);
    assert.equal(await selected(page), `e1/b1/d${order[0]}/sum`, 'answered: the step is shown');
    const askedIds: string[] = [];
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('.');
      while (await page.isVisible('.question .answers')) {
        askedIds.push((await page.getAttribute('.question', 'data-correction'))!);
        await page.click('.question .answer >> nth=0');
        if (await page.isVisible('.question .answer:has-text("Next question")')) await page.click('.question .answer:has-text("Next question")');
      }
    }
    assert.deepEqual(askedIds, ['C3', 'C4', 'C5', 'C6']);
  });

  it('plots every point’s loss, each batch’s mean and each epoch’s, as the summary has them', async () => {
    const { page, host } = await open('question.training.json');
    await page.click('.tab[data-view="plots"]');
    await page.waitForSelector('.plots .chart');
    const values = (series: string) => page.$$eval(`.plots .chart .series-${series} .mark`, (marks) => marks.map((m) => Number((m as SVGElement).dataset.y)));
    const { summary } = host;
    assert.deepEqual(await values('point'), summary.epochs.flatMap((e) => Array.from(e.pointLoss)));
    assert.deepEqual(await values('epoch'), summary.epochs.map((e) => e.loss));
    const { schedule } = summary.shape;
    const means = summary.epochs.flatMap((e) =>
      Array.from({ length: schedule.batchCount }, (_, b) => {
        let sum = 0;
        for (let p = batchStart(schedule, b + 1); p < batchStart(schedule, b + 1) + batchSizeOf(schedule, b + 1); p++) sum += e.pointLoss[p];
        return sum / batchSizeOf(schedule, b + 1);
      }),
    );
    assert.deepEqual(await values('batch'), means);
    assert.deepEqual(await values('norm'), summary.epochs.flatMap((e) => Array.from(e.batchGradientNorm)));
    // Hover a point: its exact value, and the tree selects its node.
    const box = (await page.$('.plots .chart .series-epoch .mark >> nth=1'))!;
    await box.hover();
    assert.equal(await page.textContent('.plots .readout'), `Epoch 2: mean loss ${summary.epochs[1].loss}`);
    await page.waitForFunction(() => document.querySelector('.tree .row.selected')?.getAttribute('data-id') === 'e2');
  });

  it('compares SGD, mini-batch and full batch: 20, 10 and 1 updates an epoch, the runs the host made', async () => {
    const { page, host } = await open('question.training.json');
    await page.click('.tab[data-view="compare"]');
    await page.click('vscode-button:has-text("Compare batch sizes")');
    await page.waitForSelector('.compare-table');
    const rows = await page.$$eval('.compare-table tr[data-run]', (trs) => trs.map((tr) => ({ updates: Number((tr as HTMLElement).dataset.updates), loss: Number(tr.querySelector('.num[title]')?.getAttribute('title')), chips: Array.from(tr.querySelectorAll('.chip')).map((c) => c.textContent) })));
    const results = host.comparedResults!;
    assert.deepEqual(rows.map((r) => r.updates), [20, 10, 1]);
    assert.deepEqual(rows.map((r) => r.loss), results.map((r) => r.summary.epochs[r.summary.epochs.length - 1].loss));
    assert.deepEqual(rows.map((r) => r.chips), [['✓ C2', '✓ C3', '✓ C4'], ['✗ C2', '✗ C3', '✗ C4'], ['✗ C2', '✗ C3', '✗ C4']]);
    const curve = (run: number) => page.$$eval(`.compare-view .chart .series-run${run} .mark`, (marks) => marks.map((m) => Number((m as SVGElement).dataset.x)));
    assert.equal((await curve(1)).length, 60, 'SGD: 60 updates in 3 epochs, on one plot');
    assert.equal((await curve(3)).length, 3, 'full batch: 3');
  });

  for (const theme of ['light', 'dark', 'high-contrast']) {
    it(`draws each picture readably at 520 px in the ${theme} theme (screenshots kept in test-artifacts/)`, async () => {
      const { page, host } = await open('question.training.json', theme);
      const measured: Awaited<ReturnType<typeof contrastOfText>> = [];
      const measure = async (selectors: string[]) => {
        const found = await page.evaluate(contrastOfText, selectors);
        assert.deepEqual(found.map((m) => m.selector), selectors, 'every element measured was on the page');
        measured.push(...found);
      };
      const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `view-${name}-${theme}.png`) });
      // The network, at the batch's second forward pass (asked first: a question of C3).
      for (let i = 0; i < 4; i++) await page.keyboard.press('.');
      await shot('question');
      await measure(['.question-head', '.question-text', '.answer', '.player .position', '.player .keys', '.tab[aria-selected="true"]', '.tab[aria-selected="false"]']);
      await page.click('.question .answer[data-outline="false"]');
      await page.waitForSelector('.network-drawing svg .label');
      await page.hover('.network-drawing .node[data-layer="1"]');
      await shot('network');
      await measure(['.reveal-answer', '.view-caption', '.network-graph .label', '.legend', '.network .readout']);
      // The card of a wide layer beside an editor: a table that fits, or a heat map; never a clipped table.
      await page.hover(`.row[data-id="e1/b1/d${host.summary.epochs[0].order[0]}/sum"] .label`);
      await page.waitForSelector('.hover-card:not([hidden]) .layer');
      // The card is placed again when its numbers make it grow (a resize observer): let it settle.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const clipped = await page.$$eval('.hover-card .matrix', (tables) => tables.filter((t) => t.getBoundingClientRect().right > window.innerWidth).length);
      assert.equal(clipped, 0, 'no table runs off the panel');
      await shot('card');
      await page.mouse.move(0, 0);
      await page.click('.tab[data-view="plots"]');
      await page.waitForSelector('.plots .chart');
      await page.hover('.plots .chart .series-epoch .mark >> nth=0');
      await shot('plots');
      await measure(['.chart .tick-label', '.chart .axis-title', '.chart-legend span', '.plots .readout']);
      await page.click('.tab[data-view="compare"]');
      await page.click('vscode-button:has-text("Compare batch sizes")');
      await page.waitForSelector('.compare-table');
      await shot('compare');
      await measure(['.compare-table th', '.compare-table td .num', '.compare-view .view-caption', '.compare-view .view-note']);
      const failing = measured.filter((m) => !(m.ratio >= 4.5));
      assert.deepEqual(failing, [], `below 4.5:1 in ${theme}: ${JSON.stringify(failing)}`);
    });
  }

  it('draws a network too wide for circles as heat maps, with each exact number on hover', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-wide-'));
    const file = path.join(dir, 'wide.training.json');
    fs.writeFileSync(file, JSON.stringify({ data: { generate: 'random', count: 8, features: 40 }, model: { layers: [{ units: 36, activation: 'tanh' }, { units: 1 }] }, batchSize: 4, epochs: 1, seed: 3 }));
    const { page, host } = await pages.open(file, { theme: 'dark', viewport: BESIDE });
    await page.keyboard.press('.');
    await page.waitForSelector('.network-drawing canvas.heat-map');
    assert.deepEqual(await page.$$eval('.network-drawing canvas.heat-map', (maps) => maps.map((m) => [Number((m as HTMLElement).dataset.rows), Number((m as HTMLElement).dataset.columns)])), [[36, 41], [1, 37]]);
    const canvas = (await page.$('.network-drawing canvas.heat-map'))!;
    const box = (await canvas.boundingBox())!;
    const cell = box.width / 41;
    await page.mouse.move(box.x + cell * 2.5, box.y + cell * 1.5);
    const events: TraceEvent[] = [];
    const loaded = loadConfigFile(file);
    assert.ok(loaded.ok);
    traceRun(loaded.config, loaded.data, (e) => events.push(e));
    const init = events.find((e) => e.type === 'init') as Extract<TraceEvent, { type: 'init' }>;
    const order = host.summary.epochs[0].order;
    assert.equal(await page.textContent('.network-drawing .readout'), `${loaded.data.featureNames[2]} → unit 2 of layer 1: weight ${init.weights[0][1][2]}`);
    assert.equal(await page.getAttribute('.network-drawing', 'data-node'), nodeId(host.summary, { kind: 'forward', epoch: 1, batch: 1, position: 0 }));
    assert.ok(order.length === 8);
    await page.screenshot({ path: path.join(ARTIFACTS, 'view-heat-maps-dark.png') });
  });
});
