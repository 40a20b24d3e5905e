import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import { rebalanceDays, runBook } from "../../lib/backtest/kernel.ts";
import { makeRng, standardNormal } from "../../lib/core/rng.ts";

const days = (n: number) => Array.from({ length: n }, (_, d) => new Date(Date.UTC(2024, 0, 1 + d)));

Deno.test("runBook() on a funded book that never trades again lets weights drift: NAV = Σ w₀ᵢ·Πₜ(1 + rᵢ)", () => {
  const rng = makeRng("kernel-drift");
  const T = 50, N = 3, w0 = [0.5, 0.3, 0.2];
  const returns = Float64Array.from({ length: T * N }, (_, k) => (k < N ? 0 : 0.01 * standardNormal(rng)));
  let calls = 0;
  const book = runBook({ dates: days(T), assets: N, returns }, (_, target) => {
    calls++;
    w0.forEach((w, i) => (target[i] = w));
  }, { rebalance: 1_000 });
  assert.equal(calls, 1); // built on the first date, never rebalanced after
  const grown = w0.map((w, i) => {
    let g = w;
    for (let t = 1; t < T; t++) g *= 1 + returns[t * N + i];
    return g;
  });
  assertClose(book.nav[T - 1], grown.reduce((a, b) => a + b, 0), { rtol: 1e-13 });
  assertClose(book.cash[T - 1], 0, { atol: 1e-15 });
});

Deno.test("runBook() books an unfunded notional exactly: P&L = N·rₜ, NAV = capital + cumulative P&L, cash pays costs", () => {
  const T = 6, N = 1e7, capital = 2e6;
  const r = Float64Array.from([0, 0.001, -0.002, 0.0005, 0.003, -0.001]);
  const pos = [1, 1, -1, -1, 0, 0]; // long, hold, flip, hold, close, flat
  const book = runBook(
    { dates: days(T), assets: 1, returns: r, funded: false },
    (s, target) => void (target[0] = pos[s.t] * N),
    { capital, targets: "notional", cost: (q) => q * 1e-4, recordTrades: true },
  );
  // Hand ledger: cost 1e-4 per unit traded; trades of N at t=0, 2N at t=2 (flip), N at t=4.
  const expectedPnl = [-1e-4 * N, N * 0.001, -N * 0.002 - 2e-4 * N, -N * 0.0005, -N * 0.003 - 1e-4 * N, 0];
  expectedPnl.forEach((p, t) => assertClose(book.pnl[t], p, { atol: 1e-6 }, `pnl[${t}]`));
  let nav = capital;
  expectedPnl.forEach((p, t) => assertClose(book.nav[t], nav += p, { atol: 1e-6 }, `nav[${t}]`));
  // Round trips: the flip's cost is split between the legs in proportion to their sizes (N and N).
  assert.equal(book.trades.length, 2);
  assert.deepEqual(book.trades.map((t) => [t.entry, t.exit, t.direction]), [[0, 2, 1], [2, 4, -1]]);
  assertClose(book.trades[0].pnl, -1e-4 * N + N * 0.001 - N * 0.002 - 1e-4 * N, { atol: 1e-6 });
  assertClose(book.trades[1].pnl, -1e-4 * N - N * 0.0005 - N * 0.003 - 1e-4 * N, { atol: 1e-6 });
});

Deno.test("runBook() pays costs pro rata out of a funded book: weights unchanged, NAV × (1 − cost)", () => {
  const T = 3, N = 2;
  const returns = new Float64Array(T * N);
  const book = runBook({ dates: days(T), assets: N, returns }, (s, target) => {
    target[0] = s.t === 0 ? 1 : 0.5;
    target[1] = s.t === 0 ? 0 : 0.5;
  }, { cost: (q) => q * 0.01 });
  // t=0: buy 100 % of asset 0 (cost 1 %); t=1: sell 50 %, buy 50 % (traded 100 % of NAV, cost 1 %).
  assertClose(book.nav[0], 0.99, { rtol: 1e-15 });
  assertClose(book.nav[1], 0.99 * 0.99, { rtol: 1e-15 });
  assertClose(book.costsCurrency[1], 0.99 * 0.01, { rtol: 1e-14 });
  assertClose(book.cash[1], 0, { atol: 1e-15 });
  assertClose(book.turnover[1], 1, { rtol: 1e-15 });
  assertClose(book.assetTraded[0], 1.5, { rtol: 1e-15 });
});

