/**
 * Mean-variance portfolio construction (Markowitz 1952): the weights that maximise expected return less a quadratic
 * penalty on variance, fully invested, optionally long-only with a cap per name.
 *
 *     maximise    w'μ − (λ/2)·w'Σw
 *     subject to  Σᵢ wᵢ = 1                  (full investment)
 *                 0 ≤ wᵢ ≤ c                  (long-only, cap c = maxWeight; default on, c = 1)
 *
 * μ is the vector of expected returns per period, Σ their covariance (per period, the same units), λ > 0 the risk
 * aversion (units of 1 / return), w the weights as fractions of capital. The constrained problem is a strictly convex
 * quadratic programme solved exactly by the dual active-set method of Goldfarb & Idnani (1983), the algorithm of R's
 * `quadprog`; the unconstrained one (short sales allowed, no cap) has a closed form.
 *
 * References:
 * 1. Markowitz, H. (1952). Portfolio selection. Journal of Finance 7(1), 77–91.
 * 2. Goldfarb, D. & Idnani, A. (1983). A numerically stable dual method for solving strictly convex quadratic
 *    programs. Mathematical Programming 27, 1–33.
 * 3. Turlach, B. A. & Weingessel, A. (2019). quadprog: Functions to solve quadratic programming problems, R package
 *    (Fortran routine `qpgen2`).
 * 4. Nocedal, J. & Wright, S. J. (2006). Numerical Optimization, 2nd ed., §16.1 (equality-constrained QP, KKT).
 * @module
 */
import {
  rangeError,
  Received,
  requireFiniteArray,
  requireInteger,
  requireKnownKeys,
  requireMatrix,
  requireObject,
  requirePositive,
  typeError,
} from "../core/check.ts";

/** Inputs of {@linkcode meanVariance} and {@linkcode solveMeanVariance}. */
export interface MeanVarianceParams {
  /** Expected return μᵢ of each of the n assets, per period (decimal). */
  readonly expectedReturns: ArrayLike<number>;
  /** Covariance Σ of the returns, n×n, symmetric positive definite, per period (decimal²). */
  readonly covariance: ArrayLike<number>[];
  /** Risk aversion λ > 0, in 1 / (units of return): the weight of the variance penalty (λ/2)·w'Σw. */
  readonly riskAversion: number;
  /**
   * Cap c on each weight, wᵢ ≤ c; default 1 (no cap binds when long-only). With `longOnly: false` the cap applies
   * only when given (wᵢ ≤ c, no lower bound). n·c ≥ 1 is needed to invest fully.
   */
  readonly maxWeight?: number;
  /** Long-only, wᵢ ≥ 0; default true. `false` with no `maxWeight` is the closed-form unconstrained portfolio. */
  readonly longOnly?: boolean;
  /**
   * Cap on the active-set steps (one constraint added or dropped per step); default 10 × the number of constraints
   * (10·(2n + 1) long-only with a cap). The method is finite, so reaching the cap means a degenerate problem.
   */
  readonly maxIterations?: number;
}

/**
 * The optimal weights with their Karush–Kuhn–Tucker (KKT) multipliers, which certify optimality:
 *
 *     μ − λΣw − γ·1 + ν − ν̄ = 0                       (stationarity)
 *     Σᵢ wᵢ = 1,  0 ≤ wᵢ ≤ c                          (primal feasibility, bounds as configured)
 *     νᵢ ≥ 0,  ν̄ᵢ ≥ 0                                 (dual feasibility)
 *     νᵢ·wᵢ = 0,  ν̄ᵢ·(c − wᵢ) = 0                     (complementary slackness)
 *
 * γ is the marginal utility of one more unit of budget; νᵢ (ν̄ᵢ) is the utility lost per unit by the lower bound
 * (the cap) of asset i.
 */
export interface MeanVarianceSolution {
  /** Optimal weights w, summing to 1. */
  readonly weights: number[];
  /** Multiplier γ of the budget Σᵢ wᵢ = 1. */
  readonly budgetMultiplier: number;
  /** Multipliers νᵢ ≥ 0 of the lower bounds wᵢ ≥ 0 (all 0 when short sales are allowed). */
  readonly lowerMultipliers: number[];
  /** Multipliers ν̄ᵢ ≥ 0 of the caps wᵢ ≤ c (all 0 without a cap). */
  readonly upperMultipliers: number[];
  /** Active-set steps taken (0 for the closed form). */
  readonly iterations: number;
  /** `"closed form"` (no bounds), `"single point"` (n·c = 1: every weight is c) or `"dual active set"`. */
  readonly method: "closed form" | "single point" | "dual active set";
}

