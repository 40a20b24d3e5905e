import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import { crossSectionalRank, groupZScore, panel, rollingZScore } from "../../lib/signals/panel.ts";
import { carrySignal } from "../../lib/signals/carry.ts";
import { momentumSignal } from "../../lib/signals/momentum.ts";
import { valueOwnHistory, valuePeers, valueSignal } from "../../lib/signals/value.ts";
import { compositeSignal } from "../../lib/signals/composite.ts";
import {
  factorCorrelations,
  forwardReturns,
  icByHorizon,
  icDecay,
  quantileReturns,
  rankIC,
  summarizeIC,
} from "../../lib/signals/ic.ts";
import { makeRng } from "../../lib/core/rng.ts";
import { normInv } from "../../lib/core/special.ts";
import { deskSignals } from "../../lib/signals/desk.ts";
import { generateBondUniverse, RATINGS } from "../../lib/market/universe.ts";
import { flatCurves } from "../fixtures/curves.ts";

const round = (x: ArrayLike<number>, d = 10) => Array.from(x, (v) => (Number.isNaN(v) ? null : Number(v.toFixed(d))));

Deno.test("crossSectionalRank() averages ties and scales ranks to mean 0, variance 1", () => {
  // ranks of [5, 1, 5, 3] are [3.5, 1, 3.5, 2]; centred by 2.5 and divided by √((16 − 1)/12)
  const z = crossSectionalRank(panel(Float64Array.from([5, 1, 5, 3]), 1, 4));
  const s = Math.sqrt(15 / 12);
  assert.deepEqual(round(z.values), round([1 / s, -1.5 / s, 1 / s, -0.5 / s]));
});

Deno.test("groupZScore() standardises within groups and leaves small groups out", () => {
  const z = groupZScore(panel(Float64Array.from([1, 2, 3, 10, 20]), 1, 5), [0, 0, 0, 1, 1]);
  assert.deepEqual(round(z.values), [-1, 0, 1, null, null]); // group 1 has 2 < 3 members
});

Deno.test("rollingZScore() uses the trailing window only (by hand on one asset)", () => {
  const z = rollingZScore(panel(Float64Array.from([1, 2, 3, 5]), 4, 1), 3);
  // window [1,2,3] at t = 2: mean 2, sd 1 → (3 − 2)/1 = 1; window [2,3,5] at t = 3: mean 10/3, sd √(7/3)
  assert.deepEqual(round(z.values, 12), round([NaN, NaN, 1, (5 - 10 / 3) / Math.sqrt(7 / 3)], 12));
});

Deno.test("momentumSignal() is −ln(s_t/s_{t−L}) and blank for L dates after a replacement", () => {
  const spread = Float64Array.from([0.02, 0.03, 0.018, 0.03, 0.015, 0.03, 0.016, 0.03]); // 4 dates × 2 bonds
  const replaced = Uint8Array.from([0, 0, 0, 0, 0, 1, 0, 0]);
  const m = momentumSignal(spread, 2, { lookback: 2, replaced });
  assert.deepEqual(
    round(m.values),
    round([NaN, NaN, NaN, NaN, -Math.log(0.015 / 0.02), NaN, -Math.log(0.016 / 0.018), NaN]),
  );
});

Deno.test("valueSignal() is the mean of the own-history and peer z-scores of log spreads", () => {
  const rng = makeRng("value");
  const s = Float64Array.from({ length: 30 * 6 }, () => 0.01 * Math.exp(0.3 * normInv(rng())));
  const groups = [0, 0, 0, 1, 1, 1];
  const v = valueSignal(s, 6, groups, { window: 10 });
  const own = valueOwnHistory(s, 6, { window: 10 }), peers = valuePeers(s, 6, groups);
  for (let k = 0; k < v.values.length; k++) {
    if (Number.isNaN(own.values[k])) assert.ok(Number.isNaN(v.values[k]));
    else assertClose(v.values[k], (own.values[k] + peers.values[k]) / 2, { atol: 1e-15 });
  }
  assert.equal(carrySignal(s, 6).values[7], s[7]);
});

