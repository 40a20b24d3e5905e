/**
 * GARCH(1,1) volatility clustering with normal or Student-t innovations: calm weeks follow calm weeks, and a large
 * move raises the variance of the next ones — the pattern of daily credit-spread changes (kurtosis 20+, slowly
 * decaying autocorrelation of |Δs|).
 *
 *     εₜ = σₜ·zₜ,   σₜ² = ω + α·εₜ₋₁² + β·σₜ₋₁²,   zₜ ~ N(0, 1) or standardized Student-t(ν)
 *
 * ω > 0, α ≥ 0, β ≥ 0, α + β < 1 (covariance stationary); the unconditional variance is ω / (1 − α − β) and a
 * shock's effect on the variance decays by (α + β) per step, a half-life of ln ½ / ln(α + β) steps.
 *
 * References:
 * 1. Bollerslev, T. (1986). Generalized autoregressive conditional heteroskedasticity. J. Econometrics 31, 307–327.
 * 2. Bollerslev, T. (1987). A conditionally heteroskedastic time series model for speculative prices and rates of
 *    return. Rev. Econ. Stat. 69(3), 542–547 (Student-t innovations).
 * @module
 */
import jStat from "jstat";
import { makeRng, type Rng, type Seed, studentT } from "../core/rng.ts";
import { requireRepresentable } from "./ou.ts";
import { normInv } from "../core/special.ts";
import { nelderMead } from "../core/optimize.ts";
import {
  rangeError,
  requireCount,
  requireFiniteArray,
  requireFunction,
  requireObject,
  requireOptions,
  requirePositive,
  requireSeed,
} from "../core/check.ts";

/** GARCH(1,1) parameters. */
export interface GarchParams {
  /** Variance intercept ω > 0, in squared units of ε per step. */ readonly omega: number;
  /** ARCH coefficient α ≥ 0: weight of the last squared shock. */ readonly alpha: number;
  /** GARCH coefficient β ≥ 0: weight of the last variance; α + β < 1. */ readonly beta: number;
  /** Degrees of freedom ν > 2 of standardized Student-t innovations; omitted for normal innovations. */
  readonly nu?: number;
}

/** Result of {@linkcode fitGarch}. */
export interface GarchFit extends GarchParams {
  /** Persistence α + β. */ readonly persistence: number;
  /** Unconditional variance ω / (1 − α − β), squared units per step. */ readonly unconditionalVariance: number;
  /** Maximised log-likelihood. */ readonly logLikelihood: number;
  /** Optimiser iterations. */ readonly iterations: number;
  /** True if the optimiser met its tolerance. */ readonly converged: boolean;
}

/**
 * Conditional variances σₜ² of a residual series under GARCH(1,1), started at σ₀² = `initialVariance` (default the
 * unconditional variance).
 *
 * @returns A `Float64Array` of the same length as `residuals`.
 */
export function garchVariance(residuals: ArrayLike<number>, p: GarchParams, initialVariance?: number): Float64Array {
  checkParams(p, "filter GARCH variance");
  requireFiniteArray("filter GARCH variance", "residuals", residuals, { minLength: 1 });
  if (initialVariance !== undefined) requirePositive("filter GARCH variance", "initialVariance", initialVariance);
  return filterVariance(residuals, p, initialVariance ?? p.omega / (1 - p.alpha - p.beta));
}

function filterVariance(residuals: ArrayLike<number>, p: GarchParams, v0: number): Float64Array {
  const v = new Float64Array(residuals.length);
  v[0] = v0;
  for (let t = 1; t < residuals.length; t++) {
    v[t] = p.omega + p.alpha * residuals[t - 1] * residuals[t - 1] + p.beta * v[t - 1];
  }
  return v;
}

/**
 * Gaussian or Student-t log-likelihood of residuals under GARCH(1,1), with σ₀² the sample variance (the usual
 * start-up choice). For standardized t innovations the density of εₜ is
 *
 *     Γ((ν+1)/2) / (Γ(ν/2)·√(π(ν−2)σₜ²)) · (1 + εₜ² / ((ν−2)σₜ²))^{−(ν+1)/2}
 */