const ACTION = "solve mean-variance portfolio";
const KEYS = ["expectedReturns", "covariance", "riskAversion", "maxWeight", "longOnly", "maxIterations"] as const;

/**
 * A Cholesky pivot at or below this fraction of its diagonal entry counts as singular: the covariance is then not
 * numerically positive definite (its condition number exceeds about 1e12).
 */
const PIVOT_TOLERANCE = 1e-12;

/**
 * Mean-variance weights: argmax w'μ − (λ/2)·w'Σw subject to Σᵢ wᵢ = 1 and, when long-only (the default),
 * 0 ≤ wᵢ ≤ maxWeight (default 1). The weights of {@linkcode solveMeanVariance}, which documents the method.
 *
 * @example Two uncorrelated assets, unconstrained: w = Σ⁻¹(μ − γ1)/λ with γ set by the budget
 * ```ts
 * import assert from "node:assert/strict";
 * import { meanVariance } from "./optimize.ts";
 *
 * // Σ = diag(0.04, 0.01), μ = (0.08, 0.05), λ = 4: γ = (2 + 5 − 4) / (25 + 100) = 0.024,
 * // w₁ = (0.08 − 0.024) / (4 · 0.04) = 0.35, w₂ = 0.65
 * const w = meanVariance({ expectedReturns: [0.08, 0.05], covariance: [[0.04, 0], [0, 0.01]], riskAversion: 4,
 *   longOnly: false });
 * assert.ok(Math.abs(w[0] - 0.35) < 1e-12 && Math.abs(w[1] - 0.65) < 1e-12);
 * ```
 */
export function meanVariance(p: MeanVarianceParams): number[] {
  return solveMeanVariance(p).weights;
}

/**
 * Solves the mean-variance problem of {@linkcode meanVariance} and returns the weights with their KKT multipliers.
 *
 * Unconstrained (`longOnly: false`, no `maxWeight`), in closed form from the Cholesky factor of Σ:
 *
 *     w = Σ⁻¹(μ − γ·1) / λ,     γ = (1'Σ⁻¹μ − λ) / (1'Σ⁻¹1)
 *
 * Constrained, by the dual active-set method of Goldfarb & Idnani (1983), as in R's `quadprog`: minimise
 * ½·w'Gw − μ'w with G = λΣ over constraints nⱼ'w ≥ bⱼ (the budget, added first as an equality; then wᵢ ≥ 0 and
 * −wᵢ ≥ −c). It starts from the unconstrained minimum G⁻¹μ and adds the most violated constraint at each step,
 * keeping the iterate optimal for the active set; a constraint whose multiplier would turn negative is dropped.
 * The active set is kept as J = L⁻ᵀQ (G = LLᵀ, Q orthogonal) with J'N = [R; 0], R upper triangular: adding a
 * constraint is one Householder reflection of J's trailing columns, dropping one is a sweep of Givens rotations, so a
 * step costs O(n²) without refactoring (O(m·(n − q)) for m free names and q active constraints, as the rows of bound
 * names drop out). A violation counts when it exceeds 1e-12 (relative to the largest |wᵢ|, at least 1). At the end one
 * step of iterative refinement on the active set brings the budget to rounding level even for an ill-conditioned Σ,
 * and the weights of names at a bound are set exactly to it (a change of ~1e-16). When n·c = 1 (within 1e-12) the
 * only feasible point, wᵢ = c = 1/n, is returned.
 *
 * @param p Expected returns, covariance, risk aversion and bounds; see {@linkcode MeanVarianceParams}.
 * @returns Weights and multipliers; see {@linkcode MeanVarianceSolution}.
 * @throws {RangeError} If an input is not finite, λ ≤ 0, the shapes differ, n·maxWeight < 1 (the message gives the
 *   smallest cap or the number of assets needed), or Σ is not symmetric positive definite (the message offers
 *   `ledoitWolf` shrinkage of the sample covariance); if the active-set method exceeds `maxIterations`.
 * @throws {TypeError} For an unknown option key or a value of the wrong type.
 *
 * @example A 60% cap binds on the asset with the best return
 * ```ts
 * import assert from "node:assert/strict";
 * import { solveMeanVariance } from "./optimize.ts";
 *
 * const s = solveMeanVariance({ expectedReturns: [0.1, 0.02], covariance: [[0.04, 0], [0, 0.04]],
 *   riskAversion: 1, maxWeight: 0.6 });
 * assert.deepEqual(s.weights, [0.6, 0.4]);
 * assert.ok(s.upperMultipliers[0] > 0 && s.method === "dual active set");
 * ```
 */
