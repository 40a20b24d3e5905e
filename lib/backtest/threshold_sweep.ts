/**
 * Sensitivity of the overlay to its signal weights and entry threshold: the whole backtest rerun on a grid.
 *
 * Weights run over the simplex w_basis + w_vix_gap + w_momentum = 1, wₖ ≥ 0, in steps of `step`; each combination
 * is backtested at each entry threshold (exit = `exitRatio` × entry). The composite is rebuilt from the three signal
 * columns on typed arrays, so a grid of thousands of cells takes well under a second.
 *
 * A sweep is in-sample: picking its best cell and reporting that cell's Sharpe overstates what the rule would have
 * earned. Read it for the shape (is the result a broad plateau or one lucky cell?), not for the maximum.
 * @module
 */
import pl from "nodejs-polars";
import {
  MAX_ELEMENTS,
  rangeError,
  Received,
  requireFinite,
  requireInteger,
  requireObject,
  requireOneOf,
  requireOptions,
  requirePositive,
  typeError,
} from "../core/check.ts";
import { dateColumn, floatColumn, nanColumn } from "../data/columns.ts";
import { sharpeRatio, UndefinedStatisticError } from "./metrics.ts";
import { quantile } from "../core/stats.ts";
import { compositeSeries } from "../signals/composite.ts";
import { cdsReturns, rpv01Series } from "../market/cds.ts";
import {
  OVERLAY_KEYS,
  type OverlayBacktestOptions,
  overlayParams,
  requireFrame,
  simulateOverlay,
} from "./threshold.ts";
import { capitalReturns } from "./summary.ts";

/** Most backtests one sweep runs (cells × entries): a step of 1/400 with two entries; 0.1 is 66 cells. */
const MAX_SWEEP_RUNS = 200_000;

/** Options of {@linkcode sweepOverlayWeights}. */
export interface OverlaySweepOptions extends Omit<OverlayBacktestOptions, "entry" | "exit"> {
  /** Step of the weight grid (default 0.1; 1/step must be a whole number). */ readonly step?: number;
  /** Entry thresholds to try (default [1.5]). */ readonly entries?: readonly number[];
  /** Exit threshold as a share of entry (default 0.5, the original's 0.75/1.5). */ readonly exitRatio?: number;
  /** Capital the returns are measured on (default the notional). */ readonly capital?: number;
  /** Fewer closed trades than this and the cell's Sharpe is null (default 5). */ readonly minTrades?: number;
}

/**
 * Backtests every weight combination of the simplex grid at every entry threshold.
 *
 * @param signals date, basis_signal, vix_gap, momentum (as from `aggregateSignals`).
 * @param cdx date, spread (decimal).
 * @returns One row per cell: w_basis, w_vix_gap, w_momentum, entry, total_pnl (currency), sharpe (null below
 *   `minTrades` closed trades or when the cell's equity capital + cumulative P&L falls to 0 or below), trades
 *   (closed).
 * @throws {TypeError} If an input is not a DataFrame with the columns above, or on an unknown option key.
 * @throws {RangeError} If an option is out of range, the inputs share no date, or the grid would run more than
 *   200,000 backtests (cells × entries) or `MAX_ELEMENTS` backtest-days (× dates).
 */