Deno.test("signals are causal: changing the future leaves every past value unchanged", () => {
  const rng = makeRng("causal");
  const T = 300, N = 12, cut = 200;
  const s = Float64Array.from({ length: T * N }, () => 0.01 * Math.exp(0.4 * normInv(rng())));
  const future = Float64Array.from(s);
  for (let k = cut * N; k < T * N; k++) future[k] *= 3;
  const groups = Array.from({ length: N }, (_, i) => i % 3);
  const make = (x: Float64Array) => [
    momentumSignal(x, N, { lookback: 20 }),
    valueSignal(x, N, groups, { window: 50 }),
    compositeSignal([{ name: "m", signal: momentumSignal(x, N, { lookback: 20 }), weight: 1 }, {
      name: "c",
      signal: carrySignal(x, N),
      weight: 1,
    }]),
  ];
  const [a, b] = [make(s), make(future)];
  a.forEach((p, j) =>
    assert.deepEqual(round(p.values.subarray(0, cut * N)), round(b[j].values.subarray(0, cut * N)), `signal ${j}`)
  );
});

Deno.test("forwardReturns() compounds the next h returns; rankIC() is 1 for a signal equal to the forward return", () => {
  const r = Float64Array.from([0, 0, 0.01, 0.02, 0.03, -0.01]); // 3 dates × 2 bonds
  const f = forwardReturns(r, 2, 2);
  assert.deepEqual(round(f.values), round([1.01 * 1.03 - 1, 1.02 * 0.99 - 1, NaN, NaN, NaN, NaN]));
  const rng = makeRng("ic");
  const R = Float64Array.from({ length: 120 * 40 }, () => 0.01 * normInv(rng()));
  const fwd = forwardReturns(R, 40, 5);
  const ic = rankIC(fwd, fwd);
  assert.ok(Array.from(ic).filter((v) => !Number.isNaN(v)).every((v) => Math.abs(v - 1) < 1e-12));
});

Deno.test("a pure-noise signal has mean IC near zero; a signal of tomorrow's return has IC near one at h = 1", () => {
  const rng = makeRng("ic-noise");
  const T = 400, N = 60;
  const R = Float64Array.from({ length: T * N }, () => 0.01 * normInv(rng()));
  const noise = panel(Float64Array.from({ length: T * N }, () => normInv(rng())), T, N);
  const [h1] = icByHorizon(noise, R, [1]);
  assertClose(h1.meanIC, 0, { atol: 4 / Math.sqrt(T * N) * 1.5 });
  const oracle = panel(Float64Array.from({ length: T * N }, (_, k) => (k + N < T * N ? R[k + N] : NaN)), T, N);
  assert.ok(icByHorizon(oracle, R, [1])[0].meanIC > 0.99);
  const decay = icDecay(oracle, R, [0, 5], 1);
  assert.ok(decay[0].meanIC > 0.99 && Math.abs(decay[1].meanIC) < 0.05);
  const q = quantileReturns(oracle, forwardReturns(R, N, 1), 5);
  assert.ok(q[4].meanReturn > q[0].meanReturn);
  assert.throws(() => summarizeIC(new Float64Array(5), 1), { name: "RangeError" });
});

Deno.test("factorCorrelations() of a factor with a noisy copy matches the bivariate-normal Spearman formula", () => {
  // For jointly normal (x, y) with correlation ρ, Spearman's ρ_S = (6/π)·asin(ρ/2) (Pearson, 1907).
  const rng = makeRng("factor-corr");
  const T = 200, N = 100, rho = 0.6;
  const x = Float64Array.from({ length: T * N }, () => normInv(rng()));
  const y = x.map((v) => rho * v + Math.sqrt(1 - rho * rho) * normInv(rng()));
  const m = factorCorrelations({ x: panel(x, T, N), y: panel(y, T, N), minus: panel(x.map((v) => -v), T, N) });
  assert.deepEqual(m.names, ["x", "y", "minus"]);
  assertClose(m.values[0][1], (6 / Math.PI) * Math.asin(rho / 2), { atol: 0.01 });
  assertClose(m.values[0][2], -1, { atol: 1e-12 });
  assert.equal(m.values[1][0], m.values[0][1]);
  assert.equal(m.values[2][2], 1);
});

