import assert from "node:assert/strict";
import { assertAllClose, assertClose } from "../_assert.ts";
import { GaussianHMM, type GaussianHMMOptions, isotonicRegression, simulateHMM } from "../../lib/credit/hmm.ts";
import { makeRng, standardNormal } from "../../lib/core/rng.ts";

const small = {
  startProb: [0.6, 0.4],
  transMat: [[0.7, 0.3], [0.4, 0.6]],
  means: [[0], [2]],
  variances: [[1], [0.5]],
};
const X = [[0.1], [1.9], [2.4], [-0.3]];

/** Brute force over all K^T paths: the independent reference. */
function enumerate(p: typeof small, x: number[][]) {
  const K = p.startProb.length, T = x.length;
  const dens = (k: number, v: number) =>
    Math.exp(-0.5 * (v - p.means[k][0]) ** 2 / p.variances[k][0]) / Math.sqrt(2 * Math.PI * p.variances[k][0]);
  const paths: { path: number[]; prob: number }[] = [];
  for (let code = 0; code < K ** T; code++) {
    const path = Array.from({ length: T }, (_, t) => Math.floor(code / K ** t) % K);
    let prob = p.startProb[path[0]] * dens(path[0], x[0][0]);
    for (let t = 1; t < T; t++) prob *= p.transMat[path[t - 1]][path[t]] * dens(path[t], x[t][0]);
    paths.push({ path, prob });
  }
  return paths;
}

Deno.test("score(), decode(), predictProba() and filterProba() match brute-force enumeration of all paths", () => {
  const m = GaussianHMM.fromParams(small);
  const paths = enumerate(small, X);
  const total = paths.reduce((a, p) => a + p.prob, 0);
  assertClose(m.score(X), Math.log(total), { rtol: 1e-12 });
  const best = paths.reduce((a, p) => (p.prob > a.prob ? p : a));
  const v = m.decode(X);
  assert.deepEqual(v.states, best.path);
  assertClose(v.logProb, Math.log(best.prob), { rtol: 1e-12 });
  const smooth = m.predictProba(X);
  for (let t = 0; t < X.length; t++) {
    for (let k = 0; k < 2; k++) {
      const p = paths.filter((q) => q.path[t] === k).reduce((a, q) => a + q.prob, 0) / total;
      assertClose(smooth[t][k], p, { rtol: 1e-10 });
    }
  }
  // Filtered: P(s_t | x_1..x_t) from the paths of the prefix.
  const filtered = m.filterProba(X);
  for (let t = 0; t < X.length; t++) {
    const prefix = enumerate(small, X.slice(0, t + 1));
    const z = prefix.reduce((a, q) => a + q.prob, 0);
    for (let k = 0; k < 2; k++) {
      assertClose(filtered[t][k], prefix.filter((q) => q.path[t] === k).reduce((a, q) => a + q.prob, 0) / z, {
        rtol: 1e-10,
      });
    }
  }
});

Deno.test("bounds restrict the path: the same as enumerating only the paths inside the bounds", () => {
  const three = {
    startProb: [0.5, 0.3, 0.2],
    transMat: [[0.8, 0.15, 0.05], [0.1, 0.7, 0.2], [0.05, 0.25, 0.7]],
    means: [[0], [1], [2.5]],
    variances: [[0.5], [0.4], [1]],
  };
  const m = GaussianHMM.fromParams(three);
  const bounds = { min: 1, max: 2 };
  const inside = enumerate(three, X).filter((q) => q.path.every((k) => k >= 1));
  const total = inside.reduce((a, q) => a + q.prob, 0);
  assertClose(m.score(X, { bounds }), Math.log(total), { rtol: 1e-12 });
  assert.deepEqual(m.decode(X, { bounds }).states, inside.reduce((a, q) => (q.prob > a.prob ? q : a)).path);
  const smooth = m.predictProba(X, { bounds }), filtered = m.filterProba(X, { bounds });
  for (let t = 0; t < X.length; t++) {
    assert.equal(smooth[t][0], 0);
    assert.equal(filtered[t][0], 0);
    const p1 = inside.filter((q) => q.path[t] === 1).reduce((a, q) => a + q.prob, 0) / total;
    assertClose(smooth[t][1], p1, { rtol: 1e-10 });
  }
  assert.ok(m.score(X, { bounds }) < m.score(X), "a restriction can only lower the likelihood");
  assert.throws(() => m.score(X, { bounds: { min: 2, max: 1 } }), /bounds must be integers 0 ≤ min ≤ max ≤ 2/);
  assert.throws(() => m.decode(X, { bounds: { min: 0, max: 3 } }), /received "min 0, max 3"/);
});

