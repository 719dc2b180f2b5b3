import { CORRECTION_IDS, isCorrectionId } from '../core/outline/corrections';
import type { NodeDetail } from '../core/run/detail';
import type { PackedSummary } from '../core/run/packedSummary';
import { LOOP_KEYS, type RunStatus } from '../core/run/summary';
import type { SummaryDelta } from '../core/run/summaryDelta';
import type { Problem } from '../core/validation/problems';
import type { Label } from '../core/words/label';
import type { Bundle } from '../core/words/words';

/**
 * The one protocol between the extension host and the panel's webview. Both sides check every
 * message they receive with the guards below before using it.
 *
 * Order: the webview posts `ready`; the host answers with a `snapshot` of the run so far, then
 * streams `delta`s (coalesced, at most ~30 a second). A hidden panel's webview is discarded,
 * so when it shows again it posts `ready` again and gets a fresh snapshot.
 */

/** The file a run came from: the config it trains, or the trace it was read from. */
export interface RunInfo {
  kind: 'config' | 'trace';
  /** Absolute path of the `*.training.json` or `*.trace.jsonl` file. */
  file: string;
  /** Its name, for display. */
  name: string;
}

/**
 * What the panel shows, as it says when asked (`describe`): the extension's API hands it to
 * whoever asks, the extension's own tests among them.
 */
export interface PanelReport {
  file: string | undefined;
  status: RunStatus | 'empty' | 'problems' | 'notRun';
  /** Rows in the tree now visible (expanded), and nodes of each kind in the whole tree. */
  rows: number;
  nodes: { epoch: number; batch: number; point: number; update: number };
  /** Correction ids shown anywhere in the tree, and confirmation ids. */
  corrections: string[];
  confirmations: string[];
  /** The selected node's id, if any. */
  selected?: string;
  /** The significant digits its numbers show. */
  significantDigits: number;
  /** The comparison the panel shows, if any: each run as named in its table, its batch size and updates per epoch. */
  comparison?: { status: 'running' | 'done' | 'failed'; runs: { name: string; batchSize: number; updatesPerEpoch: number }[] };
}

/** The most significant digits a double has to show. */
export const MAX_SIGNIFICANT_DIGITS = 17;

export type HostToWebview =
  /** Everything the panel shows, from scratch: the run (if any) and its summary so far, packed. */
  | { type: 'snapshot'; run: RunInfo | undefined; summary: PackedSummary | undefined; error?: Label }
  /** What the summary gained since the last snapshot or delta. */
  | { type: 'delta'; delta: SummaryDelta; error?: Label }
  /** The config could not be run: its problems, located. */
  | { type: 'problems'; run: RunInfo; problems: Problem[] }
  /** The config was not run (again) after a window reload, and why: the panel offers Run. */
  | { type: 'notRun'; run: RunInfo; reason: Label }
  /** The answer to `requestDetail`; `detail` is absent when the node has no numbers of its own. */
  | { type: 'detail'; requestId: number; nodeId: string; detail?: WireDetail; error?: Label }
  /** Say what you show now: answered by `described`. */
  | { type: 'describe'; requestId: number }
  /** A comparison of runs: under way (no `comparison` yet), done, or failed with `error`. */
  | { type: 'comparison'; comparison?: Comparison; error?: Label }
  /**
   * How to say things: the display language's bundle (empty in English) and the significant
   * digits numbers show. Sent before the first snapshot, and again when a setting changes.
   */
  | { type: 'words'; language: string; bundle: Bundle; significantDigits: number }
  /** Select this node, opening its parents, and scroll it into view: its data row was picked in an editor. */
  | { type: 'select'; nodeId: string }
  /** Say which rows of the tree are shown (expanded, filtered): answered by `sharedView`, for an export. */
  | { type: 'shareView'; requestId: number };

