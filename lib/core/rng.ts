/**
 * The kit's one seeded random-number generator, and the distributions drawn from it.
 *
 * Every stochastic entry point of creditlab takes `seed: number | string` and builds its generator here, so the same
 * seed gives the same numbers on every machine. Streams are named: `makeRng(seed, "spreads")` and
 * `makeRng(seed, "vix")` are independent generators, so adding draws to one model never shifts another's numbers.
 *
 * Construction. The generator is Brent's xorgens `xor4096` (period 2^4096 − 2^32) from seedrandom, keyed with the
 * SHA-256 digest of the canonical seed and the stream names. Hashing matters: seedrandom keys its generators by
 * repeating the seed string, so with bare seedrandom the seeds `"1"`, `"11"` and `"1111"` give identical streams.
 * A number seed and its decimal string are the same seed (`42` and `"42"`).
 *
 * References:
 * 1. Brent, R. P. (2007). Some long-period random number generators using shifts and xors. ANZIAM J. 48, C188–C202.
 * 2. Marsaglia, G. & Tsang, W. W. (2000). A simple method for generating gamma variables. ACM TOMS 26(3), 363–372.
 * @module
 */
// @ts-types="npm:@types/seedrandom@3.0.8"
import seedrandom from "seedrandom";
import { createHash } from "node:crypto";
import {
  MAX_ELEMENTS,
  rangeError,
  Received,
  requireBoolean,
  requireFinite,
  requireMatrix,
  requireOptions,
  requirePositive,
  requireSeed,
  requireString,
  typeError,
} from "./check.ts";
import { normInv } from "./special.ts";

/** A seed: a finite number or a string. `42` and `"42"` are the same seed. */
export type Seed = number | string;

/** A seeded uniform generator: each call returns the next double in (0, 1) with 53 random bits. */
export interface Rng {
  (): number;
  /** The canonical seed and stream path that built this generator, e.g. `42/spreads`. */
  readonly key: string;
}

/**
 * Builds the seeded generator for `seed` and an optional path of named sub-streams.
 *
 * @param seed A finite number or a string.
 * @param streams Names of nested sub-streams; each name gives an independent generator.
 * @returns A function returning uniform doubles in the open interval (0, 1).
 * @throws {TypeError} If the seed is neither a number nor a string, or a stream name is empty.
 *
 * @example Distinct seeds give distinct streams, even those bare seedrandom confuses
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeRng } from "./rng.ts";
 *
 * assert.notEqual(makeRng("1")(), makeRng("11")());
 * assert.equal(makeRng(42, "vix")(), makeRng("42", "vix")());
 * ```
 */
export function makeRng(seed: Seed, ...streams: string[]): Rng {
  const digest = seedKey(seed, ...streams);
  const canonical = typeof seed === "number" ? String(Object.is(seed, -0) ? 0 : seed) : seed;
  const source = seedrandom.xor4096(digest);
  const rng = (() => {
    let u = source.double();
    while (u === 0) u = source.double(); // probability 2^-53 per draw; keeps log(u) and Φ⁻¹(u) finite
    return u;
  }) as Rng;
  Object.defineProperty(rng, "key", { value: [canonical, ...streams].join("/") });
  return rng;
}

/**
 * The key that seeds a generator: the SHA-256 hex digest of the JSON array `["creditlab.rng.v1", seed, ...streams]`
 * with the seed as a string. Distinct seeds and stream paths give distinct keys (barring a SHA-256 collision), all
 * of the same length, so seedrandom's key repetition cannot make two of them equal.
 *
 * @throws {TypeError} If the seed is neither a finite number nor a string, or a stream name is empty.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seedKey } from "./rng.ts";
 *
 * // python3 -c 'import hashlib,json; print(hashlib.sha256(json.dumps(["creditlab.rng.v1","42","vix"], separators=(",",":")).encode()).hexdigest())'
 * assert.equal(seedKey(42, "vix"), "ea0d2e450bb867151cde9c82b467e84ad32f24e3b491fe1a50c1fb20da6008de");
 * ```
 */
export function seedKey(seed: Seed, ...streams: string[]): string {
  requireSeed("make random generator", "seed", seed);
  streams.forEach((s, i) => requireString("make random generator", `streams[${i}]`, s));
  const canonical = typeof seed === "number" ? String(Object.is(seed, -0) ? 0 : seed) : seed;
  return createHash("sha256").update(JSON.stringify(["creditlab.rng.v1", canonical, ...streams])).digest("hex");
}

/**
 * A named sub-stream of an existing generator. It depends only on the generator's seed and stream path, never on
 * how many numbers were drawn from it, so `substream(rng, "noise")` is the same whenever it is called.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeRng, substream } from "./rng.ts";
 *
 * const rng = makeRng(7);
 * rng(); // drawing from the parent does not move the child
 * assert.equal(substream(rng, "noise")(), makeRng(7, "noise")());
 * ```
 */
