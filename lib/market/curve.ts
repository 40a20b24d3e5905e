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
import { requireIsoDate } from "../core/calendar.ts";
import { TREASURY_TENORS } from "../data/schema.ts";
import { dateColumn, nullableColumn, requireColumns } from "../data/columns.ts";
import {
  rangeError,
  Received,
  requireDate,
  requireDates,
  requireFinite,
  requireFiniteArray,
  requireInteger,
  requireNonNegative,
  requireObject,
  requireOptions,
  requirePositive,
  requireSameLength,
  typeError,
} from "../core/check.ts";

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

/**
 * Yield at maturity τ of a Nelson–Siegel curve.
 *
 * @throws {TypeError} If `f` is not an object of numbers.
 * @throws {RangeError} If a factor is not finite, τ is not a finite number ≥ 0, or λ is not > 0.
 */
export function nelsonSiegelYield(f: NelsonSiegelFactors, maturity: number, lambda = DIEBOLD_LI_LAMBDA): number {
  const action = "compute Nelson-Siegel yield";
  requireObject(action, "f", f);
  for (const name of ["level", "slope", "curvature"] as const) requireFinite(action, name, f[name]);
  requireNonNegative(action, "maturity", maturity);
  requirePositive(action, "lambda", lambda);
  const [l0, l1, l2] = nelsonSiegelLoadings(maturity, lambda);
  return f.level * l0 + f.slope * l1 + f.curvature * l2;
}

/**
 * Fits Nelson–Siegel factors to one curve by least squares with λ fixed.
 *
 * @param maturities Maturities in years (at least 4, distinct).
 * @param yields Yields in decimals, same length.
 * @returns Factors and the root-mean-square fitting error (decimals).
 * @throws {RangeError} If the inputs are not finite, a maturity is negative, lengths differ, fewer than 4 points are
 *   given, or λ is not > 0.
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
  for (let i = 0; i < maturities.length; i++) requireNonNegative(action, `maturities[${i}]`, maturities[i]);
  requirePositive(action, "lambda", lambda);
  const X = Array.from(maturities, (t) => nelsonSiegelLoadings(t, lambda));
  let fit: ReturnType<typeof leastSquares>;
  try {
    fit = leastSquares(X, yields);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw rangeError(
      action,
      "maturities and lambda",
      "values giving three independent loadings (4 distinct maturities, λ·τ not so large that the loadings vanish)",
      new Received(`${maturities.length} maturities and λ = ${lambda}`),
    );
  }
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
 * @param yields A `loadTreasuryYields()` table: a `date` column and tenor columns (`DGS3MO`, …, `DGS30`).
 * @param date An ISO date (`YYYY-MM-DD`) or a valid Date.
 * @param opts `minTenors`: the least number of tenors with a value, an integer ≥ 1 (default 6).
 * @throws {TypeError} If `yields` is not a DataFrame, `date` is neither a string nor a Date, or `opts` holds an
 *   unknown option.
 * @throws {RangeError} If `date` is not a real calendar date, `minTenors` is not an integer ≥ 1, or no observation
 *   on or before the date has enough tenors.
 */
export function treasuryCurveOn(
  yields: pl.DataFrame,
  date: string | Date,
  opts: { minTenors?: number } = {},
): CurveSnapshot {
  const action = "find Treasury curve";
  requireFrame(action, "yields", yields, ["date"]);
  const target = typeof date === "string" ? requireIsoDate(action, "date", date) : requireDate(action, "date", date);
  const o = requireOptions<{ minTenors?: number }>(action, "opts", opts, ["minTenors"]);
  const minTenors = requireInteger(action, "minTenors", o.minTenors ?? 6, { min: 1 });
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
    action,
    "date",
    `on or after the first date with ${minTenors} tenors`,
    typeof date === "string" ? date : date.toISOString().slice(0, 10),
  );
}

/** Requires a polars DataFrame (by its methods) with the given columns; `name` is the caller's argument. */
function requireFrame(action: string, name: string, df: unknown, columns: readonly string[]): pl.DataFrame {
  const frame = df as pl.DataFrame;
  if (
    df === null || typeof df !== "object" || !Array.isArray(frame.columns) || typeof frame.getColumn !== "function"
  ) {
    throw typeError(action, name, "a DataFrame", df);
  }
  requireColumns(action, name, frame, columns);
  return frame;
}

/**
 * Puts several curve snapshots on the union of their maturities, labelled by date, with null where a snapshot
 * lacks a tenor — the input of a `lineChart`.
 *
 * @param snapshots Curves of {@linkcode treasuryCurveOn}: each a valid `date`, finite `maturities` ≥ 0 and as many
 *   finite `yields`.
 * @throws {TypeError} If `snapshots` is not an array of snapshots.
 * @throws {RangeError} If a date is invalid, a maturity or yield is not finite, or the lengths differ.
 */
