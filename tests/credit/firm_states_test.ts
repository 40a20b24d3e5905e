import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import {
  firmStateMask,
  firmStateObservables,
  firmStatePrior,
  fitFirmCreditStates,
  pdNotchBounds,
  walkForwardFirmStates,
} from "../../lib/credit/firm_states.ts";
import { GaussianHMM } from "../../lib/credit/hmm.ts";
import {
  compoundTransitions,
  notchPdScale,
  notchTransitionMatrix,
  pdsToNotches,
  ratingGenerator,
  transitionMatrixForStep,
} from "../../lib/credit/ratings.ts";
import { businessDays } from "../../lib/core/calendar.ts";
import { makeRng, standardNormal, uniform } from "../../lib/core/rng.ts";
import { normInv, normLogCdf } from "../../lib/core/special.ts";
import { loadRatingTransitions } from "../../lib/data/load.ts";
import { directorySource } from "../../lib/data/source.ts";

const table = loadRatingTransitions(directorySource("tests/fixtures/market"));
const weekly = firmStatePrior(table, { step: "weekly" });
const FEATURES = ["dd", "log_pd", "log_cds_spread"] as const;
const D = 20;

/** Monday of a date's week as an ISO string: the week key, computed independently of the library. */
const mondayOf = (d: Date) => new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);

/** True emission means of notch k: DD falls 0.45 a notch, the CDS spread rises 22 % a notch. */
const trueDd = (k: number) => 9 - 0.45 * k;
const trueLogSpread = (k: number) => Math.log(0.0005) + 0.22 * k;

interface FirmSpec {
  start: string;
  end: string;
  first: number;
  /** The next week's notch from this week's, a uniform draw and the week number. */ next: (
    k: number,
    u: number,
    w: number,
  ) => number;
  /** True DD of a notch and the daily DD noise (default trueDd, 0.12). */ dd?: (k: number) => number;
  ddNoise?: number;
}

/** A random walk of ±1 notch a week with probability `p` each way, reflected at min and max. */
const reflected = (min: number, max: number, p: number) => (k: number, u: number) =>
  u < p ? (k === min ? k + 1 : k - 1) : u < 2 * p ? (k === max ? k - 1 : k + 1) : k;

/**
 * A firm on NYSE trading days whose notch moves once a week (`next`) and whose daily observations are drawn given
 * the week's notch: DD ~ N(dd_k, noise²), ln PD = ln N(−DD), ln CDS ~ N(spread_k, 0.06²). The week-end observations
 * then follow a weekly HMM exactly.
 */
function simulateFirm(seed: string, spec: FirmSpec) {
  const rng = makeRng(seed, "firm-states-test");
  const dates = businessDays(spec.start, spec.end), ddOf = spec.dd ?? trueDd, noise = spec.ddNoise ?? 0.12;
  const notch: number[] = [], X: number[][] = [];
  let k = spec.first, week = "", w = 0;
  for (const d of dates) {
    if (mondayOf(d) !== week && week !== "") k = spec.next(k, uniform(rng), ++w);
    week = mondayOf(d);
    const dd = ddOf(k) + noise * standardNormal(rng);
    notch.push(k);
    X.push([dd, normLogCdf(-dd), trueLogSpread(k) + 0.06 * standardNormal(rng)]);
  }
  return { dates, X, notch };
}

/** The week-end rows (last trading day of each week that is followed by a later week), by the Monday key. */
function weekEnds(dates: readonly Date[]): number[] {
  const ends: number[] = [];
  for (let t = 0; t + 1 < dates.length; t++) if (mondayOf(dates[t + 1]) !== mondayOf(dates[t])) ends.push(t);
  return ends;
}

const monotone = (values: number[], direction: "increasing" | "decreasing") =>
  values.every((v, k) => k === 0 || (direction === "increasing" ? v >= values[k - 1] : v <= values[k - 1]));

/** Every ordering and band property a fitted firm model must have, checked from the rules, not from the fit. */
function checkFirmModel(model: GaussianHMM, bounds: { min: number; max: number }, band: number, label: string) {
  const column = (f: number) => model.means.map((m) => m[f]);
  assert.ok(monotone(column(0), "decreasing"), `${label}: DD means ${column(0).map((v) => v.toFixed(2))}`);
  assert.ok(monotone(column(1), "increasing"), `${label}: ln PD means`);
  if (model.means[0].length > 2) assert.ok(monotone(column(2), "increasing"), `${label}: ln spread means`);
  model.transMat.forEach((row, i) =>
    row.forEach((p, j) => {
      const inBand = j === D || (Math.abs(i - j) <= band && j >= bounds.min && j <= bounds.max);
      if (i === D ? j !== D : !inBand) assert.equal(p, 0, `${label}: transMat[${i}][${j}] = ${p} outside the band`);
    })
  );
  assert.equal(model.transMat[D][D], 1, `${label}: D absorbing`);
}

