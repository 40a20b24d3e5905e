import assert from "node:assert/strict";
import jStat from "jstat";
import { assertClose } from "../_assert.ts";
import {
  kmvDefaultPoint,
  mertonEquity,
  mertonSpread,
  solveMerton,
  solveMertonArrays,
} from "../../lib/credit/merton.ts";
import { balanceSheetAsOf, mertonTimeSeries, rollingVolatility } from "../../lib/credit/kmv.ts";
import { makeRng, standardNormal } from "../../lib/core/rng.ts";

Deno.test("solveMerton() reproduces Hull's example: V₀ ≈ 12.40, σ_V ≈ 0.2123, PD ≈ 12.7 %", () => {
  const m = solveMerton({ equity: 3, equityVol: 0.8, debt: 10, rate: 0.05, horizon: 1 });
  assertClose(m.assetValue, 12.40, { atol: 0.005 });
  assertClose(m.assetVol, 0.2123, { atol: 0.00005 });
  assertClose(m.defaultProbability, 0.127, { atol: 0.0005 });
  assert.equal(m.method, "newton");
  assert.ok(m.iterations <= 10 && m.residual < 1e-12, `${m.iterations} iterations, residual ${m.residual}`);
  // Hull: the market value of the debt is 12.40 − 3 = 9.40 against 10e^{−0.05} = 9.51 risk-free.
  assertClose(m.assetValue - 3, 9.40, { atol: 0.005 });
});

Deno.test("solveMerton() recovers the asset value and volatility that generated the equity", () => {
  const rng = makeRng(1, "merton-recovery");
  for (let k = 0; k < 200; k++) {
    const v = 50 + 150 * Math.abs(standardNormal(rng)), sigma = 0.05 + 0.6 * Math.abs(standardNormal(rng)) / 2;
    const debt = v * (0.2 + 0.9 * Math.abs(standardNormal(rng)) / 2), rate = 0.03, horizon = 1 + (k % 5);
    const e = mertonEquity(v, sigma, debt, rate, horizon);
    // σ_E from Itô: N(d₁)σ_V V / E.
    const s = sigma * Math.sqrt(horizon);
    const d1 = (Math.log(v / debt) + (rate + 0.5 * sigma * sigma) * horizon) / s;
    const nd1 = jStat.normal.cdf(d1, 0, 1); // an independent normal CDF
    const m = solveMerton({ equity: e, equityVol: (nd1 * sigma * v) / e, debt, rate, horizon });
    assertClose(m.assetValue, v, { rtol: 1e-8 });
    assertClose(m.assetVol, sigma, { rtol: 1e-6 });
  }
});

Deno.test("solveMerton(): drift gives the real-world DD; the risk-neutral PD is N(−d₂) whatever the drift", () => {
  const base = { equity: 3, equityVol: 0.8, debt: 10, rate: 0.05, horizon: 1 };
  const rn = solveMerton(base), rw = solveMerton({ ...base, drift: 0.10 });
  assertClose(rw.assetValue, rn.assetValue, { rtol: 1e-14 });
  assertClose(rw.distanceToDefault - rn.distanceToDefault, 0.05 / rn.assetVol, { rtol: 1e-10 });
  assertClose(rw.riskNeutralPD, rn.defaultProbability, { rtol: 1e-14 });
  assert.ok(rw.defaultProbability < rn.defaultProbability);
});

Deno.test("solveMerton() refuses impossible inputs, naming the argument and the value", () => {
  const base = { equity: 3, equityVol: 0.8, debt: 10, rate: 0.05, horizon: 1 };
  assert.throws(() => solveMerton({ ...base, equity: -1 }), /equity must be .*received -1/);
  assert.throws(() => solveMerton({ ...base, equityVol: 0 }), /equityVol must be .*received 0/);
  assert.throws(() => solveMerton({ ...base, debt: NaN }), /debt must be .*received NaN/);
  assert.throws(() => solveMerton({ ...base, horizon: 0 }), /horizon/);
  assert.throws(() => solveMerton({ ...base, rate: Infinity }), /rate/);
});

