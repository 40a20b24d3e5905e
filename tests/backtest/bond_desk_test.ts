import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import { type BondPanels, runBacktest } from "../../lib/backtest/bond_desk.ts";
import { costFunction } from "../../lib/backtest/costs.ts";
import { attribution, compareStrategies, improvement, sweepExecution } from "../../lib/backtest/analysis.ts";
import { businessDays } from "../../lib/core/calendar.ts";
import { makeRng } from "../../lib/core/rng.ts";
import { normInv } from "../../lib/core/special.ts";
import { panel } from "../../lib/signals/panel.ts";

/** A hand-made market: given returns, constant bid-ask, duration 5, spread 1 %, no replacements, no cash return. */
function market(returns: Float64Array, N: number, bidAsk = 0.004): BondPanels {
  const T = returns.length / N;
  const dates = businessDays("2020-01-01", "2030-12-31", "weekdays").slice(0, T);
  const fill = (v: number) => new Float64Array(T * N).fill(v);
  return {
    dates,
    ratings: Array.from({ length: N }, (_, i) => (i % 2 ? "BB" : "A")),
    amounts: new Float64Array(N).fill(5e8),
    spread: fill(0.01),
    duration: fill(5),
    bidAsk: fill(bidAsk),
    totalReturn: returns,
    ratesReturn: fill(0),
    creditReturn: Float64Array.from(returns),
    replaced: new Uint8Array(T * N),
    cashReturn: new Float64Array(T),
  };
}

function noise(T: number, N: number, seed: string) {
  const rng = makeRng(seed);
  return Float64Array.from({ length: T * N }, () => 0.01 * normInv(rng()));
}

Deno.test("the engine is causal: a signal equal to today's return (known at the close) earns nothing extra", () => {
  const T = 500, N = 50, r = noise(T, N, "causal");
  const u = market(r, N);
  const today = runBacktest({ market: u, signal: panel(Float64Array.from(r), T, N), costs: { bidAsk: false } });
  const mean = today.returns.reduce((a, b) => a + b, 0) / T;
  assert.ok(Math.abs(mean) < 4 * (0.01 / Math.sqrt(10)) / Math.sqrt(T), `mean daily return ${mean}`);
  // A look-ahead engine would hold tomorrow's winners; feeding tomorrow's return as the signal shows the difference.
  const tomorrow = Float64Array.from({ length: T * N }, (_, k) => (k + N < T * N ? r[k + N] : NaN));
  const cheat = runBacktest({ market: u, signal: panel(tomorrow, T, N), costs: { bidAsk: false } });
  assert.ok(cheat.nav.at(-1)! > 2 * today.nav.at(-1)!);
});

Deno.test("costs never raise returns, and the net NAV compounds the net returns", () => {
  const T = 300, N = 40, r = noise(T, N, "costs");
  const u = market(r, N);
  const signal = panel(noise(T, N, "signal"), T, N);
  const gross = runBacktest({ market: u, signal, costs: { bidAsk: false } });
  const net = runBacktest({ market: u, signal });
  for (let j = 0; j < T; j++) assert.ok(net.returns[j] <= gross.returns[j] + 1e-15 && net.costs[j] >= 0);
  let nav = 1;
  for (const x of net.returns) nav *= 1 + x;
  assertClose(net.nav.at(-1)!, nav, { rtol: 1e-12 });
  assert.ok(net.nav.at(-1)! < gross.nav.at(-1)!);
});

Deno.test("the first trade buys the top quintile equally at half the bid-ask (by hand)", () => {
  const N = 10, T = 2;
  const u = market(new Float64Array(T * N), N, 0.01);
  const signal = panel(Float64Array.from({ length: T * N }, (_, k) => k % N), T, N); // bonds 8 and 9 are the top 20 %
  const res = runBacktest({ market: u, signal });
  assertClose(res.turnover[0], 1, { atol: 1e-15 }); // buys 50 % + 50 %
  assertClose(res.costs[0], 0.005, { atol: 1e-15 }); // 1 × 1 % / 2
  assert.equal(res.positions[0], 2);
  assertClose(res.costByRating.reduce((a, b) => a + b, 0), res.costs.reduce((a, b) => a + b, 0), { atol: 1e-15 });
});

Deno.test("rank weights are k/Σk above the cut-off: 1/6, 2/6, 3/6 for the top three of ten (by hand)", () => {
  const N = 10, T = 2;
  const returns = new Float64Array(T * N);
  returns.set([0.06, 0.03, -0.02], N + 7); // date 1: bonds 7, 8, 9
  const signal = panel(Float64Array.from({ length: T * N }, (_, k) => k % N), T, N);
  const res = runBacktest({ market: market(returns, N, 0), signal, topFraction: 0.3, weighting: "rank" });
  assertClose(res.returns[1], (0.06 * 1 + 0.03 * 2 - 0.02 * 3) / 6, { atol: 1e-15 });
  assert.throws(() => runBacktest({ market: market(returns, N), signal, weighting: "score" as "rank" }), {
    message: /weighting must be "equal" or "rank", received "score"/,
  });
});

