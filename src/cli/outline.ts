import type { TrainingConfig } from '../core/config/types';
import type { Dataset } from '../core/data/dataset';
import { learnerOutlineLines, nodeLines, type TextStyle } from '../core/outline/renderText';
import { summaryObserver } from '../core/run/recordRun';
import { SummaryRecorder, runShape, type EpochSummary } from '../core/run/summary';
import { Trainer, TrainingRun } from '../core/train/trainer';
import type { Words } from '../core/words/words';
import type { Driver } from './drive';
import { Progress } from './progress';

/**
 * The outline of a run, written as the run goes: the run's overview and its initialisation
 * first, each epoch's subtree once the epoch has ended, then how it ended and the learner's
 * outline. An epoch's numbers are let go once the next epoch has been written, so a run at the
 * point limit prints in the memory of one epoch, and the text is never one string. The lines
 * are the same as `renderOutline` of the whole run's summary.
 */
export async function writeOutline(config: TrainingConfig, data: Dataset, driver: Driver, words: Words, style: TextStyle, progress: NodeJS.WritableStream | undefined): Promise<{ outcome: 'done' | 'diverged' | 'stopped'; at: { epoch: number; batch: number } }> {
  const recorder = new SummaryRecorder(runShape(config, data));
  const { summary } = recorder;
  const run = new TrainingRun(new Trainer(config, data), summaryObserver(recorder));
  const shown = progress && new Progress(progress, words, () => run.at, { epochs: config.epochs, batches: summary.shape.schedule.batchCount });
  const write = (lines: Iterator<string>) => driver.write(lines);
  const ended = (outcome: 'done' | 'diverged' | 'stopped') => ({ outcome, at: run.at });
  try {
    if (!(await write(nodeLines(summary, { kind: 'run' }, 0, words, style)))) return ended('stopped');
    if (!(await write(nodeLines(summary, { kind: 'init' }, 0, words, style)))) return ended('stopped');
    // What is drawn later (the later epochs, the end) reads only its own epoch and the last one:
    // an epoch written, with a later one begun, keeps only its counts.
    const { pointsPerEpoch, batchCount } = summary.shape.schedule;
    const writtenEpoch: EpochSummary = { order: new Int32Array(0), pointLoss: new Float64Array(0), pointGradientNorm: new Float64Array(0), batchGradientNorm: new Float64Array(0), pointsDone: pointsPerEpoch, batchesDone: batchCount };
    let written = 0;
    const nextHasEnded = () => summary.epochs[written]?.loss !== undefined;
    for (;;) {
      const outcome = await driver.train(run, nextHasEnded);
      if (outcome === 'stopped') return ended('stopped');
      if (outcome === 'done') recorder.finish('done');
      // An epoch is written once it has ended, or when the run has (a diverged run's last epoch is cut short).
      while (written < summary.epochs.length && (nextHasEnded() || outcome !== 'paused')) {
        if (written > 0) summary.epochs[written - 1] = writtenEpoch;
        if (!(await write(nodeLines(summary, { kind: 'epoch', epoch: written + 1 }, 0, words, style)))) return ended('stopped');
        written++;
      }
      if (outcome === 'paused') continue;
      if (!(await write(nodeLines(summary, { kind: 'end' }, 0, words, style)))) return ended('stopped');
      if (!(await write(learnerOutlineLines(summary, words, style)))) return ended('stopped');
      return ended(outcome);
    }
  } finally {
    shown?.end();
  }
}
