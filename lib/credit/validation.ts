/**
 * Validating a Merton/KMV implementation without a vendor's distance to default.
 *
 * The original compared its DD with Bloomberg's (trend correlation above 0.85). creditlab has no Bloomberg feed, so
 * it validates against what can be known independently:
 * 1. **closed forms and the textbook** — Hull's example, and equity priced by Merton's formula from known (V, σ_V)
 *    (the tests);
 * 2. **simulated firms** ({@linkcode mertonRecoveryStudy}) — assets follow a geometric Brownian motion with known
 *    volatility, equity is the Merton call on them, and the estimators (direct and KMV-iterative) must recover the
 *    asset value and volatility from the equity path alone;
 * 3. **the market** ({@linkcode mertonPanel}, {@linkcode trendCorrelation}) — real firms' DD must move with the credit
 *    market that prices the same risk: the trend correlation of the firms' DD with the high-yield spread.
 * @module
 */
import pl from "nodejs-polars";
import { businessDays, requireIsoDate } from "../core/calendar.ts";
import {
  rangeError,
  requireCount,
  requireDates,
  requireFinite,
  requireInteger,
  requireObject,
  requireOptions,
  requirePositive,
  requireSeed,
  requireString,
  typeError,
} from "../core/check.ts";
import { makeRng, standardNormal } from "../core/rng.ts";
import { correlation, rollingMean } from "../core/stats.ts";
import { dateColumn, nullableColumn, requireColumns } from "../data/columns.ts";
import { firmMertonSeries, firmMertonSeriesAs, mertonTimeSeries } from "./kmv.ts";
import { equityValue } from "./merton.ts";

/** Options of {@linkcode simulateMertonFirm}. */
export interface SimulatedFirmOptions {
  readonly seed: number | string;
  /** Asset volatility σ_V (decimal a year). */ readonly assetVol: number;
  /** Default point as a share of the initial asset value (e.g. 0.6). */ readonly leverage: number;
  /** Business days simulated (default 756, three years). */ readonly days?: number;
  /** Initial asset value (default 100). */ readonly assetValue?: number;
  /** Real-world asset drift (default 0.05). */ readonly drift?: number;
  /** Risk-free rate, continuously compounded (default 0.02). */ readonly rate?: number;
  /** Debt horizon in years, rolled forward daily as KMV does (default 1). */ readonly horizon?: number;
  /** First date (default 2010-01-04). */ readonly start?: string;
}

/** The keys of {@linkcode SimulatedFirmOptions}. */
const SIMULATED_FIRM_OPTIONS = [
  "seed",
  "assetVol",
  "leverage",
  "days",
  "assetValue",
  "drift",
  "rate",
  "horizon",
  "start",
] as const;

/** Most business days simulated (about 400 years): beyond it the calendar leaves the range of a Date. */
const MAX_DAYS = 100_000;

/**
 * A firm whose assets follow dV/V = μ dt + σ_V dW (daily steps) with a constant default point D, and whose equity is
 * Merton's call E = V N(d₁) − D e^{−rT} N(d₂) with a rolling horizon T.
 *
 * @returns date, asset_value, equity, default_point.
 * @throws {TypeError} If `opts` is not an object, holds an unknown option, or a field has the wrong type.
 * @throws {RangeError} If an option is out of range (`days` an integer in [2, 100,000], `start` an ISO date).
 */
