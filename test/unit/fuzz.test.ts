import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { DEFAULT_LOAD_OPTIONS, loadConfigText, type LoadResult } from '../../src/core/load/loadConfig';
import { treeCounts } from '../../src/core/outline/tree';
import { summarizeRun } from '../../src/core/run/recordRun';
import { batchSchedule } from '../../src/core/train/schedule';
import { formatProblem } from '../../src/core/validation/problems';
import { ENGLISH_WORDS } from '../../src/core/words/words';
import { REPO, tempDir } from './helpers';

/**
 * Property-based fuzzing of everything a learner can type or load: configs and CSV files,
 * generated whole and then mutated (characters cut and inserted, brackets by the thousand,
 * control characters, duplicated keys, odd numbers, other line endings). Each one must either
 * run or give located problems: never throw, never place a problem outside its file, never
 * quote a control character raw; and a run that starts must end, within its limits.
 *
 * Seeded, so every `npm test` runs the same cases; FUZZ_SEED and FUZZ_RUNS change them. A
 * failing case is written to test-artifacts/fuzz-failures/ and its path printed.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);
/** Runs larger than this (points × parameters) are checked against the limits, not trained: the test's time stays bounded. */
const TRAIN_BUDGET = 200_000;
const FAILURES = path.join(REPO, 'test-artifacts', 'fuzz-failures');
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

interface Case {
  config: string;
  csv?: string;
}

// ---- generated configs ------------------------------------------------------------------

const finite = fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true });
const oddNumber = fc.constantFrom<unknown>(0, -1, 1.5, 1e308, -1e308, 1e-320, 2 ** 53, '3', null, true, [], {});
/** Mostly a good value, now and then an odd one: most configs should get far enough to run. */
const mostly = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 30, arbitrary: good }, { weight: 1, arbitrary: oddNumber });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

const loss = fc.constantFrom('mse', 'mse', 'bce', 'cross-entropy');
const inline = (targets: fc.Arbitrary<number>) =>
  fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3 })).chain(([count, features]) =>
    fc.record({
      inputs: fc.array(fc.array(mostly(finite), { minLength: features, maxLength: features }), { minLength: count, maxLength: count }),
      targets: fc.array(fc.array(mostly(targets), { minLength: 1, maxLength: 1 }), { minLength: count, maxLength: count }),
    }),
  );
const generated = fc.record(
  { generate: fc.constantFrom('xor', 'circle', 'linear', 'random'), count: mostly(fc.integer({ min: 1, max: 40 })), features: mostly(fc.integer({ min: 2, max: 4 })), noise: maybe(mostly(fc.double({ min: 0, max: 2, noNaN: true }))) },
  { requiredKeys: ['generate'] },
);
const fromFile = fc.record({ file: fc.constantFrom('data.csv', 'missing.csv', '../data.csv', '/dev/null', 'data.json', ''), targetColumns: maybe(fc.array(fc.constantFrom('y', 'a', 'z'), { maxLength: 2 })) }, { requiredKeys: ['file'] });

const configObject = loss.chain((lossName) => {
  // The last layer fits the targets: one unit (a class number's one-hot needs 2 or more for cross-entropy).
  const outputUnits = lossName === 'cross-entropy' ? fc.integer({ min: 2, max: 3 }) : fc.constant(1);
  const targets = lossName === 'cross-entropy' ? fc.constantFrom(0, 1) : lossName === 'bce' ? fc.constantFrom(0, 0.5, 1) : finite;
  const hidden = fc.array(fc.record({ units: mostly(fc.integer({ min: 1, max: 6 })), activation: fc.constantFrom('linear', 'relu', 'sigmoid', 'tanh') }), { maxLength: 2 });
  return fc.record(
    {
      data: fc.oneof({ weight: 4, arbitrary: inline(targets) }, { weight: 4, arbitrary: generated }, { weight: 1, arbitrary: fromFile }, { weight: 1, arbitrary: oddNumber }),
      model: fc.record({
        layers: fc.tuple(hidden, outputUnits, fc.constantFrom('linear', 'sigmoid', 'tanh')).map(([h, units, activation]) => [...h, { units, activation: lossName === 'bce' ? 'sigmoid' : activation }]),
        bias: maybe(fc.boolean()),
        init: maybe(fc.constantFrom('xavier', 'he', 'uniform')),
      }),
      loss: fc.constant(lossName),
      reduction: maybe(fc.constantFrom('mean', 'sum')),
      optimizer: maybe(
        fc.oneof(
          fc.record({ type: fc.constant('sgd'), learningRate: mostly(fc.double({ min: 1e-4, max: 1, noNaN: true })), momentum: maybe(fc.double({ min: 0, max: 0.99, noNaN: true })) }, { requiredKeys: ['type'] }),
          fc.record({ type: fc.constant('adam'), learningRate: mostly(fc.double({ min: 1e-4, max: 0.1, noNaN: true })) }, { requiredKeys: ['type'] }),
        ),
      ),
      batchSize: maybe(mostly(fc.integer({ min: 1, max: 8 }))),
      epochs: maybe(mostly(fc.integer({ min: 1, max: 4 }))),
      shuffle: maybe(fc.boolean()),
      dropLast: maybe(fc.boolean()),
      seed: maybe(mostly(fc.integer())),
    },
    { requiredKeys: ['data', 'model'] },
  );
});