export function sweepOverlayWeights(
  signals: pl.DataFrame,
  cdx: pl.DataFrame,
  options?: OverlaySweepOptions,
): pl.DataFrame {
  const action = "sweep overlay weights";
  const opts = requireOptions<OverlaySweepOptions>(action, "opts", options, [
    ...OVERLAY_KEYS.filter((k) => k !== "entry" && k !== "exit"),
    "step",
    "entries",
    "exitRatio",
    "capital",
    "minTrades",
  ]);
  const step = requirePositive(action, "step", opts.step ?? 0.1);
  const parts = Math.round(1 / step);
  if (parts < 1 || Math.abs(parts * step - 1) > 1e-9) throw rangeError(action, "step", "1/n for a whole n", step);
  const entries = opts.entries ?? [1.5];
  if (!Array.isArray(entries)) throw typeError(action, "entries", "an array of thresholds", entries);
  if (entries.length === 0) throw rangeError(action, "entries", "at least one threshold", "[]");
  entries.forEach((e, i) => requirePositive(action, `entries[${i}]`, e));
  const exitRatio = opts.exitRatio ?? 0.5;
  requireFinite(action, "exitRatio", exitRatio);
  if (!(exitRatio >= 0 && exitRatio < 1)) throw rangeError(action, "exitRatio", "in [0, 1)", exitRatio);
  const base = overlayParams(action, { ...opts, entry: entries[0], exit: entries[0] * exitRatio });
  const capital = opts.capital === undefined ? base.notional : requirePositive(action, "capital", opts.capital);
  const minTrades = requireInteger(action, "minTrades", opts.minTrades ?? 5, { min: 0 });
  requireFrame(action, "signals", signals, ["date", "basis_signal", "vix_gap", "momentum"]);
  requireFrame(action, "cdx", cdx, ["date", "spread"]);
  const df = signals.select("date", "basis_signal", "vix_gap", "momentum")
    .join(cdx.select("date", "spread"), { on: "date" }).sort("date");
  if (df.height === 0) throw rangeError(action, "signals and cdx", "at least one common date", "none");
  // Every cell is a full backtest over the dates: bound the work before starting it.
  const cells = ((parts + 1) * (parts + 2)) / 2, runs = cells * entries.length;
  if (runs > MAX_SWEEP_RUNS || runs * df.height > MAX_ELEMENTS) {
    throw rangeError(
      action,
      "step and entries",
      `a grid of at most ${MAX_SWEEP_RUNS} backtests and ${MAX_ELEMENTS} backtest-days`,
      new Received(`${cells} cells × ${entries.length} entries × ${df.height} dates`),
    );
  }
  const dates = dateColumn(df), spread = floatColumn(df, "spread");
  const columns = ["basis_signal", "vix_gap", "momentum"].map((name) => nanColumn(df, name));
  const returnsPerUnit = cdsReturns(dates, spread, base, rpv01Series(spread, base));
  const rows: Record<string, number | null>[] = [];
  const returns = new Float64Array(df.height);
  for (let i = 0; i <= parts; i++) {
    for (let j = 0; i + j <= parts; j++) {
      const w = [i / parts, j / parts, (parts - i - j) / parts];
      const composite = compositeSeries(columns, w);
      for (const entry of entries) {
        const r = simulateOverlay(dates, composite, returnsPerUnit, { ...base, entry, exit: entry * exitRatio });
        const total = capitalReturns(r.pnl, capital, returns);
        const closed = r.book.trades.filter((t) => t.reason !== "open at end").length;
        // Returns on an equity that fell to 0 or below are meaningless: that cell has no Sharpe ratio.
        const sharpe = closed >= minTrades && solvent(r.pnl, capital)
          ? definedOrNull(() => sharpeRatio(returns))
          : null;
        rows.push({
          w_basis: w[0],
          w_vix_gap: w[1],
          w_momentum: w[2],
          entry,
          total_pnl: total,
          sharpe,
          trades: closed,
        });
      }
    }
  }
  return pl.DataFrame(rows).withColumn(pl.col("trades").cast(pl.Int32));
}

/**
 * One entry threshold of a sweep as a heatmap grid: rows are the VIX-gap weight (high at the top), columns the
 * basis weight, the momentum weight is the rest; cells off the simplex are null.
 */
export function weightSimplexGrid(
  sweep: pl.DataFrame,
  options?: { metric?: "sharpe" | "total_pnl"; entry?: number },
): { rows: string[]; columns: string[]; values: (number | null)[][] } {
  const action = "grid overlay sweep";
  const opts = requireOptions<{ metric?: "sharpe" | "total_pnl"; entry?: number }>(action, "opts", options, [
    "metric",
    "entry",
  ]);
  const metric = opts.metric ?? "sharpe";
  if (typeof metric !== "string") requireOneOf(action, "metric", metric, ["sharpe", "total_pnl"]);
  if (metric !== "sharpe" && metric !== "total_pnl") throw rangeError(action, "metric", "sharpe or total_pnl", metric);
  if (opts.entry !== undefined) requireFinite(action, "entry", opts.entry);
  requireFrame(action, "sweep", sweep, ["w_basis", "w_vix_gap", "entry", metric]);
  const entries = [...new Set(sweep.getColumn("entry").toArray() as number[])];
  const entry = opts.entry ?? entries[0];
  if (!entries.includes(entry)) throw rangeError(action, "entry", `one of ${entries.join(", ")}`, entry);
  const cells = sweep.filter(pl.col("entry").eq(entry));
  const wb = floatColumn(cells, "w_basis"), wv = floatColumn(cells, "w_vix_gap");
  const value = cells.getColumn(metric).toArray() as (number | null)[];
  const levels = [...new Set(wb)].sort((a, b) => a - b);
  const key = (x: number) => x.toFixed(2);
  const index = new Map(levels.map((x, i) => [key(x), i]));
  const values = levels.map(() => levels.map((): number | null => null));
  for (let k = 0; k < wb.length; k++) {
    values[levels.length - 1 - index.get(key(wv[k]))!][index.get(key(wb[k]))!] = value[k];
  }
  return { rows: [...levels].reverse().map(key), columns: levels.map(key), values };
}

