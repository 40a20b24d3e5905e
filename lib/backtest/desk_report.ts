/**
 * The bond desk's report tables: the execution comparison of several policies (the original study's table, with
 * costs on both bases and Sharpe ratios in excess of the bill rate) and the full performance summary of each
 * policy. Plain rows for `table()` of `lib/charts`; every figure is computed here from the backtest results.
 *
 *     costs (Σ % of NAV)     Σₜ costsₜ                      each day's cost as a fraction of the NAV it is paid from
 *     costs (currency)       Σₜ costsₜ·NAVₜ                 on a starting NAV of 1 (`costsCurrency`)
 *     Sharpe (excess)        mean(r − r_bill)/sd(r − r_bill)·√252   (sample sd, n − 1)
 *     Sortino (excess)       mean(r − r_bill)/√mean(min(r − r_bill, 0)²)·√252
 *     PSR (excess)           P(true Sharpe of r − r_bill > 0), Bailey & López de Prado (2012)
 *
 * CAGR, volatility, drawdown, Calmar and VaR are of the net return itself: a funded book is judged on its total
 * return for wealth and on its excess over bills for risk-adjusted skill.
 *
 * References:
 * 1. Sharpe, W. F. (1994). The Sharpe ratio. J. Portfolio Management 21(1), 49–58 (excess of the riskless rate).
 * 2. Bailey, D. H. & López de Prado, M. (2012). The Sharpe ratio efficient frontier. J. of Risk 15(2), 3–44.
 * @module
 */
import type { BacktestResult } from "./bond_desk.ts";
import { compareStrategies, improvement, type StrategyRow } from "./analysis.ts";
import { performanceSummary, type SummaryRow } from "./summary.ts";
import { rangeError, requireKnownKeys, requireObject, requireString } from "../core/check.ts";

/** Options of {@linkcode executionTable}. */
export interface ExecutionTableOptions {
  /** Name of the base policy (e.g. "Daily"), a key of the results. */ readonly base: string;
  /** Name of the policy compared with it (e.g. "Weekly + band"), a key of the results. */ readonly patient: string;
}

/** The comparison table: one row per policy and a last row of the patient policy's change against the base. */
export interface ExecutionTable {
  /** Rows for `table()`: numbers in the policy rows, signed text in the change row. */
  readonly rows: Record<string, string | number | null>[];
  /** `table()` formats of the numeric columns (`number:d`, `percent:d`: d decimals). */
  readonly formats: Record<string, `${"number" | "percent"}:${number}`>;
  /** The strategy rows behind the table (see `compareStrategies`). */ readonly strategies: StrategyRow[];
  /** The changes of the last row, as fractions (see `improvement`) and the Sharpe and drawdown differences. */
  readonly change: ReturnType<typeof improvement> & {
    readonly excessSharpe: number | null;
    readonly maxDrawdown: number | null;
  };
}

/** `+12 %` / `−67 %`: a signed fraction in whole percent, with a true minus sign. */
function signedPercent(x: number): string {
  return `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(0)} %`;
}

function requirePolicy(action: string, name: string, value: unknown, results: object): string {
  const key = requireString(action, name, value);
  if (!(key in results)) {
    throw rangeError(action, name, `one of the results (${Object.keys(results).join(", ")})`, key);
  }
  return key;
}

/**
 * The original study's table: final NAV, total return, costs summed in % of NAV and in currency, annual turnover,
 * Sharpe ratio in excess of the bill rate and max drawdown of each policy; a last row gives the patient policy's
 * change against the base (costs −x % on both bases).
 *
 * @throws {TypeError} If `results` is not an object of backtest results or an option is not a string.
 * @throws {RangeError} If `base` or `patient` is not a key of `results`, the base's costs or NAV are not > 0, or a
 *   result's series are malformed.
 *
 * @example Two copies of one book: every change is zero
 * ```ts ignore
 * const t = executionTable({ A: book, B: book }, { base: "A", patient: "B" });
 * t.change.costReduction; // 0
 * ```
 */
