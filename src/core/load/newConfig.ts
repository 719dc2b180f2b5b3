import { CsvReader } from '../data/csv';
import { counted, label, type Label } from '../words/label';
import type { Words } from '../words/words';

/** The set-ups a new config can start from. */
export const STARTING_POINTS = ['learner', 'sgd', 'fullBatch', 'csv'] as const;
export type StartingPoint = (typeof STARTING_POINTS)[number];

/** The learner's own CSV: its path relative to the new config, the column to predict, and how many columns are features. */
export interface CsvStart {
  file: string;
  target: string;
  features: number;
}

/** The question's data: 20 generated points of 8 features. */
const GENERATED = { generate: 'linear', count: 20, features: 8, noise: 0.05 } as const;

/**
 * A new config, ready to run, whose `description` keys say what it is and what to try (JSON
 * has no comments; the trainer ignores `description` at every level). The texts come from the
 * catalogue, in the words' language.
 */
export function newConfig(start: StartingPoint, words: Words, csv?: CsvStart): Record<string, unknown> {
  const say = (l: Label) => words.text(l);
  const layers = [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'linear' }];
  const model = (inputs: number) => ({ description: say(label('newConfig.model', { inputs: counted(inputs, 'input') })), layers, init: 'xavier' });
  const optimizer = (learningRate: number) => ({ description: say(label('newConfig.optimizer', { rate: 0.01 })), type: 'sgd', learningRate });
  const generated = { description: say(label('newConfig.data.generated', { count: GENERATED.count, features: GENERATED.features })), ...GENERATED };
  switch (start) {
    case 'learner':
      return { description: say(label('newConfig.about.learner', { one: 1, all: GENERATED.count })), data: generated, model: model(GENERATED.features), loss: 'mse', reduction: 'mean', optimizer: optimizer(0.1), batchSize: 2, epochs: 3, shuffle: true, seed: 7 };
    case 'sgd':
      return { description: say(label('newConfig.about.sgd', { two: 2 })), data: generated, model: model(GENERATED.features), loss: 'mse', reduction: 'mean', optimizer: optimizer(0.05), batchSize: 1, epochs: 3, shuffle: false, seed: 7 };
    case 'fullBatch':
      return { description: say(label('newConfig.about.fullBatch', { count: GENERATED.count })), data: generated, model: model(GENERATED.features), loss: 'mse', reduction: 'mean', optimizer: optimizer(0.1), batchSize: GENERATED.count, epochs: 30, shuffle: true, seed: 7 };
    case 'csv': {
      if (!csv) throw new Error('a CSV starting point needs its file and target column');
      const data = { description: say(label('newConfig.data.csv', { file: csv.file, target: csv.target })), file: csv.file, targetColumns: [csv.target] };
      return { description: say(label('newConfig.about.csv', { file: csv.file, target: csv.target, batchSize: 4 })), data, model: model(csv.features), loss: 'mse', reduction: 'mean', optimizer: optimizer(0.05), batchSize: 4, epochs: 10, shuffle: true, seed: 0 };
    }
  }
}

/** The column names of a CSV's header row, from the start of the file (a complete first line is enough). */
export function csvHeader(start: string): string[] {
  const firstLines = start.slice(0, Math.max(start.lastIndexOf('\n'), 0)) || start;
  let header: string[] = [];
  const reader = new CsvReader((row) => {
    if (header.length === 0) header = row.cells;
  });
  reader.push(firstLines);
  reader.end();
  return header.map((cell) => cell.trim()).filter((name) => name !== '');
}

/** Widest line, in characters, that short arrays and objects are kept on. */
const LINE_WIDTH = 100;

/**
 * JSON as a person would write it: two-space indents, and arrays and objects that fit on a
 * line kept on one (`"layers": [{ "units": 4 }, …]`), like the bundled examples.
 */
export function configText(value: unknown): string {
  return `${block(value, '')}\n`;
}

function block(value: unknown, indent: string): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const oneLine = inline(value);
  if (indent !== '' && indent.length + oneLine.length <= LINE_WIDTH) return oneLine;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((item) => inner + block(item, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${block(item, inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

function inline(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  return `{ ${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${inline(item)}`).join(', ')} }`;
}
