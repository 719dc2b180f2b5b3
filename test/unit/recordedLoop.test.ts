import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LEARNER_OUTLINE, findingsInTree, inIdOrder, lineVerdict, subtreeHasCorrection, type Finding } from '../../src/core/outline/corrections';
import { describeNode } from '../../src/core/outline/describe';
import { childAt, childCount, type NodeRef } from '../../src/core/outline/tree';
import { packSummary, unpackSummary } from '../../src/core/run/packedSummary';
import type { RunSummary } from '../../src/core/run/summary';
import { EMPTY_CURSOR, applySummaryDelta, summaryDelta } from '../../src/core/run/summaryDelta';
import type { TraceEvent, UpdateEvent } from '../../src/core/trace/events';
import { TraceDetails } from '../../src/core/traceFile/traceDetails';
import { readTraceFileSync } from '../../src/core/traceFile/traceFile';
import { readTraceEvents } from '../../src/core/traceFile/traceReader';
import { ENGLISH_WORDS } from '../../src/core/words/words';
import { REPO, allRefs, baseConfig, summaryFromEvents, tempDir, trace } from './helpers';

/**
 * Corrections C9–C12, decided by what a recorded loop did. The loops are made from a config's
 * own trace, changed as a PyTorch loop with the mistake would have written it (the recorder's
 * `update.size` and `gradientSince`, steps inside a batch, batches without a step), so each rule
 * is tested on its own; the recorder's real traces of these loops are read by the Python tier
 * (test/python/test_corrections.py) and by the last test here.
 */

let configTrace: TraceEvent[] | undefined;

/** 12 points in batches of 2 (6 per epoch), 4 epochs, mean loss: a config's trace to change. */
function configEvents(): TraceEvent[] {
  configTrace ??= trace(baseConfig({ data: { generate: 'linear', count: 12, features: 3 }, batchSize: 2, epochs: 4, reduction: 'mean', shuffle: true }));
  return configTrace;
}

type Loop = 'plain' | 'forgotZeroGrad' | 'stepEveryPoint' | 'accumulateTwo' | 'forgotOnceInEpoch3';

/** The config's events as a recorded loop of this kind writes them. */
function loopEvents(kind: Loop): TraceEvent[] {
  const out: TraceEvent[] = [];
  let pointsSinceZero = 0;
  for (const event of configEvents()) {
    if (event.type === 'run') {
      out.push({ ...event, source: 'pytorch' } as TraceEvent);
      continue;
    }
    if (event.type === 'backward') {
      out.push(event);
      pointsSinceZero++;
      if (kind === 'stepEveryPoint' && event.index !== lastIndexOfBatch(out, event)) out.push(step(event.epoch, event.batch, 1));
      continue;
    }
    if (event.type !== 'update') {
      out.push(event);
      continue;
    }
    switch (kind) {
      case 'plain':
        out.push({ ...event, gradientSince: { epoch: event.epoch, batch: event.batch } } as UpdateEvent);
        out.push(zeroGrad(event));
        pointsSinceZero = 0;
        break;
      case 'forgotOnceInEpoch3': {
        // One zero_grad() missing, after batch 1 of epoch 3: only batch 2's update there is stale.
        const stale = event.epoch === 3 && event.batch === 2;
        out.push({ ...event, size: pointsSinceZero, gradientSince: stale ? { epoch: 3, batch: 1 } : { epoch: event.epoch, batch: event.batch } } as UpdateEvent);
        if (!(event.epoch === 3 && event.batch === 1)) {
          out.push(zeroGrad(event));
          pointsSinceZero = 0;
        }
        break;
      }
      case 'forgotZeroGrad':
        out.push({ ...event, size: pointsSinceZero, gradientSince: { epoch: 1, batch: 1 } } as UpdateEvent);
        break;
      case 'stepEveryPoint':
        out.push({ ...event, size: 1 });
        break;
      case 'accumulateTwo':
        // Odd batches do not step; even ones step with both batches' gradients, then zero them.
        if (event.batch % 2 === 1) break;
        out.push({ ...event, size: pointsSinceZero, gradientSince: { epoch: event.epoch, batch: event.batch - 1 } } as UpdateEvent);
        out.push(zeroGrad(event));
        pointsSinceZero = 0;
        break;
    }
  }
  return out;

  function step(epoch: number, batch: number, size: number): TraceEvent {
    const update = configEvents().find((e): e is UpdateEvent => e.type === 'update' && e.epoch === epoch && e.batch === batch)!;
    return { ...update, size };
  }
}

