import type { BatchSchedule } from '../train/schedule';
import type { Checkpoint, CheckpointSink } from '../train/trainer';

/** Memory allowed for a run's checkpoints; a bench holds the host's total under its goal. */
export const CHECKPOINT_BUDGET_BYTES = 64 * 1024 * 1024;

/**
 * Points of training between two checkpoints at least: copying the weights every batch of a
 * tiny network would cost more than training it, while replaying 64 points is quick for any
 * network the config allows (a few milliseconds for 784-128-10).
 */
export const MIN_POINTS_BETWEEN_CHECKPOINTS = 64;

/**
 * Every how many batches a checkpoint is kept: every batch of 64 points or more, every few
 * batches of smaller ones, and spaced wider still when that many would not fit the memory
 * budget. Any node's numbers are then at most `interval` batches of replay away.
 */
export function checkpointInterval(schedule: BatchSchedule, epochs: number, stateDoubles: number, budgetBytes = CHECKPOINT_BUDGET_BYTES): number {
  const affordable = Math.max(1, Math.floor(budgetBytes / (stateDoubles * 8)));
  const byMemory = Math.ceil((schedule.batchCount * epochs) / affordable);
  const byWork = Math.ceil(MIN_POINTS_BETWEEN_CHECKPOINTS / schedule.batchSize);
  return Math.max(1, byMemory, byWork);
}

/** The weights (and optimizer state) at the start of every `interval`-th batch of the run. */
export class CheckpointStore implements CheckpointSink {
  private readonly byBatch = new Map<number, Checkpoint>();

  constructor(readonly interval: number) {}

  /** `globalBatch` counts batches across epochs from 0. */
  wants(globalBatch: number): boolean {
    return globalBatch % this.interval === 0;
  }

  add(globalBatch: number, checkpoint: Checkpoint): void {
    this.byBatch.set(globalBatch, checkpoint);
  }

  /** The latest checkpoint at or before `globalBatch`, with its position. */
  latestAtOrBefore(globalBatch: number): { globalBatch: number; checkpoint: Checkpoint } | undefined {
    for (let g = globalBatch - (globalBatch % this.interval); g >= 0; g -= this.interval) {
      const checkpoint = this.byBatch.get(g);
      if (checkpoint) return { globalBatch: g, checkpoint };
    }
    return undefined;
  }

  get size(): number {
    return this.byBatch.size;
  }
}
