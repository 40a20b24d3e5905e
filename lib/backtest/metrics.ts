/**
 * Performance of a periodic simple-return series (daily by default): Sharpe, Sortino, drawdown, Calmar, VaR, CVaR,
 * information ratio, hit rate, the probabilistic Sharpe ratio, and a summary table.
 *
 * **Our definitions** (convention `"creditlab"`, the default). Returns rₜ are simple returns per period; P periods
 * per year (252 unless given: pass 52 or 12 for weekly or monthly data); the risk-free rate is **per period**.
 *
 *     Sharpe      mean(r − rf) / sd(r − rf) · √P                         sd with n − 1
 *     Sortino     mean(r − rf) / √mean(min(r − rf, 0)²) · √P              downside over all n periods
 *     drawdown    Wₜ / maxₛ≤ₜ Wₛ − 1 on Wₜ = Πₛ≤ₜ(1 + rₛ) with W₀ = 1      a first-period loss counts
 *     CAGR        W_n^{P/n} − 1                                          years = n / P
 *     Calmar      CAGR / |max drawdown|
 *     VaR(level)  the (1 − level) quantile of r, linear between order statistics (numpy's default)
 *     CVaR(level) mean of the returns at or below VaR
 *     IR          mean(r − b) / sd(r − b) · √P                           annualised like Sharpe
 *     hit rate    share of non-zero periods with r > 0
 *     PSR(SR*)    Φ((SR − SR*)·√(n − 1) / √(1 − γ₃·SR + (γ₄ − 1)/4·SR²))  SR per period; γ₃, γ₄ sample skewness
 *                                                                       and (raw) kurtosis, moment estimators
 *     DSR         PSR(SR₀), SR₀ the expected best SR of N trials on noise   for the best of a sweep (selection bias)
 *
 * **Peers disagree**, and `convention` reproduces them on the points where they differ from ours:
 *
 * | point                    | creditlab            | empyrical 0.5.5            | quantstats 0.0.84                  |
 * |--------------------------|----------------------|----------------------------|------------------------------------|
 * | risk-free rate           | per period           | per period                 | annual, de-annualised (1+rf)^(1/P)−1 |
 * | VaR                      | historical, type 7   | historical, type 7         | parametric normal: μ + σ·Φ⁻¹(1−level) |
 * | CVaR                     | mean ≤ VaR           | mean of ⌊(n−1)(1−level)⌋+1 worst | normal expected shortfall         |
 * | information ratio        | annualised (·√P)     | not annualised             | not annualised                     |
 * | PSR moments              | moment estimators    | (no PSR)                   | pandas' bias-corrected skew, kurtosis |
 *
 * All three now agree on Sharpe and Sortino with rf = 0, on drawdowns measured from the starting wealth (older
 * releases of both libraries started from the first period's close and so missed a first-period loss) and on
 * CAGR over n/P years (quantstats before 0.0.8x used calendar days / 365).
 *
 * A statistic that is undefined for the data throws and says why (constant returns, no losing period, no
 * drawdown); {@linkcode performanceSummary} reports those as not available, with the reason, instead of a number.
 *
 * References:
 * 1. Sharpe, W. F. (1994). The Sharpe ratio. J. Portfolio Management 21(1), 49–58.
 * 2. Sortino, F. A. & Price, L. N. (1994). Performance measurement in a downside risk framework. J. Investing 3(3).
 * 3. Bailey, D. H. & López de Prado, M. (2012). The Sharpe ratio efficient frontier. J. Risk 15(2), 3–44 (PSR).
 * 4. Bailey, D. H. & López de Prado, M. (2014). The deflated Sharpe ratio: correcting for selection bias, backtest
 *    overfitting and non-normality. J. Portfolio Management 40(5), 94–107 (DSR).
 * 5. Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical packages. Amer. Statist. 50(4) (type 7).
 * @module
 */
