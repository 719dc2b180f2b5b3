import type { Label } from '../src/core/words/label';
import { ENGLISH_WORDS, type Words } from '../src/core/words/words';

/**
 * The panel's words, which the host may change at any time (its language's bundle, the
 * significant digits numbers show): everything holding this object speaks the new words at
 * its next redraw. English with 4 digits until the host says otherwise.
 */
export class PanelWords implements Words {
  private current: Words = ENGLISH_WORDS;
  private digits = 4;

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

  use(words: Words, significantDigits: number): void {
    this.current = words;
    this.digits = significantDigits;
  }
}
