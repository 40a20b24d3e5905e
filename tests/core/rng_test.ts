import assert from "node:assert/strict";
// @ts-types="npm:@types/seedrandom@3.0.8"
import seedrandom from "seedrandom";
import { assertClose } from "../_assert.ts";
import {
  choleskyLower,
  correlatedNormals,
  fillStandardNormal,
  gamma,
  makeRng,
  randomInteger,
  seedKey,
  standardNormal,
  studentT,
  substream,
  uniform,
} from "../../lib/core/rng.ts";
import { correlation, excessKurtosis, mean, variance } from "../../lib/core/stats.ts";

const draws = (rng: () => number, n: number) => Array.from({ length: n }, rng);

Deno.test("makeRng() pins its first draws, the same on every machine", () => {
  // Regression pins: the key derivation (seedKey, checked against Python's hashlib below) feeds seedrandom's
  // xor4096, whose output is platform independent. A change here changes every seeded result of the kit.
  assert.deepEqual(draws(makeRng(42), 3), [0.8479471521895083, 0.8438952342540289, 0.2581800691493925]);
  const normals = makeRng("creditlab", "normals");
  assert.deepEqual(
    [standardNormal(normals), standardNormal(normals), standardNormal(normals)],
    [-0.801518853694094, -0.6756070662810815, 0.2411302284852555],
  );
});

Deno.test("seedKey() is the SHA-256 of the canonical seed, as Python's hashlib computes it", () => {
  // python3 -c 'import hashlib,json; print(hashlib.sha256(json.dumps(["creditlab.rng.v1","42","vix"],
  //   separators=(",",":")).encode()).hexdigest())'
  assert.equal(seedKey(42, "vix"), "ea0d2e450bb867151cde9c82b467e84ad32f24e3b491fe1a50c1fb20da6008de");
  assert.equal(seedKey(42, "vix"), seedKey("42", "vix")); // a number and its decimal string are one seed
});

Deno.test("makeRng() gives distinct streams for seeds that bare seedrandom confuses", () => {
  // seedrandom's ARC4 repeats its key, so "1", "11" and "1111" are one stream there.
  assert.equal(seedrandom("1")(), seedrandom("11")());
  assert.equal(seedrandom("1")(), seedrandom("1111")());
  const firsts = ["1", "11", "1111", 1, 11, "", " "].map((s) => makeRng(s)());
  assert.equal(new Set(firsts).size, 5); // 1 ≡ "1" and 11 ≡ "11"; the five distinct seeds give five streams
  assert.notDeepEqual(draws(makeRng("1"), 5), draws(makeRng("11"), 5));
});

Deno.test("named sub-streams are independent and unaffected by draws from other streams", () => {
  const a = draws(makeRng(7, "spreads"), 20_000);
  const b = draws(makeRng(7, "vix"), 20_000);
  assertClose(correlation(a, b), 0, { atol: 4 / Math.sqrt(20_000) }); // 4 standard errors
  const parent = makeRng(7);
  draws(parent, 1_000);
  assert.deepEqual(draws(substream(parent, "vix"), 5), b.slice(0, 5));
  assert.notDeepEqual(draws(makeRng(7, "spreads", "IG"), 5), draws(makeRng(7, "spreads"), 5));
});

Deno.test("uniform draws lie in (0, 1) with mean 1/2 and variance 1/12", () => {
  const u = draws(makeRng("uniform"), 100_000);
  assert.ok(u.every((x) => x > 0 && x < 1));
  assertClose(mean(u), 0.5, { atol: 4 * Math.sqrt(1 / 12 / 100_000) });
  assertClose(variance(u), 1 / 12, { rtol: 0.02 });
});

Deno.test("standardNormal() has mean 0, variance 1 and no excess kurtosis", () => {
  const rng = makeRng("normal-moments");
  const z = Array.from({ length: 200_000 }, () => standardNormal(rng));
  assertClose(mean(z), 0, { atol: 4 / Math.sqrt(200_000) });
  assertClose(variance(z), 1, { atol: 4 * Math.sqrt(2 / 200_000) });
  assertClose(excessKurtosis(z), 0, { atol: 4 * Math.sqrt(24 / 200_000) });
});

Deno.test("gamma() has mean and variance equal to its shape, above and below 1", () => {
  for (const shape of [0.5, 2.5, 10]) {
    const rng = makeRng("gamma", String(shape));
    const g = Array.from({ length: 100_000 }, () => gamma(rng, shape));
    assertClose(mean(g), shape, { rtol: 0.02 }, `mean, shape ${shape}`);
    assertClose(variance(g), shape, { rtol: 0.05 }, `variance, shape ${shape}`);
  }
});

