import type { Segment } from './problems';

/**
 * Reads the structure of JSON text without building it: how deep it nests, which keys an
 * object repeats, and where each value is written. Every walk here is a loop over the text
 * with its own stack, never a recursion, so a document of a million `[` costs time in
 * proportion to its length and no stack at all.
 */

/** Deeper than this, a document is refused: a training config needs 5 levels, a data file 3. */
export const MAX_DEPTH = 64;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;
const SLASH = 47;
const STAR = 42;

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** From an opening quote to just after its closing quote (or the end of the text). */
function skipString(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === QUOTE) return i + 1;
  }
  return text.length;
}

/** From the start of a value to just after it: a string, a whole array or object, or a literal. */
function skipValue(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return skipString(text, i);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || isSpace(code)) break;
      i++;
    }
    return i;
  }
  let depth = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = skipString(text, i);
      continue;
    }
    if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++;
    else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

/** A key's text, escapes decoded, from its opening quote. */
function keyAt(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : raw;
}

/** Where an object's key and its value are written (the last occurrence: the one JSON.parse keeps). */
export interface KeyPlace {
  keyOffset: number;
  valueOffset: number;
}

type ContainerIndex = { kind: 'object'; keys: Map<string, KeyPlace> } | { kind: 'array'; items: number[] };

/**
 * Finds where a value is written, for valid JSON. Each container on a path asked about is
 * indexed once (its children's places, by key or position) and kept, so a thousand problems
 * in one object cost one pass over it, not a thousand.
 */
export class JsonLocator {
  private readonly indexes = new Map<number, ContainerIndex>();
  private readonly root: number;

  constructor(private readonly text: string) {
    this.root = skipSpace(text, 0);
  }

  /** The offset of the value at `path`, or of its nearest written ancestor. */
  valueOffset(path: readonly Segment[]): number {
    let offset = this.root;
    for (const segment of path) {
      const child = this.child(offset, segment);
      if (child === undefined) break;
      offset = child.valueOffset;
    }
    return offset;
  }

  /** Where the value that starts at `offset` ends (just after it). */
  valueEnd(offset: number): number {
    return skipValue(this.text, offset);
  }

  /** Where the key `key` of the object at `objectPath` is written, when it is. */
  keyPlace(objectPath: readonly Segment[], key: string): KeyPlace | undefined {
    let offset = this.root;
    for (const segment of objectPath) {
      const child = this.child(offset, segment);
      if (child === undefined) return undefined;
      offset = child.valueOffset;
    }
    return this.child(offset, key);
  }

  private child(offset: number, segment: Segment): KeyPlace | undefined {
    const index = this.index(offset);
    if (index?.kind === 'object' && typeof segment === 'string') return index.keys.get(segment);
    if (index?.kind === 'array' && typeof segment === 'number') {
      const valueOffset = index.items[segment];
      return valueOffset === undefined ? undefined : { keyOffset: valueOffset, valueOffset };
    }
    return undefined;
  }

  private index(offset: number): ContainerIndex | undefined {
    const known = this.indexes.get(offset);
    if (known) return known;
    const { text } = this;
    const open = text.charCodeAt(offset);
    let index: ContainerIndex;
    if (open === OPEN_BRACE) {
      const keys = new Map<string, KeyPlace>();
      let i = skipSpace(text, offset + 1);
      while (i < text.length && text.charCodeAt(i) === QUOTE) {
        const keyEnd = skipString(text, i);
        const key = keyAt(text, i, keyEnd);
        let j = skipSpace(text, keyEnd);
        if (text.charCodeAt(j) === COLON) j = skipSpace(text, j + 1);
        keys.set(key, { keyOffset: i, valueOffset: j });
        i = skipSpace(text, skipValue(text, j));
        if (text.charCodeAt(i) === COMMA) i = skipSpace(text, i + 1);
      }
      index = { kind: 'object', keys };
    } else if (open === OPEN_BRACKET) {
      const items: number[] = [];
      let i = skipSpace(text, offset + 1);
      while (i < text.length && text.charCodeAt(i) !== CLOSE_BRACKET) {
        items.push(i);
        i = skipSpace(text, skipValue(text, i));
        if (text.charCodeAt(i) === COMMA) i = skipSpace(text, i + 1);
        else break;
      }
      index = { kind: 'array', items };
    } else {
      return undefined;
    }
    this.indexes.set(offset, index);
    return index;
  }
}

/** A key written more than once in one object: JSON.parse keeps the last, so that is the one a problem points at. */
export interface DuplicateKey {
  path: Segment[];
  key: string;
  /** How many times it is written. */
  times: number;
  /** Where the value that is used (the last) is written. */
  valueOffset: number;
  /** Where the first, ignored, occurrence of the key is written. */
  firstKeyOffset: number;
}

export interface Structure {
  /** Where nesting first goes deeper than MAX_DEPTH, and the path to that place. */
  tooDeep?: { offset: number; path: Segment[] };
  duplicates: DuplicateKey[];
}

interface Frame {
  kind: 'object' | 'array';
  /** The key or index of the value being read in this container. */
  segment: Segment;
  /** An object's keys: where each is first written, how often, and where its last value starts. */
  keys?: Map<string, { first: number; times: number; lastValue: number }>;
}

/**
 * One pass over valid JSON: the first place it nests deeper than MAX_DEPTH (where reading
 * stops), and every key an object repeats.
 */
export function readStructure(text: string): Structure {
  const duplicates: DuplicateKey[] = [];
  const stack: Frame[] = [];
  const path = () => stack.map((frame) => frame.segment);
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (stack.length >= MAX_DEPTH) return { tooDeep: { offset: i, path: path() }, duplicates };
      stack.push(code === OPEN_BRACE ? { kind: 'object', segment: '', keys: new Map() } : { kind: 'array', segment: 0 });
      i++;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      const closed = stack.pop();
      if (closed?.keys) {
        for (const [key, { first, times, lastValue }] of closed.keys) {
          if (times > 1) duplicates.push({ path: path(), key, times, valueOffset: lastValue, firstKeyOffset: first });
        }
      }
      i++;
    } else if (code === COMMA) {
      if (top?.kind === 'array') top.segment = (top.segment as number) + 1;
      i++;
    } else if (code === QUOTE) {
      const end = skipString(text, i);
      const afterString = skipSpace(text, end);
      if (top?.kind === 'object' && text.charCodeAt(afterString) === COLON) {
        const key = keyAt(text, i, end);
        const seen = top.keys!.get(key);
        const valueOffset = skipSpace(text, afterString + 1);
        if (seen === undefined) top.keys!.set(key, { first: i, times: 1, lastValue: valueOffset });
        else {
          seen.times++;
          seen.lastValue = valueOffset;
        }
        top.segment = key;
        i = afterString + 1;
      } else {
        i = end;
      }
    } else {
      i++;
    }
  }
  return { duplicates };
}

/**
 * For text that is not valid JSON: where brackets outside strings first nest deeper than
 * MAX_DEPTH, or -1. The syntax checker that follows recurses once per level, so it only ever
 * sees documents this has let through.
 */
export function tooDeepOffset(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      // A string ends at its closing quote or, unclosed, at the end of its line.
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === BACKSLASH) i++;
        else if (c === QUOTE || c === 10 || c === 13) break;
      }
    } else if (code === SLASH && text.charCodeAt(i + 1) === SLASH) {
      while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (code === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > MAX_DEPTH) return i;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}
