import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import { businessDays } from "../../lib/core/calendar.ts";
import { mertonEquity, mertonSpread } from "../../lib/credit/merton.ts";
import { riskyAnnuity } from "../../lib/market/cds.ts";
import { generateFirmUniverse, mertonHedgeRatio } from "../../lib/synthetic/firms.ts";
import {
  creditEquityBenchmarks,
  type CreditEquityInputs,
  creditEquitySignal,
  equalWeightHook,
  firmUniverseInputs,
  marketCapWeightHook,
  meanVarianceWeightHook,
  monthlyMetrics,
  runCreditEquity,
  trailingMoments,
  type WeightsContext,
} from "../../lib/backtest/credit_equity.ts";

const utc = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** One or more firms with constant prices, spreads and hedge ratios, and the given scores (firm-major lists). */
function flatInputs(dates: Date[], scores: number[][], extra: Partial<CreditEquityInputs> = {}): CreditEquityInputs {
  const T = dates.length, N = scores.length;
  const panel = (f: (t: number, i: number) => number) => {
    const out = new Float64Array(T * N);
    for (let t = 0; t < T; t++) for (let i = 0; i < N; i++) out[t * N + i] = f(t, i);
    return out;
  };
  return {
    dates,
    firms: N,
    score: panel((t, i) => scores[i][t]),
    vix: dates.map(() => 20),
    cdsMid: panel(() => 0.02),
    equityPrice: panel(() => 100),
    hedgeRatio: panel(() => 0.5),
    riskFree: dates.map(() => 0),
    ...extra,
  };
}

/** Signal = ½·z(score) with a 2-day window: +0.707/2 when the score rises, −0.707/2 when it falls, 0 when flat. */
const TOY = {
  normaliseWindow: 2,
  fixedThresholds: { low: -0.1, high: 0.1 },
  returnWindow: 2,
  rebalance: "daily",
} as const;

Deno.test("runCreditEquity() charges CDS and equity costs, carry and the borrow fee as computed by hand", () => {
  // Thu 4, Fri 5, Mon 8, Tue 9, Wed 10 January 2024.
  const dates = ["2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09", "2024-01-10"].map(utc);
  const inputs = flatInputs(dates, [[1, 2, 2, 1, 1]]);
  const r = runCreditEquity(inputs, { ...TOY, start: "2024-01-04", returnWindow: 1 } as never);
  // Decisions: up on the 5th (sell protection + long equity), flat, down on the 9th (buy protection + short), flat.
  assert.deepEqual(Array.from(r.direction), [0, 1, 0, -1, 0]);
  const cds = 12.5e-4, eq = 6.5e-4, fee = 0.005, s = 0.02, h = 0.5;
  const nav: number[] = [1, 0, 0, 0, 0], cost: number[] = [0, 0, 0, 0, 0];
  // 5th: open CDS notional 1·NAV and equity 0.5·NAV; costs paid pro rata out of cash and the share holding.
  cost[1] = nav[0] * (cds + h * eq), nav[1] = nav[0] - cost[1];
  const shares1 = h * nav[0] * (1 - (cds + h * eq));
  // 8th (3 days): carry on the CDS notional 1·NAV₀; close both lines at this close.
  const before2 = nav[1] + nav[0] * s * 3 / 360;
  cost[2] = nav[0] * cds + shares1 * eq, nav[2] = before2 - cost[2];
  // 9th: flat, then open −1·NAV (protection bought) and −0.5·NAV of short equity.
  cost[3] = nav[2] * (cds + h * eq), nav[3] = nav[2] - cost[3];
  const short3 = -h * nav[2] * (1 - (cds + h * eq));
  // 10th (1 day): pay the carry on the protection, the borrow fee on the short; close both.
  const short4 = short3 * (1 + fee / 360);
  const before4 = nav[3] - nav[2] * s / 360 + short3 * fee / 360;
  cost[4] = nav[2] * cds + Math.abs(short4) * eq, nav[4] = before4 - cost[4];
  for (let t = 0; t < 5; t++) {
    assertClose(r.book.nav[t], nav[t], { rtol: 1e-14 }, `NAV ${t}`);
    assertClose(r.book.costsCurrency[t], cost[t], { rtol: 1e-12, atol: 1e-18 }, `cost ${t}`);
  }
  // The lines: CDS at 0, long equity at N, short equity at 2N (N = 1).
  assert.deepEqual(r.assets, {
    cds: 0,
    equityLong: 1,
    equityShort: 2,
    indexCds: 3,
    indexLong: 4,
    indexShort: 5,
    count: 6,
  });
  assert.deepEqual(Array.from(r.targets.subarray(6, 12)), [1, 0.5, 0, 0, 0, 0]);
  assertClose(r.targets[3 * 6], -1, { rtol: 1e-15 }), assertClose(r.targets[3 * 6 + 2], -0.5, { rtol: 1e-15 });
});