import { normCdf, normInv, normPdf } from "../core/special.ts";
import {
  rangeError,
  requireFinite,
  requireFiniteArray,
  requireInteger,
  requireNonNegative,
  requireOneOf,
  requireOptions,
  requirePositive,
  requireProbability,
  requireSameLength,
} from "../core/check.ts";
import { sortedQuantile } from "../core/stats.ts";

/**
 * A statistic that is undefined for the data it was given (constant returns, no losing period, no drawdown, only
 * zeros). The summaries report it as not available, with this message as the reason; every other error propagates.
 */
export class UndefinedStatisticError extends RangeError {
  override name = "RangeError";
}

function undefinedStatistic(action: string, rule: string, received: string): UndefinedStatisticError {
  return new UndefinedStatisticError(`Cannot ${action}: returns must be ${rule}, received ${received}`);
}

/** Whose definitions to use where libraries disagree (see the module table). */
export type Convention = "creditlab" | "empyrical" | "quantstats";

/** Options of the ratios. */
export interface MetricOptions {
  /** Periods per year (default 252; 52 weekly, 12 monthly). */ readonly periodsPerYear?: number;
  /** Risk-free rate: per period, or annual under the quantstats convention (default 0). */ readonly riskFree?: number;
  /** Definitions (default `"creditlab"`). */ readonly convention?: Convention;
}

/** The keys of {@linkcode MetricOptions}: every other key is refused (a misspelt option must not do nothing). */
const METRIC_KEYS = ["periodsPerYear", "riskFree", "convention"] as const;

const CONVENTIONS: readonly Convention[] = ["creditlab", "empyrical", "quantstats"];

/**
 * Checks a metric's options object (undefined is `{}`; null, a non-object or an unknown key is refused) and its
 * fields: periodsPerYear a finite number > 0, riskFree finite, convention one of the three.
 */
function metricOptions(action: string, opts: unknown, extra: readonly string[] = []): MetricOptions {
  const o = requireOptions<MetricOptions>(action, "opts", opts, [...METRIC_KEYS, ...extra]);
  if (o.periodsPerYear !== undefined) requirePositive(action, "periodsPerYear", o.periodsPerYear);
  if (o.riskFree !== undefined) requireFinite(action, "riskFree", o.riskFree);
  if (o.convention !== undefined) requireOneOf(action, "convention", o.convention, CONVENTIONS);
  return o;
}

/** Largest |x| over the arrays and numbers given: the scale against which rounding noise is measured. */
function scaleOf(...parts: (ArrayLike<number> | number)[]): number {
  let scale = 0;
  for (const part of parts) {
    if (typeof part === "number") scale = Math.max(scale, Math.abs(part));
    else for (let i = 0; i < part.length; i++) scale = Math.max(scale, Math.abs(part[i]));
  }
  return scale;
}

/** Rounding noise: a spread of values at or below 16 ulps of their scale is indistinguishable from zero. */
const NOISE = 16 * Number.EPSILON;

function resolve(action: string, returns: ArrayLike<number>, opts: MetricOptions, minLength = 2) {
  requireFiniteArray(action, "returns", returns);
  // Too short a sample leaves the statistic undefined (a summary shows it as not available).
  if (returns.length < minLength) {
    throw undefinedStatistic(action, `an array of at least ${minLength} values`, `${returns.length}`);
  }
  const periods = opts.periodsPerYear ?? 252;
  if (!(periods > 0 && Number.isFinite(periods))) {
    throw rangeError(action, "periodsPerYear", "a finite number > 0", periods);
  }
  const convention = opts.convention ?? "creditlab";
  if (!["creditlab", "empyrical", "quantstats"].includes(convention)) {
    throw rangeError(action, "convention", '"creditlab", "empyrical" or "quantstats"', convention);
  }
  const rf = opts.riskFree ?? 0;
  if (!Number.isFinite(rf)) throw rangeError(action, "riskFree", "finite", rf);
  const perPeriod = convention === "quantstats" ? Math.pow(1 + rf, 1 / periods) - 1 : rf;
  // Rounding noise of r − rf is relative to the returns and the rate, not to their (possibly tiny) difference.
  const scale = scaleOf(returns, perPeriod);
  return { periods, convention, scale, excess: Float64Array.from(returns, (r) => r - perPeriod) };
}

