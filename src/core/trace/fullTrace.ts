import type { TrainingConfig } from '../config/types';
import { rowsOf, type Dataset } from '../data/dataset';
import { nestedParameters, pointGradient } from '../model/parameters';
import { Trainer, type Divergence, type TrainingObserver } from '../train/trainer';
import { ENGLISH_WORDS } from '../words/words';
import type { DivergedEvent, TraceEvent } from './events';

/**
 * Trains and reports every event with its full numbers (the CLI's jsonl and tests).
 * Same config and data ⇒ the same events, bit for bit.
 */
export function traceRun(config: TrainingConfig, data: Dataset, emit: (event: TraceEvent) => void): 'done' | 'diverged' {
  const trainer = new Trainer(config, data);
  const { network } = trainer;
  emit({
    type: 'run',
    version: 1,
    config,
    data: {
      count: data.count,
      features: data.features,
      targetWidth: data.targetWidth,
      featureNames: data.featureNames,
      targetNames: data.targetNames,
      inputs: rowsOf(data.inputs, data.features),
      targets: rowsOf(data.targets, data.targetWidth),
    },
    layerSizes: [data.features, ...network.layers.map((l) => l.units)],
    batchesPerEpoch: trainer.schedule.batchCount,
  });
  emit({ type: 'init', ...nestedParameters(network, network) });
  const outcome = trainer.run(fullTraceObserver(trainer, emit));
  if (outcome === 'done') emit({ type: 'done', epochs: config.epochs });
  return outcome === 'done' ? 'done' : 'diverged';
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