Deno.test("runCreditEquity() half-spread costs charge ½·bid-ask·RPV01 per unit of CDS notional", () => {
  const dates = ["2024-01-04", "2024-01-05", "2024-01-08"].map(utc);
  const inputs = flatInputs(dates, [[1, 2, 2]], { cdsBidAsk: [0.002, 0.002, 0.002] });
  const r = runCreditEquity(inputs, { ...TOY, start: "2024-01-04", returnWindow: 1, cdsCostModel: "half-spread" });
  // Opening 1 of CDS and 0.5 of equity: 0.5·0.002·RPV01(2 %) + 0.5·6.5 bp.
  assertClose(r.book.costs[1], 0.5 * 0.002 * riskyAnnuity(0.02) + 0.5 * 6.5e-4, { rtol: 1e-14 });
});

Deno.test("runCreditEquity() settles a default at 1 − R and closes the settled CDS free", () => {
  // Tue 2 … Mon 8 January 2024; the firm defaults on Friday the 5th (index 3): no quote, equity worth 0.
  const dates = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08"].map(utc);
  const inputs = flatInputs(dates, [[1, 1, 2, 2, 2]], {
    cdsMid: [0.02, 0.02, 0.02, NaN, NaN],
    equityPrice: [100, 100, 100, 0, NaN],
    hedgeRatio: [0.5, 0.5, 0.5, NaN, NaN],
    defaultIndex: [3],
  });
  const r = runCreditEquity(inputs, { ...TOY, start: "2024-01-02", notional: 0.5 });
  assert.deepEqual(Array.from(r.direction), [0, 0, 1, 0, 0]);
  // Opened on the 4th: protection sold on 0.5·NAV and 0.25·NAV of shares (less their share of the costs).
  const keep = 1 - 0.5 * 12.5e-4 - 0.25 * 6.5e-4, shares = 0.25 * keep;
  assertClose(r.book.nav[2], keep, { rtol: 1e-15 });
  // The 5th: the CDS pays 1 − R = 0.6 of its notional against a day's premium; the shares are lost.
  const pnl = 0.5 * (-0.6 + 0.02 / 360) - shares;
  assertClose(r.book.pnl[3], pnl, { rtol: 1e-13 });
  // Nothing to pay to close a settled contract or a worthless share; nothing is left open.
  assert.equal(r.book.costs[3], 0);
  assert.equal(r.book.positions[3], 0);
  assertClose(r.book.nav[4], keep + pnl, { rtol: 1e-13 });
});

Deno.test("runCreditEquity() legs: directional adds the equity to the CDS view, hedged offsets it in the model", () => {
  // One Merton firm; its assets move by 0.3 % on the last day. Inputs priced by the model, hedge by mertonHedgeRatio.
  const dates = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"].map(utc);
  const V = [100, 100, 100, 100.3], sigma = 0.25, D = 70, rate = 0.02;
  const spread = V.map((v) => mertonSpread({ assetValue: v, assetVol: sigma, debt: D, rate, horizon: 5 }));
  const equity = V.map((v) => mertonEquity(v, sigma, D, rate, 1));
  const h = mertonHedgeRatio({ assetValue: 100, assetVol: sigma, defaultPoint: D, rate });
  const inputs = flatInputs(dates, [[1, 1, 2, 2]], { cdsMid: spread, equityPrice: equity, hedgeRatio: V.map(() => h) });
  const opts = { ...TOY, start: "2024-01-02", shortFee: 0, cdsCostBp: 0, equityCostBp: 0 } as const;
  const directional = runCreditEquity(inputs, opts), hedged = runCreditEquity(inputs, { ...opts, legs: "hedged" });
  assert.equal(directional.direction[2], 1);
  // Sold protection on 1·NAV: spread P&L −RPV01·Δs plus a day's carry; equity ±h·ΔE/E.
  const spreadPnl = -riskyAnnuity(spread[2]) * (spread[3] - spread[2]), carry = spread[2] / 360;
  const equityPnl = h * (equity[3] / equity[2] - 1);
  assertClose(hedged.book.pnl[3], carry + spreadPnl - equityPnl, { rtol: 1e-12 });
  assertClose(directional.book.pnl[3], carry + spreadPnl + equityPnl, { rtol: 1e-12 });
  // The hedged pair earns the carry up to a residual of second order in the move; directional doubles the move.
  assert.ok(Math.abs(hedged.book.pnl[3] - carry) < 0.01 * Math.abs(spreadPnl));
  assertClose(directional.book.pnl[3] - carry, 2 * spreadPnl, { rtol: 0.01 });
});

