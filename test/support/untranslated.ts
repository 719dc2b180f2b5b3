/**
 * English left in a translated text: every run of 3 or more ASCII letters that is not a known
 * token (code, identifiers, units, names from a config). Numbers, symbols and 1–2 letter
 * tokens (C1, x1, MB) never count, so a single untranslated English word is found, not only a
 * sentence.
 */
export function englishWords(text: string, tokens: ReadonlySet<string>): string[] {
  return [...text.matchAll(/[A-Za-z]{3,}/g)].map((m) => m[0]).filter((word) => !tokens.has(word));
}
