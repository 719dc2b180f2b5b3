import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_LOAD_OPTIONS } from '../../src/core/load/loadConfig';
import { Rng, RngStream } from '../../src/core/rng';
import { loadOffThread } from '../../src/host/loadOffThread';
import { watchHost } from './hostPauses';

const REPO = path.resolve(__dirname, '..', '..', '..');
const LOADER = path.join(REPO, 'dist', 'loaderWorker.js');

export interface CsvFigures {
  rows: number;
  columns: number;
  megabytes: number;
  /** The longest the host's event loop was held up while the loader worker read the file. */
  csvLoadMaxBlockMs: number;
  csvRowsPerSec: number;
}

/**
 * A config whose data is a CSV of `rows` × 10 values (9 features, 1 target), checked and read
 * as the extension does it (loadOffThread: a worker), while the host's pauses are watched.
 */
export async function benchCsv(rows: number): Promise<CsvFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'training-trace-csv-'));
  try {
    const columns = 10;
    const csv = path.join(dir, 'big.csv');
    writeCsv(csv, rows, columns);
    const config = path.join(dir, 'big.training.json');
    fs.writeFileSync(config, JSON.stringify({ data: { file: 'big.csv' }, model: { layers: [{ units: 4, activation: 'tanh' }, { units: 1 }] } }));
    const watch = watchHost();
    const started = performance.now();
    const result = await loadOffThread(LOADER, { file: config, options: { ...DEFAULT_LOAD_OPTIONS, maxBytes: 2 ** 31 } }).result;
    const seconds = (performance.now() - started) / 1000;
    const maxBlock = watch.stop().maxBlockMs;
    if (!result?.ok || result.data.count !== rows) throw new Error(`the CSV did not load: ${JSON.stringify(result && !result.ok ? result.problems[0] : result)}`);
    return { rows, columns, megabytes: Math.round(fs.statSync(csv).size / 2 ** 20), csvLoadMaxBlockMs: Math.round(maxBlock * 10) / 10, csvRowsPerSec: Math.round(rows / seconds) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function writeCsv(file: string, rows: number, columns: number): void {
  const rng = new Rng(3, RngStream.data);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, `${Array.from({ length: columns - 1 }, (_, i) => `x${i + 1}`).join(',')},y\n`);
  let chunk = '';
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) chunk += `${rng.uniform(-1, 1).toFixed(6)}${c === columns - 1 ? '\n' : ','}`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
}