export function solveMeanVariance(p: MeanVarianceParams): MeanVarianceSolution {
  requireObject(ACTION, "p", p);
  requireKnownKeys(ACTION, "", p, KEYS);
  const mu = requireFiniteArray(ACTION, "expectedReturns", p.expectedReturns, { minLength: 1 });
  const n = mu.length;
  requireMatrix(ACTION, "covariance", p.covariance, { rows: n, cols: n });
  const lambda = requirePositive(ACTION, "riskAversion", p.riskAversion);
  if (p.longOnly !== undefined && typeof p.longOnly !== "boolean") {
    throw typeError(ACTION, "longOnly", "a boolean", p.longOnly);
  }
  const longOnly = p.longOnly ?? true;
  const hasCap = p.maxWeight !== undefined;
  const cap = hasCap ? requirePositive(ACTION, "maxWeight", p.maxWeight) : 1;
  const hasLower = longOnly;
  const hasUpper = hasCap && (!longOnly || cap < 1);
  const nConstraints = 1 + (hasLower ? n : 0) + (hasUpper ? n : 0);
  const maxIterations = p.maxIterations === undefined
    ? 10 * nConstraints
    : requireInteger(ACTION, "maxIterations", p.maxIterations, { min: 1 });
  if ((hasLower || hasUpper) && n * cap < 1 - 1e-12) {
    const minimum = Math.ceil(1 / cap - 1e-9);
    throw rangeError(
      ACTION,
      "maxWeight",
      `>= 1/n = ${1 / n} to invest fully in ${n} assets (raise maxWeight to ${1 / n} or hold at least ${minimum} ` +
        `assets)`,
      cap,
    );
  }
  const L = choleskyOrThrow(p.covariance, n);
  const muVector = Float64Array.from(mu);
  if (!hasLower && !hasUpper) return closedForm(L, muVector, lambda);
  if (hasUpper && n * cap <= 1 + 1e-12) {
    return {
      weights: new Array(n).fill(1 / n),
      ...multipliersAtCap(p.covariance, muVector, lambda),
      iterations: 0,
      method: "single point",
    };
  }
  return dualActiveSet(L, muVector, lambda, hasLower, hasUpper, cap, maxIterations);
}

/**
 * Lower Cholesky factor L of Σ = LLᵀ, column-major (L(i, k) at L[k·n + i]), or a RangeError that says what to
 * change. Checks symmetry to 1e-12 of √(Σᵢᵢ·Σⱼⱼ) and treats a pivot ≤ 1e-12 of its diagonal as a failure.
 * Left-looking by columns: L[j…, j] = (Σ[j…, j] − Σ_{k<j} L(j, k)·L[j…, k]) / L(j, j).
 */
function choleskyOrThrow(covariance: ArrayLike<number>[], n: number): Float64Array {
  const remedy = "symmetric positive definite (shrink a sample covariance with ledoitWolf(returns) of " +
    "lib/portfolio/covariance.ts)";
  for (let i = 0; i < n; i++) {
    const d = covariance[i][i];
    if (!(d > 0)) throw rangeError(ACTION, "covariance", remedy, new Received(`covariance[${i}][${i}] = ${d}`));
  }
  for (let i = 0; i < n; i++) {
    const row = covariance[i];
    for (let j = 0; j < i; j++) {
      const a = row[j], b = covariance[j][i];
      if (Math.abs(a - b) > 1e-12 * Math.sqrt(row[i] * covariance[j][j])) {
        throw rangeError(
          ACTION,
          "covariance",
          remedy,
          new Received(`covariance[${i}][${j}] = ${a} and covariance[${j}][${i}] = ${b}`),
        );
      }
    }
  }
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const jo = j * n;
    for (let i = j; i < n; i++) L[jo + i] = covariance[i][j];
    // L[j…, j] −= Σ_{k<j} L(j, k)·L[j…, k], four columns at a time.
    let k = 0;
    for (; k + 3 < j; k += 4) {
      const k0 = k * n, k1 = k0 + n, k2 = k1 + n, k3 = k2 + n;
      const f0 = L[k0 + j], f1 = L[k1 + j], f2 = L[k2 + j], f3 = L[k3 + j];
      for (let i = j; i < n; i++) L[jo + i] -= f0 * L[k0 + i] + f1 * L[k1 + i] + f2 * L[k2 + i] + f3 * L[k3 + i];
    }
    for (; k < j; k++) {
      const ko = k * n;
      const f = L[ko + j];
      for (let i = j; i < n; i++) L[jo + i] -= f * L[ko + i];
    }
    const pivot = L[jo + j], diagonal = covariance[j][j];
    if (!(pivot > PIVOT_TOLERANCE * diagonal)) {
      throw rangeError(
        ACTION,
        "covariance",
        remedy,
        new Received(`a Cholesky pivot of ${pivot} at row ${j} of ${n} (diagonal ${diagonal})`),
      );
    }
    const root = Math.sqrt(pivot), inv = 1 / root;
    L[jo + j] = root;
    for (let i = j + 1; i < n; i++) L[jo + i] *= inv;
  }
  return L;
}

