import type { EpochSummary, RunSummary } from '../src/core/outline/summary';
import type { SummaryDelta } from '../src/core/run/summaryDelta';

/**
 * A summary as it arrived: typed arrays survive VS Code's postMessage (engines ≥ 1.57), but a
 * host that serialises to JSON sends plain arrays; either way the panel works on typed arrays.
 */
export function asSummary(summary: RunSummary): RunSummary {
  return { ...summary, epochs: summary.epochs.map(asEpoch) };
}

function asEpoch(epoch: EpochSummary): EpochSummary {
  return {
    ...epoch,
    order: epoch.order instanceof Int32Array ? epoch.order : Int32Array.from(epoch.order),
    pointLoss: epoch.pointLoss instanceof Float64Array ? epoch.pointLoss : Float64Array.from(epoch.pointLoss),
    pointGradientNorm: epoch.pointGradientNorm instanceof Float64Array ? epoch.pointGradientNorm : Float64Array.from(epoch.pointGradientNorm),
    batchGradientNorm: epoch.batchGradientNorm instanceof Float64Array ? epoch.batchGradientNorm : Float64Array.from(epoch.batchGradientNorm),
  };
}

/** The same for a delta's new epoch orders (the number arrays are copied in with `set`, which takes either). */
export function asDelta(delta: SummaryDelta): SummaryDelta {
  return { ...delta, epochs: delta.epochs.map((e) => (e.order && !(e.order instanceof Int32Array) ? { ...e, order: Int32Array.from(e.order) } : e)) };
}
