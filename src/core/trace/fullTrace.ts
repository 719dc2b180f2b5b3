import type { TrainingConfig } from '../config/types';
import { rowsOf, type Dataset } from '../data/dataset';
import { nestedParameters, pointGradient } from '../model/parameters';
import { Trainer, TrainingRun, type Divergence, type TrainingObserver } from '../train/trainer';
import { label } from '../words/label';
import { ENGLISH_WORDS, escapeControls } from '../words/words';
import type { DivergedEvent, RunEvent, TraceEvent } from './events';

/** Data sets with more values than this (inputs and targets together) are left out of the `run` event. */
export const TRACE_DATA_VALUES = 1_000_000;

/**
 * Trains and reports every event with its full numbers (the CLI's jsonl and tests).
 * Same config and data ⇒ the same events, bit for bit.
 */
export function traceRun(config: TrainingConfig, data: Dataset, emit: (event: TraceEvent) => void): 'done' | 'diverged' {
  return startTrace(config, data, emit).advance() as 'done' | 'diverged';
}

/**
 * The same, as a run that can pause after any point (see TrainingRun): the `run` and `init`
 * events are emitted at once, `done` when the run reaches its end.
 */
export function startTrace(config: TrainingConfig, data: Dataset, emit: (event: TraceEvent) => void): { advance(pause?: () => boolean): 'paused' | 'done' | 'diverged'; readonly at: { epoch: number; batch: number } } {
  const trainer = new Trainer(config, data);
  const { network } = trainer;
  emit(runEvent(config, data, trainer));
  emit({ type: 'init', ...nestedParameters(network, network) });
  const run = new TrainingRun(trainer, fullTraceObserver(trainer, emit));
  return {
    advance: (pause) => {
      const outcome = run.advance(pause);
      if (outcome === 'done') emit({ type: 'done', epochs: config.epochs });
      return outcome;
    },
    get at() {
      return run.at;
    },
  };
}

/**
 * The `run` event. A data set of more than TRACE_DATA_VALUES values is not repeated in it (a
 * line of gigabytes helps no reader): `inputs` and `targets` are left out, here and in an
 * inline config's `data`, and `inputsOmitted`, `targetsOmitted` and `omittedReason` say so.
 * Each point's target is still in its forward event.
 */
function runEvent(config: TrainingConfig, data: Dataset, trainer: Trainer): RunEvent {
  const values = data.inputs.length + data.targets.length;
  const names = { count: data.count, features: data.features, targetWidth: data.targetWidth, featureNames: data.featureNames, targetNames: data.targetNames };
  const layerSizes = [data.features, ...trainer.network.layers.map((l) => l.units)];
  if (values <= TRACE_DATA_VALUES) {
    return { type: 'run', version: 1, config, data: { ...names, inputs: rowsOf(data.inputs, data.features), targets: rowsOf(data.targets, data.targetWidth) }, layerSizes, batchesPerEpoch: trainer.schedule.batchCount };
  }
  const omitted = { inputsOmitted: true, targetsOmitted: true, omittedReason: ENGLISH_WORDS.text(label('trace.dataOmitted', { values, max: TRACE_DATA_VALUES })) } as const;
  const shownConfig = 'inputs' in config.data ? { ...config, data: omitted } : config;
  return { type: 'run', version: 1, config: shownConfig, data: { ...names, ...omitted }, layerSizes, batchesPerEpoch: trainer.schedule.batchCount };
}

/**
 * An event as one line of JSON. JSON.stringify escapes C0 controls; the `run` event (which
 * quotes the config and the data's column names) also gets DEL, C1 controls and direction
 * overrides escaped, so a trace printed to a terminal cannot drive it. The value is the same.
 */
export function traceLine(event: TraceEvent): string {
  const json = JSON.stringify(event);
  // JSON.stringify leaves no C0 control raw, so escapeControls only touches the others here.
  return event.type === 'run' ? escapeControls(json) : json;
}

/** An observer that turns the trainer's buffers into full trace events. */
export function fullTraceObserver(trainer: Trainer, emit: (event: TraceEvent) => void): TrainingObserver {
  const { network, data } = trainer;
  return {
    epochStart: (epoch, order) => emit({ type: 'epochStart', epoch, order: Array.from(order) }),
    batchStart: (epoch, batch, indices) => emit({ type: 'batchStart', epoch, batch, indices: Array.from(indices) }),
    forward: (epoch, batch, index, loss) => {
      const target = Array.from(data.targets.subarray(index * data.targetWidth, (index + 1) * data.targetWidth));
      const forward: TraceEvent = { type: 'forward', epoch, batch, index, output: Array.from(network.output), target, loss };
      if (trainer.config.loss === 'cross-entropy') forward.probabilities = Array.from(network.probabilities);
      emit(forward);
    },
    point: (epoch, batch, index) => emit({ type: 'backward', epoch, batch, index, gradient: pointGradient(network) }),
    update: (epoch, batch, size) =>
      emit({
        type: 'update',
        epoch,
        batch,
        size,
        reduction: trainer.config.reduction,
        gradient: nestedParameters(network, trainer.gradientSum),
        ...nestedParameters(network, network),
      }),
    epochEnd: (epoch, loss) => emit({ type: 'epochEnd', epoch, loss }),
    diverged: (divergence) => emit(divergedEvent(divergence)),
  };
}

/** A divergence as the trace writes it: its message in English, as the contract has it. */
export function divergedEvent(divergence: Divergence): DivergedEvent {
  return { type: 'diverged', ...divergence, message: ENGLISH_WORDS.text(divergence.message) };
}
