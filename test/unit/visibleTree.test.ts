import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadConfigFile } from '../../src/core/load/loadConfig';
import { hasCorrection } from '../../src/core/outline/corrections';
import { childAt, childCount, nodeId, type NodeRef } from '../../src/core/outline/tree';
import { SummaryRecorder, type RunSummary } from '../../src/core/run/summary';
import { recordRun } from '../../src/core/run/recordRun';
import { applySummaryDelta, EMPTY_CURSOR, summaryDelta } from '../../src/core/run/summaryDelta';
import { Rng, RngStream } from '../../src/core/rng';
import { isExpandable, VisibleTree } from '../../webview/tree/visibleTree';
import { EXAMPLES } from './helpers';

function recorded(name: string, change: Record<string, unknown> = {}): RunSummary {
  const loaded = loadConfigFile(path.join(EXAMPLES, name));
  if (!loaded.ok) throw new Error(name);
  return recordRun({ ...loaded.config, ...change }, loaded.data).recorder.summary;
}

/** The oracle: the same rows by walking the whole tree, the obvious way. */
function naiveRows(summary: RunSummary, tree: VisibleTree): string[] {
  const rows: string[] = [];
  const shown = (ref: NodeRef): boolean => hasCorrection(summary, ref) || Array.from({ length: childCount(summary, ref) }, (_, i) => childAt(summary, ref, i)).some(shown);
  const visit = (ref: NodeRef) => {
    for (let i = 0; i < childCount(summary, ref); i++) {
      const child = childAt(summary, ref, i);
      if (tree.onlyCorrections && !shown(child)) continue;
      const id = nodeId(summary, child);
      rows.push(id);
      if (isExpandable(child) && tree.isExpanded(id)) visit(child);
    }
  };
  visit({ kind: 'root' });
  return rows;
}

function treeRows(tree: VisibleTree): string[] {
  return Array.from({ length: tree.rowCount }, (_, i) => tree.rowAt(i)!.id);
}

describe('the virtual tree’s rows', () => {
  it('match a full walk of the tree through random expanding, collapsing and filtering', () => {
    const rng = new Rng(99, RngStream.data);
    for (const summary of [recorded('question.training.json'), recorded('sgd.training.json'), recorded('question.training.json', { batchSize: 3 })]) {
      const tree = new VisibleTree(summary);
      for (let step = 0; step < 120; step++) {
        const rows = treeRows(tree);
        assert.deepEqual(rows, naiveRows(summary, tree), `step ${step}`);
        rows.forEach((id, i) => assert.equal(tree.indexOf(id), i, id));
        const action = rng.below(10);
        if (action === 0) tree.onlyCorrections = !tree.onlyCorrections;
        else if (action === 1) tree.expandAll();
        else if (action === 2) tree.collapseAll();
        else {
          const row = tree.rowAt(rng.below(tree.rowCount))!;
          tree.setExpanded(row.ref, !row.expanded);
        }
      }
    }
  });

  it('stay right while a run streams in', () => {
    const full = recorded('question.training.json', { batchSize: 3 });
    const live = new SummaryRecorder(full.shape);
    const replica = new SummaryRecorder(full.shape).summary;
    const tree = new VisibleTree(replica);
    tree.expandAll();
    let cursor = EMPTY_CURSOR;
    const pump = () => {
      const next = summaryDelta(live.summary, cursor);
      if (!next) return;
      cursor = next.cursor;
      applySummaryDelta(replica, next.delta);
      tree.applied(next.delta);
      assert.deepEqual(treeRows(tree), naiveRows(replica, tree));
    };
    full.epochs.forEach((epoch) => {
      live.epochStart(epoch.order);
      pump();
      for (let p = 0; p < epoch.pointsDone; p++) {
        live.point(epoch.pointLoss[p], epoch.pointGradientNorm[p]);
        pump();
        if ((p + 1) % 3 === 0 || p === epoch.pointsDone - 1) {
          live.update(epoch.batchGradientNorm[Math.floor(p / 3)]);
          pump();
        }
      }
      live.epochEnd(epoch.loss!);
      pump();
    });
    live.finish('done');
    pump();
    assert.equal(tree.rowCount, naiveRows(replica, tree).length);
  });

  it('remembers an expansion by ids, or as “all” with exceptions', () => {
    const summary = recorded('question.training.json');
    const tree = new VisibleTree(summary);
    tree.expandAll();
    tree.setExpanded({ kind: 'epoch', epoch: 2 }, false);
    const saved = tree.expansionState();
    assert.deepEqual(saved, { allExpanded: true, ids: ['e2'] });
    const restored = new VisibleTree(summary);
    restored.restoreExpansion(saved);
    assert.deepEqual(treeRows(restored), treeRows(tree));
  });
});