export function simulateMertonFirm(opts: SimulatedFirmOptions): pl.DataFrame {
  const action = "simulate Merton firm";
  requireObject(action, "opts", opts);
  requireOptions(action, "opts", opts, SIMULATED_FIRM_OPTIONS);
  requireSeed(action, "seed", opts.seed);
  const sigma = requirePositive(action, "assetVol", opts.assetVol);
  const leverage = requirePositive(action, "leverage", opts.leverage);
  const days = requireInteger(action, "days", opts.days ?? 756, { min: 2, max: MAX_DAYS });
  const v0 = requirePositive(action, "assetValue", opts.assetValue ?? 100);
  const mu = requireFinite(action, "drift", opts.drift ?? 0.05),
    rate = requireFinite(action, "rate", opts.rate ?? 0.02);
  const horizon = requirePositive(action, "horizon", opts.horizon ?? 1);
  const start = requireIsoDate(action, "start", opts.start ?? "2010-01-04");
  const dates = businessDays(start, new Date(start.getTime() + Math.ceil(days * 1.6 + 30) * 86_400_000))
    .slice(0, days);
  const rng = makeRng(opts.seed, "merton-firm");
  const dt = 1 / 252, debt = leverage * v0;
  const v = new Float64Array(days), e = new Float64Array(days);
  v[0] = v0;
  for (let t = 1; t < days; t++) {
    v[t] = v[t - 1] * Math.exp((mu - 0.5 * sigma * sigma) * dt + sigma * Math.sqrt(dt) * standardNormal(rng));
  }
  for (let t = 0; t < days; t++) e[t] = equityValue(v[t], sigma, debt, rate, horizon);
  return pl.DataFrame({
    date: dates,
    asset_value: Array.from(v),
    equity: Array.from(e),
    default_point: new Array(days).fill(debt),
  }, { schema: { date: pl.Date, asset_value: pl.Float64, equity: pl.Float64, default_point: pl.Float64 } });
}

/** One simulated firm of {@linkcode mertonRecoveryStudy}. */
export interface RecoveryCase {
  readonly label: string;
  readonly assetVol: number;
  readonly leverage: number;
}

/** Options of {@linkcode mertonRecoveryStudy}. */
export interface RecoveryStudyOptions {
  /** Seed; path k of case `label` uses the seed `${seed}/${label}` (k = 0) or `${seed}/${label}/${k}`. */
  readonly seed: number | string;
  /** Simulated paths per case, an integer in [1, 10,000] (default 1). */ readonly paths?: number;
  /** Business days per path (default 756, at least `window` + 20, at most 100,000). */ readonly days?: number;
  /** Trailing window of both estimators in days (default 252, ≥ 20). */ readonly window?: number;
  /** Risk-free rate, continuously compounded (finite, default 0.02). */ readonly rate?: number;
  /** Horizon in years (> 0, default 1). */ readonly horizon?: number;
}

/** The error measures of {@linkcode mertonRecoveryStudy}, per path and method. */
const ERRORS = ["vol_rmse", "value_error", "dd_error"] as const;

/**
 * Simulated firms through both estimators: how well the direct method (σ_E from a trailing year of equity returns,
 * then the two equations) and KMV's iterative method recover the true asset volatility, value and DD.
 *
 * Each case is simulated on `paths` independent seeded paths. On each path, over the days t after the first `window`
 * (the estimators' warm-up), and for each method:
 *
 *     vol_rmse     = √( mean_t (σ̂_V(t) − σ_V)² )             (decimal a year)
 *     value_error  = mean_t |V̂(t) − V(t)| / V(t)
 *     dd_error     = mean_t |DD̂(t) − DD(t)|,   DD(t) = [ln(V(t)/D) + (r − σ_V²/2)T] / (σ_V√T)   (risk-neutral)
 *
 * A case reports the mean of each over the paths and its standard error s/√paths (sample sd, n − 1), and the
 * paired difference iterative − direct (negative: the iterative method is closer to the truth) with its standard
 * error: the paths are shared by the two methods, so the paired difference is the sharper comparison. Standard
 * errors are null with one path.
 *
 * @param cases Firms: a non-empty `label`, `assetVol` > 0 and `leverage` > 0 each.
 * @param opts See {@linkcode RecoveryStudyOptions}.
 * @returns One row per case: label, true_asset_vol, leverage, paths, direct_asset_vol, iterative_asset_vol (mean
 *   estimates), direct_value_error, iterative_value_error, true_dd, direct_dd, iterative_dd (means over days and
 *   paths), then for each error E of vol_rmse, value_error, dd_error: direct_E, direct_E_se, iterative_E,
 *   iterative_E_se, diff_E, diff_E_se.
 * @throws {TypeError} If an argument has the wrong type or `opts` holds an unknown option.
 * @throws {RangeError} If a case or an option is out of range.
 */