Deno.test("runCreditEquity() has no look-ahead: changing every input after t leaves every position up to t", () => {
  const u = generateFirmUniverse({ seed: "no-look-ahead", firms: 10, start: "2018-01-02", end: "2020-12-31" });
  const score = Float64Array.from(u.truth.distanceToDefault, (dd) => (Number.isNaN(dd) ? NaN : 100 * dd));
  const base = firmUniverseInputs(u, score);
  const opts = {
    normaliseWindow: 20,
    thresholdWindow: 60,
    returnWindow: 40,
    maxCorrelation: 0.6,
    kelly: { cap: 0.2 },
    betaHedge: { equity: true, credit: true },
    weights: marketCapWeightHook,
  } as const;
  const a = runCreditEquity(base, opts);
  assert.ok(a.rebalances.length > 20);
  const T = u.dates.length, N = u.firms;
  const cut = a.rebalances[12]; // a month-end close
  // Perturb every input strictly after the cut (NaN patterns kept: the firms' ranges stay valid).
  const bump = (x: ArrayLike<number>, width: number, factor: number) =>
    Float64Array.from(x, (v, k) => (Math.floor(k / width) > cut && Number.isFinite(v) ? v * factor : v));
  const perturbed: CreditEquityInputs = {
    ...base,
    score: bump(base.score, N, -3),
    vix: bump(base.vix, 1, 2.5),
    cdsMid: bump(base.cdsMid, N, 1.7),
    cdsBidAsk: bump(base.cdsBidAsk!, N, 3),
    equityPrice: bump(base.equityPrice, N, 0.6),
    hedgeRatio: bump(base.hedgeRatio, N, 4),
    riskFree: bump(base.riskFree, 1, 5),
    marketCap: bump(base.marketCap!, N, 9),
    equityIndex: bump(base.equityIndex!, 1, 0.5),
    creditIndexReturns: bump(base.creditIndexReturns!, 1, -2),
    creditIndexSpread: bump(base.creditIndexSpread!, 1, 2),
  };
  const b = runCreditEquity(perturbed, opts);
  const A = a.assets.count, upTo = a.rebalances.indexOf(cut) + 1;
  assert.ok(a.targets.subarray(0, upTo * A).some((x) => x !== 0), "positions before the cut");
  assert.deepEqual(b.rebalances.subarray(0, upTo), a.rebalances.subarray(0, upTo));
  assert.deepEqual(b.targets.subarray(0, upTo * A), a.targets.subarray(0, upTo * A));
  assert.deepEqual(b.direction.subarray(0, (cut + 1) * N), a.direction.subarray(0, (cut + 1) * N));
  assert.deepEqual(b.signal.subarray(0, (cut + 1) * N), a.signal.subarray(0, (cut + 1) * N));
  const booked = cut - a.from + 1;
  assert.deepEqual(b.book.nav.subarray(0, booked), a.book.nav.subarray(0, booked));
  // ... and the perturbation does change what comes after.
  assert.notDeepEqual(b.targets.subarray(upTo * A), a.targets.subarray(upTo * A));
  assert.ok(T > cut + 100);
});

