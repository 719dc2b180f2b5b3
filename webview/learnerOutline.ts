import { CORRECTIONS, LEARNER_OUTLINE, lineVerdict } from '../src/core/outline/corrections';
import type { RunSummary } from '../src/core/run/summary';
import { label } from '../src/core/words/label';
import type { Words } from '../src/core/words/words';
import { h } from './dom';

/**
 * The learner's whole outline, with each line marked for this run: ✗ where it is wrong,
 * ✓ where it is right, and the ids of the corrections that speak to it.
 */
export function learnerOutline(summary: RunSummary, words: Words): HTMLElement {
  const list = h('ol', { className: 'learner-lines' });
  for (const line of LEARNER_OUTLINE) {
    const verdict = lineVerdict(line, summary);
    const mark = verdict === 'correction' ? '✗' : verdict === 'confirmed' ? '✓' : '';
    const text = words.text(line.text);
    const ids = line.corrections.map((id) => h('span', { className: `chip ${verdict === 'neutral' ? '' : verdict}`, text: id, title: words.text(label('panel.outline.chip', { id, happens: CORRECTIONS[id].whatHappens })) }));
    const aria = verdict === 'neutral' ? label('panel.outline.line', { text }) : label(verdict === 'correction' ? 'panel.outline.line.wrong' : 'panel.outline.line.right', { text });
    const item = h('li', { className: `learner-line ${verdict}`, attrs: { 'aria-label': words.text(aria) } }, [
      h('span', { className: 'mark', text: mark, attrs: { 'aria-hidden': 'true' } }),
      h('span', { className: 'line-text', text }),
      ...ids,
    ]);
    item.style.setProperty('--depth', String(line.depth));
    list.append(item);
  }
  const heading = words.text(label('panel.outline.heading'));
  return h('section', { className: 'learner-outline', attrs: { 'aria-label': heading } }, [h('h2', { text: heading }), list]);
}
