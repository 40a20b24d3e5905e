import assert from "node:assert/strict";
import { loadRatingTransitions } from "../../lib/data/load.ts";
import { directorySource } from "../../lib/data/source.ts";
import { type FirmUniverse, generateFirmUniverse } from "../../lib/synthetic/firms.ts";
import { notchAgreement, quarterlyMeans, scoreFirmUniverse } from "../../lib/strategies/credit_scoring.ts";
import { firmUniverseInputs, runCreditEquity } from "../../lib/backtest/credit_equity.ts";

const transitions = loadRatingTransitions(directorySource("tests/fixtures/market"));
const universe = generateFirmUniverse({ seed: "scoring-test", firms: 6, start: "2010-01-04", end: "2014-12-31" });
const opts = { transitions, nStarts: 1, maxIter: 10 } as const;

/** The universe with every observable after date index `t0` changed (prices, spreads, reports made known later). */
function perturbedAfter(u: FirmUniverse, t0: number): FirmUniverse {
  const N = u.firms;
  const bump = (a: Float64Array, f: number) => Float64Array.from(a, (v, k) => (Math.floor(k / N) > t0 ? v * f : v));
  const r = u.reports;
  const later = (a: Float64Array, f: number) =>
    Float64Array.from(a, (v, k) => (r.availableIndex[Math.floor(k / N)] > t0 ? v * f : v));
  return {
    ...u,
    equity: bump(u.equity, 0.5),
    price: bump(u.price, 0.5),
    cdsMid: bump(u.cdsMid, 3),
    reportedDefaultPoint: bump(u.reportedDefaultPoint, 1.4),
    reports: {
      ...r,
      ebit: later(r.ebit, 0.5),
      interestExpense: later(r.interestExpense, 2),
      totalAssets: later(r.totalAssets, 0.7),
    },
    market: { ...u.market, vix: Float64Array.from(u.market.vix, (v, t) => (t > t0 ? v * 2 : v)) },
  };
}

Deno.test("scoreFirmUniverse(): no look-ahead — changing every observable after t leaves every score up to t unchanged", () => {
  const t0 = 950, N = universe.firms;
  const a = scoreFirmUniverse(universe, opts);
  const b = scoreFirmUniverse(perturbedAfter(universe, t0), opts);
  let compared = 0;
  for (let k = 0; k <= t0 * N + N - 1; k++) {
    for (const key of ["score", "health", "expectedNotch", "distanceToDefault", "hedgeRatio"] as const) {
      assert.ok(Object.is(a[key][k], b[key][k]), `${key}[${k}] (date ${Math.floor(k / N)}) changed`);
    }
    if (Number.isFinite(a.score[k])) compared++;
  }
  assert.ok(compared > 100, `only ${compared} scores to compare before t`);
  // … and the future did change something, so the test can fail.
  assert.ok(a.score.some((v, k) => k > (t0 + 1) * N && !Object.is(v, b.score[k])));
});

Deno.test("the pipeline's positions: data after t never change a position held up to t", () => {
  const t0 = 1150, N = universe.firms;
  const run = (u: FirmUniverse) => {
    const s = scoreFirmUniverse(u, opts);
    return runCreditEquity(firmUniverseInputs(u, s.score, { hedgeRatio: s.hedgeRatio }), { thresholdWindow: 120 });
  };
  const a = run(universe), b = run(perturbedAfter(universe, t0));
  assert.ok(a.direction.slice(0, (t0 + 1) * N).some((d) => d !== 0), "no position before t: nothing tested");
  assert.deepEqual(Array.from(a.direction.slice(0, (t0 + 1) * N)), Array.from(b.direction.slice(0, (t0 + 1) * N)));
});

Deno.test("scoreFirmUniverse(): states stay ordered and inside the band, scores in [0, 800], health in [0, 1]", () => {
  const s = scoreFirmUniverse(universe, opts);
  assert.ok(s.firmStates.length > 0);
  for (const f of s.firmStates) assert.equal(f.ordered, f.refits), assert.equal(f.bandKept, f.refits);
  for (const v of s.score) if (Number.isFinite(v)) assert.ok(v >= 0 && v <= 800);
  for (const v of s.health) if (Number.isFinite(v)) assert.ok(v >= 0 && v <= 1);
  assert.throws(
    () => scoreFirmUniverse(universe, { ...opts, nStrats: 2 } as never),
    /unknown option opts.nStrats; did you mean opts.nStarts/,
  );
});

Deno.test("quarterlyMeans() and notchAgreement() by hand", () => {
  const d = (s: string) => new Date(`${s}T00:00:00Z`);
  const dates = [d("2020-03-30"), d("2020-03-31"), d("2020-04-01")];
  // Two firms, row-major: firm a = 1, 3, 5; firm b = NaN, 4, 6.
  const q = quarterlyMeans(dates, [1, NaN, 3, 4, 5, 6], ["a", "b"]);
  assert.deepEqual(q.columns, ["2020 Q1", "2020 Q2"]);
  assert.deepEqual(q.values, [[2, 5], [4, 6]]);
  const g = notchAgreement([1, 2.5, 4, NaN], [1, 2, 7, 3]);
  assert.deepEqual(g, { days: 3, withinHalf: 2 / 3, withinOne: 2 / 3, withinTwo: 2 / 3, meanError: (0 + 0.5 - 3) / 3 });
  assert.throws(() => quarterlyMeans(dates, [1, 2], ["a", "b"]), /panel must be 6 values/);
});
