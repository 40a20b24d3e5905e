import assert from "node:assert/strict";
import { makeRng, standardNormal } from "../../lib/core/rng.ts";
import { compositeSignal } from "../../lib/signals/composite.ts";
import type { Panel } from "../../lib/signals/panel.ts";
import type { BondPanels } from "../../lib/backtest/bond_desk.ts";
import {
  factorReturns,
  forecastWeights,
  monthEnds,
  nextPeriodReturns,
  OVERLAY_FACTORS,
  overlayBooks,
  overlayWeights,
  rankFactors,
  regimeFeatures,
  regimeForecasts,
  timeVaryingComposite,
} from "../../lib/strategies/regime_overlay.ts";

const T = 400, N = 12;
const dates = Array.from({ length: T }, (_, t) => new Date(Date.UTC(2020, 0, 1 + t)));

function toyMarket(seed: number): BondPanels {
  const rng = makeRng(seed, "toy-market");
  const totalReturn = Float64Array.from({ length: T * N }, () => 0.0002 + 0.003 * standardNormal(rng));
  return {
    dates,
    ratings: Array.from({ length: N }, (_, i) => ["A", "BBB", "BB"][i % 3]),
    amounts: new Float64Array(N).fill(5e8),
    totalReturn,
    ratesReturn: totalReturn.map((r) => r / 2),
    creditReturn: totalReturn.map((r) => r / 2),
    cashReturn: new Float64Array(T).fill(0.0001),
    bidAsk: new Float64Array(T * N).fill(0.004),
    duration: new Float64Array(T * N).fill(5),
    spread: new Float64Array(T * N).fill(0.02),
    replaced: new Uint8Array(T * N),
  };
}

function toyFactors(seed: number): Record<"carry" | "momentum" | "value", Panel> {
  const rng = makeRng(seed, "toy-factors");
  const make = () => ({
    rows: T,
    cols: N,
    values: Float64Array.from({ length: T * N }, (_, k) => (k < 5 * N ? NaN : standardNormal(rng))),
  });
  return { carry: make(), momentum: make(), value: make() };
}

Deno.test("factorReturns: the top fraction by yesterday's signal minus the universe, against brute force", () => {
  const market = toyMarket(1), factors = toyFactors(2);
  const f = factorReturns(market, factors, { topFraction: 0.25 });
  for (const k of OVERLAY_FACTORS) {
    assert.ok(Array.from(f[k].subarray(0, 6)).every(Number.isNaN), "no signal at t − 1: no return");
    for (const t of [6, 100, 399]) {
      const prev = Array.from({ length: N }, (_, i) => ({ i, s: factors[k].values[(t - 1) * N + i] }));
      const top = prev.sort((a, b) => b.s - a.s).slice(0, 3).map((x) => x.i); // ⌈0.25·12⌉ = 3
      const r = (i: number) => market.totalReturn[t * N + i];
      const expected = top.reduce((s, i) => s + r(i), 0) / 3 -
        Array.from({ length: N }, (_, i) => r(i)).reduce((a, b) => a + b, 0) / N;
      assert.ok(Math.abs(f[k][t] - expected) < 1e-15);
    }
  }
});

Deno.test("monthEnds and nextPeriodReturns: last trading day of each month; compounded return to the next", () => {
  const ends = monthEnds(dates);
  assert.deepEqual(Array.from(ends.subarray(0, 3), (t) => dates[t].toISOString().slice(0, 10)), [
    "2020-01-31",
    "2020-02-29",
    "2020-03-31",
  ]);
  assert.equal(ends[ends.length - 1], T - 1, "a month cut short by the data ends at the last date");
  const fr = {
    carry: new Float64Array(T).fill(0.01),
    momentum: new Float64Array(T),
    value: new Float64Array(T).fill(-0.001),
  };
  const y = nextPeriodReturns(fr, ends);
  const days = ends[1] - ends[0]; // 29 days of February 2020
  assert.ok(Math.abs(y[0] - (1.01 ** days - 1)) < 1e-12);
  assert.equal(y[1], 0);
  assert.ok(Math.abs(y[2] - (0.999 ** days - 1)) < 1e-12);
  assert.ok(Array.from(y.subarray(y.length - 3)).every(Number.isNaN), "the last target is not known yet");
});

