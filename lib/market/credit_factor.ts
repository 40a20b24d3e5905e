/**
 * The common credit factor: one number per day that moves every credit spread together. Log spreads of the ICE BofA
 * indices share 94 % of their variance (first principal component, 1997–2025), so the kit models a log spread as
 *
 *     log s(t) = a + b·F(t) + e(t),        e an AR(1) residual of the series
 *     F(t)     = m(t) + D(t)               the factor: a stress level plus a deviation
 *     m(t)     = μ + Σⱼ hⱼ·shapeⱼ(t)        stress episodes of `history.ts` (timing fixed, sizes hⱼ fitted)
 *     D(t)     = φ·D(t−1) + c₀·x(t) + c₁·x(t−1) + η(t),   η GARCH(1,1) with Student-t shocks
 *
 * with x optional exogenous shocks (the stand-in market feeds daily VIX shocks: equity volatility leads credit by a
 * day). The GARCH shocks give the volatility clustering and fat tails of daily spread changes; the episodes give
 * 2008, 2020 and 2022 their place in time. Used by the synthetic stand-in market and the bond-universe generator.
 *
 * Reference: Collin-Dufresne, P., Goldstein, R. S. & Martin, J. S. (2001). The determinants of credit spread
 * changes. J. Finance 56(6), 2177–2207 (a single common factor drives most spread changes).
 * @module
 */
import { leastSquares } from "../core/linalg.ts";
import { mean } from "../core/stats.ts";
import { type Rng } from "../core/rng.ts";
import {
  rangeError,
  requireBoolean,
  requireDates,
  requireFinite,
  requireFiniteArray,
  requireFunction,
  requireNonNegative,
  requireObject,
  requireOptions,
  requirePositive,
  requireSameLength,
  requireString,
  typeError,
} from "../core/check.ts";
import { CREDIT_EPISODES, type Episode, episodeShape, requirePeriods } from "./history.ts";
import { drawGarch, fitGarch } from "./garch.ts";
import { type AR1, fitAR1 } from "./ou.ts";

/** GARCH(1,1) with standardized Student-t shocks. */
export interface GarchT {
  readonly omega: number;
  readonly alpha: number;
  readonly beta: number;
  readonly nu: number;
}

/** Parameters of the credit factor F(t) = m(t) + D(t). */
export interface CreditFactorParams {
  /** μ: mean stress level, log-spread units. */ readonly mean: number;
  /** hⱼ: size of each episode, matched by name to `CREDIT_EPISODES`. */
  readonly episodes: readonly { readonly name: string; readonly height: number }[];
  /** φ: AR(1) coefficient of the deviation D. */ readonly persistence: number;
  /** GARCH(1,1)-t of the deviation's own shocks η. */ readonly garch: GarchT;
}

/** One spread series on the factor: log s = intercept + loading·F + AR(1) residual. */
export interface SpreadLoading {
  readonly name: string;
  readonly intercept: number;
  readonly loading: number;
  readonly residual: AR1;
}

/** Result of {@linkcode fitCreditFactor}. */
export interface CreditFactorFit {
  readonly params: CreditFactorParams;
  /** c₀, c₁ on the exogenous shocks, when given. */ readonly exogenous?: {
    readonly now: number;
    readonly lag: number;
  };
  /** Loadings of each input series on the factor. */ readonly series: SpreadLoading[];
  /** The factor F (mean of the log spreads, demeaned), the fitted stress level m and their difference D. */
  readonly factor: Float64Array;
  readonly stress: Float64Array;
  readonly deviation: Float64Array;
  /** Fraction of the factor's variance explained by the episode calendar. */ readonly episodeRSquared: number;
}

/**
 * Estimates the credit factor model from aligned log-spread series.
 *
 * 1. F = cross-sectional mean of the log spreads, demeaned; each series is regressed on F (intercept, loading) and
 *    its residual fitted as an AR(1).
 * 2. The stress level: least squares of F on the episode shapes (μ and the heights hⱼ).
 * 3. The deviation D = F − m: least squares of D(t) on D(t−1) (and the exogenous shocks), then a GARCH(1,1)-t fit of
 *    its residuals by maximum likelihood.
 *
 * @param dates Observation dates (UTC midnight), ascending.
 * @param logSpreads Series by name, each aligned with dates (log of the spread in percent or decimals alike).
 * @param opts `exogenous`: shock series x aligned with dates; `episodes`: the calendar (default `CREDIT_EPISODES`).
 * @throws {TypeError} If an argument has the wrong type or `opts` holds an unknown option.
 * @throws {RangeError} If a date is invalid, the series are misaligned, not finite, or fewer than 500 observations,
 *   or an episode is not dated start < peak < end.
 */
