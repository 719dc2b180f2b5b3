import type { TrainingConfig } from '../config/types';
import { rowPlaces, type RowLayout, type RowPlaces } from '../data/rowPlaces';
import { nodeId, type NodeKind, type NodeRef } from '../outline/tree';
import type { RunSummary } from '../run/summary';
import { batchOf } from '../train/schedule';
import { LocatedJson } from '../validation/locatedJson';
import type { Segment, SourcePlace } from '../validation/problems';

/** Where a loaded config's parts are written: its keys (in the config) and its data rows. */
export interface ConfigPlaces {
  config: LocatedJson;
  rows: RowPlaces;
}

/** What a node of the tree comes from, and where that is written. */
export type NodePlace =
  /** A data point: its row, in a CSV or JSON data file or in the config's inline `inputs`. */
  | { kind: 'row'; row: number; place: SourcePlace }
  /** A generated data point: written nowhere; `place` is the config's `data.generate`. */
  | { kind: 'generated'; row: number; place: SourcePlace }
  /**
   * A key of the config and the value in effect. When the key is not written its default
   * applies, and `place` is its nearest written parent.
   */
  | { kind: 'key'; key: Segment[]; value: unknown; written: boolean; place: SourcePlace };

/** Whether nodes of this kind come from one place in the files (see `placeOfNode`). */
export function placedKind(kind: NodeKind): boolean {
  return ['point', 'forward', 'backward', 'sum', 'batch', 'update', 'init'].includes(kind);
}

/**
 * Where in the files a node of the tree comes from: a data point (or one of its steps) is its
 * data row; a batch is `batchSize`; an update is `optimizer`; the initialisation is
 * `model.initialWeights` when the config gives them, else `model.init`. Other nodes (epochs,
 * orders, the run) have no one place.
 */
export function placeOfNode(summary: RunSummary, ref: NodeRef, config: TrainingConfig, places: ConfigPlaces): NodePlace | undefined {
  const key = (path: Segment[]): NodePlace => {
    const { written, ...place } = places.config.place(path);
    return { kind: 'key', key: path, value: valueAt(config, path), written, place };
  };
  switch (ref.kind) {
    case 'point':
    case 'forward':
    case 'backward':
    case 'sum': {
      const row = summary.epochs[ref.epoch - 1].order[ref.position];
      return { kind: places.rows.form === 'generated' ? 'generated' : 'row', row, place: places.rows.row(row) };
    }
    case 'batch':
      return key(['batchSize']);
    case 'update':
      return key(['optimizer']);
    case 'init':
      return key(config.model.initialWeights ? ['model', 'initialWeights'] : ['model', 'init']);
    default:
      return undefined;
  }
}

/** The node of data row `row` in epoch `epoch`, or why there is none: the run has not reached it, or the epoch drops it (`dropLast`). */
export function pointNodeOf(summary: RunSummary, row: number, epoch = 1): { nodeId: string } | { missing: 'notReached' | 'dropped' } {
  const record = summary.epochs[epoch - 1];
  const position = record ? record.order.indexOf(row) : -1;
  if (position >= summary.shape.schedule.pointsPerEpoch) return { missing: 'dropped' };
  if (!record || position < 0 || position >= record.pointsDone) return { missing: 'notReached' };
  return { nodeId: nodeId(summary, { kind: 'point', epoch, batch: batchOf(summary.shape.schedule, position), position }) };
}

function valueAt(config: TrainingConfig, path: readonly Segment[]): unknown {
  let value: unknown = config;
  for (const segment of path) value = (value as Record<string | number, unknown> | undefined)?.[segment];
  return value;
}

/**
 * The places of a loaded config, from its text and the layout of rows the loader returned (the
 * loader runs in a worker; places are built where they are asked for, on the first reveal). A
 * JSON data file's rows need that file parsed again: `readText` reads it. Undefined when the
 * texts no longer parse (they changed since the run loaded them).
 */
export function configPlaces(configFile: string, configText: string, rows: RowLayout, readText: (file: string) => string): ConfigPlaces | undefined {
  const config = LocatedJson.parse(configFile, configText);
  if (Array.isArray(config)) return undefined;
  const doc = rows.form === 'json' && rows.file !== configFile ? LocatedJson.parse(rows.file, readText(rows.file)) : config;
  if (Array.isArray(doc)) return undefined;
  return { config, rows: rowPlaces(rows, doc) };
}
