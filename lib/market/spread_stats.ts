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
import { rangeError, requireFiniteArray } from "../core/check.ts";
import { fitOU } from "./ou.ts";
import type { BondUniverse, Rating } from "./universe.ts";

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
 * @throws {RangeError} If a series holds fewer than 30 values or a value ≤ 0.
 */
export function spreadStatistics(series: Readonly<Record<string, ArrayLike<number>>>): SpreadStatistics[] {
  return Object.entries(series).map(([name, s]) => {
    requireFiniteArray("compute spread statistics", name, s, { minLength: 30 });
    for (let i = 0; i < s.length; i++) {
      if (!(s[i] > 0)) throw rangeError("compute spread statistics", `${name}[${i}]`, "> 0", s[i]);
    }
    const changes = diff(s);
    return {
      series: name,
      observations: s.length,
      meanLevel: mean(s),
      dailyVolatility: standardDeviation(changes),
      halfLife: fitOU(Float64Array.from(s, Math.log), 1 / 252).halfLife,
      excessKurtosis: excessKurtosis(changes),
    };
  });
}

/** Correlation matrix of the daily changes of equally long series. */
export function changeCorrelations(
  series: Readonly<Record<string, ArrayLike<number>>>,
): { names: string[]; values: number[][] } {
  return correlationMatrix(Object.fromEntries(Object.entries(series).map(([k, v]) => [k, diff(v)])));
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

/** Per-rating summary of a simulated universe. */
export function summarizeUniverse(u: BondUniverse): UniverseSummaryRow[] {
  const N = u.bonds.length, T = u.dates.length;
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
