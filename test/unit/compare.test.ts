import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfigFile } from '../../src/core/load/loadConfig';
import type { TraceEvent } from '../../src/core/trace/events';
import { label } from '../../src/core/words/label';
import { ENGLISH_WORDS } from '../../src/core/words/words';
import { batchSizeVariants, runComparison, toWireComparison } from '../../src/host/compare';
import { EXAMPLES, REPO, summaryFromEvents, tempDir } from './helpers';

const WORKER = path.join(REPO, 'dist', 'trainerWorker.js');

/** The CLI, as a learner runs it: a separate process, its trace read back from its jsonl output. */
function cliTrace(configFile: string): TraceEvent[] {
  const result = spawnSync(process.execPath, [path.join(REPO, 'bin', 'training-trace.js'), 'run', configFile, '--format', 'jsonl'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as TraceEvent);
}

describe('comparing batch sizes (the same trainer: worker runs against the CLI’s traces)', function () {
  this.timeout(60_000);

  it('runs SGD, mini-batch and full batch from the same initial weights and shuffling, each equal to a separate CLI run bit for bit', async () => {
    const file = path.join(EXAMPLES, 'question.training.json');
    const loaded = loadConfigFile(file);
    assert.ok(loaded.ok);
    const variants = batchSizeVariants(loaded.config, loaded.data);
    assert.deepEqual(variants.map((v) => ENGLISH_WORDS.text(v.name)), ['Batch size 1: stochastic gradient descent', 'Batch size 2: as configured', 'Batch size 20: the whole data set, full batch']);
    const results = await runComparison(variants, WORKER).result;
    const dir = tempDir();
    const text = JSON.parse(fs.readFileSync(file, 'utf8'));
    const inits: unknown[] = [];
    const orders: unknown[] = [];
    results.forEach((result, i) => {
      const batchSize = variants[i].config.batchSize;
      // The learner's own config, with only its batch size changed, run by the CLI.
      const variantFile = path.join(dir, `b${batchSize}.training.json`);
      fs.writeFileSync(variantFile, JSON.stringify({ ...text, batchSize }));
      const events = cliTrace(variantFile);
      const fromCli = summaryFromEvents(events);
      assert.equal(result.summary.shape.schedule.batchCount, [20, 10, 1][i], 'updates per epoch');
      assert.equal(result.summary.status, 'done');
      result.summary.epochs.forEach((epoch, e) => {
        assert.deepEqual(epoch.order, fromCli.epochs[e].order);
        assert.deepEqual(epoch.pointLoss, fromCli.epochs[e].pointLoss, `batch size ${batchSize}, epoch ${e + 1}: every point's loss`);
        assert.equal(epoch.loss, fromCli.epochs[e].loss);
      });
      const epochEnds = events.filter((ev): ev is Extract<TraceEvent, { type: 'update' }> => ev.type === 'update' && ev.batch === fromCli.shape.schedule.batchCount);
      assert.deepEqual(
        result.weightsAfterEpoch,
        epochEnds.map((u) => u.weights.flatMap((layer, l) => [...layer.flat(), ...u.biases[l]])),
        `batch size ${batchSize}: the weights after each epoch`,
      );
      inits.push(events.find((ev) => ev.type === 'init'));
      orders.push(fromCli.epochs.map((ep) => Array.from(ep.order)));
    });
    // Same seed, other batch size: the same initial weights and the same order each epoch.
    assert.deepEqual(inits[0], inits[1]);
    assert.deepEqual(inits[1], inits[2]);
    assert.deepEqual(orders[0], orders[2]);
    const wire = toWireComparison(label('compare.title.batchSizes', { name: 'question.training.json', seed: 7 }), results);
    assert.equal(wire.runs.length, 3);
    assert.equal(wire.parametersCut, false);
  });

  it('runs a batch size only once when the config already uses 1 or the whole data set', () => {
    const loaded = loadConfigFile(path.join(EXAMPLES, 'sgd.training.json'));
    assert.ok(loaded.ok);
    assert.deepEqual(batchSizeVariants(loaded.config, loaded.data).map((v) => v.config.batchSize), [1, 20]);
  });
});
