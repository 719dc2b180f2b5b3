import { isCorrectionId } from '../core/outline/corrections';
import type { NodeDetail } from '../core/run/detail';
import type { PackedSummary } from '../core/run/packedSummary';
import type { RunStatus } from '../core/run/summary';
import type { SummaryDelta } from '../core/run/summaryDelta';
import type { Problem } from '../core/validation/problems';
import type { Label } from '../core/words/label';

/**
 * The one protocol between the extension host and the panel's webview. Both sides check every
 * message they receive with the guards below before using it.
 *
 * Order: the webview posts `ready`; the host answers with a `snapshot` of the run so far, then
 * streams `delta`s (coalesced, at most ~30 a second). A hidden panel's webview is discarded,
 * so when it shows again it posts `ready` again and gets a fresh snapshot.
 */

/** The config a run came from. */
export interface RunInfo {
  /** Absolute path of the `*.training.json` file. */
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
}

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
  | { type: 'describe'; requestId: number };

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
  | { type: 'described'; requestId: number; report: PanelReport };

/**
 * A node's detail as sent to the panel. Large layers are cut to their first rows and columns
 * (the card shows a corner of the matrix); `copyDetail` always copies every number.
 */
export type WireDetail = NodeDetail & { truncated?: boolean };

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
      return onlyKeys(message, []);
    case 'requestDetail':
      return onlyKeys(message, ['requestId', 'nodeId', 'hover']) && isRequestId(message.requestId) && isId(message.nodeId) && (message.hover === undefined || typeof message.hover === 'boolean');
    case 'copyDetail':
      return onlyKeys(message, ['nodeId']) && isId(message.nodeId);
    case 'described':
      return onlyKeys(message, ['requestId', 'report']) && isRequestId(message.requestId) && isPanelReport(message.report);
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
      return isCount(message.requestId);
    default:
      return false;
  }
}

/** A report goes to other extensions through the API: every field is checked. */
function isPanelReport(value: unknown): value is PanelReport {
  if (!isObject(value) || !isObject(value.nodes)) return false;
  const { file, status, rows, nodes, corrections, confirmations } = value;
  const ids = (list: unknown) => Array.isArray(list) && list.length <= 8 && list.every(isCorrectionId);
  return (
    onlyKeys(value, ['file', 'status', 'rows', 'nodes', 'corrections', 'confirmations']) &&
    (file === undefined || (typeof file === 'string' && file.length < 4096)) &&
    ['running', 'done', 'diverged', 'stopped', 'empty', 'problems', 'notRun'].includes(status as string) &&
    isCount(rows) &&
    ['epoch', 'batch', 'point', 'update'].every((kind) => isCount((nodes as Record<string, unknown>)[kind])) &&
    ids(corrections) &&
    ids(confirmations)
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
    value.losses instanceof Float64Array
  );
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
    value.batchGradientNorm instanceof Float64Array
  );
}
