/**
 * The few tear-sheet statistics the dashboard needs that `lib/` does not have yet: a rolling Sharpe ratio, monthly
 * returns, the worst drawdown episodes, the worst days and a trailing turnover. Plain functions on typed arrays;
 * the point statistics (Sharpe, VaR, CVaR, drawdown) come from `lib/backtest/metrics.ts`.
 *
 *     rolling Sharpe    S(t) = mean(r_{t−w+1..t}) / sd(r_{t−w+1..t}) · √252    (sample sd, n − 1; zero risk-free)
 *     monthly return    R_m = Π_{t in month m} (1 + r_t) − 1
 *     drawdown episode  peak (last high before the fall) → trough (lowest NAV) → recovery (first NAV ≥ the peak)
 *     trailing turnover τ(t) = Σ_{s=t−w+1..t} turnover_s · 252 / w           (annualised, fraction of NAV)
 * @module
 */

/**
 * Rolling annualised Sharpe ratio over windows of `window` periods; NaN until the first full window and where the
 * window's returns are constant (the ratio is undefined there).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rollingSharpe } from "./analytics.ts";
 *
 * const s = rollingSharpe([0.01, -0.01, 0.01, 0.03], 2, 1);
 * assert.ok(Number.isNaN(s[0]) && s[1] === 0);
 * ```
 */
export function rollingSharpe(returns: ArrayLike<number>, window: number, periodsPerYear = 252): Float64Array {
  if (!Number.isInteger(window) || window < 2) {
    throw new RangeError(`Cannot compute rolling Sharpe ratio: window must be an integer >= 2, received ${window}`);
  }
  const n = returns.length, out = new Float64Array(n).fill(NaN);
  const annual = Math.sqrt(periodsPerYear);
  for (let t = window - 1; t < n; t++) {
    let sum = 0, scale = 0;
    for (let s = t - window + 1; s <= t; s++) (sum += returns[s]), (scale = Math.max(scale, Math.abs(returns[s])));
    const m = sum / window;
    let ss = 0;
    for (let s = t - window + 1; s <= t; s++) ss += (returns[s] - m) ** 2;
    const sd = Math.sqrt(ss / (window - 1));
    if (sd > 16 * Number.EPSILON * scale) out[t] = (m / sd) * annual;
  }
  return out;
}

/** Returns compounded per calendar month: `values[y][m]` for year `years[y]` and month m (0 = January), or null. */
export interface MonthlyReturns {
  readonly years: number[];
  readonly values: (number | null)[][];
}

/**
 * Compounds daily returns into calendar-month returns; a month without a date in the series is null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { monthlyReturns } from "./analytics.ts";
 *
 * const dates = ["2024-01-30", "2024-01-31", "2024-02-01"].map((d) => new Date(`${d}T00:00:00Z`));
 * const m = monthlyReturns(dates, [0.1, 0.1, -0.5]);
 * assert.ok(Math.abs(m.values[0][0]! - 0.21) < 1e-15 && m.values[0][1] === -0.5 && m.values[0][2] === null);
 * ```
 */
export function monthlyReturns(dates: readonly Date[], returns: ArrayLike<number>): MonthlyReturns {
  if (dates.length !== returns.length) {
    throw new RangeError(
      `Cannot compute monthly returns: dates and returns must have the same length, received ${dates.length} and ${returns.length}`,
    );
  }
  if (dates.length === 0) return { years: [], values: [] };
  const first = dates[0].getUTCFullYear(), last = dates[dates.length - 1].getUTCFullYear();
  const years = Array.from({ length: last - first + 1 }, (_, k) => first + k);
  const growth: (number | null)[][] = years.map(() => new Array(12).fill(null));
  for (let t = 0; t < dates.length; t++) {
    const row = growth[dates[t].getUTCFullYear() - first], m = dates[t].getUTCMonth();
    row[m] = (row[m] ?? 1) * (1 + returns[t]);
  }
  return { years, values: growth.map((row) => row.map((g) => (g === null ? null : g - 1))) };
}

/** One drawdown episode of a NAV path (indices into its dates). */
export interface DrawdownEpisode {
  /** Index of the peak (the last high before the fall), of the trough, and of the recovery (null: not recovered). */
  readonly peak: number;
  readonly trough: number;
  readonly recovery: number | null;
  /** NAV at the trough over NAV at the peak, minus 1 (negative). */ readonly depth: number;
}

/**
 * The `count` deepest drawdown episodes of a NAV path, deepest first. Episodes do not overlap: each runs from a
 * running peak to the first date the NAV is back at or above it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { worstDrawdowns } from "./analytics.ts";
 *
 * const [first, second] = worstDrawdowns([1, 0.9, 1.1, 0.55, 0.6], 2);
 * assert.deepEqual([first.peak, first.trough, first.recovery], [2, 3, null]);
 * assert.ok(Math.abs(first.depth + 0.5) < 1e-15 && Math.abs(second.depth + 0.1) < 1e-15);
 * ```
 */
export function worstDrawdowns(nav: ArrayLike<number>, count: number): DrawdownEpisode[] {
  const episodes: DrawdownEpisode[] = [];
  let peak = 0, trough = -1;
  for (let t = 1; t <= nav.length; t++) {
    const v = t < nav.length ? nav[t] : Infinity; // a sentinel closes the last episode
    if (v >= nav[peak]) {
      if (trough >= 0) {
        episodes.push({
          peak,
          trough,
          recovery: t < nav.length ? t : null,
          depth: nav[trough] / nav[peak] - 1,
        });
      }
      if (t < nav.length) (peak = t), (trough = -1);
    } else if (trough < 0 || v < nav[trough]) trough = t;
  }
  return episodes.sort((a, b) => a.depth - b.depth).slice(0, count);
}

/** Indices of the `count` lowest returns, lowest first (ties in date order). */
export function worstDays(returns: ArrayLike<number>, count: number): number[] {
  const idx = Array.from({ length: returns.length }, (_, t) => t);
  idx.sort((a, b) => returns[a] - returns[b] || a - b);
  return idx.slice(0, count);
}

/** Trailing sum over `window` periods, annualised (× periodsPerYear / window); NaN before the first full window. */
export function trailingAnnualised(x: ArrayLike<number>, window: number, periodsPerYear = 252): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  let sum = 0;
  for (let t = 0; t < x.length; t++) {
    sum += x[t];
    if (t >= window) sum -= x[t - window];
    if (t >= window - 1) out[t] = (sum * periodsPerYear) / window;
  }
  return out;
}
