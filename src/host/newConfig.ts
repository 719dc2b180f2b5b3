import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { configText, csvHeader, newConfig, STARTING_POINTS, type StartingPoint } from '../core/load/newConfig';
import { label, type PlainMessageId } from '../core/words/label';
import type { Words } from '../core/words/words';
import { CONFIG_SUFFIX } from './controller';

/**
 * What `trainingTrace.newConfig` may be given instead of asking: scripts and the extension's
 * own tests pass it to skip the quick picks and dialogs. Without it the command asks for each.
 */
export interface NewConfigArgs {
  start: StartingPoint;
  /** Where to write the config; `.training.json` is added when the name lacks it. */
  file: string;
  /** For `csv`: the CSV file, and the column to predict (default: its last column). */
  csv?: string;
  target?: string;
}

function isNewConfigArgs(value: unknown): value is NewConfigArgs {
  const args = value as Partial<NewConfigArgs> | undefined;
  return typeof args?.file === 'string' && STARTING_POINTS.includes(args.start as StartingPoint);
}

const CHOICES: Record<StartingPoint, { label: PlainMessageId; detail: PlainMessageId; name: string }> = {
  learner: { label: 'newConfig.learner.label', detail: 'newConfig.learner.detail', name: 'learner' },
  sgd: { label: 'newConfig.sgd.label', detail: 'newConfig.sgd.detail', name: 'sgd' },
  fullBatch: { label: 'newConfig.fullBatch.label', detail: 'newConfig.fullBatch.detail', name: 'full-batch' },
  csv: { label: 'newConfig.csv.label', detail: 'newConfig.csv.detail', name: 'my-data' },
};

/** Only the start of a CSV is read for its header. */
const HEADER_BYTES = 64 * 1024;

/**
 * Training Trace: New Training Config. Asks for a starting point (and, for a CSV, the file and
 * the column to predict) and where to save, writes a config that runs, explained in its
 * `description` keys, and opens it. Resolves with the file written, or undefined when cancelled.
 * `request` is NewConfigArgs (nothing is asked), or the folder the Explorer's menu was opened
 * on (saved there by default), or nothing.
 */
export async function newTrainingConfig(words: Words, request?: unknown): Promise<vscode.Uri | undefined> {
  const say = (id: PlainMessageId) => words.text(label(id));
  const args = isNewConfigArgs(request) ? request : undefined;
  const start = args?.start ?? (await pickStart(words));
  if (!start) return undefined;
  let csv: { file: string; target: string; features: number } | undefined;
  let folder = request instanceof vscode.Uri ? request.fsPath : (vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir());
  if (start === 'csv') {
    const csvFile = args?.csv ?? (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: say('newConfig.csv.open'), filters: { [say('newConfig.csv.filter')]: ['csv'] } }))?.[0]?.fsPath;
    if (!csvFile) return undefined;
    const columns = readHeader(csvFile, words);
    if (!columns) return undefined;
    const target = args?.target ?? (await vscode.window.showQuickPick(columns, { title: say('newConfig.pick.title'), placeHolder: say('newConfig.csv.target') }));
    if (!target) return undefined;
    folder = path.dirname(csvFile);
    csv = { file: csvFile, target, features: columns.length - 1 };
  }
  const chosen = args?.file ?? (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(freeName(folder, csv ? path.basename(csv.file, path.extname(csv.file)) : CHOICES[start].name)), saveLabel: say('newConfig.save'), filters: { [say('newConfig.save.filter')]: ['json'] } }))?.fsPath;
  if (!chosen) return undefined;
  const file = withConfigSuffix(chosen);
  // The data path is written relative to the config, with "/" on every system, as the loader reads it.
  const relative = csv && path.relative(path.dirname(file), csv.file).split(path.sep).join('/');
  fs.writeFileSync(file, configText(newConfig(start, words, csv && relative ? { ...csv, file: relative } : undefined)));
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

async function pickStart(words: Words): Promise<StartingPoint | undefined> {
  const items = STARTING_POINTS.map((start) => ({ start, label: words.text(label(CHOICES[start].label)), detail: words.text(label(CHOICES[start].detail)) }));
  const pick = await vscode.window.showQuickPick(items, { title: words.text(label('newConfig.pick.title')), placeHolder: words.text(label('newConfig.pick.placeholder')) });
  return pick?.start;
}

/** The CSV's column names, or undefined (after saying why) when it cannot serve: unreadable, or fewer than two columns. */
function readHeader(file: string, words: Words): string[] | undefined {
  let start: string;
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const descriptor = fs.openSync(file, 'r');
    try {
      start = buffer.subarray(0, fs.readSync(descriptor, buffer, 0, HEADER_BYTES, 0)).toString('utf8');
    } finally {
      fs.closeSync(descriptor);
    }
  } catch (error) {
    void vscode.window.showErrorMessage(words.text(label('newConfig.csv.unreadable', { file: path.basename(file), why: error instanceof Error ? error.message : String(error) })));
    return undefined;
  }
  const columns = csvHeader(start);
  if (columns.length >= 2) return columns;
  void vscode.window.showErrorMessage(words.text(label('newConfig.csv.tooNarrow', { file: path.basename(file) })));
  return undefined;
}

/** `name.training.json` in `folder`, or `name-2.training.json`, … when it is taken. */
function freeName(folder: string, name: string): string {
  for (let n = 1; ; n++) {
    const candidate = path.join(folder, `${name}${n === 1 ? '' : `-${n}`}${CONFIG_SUFFIX}`);
    if (!fs.existsSync(candidate)) return candidate;
  }
}

/** "sgd" and "sgd.json" become "sgd.training.json": only such files are configs. */
function withConfigSuffix(file: string): string {
  if (file.endsWith(CONFIG_SUFFIX)) return file;
  return `${file.endsWith('.json') ? file.slice(0, -'.json'.length) : file}${CONFIG_SUFFIX}`;
}