Deno.test("weekly rebalancing builds the book on the first date, then trades only on the last date of each week", () => {
  const T = 30, N = 10;
  const u = market(noise(T, N, "weekly"), N);
  const res = runBacktest({ market: u, signal: panel(noise(T, N, "sig"), T, N), rebalance: "weekly" });
  res.dates.forEach((d, j) => {
    const next = res.dates[j + 1];
    const lastOfWeek = !next || next.getUTCDay() < d.getUTCDay();
    if (j > 0 && !lastOfWeek) assert.equal(res.turnover[j], 0, `no trade on ${d.toISOString().slice(0, 10)}`);
  });
  assert.equal(res.dates[0].getUTCDay(), 3); // a Wednesday
  assertClose(res.turnover[0], 1, { atol: 1e-12 }); // fully invested from the start
  assert.ok(res.turnover.slice(1).some((x) => x > 0));
});

Deno.test("with rank weights an inertia band cuts turnover, and trading to the band's edge cuts it further", () => {
  const T = 400, N = 60;
  const u = market(noise(T, N, "band"), N);
  const signal = panel(noise(T, N, "band-signal"), T, N);
  const sum = (x: Float64Array) => x.reduce((a, b) => a + b, 0);
  const base = { market: u, signal, weighting: "rank" as const };
  const none = sum(runBacktest(base).turnover);
  const target = sum(runBacktest({ ...base, band: { width: 0.01 } }).turnover);
  const edge = sum(runBacktest({ ...base, band: { width: 0.01, mode: "edge" } }).turnover);
  assert.ok(target < none && edge < target, `${none} > ${target} > ${edge}`);
});

Deno.test("the book stays long-only and unlevered under both band modes: cash ∈ [0, 1], no stale positions", () => {
  const T = 400, N = 60;
  const u = market(noise(T, N, "budget"), N);
  const signal = panel(noise(T, N, "budget-signal"), T, N);
  for (const mode of ["target", "edge"] as const) {
    for (const width of [0.005, 0.02, 0.05]) { // below the target weight 1/12 (a wider band freezes the book)
      for (const weighting of ["equal", "rank"] as const) {
        const r = runBacktest({ market: u, signal, rebalance: "weekly", band: { width, mode }, weighting });
        const worst = Math.min(...r.cash), most = Math.max(...r.cash);
        assert.ok(worst >= -1e-12 && most <= 1, `${mode} ${width}: cash in [${worst}, ${most}]`);
        // Bonds that left the target set are sold when the budget needs room: the book never fills with them.
        assert.ok(Math.max(...r.positions) < N, `${mode} ${width}: ${Math.max(...r.positions)} positions`);
      }
    }
  }
});

Deno.test("costFunction() charges half the spread, plus square-root impact in units of it", () => {
  assertClose(costFunction()(0.02, 0.006, 1e9), 0.02 * 0.003, { rtol: 1e-15 });
  const impact = costFunction({ impact: { coefficient: 1, aum: 1e8, volumeShare: 0.002 } });
  // trade $2m against a daily volume of $2m: participation 1 → twice the half spread
  assertClose(impact(0.02, 0.006, 1e9), 0.02 * 0.003 * 2, { rtol: 1e-15 });
  assert.equal(costFunction({ bidAsk: false })(0.5, 0.01, 1e9), 0);
  assert.throws(() => costFunction({ impact: { coefficient: -1, aum: 1, volumeShare: 1 } }), { name: "RangeError" });
});

Deno.test("runBacktest() rejects a signal of the wrong shape and bad options", () => {
  const u = market(new Float64Array(20), 10);
  assert.throws(() => runBacktest({ market: u, signal: panel(new Float64Array(10), 1, 10) }), {
    name: "RangeError",
    message: "Cannot run backtest: signal must be a 2×10 panel like the market, received 1×10",
  });
  const s = panel(new Float64Array(20), 2, 10);
  assert.throws(() => runBacktest({ market: u, signal: s, rebalance: "hourly" as "daily" }), {
    message: /rebalance must be/,
  });
  assert.throws(() => runBacktest({ market: u, signal: s, band: { width: -0.01 } }), {
    message: /band.width must be >= 0/,
  });
  assert.throws(() => runBacktest({ market: u, signal: s, start: "2031-01-01" }), {
    message: /start and end must be a window/,
  });
});