Deno.test("forecastWeights: the Euclidean projection onto the capped simplex, against brute force on a grid", () => {
  const rng = makeRng(5, "weights");
  for (let rep = 0; rep < 40; rep++) {
    const f = [0, 1, 2].map(() => 0.02 * standardNormal(rng));
    const w = forecastWeights(f, { floor: 0.1, cap: 0.6 });
    assert.ok(Math.abs(w[0] + w[1] + w[2] - 1) < 1e-12);
    assert.ok(w.every((x) => x >= 0.1 - 1e-12 && x <= 0.6 + 1e-12));
    const total = f.reduce((s, x) => s + Math.max(x, 0), 0);
    const v = f.map((x) => (total > 0 ? Math.max(x, 0) / total : 1 / 3));
    const dist = (u: number[]) => u.reduce((s, x, k) => s + (x - v[k]) ** 2, 0);
    let best = Infinity;
    for (let a = 0.1; a <= 0.6 + 1e-9; a += 0.0025) {
      for (let b = 0.1; b <= 0.6 + 1e-9; b += 0.0025) {
        const c = 1 - a - b;
        if (c >= 0.1 - 1e-9 && c <= 0.6 + 1e-9) best = Math.min(best, dist([a, b, c]));
      }
    }
    assert.ok(dist(w) <= best + 1e-9, `projection ${w} is not the nearest feasible point`);
  }
  assert.deepEqual(forecastWeights([-1, -2, -3], { floor: 0, cap: 1 }), [1 / 3, 1 / 3, 1 / 3]);
  assert.throws(() => forecastWeights([1, 2, 3], { floor: 0.4, cap: 0.6 }), /floor must be in \[0, 1\/3\]/);
  assert.throws(() => forecastWeights([1, 2, 3], { floor: 0, cap: 0.3 }), /cap must be in \[1\/3, 1\]/);
  assert.throws(() => forecastWeights([1, NaN, 3], { floor: 0, cap: 1 }), /forecasts\[1\] must be finite/);
});

Deno.test("timeVaryingComposite: with constant weights it is the composite signal; rows before the weights are NaN", () => {
  const factors = toyFactors(3);
  const ends = monthEnds(dates);
  const w = new Float64Array(ends.length * 3).fill(NaN);
  for (let m = 2; m < ends.length; m++) w.set([0.5, 0.3, 0.2], m * 3);
  const c = timeVaryingComposite(rankFactors(factors), ends, w);
  const ref = compositeSignal(
    OVERLAY_FACTORS.map((k, j) => ({ name: k, signal: factors[k], weight: [0.5, 0.3, 0.2][j] })),
  );
  for (let k = 0; k < T * N; k++) {
    const t = Math.floor(k / N);
    if (t < ends[2]) assert.ok(Number.isNaN(c.values[k]));
    else assert.ok(Object.is(c.values[k], ref.values[k]) || Math.abs(c.values[k] - ref.values[k]) < 1e-15);
  }
});

Deno.test("regimeFeatures: values at a sample use data up to its date only", () => {
  const rng = makeRng(8, "features");
  const series = () => Float64Array.from({ length: T }, () => standardNormal(rng));
  const inputs = {
    vix: series(),
    slope: series(),
    hySpread: series(),
    factorReturns: {
      carry: series().map((x) => 0.001 * x),
      momentum: series().map((x) => 0.001 * x),
      value: series().map((x) => 0.001 * x),
    },
  };
  const samples = monthEnds(dates, 70);
  const base = regimeFeatures(inputs, samples, { changeWindow: 21, trailingWindow: 63 });
  assert.equal(base.names.length, 12);
  const cut = samples[5];
  const future = (x: Float64Array) => x.map((v, t) => (t > cut ? v + 100 : v));
  const moved = regimeFeatures({
    vix: future(inputs.vix),
    slope: future(inputs.slope),
    hySpread: future(inputs.hySpread),
    factorReturns: {
      carry: future(inputs.factorReturns.carry),
      momentum: future(inputs.factorReturns.momentum),
      value: future(inputs.factorReturns.value),
    },
  }, samples);
  const F = base.names.length;
  assert.deepEqual(Array.from(moved.values.subarray(0, 6 * F)), Array.from(base.values.subarray(0, 6 * F)));
  assert.notDeepEqual(Array.from(moved.values.subarray(6 * F)), Array.from(base.values.subarray(6 * F)));
  // By hand: the VIX change over 21 dates and the trailing compounded carry return.
  const t = samples[3];
  assert.equal(base.values[3 * F + 1], inputs.vix[t] - inputs.vix[t - 21]);
  let w = 1;
  for (let s = t - 62; s <= t; s++) w *= 1 + inputs.factorReturns.carry[s];
  assert.ok(Math.abs(base.values[3 * F + 6] - (w - 1)) < 1e-15);
  assert.throws(() => regimeFeatures(inputs, monthEnds(dates)), /feature "VIX" at sample 0/);
});