export type WebviewToHost =
  /** The webview's script is listening: send a snapshot. */
  | { type: 'ready' }
  /** The full numbers of a node; `hover`: for a hover card, which a newer hover's request may cancel. */
  | { type: 'requestDetail'; requestId: number; nodeId: string; hover?: boolean }
  /** Copy a node's numbers to the clipboard at full precision. */
  | { type: 'copyDetail'; nodeId: string }
  /** Toolbar: run the config again, or stop the run. */
  | { type: 'run' }
  | { type: 'stop' }
  /** Open the config file beside the panel. */
  | { type: 'openConfig' }
  /** The answer to `describe`. */
  | { type: 'described'; requestId: number; report: PanelReport }
  /** Run the shown config with batch size 1, as configured and the whole data set, side by side. */
  | { type: 'compare' }
  /** Show, beside the panel, where this node comes from: a data point's row, a batch's `batchSize`, … */
  | { type: 'reveal'; nodeId: string }
  /** The learner hovered a backward step (said once per panel): a step of the walkthrough is done. */
  | { type: 'hoveredBackward' }
  /** Toolbar: save the run as a trace file, or export what is shown as an HTML page. */
  | { type: 'saveTrace' }
  | { type: 'exportHtml' }
  /** The answer to `shareView`: the ids of the rows shown, in order (at most MAX_SHARED_ROWS), and how many more there are. */
  | { type: 'sharedView'; requestId: number; ids: string[]; more: number };

/** Rows of the tree an export takes at most: a page for a person to read, not the whole of a long run. */
export const MAX_SHARED_ROWS = 5_000;

/**
 * A node's detail as sent to the panel. Large layers are cut to their first rows and columns
 * (the card shows a corner of the matrix); `copyDetail` always copies every number.
 */
export type WireDetail = NodeDetail & { truncated?: boolean };

/** One run of a comparison, as the panel draws it. */
export interface ComparedRun {
  name: Label;
  summary: PackedSummary;
  /** All parameters after each epoch (each layer's weights row by row, then its biases), at most the first 512. */
  weightsAfterEpoch: number[][];
}

/** Runs side by side: the same config with other batch sizes, or other configs. */
export interface Comparison {
  title: Label;
  runs: ComparedRun[];
  /** The networks have more parameters than `weightsAfterEpoch` holds. */
  parametersCut: boolean;
}

