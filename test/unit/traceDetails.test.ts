import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfigFile } from '../../src/core/load/loadConfig';
import { Rng, RngStream } from '../../src/core/rng';
import { isDetailRef, type NodeDetail } from '../../src/core/run/detail';
import { recordRun } from '../../src/core/run/recordRun';
import { Replayer } from '../../src/core/run/replay';
import type { TraceEvent } from '../../src/core/trace/events';
import { traceRun } from '../../src/core/trace/fullTrace';
import { TraceDetails } from '../../src/core/traceFile/traceDetails';
import { TraceFile, readTraceFileSync } from '../../src/core/traceFile/traceFile';
import { EXAMPLES, REPO, allRefs, loadOk, randomConfig, tempDir } from './helpers';

/** A config's full trace written to a file, line by line, as the CLI writes it. */
function writeTrace(config: Parameters<typeof traceRun>[0], data: Parameters<typeof traceRun>[1]): string {
  const file = path.join(tempDir(), 'run.trace.jsonl');
  const lines: string[] = [];
  traceRun(config, data, (event: TraceEvent) => lines.push(`${JSON.stringify(event)}\n`));
  fs.writeFileSync(file, lines.join(''));
  return file;
}

/** Numbers as JSON writes them: every double exactly (shortest round-trip decimal), but −0 as 0, which JSON cannot tell apart. */
const asJson = (detail: NodeDetail | undefined) => JSON.parse(JSON.stringify(detail ?? null)) as unknown;

const GOLDEN_CONFIGS = path.join(REPO, 'test', 'golden', 'configs');
const CONFIG_FILES = [
  ...['question', 'sgd', 'answer'].map((name) => path.join(EXAMPLES, `${name}.training.json`)),
  ...fs.readdirSync(GOLDEN_CONFIGS).filter((f) => f.endsWith('.training.json')).map((f) => path.join(GOLDEN_CONFIGS, f)),
].filter((file) => loadConfigFile(file).ok);

describe('a saved trace read back (the same trainer: its live run against its trace)', () => {
  const runs = [
    ...CONFIG_FILES.map((file) => {
      const loaded = loadConfigFile(file);
      assert.ok(loaded.ok);
      return { name: path.basename(file), config: loaded.config, data: loaded.data };
    }),
    ...Array.from({ length: 8 }, (_, i) => ({ name: `random config ${i + 1}`, ...loadOk(randomConfig(new Rng(100 + i, RngStream.data))) })),
  ];

  it('covers the examples, the golden configs (a diverging one among them) and random configs', () => {
    assert.ok(CONFIG_FILES.some((f) => f.endsWith('diverges.training.json')));
    assert.ok(runs.length >= 14);
  });

  for (const { name, config, data } of runs) {
    it(`${name}: the same summary as the live run, and every node’s numbers the same, bit for bit`, async () => {
      const reader = readTraceFileSync(writeTrace(config, data));
      assert.deepEqual(reader.problems, []);
      const live = recordRun(config, data);
      const fromLive = live.recorder.summary;
      const fromTrace = reader.summary!;
      assert.equal(fromTrace.status, fromLive.status);
      assert.deepEqual(fromTrace.shape, fromLive.shape);
      assert.equal(fromTrace.epochs.length, fromLive.epochs.length);
      fromLive.epochs.forEach((epoch, e) => {
        const other = fromTrace.epochs[e];
        assert.deepEqual([other.order, other.pointLoss, other.batchGradientNorm, other.pointsDone, other.batchesDone, other.loss], [epoch.order, epoch.pointLoss, epoch.batchGradientNorm, epoch.pointsDone, epoch.batchesDone, epoch.loss]);
        // The trainer's point norm is ‖δ‖·‖a‖ per layer; a trace has only the gradient's entries: equal to rounding.
        epoch.pointGradientNorm.forEach((n, i) => assert.ok(Math.abs(n - other.pointGradientNorm[i]) <= 1e-13 * n, `${n} vs ${other.pointGradientNorm[i]}`));
      });
      if (fromLive.divergence) {
        const { message: _m, ...where } = fromLive.divergence;
        const { message: _t, ...traced } = fromTrace.divergence!;
        assert.deepEqual(traced, where);
      }

      const replayer = new Replayer(config, data, fromLive, live.checkpoints);
      const details = new TraceDetails(reader);
      let compared = 0;
      for (const ref of allRefs(fromTrace).filter(isDetailRef)) {
        const [replayed, traced] = [await replayer.detail(ref), await details.detail(ref)];
        assert.deepEqual(asJson(traced), asJson(replayed), JSON.stringify(ref));
        if (replayed) compared++;
      }
      assert.ok(compared > 0);
    });
  }
});