function meanOf(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/**
 * Sample standard deviation (n − 1), refused as undefined when it is at the level of rounding noise: at most
 * 16·n ulps of `scale` (default the largest |x|; give the scale of the inputs when x is a difference such as r − b).
 * The n is the rounding bound of the mean: summing n equal values can miss their mean by up to about n ulps, which
 * gives a constant series a tiny standard deviation and a Sharpe ratio of 10¹⁵ instead of none.
 */
function sdOf(action: string, x: ArrayLike<number>, scale = scaleOf(x)): number {
  const m = meanOf(x);
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - m) ** 2;
  const sd = Math.sqrt(ss / (x.length - 1));
  // A standard deviation at the level of rounding noise (relative to the values) means the series is constant.
  if (!(sd > NOISE * scale * x.length)) {
    throw undefinedStatistic(
      action,
      "not constant",
      sd === 0 ? `${x.length} equal values` : `${x.length} values equal to rounding (sd ${sd.toExponential(1)})`,
    );
  }
  return sd;
}

/**
 * Annualised Sharpe ratio mean(r − rf) / sd(r − rf) · √P (sample standard deviation, n − 1).
 *
 * @throws {RangeError} If returns are fewer than 2, not finite, or constant.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sharpeRatio } from "./metrics.ts";
 *
 * // mean 0.001, sd 0.01 (n − 1) → 0.1 per period, √252·0.1 annualised
 * const r = [0.011, -0.009, 0.011, -0.009, 0.011, -0.009].map((x) => x + 0.0);
 * assert.ok(Math.abs(sharpeRatio(r) - (0.001 / Math.sqrt(0.0006 / 5)) * Math.sqrt(252)) < 1e-12);
 * ```
 */
export function sharpeRatio(returns: ArrayLike<number>, opts?: MetricOptions): number {
  const action = "compute Sharpe ratio";
  const { periods, excess, scale } = resolve(action, returns, metricOptions(action, opts));
  return (meanOf(excess) / sdOf(action, excess, scale)) * Math.sqrt(periods);
}

/**
 * Annualised Sortino ratio mean(r − rf) / √(mean(min(r − rf, 0)²)) · √P, the downside deviation taken over all n
 * periods (target = rf).
 *
 * @throws {RangeError} If no period is below the target (the downside deviation is 0), or the downside deviation
 * is at the level of rounding noise relative to the returns and the risk-free rate (the ratio would be a huge number
 * made of rounding errors).
 */
export function sortinoRatio(returns: ArrayLike<number>, opts?: MetricOptions): number {
  const action = "compute Sortino ratio";
  const { periods, excess, scale } = resolve(action, returns, metricOptions(action, opts));
  let down = 0;
  for (const x of excess) if (x < 0) down += x * x;
  if (down === 0) {
    throw undefinedStatistic(action, "below the target in at least one period", "no losing period");
  }
  const downside = Math.sqrt(down / excess.length);
  if (!(downside > NOISE * scale)) {
    throw undefinedStatistic(
      action,
      "below the target by more than rounding in at least one period",
      `a downside deviation of ${downside.toExponential(1)}`,
    );
  }
  return (meanOf(excess) / downside) * Math.sqrt(periods);
}

/**
 * Drawdown series Wₜ / maxₛ≤ₜ Wₛ − 1 of the wealth Wₜ = Πₛ≤ₜ(1 + rₛ) started at W₀ = 1 (so a first-period loss
 * is a drawdown). Same length as `returns`.
 */
