import type { CDPSession, Page } from 'playwright-core';
import { childCount } from '../../src/core/outline/tree';
import type { RunSummary } from '../../src/core/run/summary';
import { packSummary } from '../../src/core/run/packedSummary';
import { recordRun } from '../../src/core/run/recordRun';
import type { HostToWebview, PanelReport, WebviewToHost } from '../../src/shared/protocol';
import { launchChromium } from '../support/chromium';
import { servePanel } from '../webview/fakeHost';
import type { BenchSize } from './sizes';

export interface WebviewFigures {
  nodes: number;
  /** From the snapshot's arrival to the first frame that shows the tree. */
  firstPaintMs: number;
  /** 95th percentile frame time while scrolling through the fully expanded tree, 1200 px wide. */
  scrollP95FrameMs: number;
  /** Layouts per scrolled frame: 1 unless a script reads the layout it has just changed. */
  scrollLayoutsPerFrame: number;
  /** The same scroll in a panel beside an editor (520 px), where labels are cut short. */
  beside: ScrollFigures;
  /** 95th percentile of the page's own script time per scroll frame: the panel's scroll handling and its redraw, timed in the page. */
  scrollScriptP95Ms: number;
  /**
   * The page's JavaScript memory after a garbage collection, with the tree expanded and scrolled:
   * the V8 heap plus the typed arrays' backing stores (where the summary's numbers live).
   */
  jsHeapMB: number;
  expandAllMs: number;
  collapseAllMs: number;
  rows: number;
}

/** Every node of the tree: the top level, each epoch's children, and below each batch its points (with their three steps) and its update. */
export function countNodes(summary: RunSummary): number {
  let total = childCount(summary, { kind: 'root' });
  summary.epochs.forEach((record, e) => {
    total += childCount(summary, { kind: 'epoch', epoch: e + 1 }) + record.batchesDone + 4 * record.pointsDone;
  });
  return total;
}

/**
 * The panel on a trace of about `nodes` nodes, in Debian's Chromium with the frame rate
 * unlimited, so that a frame's duration is the work it took rather than the display's pace.
 */
