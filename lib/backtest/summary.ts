/**
 * The one performance summary of every strategy — the bond desk, the CDX overlay and those to come — and its
 * display helpers.
 *
 * The summary takes a strategy's net periodic returns (on its running NAV) and, where the strategy has them, its
 * currency P&L on a stated capital, its closed round trips, its turnover and costs. Each row is a value or, when
 * the statistic is undefined for these data, null with the reason: too few closed trades for a ratio (the original
 * overlay printed a Calmar ratio of 416 from one trade), a constant series, no losing period, no drawdown. Only
 * those cases are caught (`UndefinedStatisticError` of `metrics.ts`); any other error is a bug, and it is thrown.
 *
 * Conventions: `periodsPerYear` 252 unless given; the risk-free rate per period (0 unless given: say what a Sharpe
 * ratio is in excess of); drawdowns on the compounded NAV from its running peak; currency lines on `capital`.
 * @module
 */
import {
  rangeError,
  requireFinite,
  requireFiniteArray,
  requireInteger,
  requireObject,
  requireOneOf,
  requireOptions,
  requirePositive,
  requireString,
  typeError,
} from "../core/check.ts";
import {
  annualVolatility,
  cagr,
  calmarRatio,
  conditionalValueAtRisk,
  hitRate,
  maxDrawdown,
  type MetricOptions,
  probabilisticSharpeRatio,
  sharpeRatio,
  sortinoRatio,
  UndefinedStatisticError,
  valueAtRisk,
} from "./metrics.ts";
import { type OverlayBacktestResult, requireFrame } from "./threshold.ts";
import { floatColumn, stringColumn } from "../data/columns.ts";

/** One row of {@linkcode performanceSummary}: a value, or null with the reason it is not available. */
export interface SummaryRow {
  readonly metric: string;
  /** null when not available; `note` says why. */ readonly value: number | null;
  /** How to show the value. */
  readonly unit: "percent" | "ratio" | "count" | "probability" | "currency" | "days";
  /** Why the value is not available, when it is null. */ readonly note?: string;
}

/** The units a {@linkcode SummaryRow} may have. */
const UNITS: readonly SummaryRow["unit"][] = ["percent", "ratio", "count", "probability", "currency", "days"];

/**
 * Checks summary rows passed back in (to format, compare or export them), naming the first bad row in the caller's
 * terms (`runs["A"][3].value`): an array of objects with a non-empty `metric`, a `unit` of {@linkcode SummaryRow}
 * and a `value` that is a finite number or null (with an optional string `note`).
 *
 * @throws {TypeError} On a wrong shape or type. @throws {RangeError} On a value that is not finite.
 */
export function requireSummaryRows(action: string, name: string, rows: unknown): readonly SummaryRow[] {
  if (!Array.isArray(rows)) throw typeError(action, name, "an array of summary rows (from performanceSummary)", rows);
  rows.forEach((row, i) => {
    const at = `${name}[${i}]`;
    const r = requireObject(action, at, row);
    requireString(action, `${at}.metric`, r.metric);
    requireOneOf(action, `${at}.unit`, r.unit, UNITS);
    if (r.value !== null) requireFinite(action, `${at}.value`, r.value);
    if (r.note !== undefined && typeof r.note !== "string") throw typeError(action, `${at}.note`, "a string", r.note);
  });
  return rows as SummaryRow[];
}

/** The keys of {@linkcode SummaryOptions}. */
const SUMMARY_KEYS = [
  "periodsPerYear",
  "riskFree",
  "convention",
  "turnover",
  "costs",
  "pnl",
  "capital",
  "trades",
  "minTrades",
] as const;

/** A closed round trip, as the summary reads it. */
export interface TradeOutcome {
  /** P&L net of costs, currency. */ readonly pnl: number;
  /** Periods held. */ readonly days: number;
}

/** Options of {@linkcode performanceSummary}. */
export interface SummaryOptions extends MetricOptions {
  /** Traded notional per period, fraction of NAV, annualised into "Annual turnover". */
  readonly turnover?: ArrayLike<number>;
  /** Costs per period, fraction of NAV, annualised into "Annual costs". */ readonly costs?: ArrayLike<number>;
  /** Net P&L per period in currency with the `capital` it is measured on: adds the currency lines. */
  readonly pnl?: ArrayLike<number>;
  readonly capital?: number;
  /** Closed round trips: adds the trade lines, and below `minTrades` the ratios are not available. */
  readonly trades?: readonly TradeOutcome[];
  /** Fewest closed trades for a ratio to be reported (default 5; only with `trades`). */
  readonly minTrades?: number;
}

