import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadConfigFile } from '../../src/core/load/loadConfig';
import { questionsAt } from '../../src/core/outline/corrections';
import { stepAt, stepCount, stepIndex } from '../../src/core/outline/steps';
import { recordRun } from '../../src/core/run/recordRun';
import { Rng, RngStream } from '../../src/core/rng';
import type { TraceEvent } from '../../src/core/trace/events';
import { traceRun } from '../../src/core/trace/fullTrace';
import { ENGLISH_WORDS } from '../../src/core/words/words';
import { stepsOfTrace } from '../support/traceSteps';
import { EXAMPLES, cutShort, loadOk, randomConfig } from './helpers';

describe('the player’s steps', () => {
  it('walk the trace’s own events in order: each point forward, backward, added to the sum, then the batch’s update', () => {
    const rng = new Rng(5, RngStream.data);
    for (let c = 0; c < 20; c++) {
      const { config, data } = loadOk(randomConfig(rng));
      const events: TraceEvent[] = [];
      traceRun(config, data, (e) => events.push(e));
      // From the trace: the steps a learner sees, read off its events (a backward is followed by its sum).
      const expected = stepsOfTrace(events);
      const summary = recordRun(config, data).recorder.summary;
      // A diverged run's last forward has no backward: the summary stops at its last finished point.
      const finished = summary.status === 'diverged' ? expected.slice(0, stepCount(summary)) : expected;
      assert.equal(stepCount(summary), finished.length, `config ${c}`);
      const walked = Array.from({ length: stepCount(summary) }, (_, i) => {
        const ref = stepAt(summary, i);
        assert.equal(stepIndex(summary, ref), i, 'a step’s number and its node agree');
        return ref.kind === 'update' ? `e${ref.epoch}/b${ref.batch}/update` : `e${ref.epoch}/b${ref.batch}/d${summary.epochs[ref.epoch - 1].order[ref.position]}/${ref.kind}`;
      });
      assert.deepEqual(walked, finished, `config ${c}`);
    }
  });

  it('count only what a run still going has done', () => {
    const { config, data } = loadOk({ data: { generate: 'linear', count: 5, features: 2 }, model: { layers: [{ units: 1 }] }, batchSize: 2, epochs: 2 });
    const full = recordRun(config, data).recorder.summary;
    // 3 points: batch 1 (2 points and its update) and batch 2's first point.
    assert.equal(stepCount(cutShort(full, 3, 'running')), 3 * 3 + 1);
    // A whole epoch: 5 points, 3 batches.
    assert.equal(stepCount(cutShort(full, 5, 'running')), 5 * 3 + 3);
  });
});

describe('predict, then reveal: the questions from the corrections’ table', () => {
  const asked = (example: string) => {
    const loaded = loadConfigFile(path.join(EXAMPLES, example));
    assert.ok(loaded.ok);
    const summary = recordRun(loaded.config, loaded.data).recorder.summary;
    const found: { step: number; id: string; verdict: string }[] = [];
    for (let i = 0; i < stepCount(summary); i++) for (const q of questionsAt(summary, stepAt(summary, i))) found.push({ step: i, id: q.id, verdict: q.verdict });
    return { summary, found };
  };

  it('asks the learner’s set-up at every wrong line: C2 after each backward, C3 before each batch’s second point, C4 at each update, C5 and C6 as a later epoch begins', () => {
    const { summary, found } = asked('question.training.json');
    // Hand-derived for 20 points in batches of 2 over 3 epochs: 70 steps an epoch, 7 a batch.
    const expected: { step: number; id: string; verdict: string }[] = [];
    for (let e = 0; e < 3; e++) {
      for (let b = 0; b < 10; b++) {
        const at = e * 70 + b * 7;
        if (e > 0 && b === 0) expected.push({ step: at, id: 'C5', verdict: 'correction' }, { step: at, id: 'C6', verdict: 'correction' });
        expected.push({ step: at + 2, id: 'C2', verdict: 'correction' }, { step: at + 3, id: 'C3', verdict: 'correction' }, { step: at + 5, id: 'C2', verdict: 'correction' }, { step: at + 6, id: 'C4', verdict: 'correction' });
      }
    }
    assert.equal(stepCount(summary), 210);
    assert.deepEqual(found, expected);
  });

  it('confirms the outline with batch size 1: C2–C4 are confirmations, and so is C6 without shuffling; only C5 stays a correction', () => {
    const { found } = asked('sgd.training.json');
    const verdicts = new Map<string, Set<string>>();
    for (const q of found) verdicts.set(q.id, (verdicts.get(q.id) ?? new Set()).add(q.verdict));
    assert.deepEqual([...verdicts.entries()].map(([id, v]) => [id, [...v]]).sort(), [['C2', ['confirmed']], ['C3', ['confirmed']], ['C4', ['confirmed']], ['C5', ['correction']], ['C6', ['confirmed']]]);
    // Every step but the run's first forward is asked C3: the outline's "updated by the previous point" holds for all of them.
    assert.equal(found.filter((q) => q.id === 'C3').length, 59);
  });

  it('words each question with this run’s points', () => {
    const { summary } = asked('question.training.json');
    const order = summary.epochs[0].order;
    const [c3] = questionsAt(summary, stepAt(summary, 3));
    const say = (l: Parameters<typeof ENGLISH_WORDS.text>[0]) => ENGLISH_WORDS.text(l);
    assert.equal(say(c3.question), `Data point-${order[1] + 1} is next. Which weights does its forward propagation use?`);
    assert.equal(say(c3.outlineAnswer), `The weights updated by Data point-${order[0] + 1}’s backward propagation.`);
    assert.equal(say(c3.otherAnswer), `The same weights as Data point-${order[0] + 1}: those at the start of batch 1.`);
    const [c4] = questionsAt(summary, stepAt(summary, 6));
    assert.equal(say(c4.outlineAnswer), '2 updates: one per data point.');
    assert.equal(say(c4.otherAnswer), 'One, with the mean of the gradients of its 2 points.');
  });
});
