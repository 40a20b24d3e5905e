/**
 * Signal research: forward returns, the rank information coefficient (IC) by horizon, its decay, and quantile
 * portfolios.
 *
 *     forward return   Rᵢ(t, h) = Πₛ₌ₜ₊₁^{t+h} (1 + rᵢ(s)) − 1          earned after the signal date t
 *     rank IC          IC(t, h) = Spearman correlation across bonds of signalᵢ(t) and Rᵢ(t, h)
 *
 * The IC at t pairs a signal known at the close of t with returns from t + 1 on: no look-ahead. Its mean over dates
 * measures predictive power (0.02–0.05 is already useful in cross-sectional credit); its t-statistic accounts for
 * the overlap of h-day returns with a Newey–West variance over h − 1 lags.
 *
 * References:
 * 1. Grinold, R. C. & Kahn, R. N. (2000). Active Portfolio Management, 2nd ed., ch. 6 (information coefficient).
 * 2. Newey, W. K. & West, K. D. (1987). A simple, positive semi-definite, heteroskedasticity and autocorrelation
 *    consistent covariance matrix. Econometrica 55(3), 703–708.
 * @module
 */
import { MAX_ELEMENTS, rangeError, requireInteger, requireObject, requireOptions, typeError } from "../core/check.ts";
import { crossSectionalRank, type Panel, requirePanel, requireRowMajor, requireSameShape } from "./panel.ts";

/** Options of the IC functions. */
export interface ICOptions {
  /** Fewest bonds with both values for a date to get an IC (default 20; when given, an integer in [1, cols]). */
  readonly minAssets?: number;
}

function minAssetsOf(action: string, opts: unknown, cols: number): number {
  const o = requireOptions<ICOptions>(action, "opts", opts, ["minAssets"]);
  if (o.minAssets === undefined) return 20;
  return requireInteger(action, "opts.minAssets", o.minAssets, { min: 1, max: Math.max(1, cols) });
}

/** Checks a list of horizons or lags: a non-empty array of integers ≥ `min`. */
function requireSteps(action: string, name: string, value: unknown, min: number): readonly number[] {
  if (!Array.isArray(value)) throw typeError(action, name, "an array of integers", value);
  if (value.length === 0) throw rangeError(action, name, "at least one value", 0);
  value.forEach((h, i) => requireInteger(action, `${name}[${i}]`, h, { min, max: MAX_ELEMENTS }));
  return value;
}

/** The IC summary, or an error in the caller's names when too few dates have an IC. */
function summarizeFor(action: string, ic: Float64Array, horizon: number, what: string, minAssets: number): ICSummary {
  let n = 0;
  for (const v of ic) if (!Number.isNaN(v)) n++;
  if (n < 10) {
    const rule = `at least 10 dates with an IC ${what} (a date needs opts.minAssets = ${minAssets} bonds with both ` +
      "a signal and a return)";
    throw rangeError(action, "signal", rule, n);
  }
  return summarizeIC(ic, horizon);
}

/**
 * Compounded forward returns over the next `horizon` dates (NaN where the window runs past the end).
 *
 * @param returns Daily returns, dates × bonds row-major, finite.
 * @param cols Number of bonds.
 * @param horizon h, an integer ≥ 1. @param skip Dates skipped before the window starts (default 0).
 * @throws {RangeError} If a return is not finite or an argument is out of range. @throws {TypeError} On a wrong type.
 */
export function forwardReturns(returns: Float64Array, cols: number, horizon: number, skip = 0): Panel {
  const rows = requireRowMajor("compute forward returns", "returns", returns, "cols", cols);
  requireInteger("compute forward returns", "horizon", horizon, { min: 1, max: MAX_ELEMENTS });
  requireInteger("compute forward returns", "skip", skip, { min: 0, max: MAX_ELEMENTS });
  const out = new Float64Array(returns.length).fill(NaN);
  for (let i = 0; i < cols; i++) {
    for (let t = 0; t + skip + horizon < rows; t++) {
      let g = 1;
      for (let s = t + skip + 1; s <= t + skip + horizon; s++) g *= 1 + returns[s * cols + i];
      out[t * cols + i] = g - 1;
    }
  }
  return { rows, cols, values: out };
}

/**
 * Rank IC per date: the Pearson correlation of the cross-sectional ranks of signal and forward return, over the
 * bonds where both are available (NaN for dates with fewer than `minAssets`, default 20).
 *
 * @throws {RangeError} If the panels differ in shape or `minAssets` is not in [1, cols].
 * @throws {TypeError} If an argument is not a panel or an option key is unknown.
 */