export function mertonRecoveryStudy(
  cases: readonly RecoveryCase[],
  opts: RecoveryStudyOptions,
): pl.DataFrame {
  const action = "run Merton recovery study";
  if (!Array.isArray(cases) || cases.length === 0) throw rangeError(action, "cases", "a non-empty list", cases);
  cases.forEach((c, k) => {
    requireObject(action, `cases[${k}]`, c);
    requireString(action, `cases[${k}].label`, c.label);
    requirePositive(action, `cases[${k}].assetVol`, c.assetVol);
    requirePositive(action, `cases[${k}].leverage`, c.leverage);
  });
  requireObject(action, "opts", opts);
  requireOptions(action, "opts", opts, ["seed", "paths", "days", "window", "rate", "horizon"]);
  requireSeed(action, "seed", opts.seed);
  const paths = requireInteger(action, "paths", opts.paths ?? 1, { min: 1, max: 10_000 });
  const window = requireInteger(action, "window", opts.window ?? 252, { min: 20, max: MAX_DAYS - 20 });
  const days = requireInteger(action, "days", opts.days ?? 756, { min: window + 20, max: MAX_DAYS });
  const rate = requireFinite(action, "rate", opts.rate ?? 0.02);
  const horizon = requirePositive(action, "horizon", opts.horizon ?? 1);
  const rows = cases.map((c) => {
    const runs = Array.from({ length: paths }, (_, k) =>
      recoverPath(action, c, {
        seed: k === 0 ? `${opts.seed}/${c.label}` : `${opts.seed}/${c.label}/${k}`,
        days,
        window,
        rate,
        horizon,
      }));
    const avg = (f: (r: PathRecovery) => number) => runs.reduce((s, r) => s + f(r), 0) / paths;
    const se = (f: (r: PathRecovery) => number) => {
      if (paths < 2) return null;
      const m = avg(f);
      return Math.sqrt(runs.reduce((s, r) => s + (f(r) - m) ** 2, 0) / (paths - 1) / paths);
    };
    const row: Record<string, string | number | null> = {
      label: c.label,
      true_asset_vol: c.assetVol,
      leverage: c.leverage,
      paths,
      direct_asset_vol: avg((r) => r.direct.vol),
      iterative_asset_vol: avg((r) => r.iterative.vol),
      direct_value_error: avg((r) => r.direct.value_error),
      iterative_value_error: avg((r) => r.iterative.value_error),
      true_dd: avg((r) => r.trueDd),
      direct_dd: avg((r) => r.direct.dd),
      iterative_dd: avg((r) => r.iterative.dd),
    };
    for (const e of ERRORS) {
      row[`direct_${e}`] = avg((r) => r.direct[e]);
      row[`direct_${e}_se`] = se((r) => r.direct[e]);
      row[`iterative_${e}`] = avg((r) => r.iterative[e]);
      row[`iterative_${e}_se`] = se((r) => r.iterative[e]);
      row[`diff_${e}`] = avg((r) => r.iterative[e] - r.direct[e]);
      row[`diff_${e}_se`] = se((r) => r.iterative[e] - r.direct[e]);
    }
    return row;
  });
  const schema: Record<string, pl.DataType> = { label: pl.Utf8 };
  for (const key of Object.keys(rows[0])) if (key !== "label") schema[key] = pl.Float64;
  return pl.DataFrame(
    Object.fromEntries(Object.keys(rows[0]).map((key) => [key, rows.map((r) => r[key])])),
    { schema },
  ).withColumn(pl.col("paths").cast(pl.Int32));
}

/** One method's averages over the post-warm-up days of one path. */
interface MethodRecovery {
  readonly vol: number;
  readonly dd: number;
  readonly vol_rmse: number;
  readonly value_error: number;
  readonly dd_error: number;
}

/** Both methods on one simulated path. */
interface PathRecovery {
  readonly direct: MethodRecovery;
  readonly iterative: MethodRecovery;
  readonly trueDd: number;
}

