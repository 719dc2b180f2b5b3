import type { TrainingConfig } from '../config/types';
import type { Dataset } from '../data/dataset';
import { Trainer, type TrainingObserver } from '../train/trainer';
import { CHECKPOINT_BUDGET_BYTES, CheckpointStore, checkpointInterval } from './checkpoints';
import { SummaryRecorder, runShape, type RunSummary } from './summary';

/**
 * The observer of a summarised run: a few numbers per node into the recorder (the loss and the
 * gradient norms the trainer computed anyway). Everything else is recomputed on demand by
 * replay, from the checkpoints the run keeps.
 */
export function summaryObserver(recorder: SummaryRecorder): TrainingObserver {
  return {
    epochStart: (_epoch, order) => recorder.epochStart(order),
    point: (_epoch, _batch, _index, loss, gradientNorm) => recorder.point(loss, gradientNorm),
    update: (_epoch, _batch, _size, gradientNorm) => recorder.update(gradientNorm),
    epochEnd: (_epoch, loss) => recorder.epochEnd(loss),
    diverged: (divergence) => recorder.finish('diverged', divergence),
  };
}

export interface RecordedRun {
  trainer: Trainer;
  recorder: SummaryRecorder;
  checkpoints: CheckpointStore;
}

/** Sets up a summarised run: the trainer, an empty summary and a checkpoint store sized to the budget. */
export function prepareRecordedRun(config: TrainingConfig, data: Dataset, budgetBytes = CHECKPOINT_BUDGET_BYTES): RecordedRun {
  const trainer = new Trainer(config, data);
  const recorder = new SummaryRecorder(runShape(config, data));
  const checkpoints = new CheckpointStore(checkpointInterval(trainer.schedule, config.epochs, trainer.checkpointDoubles(), budgetBytes));
  return { trainer, recorder, checkpoints };
}

/** The summary of a whole run, without checkpoints: what the CLI's outline is drawn from. */
export function summarizeRun(config: TrainingConfig, data: Dataset): RunSummary {
  const recorder = new SummaryRecorder(runShape(config, data));
  if (new Trainer(config, data).run(summaryObserver(recorder)) === 'done') recorder.finish('done');
  return recorder.summary;
}

/** Runs to the end in one go, keeping checkpoints (tests and benchmarks; the extension runs it in a worker). */
export function recordRun(config: TrainingConfig, data: Dataset, budgetBytes?: number): RecordedRun {
  const run = prepareRecordedRun(config, data, budgetBytes);
  const outcome = run.trainer.run(summaryObserver(run.recorder), run.checkpoints);
  if (outcome === 'done') run.recorder.finish('done');
  return run;
}
