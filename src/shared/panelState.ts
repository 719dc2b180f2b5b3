/**
 * What the panel remembers across a window reload (the webview's `setState`), and what the
 * extension reads back from it when VS Code restores the panel. Versioned: an old shape is
 * dropped, not misread.
 */
export interface PanelState {
  v: 1;
  /** The config shown, so a window reload can show it again. */
  file?: string;
  expansion: { allExpanded: boolean; ids: string[] };
  onlyCorrections: boolean;
  showOutline: boolean;
  selected?: string;
  scrollTop: number;
}

export const INITIAL_PANEL_STATE: PanelState = { v: 1, expansion: { allExpanded: false, ids: [] }, onlyCorrections: false, showOutline: false, scrollTop: 0 };

const MAX_IDS = 100_000;

/** Checks a state read back from the webview or from VS Code's storage, field by field. */
export function isPanelState(value: unknown): value is PanelState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  const expansion = state.expansion as Record<string, unknown> | undefined;
  const ids = expansion?.ids;
  return (
    state.v === 1 &&
    (state.file === undefined || typeof state.file === 'string') &&
    typeof expansion === 'object' &&
    expansion !== null &&
    typeof expansion.allExpanded === 'boolean' &&
    Array.isArray(ids) &&
    ids.length <= MAX_IDS &&
    ids.every((id) => typeof id === 'string') &&
    typeof state.onlyCorrections === 'boolean' &&
    typeof state.showOutline === 'boolean' &&
    (state.selected === undefined || typeof state.selected === 'string') &&
    typeof state.scrollTop === 'number' &&
    Number.isFinite(state.scrollTop)
  );
}