export function alignCurves(
  snapshots: readonly CurveSnapshot[],
): { maturities: number[]; series: Record<string, (number | null)[]> } {
  const action = "align curves";
  if (!Array.isArray(snapshots)) throw typeError(action, "snapshots", "an array of curve snapshots", snapshots);
  snapshots.forEach((s, i) => {
    const name = `snapshots[${i}]`;
    requireObject(action, name, s);
    requireDate(action, `${name}.date`, s.date);
    requireFiniteArray(action, `${name}.maturities`, s.maturities);
    requireFiniteArray(action, `${name}.yields`, s.yields);
    requireSameLength(action, `${name}.maturities`, s.maturities, `${name}.yields`, s.yields);
    for (let k = 0; k < s.maturities.length; k++) {
      requireNonNegative(action, `${name}.maturities[${k}]`, s.maturities[k]);
    }
  });
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

/** Maturity grid of {@linkcode treasuryCurves}: quarterly from 3 months to 30 years. */
export const CURVE_GRID: Float64Array = Float64Array.from({ length: 120 }, (_, k) => 0.25 * (k + 1));

/**
 * The Treasury par curve on every date, on a fixed maturity grid — what the bond universe prices from.
 *
 * Method, stated once: on each date the constant-maturity (CMT) yields, which are par yields (bond-equivalent,
 * semi-annual), are interpolated **linearly in maturity** between the published tenors and held **flat** beyond
 * the shortest and the longest. Dates with fewer than `minTenors` published tenors (holidays) are left out.
 */
export interface TreasuryCurves {
  /** Dates with a curve, ascending. */ readonly dates: Date[];
  /** Maturities in years ({@linkcode CURVE_GRID}). */ readonly grid: Float64Array;
  /** Par yields (decimals), `dates.length × grid.length`, row-major. */ readonly parYields: Float64Array;
}

/**
 * Builds {@linkcode TreasuryCurves} from a `loadTreasuryYields()` table.
 *
 * @param opts `start`/`end` (ISO dates) bound the dates; `minTenors` (default 6) is the least number of tenors a
 *   date needs, an integer ≥ 1.
 * @throws {TypeError} If `table` is not a DataFrame with a `date` column, or `opts` holds an unknown option.
 * @throws {RangeError} If `start` or `end` is not an ISO calendar date, `minTenors` is not an integer ≥ 1, or no
 *   date qualifies.
 */
export function treasuryCurves(
  table: pl.DataFrame,
  opts: { start?: string; end?: string; minTenors?: number } = {},
): TreasuryCurves {
  const action = "build Treasury curves";
  requireFrame(action, "table", table, ["date"]);
  const o = requireOptions<{ start?: string; end?: string; minTenors?: number }>(action, "opts", opts, [
    "start",
    "end",
    "minTenors",
  ]);
  const minTenors = requireInteger(action, "minTenors", o.minTenors ?? 6, { min: 1 });
  const from = o.start === undefined ? -Infinity : requireIsoDate(action, "start", o.start).getTime();
  const to = o.end === undefined ? Infinity : requireIsoDate(action, "end", o.end).getTime();
  const all = dateColumn(table);
  const tenors = Object.keys(TREASURY_TENORS).filter((t) => table.columns.includes(t));
  const columns = tenors.map((t) => nullableColumn(table, t));
  const dates: Date[] = [];
  const rows: Float64Array[] = [];
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < all.length; i++) {
    const time = all[i].getTime();
    if (time < from || time > to) continue;
    xs.length = 0, ys.length = 0;
    tenors.forEach((t, k) => {
      const v = columns[k][i];
      if (v !== null) xs.push(TREASURY_TENORS[t]), ys.push(v);
    });
    if (xs.length < minTenors) continue;
    dates.push(all[i]);
    rows.push(Float64Array.from(CURVE_GRID, (m) => interpolateLinear(xs, ys, m)));
  }
  if (dates.length === 0) {
    throw rangeError(
      action,
      "table",
      `a table with dates in range quoting at least ${minTenors} tenors (option minTenors)`,
      new Received(`no such date; tenor columns found: ${tenors.join(", ") || "none"}`),
    );
  }
  const parYields = new Float64Array(dates.length * CURVE_GRID.length);
  rows.forEach((r, i) => parYields.set(r, i * CURVE_GRID.length));
  return { dates, grid: CURVE_GRID, parYields };
}

