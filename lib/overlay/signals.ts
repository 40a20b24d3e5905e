/**
 * The overlay's three signals and their weighted composite. Sign convention: **positive means long credit risk**
 * (sell protection on the index); negative means buy protection. Every signal at date t uses data up to t only:
 * each is a trailing z-score over `lookback` observations ending at t.
 *
 *     basis       x = S_CDX − S_ETF, where S_ETF is the spread implied by the ETF's price:
 *                 S_ETF(t) = S_ETF(t−1) − rₜ/D (D = the ETF's spread duration), anchored to S_CDX on the first
 *                 date. A wide basis (index cheap against cash bonds) tends to close → signal +z(x).
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
import { rangeError, requireInteger, requirePositive } from "../core/check.ts";
import { dateColumn, floatColumn, nanColumn, requireColumns } from "../data/columns.ts";
import { rollingZScore } from "../signals/panel.ts";

/** Options shared by the signals. */
export interface SignalOptions {
  /** Trailing window in observations (default 20). */ readonly lookback?: number;
}

function lookbackOf(action: string, opts: SignalOptions): number {
  return requireInteger(action, "lookback", opts.lookback ?? 20, { min: 3 });
}

/** Trailing z-score of one series (NaN during the warm-up). */
export function trailingZScore(x: Float64Array, lookback: number): Float64Array {
  return rollingZScore({ rows: x.length, cols: 1, values: x }, lookback).values;
}

/** NaN (warm-up) becomes null in the output frames. */
function nullable(x: Float64Array): (number | null)[] {
  return Array.from(x, (v) => (Number.isNaN(v) ? null : v));
}

function frame(dates: Date[], columns: Record<string, Float64Array>): pl.DataFrame {
  const out: Record<string, unknown> = { date: dates };
  for (const [k, v] of Object.entries(columns)) out[k] = nullable(v);
  return pl.DataFrame(out).withColumn(pl.col("date").cast(pl.Date));
}

/** Basis raw series on typed arrays: x = S − S_ETF (decimal). */
export function basisSeries(spread: Float64Array, etfClose: Float64Array, duration = 4): Float64Array {
  const out = new Float64Array(spread.length);
  let implied = spread[0];
  for (let t = 0; t < spread.length; t++) {
    if (t > 0) implied -= (etfClose[t] / etfClose[t - 1] - 1) / duration;
    out[t] = spread[t] - implied;
  }
  return out;
}

/** Momentum on typed arrays: −(Sₜ − Sₜ₋ₗ)/(σ_Δ√L), σ_Δ over the L daily changes ending at t. NaN while t < L. */
export function momentumSeries(spread: Float64Array, lookback: number): Float64Array {
  const n = spread.length, out = new Float64Array(n).fill(NaN);
  let s = 0, ss = 0;
  for (let t = 1; t < n; t++) {
    const d = spread[t] - spread[t - 1];
    s += d, ss += d * d;
    if (t > lookback) {
      const old = spread[t - lookback] - spread[t - lookback - 1];
      s -= old, ss -= old * old;
    }
    if (t >= lookback) {
      const m = s / lookback, sd = Math.sqrt(Math.max(ss - lookback * m * m, 0) / (lookback - 1));
      if (sd > 0) out[t] = -(spread[t] - spread[t - lookback]) / (sd * Math.sqrt(lookback));
    }
  }
  return out;
}

/**
 * CDX–ETF basis signal: date, basis (S_CDX − S_ETF, decimal), basis_signal (its trailing z-score).
 *
 * @param cdx date, spread (decimal).
 * @param etf date, close (USD; use total-return-adjusted closes for a dividend-paying ETF).
 * @param opts lookback (default 20) and the ETF's spread duration in years (default 4, HYG's).
 */
export function computeCdxEtfBasis(
  cdx: pl.DataFrame,
  etf: pl.DataFrame,
  opts: SignalOptions & { duration?: number } = {},
): pl.DataFrame {
  const action = "compute CDX-ETF basis";
  const lookback = lookbackOf(action, opts);
  const duration = requirePositive(action, "duration", opts.duration ?? 4);
  requireColumns(action, "cdx", cdx, ["date", "spread"]);
  requireColumns(action, "etf", etf, ["date", "close"]);
  const df = cdx.select("date", "spread").join(etf.select("date", "close"), { on: "date" }).sort("date");
  const basis = basisSeries(floatColumn(df, "spread"), floatColumn(df, "close"), duration);
  return frame(dateColumn(df), { basis, basis_signal: trailingZScore(basis, lookback) });
}

/** CDX–VIX gap signal: date, vix_gap = z(S_CDX) − z(VIX), each a trailing z-score over `lookback`. */
export function computeCdxVixGap(cdx: pl.DataFrame, vix: pl.DataFrame, opts: SignalOptions = {}): pl.DataFrame {
  const action = "compute CDX-VIX gap";
  const lookback = lookbackOf(action, opts);
  requireColumns(action, "cdx", cdx, ["date", "spread"]);
  requireColumns(action, "vix", vix, ["date", "close"]);
  const df = cdx.select("date", "spread").join(vix.select("date", "close"), { on: "date" }).sort("date");
  const zs = trailingZScore(floatColumn(df, "spread"), lookback);
  const zv = trailingZScore(floatColumn(df, "close"), lookback);
  return frame(dateColumn(df), { vix_gap: Float64Array.from(zs, (z, t) => z - zv[t]) });
}

/** Spread momentum signal: date, momentum = −(Sₜ − Sₜ₋ₗ)/(σ_Δ√L) (tightening is positive). */
export function computeSpreadMomentum(cdx: pl.DataFrame, opts: SignalOptions = {}): pl.DataFrame {
  const action = "compute spread momentum";
  const lookback = lookbackOf(action, opts);
  requireColumns(action, "cdx", cdx, ["date", "spread"]);
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

/** The composite on typed arrays: Σ wₖ xₖ / Σ|wₖ| (NaN where any input is NaN). */
export function compositeSeries(columns: readonly Float64Array[], weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, w) => a + Math.abs(w), 0);
  const n = columns[0].length, out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let c = 0;
    for (let k = 0; k < columns.length; k++) c += weights[k] * columns[k][t];
    out[t] = c / total;
  }
  return out;
}

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
  const weights = { ...DEFAULT_WEIGHTS, ...opts.weights };
  for (const [k, w] of Object.entries(weights)) {
    if (!Number.isFinite(w)) throw rangeError(action, `weights.${k}`, "a finite number", w);
  }
  if (Object.values(weights).every((w) => w === 0)) throw rangeError(action, "weights", "not all 0", "all 0");
  const threshold = requirePositive(action, "threshold", opts.threshold ?? 1.5);
  requireColumns(action, "signals.basis", signals.basis, ["date", "basis_signal"]);
  requireColumns(action, "signals.vixGap", signals.vixGap, ["date", "vix_gap"]);
  requireColumns(action, "signals.momentum", signals.momentum, ["date", "momentum"]);
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
    pl.Series("composite", nullable(composite), pl.Float64),
    pl.Series("signal", nullable(signal), pl.Float64).cast(pl.Int8),
  );
}
