import assert from "node:assert/strict";
import { assertAllClose, assertClose } from "../_assert.ts";
import { makeRng, standardNormal } from "../../lib/core/rng.ts";
import {
  correlationFilter,
  equalWeights,
  kellyFraction,
  kellyWeights,
  marketCapWeights,
} from "../../lib/portfolio/weights.ts";

// ---------------------------------------------------------------------------------------------------------------
// Equal weights

Deno.test("equalWeights() gives 1/n, or 1/k on the names of a mask", () => {
  assert.deepEqual(equalWeights(1), [1]);
  assert.deepEqual(equalWeights(5), [0.2, 0.2, 0.2, 0.2, 0.2]);
  assert.deepEqual(equalWeights([false, true, true, false]), [0, 0.5, 0.5, 0]);
  assert.throws(() => equalWeights(0), {
    name: "RangeError",
    message: "Cannot compute equal weights: nOrMask must be an integer >= 1, received 0",
  });
  assert.throws(() => equalWeights([false, false]), {
    name: "RangeError",
    message: "Cannot compute equal weights: nOrMask must select at least one name, received no true entry",
  });
  assert.throws(() => equalWeights([true, 1 as unknown as boolean]), {
    name: "TypeError",
    message: "Cannot compute equal weights: nOrMask[1] must be a boolean, received 1",
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Market-cap weights with a cap

/**
 * Independent reference: the capped weights are those of "cap the k largest names, scale the rest", for the k at
 * which the scaled rest stays under the cap while each capped name would exceed it (searched over every k).
 */
function cappedByEnumeration(caps: number[], cap: number): number[] {
  const order = caps.map((_, i) => i).sort((a, b) => caps[b] - caps[a] || a - b);
  for (let k = 0; k <= caps.length; k++) {
    const top = new Set(order.slice(0, k));
    const rest = caps.reduce((s, c, i) => (top.has(i) ? s : s + c), 0);
    const scale = (1 - k * cap) / rest;
    const restOk = caps.every((c, i) => top.has(i) || c * scale <= cap * (1 + 1e-12));
    const topOk = [...top].every((i) => caps[i] * scale >= cap * (1 - 1e-12));
    if (restOk && topOk) return caps.map((c, i) => (top.has(i) ? cap : c * scale));
  }
  throw new Error("no consistent k");
}

Deno.test("marketCapWeights() without a cap is proportional to capitalisation", () => {
  assertAllClose(marketCapWeights([50, 30, 20]), [0.5, 0.3, 0.2], { atol: 1e-15 });
  assert.deepEqual(marketCapWeights([0, 10, 0]), [0, 1, 0]);
});

Deno.test("marketCapWeights() cap redistribution: sums to 1, respects the cap, keeps the ranking, matches enumeration", () => {
  const rng = makeRng("cap-redistribution");
  for (let trial = 0; trial < 200; trial++) {
    const n = 2 + Math.floor(rng() * 40);
    // Log-normal capitalisations (a few giants), some zero.
    const caps: number[] = Array.from({ length: n }, () => (rng() < 0.1 ? 0 : Math.exp(2 * standardNormal(rng))));
    if (!caps.some((c) => c > 0)) caps[0] = 1;
    const positive = caps.filter((c) => c > 0).length;
    const cap = (1 / positive) * (1 + 3 * rng());
    if (cap > 1) continue;
    const w = marketCapWeights(caps, { maxWeight: cap });
    assertClose(w.reduce((a, b) => a + b, 0), 1, { atol: 1e-12 }, "sum");
    assert.ok(w.every((x) => x >= 0 && x <= cap * (1 + 1e-12)), "bounds");
    for (let i = 0; i < n; i++) {
      if (caps[i] === 0) assert.equal(w[i], 0);
      for (let j = 0; j < n; j++) if (caps[i] > caps[j]) assert.ok(w[i] >= w[j] - 1e-15, "ranking kept");
    }
    // Uncapped names share one scale factor wᵢ / capᵢ.
    const uncapped = caps.map((_, i) => i).filter((i) => caps[i] > 0 && w[i] < cap * (1 - 1e-12));
    for (const i of uncapped) assertClose(w[i] / caps[i], w[uncapped[0]] / caps[uncapped[0]], { rtol: 1e-12 });
    assertAllClose(w, cappedByEnumeration(caps, cap), { atol: 1e-12 }, `trial ${trial}`);
  }
});

Deno.test("marketCapWeights() needs the cap to hold the whole portfolio and validates its input", () => {
  assert.throws(() => marketCapWeights([5, 3, 0, 2], { maxWeight: 0.3 }), {
    name: "RangeError",
    message: "Cannot compute market-cap weights: opts.maxWeight must be >= 1/3 = 0.3333333333333333 for 3 names of " +
      "positive capitalisation to hold the whole portfolio, received 0.3",
  });
  assert.throws(() => marketCapWeights([5, -1]), {
    name: "RangeError",
    message: "Cannot compute market-cap weights: caps[1] must be >= 0, received -1",
  });
  assert.throws(() => marketCapWeights([0, 0]), /caps must be positive for at least one name/);
  assert.throws(() => marketCapWeights([1, 2], { maxWeight: 1.5 }), /opts.maxWeight must be <= 1, received 1.5/);
  assert.throws(() => marketCapWeights([1, 2], { cap: 0.5 } as never), {
    name: "TypeError",
    message: "Cannot compute market-cap weights: unknown option opts.cap; known options: opts.maxWeight",
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Kelly

/** Expected log growth of staking f on a bet paying b with probability p: p·log(1 + b·f) + (1 − p)·log(1 − f). */
function logGrowth(f: number, p: number, b: number): number {
  return p * Math.log1p(b * f) + (1 - p) * Math.log1p(-f);
}

Deno.test("kellyFraction() equals p − (1 − p)/b and maximises the expected log growth (brute force)", () => {
  // Thorp (2006) §2: a 60/40 even-money bet stakes 20% of capital.
  assertClose(kellyFraction({ winRate: 0.6, payoffRatio: 1 }), 0.2, { atol: 1e-15 });
  for (const [p, b] of [[0.55, 1.5], [0.6, 1], [0.4, 2], [0.7, 0.8], [0.52, 1.1], [0.3, 4]] as const) {
    const f = kellyFraction({ winRate: p, payoffRatio: b });
    assertClose(f, p - (1 - p) / b, { atol: 1e-15 });
    // Grid search of g(f) over f ∈ [0, 0.99999] in steps of 1e-5.
    let best = 0, bestValue = logGrowth(0, p, b);
    for (let k = 1; k < 100_000; k++) {
      const v = logGrowth(k * 1e-5, p, b);
      if (v > bestValue) (best = k * 1e-5, bestValue = v);
    }
    assertClose(best, f, { atol: 1e-5 }, `p = ${p}, b = ${b}`);
  }
});

Deno.test("kellyFraction() is negative for a negative edge, where staking nothing is best", () => {
  const f = kellyFraction({ winRate: 0.4, payoffRatio: 1 });
  assertClose(f, -0.2, { atol: 1e-15 });
  for (let k = 1; k < 1000; k++) assert.ok(logGrowth(k * 1e-3, 0.4, 1) < 0, "any stake loses growth");
  assert.throws(() => kellyFraction({ winRate: 1.2, payoffRatio: 1 }), {
    name: "RangeError",
    message: "Cannot compute Kelly fraction: winRate must be in [0, 1], received 1.2",
  });
  assert.throws(() => kellyFraction({ winRate: 0.5, payoffRatio: 0 }), {
    name: "RangeError",
    message: "Cannot compute Kelly fraction: payoffRatio must be > 0, received 0",
  });
  assert.throws(() => kellyFraction({ winRate: 0.5, payoff: 1 } as never), /unknown option payoff/);
});

Deno.test("kellyWeights() caps at 5% by default, zeroes negative edges and scales fractional Kelly", () => {
  const winRates = [0.6, 0.52, 0.4, 0.5, 0.55];
  const payoffRatios = [1, 1, 1, 1, 1.2];
  // Kelly fractions 0.2, 0.04, −0.2, 0, 0.55 − 0.45/1.2 = 0.175.
  assertAllClose(kellyWeights({ winRates, payoffRatios }), [0.05, 0.04, 0, 0, 0.05], { atol: 1e-15 });
  assertAllClose(
    kellyWeights({ winRates, payoffRatios, maxWeight: 0.1, fraction: 0.5 }),
    [0.1, 0.02, 0, 0, 0.0875],
    { atol: 1e-15 },
  );
  assertAllClose(kellyWeights({ winRates, payoffRatios, maxWeight: 1 }), [0.2, 0.04, 0, 0, 0.175], { atol: 1e-15 });
  assert.throws(() => kellyWeights({ winRates, payoffRatios: [1, 1] }), {
    name: "RangeError",
    message: "Cannot compute Kelly weights: payoffRatios.length must be 5, received 2",
  });
  assert.throws(() => kellyWeights({ winRates: [0.5, -0.1], payoffRatios: [1, 1] }), {
    name: "RangeError",
    message: "Cannot compute Kelly weights: winRates[1] must be in [0, 1], received -0.1",
  });
  assert.throws(() => kellyWeights({ winRates, payoffRatios, maxWeight: 0 }), /maxWeight must be > 0, received 0/);
  assert.throws(() => kellyWeights({ winRates, payoffRatios, fraction: 2 }), /fraction must be <= 1, received 2/);
  assert.throws(() => kellyWeights({ winRates, payoffRatios, cap: 0.1 } as never), /unknown option cap/);
});

// ---------------------------------------------------------------------------------------------------------------
// Correlation filter

/** A random correlation matrix: normalised sample covariance of 3-factor data. */
function randomCorrelation(n: number, seed: string): number[][] {
  const rng = makeRng(seed);
  const loadings = Array.from({ length: n }, () => Array.from({ length: 3 }, () => standardNormal(rng)));
  const cov = loadings.map((a, i) =>
    loadings.map((b, j) => a.reduce((s, x, k) => s + x * b[k], 0) + (i === j ? 0.5 : 0))
  );
  return cov.map((row, i) => row.map((c, j) => (i === j ? 1 : c / Math.sqrt(cov[i][i] * cov[j][j]))));
}

/**
 * Brute force: among all subsets with no pair above the limit, the one that is lexicographically largest in
 * priority order (the best name counts most, then the second, …) — the definition of the greedy result.
 */
function lexicographicBest(correlation: number[][], order: number[], limit: number, absolute: boolean): number[] {
  const n = order.length;
  let best: number[] = [];
  let bestKey = -1;
  for (let mask = 0; mask < 1 << n; mask++) {
    const chosen = order.filter((_, k) => mask & (1 << (n - 1 - k)));
    let ok = true;
    for (let a = 0; a < chosen.length && ok; a++) {
      for (let b = a + 1; b < chosen.length && ok; b++) {
        const rho = correlation[chosen[a]][chosen[b]];
        if ((absolute ? Math.abs(rho) : rho) > limit) ok = false;
      }
    }
    if (ok && mask > bestKey) (best = chosen, bestKey = mask);
  }
  return best;
}

Deno.test("correlationFilter() equals the brute-force lexicographic best set on small random cases", () => {
  const rng = makeRng("filter-brute-force");
  for (let trial = 0; trial < 150; trial++) {
    const n = 2 + Math.floor(rng() * 9);
    const correlation = randomCorrelation(n, `filter-${trial}`);
    const scores = Array.from({ length: n }, () => Math.round(10 * rng()) / 10); // ties on purpose
    const limit = [0.6, 0.3, 0, -0.1][trial % 4];
    const absolute = trial % 3 === 0;
    const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
    const kept = correlationFilter(correlation, scores, { maxCorrelation: limit, absolute });
    assert.deepEqual(kept, lexicographicBest(correlation, order, limit, absolute), `trial ${trial}`);
    // No kept pair above the limit; every dropped name conflicts with a kept one of higher priority.
    for (const i of kept) {
      for (const j of kept) {
        if (i !== j) assert.ok((absolute ? Math.abs(correlation[i][j]) : correlation[i][j]) <= limit);
      }
    }
    for (const i of order.filter((i) => !kept.includes(i))) {
      const rank = order.indexOf(i);
      assert.ok(
        kept.some((j) =>
          order.indexOf(j) < rank && (absolute ? Math.abs(correlation[i][j]) : correlation[i][j]) > limit
        ),
      );
    }
  }
});

Deno.test("correlationFilter() default limit 0.6, explicit order, and validation", () => {
  const rho = [
    [1, 0.61, 0.6, -0.9],
    [0.61, 1, 0.1, 0.2],
    [0.6, 0.1, 1, 0.0],
    [-0.9, 0.2, 0.0, 1],
  ];
  // 0.6 is allowed (not above the limit), 0.61 is not; −0.9 only counts with `absolute`.
  assert.deepEqual(correlationFilter(rho, [4, 3, 2, 1]), [0, 2, 3]);
  assert.deepEqual(correlationFilter(rho, [4, 3, 2, 1], { absolute: true }), [0, 2]);
  assert.deepEqual(correlationFilter(rho, { order: [1, 0, 2] }), [1, 2]);
  assert.throws(() => correlationFilter(rho, { order: [1, 1] }), {
    name: "RangeError",
    message: "Cannot filter correlated positions: priority.order[1] must be an index not listed before, received 1",
  });
  assert.throws(() => correlationFilter(rho, { order: [4] }), /priority.order\[0\] must be an integer in \[0, 3\]/);
  assert.throws(() => correlationFilter(rho, [1, 2]), {
    name: "RangeError",
    message: "Cannot filter correlated positions: priority.length must be 4, received 2",
  });
  assert.throws(() => correlationFilter([[1, 0.5], [0.4, 1]], [1, 2]), /correlation\[1\]\[0\] must be equal to/);
  assert.throws(() => correlationFilter([[1, 1.5], [1.5, 1]], [1, 2]), {
    name: "RangeError",
    message: "Cannot filter correlated positions: correlation[0][1] must be in [-1, 1], received 1.5",
  });
  assert.throws(() => correlationFilter(rho, [1, 2, 3, 4], { maxCorrelation: 2 }), /opts.maxCorrelation must be in/);
  assert.throws(() => correlationFilter(rho, [1, 2, 3, 4], { limit: 0.5 } as never), /unknown option opts.limit/);
});

// ---------------------------------------------------------------------------------------------------------------
// Fuzz-found classes (issue 17): messages name the caller's arguments; sizes are bounded

Deno.test("weights: bad arguments are refused naming nOrMask, p and priority", () => {
  // A size past MAX_ELEMENTS was an engine "Invalid array length".
  assert.throws(() => equalWeights(1e12), { name: "RangeError", message: /nOrMask must be <= 268435456 names/ });
  assert.throws(() => equalWeights(0.5), /nOrMask must be an integer >= 1, received 0.5/);
  // A non-object parameter object was "options must be …": the parameter is p.
  for (const bad of [null, 7]) {
    assert.throws(() => kellyFraction(bad as never), {
      name: "TypeError",
      message: `Cannot compute Kelly fraction: p must be an object, received ${bad}`,
    });
    assert.throws(() => kellyWeights(bad as never), /Cannot compute Kelly weights: p must be an object/);
  }
  assert.throws(() => kellyFraction(undefined as never), /p must be an object, received undefined/);
  // Scores were called "scores" in messages; the parameter is priority.
  const rho = [[1, 0.7, 0.2], [0.7, 1, 0.1], [0.2, 0.1, 1]];
  assert.throws(() => correlationFilter(rho, [3, 2]), /priority.length must be 3, received 2/);
  assert.throws(() => correlationFilter(rho, [NaN, 2, 1]), /priority\[0\] must be finite, received NaN/);
});