/**
 * The summary table of a strategy: CAGR, volatility, Sharpe, Sortino, max drawdown, Calmar, VaR and CVaR (95 %),
 * hit rate (share of winning periods), probabilistic Sharpe ratio; with `turnover`/`costs` their annual sums; with
 * `pnl` and `capital` total and annual P&L in currency and in % of capital; with `trades` the number of closed
 * trades, the share that won and the average holding period.
 *
 * @param returns Net periodic returns on the running NAV.
 * @throws {RangeError} If an input is invalid; a statistic undefined for the data is a row with value null instead.
 *
 * @example One closed trade: the ratios are refused, with the reason
 * ```ts
 * import assert from "node:assert/strict";
 * import { performanceSummary } from "./summary.ts";
 *
 * const rows = performanceSummary([0.01, -0.005, 0.002], { trades: [{ pnl: 1, days: 3 }] });
 * const sharpe = rows.find((r) => r.metric === "Sharpe ratio")!;
 * assert.equal(sharpe.value, null);
 * assert.equal(sharpe.note, "not available: 1 closed trade: a ratio needs at least 5");
 * ```
 */
export function performanceSummary(returns: ArrayLike<number>, options?: SummaryOptions): SummaryRow[] {
  const action = "summarise performance";
  const opts = requireOptions<SummaryOptions>(action, "opts", options, SUMMARY_KEYS);
  requireFiniteArray(action, "returns", returns, { minLength: 1 });
  if (opts.periodsPerYear !== undefined) requirePositive(action, "periodsPerYear", opts.periodsPerYear);
  if (opts.riskFree !== undefined) requireFinite(action, "riskFree", opts.riskFree);
  if (opts.convention !== undefined) {
    requireOneOf(action, "convention", opts.convention, ["creditlab", "empyrical", "quantstats"]);
  }
  if (opts.trades !== undefined) {
    if (!Array.isArray(opts.trades)) throw typeError(action, "trades", "an array of { pnl, days }", opts.trades);
    opts.trades.forEach((t: unknown, i) => {
      const trade = requireObject(action, `trades[${i}]`, t);
      requireFinite(action, `trades[${i}].pnl`, trade.pnl);
      requireInteger(action, `trades[${i}].days`, trade.days, { min: 0 });
    });
  }
  const periods = opts.periodsPerYear ?? 252;
  const n = returns.length, years = n / periods;
  const metricOpts: MetricOptions = {
    periodsPerYear: opts.periodsPerYear,
    riskFree: opts.riskFree,
    convention: opts.convention,
  };
  const minTrades = requireInteger(action, "minTrades", opts.minTrades ?? 5, { min: 1 });
  const closed = opts.trades;
  const few = closed && closed.length < minTrades
    ? `${closed.length} closed trade${closed.length === 1 ? "" : "s"}: a ratio needs at least ${minTrades}`
    : null;
  const row = (metric: string, unit: SummaryRow["unit"], compute: () => number): SummaryRow => {
    try {
      return { metric, value: compute(), unit };
    } catch (error) {
      if (!(error instanceof UndefinedStatisticError)) throw error;
      return { metric, value: null, unit, note: `not available: ${error.message.replace(/^Cannot [^:]+: /, "")}` };
    }
  };
  const ratio = (metric: string, unit: SummaryRow["unit"], compute: () => number): SummaryRow =>
    few ? { metric, value: null, unit, note: `not available: ${few}` } : row(metric, unit, compute);
  const rows: SummaryRow[] = [];
  if (opts.pnl !== undefined || opts.capital !== undefined) {
    const capital = requirePositive(action, "capital", opts.capital);
    requireFiniteArray(action, "pnl", opts.pnl, { length: n });
    let total = 0;
    for (let t = 0; t < n; t++) total += opts.pnl![t];
    rows.push(
      { metric: "Total P&L", value: total, unit: "currency" },
      { metric: "Total return on capital", value: total / capital, unit: "percent" },
      { metric: "Annual P&L", value: total / years, unit: "currency" },
      { metric: "Annual return on capital", value: total / capital / years, unit: "percent" },
    );
  }
  rows.push(
    row("CAGR", "percent", () => cagr(returns, metricOpts)),
    row("Annual volatility", "percent", () => annualVolatility(returns, metricOpts)),
    ratio("Sharpe ratio", "ratio", () => sharpeRatio(returns, metricOpts)),
    ratio("Sortino ratio", "ratio", () => sortinoRatio(returns, metricOpts)),
    row("Max drawdown", "percent", () => maxDrawdown(returns)),
    ratio("Calmar ratio", "ratio", () => calmarRatio(returns, metricOpts)),
    row("VaR 95% (1 period)", "percent", () => valueAtRisk(returns, 0.95, metricOpts)),
    row("CVaR 95% (1 period)", "percent", () => conditionalValueAtRisk(returns, 0.95, metricOpts)),
    row("Hit rate", "percent", () => hitRate(returns)),
    ratio("Probabilistic Sharpe (SR > 0)", "probability", () => probabilisticSharpeRatio(returns, metricOpts)),
  );
  const annualSum = (name: string, x: ArrayLike<number>) => {
    requireFiniteArray(action, name, x, { length: n });
    let s = 0;
    for (let t = 0; t < n; t++) s += x[t];
    return (s * periods) / n;
  };
  if (opts.turnover !== undefined) {
    rows.push({ metric: "Annual turnover", value: annualSum("turnover", opts.turnover), unit: "percent" });
  }
  if (opts.costs !== undefined) {
    rows.push({ metric: "Annual costs", value: annualSum("costs", opts.costs), unit: "percent" });
  }
  if (closed) {
    const winners = closed.filter((t) => t.pnl > 0).length;
    const held = closed.reduce((a, t) => a + t.days, 0);
    rows.push(
      few
        ? { metric: "Hit rate (winning trades)", value: null, unit: "percent", note: `not available: ${few}` }
        : { metric: "Hit rate (winning trades)", value: winners / closed.length, unit: "percent" },
      { metric: "Number of trades", value: closed.length, unit: "count" },
      closed.length
        ? { metric: "Average holding (trading days)", value: held / closed.length, unit: "days" }
        : { metric: "Average holding (trading days)", value: null, unit: "days", note: "not available: no trade" },
    );
  }
  return rows;
}

