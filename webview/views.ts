import { label, type PlainMessageId } from '../src/core/words/label';
import type { PanelWords } from './panelWords';
import { h } from './dom';

export const VIEW_NAMES = ['network', 'plots', 'compare'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

const TITLES: Record<ViewName, PlainMessageId> = { network: 'view.network', plots: 'view.plots', compare: 'view.compare' };

/**
 * The pictures above the tree, one at a time behind ARIA tabs (arrow keys move between tabs, as
 * in VS Code's panel). Clicking the open tab folds the pictures away, to give the tree the room.
 */
export class Views {
  readonly element: HTMLElement;
  private readonly tabs = new Map<ViewName, HTMLElement>();
  private readonly bodies = new Map<ViewName, HTMLElement>();
  private current: ViewName = 'network';
  private folded = false;

  constructor(
    words: PanelWords,
    panels: Record<ViewName, HTMLElement>,
    private readonly shown: (name: ViewName) => void,
  ) {
    const list = words.labelled(h('div', { className: 'tabs', attrs: { role: 'tablist' } }), { 'aria-label': label('view.tabs') });
    for (const name of VIEW_NAMES) {
      const tab = words.labelled(h('button', { className: 'tab', attrs: { role: 'tab', id: `tt-tab-${name}`, 'aria-controls': `tt-view-${name}`, 'data-view': name } }), { text: label(TITLES[name]) });
      tab.addEventListener('click', () => (name === this.current && !this.folded ? this.fold() : this.show(name)));
      tab.addEventListener('keydown', (event) => this.onKey(event, name));
      list.append(tab);
      this.tabs.set(name, tab);
      const body = h('div', { className: 'view', attrs: { role: 'tabpanel', id: `tt-view-${name}`, 'aria-labelledby': `tt-tab-${name}` } }, [panels[name]]);
      this.bodies.set(name, body);
    }
    this.element = h('div', { className: 'views' }, [list, ...this.bodies.values()]);
    this.update();
  }

  get visible(): ViewName | undefined {
    return this.folded ? undefined : this.current;
  }

  show(name: ViewName): void {
    this.current = name;
    this.folded = false;
    this.update();
    this.shown(name);
  }

  private fold(): void {
    this.folded = true;
    this.update();
  }

  private update(): void {
    this.element.classList.toggle('folded', this.folded);
    for (const name of VIEW_NAMES) {
      const open = name === this.current && !this.folded;
      const tab = this.tabs.get(name)!;
      tab.setAttribute('aria-selected', String(name === this.current));
      tab.setAttribute('aria-expanded', String(open));
      tab.tabIndex = name === this.current ? 0 : -1;
      this.bodies.get(name)!.hidden = !open;
    }
  }

  private onKey(event: KeyboardEvent, name: ViewName): void {
    const at = VIEW_NAMES.indexOf(name);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: VIEW_NAMES.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = VIEW_NAMES[(to + VIEW_NAMES.length) % VIEW_NAMES.length];
    this.show(next);
    this.tabs.get(next)!.focus();
  }
}
