/**
 * Statistics that characterise a credit-spread series, used to compare simulated spreads with real ones:
 *
 *     level            mean spread (decimal)
 *     daily volatility standard deviation of daily changes Δs (decimal per day, n − 1)
 *     half-life        ln 2 / κ of an OU fitted to log s (years): how fast deviations fade
 *     excess kurtosis  of Δs (moment estimator): fat tails, 0 for normal changes
 *     correlation      of the daily changes of two series
 * @module
 */
import { correlationMatrix, diff, excessKurtosis, mean, standardDeviation } from "../core/stats.ts";
import {
  rangeError,
  Received,
  requireFiniteArray,
  requireLength,
  requireObject,
  requireOneOf,
  typeError,
} from "../core/check.ts";
import { fitOU } from "./ou.ts";
import { type BondUniverse, type Rating, RATINGS, requireUniverse } from "./universe.ts";

/** The statistics of one spread series. */
export interface SpreadStatistics {
  readonly series: string;
  readonly observations: number;
  readonly meanLevel: number;
  readonly dailyVolatility: number;
  readonly halfLife: number;
  readonly excessKurtosis: number;
}

/**
 * Statistics of each series (all > 0, daily observations).
 *
 * @throws {TypeError} If `series` is not an object of arrays of numbers.
 * @throws {RangeError} If a series holds fewer than 30 values, a value ≤ 0 or not finite, constant changes, or shows
 *   no mean reversion (an OU fit to log s needs an AR(1) slope in (0, 1)).
 */
export function spreadStatistics(series: Readonly<Record<string, ArrayLike<number>>>): SpreadStatistics[] {
  const action = "compute spread statistics";
  requireObject(action, "series", series);
  for (const [name, s] of Object.entries(series)) {
    requireFiniteArray(action, `series.${name}`, s, { minLength: 30 });
    for (let i = 0; i < s.length; i++) {
      if (!(s[i] > 0)) throw rangeError(action, `series.${name}[${i}]`, "> 0", s[i]);
    }
    requireVaryingChanges(action, `series.${name}`, s);
  }
  return Object.entries(series).map(([name, s]) => {
    const changes = diff(s);
    return {
      series: name,
      observations: s.length,
      meanLevel: mean(s),
      dailyVolatility: asCaller(
        action,
        `series.${name}`,
        "a series with varying changes",
        () => standardDeviation(changes),
      ),
      halfLife: asCaller(action, `series.${name}`, "mean-reverting", () =>
        fitOU(Float64Array.from(s, Math.log), 1 / 252))
        .halfLife,
      excessKurtosis: asCaller(
        action,
        `series.${name}`,
        "a series with varying changes",
        () => excessKurtosis(changes),
      ),
    };
  });
}

/** Requires a series whose daily changes are not all equal (a defined volatility, kurtosis and correlation). */
function requireVaryingChanges(action: string, name: string, s: ArrayLike<number>): void {
  const first = s[1] - s[0];
  for (let t = 2; t < s.length; t++) if (s[t] - s[t - 1] !== first) return;
  throw rangeError(
    action,
    name,
    "a series whose changes are not all equal",
    new Received(`${s.length - 1} equal changes`),
  );
}

/** Runs an inner estimator, reporting its RangeError under the caller's argument. */
function asCaller<T>(action: string, name: string, rule: string, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const inner = /^Cannot [^:]+: (.*), received (.*)$/.exec(error.message);
    if (!inner) throw rangeError(action, name, rule, new Received(error.message));
    throw rangeError(action, name, `${rule} (${inner[1]})`, new Received(inner[2]));
  }
}

/**
 * Correlation matrix of the daily changes of equally long series.
 *
 * @param series Series by name, finite, of one length (at least 3 values when there are two series or more).
 * @throws {TypeError} If `series` is not an object of arrays of numbers.
 * @throws {RangeError} If a value is not finite, the lengths differ, a series is too short, or its changes are all
 *   equal (the correlation is undefined).
 */
export function changeCorrelations(
  series: Readonly<Record<string, ArrayLike<number>>>,
): { names: string[]; values: number[][] } {
  const action = "compute change correlations";
  requireObject(action, "series", series);
  const entries = Object.entries(series);
  const minLength = entries.length > 1 ? 3 : 2;
  for (const [name, v] of entries) {
    requireFiniteArray(action, `series.${name}`, v, { minLength });
    requireLength(action, `series.${name}`, v, { length: entries[0][1].length, like: `series.${entries[0][0]}` });
    if (entries.length > 1) requireVaryingChanges(action, `series.${name}`, v);
  }
  return correlationMatrix(Object.fromEntries(entries.map(([k, v]) => [k, diff(v)])));
}