Deno.test("studentT() has variance ν/(ν − 2), and 1 when standardized", () => {
  const nu = 6;
  const rng = makeRng("student");
  const t = Array.from({ length: 200_000 }, () => studentT(rng, nu));
  assertClose(variance(t), nu / (nu - 2), { rtol: 0.04 });
  const s = Array.from({ length: 200_000 }, () => studentT(rng, nu, { standardized: true }));
  assertClose(variance(s), 1, { rtol: 0.04 });
  assert.throws(() => studentT(rng, 2, { standardized: true }), {
    name: "RangeError",
    message: "Cannot draw Student-t variate: nu must be > 2 for a standardized draw, received 2",
  });
});

Deno.test("correlatedNormals() reproduce the covariance matrix within sampling error", () => {
  const cov = [[0.04, 0.018, -0.006], [0.018, 0.09, 0.012], [-0.006, 0.012, 0.0225]];
  const n = 100_000;
  const x = correlatedNormals(makeRng("cov"), cov, n);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (const v of x) s += v[i] * v[j];
      const se = Math.sqrt((cov[i][i] * cov[j][j] + cov[i][j] ** 2) / n); // sd of a sample covariance
      assertClose(s / n, cov[i][j], { atol: 4 * se }, `cov[${i}][${j}]`);
    }
  }
});

Deno.test("choleskyLower() factors a known matrix and accepts a singular covariance", () => {
  const L = choleskyLower([[4, 2, 2], [2, 5, 3], [2, 3, 6]]);
  assert.deepEqual(L.map((r) => Array.from(r)), [[2, 0, 0], [1, 2, 0], [1, 1, 2]]);
  const perfect = choleskyLower([[1, 1], [1, 1]]); // perfectly correlated
  assert.deepEqual(perfect.map((r) => Array.from(r)), [[1, 0], [1, 0]]);
});

Deno.test("choleskyLower() rejects asymmetric and indefinite matrices", () => {
  assert.throws(() => choleskyLower([[1, 0.5], [0.4, 1]]), {
    name: "RangeError",
    message: /covariance\[1\]\[0\] must be equal to covariance\[0\]\[1\]/,
  });
  assert.throws(() => choleskyLower([[1, 2], [2, 1]]), {
    name: "RangeError",
    message: /covariance must be positive semi-definite, received pivot -3 at row 1/,
  });
});

Deno.test("makeRng() rejects seeds that are not finite numbers or strings", () => {
  assert.throws(() => makeRng(NaN), {
    name: "RangeError",
    message: "Cannot make random generator: seed must be a finite number or a string, received NaN",
  });
  // deno-lint-ignore no-explicit-any
  assert.throws(() => makeRng({} as any), { name: "TypeError" });
  assert.throws(() => randomInteger(makeRng(1), 0), { name: "RangeError" });
});

Deno.test("the draws refuse a missing generator with a message naming rng, not an engine error", () => {
  const notRng = null as unknown as ReturnType<typeof makeRng>;
  const calls: [string, () => unknown][] = [
    ["draw uniform variate", () => uniform(notRng)],
    ["draw random integer", () => randomInteger(notRng, 3)],
    ["draw standard normal", () => standardNormal(notRng)],
    ["draw standard normals", () => fillStandardNormal(notRng, new Float64Array(2))],
    ["draw gamma variate", () => gamma(notRng, 2)],
    ["draw Student-t variate", () => studentT(notRng, 5)],
    ["draw correlated normals", () => correlatedNormals(notRng, [[1]], 2)],
  ];
  for (const [action, call] of calls) {
    assert.throws(call, {
      name: "TypeError",
      message: `Cannot ${action}: rng must be a generator from makeRng, received null`,
    });
  }
  assert.throws(() => fillStandardNormal(makeRng(1), "x" as unknown as Float64Array), {
    message: /out must be a Float64Array/,
  });
});

Deno.test("uniform() refuses infinite or reversed bounds instead of returning NaN; studentT() checks its options", () => {
  assert.throws(() => uniform(makeRng(1), -Infinity, 2), { name: "RangeError", message: /low must be finite/ });
  assert.throws(() => uniform(makeRng(1), -1, NaN), { name: "RangeError", message: /high must be finite/ });
  assert.throws(() => uniform(makeRng(1), 2, 1), { name: "RangeError", message: /high must be >= low/ });
  const u = makeRng("u")();
  assert.equal(uniform(makeRng("u"), -1, 2), -1 + 3 * u); // valid draws are unchanged: low + (high − low)·U
  assert.throws(() => studentT(makeRng(1), 5, null as unknown as object), {
    name: "TypeError",
    message: /opts must be/,
  });
  assert.throws(() => studentT(makeRng(1), 5, { standardised: true } as object), {
    name: "TypeError",
    message: /unknown option opts.standardised; did you mean opts.standardized/,
  });
  assert.throws(() => correlatedNormals(makeRng(1), [[1, 0], [0, 1]], 2 ** 28), { message: /count must be at most/ });
});
