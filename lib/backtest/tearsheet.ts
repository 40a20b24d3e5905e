/**
 * Tear-sheet statistics of any strategy's periodic simple returns: calendar-month and calendar-year returns, the
 * rolling Sharpe ratio and volatility, and the worst drawdown episodes. Pure functions on plain arrays; the charts
 * that show them are in `charts/tearsheet.ts`.
 *
 *     monthly return      R_m = Π_{t in month m} (1 + r_t) − 1                 (likewise per calendar year)
 *     rolling Sharpe      S_t = mean(x_{t−w+1..t}) / sd(x_{t−w+1..t}) · √P,    x = r − rf, sd with n − 1
 *     rolling volatility  σ_t = sd(r_{t−w+1..t}) · √P
 *     drawdown episode    peak (last high of the wealth W_t = Π_{s≤t}(1 + r_s), W before the first date = 1)
 *                         → trough (lowest W before the recovery) → recovery (first W ≥ the peak, or none)
 *
 * r_t are simple returns per period, P periods per year (252 unless given), rf the risk-free rate **per period**,
 * as in `metrics.ts`. Dates are calendar days at UTC midnight, strictly increasing. Windows are trailing: S_t uses
 * returns up to t only.
 *
 * References:
 * 1. Sharpe, W. F. (1994). The Sharpe ratio. J. Portfolio Management 21(1), 49–58.
 * 2. Bacon, C. R. (2008). Practical Portfolio Performance Measurement and Attribution, 2nd ed., §4 (drawdown).
 * @module
 */
import {
  rangeError,
  requireFiniteArray,
  requireInteger,
  requireKnownKeys,
  requireSameLength,
  typeError,
} from "../core/check.ts";

/** Options of {@linkcode rollingSharpe} and {@linkcode rollingAnnualVolatility}. */
export interface RollingOptions {
  /** Periods per year P (default 252; 52 weekly, 12 monthly). */ readonly periodsPerYear?: number;
  /**
   * Risk-free rate per period: one number, or one per period aligned with the returns (default 0). Only the
   * Sharpe ratio uses it.
   */
  readonly riskFree?: number | ArrayLike<number>;
}

/** Calendar-month returns: `values[y][m]` for year `years[y]` and month m (0 = January), null without a date. */
export interface MonthlyReturns {
  /** Every calendar year from the first date's to the last date's. */ readonly years: number[];
  readonly values: (number | null)[][];
}

/** Calendar-year returns: `values[k]` compounded over the `periods[k]` dates of year `years[k]`. */
export interface YearlyReturns {
  /** The years that hold at least one date, in order. */ readonly years: number[];
  readonly values: Float64Array;
  /** Number of returns in each year (a partial first or last year has fewer). */ readonly periods: number[];
}

/** One drawdown episode of the wealth compounded from the returns; indices are into `returns` and `dates`. */
export interface DrawdownEpisode {
  /** First date under water (the first losing period after the peak). */ readonly start: Date;
  /** Date of the lowest wealth of the episode. */ readonly trough: Date;
  /** First date the wealth is back at or above the peak; null if it never is within the sample. */
  readonly recovery: Date | null;
  readonly startIndex: number;
  readonly troughIndex: number;
  readonly recoveryIndex: number | null;
  /** Wealth at the trough over wealth at the peak, minus 1 (< 0). */ readonly depth: number;
  /** Periods from the peak to the trough (troughIndex − startIndex + 1, the returns that compound the fall). */
  readonly toTrough: number;
  /** Periods from the trough to the recovery (recoveryIndex − troughIndex); null if not recovered. */
  readonly toRecovery: number | null;
  /**
   * Periods from the peak to the recovery (toTrough + toRecovery); if not recovered, from the peak to the last
   * date (the episode's length so far).
   */
  readonly length: number;
}

