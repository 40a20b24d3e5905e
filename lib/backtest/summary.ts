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
import { rangeError, requireFiniteArray, requireInteger, requirePositive } from "../core/check.ts";
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
import type { OverlayBacktestResult } from "./threshold.ts";

/** One row of {@linkcode performanceSummary}: a value, or null with the reason it is not available. */
export interface SummaryRow {
  readonly metric: string;
  /** null when not available; `note` says why. */ readonly value: number | null;
  /** How to show the value. */
  readonly unit: "percent" | "ratio" | "count" | "probability" | "currency" | "days";
  /** Why the value is not available, when it is null. */ readonly note?: string;
}

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
export function performanceSummary(returns: ArrayLike<number>, opts: SummaryOptions = {}): SummaryRow[] {
  const action = "summarise performance";
  requireFiniteArray(action, "returns", returns, { minLength: 1 });
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
  if (opts.turnover) {
    rows.push({ metric: "Annual turnover", value: annualSum("turnover", opts.turnover), unit: "percent" });
  }
  if (opts.costs) rows.push({ metric: "Annual costs", value: annualSum("costs", opts.costs), unit: "percent" });
  if (closed) {
    closed.forEach((t, i) => {
      if (!Number.isFinite(t?.pnl)) throw rangeError(action, `trades[${i}].pnl`, "finite", t?.pnl);
      requireInteger(action, `trades[${i}].days`, t.days, { min: 0 });
    });
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
 * trades): total and annualised P&L in currency and in percent of `capital`, annual volatility, Sharpe, Sortino,
 * max drawdown, Calmar, hit rate (share of winning trades), number of trades and average holding days. Conventions:
 * 252 trading days a year, zero risk-free rate (the position is unfunded), returns on the running equity
 * capital + cumulative P&L, drawdown of that equity from its running peak.
 *
 * @param opts capital (default the notional) and the minimum number of closed trades for ratios (default 5).
 */
export function overlaySummary(
  result: OverlayBacktestResult,
  opts: { capital?: number; minTrades?: number } = {},
): SummaryRow[] {
  const action = "summarise overlay";
  const capital = requirePositive(action, "capital", opts.capital ?? result.notional);
  const returns = new Float64Array(result.pnl.length);
  capitalReturns(result.pnl, capital, returns);
  const pnl = result.trades.getColumn("pnl").toArray() as number[];
  const days = result.trades.getColumn("days_held").toArray() as number[];
  const reason = result.trades.getColumn("exit_reason").toArray() as string[];
  const trades = pnl.map((p, i) => ({ pnl: p, days: days[i] })).filter((_, i) => reason[i] !== "open at end");
  const rows = performanceSummary(returns, { pnl: result.pnl, capital, trades, minTrades: opts.minTrades });
  return OVERLAY_ROWS.map((metric) => rows.find((r) => r.metric === metric)!);
}

/** The rows of {@linkcode overlaySummary}, in order. */
const OVERLAY_ROWS = [
  "Total P&L",
  "Total return on capital",
  "Annual P&L",
  "Annual return on capital",
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

/** Formats a summary for display: one row per metric with a readable value or "n/a (reason)". */
export function formatSummary(rows: readonly SummaryRow[], currency = "USD"): { metric: string; value: string }[] {
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
  const names = Object.keys(runs);
  if (names.length === 0) throw rangeError("compare summaries", "runs", "at least one run", "{}");
  const formatted = names.map((name) => formatSummary(runs[name], currency));
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

/** Equity of the overlay account: (capital + cumulative P&L) / capital, one value per date (1 = the start). */
export function equityCurve(
  result: { pnl: ArrayLike<number>; notional: number },
  capital: number = result.notional,
): Float64Array {
  requirePositive("compute equity curve", "capital", capital);
  let equity = capital;
  return Float64Array.from(result.pnl, (x: number) => (equity += x) / capital);
}