export function substream(rng: Rng, name: string): Rng {
  if (typeof rng !== "function" || typeof rng.key !== "string") {
    throw typeError("make sub-stream", "rng", "a generator from makeRng", rng);
  }
  const [seed, ...path] = rng.key.split("/");
  return makeRng(seed, ...path, name);
}

/** Requires a generator (a function returning uniforms in (0, 1), as built by {@linkcode makeRng}). */
function requireRng(action: string, rng: unknown): Rng {
  if (typeof rng !== "function") throw typeError(action, "rng", "a generator from makeRng", rng);
  return rng as Rng;
}

/**
 * Uniform draw on (low, high).
 * @throws {TypeError} If `rng` is not a generator. @throws {RangeError} If a bound is not finite or high < low.
 */
export function uniform(rng: Rng, low = 0, high = 1): number {
  const action = "draw uniform variate";
  requireRng(action, rng);
  requireFinite(action, "low", low);
  requireFinite(action, "high", high);
  if (!(high >= low)) throw rangeError(action, "high", `>= low (${low})`, high);
  return low + (high - low) * rng();
}

/**
 * Uniform integer in {0, 1, …, n − 1}.
 * @throws {TypeError} If `rng` is not a generator. @throws {RangeError} If n is not an integer in [1, 2⁵³ − 1].
 */
export function randomInteger(rng: Rng, n: number): number {
  requireRng("draw random integer", rng);
  if (typeof n !== "number") throw typeError("draw random integer", "n", "a positive integer", n);
  if (!Number.isSafeInteger(n) || n < 1) throw rangeError("draw random integer", "n", "an integer in [1, 2^53 - 1]", n);
  return Math.floor(rng() * n);
}

/**
 * Standard normal draw by inversion, Z = Φ⁻¹(U): exactly one uniform per normal, so streams stay aligned.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeRng, standardNormal } from "./rng.ts";
 *
 * const rng = makeRng("normals");
 * let sum = 0;
 * for (let i = 0; i < 10_000; i++) sum += standardNormal(rng);
 * assert.ok(Math.abs(sum / 10_000) < 0.04); // 4 standard errors
 * ```
 */
export function standardNormal(rng: Rng): number {
  requireRng("draw standard normal", rng);
  return normInv(rng());
}

/**
 * Fills `out` with independent standard normals and returns it.
 * @throws {TypeError} If `rng` is not a generator or `out` is not a Float64Array.
 */
export function fillStandardNormal(rng: Rng, out: Float64Array): Float64Array {
  requireRng("draw standard normals", rng);
  if (!(out instanceof Float64Array)) throw typeError("draw standard normals", "out", "a Float64Array", out);
  for (let i = 0; i < out.length; i++) out[i] = normInv(rng());
  return out;
}

/**
 * Gamma(shape, 1) draw by Marsaglia and Tsang's squeeze method (shape < 1 via the boost G(a) = G(a + 1)·U^{1/a}).
 * Mean = shape, variance = shape.
 *
 * @throws {TypeError} If `rng` is not a generator. @throws {RangeError} If shape is not a finite number > 0.
 */
export function gamma(rng: Rng, shape: number): number {
  requireRng("draw gamma variate", rng);
  requirePositive("draw gamma variate", "shape", shape);
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(rng);
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = rng();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * Student-t draw with ν degrees of freedom: T = Z / √(χ²_ν / ν), χ²_ν = 2·Gamma(ν/2).
 * With `standardized`, T is scaled by √((ν − 2)/ν) to unit variance (ν > 2 required), the usual fat-tailed
 * innovation of GARCH-type models.
 *
 * @throws {TypeError} If `rng` is not a generator, or `opts` is not an options object of `standardized` (a boolean).
 * @throws {RangeError} If ν is not > 0, or not > 2 when standardized.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeRng, studentT } from "./rng.ts";
 *
 * const rng = makeRng("t");
 * let sumSq = 0;
 * for (let i = 0; i < 20_000; i++) sumSq += studentT(rng, 5, { standardized: true }) ** 2;
 * assert.ok(Math.abs(sumSq / 20_000 - 1) < 0.1);
 * ```
 */
export function studentT(rng: Rng, nu: number, opts: { standardized?: boolean } = {}): number {
  const action = "draw Student-t variate";
  requireRng(action, rng);
  requirePositive(action, "nu", nu);
  // The options are read on every draw of a simulation loop: a for-in scan, with requireOptions reporting the error.
  if (opts === null || typeof opts !== "object") requireOptions(action, "opts", opts, ["standardized"]);
  for (const key in opts) if (key !== "standardized") requireOptions(action, "opts", opts, ["standardized"]);
  if (opts.standardized !== undefined) requireBoolean(action, "opts.standardized", opts.standardized);
  if (opts.standardized && !(nu > 2)) {
    throw rangeError("draw Student-t variate", "nu", "> 2 for a standardized draw", nu);
  }
  const z = standardNormal(rng);
  const chi2 = 2 * gamma(rng, nu / 2);
  const t = z / Math.sqrt(chi2 / nu);
  return opts.standardized ? t * Math.sqrt((nu - 2) / nu) : t;
}

/**
 * Lower-triangular Cholesky factor L of a symmetric positive semi-definite matrix, Σ = L·Lᵀ. A zero pivot (a
 * redundant direction, e.g. perfectly correlated series) gives a zero column instead of failing.
 *
 * @param covariance Symmetric positive semi-definite n×n matrix.
 * @returns L as n rows of length n.
 * @throws {RangeError} If the matrix is not square, not symmetric (relative 1e-10), or has a negative pivot.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { choleskyLower } from "./rng.ts";
 *
 * const L = choleskyLower([[4, 2], [2, 2]]);
 * assert.deepEqual(L.map((row) => Array.from(row)), [[2, 0], [1, 1]]);
 * ```
 */