Deno.test("filterProba() never looks ahead: appending data leaves earlier filtered rows unchanged", () => {
  const m = GaussianHMM.fromParams(small);
  const a = m.filterProba(X.slice(0, 2)), b = m.filterProba(X);
  assert.deepEqual(b.slice(0, 2), a);
  assert.notDeepEqual(m.predictProba(X).slice(0, 2), m.predictProba(X.slice(0, 2)));
});

Deno.test("fit() recovers a known 3-state HMM, keeps masked transitions at exactly zero and D absorbing", () => {
  const truth = {
    startProb: [1, 0, 0],
    transMat: [[0.97, 0.03, 0], [0.03, 0.969, 0.001], [0, 0, 1]],
    means: [[2, 0], [0, 1], [-3, 3]],
    variances: [[0.3, 0.2], [0.3, 0.2], [0.5, 0.5]],
  };
  const { X, states } = simulateHMM(truth, 3000, 1); // a seed whose path visits all three states for 500+ days
  // The path spends hundreds of days in each state and ends absorbed in default.
  assert.ok([0, 1, 2].every((k) => states.filter((s) => s === k).length > 500) && states.at(-1) === 2);
  const mask = [[true, true, false], [true, true, true], [false, false, true]];
  const m = new GaussianHMM({ nStates: 3, seed: 1, transitionMask: mask, initialMeans: [[2, 0], [0, 1], [-3, 3]] });
  m.fit(X, { maxIter: 200 });
  assert.equal(m.transMat[0][2], 0);
  assert.equal(m.transMat[2][0], 0);
  assert.equal(m.transMat[2][1], 0);
  assert.equal(m.transMat[2][2], 1);
  for (let k = 0; k < 3; k++) for (let f = 0; f < 2; f++) assertClose(m.means[k][f], truth.means[k][f], { atol: 0.1 });
  assertClose(m.transMat[0][0], 0.97, { atol: 0.02 });
  // EM never lowers the likelihood, and the fit beats the true parameters on the sample it was fitted to.
  for (let i = 1; i < m.history.length; i++) assert.ok(m.history[i] >= m.history[i - 1] - 1e-6, `iteration ${i}`);
  assert.ok(m.score(X) >= GaussianHMM.fromParams(truth).score(X) - 1e-6);
  assert.ok(m.converged);
});

Deno.test("a state that is never visited keeps its prior row and mean: no NaN", () => {
  const rng = makeRng(2, "hmm-unvisited");
  const X = Array.from({ length: 500 }, (_, t) => [(t < 250 ? 0 : 5) + 0.3 * standardNormal(rng)]);
  const m = new GaussianHMM({ nStates: 3, nInit: 1, initialMeans: [[0], [5], [1000]] }).fit(X, { maxIter: 20 });
  assert.ok([m.startProb, ...m.transMat, ...m.means, ...m.variances].flat().every(Number.isFinite));
  assert.equal(m.means[2][0], 1000);
  assertClose(m.transMat[2].reduce((a, b) => a + b, 0), 1, { atol: 1e-12 });
});

Deno.test("21 states on T = 100,000: log-likelihood and filtered probabilities stay finite", () => {
  const K = 21;
  const transMat = Array.from(
    { length: K },
    (_, i) => Array.from({ length: K }, (_, j) => (i === K - 1 ? (j === i ? 1 : 0) : i === j ? 0.98 : 0.02 / (K - 1))),
  );
  const model = GaussianHMM.fromParams({
    startProb: Array.from({ length: K }, () => 1 / K),
    transMat,
    means: Array.from({ length: K }, (_, k) => [k, -k / 2, k / 3]),
    variances: Array.from({ length: K }, () => [1, 1, 1]),
  });
  const rng = makeRng(5, "hmm-long");
  const X = Array.from(
    { length: 100_000 },
    (_, t) => [t % 21, -(t % 21) / 2, (t % 21) / 3].map((v) => v + standardNormal(rng)),
  );
  const ll = model.score(X);
  assert.ok(Number.isFinite(ll) && ll < 0, `log-likelihood ${ll}`);
  const f = model.filterProba(X);
  assert.ok(f[99_999].every(Number.isFinite));
  assertClose(f[99_999].reduce((a, b) => a + b, 0), 1, { atol: 1e-9 });
  assert.equal(model.decode(X.slice(0, 2000)).states.length, 2000);
});

