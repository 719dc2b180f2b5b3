import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfigText, type LoadResult } from '../../src/core/config/loadConfig';
import type { TrainingConfig } from '../../src/core/config/types';
import type { Dataset } from '../../src/core/data/dataset';
import type { TraceEvent } from '../../src/core/trace/events';
import { traceRun } from '../../src/core/trace/fullTrace';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const EXAMPLES = path.join(REPO, 'examples');

/** Loads a config given as an object, as if it were written in `dir` (default: a fresh temp folder). */
export function load(config: unknown, dir = tempDir()): LoadResult {
  const file = path.join(dir, 'test.training.json');
  return loadConfigText(file, JSON.stringify(config, null, 2));
}

export function loadOk(config: unknown, dir?: string): { config: TrainingConfig; data: Dataset } {
  const result = load(config, dir);
  if (!result.ok) throw new Error(`expected a valid config:\n${result.problems.map((p) => p.message).join('\n')}`);
  return result;
}

export function trace(config: unknown): TraceEvent[] {
  const { config: normalised, data } = loadOk(config);
  const events: TraceEvent[] = [];
  traceRun(normalised, data, (e) => events.push(e));
  return events;
}

export function ofType<T extends TraceEvent['type']>(events: TraceEvent[], type: T): Extract<TraceEvent, { type: T }>[] {
  return events.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type);
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