Deno.test("deskSignals() is the documented composition of carry, momentum and value on a universe", () => {
  const universe = generateBondUniverse({ curves: flatCurves(120), issuers: 60, seed: "desk" });
  const N = universe.bonds.length;
  const weights = { carry: 0.5, momentum: 0.3, value: 0.2 };
  const s = deskSignals(universe, { weights, momentumLookback: 21, valueWindow: 40 });
  const groups = universe.bonds.map((b) => RATINGS.indexOf(b.rating));
  const momentum = momentumSignal(universe.spread, N, { lookback: 21, replaced: universe.replaced });
  const value = valueSignal(universe.spread, N, groups, { window: 40 });
  const expected = compositeSignal([
    { name: "carry", signal: carrySignal(universe.spread, N), weight: 0.5 },
    { name: "momentum", signal: momentum, weight: 0.3 },
    { name: "value", signal: value, weight: 0.2 },
  ]);
  assert.deepEqual(round(s.composite.values), round(expected.values));
  assert.ok(s.composite.values.some(Number.isFinite));
  assert.throws(() => deskSignals(universe, { weights: { ...weights, value: NaN } }), /weights\.value must be/);
  assert.throws(() => deskSignals(universe, { momentumLookback: 0 }), /momentumLookback/);
});

// ---- Issue 17 (reliability): bad arguments are refused at the entry, naming the caller's argument ----

Deno.test("panel functions refuse a panel whose shape would hang or allocate without bound", () => {
  const p = panel(Float64Array.from({ length: 12 }, (_, k) => k), 4, 3);
  assert.throws(
    () => rollingZScore({ ...p, rows: Infinity }, 3),
    /p\.rows must be an integer in \[0, \d+\], received Infinity/,
  );
  assert.throws(
    () => crossSectionalRank({ ...p, cols: 1e12 }),
    /p\.cols must be an integer in \[1, \d+\], received 1000000000000/,
  );
  assert.throws(
    () => crossSectionalRank({ ...p, values: p.values.subarray(1) }),
    /p\.values\.length must be p\.rows × p\.cols = 12, received 11/,
  );
  assert.throws(() => crossSectionalRank({ ...p, values: [1, 2] as never }), {
    name: "TypeError",
    message: /p\.values must be a Float64Array/,
  });
  assert.throws(() => panel(Float64Array.from([1, Infinity]), 1, 2), /values\[1\] must be finite or NaN/);
});

Deno.test("groupZScore(): labels are integers; sparse labels give the result of dense ones without huge work arrays", () => {
  const p = panel(Float64Array.from([1, 2, 4, 10, 20, 40, 3, 5, 8, 1, 1, 2]), 2, 6);
  const dense = groupZScore(p, [0, 0, 0, 1, 1, 1]);
  const sparse = groupZScore(p, [2 ** 27, 2 ** 27, 2 ** 27, 7, 7, 7]); // relabelling is a permutation of names
  assert.deepEqual(round(sparse.values, 15), round(dense.values, 15));
  // By hand: row 0, group 0 = [1, 2, 4], mean 7/3, sd √(7/3) → (1 − 7/3)/√(7/3).
  assertClose(dense.values[0], (1 - 7 / 3) / Math.sqrt(7 / 3), { atol: 1e-15 });
  assert.throws(
    () => groupZScore(p, [0, 0, 0, 1, 1, 1.5]),
    /groups\[5\] must be an integer in \[0, \d+\], received 1\.5/,
  );
  assert.throws(() => groupZScore(p, [0, 0, 0, 1, 1, -1]), /groups\[5\] must be an integer/);
  assert.throws(() => groupZScore(p, [0, 0, 0, 1, 1]), /groups\.length must be 6 \(one per asset\), received 5/);
  assert.throws(
    () => groupZScore(p, [0, 0, 0, 1, 1, 1], { minGroup: Infinity }),
    /opts\.minGroup must be an integer in \[2, 6\]/,
  );
  assert.throws(() => groupZScore(p, [0, 0, 0, 1, 1, 1], { minGrop: 2 } as never), /did you mean opts\.minGroup\?/);
});