function zeroGrad(at: { epoch: number; batch: number }): TraceEvent {
  return { type: 'zeroGrad', epoch: at.epoch, batch: at.batch, by: 'optimizer' } as TraceEvent;
}

/** The row of the batch's last point, from its batchStart already written. */
function lastIndexOfBatch(events: TraceEvent[], at: { epoch: number; batch: number }): number {
  const start = [...events].reverse().find((e) => e.type === 'batchStart' && e.epoch === at.epoch && e.batch === at.batch);
  const indices = (start as Extract<TraceEvent, { type: 'batchStart' }>).indices;
  return indices[indices.length - 1];
}

function findingsOf(summary: RunSummary, ref: NodeRef): Finding[] {
  return describeNode(summary, ref).findings;
}

function text(summary: RunSummary, ref: NodeRef, id: string): string | undefined {
  const finding = findingsOf(summary, ref).find((f) => f.id === id);
  return finding && ENGLISH_WORDS.text(finding.text);
}

/** Ids of corrections on this node or below it, by walking every node. */
function correctionsBelow(summary: RunSummary, ref: NodeRef): boolean {
  const own = findingsOf(summary, ref).some((f) => f.verdict === 'correction');
  if (own) return true;
  for (let i = 0; i < childCount(summary, ref); i++) if (correctionsBelow(summary, childAt(summary, ref, i))) return true;
  return false;
}

