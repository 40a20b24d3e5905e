import assert from "node:assert/strict";
import { inverse, Matrix } from "ml-matrix";
import { assertAllClose, assertClose } from "../_assert.ts";
import { makeRng, standardNormal } from "../../lib/core/rng.ts";
import {
  meanVariance,
  type MeanVarianceParams,
  type MeanVarianceSolution,
  solveMeanVariance,
} from "../../lib/portfolio/optimize.ts";
import { ledoitWolf } from "../../lib/portfolio/covariance.ts";

// ---------------------------------------------------------------------------------------------------------------
// Problems and independent references

/** Seeded 5-factor problem Σ = BB' + D (the one of tests/bench/portfolio_bench.ts). */
function factorProblem(n: number, seed: string): { expectedReturns: number[]; covariance: number[][] } {
  const factors = 5;
  const rng = makeRng(seed);
  const loadings = Array.from({ length: n }, () => Array.from({ length: factors }, () => 0.1 * standardNormal(rng)));
  const covariance = loadings.map((a) =>
    loadings.map((b) => {
      let s = 0;
      for (let k = 0; k < factors; k++) s += a[k] * b[k];
      return s;
    })
  );
  for (let i = 0; i < n; i++) covariance[i][i] += 0.01 + 0.02 * rng();
  const expectedReturns = Array.from({ length: n }, () => 0.05 + 0.05 * standardNormal(rng));
  return { expectedReturns, covariance };
}

/** Seeded dense SPD problem: Σ = AA'/k + 0.002·I with A an n×k standard normal matrix scaled by 0.2 (k = n + 5). */
function wishartProblem(n: number, seed: string): { expectedReturns: number[]; covariance: number[][] } {
  const rng = makeRng(seed);
  const k = n + 5;
  const a = Array.from({ length: n }, () => Array.from({ length: k }, () => 0.2 * standardNormal(rng)));
  const covariance = a.map((x, i) =>
    a.map((y, j) => {
      let s = 0;
      for (let t = 0; t < k; t++) s += x[t] * y[t];
      return s / k + (i === j ? 0.002 : 0);
    })
  );
  const expectedReturns = Array.from({ length: n }, () => 0.04 + 0.03 * standardNormal(rng));
  return { expectedReturns, covariance };
}

/** g = μ − λΣw from the raw inputs. */
function gradient(p: MeanVarianceParams, w: ArrayLike<number>): number[] {
  return Array.from(p.expectedReturns, (m, i) => {
    let s = 0;
    for (let j = 0; j < w.length; j++) s += p.covariance[i][j] * w[j];
    return m - p.riskAversion * s;
  });
}

function objective(p: MeanVarianceParams, w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) {
    s += w[i] * p.expectedReturns[i];
    for (let j = 0; j < w.length; j++) s -= 0.5 * p.riskAversion * w[i] * p.covariance[i][j] * w[j];
  }
  return s;
}

/**
 * Asserts the KKT conditions of the solution to `tol` (convexity makes them sufficient for optimality):
 * stationarity μ − λΣw − γ1 + ν − ν̄ = 0, primal feasibility, dual feasibility, complementary slackness.
 */
function assertKkt(p: MeanVarianceParams, s: MeanVarianceSolution, tol = 1e-8): void {
  const n = p.expectedReturns.length;
  const longOnly = p.longOnly ?? true;
  const cap = p.maxWeight ?? Infinity;
  const g = gradient(p, s.weights);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = s.weights[i], nu = s.lowerMultipliers[i], nuBar = s.upperMultipliers[i];
    total += w;
    assertClose(g[i] - s.budgetMultiplier + nu - nuBar, 0, { atol: tol }, `stationarity ${i}`);
    if (longOnly) assert.ok(w >= -tol, `w[${i}] = ${w} < 0`);
    assert.ok(w <= cap + tol, `w[${i}] = ${w} > cap ${cap}`);
    assert.ok(nu >= -tol && nuBar >= -tol, `multipliers of ${i}: ${nu}, ${nuBar}`);
    if (!longOnly) assert.equal(nu, 0);
    if (cap === Infinity) assert.equal(nuBar, 0);
    assertClose(nu * w, 0, { atol: tol }, `complementary slackness, lower ${i}`);
    if (cap !== Infinity) assertClose(nuBar * (cap - w), 0, { atol: tol }, `complementary slackness, cap ${i}`);
  }
  assertClose(total, 1, { atol: 1e-10 }, "budget");
}

