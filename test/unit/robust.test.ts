import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { LIMITS } from '../../src/core/config/defaults';
import { CsvReader, type CsvRow } from '../../src/core/data/csv';
import { openRegularFile, ReadRefused } from '../../src/core/data/readFile';
import { recordRun } from '../../src/core/run/recordRun';
import { NumbersUnavailable, Replayer } from '../../src/core/run/replay';
import { TRACE_DATA_VALUES, startTrace } from '../../src/core/trace/fullTrace';
import type { TraceEvent } from '../../src/core/trace/events';
import { JsonLocator, readStructure } from '../../src/core/validation/jsonStructure';
import { LineIndex } from '../../src/core/validation/problems';
import { wordsFor } from '../../src/core/words/words';
import { label } from '../../src/core/words/label';
import { acceptPanelMessage } from '../../src/host/panelMessages';
import { estimateRunSeconds } from '../../src/host/estimate';
import { loadOk, tempDir } from './helpers';

describe('reading any input in bounded memory', () => {
  const rowsOf = (text: string, pieces: number[]) => {
    const rows: string[][] = [];
    const reader = new CsvReader((row: CsvRow) => rows.push(row.cells.map((c, i) => `${row.lines[i]}:${row.columns[i]}:${c}`)));
    let at = 0;
    for (const cut of [...pieces.map((p) => p % (text.length + 1)).sort((a, b) => a - b), text.length]) {
      reader.push(text.slice(at, Math.max(at, cut)));
      at = Math.max(at, cut);
    }
    const unclosed = reader.end();
    return { rows, unclosed };
  };

  it('reads CSV the same however the text is cut into pieces (every cell, line and column)', () => {
    const csvChar = fc.constantFrom('a', '1', ',', '"', '\n', '\r', '\r\n', ' ', '\uFEFF', 'é');
    fc.assert(
      fc.property(fc.array(csvChar, { maxLength: 60 }).map((chars) => chars.join('')), fc.array(fc.nat(), { maxLength: 6 }), (text, pieces) => {
        assert.deepEqual(rowsOf(text, pieces), rowsOf(text, []));
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  it('places CSV cells by line and column across LF, CRLF, lone CR and quoted line breaks', () => {
    const { rows } = rowsOf('a,b\r\n"x\ny",2\r3,"4"\n', []);
    assert.deepEqual(rows, [['1:1:a', '1:3:b'], ['2:1:x\ny', '3:4:2'], ['4:1:3', '4:3:4']]);
  });

  it('finds the written place of every value of a JSON document, repeated keys pointing at the value that wins', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, fc.constantFrom(0, 1, 2, 4), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const locator = new JsonLocator(text);
        const visit = (v: unknown, at: (string | number)[]) => {
          const offset = locator.valueOffset(at);
          assert.deepEqual(JSON.parse(text.slice(offset, locator.valueEnd(offset))), v, `at ${JSON.stringify(at)}`);
          if (Array.isArray(v)) v.forEach((item, i) => visit(item, [...at, i]));
          else if (v && typeof v === 'object') for (const [k, item] of Object.entries(v)) visit(item, [...at, k]);
        };
        visit(JSON.parse(text), []);
      }),
      { seed: 11, numRuns: 500 },
    );
    const text = '{"a": 1, "b": {"c": 2}, "a": 3}';
    assert.equal(text.slice(new JsonLocator(text).valueOffset(['a'])), '3}');
    assert.deepEqual(readStructure(text).duplicates.map((d) => [d.key, d.times, text.slice(d.valueOffset, d.valueOffset + 1)]), [['a', 2, '3']]);
  });

  it('reads a million nested brackets in one loop, and locates past them', () => {
    const deep = `{"x": ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}, "y": 1}`;
    assert.deepEqual(readStructure(deep).tooDeep?.path.length, 64);
    assert.equal(deep.slice(new JsonLocator(deep).valueOffset(['y'])), '1}');
  });

  it('counts lines as editors do: LF, CRLF and a lone CR each end one', () => {
    const index = new LineIndex('a\nb\r\nc\rd');
    assert.deepEqual([0, 2, 5, 7].map((o) => index.position(o)), [
      { line: 1, column: 1 },
      { line: 2, column: 1 },
      { line: 3, column: 1 },
      { line: 4, column: 1 },
    ]);
  });

  it('reads only regular files, within the size limit, and inside the root when there is one', () => {
    const dir = tempDir();
    const inside = path.join(dir, 'in.csv');
    fs.writeFileSync(inside, 'a,y\n1,2\n');
    const outsideDir = tempDir();
    const outside = path.join(outsideDir, 'secret.csv');
    fs.writeFileSync(outside, 'secret\n');
    fs.symlinkSync(outside, path.join(dir, 'link.csv'));
    const fifo = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const refused = (file: string, maxBytes = 1 << 20): string => {
      try {
        fs.closeSync(openRegularFile(file, { maxBytes, root: dir }, 'data').fd);
        return 'read';
      } catch (error) {
        assert.ok(error instanceof ReadRefused, `${file}: ${String(error)}`);
        return error.why.id;
      }
    };
    assert.equal(refused(inside), 'read');
    assert.equal(refused(inside, 4), 'read.tooLarge.data');
    assert.equal(refused(path.join(dir, '..', path.basename(outsideDir), 'secret.csv')), 'read.outside');
    assert.equal(refused(outside), 'read.outside');
    assert.equal(refused(path.join(dir, 'link.csv')), 'read.outside', 'a symbolic link is judged by where it leads');
    // A FIFO would wait for a writer forever, /dev/zero never ends: neither is opened for reading.
    assert.equal(refused(fifo), 'read.notRegular.data');
    assert.equal(openRegularFileRefusal('/dev/zero'), 'read.notRegular.data');
  });

  it('escapes control characters, line separators and direction overrides in every quoted string, and only those', () => {
    const words = wordsFor();
    const text = words.text(label('verbatim', { text: 'a\u001b]0;x\u0007b\u009b\u202e\u2028\n\t<script>é' }));
    assert.equal(text, 'a\\u001b]0;x\\u0007b\\u009b\\u202e\\u2028\\n\\t<script>é');
  });
});

function openRegularFileRefusal(file: string): string {
  try {
    fs.closeSync(openRegularFile(file, { maxBytes: 1 << 20 }, 'data').fd);
    return 'read';
  } catch (error) {
    return error instanceof ReadRefused ? error.why.id : String(error);
  }
}

describe('numbers that overflow', () => {
  it('an epoch whose points are finite but whose mean loss overflows diverges at that epoch', () => {
    const { config, data } = loadOk({
      data: { inputs: Array.from({ length: 100 }, () => [1e153]), targets: Array.from({ length: 100 }, () => [0]) },
      model: { layers: [{ units: 1 }], bias: false, initialWeights: [[[2]]] },
      optimizer: { learningRate: 1e-320 },
      reduction: 'sum',
      batchSize: 1,
      epochs: 2,
    });
    const { summary } = recordRun(config, data).recorder;
    assert.equal(summary.status, 'diverged');
    assert.deepEqual({ ...summary.divergence, message: summary.divergence?.message.id }, { epoch: 1, batch: 100, stage: 'epochEnd', message: 'diverged.epochLoss' });
    assert.equal(summary.epochs.length, 1);
    assert.equal(summary.epochs[0].pointsDone, 100, 'every point of the epoch ran, with a finite loss');
    assert.ok(summary.epochs[0].pointLoss.every((l) => Number.isFinite(l) && l > 1e306));
    assert.equal(summary.epochs[0].loss, undefined, 'no mean loss of Infinity is recorded');
  });

  it('the trace leaves a data set of more than 1,000,000 values out of its run event, and says so', () => {
    const count = Math.ceil(TRACE_DATA_VALUES / 10) + 1;
    const { config, data } = loadOk({ data: { generate: 'random', count, features: 9 }, model: { layers: [{ units: 1 }] } });
    const events: TraceEvent[] = [];
    startTrace(config, data, (e) => events.push(e));
    const run = events[0];
    assert.ok(run.type === 'run');
    assert.ok(!('inputs' in run.data) && run.data.inputsOmitted && run.data.targetsOmitted);
    assert.match(run.data.omittedReason, /holds 1000010 values; a trace repeats only data sets of up to 1000000 values/);
    assert.equal(run.data.count, count);
    assert.ok(count * 10 <= LIMITS.dataValues);
  });
});

describe('the webview boundary: what the panel posts', () => {
  const accept = (message: unknown) => {
    const logged: string[] = [];
    const accepted = acceptPanelMessage(message, (line) => logged.push(line));
    return { accepted, logged };
  };

  it('takes the protocol’s messages as they are', () => {
    for (const message of [{ type: 'ready' }, { type: 'run' }, { type: 'requestDetail', requestId: 3, nodeId: 'e1/b1/d0/forward', hover: true }, { type: 'copyDetail', nodeId: 'e1/b1/update' }]) {
      assert.deepEqual(accept(message), { accepted: message, logged: [] });
    }
  });

  it('ignores malformed, out-of-range and oversized messages, and logs each in one short line', () => {
    const deep: unknown[] = [];
    let at = deep;
    for (let i = 0; i < 100_000; i++) at = (at[0] = []) as unknown[];
    const cases: unknown[] = [
      null,
      'ready',
      42,
      [{ type: 'ready' }],
      {},
      { type: 'fly' },
      { type: 'requestDetail', requestId: -1, nodeId: 'e1' },
      { type: 'requestDetail', requestId: 2 ** 40, nodeId: 'e1' },
      { type: 'requestDetail', requestId: 1.5, nodeId: 'e1' },
      { type: 'requestDetail', requestId: 1, nodeId: '' },
      { type: 'requestDetail', requestId: 1, nodeId: 'x'.repeat(10_000_000) },
      { type: 'requestDetail', requestId: 1, nodeId: 'e1', hover: 'yes' },
      { type: 'copyDetail', nodeId: 7 },
      { type: 'ready', payload: 'x'.repeat(10_000_000) },
      { type: 'stop', deep },
      { type: 'described', requestId: 1, report: { file: 'a', status: 'running', rows: 1, nodes: { epoch: 0, batch: 0, point: 0, update: 0 }, corrections: Array(1000).fill('C1'), confirmations: [] } },
      { type: 'described', requestId: 1, report: { file: 'a', status: 'hacked', rows: 1, nodes: { epoch: 0, batch: 0, point: 0, update: 0 }, corrections: [], confirmations: [] } },
    ];
    cases.forEach((message, i) => {
      const { accepted, logged } = accept(message);
      assert.equal(accepted, undefined, `case ${i}`);
      assert.equal(logged.length, 1);
      assert.ok(logged[0].length < 200 && !logged[0].includes('\n'), logged[0].slice(0, 300));
    });
  });
});

describe('replaying a node’s numbers on the host', () => {
  const longRun = () => {
    const { config, data } = loadOk({ data: { generate: 'random', count: 200, features: 32 }, model: { layers: [{ units: 64, activation: 'tanh' }, { units: 1 }] }, batchSize: 2, epochs: 40 });
    // Checkpoints far apart: a node late in the run takes many batches to reach.
    const run = recordRun(config, data, 1);
    return { replayer: new Replayer(config, data, run.recorder.summary, run.checkpoints), summary: run.recorder.summary };
  };

  it('a newer hover for another node cancels an older hover’s replay, waiting or running; other requests are kept', async () => {
    const { replayer } = longRun();
    const far = (epoch: number) => ({ kind: 'update' as const, epoch, batch: 100 });
    const first = replayer.detail(far(39), { cancellable: true });
    const second = replayer.detail(far(38), { cancellable: true });
    const kept = replayer.detail(far(37));
    const latest = replayer.detail(far(36), { cancellable: true });
    const why = async (p: Promise<unknown>) => p.then(() => 'answered', (e: unknown) => (e instanceof NumbersUnavailable ? e.label.id : String(e)));
    assert.deepEqual(await Promise.all([why(first), why(second), why(kept), why(latest)]), ['detail.superseded', 'detail.superseded', 'answered', 'answered']);
  });

  it('a replay that runs past its limit stops and says so', async () => {
    const { replayer } = longRun();
    await assert.rejects(replayer.detail({ kind: 'update', epoch: 40, batch: 100 }, { limitMs: 1 }), (e: unknown) => e instanceof NumbersUnavailable && e.label.id === 'detail.tooSlow');
    const answered = await replayer.detail({ kind: 'update', epoch: 40, batch: 100 });
    assert.equal(answered?.kind, 'update', 'without a limit, the same node is answered');
  });
});

describe('a window reload’s estimate of a run', () => {
  it('calls the learner’s question quick and the long test run long', () => {
    const question = loadOk(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'examples', 'question.training.json'), 'utf8')), path.join(__dirname, '..', '..', '..', 'examples'));
    assert.ok(estimateRunSeconds(question.config, question.data) < 0.01);
    const long = loadOk(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'integration', 'workspace', 'long.training.json'), 'utf8')));
    assert.ok(estimateRunSeconds(long.config, long.data) > 10);
  });
});