/** Solves Σx = b in place from the column-major Cholesky factor L (Σ = LLᵀ). */
function choleskySolve(L: Float64Array, b: Float64Array): Float64Array {
  const n = b.length;
  for (let k = 0; k < n; k++) {
    const ko = k * n;
    const y = (b[k] /= L[ko + k]);
    for (let i = k + 1; i < n; i++) b[i] -= L[ko + i] * y;
  }
  for (let i = n - 1; i >= 0; i--) {
    const io = i * n;
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= L[io + k] * b[k];
    b[i] = s / L[io + i];
  }
  return b;
}

function closedForm(L: Float64Array, mu: Float64Array, lambda: number): MeanVarianceSolution {
  const n = mu.length;
  const y1 = choleskySolve(L, Float64Array.from(mu));
  const y2 = choleskySolve(L, new Float64Array(n).fill(1));
  let s1 = 0, s2 = 0;
  for (let i = 0; i < n; i++) (s1 += y1[i], s2 += y2[i]);
  let gamma = (s1 - lambda) / s2;
  const weights = new Array<number>(n);
  for (let i = 0; i < n; i++) weights[i] = (y1[i] - gamma * y2[i]) / lambda;
  // One refinement of the budget along Σ⁻¹1 (which only shifts γ): w += δ·Σ⁻¹1 / (1'Σ⁻¹1), δ = 1 − Σᵢ wᵢ.
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  const delta = 1 - total;
  for (let i = 0; i < n; i++) weights[i] += (delta * y2[i]) / s2;
  gamma -= (lambda * delta) / s2;
  return {
    weights,
    budgetMultiplier: gamma,
    lowerMultipliers: new Array<number>(n).fill(0),
    upperMultipliers: new Array<number>(n).fill(0),
    iterations: 0,
    method: "closed form",
  };
}

/**
 * Multipliers at the single feasible point wᵢ = c = 1/n: with gᵢ = μᵢ − λ(Σw)ᵢ, γ = minᵢ gᵢ and ν̄ᵢ = gᵢ − γ ≥ 0
 * satisfy stationarity g − γ1 − ν̄ = 0 (no weight is at zero, so ν = 0).
 */
function multipliersAtCap(
  covariance: ArrayLike<number>[],
  mu: Float64Array,
  lambda: number,
): Pick<MeanVarianceSolution, "budgetMultiplier" | "lowerMultipliers" | "upperMultipliers"> {
  const n = mu.length;
  const gradient = new Array<number>(n);
  let gamma = Infinity;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += covariance[i][j];
    gradient[i] = mu[i] - (lambda * s) / n;
    gamma = Math.min(gamma, gradient[i]);
  }
  return {
    budgetMultiplier: gamma,
    lowerMultipliers: new Array<number>(n).fill(0),
    upperMultipliers: gradient.map((g) => g - gamma),
  };
}

/**
 * Goldfarb–Idnani dual active-set method for min ½x'Gx − μ'x, G = λΣ = (√λ·L)(√λ·L)ᵀ, subject to the budget
 * (equality, constraint 0), xᵢ ≥ 0 (constraint 1 + i) and −xᵢ ≥ −c (constraint 1 + n + i).
 *
 * Storage, all column-major n×n Float64Arrays: J (column k at J[k·n …]) and R (upper triangular, R(i, j) at
 * R[j·n + i]). Invariant: J'N = [R; 0] for the matrix N of the q active constraint normals, and x minimises the
 * objective subject to the active constraints, with multipliers u ≥ 0 (the budget's may have either sign).
 *
 * Bounds are unit normals, so J'eᵢ is row i of J, and for an active bound the trailing part of that row (columns
 * q … n − 1, "J₂") is zero. The rows of J are therefore kept permuted with the m variables free of an active bound
 * first: the primal direction z = J₂d₂ and the update of J₂ then touch m·(n − q) entries instead of n·(n − q), and
 * z is exactly zero on the bound variables. Inner loops work on four columns at a time.
 */
