import * as assert from 'node:assert/strict';
import { Rng, RngStream } from '../../src/core/rng';
import { columnExtremes } from '../../webview/plots/chart';

describe('the plots’ min/max per pixel column', () => {
  it('keeps each column’s smallest and largest value, skipping values that are not there (NaN)', () => {
    const rng = new Rng(3, RngStream.data);
    const count = 2000;
    const columns = 37;
    const x = Float64Array.from({ length: count }, (_, i) => i);
    const y = Float64Array.from({ length: count }, () => (rng.nextFloat() < 0.1 ? NaN : rng.uniform(-5, 5)));
    const column = (value: number) => Math.floor((value / count) * columns);
    const got = columnExtremes(x, y, count, column, columns);
    for (let c = 0; c < columns; c++) {
      const values = [...y].filter((v, i) => column(x[i]) === c && !Number.isNaN(v));
      assert.deepEqual([got[2 * c], got[2 * c + 1]], [Math.min(...values), Math.max(...values)], `column ${c}`);
    }
  });
});
