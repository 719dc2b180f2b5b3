/**
 * English left in a translated text: every run of 3 or more ASCII letters that is not a known
 * token (code, identifiers, units, names from a config). Numbers, symbols and 1–2 letter
 * tokens (C1, x1, MB) never count, so a single untranslated English word is found, not only a
 * sentence.
 */
export function englishWords(text: string, tokens: ReadonlySet<string>): string[] {
  return [...text.matchAll(/[A-Za-z]{3,}/g)].map((m) => m[0]).filter((word) => !tokens.has(word));
}

/** A page or one of its frames: where the texts are read. */
interface Document {
  evaluate<R>(fn: () => R): Promise<R>;
}

/** Every text a person can read or hear in a document: visible text, and the titles and ARIA labels of visible elements. */
export function readable(document: Document): Promise<string[]> {
  return document.evaluate(() => {
    const seen = (e: Element) => (e as HTMLElement).checkVisibility?.({ checkOpacity: true, checkVisibilityCSS: true }) ?? true;
    const texts: string[] = [];
    const walker = window.document.createTreeWalker(window.document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      if (text && node.parentElement && seen(node.parentElement)) texts.push(text);
    }
    for (const element of Array.from(window.document.body.querySelectorAll('[title], [aria-label]'))) {
      if (!seen(element)) continue;
      for (const name of ['title', 'aria-label']) {
        const value = element.getAttribute(name);
        if (value) texts.push(value);
      }
    }
    return texts;
  });
}

/** The texts of a document that hold English words (see `englishWords`). */
export async function untranslated(document: Document, tokens: ReadonlySet<string>): Promise<string[]> {
  return (await readable(document)).filter((text) => englishWords(text, tokens).length > 0);
}
