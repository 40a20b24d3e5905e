import assert from "node:assert/strict";
import { assertAllClose, assertClose, realDataDir } from "../_assert.ts";
import {
  creditScore,
  crossSectionStudy,
  financialHealth,
  firstPrincipalComponent,
  firstPrincipalWeights,
  HEALTH_RATIOS,
  type HealthInputs,
  notchToState,
  SCORE_BANDS,
  scoreToNotch,
  scoreToRating,
  spearmanCorrelation,
  topsis,
  topsisSteps,
} from "../../lib/credit/scoring.ts";
import { loadSp500Fundamentals, sp500Arrays } from "../../lib/data/sp500.ts";
import { resolveMarketData, standInSource } from "../../lib/synthetic/source.ts";
import { makeRng } from "../../lib/core/rng.ts";
import { correlationMatrix } from "../../lib/core/stats.ts";

// ---------------------------------------------------------------------------------------------------------------
// TOPSIS

// Hwang, C.-L. & Yoon, K. (1981). Multiple Attribute Decision Making: Methods and Applications, Springer LNEMS 186,
// §2.3.4, the fighter-aircraft example (pp. 128–134): four aircraft, six attributes — maximum speed (Mach), ferry
// range (NM), maximum payload (lb), acquisition cost (10⁶ $, a cost), reliability and manoeuvrability (interval
// scale: low 3, average 5, high 7, very high 9) — with weights (0.2, 0.1, 0.1, 0.1, 0.2, 0.3). The book rounds every
// intermediate to 4 decimals and prints: A* = (.1168, .0659, .0531, .0414, .1347, .2012),
// A⁻ = (.0841, .0366, .0455, .0598, .0577, .1118), S* = (.0545, .1197, .0580, .1009),
// S⁻ = (.0983, .0439, .0920, .0458), C* = (.643, .268, .613, .312), order A1 > A3 > A4 > A2.
const AIRCRAFT = [
  [2.0, 1500, 20000, 5.5, 5, 9],
  [2.5, 2700, 18000, 6.5, 3, 5],
  [1.8, 2000, 21000, 4.5, 7, 7],
  [2.2, 1800, 20000, 5.0, 5, 5],
];
const AIRCRAFT_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3];
const AIRCRAFT_CRITERIA = ["benefit", "benefit", "benefit", "cost", "benefit", "benefit"] as const;

Deno.test("topsisSteps() reproduces Hwang & Yoon's published fighter-aircraft example", () => {
  const s = topsisSteps(AIRCRAFT, AIRCRAFT_WEIGHTS, [...AIRCRAFT_CRITERIA]);
  // Each published figure carries the rounding of 4-decimal intermediates, and the book's normalised cost column
  // has a slip (r = .5983 for 6.5; exactly 6.5/√117.75 = .5990), which moves A⁻ of that column by 1e-4. Tolerances:
  // 2e-4 for the ideal points and separations, 1e-3 for the closeness (printed to 3 decimals).
  assertAllClose(s.ideal, [0.1168, 0.0659, 0.0531, 0.0414, 0.1347, 0.2012], { atol: 2e-4 }, "A*");
  assertAllClose(s.antiIdeal, [0.0841, 0.0366, 0.0455, 0.0598, 0.0577, 0.1118], { atol: 2e-4 }, "A-");
  assertAllClose(s.distanceToIdeal, [0.0545, 0.1197, 0.058, 0.1009], { atol: 2e-4 }, "S*");
  assertAllClose(s.distanceToAntiIdeal, [0.0983, 0.0439, 0.092, 0.0458], { atol: 2e-4 }, "S-");
  assertAllClose(s.closeness, [0.643, 0.268, 0.613, 0.312], { atol: 1e-3 }, "C*");
  const order = [0, 1, 2, 3].sort((a, b) => s.closeness[b] - s.closeness[a]);
  assert.deepEqual(order, [0, 2, 3, 1]); // A1 > A3 > A4 > A2
  assert.deepEqual(topsis(AIRCRAFT, AIRCRAFT_WEIGHTS, [...AIRCRAFT_CRITERIA]), s.closeness);
});

Deno.test("topsis() matches an independent numpy computation to 1e-13", () => {
  // /usr/bin/python3: X as below, w = (0.6, 0.4), both benefit; V = X/‖X_j‖·w, C = S⁻/(S⁺ + S⁻), times 800.
  const c = topsis([[0.8, 0.5], [0.3, 0.9], [0.6, 0.2]], [0.6, 0.4], ["benefit", "benefit"]);
  assertAllClose(c.map((x) => 800 * x), [535.7474413473481, 385.29480749509776, 297.85368589191137], { rtol: 1e-13 });
});