export function rankIC(signal: Panel, forward: Panel, opts: ICOptions = {}): Float64Array {
  const action = "compute rank IC";
  requirePanel(action, "signal", signal);
  requirePanel(action, "forward", forward);
  requireSameShape(action, "forward", forward, "signal", signal);
  const minAssets = minAssetsOf(action, opts, signal.cols);
  // Rank only the pairs where both exist, so both rank vectors cover the same bonds.
  const both = (p: Panel, q: Panel) => ({
    rows: p.rows,
    cols: p.cols,
    values: p.values.map((v, k) => (Number.isNaN(q.values[k]) ? NaN : v)),
  });
  const a = crossSectionalRank(both(signal, forward)).values, b = crossSectionalRank(both(forward, signal)).values;
  const out = new Float64Array(signal.rows).fill(NaN);
  for (let t = 0; t < signal.rows; t++) {
    let sab = 0, saa = 0, sbb = 0, n = 0;
    for (let i = 0, k = t * signal.cols; i < signal.cols; i++, k++) {
      if (Number.isNaN(a[k]) || Number.isNaN(b[k])) continue;
      sab += a[k] * b[k], saa += a[k] * a[k], sbb += b[k] * b[k], n++;
    }
    if (n >= minAssets && saa > 0 && sbb > 0) out[t] = sab / Math.sqrt(saa * sbb);
  }
  return out;
}

/** Summary of an IC series: mean, standard deviation, Newey–West t-statistic and share of positive dates. */
export interface ICSummary {
  readonly horizon: number;
  readonly meanIC: number;
  readonly sdIC: number;
  readonly tStat: number;
  readonly positiveShare: number;
  readonly dates: number;
}

/**
 * Summarises an IC series, with a Newey–West (Bartlett) long-run variance over `lags` (h − 1 for h-day returns).
 *
 * @param ic IC per date, finite or NaN (no IC that date).
 * @param horizon h, an integer ≥ 1. @param lags Newey–West lags, an integer ≥ 0 (default h − 1; lags beyond the
 *   series add nothing).
 * @throws {RangeError} If fewer than 10 dates have an IC, an IC is ±Infinity, or h or lags is out of range.
 */
export function summarizeIC(ic: Float64Array, horizon: number, lags = horizon - 1): ICSummary {
  const action = "summarize IC";
  if (!(ic instanceof Float64Array)) throw typeError(action, "ic", "a Float64Array", ic);
  requireInteger(action, "horizon", horizon, { min: 1, max: MAX_ELEMENTS });
  requireInteger(action, "lags", lags, { min: 0 });
  for (let t = 0; t < ic.length; t++) {
    if (ic[t] === Infinity || ic[t] === -Infinity) throw rangeError(action, `ic[${t}]`, "finite or NaN", ic[t]);
  }
  const x = Array.from(ic).filter((v) => !Number.isNaN(v));
  const n = x.length;
  if (n < 10) throw rangeError(action, "ic", "at least 10 dates with an IC", n);
  const m = x.reduce((a, b) => a + b, 0) / n;
  const d = x.map((v) => v - m);
  const gamma = (l: number) => d.slice(l).reduce((a, v, k) => a + v * d[k], 0) / n;
  let lrv = gamma(0);
  // γ(l) = 0 for l ≥ n (no pairs), so the sum stops at n − 1: the same value for any larger lags.
  for (let l = 1; l <= Math.min(lags, n - 1); l++) lrv += 2 * (1 - l / (lags + 1)) * gamma(l);
  return {
    horizon,
    meanIC: m,
    sdIC: Math.sqrt((gamma(0) * n) / (n - 1)),
    tStat: m / Math.sqrt(Math.max(lrv, 1e-300) / n),
    positiveShare: x.filter((v) => v > 0).length / n,
    dates: n,
  };
}

/** Checks a signal panel and the returns aligned with it (same dates × bonds). */
function checkSignalAndReturns(action: string, signal: unknown, returns: unknown): void {
  requirePanel(action, "signal", signal);
  const p = signal as Panel;
  requireRowMajor(action, "returns", returns, "signal.cols", p.cols);
  if ((returns as Float64Array).length !== p.values.length) {
    throw rangeError(
      action,
      "returns.length",
      `signal.rows × signal.cols = ${p.values.length}`,
      (returns as Float64Array).length,
    );
  }
}

/**
 * Mean rank IC of a signal at several horizons.
 *
 * @throws {RangeError} If the returns do not match the signal's shape, a horizon is not an integer ≥ 1, or fewer
 *   than 10 dates have an IC at a horizon. @throws {TypeError} On a wrong type or an unknown option.
 */
export function icByHorizon(
  signal: Panel,
  returns: Float64Array,
  horizons: readonly number[] = [1, 5, 21, 63],
  opts: ICOptions = {},
): ICSummary[] {
  const action = "measure IC by horizon";
  checkSignalAndReturns(action, signal, returns);
  requireSteps(action, "horizons", horizons, 1);
  const minAssets = minAssetsOf(action, opts, signal.cols);
  return horizons.map((h) =>
    summarizeFor(action, rankIC(signal, forwardReturns(returns, signal.cols, h), opts), h, `at horizon ${h}`, minAssets)
  );
}

/**
 * IC decay: the mean rank IC of the signal at t against the `horizon`-day return that starts `lag` dates later
 * (lag 0 = the next `horizon` days). How fast the information fades tells how often to rebalance.
 *
 * @throws {RangeError} If the returns do not match the signal's shape, a lag is not an integer ≥ 0, the horizon is
 *   not an integer ≥ 1, or fewer than 10 dates have an IC at a lag. @throws {TypeError} On a wrong type.
 */
