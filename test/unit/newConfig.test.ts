import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfigFile, loadConfigText } from '../../src/core/load/loadConfig';
import { configText, csvHeader, newConfig, STARTING_POINTS, type StartingPoint } from '../../src/core/load/newConfig';
import { findingsInTree } from '../../src/core/outline/corrections';
import { summarizeRun } from '../../src/core/run/recordRun';
import { ENGLISH_WORDS } from '../../src/core/words/words';
import { EXAMPLES, problemLine, tempDir } from './helpers';

/** Writes a starting point as the command does and loads it through the real loader: it must run, without a warning. */
function written(start: StartingPoint, dir = tempDir(), csv?: { file: string; target: string; features: number }) {
  const file = path.join(dir, `${start}.training.json`);
  const text = configText(newConfig(start, ENGLISH_WORDS, csv));
  fs.writeFileSync(file, text);
  const result = loadConfigFile(file);
  assert.ok(result.ok, `${start}:\n${result.ok ? '' : result.problems.map(problemLine).join('\n')}`);
  assert.deepEqual(result.warnings.map(problemLine), [], start);
  return { text, ...result };
}

describe('New Training Config', () => {
  it('offers four starting points', () => {
    assert.deepEqual([...STARTING_POINTS], ['learner', 'sgd', 'fullBatch', 'csv']);
  });

  it('starts from the learner’s set-up: the question’s config, explained', () => {
    const { config, text } = written('learner');
    const question = loadConfigFile(path.join(EXAMPLES, 'question.training.json'));
    assert.ok(question.ok);
    assert.deepEqual(config, question.config, 'it trains exactly as examples/question.training.json does');
    const json = JSON.parse(text);
    for (const where of [json, json.data, json.model, json.optimizer]) assert.match(where.description, /\w+ \w+ \w+/, 'each part says what it is');
    const { corrections } = findingsInTree(summarizeRun(config, written('learner').data));
    for (const id of ['C2', 'C3', 'C4'] as const) assert.ok(corrections.includes(id), `${id} corrects the outline`);
  });

  it('starts from stochastic gradient descent, where the outline’s per-point updates are right', () => {
    const { config, data } = written('sgd');
    assert.equal(config.batchSize, 1);
    const { confirmations } = findingsInTree(summarizeRun(config, data));
    for (const id of ['C2', 'C3', 'C4'] as const) assert.ok(confirmations.includes(id), `${id} confirms the outline`);
  });

  it('starts from full batch: one batch, one update per epoch', () => {
    const { config, data } = written('fullBatch');
    const summary = summarizeRun(config, data);
    assert.equal(summary.shape.schedule.batchCount, 1);
    assert.ok(summary.epochs.every((e) => e.batchesDone === 1));
  });

  it('starts from the learner’s own CSV, relative to the config, predicting the chosen column', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'data', 'houses.csv'), 'rooms,"area, m²",price\r\n3,70,1.2\r\n4,95,1.9\r\n2,50,0.8\r\n5,120,2.6\r\n1,30,0.5\r\n');
    const columns = csvHeader(fs.readFileSync(path.join(dir, 'data', 'houses.csv'), 'utf8'));
    assert.deepEqual(columns, ['rooms', 'area, m²', 'price']);
    const { data, config } = written('csv', dir, { file: 'data/houses.csv', target: 'area, m²', features: columns.length - 1 });
    assert.deepEqual([data.featureNames, data.targetNames, data.count], [['rooms', 'price'], ['area, m²'], 5]);
    assert.deepEqual(config.data, { file: 'data/houses.csv', targetColumns: ['area, m²'] });
  });

  it('reads a CSV’s header from the start of the file alone', () => {
    assert.deepEqual(csvHeader('\uFEFFx1,x2,y\n1,2,3\n4,5'), ['x1', 'x2', 'y']);
    assert.deepEqual(csvHeader('a,b\n1,"unclosed'), ['a', 'b'], 'a later line cut short does not matter');
    assert.deepEqual(csvHeader('only,a,header'), ['only', 'a', 'header']);
    assert.deepEqual(csvHeader(''), []);
  });

  it('writes JSON as a person would: the same value, short parts on one line', () => {
    const value = { description: 'x', data: { inputs: [[1, 2], [3, 4]], targets: [[0], [1]] }, model: { layers: [{ units: 4, activation: 'tanh' }] }, epochs: 3 };
    const text = configText(value);
    assert.deepEqual(JSON.parse(text), value);
    assert.equal(text, '{\n  "description": "x",\n  "data": { "inputs": [[1, 2], [3, 4]], "targets": [[0], [1]] },\n  "model": { "layers": [{ "units": 4, "activation": "tanh" }] },\n  "epochs": 3\n}\n');
    const long = configText({ rows: Array.from({ length: 40 }, (_, i) => [i, i + 0.5]) });
    assert.ok(long.split('\n').every((line) => line.length <= 100), 'a long array is broken into lines');
    assert.ok(loadConfigText(path.join(tempDir(), 'x.training.json'), configText(newConfig('learner', ENGLISH_WORDS))).ok);
  });
});
