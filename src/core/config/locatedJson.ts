import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { LineIndex, jsonPath, type Problem, type Segment } from './problems';

/**
 * A JSON document that can say where any of its values is written. Parsing uses the fast
 * `JSON.parse`; the position tree is only built when a problem has to be reported.
 */
export class LocatedJson {
  private tree: Node | undefined;
  private readonly lines: LineIndex;

  private constructor(
    readonly file: string,
    private readonly text: string,
    readonly value: unknown,
  ) {
    this.lines = new LineIndex(text);
  }

  /** Parses `text`; on a syntax error returns every syntax problem instead. */
  static parse(file: string, raw: string): LocatedJson | Problem[] {
    // Editors on Windows may start a UTF-8 file with a byte-order mark; it is not part of the JSON.
    const text = raw.charCodeAt(0) === 0xfeff ? ` ${raw.slice(1)}` : raw;
    try {
      return new LocatedJson(file, text, JSON.parse(text));
    } catch {
      return syntaxProblems(file, text);
    }
  }

  /** A problem at the value at `path`, or at its nearest written ancestor when it is missing. */
  problem(path: readonly Segment[], message: string, severity: Problem['severity'] = 'error'): Problem {
    this.tree ??= parseTree(this.text, [], { disallowComments: true, allowTrailingComma: false });
    let node: Node | undefined;
    for (let depth = path.length; depth >= 0 && !node; depth--) {
      node = this.tree && findNodeAtLocation(this.tree, path.slice(0, depth) as Segment[]);
    }
    const offset = node ? node.offset : 0;
    return { severity, file: this.file, ...this.lines.position(offset), path: jsonPath(path), message };
  }

  /** Where a key of an object is written (its name, not its value): for problems about the key itself. */
  keyProblem(objectPath: readonly Segment[], key: string, message: string, severity: Problem['severity']): Problem {
    this.tree ??= parseTree(this.text, [], { disallowComments: true, allowTrailingComma: false });
    const valueNode = this.tree && findNodeAtLocation(this.tree, [...objectPath, key] as Segment[]);
    const keyNode = valueNode?.parent?.children?.[0];
    const offset = keyNode?.offset ?? valueNode?.offset ?? 0;
    return { severity, file: this.file, ...this.lines.position(offset), path: jsonPath([...objectPath, key]), message };
  }
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'JSON allows only objects, arrays, strings in double quotes, numbers, true, false and null',
  InvalidNumberFormat: 'not a valid JSON number (no NaN, Infinity, leading "+" or hex)',
  PropertyNameExpected: 'expected a key in double quotes (JSON has no trailing commas)',
  ValueExpected: 'expected a value (JSON has no trailing commas)',
  ColonExpected: 'expected ":" after the key',
  CommaExpected: 'expected "," between values',
  CloseBraceExpected: 'expected "}" to close the object',
  CloseBracketExpected: 'expected "]" to close the array',
  EndOfFileExpected: 'unexpected text after the end of the document',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'the string is not closed with "',
  UnexpectedEndOfNumber: 'the number is cut short',
  InvalidUnicode: 'invalid \\u escape in a string',
  InvalidEscapeCharacter: 'invalid escape in a string',
  InvalidCharacter: 'invalid character in a string (control characters must be escaped)',
};

function syntaxProblems(file: string, text: string): Problem[] {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const lines = new LineIndex(text);
  if (errors.length === 0) {
    // JSON.parse refused something the tolerant parser accepted: say so rather than nothing.
    errors.push({ error: 1, offset: 0, length: 0 } as ParseError);
  }
  // One error often drags more behind it on the same line ("NaN" also leaves a value missing): keep the first per line.
  const firstPerLine = errors.filter((e, i) => i === 0 || lines.position(e.offset).line !== lines.position(errors[i - 1].offset).line);
  return firstPerLine.map((e) => {
    const token = text.slice(e.offset, e.offset + Math.min(e.length, 20)).trim();
    const name = printParseErrorCode(e.error);
    const unexpected = name === 'InvalidSymbol' && token ? `unexpected ${JSON.stringify(token)}: ` : '';
    return {
      severity: 'error' as const,
      file,
      ...lines.position(e.offset),
      path: '(syntax)',
      message: `invalid JSON: ${unexpected}${SYNTAX_MESSAGES[name] ?? name}`,
    };
  });
}
