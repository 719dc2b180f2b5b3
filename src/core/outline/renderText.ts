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
  return `${[...outlineLines(summary, words, style)].join('\n')}\n`;
}

/** The lines of `renderOutline`, one at a time: a run of millions of points is never one string. */
export function* outlineLines(summary: RunSummary, words: Words, style: TextStyle = PLAIN): Generator<string> {
  const root: NodeRef = { kind: 'root' };
  for (let i = 0; i < childCount(summary, root); i++) yield* nodeLines(summary, childAt(summary, root, i), 0, words, style);
  yield* learnerOutlineLines(summary, words, style);
}

/**
 * A node and everything under it, a line at a time, depth first. The walk keeps its own
 * stack, so it can stop after any line and go on later (the CLI waits for its output to drain).
 */
export function* nodeLines(summary: RunSummary, top: NodeRef, topDepth: number, words: Words, style: TextStyle = PLAIN): Generator<string> {
  const stack: { ref: NodeRef; depth: number; next: number; count: number }[] = [];
  const enter = function* (ref: NodeRef, depth: number): Generator<string> {
    const node = describeNode(summary, ref);
    const indent = '  '.repeat(depth);
    yield `${indent}${words.text(node.label)}`;
    for (const f of node.findings) yield `${indent}  ${markFinding(f, words, style)}`;
    stack.push({ ref, depth, next: 0, count: childCount(summary, ref) });
  };
  yield* enter(top, topDepth);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.next === frame.count) stack.pop();
    else yield* enter(childAt(summary, frame.ref, frame.next++), frame.depth + 1);
  }
}

/** The learner's outline, after a blank line, with each line marked for this run. */
export function* learnerOutlineLines(summary: RunSummary, words: Words, style: TextStyle = PLAIN): Generator<string> {
  yield '';
  yield words.text(label('cli.outlineHeading'));
  for (const line of LEARNER_OUTLINE) {
    const verdict = lineVerdict(line, summary);
    const mark = verdict === 'correction' ? style.correction('✗') : verdict === 'confirmed' ? style.confirmed('✓') : ' ';
    const ids = line.corrections.length ? style.dim(` [${line.corrections.join(', ')}]`) : '';
    yield `${mark} ${'  '.repeat(line.depth)}${words.text(line.text)}${ids}`;
  }
}

function markFinding(f: Finding, words: Words, style: TextStyle): string {
  const args = { id: f.id, title: CORRECTIONS[f.id].title, text: f.text };
  return f.verdict === 'correction' ? style.correction(words.text(label('cli.finding.correction', args))) : style.confirmed(words.text(label('cli.finding.confirmed', args)));
}
