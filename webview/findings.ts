import { CORRECTIONS, type Finding } from '../src/core/outline/corrections';
import { label } from '../src/core/words/label';
import type { Words } from '../src/core/words/words';
import { h } from './dom';

/** The compact mark on a row: "✗ C2" for a correction, "✓ C8" for a confirmation. */
export function findingChip(finding: Finding, words: Words): HTMLElement {
  const wrong = finding.verdict === 'correction';
  const args = { id: finding.id, text: finding.text };
  return h('span', {
    className: `chip ${wrong ? 'correction' : 'confirmed'}`,
    text: `${wrong ? '✗' : '✓'} ${finding.id}`,
    title: words.text(label(wrong ? 'panel.chip.correction' : 'panel.chip.confirmed', args)),
    attrs: { 'aria-label': words.text(label(wrong ? 'panel.chip.correction.aria' : 'panel.chip.confirmed.aria', args)) },
  });
}

/** A finding in full: its explanation, and the learner's line beside what really happens. */
export function findingBlock(finding: Finding, withOutline: boolean, words: Words): HTMLElement {
  const info = CORRECTIONS[finding.id];
  const wrong = finding.verdict === 'correction';
  const children: HTMLElement[] = [
    h('div', { className: 'finding-head' }, [findingChip(finding, words), h('strong', { text: words.text(info.title) })]),
    h('div', { className: 'finding-text', text: words.text(finding.text) }),
  ];
  if (withOutline) {
    children.push(
      h('div', { className: 'compare' }, [
        h('div', { className: `says ${wrong ? 'wrong' : 'right'}` }, [h('div', { className: 'caption', text: words.text(label('panel.outlineSays')) }), h('div', { text: words.text(info.learnerSays) })]),
        h('div', { className: 'happens' }, [h('div', { className: 'caption', text: words.text(label('panel.whatHappens')) }), h('div', { text: words.text(info.whatHappens) })]),
      ]),
    );
  }
  return h('div', { className: `finding ${wrong ? 'correction' : 'confirmed'}` }, children);
}
