/**
 * Ornstein–Uhlenbeck (OU) process for mean-reverting credit spreads: dX = κ(μ − X) dt + σ dW.
 * Spreads in decimal (0.0125 = 125 bp), time in years.
 * @module
 */
import { makeRng, type Rng, type Seed, studentT } from "../core/rng.ts";
import { normInv } from "../core/special.ts";
import {
  rangeError,
  requireCount,
  requireFinite,
  requireFiniteArray,
  requireFunction,
  requireNonNegative,
  requireObject,
  requireOptions,
  requirePositive,
  requireSeed,
} from "../core/check.ts";

/** OU parameters. */
export interface OUParams {
  /** Mean-reversion speed κ, per year; κ ≥ 0. */ readonly kappa: number;
  /** Long-run mean μ, in the units of X. */ readonly mu: number;
  /** Volatility σ, units of X per √year; σ ≥ 0. */ readonly sigma: number;
}

/** Inputs of {@linkcode simulateOU}. */
export interface OUPathParams extends OUParams {
  /** Starting value X₀. */ readonly x0: number;
  /** Step Δ in years; Δ > 0. */ readonly dt: number;
  /** Number of steps; the path has `steps + 1` points. */ readonly steps: number;
  /** Seed: the same seed gives the same path on every machine. */ readonly seed: Seed;
}

/** Result of {@linkcode fitOU}: the parameters, the half-life and fit diagnostics. */
export interface OUFit extends OUParams {
  /** Half-life ln 2 / κ in years: the time for an expected deviation from μ to halve. */ readonly halfLife: number;
  /** Standard error of κ (delta method on the AR(1) slope), per year. */ readonly kappaStdError: number;
  /** Maximised Gaussian log-likelihood of the transitions. */ readonly logLikelihood: number;
  /** Number of transitions used, n − 1. */ readonly transitions: number;
}

/**
 * Exact one-step transition of the OU process. Given X(t) = x, X(t + Δ) is normal with
 *
 *     mean     = μ + (x − μ)·exp(−κΔ)
 *     variance = σ²·(1 − exp(−2κΔ)) / (2κ)      (→ σ²Δ as κ → 0; `Math.expm1` keeps it accurate)
 *
 * References:
 * 1. Uhlenbeck, G. E. & Ornstein, L. S. (1930). On the theory of the Brownian motion. Phys. Rev. 36, 823.
 * 2. Glasserman, P. (2004). Monte Carlo Methods in Financial Engineering, §3.3.
 *
 * @param p OU parameters.
 * @param x Current value X(t).
 * @param dt Step Δ in years, Δ > 0.
 * @returns Mean and variance of X(t + Δ).
 * @throws {TypeError} If `p` is not an object or a value is not a number.
 * @throws {RangeError} If a value is not finite, κ or σ is negative, or Δ ≤ 0.
 *
 * @example With no mean reversion the variance is σ²Δ
 * ```ts
 * import assert from "node:assert/strict";
 * import { ouTransition } from "./ou.ts";
 *
 * const { mean, variance } = ouTransition({ kappa: 0, mu: 0, sigma: 0.2 }, 0.01, 0.25);
 * assert.equal(mean, 0.01);
 * assert.ok(Math.abs(variance - 0.01) < 1e-15);
 * ```
 */
export function ouTransition(p: OUParams, x: number, dt: number): { mean: number; variance: number } {
  const action = "compute OU transition";
  const { kappa, mu, sigma } = checkParams(action, p);
  requireFinite(action, "x", x);
  requirePositive(action, "dt", dt);
  const variance = kappa === 0 ? sigma * sigma * dt : (-sigma * sigma * Math.expm1(-2 * kappa * dt)) / (2 * kappa);
  return { mean: mu + (x - mu) * Math.exp(-kappa * dt), variance };
}

/**
 * Stationary distribution of the OU process (κ > 0): normal with mean μ and variance σ² / (2κ).
 *
 * @throws {RangeError} If κ ≤ 0 (no stationary distribution), or μ or σ is not finite or σ < 0.
 */