function checkDatedReturns(action: string, dates: readonly Date[], returns: ArrayLike<number>): void {
  if (!Array.isArray(dates)) throw typeError(action, "dates", "an array of Dates", dates);
  requireFiniteArray(action, "returns", returns);
  requireSameLength(action, "dates", dates, "returns", returns);
  for (let t = 0; t < dates.length; t++) {
    const d = dates[t];
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw rangeError(action, `dates[${t}]`, "a valid Date", d);
    if (t > 0 && !(d.getTime() > dates[t - 1].getTime())) {
      throw rangeError(action, `dates[${t}]`, `after dates[${t - 1}] (${dates[t - 1].toISOString()})`, d);
    }
  }
}

/**
 * Compounds periodic returns into calendar-month returns R_m = Π_{t in m} (1 + r_t) − 1. A month without a date
 * in the series is null (not 0: nothing was earned or lost because nothing was held).
 *
 * @param dates Strictly increasing dates (UTC), one per return.
 * @param returns Simple returns per period, finite.
 * @returns Years from the first to the last date's year, twelve months each; empty for empty input.
 * @throws {RangeError} If the lengths differ, a return is not finite, or dates are invalid or not increasing.
 *
 * @example Two January days compound; February has one day; March has none
 * ```ts
 * import assert from "node:assert/strict";
 * import { monthlyReturns } from "./tearsheet.ts";
 *
 * const dates = ["2024-01-30", "2024-01-31", "2024-02-01"].map((d) => new Date(`${d}T00:00:00Z`));
 * const m = monthlyReturns(dates, [0.1, 0.1, -0.5]);
 * assert.ok(Math.abs(m.values[0][0]! - 0.21) < 1e-15 && m.values[0][1] === -0.5 && m.values[0][2] === null);
 * ```
 */
export function monthlyReturns(dates: readonly Date[], returns: ArrayLike<number>): MonthlyReturns {
  checkDatedReturns("compute monthly returns", dates, returns);
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

/**
 * Compounds periodic returns into calendar-year returns R_y = Π_{t in y} (1 + r_t) − 1, for each year that holds
 * a date (a partial first or last year as far as the series goes; `periods` says how far).
 *
 * @throws {RangeError} As {@linkcode monthlyReturns}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { yearlyReturns } from "./tearsheet.ts";
 *
 * const dates = ["2023-12-29", "2024-01-02", "2024-01-03"].map((d) => new Date(`${d}T00:00:00Z`));
 * const y = yearlyReturns(dates, [0.1, 0.1, -0.5]);
 * assert.deepEqual([y.years, y.periods], [[2023, 2024], [1, 2]]);
 * assert.ok(Math.abs(y.values[1] - (1.1 * 0.5 - 1)) < 1e-15);
 * ```
 */
export function yearlyReturns(dates: readonly Date[], returns: ArrayLike<number>): YearlyReturns {
  checkDatedReturns("compute yearly returns", dates, returns);
  const years: number[] = [], growth: number[] = [], periods: number[] = [];
  for (let t = 0; t < dates.length; t++) {
    const y = dates[t].getUTCFullYear();
    if (years[years.length - 1] !== y) (years.push(y), growth.push(1), periods.push(0));
    growth[growth.length - 1] *= 1 + returns[t];
    periods[periods.length - 1]++;
  }
  return { years, values: Float64Array.from(growth, (g) => g - 1), periods };
}

function checkRolling(action: string, returns: ArrayLike<number>, window: number, opts: RollingOptions) {
  requireFiniteArray(action, "returns", returns);
  requireInteger(action, "window", window, { min: 2 });
  requireKnownKeys(action, "opts", opts, ["periodsPerYear", "riskFree"]);
  const periods = opts.periodsPerYear ?? 252;
  if (!(typeof periods === "number" && periods > 0 && Number.isFinite(periods))) {
    throw rangeError(action, "periodsPerYear", "a finite number > 0", periods);
  }
  return periods;
}

/** Sample standard deviation (n − 1) of x[from..to], two passes; also the largest |x| of the window. */
function windowMoments(x: ArrayLike<number>, from: number, to: number): { mean: number; sd: number; scale: number } {
  const n = to - from + 1;
  let sum = 0, scale = 0;
  for (let s = from; s <= to; s++) (sum += x[s]), (scale = Math.max(scale, Math.abs(x[s])));
  const mean = sum / n;
  let ss = 0;
  for (let s = from; s <= to; s++) ss += (x[s] - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / (n - 1)), scale };
}

