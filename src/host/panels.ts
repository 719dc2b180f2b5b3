import type { TrainingPanel } from './trainingPanel';

/**
 * Every open panel, a config's run or a trace's editor, and the one the learner dealt with
 * last (looked at, or gave a new run to show): what Save Trace and Export as HTML act on when
 * run from the Command Palette.
 */
export class Panels {
  private readonly open = new Set<TrainingPanel>();
  private last: TrainingPanel | undefined;

  add(panel: TrainingPanel): void {
    this.open.add(panel);
    this.last = panel;
    panel.onDidShow(() => (this.last = panel));
    panel.panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.last = panel;
    });
    panel.onDidDispose(() => {
      this.open.delete(panel);
      if (this.last === panel) this.last = undefined;
    });
  }

  /** The active panel, else the one dealt with last. */
  get current(): TrainingPanel | undefined {
    return [...this.open].find((p) => p.panel.active) ?? this.last;
  }

  /** A panel that shows this config or trace. */
  showing(file: string): TrainingPanel | undefined {
    return [...this.open].find((p) => p.run?.file === file);
  }
}