Deno.test("creditEquitySignal() is ½·z(score) − ½·z(VIX) on trailing windows, and min-max maps to [−1, 1]", () => {
  const dates = businessDays("2024-01-02", "2024-01-12", "nyse");
  const score = [5, 7, 6, 9, 9, 9, 4, 8, 8];
  const vix = [20, 22, 21, 25, 19, 18, 30, 28, 27];
  const s = creditEquitySignal({ dates, firms: 1, score, vix }, { normaliseWindow: 3 });
  const z = (x: number[], t: number) => {
    const w = x.slice(t - 2, t + 1), m = (w[0] + w[1] + w[2]) / 3;
    const sd = Math.sqrt(w.reduce((a, v) => a + (v - m) ** 2, 0) / 2);
    return sd === 0 ? 0 : (x[t] - m) / sd;
  };
  assert.ok(Number.isNaN(s[0]) && Number.isNaN(s[1]));
  for (let t = 2; t < 9; t++) assertClose(s[t], 0.5 * z(score, t) - 0.5 * z(vix, t), { atol: 1e-14 });
  assertClose(s[5], 0.5 * 0 - 0.5 * z(vix, 5), { atol: 1e-14 }); // a flat score window carries no information
  const mm = creditEquitySignal({ dates, firms: 1, score, vix }, {
    normaliseWindow: 3,
    normalise: "minmax",
    vixWeight: 0,
  });
  // Window [6, 9, 9] at t = 3: 2·(9 − 6)/(9 − 6) − 1 = 1; [9, 9, 4] at t = 6: −1; weight ½.
  assertClose(mm[3], 0.5, { atol: 1e-15 }), assertClose(mm[6], -0.5, { atol: 1e-15 });
});

Deno.test("runCreditEquity() rolling thresholds are the trailing 20th and 80th percentiles of the signal", () => {
  const u = generateFirmUniverse({ seed: 5, firms: 4, start: "2019-01-02", end: "2020-06-30" });
  const score = Float64Array.from(u.truth.distanceToDefault, (dd) => (Number.isNaN(dd) ? NaN : dd));
  const r = runCreditEquity(firmUniverseInputs(u, score), {
    normaliseWindow: 10,
    thresholdWindow: 50,
    returnWindow: 20,
  });
  const N = u.firms;
  let checked = 0;
  r.rebalances.forEach((t, k) => {
    for (let i = 0; i < N; i++) {
      const w = Array.from({ length: 50 }, (_, j) => r.signal[(t - 49 + j) * N + i]).sort((a, b) => a - b);
      // numpy's linear percentile: h = (n − 1)·p.
      const q = (p: number) =>
        w[Math.floor(49 * p)] + (49 * p - Math.floor(49 * p)) * (w[Math.floor(49 * p) + 1] - w[Math.floor(49 * p)]);
      assertClose(r.low[k * N + i], q(0.2), { atol: 1e-14 });
      assertClose(r.high[k * N + i], q(0.8), { atol: 1e-14 });
      // Every firm is eligible after the warm-up (58 dates ≥ the 20-day return window), and equal weights are > 0.
      const s = r.signal[t * N + i];
      assert.equal(r.direction[t * N + i], s < q(0.2) ? -1 : s > q(0.8) ? 1 : 0);
      if (r.direction[t * N + i] !== 0) checked++;
    }
  });
  assert.ok(checked > 10, `${checked} decisions`);
});

Deno.test("runCreditEquity() sizing: equal and market-cap weights, the Kelly cap and the correlation limit", () => {
  const dates = businessDays("2024-01-02", "2024-01-12", "nyse");
  const rising = [1, 1, 1, 1, 1, 2, 3, 3, 3];
  const caps = new Float64Array(9 * 2);
  for (let t = 0; t < 9; t++) (caps[t * 2] = 30), (caps[t * 2 + 1] = 10);
  const spreads = Float64Array.from({ length: 18 }, (_, k) => 0.02 + 0.0001 * ((k * 7) % 5) * (k % 2));
  const inputs = flatInputs(dates, [rising, rising], { marketCap: caps, cdsMid: spreads });
  const opts = { ...TOY, start: "2024-01-02", returnWindow: 3 } as const;
  const at = (r: ReturnType<typeof runCreditEquity>, t: number, line: number) =>
    r.targets[r.rebalances.indexOf(t) * r.assets.count + line];
  const equal = runCreditEquity(inputs, opts);
  assert.equal(at(equal, 5, 0), 0.5), assert.equal(at(equal, 5, 1), 0.5);
  const cap = runCreditEquity(inputs, { ...opts, weights: marketCapWeightHook });
  assert.equal(at(cap, 5, 0), 0.75), assert.equal(at(cap, 5, 1), 0.25);
  // Kelly: the pair returns of these names are carry (all wins): f* = 1, so the cap binds.
  const kelly = runCreditEquity(inputs, { ...opts, kelly: { cap: 0.05 } });
  assert.equal(at(kelly, 5, 0), 0.05), assert.equal(at(kelly, 5, 2 + 0), 0.05 * 0.5);
  // Two names with the same pair returns (correlation 1): the limit keeps one (the first in signal order).
  const same = flatInputs(dates, [rising, rising]);
  const limited = runCreditEquity(same, { ...opts, maxCorrelation: 0.6 });
  assert.equal(at(limited, 5, 0), 1), assert.equal(at(limited, 5, 1), 0);
  // A custom hook sees the candidates and their trailing returns.
  let seen: WeightsContext | null = null;
  runCreditEquity(inputs, { ...opts, weights: (ctx) => ((seen ??= ctx), equalWeightHook(ctx)) });
  assert.deepEqual(Array.from(seen!.names), [0, 1]);
  assert.equal(seen!.returns[0].length, 3);
  assert.deepEqual(Array.from(seen!.marketCap), [30, 10]);
});