describe('corrections for a recorded loop (C9–C12)', () => {
  it('points at the first update that used a stale gradient when zero_grad() is forgotten, and says which batches it summed', () => {
    const summary = summaryFromEvents(loopEvents('forgotZeroGrad'));
    assert.deepEqual(summary.loop?.first.stale, 1, 'the first stale update is batch 2 of epoch 1 (global batch 1)');
    assert.equal(text(summary, { kind: 'update', epoch: 1, batch: 1 }, 'C9'), undefined, 'batch 1’s update used its own gradient');
    assert.equal(
      text(summary, { kind: 'update', epoch: 1, batch: 2 }, 'C9'),
      'This update used the sum of batches 1–2’s gradients (4 points): no zero_grad() since batch 1, so 2 of them had already been used by earlier updates.',
    );
    assert.match(text(summary, { kind: 'update', epoch: 2, batch: 1 }, 'C9')!, /^This update used the gradients of every batch since batch 1 of epoch 1 \(14 points\): no zero_grad\(\) since then, so 12 of them/);
    assert.equal(ENGLISH_WORDS.text(describeNode(summary, { kind: 'update', epoch: 1, batch: 3 }).label).replace(/\(norm .*\)/, ''), 'Update: all weights change, with the gradients of 6 points that .grad holds ');
    assert.ok(findingsInTree(summary).corrections.includes('C9'));
  });

  it('reads a loop that steps after every point as stochastic gradient descent: C2–C4 confirmed, C10 at each update', () => {
    const summary = summaryFromEvents(loopEvents('stepEveryPoint'));
    assert.equal(summary.loop?.everyPointStepped, true);
    const { corrections, confirmations } = findingsInTree(summary);
    for (const id of ['C2', 'C3', 'C4']) assert.ok(confirmations.includes(id as never) && !corrections.includes(id as never), id);
    assert.ok(corrections.includes('C10'));
    assert.equal(
      text(summary, { kind: 'update', epoch: 1, batch: 3 }, 'C10'),
      'The loop called optimizer.step() 2 times in this batch of 2, once after each point: the weights changed after every point — stochastic gradient descent, whatever the loader’s batch size.',
    );
    assert.match(text(summary, { kind: 'run' }, 'C2')!, /^The loop calls optimizer\.step\(\) after every data point/);
    assert.match(ENGLISH_WORDS.text(describeNode(summary, { kind: 'forward', epoch: 1, batch: 2, position: 3 }).label), /^Forward propagation with the weights of the step after the previous point/);
    for (const line of LEARNER_OUTLINE.filter((l) => l.corrections.includes('C2'))) assert.equal(lineVerdict(line, summary), 'confirmed');
  });

  it('says a batch without a step leaves its gradients for later, and the step that uses two batches is accumulation over 2 × 2 points', () => {
    const summary = summaryFromEvents(loopEvents('accumulateTwo'));
    const waiting = { kind: 'update', epoch: 1, batch: 1 } as const;
    assert.equal(ENGLISH_WORDS.text(describeNode(summary, waiting).label), 'No update at the end of this batch: optimizer.step() was not called');
    assert.equal(text(summary, waiting, 'C11'), 'No optimizer.step() at the end of this batch: its gradients stay in .grad and go into a later update.');
    assert.equal(text(summary, waiting, 'C4'), undefined, 'no update, so no word on how many updates');
    assert.equal(text(summary, { kind: 'update', epoch: 1, batch: 2 }, 'C4'), 'One update, after the batch’s last point, with the gradient .grad holds: that of 4 points.');
    assert.equal(
      text(summary, { kind: 'update', epoch: 1, batch: 2 }, 'C11'),
      'This update used the gradients of batches 1–2 (4 points, 2 × 2): gradient accumulation, an effective batch size of 2 × 2.',
    );
    assert.equal(text(summary, { kind: 'update', epoch: 1, batch: 2 }, 'C9'), undefined, 'accumulated, not stale');
  });

  it('finds nothing of C9–C11 in a plain loop, and says at each update that a mean loss divides by the batch size (C12)', () => {
    const summary = summaryFromEvents(loopEvents('plain'));
    const config = summaryFromEvents(configEvents());
    assert.deepEqual(findingsInTree(summary).corrections, inIdOrder([...findingsInTree(config).corrections, 'C12']));
    assert.match(text(summary, { kind: 'update', epoch: 2, batch: 6 }, 'C12')!, /^The loss is a mean over the batch’s 2 points: each point’s gradient went into \.grad × 1\/2/);
    assert.equal(findingsInTree(config).corrections.includes('C12'), false, 'a config’s run has no loop to speak of');
  });

  for (const kind of ['plain', 'forgotZeroGrad', 'stepEveryPoint', 'accumulateTwo', 'forgotOnceInEpoch3'] as const) {
    it(`finds the same corrections from its tally as by a walk of every node, at every length of the ${kind} loop’s trace`, () => {
      const events = loopEvents(kind);
      for (let cut = 3; cut <= events.length; cut += 11) {
        const summary = readTraceEvents(events.slice(0, cut)).summary!;
        const seen = { correction: new Set<string>(), confirmed: new Set<string>() };
        for (const ref of allRefs(summary)) for (const f of findingsOf(summary, ref)) seen[f.verdict].add(f.id);
        assert.deepEqual(findingsInTree(summary), { corrections: inIdOrder(seen.correction), confirmations: inIdOrder(seen.confirmed) }, `${cut} events`);
        // An update of C9–C12 is the last child of its batch, so the filter's look at a few children finds it.
        for (const ref of allRefs(summary).filter((r) => r.kind === 'batch')) {
          assert.equal(subtreeHasCorrection(summary, ref), correctionsBelow(summary, ref), `${cut} events, ${JSON.stringify(ref)}`);
        }
      }
    });

    it(`sends the ${kind} loop’s summary whole and in deltas to the panel without losing what the loop did`, () => {
      const events = loopEvents(kind);
      const whole = summaryFromEvents(events);
      assert.deepEqual(unpackSummary(packSummary(whole)), whole);
      // A panel that got a snapshot early, then deltas as the file is read.
      let replica: RunSummary | undefined;
      let cursor = EMPTY_CURSOR;
      for (let cut = 40; cut < events.length + 40; cut += 40) {
        const summary = readTraceEvents(events.slice(0, Math.min(cut, events.length))).summary!;
        if (!replica) {
          replica = unpackSummary(packSummary(summary));
          cursor = summaryDelta(summary, EMPTY_CURSOR)!.cursor;
          continue;
        }
        const change = summaryDelta(summary, cursor);
        if (change) {
          applySummaryDelta(replica, change.delta);
          cursor = change.cursor;
        }
      }
      assert.deepEqual(replica, whole);
    });
  }

  it('shows the numbers of an accumulating loop: no update for a batch without a step, the initial weights until the first step', async () => {
    const events = loopEvents('accumulateTwo');
    const file = path.join(tempDir(), 'accumulate.trace.jsonl');
    fs.writeFileSync(file, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const reader = readTraceFileSync(file);
    assert.equal(reader.error, undefined);
    const details = new TraceDetails(reader);
    assert.equal(await details.detail({ kind: 'update', epoch: 1, batch: 1 }), undefined);
    const init = events.find((e) => e.type === 'init') as Extract<TraceEvent, { type: 'init' }>;
    const second = await details.detail({ kind: 'forward', epoch: 1, batch: 2, position: 2 });
    assert.ok(second?.kind === 'forward');
    assert.deepEqual(second.weightsUsed, { weights: init.weights, biases: init.biases }, 'batch 2 starts from the initial weights: nothing stepped yet');
    assert.equal(ENGLISH_WORDS.text(second.weightsFrom), 'the initial weights');
    const update = await details.detail({ kind: 'update', epoch: 1, batch: 2 });
    assert.ok(update?.kind === 'update' && update.size === 4);
    const third = await details.detail({ kind: 'forward', epoch: 1, batch: 3, position: 4 });
    assert.ok(third?.kind === 'forward');
    assert.deepEqual(third.weightsUsed, { weights: update.after.weights, biases: update.after.biases });
    assert.equal(ENGLISH_WORDS.text(third.weightsFrom), 'the weights after the update of batch 2 of epoch 1');
  });

  it('gives the points after a step inside the batch the weights of that step', async () => {
    const events = loopEvents('stepEveryPoint');
    const file = path.join(tempDir(), 'steps.trace.jsonl');
    fs.writeFileSync(file, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const details = new TraceDetails(readTraceFileSync(file));
    const inner = events.filter((e): e is UpdateEvent => e.type === 'update' && e.epoch === 1 && e.batch === 2)[0];
    const forward = await details.detail({ kind: 'forward', epoch: 1, batch: 2, position: 3 });
    assert.ok(forward?.kind === 'forward');
    assert.deepEqual(forward.weightsUsed, { weights: inner.weights, biases: inner.biases });
    assert.equal(ENGLISH_WORDS.text(forward.weightsFrom), 'the weights after the update of batch 2 of epoch 1', 'the step inside its own batch');
  });

  it('marks the first stale update in the trace PyTorch itself wrote for the loop without zero_grad()', () => {
    const reader = readTraceFileSync(path.join(REPO, 'test', 'fixtures', 'traces', 'pytorch-forgot-zero-grad.trace.jsonl'));
    assert.equal(reader.error, undefined);
    const summary = reader.summary!;
    assert.equal(summary.loop?.first.stale, 1);
    assert.match(text(summary, { kind: 'update', epoch: 1, batch: 2 }, 'C9')!, /^This update used the sum of batches 1–2’s gradients \(4 points\)/);
    assert.deepEqual(findingsInTree(summary).corrections.filter((id) => ['C9', 'C10', 'C11'].includes(id)), ['C9']);
  });
});