Deno.test("firmStatePrior(): the weekly matrix compounded over 52 weeks is the one-year notch matrix", () => {
  const oneYear = notchTransitionMatrix(table);
  for (const [step, n] of [["weekly", 52], ["monthly", 12]] as const) {
    const prior = firmStatePrior(table, { step });
    const compounded = compoundTransitions(prior.matrix, n); // = exp(Q), which is within oneYearError of P(1)
    let err = 0;
    for (let i = 0; i < 21; i++) {
      for (let j = 0; j < 21; j++) err = Math.max(err, Math.abs(compounded[i][j] - oneYear[i][j]));
    }
    assert.ok(err <= prior.oneYearError + 1e-9, `${step}: ${err} vs ${prior.oneYearError}`);
    assert.equal(prior.matrix[D][D], 1);
    prior.matrix.forEach((row) => assertClose(row.reduce((a, b) => a + b, 0), 1, { atol: 1e-12 }));
  }
  // The same as building it from ratings.ts by hand.
  const byHand = transitionMatrixForStep(ratingGenerator(oneYear).generator, 1 / 52);
  assert.deepEqual(weekly.matrix, byHand);
  assert.throws(
    () => firmStatePrior(table, { step: "hourly" as "daily" }),
    /step must be "daily", "weekly" or "monthly"/,
  );
});

Deno.test("firmStateMask(): moves within the band and the bounds, D reachable and absorbing", () => {
  for (const jumpToDefault of [true, false]) {
    const mask = firmStateMask({ band: 2, bounds: { min: 3, max: 12 }, jumpToDefault });
    for (let i = 0; i < 21; i++) {
      for (let j = 0; j < 21; j++) {
        const expected = i === D
          ? j === D
          : j === D
          ? jumpToDefault || D - i <= 2 || !(Math.max(3, i - 2) <= Math.min(12, i + 2))
          : j >= 3 && j <= 12 && Math.abs(i - j) <= 2;
        assert.equal(mask[i][j], expected, `jumpToDefault ${jumpToDefault}: mask[${i}][${j}]`);
      }
    }
  }
  assert.throws(
    () => firmStateMask({ bounds: { min: 5, max: 20 } }),
    /bounds must be integer notches 0 ≤ min ≤ max ≤ 19/,
  );
  assert.throws(() => firmStateMask({ band: 0 }), /band must be an integer in \[1, 20\], received 0/);
});

Deno.test("firmStateObservables(): ln PD = ln N(−DD) in log space, spreads logged, columns labelled", () => {
  const { X, features } = firmStateObservables({ distanceToDefault: [2, 10, 40], mertonSpread: [0.01, 0.02, 0.03] });
  assert.deepEqual(features, ["dd", "log_pd", "log_merton_spread"]);
  // /usr/bin/python3: scipy.stats.norm.logcdf(-2), (-10), (-40)
  const scipy = [-3.7831843336820317, -53.23128515051248, -804.6084420137539];
  X.forEach((row, t) => assertClose(row[1], scipy[t], { rtol: 1e-13 }));
  assertClose(X[1][2], Math.log(0.02), { rtol: 1e-15 });
  const given = firmStateObservables({
    distanceToDefault: [1, 2],
    defaultProbability: [0.1, 0.2],
    cdsSpread: [0.01, 0.02],
  });
  assert.deepEqual(given.features, ["dd", "log_pd", "log_cds_spread"]);
  assert.equal(given.X[1][1], Math.log(0.2));
  assert.throws(() => firmStateObservables({ distanceToDefault: [1, NaN] }), /distanceToDefault\[1\] must be finite/);
  assert.throws(
    () => firmStateObservables({ distanceToDefault: [1, 2], cdsSpread: [0.01, -0.01] }),
    /cdsSpread\[1\] must be a finite spread > 0, received -0.01/,
  );
  assert.throws(() => firmStateObservables({ distanceToDefault: [1], cds: [1] } as never), /unknown option p.cds/);
});

