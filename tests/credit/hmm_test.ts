import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import { GaussianHMM, simulateHMM } from "../../lib/credit/hmm.ts";
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