/** Simulates one path of a case and scores both estimators on it (see {@linkcode mertonRecoveryStudy}). */
function recoverPath(
  action: string,
  c: RecoveryCase,
  o: { seed: string; days: number; window: number; rate: number; horizon: number },
): PathRecovery {
  const { days, window, rate, horizon } = o;
  const firm = simulateMertonFirm({ seed: o.seed, days, rate, horizon, assetVol: c.assetVol, leverage: c.leverage });
  const v = firm.getColumn("asset_value").toArray() as number[];
  const debt = c.leverage * 100;
  const trueDd = new Float64Array(days);
  for (let t = 0; t < days; t++) {
    trueDd[t] = (Math.log(v[t] / debt) + (rate - 0.5 * c.assetVol ** 2) * horizon) / (c.assetVol * Math.sqrt(horizon));
  }
  const base = {
    dates: dateColumn(firm),
    equity: firm.getColumn("equity").toArray() as number[],
    shortTermDebt: new Float64Array(days).fill(debt),
    longTermDebt: new Float64Array(days),
    rate,
    horizon,
    window,
  };
  const score = (df: pl.DataFrame): MethodRecovery => {
    const av = df.getColumn("asset_value").toArray() as (number | null)[];
    const sv = df.getColumn("asset_vol").toArray() as (number | null)[];
    const dd = df.getColumn("dd").toArray() as (number | null)[];
    let n = 0, vol = 0, sq = 0, err = 0, d = 0, de = 0;
    for (let t = window; t < days; t++) {
      if (av[t] === null || sv[t] === null || dd[t] === null) continue;
      n++, (vol += sv[t]!), (sq += (sv[t]! - c.assetVol) ** 2), (err += Math.abs(av[t]! - v[t]) / v[t]);
      (d += dd[t]!), (de += Math.abs(dd[t]! - trueDd[t]));
    }
    if (n === 0) throw rangeError(action, `case ${c.label}`, "estimates after the warm-up", "none");
    return { vol: vol / n, dd: d / n, vol_rmse: Math.sqrt(sq / n), value_error: err / n, dd_error: de / n };
  };
  let meanTrue = 0;
  for (let t = window; t < days; t++) meanTrue += trueDd[t];
  return {
    direct: score(mertonTimeSeries({ ...base, method: "direct" })),
    iterative: score(mertonTimeSeries({ ...base, method: "iterative" })),
    trueDd: meanTrue / (days - window),
  };
}

/** Several firms through {@linkcode firmMertonSeries}, aligned on the union of their trading days. */
export interface MertonPanel {
  readonly tickers: readonly string[];
  readonly dates: readonly Date[];
  /** Long format: the columns of `firmMertonSeries` with `ticker`. */ readonly frame: pl.DataFrame;
  /**
   * One column of the frame, one aligned array per ticker (null where a firm has no value). `floor` raises smaller
   * values to it, for log-scale charts of PDs and spreads that reach 1e−40.
   */
  wide(column: string, opts?: { floor?: number }): Record<string, (number | null)[]>;
  /**
   * Cross-sectional median of a column per date, floored like `wide`. By default over the firms that have a value
   * that day (null where none has), so the set of firms can change from date to date; with `complete: true` over
   * all the panel's firms, null on any date where one of them has no value (a fixed set of firms).
   */
  median(column: string, opts?: { floor?: number; complete?: boolean }): (number | null)[];
  /** Number of firms with a value of a column on each date. */
  count(column: string): number[];
  /** Per firm, the first and last date with a value of a column (ISO; null if none) and the number of such days. */
  span(column: string): { ticker: string; first: string | null; last: string | null; days: number }[];
  /**
   * Each firm's value of a column on the panel's last trading day on or before each of `dates` (ISO), one row per
   * date: null where the firm has no value on that day (its series has not started or has ended). Nothing is
   * carried forward from an earlier day. The row's `date` is the requested date, `as_of` the trading day read.
   */
  at(column: string, dates: readonly string[]): Record<string, string | number | null>[];
}

