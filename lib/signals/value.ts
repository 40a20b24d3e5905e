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
import { MAX_ELEMENTS, requireInteger, requireOptions } from "../core/check.ts";
import { groupZScore, mapPanel, type Panel, requireGroups, requireRowMajor, rollingZScore } from "./panel.ts";

/** Options of the value signals. */
export interface ValueOptions {
  /** Own-history window in dates, an integer ≥ 3 (default 252). */ readonly window?: number;
}

/** Checks spreads (finite, > 0), `cols` and the options at a public entry; returns the rows and the window. */
function checkValueInputs(
  action: string,
  spread: unknown,
  cols: unknown,
  opts: unknown,
): { rows: number; window: number } {
  const rows = requireRowMajor(action, "spread", spread, "cols", cols, { positive: true });
  const o = requireOptions<ValueOptions>(action, "opts", opts, ["window"]);
  const window = requireInteger(action, "opts.window", o.window ?? 252, { min: 3, max: MAX_ELEMENTS });
  return { rows, window };
}

/**
 * Own-history value: rolling z-score of the log spread over `window` dates (default 252).
 *
 * @throws {RangeError} If a spread is not finite and > 0, `cols` does not divide the length, or the window is not an
 *   integer ≥ 3. @throws {TypeError} On a wrong type or an unknown option.
 */
export function valueOwnHistory(spread: Float64Array, cols: number, opts: ValueOptions = {}): Panel {
  const { rows, window } = checkValueInputs("compute own-history value", spread, cols, opts);
  const logs = mapPanel({ rows, cols, values: spread }, Math.log);
  return rollingZScore(logs, window);
}

/**
 * Peer value: z-score of the log spread within each rating group, per date.
 *
 * @param groups One integer label ≥ 0 per bond (e.g. the rating index).
 * @throws {RangeError} If a spread is not finite and > 0, `cols` does not divide the length, or a label is not an
 *   integer ≥ 0. @throws {TypeError} On a wrong type.
 */
export function valuePeers(spread: Float64Array, cols: number, groups: ArrayLike<number>): Panel {
  const action = "compute peer value";
  const rows = requireRowMajor(action, "spread", spread, "cols", cols, { positive: true });
  requireGroups(action, "groups", groups, cols);
  return groupZScore(mapPanel({ rows, cols, values: spread }, Math.log), groups);
}

/**
 * The value signal: the average of the own-history and peer z-scores (NaN where either is unavailable).
 *
 * @throws {RangeError} As {@linkcode valueOwnHistory} and {@linkcode valuePeers}.
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
  opts: ValueOptions = {},
): Panel {
  checkValueInputs("compute value signal", spread, cols, opts);
  requireGroups("compute value signal", "groups", groups, cols);
  const own = valueOwnHistory(spread, cols, opts), peers = valuePeers(spread, cols, groups);
  return { rows: own.rows, cols, values: own.values.map((v, k) => (v + peers.values[k]) / 2) };
}