/**
 * The summary of an overlay backtest ({@linkcode performanceSummary} on the account's returns, P&L and closed
 * trades): total P&L in currency and in percent of `capital`, the average P&L a year in currency, CAGR, annual
 * volatility, Sharpe, Sortino, max drawdown, Calmar, hit rate (share of winning trades), number of trades and
 * average holding days.
 *
 * One basis for every return line: the daily return on the running equity Eₜ = capital + cumulative P&L,
 *
 *     rₜ = P&Lₜ / Eₜ₋₁,      Π (1 + rₜ) = E_T / capital,
 *
 * so the total return on capital, CAGR = (E_T / capital)^(252/n) − 1, the volatility, Sharpe and Sortino ratios
 * (of rₜ), the max drawdown (of Eₜ from its running peak) and Calmar = CAGR / |max drawdown| all describe the
 * same equity curve. (No simple "annual return on capital" line: total / capital / years mixes a simple average
 * into a compounded table.) 252 trading days a year; zero risk-free rate (the position is unfunded).
 *
 * @param opts capital (default the notional) and the minimum number of closed trades for ratios (default 5).
 * @throws {RangeError} If the capital is not > 0 or so small that the equity capital + cumulative P&L falls to 0 or
 * below (returns on it are then meaningless), or the result is malformed. @throws {TypeError} On an unknown option.
 */
export function overlaySummary(
  result: OverlayBacktestResult,
  opts?: { capital?: number; minTrades?: number },
): SummaryRow[] {
  const action = "summarise overlay";
  const o = requireOptions<{ capital?: number; minTrades?: number }>(action, "opts", opts, ["capital", "minTrades"]);
  requireObject(action, "result", result);
  requireFiniteArray(action, "result.pnl", result.pnl, { minLength: 1 });
  const capitalName = o.capital === undefined ? "result.notional" : "capital";
  const capital = requirePositive(action, capitalName, o.capital ?? result.notional);
  requireFrame(action, "result.trades", result.trades, ["pnl", "days_held", "exit_reason"]);
  const returns = new Float64Array(result.pnl.length);
  capitalReturns(result.pnl, capital, returns);
  requireSolvent(action, capitalName, result.pnl, capital);
  const pnl = Array.from(floatColumn(result.trades, "pnl"));
  const days = Array.from(floatColumn(result.trades, "days_held"));
  const reason = stringColumn(result.trades, "exit_reason");
  const trades = pnl.map((p, i) => ({ pnl: p, days: days[i] })).filter((_, i) => reason[i] !== "open at end");
  const rows = performanceSummary(returns, { pnl: result.pnl, capital, trades, minTrades: o.minTrades });
  return OVERLAY_ROWS.map((metric) => rows.find((r) => r.metric === metric)!);
}

