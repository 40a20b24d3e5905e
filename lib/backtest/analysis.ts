/**
 * Reading backtests: a comparison table of strategies, a return attribution (rates, credit, cash, costs), and the
 * execution sweep of rebalance frequency × inertia band that shows where the optimum lies and how flat it is.
 * @module
 */
import { type BacktestOptions, type BacktestResult, type RebalanceSchedule, runBacktest } from "./bond_desk.ts";
import { performanceSummary } from "./summary.ts";
import { sharpeRatio, UndefinedStatisticError } from "./metrics.ts";
import {
  rangeError,
  requireFinite,
  requireFiniteArray,
  requireInteger,
  requireKnownKeys,
  requireLength,
  requireNonNegative,
  requireObject,
  requireOneOf,
  requireOptions,
  requirePositive,
  typeError,
} from "../core/check.ts";

/** Checks the series of a backtest result that a reader uses: finite arrays as long as its returns. */
function requireResult(
  action: string,
  name: string,
  result: unknown,
  series: readonly (keyof BacktestResult)[],
): BacktestResult {
  const r = requireObject(action, name, result);
  const n = requireFiniteArray(action, `${name}.returns`, r.returns, { minLength: 1 }).length;
  for (const key of series) {
    requireFiniteArray(action, `${name}.${key}`, r[key]);
    requireLength(action, `${name}.${key}`, r[key] as ArrayLike<number>, { length: n, like: `${name}.returns` });
  }
  return r as unknown as BacktestResult;
}

/** One strategy's line in {@linkcode compareStrategies}. */
export interface StrategyRow {
  readonly strategy: string;
  readonly finalNav: number;
  readonly totalReturn: number;
  readonly cagr: number | null;
  readonly volatility: number | null;
  readonly sharpe: number | null;
  readonly maxDrawdown: number | null;
  /** Sum of costs over the period, fraction of NAV. */ readonly totalCosts: number;
  /**
   * Sum of costs over the period in currency, on a starting NAV of 1 (Σ costsₜ·NAV paid from): the basis of a
   * desk that reports its costs in dollars.
   */
  readonly totalCostsCurrency: number;
  /** Annual traded notional Σ|Δw|, fraction of NAV. */ readonly annualTurnover: number;
  /**
   * Annualised Sharpe ratio of the net return in excess of the bill rate, mean(r − r_bill)/sd(r − r_bill)·√252:
   * the ratio of a funded book. null when undefined (constant excess returns).
   */
  readonly excessSharpe: number | null;
  /** Mean cash weight after the close, fraction of NAV. */ readonly meanCash: number;
  /** Fewest positions held after any close. */ readonly minPositions: number;
}

/** Sharpe ratio of r − r_bill (annualised, 252 a year), null when the statistic is undefined for the data. */
function excessSharpeOf(r: BacktestResult): number | null {
  const excess = Float64Array.from(r.returns, (x, t) => x - r.billReturns[t]);
  try {
    return sharpeRatio(excess);
  } catch (error) {
    if (error instanceof UndefinedStatisticError) return null;
    throw error;
  }
}

/**
 * Side-by-side statistics of several backtests (the original study's table).
 *
 * @throws {TypeError} If `results` is not an object of backtest results. @throws {RangeError} If a result's nav,
 *   costs or turnover differ in length from its returns or hold a value that is not finite.
 */
export function compareStrategies(results: Readonly<Record<string, BacktestResult>>): StrategyRow[] {
  const action = "compare strategies";
  requireObject(action, "results", results);
  for (const [name, r] of Object.entries(results)) {
    requireResult(action, `results[${JSON.stringify(name)}]`, r, [
      "nav",
      "costs",
      "turnover",
      "costsCurrency",
      "billReturns",
      "cash",
      "positions",
    ]);
  }
  return Object.entries(results).map(([strategy, r]) => {
    const s = performanceSummary(r.returns);
    const pick = (m: string) => s.find((x) => x.metric === m)?.value ?? null;
    const n = r.returns.length;
    return {
      strategy,
      finalNav: r.nav[n - 1],
      totalReturn: r.nav[n - 1] - 1,
      cagr: pick("CAGR"),
      volatility: pick("Annual volatility"),
      sharpe: pick("Sharpe ratio"),
      maxDrawdown: pick("Max drawdown"),
      totalCosts: r.costs.reduce((a, b) => a + b, 0),
      totalCostsCurrency: r.costsCurrency.reduce((a, b) => a + b, 0),
      annualTurnover: (r.turnover.reduce((a, b) => a + b, 0) * 252) / n,
      excessSharpe: excessSharpeOf(r),
      meanCash: r.cash.reduce((a, b) => a + b, 0) / n,
      minPositions: r.positions.reduce((a, b) => Math.min(a, b), Infinity),
    };
  });
}

/**
 * Improvement of `better` over `base`, in percent of the base: cost reduction (positive = cheaper) and the
 * changes of final NAV and total return.
 *
 *     costReduction          1 − Σcosts_better / Σcosts_base              costs summed in % of NAV
 *     costReductionCurrency  1 − Σcosts€_better / Σcosts€_base            costs summed in currency
 *     navChange              NAV_better / NAV_base − 1
 *     turnoverReduction      1 − turnover_better / turnover_base
 *
 * The two cost bases part when the NAVs do: a desk that ends with a larger NAV pays more currency for the same
 * fraction of NAV.
 *
 * @throws {TypeError} If a row is not an object. @throws {RangeError} If a field is not finite, or a base field is
 *   not > 0 (a change relative to zero is undefined).
 */
