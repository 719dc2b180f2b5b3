import * as path from 'node:path';
import type { TrainingConfig } from '../../src/core/config/types';
import { childAt, childCount, nodeId, type NodeRef } from '../../src/core/outline/tree';
import { Rng, RngStream } from '../../src/core/rng';
import { RunSession } from '../../src/host/runSession';
import { watchHost } from './hostPauses';
import type { BenchSize } from './sizes';

const REPO = path.resolve(__dirname, '..', '..', '..');
const WORKER = path.join(REPO, 'dist', 'trainerWorker.js');

export interface HostFigures {
  points: number;
  /** The extension host's own heap (its main thread), at its largest during the run. */
  peakHeapMB: number;
  /** 95th percentile of the time to recompute a random node's numbers after the run. */
  detailP95Ms: number;
  /** The longest the host's event loop was held up while the worker trained. */
  maxBlockMs: number;
  /** From asking a long run to stop until its worker is gone. */
  stopMs: number;
  trainSeconds: number;
}

/** A run of `points` data points of the learner's network, as the extension runs it: in a worker. */
export async function benchHost(size: BenchSize, points: number): Promise<HostFigures> {
  const config: TrainingConfig = { ...size.config, epochs: Math.round(points / size.data.count) };
  const watch = watchHost();
  const started = performance.now();
  const session = new RunSession('/bench/host.training.json', config, size.data, WORKER);
  await session.finished;
  const trainSeconds = (performance.now() - started) / 1000;
  const { maxBlockMs: maxBlock, peakHeapBytes: peakHeap } = watch.stop();

  const timings: number[] = [];
  const rng = new Rng(9, RngStream.data);
  for (let i = 0; i < 300; i++) {
    const id = randomStepId(session, rng);
    const t0 = performance.now();
    const detail = await session.detail(id);
    timings.push(performance.now() - t0);
    if (!detail) throw new Error(`no numbers for ${id}`);
  }
  timings.sort((a, b) => a - b);

  const long = new RunSession('/bench/long.training.json', { ...config, epochs: 1000 }, size.data, WORKER);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const stopAsked = performance.now();
  await long.stop();
  const stopMs = performance.now() - stopAsked;

  return {
    points: config.epochs * size.data.count,
    peakHeapMB: round1(peakHeap / 2 ** 20),
    detailP95Ms: round1(timings[Math.floor(timings.length * 0.95)]),
    maxBlockMs: round1(maxBlock),
    stopMs: round1(stopMs),
    trainSeconds: round1(trainSeconds),
  };
}

/** A random forward, backward, sum or update node of the finished run. */
function randomStepId(session: RunSession, rng: Rng): string {
  const { summary } = session;
  const epoch = 1 + rng.below(summary.epochs.length);
  const batch = 1 + rng.below(summary.shape.schedule.batchCount);
  const batchRef: NodeRef = { kind: 'batch', epoch, batch };
  const child = childAt(summary, batchRef, rng.below(childCount(summary, batchRef)));
  const step = child.kind === 'point' ? childAt(summary, child, rng.below(3)) : child;
  return nodeId(summary, step);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