export function ouStationary(p: OUParams): { mean: number; variance: number } {
  const action = "compute OU stationary law";
  const { mu, sigma } = checkParams(action, p);
  if (!(p.kappa > 0)) throw rangeError(action, "kappa", "> 0", p.kappa);
  return { mean: mu, variance: (sigma * sigma) / (2 * p.kappa) };
}

/** Checks κ ≥ 0, μ and σ ≥ 0 of OU parameters (an object: other fields, e.g. of an {@linkcode OUFit}, are ignored). */
function checkParams(action: string, p: OUParams): OUParams {
  requireObject(action, "p", p);
  requireNonNegative(action, "kappa", p.kappa);
  requireFinite(action, "mu", p.mu);
  requireNonNegative(action, "sigma", p.sigma);
  return p;
}

/**
 * Simulates an OU path by sampling the exact transition at each step, so there is no discretisation bias.
 *
 * @returns A `Float64Array` of length `steps + 1` with `result[0] === x0`.
 * @throws {RangeError} If a value is not finite, κ or σ is negative, Δ ≤ 0, or `steps` is not an integer in
 *   [1, MAX_ELEMENTS].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { simulateOU } from "./ou.ts";
 *
 * const p = { x0: 0.02, kappa: 2, mu: 0.012, sigma: 0.004, dt: 1 / 252, steps: 252, seed: "doc" };
 * const path = simulateOU(p);
 * assert.equal(path.length, 253);
 * assert.equal(path[0], 0.02);
 * assert.deepEqual(simulateOU(p), path); // same seed, same path
 * ```
 */
export function simulateOU(p: OUPathParams): Float64Array {
  checkPathParams(p, "simulate OU path");
  const rng = makeRng(p.seed);
  const decay = Math.exp(-p.kappa * p.dt);
  const sd = Math.sqrt(ouTransition(p, 0, p.dt).variance);
  const path = new Float64Array(p.steps + 1);
  path[0] = p.x0;
  for (let t = 1; t <= p.steps; t++) {
    path[t] = p.mu + (path[t - 1] - p.mu) * decay + sd * normInv(rng());
  }
  requireRepresentable("simulate OU path", "sigma", p.sigma, path);
  return path;
}

/**
 * Exact maximum-likelihood fit of an OU process to equally spaced observations. The exact discretisation is the
 * AR(1) model X[t+1] = a + b·X[t] + ε with ε ~ N(0, s²), whose conditional MLE is ordinary least squares; then
 *
 *     κ = −ln(b) / Δ,   μ = a / (1 − b),   σ² = s² · 2κ / (1 − b²),   half-life = ln 2 / κ
 *
 * with s² the mean squared residual (ddof = 0, the MLE). The estimate of κ is biased upwards in short samples
 * (roughly by (1 + 3b)/n per step for an AR(1)); treat half-lives fitted on a few years with care.
 *
 * References:
 * 1. Brigo, D., Dalessandro, A., Neugebauer, M. & Triki, F. (2009). A stochastic processes toolkit for risk
 *    management, §3.2. J. Risk Management in Financial Institutions 2(4).
 * 2. Tang, C. Y. & Chen, S. X. (2009). Parameter estimation and bias correction for diffusion processes.
 *    J. Econometrics 149, 65–81.
 *
 * @param x Observations, at least 3, all finite.
 * @param dt Spacing Δ in years (1/252 for daily data).
 * @returns κ, μ, σ, half-life and diagnostics.
 * @throws {RangeError} If x holds a non-finite value or fewer than 3 points, Δ ≤ 0, x is constant, or the AR(1)
 *   slope is outside (0, 1) so that the series shows no mean reversion.
 *
 * @example Recovers the parameters of a long simulated path
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitOU, simulateOU } from "./ou.ts";
 *
 * const path = simulateOU({ x0: 0.01, kappa: 3, mu: 0.01, sigma: 0.005, dt: 1 / 252, steps: 50_000, seed: 1 });
 * const fit = fitOU(path, 1 / 252);
 * assert.ok(Math.abs(fit.sigma - 0.005) < 0.0002);
 * assert.ok(Math.abs(fit.kappa - 3) < 4 * fit.kappaStdError);
 * ```
 */
