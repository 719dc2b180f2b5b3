import type { PanelReport } from '../src/shared/protocol';
import { counted, type PlainMessageId } from '../src/core/words/label';
import type { Words } from '../src/core/words/words';
import { custom, h } from './dom';

export interface ToolbarActions {
  run(): void;
  stop(): void;
  openConfig(): void;
  onlyCorrections(on: boolean): void;
  showOutline(on: boolean): void;
  expandAll(): void;
  collapseAll(): void;
}

export interface ToolbarState {
  file: string | undefined;
  status: PanelReport['status'];
  progress: string;
  corrections: number;
  onlyCorrections: boolean;
  showOutline: boolean;
}

/** The panel's controls, built from the toolkit's components (registered in toolkit.ts). */
export class Toolbar {
  readonly element: HTMLElement;
  private readonly runButton: HTMLElement;
  private readonly stopButton: HTMLElement;
  private readonly fileLink: HTMLElement;
  private readonly progress = h('span', { className: 'progress', attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly ring: HTMLElement;
  private readonly badge = custom('vscode-badge');
  private readonly filter: HTMLElement;
  private readonly outline: HTMLElement;

  constructor(
    actions: ToolbarActions,
    private readonly words: Words,
  ) {
    const say = (id: PlainMessageId) => words.text({ id });
    this.runButton = custom('vscode-button', { text: say('panel.run'), attrs: { appearance: 'primary', title: say('panel.run.title') } });
    this.stopButton = custom('vscode-button', { text: say('panel.stop'), attrs: { appearance: 'secondary', title: say('panel.stop.title') } });
    this.fileLink = h('a', { className: 'file', attrs: { href: '#', title: say('panel.openConfig') } });
    this.ring = custom('vscode-progress-ring', { attrs: { 'aria-label': say('panel.training') } });
    this.filter = custom('vscode-checkbox', { text: say('panel.onlyCorrections') });
    this.outline = custom('vscode-checkbox', { text: say('panel.learnerOutline') });
    const expand = custom('vscode-button', { text: say('panel.expandAll'), attrs: { appearance: 'secondary' } });
    const collapse = custom('vscode-button', { text: say('panel.collapseAll'), attrs: { appearance: 'secondary' } });
    this.runButton.addEventListener('click', () => actions.run());
    this.stopButton.addEventListener('click', () => actions.stop());
    this.fileLink.addEventListener('click', (event) => {
      event.preventDefault();
      actions.openConfig();
    });
    this.filter.addEventListener('change', () => actions.onlyCorrections(isChecked(this.filter)));
    this.outline.addEventListener('change', () => actions.showOutline(isChecked(this.outline)));
    expand.addEventListener('click', () => actions.expandAll());
    collapse.addEventListener('click', () => actions.collapseAll());
    this.badge.title = say('panel.badge.title');
    this.element = h('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': say('host.panelTitle') } }, [
      h('div', { className: 'group' }, [this.runButton, this.stopButton, this.fileLink, this.ring, this.progress]),
      h('div', { className: 'group' }, [this.badge, this.filter, this.outline, expand, collapse]),
    ]);
  }

  update(state: ToolbarState): void {
    const running = state.status === 'running';
    this.runButton.hidden = running || !state.file;
    this.stopButton.hidden = !running;
    this.ring.hidden = !running;
    this.fileLink.textContent = state.file ?? '';
    this.progress.textContent = state.progress;
    this.badge.textContent = this.words.text(counted(state.corrections, 'correction'));
    this.badge.hidden = state.status === 'empty' || state.status === 'problems' || state.status === 'notRun';
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