/**
 * The Merton/KMV series of several firms (e.g. the five energy names), aligned on dates.
 *
 * @param tickers Firms of the market-data directory.
 * @param opts As {@linkcode firmMertonSeries}.
 * @throws {TypeError} If a ticker is not a non-empty string, or as {@linkcode firmMertonSeries}.
 * @throws {RangeError} If `tickers` is empty, or as {@linkcode firmMertonSeries}.
 */
export function mertonPanel(
  tickers: readonly string[],
  opts: Parameters<typeof firmMertonSeries>[1],
): MertonPanel {
  if (!Array.isArray(tickers) || tickers.length === 0) {
    throw rangeError("build Merton panel", "tickers", "a non-empty list", tickers);
  }
  const frames = tickers.map((t, k) => firmMertonSeriesAs("build Merton panel", `tickers[${k}]`, t, opts));
  const frame = pl.concat(frames, { how: "vertical" });
  const keys = [...new Set(frames.flatMap((f) => dateColumn(f).map((d) => d.getTime())))].sort((a, b) => a - b);
  const dates = keys.map((k) => new Date(k));
  const index = new Map(keys.map((k, i) => [k, i]));
  const wide = (column: string, opts: { floor?: number } = {}): Record<string, (number | null)[]> => {
    const action = "read Merton panel column";
    requireColumns(action, "column", frame, [requireString(action, "column", column)]);
    opts = requireOptions(action, "opts", opts, ["floor"]);
    if (opts.floor !== undefined) requireFinite(action, "floor", opts.floor);
    return Object.fromEntries(tickers.map((t, f) => {
      const out = new Array<number | null>(dates.length).fill(null);
      const values = frames[f].getColumn(column).toArray() as (number | null)[];
      const floor = opts.floor ?? -Infinity;
      dateColumn(frames[f]).forEach((d, i) => {
        const v = values[i];
        out[index.get(d.getTime())!] = v === null ? null : Math.max(v, floor);
      });
      return [t, out];
    }));
  };
  const median = (column: string, opts: { floor?: number; complete?: boolean } = {}) => {
    opts = requireOptions("read Merton panel median", "opts", opts, ["floor", "complete"]);
    const complete = opts.complete ?? false;
    if (typeof complete !== "boolean") throw typeError("read Merton panel median", "complete", "a boolean", complete);
    const cols = Object.values(wide(column, opts.floor === undefined ? {} : { floor: opts.floor }));
    return dates.map((_, i) => {
      const xs = cols.map((c) => c[i]).filter((x): x is number => x !== null).sort((a, b) => a - b);
      if (xs.length === 0 || (complete && xs.length < cols.length)) return null;
      const m = xs.length >> 1;
      return xs.length % 2 ? xs[m] : 0.5 * (xs[m - 1] + xs[m]);
    });
  };
  const count = (column: string) => {
    const cols = Object.values(wide(column));
    return dates.map((_, i) => cols.reduce((k, c) => k + (c[i] === null ? 0 : 1), 0));
  };
  const at = (column: string, isoDates: readonly string[]) => {
    const w = wide(column);
    if (!Array.isArray(isoDates)) throw typeError("read Merton panel", "dates", "an array of ISO dates", isoDates);
    return isoDates.map((iso, k) => {
      const limit = requireIsoDate("read Merton panel", `dates[${k}]`, iso).getTime();
      let last = -1; // the panel's last trading day on or before the date
      for (let i = 0; i < dates.length && dates[i].getTime() <= limit; i++) last = i;
      const row: Record<string, string | number | null> = {
        date: iso,
        as_of: last < 0 ? null : dates[last].toISOString().slice(0, 10),
      };
      for (const t of tickers) row[t] = last < 0 ? null : w[t][last];
      return row;
    });
  };
  const span = (column: string) => {
    const w = wide(column);
    const iso = (i: number) => (i < 0 ? null : dates[i].toISOString().slice(0, 10));
    return tickers.map((ticker) => {
      const c = w[ticker];
      const first = c.findIndex((x) => x !== null);
      let last = -1, days = 0;
      c.forEach((x, i) => x !== null && ((last = i), days++));
      return { ticker, first: iso(first), last: iso(last), days };
    });
  };
  return { tickers: [...tickers], dates, frame, wide, median, count, span, at };
}