export function drawdownSeries(returns: ArrayLike<number>): Float64Array {
  requireFiniteArray("compute drawdowns", "returns", returns, { minLength: 1 });
  const out = new Float64Array(returns.length);
  let wealth = 1, peak = 1;
  for (let t = 0; t < returns.length; t++) {
    wealth *= 1 + returns[t];
    if (wealth > peak) peak = wealth;
    out[t] = wealth / peak - 1;
  }
  return out;
}

/**
 * Maximum drawdown (≤ 0) of the compounded wealth started at 1.
 *
 * @example A first-period loss counts
 * ```ts
 * import assert from "node:assert/strict";
 * import { maxDrawdown } from "./metrics.ts";
 *
 * assert.ok(Math.abs(maxDrawdown([-0.1, 0.05]) + 0.1) < 1e-15);
 * ```
 */
export function maxDrawdown(returns: ArrayLike<number>): number {
  let worst = 0;
  for (const d of drawdownSeries(returns)) if (d < worst) worst = d;
  return worst;
}

/** Compound annual growth rate W_n^{P/n} − 1 (years = n/P). @throws {RangeError} If wealth falls to ≤ 0. */
export function cagr(returns: ArrayLike<number>, opts?: MetricOptions): number {
  const action = "compute CAGR";
  const { periods } = resolve(action, returns, metricOptions(action, opts), 1);
  let logWealth = 0;
  for (let t = 0; t < returns.length; t++) {
    if (!(returns[t] > -1)) throw rangeError(action, `returns[${t}]`, "> -1 (wealth stays positive)", returns[t]);
    logWealth += Math.log1p(returns[t]);
  }
  return Math.expm1((logWealth * periods) / returns.length);
}

/** Annualised volatility sd(r) · √P (n − 1). */
export function annualVolatility(returns: ArrayLike<number>, opts?: MetricOptions): number {
  const action = "compute volatility";
  const { periods } = resolve(action, returns, metricOptions(action, opts));
  return sdOf(action, returns) * Math.sqrt(periods);
}

/**
 * Calmar ratio CAGR / |max drawdown|.
 *
 * @throws {RangeError} If the series never draws down, or only by rounding noise (|max drawdown| ≤ 16·n ulps, the
 * error of compounding n returns): the ratio is undefined.
 */
export function calmarRatio(returns: ArrayLike<number>, opts?: MetricOptions): number {
  const action = "compute Calmar ratio";
  const o = metricOptions(action, opts);
  requireFiniteArray(action, "returns", returns, { minLength: 1 });
  const dd = maxDrawdown(returns);
  if (dd === 0) {
    throw undefinedStatistic(action, "a series with a drawdown", "no drawdown (wealth never fell)");
  }
  if (!(-dd > NOISE * returns.length)) {
    throw undefinedStatistic(
      action,
      "a series with a drawdown larger than rounding",
      `a drawdown of ${(-dd).toExponential(1)} over ${returns.length} periods`,
    );
  }
  return cagr(returns, o) / Math.abs(dd);
}

/**
 * Historical value at risk: the (1 − level) quantile of the returns with linear interpolation between order
 * statistics (numpy's default percentile); a return, usually negative. Under the quantstats convention, the
 * parametric (normal) VaR μ + σ·Φ⁻¹(1 − level).
 *
 * @param level Confidence level in (0, 1), default 0.95.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { valueAtRisk } from "./metrics.ts";
 *
 * // numpy: np.percentile([-0.03, -0.01, 0, 0.01, 0.02], 5) = -0.026
 * assert.ok(Math.abs(valueAtRisk([0.02, -0.01, 0, 0.01, -0.03]) + 0.026) < 1e-15);
 * ```
 */
