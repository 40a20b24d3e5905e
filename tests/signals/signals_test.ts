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
