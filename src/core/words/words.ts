import { ENGLISH } from './english';
import type { Arg, Label } from './label';

/**
 * Turns labels into text in one language. English is the catalogue itself; another language
 * is a bundle that maps each English sentence to its translation, in the format of VS Code's
 * `l10n/bundle.l10n.<language>.json`, so one file serves the extension host (`vscode.l10n`),
 * the panel (which gets the bundle from the host) and the CLI. A sentence the bundle lacks
 * stays English: a learner never sees an id.
 */
export interface Words {
  readonly language: string;
  text(label: Label): string;
  /** A measured number for reading, to the significant digits these words show (see `formatNumber`). */
  number(value: number): string;
}

/** How numbers read: 4 significant digits unless the learner's setting says otherwise (the CLI keeps 4). */
export interface WordsOptions {
  significantDigits?: number;
}

export type Bundle = Readonly<Record<string, string>>;

const PLACEHOLDER = /\{(\w+)\}/g;
const JOINERS = { comma: 'list.comma', and: 'list.and', arrow: 'list.arrow' } as const;

export function wordsFor(language = 'en', bundle: Bundle = {}, { significantDigits = 4 }: WordsOptions = {}): Words {
  const number = (value: number) => formatNumber(value, significantDigits);
  const template = (label: Label): string => {
    const english: string = ENGLISH[label.id] ?? label.id;
    return bundle[english] ?? english;
  };
  const arg = (value: Arg): string => {
    if (typeof value === 'number') return String(value);
    if (typeof value === 'string') return escapeControls(value);
    if ('rounded' in value) return number(value.rounded);
    if ('list' in value) return value.list.map(arg).join(text({ id: JOINERS[value.joiner ?? 'comma'] }));
    return text(value);
  };
  const text = (label: Label): string =>
    template(label).replace(PLACEHOLDER, (whole, name: string) => {
      const value = label.args?.[name];
      return value === undefined ? whole : arg(value);
    });
  return { language, text, number };
}

/**
 * Characters a terminal or an editor would act on rather than show, as visible escapes: C0 and
 * C1 controls (ESC starts a terminal's escape sequences, CR and LF could forge a problem line),
 * DEL, and the line separators and direction overrides that make text read other than it is
 * stored. Every string a message quotes passes through here, so a config key, a CSV header or a
 * file name cannot retitle, clear or rewrite the learner's terminal; everything else reads as
 * written.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** English, from the catalogue alone. */
export const ENGLISH_WORDS: Words = wordsFor();

/**
 * A measured number for reading: 4 significant digits (or `digits`), exponent notation for the
 * very large and the very small. Copies and tooltips use the exact value. The same in every language.
 */
export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-4) return value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(digits)));
}
