import type { TrainingConfig } from '../config/types';
import type { Dataset } from '../data/dataset';
import { sumOfSquares } from '../model/network';
import { SummaryRecorder, runShape } from '../outline/summary';
import { Trainer, type TrainingObserver } from '../train/trainer';
import { CHECKPOINT_BUDGET_BYTES, CheckpointStore, checkpointInterval, type CheckpointSink } from './checkpoints';

/**
 * The observer of a summarised run: a few numbers per node into the recorder, and a checkpoint
 * at the start of every interval-th batch. Everything else is recomputed on demand by replay.
 * Per point it stores the loss and the gradient norm the trainer computed anyway.
 */
export function summaryObserver(trainer: Trainer, recorder: SummaryRecorder, checkpoints: CheckpointSink): TrainingObserver {
  const { gradientSum } = trainer;
  return {
    epochStart: (_epoch, order) => recorder.epochStart(order),
    batchStart: (epoch, batch) => {
      const globalBatch = (epoch - 1) * trainer.batchCount + (batch - 1);
      if (checkpoints.wants(globalBatch)) checkpoints.add(globalBatch, trainer.checkpoint());
    },
    point: (_epoch, _batch, _index, loss, gradientNorm) => recorder.point(loss, gradientNorm),
    update: () => {
      let squares = 0;
      for (const g of gradientSum.weights) squares += sumOfSquares(g);
      for (const g of gradientSum.biases) squares += sumOfSquares(g);
      recorder.update(Math.sqrt(squares));
    },
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
  const checkpoints = new CheckpointStore(checkpointInterval(trainer.batchCount * config.epochs, trainer.checkpointDoubles(), config.batchSize, budgetBytes));
  return { trainer, recorder, checkpoints };
}

/** Runs to the end in one go (the CLI, tests and benchmarks; the extension runs it in a worker). */
export function recordRun(config: TrainingConfig, data: Dataset, budgetBytes?: number): RecordedRun {
  const run = prepareRecordedRun(config, data, budgetBytes);
  const outcome = run.trainer.run(summaryObserver(run.trainer, run.recorder, run.checkpoints));
  if (outcome === 'done') run.recorder.finish('done');
  return run;
}