/** A positive m × n matrix from a seed. */
function randomMatrix(seed: string, m: number, n: number): number[][] {
  const rng = makeRng(seed);
  return Array.from({ length: m }, () => Array.from({ length: n }, () => 0.5 + 10 * rng()));
}

Deno.test("topsis() properties: closeness in [0, 1], ideal 1 and anti-ideal 0, scale invariance, monotonicity", () => {
  const criteria = ["benefit", "cost", "benefit", "cost"] as const;
  for (const seed of ["t1", "t2", "t3", "t4"]) {
    const x = randomMatrix(seed, 9, 4);
    const w = [0.4, 0.1, 0.3, 0.2];
    const c = topsis(x, w, [...criteria]);
    assert.ok(c.every((v) => v >= 0 && v <= 1), `${seed}: in [0, 1]`);
    // An alternative best on every criterion is the ideal (C = 1); one worst on every criterion is the anti-ideal.
    const best = [20, 0.1, 20, 0.1], worst = [0.2, 30, 0.2, 30];
    const withExtremes = topsis([...x, best, worst], w, [...criteria]);
    assert.equal(withExtremes[9], 1, `${seed}: ideal`);
    assert.equal(withExtremes[10], 0, `${seed}: anti-ideal`);
    // Rescaling a criterion (a change of units) or all weights leaves every closeness unchanged.
    const rescaled = x.map((row) => row.map((v, j) => (j === 2 ? 1000 * v : v)));
    assertAllClose(topsis(rescaled, w, [...criteria]), c, { atol: 1e-14 }, `${seed}: units`);
    assertAllClose(topsis(x, w.map((v) => 7 * v), [...criteria]), c, { atol: 1e-14 }, `${seed}: weight scale`);
    // Raising one alternative's benefit value (or lowering a cost) raises its own closeness.
    for (const [j, factor] of [[0, 1.3], [1, 0.7]] as const) {
      const better = x.map((row, i) => (i === 4 ? row.map((v, k) => (k === j ? v * factor : v)) : row));
      assert.ok(topsis(better, w, [...criteria])[4] > c[4], `${seed}: monotone in criterion ${j}`);
    }
  }
});

Deno.test("topsis() rejects malformed input with the argument and the value", () => {
  const ok = [[1, 2], [3, 4]];
  const cases: [() => unknown, string, RegExp | string][] = [
    [
      () => topsis([], [1], ["benefit"]),
      "RangeError",
      "Cannot compute TOPSIS closeness: matrix must be a matrix with at least 1 rows, received 0 rows",
    ],
    [
      () => topsis([[1, 2], [3]], [1, 1], ["benefit", "cost"]),
      "RangeError",
      /matrix\[1\] must be a row of 2 values like row 0, received 1/,
    ],
    [
      () => topsis([[1, NaN], [3, 4]], [1, 1], ["benefit", "cost"]),
      "RangeError",
      /matrix\[0\]\[1\] must be finite, received NaN/,
    ],
    [
      () => topsis([[1, 0], [3, 0]], [1, 1], ["benefit", "cost"]),
      "RangeError",
      /matrix column 1 must be not all zero \(its vector norm is 0\)/,
    ],
    [() => topsis(ok, [1, -1], ["benefit", "cost"]), "RangeError", /weights\[1\] must be >= 0, received -1/],
    [() => topsis(ok, [0, 0], ["benefit", "cost"]), "RangeError", /weights must be not all zero/],
    [() => topsis(ok, [1], ["benefit", "cost"]), "RangeError", /weights.length must be 2, received 1/],
    [
      () => topsis(ok, [1, 1], ["benefit"]),
      "RangeError",
      /criteria.length must be 2 \(the matrix columns\), received 1/,
    ],
    [
      () => topsis(ok, [1, 1], ["benefit", "max" as never]),
      "RangeError",
      /criteria\[1\] must be "benefit" or "cost", received "max"/,
    ],
    [() => topsis(ok, [1, 1], "benefit" as never), "TypeError", /criteria must be an array/],
    [
      () => topsis([[1, 2], [1, 5]], [1, 0], ["benefit", "cost"]),
      "RangeError",
      /differ in at least one criterion of positive weight/,
    ],
    [
      () => topsis([[1, 2]], [1, 1], ["benefit", "cost"]),
      "RangeError",
      /received 1 alternative equal in every weighted criterion/,
    ],
  ];
  for (const [run, name, message] of cases) assert.throws(run, { name, message });
});

// ---------------------------------------------------------------------------------------------------------------
// Principal-component weights