/**
 * Rolling annualised Sharpe ratio over trailing windows of `window` periods,
 *
 *     S_t = mean(x_{t−w+1..t}) / sd(x_{t−w+1..t}) · √P,      x_s = r_s − rf_s      (sample sd, n − 1)
 *
 * each window computed in two passes (mean, then squared deviations), so a value equals `sharpeRatio` of that
 * window to rounding. NaN before the first full window (t < w − 1) and on a window whose excess returns are
 * constant (sd at the level of rounding noise, at most 16·w ulps of the window's largest |return| or |rate|): the
 * ratio is undefined there, not 0 or infinite.
 *
 * @param returns Simple returns per period, finite.
 * @param window Window length w, an integer ≥ 2 (252 for one year of days).
 * @param opts `periodsPerYear` P (default 252); `riskFree` per period, a number or an array aligned with returns.
 * @returns A `Float64Array` aligned with `returns`.
 * @throws {RangeError} If a return or risk-free rate is not finite, the window is not an integer ≥ 2, P ≤ 0, or
 * the risk-free array differs in length. @throws {TypeError} On an unknown option key.
 *
 * @example Windows of two: (0.01, −0.01) has mean 0; (−0.01, 0.03) has mean 0.01 and sd 0.02·√2
 * ```ts
 * import assert from "node:assert/strict";
 * import { rollingSharpe } from "./tearsheet.ts";
 *
 * const s = rollingSharpe([0.01, -0.01, 0.03], 2, { periodsPerYear: 1 });
 * assert.ok(Number.isNaN(s[0]) && s[1] === 0 && Math.abs(s[2] - 0.01 / (0.02 * Math.SQRT2)) < 1e-12);
 * ```
 */
export function rollingSharpe(returns: ArrayLike<number>, window: number, opts: RollingOptions = {}): Float64Array {
  const action = "compute rolling Sharpe ratio";
  const periods = checkRolling(action, returns, window, opts);
  const rf = opts.riskFree ?? 0;
  let excess: ArrayLike<number> = returns;
  if (typeof rf === "number") {
    if (!Number.isFinite(rf)) throw rangeError(action, "riskFree", "finite", rf);
    if (rf !== 0) excess = Float64Array.from(returns, (r) => r - rf);
  } else {
    requireFiniteArray(action, "riskFree", rf);
    requireSameLength(action, "returns", returns, "riskFree", rf);
    excess = Float64Array.from(returns, (r, t) => r - rf[t]);
  }
  const n = excess.length, out = new Float64Array(n).fill(NaN), annual = Math.sqrt(periods);
  // Rounding noise is measured against the inputs (returns and rate), over the window's n = w values: the mean of w
  // equal values can be off by about w ulps, as in `sharpeRatio`.
  const inputs = excess === returns
    ? null
    : Float64Array.from(returns, (r, t) => Math.max(Math.abs(r), Math.abs(typeof rf === "number" ? rf : rf[t])));
  for (let t = window - 1; t < n; t++) {
    const { mean, sd, scale } = windowMoments(excess, t - window + 1, t);
    const noise = inputs === null ? scale : Math.max(scale, windowMoments(inputs, t - window + 1, t).scale);
    if (sd > 16 * Number.EPSILON * noise * window) out[t] = (mean / sd) * annual;
  }
  return out;
}

/**
 * Rolling annualised volatility σ_t = sd(r_{t−w+1..t}) · √P over trailing windows (sample sd, n − 1; two passes).
 * NaN before the first full window; 0 on a constant window. (Named apart from `credit/kmv.ts`'s
 * `rollingVolatility`, the equity volatility of the KMV model.)
 *
 * @param opts `periodsPerYear` P (default 252); `riskFree` is accepted and ignored (volatility is shift-free).
 * @throws {RangeError} As {@linkcode rollingSharpe}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rollingAnnualVolatility } from "./tearsheet.ts";
 *
 * const v = rollingAnnualVolatility([0.01, -0.01, -0.01], 2, { periodsPerYear: 4 });
 * assert.ok(Number.isNaN(v[0]) && Math.abs(v[1] - 0.02 * Math.SQRT2) < 1e-15 && v[2] === 0);
 * ```
 */