Deno.test("GaussianHMM rejects bad parameters and data, naming the argument", () => {
  assert.throws(
    () => GaussianHMM.fromParams({ ...small, transMat: [[0.5, 0.6], [0.4, 0.6]] }),
    /transMat\[0\].*summing to 1/,
  );
  assert.throws(() => GaussianHMM.fromParams({ ...small, variances: [[1], [-1]] }), /variances\[1\]/);
  assert.throws(
    () => GaussianHMM.fromParams(small).score([[0], [NaN]]),
    /X\[1\]\[0\] must be a finite number, received NaN/,
  );
  assert.throws(() => new GaussianHMM({ nStates: 0 }), /nStates/);
  assert.throws(
    () => new GaussianHMM({ nStates: 2, transitionMask: [[false, false], [true, true]] }),
    /transitionMask\[0\]/,
  );
  assert.throws(() => new GaussianHMM({ nStates: 2 }).score([[0]]), /fitted or built/);
});

// ---------------------------------------------------------------------------------------------------------------
// Ordered states, fixed start distributions, the log-space rescue (issue 12).

const isMonotone = (values: number[], direction: "increasing" | "decreasing") =>
  values.every((v, k) => k === 0 || (direction === "increasing" ? v >= values[k - 1] : v <= values[k - 1]));

/** log Σ exp(v) of plain numbers, written out here so the tests do not share the library's kernel. */
function logSum(values: number[]): number {
  const m = Math.max(...values);
  return m === -Infinity ? m : m + Math.log(values.reduce((s, v) => s + Math.exp(v - m), 0));
}

/** Every path of a K-state, one-feature HMM in log space: the reference for the rescue tests. */
function enumerateLog(
  p: { startProb: number[]; transMat: number[][]; means: number[][]; variances: number[][] },
  x: number[][],
) {
  const K = p.startProb.length, T = x.length;
  const logDens = (k: number, v: number) =>
    -0.5 * Math.log(2 * Math.PI * p.variances[k][0]) - 0.5 * (v - p.means[k][0]) ** 2 / p.variances[k][0];
  const paths: { path: number[]; logProb: number }[] = [];
  for (let code = 0; code < K ** T; code++) {
    const path = Array.from({ length: T }, (_, t) => Math.floor(code / K ** t) % K);
    let lp = Math.log(p.startProb[path[0]]) + logDens(path[0], x[0][0]);
    for (let t = 1; t < T && lp > -Infinity; t++) {
      lp += Math.log(p.transMat[path[t - 1]][path[t]]) + logDens(path[t], x[t][0]);
    }
    if (lp > -Infinity) paths.push({ path, logProb: lp });
  }
  return paths;
}

