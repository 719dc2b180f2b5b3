import { CORRECTIONS, type CorrectionId } from '../src/core/outline/corrections';
import type { NodeRef } from '../src/core/outline/tree';
import type { LoopKind, RunSummary } from '../src/core/run/summary';
import { epochAndBatch } from '../src/core/train/schedule';
import { label } from '../src/core/words/label';
import type { Words } from '../src/core/words/words';
import { findingChip } from './findings';
import { h } from './dom';

/** The loop's mistakes worth a line at the top, each with its correction (a mean loss is no mistake: it stays on the updates). */
const MISTAKES: readonly [LoopKind, CorrectionId][] = [
  ['stale', 'C9'],
  ['stepsInBatch', 'C10'],
  ['accumulated', 'C11'],
];

/**
 * For a recorded loop that did what its author may not have meant: one line per kind, saying
 * where it first happened, and a button that selects that update in the tree. Nothing for a
 * config's run or a plain loop.
 */
export function loopNotice(summary: RunSummary, words: Words, show: (ref: NodeRef) => void): HTMLElement[] {
  const first = summary.loop?.first ?? {};
  return MISTAKES.filter(([kind]) => first[kind] !== undefined).map(([kind, id]) => {
    const at = epochAndBatch(summary.shape.schedule, first[kind]!);
    const where = words.text(label('panel.loop.first', { title: CORRECTIONS[id].title, batch: at.batch, epoch: at.epoch }));
    const button = h('button', { className: 'show-link', text: words.text(label('panel.loop.show')), attrs: { type: 'button', 'aria-label': words.text(label('panel.loop.show.aria', { where })) } });
    button.addEventListener('click', () => show({ kind: 'update', ...at }));
    return h('div', { className: 'loop-notice' }, [findingChip({ id, verdict: 'correction', text: CORRECTIONS[id].whatHappens }, words), h('span', { text: where }), button]);
  });
}
