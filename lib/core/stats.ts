/**
 * Descriptive statistics on plain or typed arrays, with their estimators stated: compensated sums, sample moments
 * with an explicit `ddof`, and quantiles with linear interpolation between order statistics (numpy's default,
 * Hyndman & Fan type 7). Inputs are checked once (finite, long enough) and never mutated.
 *
 * Reference: Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical packages. Amer. Statist. 50(4), 361–365.
 * @module
 */
import {
  rangeError,
  Received,
  requireFiniteArray,
  requireInteger,
  requireObject,
  requireOptions,
  requireProbability,
  requireSameLength,
  typeError,
} from "./check.ts";

/**
 * Sum with Neumaier's compensation: the rounding error of each addition is carried, so long sums of mixed
 * magnitudes stay accurate to a few ulps instead of growing with n.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sum } from "./stats.ts";
 *
 * assert.equal(sum([1, 1e100, 1, -1e100]), 2); // naive left-to-right summation gives 0
 * ```
 */
export function sum(values: ArrayLike<number>): number {
  requireFiniteArray("compute sum", "values", values);
  let s = 0, c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
    s = t;
  }
  return s + c;
}

/** Arithmetic mean (compensated sum / n). @throws {RangeError} If `values` is empty or holds a non-finite value. */
export function mean(values: ArrayLike<number>): number {
  requireFiniteArray("compute mean", "values", values, { minLength: 1 });
  return sum(values) / values.length;
}

/**
 * Variance Σ(x − x̄)² / (n − ddof): ddof = 1 (default) is the unbiased sample variance, ddof = 0 the population
 * (maximum-likelihood) variance. Two-pass algorithm.
 *
 * @throws {RangeError} If fewer than ddof + 1 values are given.
 */
export function variance(values: ArrayLike<number>, ddof = 1): number {
  requireInteger("compute variance", "ddof", ddof, { min: 0 });
  requireFiniteArray("compute variance", "values", values, { minLength: ddof + 1 });
  const m = sum(values) / values.length;
  let ss = 0, comp = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - m;
    ss += d * d;
    comp += d;
  }
  const n = values.length;
  return (ss - (comp * comp) / n) / (n - ddof);
}

/** Standard deviation √variance(values, ddof), ddof = 1 by default. */
export function standardDeviation(values: ArrayLike<number>, ddof = 1): number {
  return Math.sqrt(variance(values, ddof));
}

/**
 * Sample skewness g₁ = m₃ / m₂^{3/2} with population moments mₖ = Σ(x − x̄)ᵏ / n (the moment estimator, as
 * `scipy.stats.skew(bias=True)`).
 *
 * @throws {RangeError} If fewer than 3 values are given or the values are constant.
 */
export function skewness(values: ArrayLike<number>): number {
  const { m2, m3 } = centralMoments("compute skewness", values, 3);
  return m3 / Math.pow(m2, 1.5);
}

/**
 * Excess kurtosis g₂ = m₄ / m₂² − 3 with population moments (as `scipy.stats.kurtosis(bias=True)`): 0 for a
 * normal distribution, 3 for Laplace; daily changes of credit spreads typically show 5–20.
 *
 * @throws {RangeError} If fewer than 4 values are given or the values are constant.
 */
export function excessKurtosis(values: ArrayLike<number>): number {
  const { m2, m4 } = centralMoments("compute excess kurtosis", values, 4);
  return m4 / (m2 * m2) - 3;
}

function centralMoments(action: string, values: ArrayLike<number>, minLength: number) {
  requireFiniteArray(action, "values", values, { minLength });
  const n = values.length;
  const m = sum(values) / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - m, d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  if (!(m2 > 0)) throw rangeError(action, "values", "not constant", new Received(`${n} equal values`));
  return { m2, m3: m3 / n, m4: m4 / n };
}