Deno.test("pdNotchBounds(): quantiles of the PD-implied notches, padded and kept within AAA..CC/C", () => {
  const scale = notchPdScale(table);
  const rng = makeRng(3, "bounds");
  const pd = Array.from({ length: 400 }, () => Math.exp(-6 + 1.5 * standardNormal(rng)));
  const notches = Array.from(pdsToNotches(pd, scale)).sort((a, b) => a - b);
  const bounds = pdNotchBounds(pd, scale, { lower: 0.1, upper: 0.9, pad: 1 });
  assert.deepEqual(bounds, { min: Math.max(0, notches[40] - 1), max: Math.min(19, notches[360] + 1) });
  assert.deepEqual(pdNotchBounds([1e-9], scale, { pad: 3 }), { min: 0, max: 3 });
  assert.deepEqual(pdNotchBounds([0.9], scale, { pad: 2 }).max, 19);
});

Deno.test("fitFirmCreditStates(): ordered notches, band kept, bounds forbidden, start not a point mass", () => {
  const bounds = { min: 6, max: 13 };
  const firm = simulateFirm("fit", { start: "2012-01-02", end: "2017-12-29", first: 9, next: reflected(6, 13, 0.12) });
  const ends = weekEnds(firm.dates);
  const X = ends.map((t) => firm.X[t]), truth = ends.map((t) => firm.notch[t]);
  const fit = fitFirmCreditStates(X, { features: [...FEATURES], prior: weekly, bounds, nStarts: 3, seed: 7 });
  checkFirmModel(fit.model, bounds, 2, "fit");
  assert.ok(fit.ordering.every((o) => o.monotone) && fit.bandKept);
  // Start distribution: uniform over the 8 notches of the bounds, fixed by EM, zero elsewhere and on D.
  fit.model.startProb.forEach((p, k) => assert.equal(p, k >= 6 && k <= 13 ? 1 / 8 : 0, `startProb[${k}]`));
  // Notches outside the bounds are never entered.
  const filtered = fit.model.filterProba(X);
  for (const row of filtered) for (let k = 0; k < 21; k++) if (k < 6 || k > 13) assert.equal(row[k], 0);
  // The fit is at least as likely as the generating parameters written as a weekly HMM with the same start
  // distribution (ln PD's variance by the delta method, d ln N(−x)/dx ≈ −x): EM climbs past them.
  const move = (i: number, j: number) => {
    if (i < 6 || i > 13) return j === i ? 1 : 0; // never entered
    if (j === i) return 0.76;
    if (Math.abs(i - j) !== 1 || j < 6 || j > 13) return 0;
    return i === 6 || i === 13 ? 0.24 : 0.12; // reflected at the bounds
  };
  const generating = GaussianHMM.fromParams({
    startProb: fit.model.startProb,
    transMat: Array.from({ length: 21 }, (_, i) => Array.from({ length: 21 }, (_, j) => move(i, j))),
    means: Array.from({ length: 21 }, (_, k) => [trueDd(k), normLogCdf(-trueDd(k)), trueLogSpread(k)]),
    variances: Array.from({ length: 21 }, (_, k) => [0.0144, 0.0144 * Math.max(1, trueDd(k) ** 2), 0.0036]),
  });
  // Without the Dirichlet prior (priorYears 0) EM is plain maximum likelihood.
  const mle = fitFirmCreditStates(X, { features: [...FEATURES], prior: weekly, bounds, nStarts: 1, priorYears: 0 });
  assert.ok(mle.logLikelihood >= generating.score(X), `${mle.logLikelihood} vs ${generating.score(X)}`);
  checkFirmModel(mle.model, bounds, 2, "maximum likelihood");
  // With notches 0.45 DD apart and DD noise 0.12, the decoded path finds the true notch most weeks.
  const hit = fit.path.filter((s, w) => s === truth[w]).length / truth.length;
  const near = fit.path.filter((s, w) => Math.abs(s - truth[w]) <= 1).length / truth.length;
  assert.ok(hit > 0.9 && near > 0.99, `exact ${hit}, within one ${near}`);
  // Stability across the starts: the best agrees with itself; the spread is max − min of the starts.
  const lls = fit.starts.map((s) => s.logLikelihood), posts = fit.starts.map((s) => s.logPosterior);
  const best = posts.indexOf(Math.max(...posts)); // EM's objective picks the start
  assert.equal(fit.logLikelihood, lls[best]);
  assertClose(fit.logLikelihood, fit.model.score(X), { rtol: 1e-12 });
  assertClose(fit.stability.logLikelihoodSpread, Math.max(...lls) - Math.min(...lls), { atol: 1e-12 });
  assert.deepEqual(fit.stability.perStart[best], { exact: 1, withinOne: 1 });
  assert.ok(fit.stability.withinOneAgreement >= fit.stability.exactAgreement);
  const single = fitFirmCreditStates(X, { features: [...FEATURES], prior: weekly, bounds, nStarts: 1 });
  assert.deepEqual([single.stability.exactAgreement, single.stability.logLikelihoodSpread], [1, 0]);
});

