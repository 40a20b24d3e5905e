import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import { GaussianHMM, simulateHMM } from "../../lib/credit/hmm.ts";
import {
  creditStateObservables,
  decodeAccuracy,
  episodeColumnMarks,
  expectedNotch,
  fitCreditStates,
  lookAheadGap,
  periodStateProbabilities,
  ratingStateMeans,
  stateSummary,
  windowSeries,
} from "../../lib/credit/states.ts";
import { loadRatingTransitions, loadSpx } from "../../lib/data/load.ts";
import { notchTransitionMatrix, ratingGenerator, transitionMatrixForStep } from "../../lib/credit/ratings.ts";
import { resolveMarketData } from "../../lib/synthetic/source.ts";
import { dateColumn } from "../../lib/data/columns.ts";

const source = resolveMarketData(Deno.env.get("CREDITLAB_DATA")); // the real data if present, the stand-in otherwise

Deno.test("creditStateObservables(): the proxy DD is Merton's DD of a firm whose assets follow the S&P 500", () => {
  const obs = creditStateObservables({ source, start: "2019-01-02", end: "2019-12-31", leverage: 0.6 });
  assert.equal(obs.X.length, obs.dates.length);
  assert.deepEqual(obs.features, ["ln_hy_oas", "dd_proxy", "ln_vix"]);
  // Recompute one day by hand from the index: V/D = close_t / (0.6 close_{t−252}), σ from 252 log returns.
  const spx = loadSpx(source).select("date", "close").dropNulls().sort("date");
  const dates = dateColumn(spx), close = spx.getColumn("close").toArray() as number[];
  const t = dates.findIndex((d) => d.getTime() === obs.dates[100].getTime());
  const r = Array.from({ length: 252 }, (_, k) => Math.log(close[t - k] / close[t - k - 1]));
  const m = r.reduce((a, b) => a + b, 0) / 252;
  const sigma = Math.sqrt((r.reduce((a, b) => a + (b - m) ** 2, 0) / 251) * 252);
  const y1 = obs.X[100][1] * sigma - Math.log(close[t] / (0.6 * close[t - 252])) + 0.5 * sigma * sigma;
  assert.ok(y1 > -0.01 && y1 < 0.1, `implied rate ${y1} is a plausible ln(1 + 1-year yield)`);
  assert.throws(
    () => creditStateObservables({ source, start: "2019-01-02", end: "2019-12-31", leverage: 1.2 }),
    /leverage must be < 1/,
  );
});

Deno.test("ratingStateMeans(): 20 ordered quantile groups and a D state beyond the worst", () => {
  const X = Array.from({ length: 400 }, (_, t) => [t / 400, -t / 400]);
  const means = ratingStateMeans(X);
  assert.equal(means.length, 21);
  for (let k = 1; k < 20; k++) assert.ok(means[k][0] > means[k - 1][0] && means[k][1] < means[k - 1][1]);
  assertClose(means[0][0], (0 + 19) / 2 / 400, { atol: 1e-12 }); // the first 20 of 400 rows
  assert.ok(means[20][0] > means[19][0] + 2 && means[20][1] < means[19][1] - 2, "D sits far in the adverse direction");
});

