/**
 * The overlay's three signals and their weighted composite. Sign convention: **positive means long credit risk**
 * (sell protection on the index); negative means buy protection. Every signal at date t uses data up to t only:
 * each is a trailing z-score over `lookback` observations ending at t.
 *
 *     basis       x = S_CDX − H/m, where H is the spread implied by the ETF's total return rₜ net of its carry:
 *                 Hₜ = Hₜ₋₁ − (rₜ − (r_f + m·Sₜ₋₁)/252)/D (D = the ETF's spread duration, r_f its base rate),
 *                 anchored to m·S_CDX on the first date; m scales the ETF's spread to the index's (1 when both are
 *                 the same market, ≈ 4 for a high-yield ETF against the investment-grade index). The carry is
 *                 taken at the index's spread, not at H, which would feed back on itself. The level of x drifts
 *                 slowly (default losses, the base rate); the signal is its trailing z-score, which removes slow
 *                 drift. A wide basis (index cheap against the cash bonds) tends to close → signal +z(x).
 *     VIX gap     z(S_CDX) − z(VIX): credit wider than equity volatility justifies is cheap → long risk; a VIX
 *                 jump that credit has not followed yet (the VIX leads credit) → short risk.
 *     momentum    −(Sₜ − Sₜ₋ₗ) / (σ_Δ·√L): the tightening over the lookback in units of its own volatility
 *                 (σ_Δ the standard deviation of daily changes over the same window).
 *     composite   c = Σ wₖ·signalₖ / Σ|wₖ|  (default weights 0.4 / 0.3 / 0.3); position signal +1 when c ≥ threshold,
 *                 −1 when c ≤ −threshold, else 0.
 *
 * The inputs are joined on date (inner join): a date missing from one series is missing from the signal.
 * @module
 */
import pl from "nodejs-polars";
import {
  MAX_ELEMENTS,
  rangeError,
  requireFinite,
  requireInteger,
  requireKnownKeys,
  requireObject,
  requireOptions,
  requirePositive,
  requireString,
  typeError,
} from "../core/check.ts";
import { dateColumn, floatColumn, nanColumn, nanToNull, requireColumns } from "../data/columns.ts";
import { rollingZScore } from "./panel.ts";
import { summarizeIC } from "./ic.ts";
import { momentumSeries } from "./momentum.ts";
import { compositeSeries } from "./composite.ts";

/** Options shared by the signals. */
export interface SignalOptions {
  /** Trailing window in observations (default 20). */ readonly lookback?: number;
}

function lookbackOf(action: string, opts: SignalOptions): number {
  return requireInteger(action, "lookback", opts.lookback ?? 20, { min: 3, max: MAX_ELEMENTS });
}

/** Checks a DataFrame argument (by its methods: polars frames are proxies) and its columns. */
function requireFrame(action: string, name: string, df: unknown, columns: readonly string[]): pl.DataFrame {
  const f = df as { columns?: unknown; getColumn?: unknown } | null;
  if (f === null || typeof f !== "object" || !Array.isArray(f.columns) || typeof f.getColumn !== "function") {
    throw typeError(action, name, "a DataFrame", df);
  }
  requireColumns(action, name, df as pl.DataFrame, columns);
  return df as pl.DataFrame;
}

/**
 * Trailing z-score of one series (NaN during the warm-up): (xₜ − mean) / sd (n − 1) over the `lookback`
 * observations ending at t.
 *
 * @param x The series, finite or NaN (not available). @param lookback An integer ≥ 3.
 * @throws {RangeError} If `lookback` is out of range or a value is ±Infinity. @throws {TypeError} On a wrong type.
 */
export function trailingZScore(x: Float64Array, lookback: number): Float64Array {
  const action = "compute trailing z-score";
  if (!(x instanceof Float64Array)) throw typeError(action, "x", "a Float64Array", x);
  for (let t = 0; t < x.length; t++) {
    if (x[t] === Infinity || x[t] === -Infinity) throw rangeError(action, `x[${t}]`, "finite or NaN", x[t]);
  }
  requireInteger(action, "lookback", lookback, { min: 3, max: MAX_ELEMENTS });
  return rollingZScore({ rows: x.length, cols: 1, values: x }, lookback).values;
}

function frame(dates: Date[], columns: Record<string, Float64Array>): pl.DataFrame {
  const out: Record<string, unknown> = { date: dates };
  for (const [k, v] of Object.entries(columns)) out[k] = nanToNull(v);
  return pl.DataFrame(out).withColumn(pl.col("date").cast(pl.Date));
}