/**
 * Pearson correlation of two equally long series.
 *
 * @throws {RangeError} If lengths differ, fewer than 2 pairs are given, or a series is constant.
 */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const action = "compute correlation";
  requireFiniteArray(action, "x", x, { minLength: 2 });
  requireFiniteArray(action, "y", y, { minLength: 2 });
  const n = requireSameLength(action, "x", x, "y", y);
  const mx = sum(x) / n, my = sum(y) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!(sxx > 0)) throw rangeError(action, "x", "not constant", new Received(`${n} equal values`));
  if (!(syy > 0)) throw rangeError(action, "y", "not constant", new Received(`${n} equal values`));
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Quantile at probability p with linear interpolation between order statistics (numpy's default `linear`, type 7):
 * h = (n − 1)·p, Q = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎) on the sorted sample.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quantile } from "./stats.ts";
 *
 * // numpy: np.percentile([1, 2, 3, 4], 5) = 1.15
 * assert.ok(Math.abs(quantile([4, 1, 3, 2], 0.05) - 1.15) < 1e-12);
 * ```
 */
export function quantile(values: ArrayLike<number>, p: number): number {
  requireFiniteArray("compute quantile", "values", values, { minLength: 1 });
  requireProbability("compute quantile", "p", p);
  return sortedQuantile(Float64Array.from(values).sort(), p);
}

/**
 * Type-7 quantile of an already ascending-sorted sample, for loops over many p. The checks cost O(1), not O(n): p,
 * the length, and the two order statistics that the interpolation reads (finite and in order); the rest of the
 * sample is the caller's responsibility.
 *
 * @throws {TypeError} If `sorted` is not an array of numbers.
 * @throws {RangeError} If `sorted` is empty, p is not in [0, 1], or an order statistic read is not finite or out of
 *   order.
 */
export function sortedQuantile(sorted: ArrayLike<number>, p: number): number {
  const action = "compute quantile of sorted sample";
  if (!isArrayLike(sorted)) throw typeError(action, "sorted", "an array of numbers", sorted);
  if (sorted.length < 1) throw rangeError(action, "sorted", "an array of at least 1 values", new Received("0"));
  requireProbability(action, "p", p);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  for (const i of [lo, hi]) {
    const v = sorted[i];
    if (typeof v !== "number") throw typeError(action, `sorted[${i}]`, "a number", v);
    if (!Number.isFinite(v)) throw rangeError(action, `sorted[${i}]`, "finite", v);
  }
  if (!(sorted[lo] <= sorted[hi])) {
    throw rangeError(
      action,
      "sorted",
      "sorted ascending",
      new Received(`sorted[${lo}] = ${sorted[lo]} > sorted[${hi}]`),
    );
  }
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * Differences x[t] − x[t − lag] for t = lag … n − 1, skipping no value: the caller removes missing data first.
 */
export function diff(values: ArrayLike<number>, lag = 1): Float64Array {
  requireInteger("compute differences", "lag", lag, { min: 1 });
  requireFiniteArray("compute differences", "values", values, { minLength: lag + 1 });
  const out = new Float64Array(values.length - lag);
  for (let t = lag; t < values.length; t++) out[t - lag] = values[t] - values[t - lag];
  return out;
}

/**
 * Pearson correlation matrix of equally long series, in the order of the record's keys.
 *
 * @param series Record of at least 2 finite values per series, all of the same length, none constant.
 * @throws {TypeError} If `series` is not a record of arrays of numbers.
 * @throws {RangeError} If a series is too short, not finite, constant, or of another length than the first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { correlationMatrix } from "./stats.ts";
 *
 * const m = correlationMatrix({ a: [1, 2, 3], b: [2, 4, 7] });
 * assert.equal(m.names.join(), "a,b");
 * assert.equal(m.values[0][0], 1);
 * ```
 */
export function correlationMatrix(
  series: Readonly<Record<string, ArrayLike<number>>>,
): { names: string[]; values: number[][] } {
  const action = "compute correlation matrix";
  requireObject(action, "series", series);
  const names = Object.keys(series);
  for (const name of names) {
    const x = requireFiniteArray(action, `series.${name}`, series[name], { minLength: 2 });
    requireSameLength(action, `series.${names[0]}`, series[names[0]], `series.${name}`, x);
    // The centred sum of squares as correlation() computes it: a constant series has no correlation.
    const n = x.length, m = sum(x) / n;
    let sxx = 0;
    for (let i = 0; i < n; i++) sxx += (x[i] - m) * (x[i] - m);
    if (!(sxx > 0)) throw rangeError(action, `series.${name}`, "not constant", new Received(`${n} equal values`));
  }
  const values = names.map((a) => names.map((b) => (a === b ? 1 : correlation(series[a], series[b]))));
  return { names, values };
}

/**
 * Trailing mean over `window` observations, skipping NaN (missing) values: out[t] is the mean of the non-NaN values
 * among values[t − window + 1 … t], or NaN when fewer than `minCount` (default window / 2, rounded up) are present.
 * Causal: out[t] uses values up to t only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rollingMean } from "./stats.ts";
 *
 * assert.deepEqual(Array.from(rollingMean([1, NaN, 3, 5], 2, { minCount: 1 })), [1, 1, 3, 4]);
 * ```
 */
export function rollingMean(
  values: ArrayLike<number>,
  window: number,
  opts: { minCount?: number } = {},
): Float64Array {
  const action = "compute rolling mean";
  if (!isArrayLike(values)) throw typeError(action, "values", "an array of numbers (NaN if missing)", values);
  if (typeof window !== "number") throw typeError(action, "window", "an integer ≥ 1", window);
  if (!Number.isInteger(window) || window < 1) throw rangeError(action, "window", "an integer ≥ 1", window);
  const o = requireOptions<{ minCount?: unknown }>(action, "opts", opts, ["minCount"]);
  if (o.minCount !== undefined && typeof o.minCount !== "number") {
    throw typeError(action, "minCount", `an integer in [1, window = ${window}]`, o.minCount);
  }
  const minCount = (o.minCount as number | undefined) ?? Math.ceil(window / 2);
  if (!Number.isInteger(minCount) || minCount < 1 || minCount > window) {
    throw rangeError(action, "minCount", `an integer in [1, window = ${window}]`, minCount);
  }
  const out = new Float64Array(values.length).fill(NaN);
  let s = 0, n = 0;
  for (let t = 0; t < values.length; t++) {
    const v = values[t];
    if (Number.isFinite(v)) s += v, n++;
    else if (typeof v !== "number") throw typeError(action, `values[${t}]`, "a number (NaN if missing)", v);
    else if (!Number.isNaN(v)) throw rangeError(action, `values[${t}]`, "finite or NaN (missing)", v);
    if (t >= window) {
      const old = values[t - window];
      if (!Number.isNaN(old)) s -= old, n--;
    }
    if (n >= minCount) out[t] = s / n;
  }
  return out;
}

