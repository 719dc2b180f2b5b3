/**
 * The one colour scale of every drawing (network, heat maps, plots): a value's sign by the
 * theme's blue (positive) or red (negative), its size by thickness or strength. Colour is never
 * the only sign: negative edges are dashed and negative heat-map cells carry a minus mark.
 * Colours come from the theme (CSS variables in panel.css), resolved for canvas drawing.
 */
export interface Palette {
  positive: string;
  negative: string;
  background: string;
  foreground: string;
  /** Lines and labels that must not compete with the data: axes, grid. */
  muted: string;
  focus: string;
}

const VARIABLES: Record<keyof Palette, string> = {
  positive: '--tt-positive',
  negative: '--tt-negative',
  background: '--vscode-editor-background',
  foreground: '--vscode-foreground',
  muted: '--vscode-descriptionForeground',
  focus: '--vscode-focusBorder',
};

/** The theme's colours now, as canvas takes them: each variable resolved by the browser itself. */
export function palette(within: HTMLElement = document.body): Palette {
  const probe = document.createElement('span');
  within.append(probe);
  const resolved = {} as Palette;
  for (const [key, variable] of Object.entries(VARIABLES) as [keyof Palette, string][]) {
    probe.style.color = `var(${variable})`;
    resolved[key] = getComputedStyle(probe).color;
  }
  probe.remove();
  return resolved;
}

/** The largest magnitude among the values (at least a tiny positive number, so scales never divide by 0). */
export function largest(values: Iterable<number>): number {
  let max = 0;
  for (const v of values) if (Math.abs(v) > max) max = Math.abs(v);
  return max || Number.MIN_VALUE;
}

/** 0 to 1: how large a value is on a scale that ends at `max`. */
export function strength(value: number, max: number): number {
  return Math.min(1, Math.abs(value) / max);
}