const lineEnding = fc.constantFrom('\n', '\r\n', '\r');
const configText = fc.tuple(configObject, fc.constantFrom(0, 1, 2), lineEnding, fc.boolean()).map(([object, indent, eol, bom]) => `${bom ? '\uFEFF' : ''}${JSON.stringify(object, null, indent).replace(/\n/g, eol)}`);

// ---- generated CSVs ---------------------------------------------------------------------

const cell = fc.oneof(
  { weight: 300, arbitrary: finite.map(String) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'x', '1e400', 'NaN', 'Infinity', '0x10', '"1"', '"a,b"', '"unclosed', '"say ""hi"""', '\u001b[2J', '<script>', '-0', '+.5') },
);
const csvText = fc.tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 25 }), lineEnding, fc.boolean()).chain(([columns, rows, eol, bom]) =>
  fc
    .tuple(
      fc.uniqueArray(fc.constantFrom('a', 'b', 'z', 'x1', '"q"', 'a b', '\u001b]0;t\u0007'), { minLength: columns - 1, maxLength: columns - 1 }).map((names) => [...names, 'y']),
      fc.array(fc.oneof({ weight: 50, arbitrary: fc.array(cell, { minLength: columns, maxLength: columns }) }, { weight: 1, arbitrary: fc.array(cell, { minLength: 1, maxLength: columns + 1 }) }), { minLength: rows, maxLength: rows }),
    )
    .map(([header, body]) => `${bom ? '\uFEFF' : ''}${[header, ...body].map((cells) => cells.join(',')).join(eol)}${eol}`),
);

// ---- mutations --------------------------------------------------------------------------

const inserted = fc.constantFrom('[', ']', '{', '}', '"', ',', ':', '\\', '\u0000', '\u001b', '\u2028', '\r', '\n', 'NaN', '1e400', '-', '"epochs": 0,', '"a": 1, "a": 2,', '[['.repeat(40), '['.repeat(3000), '{"a":'.repeat(80), '//', '/*', '\uFEFF', '\uD800');
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: inserted }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, mutations: Mutation[]): string {
  for (const m of mutations) {
    const at = text.length === 0 ? 0 : m.at % (text.length + 1);
    if (m.kind === 'cut') text = text.slice(0, at) + text.slice(at + m.length);
    else if (m.kind === 'insert') text = text.slice(0, at) + m.text + text.slice(at);
    else text = text.slice(0, at) + text.slice(at, at + m.length) + text.slice(at);
  }
  return text;
}

/** Half the cases as generated, half with up to four mutations. */
const mutated = (arb: fc.Arbitrary<string>) =>
  fc.tuple(arb, fc.oneof(fc.constant<Mutation[]>([]), fc.array(mutation, { minLength: 1, maxLength: 4 }))).map(([text, mutations]) => mutate(text, mutations));

// ---- the property -----------------------------------------------------------------------

const dir = tempDir();
const configFile = path.join(dir, 'fuzz.training.json');
const csvFile = path.join(dir, 'data.csv');
const options = { ...DEFAULT_LOAD_OPTIONS, root: dir };

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

/** What the cases came to, printed after each property: how many ran (and were trained), how many gave problems. */
const tally = { cases: 0, problems: 0, ran: 0, trained: 0 };