export function assertNever(value: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(value)}`);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
/** Node ids are short ("e2/b3/d17/forward"): anything longer is not one. */
const MAX_ID_LENGTH = 200;
const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length < MAX_ID_LENGTH;
/** Request ids count up from 1; beyond 2^31 something is wrong. */
const isRequestId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) < 2 ** 31;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isLabel = (value: unknown): value is Label => isObject(value) && typeof value.id === 'string';
/** The message has no keys but these (and `type`): an oversized extra field is refused, not carried along. */
const onlyKeys = (message: Record<string, unknown>, keys: readonly string[]) => Object.keys(message).every((key) => key === 'type' || keys.includes(key));

/** Checks a message from the webview: its type, the type and range of every field the host reads, and that it has no others. */
export function isWebviewToHost(message: unknown): message is WebviewToHost {
  if (!isObject(message) || Array.isArray(message)) return false;
  switch (message.type) {
    case 'ready':
    case 'run':
    case 'stop':
    case 'openConfig':
    case 'saveTrace':
    case 'exportHtml':
    case 'compare':
    case 'hoveredBackward':
      return onlyKeys(message, []);
    case 'reveal':
      return onlyKeys(message, ['nodeId']) && isId(message.nodeId);
    case 'requestDetail':
      return onlyKeys(message, ['requestId', 'nodeId', 'hover']) && isRequestId(message.requestId) && isId(message.nodeId) && (message.hover === undefined || typeof message.hover === 'boolean');
    case 'copyDetail':
      return onlyKeys(message, ['nodeId']) && isId(message.nodeId);
    case 'described':
      return onlyKeys(message, ['requestId', 'report']) && isRequestId(message.requestId) && isPanelReport(message.report);
    case 'sharedView':
      return onlyKeys(message, ['requestId', 'more', 'ids']) && isRequestId(message.requestId) && isCount(message.more) && Array.isArray(message.ids) && message.ids.length <= MAX_SHARED_ROWS && message.ids.every(isId);
    default:
      return false;
  }
}

/** Checks a message from the host before the webview uses it. */
export function isHostToWebview(message: unknown): message is HostToWebview {
  if (!isObject(message)) return false;
  const error = message.error === undefined || isLabel(message.error);
  switch (message.type) {
    case 'snapshot':
      return error && (message.summary === undefined || isPackedSummary(message.summary)) && (message.run === undefined || isObject(message.run));
    case 'delta':
      return error && isObject(message.delta) && Array.isArray(message.delta.epochs) && message.delta.epochs.every(isEpochDelta);
    case 'problems':
      return isObject(message.run) && Array.isArray(message.problems) && message.problems.every((p) => isObject(p) && isLabel(p.message) && isLabel(p.path));
    case 'notRun':
      return isObject(message.run) && isLabel(message.reason);
    case 'detail':
      return error && isCount(message.requestId) && isId(message.nodeId) && (message.detail === undefined || isObject(message.detail));
    case 'describe':
    case 'shareView':
      return isCount(message.requestId);
    case 'comparison':
      return error && (message.comparison === undefined || isComparison(message.comparison));
    case 'words':
      return typeof message.language === 'string' && isBundle(message.bundle) && isDigits(message.significantDigits);
    case 'select':
      return isId(message.nodeId);
    default:
      return false;
  }
}

function isComparison(value: unknown): value is Comparison {
  return (
    isObject(value) &&
    isLabel(value.title) &&
    typeof value.parametersCut === 'boolean' &&
    Array.isArray(value.runs) &&
    value.runs.every((run) => isObject(run) && isLabel(run.name) && isPackedSummary(run.summary) && Array.isArray(run.weightsAfterEpoch) && run.weightsAfterEpoch.every((w) => Array.isArray(w) && w.every((v) => typeof v === 'number')))
  );
}
const isDigits = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_SIGNIFICANT_DIGITS;
const isBundle = (value: unknown): value is Bundle => isObject(value) && Object.values(value).every((text) => typeof text === 'string');

/** A report goes to other extensions through the API: every field is checked. */
function isPanelReport(value: unknown): value is PanelReport {
  if (!isObject(value) || !isObject(value.nodes)) return false;
  const { file, status, rows, nodes, corrections, confirmations, selected, significantDigits } = value;
  const ids = (list: unknown) => Array.isArray(list) && list.length <= CORRECTION_IDS.length && list.every(isCorrectionId);
  return (
    onlyKeys(value, ['file', 'status', 'rows', 'nodes', 'corrections', 'confirmations', 'selected', 'significantDigits', 'comparison']) &&
    (file === undefined || (typeof file === 'string' && file.length < 4096)) &&
    ['running', 'done', 'diverged', 'stopped', 'empty', 'problems', 'notRun'].includes(status as string) &&
    isCount(rows) &&
    ['epoch', 'batch', 'point', 'update'].every((kind) => isCount((nodes as Record<string, unknown>)[kind])) &&
    ids(corrections) &&
    ids(confirmations) &&
    (selected === undefined || isId(selected)) &&
    isDigits(significantDigits) &&
    (value.comparison === undefined || isComparisonReport(value.comparison))
  );
}

function isComparisonReport(value: unknown): boolean {
  return (
    isObject(value) &&
    ['running', 'done', 'failed'].includes(value.status as string) &&
    Array.isArray(value.runs) &&
    value.runs.every((run) => isObject(run) && typeof run.name === 'string' && isCount(run.batchSize) && isCount(run.updatesPerEpoch))
  );
}

/** Typed arrays arrive as typed arrays (VS Code transfers them since engines 1.57). */
function isPackedSummary(value: unknown): value is PackedSummary {
  return (
    isObject(value) &&
    isObject(value.shape) &&
    isCount(value.epochs) &&
    typeof value.status === 'string' &&
    value.orders instanceof Int32Array &&
    value.pointLoss instanceof Float64Array &&
    value.pointGradientNorm instanceof Float64Array &&
    value.batchGradientNorm instanceof Float64Array &&
    value.pointsDone instanceof Int32Array &&
    value.batchesDone instanceof Int32Array &&
    value.losses instanceof Float64Array &&
    (value.loop === undefined || isBatchLoop(value.loop))
  );
}

function isBatchLoop(value: unknown): boolean {
  return isObject(value) && LOOP_KEYS.every((key) => value[key] instanceof Int32Array);
}

function isEpochDelta(value: unknown): boolean {
  return (
    isObject(value) &&
    isCount(value.epoch) &&
    isCount(value.pointFrom) &&
    isCount(value.batchFrom) &&
    (value.order === undefined || value.order instanceof Int32Array) &&
    value.pointLoss instanceof Float64Array &&
    value.pointGradientNorm instanceof Float64Array &&
    value.batchGradientNorm instanceof Float64Array &&
    (value.loop === undefined || isBatchLoop(value.loop))
  );
}
