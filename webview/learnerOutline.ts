import { CORRECTIONS, LEARNER_OUTLINE, lineVerdict } from '../src/core/outline/corrections';
import type { RunShape } from '../src/core/outline/summary';
import { h } from './dom';

/**
 * The learner's whole outline, with each line marked for this run: ✗ where it is wrong,
 * ✓ where it is right, and the ids of the corrections that speak to it.
 */
export function learnerOutline(shape: RunShape): HTMLElement {
  const list = h('ol', { className: 'learner-lines' });
  for (const line of LEARNER_OUTLINE) {
    const verdict = lineVerdict(line, shape);
    const mark = verdict === 'correction' ? '✗' : verdict === 'confirmed' ? '✓' : '';
    const ids = line.corrections.map((id) => h('span', { className: `chip ${verdict === 'neutral' ? '' : verdict}`, text: id, title: `${id}: ${CORRECTIONS[id].whatHappens}` }));
    const item = h('li', { className: `learner-line ${verdict}`, attrs: { 'aria-label': `${verdict === 'correction' ? 'wrong' : verdict === 'confirmed' ? 'right' : ''}: ${line.text}` } }, [
      h('span', { className: 'mark', text: mark, attrs: { 'aria-hidden': 'true' } }),
      h('span', { className: 'line-text', text: line.text }),
      ...ids,
    ]);
    item.style.setProperty('--depth', String(line.depth));
    list.append(item);
  }
  return h('section', { className: 'learner-outline', attrs: { 'aria-label': 'The learner’s outline, checked against this run' } }, [
    h('h2', { text: 'The learner’s outline, checked against this run' }),
    list,
  ]);
}