Deno.test("expectedNotch(), periodStateProbabilities(), windowSeries() and lookAheadGap() by hand", () => {
  assert.deepEqual(Array.from(expectedNotch([[1, 0, 0], [0, 0.5, 0.5]])), [0, 1.5]);
  const dates = ["2024-01-31", "2024-02-29", "2024-03-29", "2024-04-30"].map((d) => new Date(`${d}T00:00:00Z`));
  const proba = [[1, 0], [0, 1], [0.5, 0.5], [0, 1]];
  assert.deepEqual(periodStateProbabilities(dates, proba), {
    columns: ["2024 Q1", "2024 Q2"],
    values: [[0.5, 0], [0.5, 1]],
  });
  const w = windowSeries(dates, { a: [1, 2, 3, 4] }, "2024-02-01", "2024-03-31");
  assert.deepEqual(w.series.a, [2, 3]);
  assert.deepEqual(
    episodeColumnMarks([{ name: "Covid", short: "Covid", peak: "2020-03-23" }, { name: "x", peak: "1990-01-01" }], [
      "2020 Q1",
      "2020 Q2",
    ]),
    [{ column: "2020 Q1", label: "Covid" }],
  );
  const gap = lookAheadGap([[1, 0, 0], [0, 0, 1]], [[1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(gap, { mean: 0.5, max: 1, aboveOne: 0 });
});

Deno.test("simulateHMM() is reproducible and decodeAccuracy() is perfect for well-separated states", () => {
  const p = {
    startProb: [0.5, 0.5],
    transMat: [[0.95, 0.05], [0.05, 0.95]],
    means: [[0], [10]],
    variances: [[1], [1]],
  };
  const a = simulateHMM(p, 500, 3), b = simulateHMM(p, 500, 3);
  assert.deepEqual(a, b);
  const acc = decodeAccuracy(GaussianHMM.fromParams(p), a.X, a.states);
  assert.deepEqual(acc, { viterbi: 1, smoothed: 1, filtered: 1 });
  // The simulated chain has the stated persistence: about 5 % switches (sd ≈ 1 %).
  const switches = a.states.filter((s, t) => t > 0 && s !== a.states[t - 1]).length / 499;
  assertClose(switches, 0.05, { atol: 0.03 });
});

Deno.test("credit-state helpers refuse what gave NaN or an engine error, naming the argument", () => {
  assert.throws(() => expectedNotch([[0.5, 0.5], [NaN, 1]]), {
    name: "RangeError",
    message: "Cannot compute expected notch: proba[1][0] must be finite, received NaN",
  });
  assert.throws(() => expectedNotch([[0.5, 0.6]]), /proba\[0\] must be a row summing to 1/);
  assert.deepEqual(Array.from(expectedNotch([[0.5, 0.5], [0.2, 0.8]])), [0.5, 0.8]); // Σ k·p(k)
  const days = [1, 2, 3].map((d) => new Date(Date.UTC(2024, 0, d)));
  const proba = [[0.5, 0.5], [0.2, 0.8], [0.1, 0.9]];
  assert.throws(() => periodStateProbabilities([days[0], new Date(NaN), days[2]], proba), {
    message: "Cannot average state probabilities: dates[1] must be a valid Date, received an invalid Date",
  });
  assert.throws(() => periodStateProbabilities(days, proba, { period: "week" as never }), /period must be one of/);
  assert.throws(() => lookAheadGap([], []), /filtered must be a matrix with at least 1 rows/);
  assert.throws(() => lookAheadGap([[0.5, 0.5]], [[1]]), /smoothed must be rows of 2 states like filtered/);
  assert.throws(() => decodeAccuracy({} as never, [[0]], [0]), {
    name: "TypeError",
    message: /model must be a GaussianHMM/,
  });
  const hmm = GaussianHMM.fromParams({
    startProb: [0.5, 0.5],
    transMat: [[0.9, 0.1], [0.2, 0.8]],
    means: [[0], [3]],
    variances: [[1], [1]],
  });
  assert.throws(() => decodeAccuracy(hmm, [[0], [1]], [0, 2]), /truth\[1\] must be an integer in \[0, 1\]/);
  assert.throws(() => stateSummary(hmm, [0, 1]), /model must be a model on the credit-state features/);
  assert.throws(() => windowSeries([days[0], 7 as never], { a: [1, 2] }, "2024-01-01", "2024-01-02"), {
    name: "TypeError",
    message: /dates\[1\] must be a Date, received 7/,
  });
  assert.throws(() => windowSeries(days, { a: [1, 2, 3] }, "2024-01-01", "2024-02-30"), /end must be an ISO date/);
  assert.throws(() => episodeColumnMarks([{ name: "x", peak: 7 as never }], ["2020-01"]), /episodes\[0\].peak/);
  assert.throws(() => episodeColumnMarks(null as never, []), {
    name: "TypeError",
    message: /episodes must be an array/,
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The ordered market-state model (issue 15): states never relabelled, the band in notch order.

const D = 20;
/** Allowed daily moves, built here independently of the library: |i − j| ≤ band, or to D; D absorbing. */
const allowed = (i: number, j: number, band: number) => (i === D ? j === D : j === D || Math.abs(i - j) <= band);
const stateObs = creditStateObservables({ source, start: "2010-01-04", end: "2014-12-31" });

Deno.test("fitCreditStates(): means monotone by construction, zero outside the band, Viterbi within the band", () => {
  for (const maxJump of [1, 2]) {
    const fit = fitCreditStates(stateObs.X, { source, seed: 3, nInit: 2, maxIter: 40, maxJump });
    const { means, transMat } = fit.model;
    assert.deepEqual(fit.order, Array.from({ length: 21 }, (_, k) => k), "states are not relabelled");
    for (let k = 1; k < 21; k++) {
      assert.ok(means[k][0] >= means[k - 1][0], `ln HY OAS non-decreasing at notch ${k}`);
      assert.ok(means[k][1] <= means[k - 1][1], `DD non-increasing at notch ${k}`);
    }
    for (let i = 0; i < 21; i++) {
      for (let j = 0; j < 21; j++) {
        if (!allowed(i, j, maxJump)) assert.equal(transMat[i][j], 0, `A[${i}][${j}] outside the ±${maxJump} band`);
        else assert.ok(transMat[i][j] > 0, `allowed A[${i}][${j}] keeps prior mass`);
      }
    }
    assert.equal(transMat[D][D], 1);
    for (let i = 0; i < D; i++) assert.ok(transMat[i][D] > 0, `notch ${i} can default`);
    assert.ok(fit.bandKept && fit.zeroAllowed === 0);
    const path = fit.model.decode(stateObs.X).states;
    assert.deepEqual(Array.from(fit.path), path);
    for (let t = 1; t < path.length; t++) {
      assert.ok(Math.abs(path[t] - path[t - 1]) <= maxJump || path[t] === D, `Viterbi move at day ${t}`);
    }
    // Start distribution: uniform over AAA … CC/C, kept fixed by EM.
    assert.deepEqual(fit.model.startProb, [...new Array(20).fill(1 / 20), 0]);
    assertClose(fit.logLikelihood, fit.model.score(stateObs.X), { rtol: 1e-12 });
    // D is never visited by a market that does not default: not estimated, shown without means.
    assert.equal(fit.estimated[D], false);
    const rows = stateSummary(fit.model, path, { estimated: fit.estimated });
    assert.equal(rows[D].fitted, "not estimated");
    assert.equal(rows[D]["HY OAS (bp)"], null);
    assert.equal(rows[D].VIX, null);
  }
});

Deno.test("fitCreditStates(): a heavy prior pins the transitions to S&P's daily matrix on the band (MAP limit)", () => {
  // Independent reference: S&P's notch matrix → generator → exp(Q/252), restricted to the band and renormalised.
  const { generator } = ratingGenerator(notchTransitionMatrix(loadRatingTransitions(source)));
  const daily = transitionMatrixForStep(generator, 1 / 252);
  const reference = daily.map((row, i) => {
    const kept = row.map((p, j) => (allowed(i, j, 2) ? p : 0));
    const total = kept.reduce((a, b) => a + b, 0);
    return kept.map((p) => p / total);
  });
  const years = 1e6, T = stateObs.X.length;
  const fit = fitCreditStates(stateObs.X, { source, seed: 1, nInit: 1, maxIter: 5, priorYears: years });
  // Aᵢⱼ = (ξᵢⱼ + αᵢⱼ) / (nᵢ + Σⱼ αᵢⱼ) with nᵢ ≤ T: |Aᵢⱼ − priorᵢⱼ| ≤ T / (years · 252).
  for (let i = 0; i < 21; i++) {
    for (let j = 0; j < 21; j++) {
      assertClose(fit.prior[i][j], reference[i][j], { atol: 1e-12 });
      assertClose(fit.model.transMat[i][j], reference[i][j], { atol: T / (years * 252) });
    }
  }
});

Deno.test("fitCreditStates(): several starts, the best objective kept, path agreement measured against it", () => {
  const fit = fitCreditStates(stateObs.X, { source, seed: 5, nInit: 3, maxIter: 30 });
  assert.equal(fit.starts.length, 3);
  for (const s of fit.starts) assert.ok(s.logPosterior <= fit.starts[fit.best].logPosterior);
  assert.deepEqual(fit.stability.perStart[fit.best], { exact: 1, withinOne: 1 });
  const others = fit.stability.perStart.filter((_, k) => k !== fit.best);
  assertClose(fit.stability.exactAgreement, (others[0].exact + others[1].exact) / 2, { atol: 1e-15 });
  for (const o of others) assert.ok(o.withinOne >= o.exact && o.exact >= 0 && o.withinOne <= 1);
  const one = fitCreditStates(stateObs.X, { source, seed: 5, nInit: 1, maxIter: 30 });
  assert.deepEqual([one.stability.exactAgreement, one.stability.withinOneAgreement], [1, 1]);
  // Start 0 is the same in both runs (equal quantile groups): the same model.
  assertClose(one.starts[0].logLikelihood, fit.starts[0].logLikelihood, { rtol: 1e-12 });
  assert.throws(() => fitCreditStates(stateObs.X, { source, priorYears: -1 }), /priorYears/);
  assert.throws(
    () => fitCreditStates(stateObs.X, { source, features: ["ln_vix", "treasury_10y", "ln_hy_oas"] }),
    /features must be a list with dd_proxy/,
  );
  assert.throws(() => fitCreditStates(stateObs.X.map((r) => r.slice(0, 2)), { source }), /X must be 3 or 4 columns/);
});

Deno.test("creditStateObservables({ rates }): the 10-year yield as the third column, in the frame either way", () => {
  const a = creditStateObservables({ source, start: "2019-01-02", end: "2019-03-29" });
  const b = creditStateObservables({ source, start: "2019-01-02", end: "2019-03-29", rates: true });
  assert.deepEqual(a.features, ["ln_hy_oas", "dd_proxy", "ln_vix"]);
  assert.deepEqual(b.features, ["ln_hy_oas", "dd_proxy", "treasury_10y", "ln_vix"]);
  assert.deepEqual(a.X.map((r) => r[2]), b.X.map((r) => r[3]));
  assert.deepEqual(a.frame.getColumn("treasury_10y").toArray(), b.X.map((r) => r[2]));
});

Deno.test("ratingStateMeans() with widths and stateSummary() path means, by hand", () => {
  const X = Array.from({ length: 420 }, (_, t) => [t]);
  // Widths 2, 1, …, 1 (total 21): the first group holds floor(2·420/21) = 40 rows, the next floor(3·420/21) − 40 = 20.
  const means = ratingStateMeans(X, [2, ...new Array(19).fill(1)]);
  assert.equal(means[0][0], 19.5);
  assert.equal(means[1][0], 49.5);
  assert.throws(() => ratingStateMeans(X, [1, 2]), /widths must be 20 finite numbers > 0/);
  const hmm = GaussianHMM.fromParams({
    startProb: [1, 0],
    transMat: [[0.9, 0.1], [0, 1]],
    means: [[Math.log(0.04), 3, Math.log(20)], [Math.log(0.08), 1, Math.log(40)]],
    variances: [[1, 1, 1], [1, 1, 1]],
  });
  const rows = stateSummary(hmm, [0, 0, 1], { observed: { y: [1, 3, 5] }, estimated: [true, false] });
  assertClose(rows[0]["HY OAS (bp)"] as number, 400, { rtol: 1e-12 });
  assertClose(rows[0].VIX as number, 20, { rtol: 1e-12 });
  assert.deepEqual([rows[0].y, rows[1].y, rows[1].DD, rows[1].fitted], [2, 5, null, "not estimated"]);
  assert.equal(rows[0]["daily stay"], 0.9);
});