// A fixed 8 × 4 matrix; reference by /usr/bin/python3 (numpy 1.x):
//   R = np.corrcoef(X, rowvar=False); vals, vecs = np.linalg.eigh(R); u = vecs[:, -1]; u = u if u.sum() > 0 else -u
//   w = u / np.abs(u).sum()
const PCA_X = [
  [3.1, 0.22, 0.8, 21.5],
  [7.4, 0.35, 1.4, 23.0],
  [12.0, 0.10, 0.3, 22.1],
  [1.5, 0.61, 3.2, 24.8],
  [9.8, 0.18, 0.5, 20.9],
  [4.2, 0.44, 2.1, 23.7],
  [15.5, 0.05, 0.1, 22.6],
  [6.0, 0.30, 1.1, 25.3],
];

Deno.test("firstPrincipalWeights() matches numpy.linalg.eigh of the correlation matrix", () => {
  const w = firstPrincipalWeights(PCA_X);
  assertAllClose(w, [-0.24319494566886438, 0.2755289865078785, 0.27227174977949703, 0.2090043180437601], {
    atol: 1e-12,
  });
  const pc = firstPrincipalComponent(PCA_X);
  assertAllClose(pc.loadings, [-0.4836173153159335, 0.5479167685009992, 0.5414394296007362, 0.41562585482096864], {
    atol: 1e-12,
  });
  assertAllClose(pc.eigenvalues, [3.215485783238984, 0.5932141853675396, 0.18283225122654803, 0.00846778016692807], {
    atol: 1e-12,
  });
  assertClose(pc.explainedVariance, 0.803871445809746, { atol: 1e-12 });
});

Deno.test("firstPrincipalComponent() gives the correlation matrix's eigenvector of the largest eigenvalue", () => {
  for (const seed of ["p1", "p2", "p3", "p4", "p5"]) {
    const rng = makeRng(seed);
    // Five columns sharing a factor, so that the first eigenvalue is distinct.
    const x = Array.from({ length: 40 }, () => {
      const f = rng() - 0.5;
      return Array.from({ length: 5 }, (_, j) => (j + 1) * f + 0.3 * (rng() - 0.5) + j);
    });
    const pc = firstPrincipalComponent(x);
    // R from core/stats.ts correlationMatrix, computed independently of the PCA code.
    const R = correlationMatrix(Object.fromEntries([0, 1, 2, 3, 4].map((j) => [`c${j}`, x.map((r) => r[j])]))).values;
    const u = pc.loadings;
    const Ru = R.map((row) => row.reduce((a, v, k) => a + v * u[k], 0));
    assertAllClose(Ru, u.map((v) => pc.eigenvalue * v), { atol: 1e-12 }, `${seed}: R u = λ u`);
    assertClose(u.reduce((a, v) => a + v * v, 0), 1, { atol: 1e-12 }, `${seed}: unit vector`);
    assertClose(pc.eigenvalues.reduce((a, b) => a + b, 0), 5, { atol: 1e-12 }, `${seed}: trace`);
    assert.ok(pc.eigenvalues.every((l) => l <= pc.eigenvalue), `${seed}: largest`);
    // Rayleigh quotients of other directions never exceed λ₁.
    for (let k = 0; k < 20; k++) {
      const v = Array.from({ length: 5 }, () => rng() - 0.5);
      const q = R.reduce((a, row, i) => a + v[i] * row.reduce((b, r, j) => b + r * v[j], 0), 0) /
        v.reduce((a, b) => a + b * b, 0);
      assert.ok(q <= pc.eigenvalue + 1e-12, `${seed}: Rayleigh quotient ${q}`);
    }
    // Weights: Σ|w| = 1, Σw > 0, and unchanged by an affine change of a column's units.
    assertClose(pc.weights.reduce((a, b) => a + Math.abs(b), 0), 1, { atol: 1e-14 });
    assert.ok(pc.weights.reduce((a, b) => a + b, 0) > 0);
    const affine = x.map((r) => r.map((v, j) => (j === 3 ? 250 * v - 40 : v)));
    assertAllClose(firstPrincipalWeights(affine), pc.weights, { atol: 1e-12 }, `${seed}: units`);
  }
});

