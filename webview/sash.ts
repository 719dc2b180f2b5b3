import { h } from './dom';

/** Pixels an arrow key moves a sash. */
const KEY_STEP = 16;
/** No part is made smaller than this, nor larger than this share of the panel's height. */
const MIN_PX = 60;
const MAX_SHARE = 0.7;

/**
 * A horizontal sash between two stacked parts of the panel, as between VS Code's views: dragged
 * with the pointer, or focused and moved with the arrow keys. It sets one CSS length, a custom
 * property on the panel's root, which the stylesheet gives to the part it sizes; until it is
 * moved, the stylesheet's own default holds.
 */
export class Sash {
  readonly element: HTMLElement;

  /**
   * `sized` is the part whose height the sash sets; `below` says whether that part is under
   * the sash (moving the sash down then makes it smaller).
   */
  constructor(
    private readonly root: HTMLElement,
    private readonly property: string,
    private readonly sized: () => HTMLElement,
    private readonly below: boolean,
  ) {
    this.element = h('div', { className: 'sash', attrs: { role: 'separator', 'aria-orientation': 'horizontal', tabindex: '0' } });
    this.element.addEventListener('pointerdown', (event) => this.drag(event));
    this.element.addEventListener('keydown', (event) => {
      const step = { ArrowUp: -KEY_STEP, ArrowDown: KEY_STEP }[event.key];
      if (!step) return;
      event.preventDefault();
      this.moveBy(this.height(), step);
    });
  }

  private height(): number {
    return this.sized().getBoundingClientRect().height;
  }

  /** The sash moved `by` pixels down from where the part was `from` pixels tall. */
  private moveBy(from: number, by: number): void {
    const height = Math.round(Math.max(MIN_PX, Math.min(window.innerHeight * MAX_SHARE, from + (this.below ? -by : by))));
    this.root.style.setProperty(this.property, `${height}px`);
    this.element.setAttribute('aria-valuenow', String(height));
  }

  private drag(start: PointerEvent): void {
    if (start.button !== 0) return;
    start.preventDefault();
    const from = this.height();
    this.element.setPointerCapture(start.pointerId);
    this.element.classList.add('dragging');
    const move = (event: PointerEvent) => this.moveBy(from, event.clientY - start.clientY);
    const end = () => {
      this.element.classList.remove('dragging');
      this.element.removeEventListener('pointermove', move);
      this.element.removeEventListener('pointerup', end);
      this.element.removeEventListener('pointercancel', end);
    };
    this.element.addEventListener('pointermove', move);
    this.element.addEventListener('pointerup', end);
    this.element.addEventListener('pointercancel', end);
  }
}