Deno.test("isotonicRegression() matches scikit-learn's weighted IsotonicRegression, and the minGap QP", () => {
  const y = [3.0, 1.0, 2.5, 4.0, 3.2, 3.1, 6.0, 5.0], w = [1.0, 2.0, 0.5, 1.0, 3.0, 1.0, 0.2, 1.8];
  // /usr/bin/python3: IsotonicRegression(increasing=True).fit_transform(np.arange(8), y, sample_weight=w)
  const sklearnIncreasing = [1.6666666666666667, 1.6666666666666667, 2.5, 3.34, 3.34, 3.34, 5.1, 5.1];
  assertAllClose(isotonicRegression(y, w), sklearnIncreasing, { atol: 1e-12 });
  // IsotonicRegression(increasing=False) on y2 with the same weights
  const y2 = [5.0, 6.0, 3.0, 3.5, 2.0, 2.2, 1.0, 0.5];
  const sklearnDecreasing = [
    5.666666666666667,
    5.666666666666667,
    3.3333333333333335,
    3.3333333333333335,
    2.05,
    2.05,
    1,
    0.5,
  ];
  assertAllClose(isotonicRegression(y2, w, { direction: "decreasing" }), sklearnDecreasing, { atol: 1e-12 });
  // scipy.optimize.minimize(SLSQP) of Σ w (y − m)² s.t. m[i+1] − m[i] ≥ 0.5 (converged to ~1e-9)
  const slsqp = [
    1.3333333321652063,
    1.8333333321651886,
    2.35454544963618,
    2.8545454496361815,
    3.3545454496361757,
    3.8545454496361753,
    4.650000002082333,
    5.150000002082329,
  ];
  assertAllClose(isotonicRegression(y, w, { minGap: 0.5 }), slsqp, { atol: 1e-7 });
  // Zero weights: pooled with a weighted neighbour they take its value; alone, a plain mean.
  assert.deepEqual(Array.from(isotonicRegression([2, 1, 0], [1, 0, 0])), [2, 2, 2]);
  assert.deepEqual(Array.from(isotonicRegression([0, 3, 1, 5], [1, 0, 0, 1])), [0, 2, 2, 5]);
  assert.throws(() => isotonicRegression([1, 2], [1, -1]), /weights\[1\] must be a finite number >= 0, received -1/);
  assert.throws(() => isotonicRegression([1, NaN], [1, 1]), /values\[1\] must be finite, received NaN/);
  assert.throws(() => isotonicRegression([1], [1], { direction: "up" as "increasing" }), /direction/);
});

/** A 5-state chain with a ±1 band, DD-like feature 0 falling and spread-like feature 1 rising with the state. */
const banded = {
  startProb: [0.2, 0.2, 0.2, 0.2, 0.2],
  transMat: [
    [0.9, 0.1, 0, 0, 0],
    [0.05, 0.9, 0.05, 0, 0],
    [0, 0.05, 0.9, 0.05, 0],
    [0, 0, 0.05, 0.9, 0.05],
    [0, 0, 0, 0.1, 0.9],
  ],
  means: [[6, -6], [5, -5.4], [4, -4.9], [3, -4.5], [2, -4]],
  variances: [[0.15, 0.02], [0.15, 0.02], [0.15, 0.02], [0.15, 0.02], [0.15, 0.02]],
};
const bandMask = banded.transMat.map((row) => row.map((p) => p > 0));
const orderedSpec = [
  { feature: 0, direction: "decreasing" as const },
  { feature: 1, direction: "increasing" as const },
];

function checkOrderedFit(m: GaussianHMM, label: string) {
  assert.ok(
    isMonotone(m.means.map((r) => r[0]), "decreasing"),
    `${label}: feature 0 means ${m.means.map((r) => r[0])}`,
  );
  assert.ok(
    isMonotone(m.means.map((r) => r[1]), "increasing"),
    `${label}: feature 1 means ${m.means.map((r) => r[1])}`,
  );
  m.transMat.forEach((row, i) =>
    row.forEach((p, j) => {
      if (!bandMask[i][j]) assert.equal(p, 0, `${label}: transMat[${i}][${j}] outside the band`);
    })
  );
  // ECM never lowers the likelihood.
  for (let i = 1; i < m.history.length; i++) {
    assert.ok(m.history[i] >= m.history[i - 1] - 1e-8 * Math.abs(m.history[i - 1]), `${label}: iteration ${i}`);
  }
}

Deno.test("ordered fit on data from an ordered model: monotone means, band zeros, same optimum as unconstrained", () => {
  for (const seed of [1, 2, 3]) {
    const { X } = simulateHMM(banded, 2000, `ordered-${seed}`);
    const opts = { nStates: 5, seed, nInit: 1, transitionMask: bandMask, initialMeans: banded.means };
    const ordered = new GaussianHMM({ ...opts, ordered: orderedSpec }).fit(X, { maxIter: 300, tol: 1e-10 });
    checkOrderedFit(ordered, `seed ${seed}`);
    // The truth is ordered and well separated: the constraint is inactive at the optimum, so the unconstrained
    // fit from the same start reaches the same likelihood and means.
    const free = new GaussianHMM(opts).fit(X, { maxIter: 300, tol: 1e-10 });
    assertClose(ordered.score(X), free.score(X), { rtol: 1e-7 });
    for (let k = 0; k < 5; k++) assertClose(ordered.means[k][0], free.means[k][0], { atol: 1e-3 });
    for (let k = 0; k < 5; k++) assertClose(ordered.means[k][0], banded.means[k][0], { atol: 0.1 });
  }
});

