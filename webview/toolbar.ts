import type { PanelReport } from '../src/shared/protocol';
import { counted, label, type PlainMessageId } from '../src/core/words/label';
import type { PanelWords } from './panelWords';
import { custom, h, svg } from './dom';

export interface ToolbarActions {
  run(): void;
  stop(): void;
  openConfig(): void;
  saveTrace(): void;
  exportHtml(): void;
  onlyCorrections(on: boolean): void;
  showOutline(on: boolean): void;
  expandAll(): void;
  collapseAll(): void;
}

export interface ToolbarState {
  file: string | undefined;
  /** False for a trace read from a file: it has no config to run. */
  canRun: boolean;
  status: PanelReport['status'];
  progress: string;
  corrections: number;
  onlyCorrections: boolean;
  showOutline: boolean;
}

/**
 * The panel's controls, built from the toolkit's components (registered in toolkit.ts), on one
 * line: the run, its file, its progress and its corrections, then the secondary actions. Where
 * the panel is narrow (beside an editor) the secondary actions fold behind a "More actions"
 * button, as in VS Code's own views; the stylesheet decides by the toolbar's width.
 */
export class Toolbar {
  readonly element: HTMLElement;
  private readonly more: HTMLElement;
  private readonly secondary: HTMLElement;
  private readonly runButton: HTMLElement;
  private readonly stopButton: HTMLElement;
  private readonly saveButton: HTMLElement;
  private readonly exportButton: HTMLElement;
  private readonly fileLink: HTMLElement;
  private readonly progress = h('span', { className: 'progress', attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly ring: HTMLElement;
  private readonly badge = custom('vscode-badge');
  private readonly filter: HTMLElement;
  private readonly outline: HTMLElement;

  constructor(
    actions: ToolbarActions,
    private readonly words: PanelWords,
  ) {
    const say = (id: PlainMessageId) => label(id);
    const button = (text: PlainMessageId, title: PlainMessageId | undefined, appearance: string) =>
      words.labelled(custom('vscode-button', { attrs: { appearance } }), title ? { text: say(text), title: say(title) } : { text: say(text) });
    this.runButton = button('panel.run', 'panel.run.title', 'primary');
    this.stopButton = button('panel.stop', 'panel.stop.title', 'secondary');
    this.saveButton = button('panel.saveTrace', 'panel.saveTrace.title', 'secondary');
    this.exportButton = button('panel.exportHtml', 'panel.exportHtml.title', 'secondary');
    this.fileLink = words.labelled(h('a', { className: 'file', attrs: { href: '#' } }), { title: say('panel.openConfig') });
    this.ring = words.labelled(custom('vscode-progress-ring'), { 'aria-label': say('panel.training') });
    this.filter = words.labelled(custom('vscode-checkbox'), { text: say('panel.onlyCorrections') });
    this.outline = words.labelled(custom('vscode-checkbox'), { text: say('panel.learnerOutline') });
    const expand = button('panel.expandAll', undefined, 'secondary');
    const collapse = button('panel.collapseAll', undefined, 'secondary');
    this.runButton.addEventListener('click', () => actions.run());
    this.stopButton.addEventListener('click', () => actions.stop());
    this.saveButton.addEventListener('click', () => actions.saveTrace());
    this.exportButton.addEventListener('click', () => actions.exportHtml());
    this.fileLink.addEventListener('click', (event) => {
      event.preventDefault();
      actions.openConfig();
    });
    this.filter.addEventListener('change', () => actions.onlyCorrections(isChecked(this.filter)));
    this.outline.addEventListener('change', () => actions.showOutline(isChecked(this.outline)));
    expand.addEventListener('click', () => actions.expandAll());
    collapse.addEventListener('click', () => actions.collapseAll());
    words.labelled(this.badge, { title: say('panel.badge.title') });
    this.more = words.labelled(custom('vscode-button', { attrs: { appearance: 'icon', class: 'more', 'aria-haspopup': 'true', 'aria-expanded': 'false' } }), { 'aria-label': say('panel.moreActions'), title: say('panel.moreActions') });
    this.more.append(ellipsisIcon());
    this.more.addEventListener('click', () => this.showMore(!this.element.classList.contains('more-open')));
    this.secondary = words.labelled(h('div', { className: 'group secondary', attrs: { role: 'group' } }, [this.filter, this.outline, expand, collapse, this.saveButton, this.exportButton]), { 'aria-label': say('panel.moreActions') });
    // Folded away again by Escape (the focus back on its button), a click elsewhere, or a button's action done.
    this.secondary.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || !this.element.classList.contains('more-open')) return;
      event.preventDefault();
      this.showMore(false);
      this.more.focus();
    });
    for (const button of [expand, collapse, this.saveButton, this.exportButton]) button.addEventListener('click', () => this.showMore(false));
    document.addEventListener('pointerdown', (event) => {
      if (!this.more.contains(event.target as Node) && !this.secondary.contains(event.target as Node)) this.showMore(false);
    });
    this.element = words.labelled(h('div', { className: 'toolbar', attrs: { role: 'toolbar' } }, [
      h('div', { className: 'group primary' }, [this.runButton, this.stopButton, this.fileLink, this.ring, this.progress, this.badge, this.more]),
      this.secondary,
    ]), { 'aria-label': say('host.panelTitle') });
  }

  private showMore(open: boolean): void {
    this.element.classList.toggle('more-open', open);
    this.more.setAttribute('aria-expanded', String(open));
    if (open) (this.secondary.firstElementChild as HTMLElement | null)?.focus();
  }

  update(state: ToolbarState): void {
    const running = state.status === 'running';
    this.runButton.hidden = running || !state.file || !state.canRun;
    this.stopButton.hidden = !running;
    this.ring.hidden = !running;
    this.fileLink.textContent = state.file ?? '';
    // Cut short first in a narrow panel: the whole text stays in the tooltip.
    this.progress.textContent = state.progress;
    this.progress.title = state.progress;
    this.badge.textContent = this.words.text(counted(state.corrections, 'correction'));
    this.badge.hidden = state.status === 'empty' || state.status === 'problems' || state.status === 'notRun';
    this.saveButton.hidden = this.exportButton.hidden = this.badge.hidden;
    setChecked(this.filter, state.onlyCorrections);
    setChecked(this.outline, state.showOutline);
  }
}

function isChecked(element: HTMLElement): boolean {
  return (element as HTMLElement & { checked: boolean }).checked;
}

function setChecked(element: HTMLElement, value: boolean): void {
  const box = element as HTMLElement & { checked: boolean };
  if (box.checked !== value) box.checked = value;
}

/** Three dots, drawn in the text's colour, as VS Code's "More actions" icon. */
function ellipsisIcon(): SVGSVGElement {
  const icon = svg('svg', { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': 'true', class: 'icon' });
  for (const x of [3, 8, 13]) icon.append(svg('circle', { cx: x, cy: 8, r: 1.4 }));
  return icon;
}