/** Linear interpolation on ascending knots xs, flat beyond the ends. */
function interpolateLinear(xs: ArrayLike<number>, ys: ArrayLike<number>, x: number): number {
  const n = xs.length;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[n - 1]) return ys[n - 1];
  let k = 1;
  while (xs[k] < x) k++;
  const w = (x - xs[k - 1]) / (xs[k] - xs[k - 1]);
  return ys[k - 1] + w * (ys[k] - ys[k - 1]);
}

/**
 * Par yield at maturity T on the curve of date index t: linear on the quarterly grid, flat below 3 months and
 * beyond 30 years. O(1): no search.
 *
 * @param curves Curves of {@linkcode treasuryCurves} (`parYields` of `dates.length × grid.length` values).
 * @param t Date index, an integer in [0, dates.length − 1].
 * @param maturity T in years, a finite number ≥ 0.
 * @throws {TypeError} If `curves` is not a {@linkcode TreasuryCurves}.
 * @throws {RangeError} If `t` or `maturity` is out of range, the panel's size does not match its dates and grid, or
 *   a par yield read is not finite.
 */
export function parYieldAt(curves: TreasuryCurves, t: number, maturity: number): number {
  const action = "read par yield";
  requireCurves(action, "curves", curves, { values: false });
  requireInteger(action, "t", t, { min: 0, max: curves.dates.length - 1 });
  requireNonNegative(action, "maturity", maturity);
  const y = parYieldAtUnchecked(curves, t, maturity);
  if (!Number.isFinite(y)) throw rangeError(action, `curves.parYields (row ${t})`, "finite", y);
  return y;
}

/**
 * Checks a {@linkcode TreasuryCurves} at a public boundary (lib-internal): valid Dates (strictly increasing with
 * `increasing`), the quarterly {@linkcode CURVE_GRID} that {@linkcode parYieldAt} reads, and `dates.length ×
 * grid.length` par yields, all finite unless `values` is false. Names its fields after `name` (`curves.grid`).
 *
 * @throws {TypeError} If a field has the wrong type.
 * @throws {RangeError} If a date, the grid, the panel's size or (with `values`) a par yield is invalid.
 */
export function requireCurves(
  action: string,
  name: string,
  curves: unknown,
  opts: { values?: boolean; increasing?: boolean } = {},
): TreasuryCurves {
  const c = requireObject(action, name, curves) as unknown as TreasuryCurves;
  requireDates(action, `${name}.dates`, c.dates, { increasing: opts.increasing });
  const grid = requireFiniteArray(action, `${name}.grid`, c.grid, { minLength: 1 });
  for (let k = 0; k < grid.length; k++) {
    if (grid[k] !== 0.25 * (k + 1)) {
      throw rangeError(action, `${name}.grid[${k}]`, `${0.25 * (k + 1)} (the quarterly grid CURVE_GRID)`, grid[k]);
    }
  }
  const cells = c.dates.length * grid.length;
  if (opts.values === false) {
    if (!ArrayBuffer.isView(c.parYields) && !Array.isArray(c.parYields)) {
      throw typeError(action, `${name}.parYields`, "an array of numbers", c.parYields);
    }
    if (c.parYields.length !== cells) {
      throw rangeError(action, `${name}.parYields`, `${cells} values (dates × grid)`, c.parYields.length);
    }
  } else requireFiniteArray(action, `${name}.parYields`, c.parYields, { length: cells });
  return c;
}

/** {@linkcode parYieldAt} without the argument checks, for the bond universe's inner loop (lib-internal). */
export function parYieldAtUnchecked(curves: TreasuryCurves, t: number, maturity: number): number {
  const g = curves.grid.length, row = t * g;
  const x = maturity / 0.25 - 1; // grid index of T
  if (x <= 0) return curves.parYields[row];
  if (x >= g - 1) return curves.parYields[row + g - 1];
  const k = Math.floor(x), w = x - k;
  return curves.parYields[row + k] + w * (curves.parYields[row + k + 1] - curves.parYields[row + k]);
}

/** Longest maturity of {@linkcode bootstrapCurve}, years (its semi-annual nodes are allocated up to it). */
const MAX_CURVE_MATURITY = 100;

/** A curve on one date, bootstrapped to discount factors. */
export interface YieldCurve {
  readonly maturities: readonly number[];
  readonly parYields: readonly number[];
  /** Par yield at T (linear between the input maturities, flat beyond). */ parYield(maturity: number): number;
  /** Discount factor P(0, T). */ discountFactor(maturity: number): number;
  /** Continuously compounded zero rate −ln P(0, T) / T. */ zeroRate(maturity: number): number;
  /** Continuously compounded forward rate between T₁ and T₂. */ forwardRate(from: number, to: number): number;
}