/**
 * Index spreads of a simulated universe: for each named group of ratings, the amount-weighted average spread of its
 * bonds on every date (how ICE builds its OAS indices, by market value).
 *
 * @example
 * ```ts
 * // indexSpreads(universe, { IG: ["AAA", "AA", "A", "BBB"], HY: ["BB", "B", "CCC"] })
 * ```
 */
export function indexSpreads(
  universe: BondUniverse,
  groups: Readonly<Record<string, readonly Rating[]>>,
): Record<string, Float64Array> {
  const action = "build index spreads";
  requireUniverse(action, "universe", universe, ["spread"]);
  requireObject(action, "groups", groups);
  for (const [name, ratings] of Object.entries(groups)) {
    if (!Array.isArray(ratings)) throw typeError(action, `groups.${name}`, "an array of ratings", ratings);
    ratings.forEach((r, k) => requireOneOf(action, `groups.${name}[${k}]`, r, RATINGS));
  }
  const N = universe.bonds.length, T = universe.dates.length;
  const out: Record<string, Float64Array> = {};
  for (const [name, ratings] of Object.entries(groups)) {
    const members = universe.bonds.map((b, i) => (ratings.includes(b.rating) ? i : -1)).filter((i) => i >= 0);
    if (members.length === 0) {
      throw rangeError("build index spreads", `group ${name}`, "ratings present in the universe", ratings.join(", "));
    }
    const weight = members.map((i) => universe.bonds[i].amount);
    const total = weight.reduce((a, b) => a + b, 0);
    out[name] = Float64Array.from(
      { length: T },
      (_, t) => members.reduce((a, i, k) => a + weight[k] * universe.spread[t * N + i], 0) / total,
    );
  }
  return out;
}

/** One rating's line in {@linkcode summarizeUniverse}. */
export interface UniverseSummaryRow {
  readonly rating: Rating;
  readonly issuers: number;
  /** Time and cross-section averages. */ readonly meanSpread: number;
  readonly meanDuration: number;
  readonly meanBidAsk: number;
  /** Defaults over the period, and per issuer-year. */ readonly defaults: number;
  readonly defaultRate: number;
  /** Annualised mean credit (excess) return. */ readonly excessReturn: number;
}

/**
 * Per-rating summary of a simulated universe.
 *
 * @throws {TypeError} If `u` is not a {@linkcode BondUniverse}.
 * @throws {RangeError} If it has fewer than 2 dates or dates that do not increase, or a panel is invalid.
 */
export function summarizeUniverse(u: BondUniverse): UniverseSummaryRow[] {
  const action = "summarize universe";
  requireUniverse(action, "u", u, ["spread", "duration", "bidAsk", "defaulted", "creditReturn"]);
  const N = u.bonds.length, T = u.dates.length;
  if (T < 2) throw rangeError(action, "u.dates", "at least 2 dates", T);
  if (!(u.dates[T - 1].getTime() > u.dates[0].getTime())) {
    throw rangeError(action, `u.dates[${T - 1}]`, "after the first date", u.dates[T - 1]);
  }
  const years = (u.dates[T - 1].getTime() - u.dates[0].getTime()) / 3.15576e10;
  const ratings = [...new Set(u.bonds.map((b) => b.rating))];
  return ratings.map((rating) => {
    const members = u.bonds.map((b, i) => (b.rating === rating ? i : -1)).filter((i) => i >= 0);
    let s = 0, d = 0, ba = 0, ex = 0, defaults = 0;
    for (let t = 0; t < T; t++) {
      for (const i of members) {
        const k = t * N + i;
        s += u.spread[k], d += u.duration[k], ba += u.bidAsk[k], defaults += u.defaulted[k];
        if (t > 0) ex += u.creditReturn[k];
      }
    }
    const cells = members.length * T;
    return {
      rating,
      issuers: members.length,
      meanSpread: s / cells,
      meanDuration: d / cells,
      meanBidAsk: ba / cells,
      defaults,
      defaultRate: defaults / (members.length * years),
      excessReturn: (ex / (members.length * (T - 1))) * 252,
    };
  });
}
