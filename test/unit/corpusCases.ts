import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_LOAD_OPTIONS, loadConfigFile, type LoadOptions } from '../../src/core/load/loadConfig';
import { formatProblem } from '../../src/core/validation/problems';
import { ENGLISH_WORDS } from '../../src/core/words/words';
import { REPO } from './helpers';

export const CORPUS = path.join(REPO, 'test', 'corpus');

/** The corpus's cases: one folder each, with `config.training.json`, its data files, `expected.txt`, and `options.json` when the case reads under a policy. */
export function corpusCases(): string[] {
  return fs
    .readdirSync(CORPUS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * What loading a case gives, as the CLI prints it: every problem (or, when it runs, every
 * warning), one a line as `file:line:column: path: message`, then `→ runs` or `→ does not run`.
 * Paths are relative: the case's folder is `.`, the corpus's `..`.
 */
export function corpusOutput(name: string): string {
  const dir = path.join(CORPUS, name);
  const optionsFile = path.join(dir, 'options.json');
  const given = fs.existsSync(optionsFile) ? (JSON.parse(fs.readFileSync(optionsFile, 'utf8')) as { maxBytes?: number; root?: string }) : {};
  const options: LoadOptions = { ...DEFAULT_LOAD_OPTIONS, ...(given.maxBytes ? { maxBytes: given.maxBytes } : {}), ...(given.root ? { root: path.resolve(dir, given.root) } : {}) };
  const result = loadConfigFile(path.join(dir, 'config.training.json'), options);
  const problems = result.ok ? result.warnings : result.problems;
  const lines = problems.map((p) => formatProblem(p, ENGLISH_WORDS));
  lines.push(result.ok ? '→ runs' : '→ does not run');
  return `${lines.join('\n').split(`${dir}${path.sep}`).join('').split(dir).join('.').split(`${CORPUS}${path.sep}`).join(`..${path.sep}`)}\n`;
}