Deno.test("value, carry and momentum refuse bad spreads, columns and groups instead of returning NaN or hanging", () => {
  const s = Float64Array.from({ length: 30 }, (_, k) => 0.01 * (1 + (k % 3)) * (1 + 0.01 * Math.floor(k / 3)));
  // cols = Infinity used to loop for ever (rows = 0, a window loop without end); groups 1.5 gave an all-NaN panel.
  assert.throws(() => valueSignal(s, Infinity, [0, 0, 0]), /cols must be an integer in \[1, \d+\], received Infinity/);
  assert.throws(() => valueSignal(s, 3, [0, 0, 1.5], { window: 3 }), /groups\[2\] must be an integer/);
  assert.throws(() => valueSignal(s, 3, [0, 0, 0], null as never), {
    name: "TypeError",
    message: /opts must be an options object/,
  });
  assert.throws(
    () => valuePeers(s.map((v, k) => (k === 4 ? 0 : v)), 3, [0, 0, 0]),
    /spread\[4\] must be > 0, received 0/,
  );
  assert.throws(() => valueOwnHistory(s, 4), /spread\.length must be a multiple of cols \(4\), received 30/);
  assert.throws(
    () => carrySignal(s.subarray(1), 3),
    /Cannot compute carry signal: spread\.length must be a multiple of cols/,
  );
  assert.throws(() => carrySignal(s, -1e-12), /Cannot compute carry signal: cols must be an integer/);
  assert.throws(() => momentumSignal(s, -1), /cols must be an integer/);
  assert.throws(
    () => momentumSignal(s, 3, { lookback: 2, replaced: new Uint8Array(29) }),
    /opts\.replaced\.length must be/,
  );
});

Deno.test("summarizeIC(): any number of lags is accepted and bounded by the series (the Newey–West sum, by hand)", () => {
  const ic = Float64Array.from({ length: 30 }, (_, i) => (i === 4 ? NaN : 0.05 + 0.1 * Math.sin(i / 2)));
  const x = Array.from(ic).filter((v) => !Number.isNaN(v)), n = x.length;
  const m = x.reduce((a, b) => a + b, 0) / n, d = x.map((v) => v - m);
  const gamma = (l: number) => d.slice(l).reduce((a, v, k) => a + v * d[k], 0) / n;
  const tStat = (L: number) => {
    let lrv = gamma(0);
    // Every lag below 1000 term by term (γ(l ≥ n) is an empty sum, 0); beyond, only the lags with pairs.
    for (let l = 1; l <= (L < 1000 ? L : n - 1); l++) lrv += 2 * (1 - l / (L + 1)) * gamma(l);
    return m / Math.sqrt(lrv / n);
  };
  for (const lags of [0, 3, n - 1, n, n + 7, 1e9]) {
    assertClose(summarizeIC(ic, 1, lags).tStat, tStat(lags), { rtol: 1e-12 });
  }
  const t0 = performance.now();
  summarizeIC(ic, 1, 2 ** 40);
  assert.ok(performance.now() - t0 < 100, "huge lags do not loop");
  assert.throws(() => summarizeIC(ic, 5, Infinity), /lags must be an integer >= 0, received Infinity/);
  assert.throws(() => summarizeIC(null as never, 5), { name: "TypeError", message: /ic must be a Float64Array/ });
});

