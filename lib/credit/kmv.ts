/**
 * Distance to default through time, for one firm: daily equity values, a rolling equity volatility and the balance
 * sheet as it was known on each day.
 *
 *     equity volatility   σ_E(t) = √252 · sd(ln Eₛ/Eₛ₋₁, s = t−w+1..t)            (trailing window w, default 252)
 *     balance sheet       the latest fiscal period whose end + reporting lag (default 90 days) ≤ t; none older
 *                         than `maxStaleDays` (default 455: a year plus the lag) — no look-ahead
 *     default point       DP = short-term debt + ½ long-term debt (KMV)
 *
 * Two ways to get (V, σ_V) on each day:
 *
 *  - **direct** (default): Merton's two equations solved for that day (`solveMerton`).
 *  - **iterative** (KMV, Vassalou and Xing 2004): start from σ_V = σ_E·E/(E + DP); back out Vₛ for every day s of
 *    the trailing window from the first equation alone; set σ_V to the volatility of those ln Vₛ returns; repeat
 *    until σ_V moves by less than 10⁻⁶. It uses the asset path, not the equity-volatility equation, so it does not
 *    inherit the equity volatility's leverage effect day by day.
 *
 * Two measures for DD = [ln(V/DP) + (μ − σ_V²/2)T] / (σ_V√T):
 *
 *  - **risk-neutral** (default): μ = r, so DD = d₂ and PD = N(−d₂);
 *  - **physical** (`drift: "trailing"`, Vassalou and Xing 2004): μ(t) is the asset path's own mean return over the
 *    trailing window, μ(t) = 252 · [ln V(t) − ln V(t−w+1)] / (w − 1) + σ_V(t)²/2 (the mean of the daily changes
 *    of ln V telescopes), so a firm whose assets fell over the year gets a lower DD than the risk-neutral one.
 * @module
 */
import pl from "nodejs-polars";
import { normCdf } from "../core/special.ts";
import {
  rangeError,
  requireDates,
  requireFinite,
  requireInteger,
  requireObject,
  requireOneOf,
  requireOptions,
  requirePositive,
  requireString,
  typeError,
} from "../core/check.ts";
import { requireIsoDate } from "../core/calendar.ts";
import { dateColumn, floatColumn, nanToNull, nullableColumn } from "../data/columns.ts";
import { loadEquityPrices, loadFundamentals, loadTreasuryYields } from "../data/load.ts";
import { requireSource, type SourceOption } from "../data/source.ts";
import { equityValue, mertonD, mertonSpread, solveCore } from "./merton.ts";

/**
 * Trailing annualised volatility of log changes: NaN until `window` changes are available (or a value is ≤ 0).
 *
 * @param values Prices or values; NaN, ≤ 0 or infinite values count as missing (their log changes are skipped).
 * @param window Changes per window, an integer ≥ 2 (default 252).
 * @param periodsPerYear Annualisation, > 0 (default 252).
 * @throws {TypeError} If `values` is not an array of numbers.
 * @throws {RangeError} If `window` or `periodsPerYear` is out of range.
 */
export function rollingVolatility(values: ArrayLike<number>, window = 252, periodsPerYear = 252): Float64Array {
  const action = "compute rolling volatility";
  requireNumbers(action, "values", values, { missing: true, infinite: true });
  requireInteger(action, "window", window, { min: 2 });
  requirePositive(action, "periodsPerYear", periodsPerYear);
  const n = values.length, out = new Float64Array(n).fill(NaN);
  let s = 0, ss = 0, valid = 0;
  const r = new Float64Array(n).fill(NaN);
  for (let t = 1; t < n; t++) {
    const x = Math.log(values[t] / values[t - 1]);
    r[t] = Number.isFinite(x) ? x : NaN;
  }
  for (let t = 1; t < n; t++) {
    if (!Number.isNaN(r[t])) (s += r[t]), (ss += r[t] * r[t]), valid++;
    const old = t - window;
    if (old >= 1 && !Number.isNaN(r[old])) (s -= r[old]), (ss -= r[old] * r[old]), valid--;
    if (t >= window && valid === window) {
      const m = s / window;
      out[t] = Math.sqrt((Math.max(ss - window * m * m, 0) / (window - 1)) * periodsPerYear);
    }
  }
  return out;
}

/**
 * Requires an array-like of numbers (NaN allowed when `missing`, ±Infinity when `infinite`), naming the first bad
 * element (`equity[3]`).
 */