export function rollingAnnualVolatility(
  returns: ArrayLike<number>,
  window: number,
  opts: RollingOptions = {},
): Float64Array {
  const periods = checkRolling("compute rolling volatility", returns, window, opts);
  const n = returns.length, out = new Float64Array(n).fill(NaN), annual = Math.sqrt(periods);
  for (let t = window - 1; t < n; t++) out[t] = windowMoments(returns, t - window + 1, t).sd * annual;
  return out;
}

/**
 * The `count` deepest drawdown episodes of the wealth W_t = Π_{s≤t}(1 + r_s) started at 1 before the first date
 * (so a first-period loss is a drawdown, as in `maxDrawdown`), deepest first (ties in date order). Episodes do
 * not overlap: each runs from a running peak to the first date the wealth is back at or above it; the last one
 * may be unrecovered. The deepest episode's depth is the maximum drawdown.
 *
 * @param dates Strictly increasing dates, one per return.
 * @param returns Simple returns per period, finite and > −1 (the wealth stays positive).
 * @param count How many episodes, an integer ≥ 1 (fewer come back if the series has fewer).
 * @throws {RangeError} If the lengths differ, a return is not finite or ≤ −1, the dates are invalid or not
 * increasing, or `count` is not an integer ≥ 1.
 *
 * @example A 10 % fall recovered, then a 50 % fall not recovered
 * ```ts
 * import assert from "node:assert/strict";
 * import { worstDrawdowns } from "./tearsheet.ts";
 *
 * const dates = [1, 2, 3, 4, 5].map((d) => new Date(Date.UTC(2024, 0, d)));
 * const [deepest, second] = worstDrawdowns(dates, [-0.1, 0.25, -0.5, 0.1, 0.05], 2);
 * assert.deepEqual([deepest.startIndex, deepest.troughIndex, deepest.recovery, deepest.length], [2, 2, null, 3]);
 * assert.ok(Math.abs(deepest.depth + 0.5) < 1e-15 && Math.abs(second.depth + 0.1) < 1e-15);
 * assert.deepEqual([second.toTrough, second.toRecovery, second.length], [1, 1, 2]);
 * ```
 */
export function worstDrawdowns(dates: readonly Date[], returns: ArrayLike<number>, count: number): DrawdownEpisode[] {
  const action = "compute worst drawdowns";
  checkDatedReturns(action, dates, returns);
  requireInteger(action, "count", count, { min: 1 });
  for (let t = 0; t < returns.length; t++) {
    if (!(returns[t] > -1)) throw rangeError(action, `returns[${t}]`, "> -1 (wealth stays positive)", returns[t]);
  }
  const n = returns.length, episodes: DrawdownEpisode[] = [];
  const close = (start: number, trough: number, recovery: number | null, depth: number) => {
    episodes.push({
      start: dates[start],
      trough: dates[trough],
      recovery: recovery === null ? null : dates[recovery],
      startIndex: start,
      troughIndex: trough,
      recoveryIndex: recovery,
      depth,
      toTrough: trough - start + 1,
      toRecovery: recovery === null ? null : recovery - trough,
      length: (recovery ?? n) - start + (recovery === null ? 0 : 1),
    });
  };
  let wealth = 1, peak = 1, start = -1, trough = -1, low = 1;
  for (let t = 0; t < n; t++) {
    wealth *= 1 + returns[t];
    if (wealth >= peak) {
      if (start >= 0) close(start, trough, t, low / peak - 1);
      (peak = wealth), (start = -1);
    } else if (start < 0) (start = t), (trough = t), (low = wealth);
    else if (wealth < low) (trough = t), (low = wealth);
  }
  if (start >= 0) close(start, trough, null, low / peak - 1);
  return episodes.sort((a, b) => a.depth - b.depth || a.startIndex - b.startIndex).slice(0, count);
}