Deno.test("ordered fit on adversarial data stays monotone and banded; without the constraint it does not", () => {
  // (a) Means started in reverse order: the unconstrained fit keeps states labelled against the band's order.
  const { X } = simulateHMM(banded, 1500, "adversarial-a");
  const reversed = [...banded.means].reverse();
  const opts = { nStates: 5, seed: 1, nInit: 1, transitionMask: bandMask, initialMeans: reversed };
  checkOrderedFit(new GaussianHMM({ ...opts, ordered: orderedSpec }).fit(X, { maxIter: 200 }), "reversed start");
  const free = new GaussianHMM(opts).fit(X, { maxIter: 200 });
  assert.ok(!isMonotone(free.means.map((r) => r[0]), "decreasing"), "the unconstrained fit is out of order");
  // (b) Conflicting features: a "rate regime" in feature 1 that rises while credit (feature 0) improves, as the
  // 10-year yield did in notebook 06. Both constraints hold; feature 1's means are pooled where they conflict.
  const rng = makeRng(4, "adversarial-b");
  const Y = Array.from({ length: 1200 }, (_, t) => {
    const regime = Math.floor(t / 300); // four regimes: DD 2, 3, 4, 5 while feature 1 climbs with them
    return [2 + regime + 0.3 * standardNormal(rng), -6 + 0.5 * regime + 0.1 * standardNormal(rng)];
  });
  const conflicted = new GaussianHMM({ nStates: 5, seed: 2, nInit: 2, transitionMask: bandMask, ordered: orderedSpec })
    .fit(Y, { maxIter: 200 });
  checkOrderedFit(conflicted, "conflicting features");
  const freeY = new GaussianHMM({ nStates: 5, seed: 2, nInit: 2, transitionMask: bandMask }).fit(Y, { maxIter: 200 });
  const f0 = freeY.means.map((r) => r[0]), f1 = freeY.means.map((r) => r[1]);
  assert.ok(
    !(isMonotone(f0, "decreasing") && isMonotone(f1, "increasing")),
    "unconstrained: some feature out of order",
  );
});

Deno.test("fixedStartProb stays fixed through EM and is not a point mass; initialVariances start EM", () => {
  const { X } = simulateHMM(banded, 400, "fixed-pi");
  const pi = [0.1, 0.2, 0.4, 0.2, 0.1];
  const m = new GaussianHMM({
    nStates: 5,
    nInit: 1,
    transitionMask: bandMask,
    initialMeans: banded.means,
    initialVariances: banded.variances,
    fixedStartProb: pi,
    ordered: orderedSpec,
  }).fit(X, { maxIter: 20 });
  assert.deepEqual(m.startProb, pi);
  const free = new GaussianHMM({ nStates: 5, nInit: 1, transitionMask: bandMask, initialMeans: banded.means })
    .fit(X, { maxIter: 20 });
  assert.ok(Math.max(...free.startProb) > 0.99, "EM on one sequence shrinks π to nearly a point mass");
  assert.throws(
    () => new GaussianHMM({ nStates: 2, fixedStartProb: [0.5, 0.6] }),
    /fixedStartProb must be a row summing to 1/,
  );
  assert.throws(() => new GaussianHMM({ nStates: 2, initialVariances: [[1], [0]] }), /initialVariances\[1\]/);
  assert.throws(
    () => new GaussianHMM({ nStates: 2, ordered: [{ feature: 0, direction: "up" as "increasing" }] }),
    /ordered\[0\]\.direction/,
  );
  assert.throws(
    () => new GaussianHMM({ nStates: 2, ordered: [{ feature: 3, direction: "increasing" }] }).fit([[0], [1], [2]]),
    /ordered feature must be a column of X in \[0, 0\], received 3/,
  );
  assert.throws(() => new GaussianHMM({ nStates: 2, nInits: 2 } as GaussianHMMOptions), /unknown option opts.nInits/);
  assert.throws(() => GaussianHMM.fromParams(small).score(X, { bound: 1 } as never), /unknown option opts.bound/);
});