function requireNumbers(
  action: string,
  name: string,
  values: unknown,
  opts: { missing?: boolean; infinite?: boolean; length?: number } = {},
): ArrayLike<number> {
  if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    throw typeError(action, name, "an array of numbers", values);
  }
  const a = values as ArrayLike<unknown>;
  if (opts.length !== undefined && a.length !== opts.length) {
    throw rangeError(action, name, `${opts.length} values (one per date)`, a.length);
  }
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== "number") throw typeError(action, `${name}[${i}]`, "a number", v);
    if (Number.isNaN(v) ? !opts.missing : !Number.isFinite(v) && !opts.infinite) {
      throw rangeError(action, `${name}[${i}]`, opts.missing ? "finite or NaN (unknown)" : "finite", v);
    }
  }
  return a as ArrayLike<number>;
}

/** One fiscal period of a firm's balance sheet. */
export interface BalanceSheet {
  /** Fiscal period end (UTC midnight). */ readonly periodEnd: Date;
  readonly shortTermDebt: number;
  readonly longTermDebt: number;
  /** Shares outstanding, to turn prices into market values (optional). */ readonly shares?: number;
}

/**
 * The balance sheet known on each date: the latest period with periodEnd + lag ≤ date, at most `maxStaleDays`
 * after its period end; null when none qualifies.
 */
export function balanceSheetAsOf(
  dates: readonly Date[],
  sheets: readonly BalanceSheet[],
  opts: { reportingLagDays?: number; maxStaleDays?: number } = {},
): (BalanceSheet | null)[] {
  const action = "carry balance sheets forward";
  const lag = requireInteger(action, "reportingLagDays", opts.reportingLagDays ?? 90, { min: 0 });
  const stale = requireInteger(action, "maxStaleDays", opts.maxStaleDays ?? 365 + lag, { min: lag });
  const day = 86_400_000;
  const sorted = [...sheets].sort((a, b) => a.periodEnd.getTime() - b.periodEnd.getTime());
  return dates.map((d) => {
    let best: BalanceSheet | null = null;
    for (const s of sorted) if (s.periodEnd.getTime() + lag * day <= d.getTime()) best = s;
    return best && d.getTime() - best.periodEnd.getTime() <= stale * day ? best : null;
  });
}

/** V from the first Merton equation alone, for a given σ_V (Newton on V, bisection if it leaves the bracket). */
export function impliedAssetValue(equity: number, sigma: number, debt: number, rate: number, horizon: number): number {
  const pv = debt * Math.exp(-rate * horizon);
  let lo = equity, hi = equity + pv; // E < V < E + D e^{−rT}
  let v = 0.5 * (lo + hi);
  for (let k = 0; k < 100; k++) {
    const f = equityValue(v, sigma, debt, rate, horizon) - equity;
    if (Math.abs(f) <= 1e-13 * equity) return v;
    if (f > 0) hi = v;
    else lo = v;
    const [d1] = mertonD(v, sigma, debt, rate, horizon);
    let next = v - f / normCdf(d1); // ∂E/∂V = N(d₁)
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - v) <= 1e-15 * v) return next;
    v = next;
  }
  return v;
}

/** Options of {@linkcode mertonTimeSeries}. */
export interface MertonTimeSeriesOptions {
  readonly dates: readonly Date[];
  /** Market value of equity per date (currency); NaN where unknown. */ readonly equity: ArrayLike<number>;
  /** Short- and long-term debt per date as known then (use {@linkcode balanceSheetAsOf}); NaN where unknown. */
  readonly shortTermDebt: ArrayLike<number>;
  readonly longTermDebt: ArrayLike<number>;
  /** Continuously compounded risk-free rate: one number or one per date. */ readonly rate: number | ArrayLike<number>;
  /** Horizon in years (default 1). */ readonly horizon?: number;
  /**
   * Drift μ of DD and PD: a number (a constant real-world drift, decimal a year), `"trailing"` (the physical drift
   * of the asset path over the trailing window, see the module header; null until `window` asset values exist), or
   * omitted (the rate: risk-neutral).
   */
  readonly drift?: number | "trailing";
  /** Annualised equity volatility per date (default: the rolling volatility of `equity` over `window`). */
  readonly equityVol?: ArrayLike<number>;
  /** Trailing window of the equity volatility and of the iterative method, in days (default 252). */
  readonly window?: number;
  /** "direct" (default) or "iterative" (KMV). */ readonly method?: "direct" | "iterative";
}

