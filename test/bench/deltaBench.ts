import type { TrainingConfig } from '../../src/core/config/types';
import { packSummary } from '../../src/core/run/packedSummary';
import { summaryObserver } from '../../src/core/run/recordRun';
import { SummaryRecorder, runShape, type RunSummary } from '../../src/core/run/summary';
import { cursorOf, summaryDelta, type SummaryDelta } from '../../src/core/run/summaryDelta';
import { Trainer } from '../../src/core/train/trainer';
import type { HostToWebview } from '../../src/shared/protocol';
import { launchChromium } from '../support/chromium';
import { servePanel } from '../webview/fakeHost';
import { benchSize } from './sizes';

/** Deltas timed per run length: the last ones of a run, each one epoch. */
const DELTAS = 200;

export interface DeltaFigures {
  epochs: number;
  /** 95th percentile of the panel's script time to take in one delta (one more epoch) near the end of the run. */
  deltaApplyP95Ms: number;
  /** The longest: a delta that also redraws the loss curve (twice a second at most). */
  deltaApplyMaxMs: number;
}

/**
 * The panel taking in a run's last deltas, at each length in `lengths` (epochs of 2 points,
 * the learner's network): the time from a delta's message arriving to the end of its handler,
 * measured in Chromium by a listener before the panel's and one after. What the panel does per
 * delta must not grow with the run: the figures at 1,000 and 1,000,000 epochs are compared.
 */
export async function benchDeltas(lengths: number[]): Promise<DeltaFigures[]> {
  const browser = await launchChromium();
  const server = await servePanel();
  try {
    const figures: DeltaFigures[] = [];
    for (const epochs of lengths) {
      const { snapshot, deltas } = runInDeltas(epochs);
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      await page.exposeFunction('__toHost', () => {});
      // Listeners on the window run in the order they were added: this one, before the panel's script, marks the start.
      await page.addInitScript(() => window.addEventListener('message', () => ((window as unknown as { __t0: number }).__t0 = performance.now())));
      await page.goto(server.url('dark'));
      await page.waitForSelector('.toolbar');
      await page.evaluate((message) => {
        const w = window as unknown as { __applied: number[]; __t0: number };
        w.__applied = [];
        window.addEventListener('message', () => w.__applied.push(performance.now() - w.__t0));
        window.postMessage(message, '*');
      }, snapshot);
      await page.waitForSelector('.row[data-id]');
      for (const delta of deltas) {
        await page.evaluate(async (message) => {
          window.postMessage(message, '*');
          await new Promise((resolve) => requestAnimationFrame(resolve));
        }, { type: 'delta', delta } satisfies HostToWebview);
      }
      const applied = (await page.evaluate(() => (window as unknown as { __applied: number[] }).__applied)).slice(1);
      applied.sort((a, b) => a - b);
      const round = (ms: number) => Math.round(ms * 100) / 100;
      figures.push({ epochs, deltaApplyP95Ms: round(applied[Math.floor(applied.length * 0.95)]), deltaApplyMaxMs: round(applied[applied.length - 1]) });
      await page.close();
    }
    return figures;
  } finally {
    await browser.close();
    await server.close();
  }
}

/** A run of `epochs` epochs as the panel receives it: a snapshot of all but its last DELTAS epochs, then one delta per epoch. */
function runInDeltas(epochs: number): { snapshot: HostToWebview; deltas: SummaryDelta[] } {
  const size = benchSize('deltas', 2, 8, 16, 1, 2);
  const config: TrainingConfig = { ...size.config, epochs };
  const recorder = new SummaryRecorder(runShape(config, size.data));
  const observer = summaryObserver(recorder);
  const seen = new SummaryRecorder(recorder.summary.shape).summary;
  const deltas: SummaryDelta[] = [];
  let cursor = cursorOf(seen);
  let snapshot: HostToWebview | undefined;
  const summary: RunSummary = recorder.summary;
  new Trainer(config, size.data).run({
    ...observer,
    epochEnd: (epoch, loss) => {
      observer.epochEnd?.(epoch, loss);
      if (epoch === epochs - DELTAS) {
        snapshot = { type: 'snapshot', run: { kind: 'config', file: '/bench/deltas.training.json', name: 'deltas.training.json' }, summary: packSummary(summary) };
        cursor = cursorOf(summary);
      } else if (epoch > epochs - DELTAS) {
        const next = summaryDelta(summary, cursor)!;
        deltas.push(next.delta);
        cursor = next.cursor;
      }
    },
  });
  return { snapshot: snapshot!, deltas };
}