export async function benchWebview(size: BenchSize, epochs: number): Promise<WebviewFigures> {
  const summary = recordRun({ ...size.config, epochs }, size.data).recorder.summary;
  const nodes = countNodes(summary);
  const browser = await launchChromium({ extraArgs: ['--disable-gpu-vsync', '--disable-frame-rate-limit'] });
  const server = await servePanel();
  try {
    const page = await browser.newPage({ viewport: WIDE });
    let answered: (report: PanelReport) => void = () => {};
    await page.exposeFunction('__toHost', (message: WebviewToHost) => {
      if (message.type === 'described') answered(message.report);
    });
    const describe = async (): Promise<PanelReport> => {
      const report = new Promise<PanelReport>((resolve) => (answered = resolve));
      await page.evaluate(() => window.postMessage({ type: 'describe', requestId: 1 }, '*'));
      return report;
    };
    await page.goto(server.url('dark'));
    await page.waitForSelector('.toolbar');
    const snapshot: HostToWebview = { type: 'snapshot', run: { kind: 'config', file: '/bench/big.training.json', name: 'big.training.json' }, summary: packSummary(summary) };
    const firstPaintMs = await page.evaluate(async (message) => {
      const tree = document.querySelector('.tree')!;
      const start = performance.now();
      window.postMessage(message, '*');
      while (!tree.querySelector('.row[data-id]')) await new Promise((resolve) => setTimeout(resolve, 0));
      await new Promise((resolve) => requestAnimationFrame(resolve));
      return performance.now() - start;
    }, snapshot);
    const expandAllMs = await timeClick(page, 'vscode-button:has-text("Expand all")');
    const { rows } = await describe();
    const cdp = await page.context().newCDPSession(page);
    const wide = await scrollFrames(page, cdp);
    // Beside an editor the rows' labels are cut short and show their key numbers.
    await page.setViewportSize(BESIDE);
    const beside = await scrollFrames(page, cdp);
    await page.setViewportSize(WIDE);
    const scripts = await scriptPerScrollFrame(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
    const collapseAllMs = await timeClick(page, 'vscode-button:has-text("Collapse all")');
    return {
      nodes,
      firstPaintMs: round1(firstPaintMs),
      scrollP95FrameMs: wide.p95FrameMs,
      scrollLayoutsPerFrame: wide.layoutsPerFrame,
      beside,
      scrollScriptP95Ms: round2(scripts[Math.floor(scripts.length * 0.95)]),
      jsHeapMB: round1((heap.usedSize + (heap.backingStorageSize ?? 0)) / 2 ** 20),
      expandAllMs: round1(expandAllMs),
      collapseAllMs: round1(collapseAllMs),
      rows,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

interface ScrollFigures {
  p95FrameMs: number;
  layoutsPerFrame: number;
}

const WIDE = { width: 1200, height: 900 };
const BESIDE = { width: 520, height: 900 };

/** Scrolls the tree for 400 frames: the 95th percentile frame time, and how many layouts a frame took (Chromium's own count). */
async function scrollFrames(page: Page, cdp: CDPSession): Promise<ScrollFigures> {
  await cdp.send('Performance.enable');
  const layouts = async () => ((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.find((m) => m.name === 'LayoutCount')!.value;
  const before = await layouts();
  const frames = await page.evaluate(async () => {
    const tree = document.querySelector('.tree') as HTMLElement;
    const durations: number[] = [];
    let previous = performance.now();
    for (let i = 0; i < 400; i++) {
      // Steady scrolling (about a screenful every third frame), and every 50th frame a jump far away.
      tree.scrollTop = i % 50 === 49 ? Math.random() * tree.scrollHeight : tree.scrollTop + 300;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const now = performance.now();
      durations.push(now - previous);
      previous = now;
    }
    return durations;
  });
  const layoutCount = (await layouts()) - before;
  frames.sort((a, b) => a - b);
  return { p95FrameMs: round1(frames[Math.floor(frames.length * 0.95)]), layoutsPerFrame: round1(layoutCount / frames.length) };
}

/**
 * The same kind of scrolling, timing inside the page the script each scroll runs: from the
 * scroll event (a capturing listener on the document, before the panel's) to a frame callback
 * queued after the panel's (so after its redraw of the rows), within one frame. Layout and
 * paint come after both, so this is the panel's own script per frame.
 */
async function scriptPerScrollFrame(page: Page): Promise<number[]> {
  const durations = await page.evaluate(async () => {
    const tree = document.querySelector('.tree') as HTMLElement;
    const times: number[] = [];
    let start = 0;
    const onScrollStart = () => (start = performance.now());
    const onScrollEnd = () => requestAnimationFrame(() => times.push(performance.now() - start));
    document.addEventListener('scroll', onScrollStart, { capture: true });
    tree.addEventListener('scroll', onScrollEnd);
    for (let i = 0; i < 300; i++) {
      // Down a screenful at a time, wrapping at the bottom, so a small tree scrolls as much as a large one.
      const range = Math.max(1, tree.scrollHeight - tree.clientHeight);
      tree.scrollTop = i % 50 === 49 ? Math.random() * range : (tree.scrollTop + 300) % range;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    }
    document.removeEventListener('scroll', onScrollStart, { capture: true });
    tree.removeEventListener('scroll', onScrollEnd);
    return times;
  });
  return durations.sort((a, b) => a - b);
}

/** A toolbar click, until the frame after the tree has been redrawn. */
async function timeClick(page: Page, selector: string): Promise<number> {
  const button = await page.waitForSelector(selector);
  return page.evaluate(async (element) => {
    const start = performance.now();
    (element as HTMLElement).click();
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return performance.now() - start;
  }, button);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
