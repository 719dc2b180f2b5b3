import * as fs from 'node:fs';
import * as path from 'node:path';
import { wordsFor, ENGLISH_WORDS, type Words } from '../core/words/words';

/** The languages the CLI speaks: English (the catalogue) and those with a bundle in l10n/. */
export type Language = 'en' | 'zh-cn';

/** What `--lang` asked for, and the arguments without it. `unknown`: what `--lang` named when it names no language. */
export interface LanguageChoice {
  language: Language;
  args: string[];
  unknown?: string;
}

/**
 * The language to speak: `--lang <language>` (or `--lang=<language>`) wherever it stands,
 * else the environment's, as POSIX reads it (LC_ALL, then LC_MESSAGES, then LANG: the first
 * that is set and not empty). A Simplified Chinese locale (zh_CN.UTF-8, zh-CN, zh_SG, zh_Hans)
 * is zh-cn; any other locale, or none, is English.
 */
export function chooseLanguage(args: readonly string[], env: Readonly<Record<string, string | undefined>>): LanguageChoice {
  const rest: string[] = [];
  let asked: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--lang') asked = args[++i] ?? '';
    else if (args[i].startsWith('--lang=')) asked = args[i].slice('--lang='.length);
    else rest.push(args[i]);
  }
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value) ?? '';
  const fromEnv = languageOfLocale(locale) ?? 'en';
  if (asked === undefined) return { language: fromEnv, args: rest };
  const named = languageOfLocale(asked);
  return named ? { language: named, args: rest } : { language: fromEnv, args: rest, unknown: asked };
}

function languageOfLocale(locale: string): Language | undefined {
  if (/^zh(?:[-_](?:cn|sg|hans)\b[^.@]*)?(?:[.@].*)?$/i.test(locale)) return 'zh-cn';
  if (/^(?:en|c|posix)\b/i.test(locale)) return 'en';
  return undefined;
}

/**
 * The words in a language. A translation is VS Code's bundle for that language, shipped in the
 * package's l10n/ folder; the CLI is bundled into dist/cli.js (and compiled into out/src/cli/
 * for the tests), so the folder is found by walking up from here. Without it the CLI speaks
 * English, as VS Code does for a sentence its bundle lacks.
 */
export function cliWords(language: Language, from = __dirname): Words {
  if (language === 'en') return ENGLISH_WORDS;
  const name = `bundle.l10n.${language}.json`;
  for (let dir = from, up = 0; up < 4; dir = path.dirname(dir), up++) {
    const file = path.join(dir, 'l10n', name);
    if (fs.existsSync(file)) return wordsFor(language, JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>);
  }
  return ENGLISH_WORDS;
}