function dualActiveSet(
  L: Float64Array,
  mu: Float64Array,
  lambda: number,
  hasLower: boolean,
  hasUpper: boolean,
  cap: number,
  maxIterations: number,
): MeanVarianceSolution {
  const n = mu.length;
  const J = inverseTransposeInPlace(L, n, 1 / Math.sqrt(lambda));
  // x = G⁻¹μ = J·(J'μ), stored by row position like J.
  const x = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const ko = k * n;
    let s = 0;
    for (let i = 0; i <= k; i++) s += J[ko + i] * mu[i];
    for (let i = 0; i <= k; i++) x[i] += s * J[ko + i];
  }

  const R = new Float64Array(n * n);
  const active = new Int32Array(n + 1); // constraint ids of the active set, in the order of R's columns
  const u = new Float64Array(n + 1); // their multipliers
  const varAt = new Int32Array(n); // variable held by row position r of J and x
  const posOf = new Int32Array(n); // row position of variable i
  for (let i = 0; i < n; i++) (varAt[i] = i, posOf[i] = i);
  const d = new Float64Array(n);
  const z = new Float64Array(n);
  const r = new Float64Array(n + 1);
  const cosines = new Float64Array(n), sines = new Float64Array(n);
  let q = 0; // active constraints
  let m = n; // free rows: positions 0 … m − 1
  let budgetSign = 1;
  let iterations = 0;

  // Each round takes at least one step, so maxIterations bounds the rounds too.
  for (let round = 0; round <= maxIterations; round++) {
    // Step 1: the constraint p to add: the budget first, then the most violated bound of a free variable.
    let p = -1, slack = 0, row = -1;
    if (round === 0) {
      let total = 0;
      for (let i = 0; i < n; i++) total += x[i];
      budgetSign = total > 1 ? -1 : 1;
      p = 0;
      slack = budgetSign * (total - 1);
    } else {
      let worst = 0, largest = 1;
      for (let i = 0; i < m; i++) largest = Math.max(largest, Math.abs(x[i]));
      for (let i = 0; i < m; i++) {
        const xi = x[i];
        if (hasLower && xi < worst) (worst = xi, row = i, p = 1 + varAt[i]);
        if (hasUpper && cap - xi < worst) (worst = cap - xi, row = i, p = 1 + n + varAt[i]);
      }
      if (p < 0 || worst >= -1e-12 * largest) break;
      slack = worst;
    }
    const sign = p > n ? -1 : 1; // n_p = +eᵢ (lower bound) or −eᵢ (cap)
    let uNew = 0;
    // Step 2: move towards feasibility of p, dropping constraints whose multipliers reach zero, until p is active.
    for (;;) {
      if (++iterations > maxIterations) {
        throw rangeError(
          ACTION,
          "maxIterations",
          "large enough for the dual active-set method to finish",
          new Received(`${maxIterations} (a bound violation of ${-slack} still open)`),
        );
      }
      // d = J'n_p.
      if (p === 0) {
        for (let k = 0; k < n; k++) {
          const ko = k * n;
          let s = 0;
          for (let i = 0; i < n; i++) s += J[ko + i];
          d[k] = budgetSign * s;
        }
      } else {
        for (let k = 0; k < n; k++) d[k] = sign * J[k * n + row];
      }
      // z = J₂d₂ (primal direction, zero on bound rows) and ‖d₂‖² = n_p'z.
      let d2 = 0, dd = 0;
      for (let k = 0; k < q; k++) dd += d[k] * d[k];
      for (let k = q; k < n; k++) d2 += d[k] * d[k];
      dd += d2;
      combineColumns(J, d, z, n, q, m);
      backSubstitute(R, d, r, n, q);
      // Partial (dual) step t1: the first inequality multiplier to reach zero; full step t2: p becomes active.
      let t1 = Infinity, drop = -1;
      for (let j = 0; j < q; j++) {
        if (active[j] !== 0 && r[j] > 0) {
          const ratio = u[j] / r[j];
          if (ratio < t1) (t1 = ratio, drop = j);
        }
      }
      const t2 = d2 > 1e-20 * dd ? -slack / d2 : Infinity;
      if (t1 === Infinity && t2 === Infinity) {
        throw rangeError(ACTION, "the constraints", "feasible", new Received("an infeasible set"));
      }
      const t = Math.min(t1, t2);
      for (let j = 0; j < q; j++) u[j] -= t * r[j];
      uNew += t;
      if (t2 !== Infinity) {
        for (let i = 0; i < m; i++) x[i] += t * z[i];
        slack += t * d2;
      }
      if (t2 <= t1) {
        addConstraint(J, R, d, z, n, m, q, d2);
        active[q] = p;
        u[q] = uNew;
        q++;
        if (p !== 0) {
          // The new bound's row is zero beyond column q − 1; move it behind the free rows.
          for (let k = q; k < n; k++) J[k * n + row] = 0;
          m--;
          swapRows(J, x, varAt, posOf, n, row, m);
        }
        break;
      }
      const dropped = active[drop];
      dropConstraint(J, R, active, u, cosines, sines, n, q, drop);
      q--;
      if (dropped !== 0) {
        // The released variable's row joins the free rows (p's row, free, keeps its position); bound rows stay
        // exactly zero in the column that joins J₂.
        const variable = dropped <= n ? dropped - 1 : dropped - 1 - n;
        swapRows(J, x, varAt, posOf, n, posOf[variable], m);
        m++;
        const qo = q * n;
        for (let i = m; i < n; i++) J[qo + i] = 0;
      }
    }
  }

  refine(J, R, x, u, active, posOf, n, q, budgetSign, cap);
  let gamma = 0;
  const weights = new Array<number>(n);
  for (let i = 0; i < n; i++) weights[varAt[i]] = x[i];
  const lowerMultipliers = new Array<number>(n).fill(0);
  const upperMultipliers = new Array<number>(n).fill(0);
  // The weights of names at an active bound sit at it up to rounding: set them exactly.
  for (let j = 0; j < q; j++) {
    const id = active[j];
    if (id === 0) gamma = -budgetSign * u[j];
    else if (id <= n) (weights[id - 1] = 0, lowerMultipliers[id - 1] = u[j]);
    else (weights[id - 1 - n] = cap, upperMultipliers[id - 1 - n] = u[j]);
  }
  return {
    weights,
    budgetMultiplier: gamma,
    lowerMultipliers,
    upperMultipliers,
    iterations,
    method: "dual active set",
  };
}

