import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadConfigFile } from '../../src/core/config/loadConfig';
import { CORRECTION_IDS, LEARNER_OUTLINE, lineVerdict, type Finding } from '../../src/core/outline/corrections';
import { childAt, childCount, childIndex, describeNode, findingsInTree, hasCorrection, parentOf, refFromId, treeCounts, type NodeRef, type OutlineNode } from '../../src/core/outline/outline';
import { summaryFromEvents, type RunSummary } from '../../src/core/outline/summary';
import type { TraceEvent } from '../../src/core/trace/events';
import { traceRun } from '../../src/core/trace/fullTrace';
import { EXAMPLES, baseConfig, trace } from './helpers';

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
    assert.match(nodes.find((n) => n.ref.kind === 'point')!.label, /^Data point-\d+: 8 feature values go through the 8 input nodes$/);
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
    assert.match(secondPointForward.findings[0].text, /Uses the same weights as Data point-\d+: those at the start of batch 1/);
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
    const wrong = LEARNER_OUTLINE.filter((line) => lineVerdict(line, summary.shape) === 'correction').flatMap((l) => l.corrections);
    for (const id of ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']) assert.ok(wrong.includes(id as never), id);
  });
});

describe('with batch size 1 (stochastic gradient descent) the outline is right', () => {
  const summary = summaryOfExample('sgd.training.json');
  const nodes = allNodes(summary);

  it('reads C2, C3 and C4 as confirmed, never as corrections', () => {
    const seen = verdicts(nodes);
    for (const id of ['C2', 'C3', 'C4']) assert.deepEqual([...(seen.get(id) ?? [])], ['confirmed'], id);
    assert.match(nodes[0].findings[0].text, /stochastic gradient descent/);
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
    for (const line of updateLines) assert.equal(lineVerdict(line, summary.shape), 'confirmed', line.text);
  });
});

describe('corrections come from the config, not from fixed text', () => {
  it('says how many batches and how large the last one is (C7)', () => {
    const summary = summaryFromEvents(trace(baseConfig({ data: { generate: 'linear', count: 7, features: 3 }, batchSize: 3 })));
    const nodes = allNodes(summary);
    const epoch = nodes.find((n) => n.ref.kind === 'epoch')!;
    assert.match(epoch.findings.find((f) => f.id === 'C7')!.text, /7 points in batches of 3: ceil\(7 \/ 3\) = 3 batches; the last has 1 point/);
    const lastBatch = nodes.filter((n) => n.ref.kind === 'batch')[2];
    assert.match(lastBatch.findings.find((f) => f.id === 'C7')!.text, /The last batch has 1 point/);
  });

  it('covers every correction id in the catalogue', () => {
    const summary = summaryOfExample('question.training.json');
    const seen = verdicts(allNodes(summary));
    assert.deepEqual([...seen.keys()].sort(), [...CORRECTION_IDS]);
  });

  it('counts an example’s feature count into the point’s label', () => {
    const summary = summaryFromEvents(trace(baseConfig({ data: { generate: 'xor', count: 4, features: 2 } })));
    assert.match(allNodes(summary).find((n) => n.ref.kind === 'point')!.label, /2 feature values go through the 2 input nodes/);
  });
});

describe('the fast correction test used by the filter', () => {
  it('agrees with the findings of every node', () => {
    for (const [name, change] of [['question.training.json', {}], ['sgd.training.json', {}], ['question.training.json', { shuffle: false, batchSize: 3 }], ['question.training.json', { batchSize: 3, dropLast: true }]] as const) {
      const summary = summaryOfExample(name, change);
      const visit = (ref: NodeRef) => {
        const node = describeNode(summary, ref);
        assert.equal(hasCorrection(summary, ref), node.findings.some((f) => f.verdict === 'correction'), `${name} ${JSON.stringify(change)} ${node.id}`);
        for (let i = 0; i < childCount(summary, ref); i++) visit(childAt(summary, ref, i));
      };
      for (let i = 0; i < childCount(summary, { kind: 'root' }); i++) visit(childAt(summary, { kind: 'root' }, i));
    }
  });

  it('counts the tree’s nodes by kind', () => {
    const summary = summaryOfExample('question.training.json');
    assert.deepEqual(treeCounts(summary), { epoch: 3, batch: 30, point: 60, update: 30 });
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
  it('are found from a few sampled nodes exactly as by a full walk', () => {
    for (const [name, change] of [['question.training.json', {}], ['sgd.training.json', {}], ['question.training.json', { batchSize: 3 }], ['question.training.json', { epochs: 1, shuffle: false }], ['sgd.training.json', { shuffle: true }]] as const) {
      const summary = summaryOfExample(name, change);
      const nodes = allNodes(summary);
      const full = (verdict: string) => [...new Set(nodes.flatMap((n) => n.findings).filter((f) => f.verdict === verdict).map((f) => f.id))].sort();
      assert.deepEqual(findingsInTree(summary), { corrections: full('correction'), confirmations: full('confirmed') }, `${name} ${JSON.stringify(change)}`);
    }
  });
});