Deno.test("regime overlay: changing data after a rebalance date leaves every forecast, weight and position up to it unchanged", () => {
  const market = toyMarket(11), factors = toyFactors(12);
  const samples = monthEnds(dates, 70);
  const run = (mkt: BondPanels) => {
    const fr = factorReturns(mkt, factors);
    const rng = makeRng(4, "regime");
    const vix = Float64Array.from({ length: T }, () => 20 + standardNormal(rng));
    const features = regimeFeatures({
      vix,
      slope: vix.map((v) => v / 100),
      hySpread: vix.map((v) => v / 500),
      factorReturns: fr,
    }, samples);
    const targets = nextPeriodReturns(fr, samples);
    const fc = regimeForecasts({ features, targets, walkForward: { minTrain: 4 }, forest: { nTrees: 10, seed: 1 } });
    const weights = overlayWeights(fc.forecasts, { floor: 0.1, cap: 0.6 });
    return {
      fc,
      weights,
      book: overlayBooks(mkt, rankFactors(factors), samples, weights, { rebalance: "weekly" }).forest,
    };
  };
  const base = run(market);
  const cutSample = 7, cut = samples[cutSample];
  const changed = {
    ...market,
    totalReturn: market.totalReturn.map((r, k) => (Math.floor(k / N) > cut ? r * -3 + 0.01 : r)),
  };
  const moved = run(changed);
  for (let k = 0; k <= cutSample * 3 + 2; k++) {
    assert.ok(Object.is(base.fc.forecasts[k], moved.fc.forecasts[k]), `forecast ${k} moved`);
    assert.ok(Object.is(base.weights[k], moved.weights[k]));
  }
  const upTo = base.book.dates.findIndex((d) => d.getTime() > dates[cut].getTime());
  for (let t = 0; t < upTo; t++) assert.equal(base.book.nav[t], moved.book.nav[t]);
  assert.ok(
    Array.from(moved.fc.forecasts.subarray((cutSample + 2) * 3)).some((v, k) =>
      v !== base.fc.forecasts[(cutSample + 2) * 3 + k]
    ),
  );
});

// ---- Issue 17 (reliability): bad arguments are refused at the entry, naming the caller's argument ----

Deno.test("regime overlay entries refuse malformed panels, samples and weights instead of hanging or crashing", () => {
  const market = toyMarket(21), factors = toyFactors(22);
  const samples = monthEnds(dates, 70);
  // rows: Infinity in a factor panel used to hang rankFactors.
  assert.throws(
    () => rankFactors({ ...factors, carry: { ...factors.carry, rows: Infinity } }),
    /factors\.carry\.rows must be an integer/,
  );
  assert.throws(() => rankFactors({ carry: factors.carry } as never), {
    name: "TypeError",
    message: /factors\.momentum must be an object/,
  });
  const ranked = rankFactors(factors);
  const w = new Float64Array(samples.length * 3).fill(1 / 3);
  assert.throws(
    () => timeVaryingComposite({ ...ranked, carry: { ...ranked.carry, cols: 1e12 } }, samples, w),
    /ranked\.carry\.cols must be/,
  );
  assert.throws(() => timeVaryingComposite(ranked, samples, w.subarray(3)), /weights\.length must be/);
  assert.throws(
    () => timeVaryingComposite(ranked, Int32Array.from([5, 3]), new Float64Array(6).fill(0.5)),
    /samples\[1\] must be after samples\[0\]/,
  );
  assert.throws(
    () => overlayWeights(Float64Array.from([NaN, 0.01, 0.02]), { floor: 0, cap: 1 }),
    /forecasts\[1\] must be NaN like the rest of row 0/,
  );
  assert.throws(() => overlayWeights(Float64Array.from([0.01, 0.01, 0.02]), null as never), {
    name: "TypeError",
    message: /bounds must be an object/,
  });
  assert.throws(() => forecastWeights([1, 2, 3], null as never), { name: "TypeError" });
  assert.throws(() => monthEnds(dates.with(82, "2015-02-30" as never)), /dates\[82\] must be a Date/);
  assert.throws(
    () => factorReturns({ ...market, ratings: null } as never, factors),
    /market\.ratings must be an array/,
  );
  assert.throws(
    () => nextPeriodReturns({ carry: new Float64Array(T), momentum: new Float64Array(T) } as never, samples),
    /factorReturns\.value must be an array/,
  );
  const fr = factorReturns(market, factors);
  const inputs = {
    vix: new Float64Array(T).fill(20),
    slope: new Float64Array(T),
    hySpread: new Float64Array(T - 1),
    factorReturns: fr,
  };
  assert.throws(() => regimeFeatures(inputs, samples), /inputs\.hySpread\.length must be 400, received 399/);
  assert.throws(
    () => overlayBooks({ ...market, ratings: null } as never, ranked, samples, w),
    /market\.ratings must be an array/,
  );
});