export function improvement(base: StrategyRow, better: StrategyRow) {
  const action = "compute improvement";
  for (const [name, row] of [["base", base], ["better", better]] as const) {
    const r = requireObject(action, name, row);
    for (const key of ["totalCosts", "totalCostsCurrency", "finalNav", "annualTurnover"] as const) {
      if (name === "base") requirePositive(action, `${name}.${key}`, r[key]);
      else requireFinite(action, `${name}.${key}`, r[key]);
    }
  }
  return {
    costReduction: 1 - better.totalCosts / base.totalCosts,
    costReductionCurrency: 1 - better.totalCostsCurrency / base.totalCostsCurrency,
    navChange: better.finalNav / base.finalNav - 1,
    turnoverReduction: 1 - better.annualTurnover / base.annualTurnover,
  };
}

/** Where the return came from, annualised (simple sums × 252 / n). */
export interface Attribution {
  /** Duration-matched Treasuries: what the rates exposure alone earned. */ readonly rates: number;
  /** Credit excess return: spread carry, spread changes, defaults. */ readonly credit: number;
  readonly cash: number;
  readonly costs: number;
  readonly net: number;
  /** Mean spread duration (years). */ readonly spreadDuration: number;
}

/**
 * Annualised attribution of a backtest's return into rates, credit, cash and costs.
 *
 * @throws {TypeError} If `r` is not a backtest result. @throws {RangeError} If a series differs in length from the
 *   returns or holds a value that is not finite.
 */
export function attribution(r: BacktestResult): Attribution {
  requireResult("attribute returns", "r", r, [
    "ratesReturns",
    "creditReturns",
    "cashReturns",
    "costs",
    "spreadDuration",
  ]);
  const n = r.returns.length;
  const annual = (x: ArrayLike<number>) => (Array.from(x).reduce((a, b) => a + b, 0) * 252) / n;
  return {
    rates: annual(r.ratesReturns),
    credit: annual(r.creditReturns),
    cash: annual(r.cashReturns),
    costs: -annual(r.costs),
    net: annual(r.returns),
    spreadDuration: r.spreadDuration.reduce((a, b) => a + b, 0) / n,
  };
}

/** One cell of {@linkcode sweepExecution}. */
export interface SweepCell {
  readonly rebalance: RebalanceSchedule;
  readonly band: number;
  /** null when the strategy lost everything (CAGR undefined). */ readonly cagr: number | null;
  readonly annualCosts: number;
  /** Sharpe ratio of the total net return (zero risk-free rate), as before the bill rate was subtracted. */
  readonly sharpe: number | null;
  readonly finalNav: number;
  /** Sharpe ratio in excess of the bill rate (see {@linkcode StrategyRow}). */ readonly excessSharpe: number | null;
  /** Annual traded notional, fraction of NAV. */ readonly annualTurnover: number;
  /** Mean cash weight, fraction of NAV: a band as wide as the target weights leaves the book in cash. */
  readonly meanCash: number;
  /** Fewest positions held after any close. */ readonly minPositions: number;
}

/**
 * Runs the same strategy for every rebalance schedule × inertia band (trade-to-target unless `mode` says
 * otherwise): the grid behind the execution heatmaps.
 *
 * @param base The backtest's options without `rebalance` and `band` (the grid sets them).
 * @param grid `schedules` ("daily", "weekly", "monthly" or every k dates), `bands` (half-widths ≥ 0), `mode`.
 * @throws {TypeError} On an unknown key of `base` or `grid`, or a wrong type. @throws {RangeError} If the grid is
 *   empty or holds an invalid schedule or band, or the backtest refuses `base`.
 */
export function sweepExecution(
  base: Omit<BacktestOptions, "rebalance" | "band">,
  grid: { schedules: readonly RebalanceSchedule[]; bands: readonly number[]; mode?: "target" | "edge" },
): SweepCell[] {
  const action = "sweep execution";
  requireObject(action, "base", base);
  requireKnownKeys(action, "base", base, ["market", "signal", "topFraction", "weighting", "costs", "start", "end"]);
  requireObject(action, "grid", grid);
  requireOptions(action, "grid", grid, ["schedules", "bands", "mode"]);
  if (!Array.isArray(grid.schedules)) throw typeError(action, "grid.schedules", "an array", grid.schedules);
  if (!Array.isArray(grid.bands)) throw typeError(action, "grid.bands", "an array", grid.bands);
  grid.schedules.forEach((s, i) => {
    if (typeof s === "number") requireInteger(action, `grid.schedules[${i}]`, s, { min: 1 });
    else requireOneOf(action, `grid.schedules[${i}]`, s, ["daily", "weekly", "monthly"]);
  });
  grid.bands.forEach((b, i) => requireNonNegative(action, `grid.bands[${i}]`, b));
  if (grid.mode !== undefined) requireOneOf(action, "grid.mode", grid.mode, ["target", "edge"]);
  if (grid.schedules.length === 0 || grid.bands.length === 0) {
    throw rangeError("sweep execution", "grid", "at least one schedule and one band", 0);
  }
  const out: SweepCell[] = [];
  for (const rebalance of grid.schedules) {
    for (const band of grid.bands) {
      const r = runBacktest({ ...base, rebalance, band: { width: band, mode: grid.mode } });
      const row = compareStrategies({ x: r })[0];
      out.push({
        rebalance,
        band,
        cagr: row.cagr,
        annualCosts: (row.totalCosts * 252) / r.returns.length,
        sharpe: row.sharpe,
        finalNav: row.finalNav,
        excessSharpe: row.excessSharpe,
        annualTurnover: row.annualTurnover,
        meanCash: row.meanCash,
        minPositions: row.minPositions,
      });
    }
  }
  return out;
}