export function fitCreditFactor(
  dates: readonly Date[],
  logSpreads: Readonly<Record<string, ArrayLike<number>>>,
  opts: { exogenous?: ArrayLike<number>; episodes?: readonly Episode[] } = {},
): CreditFactorFit {
  const action = "fit credit factor";
  requireDates(action, "dates", dates);
  requireObject(action, "logSpreads", logSpreads);
  opts = requireOptions(action, "opts", opts, ["exogenous", "episodes"]);
  if (opts.episodes !== undefined) requirePeriods(action, "episodes", opts.episodes, { peaks: true });
  if (opts.exogenous !== undefined) requireFiniteArray(action, "exogenous", opts.exogenous, { length: dates.length });
  const names = Object.keys(logSpreads);
  if (names.length === 0) throw rangeError(action, "logSpreads", "at least one series", 0);
  for (const name of names) {
    requireFiniteArray(action, `logSpreads.${name}`, logSpreads[name], { minLength: 500 });
    requireSameLength(action, "dates", dates, `logSpreads.${name}`, logSpreads[name]);
  }
  const n = dates.length;
  const raw = Float64Array.from({ length: n }, (_, t) => mean(names.map((k) => logSpreads[k][t])));
  const level = mean(raw);
  const factor = raw.map((f) => f - level);
  const series = names.map((name) => {
    const fit = leastSquares(Array.from(factor, (f) => [1, f]), logSpreads[name]);
    return { name, intercept: fit.coefficients[0], loading: fit.coefficients[1], residual: fitAR1(fit.residuals) };
  });

  const episodes = opts.episodes ?? CREDIT_EPISODES;
  const shapes = episodes.map((e) => episodeShape(dates, e));
  const episodeFit = leastSquares(Array.from(factor, (_, t) => [1, ...shapes.map((s) => s[t])]), factor);
  const [mu, ...heights] = episodeFit.coefficients;
  const stress = Float64Array.from(factor, (_, t) => mu + heights.reduce((a, h, j) => a + h * shapes[j][t], 0));
  const deviation = factor.map((f, t) => f - stress[t]);

  const x = opts.exogenous;
  const rows: number[][] = [], target: number[] = [];
  for (let t = 2; t < n; t++) {
    rows.push(x ? [deviation[t - 1], x[t], x[t - 1]] : [deviation[t - 1]]);
    target.push(deviation[t]);
  }
  const dynamics = leastSquares(rows, target);
  const eta = dynamics.residuals;
  const etaMean = mean(eta);
  const garch = fitGarch(Array.from(eta, (e) => e - etaMean));
  return {
    params: {
      mean: mu,
      episodes: episodes.map((e, j) => ({ name: e.name, height: heights[j] })),
      persistence: dynamics.coefficients[0],
      garch: { omega: garch.omega, alpha: garch.alpha, beta: garch.beta, nu: garch.nu! },
    },
    exogenous: x ? { now: dynamics.coefficients[1], lag: dynamics.coefficients[2] } : undefined,
    series,
    factor,
    stress,
    deviation,
    episodeRSquared: episodeFit.rSquared,
  };
}

/**
 * Checks the fields of {@linkcode CreditFactorParams} at a public boundary (lib-internal; other fields of the object,
 * e.g. a stand-in's extra terms, are ignored): μ finite, episodes `{ name, height }` with finite heights, |φ| ≤ 1,
 * and a GARCH(1,1)-t with ω > 0, α, β ≥ 0, α + β < 1 and ν > 2. `name` prefixes the fields (`params.garch.nu`).
 */
export function checkCreditFactorParams(action: string, name: string, params: CreditFactorParams): void {
  requireObject(action, name, params);
  requireFinite(action, `${name}.mean`, params.mean);
  if (!Array.isArray(params.episodes)) {
    throw typeError(action, `${name}.episodes`, "an array of { name, height }", params.episodes);
  }
  params.episodes.forEach((e, j) => {
    requireObject(action, `${name}.episodes[${j}]`, e);
    requireString(action, `${name}.episodes[${j}].name`, e.name);
    requireFinite(action, `${name}.episodes[${j}].height`, e.height);
  });
  requireFinite(action, `${name}.persistence`, params.persistence);
  if (!(Math.abs(params.persistence) <= 1)) {
    throw rangeError(action, `${name}.persistence`, "in [-1, 1] (not explosive)", params.persistence);
  }
  const g = params.garch;
  requireObject(action, `${name}.garch`, g);
  requirePositive(action, `${name}.garch.omega`, g.omega);
  requireNonNegative(action, `${name}.garch.alpha`, g.alpha);
  requireNonNegative(action, `${name}.garch.beta`, g.beta);
  if (!(g.alpha + g.beta < 1)) {
    throw rangeError(action, `${name}.garch.alpha + beta`, "< 1 (stationary)", g.alpha + g.beta);
  }
  requireFinite(action, `${name}.garch.nu`, g.nu);
  if (!(g.nu > 2)) throw rangeError(action, `${name}.garch.nu`, "> 2", g.nu);
}

