import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfigText, type LoadResult } from '../../src/core/load/loadConfig';
import { formatProblem, type Problem } from '../../src/core/validation/problems';
import { ENGLISH_WORDS } from '../../src/core/words/words';
import type { TrainingConfig } from '../../src/core/config/types';
import type { Dataset } from '../../src/core/data/dataset';
import type { TraceEvent } from '../../src/core/trace/events';
import type { Rng } from '../../src/core/rng';
import { SummaryRecorder, type RunSummary } from '../../src/core/run/summary';
import { batchOf, batchSizeOf, batchStart } from '../../src/core/train/schedule';
import { traceRun } from '../../src/core/trace/fullTrace';
import { readTraceEvents } from '../../src/core/traceFile/traceReader';
import { childAt, childCount, type NodeRef } from '../../src/core/outline/tree';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const EXAMPLES = path.join(REPO, 'examples');

/** Loads a config given as an object, as if it were written in `dir` (default: a fresh temp folder). */
export function load(config: unknown, dir = tempDir()): LoadResult {
  const file = path.join(dir, 'test.training.json');
  return loadConfigText(file, JSON.stringify(config, null, 2));
}

export function loadOk(config: unknown, dir?: string): { config: TrainingConfig; data: Dataset } {
  const result = load(config, dir);
  if (!result.ok) throw new Error(`expected a valid config:\n${result.problems.map(problemLine).join('\n')}`);
  return result;
}

export function trace(config: unknown): TraceEvent[] {
  const { config: normalised, data } = loadOk(config);
  const events: TraceEvent[] = [];
  traceRun(normalised, data, (e) => events.push(e));
  return events;
}

/** The summary a file of these events reads as; a problem reading them fails the test. */
export function summaryFromEvents(events: Iterable<TraceEvent>): RunSummary {
  const reader = readTraceEvents(events);
  if (reader.error || !reader.summary) throw new Error(`the events do not read: ${reader.error ? problemLine(reader.error) : 'no run event'}`);
  return reader.summary;
}

export function ofType<T extends TraceEvent['type']>(events: TraceEvent[], type: T): Extract<TraceEvent, { type: T }>[] {
  return events.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type);
}

/** A problem as the CLI prints it, in English. */
export function problemLine(problem: Problem): string {
  return formatProblem(problem, ENGLISH_WORDS);
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'training-trace-test-'));
}

/** A small valid config to vary in tests. */
export function baseConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    data: { generate: 'linear', count: 7, features: 3 },
    model: { layers: [{ units: 4, activation: 'tanh' }, { units: 1 }] },
    batchSize: 3,
    epochs: 2,
    ...overrides,
  };
}

/** A random config drawn from `rng`: sizes, activations, losses, optimizers and batch options vary. */
export function randomConfig(rng: Rng): Record<string, unknown> {
  const pick = <T>(items: readonly T[]): T => items[rng.below(items.length)];
  const loss = pick(['mse', 'bce', 'cross-entropy'] as const);
  const outputs = loss === 'cross-entropy' ? 2 + rng.below(3) : 1 + rng.below(2);
  const hidden = Array.from({ length: rng.below(3) }, () => ({ units: 1 + rng.below(5), activation: pick(['linear', 'relu', 'sigmoid', 'tanh']) }));
  const output = { units: outputs, activation: loss === 'bce' ? 'sigmoid' : pick(['linear', 'tanh']) };
  const count = 3 + rng.below(12);
  const features = 1 + rng.below(4);
  const inputs = Array.from({ length: count }, () => Array.from({ length: features }, () => rng.uniform(-2, 2)));
  const targets = Array.from({ length: count }, () => {
    if (loss === 'cross-entropy') return Array.from({ length: outputs }, (_, k) => (k === 0 ? 1 : 0));
    return Array.from({ length: outputs }, () => (loss === 'bce' ? rng.below(2) : rng.uniform(-1, 1)));
  });
  if (loss === 'cross-entropy') for (const row of targets) row.unshift(row.splice(rng.below(outputs), 1)[0]);
  const optimizer = pick([
    { type: 'sgd', learningRate: 0.05 },
    { type: 'sgd', learningRate: 0.05, momentum: 0.8 },
    { type: 'adam', learningRate: 0.01 },
  ]);
  return {
    data: { inputs, targets },
    model: { layers: [...hidden, output], bias: rng.below(4) > 0, init: pick(['xavier', 'he', 'uniform']) },
    loss,
    reduction: pick(['mean', 'sum']),
    optimizer,
    batchSize: 1 + rng.below(5),
    epochs: 1 + rng.below(4),
    shuffle: rng.below(2) === 0,
    dropLast: rng.below(3) === 0 && count > 5,
    seed: rng.below(1000),
  };
}

/**
 * A finished run's summary as it stood after its first `points` data points: the same records
 * fed again, each batch's update after its last point, each epoch's end after its last batch.
 * Cut before its end, it reads as still running or as stopped there, as `status` says.
 */
export function cutShort(full: RunSummary, points: number, status: 'running' | 'stopped'): RunSummary {
  const { schedule } = full.shape;
  const recorder = new SummaryRecorder(full.shape);
  let left = points;
  for (const epoch of full.epochs) {
    if (left === 0) break;
    recorder.epochStart(epoch.order);
    for (let p = 0; p < epoch.pointsDone && left > 0; p++, left--) {
      recorder.point(epoch.pointLoss[p], epoch.pointGradientNorm[p]);
      const batch = batchOf(schedule, p);
      if (p + 1 === batchStart(schedule, batch) + batchSizeOf(schedule, batch) && epoch.batchesDone >= batch) recorder.update(epoch.batchGradientNorm[batch - 1]);
    }
    const fed = recorder.summary.epochs[recorder.summary.epochs.length - 1];
    if (fed.pointsDone === epoch.pointsDone && fed.batchesDone === epoch.batchesDone && epoch.loss !== undefined) recorder.epochEnd(epoch.loss);
  }
  const total = full.epochs.reduce((n, e) => n + e.pointsDone, 0);
  if (points >= total && full.status !== 'running') recorder.finish(full.status, full.divergence);
  else if (status === 'stopped') recorder.finish('stopped');
  return recorder.summary;
}

/** Every node of the tree below the root, in the order the tree shows them (a naive walk, for comparing with what is derived). */
export function allRefs(summary: RunSummary): NodeRef[] {
  const refs: NodeRef[] = [];
  const descend = (ref: NodeRef) => {
    for (let i = 0; i < childCount(summary, ref); i++) {
      const child = childAt(summary, ref, i);
      refs.push(child);
      descend(child);
    }
  };
  descend({ kind: 'root' });
  return refs;
}

/** The built CLI as a user runs it, with the locale `env` gives (none is inherited from whoever runs the tests: English otherwise). */
export function cliIn(env: Record<string, string>, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(REPO, 'bin', 'training-trace.js'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, LANG: '', LC_ALL: '', LC_MESSAGES: '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The built CLI as a user runs it, in English. */
export function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return cliIn({}, ...args);
}
