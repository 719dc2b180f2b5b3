import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLES, REPO } from './helpers';

const GOLDEN = path.join(REPO, 'test', 'golden');
const CONFIGS = path.join(GOLDEN, 'configs');

/** The built CLI, run from the config's folder as a learner would, with its output as text. */
function cli(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(REPO, 'bin', 'training-trace.js'), ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { stdout: result.stdout, stderr: `${result.stderr.split(`${dir}${path.sep}`).join('')}exit ${result.status}\n` };
}

const cases = [
  ...['question', 'sgd', 'answer'].map((name) => ({ name, dir: EXAMPLES })),
  ...fs.readdirSync(CONFIGS).filter((f) => f.endsWith('.training.json')).map((f) => ({ name: f.replace('.training.json', ''), dir: CONFIGS })),
];

/**
 * What the CLI printed before its words moved into the catalogue (test/golden/cli-*): the
 * outline, the problems and the trace must read the same, word for word and byte for byte.
 */
describe('the CLI’s output, word for word', () => {
  const traceHashes = new Map(fs.readFileSync(path.join(GOLDEN, 'jsonl.sha256'), 'utf8').trim().split('\n').map((line) => line.split(/\s+/).reverse() as [string, string]));

  for (const { name, dir } of cases) {
    it(`prints the outline of ${name} as it did`, () => {
      const { stdout, stderr } = cli(dir, 'run', `${name}.training.json`);
      assert.equal(stdout, fs.readFileSync(path.join(GOLDEN, `cli-${name}.out`), 'utf8'));
      assert.equal(stderr, fs.readFileSync(path.join(GOLDEN, `cli-${name}.err`), 'utf8'));
    });

    const hash = traceHashes.get(name);
    if (hash) {
      it(`writes the trace of ${name} byte for byte as it did`, () => {
        const { stdout } = cli(dir, 'run', `${name}.training.json`, '--format', 'jsonl');
        assert.equal(createHash('sha256').update(stdout).digest('hex'), hash);
      });
    }
  }
});
