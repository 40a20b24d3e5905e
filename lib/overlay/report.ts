/**
 * Reading the overlay: a performance summary that refuses meaningless numbers, and the export of positions,
 * P&L and metrics (Parquet and JSON) with a reader that brings them back identically.
 *
 * Returns are daily P&L divided by a stated capital (the overlay is a notional position; the capital is what a
 * reader measures it against). Ratios computed from a handful of trades are noise: the original workflow printed a
 * Calmar ratio of 416 from one trade. Below `minTrades` closed trades, the ratios are reported as not available,
 * with the reason, and so is any statistic whose definition fails (no losing day, no drawdown).
 * @module
 */
import pl from "nodejs-polars";
import { join } from "node:path";
import { rangeError, requireInteger, requirePositive } from "../core/check.ts";
import { annualVolatility, calmarRatio, maxDrawdown, sharpeRatio, sortinoRatio } from "../backtest/metrics.ts";
import type { OverlayBacktestResult } from "./backtest.ts";

/** One line of {@linkcode overlaySummary}. */
export interface OverlayMetric {
  readonly metric: string;
  /** null when not available; `note` says why. */ readonly value: number | null;
  readonly unit: "currency" | "percent" | "ratio" | "count" | "days";
  readonly note?: string;
}

/**
 * Summary of an overlay backtest: total and annualised P&L in currency and in percent of `capital`, annual
 * volatility, Sharpe, Sortino, max drawdown, Calmar, hit rate (share of winning trades), number of trades and
 * average holding days. Conventions: 252 trading days a year, zero risk-free rate (the position is unfunded),
 * drawdown of capital + cumulative P&L from its running peak.
 *
 * @param opts capital (default the notional) and the minimum number of closed trades for ratios (default 5).
 */
export function overlaySummary(
  result: OverlayBacktestResult,
  opts: { capital?: number; minTrades?: number } = {},
): OverlayMetric[] {
  const action = "summarise overlay";
  const capital = requirePositive(action, "capital", opts.capital ?? result.notional);
  const minTrades = requireInteger(action, "minTrades", opts.minTrades ?? 5, { min: 1 });
  const n = result.pnl.length;
  const years = n / 252;
  const returns = new Float64Array(n);
  const total = capitalReturns(result.pnl, capital, returns);
  const closed = trades(result).filter((t) => t.reason !== "open at end");
  const few = closed.length < minTrades
    ? `${closed.length} closed trade${closed.length === 1 ? "" : "s"}: a ratio needs at least ${minTrades}`
    : null;
  // A statistic whose definition fails on these data is reported as not available, with the reason.
  const guarded = (metric: string, unit: OverlayMetric["unit"], f: () => number): OverlayMetric => {
    try {
      return { metric, value: f(), unit };
    } catch (error) {
      const reason = (error as Error).message.replace(/^Cannot [^:]+: /, "");
      return { metric, value: null, unit, note: `not available: ${reason}` };
    }
  };
  const ratio = (metric: string, f: () => number): OverlayMetric =>
    few ? { metric, value: null, unit: "ratio", note: `not available: ${few}` } : guarded(metric, "ratio", f);
  const winners = closed.filter((t) => t.pnl > 0).length;
  const held = closed.reduce((a, t) => a + t.days, 0);
  return [
    { metric: "Total P&L", value: total, unit: "currency" },
    { metric: "Total return on capital", value: total / capital, unit: "percent" },
    { metric: "Annual P&L", value: total / years, unit: "currency" },
    { metric: "Annual return on capital", value: total / capital / years, unit: "percent" },
    guarded("Annual volatility", "percent", () => annualVolatility(returns)),
    ratio("Sharpe ratio", () => sharpeRatio(returns)),
    ratio("Sortino ratio", () => sortinoRatio(returns)),
    { metric: "Max drawdown", value: maxDrawdown(returns), unit: "percent" },
    ratio("Calmar ratio", () => calmarRatio(returns)),
    few
      ? { metric: "Hit rate (winning trades)", value: null, unit: "percent", note: `not available: ${few}` }
      : { metric: "Hit rate (winning trades)", value: winners / closed.length, unit: "percent" },
    { metric: "Number of trades", value: closed.length, unit: "count" },
    closed.length
      ? { metric: "Average holding (trading days)", value: held / closed.length, unit: "days" }
      : { metric: "Average holding (trading days)", value: null, unit: "days", note: "not available: no trade" },
  ];
}

/**
 * Daily returns on the running equity (capital + P&L so far), written into `out`, so that compounding them gives
 * the equity curve; returns the total P&L.
 */
export function capitalReturns(pnl: Float64Array, capital: number, out: Float64Array): number {
  let equity = capital;
  for (let t = 0; t < pnl.length; t++) (out[t] = pnl[t] / equity), (equity += pnl[t]);
  return equity - capital;
}

function trades(result: OverlayBacktestResult): { pnl: number; days: number; reason: string }[] {
  const pnl = result.trades.getColumn("pnl").toArray() as number[];
  const days = result.trades.getColumn("days_held").toArray() as number[];
  const reason = result.trades.getColumn("exit_reason").toArray() as string[];
  return pnl.map((p, i) => ({ pnl: p, days: days[i], reason: reason[i] }));
}

/** Formats a summary for display: one row per metric with a readable value or "n/a (reason)". */
export function formatSummary(rows: readonly OverlayMetric[], currency = "USD"): { metric: string; value: string }[] {
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
  runs: Readonly<Record<string, readonly OverlayMetric[]>>,
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
export function equityCurve(result: OverlayBacktestResult, capital: number = result.notional): Float64Array {
  requirePositive("compute equity curve", "capital", capital);
  let equity = capital;
  return Float64Array.from(result.pnl, (x) => (equity += x) / capital);
}

/** Paths written by {@linkcode exportOverlay}. */
export interface OverlayExport {
  readonly daily: string;
  readonly trades: string;
  readonly metrics: string;
}

/**
 * Writes `daily.parquet` (positions and P&L), `trades.parquet` and `metrics.json` into `dir` (created if needed).
 * The JSON holds every metric with its value (null when not available), unit and note.
 */
export function exportOverlay(
  result: OverlayBacktestResult,
  metrics: readonly OverlayMetric[],
  dir: string,
  prefix = "overlay",
): OverlayExport {
  Deno.mkdirSync(dir, { recursive: true });
  const paths = {
    daily: join(dir, `${prefix}_daily.parquet`),
    trades: join(dir, `${prefix}_trades.parquet`),
    metrics: join(dir, `${prefix}_metrics.json`),
  };
  result.daily.writeParquet(paths.daily);
  result.trades.writeParquet(paths.trades);
  Deno.writeTextFileSync(paths.metrics, JSON.stringify({ metrics }, null, 2) + "\n");
  return paths;
}

/** Reads back what {@linkcode exportOverlay} wrote. */
export function readOverlayExport(paths: OverlayExport): {
  daily: pl.DataFrame;
  trades: pl.DataFrame;
  metrics: OverlayMetric[];
} {
  return {
    daily: pl.readParquet(paths.daily),
    trades: pl.readParquet(paths.trades),
    metrics: JSON.parse(Deno.readTextFileSync(paths.metrics)).metrics,
  };
}
