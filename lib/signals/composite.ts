/**
 * The composite signal: each factor is turned into cross-sectional ranks with unit variance (so a factor measured
 * in basis points and one measured in z-scores weigh alike, and outliers do not dominate), then combined with
 * weights:
 *
 *     compositeᵢ(t) = Σₖ wₖ · rankzₖ,ᵢ(t) / Σₖ |wₖ|
 *
 * A bond gets a composite only on dates where every factor is available for it. Causal whenever the factors are.
 * @module
 */
import { rangeError, Received, requireFinite } from "../core/check.ts";
import { crossSectionalRank, type Panel } from "./panel.ts";

/** A factor and its weight in the composite. */
export interface WeightedSignal {
  readonly name: string;
  readonly signal: Panel;
  readonly weight: number;
}

/**
 * Weighted sum of cross-sectional ranks.
 *
 * @throws {RangeError} If the panels differ in shape, no weight is given, or the weights sum to zero in absolute value.
 *
 * @example Two factors that disagree cancel with equal weights
 * ```ts
 * import assert from "node:assert/strict";
 * import { compositeSignal } from "./composite.ts";
 * import { panel } from "./panel.ts";
 *
 * const a = panel(Float64Array.from([1, 2, 3]), 1, 3), b = panel(Float64Array.from([3, 2, 1]), 1, 3);
 * const c = compositeSignal([{ name: "a", signal: a, weight: 1 }, { name: "b", signal: b, weight: 1 }]);
 * assert.deepEqual(Array.from(c.values), [0, 0, 0]);
 * ```
 */
export function compositeSignal(signals: readonly WeightedSignal[]): Panel {
  const action = "combine signals";
  if (signals.length === 0) throw rangeError(action, "signals", "at least one signal", 0);
  const { rows, cols } = signals[0].signal;
  let total = 0;
  for (const s of signals) {
    requireFinite(action, `weight of ${s.name}`, s.weight);
    if (s.signal.rows !== rows || s.signal.cols !== cols) {
      throw rangeError(
        action,
        `signal ${s.name}`,
        `a ${rows}×${cols} panel like ${signals[0].name}`,
        new Received(`${s.signal.rows}×${s.signal.cols}`),
      );
    }
    total += Math.abs(s.weight);
  }
  if (!(total > 0)) throw rangeError(action, "weights", "not all zero", total);
  const out = new Float64Array(rows * cols);
  for (const s of signals) {
    const z = crossSectionalRank(s.signal).values;
    const w = s.weight / total;
    for (let k = 0; k < out.length; k++) out[k] += w * z[k]; // NaN propagates: a missing factor blanks the bond
  }
  return { rows, cols, values: out };
}

/**
 * A time-series composite on typed arrays (the CDX overlay's; `compositeSignal` above ranks a cross-section first):
 *
 *     cₜ = Σₖ wₖ·xₖ(t) / Σₖ |wₖ|        NaN where any input is NaN
 */
export function compositeSeries(columns: readonly Float64Array[], weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, w) => a + Math.abs(w), 0);
  const n = columns[0].length, out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let c = 0;
    for (let k = 0; k < columns.length; k++) c += weights[k] * columns[k][t];
    out[t] = c / total;
  }
  return out;
}