/** Options of the basis: the ETF's spread duration (years), spread multiple and base rate (see the module header). */
export interface BasisOptions {
  /** Spread duration of the ETF, years (default 4, HYG's). */ readonly duration?: number;
  /** ETF spread per unit of index spread (default 1: the same market). */ readonly multiple?: number;
  /** Base rate of the ETF's carry r_f + H, decimal a year (default 0.03). */ readonly rate?: number;
  /** Price column of the ETF frame (default "close"; "adj_close" for total-return closes). */
  readonly price?: string;
}

/**
 * Basis raw series on typed arrays: x = S − H/m (decimal), H the ETF-implied spread net of carry (module notes).
 *
 * @param spread The index spread S, decimal, finite. @param etfClose The ETF's closes, finite and > 0, one per date.
 * @param opts duration (> 0, default 4), multiple (> 0, default 1), rate (finite, default 0.03); `price` is read by
 *   {@linkcode computeCdxEtfBasis} only.
 * @throws {RangeError} If the lengths differ or a value is out of range. @throws {TypeError} On a wrong type.
 */
export function basisSeries(
  spread: Float64Array,
  etfClose: Float64Array,
  opts: BasisOptions = {},
): Float64Array {
  const action = "compute basis series";
  if (!(spread instanceof Float64Array)) throw typeError(action, "spread", "a Float64Array", spread);
  if (!(etfClose instanceof Float64Array)) throw typeError(action, "etfClose", "a Float64Array", etfClose);
  if (etfClose.length !== spread.length) {
    throw rangeError(action, "etfClose.length", `spread.length (${spread.length})`, etfClose.length);
  }
  for (let t = 0; t < spread.length; t++) {
    if (!Number.isFinite(spread[t])) throw rangeError(action, `spread[${t}]`, "finite", spread[t]);
    if (!(etfClose[t] > 0 && etfClose[t] < Infinity)) {
      throw rangeError(action, `etfClose[${t}]`, "finite and > 0", etfClose[t]);
    }
  }
  const o = requireOptions<BasisOptions>(action, "opts", opts, ["duration", "multiple", "rate", "price"]);
  const duration = requirePositive(action, "opts.duration", o.duration ?? 4);
  const multiple = requirePositive(action, "opts.multiple", o.multiple ?? 1);
  const rate = requireFinite(action, "opts.rate", o.rate ?? 0.03);
  const out = new Float64Array(spread.length);
  let implied = multiple * spread[0];
  for (let t = 0; t < spread.length; t++) {
    if (t > 0) implied -= (etfClose[t] / etfClose[t - 1] - 1 - (rate + multiple * spread[t - 1]) / 252) / duration;
    out[t] = spread[t] - implied / multiple;
  }
  return out;
}

/**
 * CDX–ETF basis signal: date, basis (S_CDX − H/m, decimal), basis_signal (its trailing z-score).
 *
 * @param cdx date, spread (decimal).
 * @param etf date and the price column `opts.price` (default close; pass total-return-adjusted closes for a
 *   dividend-paying ETF, or the dividends show up as jumps in the implied spread).
 * @param opts lookback (default 20), the ETF's duration (4), spread multiple (1), carry base rate (0.03), price.
 */
export function computeCdxEtfBasis(
  cdx: pl.DataFrame,
  etf: pl.DataFrame,
  opts: SignalOptions & BasisOptions = {},
): pl.DataFrame {
  const action = "compute CDX-ETF basis";
  opts = requireOptions(action, "opts", opts, ["lookback", "duration", "multiple", "rate", "price"]);
  const lookback = lookbackOf(action, opts);
  const duration = requirePositive(action, "duration", opts.duration ?? 4);
  const multiple = requirePositive(action, "multiple", opts.multiple ?? 1);
  const rate = requireFinite(action, "rate", opts.rate ?? 0.03);
  requireFrame(action, "cdx", cdx, ["date", "spread"]);
  const price = requireString(action, "price", opts.price ?? "close");
  requireFrame(action, "etf", etf, ["date", price]);
  const df = cdx.select("date", "spread").join(etf.select("date", price), { on: "date" }).sort("date");
  const basis = basisSeries(floatColumn(df, "spread"), floatColumn(df, price), { duration, multiple, rate });
  return frame(dateColumn(df), { basis, basis_signal: trailingZScore(basis, lookback) });
}