/**
 * A dated column aligned on given dates: the value on the same date, null where the frame has none (no fill, so no
 * value is moved across dates).
 *
 * @param dates The dates to align on (valid Dates).
 * @param df A DataFrame with the date column `dateCol` (default "date") and the numeric column `column`.
 * @throws {TypeError} If `df` is not a DataFrame, a column name is not a non-empty string, or a column has the wrong
 *   type.
 * @throws {RangeError} If a date is invalid or a column is missing.
 */
export function alignColumn(
  dates: readonly Date[],
  df: pl.DataFrame,
  column: string,
  dateCol = "date",
): (number | null)[] {
  const action = "align column";
  requireDates(action, "dates", dates);
  requireString(action, "column", column);
  requireString(action, "dateCol", dateCol);
  if (df === null || typeof df !== "object" || !Array.isArray(df.columns) || typeof df.getColumn !== "function") {
    throw typeError(action, "df", "a DataFrame", df);
  }
  requireColumns(action, "df", df, [dateCol, column]);
  const values = nullableColumn(df, column);
  const byDate = new Map(dateColumn(df, dateCol).map((d, i) => [d.getTime(), values[i]]));
  return dates.map((d) => byDate.get(d.getTime()) ?? null);
}

/**
 * Correlation of two series' trends: each is smoothed by a trailing mean over `window` observations (only where the
 * whole window is present), then Pearson's correlation is taken over the dates where both trends exist. This is the
 * "trend correlation" used to compare a DD with a reference series, insensitive to day-to-day noise.
 *
 * @param x, y Aligned series: finite numbers, or null / NaN where missing.
 * @param window Observations per trailing mean, an integer ≥ 1 (default 63).
 * @returns The correlation and the number of dates it uses.
 * @throws {TypeError} If a series is not an array of numbers or nulls.
 * @throws {RangeError} If a value is ±Infinity, the lengths differ, `window` is out of range, fewer than 3 dates
 *   have both trends, or a trend is constant.
 */
export function trendCorrelation(
  x: ArrayLike<number | null>,
  y: ArrayLike<number | null>,
  window = 63,
): { correlation: number; n: number } {
  const action = "compute trend correlation";
  requireSeries(action, "x", x);
  requireSeries(action, "y", y);
  if (x.length !== y.length) throw rangeError(action, "y", `${x.length} values (as x)`, y.length);
  requireCount(action, "window", window, 1);
  // The trailing mean over a full window only (minCount = window): a window with a gap gives no trend.
  const trend = (s: ArrayLike<number | null>) =>
    rollingMean(Array.from(s, (v) => (v === null ? NaN : v)), window, { minCount: window });
  const tx = trend(x), ty = trend(y);
  const a: number[] = [], b: number[] = [];
  for (let i = 0; i < tx.length; i++) {
    if (Number.isFinite(tx[i]) && Number.isFinite(ty[i])) a.push(tx[i]), b.push(ty[i]);
  }
  if (a.length < 3) throw rangeError(action, "x, y", "at least 3 dates with both trends", a.length);
  if (a.every((v) => v === a[0])) throw rangeError(action, "x", "a series with a trend that moves", a[0]);
  if (b.every((v) => v === b[0])) throw rangeError(action, "y", "a series with a trend that moves", b[0]);
  return { correlation: correlation(a, b), n: a.length };
}

/** Requires an array-like of finite numbers, nulls or NaN (missing), naming the first bad element (`x[79]`). */
function requireSeries(action: string, name: string, values: unknown): void {
  if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    throw typeError(action, name, "an array of numbers or nulls", values);
  }
  const a = values as ArrayLike<unknown>;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v === null) continue;
    if (typeof v !== "number") throw typeError(action, `${name}[${i}]`, "a number or null", v);
    if (!Number.isFinite(v) && !Number.isNaN(v)) throw rangeError(action, `${name}[${i}]`, "finite, null or NaN", v);
  }
}
