import type { Label } from '../src/core/words/label';
import { ENGLISH_WORDS, type Words } from '../src/core/words/words';

/** What an element says: its text (`text`) and attributes (`title`, `aria-label` …), each a label. */
export type Said = Readonly<Record<string, Label>>;

/**
 * The panel's words, which the host may change at any time (its language's bundle, the
 * significant digits numbers show): everything holding this object speaks the new words at
 * its next redraw. English with 4 digits until the host says otherwise (its words arrive
 * after the panel is built).
 *
 * Controls built once (the toolbar, the tabs, the player, the sashes) are not redrawn: they
 * say their words through `labelled`, which says them again whenever the words change.
 */
export class PanelWords implements Words {
  private current: Words = ENGLISH_WORDS;
  private digits = 4;
  private readonly labelledElements: { element: Element; said: Said }[] = [];

  get language(): string {
    return this.current.language;
  }

  get significantDigits(): number {
    return this.digits;
  }

  text(label: Label): string {
    return this.current.text(label);
  }

  number(value: number): string {
    return this.current.number(value);
  }

  /** Says `said` on an element that lives as long as the panel, now and after every change of words. */
  labelled<E extends Element>(element: E, said: Said): E {
    this.labelledElements.push({ element, said });
    this.say(element, said);
    return element;
  }

  use(words: Words, significantDigits: number): void {
    this.current = words;
    this.digits = significantDigits;
    // The page's language picks the fonts (Chinese glyphs for zh-cn) and what a screen reader speaks.
    document.documentElement.lang = words.language;
    for (const { element, said } of this.labelledElements) this.say(element, said);
  }

  private say(element: Element, said: Said): void {
    for (const [name, label] of Object.entries(said)) {
      if (name === 'text') element.textContent = this.text(label);
      else element.setAttribute(name, this.text(label));
    }
  }
}