/**
 * One step of iterative refinement on the final active set: with residuals ρ = N'x − b of the active constraints
 * (the budget's grows like κ(Σ)·ε with rounding in J), the least-G-norm correction that removes them is
 * δx = −G⁻¹N(N'G⁻¹N)⁻¹ρ = −J₁R⁻ᵀρ, and stationarity Gx − μ = Nu is kept by δu = −R⁻¹R⁻ᵀρ (G⁻¹N = J₁R,
 * N'G⁻¹N = R'R). O(n·q + q²), once.
 */
function refine(
  J: Float64Array,
  R: Float64Array,
  x: Float64Array,
  u: Float64Array,
  active: Int32Array,
  posOf: Int32Array,
  n: number,
  q: number,
  budgetSign: number,
  cap: number,
): void {
  const y = new Float64Array(q);
  for (let j = 0; j < q; j++) {
    const id = active[j];
    let residual: number;
    if (id === 0) {
      let total = 0;
      for (let i = 0; i < n; i++) total += x[i];
      residual = budgetSign * (total - 1);
    } else if (id <= n) {
      residual = x[posOf[id - 1]];
    } else {
      residual = cap - x[posOf[id - 1 - n]];
    }
    // Forward substitution R'y = ρ: y_j = (ρ_j − Σ_{i<j} R(i, j)·y_i) / R(j, j).
    const jo = j * n;
    let s = residual;
    for (let i = 0; i < j; i++) s -= R[jo + i] * y[i];
    y[j] = s / R[jo + j];
  }
  for (let j = 0; j < q; j++) {
    const jo = j * n, yj = y[j];
    for (let i = 0; i < n; i++) x[i] -= yj * J[jo + i];
  }
  backSubstitute(R, y, y, n, q);
  for (let j = 0; j < q; j++) u[j] -= y[j];
}

/**
 * J = s·L⁻ᵀ, column-major, written over L (which it consumes): column k of J is s times row k of L⁻¹, from L⁻¹'s
 * row recursion row_k = (e_k − Σ_{j<k} L(k, j)·row_j) / L(k, k). Column k of J fills rows 0 … k of the buffer while
 * the later columns still read L below the diagonal; that strictly lower part is cleared at the end.
 */
