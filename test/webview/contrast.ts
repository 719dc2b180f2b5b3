/**
 * The contrast ratio (WCAG 2.1, 1.4.3) of the first element each selector finds: its computed
 * text colour against the background drawn behind it (ancestors' backgrounds composited).
 * Runs in the page.
 */
export function contrastOfText(selectors: string[]): { selector: string; ratio: number; colour: string; background: string }[] {
  const parse = (css: string): number[] => {
    const m = /rgba?\(([^)]+)\)/.exec(css);
    if (!m) throw new Error(`unexpected colour ${css}`);
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  };
  const over = (top: number[], bottom: number[]) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const luminance = (c: number[]) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const backgroundOf = (element: Element): number[] => {
    const layers: number[][] = [];
    for (let e: Element | null = element; e; e = e.parentElement) {
      const colour = parse(getComputedStyle(e).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] === 1) break;
    }
    return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  return selectors.flatMap((selector) => {
    const element = document.querySelector(selector);
    if (!element) return [];
    const background = backgroundOf(element);
    // SVG text is painted with its fill, HTML text with its colour.
    const style = getComputedStyle(element);
    const colour = over(parse(element instanceof SVGElement ? style.fill : style.color), background);
    const [light, dark] = [luminance(colour), luminance(background)].sort((x, y) => y - x);
    return [{ selector, ratio: Math.round(((light + 0.05) / (dark + 0.05)) * 100) / 100, colour: String(colour), background: String(background) }];
  });
}
