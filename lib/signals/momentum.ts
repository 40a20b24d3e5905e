/**
 * Spread momentum: bonds whose spreads have been tightening keep outperforming for a while (slow-moving
 * information, rating-agency lag, investor under-reaction). The signal is the log change of the spread over a
 * lookback, with the sign flipped so that tightening is positive:
 *
 *     momᵢ(t) = −ln(sᵢ(t) / sᵢ(t − L))
 *
 * Causal: uses sᵢ(t) and sᵢ(t − L) only. NaN for the first L dates. After a bond is replaced (maturity or default)
 * the spread history belongs to two bonds; the signal is NaN for L dates after a replacement when `replaced` is
 * given.
 *
 * Reference: Jostova, G., Nikolova, S., Philipov, A. & Stahel, C. W. (2013). Momentum in corporate bond returns.
 * Review of Financial Studies 26(7), 1649–1693.
 * @module
 */
import {
  MAX_ELEMENTS,
  rangeError,
  requireFiniteArray,
  requireInteger,
  requireOptions,
  typeError,
} from "../core/check.ts";
import { type Panel, requireRowMajor } from "./panel.ts";

/**
 * The momentum signal over `lookback` dates (default 63, about three months).
 *
 * @param spread Spreads, dates × bonds, all > 0.
 * @param cols Number of bonds.
 * @param opts `lookback`; `replaced` (dates × bonds, 1 where the bond was replaced) to blank the signal across
 *   replacements.
 *
 * @example Tightening from 200 to 150 bp over the lookback gives +ln(4/3)
 * ```ts
 * import assert from "node:assert/strict";
 * import { momentumSignal } from "./momentum.ts";
 *
 * const m = momentumSignal(Float64Array.from([0.02, 0.018, 0.015]), 1, { lookback: 2 });
 * assert.ok(Number.isNaN(m.values[1]) && Math.abs(m.values[2] - Math.log(4 / 3)) < 1e-15);
 * ```
 */
export function momentumSignal(
  spread: Float64Array,
  cols: number,
  opts: { lookback?: number; replaced?: Uint8Array } = {},
): Panel {
  const action = "compute momentum signal";
  if (!(spread instanceof Float64Array)) throw typeError(action, "spread", "a Float64Array", spread);
  const o = requireOptions<{ lookback?: number; replaced?: Uint8Array }>(action, "opts", opts, [
    "lookback",
    "replaced",
  ]);
  const lookback = o.lookback ?? 63;
  requireInteger(action, "lookback", lookback, { min: 1, max: MAX_ELEMENTS });
  const rows = requireRowMajor(action, "spread", spread, "cols", cols, { positive: true });
  if (o.replaced !== undefined) {
    if (!(o.replaced instanceof Uint8Array)) throw typeError(action, "opts.replaced", "a Uint8Array", o.replaced);
    if (o.replaced.length !== spread.length) {
      throw rangeError(action, "opts.replaced.length", `spread.length (${spread.length})`, o.replaced.length);
    }
  }
  const out = new Float64Array(spread.length).fill(NaN);
  const since = new Int32Array(cols).fill(-1); // last replacement date per bond
  for (let t = 0; t < rows; t++) {
    for (let i = 0; i < cols; i++) {
      const k = t * cols + i;
      if (opts.replaced?.[k]) since[i] = t;
      if (t < lookback || since[i] > t - lookback) continue;
      const now = spread[k], then = spread[k - lookback * cols];
      if (!(now > 0 && then > 0)) {
        throw rangeError("compute momentum signal", `spread[${k}]`, "> 0", now > 0 ? then : now);
      }
      out[k] = -Math.log(now / then);
    }
  }
  return { rows, cols, values: out };
}

/**
 * Spread momentum of one series in units of its own volatility (the CDX overlay's momentum; `momentumSignal` above is
 * the cross-sectional bond factor):
 *
 *     momₜ = −(Sₜ − Sₜ₋ₗ)/(σ_Δ·√L),   σ_Δ the sample sd of the L daily changes ending at t
 *
 * Tightening is positive. NaN while t < L and where σ_Δ = 0. Causal: uses S up to t only.
 *
 * @param spread The series, finite.
 * @param lookback L, an integer ≥ 2 (the sd of L changes needs two).
 * @throws {RangeError} If a value is not finite or L is out of range. @throws {TypeError} On a wrong type.
 */
export function momentumSeries(spread: Float64Array, lookback: number): Float64Array {
  const action = "compute series momentum";
  if (!(spread instanceof Float64Array)) throw typeError(action, "spread", "a Float64Array", spread);
  requireFiniteArray(action, "spread", spread);
  requireInteger(action, "lookback", lookback, { min: 2, max: MAX_ELEMENTS });
  const n = spread.length, out = new Float64Array(n).fill(NaN);
  let s = 0, ss = 0;
  for (let t = 1; t < n; t++) {
    const d = spread[t] - spread[t - 1];
    s += d, ss += d * d;
    if (t > lookback) {
      const old = spread[t - lookback] - spread[t - lookback - 1];
      s -= old, ss -= old * old;
    }
    if (t >= lookback) {
      const m = s / lookback, sd = Math.sqrt(Math.max(ss - lookback * m * m, 0) / (lookback - 1));
      if (sd > 0) out[t] = -(spread[t] - spread[t - lookback]) / (sd * Math.sqrt(lookback));
    }
  }
  return out;
}
