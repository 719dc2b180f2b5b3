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
 */
export class HoverCard {
  readonly element = h('div', { className: 'hover-card', attrs: { role: 'tooltip' } });
  private showTimer = 0;
  private hideTimer = 0;
  private anchor: HTMLElement | undefined;
  private shownFor: HTMLElement | undefined;

  constructor() {
    this.element.hidden = true;
    // The numbers arrive after the card opens and make it larger: place it again when it grows.
    new ResizeObserver(() => {
      if (this.shownFor && !this.element.hidden) this.place(this.shownFor);
    }).observe(this.element);
    // So does a window that changes size (the editor beside it resized) while it is open.
    window.addEventListener('resize', () => {
      if (this.shownFor && !this.element.hidden) this.place(this.shownFor);
    });
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
      this.shownFor = anchor;
      this.place(anchor);
    }, this.element.hidden ? SHOW_DELAY_MS : 0);
  }

  hideSoon(): void {
    window.clearTimeout(this.showTimer);
    this.anchor = undefined;
    window.clearTimeout(this.hideTimer);
    this.hideTimer = window.setTimeout(() => {
      this.element.hidden = true;
      this.shownFor = undefined;
    }, HIDE_DELAY_MS);
  }

  /**
   * Below the row, or above it when there is more room there; never over the row itself. The
   * card is as tall as that room allows and scrolls inside itself beyond it.
   */
  private place(anchor: HTMLElement): void {
    // Measured at the origin at its natural height, where nothing squeezes it; then moved where it fits.
    this.element.style.left = '0px';
    this.element.style.top = '0px';
    this.element.style.maxHeight = '';
    const row = anchor.getBoundingClientRect();
    const card = this.element.getBoundingClientRect();
    const below = window.innerHeight - row.bottom - 2 * GAP;
    const above = row.top - 2 * GAP;
    const downwards = card.height <= below || below >= above;
    const room = Math.max(MIN_ROOM, downwards ? below : above);
    const height = Math.min(card.height, room);
    const top = downwards ? row.bottom + GAP : row.top - GAP - height;
    const labelLeft = (anchor.querySelector('.label') as HTMLElement | null)?.getBoundingClientRect().left ?? row.left;
    const left = Math.max(GAP, Math.min(labelLeft, window.innerWidth - card.width - GAP));
    this.element.style.maxHeight = `${room}px`;
    this.element.style.top = `${Math.max(GAP, top)}px`;
    this.element.style.left = `${left}px`;
  }
}
