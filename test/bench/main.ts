import { benchCsv } from './csvBench';
import { benchDeltas } from './deltaBench';
import { benchHost } from './hostBench';
import { benchPictures } from './picturesBench';
import { largeNetwork, learnerNetwork, mediumNetwork } from './sizes';
import { benchTrainer, type BenchPlan } from './trainerBench';
import { benchWebview } from './webviewBench';

/**
 * `npm run bench [-- --quick]`: prints one JSON object (progress goes to stderr). Its keys are
 * a contract other checks read:
 *   trainer.{question,medium,large}.{tracedPointsPerSec, plainPointsPerSec, tfjsPointsPerSec, tracedVsPlain, tracedVsTfjs}
 *   host.{points, peakHeapMB, detailP95Ms, maxBlockMs, csvLoadMaxBlockMs, csvRowsPerSec}
 *   webview.{nodes, firstPaintMs, scrollP95FrameMs, scrollLayoutsPerFrame, scrollScriptP95Ms, jsHeapMB}
 *   webview.beside.{p95FrameMs, layoutsPerFrame} (the same scroll 520 px wide)
 *   webview.{scrollP95FrameMsAt1000Nodes, scrollScriptP95MsAt1000Nodes, scrollScriptRatio}
 *   webview.{deltaApplyP95Ms, deltaApplyP95MsAt1000Epochs, deltaApplyRatio}
 *   webview.{networkDrawMs, networkFrameMs}.{question, medium}.{median, max}
 *   webview.{plotPoints, plotDrawMs.{median, max}, plotFrameMs.{median, max}}
 * --quick runs the same measurements on smaller sizes, in about two minutes; the pictures'
 * figures (the learner's network, a 64-64-10 one, a 1,000,000-point run) are the same in both.
 */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const plans: [ReturnType<typeof learnerNetwork>, BenchPlan][] = quick
    ? [
        [learnerNetwork(20), { epochs: 5000, tfjsEpochs: 20, warmups: 3, rounds: 2 }],
        [mediumNetwork(500), { epochs: 2, tfjsEpochs: 1, warmups: 1, rounds: 1 }],
        [largeNetwork(500), { epochs: 1, tfjsEpochs: 1, warmups: 0, rounds: 1 }],
      ]
    : [
        [learnerNetwork(20), { epochs: 10_000, tfjsEpochs: 100, warmups: 4, rounds: 5 }],
        [mediumNetwork(2000), { epochs: 3, tfjsEpochs: 1, warmups: 1, rounds: 2 }],
        [largeNetwork(10_000), { epochs: 1, tfjsEpochs: 1, warmups: 0, rounds: 1 }],
      ];
  // The host first, on a fresh heap, as the extension host's would be: the trainer benches leave
  // large garbage (TensorFlow.js tensors, the large data set) whose collection is not the host's.
  const points = quick ? 100_000 : 1_000_000;
  say(`host, a ${points}-point run in the worker…`);
  const host: Record<string, unknown> = { ...(await benchHost(learnerNetwork(10_000), points)) };
  const csvRows = quick ? 100_000 : 1_000_000;
  say(`host, a ${csvRows} × 10 CSV read off its thread…`);
  const csv = await benchCsv(csvRows);
  host.csvRows = csv.rows;
  host.csvMegabytes = csv.megabytes;
  host.csvLoadMaxBlockMs = csv.csvLoadMaxBlockMs;
  host.csvRowsPerSec = csv.csvRowsPerSec;
  say(`webview, a trace of about ${quick ? '100,000' : '1,000,000'} nodes in Chromium…`);
  const webview: Record<string, unknown> = { ...(await benchWebview(learnerNetwork(10_000), quick ? 2 : 20)) };
  say('webview, the same scrolling on a trace of about 1,000 nodes…');
  const small = await benchWebview(learnerNetwork(20), 9);
  webview.smallNodes = small.nodes;
  webview.scrollP95FrameMsAt1000Nodes = small.scrollP95FrameMs;
  webview.scrollScriptP95MsAt1000Nodes = small.scrollScriptP95Ms;
  webview.scrollScriptRatio = Math.round(((webview.scrollScriptP95Ms as number) / Math.max(small.scrollScriptP95Ms, 0.01)) * 100) / 100;
  const long = quick ? 100_000 : 1_000_000;
  say(`webview, the last deltas of a run of 1,000 and of ${long} epochs…`);
  const [short, longRun] = await benchDeltas([1000, long]);
  webview.deltaApplyEpochs = longRun.epochs;
  webview.deltaApplyP95Ms = longRun.deltaApplyP95Ms;
  webview.deltaApplyMaxMs = longRun.deltaApplyMaxMs;
  webview.deltaApplyP95MsAt1000Epochs = short.deltaApplyP95Ms;
  webview.deltaApplyMaxMsAt1000Epochs = short.deltaApplyMaxMs;
  webview.deltaApplyRatio = Math.round((longRun.deltaApplyP95Ms / Math.max(short.deltaApplyP95Ms, 0.01)) * 100) / 100;
  say('webview, the network drawn for each step, and the plots of a 1,000,000-point run…');
  Object.assign(webview, await benchPictures(1_000_000));
  const trainer: Record<string, unknown> = {};
  for (const [size, plan] of plans) {
    say(`trainer, ${size.name} (${size.data.count} rows)…`);
    trainer[size.name] = await benchTrainer(size, plan);
  }
  process.stdout.write(`${JSON.stringify({ quick, trainer, host, webview }, null, 2)}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
