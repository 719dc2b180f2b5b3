import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * What the extension holds open that could outlive its owner: worker threads (counted from
 * their start to their 'exit' event), file watchers and listeners on a run. A test of the
 * extension host reads these after many runs, stops, closes and reloads: each must be back to
 * where it started.
 */
export type ResourceKind = 'worker' | 'watcher' | 'listener';

const counts: Record<ResourceKind, number> = { worker: 0, watcher: 0, listener: 0 };

/** Counts one more of `kind`; the returned function counts it gone (once, however often it is called). */
export function track(kind: ResourceKind): () => void {
  counts[kind]++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    counts[kind]--;
  };
}

export function liveResources(): Readonly<Record<ResourceKind, number>> {
  return { ...counts };
}

export function startWorker(script: string, options: WorkerOptions): Worker {
  const worker = new Worker(script, options);
  worker.once('exit', track('worker'));
  return worker;
}
