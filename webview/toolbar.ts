import type { RunStatus } from '../src/core/outline/summary';
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
  status: RunStatus | 'empty' | 'problems';
  progress: string;
  corrections: number;
  onlyCorrections: boolean;
  showOutline: boolean;
}

/** The panel's controls, built from the toolkit's components (registered in toolkit.ts). */
export class Toolbar {
  readonly element: HTMLElement;
  private readonly runButton = custom('vscode-button', { text: 'Run', attrs: { appearance: 'primary', title: 'Run the config again' } });
  private readonly stopButton = custom('vscode-button', { text: 'Stop', attrs: { appearance: 'secondary', title: 'Stop the run' } });
  private readonly fileLink = h('a', { className: 'file', attrs: { href: '#', title: 'Open the config' } });
  private readonly progress = h('span', { className: 'progress', attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly ring = custom('vscode-progress-ring', { attrs: { 'aria-label': 'Training' } });
  private readonly badge = custom('vscode-badge');
  private readonly filter = custom('vscode-checkbox', { text: 'Only corrections' });
  private readonly outline = custom('vscode-checkbox', { text: 'Learner’s outline' });

  constructor(actions: ToolbarActions) {
    const expand = custom('vscode-button', { text: 'Expand all', attrs: { appearance: 'secondary' } });
    const collapse = custom('vscode-button', { text: 'Collapse all', attrs: { appearance: 'secondary' } });
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
    this.badge.title = 'Corrections to the learner’s outline in this run';
    this.element = h('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Training Trace' } }, [
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
    this.badge.textContent = `${state.corrections} correction${state.corrections === 1 ? '' : 's'}`;
    this.badge.hidden = state.status === 'empty' || state.status === 'problems';
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
