import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadConfigFile } from '../../src/core/load/loadConfig';
import { CORRECTION_IDS, LEARNER_OUTLINE, findingsInTree, hasCorrection, inIdOrder, lineVerdict, type Finding } from '../../src/core/outline/corrections';
import { describeNode, type OutlineNode } from '../../src/core/outline/describe';
import { childAt, childCount, childIndex, parentOf, refFromId, treeCounts, type NodeRef } from '../../src/core/outline/tree';
import type { RunSummary } from '../../src/core/run/summary';
import type { Label } from '../../src/core/words/label';
import { ENGLISH_WORDS } from '../../src/core/words/words';
import type { TraceEvent } from '../../src/core/trace/events';
import { traceRun } from '../../src/core/trace/fullTrace';
import { Rng, RngStream } from '../../src/core/rng';
import { recordRun } from '../../src/core/run/recordRun';
import { EXAMPLES, allRefs, baseConfig, cutShort, loadOk, randomConfig, summaryFromEvents, trace } from './helpers';

const english = (label: Label) => ENGLISH_WORDS.text(label);

function summaryOfExample(name: string, change: Record<string, unknown> = {}): RunSummary {
  const loaded = loadConfigFile(path.join(EXAMPLES, name));
  if (!loaded.ok) throw new Error(`${name} does not load`);
  const events: TraceEvent[] = [];
  traceRun({ ...loaded.config, ...change }, loaded.data, (e) => events.push(e));
  return summaryFromEvents(events);
}

function allNodes(summary: RunSummary): OutlineNode[] {
  const nodes: OutlineNode[] = [];
  const visit = (ref: NodeRef) => {
    for (let i = 0; i < childCount(summary, ref); i++) {
      const child = childAt(summary, ref, i);
      nodes.push(describeNode(summary, child));
      visit(child);
    }
  };
  visit({ kind: 'root' });
  return nodes;
}

function verdicts(nodes: OutlineNode[]): Map<string, Set<Finding['verdict']>> {
  const seen = new Map<string, Set<Finding['verdict']>>();
  for (const f of nodes.flatMap((n) => n.findings)) {
    if (!seen.has(f.id)) seen.set(f.id, new Set());
    seen.get(f.id)!.add(f.verdict);
  }
  return seen;
}

