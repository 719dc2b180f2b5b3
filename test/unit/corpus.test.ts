import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS, corpusCases, corpusOutput } from './corpusCases';
import { REPO } from './helpers';

/**
 * test/corpus: malformed configs and data files, each in its folder with `expected.txt`, the
 * exact problems it must produce (file, line, column, path, message), written and checked by
 * hand. A change to a message or a place shows here, case by case.
 */
describe('the corpus of malformed configs and data files', () => {
  const cases = corpusCases();

  it('holds at least 60 cases', () => {
    assert.ok(cases.length >= 60, `${cases.length} cases`);
  });

  for (const name of cases) {
    it(`${name}: says exactly what is wrong, and where`, () => {
      assert.equal(corpusOutput(name), fs.readFileSync(path.join(CORPUS, name, 'expected.txt'), 'utf8'));
    });
  }

  it('never makes the CLI crash: every case exits 0 or 2, with one line per problem and no stack trace', function () {
    this.timeout(120_000);
    for (const name of cases) {
      if (fs.existsSync(path.join(CORPUS, name, 'options.json'))) continue; // read under a policy the CLI does not have
      const result = spawnSync(process.execPath, [path.join(REPO, 'bin', 'training-trace.js'), 'run', 'config.training.json'], { cwd: path.join(CORPUS, name), encoding: 'utf8', maxBuffer: 1 << 26, timeout: 60_000 });
      assert.ok(result.status === 0 || result.status === 2, `${name}: exit ${result.status} ${result.signal ?? ''}\n${result.stderr}`);
      assert.doesNotMatch(result.stderr, /\n\s+at |RangeError|TypeError|\x1b/, `${name}: ${result.stderr}`);
      const problems = fs.readFileSync(path.join(CORPUS, name, 'expected.txt'), 'utf8').trim().split('\n').slice(0, -1);
      assert.equal(result.stderr.trim().split('\n').filter(Boolean).length, problems.length, `${name}: ${result.stderr}`);
    }
  });
});