Deno.test("fitFirmCreditStates() stays ordered on adversarial data: a spread regime unrelated to DD", () => {
  // The 10-year-yield failure of notebook 06: the spread carries a level shift in time (a rate regime) while DD
  // wanders on its own. The fitted notches stay ordered in DD and spread; the band holds.
  const rng = makeRng(11, "adversarial-firm");
  let dd = 5;
  const X = Array.from({ length: 400 }, (_, w) => {
    dd += 0.05 * (5 - dd) + 0.25 * standardNormal(rng);
    const regime = Math.floor(w / 100) % 2 === 0 ? 0 : 0.8; // +0.8 in ln spread in every other 100-week block
    return [dd, normLogCdf(-dd), Math.log(0.003) + regime + 0.3 * (5 - dd) + 0.05 * standardNormal(rng)];
  });
  for (const band of [1, 2]) {
    const bounds = { min: 2, max: 15 };
    const fit = fitFirmCreditStates(X, { features: [...FEATURES], prior: weekly, bounds, band, nStarts: 2, seed: 3 });
    checkFirmModel(fit.model, bounds, band, `band ${band}`);
    // The Viterbi path never moves more than the band in one step.
    for (let w = 1; w < fit.path.length; w++) assert.ok(Math.abs(fit.path[w] - fit.path[w - 1]) <= band);
  }
});

Deno.test("fitFirmCreditStates() rejects bad options and data, naming them", () => {
  const X = Array.from({ length: 60 }, (_, t) => [3 + Math.sin(t), -5 + Math.cos(t)]);
  const base = { features: ["dd", "log_pd"] as ("dd" | "log_pd")[], prior: weekly };
  assert.throws(
    () => fitFirmCreditStates(X, { ...base, nstarts: 2 } as never),
    /unknown option opts.nstarts; did you mean opts.nStarts/,
  );
  assert.throws(
    () => fitFirmCreditStates(X, { ...base, features: ["dd", "vix" as "dd"] }),
    /features\[1\] must be one of dd, log_pd/,
  );
  assert.throws(
    () => fitFirmCreditStates(X, { ...base, features: ["dd", "dd"] }),
    /features\[1\] must be a feature not listed before/,
  );
  assert.throws(() => fitFirmCreditStates(X, { ...base, features: ["dd"] }), /X must be 1 columns/);
  const sp = Array.from({ length: 21 }, (_, k) => (k === 0 ? 1 : 0));
  assert.throws(
    () => fitFirmCreditStates(X, { ...base, bounds: { min: 2, max: 9 }, startProb: sp }),
    /startProb\[0\] must be 0 \(outside the bounds or D\), received 1/,
  );
  assert.throws(
    () => fitFirmCreditStates(X.slice(0, 20), base),
    /X must be at least 42 rows for 20 notches in the bounds/,
  );
  const constant = X.map((r) => [r[0], -5]);
  assert.throws(() => fitFirmCreditStates(constant, base), /X column 1 \(log_pd\) must not be constant/);
  const bad = X.map((r, t) => (t === 7 ? [NaN, r[1]] : r));
  assert.throws(() => fitFirmCreditStates(bad, base), /X\[7\]\[0\] must be finite, received NaN/);
});

// ---------------------------------------------------------------------------------------------------------------
// Walk-forward.

// A firm that visits all its notches in the two years before the first fit, so quantile labels match the truth.
const wfFirm = simulateFirm("walk-forward", {
  start: "2014-01-02",
  end: "2017-12-29",
  first: 7,
  next: reflected(5, 10, 0.15),
});
const wfOpts = { features: [...FEATURES], prior: weekly, bounds: { min: 5, max: 10 }, nStarts: 2, seed: 5 };
const wf = walkForwardFirmStates(wfFirm.X, wfFirm.dates, wfOpts);

