import { counted, label, list, type Arg, type Label } from '../words/label';
import type { LocatedJson } from './locatedJson';
import { MAX_LISTED, type Problem, type Segment } from './problems';

/** What a list of values holds, named in messages: "each input value …", "every target row …". */
export type ValueKind = 'input' | 'target' | 'weight' | 'bias';

/** Text from the document quoted in a message is cut to this many characters. */
const QUOTED_LENGTH = 40;

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  /** The bound itself is not allowed (`min < x` rather than `min <= x`). */
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/**
 * Typed reads from a parsed JSON value that record a located problem instead of throwing,
 * so that one pass reports everything wrong with a config.
 */
export class Checker {
  /** Every problem found, starting with the document's own warnings (keys written twice). */
  readonly problems: Problem[];
  private valueProblems = 0;

  constructor(private readonly doc: LocatedJson) {
    this.problems = [...doc.warnings];
  }

  get hasErrors(): boolean {
    return this.problems.some((p) => p.severity === 'error');
  }

  error(path: readonly Segment[], message: Label): undefined {
    this.problems.push(this.doc.problem(path, message));
    return undefined;
  }

  object(value: unknown, path: readonly Segment[], what: Label = label('value.anObject')): Record<string, unknown> | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    return this.error(path, label('problem.mustBe', { what, found: describe(value) }));
  }

  array(value: unknown, path: readonly Segment[], minLength = 0): unknown[] | undefined {
    if (!Array.isArray(value)) return this.error(path, label('problem.mustBe', { what: label('value.anArray'), found: describe(value) }));
    if (value.length < minLength) return this.error(path, label('problem.tooFewItems', { items: counted(minLength, 'item'), found: value.length }));
    return value;
  }

  /** Warns about keys nobody reads, suggesting the nearest known key (a typo is the usual cause). */
  knownKeys(object: Record<string, unknown>, path: readonly Segment[], known: readonly string[]): void {
    for (const key of Object.keys(object)) {
      if (known.includes(key) || key === '$schema' || key === 'description') continue;
      const guess = nearest(key, known);
      const quoted = cut(key);
      const message = guess ? label('problem.unknownKey.guess', { key: quoted, guess }) : label('problem.unknownKey.known', { key: quoted, known: list(known) });
      this.problems.push(this.doc.keyProblem(path, key, message, 'warning'));
    }
  }

  number(value: unknown, path: readonly Segment[], rule: NumberRule = {}): number | undefined {
    const allowed = describeRule(rule);
    if (typeof value !== 'number') return this.error(path, label('problem.mustBe', { what: allowed, found: describe(value) }));
    if (!Number.isFinite(value)) return this.error(path, label('problem.mustBe', { what: allowed, found: label('value.tooLarge') }));
    if (rule.integer && !Number.isSafeInteger(value)) return this.error(path, label('problem.mustBe', { what: allowed, found: value }));
    const belowMin = rule.min !== undefined && (rule.minExclusive ? value <= rule.min : value < rule.min);
    const aboveMax = rule.max !== undefined && (rule.maxExclusive ? value >= rule.max : value > rule.max);
    if (belowMin || aboveMax) return this.error(path, label('problem.mustBe', { what: allowed, found: value }));
    return value;
  }

  optionalNumber(object: Record<string, unknown>, key: string, path: readonly Segment[], fallback: number, rule: NumberRule = {}): number | undefined {
    return key in object ? this.number(object[key], [...path, key], rule) : fallback;
  }

  boolean(object: Record<string, unknown>, key: string, path: readonly Segment[], fallback: boolean): boolean | undefined {
    if (!(key in object)) return fallback;
    const value = object[key];
    if (typeof value === 'boolean') return value;
    return this.error([...path, key], label('problem.mustBe', { what: label('value.boolean'), found: describe(value) }));
  }

  oneOf<T extends string>(value: unknown, path: readonly Segment[], allowed: readonly T[]): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    const guess = typeof value === 'string' ? nearest(value, allowed) : undefined;
    const choices = list(allowed.map((a) => `"${a}"`));
    return this.error(path, guess ? label('problem.oneOf.guess', { choices, found: describe(value), guess }) : label('problem.oneOf', { choices, found: describe(value) }));
  }

  optionalOneOf<T extends string>(object: Record<string, unknown>, key: string, path: readonly Segment[], allowed: readonly T[], fallback: T): T | undefined {
    return key in object ? this.oneOf(object[key], [...path, key], allowed) : fallback;
  }

  /** A rectangular number[][] whose rows all have the same length (at least 1). */
  matrix(value: unknown, path: readonly Segment[], what: ValueKind): number[][] | undefined {
    const rows = this.array(value, path, 1);
    if (!rows) return undefined;
    let width: number | undefined;
    let ok = true;
    rows.forEach((row, r) => {
      if (!this.vector(row, [...path, r], what)) ok = false;
      else if (width === undefined) width = (row as number[]).length;
      else if ((row as number[]).length !== width) {
        ok = false;
        this.valueProblem([...path, r], label('problem.rowWidth', { what: kindWord(what), width, found: (row as number[]).length }));
      }
    });
    return ok ? (rows as number[][]) : undefined;
  }

  /**
   * A non-empty number[] of finite values, with one problem per bad entry: at most a few per
   * row, and at most MAX_VALUE_PROBLEMS in all, so a large broken data set stays readable.
   */
  vector(value: unknown, path: readonly Segment[], what: ValueKind): number[] | undefined {
    const items = this.array(value, path, 1);
    if (!items) return undefined;
    let bad = 0;
    items.forEach((item, i) => {
      if (typeof item === 'number' && Number.isFinite(item)) return;
      if (++bad <= 3) this.valueProblem([...path, i], label('problem.notFinite', { what: kindWord(what), found: describe(item) }));
    });
    if (bad > 3) this.valueProblem(path, label('problem.moreNotFinite', { n: bad - 3, what: kindWord(what) }));
    return bad === 0 ? (items as number[]) : undefined;
  }

  private valueProblem(path: readonly Segment[], message: Label): void {
    this.valueProblems++;
    if (this.valueProblems <= MAX_LISTED) this.error(path, message);
    else if (this.valueProblems === MAX_LISTED + 1) this.error(path, label('problem.valueProblemsCut', { max: MAX_LISTED }));
  }
}

