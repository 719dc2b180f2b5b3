import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { packSummary } from '../../src/core/run/packedSummary';
import { recordRun } from '../../src/core/run/recordRun';
import type { HostToWebview } from '../../src/shared/protocol';
import { launchChromium } from '../support/chromium';
import { FakeHost, REPO, servePanel } from '../webview/fakeHost';
import { learnerNetwork, mediumNetwork } from './sizes';

/** A few draws of one picture: the middle one and the slowest. */
export interface Timing {
  median: number;
  max: number;
}

export interface PictureFigures {
  /** The network drawing's own time (the data-draw-ms it records), per step the player shows. */
  networkDrawMs: { question: Timing; medium: Timing };
  /** From the player's key to the frame after the drawing: what the learner waits, measured from outside. */
  networkFrameMs: { question: Timing; medium: Timing };
  /** Data points on the loss chart of the plot figures. */
  plotPoints: number;
  /** The plots' own time (their data-draw-ms): every point's loss, each batch's and each epoch's, and the gradient norms. */
  plotDrawMs: Timing;
  /** From opening the plots (or switching their x axis) to the frame after the drawing. */
  plotFrameMs: Timing;
}

/** A panel beside an editor, where learners read the pictures. */
const BESIDE = { width: 520, height: 900 };
/** Steps played forward (each point's forward, backward and "added to the sum", and the learner's first update), then back. */
const STEPS = 8;

/**
 * The pictures of issue 11 in Debian's Chromium, frame rate unlimited (as in webviewBench):
 * the network drawn for each step of the learner's set-up (examples/question.training.json,
 * 8-4-1) and of a 64-64-10 network (heat maps), and the plots of a run of `plotPoints` points.
 */
export async function benchPictures(plotPoints: number): Promise<PictureFigures> {
  const browser = await launchChromium({ extraArgs: ['--disable-gpu-vsync', '--disable-frame-rate-limit'] });
  const server = await servePanel();
  try {
    const question = await networkTimings(browser, server.url('dark'), path.join(REPO, 'examples', 'question.training.json'));
    const medium = mediumNetwork(256);
    const mediumTimings = await networkTimings(browser, server.url('dark'), '/bench/medium.training.json', medium);
    const plots = await plotTimings(browser, server.url('dark'), plotPoints);
    return {
      networkDrawMs: { question: question.draw, medium: mediumTimings.draw },
      networkFrameMs: { question: question.frame, medium: mediumTimings.frame },
      plotPoints,
      plotDrawMs: plots.draw,
      plotFrameMs: plots.frame,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * Plays the first steps once (the host replays their numbers; the panel caches them), then
 * times each step back and forward again: the drawing alone, and the key to the next frame.
 */
async function networkTimings(browser: Browser, url: string, file: string, given?: ReturnType<typeof mediumNetwork>): Promise<{ draw: Timing; frame: Timing }> {
  const page = await browser.newPage({ viewport: BESIDE });
  try {
    const host = new FakeHost(page, file, given);
    await host.attach();
    await page.goto(url);
    await host.until((report) => report.status === 'done');
    await page.selectOption('.player select:nth-of-type(2)', 'never');
    for (let i = 0; i < STEPS; i++) await untilDrawn(page, '.network-drawing', { key: '.' });
    const keys = [...Array<string>(STEPS - 1).fill(','), ...Array<string>(STEPS - 1).fill('.')];
    const draws: Draw[] = [];
    for (const key of keys) draws.push(await untilDrawn(page, '.network-drawing', { key }));
    return summarise(draws);
  } finally {
    await page.close();
  }
}

/** Opens the plots of a run of `points` points, then switches their x axis back and forth. */
async function plotTimings(browser: Browser, url: string, points: number): Promise<{ draw: Timing; frame: Timing }> {
  const size = learnerNetwork(10_000);
  const summary = recordRun({ ...size.config, epochs: Math.ceil(points / size.data.count) }, size.data).recorder.summary;
  const page = await browser.newPage({ viewport: BESIDE });
  try {
    await page.goto(url);
    await page.waitForSelector('.toolbar');
    const snapshot: HostToWebview = { type: 'snapshot', run: { kind: 'config', file: '/bench/plots.training.json', name: 'plots.training.json' }, summary: packSummary(summary) };
    await page.evaluate((message) => window.postMessage(message, '*'), snapshot);
    await page.waitForSelector('.tree .row[data-id]');
    const draws = [await untilDrawn(page, '.plots', { click: '.tab[data-view="plots"]' })];
    for (const value of ['epochs', 'updates', 'epochs', 'updates', 'epochs', 'updates']) draws.push(await untilDrawn(page, '.plots', { select: '.plots .plot-controls select', value }));
    const drawn = await page.$eval('.plots .chart .series-point', (group) => ({ count: Number((group as SVGElement).dataset.count), downsampled: (group as SVGElement).dataset.downsampled === 'true' }));
    if (drawn.count !== points || !drawn.downsampled) throw new Error(`the plots drew ${JSON.stringify(drawn)}, not ${points} points downsampled`);
    return summarise(draws);
  } finally {
    await page.close();
  }
}

interface Draw {
  drawMs: number;
  frameMs: number;
}

/**
 * What starts a drawing, done inside the page: a key as the learner presses it (a keydown that
 * bubbles from the body to the document), a click, or a choice in a select.
 */
type Act = { key: string } | { click: string } | { select: string; value: string };

/**
 * Does `act` in the page and waits for `selector`'s next drawing (it rewrites its data-draw-ms),
 * then for the frame after it: the time from the act to that frame, and the drawing's own time.
 */
async function untilDrawn(page: Page, selector: string, act: Act): Promise<Draw> {
  return page.evaluate(
    async ({ selector, act }) => {
      const picture = document.querySelector(selector) as HTMLElement;
      const drawn = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${selector} was not drawn within 20 s`)), 20_000);
        const observer = new MutationObserver(() => {
          observer.disconnect();
          clearTimeout(timer);
          requestAnimationFrame(() => resolve(performance.now()));
        });
        observer.observe(picture, { attributes: true, attributeFilter: ['data-draw-ms'] });
      });
      const start = performance.now();
      if ('key' in act) document.body.dispatchEvent(new KeyboardEvent('keydown', { key: act.key, bubbles: true }));
      else if ('click' in act) (document.querySelector(act.click) as HTMLElement).click();
      else {
        const select = document.querySelector(act.select) as HTMLSelectElement;
        select.value = act.value;
        select.dispatchEvent(new Event('change'));
      }
      const end = await drawn;
      return { drawMs: Number(picture.dataset.drawMs), frameMs: end - start };
    },
    { selector, act },
  );
}

function summarise(draws: Draw[]): { draw: Timing; frame: Timing } {
  const timing = (values: number[]): Timing => {
    const sorted = [...values].sort((a, b) => a - b);
    return { median: round2(sorted[Math.floor(sorted.length / 2)]), max: round2(sorted[sorted.length - 1]) };
  };
  return { draw: timing(draws.map((d) => d.drawMs)), frame: timing(draws.map((d) => d.frameMs)) };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