/** Closed form w = Σ⁻¹(μ − γ1)/λ, γ = (1'Σ⁻¹μ − λ)/(1'Σ⁻¹1), with ml-matrix's LU inverse (an independent solver). */
function closedFormReference(p: MeanVarianceParams): number[] {
  const inv = inverse(new Matrix(p.covariance.map((row) => Array.from(row))));
  const n = p.expectedReturns.length;
  const y1 = inv.mmul(Matrix.columnVector(Array.from(p.expectedReturns))).to1DArray();
  const y2 = inv.mmul(Matrix.columnVector(new Array(n).fill(1))).to1DArray();
  const s1 = y1.reduce((a, b) => a + b, 0), s2 = y2.reduce((a, b) => a + b, 0);
  const gamma = (s1 - p.riskAversion) / s2;
  return y1.map((v, i) => (v - gamma * y2[i]) / p.riskAversion);
}

/**
 * Brute force over the 3ⁿ assignments of each weight to "0", "cap" or "free": the free weights solve the
 * equality-constrained problem (budget only) in closed form with ml-matrix; the best feasible assignment is the
 * optimum of the long-only capped problem (the optimum has some such active set). n ≤ 7.
 */
function bruteForceLongOnly(p: MeanVarianceParams, cap: number): { weights: number[]; value: number } {
  const n = p.expectedReturns.length;
  let best = { weights: [] as number[], value: -Infinity };
  const states = new Array<number>(n).fill(0);
  for (let code = 0; code < 3 ** n; code++) {
    for (let i = 0, c = code; i < n; i++, c = Math.floor(c / 3)) states[i] = c % 3;
    const free = states.flatMap((s, i) => (s === 2 ? [i] : []));
    const fixed = states.map((s) => (s === 1 ? cap : 0));
    const rest = 1 - fixed.reduce((a, b) => a + b, 0);
    const w = fixed.slice();
    if (free.length === 0) {
      if (Math.abs(rest) > 1e-12) continue;
    } else {
      // maximise over the free block: μ_F − λΣ_FX·x_X as the linear term, budget Σ w_F = rest.
      const linear = free.map((i) => {
        let s = 0;
        for (let j = 0; j < n; j++) s += p.covariance[i][j] * fixed[j];
        return p.expectedReturns[i] - p.riskAversion * s;
      });
      const inv = inverse(new Matrix(free.map((i) => free.map((j) => p.covariance[i][j]))));
      const y1 = inv.mmul(Matrix.columnVector(linear)).to1DArray();
      const y2 = inv.mmul(Matrix.columnVector(free.map(() => 1))).to1DArray();
      const s1 = y1.reduce((a, b) => a + b, 0), s2 = y2.reduce((a, b) => a + b, 0);
      const gamma = (s1 - p.riskAversion * rest) / s2;
      free.forEach((i, k) => (w[i] = (y1[k] - gamma * y2[k]) / p.riskAversion));
    }
    if (w.some((x) => x < -1e-12 || x > cap + 1e-12)) continue;
    const value = objective(p, w);
    if (value > best.value) best = { weights: w, value };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// Unconstrained: the closed form

Deno.test("meanVariance() unconstrained equals the closed form Σ⁻¹(μ − γ1)/λ from an independent inverse", () => {
  for (const [n, seed] of [[2, "a"], [7, "b"], [40, "c"], [120, "d"]] as const) {
    const p = { ...wishartProblem(n, `closed-${seed}`), riskAversion: 3, longOnly: false };
    const s = solveMeanVariance(p);
    assert.equal(s.method, "closed form");
    assertAllClose(s.weights, closedFormReference(p), { atol: 1e-9, rtol: 1e-9 }, `n = ${n}`);
    assertKkt(p, s, 1e-10);
  }
});

Deno.test("meanVariance() with a cap that never binds reproduces the closed form through the active-set method", () => {
  const p = { ...wishartProblem(12, "loose-cap"), riskAversion: 5, longOnly: false };
  const reference = closedFormReference(p);
  const cap = Math.max(...reference) + 0.5;
  const s = solveMeanVariance({ ...p, maxWeight: cap });
  assert.equal(s.method, "dual active set");
  assertAllClose(s.weights, reference, { atol: 1e-12 });
});

// ---------------------------------------------------------------------------------------------------------------
// Constrained: KKT conditions, brute force and cvxopt

Deno.test("meanVariance() long-only with a cap meets the KKT conditions to 1e-8 on random SPD problems", () => {
  for (const [n, cap, lambda] of [[10, 0.3, 2], [30, 0.1, 4], [60, 0.05, 1], [100, 0.02, 10]] as const) {
    for (const seed of [1, 2, 3]) {
      for (const make of [factorProblem, wishartProblem]) {
        const p = { ...make(n, `kkt-${n}-${seed}`), riskAversion: lambda, maxWeight: cap };
        const s = solveMeanVariance(p);
        assertKkt(p, s);
        assert.ok(s.weights.every((w) => w >= 0 && w <= cap), "bounds hold exactly");
      }
    }
  }
});

Deno.test("meanVariance() 200 assets long-only with a 5% cap meets the KKT conditions to 1e-8", () => {
  for (const seed of ["p200-3", "kkt-200-a", "kkt-200-b"]) {
    const p = { ...factorProblem(200, seed), riskAversion: 3, maxWeight: 0.05 };
    const s = solveMeanVariance(p);
    assertKkt(p, s);
    const atCap = s.weights.filter((w) => w === 0.05).length;
    assert.ok(atCap >= 1 && atCap <= 20, `${atCap} names at the cap`);
  }
  const p = { ...wishartProblem(200, "kkt-200-dense"), riskAversion: 2, maxWeight: 0.05 };
  assertKkt(p, solveMeanVariance(p));
});

Deno.test("meanVariance() long-only without a cap and long-short with a cap meet the KKT conditions", () => {
  for (const seed of ["x", "y", "z"]) {
    const p = { ...wishartProblem(50, `kkt-variants-${seed}`), riskAversion: 2 };
    const longOnly = solveMeanVariance(p);
    assertKkt(p, longOnly);
    assert.ok(longOnly.weights.some((w) => w === 0), "some names at zero");
    const longShort = { ...p, longOnly: false, maxWeight: 0.1 };
    const s = solveMeanVariance(longShort);
    assertKkt(longShort, s);
    assert.ok(s.weights.some((w) => w < 0) && s.weights.some((w) => w === 0.1), "shorts and capped longs");
  }
});

Deno.test("meanVariance() long-only with a cap equals a brute force over all active sets", () => {
  for (const seed of ["bf-1", "bf-2", "bf-3", "bf-4"]) {
    const p = { ...wishartProblem(6, seed), riskAversion: 2 };
    for (const cap of [0.25, 0.4, 1]) {
      const best = bruteForceLongOnly(p, cap);
      const w = meanVariance({ ...p, maxWeight: cap });
      assertAllClose(w, best.weights, { atol: 1e-10 }, `${seed}, cap ${cap}`);
    }
  }
});

// cvxopt 1.3.0 (Debian python3-cvxopt) with /usr/bin/python3:
//   vols = [.20, .15, .25, .10, .30, .18]; C = the correlation matrix below; S = outer(vols, vols) * C
//   mu = [.08, .03, .10, .04, .12, .05]; lam = 2
//   solvers.options.update(abstol=1e-14, reltol=1e-14, feastol=1e-14, maxiters=200)
//   long-only: solvers.qp(P=lam*S, q=-mu, G=[-I; I], h=[0; cap], A=ones((1, 6)), b=1.0)['x']
//   long-short, cap 0.4: G = I, h = 0.4·1
const VOLS = [0.2, 0.15, 0.25, 0.1, 0.3, 0.18];
const CORRELATION = [
  [1.0, 0.3, 0.5, 0.1, 0.4, 0.2],
  [0.3, 1.0, 0.2, 0.3, 0.1, 0.5],
  [0.5, 0.2, 1.0, 0.0, 0.6, 0.3],
  [0.1, 0.3, 0.0, 1.0, -0.2, 0.1],
  [0.4, 0.1, 0.6, -0.2, 1.0, 0.2],
  [0.2, 0.5, 0.3, 0.1, 0.2, 1.0],
];
const SMALL = {
  expectedReturns: [0.08, 0.03, 0.1, 0.04, 0.12, 0.05],
  covariance: CORRELATION.map((row, i) => row.map((c, j) => c * VOLS[i] * VOLS[j])),
  riskAversion: 2,
};

Deno.test("meanVariance() matches cvxopt's qp on a fixed six-asset problem", () => {
  const cvxoptCap30 = [
    0.21700801424761332,
    8.836209572340681e-17,
    0.20053428317010707,
    0.2824577025822891,
    0.299999999999988,
    2.2194532551499372e-15,
  ];
  const cvxoptNoCap = [
    0.205930807248695,
    7.654349963859075e-15,
    0.17736470734497164,
    0.2831742874011431,
    0.33353019800432915,
    8.534952736097527e-13,
  ];
  const cvxoptLongShortCap40 = [
    0.35322508123333807,
    -0.49012030390127326,
    0.1854112907929739,
    0.3999999999999982,
    0.3357771147687386,
    0.21570681710622452,
  ];
  const capped = meanVariance({ ...SMALL, maxWeight: 0.3 });
  assertAllClose(capped, cvxoptCap30, { atol: 1e-10 }, "cap 30%");
  assert.equal(capped[1], 0);
  assert.equal(capped[4], 0.3);
  assertAllClose(meanVariance(SMALL), cvxoptNoCap, { atol: 1e-10 }, "long-only");
  assertAllClose(meanVariance({ ...SMALL, longOnly: false, maxWeight: 0.4 }), cvxoptLongShortCap40, { atol: 1e-10 });
});

Deno.test("meanVariance() edge cases: one asset, and n·cap = 1 leaves one feasible point", () => {
  assert.deepEqual(meanVariance({ expectedReturns: [0.05], covariance: [[0.04]], riskAversion: 3 }), [1]);
  const p = { ...factorProblem(20, "single-point"), riskAversion: 3, maxWeight: 0.05 };
  const s = solveMeanVariance(p);
  assert.equal(s.method, "single point");
  assert.deepEqual(s.weights, new Array(20).fill(0.05));
  assertKkt(p, s);
});

Deno.test("meanVariance() beats random feasible portfolios", () => {
  const p = { ...factorProblem(30, "random-feasible"), riskAversion: 3, maxWeight: 0.1 };
  const best = objective(p, meanVariance(p));
  const rng = makeRng("random-feasible-draws");
  for (let trial = 0; trial < 200; trial++) {
    // Random point of the capped simplex: uniform weights mixed with the equal-weight portfolio.
    const raw = Array.from({ length: 30 }, () => rng());
    const sum = raw.reduce((a, b) => a + b, 0);
    const w = raw.map((x) => 0.5 * (x / sum) + 0.5 / 30);
    if (w.some((x) => x > 0.1)) continue;
    assert.ok(objective(p, w) <= best + 1e-15);
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Feasibility pre-checks and validation

Deno.test("meanVariance() says what to change when n × maxWeight < 1", () => {
  const p = { ...factorProblem(200, "cap-too-small"), riskAversion: 3 };
  assert.throws(() => meanVariance({ ...p, maxWeight: 0.004 }), {
    name: "RangeError",
    message: "Cannot solve mean-variance portfolio: maxWeight must be >= 1/n = 0.005 to invest fully in 200 assets " +
      "(raise maxWeight to 0.005 or hold at least 250 assets), received 0.004",
  });
  assert.throws(() => meanVariance({ ...SMALL, maxWeight: 0.15 }), /hold at least 7 assets/);
  assert.throws(() => meanVariance({ ...SMALL, longOnly: false, maxWeight: 0.15 }), /maxWeight must be >= 1\/n/);
});

Deno.test("meanVariance() rejects a singular sample covariance and offers Ledoit–Wolf shrinkage", () => {
  const rng = makeRng("singular");
  const returns = Array.from({ length: 10 }, () => Array.from({ length: 20 }, () => 0.01 * standardNormal(rng)));
  const means = returns[0].map((_, j) => returns.reduce((s, r) => s + r[j], 0) / 10);
  const sample = means.map((_, i) =>
    means.map((_, j) => returns.reduce((s, r) => s + (r[i] - means[i]) * (r[j] - means[j]), 0) / 9)
  );
  const expectedReturns = new Array(20).fill(0).map((_, i) => 0.001 * (i % 5));
  assert.throws(
    () => meanVariance({ expectedReturns, covariance: sample, riskAversion: 3, maxWeight: 0.1 }),
    (error: Error) =>
      error instanceof RangeError &&
      error.message.startsWith(
        "Cannot solve mean-variance portfolio: covariance must be symmetric positive definite",
      ) &&
      error.message.includes("ledoitWolf(returns)") && error.message.includes("Cholesky pivot"),
  );
  const { covariance } = ledoitWolf(returns);
  const p = { expectedReturns, covariance, riskAversion: 3, maxWeight: 0.1 };
  assertKkt(p, solveMeanVariance(p));
});

Deno.test("meanVariance() rejects an asymmetric or non-positive covariance, naming the entry", () => {
  assert.throws(() => meanVariance({ ...SMALL, covariance: [[0.04, 0.01], [0.02, 0.04]], expectedReturns: [0, 0] }), {
    name: "RangeError",
    message: "Cannot solve mean-variance portfolio: covariance must be symmetric positive definite (shrink a sample " +
      "covariance with ledoitWolf(returns) of lib/portfolio/covariance.ts), received covariance[1][0] = 0.02 and " +
      "covariance[0][1] = 0.01",
  });
  assert.throws(
    () => meanVariance({ ...SMALL, covariance: [[0.04, 0], [0, 0]], expectedReturns: [0, 0] }),
    /received covariance\[1\]\[1\] = 0$/,
  );
  assert.throws(
    () => meanVariance({ ...SMALL, covariance: [[0.04, 0.05], [0.05, 0.04]], expectedReturns: [0, 0] }),
    /received a Cholesky pivot of -0\.0225\d* at row 1 of 2/,
  );
});

Deno.test("meanVariance() validation errors name the argument", () => {
  assert.throws(() => meanVariance({ ...SMALL, riskAversion: 0 }), {
    name: "RangeError",
    message: "Cannot solve mean-variance portfolio: riskAversion must be > 0, received 0",
  });
  assert.throws(() => meanVariance({ ...SMALL, expectedReturns: [0.1, 0.2, NaN, 0, 0, 0] }), {
    name: "RangeError",
    message: "Cannot solve mean-variance portfolio: expectedReturns[2] must be finite, received NaN",
  });
  assert.throws(() => meanVariance({ ...SMALL, expectedReturns: [0.1, 0.2] }), {
    name: "RangeError",
    message: "Cannot solve mean-variance portfolio: covariance must be a matrix with 2 rows, received 6 rows",
  });
  assert.throws(() => meanVariance({ ...SMALL, maxWeight: -0.1 }), /maxWeight must be > 0, received -0\.1/);
  assert.throws(() => meanVariance({ ...SMALL, longOnly: "yes" as unknown as boolean }), {
    name: "TypeError",
    message: 'Cannot solve mean-variance portfolio: longOnly must be a boolean, received "yes"',
  });
  assert.throws(() => meanVariance({ ...SMALL, maxWieght: 0.3 } as unknown as MeanVarianceParams), {
    name: "TypeError",
    message: "Cannot solve mean-variance portfolio: unknown option maxWieght; did you mean maxWeight?",
  });
  assert.throws(() => meanVariance({ ...SMALL, maxIterations: 2.5 }), /maxIterations must be an integer >= 1/);
  const big = { ...factorProblem(100, "iterations"), riskAversion: 3, maxWeight: 0.05 };
  assert.throws(() => meanVariance({ ...big, maxIterations: 5 }), {
    name: "RangeError",
    message:
      /^Cannot solve mean-variance portfolio: maxIterations must be large enough for the dual active-set method to finish, received 5 \(a bound violation of [\d.e-]+ still open\)$/,
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Ledoit–Wolf

// scikit-learn 1.2.1 with /usr/bin/python3: `from sklearn.covariance import LedoitWolf; lw = LedoitWolf().fit(X)`,
// printing lw.shrinkage_ and lw.covariance_.tolist() (assume_centered=False, the default).
const LW_X = [
  [0.01, -0.02, 0.005, 0.03],
  [-0.015, 0.01, 0.0, -0.01],
  [0.02, 0.015, -0.01, 0.005],
  [0.0, -0.005, 0.02, -0.02],
  [-0.01, -0.025, 0.015, 0.01],
  [0.025, 0.03, -0.005, 0.0],
  [0.005, 0.0, 0.01, 0.015],
  [-0.02, -0.01, -0.015, -0.025],
];
const LW_X_SHRINKAGE = 0.7759226434653205;
const LW_X_COVARIANCE = [
  [0.00023699704434772373, 3.247371065404926e-05, -3.1510878262689303e-06, 2.844732065381674e-05],
  [3.247371065404926e-05, 0.00025170212087031205, -1.99568895663699e-05, -1.4617546305191988e-05],
  [-3.1510878262689303e-06, -1.99568895663699e-05, 0.00021467683891165213, 1.0153505217977665e-05],
  [2.844732065381674e-05, -1.4617546305191988e-05, 1.0153505217977665e-05, 0.00025170212087031205],
];
// Three observations of five assets (T < p).
const LW_Y = [[0.01, 0.02, -0.01, 0.0, 0.03], [-0.02, 0.01, 0.0, 0.01, -0.01], [0.0, -0.01, 0.02, -0.02, 0.01]];
const LW_Y_SHRINKAGE = 0.5515339538090316;
const LW_Y_COVARIANCE = [
  [0.0001678118656402007, 9.965912137577079e-06, -9.965912137577079e-06, -3.488069248151977e-05, 8.969320923819368e-05],
  [9.965912137577079e-06, 0.0001678118656402007, -6.976138496303954e-05, 5.481251675667391e-05, 2.9897736412731222e-05],
  [
    -9.965912137577079e-06,
    -6.976138496303954e-05,
    0.0001678118656402007,
    -5.481251675667391e-05,
    -2.9897736412731222e-05,
  ],
  [
    -3.488069248151977e-05,
    5.481251675667391e-05,
    -5.481251675667391e-05,
    0.0001678118656402007,
    -2.9897736412731236e-05,
  ],
  [
    8.969320923819368e-05,
    2.9897736412731222e-05,
    -2.9897736412731222e-05,
    -2.9897736412731236e-05,
    0.00021764142632808606,
  ],
];

Deno.test("ledoitWolf() matches sklearn.covariance.LedoitWolf", () => {
  for (
    const [x, shrinkage, covariance] of [[LW_X, LW_X_SHRINKAGE, LW_X_COVARIANCE], [
      LW_Y,
      LW_Y_SHRINKAGE,
      LW_Y_COVARIANCE,
    ]] as const
  ) {
    const estimate = ledoitWolf(x.map((row) => Float64Array.from(row)));
    assertClose(estimate.shrinkage, shrinkage, { rtol: 1e-12 });
    for (let i = 0; i < covariance.length; i++) {
      assertAllClose(estimate.covariance[i], covariance[i], { rtol: 1e-11, atol: 1e-20 }, `row ${i}`);
    }
    const trace = covariance.reduce((s, row, i) => s + row[i], 0);
    assertClose(estimate.targetVariance, trace / covariance.length, { rtol: 1e-12 }, "tr(Σ̂) = tr(S) = p·m");
  }
});

Deno.test("ledoitWolf() shrinks nothing when S is already a multiple of the identity, and validates its input", () => {
  // Columns ±1 patterns with equal variances and zero sample correlation: S = m·I, d² = 0.
  const x = [[1, 1], [1, -1], [-1, 1], [-1, -1]];
  const { shrinkage, covariance } = ledoitWolf(x);
  assert.equal(shrinkage, 0);
  assert.deepEqual(covariance, [[1, 0], [0, 1]]);
  assert.throws(() => ledoitWolf([[0.01, 0.02]]), {
    name: "RangeError",
    message: "Cannot estimate Ledoit-Wolf covariance: returns must be a matrix with at least 2 rows, received 1 rows",
  });
  assert.throws(() => ledoitWolf([[0.01, NaN], [0, 0]]), {
    name: "RangeError",
    message: "Cannot estimate Ledoit-Wolf covariance: returns[0][1] must be finite, received NaN",
  });
});

Deno.test("meanVariance() and solveMeanVariance() name p when it is not an object (issue 17)", () => {
  for (const bad of [null, 7, undefined]) {
    assert.throws(() => solveMeanVariance(bad as never), {
      name: "TypeError",
      message: `Cannot solve mean-variance portfolio: p must be an object, received ${bad}`,
    });
    assert.throws(() => meanVariance(bad as never), /p must be an object/);
  }
});