describe('the outline of the learner’s set-up (20 points, batches of 2, 3 epochs)', () => {
  const summary = summaryOfExample('question.training.json');
  const nodes = allNodes(summary);

  it('mirrors the learner’s outline: init once, epochs › batches › points › forward, backward, sum; one update per batch', () => {
    const count = (kind: string) => nodes.filter((n) => n.ref.kind === kind).length;
    assert.equal(count('init'), 1);
    assert.equal(count('epoch'), 3);
    assert.equal(count('batch'), 3 * 10);
    assert.equal(count('point'), 3 * 20);
    assert.equal(count('forward'), 60);
    assert.equal(count('backward'), 60);
    assert.equal(count('sum'), 60);
    assert.equal(count('update'), 30);
    assert.equal(count('epochEnd'), 3);
    assert.match(english(nodes.find((n) => n.ref.kind === 'point')!.label), /^Data point-\d+: 8 feature values go through the 8 input nodes$/);
  });

  it('marks C1–C7 as corrections and C8 as confirmed', () => {
    const seen = verdicts(nodes);
    for (const id of ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']) assert.deepEqual([...(seen.get(id) ?? [])], ['correction'], id);
    assert.deepEqual([...(seen.get('C8') ?? [])], ['confirmed']);
  });

  it('puts each correction where it happens', () => {
    const at = (id: string) => new Set(nodes.filter((n) => n.findings.some((f) => f.id === id)).map((n) => n.ref.kind));
    assert.deepEqual(at('C1'), new Set(['init']));
    assert.deepEqual(at('C2'), new Set(['sum']));
    assert.deepEqual(at('C3'), new Set(['forward', 'sum']));
    assert.deepEqual(at('C4'), new Set(['update']));
    assert.deepEqual(at('C5'), new Set(['epoch', 'batch']));
    assert.deepEqual(at('C6'), new Set(['order']));
    assert.deepEqual(at('C8'), new Set(['epoch']));
    const secondPointForward = nodes.filter((n) => n.ref.kind === 'forward')[1];
    assert.match(english(secondPointForward.findings[0].text), /Uses the same weights as Data point-\d+: those at the start of batch 1/);
  });

  it('gives every node a unique id that leads back to it', () => {
    const ids = nodes.map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const node of nodes) assert.deepEqual(refFromId(summary, node.id), node.ref, node.id);
    assert.equal(refFromId(summary, 'e9'), undefined);
    assert.equal(refFromId(summary, 'e1/b11'), undefined);
    assert.equal(refFromId(summary, 'nonsense'), undefined);
  });

  it('marks the learner’s wrong lines', () => {
    const wrong = LEARNER_OUTLINE.filter((line) => lineVerdict(line, summary) === 'correction').flatMap((l) => l.corrections);
    for (const id of ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']) assert.ok(wrong.includes(id as never), id);
  });
});

describe('with batch size 1 (stochastic gradient descent) the outline is right', () => {
  const summary = summaryOfExample('sgd.training.json');
  const nodes = allNodes(summary);

  it('reads C2, C3 and C4 as confirmed, never as corrections', () => {
    const seen = verdicts(nodes);
    for (const id of ['C2', 'C3', 'C4']) assert.deepEqual([...(seen.get(id) ?? [])], ['confirmed'], id);
    assert.match(english(nodes[0].findings[0].text), /stochastic gradient descent/);
  });

  it('reads C6 as confirmed without shuffling, and keeps C1, C5 and C7 as corrections', () => {
    const seen = verdicts(nodes);
    assert.deepEqual([...seen.get('C6')!], ['confirmed']);
    for (const id of ['C1', 'C5', 'C7']) assert.deepEqual([...seen.get(id)!], ['correction'], id);
  });

  it('makes one update per data point', () => {
    assert.equal(nodes.filter((n) => n.ref.kind === 'update').length, nodes.filter((n) => n.ref.kind === 'point').length);
  });

  it('marks the learner’s per-point update lines as right', () => {
    const updateLines = LEARNER_OUTLINE.filter((l) => l.corrections.includes('C2'));
    for (const line of updateLines) assert.equal(lineVerdict(line, summary), 'confirmed', english(line.text));
  });
});

describe('corrections come from the config, not from fixed text', () => {
  it('says how many batches and how large the last one is (C7)', () => {
    const summary = summaryFromEvents(trace(baseConfig({ data: { generate: 'linear', count: 7, features: 3 }, batchSize: 3 })));
    const nodes = allNodes(summary);
    const epoch = nodes.find((n) => n.ref.kind === 'epoch')!;
    assert.match(english(epoch.findings.find((f) => f.id === 'C7')!.text), /7 points in batches of 3: ceil\(7 \/ 3\) = 3 batches; the last has 1 point/);
    const lastBatch = nodes.filter((n) => n.ref.kind === 'batch')[2];
    assert.match(english(lastBatch.findings.find((f) => f.id === 'C7')!.text), /The last batch has 1 point/);
  });

  it('covers every correction of the learner’s outline (C1–C8; C9–C12 are about recorded loops)', () => {
    const summary = summaryOfExample('question.training.json');
    const seen = verdicts(allNodes(summary));
    assert.deepEqual([...seen.keys()].sort(), CORRECTION_IDS.slice(0, 8).sort());
  });

  it('counts an example’s feature count into the point’s label', () => {
    const summary = summaryFromEvents(trace(baseConfig({ data: { generate: 'xor', count: 4, features: 2 } })));
    assert.match(english(allNodes(summary).find((n) => n.ref.kind === 'point')!.label), /2 feature values go through the 2 input nodes/);
  });
});

describe('the fast correction test used by the filter', () => {
  it('agrees with the findings of every node, in finished and unfinished runs', () => {
    for (const summary of variedSummaries()) {
      allRefs(summary).forEach((ref) => {
        const node = describeNode(summary, ref);
        assert.equal(hasCorrection(summary, ref), node.findings.some((f) => f.verdict === 'correction'), node.id);
      });
    }
  });

  it('counts the tree’s nodes by kind, as a walk of every node does', () => {
    for (const summary of variedSummaries()) {
      const counted = { epoch: 0, batch: 0, point: 0, update: 0 };
      allRefs(summary).forEach((ref) => {
        if (ref.kind in counted) counted[ref.kind as keyof typeof counted]++;
      });
      assert.deepEqual(treeCounts(summary), counted);
    }
  });
});

describe('navigating the tree', () => {
  it('finds every node’s parent and its place among the parent’s children', () => {
    const summary = summaryOfExample('question.training.json', { batchSize: 3 });
    const visit = (ref: NodeRef) => {
      for (let i = 0; i < childCount(summary, ref); i++) {
        const child = childAt(summary, ref, i);
        assert.deepEqual(parentOf(child), ref);
        assert.equal(childIndex(summary, child), i, describeNode(summary, child).id);
        visit(child);
      }
    };
    visit({ kind: 'root' });
  });
});

describe('the findings a tree shows', () => {
  it('are found from a few representative nodes exactly as by a walk of every node, at any point of a run', () => {
    let compared = 0;
    for (const summary of variedSummaries()) {
      const seen = { correction: new Set<string>(), confirmed: new Set<string>() };
      allRefs(summary).forEach((ref) => {
        for (const f of describeNode(summary, ref).findings) seen[f.verdict].add(f.id);
      });
      assert.deepEqual(findingsInTree(summary), { corrections: inIdOrder(seen.correction), confirmations: inIdOrder(seen.confirmed) });
      compared++;
    }
    assert.ok(compared > 200, `${compared} trees compared`);
  });
});

/**
 * The examples and random configs, each finished and cut short at several random points (mid-batch,
 * mid-epoch, stopped), as the panel sees them while a run streams.
 */
function variedSummaries(): RunSummary[] {
  const rng = new Rng(81, RngStream.data);
  const fulls = [
    summaryOfExample('question.training.json'),
    summaryOfExample('sgd.training.json'),
    summaryOfExample('question.training.json', { shuffle: false, batchSize: 3 }),
    summaryOfExample('question.training.json', { batchSize: 3, dropLast: true }),
    summaryOfExample('sgd.training.json', { shuffle: true }),
    ...Array.from({ length: 30 }, () => {
      const { config, data } = loadOk(randomConfig(rng));
      return recordRun(config, data).recorder.summary;
    }),
  ];
  return fulls.flatMap((full) => {
    const total = full.epochs.reduce((n, e) => n + e.pointsDone, 0);
    const cuts = [0, 1, 2, ...Array.from({ length: 5 }, () => rng.below(total + 1))];
    return [full, ...cuts.map((points) => cutShort(full, points, rng.below(2) === 0 ? 'running' : 'stopped'))];
  });
}