/** The keys of {@linkcode MertonTimeSeriesOptions}. */
const MERTON_TIME_SERIES_OPTIONS = [
  "dates",
  "equity",
  "shortTermDebt",
  "longTermDebt",
  "rate",
  "horizon",
  "drift",
  "equityVol",
  "window",
  "method",
] as const;

/**
 * Daily asset value, asset volatility, DD and PD of one firm (see the module header). Every value at t uses data
 * up to t only. Rows without an equity volatility or a balance sheet yet have nulls.
 *
 * @throws {TypeError} If `opts` is not an object, holds an unknown option, or a field has the wrong type.
 * @throws {RangeError} If a date is invalid, a series is misaligned or holds ±Infinity, an option is out of range,
 *   or a day has no solution.
 * @returns date, equity, equity_vol, default_point, asset_value, asset_vol, dd, pd, merton_spread (of debt equal to
 *   the default point, due at the horizon; decimal), iterations.
 */
export function mertonTimeSeries(opts: MertonTimeSeriesOptions): pl.DataFrame {
  const action = "compute Merton time series";
  requireObject(action, "opts", opts);
  requireOptions(action, "opts", opts, MERTON_TIME_SERIES_OPTIONS);
  const n = requireDates(action, "dates", opts.dates).length;
  for (const name of ["equity", "shortTermDebt", "longTermDebt"] as const) {
    requireNumbers(action, name, opts[name], { missing: true, length: n });
  }
  if (typeof opts.rate === "number") requireFinite(action, "rate", opts.rate);
  else {
    requireNumbers(action, "rate", opts.rate, { missing: true });
    if (opts.rate.length !== n) throw rangeError(action, "rate", `a number or ${n} values`, opts.rate.length);
  }
  const horizon = requirePositive(action, "horizon", opts.horizon ?? 1);
  const window = requireInteger(action, "window", opts.window ?? 252, { min: 20 });
  const method = opts.method ?? "direct";
  if (method !== "direct" && method !== "iterative") throw rangeError(action, "method", "direct or iterative", method);
  if (opts.equityVol !== undefined) requireNumbers(action, "equityVol", opts.equityVol, { missing: true });
  const drift = opts.drift === undefined || opts.drift === "trailing"
    ? opts.drift
    : requireFinite(action, "drift", opts.drift);
  const rateAt = (t: number) => (typeof opts.rate === "number" ? opts.rate : opts.rate[t]);
  const equity = Float64Array.from(opts.equity);
  if (opts.equityVol !== undefined && opts.equityVol.length !== n) {
    throw rangeError(action, "equityVol", `${n} values (one per date)`, opts.equityVol.length);
  }
  const equityVol = opts.equityVol === undefined
    ? rollingVolatility(equity, window)
    : Float64Array.from(opts.equityVol);
  const dp = Float64Array.from({ length: n }, (_, t) => opts.shortTermDebt[t] + 0.5 * opts.longTermDebt[t]);
  const v = new Float64Array(n).fill(NaN), sv = new Float64Array(n).fill(NaN);
  const dd = new Float64Array(n).fill(NaN), pd = new Float64Array(n).fill(NaN);
  const spread = new Float64Array(n).fill(NaN);
  const iterations = new Float64Array(n).fill(NaN);
  const sqrtT = Math.sqrt(horizon);
  let warm = NaN; // the iterative method's σ_V of the previous date
  // ln V(t) − ln V(t−w+1) of the asset path behind σ_V(t), for the trailing (physical) drift.
  const logChange = new Float64Array(n).fill(NaN);
  for (let t = 0; t < n; t++) {
    const e = equity[t], se = equityVol[t], d = dp[t], r = rateAt(t);
    if (!(e > 0 && se > 0 && d > 0 && Number.isFinite(r))) continue;
    if (method === "direct") {
      const s = solveCore(e, se, d, r, horizon);
      if (!(s.residual < 1e-8)) {
        throw rangeError(
          action,
          `equity[${t}], equityVol[${t}] and the default point shortTermDebt[${t}] + ½ longTermDebt[${t}]`,
          "a solvable firm",
          `residual ${s.residual}`,
        );
      }
      (v[t] = s.v), (sv[t] = s.sigma), (iterations[t] = s.iterations);
    } else {
      const from = t - window + 1;
      let ok = from >= 0;
      for (let s = Math.max(from, 0); ok && s <= t; s++) {
        ok = equity[s] > 0 && dp[s] > 0 && Number.isFinite(rateAt(s));
      }
      if (!ok) continue;
      let sigma = Number.isNaN(warm) ? (se * e) / (e + d) : warm, k = 0;
      const logV = new Float64Array(window);
      for (; k < 100; k++) {
        for (let s = from; s <= t; s++) {
          logV[s - from] = Math.log(impliedAssetValue(equity[s], sigma, dp[s], rateAt(s), horizon));
        }
        let m = 0, q = 0;
        for (let s = 1; s < window; s++) m += logV[s] - logV[s - 1];
        m /= window - 1;
        for (let s = 1; s < window; s++) q += (logV[s] - logV[s - 1] - m) ** 2;
        const next = Math.sqrt((q / (window - 2)) * 252);
        const done = Math.abs(next - sigma) < 1e-6;
        sigma = next;
        if (done) break;
      }
      warm = sigma;
      (v[t] = Math.exp(logV[window - 1])), (sv[t] = sigma), (iterations[t] = k + 1);
      logChange[t] = logV[window - 1] - logV[0];
    }
    if (method === "direct" && t >= window - 1 && v[t - window + 1] > 0) {
      logChange[t] = Math.log(v[t] / v[t - window + 1]);
    }
    spread[t] = mertonSpread({ assetValue: v[t], assetVol: sv[t], debt: d, rate: r, horizon });
    const mu = drift === "trailing" ? (252 * logChange[t]) / (window - 1) + 0.5 * sv[t] * sv[t] : drift ?? r;
    if (Number.isNaN(mu)) continue; // the trailing drift needs a full window of asset values
    dd[t] = (Math.log(v[t] / d) + (mu - 0.5 * sv[t] * sv[t]) * horizon) / (sv[t] * sqrtT);
    pd[t] = normCdf(-dd[t]);
  }
  return pl.DataFrame({
    date: [...opts.dates],
    equity: nanToNull(equity),
    equity_vol: nanToNull(equityVol),
    default_point: nanToNull(dp),
    asset_value: nanToNull(v),
    asset_vol: nanToNull(sv),
    dd: nanToNull(dd),
    pd: nanToNull(pd),
    merton_spread: nanToNull(spread),
    iterations: nanToNull(iterations),
  }, {
    schema: {
      date: pl.Date,
      equity: pl.Float64,
      equity_vol: pl.Float64,
      default_point: pl.Float64,
      asset_value: pl.Float64,
      asset_vol: pl.Float64,
      dd: pl.Float64,
      pd: pl.Float64,
      merton_spread: pl.Float64,
      iterations: pl.Float64,
    },
  }).withColumn(pl.col("iterations").cast(pl.Int32));
}