export function valueAtRisk(returns: ArrayLike<number>, level = 0.95, opts?: MetricOptions): number {
  const action = "compute value at risk";
  checkLevel(action, level);
  const o = metricOptions(action, opts);
  const { convention } = resolve(action, returns, o, conventionOf(o) === "quantstats" ? 2 : 1);
  if (convention === "quantstats") return meanOf(returns) + sdOf(action, returns) * normInv(1 - level);
  return sortedQuantile(Float64Array.from(returns).sort(), 1 - level);
}

/**
 * Conditional value at risk (expected shortfall): the mean of the returns at or below the historical VaR. Under
 * empyrical's convention the mean of the ⌊(n − 1)(1 − level)⌋ + 1 lowest returns; under quantstats', the normal
 * expected shortfall μ − σ·φ(Φ⁻¹(α))/α with α = 1 − level.
 */
export function conditionalValueAtRisk(returns: ArrayLike<number>, level = 0.95, opts?: MetricOptions): number {
  const action = "compute conditional value at risk";
  checkLevel(action, level);
  const o = metricOptions(action, opts);
  const { convention } = resolve(action, returns, o, conventionOf(o) === "quantstats" ? 2 : 1);
  const alpha = 1 - level;
  if (convention === "quantstats") {
    return meanOf(returns) - (sdOf(action, returns) * normPdf(normInv(alpha))) / alpha;
  }
  const sorted = Float64Array.from(returns).sort();
  if (convention === "empyrical") return meanOf(sorted.subarray(0, Math.floor((sorted.length - 1) * alpha) + 1));
  const cutoff = sortedQuantile(sorted, alpha);
  let s = 0, n = 0;
  for (const r of sorted) {
    if (r > cutoff) break;
    s += r;
    n++;
  }
  return s / n;
}

/**
 * Information ratio mean(r − b) / sd(r − b), annualised by √P (not annualised under the empyrical and quantstats
 * conventions).
 *
 * `riskFree` is accepted and has no effect (it cancels out of r − b).
 *
 * @throws {RangeError} If the series differ in length or the active return is constant (its standard deviation at
 * the level of rounding noise relative to the returns and the benchmark).
 */
export function informationRatio(
  returns: ArrayLike<number>,
  benchmark: ArrayLike<number>,
  opts?: MetricOptions,
): number {
  const action = "compute information ratio";
  const o = metricOptions(action, opts);
  requireFiniteArray(action, "returns", returns);
  requireFiniteArray(action, "benchmark", benchmark);
  requireSameLength(action, "returns", returns, "benchmark", benchmark);
  const { periods, convention } = resolve(action, returns, { ...o, riskFree: 0 });
  const active = Float64Array.from(returns, (r, i) => r - benchmark[i]);
  const ir = meanOf(active) / sdOf(action, active, scaleOf(returns, benchmark));
  return convention === "creditlab" ? ir * Math.sqrt(periods) : ir;
}

/**
 * Hit rate: the share of non-zero periods with a positive return (flat periods are left out, as in quantstats).
 *
 * @throws {RangeError} If every return is zero.
 */
export function hitRate(returns: ArrayLike<number>): number {
  requireFiniteArray("compute hit rate", "returns", returns, { minLength: 1 });
  let wins = 0, active = 0;
  for (const r of Array.from(returns)) if (r !== 0) (active++, r > 0 && wins++);
  if (active === 0) {
    throw undefinedStatistic("compute hit rate", "not all zero", `${returns.length} zeros`);
  }
  return wins / active;
}

/**
 * Probabilistic Sharpe ratio: the probability that the true (per-period) Sharpe ratio exceeds a benchmark SR*,
 * given the sample length and the skewness and kurtosis of the returns.
 *
 *     PSR(SR*) = Φ((SR − SR*)·√(n − 1) / √(1 − γ₃·SR + (γ₄ − 1)/4·SR²))
 *
 * SR = mean/sd per period (not annualised); γ₃ skewness and γ₄ kurtosis (3 for a normal), moment estimators — or
 * pandas' bias-corrected ones under the quantstats convention. A PSR near 0.5 says the Sharpe ratio is
 * indistinguishable from the benchmark: luck.
 *
 * @param opts `benchmark` SR* per period (default 0); `convention`.
 * @throws {RangeError} If returns are fewer than 4 or constant.
 */