/** CDX–VIX gap signal: date, vix_gap = z(S_CDX) − z(VIX), each a trailing z-score over `lookback`. */
export function computeCdxVixGap(cdx: pl.DataFrame, vix: pl.DataFrame, opts: SignalOptions = {}): pl.DataFrame {
  const action = "compute CDX-VIX gap";
  opts = requireOptions(action, "opts", opts, ["lookback"]);
  const lookback = lookbackOf(action, opts);
  requireFrame(action, "cdx", cdx, ["date", "spread"]);
  requireFrame(action, "vix", vix, ["date", "close"]);
  const df = cdx.select("date", "spread").join(vix.select("date", "close"), { on: "date" }).sort("date");
  const zs = trailingZScore(floatColumn(df, "spread"), lookback);
  const zv = trailingZScore(floatColumn(df, "close"), lookback);
  return frame(dateColumn(df), { vix_gap: Float64Array.from(zs, (z, t) => z - zv[t]) });
}

/** Spread momentum signal: date, momentum = −(Sₜ − Sₜ₋ₗ)/(σ_Δ√L) (tightening is positive). */
export function computeSpreadMomentum(cdx: pl.DataFrame, opts: SignalOptions = {}): pl.DataFrame {
  const action = "compute spread momentum";
  opts = requireOptions(action, "opts", opts, ["lookback"]);
  const lookback = lookbackOf(action, opts);
  requireFrame(action, "cdx", cdx, ["date", "spread"]);
  const df = cdx.select("date", "spread").sort("date");
  return frame(dateColumn(df), { momentum: momentumSeries(floatColumn(df, "spread"), lookback) });
}

/** Weights of the composite by signal column. */
export interface SignalWeights {
  readonly basis_signal: number;
  readonly vix_gap: number;
  readonly momentum: number;
}

/** The original workflow's weights. */
export const DEFAULT_WEIGHTS: SignalWeights = { basis_signal: 0.4, vix_gap: 0.3, momentum: 0.3 };

/**
 * Joins the three signals on date and combines them: date, basis_signal, vix_gap, momentum, composite, signal
 * (+1 long risk when composite ≥ threshold, −1 when ≤ −threshold, 0 otherwise; null during the warm-up).
 *
 * @throws {RangeError} If a weight is not finite, all weights are 0, or the threshold is not > 0.
 */
export function aggregateSignals(
  signals: { basis: pl.DataFrame; vixGap: pl.DataFrame; momentum: pl.DataFrame },
  opts: { weights?: Partial<SignalWeights>; threshold?: number } = {},
): pl.DataFrame {
  const action = "aggregate signals";
  opts = requireOptions(action, "opts", opts, ["weights", "threshold"]);
  requireKnownKeys(action, "opts.weights", opts.weights, ["basis_signal", "vix_gap", "momentum"]);
  const weights = { ...DEFAULT_WEIGHTS, ...opts.weights };
  for (const [k, w] of Object.entries(weights)) {
    if (typeof w !== "number") throw typeError(action, `weights.${k}`, "a finite number", w);
    if (!Number.isFinite(w)) throw rangeError(action, `weights.${k}`, "a finite number", w);
  }
  if (Object.values(weights).every((w) => w === 0)) throw rangeError(action, "weights", "not all 0", "all 0");
  const threshold = requirePositive(action, "threshold", opts.threshold ?? 1.5);
  requireObject(action, "signals", signals);
  requireKnownKeys(action, "signals", signals, ["basis", "vixGap", "momentum"]);
  requireFrame(action, "signals.basis", signals.basis, ["date", "basis_signal"]);
  requireFrame(action, "signals.vixGap", signals.vixGap, ["date", "vix_gap"]);
  requireFrame(action, "signals.momentum", signals.momentum, ["date", "momentum"]);
  const df = signals.basis.select("date", "basis_signal")
    .join(signals.vixGap.select("date", "vix_gap"), { on: "date" })
    .join(signals.momentum.select("date", "momentum"), { on: "date" })
    .sort("date");
  const names = ["basis_signal", "vix_gap", "momentum"] as const;
  const composite = compositeSeries(names.map((name) => nanColumn(df, name)), names.map((k) => weights[k]));
  const signal = Float64Array.from(
    composite,
    (c) => (Number.isNaN(c) ? NaN : c >= threshold ? 1 : c <= -threshold ? -1 : 0),
  );
  return df.withColumns(
    pl.Series("composite", nanToNull(composite), pl.Float64),
    pl.Series("signal", nanToNull(signal), pl.Float64).cast(pl.Int8),
  );
}