/**
 * The stress level m(t) = μ + Σⱼ hⱼ·shapeⱼ(t) on a date grid; with `episodes` false, the constant μ.
 *
 * @param opts `episodes` (default true): impose the episodes; `calendar`: the episodes by name (default
 *   `CREDIT_EPISODES`).
 * @throws {TypeError} If an argument has the wrong type or `opts` holds an unknown option.
 * @throws {RangeError} If a date or a parameter is invalid, or an episode name is not in the calendar.
 */
export function stressLevel(
  dates: readonly Date[],
  params: CreditFactorParams,
  opts: { episodes?: boolean; calendar?: readonly Episode[] } = {},
): Float64Array {
  const action = "compute stress level";
  requireDates(action, "dates", dates);
  checkCreditFactorParams(action, "params", params);
  opts = requireOptions(action, "opts", opts, ["episodes", "calendar"]);
  if (opts.episodes !== undefined) requireBoolean(action, "episodes", opts.episodes);
  if (opts.calendar !== undefined) requirePeriods(action, "calendar", opts.calendar, { peaks: true });
  return stressPath(dates, params, opts);
}

/** {@linkcode stressLevel} on validated arguments. */
function stressPath(
  dates: readonly Date[],
  params: CreditFactorParams,
  opts: { episodes?: boolean; calendar?: readonly Episode[] },
): Float64Array {
  const out = new Float64Array(dates.length).fill(params.mean);
  if (opts.episodes === false) return out;
  const calendar = opts.calendar ?? CREDIT_EPISODES;
  for (const { name, height } of params.episodes) {
    const episode = calendar.find((e) => e.name === name);
    if (!episode) throw rangeError("compute stress level", "episodes", "names of the calendar", name);
    const shape = episodeShape(dates, episode);
    for (let t = 0; t < dates.length; t++) out[t] += height * shape[t];
  }
  return out;
}

/**
 * Simulates the factor on a date grid: F(t) = m(t) + D(t) with GARCH-t shocks, plus optional exogenous shocks x
 * with loadings c₀ (same day) and c₁ (next day).
 *
 * @param rng Generator (see `makeRng`).
 * @param dates The date grid (valid Dates).
 * @param params The factor's parameters.
 * @param opts `episodes` (default true): impose the stress episodes; `exogenous`: shocks x aligned with `dates`
 *   (finite) and their finite loadings `now` (c₀) and `lag` (c₁).
 * @returns The factor F, the stress level m and the conditional variance of the shocks (for volatility scaling).
 * @throws {TypeError} If an argument has the wrong type or `opts` holds an unknown option.
 * @throws {RangeError} If a date or a parameter is invalid, or the shocks are misaligned or not finite.
 */
export function simulateCreditFactor(
  rng: Rng,
  dates: readonly Date[],
  params: CreditFactorParams,
  opts: {
    episodes?: boolean;
    exogenous?: { readonly shocks: ArrayLike<number>; readonly now: number; readonly lag: number };
  } = {},
): { factor: Float64Array; stress: Float64Array; variance: Float64Array } {
  const action = "simulate credit factor";
  requireFunction(action, "rng", rng);
  requireDates(action, "dates", dates);
  checkCreditFactorParams(action, "params", params);
  opts = requireOptions(action, "opts", opts, ["episodes", "exogenous"]);
  if (opts.episodes !== undefined) requireBoolean(action, "episodes", opts.episodes);
  if (opts.exogenous !== undefined) {
    const e = requireObject(action, "exogenous", opts.exogenous);
    requireFiniteArray(action, "exogenous.shocks", e.shocks, { length: dates.length });
    requireFinite(action, "exogenous.now", e.now);
    requireFinite(action, "exogenous.lag", e.lag);
  }
  const n = dates.length;
  const stress = stressPath(dates, params, { episodes: opts.episodes });
  const { returns: shocks, variance } = drawGarch(rng, n, params.garch);
  const x = opts.exogenous;
  const factor = new Float64Array(n);
  let deviation = 0;
  for (let t = 0; t < n; t++) {
    const pushed = x ? x.now * (x.shocks[t] ?? 0) + x.lag * (t > 0 ? x.shocks[t - 1] : 0) : 0;
    deviation = params.persistence * deviation + pushed + shocks[t];
    factor[t] = stress[t] + deviation;
  }
  return { factor, stress, variance };
}