export function icDecay(
  signal: Panel,
  returns: Float64Array,
  lags: readonly number[] = [0, 5, 10, 21, 42, 63],
  horizon = 5,
  opts: ICOptions = {},
): ICSummary[] {
  const action = "measure IC decay";
  checkSignalAndReturns(action, signal, returns);
  requireSteps(action, "lags", lags, 0);
  requireInteger(action, "horizon", horizon, { min: 1, max: MAX_ELEMENTS });
  const minAssets = minAssetsOf(action, opts, signal.cols);
  return lags.map((lag) => ({
    ...summarizeFor(
      action,
      rankIC(signal, forwardReturns(returns, signal.cols, horizon, lag), opts),
      horizon,
      `at lag ${lag}`,
      minAssets,
    ),
    horizon: lag,
  }));
}

/**
 * Quantile portfolios: on each date the bonds with a signal are split into `quantiles` equal groups by signal
 * (1 = lowest) and the forward returns averaged within each group; returns the mean over dates per quantile (the
 * top-minus-bottom spread is the last minus the first).
 *
 * @param quantiles An integer in [2, max(2, signal.cols)] (default 5).
 * @throws {RangeError} If the panels differ in shape, `quantiles` is out of range, or no date has `quantiles` bonds
 *   with both a signal and a forward return. @throws {TypeError} If an argument is not a panel.
 */
export function quantileReturns(
  signal: Panel,
  forward: Panel,
  quantiles = 5,
): { quantile: number; meanReturn: number }[] {
  const action = "compute quantile returns";
  requirePanel(action, "signal", signal);
  requirePanel(action, "forward", forward);
  requireSameShape(action, "forward", forward, "signal", signal);
  requireInteger(action, "quantiles", quantiles, { min: 2, max: Math.max(2, signal.cols) });
  const sums = new Float64Array(quantiles), counts = new Float64Array(quantiles);
  const idx: number[] = [];
  for (let t = 0; t < signal.rows; t++) {
    const base = t * signal.cols;
    idx.length = 0;
    for (let i = 0; i < signal.cols; i++) {
      if (!Number.isNaN(signal.values[base + i]) && !Number.isNaN(forward.values[base + i])) idx.push(i);
    }
    if (idx.length < quantiles) continue;
    idx.sort((p, q) => signal.values[base + p] - signal.values[base + q]);
    const bucketSums = new Float64Array(quantiles), bucketCounts = new Float64Array(quantiles);
    idx.forEach((i, j) => {
      const q = Math.min(quantiles - 1, Math.floor((j * quantiles) / idx.length));
      bucketSums[q] += forward.values[base + i];
      bucketCounts[q]++;
    });
    for (let q = 0; q < quantiles; q++) (sums[q] += bucketSums[q] / bucketCounts[q]), counts[q]++;
  }
  if (counts[0] === 0) {
    throw rangeError(action, "signal", `a date with at least ${quantiles} bonds carrying both signal and forward`, 0);
  }
  return Array.from({ length: quantiles }, (_, q) => ({ quantile: q + 1, meanReturn: sums[q] / counts[q] }));
}

/**
 * Factor correlations: the mean over dates of the cross-sectional rank (Spearman) correlation of each pair of
 * signals, over the bonds where both exist. Two factors with a correlation near 1 rank bonds alike and add little
 * to each other in a composite.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { factorCorrelations } from "./ic.ts";
 * import { panel } from "./panel.ts";
 *
 * const a = panel(Float64Array.from([1, 2, 3, 4]), 1, 4), b = panel(Float64Array.from([4, 3, 2, 1]), 1, 4);
 * const m = factorCorrelations({ a, b }, { minAssets: 3 });
 * assert.equal(m.values[0][1], -1);
 * ```
 */
export function factorCorrelations(
  signals: Readonly<Record<string, Panel>>,
  opts: ICOptions = {},
): { names: string[]; values: number[][] } {
  const action = "compute factor correlations";
  requireObject(action, "signals", signals);
  const names = Object.keys(signals);
  names.forEach((k) => requirePanel(action, `signals.${k}`, signals[k]));
  names.forEach((k) => requireSameShape(action, `signals.${k}`, signals[k], `signals.${names[0]}`, signals[names[0]]));
  if (names.length > 0) minAssetsOf(action, opts, signals[names[0]].cols);
  else requireOptions(action, "opts", opts, ["minAssets"]);
  const meanOf = (x: Float64Array, pair: string) => {
    let s = 0, n = 0;
    for (const v of x) if (!Number.isNaN(v)) s += v, n++;
    if (n === 0) throw rangeError(action, `signals ${pair}`, "a date with enough bonds carrying both", 0);
    return s / n;
  };
  const values = names.map(() => names.map(() => 1));
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const c = meanOf(rankIC(signals[names[i]], signals[names[j]], opts), `${names[i]} and ${names[j]}`);
      values[i][j] = values[j][i] = c;
    }
  }
  return { names, values };
}
