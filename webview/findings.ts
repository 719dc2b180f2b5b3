import { CORRECTIONS, type Finding } from '../src/core/outline/corrections';
import { h } from './dom';

/** The compact mark on a row: "✗ C2" for a correction, "✓ C8" for a confirmation. */
export function findingChip(finding: Finding): HTMLElement {
  const wrong = finding.verdict === 'correction';
  return h('span', {
    className: `chip ${wrong ? 'correction' : 'confirmed'}`,
    text: `${wrong ? '✗' : '✓'} ${finding.id}`,
    title: `${finding.id} ${wrong ? 'correction' : 'confirmed'}: ${finding.text}`,
    attrs: { 'aria-label': `${finding.id}, ${wrong ? 'correction' : 'confirmed'}: ${finding.text}` },
  });
}

/** A finding in full: its explanation, and the learner's line beside what really happens. */
export function findingBlock(finding: Finding, withOutline: boolean): HTMLElement {
  const info = CORRECTIONS[finding.id];
  const wrong = finding.verdict === 'correction';
  const children: HTMLElement[] = [
    h('div', { className: 'finding-head' }, [findingChip(finding), h('strong', { text: info.title })]),
    h('div', { className: 'finding-text', text: finding.text }),
  ];
  if (withOutline) {
    children.push(
      h('div', { className: 'compare' }, [
        h('div', { className: `says ${wrong ? 'wrong' : 'right'}` }, [h('div', { className: 'caption', text: 'The outline says' }), h('div', { text: info.learnerSays })]),
        h('div', { className: 'happens' }, [h('div', { className: 'caption', text: 'What happens' }), h('div', { text: info.whatHappens })]),
      ]),
    );
  }
  return h('div', { className: `finding ${wrong ? 'correction' : 'confirmed'}` }, children);
}