Deno.test("weight hooks and trailingMoments() follow their formulas", () => {
  const ctx: WeightsContext = {
    t: 0,
    names: Int32Array.from([3, 1]),
    signals: Float64Array.from([1, 0.5]),
    directions: Int8Array.from([1, -1]),
    returns: [Float64Array.from([0.01, 0.03, 0.02]), Float64Array.from([0.0, -0.02, 0.02])],
    marketCap: Float64Array.from([1, 3]),
  };
  assert.deepEqual(equalWeightHook(ctx), [0.5, 0.5]);
  assert.deepEqual(marketCapWeightHook(ctx), [0.25, 0.75]);
  const m = trailingMoments(ctx);
  // numpy: np.mean, np.cov(..., ddof=1) of the two rows → means [0.02, 0], cov [[1e-4, −1e-4], [−1e-4, 4e-4]].
  assertClose(m.expectedReturns[0], 0.02, { atol: 1e-16 }), assertClose(m.expectedReturns[1], 0, { atol: 1e-16 });
  assertClose(m.covariance[0][0], 1e-4, { rtol: 1e-12 }), assertClose(m.covariance[0][1], -1e-4, { rtol: 1e-12 });
  assertClose(m.covariance[1][1], 4e-4, { rtol: 1e-12 }), assert.equal(m.covariance[1][0], m.covariance[0][1]);
  // Mean-variance on these moments, unshrunk, two names, w₂ = 1 − w₁; the first-order condition gives
  // w₁ = ((μ₁ − μ₂)/λ + Σ₂₂ − Σ₁₂) / (Σ₁₁ + Σ₂₂ − 2Σ₁₂) = (2e-5 + 5e-4) / 7e-4 = 0.742857… at λ = 1000,
  // and (0.002 + 5e-4) / 7e-4 > 1 at λ = 10: the long-only bound binds, w = (1, 0).
  const v = meanVarianceWeightHook({ riskAversion: 1000, shrink: false })(ctx);
  assertClose(v[0], 0.52e-3 / 0.7e-3, { rtol: 1e-10 }), assertClose(v[1], 1 - 0.52e-3 / 0.7e-3, { rtol: 1e-10 });
  const w = meanVarianceWeightHook({ riskAversion: 10, shrink: false })(ctx);
  assertClose(w[0], 1, { atol: 1e-12 }), assertClose(w[1], 0, { atol: 1e-12 });
  // Too few names for the cap: each gets the cap, the rest stays in cash.
  assert.deepEqual(meanVarianceWeightHook({ riskAversion: 10, maxWeight: 0.05 })(ctx), [0.05, 0.05]);
  assert.throws(() => marketCapWeightHook({ ...ctx, marketCap: Float64Array.from([1, NaN]) }), { name: "RangeError" });
});