/** One line of {@linkcode sweepSummary}: a chosen weight set against the whole grid, at one entry threshold. */
export interface SweepSummaryRow {
  readonly entry: number;
  /** Sharpe and closed trades of the chosen weights (null: below the sweep's minimum trades). */
  readonly sharpe: number | null;
  readonly trades: number;
  /** Median Sharpe over the grid's cells that have one, and the share of those cells above 0. */
  readonly medianSharpe: number | null;
  readonly shareAboveZero: number | null;
  /** Rank of the chosen weights' Sharpe among the cells that have one (1 = best), and that count. */
  readonly rank: number | null;
  readonly cells: number;
  /**
   * The grid's best cell at this entry (highest Sharpe; ties to the first in the sweep's order), null when no cell
   * has a Sharpe: the choice a search of the grid would make, to be deflated for the search and checked on a
   * period it was not chosen on.
   */
  readonly best: {
    readonly weights: { readonly basis_signal: number; readonly vix_gap: number; readonly momentum: number };
    readonly sharpe: number;
    readonly trades: number;
  } | null;
}

/**
 * Where a chosen weight set sits in a sweep, per entry threshold: its Sharpe and trades, the grid's median
 * Sharpe, the share of cells above zero, its rank, and the grid's best cell. Weights are matched to the grid
 * within 1e-9 (normalised to sum 1 in absolute value first).
 *
 * @throws {RangeError} If the weights are not a cell of the sweep's grid.
 */
export function sweepSummary(
  sweep: pl.DataFrame,
  weights: { basis_signal: number; vix_gap: number; momentum: number },
): SweepSummaryRow[] {
  const action = "summarise overlay sweep";
  requireFrame(action, "sweep", sweep, ["w_basis", "w_vix_gap", "w_momentum", "entry", "sharpe", "trades"]);
  requireObject(action, "weights", weights);
  requireOptions(action, "weights", weights, ["basis_signal", "vix_gap", "momentum"]);
  for (const k of ["basis_signal", "vix_gap", "momentum"] as const) requireFinite(action, `weights.${k}`, weights[k]);
  const wb = floatColumn(sweep, "w_basis"), wv = floatColumn(sweep, "w_vix_gap"), wm = floatColumn(sweep, "w_momentum");
  const entry = floatColumn(sweep, "entry");
  const sharpe = sweep.getColumn("sharpe").toArray() as (number | null)[];
  const trades = sweep.getColumn("trades").toArray() as number[];
  const total = Math.abs(weights.basis_signal) + Math.abs(weights.vix_gap) + Math.abs(weights.momentum);
  if (!(total > 0)) throw rangeError(action, "weights", "not all zero", new Received("0/0/0"));
  const target = [weights.basis_signal / total, weights.vix_gap / total, weights.momentum / total];
  const out: SweepSummaryRow[] = [];
  for (const e of [...new Set(entry)]) {
    const rows = [...entry.keys()].filter((k) => entry[k] === e);
    const here = rows.find((k) =>
      Math.abs(wb[k] - target[0]) < 1e-9 && Math.abs(wv[k] - target[1]) < 1e-9 && Math.abs(wm[k] - target[2]) < 1e-9
    );
    if (here === undefined) {
      throw rangeError(action, "weights", "a cell of the sweep's grid", target.map((w) => w.toFixed(3)).join("/"));
    }
    const values = rows.map((k) => sharpe[k]).filter((s): s is number => s !== null).sort((a, b) => a - b);
    const mine = sharpe[here];
    let top = -1;
    for (const k of rows) if (sharpe[k] !== null && (top < 0 || sharpe[k]! > sharpe[top]!)) top = k;
    out.push({
      entry: e,
      sharpe: mine,
      trades: trades[here],
      medianSharpe: values.length ? quantile(values, 0.5) : null,
      shareAboveZero: values.length ? values.filter((s) => s > 0).length / values.length : null,
      rank: mine === null ? null : values.filter((s) => s > mine).length + 1,
      cells: values.length,
      best: top < 0 ? null : {
        weights: { basis_signal: wb[top], vix_gap: wv[top], momentum: wm[top] },
        sharpe: sharpe[top]!,
        trades: trades[top],
      },
    });
  }
  return out;
}

/** Whether the equity capital + cumulative P&L stays > 0 on every date. */
function solvent(pnl: ArrayLike<number>, capital: number): boolean {
  let equity = capital;
  for (let t = 0; t < pnl.length; t++) if (!((equity += pnl[t]) > 0)) return false;
  return true;
}

/** A statistic, or null when it is undefined for the data (any other error is thrown). */
function definedOrNull(compute: () => number): number | null {
  try {
    return compute();
  } catch (error) {
    if (error instanceof UndefinedStatisticError) return null;
    throw error;
  }
}
