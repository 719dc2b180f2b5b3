import * as path from 'node:path';
import { parseConfig } from '../config/parseConfig';
import { DEFAULT_MAX_FILE_MB, LIMITS } from '../config/defaults';
import type { TrainingConfig } from '../config/types';
import type { Dataset } from '../data/dataset';
import { loadData } from '../data/loadData';
import type { RowLayout } from '../data/rowPlaces';
import { readWholeText, ReadRefused, type ReadPolicy } from '../data/readFile';
import { LocatedJson } from '../validation/locatedJson';
import { describeReadError, jsonPlace, type Problem } from '../validation/problems';
import type { Label } from '../words/label';
import { checkAgainstData, type RunLimits } from './checkAgainstData';

/**
 * `dataFile`: the data file the config names (absolute), when it names one, so an editor can
 * recheck the config when that file changes. `rows`: where each data row is written (plain data,
 * so it crosses from the loader's worker).
 */
export type LoadResult =
  | { ok: true; file: string; config: TrainingConfig; data: Dataset; warnings: Problem[]; rows: RowLayout; dataFile?: string }
  | { ok: false; file: string; problems: Problem[]; dataFile?: string };

/** What may be read (files, their size, where) and how large a run may be. */
export interface LoadOptions extends ReadPolicy {
  limits: RunLimits;
}

/** The command line's: any regular file up to the default size, the default run limits. */
export const DEFAULT_LOAD_OPTIONS: LoadOptions = {
  maxBytes: DEFAULT_MAX_FILE_MB * 2 ** 20,
  limits: { runPoints: LIMITS.runPoints, parameters: LIMITS.parameters },
};

/** Reads a `*.training.json` file and its data; every problem found comes back, located. */
export function loadConfigFile(file: string, options: LoadOptions = DEFAULT_LOAD_OPTIONS): LoadResult {
  let text: string;
  try {
    text = readWholeText(file, options, 'config');
  } catch (error) {
    const message = error instanceof ReadRefused ? error.why : describeReadError(error, file, 'config');
    return wholeFileFailure(file, message);
  }
  return loadConfigText(file, text, options);
}

/** A config that could not be read at all: one problem, about the whole file. */
export function wholeFileFailure(file: string, message: Label): LoadResult {
  return { ok: false, file, problems: [{ severity: 'error', file, line: 1, column: 1, path: jsonPlace([]), message }] };
}

/** The same, for text already in hand (an editor's unsaved buffer); `file` places relative data paths. */
export function loadConfigText(file: string, text: string, options: LoadOptions = DEFAULT_LOAD_OPTIONS): LoadResult {
  const doc = LocatedJson.parse(file, text);
  if (Array.isArray(doc)) return { ok: false, file, problems: doc };
  const named = (doc.value as { data?: { file?: unknown } } | null)?.data?.file;
  const dataFile = typeof named === 'string' && named.trim() !== '' ? path.resolve(path.dirname(file), named) : undefined;
  const parsed = parseConfig(doc);
  if (!parsed.config) return { ok: false, file, problems: parsed.problems, dataFile };
  const loaded = loadData(parsed.config.data, doc, parsed.config.seed, options);
  if (Array.isArray(loaded)) return { ok: false, file, problems: [...parsed.problems, ...loaded], dataFile };
  const checked = checkAgainstData(parsed.config, loaded.data, doc, loaded.locate, options.limits);
  const problems = [...parsed.problems, ...(loaded.warnings ?? []), ...checked.problems];
  if (!checked.data) return { ok: false, file, problems, dataFile };
  return { ok: true, file, config: parsed.config, data: checked.data, warnings: problems, rows: loaded.rows, dataFile };
}