Deno.test("filter() returns the one-step predictive log-densities: they sum to score() and are causal", () => {
  const m = GaussianHMM.fromParams(small);
  const { proba, logPredictive } = m.filter(X);
  assert.deepEqual(proba, m.filterProba(X));
  assertClose(logPredictive.reduce((a, b) => a + b, 0), m.score(X), { rtol: 1e-13 });
  // ln p(x_t | x_1..x_{t-1}) = score(X[0..t]) − score(X[0..t−1]) by the enumeration reference
  const paths = (T: number) => enumerate(small, X.slice(0, T)).reduce((a, q) => a + q.prob, 0);
  for (let t = 1; t < X.length; t++) assertClose(logPredictive[t], Math.log(paths(t + 1) / paths(t)), { rtol: 1e-10 });
  // finalScore: false skips the last pass: history holds one entry per M-step.
  const fitted = new GaussianHMM({ nStates: 2, nInit: 1 }).fit(X, { maxIter: 3, tol: 1e-12, finalScore: false });
  assert.equal(fitted.history.length, fitted.iterations);
  assert.equal(fitted.fitInfo.iterations, 3);
});

Deno.test("log-space rescue: an observation only a far state explains gives the exact finite likelihood", () => {
  // Three states 40 standard deviations apart, moves of one state a step. After x₀ = 0 (state 0), x₁ = 80 is
  // explained by state 2 alone, which cannot be reached in one step; state 1's density is e^-800 of state 2's, so
  // the scaled pass underflows (it used to throw "probability 0 under every state").
  const far = {
    startProb: [1, 0, 0],
    transMat: [[0.9, 0.1, 0], [0.05, 0.9, 0.05], [0, 0.1, 0.9]],
    means: [[0], [40], [80]],
    variances: [[1], [1], [1]],
  };
  const m = GaussianHMM.fromParams(far);
  const x = [[0], [80]];
  // Closed form: ln N(0; 0, 1) + ln(0.9 N(80; 0, 1) + 0.1 N(80; 40, 1)) = −ln 2π + ln 0.1 − 800 (+ ln(1 + 9e−2400))
  const exact = -Math.log(2 * Math.PI) + Math.log(0.1) - 800;
  assertClose(m.score(x), exact, { rtol: 1e-14 });
  assert.deepEqual(m.filterProba(x)[1], [0, 1, 0]);
  assert.deepEqual(m.predictProba(x)[0], [1, 0, 0]);
  const v = m.decode(x);
  assert.deepEqual(v.states, [0, 1]);
  assertClose(v.logProb, exact, { rtol: 1e-14 });
  // Kept in state 0, x₁ = 80 is 80 standard deviations out: still finite, −ln 2π + ln 0.9 − 3200.
  assertClose(m.score(x, { bounds: { min: 0, max: 0 } }), -Math.log(2 * Math.PI) + Math.log(0.9) - 3200, {
    rtol: 1e-14,
  });
  // Only a truly impossible sequence is an error: state 2 cannot be reached from π within bounds 2..2.
  assert.throws(() => m.score(x, { bounds: { min: 2, max: 2 } }), /X\[0\] must be an observation some reachable state/);
  assert.throws(
    () => m.decode(x, { bounds: { min: 2, max: 2 } }),
    /X\[0\] must be an observation some reachable state/,
  );
});

