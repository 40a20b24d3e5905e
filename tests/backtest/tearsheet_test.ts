import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import {
  monthlyReturns,
  rollingAnnualVolatility,
  rollingSharpe,
  worstDrawdowns,
  yearlyReturns,
} from "../../lib/backtest/tearsheet.ts";
import { businessDays } from "../../lib/core/calendar.ts";
import { makeRng, standardNormal } from "../../lib/core/rng.ts";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

function randomReturns(n: number, seed: string): Float64Array {
  const rng = makeRng(seed);
  return Float64Array.from({ length: n }, () => 0.0003 + 0.01 * standardNormal(rng));
}

/** Returns that compound to a given wealth path started at 1: r_t = W_t / W_{t−1} − 1. */
function returnsOf(wealth: readonly number[]): number[] {
  return wealth.map((w, t) => w / (t === 0 ? 1 : wealth[t - 1]) - 1);
}

// A hand-made series over a year end: Dec 2023 (2 days), Jan 2024 (3 days), Mar 2024 (1 day), no February.
const DATES = ["2023-12-28", "2023-12-29", "2024-01-02", "2024-01-15", "2024-01-31", "2024-03-01"].map(day);
const RETURNS = [0.1, -0.1, 0.05, 0.05, -0.2, 0.3];

Deno.test("monthlyReturns() compounds each calendar month by hand, null for a month without a date", () => {
  const m = monthlyReturns(DATES, RETURNS);
  assert.deepEqual(m.years, [2023, 2024]);
  assertClose(m.values[0][11]!, 1.1 * 0.9 - 1, { rtol: 1e-14 }); // December 2023: −1 %
  assertClose(m.values[1][0]!, 1.05 * 1.05 * 0.8 - 1, { rtol: 1e-14 }); // January 2024: −11.8 %
  assert.equal(m.values[1][1], null); // February: no date
  assertClose(m.values[1][2]!, 0.3, { rtol: 1e-15 });
  assert.equal(m.values[0][0], null); // January 2023: before the first date
  assert.equal(m.values[1][11], null);
  assert.deepEqual(monthlyReturns([], []), { years: [], values: [] });
});

Deno.test("yearlyReturns() compounds each calendar year by hand and counts its periods", () => {
  const y = yearlyReturns(DATES, RETURNS);
  assert.deepEqual([y.years, y.periods], [[2023, 2024], [2, 4]]);
  assertClose(y.values[0], 1.1 * 0.9 - 1, { rtol: 1e-14 });
  assertClose(y.values[1], 1.05 * 1.05 * 0.8 * 1.3 - 1, { rtol: 1e-14 });
});

Deno.test("monthly and yearly returns compound to the total return, and months compound to their year", () => {
  const dates = businessDays("2019-11-15", "2022-02-10", "weekdays");
  const r = randomReturns(dates.length, "tearsheet-total");
  let total = 1;
  for (const x of r) total *= 1 + x;
  const m = monthlyReturns(dates, r), y = yearlyReturns(dates, r);
  assert.deepEqual(m.years, y.years);
  let fromYears = 1;
  y.values.forEach((v, k) => {
    fromYears *= 1 + v;
    const months = m.values[k].reduce((g: number, v) => (v === null ? g : g * (1 + v)), 1) - 1;
    assertClose(months, v, { rtol: 1e-12, atol: 1e-15 }, `year ${y.years[k]}`);
  });
  assertClose(fromYears, total, { rtol: 1e-12 });
  assert.equal(y.periods.reduce((a, b) => a + b, 0), dates.length);
});

Deno.test("monthlyReturns() and yearlyReturns() refuse misaligned, unordered or non-finite input", () => {
  assert.throws(() => monthlyReturns(DATES, RETURNS.slice(1)), {
    name: "RangeError",
    message: "Cannot compute monthly returns: dates and returns must be of the same length, received 6 and 5",
  });
  assert.throws(() => yearlyReturns([DATES[1], DATES[0]], [0, 0]), {
    name: "RangeError",
    message: "Cannot compute yearly returns: dates[1] must be after dates[0] (2023-12-29T00:00:00.000Z), received " +
      "2023-12-28T00:00:00.000Z",
  });
  assert.throws(() => yearlyReturns(DATES.slice(0, 2), [0, NaN]), {
    name: "RangeError",
    message: "Cannot compute yearly returns: returns[1] must be finite, received NaN",
  });
});

/** Brute-force Sharpe ratio of one window, from the textbook formula (sample sd, n − 1). */
function bruteSharpe(x: ArrayLike<number>, periods: number): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i] / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
  return (mean / Math.sqrt(ss / (n - 1))) * Math.sqrt(periods);
}

