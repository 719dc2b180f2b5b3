import { findNodeAtLocation, findNodeAtOffset, getNodePath, parseTree, printParseErrorCode, visit, type Node, type ParseError } from 'jsonc-parser';
import { label, type Label, type MessageId } from '../words/label';
import { JsonLocator, MAX_DEPTH, readStructure, tooDeepOffset } from './jsonStructure';
import { LineIndex, jsonPlace, truncateProblems, type Problem, type Segment, type SourcePlace } from './problems';

/**
 * A JSON document that can say where any of its values is written. Parsing uses the fast
 * `JSON.parse`; one loop over the text then refuses nesting deeper than MAX_DEPTH and warns
 * about repeated keys, and the places of values are only looked up when a problem has to be
 * reported (each object or array once, however many problems it has).
 */
export class LocatedJson {
  private locator: JsonLocator | undefined;
  /** jsonc-parser's tree of positions, for places asked by an editor (`place`, `pathAt`): the nesting is bounded by then. */
  private tree: Node | undefined;
  private readonly lines: LineIndex;

  private constructor(
    readonly file: string,
    private readonly text: string,
    readonly value: unknown,
  ) {
    this.lines = new LineIndex(text);
  }

  /**
   * Parses `text`; on a syntax error, or nesting deeper than MAX_DEPTH, returns those problems
   * instead. Keys written twice in an object are warnings, in `warnings`.
   */
  static parse(file: string, raw: string): LocatedJson | Problem[] {
    // Editors on Windows may start a UTF-8 file with a byte-order mark; it is not part of the JSON.
    const text = raw.charCodeAt(0) === 0xfeff ? ` ${raw.slice(1)}` : raw;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return syntaxProblems(file, text);
    }
    const doc = new LocatedJson(file, text, value);
    const structure = readStructure(text);
    if (structure.tooDeep) {
      return [{ severity: 'error', file, ...doc.lines.position(structure.tooDeep.offset), path: jsonPlace(structure.tooDeep.path), message: label('problem.tooDeep', { max: MAX_DEPTH }) }];
    }
    for (const { path, key, times, valueOffset, firstKeyOffset } of structure.duplicates) {
      const first = doc.lines.position(firstKeyOffset);
      const message = times === 2 ? label('problem.duplicateKey', { key, line: first.line, column: first.column }) : label('problem.duplicateKey.more', { key, times, line: first.line, column: first.column });
      doc.warnings.push({ severity: 'warning', file, ...doc.lines.position(valueOffset), path: jsonPlace([...path, key]), message, end: doc.lines.position(doc.located().valueEnd(valueOffset)) });
    }
    return doc;
  }

  /** Keys written twice in one object: the last is used, as JSON.parse does. */
  readonly warnings: Problem[] = [];

  /** A problem at the value at `path`, or at its nearest written ancestor when it is missing. */
  problem(path: readonly Segment[], message: Label, severity: Problem['severity'] = 'error'): Problem {
    const offset = this.located().valueOffset(path);
    return { severity, file: this.file, ...this.lines.position(offset), path: jsonPlace(path), message, end: this.lines.position(this.located().valueEnd(offset)) };
  }

  /**
   * Where the value at `path` is written, from its first character to its last; for an object's
   * key, from the key's name to the end of its value (`"batchSize": 2`). When the path is not
   * written, the place of its nearest written ancestor, with `written` false.
   */
  place(path: readonly Segment[]): SourcePlace & { written: boolean } {
    const root = this.positions();
    let node: Node | undefined;
    let depth = path.length;
    for (; depth >= 0 && !node; depth--) node = root && findNodeAtLocation(root, path.slice(0, depth) as Segment[]);
    const written = depth + 1 === path.length;
    const span = node?.parent?.type === 'property' ? node.parent : node;
    const start = span ? span.offset : 0;
    const end = span ? span.offset + span.length : this.text.length;
    const from = this.lines.position(start);
    const to = this.lines.position(end);
    return { file: this.file, line: from.line, column: from.column, endLine: to.line, endColumn: to.column, written };
  }

  /**
   * The path of the innermost value written at a 1-based line and column (`["data", "inputs", 3, 1]`),
   * or at the line's first character when nothing is written under the column (a comma, the
   * end of the line); undefined outside the document's values.
   */
  pathAt(line: number, column: number): Segment[] | undefined {
    const root = this.positions();
    const start = this.lines.offsetOf(line);
    if (!root || start === undefined) return undefined;
    const lineText = this.text.slice(start, this.lines.offsetOf(line + 1) ?? this.text.length).replace(/\r?\n$/, '');
    const firstCharacter = start + lineText.search(/\S|$/);
    const atColumn = column >= 1 && column <= lineText.length ? findNodeAtOffset(root, start + column - 1) : undefined;
    const node = atColumn && atColumn !== root ? atColumn : findNodeAtOffset(root, firstCharacter);
    return node ? getNodePath(node) : undefined;
  }

  /** The tree of positions, built the first time an editor asks for a place. */
  private positions(): Node | undefined {
    this.tree ??= parseTree(this.text, [], { disallowComments: true, allowTrailingComma: false });
    return this.tree;
  }

  /** Where a key of an object is written (its name, not its value): for problems about the key itself. */
  keyProblem(objectPath: readonly Segment[], key: string, message: Label, severity: Problem['severity']): Problem {
    const place = this.located().keyPlace(objectPath, key);
    const offset = place?.keyOffset ?? this.located().valueOffset(objectPath);
    return { severity, file: this.file, ...this.lines.position(offset), path: jsonPlace([...objectPath, key]), message, end: this.lines.position(this.located().valueEnd(offset)) };
  }

  private located(): JsonLocator {
    this.locator ??= new JsonLocator(this.text);
    return this.locator;
  }
}