export function probabilisticSharpeRatio(
  returns: ArrayLike<number>,
  opts?: { benchmark?: number; convention?: Convention; riskFree?: number; periodsPerYear?: number },
): number {
  return psr("compute probabilistic Sharpe ratio", returns, opts);
}

function psr(
  action: string,
  returns: ArrayLike<number>,
  options: { benchmark?: number; convention?: Convention; riskFree?: number; periodsPerYear?: number } | undefined,
): number {
  const opts = metricOptions(action, options, ["benchmark"]) as { benchmark?: number } & MetricOptions;
  if (opts.benchmark !== undefined) requireFinite(action, "benchmark", opts.benchmark);
  const { excess, convention, scale } = resolve(action, returns, opts, 4);
  const n = excess.length;
  const sr = meanOf(excess) / sdOf(action, excess, scale);
  const m = meanOf(excess);
  let m2 = 0, m3 = 0, m4 = 0;
  for (const x of excess) {
    const d = x - m;
    m2 += d * d, m3 += d * d * d, m4 += d * d * d * d;
  }
  m2 /= n, m3 /= n, m4 /= n;
  let skew = m3 / Math.pow(m2, 1.5);
  let kurt = m4 / (m2 * m2);
  if (convention === "quantstats") {
    skew *= Math.sqrt(n * (n - 1)) / (n - 2); // pandas Series.skew (adjusted Fisher–Pearson)
    kurt = (((n + 1) * (kurt - 3) + 6) * (n - 1)) / ((n - 2) * (n - 3)) + 3; // pandas Series.kurt + 3
  }
  const benchmark = opts.benchmark ?? 0;
  const variance = 1 - skew * sr + ((kurt - 1) / 4) * sr * sr;
  if (!(variance > 0)) {
    throw undefinedStatistic(action, "moments giving a positive variance of SR", String(variance));
  }
  return normCdf(((sr - benchmark) * Math.sqrt(n - 1)) / Math.sqrt(variance));
}

function conventionOf(opts: MetricOptions): Convention {
  return opts.convention ?? "creditlab";
}

function checkLevel(action: string, level: number): void {
  requireProbability(action, "level", level);
  if (level === 0 || level === 1) throw rangeError(action, "level", "in (0, 1)", level);
}

/** Euler–Mascheroni constant γ. */
const EULER_GAMMA = 0.5772156649015329;

/**
 * Expected maximum of `trials` independent estimates of a Sharpe ratio whose true value is 0 and whose estimates
 * have variance `variance` across trials (Bailey & López de Prado 2014, eq. 6, after the extreme-value
 * approximation of the maximum of N standard normals):
 *
 *     SR₀ = √V · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)))        γ the Euler–Mascheroni constant
 *
 * This is the benchmark the best of N configurations must beat to be more than luck. Units are those of the
 * Sharpe ratios whose variance is given (per period in {@linkcode deflatedSharpeRatio}).
 *
 * @throws {RangeError} If `trials` is not an integer ≥ 2 or `variance` is negative or not finite.
 *
 * @example Bailey & López de Prado's example: 100 trials, variance 0.5 of annualised SRs, daily data (250 a year)
 * ```ts
 * import assert from "node:assert/strict";
 * import { expectedMaxSharpe } from "./metrics.ts";
 *
 * assert.ok(Math.abs(expectedMaxSharpe(100, 0.5 / 250) - 0.1132) < 5e-5); // the paper's SR₀ per day
 * ```
 */
export function expectedMaxSharpe(trials: number, variance: number): number {
  return expectedMax("compute expected maximum Sharpe ratio", "trials", trials, "variance", variance);
}