Deno.test("runBacktest: misspelt option keys are refused with the nearest known key", () => {
  const market = {
    dates: [new Date(Date.UTC(2024, 0, 2)), new Date(Date.UTC(2024, 0, 3))],
    ratings: ["A"],
    amounts: [1e9],
    totalReturn: new Float64Array(2),
    ratesReturn: new Float64Array(2),
    creditReturn: new Float64Array(2),
    cashReturn: [0, 0],
    bidAsk: new Float64Array(2),
    duration: new Float64Array(2),
    spread: new Float64Array(2),
    replaced: new Uint8Array(2),
  };
  const signal = { rows: 2, cols: 1, values: new Float64Array([1, 1]) };
  assert.throws(() => runBacktest({ market, signal, band: { widht: 0.01 } as never }), {
    name: "TypeError",
    message: "Cannot run backtest: unknown option band.widht; did you mean band.width?",
  });
  assert.throws(
    () => runBacktest({ market, signal, costs: { bidask: false } as never }),
    /unknown option costs.bidask; did you mean costs.bidAsk\?/,
  );
  assert.throws(
    () => runBacktest({ market, signal, rebalanse: "weekly" } as never),
    /unknown option opts.rebalanse; did you mean opts.rebalance\?/,
  );
  assert.equal(runBacktest({ market, signal, band: { width: 0.01 } }).nav.length, 2);
});

Deno.test("runBacktest and the analysis name the caller's bad field instead of failing inside (no NaN, no engine error)", () => {
  const T = 60, N = 10, r = noise(T, N, "boundary");
  const u = market(r, N);
  const signal = panel(noise(T, N, "boundary-signal"), T, N);
  assert.throws(() => runBacktest({ market: null as never, signal }), {
    name: "TypeError",
    message: "Cannot run backtest: market must be an object, received null",
  });
  assert.throws(() => runBacktest({ market: u, signal: { ...signal, values: null as never } }), {
    name: "TypeError",
    message: "Cannot run backtest: signal.values must be an array of 60×10 numbers, received null",
  });
  // A NaN return on the last date would have reached the last NAV unseen.
  const last = Float64Array.from(r);
  last[T * N - 1] = NaN;
  assert.throws(() => runBacktest({ market: { ...u, totalReturn: last }, signal }), {
    name: "RangeError",
    message: `Cannot run backtest: market.totalReturn[${T * N - 1}] must be finite, received NaN`,
  });
  const result = runBacktest({ market: u, signal, rebalance: "weekly" });
  assert.throws(() => compareStrategies({ A: { ...result, nav: result.nav.slice(1) } }), {
    name: "RangeError",
    message: 'Cannot compare strategies: results["A"].nav must have 60 values like results["A"].returns, received 59',
  });
  assert.throws(() => attribution({ ...result, ratesReturns: "x" as never }), {
    name: "TypeError",
    message: 'Cannot attribute returns: r.ratesReturns must be an array of numbers, received "x"',
  });
  const [row] = compareStrategies({ A: result });
  assert.throws(() => improvement({ ...row, totalCosts: 0 }, row), {
    name: "RangeError",
    message: "Cannot compute improvement: base.totalCosts must be > 0, received 0",
  });
  assert.throws(() => improvement(row, 7 as never), {
    name: "TypeError",
    message: "Cannot compute improvement: better must be an object, received 7",
  });
  assert.throws(() => sweepExecution({ market: u, signal }, { schedules: ["weekly"], bands: [null as never] }), {
    name: "TypeError",
    message: "Cannot sweep execution: grid.bands[0] must be a number, received null",
  });
  assert.throws(
    () => sweepExecution({ market: u, signal }, { schedules: ["weekly"], bands: [0], mdoe: "edge" } as never),
    {
      name: "TypeError",
      message: "Cannot sweep execution: unknown option grid.mdoe; did you mean grid.mode?",
    },
  );
  assert.throws(() => costFunction({ bidAsk: "no" } as never), {
    name: "TypeError",
    message: 'Cannot build cost model: costs.bidAsk must be true or false, received "no"',
  });
});

/** Annualised Sharpe ratio by hand: mean / sample sd (n − 1) · √252, an independent loop. */
function sharpeByHand(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - m) ** 2;
  return (m / Math.sqrt(ss / (x.length - 1))) * Math.sqrt(252);
}

/** The hand-made market with a varying bill rate (2 % to 4 % a year). */
function billMarket(T: number, N: number, seed: string): BondPanels {
  const u = market(noise(T, N, seed), N);
  return { ...u, cashReturn: Float64Array.from({ length: T }, (_, t) => (0.02 + 0.02 * (t / T)) / 252) };
}

