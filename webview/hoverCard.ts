import { h } from './dom';

const SHOW_DELAY_MS = 250;
const HIDE_DELAY_MS = 200;
/** Pixels between the card and the row, and the window's edge. */
const GAP = 4;
/** A card never shrinks below this, even for a row at the window's very edge. */
const MIN_ROOM = 120;

/**
 * The card that follows the pointer over the tree: shown after a short rest on a row, kept
 * open while the pointer moves into it (so its numbers can be read and copied), placed below
 * the row or above it, never over it.
 *
 * Where it goes is decided in a frame callback, when what the card shows has been laid out:
 * its numbers arrive after it opens (from the host, or from the cache a moment later), and a
 * ResizeObserver only reports a size that differs from the one it saw at the last frame, so a
 * card placed as it opened, with its numbers still pending, could keep that placement. The card
 * is pinned by its edge nearest the row (its top below the row, its bottom above it), so a card
 * that grows grows away from its row.
 */
export class HoverCard {
  readonly element = h('div', { className: 'hover-card', attrs: { role: 'tooltip' } });
  private showTimer = 0;
  private hideTimer = 0;
  private placeFrame = 0;
  private anchor: HTMLElement | undefined;
  private shown: { anchor: HTMLElement; id: string | undefined } | undefined;
  private readonly resized = new ResizeObserver(() => this.placeSoon());

  constructor() {
    this.element.hidden = true;
    // The card grows when its numbers arrive; the tree changes size when a pane beside it does.
    this.resized.observe(this.element);
    // So does a window that changes size (the editor beside it resized) while it is open.
    window.addEventListener('resize', () => this.placeSoon());
    this.element.addEventListener('mouseenter', () => window.clearTimeout(this.hideTimer));
    this.element.addEventListener('mouseleave', () => this.hideSoon());
  }

  /** Shows content for a row after the pointer rests on it; `content` is built only then. */
  showFor(anchor: HTMLElement, content: () => HTMLElement): void {
    window.clearTimeout(this.hideTimer);
    window.clearTimeout(this.showTimer);
    this.anchor = anchor;
    this.showTimer = window.setTimeout(() => {
      if (this.anchor !== anchor) return;
      this.element.replaceChildren(content());
      this.element.hidden = false;
      if (this.shown?.anchor.parentElement !== anchor.parentElement) {
        if (this.shown?.anchor.parentElement) this.resized.unobserve(this.shown.anchor.parentElement);
        if (anchor.parentElement) this.resized.observe(anchor.parentElement);
      }
      this.shown = { anchor, id: anchor.dataset.id };
      // Which row the card is for, as the pointer may since have moved on (or the row from under it).
      this.element.dataset.for = anchor.dataset.id ?? '';
      this.placeSoon();
    }, this.element.hidden ? SHOW_DELAY_MS : 0);
  }

  hideSoon(): void {
    window.clearTimeout(this.showTimer);
    this.anchor = undefined;
    window.clearTimeout(this.hideTimer);
    this.hideTimer = window.setTimeout(() => this.hideNow(), HIDE_DELAY_MS);
  }

  /** Places the card again in the next frame (rows may have moved): nothing when it is hidden. */
  placeSoon(): void {
    if (this.placeFrame || !this.shown) return;
    this.placeFrame = requestAnimationFrame(() => {
      this.placeFrame = 0;
      this.place();
    });
  }

  private hideNow(): void {
    if (!this.shown) return;
    window.clearTimeout(this.showTimer);
    this.element.hidden = true;
    this.shown = undefined;
  }

  /**
   * Below the row, or above it when the card does not fit below and there is more room above;
   * never over the row itself. The card is as tall as that room allows and scrolls inside
   * itself beyond it.
   */
  private place(): void {
    const shown = this.shown;
    if (!shown) return;
    const { anchor } = shown;
    // The tree gave the row's element to another row, or put it away: this card is no longer its.
    if (!anchor.isConnected || anchor.hidden || anchor.dataset.id !== shown.id) {
      this.hideNow();
      return;
    }
    const style = this.element.style;
    // Measured at the origin at its natural height, where nothing squeezes it; then moved where it fits.
    Object.assign(style, { left: '0px', top: '0px', bottom: '', maxHeight: '' });
    const row = anchor.getBoundingClientRect();
    const card = this.element.getBoundingClientRect();
    const below = window.innerHeight - row.bottom - 2 * GAP;
    const above = row.top - 2 * GAP;
    const downwards = card.height <= below || below >= above;
    const labelLeft = (anchor.querySelector('.label') as HTMLElement | null)?.getBoundingClientRect().left ?? row.left;
    Object.assign(style, {
      left: `${Math.max(GAP, Math.min(labelLeft, window.innerWidth - card.width - GAP))}px`,
      top: downwards ? `${row.bottom + GAP}px` : '',
      bottom: downwards ? '' : `${window.innerHeight - row.top + GAP}px`,
      maxHeight: `${Math.max(MIN_ROOM, downwards ? below : above)}px`,
    });
  }
}