Deno.test("log-space rescue on 21 banded states matches brute-force enumeration of all 21³ paths", () => {
  const K = 21;
  const transMat = Array.from({ length: K }, (_, i) => {
    const row = Array.from({ length: K }, (_, j) => (Math.abs(i - j) <= 2 ? 1 / (1 + Math.abs(i - j)) : 0));
    const s = row.reduce((a, b) => a + b, 0);
    return row.map((p) => p / s);
  });
  const p = {
    startProb: Array.from({ length: K }, (_, k) => (k < 3 ? 1 / 3 : 0)),
    transMat,
    means: Array.from({ length: K }, (_, k) => [40 * k]),
    variances: Array.from({ length: K }, () => [1]),
  };
  const x = [[0], [0], [160], [150]]; // state 4 is two steps from state 0 and the only one near 160
  const paths = enumerateLog(p, x);
  const total = logSum(paths.map((q) => q.logProb));
  const m = GaussianHMM.fromParams(p);
  assertClose(m.score(x), total, { rtol: 1e-12 });
  const best = paths.reduce((a, q) => (q.logProb > a.logProb ? q : a));
  const v = m.decode(x);
  assert.deepEqual(v.states, best.path);
  assertClose(v.logProb, best.logProb, { rtol: 1e-12 });
  const smooth = m.predictProba(x), filtered = m.filterProba(x);
  for (let t = 0; t < x.length; t++) {
    const prefix = enumerateLog(p, x.slice(0, t + 1)), z = logSum(prefix.map((q) => q.logProb));
    for (let k = 0; k < K; k++) {
      const at = (list: typeof paths) => list.filter((q) => q.path[t] === k).map((q) => q.logProb);
      assertClose(smooth[t][k], Math.exp(logSum(at(paths)) - total), { atol: 1e-12 });
      assertClose(filtered[t][k], Math.exp(logSum(at(prefix)) - z), { atol: 1e-12 });
    }
  }
  // EM through the rescued passes stays finite and keeps the band.
  const fitted = new GaussianHMM({
    nStates: K,
    nInit: 1,
    transitionMask: transMat.map((r) => r.map((q) => q > 0)),
    initialMeans: p.means,
    initialVariances: p.variances,
    initialTransMat: transMat,
    fixedStartProb: p.startProb,
  }).fit([...x, [160], [0], [0]], { maxIter: 3 });
  assert.ok(fitted.history.every(Number.isFinite));
  fitted.transMat.forEach((row, i) => row.forEach((q, j) => Math.abs(i - j) > 2 && assert.equal(q, 0)));
});

Deno.test("transitionPseudoCounts: one MAP step is (Σ ξ + α) / row sum, with ξ from enumerating every path", () => {
  const alpha = [[2, 0.5], [1, 3]];
  const m = new GaussianHMM({
    nStates: 2,
    nInit: 1,
    initialTransMat: small.transMat,
    initialMeans: small.means,
    initialVariances: small.variances,
    fixedStartProb: small.startProb,
    transitionPseudoCounts: alpha,
  }).fit(X, { maxIter: 1, finalScore: false });
  const paths = enumerate(small, X), total = paths.reduce((a, q) => a + q.prob, 0);
  const xi = [[0, 0], [0, 0]];
  for (const q of paths) for (let t = 0; t + 1 < X.length; t++) xi[q.path[t]][q.path[t + 1]] += q.prob / total;
  for (let i = 0; i < 2; i++) {
    const row = xi[i].map((v, j) => v + alpha[i][j]), s = row[0] + row[1];
    for (let j = 0; j < 2; j++) assertClose(m.transMat[i][j], row[j] / s, { rtol: 1e-12 });
  }
  // history holds the log posterior ℓ + Σ α ln A of the starting parameters
  const logPrior = alpha.reduce(
    (a, row, i) => a + row.reduce((b, v, j) => b + v * Math.log(small.transMat[i][j]), 0),
    0,
  );
  assertClose(m.history[0], Math.log(total) + logPrior, { rtol: 1e-12 });
  // MAP-EM never lowers the log posterior, and a forbidden move must carry no pseudo-count.
  const { X: long } = simulateHMM(banded, 600, "map");
  const pseudo = banded.transMat.map((row) => row.map((p) => 20 * p));
  const fitted = new GaussianHMM({ nStates: 5, nInit: 1, transitionMask: bandMask, transitionPseudoCounts: pseudo })
    .fit(long, { maxIter: 50 });
  for (let i = 1; i < fitted.history.length; i++) assert.ok(fitted.history[i] >= fitted.history[i - 1] - 1e-8);
  fitted.transMat.forEach((row, i) => row.forEach((p, j) => !bandMask[i][j] && assert.equal(p, 0)));
  assert.throws(
    () =>
      new GaussianHMM({
        nStates: 5,
        transitionMask: bandMask,
        transitionPseudoCounts: pseudo.map((r) => r.map(() => 1)),
      }),
    /transitionPseudoCounts\[0\]\[2\] must be 0 \(the mask forbids this move\), received 1/,
  );
});
