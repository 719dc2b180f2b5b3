import type { TrainingConfig } from '../core/config/types';
import type { Dataset } from '../core/data/dataset';
import { nodeId } from '../core/outline/tree';
import { packSummary } from '../core/run/packedSummary';
import type { RunSummary } from '../core/run/summary';
import { label, type Label } from '../core/words/label';
import type { ComparedRun, Comparison } from '../shared/protocol';
import { RunSession } from './runSession';

/** Epochs whose end weights a comparison sends, and parameters of each: enough to see, bounded for the wire. */
export const MAX_COMPARED_EPOCHS = 50;
export const MAX_COMPARED_PARAMETERS = 512;

/** One run of a comparison: its name and what to train. */
export interface ComparisonSource {
  name: Label;
  config: TrainingConfig;
  data: Dataset;
}

/**
 * What a finished run of a comparison gives, however it was made. Today every run is trained
 * here from a config; a saved trace read back (issue 10's reader of .trace.jsonl files into a
 * RunSummary) is one more implementation of this: its summary, and the weights of the update
 * that ends each epoch, which a trace records.
 */
export interface ComparedResult {
  name: Label;
  summary: RunSummary;
  /** All parameters after each epoch: each layer's weights row by row, then its biases. */
  weightsAfterEpoch: number[][];
}

/**
 * The config three ways, as the learner's question asks: batch size 1 (stochastic gradient
 * descent), the configured size (mini-batch) and the whole data set (full batch). Only the
 * batch size changes: the same seed gives the same initial weights and the same shuffled order
 * each epoch (their random streams do not depend on it). A size that coincides with another is
 * run once.
 */
export function batchSizeVariants(config: TrainingConfig, data: Dataset): ComparisonSource[] {
  const variants: ComparisonSource[] = [
    { name: label('compare.sgd'), config: { ...config, batchSize: 1 } },
    { name: label('compare.configured', { size: config.batchSize }), config },
    { name: label('compare.full', { size: data.count }), config: { ...config, batchSize: data.count, dropLast: false } },
  ].map((v) => ({ ...v, data }));
  return variants.filter((v, i) => variants.findIndex((w) => w.config.batchSize === v.config.batchSize) === i);
}

/** A comparison under way: its result when every run has ended, and a way to stop them. */
export interface RunningComparison {
  result: Promise<ComparedResult[]>;
  stop(): Promise<void>;
}

/** Trains each source in its own worker (as the panel's run is trained) and collects what a comparison shows. */
export function runComparison(sources: ComparisonSource[], workerScript: string): RunningComparison {
  const sessions = sources.map((s, i) => new RunSession(`compare-${i}`, s.config, s.data, workerScript));
  const result = Promise.all(
    sessions.map(async (session, i): Promise<ComparedResult> => {
      await session.finished;
      return { name: sources[i].name, summary: session.summary, weightsAfterEpoch: await weightsAfterEpochs(session) };
    }),
  );
  return { result, stop: async () => void (await Promise.all(sessions.map((s) => s.stop()))) };
}

/** The weights after each complete epoch (its last batch's update), recomputed by replay. */
async function weightsAfterEpochs(session: RunSession): Promise<number[][]> {
  const { summary } = session;
  const { batchCount } = summary.shape.schedule;
  const ended = summary.epochs.filter((e) => e.batchesDone === batchCount).length;
  const weights: number[][] = [];
  for (let epoch = 1; epoch <= Math.min(ended, MAX_COMPARED_EPOCHS); epoch++) {
    const update = await session.detail(nodeId(summary, { kind: 'update', epoch, batch: batchCount }));
    if (update?.kind !== 'update') break;
    weights.push([...update.after.weights.flatMap((layer, l) => [...layer.flat(), ...update.after.biases[l]])]);
  }
  return weights;
}

/** A comparison as the panel takes it: summaries packed, parameters cut to what it draws. */
export function toWireComparison(title: Label, results: ComparedResult[]): Comparison {
  const runs: ComparedRun[] = results.map((r) => ({
    name: r.name,
    summary: packSummary(r.summary),
    weightsAfterEpoch: r.weightsAfterEpoch.map((w) => w.slice(0, MAX_COMPARED_PARAMETERS)),
  }));
  return { title, runs, parametersCut: results.some((r) => (r.weightsAfterEpoch[0]?.length ?? 0) > MAX_COMPARED_PARAMETERS) };
}
