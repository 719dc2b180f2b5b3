import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { treeCounts } from '../../src/core/outline/tree';
import { LineSplitter } from '../../src/core/trace/lines';
import { readTraceFileSync } from '../../src/core/traceFile/traceFile';
import type { TraceReader } from '../../src/core/traceFile/traceReader';
import { formatProblem } from '../../src/core/validation/problems';
import { ENGLISH_WORDS } from '../../src/core/words/words';
import { tempDir, trace } from './helpers';

/**
 * The reading rules, from the outside: a small trace (3 points, batches of 2, 2 epochs, no
 * shuffling) broken in each way a producer or a disk can break it, and the exact problem the
 * reader reports, at its line and column, with what it keeps from before.
 */
const SMALL = { data: { inputs: [[1], [2], [3]], targets: [[1], [2], [3]] }, model: { layers: [{ units: 1 }], initialWeights: [[[0.5]]] }, batchSize: 2, epochs: 2, shuffle: false };

/**
 * Its 27 lines: 1 run, 2 init, 3 epochStart, 4 batchStart, 5 forward (row 0), 6 backward, 7 forward (row 1),
 * 8 backward, 9 update, 10 batchStart, 11 forward (row 2), 12 backward, 13 update, 14 epochEnd, 15–26
 * epoch 2 alike, 27 done.
 */
const LINES = trace(SMALL).map((event) => JSON.stringify(event));

function read(content: string | Uint8Array): { reader: TraceReader; problems: string[] } {
  const file = path.join(tempDir(), 't.trace.jsonl');
  fs.writeFileSync(file, content);
  const reader = readTraceFileSync(file);
  return { reader, problems: reader.problems.map((p) => formatProblem(p, ENGLISH_WORDS).replace(`${path.dirname(file)}${path.sep}`, '')) };
}

const joined = (lines: string[]) => `${lines.join('\n')}\n`;
/** The lines with line `n` (from 1) replaced. */
const replaced = (n: number, text: string) => LINES.map((line, i) => (i === n - 1 ? text : line));
/** Where `text` starts in line `n`, as a 1-based column. */
const columnOf = (line: string, text: string) => line.indexOf(text) + 1;

function points(reader: TraceReader): number {
  return reader.summary ? treeCounts(reader.summary).point : -1;
}

