/**
 * Value: a bond is cheap when its spread is wide compared with a fair level. Two fair levels, two signals:
 *
 *     own history   vᵢᵒʷⁿ(t) = (ln sᵢ(t) − mean_W ln sᵢ) / sd_W ln sᵢ        trailing window W ending at t
 *     rating peers  vᵢᵖᵉᵉʳ(t) = (ln sᵢ(t) − mean_r ln s(t)) / sd_r ln s(t)   across bonds of the same rating at t
 *
 * and their average, the value signal. Positive = cheap = buy. Both are causal: the own-history z-score uses the
 * trailing window only, the peer z-score the same day's cross-section.
 *
 * Reference: Israel, R., Palhares, D. & Richardson, S. (2018). Common factors in corporate bond returns.
 * J. Investment Management 16(2), 17–46 (value, momentum, carry and defensive in credit).
 * @module
 */
import { groupZScore, mapPanel, type Panel, rollingZScore } from "./panel.ts";

/** Own-history value: rolling z-score of the log spread over `window` dates (default 252). */
export function valueOwnHistory(spread: Float64Array, cols: number, opts: { window?: number } = {}): Panel {
  const logs = mapPanel({ rows: spread.length / cols, cols, values: spread }, Math.log);
  return rollingZScore(logs, opts.window ?? 252);
}

/** Peer value: z-score of the log spread within each rating group, per date. */
export function valuePeers(spread: Float64Array, cols: number, groups: ArrayLike<number>): Panel {
  return groupZScore(mapPanel({ rows: spread.length / cols, cols, values: spread }, Math.log), groups);
}

/**
 * The value signal: the average of the own-history and peer z-scores (NaN where either is unavailable).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { valueSignal } from "./value.ts";
 *
 * // Three bonds of one rating, five dates: the widest bond is cheapest against its peers.
 * const s = Float64Array.from({ length: 15 }, (_, k) => 0.01 * (1 + (k % 3)) * (1 + 0.01 * Math.floor(k / 3)));
 * const v = valueSignal(s, 3, [0, 0, 0], { window: 3 });
 * assert.ok(v.values[14] > v.values[12]);
 * ```
 */
export function valueSignal(
  spread: Float64Array,
  cols: number,
  groups: ArrayLike<number>,
  opts: { window?: number } = {},
): Panel {
  const own = valueOwnHistory(spread, cols, opts), peers = valuePeers(spread, cols, groups);
  return { rows: own.rows, cols, values: own.values.map((v, k) => (v + peers.values[k]) / 2) };
}
