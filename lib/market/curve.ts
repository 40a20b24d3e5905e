/**
 * Yield curves. The Nelson–Siegel family summarises a curve by three factors — level, slope and curvature — that
 * move the long end, the short end and the belly:
 *
 *     y(τ) = β₀ + β₁·(1 − e^{−λτ})/(λτ) + β₂·((1 − e^{−λτ})/(λτ) − e^{−λτ})
 *
 * τ maturity in years, y a continuously compounded (or, as here for CMT data, bond-equivalent) yield in decimals,
 * λ per year sets where the curvature loading peaks (at τ ≈ 1.79/λ). With λ fixed the factors are a linear least
 * squares fit, the approach of Diebold and Li; their λ = 0.0609 per month (0.7308 per year) puts the peak at
 * 2.5 years.
 *
 * References:
 * 1. Nelson, C. R. & Siegel, A. F. (1987). Parsimonious modeling of yield curves. J. Business 60(4), 473–489.
 * 2. Diebold, F. X. & Li, C. (2006). Forecasting the term structure of government bond yields. J. Econometrics
 *    130, 337–364.
 * @module
 */
import type pl from "nodejs-polars";
import { leastSquares } from "../core/linalg.ts";
import { parseIsoDate } from "../core/calendar.ts";
import { TREASURY_TENORS } from "../data/schema.ts";
import { dateColumn, nullableColumn } from "../data/columns.ts";
import { rangeError, requireFiniteArray, requirePositive, requireSameLength } from "../core/check.ts";

/** Diebold–Li decay λ, per year (0.0609 per month). */
export const DIEBOLD_LI_LAMBDA = 0.0609 * 12;

/** Nelson–Siegel factors: level β₀, slope β₁, curvature β₂ (decimals). */
export interface NelsonSiegelFactors {
  readonly level: number;
  readonly slope: number;
  readonly curvature: number;
}

/**
 * Loadings [1, (1 − e^{−λτ})/(λτ), (1 − e^{−λτ})/(λτ) − e^{−λτ}] at maturity τ (limits 1, 1, 0 as τ → 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nelsonSiegelLoadings } from "./curve.ts";
 *
 * assert.deepEqual(nelsonSiegelLoadings(0, 0.7), [1, 1, 0]);
 * ```
 */
export function nelsonSiegelLoadings(maturity: number, lambda: number = DIEBOLD_LI_LAMBDA): [number, number, number] {
  if (!(maturity >= 0 && Number.isFinite(maturity))) {
    throw rangeError("compute Nelson-Siegel loadings", "maturity", "a finite number of years >= 0", maturity);
  }
  requirePositive("compute Nelson-Siegel loadings", "lambda", lambda);
  const x = lambda * maturity;
  if (x === 0) return [1, 1, 0];
  const slope = -Math.expm1(-x) / x;
  return [1, slope, slope - Math.exp(-x)];
}

/** Yield at maturity τ of a Nelson–Siegel curve. */
export function nelsonSiegelYield(f: NelsonSiegelFactors, maturity: number, lambda = DIEBOLD_LI_LAMBDA): number {
  const [l0, l1, l2] = nelsonSiegelLoadings(maturity, lambda);
  return f.level * l0 + f.slope * l1 + f.curvature * l2;
}

/**
 * Fits Nelson–Siegel factors to one curve by least squares with λ fixed.
 *
 * @param maturities Maturities in years (at least 4, distinct).
 * @param yields Yields in decimals, same length.
 * @returns Factors and the root-mean-square fitting error (decimals).
 * @throws {RangeError} If the inputs are not finite, lengths differ, or fewer than 4 points are given.
 *
 * @example A curve built from known factors is recovered
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitNelsonSiegel, nelsonSiegelYield } from "./curve.ts";
 *
 * const f = { level: 0.045, slope: -0.02, curvature: 0.01 };
 * const taus = [0.25, 1, 2, 5, 10, 30];
 * const fit = fitNelsonSiegel(taus, taus.map((t) => nelsonSiegelYield(f, t)));
 * assert.ok(Math.abs(fit.slope + 0.02) < 1e-12 && fit.rmse < 1e-12);
 * ```
 */
export function fitNelsonSiegel(
  maturities: ArrayLike<number>,
  yields: ArrayLike<number>,
  lambda: number = DIEBOLD_LI_LAMBDA,
): NelsonSiegelFactors & { rmse: number } {
  const action = "fit Nelson-Siegel curve";
  requireFiniteArray(action, "maturities", maturities, { minLength: 4 });
  requireFiniteArray(action, "yields", yields);
  requireSameLength(action, "maturities", maturities, "yields", yields);
  const X = Array.from(maturities, (t) => nelsonSiegelLoadings(t, lambda));
  const fit = leastSquares(X, yields);
  let ss = 0;
  for (const r of fit.residuals) ss += r * r;
  const [level, slope, curvature] = fit.coefficients;
  return { level, slope, curvature, rmse: Math.sqrt(ss / maturities.length) };
}

/** The Treasury curve observed on one date: maturities (years) and yields (decimals) of the tenors with a value. */
export interface CurveSnapshot {
  /** Date of the observation used: the last one on or before the requested date. */
  readonly date: Date;
  readonly tenors: string[];
  readonly maturities: number[];
  readonly yields: number[];
}

/**
 * The Treasury curve on a date from a `loadTreasuryYields()` table: the last observation on or before `date` that
 * has at least `minTenors` tenors (holidays and missing tenors are skipped, never filled).
 *
 * @throws {RangeError} If no observation on or before the date has enough tenors.
 */
export function treasuryCurveOn(
  yields: pl.DataFrame,
  date: string | Date,
  opts: { minTenors?: number } = {},
): CurveSnapshot {
  const target = typeof date === "string" ? parseIsoDate(date) : date;
  const minTenors = opts.minTenors ?? 6;
  const dates = dateColumn(yields);
  const tenors = Object.keys(TREASURY_TENORS).filter((t) => yields.columns.includes(t));
  const columns = tenors.map((t) => nullableColumn(yields, t));
  for (let i = dates.length - 1; i >= 0; i--) {
    if (dates[i] > target) continue;
    const have = tenors.map((_, k) => columns[k][i]).map((v, k) => ({ v, k })).filter((x) => x.v !== null);
    if (have.length < minTenors) continue;
    return {
      date: dates[i],
      tenors: have.map((x) => tenors[x.k]),
      maturities: have.map((x) => TREASURY_TENORS[tenors[x.k]]),
      yields: have.map((x) => x.v as number),
    };
  }
  throw rangeError(
    "find Treasury curve",
    "date",
    `on or after the first date with ${minTenors} tenors`,
    typeof date === "string" ? date : date.toISOString().slice(0, 10),
  );
}

/**
 * Puts several curve snapshots on the union of their maturities, labelled by date, with null where a snapshot
 * lacks a tenor — the input of a `lineChart`.
 */
export function alignCurves(
  snapshots: readonly CurveSnapshot[],
): { maturities: number[]; series: Record<string, (number | null)[]> } {
  const maturities = [...new Set(snapshots.flatMap((s) => s.maturities))].sort((a, b) => a - b);
  const series: Record<string, (number | null)[]> = {};
  for (const s of snapshots) {
    series[s.date.toISOString().slice(0, 10)] = maturities.map((m) => {
      const k = s.maturities.indexOf(m);
      return k >= 0 ? s.yields[k] : null;
    });
  }
  return { maturities, series };
}