Deno.test("runBook() is causal: changing returns after date t leaves the ledger up to t unchanged", () => {
  const rng = makeRng("kernel-causal");
  const T = 120, N = 5;
  const returns = Float64Array.from({ length: T * N }, () => 0.01 * standardNormal(rng));
  // A rule that sizes by the last return it has seen (momentum), weekly, with a band and costs.
  const rule = (s: { t: number }, target: Float64Array) => {
    for (let i = 0; i < N; i++) target[i] = returns[s.t * N + i] > 0 ? 0.3 : 0;
  };
  const opts = { rebalance: "weekly" as const, band: { width: 0.02 }, unlevered: true, cost: (q: number) => q * 0.001 };
  const a = runBook({ dates: days(T), assets: N, returns }, rule, opts);
  const cut = 80;
  const perturbed = Float64Array.from(returns, (r, k) => (k >= (cut + 1) * N ? -r * 3 : r));
  const ruleB = (s: { t: number }, target: Float64Array) => {
    for (let i = 0; i < N; i++) target[i] = perturbed[s.t * N + i] > 0 ? 0.3 : 0;
  };
  const b = runBook({ dates: days(T), assets: N, returns: perturbed }, ruleB, opts);
  assert.deepEqual(Array.from(a.nav.subarray(0, cut + 1)), Array.from(b.nav.subarray(0, cut + 1)));
  assert.notEqual(a.nav[T - 1], b.nav[T - 1]);
});

Deno.test("runBook() cannot profit from a rule that trades on today's return: it earns from t + 1 on", () => {
  const rng = makeRng("kernel-oracle");
  const T = 500, N = 4;
  const returns = Float64Array.from({ length: T * N }, () => 0.01 * standardNormal(rng));
  // Knowing r(t) at the close of t is not look-ahead, but knowing r(t + 1) would be: the kernel never shows it.
  const book = runBook({ dates: days(T), assets: N, returns }, (s, target) => {
    for (let i = 0; i < N; i++) target[i] = Math.sign(returns[s.t * N + i]) * 0.25;
  });
  const mean = book.returns.reduce((a, b) => a + b, 0) / T;
  assert.ok(Math.abs(mean) < 4 * 0.005 / Math.sqrt(T), `mean daily return ${mean} is not luck-sized`);
});

Deno.test("runBook() keeps an unlevered long-only book within its budget and refuses a negative target", () => {
  const rng = makeRng("kernel-budget");
  const T = 200, N = 8;
  const returns = Float64Array.from({ length: T * N }, () => 0.02 * standardNormal(rng));
  const book = runBook({ dates: days(T), assets: N, returns }, (s, target) => {
    for (let i = 0; i < N; i++) target[i] = (s.t + i) % 3 === 0 ? 0.4 : 0; // asks for up to 120 %
  }, { band: { width: 0.05, mode: "edge" }, unlevered: true, longOnly: true });
  for (let j = 0; j < T; j++) {
    assert.ok(book.cash[j] >= -1e-12 && book.cash[j] <= 1 + 1e-12, `cash[${j}] ${book.cash[j]}`);
  }
  assert.throws(
    () =>
      runBook({ dates: days(3), assets: 1, returns: new Float64Array(3) }, (_, t) => void (t[0] = -0.5), {
        longOnly: true,
      }),
    {
      name: "RangeError",
      message: "Cannot run backtest: target[0] at 2024-01-01 must be >= 0 in a long-only book, received -0.5",
    },
  );
});

Deno.test("runBook() charges a roll as a round trip of twice the position", () => {
  const returns = new Float64Array(3);
  const rolls = Uint8Array.from([0, 1, 0]);
  const book = runBook({ dates: days(3), assets: 1, returns, rolls }, (_, t) => void (t[0] = 0.5), {
    rebalance: 99,
    cost: (q) => q * 0.002,
  });
  assertClose(book.costs[1], 2 * 0.5 * 0.002, { rtol: 1e-12 });
  assertClose(book.turnover[1], 1, { rtol: 1e-12 });
});