export function fitOU(x: ArrayLike<number>, dt: number): OUFit {
  const action = "fit OU process";
  requireFiniteArray(action, "x", x, { minLength: 3 });
  if (!(dt > 0 && Number.isFinite(dt))) throw rangeError(action, "dt", "a finite number of years > 0", dt);
  const n = x.length - 1;
  let sx = 0, sy = 0;
  for (let t = 0; t < n; t++) {
    sx += x[t];
    sy += x[t + 1];
  }
  const mx = sx / n, my = sy / n;
  let sxx = 0, sxy = 0;
  for (let t = 0; t < n; t++) {
    const dx = x[t] - mx;
    sxx += dx * dx;
    sxy += dx * (x[t + 1] - my);
  }
  if (!(sxx > 0)) throw rangeError(action, "x", "not constant", x[0]);
  const b = sxy / sxx;
  const a = my - b * mx;
  if (!(b > 0 && b < 1)) {
    throw rangeError(action, "the AR(1) slope of x", "in (0, 1) for a mean-reverting series", b);
  }
  let ss = 0;
  for (let t = 0; t < n; t++) {
    const e = x[t + 1] - a - b * x[t];
    ss += e * e;
  }
  const s2 = ss / n;
  const kappa = -Math.log(b) / dt;
  const sigma = Math.sqrt((s2 * 2 * kappa) / (1 - b * b));
  const seB = Math.sqrt(s2 / sxx);
  return {
    kappa,
    mu: a / (1 - b),
    sigma,
    halfLife: Math.LN2 / kappa,
    kappaStdError: seB / (b * dt),
    logLikelihood: -0.5 * n * (Math.log(2 * Math.PI * s2) + 1),
    transitions: n,
  };
}

function checkPathParams(p: OUPathParams, action: string): void {
  requireObject(action, "p", p);
  for (const name of ["x0", "mu"] as const) requireFinite(action, name, p[name]);
  for (const name of ["kappa", "sigma"] as const) {
    if (!(p[name] >= 0 && Number.isFinite(p[name]))) throw rangeError(action, name, "a finite number >= 0", p[name]);
  }
  if (!(p.dt > 0 && Number.isFinite(p.dt))) throw rangeError(action, "dt", "a finite number of years > 0", p.dt);
  requireCount(action, "steps", p.steps, 1);
  requireSeed(action, "seed", p.seed);
}

/**
 * An AR(1) process per observation, x[t] = persistence·x[t−1] + sigma·z[t]: the exact OU transition on a fixed grid
 * written in per-step units (persistence = e^{−κΔ}), as estimated on daily data.
 */
export interface AR1 {
  /** Per-step autoregressive coefficient in (−1, 1). */ readonly persistence: number;
  /** Standard deviation of the per-step shock. */ readonly sigma: number;
}

/**
 * Least-squares AR(1) without intercept, for zero-mean residual series: persistence = Σ x[t]x[t−1] / Σ x[t−1]², sigma
 * the standard deviation of the residuals (ddof = 1).
 *
 * @throws {RangeError} If x holds fewer than 3 values or a non-finite value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitAR1 } from "./ou.ts";
 *
 * assert.equal(fitAR1([1, 0.5, 0.25, 0.125]).persistence, 0.5);
 * ```
 */
