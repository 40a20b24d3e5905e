import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import { expm } from "../../lib/core/linalg.ts";
import { loadRatingTransitions } from "../../lib/data/load.ts";
import { resolveMarketData } from "../../lib/synthetic/source.ts";
import {
  compoundTransitions,
  DEFAULT_NOTCH,
  isInvestmentGradeNotch,
  letterNotches,
  lettersFromNotches,
  notchIndex,
  notchName,
  notchPdScale,
  notchToLetter,
  notchTransitionMask,
  notchTransitionMatrix,
  pdsToNotches,
  pdToNotch,
  RATING_LETTERS,
  RATING_NOTCHES,
  ratingGenerator,
  transitionMatrixForStep,
} from "../../lib/credit/ratings.ts";

// The real S&P matrix with CREDITLAB_DATA (or data/market/), the stand-in's otherwise.
const table = loadRatingTransitions(resolveMarketData(Deno.env.get("CREDITLAB_DATA")));
const normalised = table.probabilities.map((row) => row.map((p) => p / row.reduce((a, b) => a + b, 0)));

Deno.test("the 21-notch scale: names, letters and aliases round-trip", () => {
  assert.equal(RATING_NOTCHES.length, 21);
  RATING_NOTCHES.forEach((name, i) => assert.equal(notchIndex(name), i));
  for (let i = 0; i < 21; i++) assert.equal(notchIndex(notchName(i)), i);
  assert.equal(notchIndex("BBB−"), 9); // Unicode minus
  assert.equal(notchIndex("bbb-"), 9);
  assert.equal(notchIndex("CC"), 19);
  assert.equal(notchIndex("C"), 19);
  assert.equal(notchIndex("SD"), DEFAULT_NOTCH);
  assert.equal(notchToLetter("AA-"), "AA");
  assert.equal(notchToLetter(19), "CCC/C");
  assert.equal(notchToLetter(0), "AAA");
  assert.deepEqual(letterNotches("AA"), [1, 2, 3]);
  assert.deepEqual(letterNotches("CCC/C"), [16, 17, 18, 19]);
  assert.equal(RATING_LETTERS.reduce((n, l) => n + letterNotches(l).length, 0), 21);
  assert.ok(isInvestmentGradeNotch(notchIndex("BBB-")) && !isInvestmentGradeNotch(notchIndex("BB+")));
  assert.throws(() => notchIndex("AAAA"), /Cannot read rating: rating must be one of AAA/);
  assert.throws(() => notchName(21), /notch must be an integer notch in \[0, 20\], received 21/);
  assert.throws(() => notchToLetter(2.5), /received 2.5/);
});

Deno.test("notchPdScale() puts each letter's default rate at its middle notch and interpolates in log PD", () => {
  const scale = notchPdScale(table, { floor: 1e-4 });
  const d = table.to.indexOf("D");
  const letterPd = (l: string) => table.probabilities[table.from.indexOf(l)][d];
  assert.equal(scale.length, 21);
  assert.equal(scale[0], Math.max(1e-4, letterPd("AAA"))); // AAA: floored
  let running = 1e-4;
  for (const [letter, notch] of [["AA", 2], ["A", 5], ["BBB", 8], ["BB", 11], ["B", 14], ["CCC/C", 17]] as const) {
    running = Math.max(running, letterPd(letter));
    assertClose(scale[notch], running, { rtol: 1e-12 }, letter);
  }
  assert.equal(scale[20], 1);
  // Geometric interpolation: BBB− and BB+ split the BBB → BB ratio in thirds, CCC− and CC/C the CCC → D one.
  assertClose(scale[9], scale[8] * Math.cbrt(scale[11] / scale[8]), { rtol: 1e-12 });
  assertClose(scale[10], scale[8] * Math.cbrt(scale[11] / scale[8]) ** 2, { rtol: 1e-12 });
  assertClose(scale[19], scale[17] ** (1 / 3), { rtol: 1e-12 });
  for (let i = 1; i < 21; i++) assert.ok(scale[i] >= scale[i - 1], `non-decreasing at ${i}`);
});

Deno.test("pdToNotch() picks the nearest notch in log PD, with cut-offs at geometric means", () => {
  const scale = notchPdScale(table);
  for (let n = 0; n < 21; n++) assert.equal(pdToNotch(scale[n], scale), n, `exact PD of ${RATING_NOTCHES[n]}`);
  const cut = Math.sqrt(scale[8] * scale[9]);
  assert.equal(pdToNotch(cut * 0.999, scale), 8);
  assert.equal(pdToNotch(cut * 1.001, scale), 9);
  assert.equal(pdToNotch(0, scale), 0);
  assert.equal(pdToNotch(1, scale), DEFAULT_NOTCH);
  assert.throws(() => pdToNotch(1.2, scale), /pd must be a probability in \[0, 1\], received 1.2/);
  assert.throws(() => pdToNotch(NaN, scale), /received NaN/);
  assert.throws(() => pdToNotch(0.01, [0.1, 0.2]), /scale must be 21 non-decreasing PDs/);
});