Deno.test("firstPrincipalWeights() edge cases: one column, a sign tie, constant columns, a repeated eigenvalue", () => {
  assert.deepEqual(firstPrincipalWeights([[1], [2], [4]]), [1]);
  // Two negatively correlated columns: u = (1, −1)/√2 sums to zero; the first weight is made positive.
  assertAllClose(firstPrincipalWeights([[1, 4], [2, 3.5], [3, 1], [4, 0]]), [0.5, -0.5], { atol: 1e-15 });
  assert.throws(() => firstPrincipalWeights([[1, 0.1], [2, 0.1], [3, 0.1]]), {
    name: "RangeError",
    message:
      "Cannot compute principal weights: matrix column 1 must be not constant (its variance is 0), received 3 equal values",
  });
  assert.throws(() => firstPrincipalWeights([[1, 1], [1, -1], [-1, 1], [-1, -1]]), {
    name: "RangeError",
    message:
      /first principal component must be unique \(the two largest eigenvalues .* must differ\), received 1 and 1/,
  });
  assert.throws(() => firstPrincipalWeights([[1, 2]]), {
    name: "RangeError",
    message: /at least 2 rows, received 1 rows/,
  });
  assert.throws(() => firstPrincipalWeights("x" as never), {
    name: "TypeError",
    message: /matrix must be an array of rows/,
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Financial health

/** Five firm-years whose ratios are easy by hand (amounts in USD millions). */
const FIRMS: HealthInputs = {
  ebit: [100, 40, 30, -10, 25],
  interestExpense: [2, 4, 10, 5, 0],
  shortTermDebt: [0, 20, 50, 10, 0],
  longTermDebt: [50, 180, 250, 90, 0],
  totalAssets: [1000, 800, 600, 400, 200],
  totalEquity: [500, 200, 100, -20, 150],
};
// By hand: coverage 100/2 = 50 → 20 (cap), 10, 3, −2 → 0 (floor), no debt & IE 0 → 20 (cap);
// D/A 0.05, 0.25, 0.5, 0.25, 0; D/E 0.1, 1, 3, equity ≤ 0 → 5 (cap), 0; size ln A.

Deno.test("financialHealth() computes the ratios, their treatment and the min–max normalisation as by hand", () => {
  const w = { interestCoverage: 0.4, debtToAssets: 0.3, debtToEquity: 0.2, size: 0.1 };
  const h = financialHealth(FIRMS, { weights: w });
  assert.deepEqual(Array.from(h.rows), [0, 1, 2, 3, 4]);
  assertAllClose(h.ratios.interestCoverage, [20, 10, 3, 0, 20], { atol: 1e-15 });
  assertAllClose(h.ratios.debtToAssets, [0.05, 0.25, 0.5, 0.25, 0], { atol: 1e-15 });
  assertAllClose(h.ratios.debtToEquity, [0.1, 1, 3, 5, 0], { atol: 1e-15 });
  assertAllClose(h.ratios.size, [1000, 800, 600, 400, 200].map(Math.log), { atol: 1e-15 });
  assert.deepEqual(h.bounds.debtToAssets, [0, 0.5]);
  assert.equal(h.sizeMeasure, "ln total assets");
  // Normalised: coverage x/20; D/A 1 − x/0.5; D/E 1 − x/5; size (ln A − ln 200)/(ln 1000 − ln 200).
  const size = [1000, 800, 600, 400, 200].map((a) => Math.log(a / 200) / Math.log(5));
  const expected = [0, 1, 2, 3, 4].map((i) =>
    0.4 * h.ratios.interestCoverage[i] / 20 + 0.3 * (1 - h.ratios.debtToAssets[i] / 0.5) +
    0.2 * (1 - h.ratios.debtToEquity[i] / 5) + 0.1 * size[i]
  );
  assertAllClose(h.score, expected, { atol: 1e-15 });
  assert.equal(h.weightSource, "given");
  assert.deepEqual(h.counts, {
    rows: 5,
    scored: 5,
    missingInterest: 0,
    negativeEquityExcluded: 0,
    noDebtCoverageAtCap: 1,
    negativeEquityAtCap: 1,
    coverageAboveCap: 1,
    coverageBelowFloor: 1,
    debtToEquityAboveCap: 0,
    clippedToBounds: 0,
  });
});

Deno.test("financialHealth() treats the SOURCES.md caveats: zero interest with debt, negative equity", () => {
  const withGap = { ...FIRMS, interestExpense: [2, 0, 10, 5, 0] }; // row 1 reports 0 interest on 200 of debt
  const h = financialHealth(withGap, { weights: { interestCoverage: 1, debtToAssets: 1, debtToEquity: 1, size: 1 } });
  assert.deepEqual(Array.from(h.rows), [0, 2, 3, 4]);
  assert.deepEqual(h.excluded, [{ row: 1, reason: "interest expense 0 with debt outstanding" }]);
  assert.equal(h.counts.missingInterest, 1);
  assert.equal(h.scoreByRow[1], null);
  assert.equal(h.scoreByRow[2], h.score[1]);
  assertAllClose(Object.values(h.weights), [0.25, 0.25, 0.25, 0.25], { atol: 1e-15 });

  const excluded = financialHealth(withGap, { negativeEquity: "exclude", weights: h.weights });
  assert.deepEqual(Array.from(excluded.rows), [0, 2, 4]);
  assert.deepEqual(excluded.excluded.map((e) => e.reason), [
    "interest expense 0 with debt outstanding",
    "book equity <= 0",
  ]);
  assert.equal(excluded.counts.negativeEquityExcluded, 1);

  const capped = financialHealth(FIRMS, { coverageCap: 8, debtToEquityCap: 2, coverageFloor: -5, weights: h.weights });
  assertAllClose(capped.ratios.interestCoverage, [8, 8, 3, -2, 8], { atol: 1e-15 });
  assertAllClose(capped.ratios.debtToEquity, [0.1, 1, 2, 2, 0], { atol: 1e-15 });
  assert.equal(capped.counts.coverageAboveCap, 2);
  assert.equal(capped.counts.debtToEquityAboveCap, 1);
  assert.equal(capped.counts.coverageBelowFloor, 0);

  const priced = financialHealth({ ...FIRMS, marketCap: [900, 300, 120, 20, 400] }, { weights: h.weights });
  assert.equal(priced.sizeMeasure, "ln market capitalisation");
  assertAllClose(priced.ratios.size, [900, 300, 120, 20, 400].map(Math.log), { atol: 1e-15 });
});

Deno.test("financialHealth() weights are the first principal component of the normalised ratios; h in [0, 1]", () => {
  const study = sp500Arrays(loadSp500Fundamentals(standInSource("scoring-test")));
  const h = financialHealth(study);
  const matrix = Array.from(h.rows, (_, k) => HEALTH_RATIOS.map((name) => h.normalized[name][k]));
  assertAllClose(Object.values(h.weights), firstPrincipalWeights(matrix), { atol: 1e-15 });
  assert.ok(h.score.every((v) => v >= 0 && v <= 1));
  // A negative weight enters as |w|·(1 − n): h = Σ w n + Σ_{w<0} |w|.
  const w = { interestCoverage: 0.5, debtToAssets: 0.3, debtToEquity: 0, size: -0.2 };
  const g = financialHealth(study, { weights: w });
  assert.deepEqual(g.reversed, ["size"]);
  for (let k = 0; k < g.rows.length; k += 97) {
    const n = (name: typeof HEALTH_RATIOS[number]) => g.normalized[name][k];
    assertClose(g.score[k], 0.5 * n("interestCoverage") + 0.3 * n("debtToAssets") - 0.2 * n("size") + 0.2, {
      atol: 1e-15,
    });
  }
  assert.ok(g.score.every((v) => v >= 0 && v <= 1));
});

Deno.test("financialHealth() scores new rows with the weights and bounds of an earlier fit", () => {
  const fit = financialHealth(FIRMS);
  const subset = Object.fromEntries(
    Object.entries(FIRMS).map(([k, v]) => [k, [v[0], v[2]]]),
  ) as unknown as HealthInputs;
  const again = financialHealth(subset, { weights: fit.weights, bounds: fit.bounds });
  assertAllClose(again.score, [fit.score[0], fit.score[2]], { atol: 1e-15 });
  const outside = { ...subset, totalAssets: [5000, 600] }; // ln 5000 is above the fitted size bound
  assert.throws(() => financialHealth(outside, { weights: fit.weights, bounds: fit.bounds }), {
    name: "RangeError",
    message: /ratio size of row 0 must be within bounds \[5\.29\d*, 6\.90\d*\], received 8\.51/,
  });
  const clipped = financialHealth(outside, { weights: fit.weights, bounds: fit.bounds, outOfBounds: "clip" });
  assert.equal(clipped.counts.clippedToBounds, 1);
  assert.equal(clipped.normalized.size[0], 1);
});

Deno.test("financialHealth() rejects bad inputs and options", () => {
  const cases: [unknown, unknown, string, RegExp][] = [
    [
      { ...FIRMS, interestExpense: [2, -4, 10, 5, 0] },
      {},
      "RangeError",
      /interestExpense\[1\] must be >= 0, received -4/,
    ],
    [{ ...FIRMS, totalAssets: [1000, 800, 0, 400, 200] }, {}, "RangeError", /totalAssets\[2\] must be > 0, received 0/],
    [
      { ...FIRMS, ebit: [1, 2] },
      {},
      "RangeError",
      /ebit and interestExpense must be of the same length, received 2 and 5/,
    ],
    [{ ...FIRMS, totalEquity: [1, 2, NaN, 4, 5] }, {}, "RangeError", /totalEquity\[2\] must be finite, received NaN/],
    [{ ...FIRMS, marketCap: [1, 2, 3, 4, -5] }, {}, "RangeError", /marketCap\[4\] must be > 0, received -5/],
    [FIRMS, { coverageCaps: 10 }, "TypeError", /unknown option opts.coverageCaps; did you mean opts.coverageCap\?/],
    [FIRMS, { coverageFloor: 30 }, "RangeError", /coverageFloor must be < coverageCap \(20\), received 30/],
    [FIRMS, { negativeEquity: "drop" }, "RangeError", /negativeEquity must be "worst" or "exclude", received "drop"/],
    [
      FIRMS,
      { weights: { interestCoverage: 1, debtToAssets: 1, debtToEquity: 1 } },
      "TypeError",
      /weights.size must be a number/,
    ],
    [
      FIRMS,
      { bounds: { size: [3, 3] } },
      "RangeError",
      /bounds.size must be \[min, max\] with min < max, received \[3, 3\]/,
    ],
    [
      { ...FIRMS, interestExpense: [0, 0, 0, 0, 0] },
      {},
      "RangeError",
      /inputs must be at least 2 rows with a health score, received 1 of 5 rows/,
    ],
    [
      { ...FIRMS, totalAssets: [500, 500, 500, 500, 500] },
      { weights: { interestCoverage: 1, debtToAssets: 0, debtToEquity: 0, size: 0 } },
      "RangeError",
      /ratio size must be not constant over the scored rows \(its min–max range is 0\), received 5 values equal/,
    ],
  ];
  for (const [inputs, opts, name, message] of cases) {
    assert.throws(() => financialHealth(inputs as HealthInputs, opts as never), { name, message });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Credit score and rating bands

Deno.test("creditScore() is 800 × the TOPSIS closeness, anchored at (1, 1) and (0, 0), as numpy computes it", () => {
  // /usr/bin/python3: X = [[0.8, 0.5], [0.3, 0.9], [0.6, 0.2], [1, 1], [0, 0]], w = (0.6, 0.4), vector-normalised
  // TOPSIS, 800·C of the first three rows; then the same without the two anchor rows.
  const health = [0.8, 0.3, 0.6], state = [0.5, 0.9, 0.2];
  assertAllClose(creditScore(health, state, { weights: [0.6, 0.4] }), [
    552.5218238008631,
    390.2058371162143,
    384.0394013721103,
  ], {
    rtol: 1e-13,
  });
  assertAllClose(
    creditScore(health, state, { weights: [0.6, 0.4], anchored: false }),
    [535.7474413473481, 385.29480749509776, 297.85368589191137],
    { rtol: 1e-13 },
  );
  // One firm alone can be scored when anchored; the ideal and anti-ideal themselves score 800 and 0.
  assert.equal(creditScore([1], [1])[0], 800);
  assert.equal(creditScore([0], [0])[0], 0);
});

Deno.test("creditScore() on the diagonal h = s is 800·s (closed form), and rises with health", () => {
  const s = [0, 0.05, 0.3, 0.55, 0.9, 1];
  assertAllClose(creditScore(s, s), s.map((v) => 800 * v), { atol: 1e-12 });
  const base = creditScore([0.2, 0.5, 0.7], [0.4, 0.6, 0.3]);
  const better = creditScore([0.2, 0.6, 0.7], [0.4, 0.6, 0.3]);
  assert.ok(better[1] > base[1]);
});

Deno.test("creditScore() rejects values outside [0, 1] and bad options", () => {
  assert.throws(() => creditScore([0.5, 1.2], [0.1, 0.2]), {
    name: "RangeError",
    message: /health\[1\] must be in \[0, 1\], received 1.2/,
  });
  assert.throws(() => creditScore([0.5], [0.1, 0.2]), {
    name: "RangeError",
    message: /health and state must be of the same length/,
  });
  assert.throws(() => creditScore([], []), {
    name: "RangeError",
    message: /health must be an array of at least 1 values/,
  });
  assert.throws(() => creditScore([0.5], [0.5], { weights: [0, 0] }), {
    name: "RangeError",
    message: /weights must be not all zero/,
  });
  assert.throws(() => creditScore([0.5], [0.5], { anchored: false }), {
    name: "RangeError",
    message: /differ in at least one criterion/,
  });
  assert.throws(() => creditScore([0.5], [0.5], { anchor: true } as never), {
    name: "TypeError",
    message: /did you mean opts.anchored\?/,
  });
});

Deno.test("notchToState() maps the 21-notch scale linearly onto [0, 1], AAA = 1 and D = 0", () => {
  assert.equal(notchToState(0), 1);
  assert.equal(notchToState(20), 0);
  assert.equal(notchToState(10), 0.5);
  assertClose(notchToState(8.4), (20 - 8.4) / 20, { atol: 1e-16 }); // an expected notch
  assert.throws(() => notchToState(21), {
    name: "RangeError",
    message: "Cannot map notch to state: notch must be in [0, 20], received 21",
  });
  assert.throws(() => notchToState(NaN), { name: "RangeError", message: /notch must be finite/ });
});

Deno.test("scoreToNotch() and scoreToRating() follow the documented bands, ties to the better notch", () => {
  // The score of notch k is 800(1 − k/20) = 800 − 40k; each maps back to its notch, and D (20) has no band.
  for (let k = 0; k < 20; k++) assert.equal(scoreToNotch(800 - 40 * k), k, `notch ${k}`);
  assert.equal(scoreToNotch(0), 19);
  assert.equal(scoreToNotch(740), 1); // halfway between AA+ (760) and AA (720): the better notch
  assert.equal(scoreToNotch(739.999), 2);
  for (const band of SCORE_BANDS) {
    assert.equal(scoreToRating(band.min), band.letter, `${band.letter} at its minimum`);
    assert.equal(scoreToRating((band.min + band.max) / 2), band.letter, `${band.letter} in the middle`);
    if (band.min > 0) assert.notEqual(scoreToRating(band.min - 1e-9), band.letter, `${band.letter} below its minimum`);
  }
  assert.equal(scoreToRating(800), "AAA");
  assert.deepEqual(SCORE_BANDS.map((b) => b.letter), ["AAA", "AA", "A", "BBB", "BB", "B", "CCC/C"]);
  assert.throws(() => scoreToNotch(800.5), {
    name: "RangeError",
    message: "Cannot map score to notch: score must be in [0, 800], received 800.5",
  });
  assert.throws(() => scoreToRating(-1), { name: "RangeError", message: /score must be in \[0, 800\], received -1/ });
});

Deno.test("spearmanCorrelation() matches scipy.stats.spearmanr with ties", () => {
  // /usr/bin/python3: scipy.stats.spearmanr([3,1,4,1,5,9,2,6,5,3], [2,7,1,8,2,8,1,8,2,8]).statistic
  assertClose(
    spearmanCorrelation([3, 1, 4, 1, 5, 9, 2, 6, 5, 3], [2, 7, 1, 8, 2, 8, 1, 8, 2, 8]),
    0.13471506281091267,
    {
      atol: 1e-15,
    },
  );
  assert.equal(spearmanCorrelation([1, 2, 3], [30, 20, 10]), -1);
  assert.throws(() => spearmanCorrelation([1, 2, 3], [5, 5, 5]), {
    name: "RangeError",
    message: /y must be not constant, received 3 equal values/,
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Cross-section study

Deno.test("crossSectionStudy() on the stand-in: groups, stability measures, reproducible bootstrap", () => {
  const firms = sp500Arrays(loadSp500Fundamentals(standInSource("scoring-test")));
  const study = crossSectionStudy(firms, { bootstrap: 60, seed: "b" });
  assert.deepEqual(study.byYear.map((g) => g.group), ["2012", "2013", "2014", "2015", "2016"]);
  assert.equal(study.bySector.length, 11);
  assert.equal(study.byYear.reduce((a, g) => a + g.rows, 0), study.health.counts.scored);
  assert.equal(study.health.counts.scored + study.health.counts.missingInterest, firms.rows);
  for (const g of [...study.byYear, ...study.bySector]) {
    if (g.note !== null) continue;
    const w = [g.interestCoverage!, g.debtToAssets!, g.debtToEquity!, g.size!];
    assertClose(w.reduce((a, b) => a + Math.abs(b), 0), 1, { atol: 1e-12 }, g.group);
    assert.ok(g.cosineToPooled! <= 1 + 1e-12 && g.cosineToPooled! >= -1, g.group);
  }
  const spread = study.stability.acrossYears.debtToAssets;
  assertClose(spread.spread, spread.max - spread.min, { atol: 0 });
  const years = study.byYear.map((g) => g.debtToAssets!);
  assert.equal(spread.min, Math.min(...years));
  // The bootstrap is a function of the seed.
  const again = crossSectionStudy(firms, { bootstrap: 60, seed: "b" });
  assert.deepEqual(again.stability.bootstrap, study.stability.bootstrap);
  const other = crossSectionStudy(firms, { bootstrap: 60, seed: "c" });
  assert.notDeepEqual(other.stability.bootstrap!.mean, study.stability.bootstrap!.mean);
  const b = study.stability.bootstrap!;
  assert.equal(b.failed, 0);
  for (const name of HEALTH_RATIOS) assert.ok(b.lower[name] <= b.mean[name] && b.mean[name] <= b.upper[name], name);
  // Leverage is a cost: the score ranks firms against it.
  assert.ok(study.rankCorrelations.pooled.debtToAssets < 0 && study.rankCorrelations.pooled.interestCoverage > 0);
  // Small groups get no weights but say why; the bootstrap can be skipped.
  const strict = crossSectionStudy(firms, { bootstrap: 0, minGroupSize: 150 });
  assert.equal(strict.stability.bootstrap, null);
  const telecom = strict.bySector.find((g) => g.group === "Telecommunications Services")!;
  assert.equal(telecom.size, null);
  assert.equal(telecom.note, "fewer than 150 scored firm-years");
  assert.throws(() => crossSectionStudy(firms, { bootstrap: -1 }), {
    name: "RangeError",
    message: /bootstrap must be an integer in \[0, 100000\]/,
  });
  assert.throws(() => crossSectionStudy({ ...firms, sector: firms.sector.slice(1) }), {
    name: "RangeError",
    message: /ebit and sector must be of the same length/,
  });
});

const real = realDataDir();

Deno.test({
  name: "real data: pooled PCA weights and Spearman correlations match an independent numpy/scipy computation",
  ignore: real === null,
  fn() {
    const firms = sp500Arrays(loadSp500Fundamentals(resolveMarketData(real!)));
    const study = crossSectionStudy(firms, { bootstrap: 0 });
    // /usr/bin/python3 (numpy, scipy) on sp500_fundamentals.csv, an independent re-implementation of the rules:
    // drop interest_expense == 0 with debt > 0; coverage = ebit/ie (20 where ie == 0), clipped to [0, 20];
    // D/E = debt/equity (5 where equity <= 0), capped at 5; D/A; ln total assets; min–max with leverage reversed;
    // np.linalg.eigh(np.corrcoef(N, rowvar=False)); h = Σ w⁺ n + Σ |w⁻| (1 − n);
    // scipy.stats.spearmanr(h, ratio).
    assert.equal(study.health.counts.scored, 1562);
    assert.equal(study.health.counts.missingInterest, 215);
    assert.equal(study.health.counts.noDebtCoverageAtCap, 52);
    assert.equal(study.health.counts.negativeEquityAtCap, 49);
    assert.equal(study.health.counts.coverageAboveCap, 283);
    assert.equal(study.health.counts.coverageBelowFloor, 52);
    assert.equal(study.health.counts.debtToEquityAboveCap, 54);
    assertAllClose(
      Object.values(study.pooled.weights),
      [0.2705449511070825, 0.3512621233006911, 0.33323259614574, -0.04496032944648636],
      { atol: 1e-12 },
    );
    assertClose(study.pooled.explainedVariance, 0.5283810345454805, { atol: 1e-12 });
    assertAllClose(
      Object.values(study.rankCorrelations.pooled),
      [0.8128367220806337, -0.8604696329927971, -0.892676320141054, -0.1923333088221416],
      { atol: 1e-12 },
    );
    const sorted = Float64Array.from(study.health.score).sort();
    assertClose(sorted[0], 0.06464112415830711, { atol: 1e-12 });
    assertClose(sorted[sorted.length - 1], 0.9992891341338199, { atol: 1e-12 });
    // With negative equity excluded instead: 1,513 rows scored (numpy: keep & (equity > 0)).
    assert.equal(financialHealth(firms, { negativeEquity: "exclude" }).counts.scored, 1513);
  },
});

Deno.test("financialHealth(): a ratio made constant by coverageCap names the option (issue 17)", () => {
  const inputs = {
    ebit: [10, 5, 2, 8],
    interestExpense: [1, 2, 1.5, 0.5],
    shortTermDebt: [5, 10, 8, 2],
    longTermDebt: [20, 40, 30, 10],
    totalAssets: [100, 90, 60, 80],
    totalEquity: [60, 30, 15, 60],
  };
  // Coverages 10, 2.5, 1.33, 16 are all above a cap of 0.5: every one is set to it.
  assert.throws(() => financialHealth(inputs, { coverageCap: 0.5 }), {
    name: "RangeError",
    message: "Cannot compute financial health: ratio interestCoverage must be not constant over the scored rows " +
      "(its min–max range is 0), received 4 values equal to 0.5 (from inputs, all at coverageCap)",
  });
});