Deno.test("runBacktest() costs in currency are NAV before costs × the cost fraction: NAVₜ₋₁·(gross − net return)", () => {
  const T = 120, N = 20, u = billMarket(T, N, "currency");
  const r = runBacktest({ market: u, signal: panel(noise(T, N, "currency-signal"), T, N), rebalance: "weekly" });
  for (let t = 0; t < T; t++) {
    const before = t === 0 ? 1 : r.nav[t - 1]; // NAVₜ = NAVₜ₋₁·(1 + gross) − cost€, net = gross − cost€/NAVₜ₋₁
    assertClose(r.costsCurrency[t], before * (r.grossReturns[t] - r.returns[t]), { atol: 1e-15 });
    assertClose(r.costsCurrency[t], r.costs[t] * before * (1 + r.grossReturns[t]), { atol: 1e-15 }); // fraction of the NAV paying
  }
});

Deno.test("runBacktest() billReturns are the market's cash return over the traded window", () => {
  const T = 80, N = 10, u = billMarket(T, N, "bill");
  const start = u.dates[30].toISOString().slice(0, 10);
  const r = runBacktest({ market: u, signal: panel(noise(T, N, "bill-signal"), T, N), start });
  assert.equal(r.billReturns.length, T - 30);
  for (let j = 0; j < r.billReturns.length; j++) assert.equal(r.billReturns[j], u.cashReturn[30 + j]);
});

Deno.test("compareStrategies() excess Sharpe is that of r − r_bill, currency costs their sum, cash and positions the book's", () => {
  const T = 250, N = 20, u = billMarket(T, N, "excess");
  const r = runBacktest({ market: u, signal: panel(noise(T, N, "excess-signal"), T, N), rebalance: "weekly" });
  const [row] = compareStrategies({ A: r });
  assertClose(row.excessSharpe!, sharpeByHand(Array.from(r.returns, (x, t) => x - u.cashReturn[t])), { rtol: 1e-12 });
  assertClose(row.sharpe!, sharpeByHand(r.returns), { rtol: 1e-12 });
  // A positive bill rate lowers the mean excess return: the excess Sharpe ratio is the lower one.
  assert.ok(row.excessSharpe! < row.sharpe!);
  let currency = 0, cash = 0;
  for (let t = 0; t < T; t++) {
    currency += (t === 0 ? 1 : r.nav[t - 1]) * (r.grossReturns[t] - r.returns[t]), cash += r.cash[t];
  }
  assertClose(row.totalCostsCurrency, currency, { rtol: 1e-12 });
  assertClose(row.meanCash, cash / T, { atol: 1e-15 });
  assert.equal(row.minPositions, Math.min(...r.positions));
});

Deno.test("improvement() cost reduction in currency: 1 − 1.7 / 2 = 15 % while the % of NAV basis gives 1 − 0.9 / 2.7", () => {
  const row = {
    strategy: "x",
    totalReturn: 0,
    cagr: null,
    volatility: null,
    sharpe: null,
    maxDrawdown: null,
    excessSharpe: null,
    meanCash: 0,
    minPositions: 1,
  };
  const base = { ...row, finalNav: 0.5, totalCosts: 2.7, totalCostsCurrency: 2, annualTurnover: 30 };
  const better = { ...row, finalNav: 2.5, totalCosts: 0.9, totalCostsCurrency: 1.7, annualTurnover: 10 };
  const g = improvement(base, better);
  assertClose(g.costReductionCurrency, 0.15, { atol: 1e-15 });
  assertClose(g.costReduction, 2 / 3, { atol: 1e-15 });
  assertClose(g.navChange, 4, { atol: 1e-15 });
  assert.throws(() => improvement({ ...base, totalCostsCurrency: 0 }, better), {
    name: "RangeError",
    message: "Cannot compute improvement: base.totalCostsCurrency must be > 0, received 0",
  });
});

Deno.test("sweepExecution() a band wider than every rank weight (2/(K+1) = 2/3 for K = 2) never buys: all cash, no bond", () => {
  const T = 60, N = 10, u = market(noise(T, N, "frozen"), N);
  const signal = panel(noise(T, N, "frozen-signal"), T, N);
  const [open, frozen] = sweepExecution({ market: u, signal, weighting: "rank" }, {
    schedules: ["weekly"],
    bands: [0, 0.7],
  });
  assert.equal(frozen.meanCash, 1);
  assert.equal(frozen.minPositions, 0);
  assert.equal(frozen.annualTurnover, 0);
  const book = runBacktest({ market: u, signal, weighting: "rank", rebalance: "weekly", band: { width: 0 } });
  assertClose(open.meanCash, book.cash.reduce((a, b) => a + b, 0) / T, { atol: 1e-15 });
  assert.equal(open.minPositions, 2); // the top fifth of ten bonds
  assertClose(open.excessSharpe!, sharpeByHand(book.returns), { rtol: 1e-12 }); // no bill rate in this market
});