Deno.test("notchTransitionMatrix() adds back up to the letter matrix and spreads moves by notch distance", () => {
  const share = 0.1;
  const P = notchTransitionMatrix(table, { withinLetterShare: share, decay: 0.5 });
  P.forEach((row, i) => {
    assertClose(row.reduce((a, b) => a + b, 0), 1, { atol: 1e-12 }, `row ${i}`);
    assert.ok(row.every((p) => p >= 0), `row ${i} non-negative`);
  });
  const back = lettersFromNotches(P);
  back.forEach((row, i) => row.forEach((p, j) => assertClose(p, normalised[i][j], { atol: 1e-12 }, `${i}→${j}`)));
  // Every source notch, not only the average, aggregates back to its letter's row.
  const A = table.from.indexOf("A"), BBB = table.to.indexOf("BBB");
  for (const i of letterNotches("A")) {
    const toBBB = letterNotches("BBB").reduce((s, j) => s + P[i][j], 0);
    assertClose(toBBB, normalised[A][BBB], { atol: 1e-12 }, `${RATING_NOTCHES[i]} → BBB`);
  }
  // Hand-computed: A− to BBB+, BBB, BBB− at distances 1, 2, 3 with weights ½, ¼, ⅛: BBB+ gets 4/7.
  assertClose(P[notchIndex("A-")][notchIndex("BBB+")], (4 / 7) * normalised[A][BBB], { rtol: 1e-12 });
  // Within the letter: AA stays with (1 − share) of P(AA → AA); AA+ and AA− (distance 1 each) split the rest.
  const AA = table.from.indexOf("AA");
  assertClose(P[2][2], (1 - share) * normalised[AA][AA], { rtol: 1e-12 });
  assertClose(P[2][1], (share / 2) * normalised[AA][AA], { rtol: 1e-12 });
  assert.equal(P[0][0], normalised[0][0]); // AAA has one notch: nothing moves within the letter
  assert.deepEqual(P[DEFAULT_NOTCH], [...new Array(20).fill(0), 1]);
  assert.throws(() => notchTransitionMatrix({ ...table, to: [...table.to, "NR"] }), /NR-adjusted matrix/);
  assert.throws(() => notchTransitionMatrix(table, { withinLetterShare: 1 }), /withinLetterShare must be in \[0, 1\)/);
});

Deno.test("ratingGenerator() recovers the generator of an embeddable matrix exactly", () => {
  const G = [
    [-0.1, 0.08, 0.015, 0.005],
    [0.05, -0.15, 0.08, 0.02],
    [0.005, 0.1, -0.305, 0.2],
    [0, 0, 0, 0],
  ];
  for (const method of ["diagonal", "weighted"] as const) {
    const g = ratingGenerator(expm(G), { method });
    assert.equal(g.clippedMass, 0, method);
    G.forEach((row, i) =>
      row.forEach((q, j) => assertClose(g.generator[i][j], q, { atol: 1e-12 }, `${method} ${i}${j}`))
    );
    assert.ok(g.oneYearError < 1e-12);
  }
});

Deno.test("ratingGenerator() repairs the published matrix into a valid generator close to it", () => {
  const P = notchTransitionMatrix(table);
  for (const method of ["diagonal", "weighted"] as const) {
    const g = ratingGenerator(P, { method });
    g.generator.forEach((row, i) => {
      assertClose(row.reduce((a, b) => a + b, 0), 0, { atol: 1e-12 }, `${method} row ${i} sums to 0`);
      row.forEach((q, j) => assert.ok(j === i || q >= 0, `${method} Q[${i}][${j}] = ${q}`));
    });
    assert.ok(g.mostNegative <= 0 && g.clippedMass >= 0);
    // The repair moves the one-year matrix by no more than the clipped mass (a property of both adjustments).
    assert.ok(g.oneYearError <= g.clippedMass + 1e-12, `${method}: ${g.oneYearError} vs ${g.clippedMass}`);
    assert.deepEqual(g.generator[DEFAULT_NOTCH], new Array(21).fill(0));
  }
  assert.throws(() => ratingGenerator(P, { method: "x" as "diagonal" }), /method must be "diagonal" or "weighted"/);
  assert.throws(() => ratingGenerator([[0.5, 0.4], [0, 1]]), /P\[0\] must be a probability row summing to 1/);
});