function inverseTransposeInPlace(L: Float64Array, n: number, s: number): Float64Array {
  const J = L;
  const f = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const ko = k * n;
    const inv = 1 / L[ko + k];
    for (let j = 0; j < k; j++) f[j] = L[j * n + k] * inv;
    let j = 0;
    for (; j + 3 < k; j += 4) {
      const j0 = j * n, j1 = j0 + n, j2 = j1 + n, j3 = j2 + n;
      const f0 = f[j], f1 = f[j + 1], f2 = f[j + 2], f3 = f[j + 3];
      for (let i = 0; i <= j; i++) J[ko + i] -= f0 * J[j0 + i] + f1 * J[j1 + i] + f2 * J[j2 + i] + f3 * J[j3 + i];
      // Rows j + 1 … j + 3: only the columns whose upper part holds them (below the diagonal lies L).
      J[ko + j + 1] -= f1 * J[j1 + j + 1] + f2 * J[j2 + j + 1] + f3 * J[j3 + j + 1];
      J[ko + j + 2] -= f2 * J[j2 + j + 2] + f3 * J[j3 + j + 2];
      J[ko + j + 3] -= f3 * J[j3 + j + 3];
    }
    for (; j < k; j++) {
      const jo = j * n, fj = f[j];
      for (let i = 0; i <= j; i++) J[ko + i] -= fj * J[jo + i];
    }
    J[ko + k] = s * inv;
  }
  for (let k = 0; k < n; k++) J.fill(0, k * n + k + 1, (k + 1) * n);
  return J;
}

/** z[0 … m) = Σ_{k=q}^{n−1} d_k·J[0 … m), k] (the primal direction J₂d₂ on the free rows). */
function combineColumns(J: Float64Array, d: Float64Array, z: Float64Array, n: number, q: number, m: number): void {
  z.fill(0, 0, m);
  let k = q;
  for (; k + 3 < n; k += 4) {
    const k0 = k * n, k1 = k0 + n, k2 = k1 + n, k3 = k2 + n;
    const d0 = d[k], d1 = d[k + 1], d2 = d[k + 2], d3 = d[k + 3];
    for (let i = 0; i < m; i++) z[i] += d0 * J[k0 + i] + d1 * J[k1 + i] + d2 * J[k2 + i] + d3 * J[k3 + i];
  }
  for (; k < n; k++) {
    const ko = k * n, dk = d[k];
    for (let i = 0; i < m; i++) z[i] += dk * J[ko + i];
  }
}

/** r = R⁻¹d[0 … q) for the upper triangular R (column-major), by columns, four at a time. */
function backSubstitute(R: Float64Array, d: Float64Array, r: Float64Array, n: number, q: number): void {
  for (let k = 0; k < q; k++) r[k] = d[k];
  let j = q - 1;
  for (; j >= 3; j -= 4) {
    const c0 = j * n, c1 = c0 - n, c2 = c1 - n, c3 = c2 - n;
    const r0 = (r[j] /= R[c0 + j]);
    const r1 = (r[j - 1] = (r[j - 1] - R[c0 + j - 1] * r0) / R[c1 + j - 1]);
    const r2 = (r[j - 2] = (r[j - 2] - R[c0 + j - 2] * r0 - R[c1 + j - 2] * r1) / R[c2 + j - 2]);
    const r3 = (r[j - 3] = (r[j - 3] - R[c0 + j - 3] * r0 - R[c1 + j - 3] * r1 - R[c2 + j - 3] * r2) / R[c3 + j - 3]);
    for (let i = 0; i < j - 3; i++) r[i] -= R[c0 + i] * r0 + R[c1 + i] * r1 + R[c2 + i] * r2 + R[c3 + i] * r3;
  }
  for (; j >= 0; j--) {
    const jo = j * n;
    const rj = (r[j] /= R[jo + j]);
    for (let i = 0; i < j; i++) r[i] -= R[jo + i] * rj;
  }
}

/** Swaps row positions a and b of J (every column) and of x, and the variable maps. */
function swapRows(
  J: Float64Array,
  x: Float64Array,
  varAt: Int32Array,
  posOf: Int32Array,
  n: number,
  a: number,
  b: number,
): void {
  if (a === b) return;
  for (let ko = 0; ko < n * n; ko += n) {
    const t = J[ko + a];
    J[ko + a] = J[ko + b];
    J[ko + b] = t;
  }
  const t = x[a];
  x[a] = x[b];
  x[b] = t;
  const va = varAt[a], vb = varAt[b];
  varAt[a] = vb;
  varAt[b] = va;
  posOf[vb] = a;
  posOf[va] = b;
}