/** A value as a message quotes it: `null`, `an array`, `"text"` (cut at 40 characters), `3`. */
export function describe(value: unknown): Arg {
  if (value === null) return 'null';
  if (Array.isArray(value)) return label('value.anArray');
  if (typeof value === 'string') return JSON.stringify(cut(value));
  if (typeof value === 'object') return label('value.anObject');
  return String(value);
}

function cut(text: string): string {
  return text.length > QUOTED_LENGTH ? `${text.slice(0, QUOTED_LENGTH)}…` : text;
}

function kindWord(kind: ValueKind): Label {
  return label(`value.kind.${kind}`);
}

/** A number rule in words: "an integer ≥ 1 and ≤ 100", as every problem and the trace's faults say it. */
export function describeRule(rule: NumberRule): Label {
  const kind = label(rule.integer ? 'value.integer' : 'value.number');
  const low = rule.min === undefined ? undefined : label(rule.minExclusive ? 'bound.above' : 'bound.atLeast', { n: rule.min });
  const high = rule.max === undefined ? undefined : label(rule.maxExclusive ? 'bound.below' : 'bound.atMost', { n: rule.max });
  if (low && high) return label('value.bounded', { kind, bounds: label('bound.both', { low, high }) });
  const bound = low ?? high;
  return bound ? label('value.bounded', { kind, bounds: bound }) : kind;
}

/** The closest known word within two edits, compared case-insensitively. */
function nearest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    // More than two letters longer or shorter is more than two edits away: no need to count them.
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