function expectedMax(action: string, trialsName: string, trials: unknown, varianceName: string, variance: unknown) {
  if (typeof trials !== "number") requireInteger(action, trialsName, trials);
  if (!(Number.isInteger(trials) && (trials as number) >= 2)) {
    throw rangeError(action, trialsName, "an integer ≥ 2", trials);
  }
  if (typeof variance !== "number") requireNonNegative(action, varianceName, variance);
  if (!(Number.isFinite(variance) && (variance as number) >= 0)) {
    throw rangeError(action, varianceName, "finite and ≥ 0", variance);
  }
  return expectedMaxOf(trials as number, variance as number);
}

function expectedMaxOf(trials: number, variance: number): number {
  return Math.sqrt(variance) *
    ((1 - EULER_GAMMA) * normInv(1 - 1 / trials) + EULER_GAMMA * normInv(1 - 1 / (trials * Math.E)));
}

/** Options of {@linkcode deflatedSharpeRatio}. */
export interface DeflatedSharpeOptions {
  /**
   * The per-period Sharpe ratios of every configuration tried (the chosen one among them), from which the number of
   * trials and the variance of their estimates are taken. Give either this or `trials` and `sharpeVariance`.
   */
  readonly trialSharpes?: ArrayLike<number>;
  /** Number of configurations tried (≥ 2). */ readonly trials?: number;
  /** Variance of the per-period Sharpe ratio estimates across the trials. */ readonly sharpeVariance?: number;
  /** Risk-free rate per period, as for the other ratios (default 0). */ readonly riskFree?: number;
}

/**
 * Deflated Sharpe ratio (Bailey & López de Prado 2014): the probabilistic Sharpe ratio of the chosen strategy
 * against the Sharpe ratio that the best of N trials would reach by luck alone,
 *
 *     DSR = PSR(SR₀),      SR₀ = expectedMaxSharpe(N, V[SRₙ])
 *
 * A DSR near 1 says the selected configuration's Sharpe ratio survives the search that found it; near 0.5 or below,
 * a search of that size would have found as good a ratio on noise. SRs are per period (not annualised).
 *
 * @throws {RangeError} If the returns are fewer than 4 or constant, or the trials are inconsistent.
 * @throws {TypeError} On an unknown option key.
 */
export function deflatedSharpeRatio(returns: ArrayLike<number>, opts: DeflatedSharpeOptions): number {
  const action = "compute deflated Sharpe ratio";
  requireOptions(action, "opts", opts, ["trialSharpes", "trials", "sharpeVariance", "riskFree"]);
  if (opts?.riskFree !== undefined) requireFinite(action, "opts.riskFree", opts.riskFree);
  let trials: number, variance: number;
  if (opts?.trialSharpes !== undefined) {
    if (opts.trials !== undefined || opts.sharpeVariance !== undefined) {
      throw rangeError(action, "opts.trials and opts.sharpeVariance", "left out when trialSharpes is given", "both");
    }
    requireFiniteArray(action, "opts.trialSharpes", opts.trialSharpes);
    trials = opts.trialSharpes.length;
    if (trials < 2) throw rangeError(action, "opts.trialSharpes", "at least 2 Sharpe ratios", trials);
    const m = meanOf(opts.trialSharpes);
    let ss = 0;
    for (let i = 0; i < trials; i++) ss += (opts.trialSharpes[i] - m) ** 2;
    variance = ss / (trials - 1);
  } else {
    if (opts?.trials === undefined || opts.sharpeVariance === undefined) {
      throw rangeError(action, "opts", "either trialSharpes or both trials and sharpeVariance", opts);
    }
    trials = opts.trials, variance = opts.sharpeVariance;
  }
  const benchmark = expectedMax(action, "opts.trials", trials, "opts.sharpeVariance", variance);
  return psr(action, returns, { benchmark, riskFree: opts.riskFree });
}
