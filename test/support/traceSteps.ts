import type { TraceEvent } from '../../src/core/trace/events';

/**
 * The player's steps as the trace itself has them, an oracle for the player: each forward, each
 * backward followed by its "added to the sum", each update, in the order training did them, as
 * the tree's node ids.
 */
export function stepsOfTrace(events: TraceEvent[]): string[] {
  return events.flatMap((e) => {
    if (e.type === 'forward') return [`e${e.epoch}/b${e.batch}/d${e.index}/forward`];
    if (e.type === 'backward') return [`e${e.epoch}/b${e.batch}/d${e.index}/backward`, `e${e.epoch}/b${e.batch}/d${e.index}/sum`];
    if (e.type === 'update') return [`e${e.epoch}/b${e.batch}/update`];
    return [];
  });
}