export function executionTable(
  results: Readonly<Record<string, BacktestResult>>,
  opts: ExecutionTableOptions,
): ExecutionTable {
  const action = "build execution table";
  requireObject(action, "results", results);
  requireObject(action, "opts", opts);
  requireKnownKeys(action, "opts", opts, ["base", "patient"]);
  const base = requirePolicy(action, "opts.base", opts.base, results);
  const patient = requirePolicy(action, "opts.patient", opts.patient, results);
  const strategies = compareStrategies(results);
  const b = strategies.find((r) => r.strategy === base)!, p = strategies.find((r) => r.strategy === patient)!;
  const gain = improvement(b, p);
  const excessSharpe = p.excessSharpe === null || b.excessSharpe === null ? null : p.excessSharpe - b.excessSharpe;
  const maxDrawdown = p.maxDrawdown === null || b.maxDrawdown === null ? null : p.maxDrawdown - b.maxDrawdown;
  const rows: Record<string, string | number | null>[] = strategies.map((r) => ({
    policy: r.strategy,
    "final NAV": r.finalNav,
    "total return": r.totalReturn,
    "costs (Σ % of NAV)": r.totalCosts,
    "costs (currency, start = 1)": r.totalCostsCurrency,
    "turnover a year": r.annualTurnover,
    "Sharpe (excess of bills)": r.excessSharpe,
    "max drawdown": r.maxDrawdown,
  }));
  rows.push({
    policy: `${patient} against ${base}`,
    "final NAV": signedPercent(gain.navChange),
    "total return": null,
    "costs (Σ % of NAV)": signedPercent(-gain.costReduction),
    "costs (currency, start = 1)": signedPercent(-gain.costReductionCurrency),
    "turnover a year": signedPercent(-gain.turnoverReduction),
    "Sharpe (excess of bills)": excessSharpe === null
      ? null
      : `${excessSharpe >= 0 ? "+" : "−"}${Math.abs(excessSharpe).toFixed(2)}`,
    "max drawdown": maxDrawdown === null
      ? null
      : `${(Math.abs(maxDrawdown) * 100).toFixed(1)} points ${maxDrawdown > 0 ? "shallower" : "deeper"}`,
  });
  return {
    rows,
    formats: {
      "final NAV": "number:2",
      "total return": "percent:0",
      "costs (Σ % of NAV)": "percent:0",
      "costs (currency, start = 1)": "number:2",
      "turnover a year": "percent:0",
      "Sharpe (excess of bills)": "number:2",
      "max drawdown": "percent:1",
    },
    strategies,
    change: { ...gain, excessSharpe, maxDrawdown },
  };
}

/** The ratio rows of a summary that are taken on the excess return, renamed to say so. */
const EXCESS_ROWS: Readonly<Record<string, string>> = {
  "Sharpe ratio": "Sharpe ratio (excess of bills)",
  "Sortino ratio": "Sortino ratio (excess of bills)",
  "Probabilistic Sharpe (SR > 0)": "Probabilistic Sharpe (excess SR > 0)",
};

function formatRow(x: SummaryRow): string {
  if (x.value === null) return "n/a";
  if (x.unit === "ratio") return x.value.toFixed(2);
  return `${(x.value * 100).toFixed(x.unit === "probability" ? 1 : 2)} %`;
}

/**
 * The full performance summary of each policy, one row per metric and one column per policy, as text: the
 * `performanceSummary` of the net returns (with annual turnover and costs), except the Sharpe, Sortino and
 * probabilistic Sharpe ratios, which are those of the return in excess of the bill rate (module notes).
 *
 * @throws {TypeError} If `results` is not an object of backtest results. @throws {RangeError} If it is empty or a
 *   result's series are malformed.
 */
export function executionSummary(results: Readonly<Record<string, BacktestResult>>): Record<string, string>[] {
  const action = "build execution summary";
  requireObject(action, "results", results);
  const names = Object.keys(results);
  if (names.length === 0) throw rangeError(action, "results", "at least one backtest result", 0);
  compareStrategies(results); // validates every result's series
  const columns = names.map((k) => {
    const r = results[k];
    const net = performanceSummary(r.returns, { turnover: r.turnover, costs: r.costs });
    const excess = performanceSummary(Float64Array.from(r.returns, (x, t) => x - r.billReturns[t]));
    return net.map((row) => (row.metric in EXCESS_ROWS ? excess.find((e) => e.metric === row.metric)! : row));
  });
  return columns[0].map((row, m) => ({
    metric: EXCESS_ROWS[row.metric] ?? row.metric,
    ...Object.fromEntries(names.map((k, j) => [k, formatRow(columns[j][m])])),
  }));
}