export function fitAR1(x: ArrayLike<number>): AR1 {
  requireFiniteArray("fit AR(1)", "x", x, { minLength: 3 });
  let sxy = 0, sxx = 0;
  for (let t = 1; t < x.length; t++) (sxy += x[t] * x[t - 1]), (sxx += x[t - 1] * x[t - 1]);
  if (!(sxx > 0)) throw rangeError("fit AR(1)", "x", "not all zero", 0);
  const b = sxy / sxx;
  let m = 0;
  for (let t = 1; t < x.length; t++) m += x[t] - b * x[t - 1];
  m /= x.length - 1;
  let ss = 0;
  for (let t = 1; t < x.length; t++) ss += (x[t] - b * x[t - 1] - m) ** 2;
  return { persistence: b, sigma: Math.sqrt(ss / (x.length - 2)) };
}

/** Most redraws of one truncated shock before {@linkcode simulateAR1} gives up (unreachable for maxShock ≥ 1). */
const MAX_REDRAWS = 10_000;

/**
 * Simulates an AR(1) path started from its stationary law, with normal or standardized Student-t shocks; shocks
 * larger than `maxShock` standard deviations are redrawn (a truncated distribution). With `maxShock` ≥ 1 at least
 * about 60 % of the draws are kept (normal: 68 %), so the redraws end quickly.
 *
 * @param rng Generator (see `makeRng`).
 * @param steps Number of points, an integer in [0, MAX_ELEMENTS].
 * @param p Persistence in (−1, 1) and shock standard deviation σ ≥ 0.
 * @param opts `nu`: degrees of freedom ν > 2 of standardized Student-t shocks (default: normal shocks);
 *   `maxShock`: truncation in standard deviations, ≥ 1 (default Infinity: no truncation).
 * @throws {TypeError} If `rng` is not a function, or `p` or `opts` is not an object (or holds an unknown option).
 * @throws {RangeError} If an argument is out of its range.
 */
export function simulateAR1(
  rng: Rng,
  steps: number,
  p: AR1,
  opts: { nu?: number; maxShock?: number } = {},
): Float64Array {
  const action = "simulate AR(1)";
  requireFunction(action, "rng", rng);
  requireCount(action, "steps", steps);
  requireObject(action, "p", p);
  requireFinite(action, "persistence", p.persistence);
  requireNonNegative(action, "sigma", p.sigma);
  const { nu, maxShock = Infinity } = requireOptions<{ nu?: number; maxShock?: number }>(action, "opts", opts, [
    "nu",
    "maxShock",
  ]);
  if (nu !== undefined) {
    requireFinite(action, "nu", nu);
    if (!(nu > 2)) throw rangeError(action, "nu", "> 2 (standardized Student-t shocks)", nu);
  }
  if (typeof maxShock !== "number") requireFinite(action, "maxShock", maxShock);
  if (!(maxShock >= 1)) throw rangeError(action, "maxShock", ">= 1 (standard deviations) or Infinity", maxShock);
  if (!(Math.abs(p.persistence) < 1)) {
    throw rangeError(action, "persistence", "in (-1, 1)", p.persistence);
  }
  const draw = () => {
    for (let k = 0; k < MAX_REDRAWS; k++) {
      const z = nu === undefined ? normInv(rng()) : studentT(rng, nu, { standardized: true });
      if (Math.abs(z) <= maxShock) return z;
    }
    throw rangeError(action, "maxShock", `wide enough to keep a shock in ${MAX_REDRAWS} draws`, maxShock);
  };
  const out = new Float64Array(steps);
  if (steps === 0) return out;
  out[0] = (p.sigma / Math.sqrt(1 - p.persistence * p.persistence)) * draw();
  for (let t = 1; t < steps; t++) out[t] = p.persistence * out[t - 1] + p.sigma * draw();
  requireRepresentable(action, "sigma", p.sigma, out);
  return out;
}

/** Refuses a simulated path that overflowed (σ near the largest double): no silent ±Infinity or NaN (lib-internal). */
export function requireRepresentable(action: string, name: string, value: number, path: ArrayLike<number>): void {
  for (let t = 0; t < path.length; t++) {
    if (!Number.isFinite(path[t])) {
      throw rangeError(action, name, `small enough for a finite path (step ${t} overflowed)`, value);
    }
  }
}