Deno.test("IC helpers name their own arguments: mismatched shapes and too few bonds", () => {
  const T = 40, N = 6;
  const sig = panel(Float64Array.from({ length: T * N }, (_, k) => Math.sin(k)), T, N);
  const r = Float64Array.from({ length: T * N }, (_, k) => 0.001 * Math.cos(k));
  // The default minAssets (20) exceeds the 6 bonds: the error says so in icDecay's names, not summarizeIC's "ic".
  assert.throws(
    () => icDecay(sig, r, [0], 5),
    /Cannot measure IC decay: signal must be at least 10 dates with an IC at lag 0 \(a date needs opts\.minAssets = 20/,
  );
  assert.throws(() => icByHorizon(sig, r, [1], { minAssets: 1e12 }), /opts\.minAssets must be an integer in \[1, 6\]/);
  assert.throws(
    () => icByHorizon(sig, r.subarray(6), [1]),
    /returns\.length must be signal\.rows × signal\.cols = 240/,
  );
  assert.throws(() => icDecay(sig, r, "x" as never), {
    name: "TypeError",
    message: /lags must be an array of integers/,
  });
  assert.throws(
    () => rankIC(sig, panel(new Float64Array(N), 1, N)),
    /forward must be a 40×6 panel like signal, received 1×6/,
  );
  assert.throws(
    () => quantileReturns(sig, { ...sig, values: new Float64Array(T * N).fill(NaN) }, 3),
    /signal must be a date with at least 3 bonds/,
  );
  assert.throws(() => factorCorrelations(null as never), { name: "TypeError", message: /signals must be an object/ });
});

Deno.test("composites refuse mismatched lengths and weights instead of returning NaN", async () => {
  const { compositeSeries } = await import("../../lib/signals/composite.ts");
  const { basisSeries } = await import("../../lib/signals/cdx.ts");
  const a = Float64Array.from([1, 2, 3]), b = Float64Array.from([3, 2, 1]);
  assert.deepEqual(Array.from(compositeSeries([a, b], [1, 3])), [2.5, 2, 1.5]); // (1·1 + 3·3)/4 …
  assert.throws(
    () => compositeSeries([a, b.subarray(1)], [1, 1]),
    /columns\[1\]\.length must be columns\[0\]\.length \(3\), received 2/,
  );
  assert.throws(() => compositeSeries([a, b], [1]), /weights\.length must be 2, received 1/);
  assert.throws(() => compositeSeries([a, b], [0, 0]), /weights must be not all 0/);
  assert.throws(() => compositeSeries([], []), /columns must be at least one series/);
  assert.throws(() => basisSeries(a, b.subarray(1)), /etfClose\.length must be spread\.length \(3\), received 2/);
  assert.throws(() => basisSeries(a, b, { multiple: Infinity }), /opts\.multiple must be finite/);
  const p = panel(Float64Array.from([1, 2, 3]), 1, 3);
  assert.throws(
    () =>
      compositeSignal([{ name: "a", signal: p, weight: 1 }, {
        name: "b",
        signal: { ...p, values: p.values.subarray(1) },
        weight: 1,
      }]),
    /signals\[1\]\.signal\.values\.length must be/,
  );
  assert.throws(() => compositeSignal([{ name: "a", signal: null as never, weight: 1 }]), {
    name: "TypeError",
    message: /signals\[0\]\.signal must be an object/,
  });
});

Deno.test("CDX signals refuse what is not a DataFrame, and unknown keys, naming the argument", async () => {
  const cdx = await import("../../lib/signals/cdx.ts");
  const { generateOverlayMarket } = await import("../../lib/market/cdx_market.ts");
  const o = generateOverlayMarket({ seed: 3, days: 120 });
  const basis = cdx.computeCdxEtfBasis(o.cdx, o.etf), vixGap = cdx.computeCdxVixGap(o.cdx, o.vix);
  const momentum = cdx.computeSpreadMomentum(o.cdx);
  assert.throws(() => cdx.computeCdxEtfBasis(null as never, o.etf), {
    name: "TypeError",
    message: /cdx must be a DataFrame/,
  });
  assert.throws(() => cdx.computeCdxVixGap(o.cdx, {} as never), {
    name: "TypeError",
    message: /vix must be a DataFrame/,
  });
  assert.throws(() => cdx.computeSpreadMomentum(o.cdx, null as never), /opts must be an options object/);
  assert.throws(
    () => cdx.aggregateSignals({ bassi: basis, vixGap, momentum } as never),
    /unknown option signals\.bassi; did you mean signals\.basis\?/,
  );
  assert.throws(
    () => cdx.aggregateSignals({ basis, vixGap: 7, momentum } as never),
    /signals\.vixGap must be a DataFrame, received 7/,
  );
  assert.throws(() => cdx.aggregateSignals(null as never), { name: "TypeError", message: /signals must be an object/ });
  assert.throws(() => cdx.signalSeries({} as never), /signals must be a DataFrame/);
  assert.throws(
    () => cdx.trailingZScore(new Float64Array(10), 0.5),
    /Cannot compute trailing z-score: lookback must be an integer/,
  );
});