Deno.test("solveMerton() converges at the edges: tiny equity, very high and very low volatility", () => {
  for (
    const p of [
      { equity: 1e-3, equityVol: 3, debt: 10 },
      { equity: 100, equityVol: 0.05, debt: 1 },
      { equity: 1, equityVol: 0.2, debt: 100 },
      { equity: 5, equityVol: 15, debt: 10 },
    ]
  ) {
    const m = solveMerton({ ...p, rate: 0.02, horizon: 1 });
    assert.ok(m.residual < 1e-10, JSON.stringify({ p, m }));
    assertClose(mertonEquity(m.assetValue, m.assetVol, p.debt, 0.02, 1), p.equity, { rtol: 1e-8 });
  }
});

Deno.test("kmvDefaultPoint() is STD + ½ LTD and rejects negative debt", () => {
  assert.equal(kmvDefaultPoint(100, 50), 125);
  assert.throws(() => kmvDefaultPoint(-1, 50), /shortTermDebt must be a finite number ≥ 0, received -1/);
  assert.throws(() => kmvDefaultPoint(0, 0), /> 0/);
});

Deno.test("mertonSpread(): zero at zero volatility far from default; debt value identity B = V − E", () => {
  const v = 12.395, sigma = 0.2123, d = 10, r = 0.05;
  const spread = mertonSpread({ assetValue: v, assetVol: sigma, debt: d, rate: r, horizon: 1 });
  const debtValue = v - mertonEquity(v, sigma, d, r, 1);
  assertClose(spread, -Math.log(debtValue / d) - r, { rtol: 1e-10 });
  assertClose(mertonSpread({ assetValue: 100, assetVol: 0.01, debt: 10, rate: r, horizon: 1 }), 0, { atol: 1e-12 });
});

Deno.test("solveMertonArrays() matches the scalar solver and passes missing inputs through as NaN", () => {
  const equity = [3, 5, NaN, 40], vol = [0.8, 0.5, 0.3, 0.25], debt = [10, 10, 10, 30];
  const out = solveMertonArrays({ equity, equityVol: vol, debt, rate: 0.05, horizon: 1 });
  for (const i of [0, 1, 3]) {
    const m = solveMerton({ equity: equity[i], equityVol: vol[i], debt: debt[i], rate: 0.05, horizon: 1 });
    assertClose(out.assetValue[i], m.assetValue, { rtol: 1e-14 });
    assertClose(out.distanceToDefault[i], m.distanceToDefault, { rtol: 1e-12 });
  }
  assert.ok(Number.isNaN(out.assetValue[2]));
  assert.throws(
    () => solveMertonArrays({ equity, equityVol: vol.slice(1), debt, rate: 0.05, horizon: 1 }),
    /equityVol/,
  );
  assert.throws(
    () => solveMertonArrays({ equity: [-1], equityVol: [0.2], debt: [1], rate: 0, horizon: 1 }),
    /element 0/,
  );
});

Deno.test("rollingVolatility() is the sample sd of the last w log returns × √252", () => {
  const x = [100, 101, 99, 102, 103];
  const r = x.slice(1).map((v, i) => Math.log(v / x[i]));
  const last3 = r.slice(1), m = last3.reduce((a, b) => a + b, 0) / 3;
  const sd = Math.sqrt(last3.reduce((a, b) => a + (b - m) ** 2, 0) / 2);
  const out = rollingVolatility(x, 3);
  assert.ok(Number.isNaN(out[2]));
  assertClose(out[4], sd * Math.sqrt(252), { rtol: 1e-12 });
});

Deno.test("balanceSheetAsOf(): a period is used only after its reporting lag, and not forever", () => {
  const d = (s: string) => new Date(`${s}T00:00:00Z`);
  const sheets = [
    { periodEnd: d("2014-12-31"), shortTermDebt: 1, longTermDebt: 2 },
    { periodEnd: d("2015-12-31"), shortTermDebt: 3, longTermDebt: 4 },
  ];
  const dates = ["2015-03-30", "2015-03-31", "2016-03-30", "2016-03-31", "2017-03-30", "2017-03-31"].map(d);
  const got = balanceSheetAsOf(dates, sheets, { reportingLagDays: 90 }).map((s) => s?.shortTermDebt ?? null);
  // 2014-12-31 + 90 days = 2015-03-31; 2015-12-31 + 90 = 2016-03-30 (a leap year); stale 455 days after
  // 2015-12-31, i.e. after 2017-03-30.
  assert.deepEqual(got, [null, 1, 3, 3, 3, null]);
});