/** Loads the case and checks everything it says; when it runs and is small enough, runs it. */
function check(testCase: Case): void {
  tally.cases++;
  if (testCase.csv !== undefined) fs.writeFileSync(csvFile, testCase.csv);
  else fs.rmSync(csvFile, { force: true });
  let result: LoadResult;
  try {
    result = loadConfigText(configFile, testCase.config, options);
  } catch (error) {
    throw new Error(`loading threw: ${error instanceof Error ? error.stack : String(error)}`);
  }
  const problems = result.ok ? result.warnings : result.problems;
  if (!result.ok) assert.ok(problems.some((p) => p.severity === 'error'), 'a config that does not run says why');
  for (const problem of problems) {
    const text = problem.file === configFile ? testCase.config : problem.file === csvFile ? testCase.csv : undefined;
    assert.ok(text !== undefined, `a problem in an unexpected file: ${problem.file}`);
    assert.ok(problem.line >= 1 && problem.column >= 1, `placed at ${problem.line}:${problem.column}`);
    assert.ok(problem.line <= lineCount(text), `line ${problem.line} of a file of ${lineCount(text)} lines`);
    const line = formatProblem(problem, ENGLISH_WORDS);
    assert.doesNotMatch(line, CONTROL, `a control character quoted raw: ${JSON.stringify(line)}`);
  }
  if (!result.ok) {
    tally.problems++;
    return;
  }
  tally.ran++;
  const { config, data } = result;
  const points = batchSchedule(data.count, config).pointsPerEpoch * config.epochs;
  assert.ok(points <= DEFAULT_LOAD_OPTIONS.limits.runPoints, `${points} points, past the limit`);
  for (const values of [data.inputs, data.targets]) for (const v of values) assert.ok(Number.isFinite(v), 'every number reaching the trainer is finite');
  let parameters = 0;
  let inputs = data.features;
  for (const l of config.model.layers) {
    parameters += l.units * (inputs + 1);
    inputs = l.units;
  }
  if (points * parameters > TRAIN_BUDGET) return;
  tally.trained++;
  const summary = summarizeRun(config, data);
  assert.ok(summary.status === 'done' || summary.status === 'diverged', `the run ended as ${summary.status}`);
  if (summary.status === 'done') {
    assert.equal(treeCounts(summary).point, points, 'a finished run visited every point');
    for (const epoch of summary.epochs) assert.ok(Number.isFinite(epoch.loss), 'every epoch of a finished run has a finite mean loss');
  } else {
    assert.ok(summary.divergence, 'a diverged run says where');
  }
}

/** Runs `property` over RUNS cases; a failing case is saved and its path printed before the failure is reported. */
function fuzz(name: string, cases: fc.Arbitrary<Case>): void {
  Object.assign(tally, { cases: 0, problems: 0, ran: 0, trained: 0 });
  const started = performance.now();
  fc.assert(
    fc.property(cases, (testCase) => {
      try {
        check(testCase);
      } catch (error) {
        const saved = path.join(FAILURES, `${name}-${SEED}`);
        fs.mkdirSync(saved, { recursive: true });
        fs.writeFileSync(path.join(saved, 'fuzz.training.json'), testCase.config);
        if (testCase.csv !== undefined) fs.writeFileSync(path.join(saved, 'data.csv'), testCase.csv);
        console.error(`fuzz: a failing case is in ${saved}`);
        throw error;
      }
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\n      fuzz ${name}: ${tally.cases} cases in ${seconds} s: ${tally.problems} gave located problems, ${tally.ran} ran (${tally.trained} trained to the end)`);
}

describe(`fuzzing configs and CSVs (fast-check, seed ${SEED}, ${RUNS} cases each)`, function () {
  this.timeout(600_000);

  it('generated and mutated configs run or give located problems, never throw, and runs end within their limits', () => {
    fuzz('config', mutated(configText).map((config) => ({ config })));
  });

  it('generated and mutated CSVs (and configs naming them) run or give located problems, never throw', () => {
    const config = fc.tuple(fc.constantFrom(undefined, undefined, undefined, ['y'], ['a', 'y'], ['y', 'y'], ['nope']), fc.constantFrom('mse', 'mse', 'mse', 'bce', 'cross-entropy')).map(([targetColumns, lossName]) => {
      const units = lossName === 'cross-entropy' ? 2 : (targetColumns?.length ?? 1);
      return JSON.stringify({ data: { file: 'data.csv', ...(targetColumns ? { targetColumns } : {}) }, model: { layers: [{ units: 3, activation: 'tanh' }, { units, activation: lossName === 'bce' ? 'sigmoid' : 'linear' }] }, loss: lossName, batchSize: 2, epochs: 2 }, null, 2);
    });
    fuzz('csv', fc.tuple(config, mutated(csvText)).map(([text, csv]) => ({ config: text, csv })));
  });
});