Deno.test("rollingSharpe() of a three-period window by hand", () => {
  // Window (0.02, 0, 0.01): mean 0.01, squared deviations 1e-4 + 1e-4 + 0 → sd = √(2e-4 / 2) = 0.01 → S = 1·√12
  const s = rollingSharpe([0.05, 0.02, 0, 0.01], 3, { periodsPerYear: 12 });
  assert.ok(Number.isNaN(s[0]) && Number.isNaN(s[1]));
  assertClose(s[3], Math.sqrt(12), { rtol: 1e-12 });
  // (0.05, 0.02, 0): mean 0.07/3, by hand
  const m = 0.07 / 3, sd = Math.sqrt(((0.05 - m) ** 2 + (0.02 - m) ** 2 + m ** 2) / 2);
  assertClose(s[2], (m / sd) * Math.sqrt(12), { rtol: 1e-12 });
});

Deno.test("rollingSharpe() equals the brute-force Sharpe ratio of every window, with a per-period risk-free rate", () => {
  for (const seed of ["a", "b", "c"]) {
    const r = randomReturns(260, `rolling-${seed}`);
    const rf = Float64Array.from(r, (_, t) => 0.0001 + 1e-6 * t);
    const window = 40;
    const s = rollingSharpe(r, window, { riskFree: rf });
    for (let t = 0; t < window - 1; t++) assert.ok(Number.isNaN(s[t]));
    for (let t = window - 1; t < r.length; t++) {
      const excess = Array.from({ length: window }, (_, k) => r[t - window + 1 + k] - rf[t - window + 1 + k]);
      assertClose(s[t], bruteSharpe(excess, 252), { rtol: 1e-10, atol: 1e-12 }, `seed ${seed}, t=${t}`);
    }
    // A constant risk-free rate is the same as an array of it
    const flat = rollingSharpe(r, window, { riskFree: 0.0002 });
    const array = rollingSharpe(r, window, { riskFree: new Float64Array(r.length).fill(0.0002) });
    for (let t = window - 1; t < r.length; t++) assertClose(flat[t], array[t], { rtol: 1e-14, atol: 1e-15 });
  }
});

Deno.test("rollingSharpe() is NaN on a constant window; rolling volatility is 0 there", () => {
  const r = [0.01, 0.01, 0.01, 0.02];
  const s = rollingSharpe(r, 3), v = rollingAnnualVolatility(r, 3);
  assert.ok(Number.isNaN(s[2]) && Number.isFinite(s[3]));
  assert.equal(v[2], 0);
});

Deno.test("rollingAnnualVolatility() is the brute-force sd · √P and ignores a shift of the returns", () => {
  const r = randomReturns(200, "vol");
  const shifted = Float64Array.from(r, (x) => x + 0.003);
  const window = 30, v = rollingAnnualVolatility(r, window, { periodsPerYear: 52 });
  const w = rollingAnnualVolatility(shifted, window, { periodsPerYear: 52 });
  for (let t = window - 1; t < r.length; t++) {
    const x = Array.from(r.subarray(t - window + 1, t + 1));
    const mean = x.reduce((a, b) => a + b, 0) / window;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (window - 1));
    assertClose(v[t], sd * Math.sqrt(52), { rtol: 1e-12 }, `t=${t}`);
    assertClose(w[t], v[t], { rtol: 1e-10 }, `shift, t=${t}`);
  }
});

Deno.test("rolling statistics refuse a bad window, an unknown option and a misaligned risk-free rate", () => {
  assert.throws(() => rollingSharpe([1, 2], 1), {
    name: "RangeError",
    message: "Cannot compute rolling Sharpe ratio: window must be an integer >= 2, received 1",
  });
  assert.throws(() => rollingSharpe([0.1, 0.2, 0.3], 2, { riskFree: [0, 0] }), {
    name: "RangeError",
    message: "Cannot compute rolling Sharpe ratio: returns and riskFree must be of the same length, received 3 and 2",
  });
  assert.throws(
    () => rollingAnnualVolatility([0.1, 0.2], 2, { periodPerYear: 12 } as never),
    { name: "TypeError", message: /unknown option opts\.periodPerYear; did you mean opts\.periodsPerYear\?/ },
  );
  assert.throws(() => rollingAnnualVolatility([0.1, 0.2], 2, { periodsPerYear: 0 }), {
    name: "RangeError",
    message: "Cannot compute rolling volatility: periodsPerYear must be a finite number > 0, received 0",
  });
});