export function garchLogLikelihood(residuals: ArrayLike<number>, p: GarchParams): number {
  checkParams(p, "evaluate GARCH likelihood");
  requireFiniteArray("evaluate GARCH likelihood", "residuals", residuals, { minLength: 2 });
  return logLikelihood(residuals, p, sampleVariance(residuals));
}

function logLikelihood(residuals: ArrayLike<number>, p: GarchParams, v0: number): number {
  const n = residuals.length;
  let v = v0, ll = 0;
  if (p.nu === undefined) {
    for (let t = 0; t < n; t++) {
      if (t > 0) v = p.omega + p.alpha * residuals[t - 1] * residuals[t - 1] + p.beta * v;
      ll += Math.log(v) + (residuals[t] * residuals[t]) / v;
    }
    return -0.5 * (n * Math.log(2 * Math.PI) + ll);
  }
  const nu = p.nu;
  const constant = jStat.gammaln((nu + 1) / 2) - jStat.gammaln(nu / 2) - 0.5 * Math.log(Math.PI * (nu - 2));
  for (let t = 0; t < n; t++) {
    if (t > 0) v = p.omega + p.alpha * residuals[t - 1] * residuals[t - 1] + p.beta * v;
    ll += -0.5 * Math.log(v) - ((nu + 1) / 2) * Math.log1p((residuals[t] * residuals[t]) / ((nu - 2) * v));
  }
  return n * constant + ll;
}

/**
 * Maximum-likelihood fit of GARCH(1,1) to a zero-mean residual series, with variance targeting
 * (ω = s²·(1 − α − β), s² the sample variance, which pins the unconditional variance to the data's and leaves α, β
 * and ν to the optimiser). Parameters are mapped to an unconstrained space (logistic for α + β and α/(α + β),
 * log(ν − 2)) and the negative log-likelihood is minimised by Nelder–Mead.
 *
 * Reference: Engle, R. F. & Mezrich, J. (1996). GARCH for groups. Risk 9(8), 36–40 (variance targeting).
 *
 * @param residuals Zero-mean residuals (demean first), at least 100.
 * @param opts `distribution`: `"t"` (default) or `"normal"`.
 * @throws {RangeError} If residuals are too few, not finite, or constant.
 *
 * @example Recovers a simulated model
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitGarch, simulateGarch } from "./garch.ts";
 *
 * const { returns } = simulateGarch({ omega: 1e-6, alpha: 0.08, beta: 0.9, nu: 6, steps: 20_000, seed: 3 });
 * const fit = fitGarch(returns);
 * assert.ok(Math.abs(fit.persistence - 0.98) < 0.01);
 * ```
 */
export function fitGarch(residuals: ArrayLike<number>, opts: { distribution?: "t" | "normal" } = {}): GarchFit {
  const action = "fit GARCH(1,1)";
  requireFiniteArray(action, "residuals", residuals, { minLength: 100 });
  const distribution = requireOptions<{ distribution?: string }>(action, "opts", opts, ["distribution"]).distribution ??
    "t";
  if (distribution !== "t" && distribution !== "normal") {
    throw rangeError(action, "distribution", '"t" or "normal"', distribution);
  }
  const s2 = sampleVariance(residuals);
  if (!(s2 > 0)) throw rangeError(action, "residuals", "not constant", residuals[0]);
  const logistic = (z: number) => 1 / (1 + Math.exp(-z));
  const logit = (u: number) => Math.log(u / (1 - u));
  const decode = (theta: number[]): GarchParams => {
    const persistence = logistic(theta[0]);
    const alpha = persistence * logistic(theta[1]);
    return {
      omega: s2 * (1 - persistence),
      alpha,
      beta: persistence - alpha,
      nu: distribution === "t" ? 2 + Math.exp(theta[2]) : undefined,
    };
  };
  const start = [logit(0.97), logit(0.08 / 0.97), ...(distribution === "t" ? [Math.log(4)] : [])];
  const objective = (theta: number[]) => {
    const p = decode(theta);
    if (!(p.omega > 0) || (p.nu !== undefined && !(p.nu < 500))) return Infinity;
    const ll = logLikelihood(residuals, p, s2);
    return Number.isFinite(ll) ? -ll : Infinity;
  };
  const result = nelderMead(objective, start, { tolerance: 1e-9, maxIterations: 2000, step: 0.5 });
  const p = decode(result.x);
  return {
    ...p,
    persistence: p.alpha + p.beta,
    unconditionalVariance: s2,
    logLikelihood: -result.value,
    iterations: result.iterations,
    converged: result.converged,
  };
}

