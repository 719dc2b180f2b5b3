import type { RunSummary } from '../run/summary';
import { label } from '../words/label';
import type { Words } from '../words/words';
import { CORRECTIONS, LEARNER_OUTLINE, lineVerdict, type Finding } from './corrections';
import { describeNode } from './describe';
import { childAt, childCount, type NodeRef } from './tree';

/** ANSI colours for a terminal; plain text when there is none. */
export interface TextStyle {
  correction(text: string): string;
  confirmed(text: string): string;
  dim(text: string): string;
}

export const PLAIN: TextStyle = { correction: (t) => t, confirmed: (t) => t, dim: (t) => t };
export const ANSI: TextStyle = {
  correction: (t) => `\x1b[33m${t}\x1b[0m`,
  confirmed: (t) => `\x1b[32m${t}\x1b[0m`,
  dim: (t) => `\x1b[2m${t}\x1b[0m`,
};

/**
 * The whole tree as indented text, each finding on its own line under its node:
 *   ✗ C2 (correction: …): …   or   ✓ C8 (confirmed: …): …
 * followed by the learner's outline with each line marked for this run.
 */
export function renderOutline(summary: RunSummary, words: Words, style: TextStyle = PLAIN): string {
  const lines: string[] = [];
  const visit = (ref: NodeRef, depth: number) => {
    const node = describeNode(summary, ref);
    const indent = '  '.repeat(depth);
    lines.push(`${indent}${words.text(node.label)}`);
    for (const f of node.findings) lines.push(`${indent}  ${markFinding(f, words, style)}`);
    const count = childCount(summary, ref);
    for (let i = 0; i < count; i++) visit(childAt(summary, ref, i), depth + 1);
  };
  const root: NodeRef = { kind: 'root' };
  for (let i = 0; i < childCount(summary, root); i++) visit(childAt(summary, root, i), 0);
  lines.push('', words.text(label('cli.outlineHeading')));
  for (const line of LEARNER_OUTLINE) {
    const verdict = lineVerdict(line, summary.shape);
    const mark = verdict === 'correction' ? style.correction('✗') : verdict === 'confirmed' ? style.confirmed('✓') : ' ';
    const ids = line.corrections.length ? style.dim(` [${line.corrections.join(', ')}]`) : '';
    lines.push(`${mark} ${'  '.repeat(line.depth)}${words.text(line.text)}${ids}`);
  }
  return `${lines.join('\n')}\n`;
}

function markFinding(f: Finding, words: Words, style: TextStyle): string {
  const args = { id: f.id, title: CORRECTIONS[f.id].title, text: f.text };
  return f.verdict === 'correction' ? style.correction(words.text(label('cli.finding.correction', args))) : style.confirmed(words.text(label('cli.finding.confirmed', args)));
}