Deno.test("runCreditEquity() Kelly cap: f* = p − (1 − p)/b from the pair's trailing wins and losses", () => {
  // Equity returns +2 %, −1 %, +2 %, −1 %, +2 % (no CDS P&L at a zero spread, h = 1): p = 3/5, b = 2, f* = 0.4.
  const dates = businessDays("2024-01-02", "2024-01-09", "nyse");
  const returns = [0, 0.02, -0.01, 0.02, -0.01, 0.02];
  let p = 100;
  const prices = returns.map((r) => (p *= 1 + r));
  const inputs = flatInputs(dates, [[1, 1, 1, 1, 1, 2]], {
    cdsMid: dates.map(() => 0),
    equityPrice: prices,
    hedgeRatio: dates.map(() => 1),
  });
  const opts = { ...TOY, start: "2024-01-02", returnWindow: 5 } as const;
  const cds = (kelly: { cap?: number; fraction?: number }) => {
    const r = runCreditEquity(inputs, { ...opts, kelly });
    return r.targets[r.rebalances.indexOf(5) * r.assets.count];
  };
  assertClose(cds({ cap: 1 }), 0.4, { rtol: 1e-12 });
  assertClose(cds({ cap: 1, fraction: 0.5 }), 0.2, { rtol: 1e-12 });
  assert.equal(cds({}), 0.05); // the study's 5 % cap binds
});

Deno.test("creditEquityBenchmarks() book buy-and-hold credit, the index and the market-neutral long/short", () => {
  const dates = businessDays("2024-01-02", "2024-03-29", "nyse");
  const T = dates.length, N = 10;
  const scores = Array.from({ length: N }, (_, i) => dates.map(() => i));
  const inputs = flatInputs(dates, scores, { creditIndexSpread: dates.map(() => 0.01) });
  const b = creditEquityBenchmarks(inputs, { start: "2024-01-02" });
  // Buy and hold: 1/10 of NAV sold on each name at 2 %, entry cost 12.5 bp, then carry s·days/360 on the notional.
  const days = (dates[T - 1].getTime() - dates[0].getTime()) / 86_400_000;
  assertClose(b.buyAndHoldCredit.nav[T - 1], 1 - 12.5e-4 + 0.02 * days / 360, { rtol: 1e-12 });
  // The index: notional reset to NAV at each month end; constant spread: carry only.
  let nav = 1 - 12.5e-4, notional = 1;
  for (let t = 1; t < T; t++) {
    nav += (notional * 0.01 * ((dates[t].getTime() - dates[t - 1].getTime()) / 86_400_000)) / 360;
    if (t === T - 1 || dates[t + 1].getUTCMonth() !== dates[t].getUTCMonth()) {
      const cost = Math.abs(nav - notional) * 12.5e-4; // the notional is reset to the NAV before costs
      (notional = nav), (nav -= cost);
    }
  }
  assertClose(b.creditIndex.nav[T - 1], nav, { rtol: 1e-9 });
  // Market neutral: best two scores (8, 9) sold, worst two (0, 1) bought, ¼ of NAV each.
  const h = b.marketNeutral.holdings, last = b.marketNeutral.nav[T - 1];
  assert.ok(h[9] > 0 && h[8] > 0 && h[0] < 0 && h[1] < 0);
  for (let i = 2; i < 8; i++) assert.equal(h[i], 0);
  assertClose(h[9] + h[8] + h[0] + h[1], 0, { atol: 1e-15 });
  assert.ok(Math.abs(h[9]) < last);
});