/** The rows of {@linkcode overlaySummary}, in order. */
const OVERLAY_ROWS = [
  "Total P&L",
  "Total return on capital",
  "Annual P&L",
  "CAGR",
  "Annual volatility",
  "Sharpe ratio",
  "Sortino ratio",
  "Max drawdown",
  "Calmar ratio",
  "Hit rate (winning trades)",
  "Number of trades",
  "Average holding (trading days)",
] as const;

/**
 * Daily returns on the running equity (capital + P&L so far), written into `out`, so that compounding them gives
 * the equity curve; returns the total P&L.
 */
export function capitalReturns(pnl: Float64Array, capital: number, out: Float64Array): number {
  let equity = capital;
  for (let t = 0; t < pnl.length; t++) (out[t] = pnl[t] / equity), (equity += pnl[t]);
  return equity - capital;
}

/**
 * Requires the equity capital + cumulative P&L to stay > 0 on every date, naming the capital (`name`) when it does
 * not: returns on a non-positive equity are meaningless.
 */
export function requireSolvent(action: string, name: string, pnl: ArrayLike<number>, capital: number): void {
  let equity = capital;
  for (let t = 0; t < pnl.length; t++) {
    equity += pnl[t];
    if (!(equity > 0)) {
      throw rangeError(
        action,
        name,
        `large enough that the equity stays > 0 (capital + cumulative P&L is ${equity} at pnl[${t}])`,
        capital,
      );
    }
  }
}

/**
 * Formats a summary for display: one row per metric with a readable value or "n/a (reason)".
 *
 * @param rows Rows of {@linkcode performanceSummary} (or read back by `readOverlayExport`).
 * @param currency Prefix of currency values, a non-empty string (default "USD").
 * @throws {TypeError} If a row is malformed or the currency is not a non-empty string.
 */
export function formatSummary(rows: readonly SummaryRow[], currency = "USD"): { metric: string; value: string }[] {
  const action = "format summary";
  requireSummaryRows(action, "rows", rows);
  requireString(action, "currency", currency);
  return formatRows(rows, currency);
}

function formatRows(rows: readonly SummaryRow[], currency: string): { metric: string; value: string }[] {
  return rows.map((r) => {
    if (r.value === null) return { metric: r.metric, value: `n/a — ${r.note?.replace(/^not available: /, "")}` };
    const v = r.value;
    const text = r.unit === "currency"
      ? `${currency} ${Math.round(v).toLocaleString("en-US")}`
      : r.unit === "percent"
      ? `${(v * 100).toFixed(2)} %`
      : r.unit === "count"
      ? String(v)
      : r.unit === "days"
      ? v.toFixed(1)
      : v.toFixed(2);
    return { metric: r.metric, value: text };
  });
}

/**
 * Several summaries side by side: one row per metric, one column per named run (formatted as by
 * {@linkcode formatSummary}). The runs must list the same metrics in the same order.
 */
export function compareSummaries(
  runs: Readonly<Record<string, readonly SummaryRow[]>>,
  currency = "USD",
): Record<string, string>[] {
  const action = "compare summaries";
  requireObject(action, "runs", runs);
  requireString(action, "currency", currency);
  const names = Object.keys(runs);
  if (names.length === 0) throw rangeError("compare summaries", "runs", "at least one run", "{}");
  names.forEach((name) => requireSummaryRows(action, `runs[${JSON.stringify(name)}]`, runs[name]));
  const formatted = names.map((name) => formatRows(runs[name], currency));
  const metrics = formatted[0].map((r) => r.metric);
  formatted.forEach((rows, k) => {
    if (rows.map((r) => r.metric).join("|") !== metrics.join("|")) {
      throw rangeError("compare summaries", `runs["${names[k]}"]`, "the same metrics as the first run", rows.length);
    }
  });
  return metrics.map((metric, i) => ({
    metric,
    ...Object.fromEntries(names.map((n, k) => [n, formatted[k][i].value])),
  }));
}

/**
 * Equity of the overlay account: (capital + cumulative P&L) / capital, one value per date (1 = the start).
 *
 * @param capital Capital, currency, > 0 (default `result.notional`).
 * @throws {TypeError} If `result` is not an object or a P&L value is not a number. @throws {RangeError} If the
 * capital (or, by default, the notional) is not a finite number > 0 or a P&L value is not finite.
 */
export function equityCurve(
  result: { pnl: ArrayLike<number>; notional: number },
  capital?: number,
): Float64Array {
  const action = "compute equity curve";
  requireObject(action, "result", result);
  requireFiniteArray(action, "result.pnl", result.pnl);
  if (capital === undefined) capital = requirePositive(action, "result.notional", result.notional);
  else requirePositive(action, "capital", capital);
  let equity = capital;
  return Float64Array.from(result.pnl, (x: number) => (equity += x) / capital);
}
