import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import { type BondPanels, runBacktest } from "../../lib/backtest/bond_desk.ts";
import { executionSummary, executionTable } from "../../lib/backtest/desk_report.ts";
import { businessDays } from "../../lib/core/calendar.ts";
import { makeRng } from "../../lib/core/rng.ts";
import { normInv } from "../../lib/core/special.ts";
import { panel } from "../../lib/signals/panel.ts";

/** A hand-made market: seeded returns, bid-ask 0.4 %, a bill rate rising from 2 % to 4 % a year. */
function market(T: number, N: number, seed: string): BondPanels {
  const rng = makeRng(seed);
  const returns = Float64Array.from({ length: T * N }, () => 0.0004 + 0.005 * normInv(rng()));
  const fill = (v: number) => new Float64Array(T * N).fill(v);
  return {
    dates: businessDays("2020-01-01", "2030-12-31", "weekdays").slice(0, T),
    ratings: Array.from({ length: N }, (_, i) => (i % 2 ? "BB" : "A")),
    amounts: new Float64Array(N).fill(5e8),
    spread: fill(0.01),
    duration: fill(5),
    bidAsk: fill(0.004),
    totalReturn: returns,
    ratesReturn: fill(0),
    creditReturn: Float64Array.from(returns),
    replaced: new Uint8Array(T * N),
    cashReturn: Float64Array.from({ length: T }, (_, t) => (0.02 + 0.02 * (t / T)) / 252),
  };
}

function books() {
  const T = 300, N = 20, u = market(T, N, "desk-report");
  const rng = makeRng("desk-report-signal");
  const signal = panel(Float64Array.from({ length: T * N }, () => normInv(rng())), T, N);
  return {
    u,
    results: {
      Daily: runBacktest({ market: u, signal, weighting: "rank" }),
      Weekly: runBacktest({ market: u, signal, weighting: "rank", rebalance: "weekly", band: { width: 0.02 } }),
    },
  };
}

function sharpeByHand(x: readonly number[]): number {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  const sd = Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
  return (m / sd) * Math.sqrt(252);
}

Deno.test("executionTable() change row: costs on both bases, NAV and Sharpe differences, from the books by hand", () => {
  const { u, results } = books();
  const t = executionTable(results, { base: "Daily", patient: "Weekly" });
  assert.equal(t.rows.length, 3);
  const currency = (r: typeof results.Daily) =>
    r.returns.reduce((s, x, j) => s + (j === 0 ? 1 : r.nav[j - 1]) * (r.grossReturns[j] - x), 0);
  const fraction = (r: typeof results.Daily) => r.costs.reduce((a, b) => a + b, 0);
  const [d, w] = [results.Daily, results.Weekly];
  const savedCurrency = 1 - currency(w) / currency(d), savedFraction = 1 - fraction(w) / fraction(d);
  assertClose(t.change.costReductionCurrency, savedCurrency, { rtol: 1e-12 });
  assertClose(t.change.costReduction, savedFraction, { rtol: 1e-12 });
  const signed = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(0)} %`;
  const change = t.rows[2];
  assert.equal(change.policy, "Weekly against Daily");
  assert.equal(change["costs (currency, start = 1)"], signed(-savedCurrency));
  assert.equal(change["costs (Σ % of NAV)"], signed(-savedFraction));
  assert.equal(change["final NAV"], signed(w.nav.at(-1)! / d.nav.at(-1)! - 1));
  const excess = (r: typeof results.Daily) => Array.from(r.returns, (x, j) => x - u.cashReturn[j]);
  assertClose(t.rows[1]["Sharpe (excess of bills)"] as number, sharpeByHand(excess(w)), { rtol: 1e-12 });
  const dSharpe = sharpeByHand(excess(w)) - sharpeByHand(excess(d));
  assert.equal(change["Sharpe (excess of bills)"], `${dSharpe >= 0 ? "+" : "−"}${Math.abs(dSharpe).toFixed(2)}`);
});

Deno.test("executionTable() refuses a policy that is not among the results, and unknown options", () => {
  const { results } = books();
  assert.throws(() => executionTable(results, { base: "Monthly", patient: "Weekly" }), {
    name: "RangeError",
    message: 'Cannot build execution table: opts.base must be one of the results (Daily, Weekly), received "Monthly"',
  });
  assert.throws(() => executionTable(results, { base: "Daily", patient: "Weekly", bsae: 1 } as never), {
    name: "TypeError",
  });
});

Deno.test("executionSummary() Sharpe and Sortino are of r − r_bill, CAGR of the net return (by hand)", () => {
  const { u, results } = books();
  const rows = executionSummary(results);
  const byMetric = Object.fromEntries(rows.map((r) => [r.metric, r]));
  const d = results.Daily;
  const excess = Array.from(d.returns, (x, j) => x - u.cashReturn[j]);
  assert.equal(byMetric["Sharpe ratio (excess of bills)"].Daily, sharpeByHand(excess).toFixed(2));
  const m = excess.reduce((a, b) => a + b, 0) / excess.length;
  const downside = Math.sqrt(excess.reduce((s, x) => s + Math.min(x, 0) ** 2, 0) / excess.length);
  assert.equal(byMetric["Sortino ratio (excess of bills)"].Daily, ((m / downside) * Math.sqrt(252)).toFixed(2));
  const cagr = Math.pow(d.nav.at(-1)!, 252 / d.returns.length) - 1;
  assert.equal(byMetric["CAGR"].Daily, `${(cagr * 100).toFixed(2)} %`);
  assert.ok(!("Sharpe ratio" in byMetric));
  assert.throws(() => executionSummary({}), {
    name: "RangeError",
    message: "Cannot build execution summary: results must be at least one backtest result, received 0",
  });
});
