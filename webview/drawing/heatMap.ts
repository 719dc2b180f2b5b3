import { h } from '../dom';
import { strength, type Palette } from './colours';

/** A matrix to draw: its size, its values and what to say about each cell. */
export interface Grid {
  rows: number;
  columns: number;
  value(row: number, column: number): number;
  /** The cell in words, with its exact value: shown on hover and read on focus. */
  describe(row: number, column: number): string;
}

const MAX_CELL = 14;
const MIN_CELL = 2;
/** Cells at least this large carry a minus mark when negative, so the sign is not colour alone. */
const MARKED_CELL = 5;

/**
 * A matrix as a grid of coloured cells on a canvas (thousands of cells draw in a few
 * milliseconds): strength of colour for size, the theme's blue or red for the sign, and a minus
 * mark in negative cells. Hovering a cell, or moving to it with the arrow keys, shows its exact
 * value below the grid.
 */
export function heatMap(grid: Grid, max: number, colours: Palette, width: number, name: string): HTMLElement {
  const cell = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(width / Math.max(1, grid.columns))));
  const canvas = h('canvas', { className: 'heat-map', attrs: { tabindex: '0', role: 'img', 'aria-label': name, 'data-rows': String(grid.rows), 'data-columns': String(grid.columns) } });
  const readout = h('div', { className: 'readout', attrs: { 'aria-live': 'polite' } });
  const ratio = window.devicePixelRatio || 1;
  canvas.width = grid.columns * cell * ratio;
  canvas.height = grid.rows * cell * ratio;
  canvas.style.width = `${grid.columns * cell}px`;
  canvas.style.height = `${grid.rows * cell}px`;
  const context = canvas.getContext('2d')!;
  context.scale(ratio, ratio);
  let cursor: { row: number; column: number } | undefined;

  const paint = () => {
    context.fillStyle = colours.background;
    context.fillRect(0, 0, grid.columns * cell, grid.rows * cell);
    for (let r = 0; r < grid.rows; r++) {
      for (let c = 0; c < grid.columns; c++) {
        const v = grid.value(r, c);
        context.globalAlpha = 0.12 + 0.88 * strength(v, max);
        context.fillStyle = v < 0 ? colours.negative : colours.positive;
        context.fillRect(c * cell, r * cell, cell - (cell > 3 ? 1 : 0), cell - (cell > 3 ? 1 : 0));
        if (v < 0 && cell >= MARKED_CELL) {
          context.globalAlpha = 1;
          context.fillStyle = colours.background;
          context.fillRect(c * cell + Math.floor(cell / 4), r * cell + Math.floor(cell / 2) - 1, Math.ceil(cell / 2) - 1, 1);
        }
      }
    }
    context.globalAlpha = 1;
    if (cursor) {
      context.strokeStyle = colours.focus;
      context.lineWidth = 2;
      context.strokeRect(cursor.column * cell + 1, cursor.row * cell + 1, cell - 2, cell - 2);
    }
  };
  const point = (row: number, column: number) => {
    const next = { row: Math.max(0, Math.min(grid.rows - 1, row)), column: Math.max(0, Math.min(grid.columns - 1, column)) };
    // A pointer moving within one cell changes nothing: the whole grid is painted again only when the cursor moves to another.
    if (cursor && cursor.row === next.row && cursor.column === next.column) return;
    cursor = next;
    readout.textContent = grid.describe(cursor.row, cursor.column);
    paint();
  };
  canvas.addEventListener('mousemove', (event) => {
    const box = canvas.getBoundingClientRect();
    point(Math.floor((event.clientY - box.top) / cell), Math.floor((event.clientX - box.left) / cell));
  });
  canvas.addEventListener('keydown', (event) => {
    const at = cursor ?? { row: 0, column: 0 };
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    event.stopPropagation();
    point(cursor ? at.row + move[0] : 0, cursor ? at.column + move[1] : 0);
  });
  canvas.addEventListener('focus', () => point(cursor?.row ?? 0, cursor?.column ?? 0));
  paint();
  return h('div', { className: 'heat' }, [canvas, readout]);
}