Deno.test("mertonTimeSeries(): no look-ahead, and both methods recover a firm simulated with known σ_V", () => {
  // A firm whose assets follow a GBM with σ_V = 25 %, debt 60 against assets of 100; equity priced by Merton.
  const rng = makeRng(3, "merton-series");
  const n = 800, sigma = 0.25, debt = 60, r = 0.02;
  const dates = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2010, 0, 1 + i)));
  const v = new Float64Array(n);
  v[0] = 100;
  for (let t = 1; t < n; t++) {
    v[t] = v[t - 1] * Math.exp(-0.5 * sigma * sigma / 252 + (sigma / Math.sqrt(252)) * standardNormal(rng));
  }
  const equity = Float64Array.from(v, (x) => mertonEquity(x, sigma, debt, r, 1));
  const base = {
    dates,
    equity,
    shortTermDebt: new Float64Array(n).fill(debt),
    longTermDebt: new Float64Array(n),
    rate: r,
  };
  const it = mertonTimeSeries({ ...base, method: "iterative" });
  const sv = it.getColumn("asset_vol").toArray() as (number | null)[];
  const av = it.getColumn("asset_value").toArray() as (number | null)[];
  for (const t of [400, 600, 799]) {
    assertClose(av[t]!, v[t], { rtol: 0.01 }); // V backed out from E at the estimated σ_V
    assert.ok(Math.abs(sv[t]! - sigma) < 0.03, `iterative σ_V ${sv[t]} at ${t}`);
  }
  const direct = mertonTimeSeries(base).getColumn("asset_vol").toArray() as (number | null)[];
  // The direct method uses a year's average equity volatility, biased when leverage has moved over the window:
  // that is why KMV iterates on the asset path instead.
  assert.ok(Math.abs(direct[799]! - sigma) < 0.1, `direct σ_V ${direct[799]}`);
  assert.ok(Math.abs(sv[799]! - sigma) < Math.abs(direct[799]! - sigma), "the iterative method is closer");
  // Changing the future leaves the past unchanged.
  const shocked = Float64Array.from(equity, (e, t) => (t > 600 ? e * 0.5 : e));
  const again = mertonTimeSeries({ ...base, equity: shocked, method: "iterative" });
  assert.deepEqual(again.getColumn("dd").toArray().slice(0, 601), it.getColumn("dd").toArray().slice(0, 601));
});

Deno.test("mertonEquity: a negative volatility or asset value is refused", async () => {
  const { mertonEquity } = await import("../../lib/credit/merton.ts");
  const { default: assert } = await import("node:assert/strict");
  assert.throws(() => mertonEquity(100, -0.2, 80, 0.03, 1), /sigma must be > 0, received -0.2/);
  assert.throws(() => mertonEquity(-1, 0.2, 80, 0.03, 1), /v must be > 0, received -1/);
});