/** Inputs of {@linkcode simulateGarch}. */
export interface GarchPathParams extends GarchParams {
  /** Number of steps. */ readonly steps: number;
  /** Seed. */ readonly seed: Seed;
  /** σ₀²; default the unconditional variance. */ readonly initialVariance?: number;
}

/**
 * Simulates GARCH(1,1) shocks εₜ and their conditional variances σₜ².
 *
 * @returns `returns` (the shocks εₜ) and `variance` (σₜ²), each of length `steps`.
 * @throws {RangeError} If a parameter is out of range (see the module notes), `steps` is not an integer in
 *   [1, MAX_ELEMENTS], or `initialVariance` is not > 0.
 */
export function simulateGarch(p: GarchPathParams): { returns: Float64Array; variance: Float64Array } {
  const action = "simulate GARCH(1,1)";
  checkParams(p, action);
  requireCount(action, "steps", p.steps, 1);
  requireSeed(action, "seed", p.seed);
  if (p.initialVariance !== undefined) requirePositive(action, "initialVariance", p.initialVariance);
  const path = drawPath(makeRng(p.seed), p.steps, p, p.initialVariance);
  requireRepresentable(action, "omega", p.omega, path.variance);
  return path;
}

/**
 * GARCH(1,1) shocks and conditional variances drawn from an existing generator (for models that combine GARCH
 * shocks with other dynamics); σ₀² defaults to the unconditional variance.
 *
 * @param rng Generator (see `makeRng`).
 * @param steps Number of draws, an integer in [0, MAX_ELEMENTS].
 * @param p GARCH(1,1) parameters (other fields of the object, e.g. of a {@linkcode GarchFit}, are ignored).
 * @param initialVariance σ₀² > 0 (default ω / (1 − α − β)).
 * @throws {TypeError} If `rng` is not a function or `p` is not an object.
 * @throws {RangeError} If a parameter is out of range, as in {@linkcode simulateGarch}.
 */
export function drawGarch(
  rng: Rng,
  steps: number,
  p: GarchParams,
  initialVariance?: number,
): { returns: Float64Array; variance: Float64Array } {
  const action = "draw GARCH(1,1)";
  requireFunction(action, "rng", rng);
  requireCount(action, "steps", steps);
  checkParams(p, action);
  if (initialVariance !== undefined) requirePositive(action, "initialVariance", initialVariance);
  const path = drawPath(rng, steps, p, initialVariance);
  requireRepresentable(action, "omega", p.omega, path.variance);
  requireRepresentable(action, "omega", p.omega, path.returns);
  return path;
}

/** The draws of {@linkcode drawGarch} on validated arguments. */
function drawPath(
  rng: Rng,
  steps: number,
  p: GarchParams,
  initialVariance?: number,
): { returns: Float64Array; variance: Float64Array } {
  const returns = new Float64Array(steps);
  const variance = new Float64Array(steps);
  let v = initialVariance ?? p.omega / (1 - p.alpha - p.beta);
  for (let t = 0; t < steps; t++) {
    if (t > 0) v = p.omega + p.alpha * returns[t - 1] * returns[t - 1] + p.beta * v;
    variance[t] = v;
    const z = p.nu === undefined ? normInv(rng()) : studentT(rng, p.nu, { standardized: true });
    returns[t] = Math.sqrt(v) * z;
  }
  return { returns, variance };
}

function sampleVariance(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s / x.length;
}

function checkParams(p: GarchParams, action: string): void {
  requireObject(action, "p", p);
  requirePositive(action, "omega", p.omega);
  for (const name of ["alpha", "beta"] as const) {
    if (!(p[name] >= 0 && Number.isFinite(p[name]))) throw rangeError(action, name, "a finite number >= 0", p[name]);
  }
  if (!(p.alpha + p.beta < 1)) throw rangeError(action, "alpha + beta", "< 1 (stationary)", p.alpha + p.beta);
  if (p.nu !== undefined && !(p.nu > 2 && Number.isFinite(p.nu))) {
    throw rangeError(action, "nu", "a finite number > 2", p.nu);
  }
}