describe('a trace followed while it is written', () => {
  it('grows as bytes arrive, cut anywhere, with no problem until its end, and ends as the whole file reads', async () => {
    const { config, data } = loadOk(randomConfig(new Rng(5, RngStream.data)));
    const whole = fs.readFileSync(writeTrace(config, data));
    const file = path.join(tempDir(), 'growing.trace.jsonl');
    fs.writeFileSync(file, '');
    const followed = new TraceFile(file);
    const rng = new Rng(9, RngStream.data);
    let pointsSeen = 0;
    for (let written = 0; written < whole.length; ) {
      const piece = whole.subarray(written, Math.min(whole.length, written + 1 + rng.below(700)));
      fs.appendFileSync(file, piece);
      written += piece.length;
      await followed.readAvailable();
      assert.equal(followed.reader.error, undefined, `no problem after ${written} bytes`);
      const points = followed.reader.summary?.epochs.reduce((n, e) => n + e.pointsDone, 0) ?? 0;
      assert.ok(points >= pointsSeen, 'the summary only grows');
      pointsSeen = points;
    }
    followed.finish();
    const once = readTraceFileSync(file);
    assert.deepEqual(followed.reader.problems, []);
    assert.deepEqual(followed.reader.summary, once.summary);
  });

  it('says so when the file is rewritten shorter while it is followed', async () => {
    const { config, data } = loadOk(randomConfig(new Rng(6, RngStream.data)));
    const file = writeTrace(config, data);
    const whole = fs.readFileSync(file);
    fs.writeFileSync(file, whole.subarray(0, whole.length / 2));
    const followed = new TraceFile(file);
    await followed.readAvailable();
    fs.writeFileSync(file, whole.subarray(0, 100));
    await followed.readAvailable();
    assert.match(followed.reader.error?.message.id ?? '', /trace\.shrunk/);
  });
});

describe('a trace the PyTorch recorder wrote', () => {
  const FIXTURES = path.join(REPO, 'test', 'fixtures', 'traces');

  it('reads with the tree of its loop, and numbers that agree with PyTorch’s own step: each update’s gradient is the mean of its points’ (float32)', async () => {
    const reader = readTraceFileSync(path.join(FIXTURES, 'pytorch-question.trace.jsonl'));
    assert.equal(reader.error, undefined);
    assert.equal(reader.summary?.status, 'done');
    const details = new TraceDetails(reader);
    const summary = reader.summary!;
    for (const [epoch, batch] of [[1, 1], [2, 6], [3, 10]]) {
      const update = await details.detail({ kind: 'update', epoch, batch });
      assert.ok(update?.kind === 'update');
      const positions = [2 * (batch - 1), 2 * (batch - 1) + 1];
      const points = await Promise.all(positions.map((position) => details.detail({ kind: 'backward', epoch, batch, position })));
      update.gradient.weights.forEach((matrix, l) =>
        matrix.forEach((row, o) =>
          row.forEach((g, i) => {
            const mean = points.reduce((sum, p) => sum + (p?.kind === 'backward' ? p.gradient.weights[l][o][i] : NaN), 0) / 2;
            assert.ok(Math.abs(g - mean) <= 1e-6 * Math.max(1, Math.abs(g)), `epoch ${epoch} batch ${batch}: ${g} vs ${mean}`);
          }),
        ),
      );
      const sum = await details.detail({ kind: 'sum', epoch, batch, position: positions[1] });
      assert.ok(sum?.kind === 'sum' && sum.pointsSummed === 2);
      const forward = await details.detail({ kind: 'forward', epoch, batch, position: positions[0] });
      assert.ok(forward?.kind === 'forward');
      assert.equal(forward.index, summary.epochs[epoch - 1].order[positions[0]]);
      assert.equal(forward.inputs.length, 8, 'the inputs come from the run event’s data rows');
    }
  });
});
