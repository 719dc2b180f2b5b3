import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfigFile, loadConfigText, type LoadResult } from '../../src/core/load/loadConfig';
import { configPlaces, placeOfNode, pointNodeOf, type ConfigPlaces } from '../../src/core/load/places';
import { refFromId } from '../../src/core/outline/tree';
import { summarizeRun } from '../../src/core/run/recordRun';
import type { SourcePlace } from '../../src/core/validation/problems';
import { baseConfig, cutShort, EXAMPLES, ofType, problemLine, tempDir, trace } from './helpers';

type Loaded = Extract<LoadResult, { ok: true }> & { places: ConfigPlaces };

/** A config loaded, and its places found as the extension finds them: from its text and the layout of rows the loader returned. */
function loaded(file: string, text?: string): Loaded {
  const result = text === undefined ? loadConfigFile(file) : loadConfigText(file, text);
  assert.ok(result.ok, result.ok ? '' : result.problems.map(problemLine).join('\n'));
  const places = configPlaces(file, text ?? fs.readFileSync(file, 'utf8'), result.rows, (data) => fs.readFileSync(data, 'utf8'));
  assert.ok(places, 'the config’s places are found');
  return { ...result, places };
}

/** The text a place covers, cut out of the file as an editor would select it. */
function textAt(place: SourcePlace): string {
  const lines = fs.readFileSync(place.file, 'utf8').split('\n');
  const end = place.endColumn ?? lines[place.endLine - 1].length + 1;
  if (place.line === place.endLine) return lines[place.line - 1].slice(place.column - 1, end - 1);
  return [lines[place.line - 1].slice(place.column - 1), ...lines.slice(place.line, place.endLine - 1), lines[place.endLine - 1].slice(0, end - 1)].join('\n');
}