/** Predictive power of one signal at one horizon (see {@linkcode overlaySignalIC}). */
export interface OverlaySignalIC {
  readonly signal: string;
  /** Trading days ahead. */ readonly horizon: number;
  /** Correlation of the signal at t with the spread tightening −(S_{t+h} − S_t). */ readonly ic: number;
  /** Newey–West t-statistic of the correlation (h lags: the forward windows overlap). */ readonly tStat: number;
  /** Dates with both the signal and the forward change. */ readonly dates: number;
}

/**
 * How well each signal has predicted the index's spread tightening h days ahead: the time-series correlation of
 * the signal at t with −(S_{t+h} − S_t), and its Newey–West t-statistic (the mean of the product of the two
 * standardised series, with h lags, since h-day forward windows overlap). This is an ex-post diagnostic of the
 * whole sample: it uses future spreads by design and must not feed a trading rule.
 *
 * @param signals date and the signal columns (default basis_signal, vix_gap, momentum, composite).
 * @param cdx date, spread (decimal).
 */
export function overlaySignalIC(
  signals: pl.DataFrame,
  cdx: pl.DataFrame,
  opts: { horizons?: readonly number[]; columns?: readonly string[] } = {},
): OverlaySignalIC[] {
  const action = "measure overlay signal IC";
  opts = requireOptions(action, "opts", opts, ["horizons", "columns"]);
  const horizons = opts.horizons ?? [1, 5, 20];
  if (!Array.isArray(horizons)) throw typeError(action, "horizons", "an array of integers", horizons);
  if (horizons.length === 0) throw rangeError(action, "horizons", "at least one horizon", 0);
  horizons.forEach((h, i) => requireInteger(action, `horizons[${i}]`, h, { min: 1, max: MAX_ELEMENTS }));
  const columns = opts.columns ?? ["basis_signal", "vix_gap", "momentum", "composite"];
  if (!Array.isArray(columns)) throw typeError(action, "columns", "an array of column names", columns);
  if (columns.length === 0) throw rangeError(action, "columns", "at least one column", 0);
  columns.forEach((c, i) => requireString(action, `columns[${i}]`, c));
  requireFrame(action, "signals", signals, ["date", ...columns]);
  requireFrame(action, "cdx", cdx, ["date", "spread"]);
  const df = signals.join(cdx.select("date", "spread"), { on: "date" }).sort("date");
  const spread = floatColumn(df, "spread");
  const out: OverlaySignalIC[] = [];
  for (const column of columns) {
    const x = nanColumn(df, column);
    for (const h of horizons) {
      const a: number[] = [], b: number[] = [];
      for (let t = 0; t + h < spread.length; t++) {
        if (!Number.isNaN(x[t])) a.push(x[t]), b.push(spread[t] - spread[t + h]);
      }
      if (a.length < 30) {
        throw rangeError(action, "signals", `at least 30 dates with ${column} and a ${h}-day change`, a.length);
      }
      const za = standardize(a), zb = standardize(b);
      const s = summarizeIC(Float64Array.from(za, (v, i) => v * zb[i]), h, h);
      out.push({ signal: column, horizon: h, ic: s.meanIC, tStat: s.tStat, dates: a.length });
    }
  }
  return out;
}

function standardize(x: number[]): number[] {
  const n = x.length, m = x.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / n);
  return x.map((v) => (sd > 0 ? (v - m) / sd : 0));
}

/**
 * The signal frame of {@linkcode aggregateSignals} as plain arrays for charts: dates, the three signals and the
 * composite (NaN during the warm-up).
 */
export function signalSeries(signals: pl.DataFrame): {
  dates: Date[];
  basis: Float64Array;
  vixGap: Float64Array;
  momentum: Float64Array;
  composite: Float64Array;
} {
  requireFrame("read overlay signals", "signals", signals, [
    "date",
    "basis_signal",
    "vix_gap",
    "momentum",
    "composite",
  ]);
  return {
    dates: dateColumn(signals),
    basis: nanColumn(signals, "basis_signal"),
    vixGap: nanColumn(signals, "vix_gap"),
    momentum: nanColumn(signals, "momentum"),
    composite: nanColumn(signals, "composite"),
  };
}
