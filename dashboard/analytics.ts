/**
 * The dashboard's tear-sheet statistics, as thin adapters on `lib/backtest/tearsheet.ts` (rolling Sharpe ratio,
 * monthly and yearly returns, worst drawdown episodes) plus two view helpers of its own: the worst days and a
 * trailing turnover. The point statistics (Sharpe, VaR, CVaR, drawdown) come from `lib/backtest/metrics.ts`.
 *
 *     rolling Sharpe    S(t) = mean(r_{t−w+1..t}) / sd(r_{t−w+1..t}) · √252    (sample sd, n − 1; zero risk-free)
 *     monthly return    R_m = Π_{t in month m} (1 + r_t) − 1
 *     drawdown episode  peak (last high before the fall) → trough (lowest NAV) → recovery (first NAV ≥ the peak)
 *     trailing turnover τ(t) = Σ_{s=t−w+1..t} turnover_s · 252 / w           (annualised, fraction of NAV)
 * @module
 */
import { rollingSharpe as libRollingSharpe, worstDrawdowns as libWorstDrawdowns } from "../lib/mod.ts";

export { type MonthlyReturns, monthlyReturns, yearlyReturns } from "../lib/mod.ts";

/**
 * Rolling annualised Sharpe ratio over windows of `window` periods (lib's `rollingSharpe` with a zero risk-free
 * rate); NaN until the first full window and where the window's returns are constant.
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
  return libRollingSharpe(returns, window, { periodsPerYear });
}

/** One drawdown episode of a NAV path (indices into the NAV path). */
export interface NavDrawdownEpisode {
  /** Index of the peak (the last high before the fall), of the trough, and of the recovery (null: not recovered). */
  readonly peak: number;
  readonly trough: number;
  readonly recovery: number | null;
  /** NAV at the trough over NAV at the peak, minus 1 (negative). */ readonly depth: number;
}

/**
 * The `count` deepest drawdown episodes of a NAV path, deepest first: lib's `worstDrawdowns` on the returns
 * nav[k] / nav[k − 1] − 1, its indices shifted back onto the path (return k − 1 ends at nav[k]).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { worstDrawdowns } from "./analytics.ts";
 *
 * const [first, second] = worstDrawdowns([1, 0.9, 1.1, 0.55, 0.6], 2);
 * assert.deepEqual([first.peak, first.trough, first.recovery], [2, 3, null]);
 * assert.ok(Math.abs(first.depth + 0.5) < 1e-12 && Math.abs(second.depth + 0.1) < 1e-12);
 * ```
 */
export function worstDrawdowns(nav: ArrayLike<number>, count: number): NavDrawdownEpisode[] {
  if (nav.length < 2) return [];
  const returns = Float64Array.from({ length: nav.length - 1 }, (_, k) => nav[k + 1] / nav[k] - 1);
  const dates = Array.from(returns, (_, k) => new Date(k * 86_400_000)); // positions only
  return libWorstDrawdowns(dates, returns, count).map((e) => ({
    peak: e.startIndex,
    trough: e.troughIndex + 1,
    recovery: e.recoveryIndex === null ? null : e.recoveryIndex + 1,
    depth: e.depth,
  }));
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