Deno.test("worstDrawdowns() of a hand-made wealth path: start, trough, recovery, depth and lengths", () => {
  // Wealth 1 → 1.1 → 0.99 → 0.88 → 1.15 → 1.2 → 0.6 → 0.72 → 0.9: a 20 % fall from 1.1 recovered on day 3, then a
  // 50 % fall from 1.2 on day 5, not recovered by the last day 7.
  const wealth = [1.1, 0.99, 0.88, 1.15, 1.2, 0.6, 0.72, 0.9];
  const dates = businessDays("2024-01-01", "2024-01-10", "weekdays");
  const [deepest, second, ...rest] = worstDrawdowns(dates, returnsOf(wealth), 5);
  assert.equal(rest.length, 0);
  assertClose(deepest.depth, 0.6 / 1.2 - 1, { rtol: 1e-13 });
  assert.deepEqual(
    [deepest.startIndex, deepest.troughIndex, deepest.recoveryIndex, deepest.recovery],
    [5, 5, null, null],
  );
  assert.deepEqual([deepest.toTrough, deepest.toRecovery, deepest.length], [1, null, 3]); // peak day 4 → last day 7
  assert.equal(deepest.start, dates[5]);
  assertClose(second.depth, 0.88 / 1.1 - 1, { rtol: 1e-13 });
  assert.deepEqual([second.startIndex, second.troughIndex, second.recoveryIndex], [1, 2, 3]);
  assert.deepEqual([second.start, second.trough, second.recovery], [dates[1], dates[2], dates[3]]);
  assert.deepEqual([second.toTrough, second.toRecovery, second.length], [2, 1, 3]); // peak day 0 → recovery day 3
  assert.equal(worstDrawdowns(dates, returnsOf(wealth), 1).length, 1);
});

Deno.test("worstDrawdowns() counts a first-period loss and is empty for a path that never falls", () => {
  const dates = [day("2024-01-02"), day("2024-01-03")];
  const [e] = worstDrawdowns(dates, [-0.1, 0.2], 3);
  assert.deepEqual([e.startIndex, e.troughIndex, e.recoveryIndex, e.toTrough, e.toRecovery, e.length], [
    0,
    0,
    1,
    1,
    1,
    2,
  ]);
  assertClose(e.depth, -0.1, { rtol: 1e-15 });
  assert.deepEqual(worstDrawdowns(dates, [0, 0.01], 3), []);
});

/** Brute force: the deepest drawdown from the running peak of the wealth started at 1. */
function bruteMaxDrawdown(r: ArrayLike<number>): number {
  const wealth = [1];
  for (let t = 0; t < r.length; t++) wealth.push(wealth[t] * (1 + r[t]));
  let deepest = 0;
  for (let t = 1; t < wealth.length; t++) {
    let peak = -Infinity;
    for (let s = 0; s <= t; s++) peak = Math.max(peak, wealth[s]);
    deepest = Math.min(deepest, wealth[t] / peak - 1);
  }
  return deepest;
}

Deno.test("worstDrawdowns() finds the maximum drawdown and disjoint episodes that end at a new high", () => {
  for (const seed of ["x", "y", "z"]) {
    const r = randomReturns(400, `dd-${seed}`);
    const dates = Array.from(r, (_, t) => new Date(Date.UTC(2020, 0, 1) + t * 86_400_000));
    const wealth: number[] = [];
    r.reduce((w, x) => (wealth.push(w * (1 + x)), w * (1 + x)), 1);
    const episodes = worstDrawdowns(dates, r, 400);
    assertClose(episodes[0].depth, bruteMaxDrawdown(r), { rtol: 1e-12 });
    for (let k = 1; k < episodes.length; k++) assert.ok(episodes[k].depth >= episodes[k - 1].depth);
    const spans = episodes.map((e) => [e.startIndex, e.recoveryIndex ?? r.length]).sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < spans.length; k++) assert.ok(spans[k][0] >= spans[k - 1][1], "episodes overlap");
    // Every period under water belongs to exactly one episode
    const under = wealth.filter((w, t) => w < Math.max(1, ...wealth.slice(0, t))).length;
    assert.equal(spans.reduce((n, [a, b]) => n + b - a, 0), under);
    for (const e of episodes) {
      const peak = e.startIndex === 0 ? 1 : wealth[e.startIndex - 1];
      assertClose(e.depth, wealth[e.troughIndex] / peak - 1, { rtol: 1e-12 });
      assert.equal(e.toTrough + (e.toRecovery ?? r.length - 1 - e.troughIndex), e.length);
    }
  }
});

Deno.test("worstDrawdowns() refuses a wealth-destroying return and a bad count", () => {
  const dates = [day("2024-01-02"), day("2024-01-03")];
  assert.throws(() => worstDrawdowns(dates, [0, -1], 1), {
    name: "RangeError",
    message: "Cannot compute worst drawdowns: returns[1] must be > -1 (wealth stays positive), received -1",
  });
  assert.throws(() => worstDrawdowns(dates, [0, 0], 0), {
    name: "RangeError",
    message: "Cannot compute worst drawdowns: count must be an integer >= 1, received 0",
  });
});