Deno.test("transitionMatrixForStep() is a semigroup: twelve monthly steps make a year, 252 daily steps too", () => {
  const { generator } = ratingGenerator(notchTransitionMatrix(table));
  const year = transitionMatrixForStep(generator, 1);
  const monthly = transitionMatrixForStep(generator, 1 / 12);
  const daily = transitionMatrixForStep(generator, 1 / 252);
  for (const [P, n, label] of [[monthly, 12, "monthly"], [daily, 252, "daily"]] as const) {
    P.forEach((row) => assert.ok(row.every((p) => p >= 0) && Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12));
    const Y = compoundTransitions(P as number[][], n);
    Y.forEach((row, i) => row.forEach((p, j) => assertClose(p, year[i][j], { atol: 1e-12 }, `${label} ${i}→${j}`)));
  }
  assert.ok(daily[8][8] > 0.99 && daily[8][8] < 1, `a BBB stays a day with ${daily[8][8]}`);
  assert.throws(() => transitionMatrixForStep(generator, 0), /stepYears must be > 0/);
  assert.throws(() => transitionMatrixForStep([[0.1, -0.1], [0, 0]], 1), /generator\[0\] must be a generator row/);
});

Deno.test("compoundTransitions() equals repeated multiplication", () => {
  const P = [[0.9, 0.1, 0], [0.05, 0.9, 0.05], [0, 0, 1]];
  let naive = P;
  for (let k = 1; k < 7; k++) {
    naive = naive.map((row) => P[0].map((_, j) => row.reduce((s, p, m) => s + p * P[m][j], 0)));
  }
  const fast = compoundTransitions(P, 7);
  naive.forEach((row, i) => row.forEach((p, j) => assertClose(fast[i][j], p, { atol: 1e-15 })));
  assert.throws(() => compoundTransitions(P, 0), /steps must be an integer ≥ 1/);
});

Deno.test("notchTransitionMask() makes D absorbing and limits jumps", () => {
  const m = notchTransitionMask({ maxJump: 2 });
  assert.deepEqual(m[DEFAULT_NOTCH], [...new Array(20).fill(false), true]);
  assert.equal(m[5][7], true);
  assert.equal(m[5][8], false);
  assert.equal(m[0][DEFAULT_NOTCH], true);
});

Deno.test("compoundTransitions() powers correctly beyond 2³¹ steps (a bit shift truncated the count)", () => {
  // P = [[0.9, 0.1], [0.2, 0.8]] mixes to its stationary law (2/3, 1/3) (numpy: the left eigenvector of eigenvalue 1).
  const mixed = compoundTransitions([[0.9, 0.1], [0.2, 0.8]], 2 ** 31 + 1);
  for (const row of mixed) assertClose(row[0], 2 / 3, { rtol: 1e-6 }), assertClose(row[1], 1 / 3, { rtol: 1e-6 });
  // With an absorbing state every mass ends there.
  const absorbed = compoundTransitions([[0.9, 0.1], [0, 1]], 1e12);
  assertClose(absorbed[0][1], 1, { rtol: 1e-9 });
  assert.equal(absorbed[0][0], 0);
});

Deno.test("ratings: transition tables, PD lists and notch names are checked at the entry, with the caller's names", () => {
  assert.throws(() => notchTransitionMatrix(null as never), { name: "TypeError", message: /table must be an object/ });
  assert.throws(() => notchTransitionMatrix({ ...table, from: "x" as never }), /table.from must be an array of rating/);
  const bad = table.probabilities.map((r) => [...r]);
  bad[0][0] = Infinity;
  assert.throws(
    () => notchTransitionMatrix({ ...table, probabilities: bad }),
    /table.probabilities\[0\]\[0\] must be finite/,
  );
  bad[0][0] = 0.5; // the row no longer sums to 1
  assert.throws(
    () => notchTransitionMatrix({ ...table, probabilities: bad }),
    /table.probabilities\[0\] must be a row summing to 1/,
  );
  assert.throws(
    () => notchPdScale({ ...table, probabilities: null as never }),
    /table.probabilities must be an array of rows/,
  );
  assert.throws(() => notchToLetter("1"), {
    name: "RangeError",
    message:
      'Cannot map notch to letter: notch must be an integer notch in [0, 20] or a rating name (AAA … D), received "1"',
  });
  const scale = notchPdScale(table);
  assert.throws(() => pdsToNotches(null as never, scale), { name: "TypeError", message: /pd must be an array/ });
  assert.throws(() => pdsToNotches([0.1], null as never), { name: "TypeError", message: /scale must be an array/ });
  assert.throws(() => notchTransitionMask(null as never), /opts must be an options object/);
});
