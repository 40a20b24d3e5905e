/**
 * Reading backtests: a comparison table of strategies, a return attribution (rates, credit, cash, costs), and the
 * execution sweep of rebalance frequency × inertia band that shows where the optimum lies and how flat it is.
 * @module
 */
import { type BacktestOptions, type BacktestResult, type RebalanceSchedule, runBacktest } from "./bond_desk.ts";
import { performanceSummary } from "./summary.ts";
import { rangeError } from "../core/check.ts";

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
  /** Annual traded notional Σ|Δw|, fraction of NAV. */ readonly annualTurnover: number;
}

/** Side-by-side statistics of several backtests (the original study's table). */
export function compareStrategies(results: Readonly<Record<string, BacktestResult>>): StrategyRow[] {
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
      annualTurnover: (r.turnover.reduce((a, b) => a + b, 0) * 252) / n,
    };
  });
}

/**
 * Improvement of `better` over `base`, in percent of the base: cost reduction (positive = cheaper) and the
 * changes of final NAV and total return.
 */
export function improvement(base: StrategyRow, better: StrategyRow) {
  return {
    costReduction: 1 - better.totalCosts / base.totalCosts,
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

/** Annualised attribution of a backtest's return into rates, credit, cash and costs. */
export function attribution(r: BacktestResult): Attribution {
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
  readonly sharpe: number | null;
  readonly finalNav: number;
}

/**
 * Runs the same strategy for every rebalance schedule × inertia band (trade-to-target unless `mode` says
 * otherwise): the grid behind the execution heatmaps.
 */
export function sweepExecution(
  base: Omit<BacktestOptions, "rebalance" | "band">,
  grid: { schedules: readonly RebalanceSchedule[]; bands: readonly number[]; mode?: "target" | "edge" },
): SweepCell[] {
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
      });
    }
  }
  return out;
}