Deno.test("runBook() rejects panels of the wrong shape and unknown policies, naming the argument", () => {
  const dates = days(4);
  assert.throws(() => runBook({ dates, assets: 2, returns: new Float64Array(7) }, () => {}), {
    name: "RangeError",
    message: "Cannot run backtest: market.returns must be a dates × assets panel of 4×2, received length 7",
  });
  assert.throws(
    () => runBook({ dates, assets: 1, returns: new Float64Array(4) }, () => {}, { rebalance: "hourly" as never }),
    {
      name: "RangeError",
      message:
        'Cannot run backtest: rebalance must be "daily", "weekly", "monthly" or a positive integer, received "hourly"',
    },
  );
});

Deno.test("rebalanceDays() trades on the first date and on the last date of each week", () => {
  // 2024-01-01 is a Monday: days 0–6 are one week, 7–13 the next.
  const flags = rebalanceDays(days(14), "weekly", 2);
  assert.deepEqual([...flags].map((f, t) => (f ? t : -1)).filter((t) => t >= 0), [2, 6, 13]);
});

Deno.test("runBook() books a hedged book: a funded share drifts, an unfunded CDS keeps its notional, NAV adds both", () => {
  const T = 4, capital = 1e6;
  // Asset 0: a share (funded); asset 1: a long-protection CDS hedge (unfunded), per-unit returns given.
  const share = [0, 0.02, -0.01, 0.03], cds = [0, -0.001, 0.002, -0.0005];
  const returns = Float64Array.from({ length: T * 2 }, (_, k) => (k % 2 === 0 ? share[k >> 1] : cds[k >> 1]));
  const book = runBook({ dates: days(T), assets: 2, returns, funded: [true, false] }, (s, target) => {
    if (s.t > 0) return false; // build once, then hold
    target[0] = 0.8 * capital, target[1] = -2e6;
  }, { capital, targets: "notional" });
  let shareValue = 0.8 * capital, cash = 0.2 * capital;
  for (let t = 1; t < T; t++) {
    cash += -2e6 * cds[t]; // the hedge's P&L is paid into cash; its notional stays put
    shareValue *= 1 + share[t];
    assertClose(book.nav[t], shareValue + cash, { rtol: 1e-14 }, `nav[${t}]`);
  }
  assertClose(book.holdings[1], -2e6, { rtol: 0 });
  assertClose(book.gross[T - 1], (shareValue + 2e6) / (shareValue + cash), { rtol: 1e-14 });
});

Deno.test("runBook refuses a malformed market, rule or option with the caller's name", () => {
  const dates = [1, 2, 3].map((d) => new Date(Date.UTC(2024, 0, d)));
  const market = { dates, assets: 1, returns: new Float64Array(3) };
  const rule = () => {};
  assert.throws(() => runBook(null as never, rule), {
    name: "TypeError",
    message: "Cannot run backtest: market must be an object, received null",
  });
  assert.throws(() => runBook({ ...market, dates: [dates[0], "2015-02-30", dates[2]] as never }, rule), {
    name: "TypeError",
    message: 'Cannot run backtest: market.dates[1] must be a Date, received "2015-02-30"',
  });
  assert.throws(() => runBook(market, 7 as never), {
    name: "TypeError",
    message: "Cannot run backtest: rule must be a function, received 7",
  });
  assert.throws(() => runBook(market, rule, { rebalnce: "weekly" } as never), {
    name: "TypeError",
    message: "Cannot run backtest: unknown option opts.rebalnce; did you mean opts.rebalance?",
  });
  assert.throws(() => runBook(market, rule, { longOnly: "yes" } as never), {
    name: "TypeError",
    message: 'Cannot run backtest: longOnly must be true or false, received "yes"',
  });
  assert.throws(() => runBook({ ...market, cashReturn: null } as never, rule), {
    name: "TypeError",
    message: "Cannot run backtest: market.cashReturn must be an array of numbers, received null",
  });
});