/**
 * Adds the constraint with d = J'n_p as column q of R: a Householder reflection H of J's columns q … n − 1 maps
 * d₂ = d[q …] to α·e₁ (α = −sign(d_q)·‖d₂‖), so that R gains the column (d₁, α). J₂ ← J₂H = J₂ − β(J₂v)v' with
 * v = d₂ − α·e₁, β = 2 / v'v, and J₂v = z − α·J[:, q] reuses z = J₂d₂. Only the m free rows of J₂ are non-zero.
 */
function addConstraint(
  J: Float64Array,
  R: Float64Array,
  d: Float64Array,
  z: Float64Array,
  n: number,
  m: number,
  q: number,
  d2: number,
): void {
  const qo = q * n;
  for (let i = 0; i < q; i++) R[qo + i] = d[i];
  const dq = d[q];
  const alpha = dq >= 0 ? -Math.sqrt(d2) : Math.sqrt(d2);
  R[qo + q] = alpha;
  const beta = 1 / (d2 - alpha * dq); // 2 / v'v, v'v = 2(‖d₂‖² − α·d_q)
  for (let i = 0; i < m; i++) z[i] -= alpha * J[qo + i]; // w = J₂v
  d[q] = dq - alpha; // d[q …] now holds v
  let k = q;
  for (; k + 3 < n; k += 4) {
    const k0 = k * n, k1 = k0 + n, k2 = k1 + n, k3 = k2 + n;
    const f0 = beta * d[k], f1 = beta * d[k + 1], f2 = beta * d[k + 2], f3 = beta * d[k + 3];
    for (let i = 0; i < m; i++) {
      const w = z[i];
      J[k0 + i] -= f0 * w;
      J[k1 + i] -= f1 * w;
      J[k2 + i] -= f2 * w;
      J[k3 + i] -= f3 * w;
    }
  }
  for (; k < n; k++) {
    const ko = k * n, f = beta * d[k];
    for (let i = 0; i < m; i++) J[ko + i] -= f * z[i];
  }
}

/**
 * Drops the active constraint at position k: removes column k of R and restores its triangular form with Givens
 * rotations G_j of rows (j, j + 1), j = k … q − 2, then applies the same rotations to columns k … q − 1 of J (all
 * rows), two rotations per pass so that each entry of J is loaded and stored about once per two rotations.
 */
function dropConstraint(
  J: Float64Array,
  R: Float64Array,
  active: Int32Array,
  u: Float64Array,
  cosines: Float64Array,
  sines: Float64Array,
  n: number,
  q: number,
  k: number,
): void {
  for (let j = k; j < q - 1; j++) {
    active[j] = active[j + 1];
    u[j] = u[j + 1];
    const to = j * n, from = (j + 1) * n;
    for (let i = 0; i <= j + 1; i++) R[to + i] = R[from + i];
  }
  // Column by column (contiguous): the rotations found so far, then the one that zeroes R(col + 1, col).
  for (let col = k; col < q - 1; col++) {
    const co = col * n;
    for (let j = k; j < col; j++) {
      const c = cosines[j], s = sines[j];
      const x1 = R[co + j], x2 = R[co + j + 1];
      R[co + j] = c * x1 + s * x2;
      R[co + j + 1] = -s * x1 + c * x2;
    }
    const a = R[co + col], b = R[co + col + 1];
    const h = Math.sqrt(a * a + b * b);
    cosines[col] = a / h;
    sines[col] = b / h;
    R[co + col] = h;
    R[co + col + 1] = 0;
  }
  // Columns (j, j + 1) of J: J_j ← c·J_j + s·J_{j+1}, J_{j+1} ← −s·J_j + c·J_{j+1}, in order of j.
  let j = k;
  for (; j + 1 < q - 1; j += 2) {
    const j0 = j * n, j1 = j0 + n, j2 = j1 + n;
    const c0 = cosines[j], s0 = sines[j], c1 = cosines[j + 1], s1 = sines[j + 1];
    for (let i = 0; i < n; i++) {
      const a = J[j0 + i], b = J[j1 + i], e = J[j2 + i];
      const b1 = -s0 * a + c0 * b;
      J[j0 + i] = c0 * a + s0 * b;
      J[j1 + i] = c1 * b1 + s1 * e;
      J[j2 + i] = -s1 * b1 + c1 * e;
    }
  }
  for (; j < q - 1; j++) {
    const j0 = j * n, j1 = j0 + n;
    const c = cosines[j], s = sines[j];
    for (let i = 0; i < n; i++) {
      const a = J[j0 + i], b = J[j1 + i];
      J[j0 + i] = c * a + s * b;
      J[j1 + i] = -s * a + c * b;
    }
  }
}
