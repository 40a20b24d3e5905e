import assert from "node:assert/strict";
import { assertAllClose, assertClose } from "../_assert.ts";
import { expm, leastSquares, logm } from "../../lib/core/linalg.ts";
import { nelderMead } from "../../lib/core/optimize.ts";

Deno.test("leastSquares() matches numpy.linalg.lstsq", () => {
  // numpy: lstsq([[1,0,1],[1,1,0],[1,2,1],[1,3,0],[1,4,1],[1,5,1]], [1.1,2.9,5.2,6.8,9.1,11.2])
  const X = [[1, 0, 1], [1, 1, 0], [1, 2, 1], [1, 3, 0], [1, 4, 1], [1, 5, 1]];
  const fit = leastSquares(X, [1.1, 2.9, 5.2, 6.8, 9.1, 11.2]);
  assertAllClose(fit.coefficients, [0.8440298507462672, 2.0029850746268654, 0.2977611940298521], { rtol: 1e-12 });
  assert.ok(fit.rSquared > 0.99 && fit.rSquared <= 1);
});

Deno.test("leastSquares() rejects rank-deficient designs and mismatched lengths", () => {
  assert.throws(() => leastSquares([[1, 2], [2, 4], [3, 6]], [1, 2, 3]), {
    name: "RangeError",
    message: /full column rank/,
  });
  assert.throws(() => leastSquares([[1], [2], [3]], [1, 2]), { name: "RangeError", message: /y.length must be 3/ });
});

Deno.test("expm() matches scipy.linalg.expm on a rating generator and a rotation-like matrix", () => {
  const P = expm([[-0.3, 0.2, 0.1], [0.05, -0.15, 0.1], [0, 0, 0]]);
  const ref = [
    [0.7447179553821627, 0.16011946265379695, 0.09516258196404043],
    [0.04002986566344923, 0.8648075523725104, 0.09516258196404043],
    [0, 0, 1],
  ];
  P.forEach((row, i) => assertAllClose(row, ref[i], { atol: 1e-15 }, `row ${i}`));
  const E = expm([[1, 2], [-1, 0.5]]);
  assertAllClose(E[0], [0.7507801364106579, 2.9932726822965825], { rtol: 1e-13 });
  assertAllClose(E[1], [-1.4966363411482912, 0.0024619658365122705], { rtol: 1e-11 });
  assertClose(expm([[0]])[0][0], 1, { atol: 0 });
});

Deno.test("nelderMead() finds the minimum of Rosenbrock's function and of a shifted quadratic", () => {
  const rosen = nelderMead(([x, y]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2, [-1.2, 1], { tolerance: 1e-14 });
  assert.ok(rosen.converged);
  assertAllClose(rosen.x, [1, 1], { atol: 1e-4 });
  const quad = nelderMead(([a, b, c]) => (a - 3) ** 2 + 2 * (b + 1) ** 2 + 0.5 * (c - 0.25) ** 2, [0, 0, 0]);
  assertAllClose(quad.x, [3, -1, 0.25], { atol: 1e-4 });
  assert.throws(() => nelderMead(() => NaN, [0]), { name: "RangeError", message: /objective must be a number/ });
});

Deno.test("logm() matches the closed form of a two-state chain, with and without square roots", () => {
  // P = I − M with M = [[a, −a], [−b, b]], M² = (a + b)M, so log P = ln(1 − a − b)/(a + b) · M.
  for (const [a, b] of [[0.03, 0.01], [0.3, 0.5], [0.6, 0.3]]) {
    const Q = logm([[1 - a, a], [b, 1 - b]]);
    const c = Math.log(1 - a - b) / (a + b);
    assertClose(Q[0][0], c * a, { rtol: 1e-12 }, `a=${a} Q00`);
    assertClose(Q[0][1], -c * a, { rtol: 1e-12 }, `a=${a} Q01`);
    assertClose(Q[1][0], -c * b, { rtol: 1e-12 }, `b=${b} Q10`);
    assertClose(Q[1][1], c * b, { rtol: 1e-12 }, `b=${b} Q11`);
  }
});

Deno.test("logm() inverts expm() on a rating generator with an absorbing state", () => {
  const G = [
    [-0.12, 0.1, 0.015, 0.005],
    [0.04, -0.2, 0.14, 0.02],
    [0.01, 0.3, -0.61, 0.3],
    [0, 0, 0, 0],
  ];
  const Q = logm(expm(G));
  G.forEach((row, i) => row.forEach((g, j) => assertClose(Q[i][j], g, { atol: 1e-12 }, `Q[${i}][${j}]`)));
});

Deno.test("logm() refuses a matrix with a negative eigenvalue", () => {
  assert.throws(() => logm([[0, 1], [1, 0]]), /Cannot compute matrix logarithm: A must be/);
  assert.throws(() => logm([[1, 2]]), /square/);
});

Deno.test("nelderMead() refuses a non-function objective and bad options, and names f when it returns NaN", () => {
  assert.throws(() => nelderMead(null as unknown as (x: number[]) => number, [0]), {
    name: "TypeError",
    message: "Cannot minimise with Nelder-Mead: f must be a function, received null",
  });
  // An objective reading a coordinate that x0 lacks returns NaN: the message says where f was evaluated.
  assert.throws(() => nelderMead((x) => x[0] + x[1], [0]), {
    name: "RangeError",
    message:
      "Cannot minimise with Nelder-Mead: the objective must be a number or Infinity, received NaN from f at x = [0]",
  });
  assert.throws(() => nelderMead((x) => x[0] ** 2, [1], null as unknown as object), { message: /opts must be/ });
  assert.throws(() => nelderMead((x) => x[0] ** 2, [1], { maxIterations: 2.5 }), { message: /maxIterations must be/ });
  assert.throws(() => nelderMead((x) => x[0] ** 2, [1], { tolerance: -1 }), { message: /tolerance must be >= 0/ });
  assert.throws(() => nelderMead((x) => x[0] ** 2, [1], { step: [0.1, 0.2] }), {
    message: /opts.step.length must be 1/,
  });
  assert.throws(() => nelderMead((x) => x[0] ** 2, [1], { tol: 1 } as object), { message: /unknown option opts.tol/ });
});
