import * as fs from 'node:fs';
import { parseConfig } from '../config/parseConfig';
import type { TrainingConfig } from '../config/types';
import type { Dataset } from '../data/dataset';
import { loadData, type ReadText } from '../data/loadData';
import { LocatedJson } from '../validation/locatedJson';
import { describeReadError, type Problem } from '../validation/problems';
import { label } from '../words/label';
import { checkAgainstData } from './checkAgainstData';
import type { ConfigPlaces } from './places';

export type LoadResult =
  | { ok: true; file: string; config: TrainingConfig; data: Dataset; warnings: Problem[]; places: ConfigPlaces }
  | { ok: false; file: string; problems: Problem[] };

const readUtf8: ReadText = (file) => fs.readFileSync(file, 'utf8');

/** Reads a `*.training.json` file and its data; every problem found comes back, located. */
export function loadConfigFile(file: string, readText: ReadText = readUtf8): LoadResult {
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    return { ok: false, file, problems: [{ severity: 'error', file, line: 1, column: 1, path: label('place.json', { path: '$' }), message: describeReadError(error, file, 'config') }] };
  }
  return loadConfigText(file, text, readText);
}

/** The same, for text already in hand (an editor's unsaved buffer); `file` places relative data paths. */
export function loadConfigText(file: string, text: string, readText: ReadText = readUtf8): LoadResult {
  const doc = LocatedJson.parse(file, text);
  if (Array.isArray(doc)) return { ok: false, file, problems: doc };
  const parsed = parseConfig(doc);
  if (!parsed.config) return { ok: false, file, problems: parsed.problems };
  const loaded = loadData(parsed.config.data, doc, parsed.config.seed, readText);
  if (Array.isArray(loaded)) return { ok: false, file, problems: [...parsed.problems, ...loaded] };
  const checked = checkAgainstData(parsed.config, loaded.data, doc, loaded.locate);
  const problems = [...parsed.problems, ...(loaded.warnings ?? []), ...checked.problems];
  if (!checked.data) return { ok: false, file, problems };
  return { ok: true, file, config: parsed.config, data: checked.data, warnings: problems, places: { config: doc, rows: loaded.rows } };
}
