import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import {
  monthlyReturns,
  rollingSharpe,
  trailingAnnualised,
  worstDays,
  worstDrawdowns,
} from "../../dashboard/analytics.ts";
import { businessDays, makeRng, maxDrawdown, sharpeRatio, standardNormal } from "../../lib/mod.ts";

function randomReturns(n: number, seed: string): Float64Array {
  const rng = makeRng(seed);
  return Float64Array.from({ length: n }, () => 0.0003 + 0.01 * standardNormal(rng));
}

Deno.test("rollingSharpe() equals lib's sharpeRatio on every full window", () => {
  for (const seed of ["a", "b", "c"]) {
    const r = randomReturns(300, `rolling-${seed}`);
    const window = 60;
    const s = rollingSharpe(r, window);
    for (let t = 0; t < window - 1; t++) assert.ok(Number.isNaN(s[t]));
    for (let t = window - 1; t < r.length; t++) {
      assertClose(s[t], sharpeRatio(r.subarray(t - window + 1, t + 1)), { rtol: 1e-12, atol: 1e-12 }, `t=${t}`);
    }
  }
});

Deno.test("rollingSharpe() is undefined (NaN) on a constant window and rejects a window below 2", () => {
  const s = rollingSharpe([0.01, 0.01, 0.01, 0.02], 3);
  assert.ok(Number.isNaN(s[2]) && Number.isFinite(s[3]));
  assert.throws(() => rollingSharpe([1, 2], 1), {
    name: "RangeError",
    message: "Cannot compute rolling Sharpe ratio: window must be an integer >= 2, received 1",
  });
});

Deno.test("monthlyReturns() compound to the total return of the series", () => {
  const dates = businessDays("2019-11-15", "2021-02-10", "weekdays");
  const r = randomReturns(dates.length, "monthly");
  const m = monthlyReturns(dates, r);
  assert.deepEqual(m.years, [2019, 2020, 2021]);
  assert.equal(m.values[0][9], null); // October 2019: before the first date
  assert.equal(m.values[2][2], null); // March 2021: after the last
  let total = 1, fromMonths = 1;
  for (const x of r) total *= 1 + x;
  for (const row of m.values) for (const v of row) if (v !== null) fromMonths *= 1 + v;
  assertClose(fromMonths, total, { rtol: 1e-12 });
  // one month by hand: December 2019
  let december = 1;
  dates.forEach((d, t) => {
    if (d.getUTCFullYear() === 2019 && d.getUTCMonth() === 11) december *= 1 + r[t];
  });
  assertClose(m.values[0][11]!, december - 1, { rtol: 1e-14 });
});

/** Brute force: for each date, the drawdown episode it belongs to, from the running peak. */
function bruteDeepest(nav: Float64Array): number {
  let deepest = 0;
  for (let t = 0; t < nav.length; t++) {
    let peak = -Infinity;
    for (let s = 0; s <= t; s++) peak = Math.max(peak, nav[s]);
    deepest = Math.min(deepest, nav[t] / peak - 1);
  }
  return deepest;
}

Deno.test("worstDrawdowns() finds the maximum drawdown and non-overlapping episodes, deepest first", () => {
  for (const seed of ["x", "y", "z"]) {
    const r = randomReturns(400, `dd-${seed}`);
    let v = 1;
    const nav = Float64Array.from(r, (x) => (v *= 1 + x));
    const episodes = worstDrawdowns(nav, 5);
    assertClose(episodes[0].depth, bruteDeepest(nav), { rtol: 1e-12 });
    for (let k = 1; k < episodes.length; k++) assert.ok(episodes[k].depth >= episodes[k - 1].depth);
    const spans = episodes.map((e) => [e.peak, e.recovery ?? nav.length] as const).sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < spans.length; k++) assert.ok(spans[k][0] >= spans[k - 1][1], "episodes overlap");
    for (const e of episodes) {
      assert.ok(e.peak < e.trough && (e.recovery === null || e.recovery > e.trough));
      if (e.recovery !== null) assert.ok(nav[e.recovery] >= nav[e.peak]);
      for (let t = e.peak + 1; t < (e.recovery ?? nav.length); t++) assert.ok(nav[t] < nav[e.peak]);
    }
  }
});

Deno.test("worstDrawdowns() of the wealth started at 1 has the depth of lib's maxDrawdown", () => {
  const r = randomReturns(500, "dd-lib");
  r[0] = -0.05; // a first-period loss counts
  let v = 1;
  const wealth = Float64Array.of(1, ...Array.from(r, (x) => (v *= 1 + x)));
  assertClose(worstDrawdowns(wealth, 1)[0].depth, maxDrawdown(r), { rtol: 1e-12 });
});

Deno.test("worstDrawdowns() of a path that never falls is empty", () => {
  assert.deepEqual(worstDrawdowns([1, 1, 1.1, 1.2], 3), []);
});

Deno.test("worstDays() returns the lowest returns in order", () => {
  assert.deepEqual(worstDays([0.01, -0.03, 0.02, -0.01, -0.03], 3), [1, 4, 3]);
});

Deno.test("trailingAnnualised() is the trailing sum scaled to a year", () => {
  const x = [1, 2, 3, 4, 5];
  const out = trailingAnnualised(x, 2, 10);
  assert.ok(Number.isNaN(out[0]));
  assert.deepEqual(Array.from(out.subarray(1)), [15, 25, 35, 45]);
});