/**
 * Bootstraps discount factors from par yields (bond-equivalent, semi-annual coupons, as Treasury CMT yields are).
 *
 *     below 6 months:  P(0, T) = (1 + y(T)/2)^{−2T}                       (a single payment)
 *     on Tₖ = k/2:     1 = (y/2)·Σⱼ₌₁ᵏ⁻¹ P(0, Tⱼ) + (1 + y/2)·P(0, Tₖ),   y = y(Tₖ) the interpolated par yield
 *     in between:      log-linear in T (piecewise-constant forward rates)
 *
 * so that every semi-annual par bond on the curve is priced at exactly 100.
 *
 * Reference: Hagan, P. S. & West, G. (2006). Interpolation methods for curve construction. Applied Mathematical
 * Finance 13(2), 89–129 (raw interpolation: linear on log discount factors).
 *
 * @param curve Maturities (years, ascending, distinct) and par yields (decimals), at least 2 points.
 * @throws {RangeError} If the inputs are misaligned, not finite, not ascending, longer than 100 years, or imply a
 *   non-positive discount factor.
 *
 * @example Par bonds reprice at 100
 * ```ts
 * import assert from "node:assert/strict";
 * import { bootstrapCurve } from "./curve.ts";
 *
 * const curve = bootstrapCurve({ maturities: [0.5, 2, 10, 30], yields: [0.05, 0.045, 0.04, 0.042] });
 * const y = curve.parYield(10);
 * let price = 0;
 * for (let k = 1; k <= 20; k++) price += (100 * y) / 2 * curve.discountFactor(k / 2);
 * price += 100 * curve.discountFactor(10);
 * assert.ok(Math.abs(price - 100) < 1e-10);
 * ```
 */
export function bootstrapCurve(curve: { maturities: ArrayLike<number>; yields: ArrayLike<number> }): YieldCurve {
  const action = "bootstrap curve";
  requireObject(action, "curve", curve);
  requireFiniteArray(action, "maturities", curve.maturities, { minLength: 2 });
  requireFiniteArray(action, "yields", curve.yields);
  requireSameLength(action, "maturities", curve.maturities, "yields", curve.yields);
  const xs = Array.from(curve.maturities), ys = Array.from(curve.yields);
  for (let k = 0; k < xs.length; k++) {
    if (!(xs[k] > (k === 0 ? 0 : xs[k - 1]))) {
      throw rangeError(action, `maturities[${k}]`, k === 0 ? "> 0" : `> maturities[${k - 1}] (ascending)`, xs[k]);
    }
  }
  if (xs[xs.length - 1] > MAX_CURVE_MATURITY) {
    throw rangeError(action, `maturities[${xs.length - 1}]`, `at most ${MAX_CURVE_MATURITY} years`, xs[xs.length - 1]);
  }
  const longest = Math.max(30, Math.ceil(xs[xs.length - 1] * 2) / 2);
  const nodes = Math.round(longest * 2);
  const df = new Float64Array(nodes + 1); // df[k] = P(0, k/2)
  df[0] = 1;
  let annuity = 0;
  for (let k = 1; k <= nodes; k++) {
    const y = interpolateLinear(xs, ys, k / 2);
    df[k] = (1 - (y / 2) * annuity) / (1 + y / 2);
    if (!(df[k] > 0)) throw rangeError(action, "yields", "consistent with positive discount factors", y);
    annuity += df[k];
  }
  const discountFactor = (T: number): number => {
    if (!(T >= 0 && Number.isFinite(T))) {
      throw rangeError("read discount factor", "maturity", "a finite number >= 0", T);
    }
    if (T === 0) return 1;
    if (T < 0.5) return Math.pow(1 + interpolateLinear(xs, ys, T) / 2, -2 * T);
    const x = T * 2;
    if (x >= nodes) return df[nodes] * Math.pow(df[nodes] / df[nodes - 1], x - nodes); // flat forward beyond
    const k = Math.floor(x), w = x - k;
    return Math.exp((1 - w) * Math.log(df[k]) + w * Math.log(df[k + 1]));
  };
  return {
    maturities: xs,
    parYields: ys,
    parYield: (T) => interpolateLinear(xs, ys, T),
    discountFactor,
    zeroRate: (T) => (T === 0 ? 2 * Math.log1p(ys[0] / 2) : -Math.log(discountFactor(T)) / T),
    forwardRate: (a, b) => {
      if (!(b > a)) throw rangeError("read forward rate", "to", `> from (${a})`, b);
      return Math.log(discountFactor(a) / discountFactor(b)) / (b - a);
    },
  };
}