export function choleskyLower(covariance: ArrayLike<number>[]): Float64Array[] {
  const action = "factor covariance matrix";
  const { rows: n } = requireMatrix(action, "covariance", covariance, { square: true, minRows: 1 });
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(covariance[i][i]));
  const tol = 1e-12 * Math.max(scale, Number.MIN_VALUE);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(covariance[i][j] - covariance[j][i]) > 1e-10 * Math.max(scale, 1e-300)) {
        throw rangeError(
          action,
          `covariance[${i}][${j}]`,
          `equal to covariance[${j}][${i}] (a symmetric matrix)`,
          new Received(`${covariance[i][j]} and ${covariance[j][i]}`),
        );
      }
    }
  }
  const L = Array.from({ length: n }, () => new Float64Array(n));
  for (let j = 0; j < n; j++) {
    let d = covariance[j][j];
    for (let k = 0; k < j; k++) d -= L[j][k] * L[j][k];
    if (d < -tol) {
      throw rangeError(action, "covariance", "positive semi-definite", new Received(`pivot ${d} at row ${j}`));
    }
    const pivot = d > tol ? Math.sqrt(d) : 0;
    L[j][j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let s = covariance[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = pivot > 0 ? s / pivot : 0;
    }
  }
  return L;
}

/**
 * Draws `count` vectors from the multivariate normal N(0, Σ) as X = L·Z with L the Cholesky factor of Σ.
 *
 * @param rng Generator from {@linkcode makeRng}.
 * @param covariance Symmetric positive semi-definite d×d covariance matrix.
 * @param count Number of draws, an integer ≥ 0 (count·d at most `MAX_ELEMENTS`).
 * @returns `count` vectors of length d.
 * @throws {TypeError} If `rng` is not a generator. @throws {RangeError} For a bad count or covariance matrix.
 *
 * @example The sample covariance approaches Σ
 * ```ts
 * import assert from "node:assert/strict";
 * import { correlatedNormals, makeRng } from "./rng.ts";
 *
 * const draws = correlatedNormals(makeRng("cov"), [[1, 0.8], [0.8, 1]], 20_000);
 * const c = draws.reduce((s, x) => s + x[0] * x[1], 0) / draws.length;
 * assert.ok(Math.abs(c - 0.8) < 0.03);
 * ```
 */
export function correlatedNormals(rng: Rng, covariance: ArrayLike<number>[], count: number): Float64Array[] {
  const action = "draw correlated normals";
  requireRng(action, rng);
  if (!Number.isInteger(count) || count < 0) throw rangeError(action, "count", "an integer >= 0", count);
  const { rows } = requireMatrix(action, "covariance", covariance, { square: true, minRows: 1 });
  if (count * rows > MAX_ELEMENTS) {
    throw rangeError(action, "count", `at most ${Math.floor(MAX_ELEMENTS / rows)} for ${rows} dimensions`, count);
  }
  const sample = correlatedNormalSampler(covariance);
  return Array.from({ length: count }, () => sample(rng, new Float64Array(covariance.length)));
}

/**
 * Factors Σ once and returns a sampler that fills `out` with one N(0, Σ) draw (d standard normals per call) — the
 * form to use inside simulation loops.
 */
export function correlatedNormalSampler(
  covariance: ArrayLike<number>[],
): (rng: Rng, out: Float64Array) => Float64Array {
  const L = choleskyLower(covariance);
  const n = L.length;
  const z = new Float64Array(n);
  return (rng, out) => {
    for (let i = 0; i < n; i++) z[i] = normInv(rng());
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = L[i];
      for (let k = 0; k <= i; k++) s += row[k] * z[k];
      out[i] = s;
    }
    return out;
  };
}