/**
 * Silverman's rule-of-thumb bandwidth for a Gaussian kernel density estimate:
 *
 *     h = 0.9 · min(s, IQR / 1.34) · n^(−1/5)
 *
 * s is the sample standard deviation (n − 1), IQR = Q(0.75) − Q(0.25) the type-7 interquartile range and n the
 * sample size; IQR / 1.34 is a robust estimate of σ for a normal sample. When more than half the values tie, so that
 * IQR = 0, s is used alone (as R's `bw.nrd0`). Units are those of the values.
 *
 * References:
 * 1. Silverman, B. W. (1986). Density Estimation for Statistics and Data Analysis, eq. (3.31).
 * 2. R Core Team, `stats::bw.nrd0`.
 *
 * @param values Sample of finite values, at least 2.
 * @returns The bandwidth h > 0.
 * @throws {RangeError} If fewer than 2 values are given, a value is not finite, or the values are constant.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { silvermanBandwidth } from "./stats.ts";
 *
 * // 1..5: s = 1.5811, IQR = 4 − 2 = 2, so h = 0.9 · (2 / 1.34) · 5^(−1/5) = 0.97358
 * assert.ok(Math.abs(silvermanBandwidth([1, 2, 3, 4, 5]) - 0.9 * (2 / 1.34) * Math.pow(5, -0.2)) < 1e-12);
 * ```
 */
export function silvermanBandwidth(values: ArrayLike<number>): number {
  const action = "compute Silverman bandwidth";
  requireFiniteArray(action, "values", values, { minLength: 2 });
  const n = values.length;
  const s = standardDeviation(values);
  if (!(s > 0)) throw rangeError(action, "values", "not constant", new Received(`${n} equal values`));
  const sorted = Float64Array.from(values).sort();
  const iqr = sortedQuantile(sorted, 0.75) - sortedQuantile(sorted, 0.25);
  return 0.9 * Math.min(s, iqr / 1.34 || s) * Math.pow(n, -0.2);
}

/**
 * Gaussian kernel density estimate of a sample, evaluated at the points `at`:
 *
 *     f̂(x) = 1 / (n·h) · Σᵢ φ((x − xᵢ) / h),     φ(z) = exp(−z² / 2) / √(2π)
 *
 * xᵢ are the n sample values and h > 0 the bandwidth, in the units of the values (default
 * {@linkcode silvermanBandwidth}); f̂ is a density in 1 / units and integrates to 1 over the real line. Cost
 * O(n · points); the terms are positive, so the plain sum is accurate to about n ulps.
 *
 * Reference: Silverman, B. W. (1986). Density Estimation for Statistics and Data Analysis, eq. (2.2a) and §3.4.
 *
 * @param values Sample of finite values, at least 1 (at least 2 when the bandwidth is left to Silverman's rule).
 * @param at Points at which to evaluate the density (finite).
 * @param bandwidth Kernel bandwidth h > 0.
 * @returns f̂ at each point of `at`, as a `Float64Array` of the same length.
 * @throws {RangeError} If a value or point is not finite, or the bandwidth is not > 0.
 *
 * @example One observation gives a normal density centred on it
 * ```ts
 * import assert from "node:assert/strict";
 * import { gaussianKde } from "./stats.ts";
 *
 * const [f] = gaussianKde([0], [1], 2);
 * assert.ok(Math.abs(f - Math.exp(-0.125) / (2 * Math.sqrt(2 * Math.PI))) < 1e-15);
 * ```
 */
export function gaussianKde(
  values: ArrayLike<number>,
  at: ArrayLike<number>,
  bandwidth: number = silvermanBandwidth(values),
): Float64Array {
  const action = "compute kernel density";
  requireFiniteArray(action, "values", values, { minLength: 1 });
  requireFiniteArray(action, "at", at);
  if (!(bandwidth > 0 && Number.isFinite(bandwidth))) {
    throw rangeError(action, "bandwidth", "a finite number > 0", bandwidth);
  }
  const n = values.length, h = bandwidth;
  const out = new Float64Array(at.length);
  for (let k = 0; k < at.length; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.exp(-0.5 * ((at[k] - values[i]) / h) ** 2);
    out[k] = s / (n * h * Math.sqrt(2 * Math.PI));
  }
  return out;
}