Deno.test("solveMertonArrays() and mertonSpread() name the element or argument that gave an engine error or NaN", () => {
  assert.throws(
    () => solveMertonArrays({ equity: [40, Infinity], equityVol: [0.5, 0.5], debt: [80, 80], rate: 0.03, horizon: 1 }),
    { name: "RangeError", message: /equity\[1\] \(element 1\) must be finite or NaN \(missing\), received Infinity/ },
  );
  assert.throws(() => solveMertonArrays(null as never), { name: "TypeError", message: /p must be an object/ });
  assert.throws(
    () => solveMertonArrays({ equity: [40], equityVol: [0.5], debt: [80], rate: null as never, horizon: 1 }),
    { name: "TypeError", message: /rate must be an array of numbers/ },
  );
  assert.throws(() => mertonSpread({ assetValue: 120, assetVol: 0.25, debt: 80, rate: 1e12, horizon: 1 }), {
    name: "RangeError",
    message: /rate and horizon must be values whose discount factor/,
  });
  assert.throws(
    () => solveMerton({ equity: 40, equityVol: 0.5, debt: 1e12, rate: 0.03, horizon: 1 }),
    /equity, equityVol and debt must be a solvable firm/,
  );
  assert.throws(() => rollingVolatility(null as never), { name: "TypeError", message: /values must be an array/ });
  const dates = Array.from({ length: 30 }, (_, t) => new Date(Date.UTC(2024, 0, 1 + t)));
  const base = {
    dates,
    equity: dates.map(() => 50),
    shortTermDebt: dates.map(() => 20),
    longTermDebt: dates.map(() => 40),
    rate: 0.03,
    window: 20,
  };
  assert.throws(() => mertonTimeSeries({ ...base, shortTermDebt: base.shortTermDebt.map(() => Infinity) }), {
    message: /shortTermDebt\[0\] must be finite or NaN \(unknown\), received Infinity/,
  });
  assert.throws(() => mertonTimeSeries({ ...base, dates: [...dates.slice(0, 29), "2015-02-30" as never] }), {
    name: "TypeError",
    message: /dates\[29\] must be a Date/,
  });
  assert.throws(() => mertonTimeSeries({ ...base, windwo: 20 } as never), /did you mean opts.window/);
});

Deno.test('mertonTimeSeries(): drift "trailing" is the asset path\'s mean return, DD in closed form on a known path', () => {
  // Assets V(t) = 100·exp(g·t/252) with σ_V = 0.3, D = 60, r = 0.02, T = 1; equity is Merton's call and σ_E its
  // exact value N(d₁)σ_V V/E, so the direct solve recovers V(t) and σ_V. Over a window w the trailing drift is
  // μ = 252·g(w−1)/252/(w−1) + σ²/2 = g + σ²/2, and the physical DD is [ln(V/D) + g·T]/(σ_V√T) (closed form).
  const n = 60, w = 21, g = -0.4, sigma = 0.3, debt = 60, r = 0.02;
  const v = Array.from({ length: n }, (_, t) => 100 * Math.exp((g * t) / 252));
  const equity = v.map((x) => mertonEquity(x, sigma, debt, r, 1));
  const equityVol = v.map((x, t) => {
    const d1 = (Math.log(x / debt) + (r + 0.5 * sigma * sigma)) / sigma;
    return (jStat.normal.cdf(d1, 0, 1) * sigma * x) / equity[t];
  });
  const dates = Array.from({ length: n }, (_, t) => new Date(Date.UTC(2020, 0, 1 + t)));
  const base = { dates, equity, equityVol, shortTermDebt: new Array(n).fill(debt), longTermDebt: new Array(n).fill(0) };
  const df = mertonTimeSeries({ ...base, rate: r, window: w, drift: "trailing" });
  const dd = df.getColumn("dd").toArray() as (number | null)[];
  for (let t = 0; t < w - 1; t++) assert.equal(dd[t], null, `no drift before a full window (t = ${t})`);
  for (const t of [w - 1, 40, n - 1]) {
    assertClose(dd[t]!, (Math.log(v[t] / debt) + g) / sigma, { atol: 1e-8 }, `physical DD at t = ${t}`);
  }
  // The risk-neutral DD of the same firm is d₂, and the asset values are the same under both drifts.
  const neutral = mertonTimeSeries({ ...base, rate: r, window: w });
  assertClose(
    (neutral.getColumn("dd").toArray() as number[])[40],
    (Math.log(v[40] / debt) + r - sigma ** 2 / 2) / sigma,
    {
      atol: 1e-8,
    },
  );
  assert.deepEqual(neutral.getColumn("asset_value").toArray(), df.getColumn("asset_value").toArray());
  assert.throws(() => mertonTimeSeries({ ...base, rate: r, drift: "physical" as never }), /drift/);
});