describe('reading a trace file', () => {
  it('reads the small trace whole, with no problem', () => {
    assert.equal(LINES.length, 27);
    const { reader, problems } = read(joined(LINES));
    assert.deepEqual(problems, []);
    assert.equal(reader.summary?.status, 'done');
    assert.deepEqual(treeCounts(reader.summary!), { epoch: 2, batch: 4, point: 6, update: 4 });
  });

  describe('reports each malformed or truncated trace at its line, and keeps what came before', () => {
    const cases: { name: string; content: () => string | Uint8Array; problems: () => string[]; status?: string; points: number }[] = [
      {
        name: 'a line cut in the middle of the file',
        content: () => joined(replaced(7, '{"type":"forward","epoch":1,')),
        problems: () => ['t.trace.jsonl:7:29: (syntax): invalid JSON: expected a key in double quotes (JSON has no trailing commas)'],
        status: 'stopped',
        points: 1,
      },
      {
        name: 'a file that ends in the middle of an event',
        content: () => `${LINES.slice(0, 8).join('\n')}\n${LINES[8].slice(0, 30)}`,
        problems: () => ['t.trace.jsonl:9:31: (line): the file ends in the middle of this event: it was cut short, or is still being written'],
        status: 'stopped',
        points: 2,
      },
      {
        name: 'a trace without its done event',
        content: () => joined(LINES.slice(0, 26)),
        problems: () => ['t.trace.jsonl:27:1: (end of file): the trace ends here, without its done or diverged event: the file was cut short, or is still being written'],
        status: 'stopped',
        points: 6,
      },
      {
        name: 'an empty file',
        content: () => '',
        problems: () => ['t.trace.jsonl:1:1: (end of file): the file holds no event: a trace begins with its run event'],
        points: -1,
      },
      {
        name: 'a trace that does not begin with its run event',
        content: () => joined(LINES.slice(1)),
        problems: () => ['t.trace.jsonl:1:1: (line): a trace begins with its run event; this line holds a "init" event'],
        points: -1,
      },
      {
        name: 'another version of the contract',
        content: () => joined(replaced(1, LINES[0].replace('"version":1', '"version":2'))),
        problems: () => [`t.trace.jsonl:1:${columnOf(LINES[0], '"version":1') + 10}: $.version: this trace says it is of contract version 2; Training Trace reads version 1`],
        points: -1,
      },
      {
        name: 'an event without a key the contract gives it',
        content: () => joined(replaced(5, LINES[4].replace(/,"loss":[^,}]+/, ''))),
        problems: () => ['t.trace.jsonl:5:1: $.loss: missing key "loss", which every forward event has'],
        status: 'stopped',
        points: 0,
      },
      {
        name: 'a number too large for a double (JSON has no NaN or Infinity, but 1e999 reads as Infinity)',
        content: () => joined(replaced(7, LINES[6].replace(/"loss":[^,}]+/, '"loss":1e999'))),
        problems: () => [`t.trace.jsonl:7:${columnOf(LINES[6], '"loss":') + 7}: $.loss: must be a number, found Infinity`],
        status: 'stopped',
        points: 1,
      },
      {
        name: 'NaN written into the JSON',
        content: () => joined(replaced(7, LINES[6].replace(/"loss":[^,}]+/, '"loss":NaN'))),
        problems: () => [`t.trace.jsonl:7:${columnOf(LINES[6], '"loss":') + 7}: (syntax): invalid JSON: unexpected "NaN": JSON allows only objects, arrays, strings in double quotes, numbers, true, false and null`],
        status: 'stopped',
        points: 1,
      },
      {
        name: 'a size beyond the limits (a data set of 10¹² points)',
        content: () => joined(replaced(1, LINES[0].replace('"count":3', '"count":1000000000000'))),
        problems: () => [`t.trace.jsonl:1:${columnOf(LINES[0], '"count":3') + 8}: $.data.count: must be an integer ≥ 1 and ≤ 10000000, found 1000000000000`],
        points: -1,
      },
      {
        name: 'a batch size of 0',
        content: () => joined(replaced(1, LINES[0].replace('"batchSize":2', '"batchSize":0'))),
        problems: () => [`t.trace.jsonl:1:${columnOf(LINES[0], '"batchSize":2') + 12}: $.config.batchSize: must be an integer ≥ 1 and ≤ 9007199254740991, found 0`],
        points: -1,
      },
      {
        name: 'a run event whose batches per epoch disagree with its config',
        content: () => joined(replaced(1, LINES[0].replace('"batchesPerEpoch":2', '"batchesPerEpoch":3'))),
        problems: () => [`t.trace.jsonl:1:${columnOf(LINES[0], '"batchesPerEpoch":2') + 18}: $.batchesPerEpoch: says 3 batches per epoch, but 3 points in batches of 2 make 2 batches`],
        points: -1,
      },
      {
        name: 'an epoch that begins before the last one ended',
        content: () => joined([...LINES.slice(0, 13), ...LINES.slice(14)]),
        problems: () => [`t.trace.jsonl:14:${columnOf(LINES[14], '"epochStart"')}: $.type: this epochStart event cannot come here: epoch 1 goes on with batch 3’s batchStart, or ends with its epochEnd`],
        status: 'stopped',
        points: 3,
      },
      {
        name: 'a batch whose rows are not the ones its epoch’s order gives it',
        content: () => joined(replaced(4, LINES[3].replace('"indices":[0,1]', '"indices":[1,0]'))),
        problems: () => [`t.trace.jsonl:4:${columnOf(LINES[3], '[0,1]') + 1}: $.indices[0]: must be row 0: the epoch’s order has it at this place`],
        status: 'stopped',
        points: 0,
      },
      {
        name: 'an order that lists a row twice',
        content: () => joined(replaced(3, LINES[2].replace('"order":[0,1,2]', '"order":[0,1,1]'))),
        problems: () => [`t.trace.jsonl:3:${columnOf(LINES[2], '[0,1,2]') + 5}: $.order[2]: row 1 comes twice in this epoch`],
        status: 'stopped',
        points: 0,
      },
      {
        name: 'a backward event before its point’s forward event',
        content: () => joined([...LINES.slice(0, 4), LINES[5], LINES[4], ...LINES.slice(6)]),
        problems: () => [`t.trace.jsonl:5:${columnOf(LINES[5], '"index":0') + 8}: $.index: Data point-1’s backward event comes before its forward event`],
        status: 'stopped',
        points: 0,
      },
      {
        name: 'a forward event for a row that is not in its batch',
        content: () => joined(replaced(5, LINES[4].replace('"index":0', '"index":7'))),
        problems: () => [`t.trace.jsonl:5:${columnOf(LINES[4], '"index":0') + 8}: $.index: Data point-8 is not in this batch (Data point-1, Data point-2)`],
        status: 'stopped',
        points: 0,
      },
      {
        name: 'a gradient of the wrong shape',
        content: () => joined(replaced(6, LINES[5].replace(/"weights":\[\[\[[^\]]+\]\]\]/, '"weights":[[[1,2]]]'))),
        problems: () => [`t.trace.jsonl:6:${columnOf(LINES[5], '"weights":') + 11}: $.gradient.weights[0]: layer 1 needs 1 rows (its units) of 1 values (its inputs), [out][in]; found 1 rows of 2 values`],
        status: 'stopped',
        points: 0,
      },
      {
        name: 'an event after the done event',
        content: () => joined([...LINES, LINES[4]]),
        problems: () => [`t.trace.jsonl:28:${columnOf(LINES[4], '"forward"')}: $.type: this forward event cannot come here: the trace has ended: nothing comes after its done or diverged event`],
        status: 'done',
        points: 6,
      },
      {
        name: 'bytes that are not UTF-8',
        content: () => Buffer.concat([Buffer.from(`${LINES.slice(0, 4).join('\n')}\n{"type":"`), Buffer.from([0xff, 0xfe]), Buffer.from(`"}\n${LINES.slice(5).join('\n')}\n`)]),
        problems: () => ['t.trace.jsonl:5:1: (line): this line is not UTF-8 text'],
        status: 'stopped',
        points: 0,
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const { reader, problems } = read(c.content());
        assert.deepEqual(problems, c.problems());
        assert.equal(reader.summary?.status, c.status);
        assert.equal(points(reader), c.points, 'the points read before the problem are kept');
      });
    }
  });

  describe('accepts what the contract allows a producer to add or vary', () => {
    it('skips event types it does not know, with one note per type that says how many, and takes the recorder’s zeroGrad', () => {
      const zeroGrad = '{"type":"zeroGrad","epoch":1,"batch":1,"by":"optimizer"}';
      const note = '{"type":"note","message":"hello"}';
      const lines = [...LINES.slice(0, 4), zeroGrad, note, ...LINES.slice(4, 9), note, zeroGrad, ...LINES.slice(9)];
      const { reader, problems } = read(joined(lines));
      assert.deepEqual(problems, ['t.trace.jsonl:6:1: $.type: warning: trace contract v1 has no "note" event: skipped (a producer may add events) (and 1 more like it)']);
      assert.equal(reader.summary?.status, 'done');
      assert.deepEqual(reader.summary, read(joined(LINES)).reader.summary);
    });

    it('reads keys it does not know as nothing, and CRLF line ends and blank lines as nothing', () => {
      const lines = LINES.map((line) => line.replace(/^\{"type":"(\w+)"/, '{"type":"$1","producerKey":[1,{"x":null}]'));
      const { reader, problems } = read(`${lines.join('\r\n\r\n')}\r\n`);
      assert.deepEqual(problems, []);
      assert.deepEqual(reader.summary, read(joined(LINES)).reader.summary);
    });

    it('shows one update per batch: a step before the batch’s last point, or a second one, is skipped with a note', () => {
      const lines = [...LINES.slice(0, 6), LINES[8], ...LINES.slice(6, 9), LINES[8], ...LINES.slice(9)];
      const { reader, problems } = read(joined(lines));
      assert.deepEqual(problems, [
        't.trace.jsonl:7:1: $: warning: an update in batch 1 of epoch 1 before all its points were passed forward: skipped, the tree shows the batch’s update after its points',
        't.trace.jsonl:11:1: $: warning: another update after batch 1 of epoch 1 had its own: skipped, the tree shows one update per batch',
      ]);
      assert.deepEqual(reader.summary, read(joined(LINES)).reader.summary);
    });

    it('takes a batch’s forward events all before its backward events, as PyTorch runs them', () => {
      const lines = [...LINES.slice(0, 4), LINES[4], LINES[6], LINES[5], LINES[7], ...LINES.slice(8)];
      const { reader, problems } = read(joined(lines));
      assert.deepEqual(problems, []);
      assert.deepEqual(reader.summary, read(joined(LINES)).reader.summary);
    });
  });
});