/**
 * One firm of the market-data directory through Merton's model: daily market value = close × shares outstanding of
 * the latest reported period, balance sheets with a reporting lag, the Treasury yield of `rateTenor` years (default
 * 1: the 1-year yield DGS1; use 5 for a 5-year horizon) as the rate (continuously compounded: ln(1 + y)), all aligned
 * on the firm's trading days.
 *
 * @param ticker One of the KMV firms (APA, DVN, HAL, HES, OXY in the shared data).
 * @param opts `source` (required); `horizon`, `drift`, `window`, `method` as {@linkcode mertonTimeSeries};
 *   `reportingLagDays`, `maxStaleDays` as {@linkcode balanceSheetAsOf}; `start`, `end` (ISO dates) bound the rows;
 *   `rateTenor` the maturity in years of the Treasury yield used as r, one of {@linkcode RATE_TENORS} (default 1).
 * @throws {TypeError} If `ticker` is not a non-empty string or `opts` holds an unknown option.
 * @throws {RangeError} If the ticker is not in the data or an option is out of range.
 */
export function firmMertonSeries(ticker: string, opts: FirmMertonOptions): pl.DataFrame {
  return firmMertonSeriesAs("compute firm Merton series", "ticker", ticker, opts);
}

/** Options of {@linkcode firmMertonSeries}. */
export type FirmMertonOptions =
  & SourceOption
  & Omit<MertonTimeSeriesOptions, "dates" | "equity" | "equityVol" | "shortTermDebt" | "longTermDebt" | "rate">
  & {
    reportingLagDays?: number;
    maxStaleDays?: number;
    start?: string;
    end?: string;
    rateTenor?: RateTenor;
  };

/** Treasury maturities (years) available as the rate of {@linkcode firmMertonSeries}, with their FRED columns. */
export const RATE_TENORS = { 1: "DGS1", 2: "DGS2", 3: "DGS3", 5: "DGS5", 7: "DGS7", 10: "DGS10" } as const;