Deno.test("walkForwardFirmStates(): monthly refits on data strictly before each refit, ordered and banded", () => {
  const ends = weekEnds(wfFirm.dates);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  for (const [m, r] of wf.refits.entries()) {
    const day = wfFirm.dates.findIndex((d) => d.getTime() === r.date.getTime());
    assert.notEqual(iso(wfFirm.dates[day - 1]).slice(0, 7), iso(r.date).slice(0, 7), `refit ${m} opens a month`);
    assert.ok(r.trainEnd < r.date);
    assert.equal(r.observations, ends.filter((e) => e < day).length, `refit ${m}: week-ends before it`);
    assert.ok(r.ordered && r.bandKept);
    checkFirmModel(r.model, wfOpts.bounds, 2, `refit ${m}`);
  }
  // The first refit is the first month start with two years of week-ends (104) before it; then one a month.
  const monthStarts = wfFirm.dates.flatMap((
    d,
    t,
  ) => (t > 0 && iso(d).slice(0, 7) !== iso(wfFirm.dates[t - 1]).slice(0, 7) ? [t] : []));
  const enough = monthStarts.filter((t) => ends.filter((e) => e < t).length >= 104);
  assert.deepEqual(wf.refits.map((r) => iso(r.date)), enough.map((t) => iso(wfFirm.dates[t])));
  assert.equal(wf.dates[0].getTime(), wf.refits[0].date.getTime());
  // Every date uses the parameters of the latest refit on or before it.
  wf.dates.forEach((d, r) => {
    const refit = wf.refits[wf.refit[r]];
    assert.ok(refit.date <= d && (wf.refit[r] + 1 === wf.refits.length || wf.refits[wf.refit[r] + 1].date > d));
  });
});

Deno.test("walkForwardFirmStates(): day t's probabilities are the weekly filter with day t standing for its week", () => {
  const ends = weekEnds(wfFirm.dates);
  for (const r of [0, 7, 100, 333, wf.dates.length - 1]) {
    const t = wf.index[r], model = wf.refits[wf.refit[r]].model;
    const week = mondayOf(wfFirm.dates[t]);
    const before = ends.filter((e) => mondayOf(wfFirm.dates[e]) < week).map((e) => wfFirm.X[e]);
    const reference = model.filterProba([...before, wfFirm.X[t]]).at(-1)!;
    for (let k = 0; k < 21; k++) assertClose(wf.proba[r][k], reference[k], { atol: 1e-12 }, `row ${r} notch ${k}`);
  }
  for (let r = 0; r < wf.dates.length; r++) {
    const p = wf.proba[r];
    assertClose(p.reduce((a, b) => a + b, 0), 1, { atol: 1e-12 });
    for (let k = 0; k < 21; k++) if (k < 5 || (k > 10 && k < D)) assert.equal(p[k], 0);
    assertClose(wf.expectedNotch[r], p.reduce((s, q, k) => s + k * q, 0), { atol: 1e-12 });
    assert.equal(p[wf.mostLikelyNotch[r]], Math.max(...p));
  }
  // Causal and still informative: the filtered notch is within one of the truth on most days.
  const near = wf.mostLikelyNotch.filter((k, r) => Math.abs(k - wfFirm.notch[wf.index[r]]) <= 1).length;
  assert.ok(near / wf.dates.length > 0.9, `within one notch on ${near} of ${wf.dates.length} days`);
});

Deno.test("walkForwardFirmStates() never looks ahead: changing or dropping data after t leaves everything up to t", () => {
  const cut = wfFirm.dates.findIndex((d) => d.toISOString().slice(0, 10) === "2016-09-14"); // a Wednesday
  const rng = makeRng(9, "perturb");
  const perturbed = wfFirm.X.map((row, t) => (t <= cut ? row : row.map((v) => v + 2 * standardNormal(rng) - 1)));
  const other = walkForwardFirmStates(perturbed, wfFirm.dates, wfOpts);
  const truncated = walkForwardFirmStates(wfFirm.X.slice(0, cut + 1), wfFirm.dates.slice(0, cut + 1), wfOpts);
  const upTo = wf.index.findIndex((t) => t > cut);
  assert.ok(upTo > 100 && other.proba.slice(upTo).some((p, r) => p.some((q, k) => q !== wf.proba[upTo + r][k])));
  for (const run of [other, truncated]) {
    assert.deepEqual(run.proba.slice(0, upTo), wf.proba.slice(0, upTo));
    assert.deepEqual(run.expectedNotch.slice(0, upTo), wf.expectedNotch.slice(0, upTo));
    assert.deepEqual(run.mostLikelyNotch.slice(0, upTo), wf.mostLikelyNotch.slice(0, upTo));
    const refits = (x: typeof wf) => x.refits.filter((r) => r.date <= wfFirm.dates[cut]);
    const strip = (x: typeof wf) =>
      refits(x).map(({ outOfSampleLogScore: _o, outOfSampleObservations: _n, ...r }) => r);
    assert.deepEqual(strip(run), strip(wf));
  }
});

