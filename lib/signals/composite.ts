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
import { rangeError, requireFinite, requireFiniteArray, requireObject, typeError } from "../core/check.ts";
import { crossSectionalRank, type Panel, requirePanel, requireSameShape } from "./panel.ts";

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
 * @throws {TypeError} If an entry is not `{ name, signal, weight }` with a panel and a number.
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
  if (!Array.isArray(signals)) throw typeError(action, "signals", "an array of { name, signal, weight }", signals);
  if (signals.length === 0) throw rangeError(action, "signals", "at least one signal", 0);
  const label = (i: number) => {
    const name = (signals[i] as { name?: unknown }).name;
    return typeof name === "string" && name.length > 0 ? `signals[${i}].signal (${name})` : `signals[${i}].signal`;
  };
  for (let i = 0; i < signals.length; i++) {
    requireObject(action, `signals[${i}]`, signals[i]);
    requirePanel(action, `signals[${i}].signal`, signals[i].signal);
    requireFinite(action, `signals[${i}].weight`, signals[i].weight);
  }
  const { rows, cols } = signals[0].signal;
  let total = 0;
  for (let i = 0; i < signals.length; i++) {
    const s = signals[i];
    requireSameShape(action, label(i), s.signal, label(0), signals[0].signal);
    total += Math.abs(s.weight);
  }
  if (!(total > 0)) throw rangeError(action, "the weights of signals", "not all zero", total);
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
 *     cₜ = Σₖ wₖ·xₖ(t) / Σₖ |wₖ|        NaN where any input is NaN (a warm-up)
 *
 * @param columns One or more series of the same length, each value finite or NaN (not available).
 * @param weights One finite weight per series, not all 0.
 * @throws {RangeError} If no series is given, the lengths differ, a value is ±Infinity, or a weight is not finite or
 *   all are 0. @throws {TypeError} On a wrong type.
 */
export function compositeSeries(columns: readonly Float64Array[], weights: readonly number[]): Float64Array {
  const action = "combine series";
  if (!Array.isArray(columns)) throw typeError(action, "columns", "an array of Float64Array series", columns);
  if (columns.length === 0) throw rangeError(action, "columns", "at least one series", 0);
  for (let k = 0; k < columns.length; k++) {
    const c = columns[k];
    if (!(c instanceof Float64Array)) throw typeError(action, `columns[${k}]`, "a Float64Array", c);
    if (c.length !== columns[0].length) {
      throw rangeError(action, `columns[${k}].length`, `columns[0].length (${columns[0].length})`, c.length);
    }
    for (let t = 0; t < c.length; t++) {
      if (c[t] === Infinity || c[t] === -Infinity) {
        throw rangeError(action, `columns[${k}][${t}]`, "finite or NaN (not available)", c[t]);
      }
    }
  }
  requireFiniteArray(action, "weights", weights, { length: columns.length });
  const total = weights.reduce((a, w) => a + Math.abs(w), 0);
  if (!(total > 0)) throw rangeError(action, "weights", "not all 0", total);
  const n = columns[0].length, out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let c = 0;
    for (let k = 0; k < columns.length; k++) c += weights[k] * columns[k][t];
    out[t] = c / total;
  }
  return out;
}