Deno.test("monthlyMetrics() matches numpy on a known daily series, in and out of sample", () => {
  const dates = businessDays("2018-07-02", "2021-06-30", "weekdays");
  assert.equal(dates.length, 783);
  const returns = dates.map((_, t) => 0.001 * Math.sin(0.7 * t) + 0.0002 * Math.cos(1.3 * t) + 0.0001);
  const riskFree = dates.map(() => 0.00008), benchmark = dates.map((_, t) => 0.0008 * Math.sin(0.3 * t));
  const m = monthlyMetrics({ dates, returns, riskFree, benchmark });
  assert.equal(m.monthly.dates.length, 36);
  // /usr/bin/python3 with numpy (busdays 2018-07-02..2021-06-30; months compounded; Sharpe of R − rf with ddof 1 ·√12;
  // Sortino on all months; drawdown from wealth 1; CAGR w^(12/n) − 1; IR ·√12; np.percentile(R, 5); PSR as metrics.ts).
  const expected = {
    full: [
      36,
      0.8425547704024904,
      1.5176075317781135,
      0.02662195635939879,
      -0.0005869011501867805,
      45.36020478223018,
      3.5157338716821225,
      -0.0002942347566088077,
      0.8611111111111112,
      0.0018440667478905528,
      0.002193527990423821,
      0.9231247997579058,
    ],
    inSample: [
      18,
      1.0316942043458752,
      1.8805389034048001,
      0.02815803673908923,
      -0.0005869011501867805,
      47.977477519217636,
      3.3565866775073756,
      -0.00047855086480479977,
      0.8333333333333334,
      0.0019193877055313521,
      0.0023184895639853684,
      0.8811641395073846,
    ],
    outOfSample: [
      18,
      0.6227998418219236,
      1.1360390184479887,
      0.025088170902131335,
      -0.00023916960007563937,
      104.89698897433868,
      3.6013194555823063,
      -0.00011169071955232645,
      0.8888888888888888,
      0.0018122035005836974,
      0.002068566416862273,
      0.7734477010124174,
    ],
  };
  for (const sample of ["full", "inSample", "outOfSample"] as const) {
    const rows = m[sample];
    assert.deepEqual(rows.map((r) => r.metric), [
      "Months",
      "Sharpe ratio (excess of bills)",
      "Sortino ratio",
      "CAGR",
      "Max drawdown",
      "Calmar ratio",
      "Information ratio",
      "VaR 95% (monthly)",
      "Win rate (months)",
      "Monthly volatility",
      "Average monthly return",
      "Probabilistic Sharpe (SR > 0)",
    ]);
    rows.forEach((r, k) => assertClose(r.value!, expected[sample][k], { rtol: 1e-9 }, `${sample} ${r.metric}`));
  }
  const none = monthlyMetrics({ dates, returns, riskFree });
  assert.equal(none.full[6].value, null);
  assert.equal(none.full[6].note, "not available: no benchmark");
});