Deno.test("walkForwardFirmStates() with a daily step: each date is one step of the filter", () => {
  const daily = firmStatePrior(table, { step: "daily" });
  const short = { X: wfFirm.X.slice(0, 700), dates: wfFirm.dates.slice(0, 700) };
  const run = walkForwardFirmStates(short.X, short.dates, { ...wfOpts, prior: daily, minTrain: 500, nStarts: 1 });
  for (const r of [0, 50, run.dates.length - 1]) {
    const t = run.index[r], model = run.refits[run.refit[r]].model;
    const reference = model.filterProba(short.X.slice(0, t + 1)).at(-1)!;
    for (let k = 0; k < 21; k++) assertClose(run.proba[r][k], reference[k], { atol: 1e-12 });
  }
  assert.equal(run.step, "daily");
});

Deno.test('walkForwardFirmStates() with anchor "pd": absolute notches, even for a regime the first fit never saw', () => {
  // True notches on S&P's PD scale: DD_k = −Φ⁻¹(PD_k). The firm spends 2014–15 around BBB+..BBB− (7..9) and then
  // falls to BB−..B (12..14), never seen before the first refit. Range labels saturate; PD anchors have notches
  // waiting there.
  const scale = weekly.pdScale, dd = (k: number) => -normInv(scale[k]);
  const next = (k: number, u: number, w: number) => {
    const [lo, hi] = w < 110 ? [7, 9] : w < 130 ? [Math.min(k + 1, 13), Math.min(k + 1, 13)] : [12, 14];
    const step = u < 0.1 ? -1 : u < 0.2 ? 1 : 0;
    return Math.min(hi, Math.max(lo, k + step));
  };
  const firm = simulateFirm("pd-anchor", { start: "2014-01-02", end: "2017-12-29", first: 8, next, dd, ddNoise: 0.03 });
  const opts = { features: [...FEATURES], prior: weekly, bounds: { min: 4, max: 16 }, nStarts: 2, seed: 1 };
  const pd = walkForwardFirmStates(firm.X, firm.dates, { ...opts, anchor: "pd" });
  const quantile = walkForwardFirmStates(firm.X, firm.dates, opts);
  const late = (run: typeof pd) => Array.from(run.index).flatMap((t, r) => (firm.notch[t] >= 12 ? [r] : []));
  const near = (run: typeof pd, rows: number[]) =>
    rows.filter((r) => Math.abs(run.mostLikelyNotch[r] - firm.notch[run.index[r]]) <= 1).length / rows.length;
  assert.ok(late(pd).length > 300);
  // PD anchors find the new regime within one notch on most of its days; range labels, spread over the notches
  // the first two years showed, saturate at the bottom of that range and almost never do.
  assert.ok(near(pd, late(pd)) > 0.7, `pd anchor: ${near(pd, late(pd))}`);
  assert.ok(near(quantile, late(quantile)) < 0.1, `range anchor: ${near(quantile, late(quantile))}`);
  for (const r of pd.refits) checkFirmModel(r.model, opts.bounds, 2, "pd anchor");
  // The start distribution is spread over the notches of the first observations' PDs, never a point mass.
  const start = pd.initial.startProb;
  assert.ok(Math.max(...start) < 0.9 && start.filter((p) => p > 0).length === 13);
  assert.ok(start[8] > start[4] && start[8] > start[16]);
});

Deno.test("walkForwardFirmStates() rejects bad dates and too little data", () => {
  const dates = [...wfFirm.dates];
  [dates[10], dates[11]] = [dates[11], dates[10]];
  assert.throws(() => walkForwardFirmStates(wfFirm.X, dates, wfOpts), /dates\[11\] must be after the date before it/);
  assert.throws(
    () => walkForwardFirmStates(wfFirm.X.slice(0, 300), wfFirm.dates.slice(0, 300), wfOpts),
    /X must be at least 104 weekly observations before the start of a month/,
  );
  assert.throws(
    () => walkForwardFirmStates(wfFirm.X, wfFirm.dates, { ...wfOpts, warmiter: 1 } as never),
    /unknown option opts.warmiter/,
  );
});
