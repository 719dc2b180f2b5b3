import { describe, describeRule } from '../validation/checker';
import { LocatedJson } from '../validation/locatedJson';
import type { Problem, Segment } from '../validation/problems';
import { jsonPlace } from '../validation/problems';
import { label, list, type Label } from '../words/label';
import type { TraceEvent } from './events';

/**
 * One line of a trace, read and checked against the contract's keys for its event type. A
 * trace comes from any producer and is trusted in nothing: every key the contract gives an
 * event is checked for its type (finite numbers, integers, arrays of the right depth) before
 * the event is used. Keys the contract does not know are left alone (producers may add keys),
 * and so are event types it does not know (producers may add events): the reader skips them.
 */
export type LineRead =
  | { kind: 'event'; event: TraceEvent }
  | { kind: 'unknown'; type: string }
  | { kind: 'blank' }
  | { kind: 'fault'; fault: Fault };

/** What is wrong with a line: where in its JSON (a path), and what. */
export interface Fault {
  path: Segment[];
  message: Label;
}

type Rule = (value: unknown, path: Segment[]) => Fault | undefined;

/** A rule for the entries of long arrays: a quick test, and the rule that words the fault. */
interface Entry {
  ok(value: unknown): boolean;
  rule: Rule;
}

const mustBe = (what: Label, value: unknown, path: Segment[]): Fault => ({ path, message: label('problem.mustBe', { what, found: describe(value) }) });

const integerFrom = (n: number): Entry => ({
  ok: (value) => Number.isSafeInteger(value) && (value as number) >= n,
  rule: (value, path) => (Number.isSafeInteger(value) && (value as number) >= n ? undefined : mustBe(describeRule({ integer: true, min: n }), value, path)),
});

/** A count (from 0) or an index. */
const count = integerFrom(0);
/** An epoch or batch number (from 1). */
const ordinal = integerFrom(1);

/** JSON cannot write NaN, but 1e999 parses as Infinity: every number is checked finite. */
const finite: Entry = {
  ok: (value) => typeof value === 'number' && Number.isFinite(value),
  rule: (value, path) => (typeof value === 'number' && Number.isFinite(value) ? undefined : mustBe(label('value.number'), value, path)),
};

const text: Rule = (value, path) => (typeof value === 'string' ? undefined : mustBe(label('trace.value.string'), value, path));

const object: Rule = (value, path) => (isObject(value) ? undefined : mustBe(label('value.anObject'), value, path));

const oneOf = (choices: readonly string[]): Rule => (value, path) =>
  typeof value === 'string' && choices.includes(value) ? undefined : { path, message: label('problem.oneOf', { choices: list(choices.map((c) => `"${c}"`)), found: describe(value) }) };

/** number[], number[][] or number[][][] (depth 1, 2, 3), each entry passing `entry`. */
const numbers = (depth: number, entry: Entry = finite): Rule => (value, path) => scan(value, depth, entry, [...path]);

/** Walks nested arrays without a path per entry (a gradient has millions): the path is copied only for a fault. */
function scan(value: unknown, depth: number, entry: Entry, path: Segment[]): Fault | undefined {
  if (!Array.isArray(value)) return mustBe(label('value.anArray'), value, [...path]);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (depth === 1) {
      if (!entry.ok(item)) return entry.rule(item, [...path, i]);
      continue;
    }
    path.push(i);
    const fault = scan(item, depth - 1, entry, path);
    path.pop();
    if (fault) return fault;
  }
  return undefined;
}

/** Weights and biases in the trace's shapes; their sizes are checked against the run's layers elsewhere. */
const layerValues: Rule = (value, path) => keys({ weights: numbers(3), biases: numbers(2) }, 'gradient')(value, path);

type Keys = Record<string, Rule | { optional: Rule }>;

const keys = (rules: Keys, type: string): Rule => (value, path) => {
  if (!isObject(value)) return mustBe(label('value.anObject'), value, path);
  for (const [key, rule] of Object.entries(rules)) {
    const optional = typeof rule !== 'function';
    if (!(key in value)) {
      if (optional) continue;
      return { path: [...path, key], message: label('trace.missingKey', { key, type }) };
    }
    const fault = (optional ? rule.optional : rule)(value[key], [...path, key]);
    if (fault) return fault;
  }
  return undefined;
};

/** The contract's keys of each event type, and what each must hold. */
const EVENT_KEYS: Record<TraceEvent['type'], Keys> = {
  run: { version: (value, path) => (value === 1 ? undefined : { path, message: label('trace.version', { found: describe(value) }) }), config: object, data: object, layerSizes: numbers(1, ordinal), batchesPerEpoch: { optional: ordinal.rule } },
  init: { weights: numbers(3), biases: numbers(2) },
  epochStart: { epoch: ordinal.rule, order: numbers(1, count) },
  batchStart: { epoch: ordinal.rule, batch: ordinal.rule, indices: numbers(1, count) },
  forward: { epoch: ordinal.rule, batch: ordinal.rule, index: count.rule, output: numbers(1), target: numbers(1), loss: finite.rule, probabilities: { optional: numbers(1) } },
  backward: { epoch: ordinal.rule, batch: ordinal.rule, index: count.rule, gradient: layerValues },
  update: { epoch: ordinal.rule, batch: ordinal.rule, size: count.rule, reduction: oneOf(['mean', 'sum']), gradient: layerValues, weights: numbers(3), biases: numbers(2) },
  // A producer that saw no point of an epoch has no mean loss to give (the PyTorch recorder says so by leaving it out).
  epochEnd: { epoch: ordinal.rule, loss: { optional: finite.rule } },
  zeroGrad: { epoch: count.rule, batch: count.rule },
  done: { epochs: count.rule },
  diverged: { epoch: ordinal.rule, batch: ordinal.rule, index: { optional: count.rule }, stage: oneOf(['forward', 'backward', 'update']), message: text },
};

function isKnownType(type: string): type is TraceEvent['type'] {
  return Object.prototype.hasOwnProperty.call(EVENT_KEYS, type);
}

/** Reads one line of a trace: an event of the contract, an event type it does not know, a blank line, or a fault. */
export function readTraceLine(text: string): LineRead {
  if (text.trim() === '') return { kind: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'fault', fault: { path: [], message: label('trace.notJson') } };
  }
  if (!isObject(value)) return { kind: 'fault', fault: mustBe(label('trace.value.event'), value, []) };
  const { type } = value;
  if (typeof type !== 'string') return { kind: 'fault', fault: { path: ['type'], message: label('trace.noType', { found: describe(type) }) } };
  if (!isKnownType(type)) return { kind: 'unknown', type };
  const fault = keys(EVENT_KEYS[type], type)(value, []);
  return fault ? { kind: 'fault', fault } : { kind: 'event', event: value as unknown as TraceEvent };
}

/**
 * A fault as a problem of the trace file, placed at its line and at the column of the value it
 * is about. The position is found only now, by parsing the line again with positions: reading
 * a good trace never pays for it.
 */
export function locateFault(file: string, line: number, text: string, fault: Fault, severity: Problem['severity'] = 'error'): Problem {
  const doc = LocatedJson.parse(file, text);
  if (Array.isArray(doc)) {
    // Not JSON: the syntax problem's own words and column say more than "not JSON".
    const syntax = doc[0];
    return { ...syntax, severity, line, path: label('place.syntax') };
  }
  const placed = doc.problem(fault.path, fault.message, severity);
  return { ...placed, line, path: jsonPlace(fault.path) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