Deno.test("runCreditEquity() refuses unknown keys and bad inputs, naming them", () => {
  const dates = ["2024-01-02", "2024-01-03", "2024-01-04"].map(utc);
  const inputs = flatInputs(dates, [[1, 2, 3]]);
  const opts = { ...TOY, start: "2024-01-02", returnWindow: 1 } as const;
  assert.throws(() => runCreditEquity(inputs, { ...opts, treshold: 1 } as never), {
    name: "TypeError",
    message: /unknown option opts.treshold/,
  });
  assert.throws(() => runCreditEquity({ ...inputs, vixx: [] } as never, opts), {
    name: "TypeError",
    message: /unknown option inputs.vixx; did you mean inputs.vix\?/,
  });
  assert.throws(() => runCreditEquity(inputs, { lowPercentile: 0.9, highPercentile: 0.1 }), {
    name: "RangeError",
    message: "Cannot run credit-equity strategy: lowPercentile must be <= highPercentile (0.1), received 0.9",
  });
  assert.throws(() => runCreditEquity({ ...inputs, cdsMid: [0.01, NaN, 0.01] }, opts), {
    name: "RangeError",
    message: /cdsMid\[2\] \(firm 0, 2024-01-04\) must be NaN after the firm's last quote/,
  });
  assert.throws(() => runCreditEquity({ ...inputs, equityPrice: [1, 1] }, opts), {
    name: "RangeError",
    message: /inputs.equityPrice must be a dates × firms panel of 3×1, received length 2/,
  });
  assert.throws(() => runCreditEquity({ ...inputs, vix: [20, 0, 20] }, opts), {
    name: "RangeError",
    message: "Cannot run credit-equity strategy: inputs.vix[1] must be > 0, received 0",
  });
  assert.throws(() => runCreditEquity(inputs, { ...opts, weights: () => [-1] }), {
    name: "RangeError",
    message: /weights\[0\] at 2024-01-03 must be finite and >= 0, received -1/,
  });
  assert.throws(() => runCreditEquity(inputs, { ...opts, weights: () => [0.5, 0.5] }), {
    name: "RangeError",
    message: /weights at 2024-01-03 must be 1 weights \(one per candidate\)/,
  });
  assert.throws(() => runCreditEquity(inputs, { ...opts, betaHedge: { equity: true } }), {
    name: "RangeError",
    message: /inputs.equityIndex must be given with betaHedge.equity/,
  });
  assert.throws(() => runCreditEquity(inputs, { ...opts, cdsCostModel: "half-spread" }), {
    name: "RangeError",
    message: /inputs.cdsBidAsk must be given with cdsCostModel "half-spread"/,
  });
  assert.throws(() => runCreditEquity(inputs, { ...opts, kelly: { cap: 0.05, fraction: 0 } }), {
    name: "RangeError",
    message: "Cannot run credit-equity strategy: kelly.fraction must be > 0, received 0",
  });
  assert.throws(() => runCreditEquity(inputs, { ...opts, kelly: { cap: 0.05, cpa: 1 } as never }), {
    name: "TypeError",
    message: /unknown option kelly.cpa; did you mean kelly.cap\?/,
  });
  assert.throws(() => monthlyMetrics({ dates, returns: [0, 0], riskFree: [0, 0, 0] }), {
    name: "RangeError",
    message: "Cannot compute monthly metrics: returns.length must be 3, received 2",
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Fuzz-found classes (issue 17): hooks check their ctx; entry points check their objects before reading them

Deno.test("weights hooks refuse a bad ctx naming it, and trailingMoments no longer returns NaN", () => {
  const returns = [Float64Array.from([0.01, -0.02, 0.03]), Float64Array.from([0.02, 0.01, -0.01])];
  const ctx: WeightsContext = {
    t: 5,
    names: Int32Array.from([0, 1]),
    signals: Float64Array.from([1, -1]),
    directions: Int8Array.from([1, -1]),
    returns,
    marketCap: Float64Array.from([3, 1]),
  };
  const hooks = [equalWeightHook, marketCapWeightHook, trailingMoments, meanVarianceWeightHook({ riskAversion: 5 })];
  for (const hook of hooks) {
    assert.throws(() => hook(null as never), { name: "TypeError", message: /: ctx must be a weights context object/ });
    assert.throws(() => hook({ ...ctx, names: [0, 1] } as never), /ctx.names must be an Int32Array/);
  }
  assert.throws(() => marketCapWeightHook({ ...ctx, marketCap: null } as never), /ctx.marketCap must be an array/);
  assert.throws(
    () => marketCapWeightHook({ ...ctx, marketCap: Float64Array.from([1]) }),
    /ctx.marketCap.length must be 2 \(one per name\), received 1/,
  );
  // A NaN return gave a NaN mean and covariance; a shorter window gave NaN covariances.
  const nan = [Float64Array.from([NaN, -0.02, 0.03]), returns[1]];
  assert.throws(() => trailingMoments({ ...ctx, returns: nan }), /ctx.returns\[0\]\[0\] must be finite, received NaN/);
  const short = [returns[0], returns[1].subarray(0, 2)];
  assert.throws(
    () => trailingMoments({ ...ctx, returns: short }),
    /ctx.returns\[1\].length must be 3 like ctx.returns\[0\], received 2/,
  );
  assert.throws(() => trailingMoments({ ...ctx, returns: [returns[0]] }), /ctx.returns.length must be 2/);
  // Valid: the sample mean of [0.01, −0.02, 0.03] is 0.02 / 3, its variance (n − 1) ((1/3)² + (8/3)² + (7/3)²)/2 e-4.
  const m = trailingMoments(ctx);
  assertClose(m.expectedReturns[0], 0.02 / 3, { atol: 1e-15 });
  assertClose(m.covariance[0][0], ((1 / 9 + 64 / 9 + 49 / 9) / 2) * 1e-4, { atol: 1e-15 });
});

Deno.test("creditEquitySignal(), monthlyMetrics() and firmUniverseInputs() check their objects first", () => {
  assert.throws(() => creditEquitySignal(null as never), /compute credit-equity signal: inputs must be an object/);
  assert.throws(
    () => creditEquitySignal({ firms: 1, score: [1], vix: [20] } as never),
    /inputs.dates must be an array of Dates, received undefined/,
  );
  assert.throws(() => monthlyMetrics(null as never), /compute monthly metrics: p must be an object/);
  assert.throws(
    () => monthlyMetrics({ returns: [0], riskFree: [0] } as never),
    /compute monthly metrics: dates must be an array of Dates, received undefined/,
  );
  assert.throws(() => firmUniverseInputs(null as never, []), /universe must be an object, received null/);
  assert.throws(() => firmUniverseInputs({ firms: 1 } as never, []), /universe.dates must be an array of Dates/);
});