describe('cutting bytes into lines', () => {
  it('keeps each line’s byte offsets, across chunks that split lines and characters anywhere', () => {
    const text = 'α\r\n{"a":"ü"}\n\nlast';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const splitter = new LineSplitter();
      const lines: { number: number; start: number; end: number; text: string }[] = [];
      const take = (line: { number: number; start: number; end: number; bytes: Uint8Array }) => void lines.push({ number: line.number, start: line.start, end: line.end, text: Buffer.from(line.bytes).toString() });
      splitter.push(bytes.subarray(0, cut), take);
      splitter.push(bytes.subarray(cut), take);
      splitter.finish(take);
      assert.deepEqual(lines, [
        { number: 1, start: 0, end: 4, text: 'α' },
        { number: 2, start: 4, end: 15, text: '{"a":"ü"}' },
        { number: 3, start: 15, end: 16, text: '' },
        { number: 4, start: 16, end: 20, text: 'last' },
      ], `cut at ${cut}`);
    }
  });

  it('drops a line longer than its limit, says so, and goes on with the next', () => {
    const splitter = new LineSplitter(undefined, 8);
    const lines: { number: number; tooLong: boolean; text: string }[] = [];
    const take = (line: { number: number; tooLong: boolean; bytes: Uint8Array }) => void lines.push({ number: line.number, tooLong: line.tooLong, text: Buffer.from(line.bytes).toString() });
    splitter.push(Buffer.from('short\n0123'), take);
    splitter.push(Buffer.from('456789\nok\n'), take);
    assert.deepEqual(lines, [
      { number: 1, tooLong: false, text: 'short' },
      { number: 2, tooLong: true, text: '' },
      { number: 3, tooLong: false, text: 'ok' },
    ]);
  });
});