/** jsonc-parser's error names, in the catalogue's words. */
const SYNTAX_MESSAGES: Record<string, MessageId> = {
  InvalidSymbol: 'syntax.invalidSymbol',
  InvalidNumberFormat: 'syntax.invalidNumberFormat',
  PropertyNameExpected: 'syntax.propertyNameExpected',
  ValueExpected: 'syntax.valueExpected',
  ColonExpected: 'syntax.colonExpected',
  CommaExpected: 'syntax.commaExpected',
  CloseBraceExpected: 'syntax.closeBraceExpected',
  CloseBracketExpected: 'syntax.closeBracketExpected',
  EndOfFileExpected: 'syntax.endOfFileExpected',
  InvalidCommentToken: 'syntax.comment',
  UnexpectedEndOfComment: 'syntax.comment',
  UnexpectedEndOfString: 'syntax.unexpectedEndOfString',
  UnexpectedEndOfNumber: 'syntax.unexpectedEndOfNumber',
  InvalidUnicode: 'syntax.invalidUnicode',
  InvalidEscapeCharacter: 'syntax.invalidEscapeCharacter',
  InvalidCharacter: 'syntax.invalidCharacter',
};

function syntaxProblems(file: string, text: string): Problem[] {
  const lines = new LineIndex(text);
  const deep = tooDeepOffset(text);
  if (deep >= 0) return [{ severity: 'error', file, ...lines.position(deep), path: label('place.syntax'), message: label('problem.tooDeep', { max: MAX_DEPTH }) }];
  const errors: ParseError[] = [];
  try {
    visit(text, { onError: (error, offset, length) => errors.push({ error, offset, length }) }, { disallowComments: true, allowTrailingComma: false });
  } catch {
    // The checker recurses once per level, and its idea of a level may differ from ours on broken text: say what we can.
    errors.length = 0;
  }
  if (errors.length === 0) {
    // JSON.parse refused something the tolerant parser accepted: say so rather than nothing.
    errors.push({ error: 1, offset: 0, length: 0 } as ParseError);
  }
  // One error often drags more behind it on the same line ("NaN" also leaves a value missing): keep the first per line.
  const firstPerLine = errors.filter((e, i) => i === 0 || lines.position(e.offset).line !== lines.position(errors[i - 1].offset).line);
  return truncateProblems(firstPerLine.map((e) => {
    const token = text.slice(e.offset, e.offset + Math.min(e.length, 20)).trim();
    const name = printParseErrorCode(e.error);
    const known = SYNTAX_MESSAGES[name];
    const what: Label = known ? { id: known } : label('verbatim', { text: name });
    const message = name === 'InvalidSymbol' && token ? label('syntax.unexpected', { token: JSON.stringify(token), what }) : label('syntax.invalid', { what });
    return { severity: 'error' as const, file, ...lines.position(e.offset), path: label('place.syntax'), message, end: lines.position(e.offset + Math.max(1, e.length)) };
  }));
}
