/**
 * Watches the host's event loop from its own thread: a timer asked to fire every 5 ms notes how
 * late it fires (the longest delay is the longest the host stopped answering) and the heap at
 * its largest. `stop` ends the watch and says what it saw.
 */
export function watchHost(): { stop(): { maxBlockMs: number; peakHeapBytes: number } } {
  let peakHeap = 0;
  let maxBlock = 0;
  let last = performance.now();
  const sampler = setInterval(() => {
    const now = performance.now();
    maxBlock = Math.max(maxBlock, now - last - 5);
    last = now;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 5);
  return {
    stop: () => {
      clearInterval(sampler);
      return { maxBlockMs: maxBlock, peakHeapBytes: Math.max(peakHeap, process.memoryUsage().heapUsed) };
    },
  };
}