/** A key of {@linkcode RATE_TENORS}. */
export type RateTenor = keyof typeof RATE_TENORS;

/**
 * {@linkcode firmMertonSeries} with the caller's action and name of the ticker in its messages (lib-internal: a
 * panel names `tickers[2]`).
 */
export function firmMertonSeriesAs(
  action: string,
  tickerName: string,
  ticker: string,
  opts: FirmMertonOptions,
): pl.DataFrame {
  requireString(action, tickerName, ticker);
  requireObject(action, "opts", opts);
  requireOptions(action, "opts", opts, [
    "source",
    "horizon",
    "drift",
    "window",
    "method",
    "reportingLagDays",
    "maxStaleDays",
    "start",
    "end",
    "rateTenor",
  ]);
  const tenor = opts.rateTenor ?? 1;
  requireOneOf(action, "rateTenor", tenor, [1, 2, 3, 5, 7, 10]);
  const rateColumn = RATE_TENORS[tenor];
  const from = opts.start === undefined ? -Infinity : requireIsoDate(action, "start", opts.start).getTime();
  const to = opts.end === undefined ? Infinity : requireIsoDate(action, "end", opts.end).getTime();
  if (opts.method !== undefined) requireOneOf(action, "method", opts.method, ["direct", "iterative"]);
  const window = requireInteger(action, "window", opts.window ?? 252, { min: 20 });
  const source = requireSource(action, opts?.source, "opts.source");
  const prices = loadEquityPrices(source).filter(pl.col("ticker").eq(pl.lit(ticker))).sort("date");
  if (prices.height === 0) throw rangeError(action, tickerName, "a firm in kmv_equity_prices.csv", ticker);
  const funds = loadFundamentals(source).filter(pl.col("ticker").eq(pl.lit(ticker))).sort("period_ending");
  if (funds.height === 0) throw rangeError(action, tickerName, "a firm in kmv_fundamentals.csv", ticker);
  // The share count is estimated as net income / EPS and missing where EPS is (HAL and DVN FY2016): such a report
  // keeps the previous report's count, which was known earlier.
  const reported = nullableColumn(funds, "shares_outstanding_est");
  const std = floatColumn(funds, "short_term_debt"), ltd = floatColumn(funds, "long_term_debt");
  let lastShares = NaN;
  const sheets: BalanceSheet[] = dateColumn(funds, "period_ending").map((periodEnd, i) => {
    lastShares = reported[i] ?? lastShares;
    if (Number.isNaN(lastShares)) {
      throw rangeError(action, `${ticker} shares_outstanding_est`, "known for the first report", "null");
    }
    return { periodEnd, shortTermDebt: std[i], longTermDebt: ltd[i], shares: lastShares };
  });
  const treasury = loadTreasuryYields(source).select("date", rateColumn).dropNulls();
  const df = prices.select("date", "close", "adj_close").join(treasury, { on: "date", how: "left" }).sort("date");
  const dates = dateColumn(df), close = floatColumn(df, "close");
  // Treasury holidays with the stock market open: carry the last yield forward (it was known at t).
  const y1 = df.getColumn(rateColumn).toArray() as (number | null)[];
  let last = NaN;
  const rate = Float64Array.from(y1, (y) => (last = y === null ? last : Math.log(1 + y)));
  const asOf = balanceSheetAsOf(dates, sheets, {
    reportingLagDays: opts.reportingLagDays,
    maxStaleDays: opts.maxStaleDays,
  });
  // Market value with the share count known at t; the volatility comes from dividend-adjusted prices, so that a
  // new share count or a dividend is not read as a return.
  const equity = Float64Array.from(close, (c, i) => c * (asOf[i]?.shares ?? NaN));
  const result = mertonTimeSeries({
    horizon: opts.horizon,
    drift: opts.drift,
    window: opts.window,
    method: opts.method,
    dates,
    equity,
    equityVol: rollingVolatility(floatColumn(df, "adj_close"), window),
    shortTermDebt: asOf.map((s) => s?.shortTermDebt ?? NaN),
    longTermDebt: asOf.map((s) => s?.longTermDebt ?? NaN),
    rate,
  });
  const mask = pl.Series("keep", dates.map((d) => d.getTime() >= from && d.getTime() <= to));
  return result.filter(mask).withColumn(pl.lit(ticker).alias("ticker"));
}