function write(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('where a config’s rows and keys are written', () => {
  it('places each CSV row on its own lines, skipping blank lines and following a quoted line break', () => {
    const dir = tempDir();
    // Line 1 header, 2 row 0, 3 blank, 4 row 1, 5–6 row 2 (a quoted cell with a line break), 7 row 3.
    write(dir, 'points.csv', 'x1,x2,note,y\n0.1,0.2,a,1\n\n0.3,0.4,b,0\n0.5,0.6,"two\nlines",1\n0.7,0.8,c,0\n');
    const config = write(dir, 'csv.training.json', JSON.stringify(baseConfig({ data: { file: 'points.csv', targetColumns: ['y'] } })));
    // "note" is not a number: drop it, the loader needs numbers.
    fs.writeFileSync(path.join(dir, 'points.csv'), 'x1,x2,y\n0.1,0.2,1\n\n0.3,0.4,0\n"0.5\n",0.6,1\n0.7,0.8,0\n');
    const { places } = loaded(config);
    assert.equal(places.rows.form, 'csv');
    const csv = path.join(dir, 'points.csv');
    assert.deepEqual([0, 1, 2, 3].map((r) => places.rows.row(r)), [
      { file: csv, line: 2, column: 1, endLine: 2 },
      { file: csv, line: 4, column: 1, endLine: 4 },
      { file: csv, line: 5, column: 1, endLine: 6 },
      { file: csv, line: 7, column: 1, endLine: 7 },
    ]);
    assert.equal(textAt(places.rows.row(3)), '0.7,0.8,0');
    const rowAtLine = [1, 2, 3, 4, 5, 6, 7, 8].map((line) => places.rows.rowAt(csv, line, 1));
    assert.deepEqual(rowAtLine, [undefined, 0, undefined, 1, 2, 2, 3, undefined]);
    assert.equal(places.rows.rowAt(config, 2, 1), undefined, 'another file holds no CSV row');
  });

  it('places each row of a JSON data file at its inputs element, and finds it from its targets element too', () => {
    const dir = tempDir();
    const data = write(dir, 'points.json', '{\n  "inputs": [\n    [1, 2],\n    [3, 4],  [5, 6]\n  ],\n  "targets": [[0], [1], [0]]\n}\n');
    const { places } = loaded(write(dir, 'json.training.json', JSON.stringify(baseConfig({ data: { file: 'points.json' } }))));
    assert.equal(places.rows.form, 'json');
    assert.deepEqual(places.rows.row(1), { file: data, line: 4, column: 5, endLine: 4, endColumn: 11, written: true });
    assert.deepEqual([0, 1, 2].map((r) => textAt(places.rows.row(r))), ['[1, 2]', '[3, 4]', '[5, 6]']);
    // Line 4 holds two rows: the column decides; past the last value, the line's first row.
    assert.equal(places.rows.rowAt(data, 4, 6), 1);
    assert.equal(places.rows.rowAt(data, 4, 14), 2);
    assert.equal(places.rows.rowAt(data, 4, 40), 1);
    // "targets": [[0], [1], [0]] — the column of "[1]" (line 6, column 21) is row 1.
    assert.equal(places.rows.rowAt(data, 6, 21), 1);
    assert.equal(places.rows.rowAt(data, 2, 5), undefined, 'the "inputs" key is no row');
    assert.equal(places.rows.rowAt(data, 1, 1), undefined, 'the document itself is no row');
  });

  it('places inline rows at data.inputs[i] of the config, and nothing else there', () => {
    const file = path.join(EXAMPLES, 'answer.training.json');
    const { places } = loaded(file);
    // "inputs": [[0.1], [0.2]] on line 4; "targets": [[0.05], [0.1]] on line 5.
    assert.deepEqual([0, 1].map((r) => textAt(places.rows.row(r))), ['[0.1]', '[0.2]']);
    assert.equal(places.rows.row(1).line, 4);
    const line4 = fs.readFileSync(file, 'utf8').split('\n')[3];
    assert.equal(places.rows.rowAt(file, 4, line4.indexOf('[0.2]') + 2), 1);
    const line5 = fs.readFileSync(file, 'utf8').split('\n')[4];
    assert.equal(places.rows.rowAt(file, 5, line5.indexOf('[0.1]') + 1), 1, 'targets[1] is row 1');
    assert.equal(places.rows.rowAt(file, 7, 1), undefined, '"model" holds no row');
  });

  it('places generated rows at data.generate', () => {
    const { places } = loaded(path.join(EXAMPLES, 'question.training.json'));
    assert.equal(places.rows.form, 'generated');
    assert.equal(textAt(places.rows.row(7)), '"generate": "linear"');
    assert.equal(places.rows.rowAt(path.join(EXAMPLES, 'question.training.json'), 3, 30), undefined);
  });

  it('places a batch at batchSize, an update at optimizer and the initialisation at model.init or initialWeights', () => {
    const question = loaded(path.join(EXAMPLES, 'question.training.json'));
    const summary = summarizeRun(question.config, question.data);
    const at = (id: string) => placeOfNode(summary, refFromId(summary, id)!, question.config, question.places);
    const batch = at('e2/b3');
    assert.ok(batch?.kind === 'key');
    assert.deepEqual([batch.key, batch.value, batch.written, textAt(batch.place)], [['batchSize'], 2, true, '"batchSize": 2']);
    const update = at('e1/b1/update');
    assert.ok(update?.kind === 'key');
    assert.equal(textAt(update.place), '"optimizer": { "type": "sgd", "learningRate": 0.1 }');
    const init = at('init');
    assert.ok(init?.kind === 'key');
    assert.deepEqual([init.key, textAt(init.place)], [['model', 'init'], '"init": "xavier"']);
    const answer = loaded(path.join(EXAMPLES, 'answer.training.json'));
    const given = placeOfNode(summarizeRun(answer.config, answer.data), { kind: 'init' }, answer.config, answer.places);
    assert.ok(given?.kind === 'key');
    assert.deepEqual([given.key, textAt(given.place)], [['model', 'initialWeights'], '"initialWeights": [[[0.2]]]']);
    assert.equal(at('e1'), undefined, 'an epoch has no one place');
  });

  it('says when a key is not written: its default applies, placed at its nearest written parent', () => {
    const file = path.join(tempDir(), 'defaults.training.json');
    fs.writeFileSync(file, '{\n  "data": {"generate": "xor"},\n  "model": {"layers": [{"units": 1}]}\n}\n');
    const { config, data, places } = loaded(file);
    const summary = summarizeRun(config, data);
    const batch = placeOfNode(summary, { kind: 'batch', epoch: 1, batch: 1 }, config, places);
    assert.deepEqual(batch, { kind: 'key', key: ['batchSize'], value: 32, written: false, place: { file, line: 1, column: 1, endLine: 4, endColumn: 2 } });
    const init = placeOfNode(summary, { kind: 'init' }, config, places);
    assert.ok(init?.kind === 'key');
    assert.deepEqual([init.value, init.written, textAt(init.place)], ['xavier', false, '"model": {"layers": [{"units": 1}]}']);
  });

  it('places every step of a data point at its row, the row the full trace names for it', () => {
    const { config, data, places } = loaded(path.join(EXAMPLES, 'answer.training.json'));
    const summary = summarizeRun(config, data);
    for (const id of ['e1/b1/d1', 'e1/b1/d1/forward', 'e1/b1/d1/backward', 'e1/b1/d1/sum']) {
      const place = placeOfNode(summary, refFromId(summary, id)!, config, places);
      assert.deepEqual(place && [place.kind, place.kind !== 'key' && place.row, textAt(place.place)], ['row', 1, '[0.2]'], id);
    }
  });

  it('finds a row’s node in epoch 1 where the full trace visits it, and says when the run has not reached it or drops it', () => {
    const config = baseConfig({ data: { generate: 'random', count: 7, features: 2 }, batchSize: 3, dropLast: true, shuffle: true, seed: 5 });
    const result = loadConfigText(path.join(tempDir(), 'drop.training.json'), JSON.stringify(config));
    assert.ok(result.ok);
    const summary = summarizeRun(result.config, result.data);
    const events = trace(config);
    const visited = ofType(events, 'forward').filter((e) => e.epoch === 1);
    assert.equal(visited.length, 6, 'dropLast drops one of 7 points');
    for (const forward of visited) assert.deepEqual(pointNodeOf(summary, forward.index), { nodeId: `e1/b${forward.batch}/d${forward.index}` });
    const dropped = [0, 1, 2, 3, 4, 5, 6].find((r) => !visited.some((e) => e.index === r))!;
    assert.deepEqual(pointNodeOf(summary, dropped), { missing: 'dropped' });
    const early = cutShort(summary, 2, 'running');
    assert.deepEqual(pointNodeOf(early, visited[2].index), { missing: 'notReached' });
    assert.deepEqual(pointNodeOf(early, visited[1].index), { nodeId: `e1/b1/d${visited[1].index}` });
    // Epoch 2 has its own order.
    const second = ofType(events, 'forward').find((e) => e.epoch === 2)!;
    assert.deepEqual(pointNodeOf(summary, second.index, 2), { nodeId: `e2/b1/d${second.index}` });
  });
});
