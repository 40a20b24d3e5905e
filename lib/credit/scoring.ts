/**
 * Credit scoring: TOPSIS, principal-component weights, the financial-health score from balance-sheet ratios, and the
 * 0–800 credit score that combines health with a firm's credit state, plus the cross-section study of the weights.
 *
 * **TOPSIS** (Hwang & Yoon 1981, §2.3.4). For m alternatives and n criteria x_ij with weights w_j:
 *
 *     r_ij = x_ij / √(Σ_k x_kj²)                      vector normalisation
 *     v_ij = w_j · r_ij                               w_j rescaled to Σ w_j = 1
 *     A⁺_j = max_i v_ij (benefit) or min_i v_ij (cost); A⁻_j the other extreme
 *     S⁺_i = ‖v_i − A⁺‖₂,  S⁻_i = ‖v_i − A⁻‖₂
 *     C_i  = S⁻_i / (S⁺_i + S⁻_i)  ∈ [0, 1]           relative closeness to the ideal
 *
 * **Principal-component weights.** Columns are standardised, z_ij = (x_ij − x̄_j)/s_j, so their covariance is the
 * correlation matrix R; its eigenvector u of the largest eigenvalue λ₁ (cyclic Jacobi rotations) gives the weights
 * w = ±u / Σ_j |u_j| with the sign making Σ_j w_j > 0. λ₁/n is the share of variance the component explains.
 *
 * **Financial health** ({@linkcode financialHealth}). Four ratios per firm-year, directions corrected by min–max
 * normalisation (1 = healthiest), weighted by the first principal component of the normalised ratios:
 *
 *     interest coverage   EBIT / interest expense              benefit, winsorised to [floor, cap] = [0, 20]
 *     debt / assets       (short-term + long-term debt) / A    cost
 *     debt / equity       debt / book equity                   cost, capped at 5
 *     size                ln market capitalisation, or ln total assets where there are no prices   benefit
 *
 *     n_ij = (x_ij − min_j)/(max_j − min_j) (benefit) or (max_j − x_ij)/(max_j − min_j) (cost)
 *     h_i  = Σ_j w_j n_ij + Σ_{j: w_j < 0} |w_j|      ∈ [0, 1]  (a negative weight enters as |w_j|·(1 − n_ij))
 *
 * The data caveats of `SOURCES.md` §9 are treated, never dropped silently: interest expense 0 **with debt
 * outstanding** is a missing value (the row is excluded from the score, not given infinite coverage); interest
 * expense 0 with **no debt** gives the best coverage, the cap; **book equity ≤ 0** makes debt/equity meaningless, so
 * it is set to the worst value, the cap (or, with `negativeEquity: "exclude"`, the row is excluded). Every treated
 * or excluded row is counted in the result.
 *
 * **Credit score** ({@linkcode creditScore}). 800 × the TOPSIS closeness of (health h, credit state s), both benefit
 * criteria in [0, 1], with the state s = (20 − notch)/20 of the 21-notch scale of `ratings.ts`
 * ({@linkcode notchToState}: AAA = 1, D = 0). By default the ideal (1, 1) and the anti-ideal (0, 0) are added as
 * reference alternatives, so that 800 and 0 mean the best and worst possible firm rather than the best and worst of
 * the set. {@linkcode scoreToNotch} and {@linkcode scoreToRating} map a score back to the notch scale: the score of
 * notch k on the diagonal h = s is 800·(1 − k/20), and a score belongs to the nearest such notch (ties to the better
 * one); default (D) is an event, not a score band ({@linkcode SCORE_BANDS}).
 *
 * References:
 * 1. Hwang, C.-L. & Yoon, K. (1981). Multiple Attribute Decision Making: Methods and Applications. Lecture Notes in
 *    Economics and Mathematical Systems 186, Springer, §2.3.4 (TOPSIS; the fighter-aircraft example, pp. 128–134).
 * 2. Jolliffe, I. T. (2002). Principal Component Analysis, 2nd ed., Springer, §2.3 (PCA of the correlation matrix).
 * 3. Golub, G. H. & Van Loan, C. F. (2013). Matrix Computations, 4th ed., §8.5 (the cyclic Jacobi method).
 * 4. Damodaran, A. Ratings, interest coverage ratios and default spreads (the synthetic-rating table of his NYU Stern
 *    data pages, updated yearly): coverage above 8.5 (large firms) to 12.5 (small firms) already maps to AAA, which
 *    is why the default cap of 20 loses no credit information.
 * @module
 */
import {
  rangeError,
  Received,
  requireFinite,
  requireFiniteArray,
  requireInteger,
  requireKnownKeys,
  requireMatrix,
  requirePositive,
  requireSameLength,
  requireSeed,
  typeError,
} from "../core/check.ts";
import { makeRng, type Seed } from "../core/rng.ts";
import { sortedQuantile } from "../core/stats.ts";
import { DEFAULT_NOTCH, notchToLetter, type RatingLetter } from "./ratings.ts";

// ---------------------------------------------------------------------------------------------------------------
// TOPSIS

/** Direction of a TOPSIS criterion: more is better (`"benefit"`) or less is better (`"cost"`). */
export type Criterion = "benefit" | "cost";

/** Every intermediate of {@linkcode topsisSteps}, for teaching and checking against a worked example. */
export interface TopsisSteps {
  /** r_ij = x_ij / √(Σ_k x_kj²). */ readonly normalized: number[][];
  /** Weights rescaled to sum to 1. */ readonly weights: number[];
  /** v_ij = w_j r_ij. */ readonly weighted: number[][];
  /** A⁺: the best weighted value of each criterion. */ readonly ideal: number[];
  /** A⁻: the worst weighted value of each criterion. */ readonly antiIdeal: number[];
  /** S⁺_i = ‖v_i − A⁺‖₂. */ readonly distanceToIdeal: number[];
  /** S⁻_i = ‖v_i − A⁻‖₂. */ readonly distanceToAntiIdeal: number[];
  /** C_i = S⁻_i / (S⁺_i + S⁻_i) ∈ [0, 1]. */ readonly closeness: number[];
}

/**
 * TOPSIS with every step (see the module notes for the formulas).
 *
 * @param matrix m × n decision matrix, one row per alternative; finite values, no column of zeros (values may be
 *   negative: vector normalisation is invariant to rescaling a criterion, not to shifting it).
 * @param weights n weights ≥ 0, not all zero (rescaled to sum to 1; the closeness does not depend on their scale).
 * @param criteria n directions, `"benefit"` or `"cost"`.
 * @throws {TypeError} For a matrix that is not an array of rows, or criteria that are not an array.
 * @throws {RangeError} For an empty or ragged matrix, a non-finite value, a column of zeros, a negative or all-zero
 *   weight, a length mismatch, an unknown criterion, or alternatives that do not differ in any weighted criterion
 *   (then every closeness is 0/0).
 *
 * @example Hwang & Yoon's (1981) fighter-aircraft example (§2.3.4): A1 is closest to the ideal
 * ```ts
 * import assert from "node:assert/strict";
 * import { topsisSteps } from "./scoring.ts";
 *
 * const aircraft = [
 *   [2.0, 1500, 20000, 5.5, 5, 9],
 *   [2.5, 2700, 18000, 6.5, 3, 5],
 *   [1.8, 2000, 21000, 4.5, 7, 7],
 *   [2.2, 1800, 20000, 5.0, 5, 5],
 * ];
 * const steps = topsisSteps(
 *   aircraft,
 *   [0.2, 0.1, 0.1, 0.1, 0.2, 0.3],
 *   ["benefit", "benefit", "benefit", "cost", "benefit", "benefit"],
 * );
 * // Published (p. 133, intermediate steps rounded to 4 decimals): 0.643, 0.268, 0.613, 0.312
 * [0.643, 0.268, 0.613, 0.312].forEach((c, i) => assert.ok(Math.abs(steps.closeness[i] - c) < 1e-3));
 * ```
 */
export function topsisSteps(
  matrix: readonly (readonly number[])[] | readonly ArrayLike<number>[],
  weights: ArrayLike<number>,
  criteria: readonly Criterion[],
): TopsisSteps {
  const { k, rows, cols, w } = runTopsis(matrix, weights, criteria);
  const toRows = (a: Float64Array) =>
    Array.from({ length: rows }, (_, i) => Array.from(a.subarray(i * cols, (i + 1) * cols)));
  return {
    normalized: toRows(k.normalized),
    weights: Array.from(w),
    weighted: toRows(k.weighted),
    ideal: Array.from(k.ideal),
    antiIdeal: Array.from(k.antiIdeal),
    distanceToIdeal: Array.from(k.plus),
    distanceToAntiIdeal: Array.from(k.minus),
    closeness: Array.from(k.closeness),
  };
}

/**
 * TOPSIS relative closeness C_i ∈ [0, 1] of each alternative to the ideal solution (vector normalisation, weighted,
 * ideal and anti-ideal, Euclidean distances; the module notes give the formulas). 1 means the alternative is the
 * ideal (best on every weighted criterion), 0 that it is the anti-ideal.
 *
 * @param matrix m × n decision matrix, one row per alternative.
 * @param weights n weights ≥ 0, not all zero.
 * @param criteria n directions, `"benefit"` or `"cost"`.
 * @returns m closeness values (the `closeness` of {@linkcode topsisSteps}).
 * @throws {RangeError|TypeError} As {@linkcode topsisSteps}.
 *
 * @example An alternative best on every criterion is the ideal
 * ```ts
 * import assert from "node:assert/strict";
 * import { topsis } from "./scoring.ts";
 *
 * const c = topsis([[3, 1], [2, 2], [1, 3]], [1, 1], ["benefit", "cost"]);
 * assert.deepEqual(c, [1, 0.5, 0]);
 * ```
 */
export function topsis(
  matrix: readonly (readonly number[])[] | readonly ArrayLike<number>[],
  weights: ArrayLike<number>,
  criteria: readonly Criterion[],
): number[] {
  return Array.from(runTopsis(matrix, weights, criteria).k.closeness);
}

/** Validates the public TOPSIS arguments and runs the kernel. */
function runTopsis(
  matrix: readonly (readonly number[])[] | readonly ArrayLike<number>[],
  weights: ArrayLike<number>,
  criteria: readonly Criterion[],
) {
  const action = "compute TOPSIS closeness";
  const { rows, cols } = requireMatrix(action, "matrix", matrix as unknown[], { minRows: 1 });
  if (cols === 0) throw rangeError(action, "matrix", "a matrix with at least one column", new Received("0 columns"));
  const w = checkWeights(action, weights, cols);
  const benefit = checkCriteria(action, criteria, cols);
  const x = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = matrix[i] as ArrayLike<number>;
    for (let j = 0; j < cols; j++) x[i * cols + j] = row[j];
  }
  return { k: topsisKernel(x, rows, cols, w, benefit, action), rows, cols, w };
}

function checkWeights(action: string, weights: unknown, cols: number): Float64Array {
  requireFiniteArray(action, "weights", weights, { length: cols });
  const w = Float64Array.from(weights as ArrayLike<number>);
  let total = 0;
  for (let j = 0; j < cols; j++) {
    if (!(w[j] >= 0)) throw rangeError(action, `weights[${j}]`, ">= 0", w[j]);
    total += w[j];
  }
  if (!(total > 0)) throw rangeError(action, "weights", "not all zero", new Received(`${cols} zeros`));
  for (let j = 0; j < cols; j++) w[j] /= total;
  return w;
}

function checkCriteria(action: string, criteria: unknown, cols: number): Uint8Array {
  if (!Array.isArray(criteria)) throw typeError(action, "criteria", 'an array of "benefit" or "cost"', criteria);
  if (criteria.length !== cols) {
    throw rangeError(action, "criteria.length", `${cols} (the matrix columns)`, criteria.length);
  }
  const benefit = new Uint8Array(cols);
  for (let j = 0; j < cols; j++) {
    if (criteria[j] !== "benefit" && criteria[j] !== "cost") {
      throw rangeError(action, `criteria[${j}]`, '"benefit" or "cost"', criteria[j]);
    }
    benefit[j] = criteria[j] === "benefit" ? 1 : 0;
  }
  return benefit;
}

/** TOPSIS on a row-major typed matrix; weights already sum to 1. */
function topsisKernel(
  x: Float64Array,
  rows: number,
  cols: number,
  w: Float64Array,
  benefit: Uint8Array,
  action: string,
) {
  const normalized = new Float64Array(rows * cols), weighted = new Float64Array(rows * cols);
  const ideal = new Float64Array(cols), antiIdeal = new Float64Array(cols);
  let differs = false;
  for (let j = 0; j < cols; j++) {
    let sumSq = 0;
    for (let i = 0; i < rows; i++) sumSq += x[i * cols + j] * x[i * cols + j];
    if (!(sumSq > 0)) {
      throw rangeError(
        action,
        `matrix column ${j}`,
        "not all zero (its vector norm is 0)",
        new Received(`${rows} zeros`),
      );
    }
    const norm = Math.sqrt(sumSq);
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < rows; i++) {
      const r = x[i * cols + j] / norm, v = w[j] * r;
      normalized[i * cols + j] = r;
      weighted[i * cols + j] = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    ideal[j] = benefit[j] ? hi : lo;
    antiIdeal[j] = benefit[j] ? lo : hi;
    if (w[j] > 0 && hi > lo) differs = true;
  }
  if (!differs) {
    throw rangeError(
      action,
      "matrix",
      "a set of alternatives that differ in at least one criterion of positive weight (else every closeness is 0/0)",
      new Received(`${rows} alternative${rows === 1 ? "" : "s"} equal in every weighted criterion`),
    );
  }
  const plus = new Float64Array(rows), minus = new Float64Array(rows), closeness = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let sp = 0, sm = 0;
    for (let j = 0; j < cols; j++) {
      const v = weighted[i * cols + j];
      sp += (v - ideal[j]) * (v - ideal[j]);
      sm += (v - antiIdeal[j]) * (v - antiIdeal[j]);
    }
    plus[i] = Math.sqrt(sp);
    minus[i] = Math.sqrt(sm);
    closeness[i] = minus[i] / (plus[i] + minus[i]);
  }
  return { normalized, weighted, ideal, antiIdeal, plus, minus, closeness };
}

// ---------------------------------------------------------------------------------------------------------------
// Principal-component weights

/** The first principal component of a column-standardised matrix ({@linkcode firstPrincipalComponent}). */
export interface PrincipalComponent {
  /** w = ±u / Σ|u_j|: Σ|w_j| = 1 and Σ w_j > 0. */ readonly weights: number[];
  /** The unit eigenvector u, with the sign of `weights`. */ readonly loadings: number[];
  /** λ₁, the largest eigenvalue of the correlation matrix. */ readonly eigenvalue: number;
  /** All eigenvalues of the correlation matrix, descending (they sum to the number of columns). */
  readonly eigenvalues: number[];
  /** λ₁ / n: the share of the total variance of the standardised columns that the component explains. */
  readonly explainedVariance: number;
  /** The correlation matrix R of the columns. */ readonly correlation: number[][];
  /** Jacobi sweeps used. */ readonly sweeps: number;
}

/**
 * First principal component of the column-standardised matrix (PCA of the correlation matrix), with its weights
 * normalised to Σ|w_j| = 1 and signed so that Σ w_j > 0. If Σ u_j is zero (to 1e-12 of Σ|u_j|, e.g. two columns
 * with negative correlation, u = (1, −1)/√2) the sign makes the first non-zero weight positive.
 *
 * @param matrix m × n, m ≥ 2 rows (observations), n ≥ 1 columns, finite, no constant column.
 * @throws {RangeError|TypeError} For a malformed matrix, fewer than 2 rows, a constant column (its variance is 0;
 *   the message names it), or a first eigenvalue that is not unique (the two largest agree to 1e-10 relative, so no
 *   direction is the first component — e.g. uncorrelated columns, R = I).
 *
 * @example Two columns always share the weight equally (the eigenvectors of a 2 × 2 correlation matrix are (1, ±1)/√2)
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstPrincipalComponent } from "./scoring.ts";
 *
 * const pc = firstPrincipalComponent([[1, 2], [2, 4], [3, 7], [4, 8]]);
 * assert.ok(Math.abs(pc.weights[0] - 0.5) < 0.01 && pc.explainedVariance > 0.99);
 * ```
 */
export function firstPrincipalComponent(
  matrix: readonly (readonly number[])[] | readonly ArrayLike<number>[],
): PrincipalComponent {
  const action = "compute principal weights";
  const { rows, cols } = requireMatrix(action, "matrix", matrix as unknown[], { minRows: 2 });
  if (cols === 0) throw rangeError(action, "matrix", "a matrix with at least one column", new Received("0 columns"));
  const columns = Array.from(
    { length: cols },
    (_, j) => Float64Array.from(matrix as ArrayLike<number>[], (row) => row[j]),
  );
  return principalKernel(columns, null, rows, action, (j) => `matrix column ${j}`);
}

/**
 * Weights from the first principal component of the column-standardised matrix, signed so that they sum positive and
 * normalised to sum 1 in absolute value (the `weights` of {@linkcode firstPrincipalComponent}).
 *
 * @throws {RangeError|TypeError} As {@linkcode firstPrincipalComponent}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstPrincipalWeights } from "./scoring.ts";
 *
 * const w = firstPrincipalWeights([[1, 5, 2], [2, 3, 2.5], [3, 4, 4], [4, 1, 3.5], [5, 2, 6]]);
 * assert.ok(Math.abs(w.reduce((a, b) => a + Math.abs(b), 0) - 1) < 1e-12 && w.reduce((a, b) => a + b) > 0);
 * ```
 */
export function firstPrincipalWeights(matrix: readonly (readonly number[])[] | readonly ArrayLike<number>[]): number[] {
  return firstPrincipalComponent(matrix).weights;
}

/** PCA of the columns restricted to `index` (all rows when null). Throws RangeError as documented above. */
function principalKernel(
  columns: readonly Float64Array[],
  index: Int32Array | null,
  rows: number,
  action: string,
  columnName: (j: number) => string,
): PrincipalComponent {
  const p = columns.length;
  const at = index === null ? (i: number) => i : (i: number) => index[i];
  const z = columns.map((col, j) => {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += col[at(i)];
    mean /= rows;
    let ss = 0;
    for (let i = 0; i < rows; i++) ss += (col[at(i)] - mean) * (col[at(i)] - mean);
    // A column is constant when its spread is at rounding level of its values (a mean of equal values can be off by
    // an ulp, so an exact zero test would miss it).
    if (!(ss > 1e-24 * rows * Math.max(mean * mean, Number.MIN_VALUE))) {
      throw rangeError(action, columnName(j), "not constant (its variance is 0)", new Received(`${rows} equal values`));
    }
    const scale = 1 / Math.sqrt(ss);
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) out[i] = (col[at(i)] - mean) * scale;
    return out;
  });
  const r = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    r[a * p + a] = 1;
    for (let b = a + 1; b < p; b++) {
      let s = 0;
      const za = z[a], zb = z[b];
      for (let i = 0; i < rows; i++) s += za[i] * zb[i];
      r[a * p + b] = r[b * p + a] = s;
    }
  }
  const { values, vectors, sweeps } = jacobiEigen(r, p, action);
  const order = Array.from({ length: p }, (_, k) => k).sort((a, b) => values[b] - values[a]);
  const top = order[0];
  if (p > 1 && values[top] - values[order[1]] <= 1e-10 * values[top]) {
    throw rangeError(
      action,
      "the first principal component",
      "unique (the two largest eigenvalues of the correlation matrix must differ)",
      new Received(`${values[top]} and ${values[order[1]]}`),
    );
  }
  const u = Array.from({ length: p }, (_, j) => vectors[j * p + top]);
  let total = 0, absTotal = 0;
  for (const v of u) (total += v), (absTotal += Math.abs(v));
  let sign = total > 0 ? 1 : -1;
  if (Math.abs(total) <= 1e-12 * absTotal) sign = (u.find((v) => v !== 0) ?? 1) > 0 ? 1 : -1;
  return {
    weights: u.map((v) => (sign * v) / absTotal),
    loadings: u.map((v) => sign * v),
    eigenvalue: values[top],
    eigenvalues: order.map((k) => values[k]),
    explainedVariance: values[top] / p,
    correlation: Array.from({ length: p }, (_, a) => Array.from(r.subarray(a * p, (a + 1) * p))),
    sweeps,
  };
}

/**
 * Eigen-decomposition of a symmetric p × p matrix (row-major) by cyclic Jacobi rotations (Golub & Van Loan §8.5):
 * A ← JᵀAJ with each rotation zeroing one off-diagonal pair; eigenvectors are the columns of the accumulated J.
 * Stops when the off-diagonal Frobenius norm is below 1e-15 of the matrix's; at most 60 sweeps (quadratic
 * convergence needs fewer than 10 for p ≤ 10).
 */
function jacobiEigen(matrix: Float64Array, p: number, action: string) {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(p * p);
  for (let k = 0; k < p; k++) v[k * p + k] = 1;
  let norm = 0;
  for (let k = 0; k < p * p; k++) norm += a[k] * a[k];
  const maxSweeps = 60;
  let sweeps = 0;
  for (; sweeps < maxSweeps; sweeps++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += 2 * a[i * p + j] * a[i * p + j];
    if (off <= 1e-30 * norm) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = a[i * p + j];
        if (aij === 0) continue;
        const theta = (a[j * p + j] - a[i * p + i]) / (2 * aij);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < p; k++) { // columns i and j: A ← A·J
          const aki = a[k * p + i], akj = a[k * p + j];
          a[k * p + i] = c * aki - s * akj;
          a[k * p + j] = s * aki + c * akj;
        }
        for (let k = 0; k < p; k++) { // rows i and j: A ← Jᵀ·A
          const aik = a[i * p + k], ajk = a[j * p + k];
          a[i * p + k] = c * aik - s * ajk;
          a[j * p + k] = s * aik + c * ajk;
        }
        a[i * p + j] = a[j * p + i] = 0;
        for (let k = 0; k < p; k++) {
          const vki = v[k * p + i], vkj = v[k * p + j];
          v[k * p + i] = c * vki - s * vkj;
          v[k * p + j] = s * vki + c * vkj;
        }
      }
    }
  }
  if (sweeps === maxSweeps) {
    throw new RangeError(`Cannot ${action}: Jacobi eigen-decomposition did not converge in ${maxSweeps} sweeps`);
  }
  const values = Float64Array.from({ length: p }, (_, k) => a[k * p + k]);
  return { values, vectors: v, sweeps };
}

// ---------------------------------------------------------------------------------------------------------------
// Financial health

/** The four health ratios, in the order of every per-ratio array. */
export const HEALTH_RATIOS = ["interestCoverage", "debtToAssets", "debtToEquity", "size"] as const;
/** A health ratio. */
export type HealthRatio = typeof HEALTH_RATIOS[number];
/** Direction of each ratio: coverage and size are benefits, leverage is a cost. */
export const HEALTH_CRITERIA: Readonly<Record<HealthRatio, Criterion>> = {
  interestCoverage: "benefit",
  debtToAssets: "cost",
  debtToEquity: "cost",
  size: "benefit",
};

/** Balance-sheet inputs of {@linkcode financialHealth}, one element per firm-year (amounts in one currency). */
export interface HealthInputs {
  /** Earnings before interest and tax (any sign). */ readonly ebit: ArrayLike<number>;
  /** Interest expense ≥ 0; 0 with debt outstanding is a missing value. */ readonly interestExpense: ArrayLike<number>;
  /** Short-term debt and current portion of long-term debt, ≥ 0. */ readonly shortTermDebt: ArrayLike<number>;
  /** Long-term debt, ≥ 0. */ readonly longTermDebt: ArrayLike<number>;
  /** Total assets, > 0. */ readonly totalAssets: ArrayLike<number>;
  /** Book equity (any sign; ≤ 0 is treated, see `negativeEquity`). */ readonly totalEquity: ArrayLike<number>;
  /** Market capitalisation > 0, for every row or none; size is ln market cap when given, else ln total assets. */
  readonly marketCap?: ArrayLike<number>;
}

/** A value per health ratio. */
export type PerRatio<T> = { readonly [K in HealthRatio]: T };

/** Options of {@linkcode financialHealth}. */
export interface HealthOptions {
  /** Interest coverage above this is set to it (default 20×; also the coverage of a firm with no debt). */
  readonly coverageCap?: number;
  /** Interest coverage below this is set to it (default 0: an operating loss covers no interest at all). */
  readonly coverageFloor?: number;
  /** Debt/equity above this is set to it (default 5; also the value for book equity ≤ 0). */
  readonly debtToEquityCap?: number;
  /** Book equity ≤ 0: `"worst"` sets debt/equity to the cap (default); `"exclude"` leaves the row unscored. */
  readonly negativeEquity?: "worst" | "exclude";
  /** Weights per ratio (any sign, not all zero; rescaled to Σ|w| = 1). Default: the first principal component. */
  readonly weights?: PerRatio<number>;
  /** [min, max] per ratio for the min–max normalisation (e.g. from an earlier fit). Default: the sample's. */
  readonly bounds?: PerRatio<readonly [number, number]>;
  /** A ratio outside given `bounds`: `"error"` (default) or `"clip"` to the bound (counted in the result). */
  readonly outOfBounds?: "error" | "clip";
}

/** Why a row has no health score. */
export type ExclusionReason = "interest expense 0 with debt outstanding" | "book equity <= 0";

/** Counts of the rows that the ratio rules treated or excluded (see the module notes). */
export interface HealthCounts {
  /** Input rows. */ readonly rows: number;
  /** Rows with a score. */ readonly scored: number;
  /** Excluded: interest expense 0 while debt is outstanding (a missing value). */ readonly missingInterest: number;
  /** Excluded: book equity ≤ 0 with `negativeEquity: "exclude"`. */ readonly negativeEquityExcluded: number;
  /** Interest expense 0 and no debt: coverage set to the cap. */ readonly noDebtCoverageAtCap: number;
  /** Book equity ≤ 0: debt/equity set to the cap (`negativeEquity: "worst"`). */ readonly negativeEquityAtCap: number;
  /** Coverage above the cap, set to it. */ readonly coverageAboveCap: number;
  /** Coverage below the floor (EBIT below floor × interest), set to it. */ readonly coverageBelowFloor: number;
  /** Debt/equity above the cap with positive equity, set to it. */ readonly debtToEquityAboveCap: number;
  /** Ratios outside given `bounds`, clipped (`outOfBounds: "clip"`). */ readonly clippedToBounds: number;
}

/** Result of {@linkcode financialHealth}. Arrays other than `scoreByRow` are aligned with `rows`. */
export interface FinancialHealth {
  /** Input rows that have a score, ascending. */ readonly rows: Int32Array;
  /** Health score h ∈ [0, 1] (1 = healthiest) of each scored row. */ readonly score: Float64Array;
  /** The score of every input row, null where the row is excluded (see `excluded`). */
  readonly scoreByRow: (number | null)[];
  /** The treated ratios (coverage winsorised, debt/equity capped; size in ln units). */
  readonly ratios: PerRatio<Float64Array>;
  /** Min–max normalised ratios in [0, 1] with directions corrected (1 = healthiest). */
  readonly normalized: PerRatio<Float64Array>;
  /** Weights, Σ|w| = 1. */ readonly weights: PerRatio<number>;
  /** Where the weights come from. */ readonly weightSource: "first principal component" | "given";
  /** The principal component of the normalised ratios (null when weights were given). */
  readonly principal: PrincipalComponent | null;
  /** Ratios with a negative weight: they enter the score as |w|·(1 − n). */ readonly reversed: HealthRatio[];
  /** [min, max] of each ratio used by the normalisation (pass back as `bounds` to score new rows alike). */
  readonly bounds: PerRatio<readonly [number, number]>;
  /** Which size measure was used. */ readonly sizeMeasure: "ln market capitalisation" | "ln total assets";
  /** Rows without a score and why. */ readonly excluded: { readonly row: number; readonly reason: ExclusionReason }[];
  readonly counts: HealthCounts;
}

const HEALTH_OPTIONS = [
  "coverageCap",
  "coverageFloor",
  "debtToEquityCap",
  "negativeEquity",
  "weights",
  "bounds",
  "outOfBounds",
] as const;

/**
 * Financial-health score of each firm-year from interest coverage, debt/assets, debt/equity and size (see the module
 * notes for the ratios, their treatment, the normalisation and the weights).
 *
 * @param inputs Balance-sheet arrays of equal length (e.g. `sp500Arrays` of `lib/data/sp500.ts`).
 * @param opts Caps, the negative-equity rule, and optionally fixed weights and bounds (to score new data with the
 *   weights and bounds of an earlier fit, `{ weights: fit.weights, bounds: fit.bounds }`).
 * @throws {RangeError|TypeError} For inputs of different lengths, a non-finite value, a negative interest expense or
 *   debt, non-positive assets or market cap, bad options, fewer than 2 scored rows, a ratio that is constant over
 *   the scored rows (its min–max range is 0), or (with `outOfBounds: "error"`) a ratio outside given bounds.
 *
 * @example Three firms: the unlevered, well-covered one is the healthiest
 * ```ts
 * import assert from "node:assert/strict";
 * import { financialHealth } from "./scoring.ts";
 *
 * const h = financialHealth({
 *   ebit: [50, 30, 10, 20], interestExpense: [1, 3, 5, 0], shortTermDebt: [0, 20, 50, 10],
 *   longTermDebt: [10, 80, 250, 40], totalAssets: [500, 400, 450, 300], totalEquity: [300, 150, 60, 100],
 * });
 * assert.deepEqual(Array.from(h.rows), [0, 1, 2]); // row 3: interest expense 0 with debt outstanding is missing
 * assert.equal(h.counts.missingInterest, 1);
 * assert.ok(h.score[0] > h.score[1] && h.score[1] > h.score[2]);
 * ```
 */
export function financialHealth(inputs: HealthInputs, opts: HealthOptions = {}): FinancialHealth {
  const action = "compute financial health";
  requireKnownKeys(action, "opts", opts, HEALTH_OPTIONS);
  const cap = requireFinite(action, "coverageCap", opts.coverageCap ?? 20);
  const floor = requireFinite(action, "coverageFloor", opts.coverageFloor ?? 0);
  if (!(floor < cap)) throw rangeError(action, "coverageFloor", `< coverageCap (${cap})`, floor);
  const deCap = requirePositive(action, "debtToEquityCap", opts.debtToEquityCap ?? 5);
  const negativeEquity = opts.negativeEquity ?? "worst";
  if (negativeEquity !== "worst" && negativeEquity !== "exclude") {
    throw rangeError(action, "negativeEquity", '"worst" or "exclude"', negativeEquity);
  }
  const outOfBounds = opts.outOfBounds ?? "error";
  if (outOfBounds !== "error" && outOfBounds !== "clip") {
    throw rangeError(action, "outOfBounds", '"error" or "clip"', outOfBounds);
  }
  const x = checkHealthInputs(action, inputs);
  const n = x.ebit.length;

  // Ratios with the caveats of SOURCES.md §9 treated and counted.
  const keep: number[] = [];
  const excluded: { row: number; reason: ExclusionReason }[] = [];
  const raw = HEALTH_RATIOS.map(() => new Float64Array(n));
  const count = {
    missingInterest: 0,
    negativeEquityExcluded: 0,
    noDebtCoverageAtCap: 0,
    negativeEquityAtCap: 0,
    coverageAboveCap: 0,
    coverageBelowFloor: 0,
    debtToEquityAboveCap: 0,
    clippedToBounds: 0,
  };
  for (let i = 0; i < n; i++) {
    const debt = x.shortTermDebt[i] + x.longTermDebt[i];
    const interest = x.interestExpense[i], equity = x.totalEquity[i];
    if (interest === 0 && debt > 0) {
      excluded.push({ row: i, reason: "interest expense 0 with debt outstanding" });
      count.missingInterest++;
      continue;
    }
    if (equity <= 0 && negativeEquity === "exclude") {
      excluded.push({ row: i, reason: "book equity <= 0" });
      count.negativeEquityExcluded++;
      continue;
    }
    let coverage: number;
    if (interest === 0) {
      coverage = cap;
      count.noDebtCoverageAtCap++;
    } else {
      coverage = x.ebit[i] / interest;
      if (coverage > cap) (coverage = cap), count.coverageAboveCap++;
      else if (coverage < floor) (coverage = floor), count.coverageBelowFloor++;
    }
    let debtToEquity: number;
    if (equity <= 0) {
      debtToEquity = deCap;
      count.negativeEquityAtCap++;
    } else {
      debtToEquity = debt / equity;
      if (debtToEquity > deCap) (debtToEquity = deCap), count.debtToEquityAboveCap++;
    }
    const k = keep.length;
    raw[0][k] = coverage;
    raw[1][k] = debt / x.totalAssets[i];
    raw[2][k] = debtToEquity;
    raw[3][k] = Math.log(x.marketCap ? x.marketCap[i] : x.totalAssets[i]);
    keep.push(i);
  }
  const m = keep.length;
  // The sample's own min–max needs two rows; given bounds (an earlier fit) score even one row.
  const minRows = opts.bounds === undefined ? 2 : 1;
  if (m < minRows) {
    throw rangeError(
      action,
      "inputs",
      `at least ${minRows} rows with a health score`,
      new Received(`${m} of ${n} rows`),
    );
  }
  const ratios = raw.map((r) => r.slice(0, m));

  // Min–max normalisation, directions corrected.
  if (opts.bounds !== undefined) requireKnownKeys(action, "bounds", opts.bounds, HEALTH_RATIOS);
  const bounds = HEALTH_RATIOS.map((name, j) => {
    const given = opts.bounds?.[name];
    if (given !== undefined) {
      requireFiniteArray(action, `bounds.${name}`, given, { length: 2 });
      if (!(given[0] < given[1])) {
        throw rangeError(
          action,
          `bounds.${name}`,
          "[min, max] with min < max",
          new Received(`[${given[0]}, ${given[1]}]`),
        );
      }
      return [given[0], given[1]] as const;
    }
    let lo = Infinity, hi = -Infinity;
    for (const v of ratios[j]) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    if (!(hi > lo)) {
      // Name what made it constant: the inputs, or the option that capped every value.
      const bound = name === "interestCoverage" && lo === cap
        ? ", all at coverageCap"
        : name === "interestCoverage" && lo === floor
        ? ", all at coverageFloor"
        : name === "debtToEquity" && lo === deCap
        ? ", all at debtToEquityCap"
        : "";
      throw rangeError(
        action,
        `ratio ${name}`,
        "not constant over the scored rows (its min–max range is 0)",
        new Received(`${m} values equal to ${lo} (from inputs${bound})`),
      );
    }
    return [lo, hi] as const;
  });
  const normalized = HEALTH_RATIOS.map((name, j) => {
    const [lo, hi] = bounds[j];
    const out = new Float64Array(m);
    const benefit = HEALTH_CRITERIA[name] === "benefit";
    for (let k = 0; k < m; k++) {
      let v = ratios[j][k];
      if (v < lo || v > hi) {
        if (outOfBounds === "error") {
          throw rangeError(action, `ratio ${name} of row ${keep[k]}`, `within bounds [${lo}, ${hi}]`, v);
        }
        v = Math.min(Math.max(v, lo), hi);
        count.clippedToBounds++;
      }
      out[k] = benefit ? (v - lo) / (hi - lo) : (hi - v) / (hi - lo);
    }
    return out;
  });

  // Weights: the first principal component of the normalised ratios, or given ones.
  let principal: PrincipalComponent | null = null;
  let w: number[];
  if (opts.weights !== undefined) {
    requireKnownKeys(action, "weights", opts.weights, HEALTH_RATIOS);
    w = HEALTH_RATIOS.map((name) => requireFinite(action, `weights.${name}`, opts.weights![name]));
    const total = w.reduce((a, b) => a + Math.abs(b), 0);
    if (!(total > 0)) throw rangeError(action, "weights", "not all zero", new Received("4 zeros"));
    w = w.map((v) => v / total);
  } else {
    principal = principalKernel(normalized, null, m, action, (j) => `ratio ${HEALTH_RATIOS[j]}`);
    w = principal.weights;
  }
  const score = weightedHealth(normalized, w, null, m);
  const scoreByRow: (number | null)[] = new Array(n).fill(null);
  keep.forEach((row, k) => (scoreByRow[row] = score[k]));
  const perRatio = <T>(values: readonly T[]) =>
    Object.fromEntries(HEALTH_RATIOS.map((name, j) => [name, values[j]])) as unknown as PerRatio<T>;
  return {
    rows: Int32Array.from(keep),
    score,
    scoreByRow,
    ratios: perRatio(ratios),
    normalized: perRatio(normalized),
    weights: perRatio(w),
    weightSource: principal ? "first principal component" : "given",
    principal,
    reversed: HEALTH_RATIOS.filter((_, j) => w[j] < 0),
    bounds: perRatio(bounds),
    sizeMeasure: x.marketCap ? "ln market capitalisation" : "ln total assets",
    excluded,
    counts: { rows: n, scored: m, ...count },
  };
}

/** h_i = Σ_j |w_j|·(w_j ≥ 0 ? n_ij : 1 − n_ij) over the rows in `index` (all when null). */
function weightedHealth(
  normalized: readonly Float64Array[],
  w: readonly number[],
  index: Int32Array | null,
  m: number,
) {
  const out = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const i = index === null ? k : index[k];
    let h = 0;
    for (let j = 0; j < w.length; j++) h += w[j] >= 0 ? w[j] * normalized[j][i] : -w[j] * (1 - normalized[j][i]);
    // A convex combination of values in [0, 1] (Σ|w| = 1): only rounding can take it past an end, by a few ulps.
    out[k] = Math.min(1, Math.max(0, h));
  }
  return out;
}

function checkHealthInputs(action: string, inputs: HealthInputs) {
  if (inputs === null || typeof inputs !== "object") throw typeError(action, "inputs", "an object of arrays", inputs);
  const names = ["ebit", "interestExpense", "shortTermDebt", "longTermDebt", "totalAssets", "totalEquity"] as const;
  for (const name of names) requireFiniteArray(action, name, inputs[name], { minLength: 1 });
  for (const name of names.slice(1)) requireSameLength(action, "ebit", inputs.ebit, name, inputs[name]);
  const check = (name: string, values: ArrayLike<number>, rule: ">= 0" | "> 0") => {
    for (let i = 0; i < values.length; i++) {
      if (rule === ">= 0" ? !(values[i] >= 0) : !(values[i] > 0)) {
        throw rangeError(action, `${name}[${i}]`, rule, values[i]);
      }
    }
  };
  check("interestExpense", inputs.interestExpense, ">= 0");
  check("shortTermDebt", inputs.shortTermDebt, ">= 0");
  check("longTermDebt", inputs.longTermDebt, ">= 0");
  check("totalAssets", inputs.totalAssets, "> 0");
  if (inputs.marketCap !== undefined) {
    requireFiniteArray(action, "marketCap", inputs.marketCap);
    requireSameLength(action, "ebit", inputs.ebit, "marketCap", inputs.marketCap);
    check("marketCap", inputs.marketCap, "> 0");
  }
  return inputs;
}

// ---------------------------------------------------------------------------------------------------------------
// Credit score and rating bands

/**
 * Normalised credit state of a notch of the 21-notch scale (`ratings.ts`): s = (20 − notch)/20, so AAA (0) is 1 and
 * D (20) is 0. A fractional notch (an expected notch Σ_k k·P(k) of filtered probabilities) is accepted; by linearity
 * the state of the expected notch is the expected state.
 *
 * @throws {RangeError} If the notch is not a finite number in [0, 20].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { notchToState } from "./scoring.ts";
 *
 * assert.deepEqual([0, 8, 20].map(notchToState), [1, 0.6, 0]); // AAA, BBB, D
 * ```
 */
export function notchToState(notch: number): number {
  requireFinite("map notch to state", "notch", notch);
  if (!(notch >= 0 && notch <= DEFAULT_NOTCH)) {
    throw rangeError("map notch to state", "notch", `in [0, ${DEFAULT_NOTCH}]`, notch);
  }
  return (DEFAULT_NOTCH - notch) / DEFAULT_NOTCH;
}

/** Top of the credit-score scale. */
export const MAX_CREDIT_SCORE = 800;

/** Options of {@linkcode creditScore}. */
export interface CreditScoreOptions {
  /** TOPSIS weights of (health, state), ≥ 0, not both 0 (default [0.5, 0.5]). */
  readonly weights?: readonly [number, number];
  /**
   * Add the ideal (1, 1) and the anti-ideal (0, 0) as reference alternatives (default true), so that a score does not
   * hinge on the best and worst firm of the set and one firm alone can be scored. With false, the set's own best and
   * worst firm define 800 and 0 (classic TOPSIS; needs two firms that differ).
   */
  readonly anchored?: boolean;
}

/**
 * Credit score = 800 × TOPSIS closeness of (health score, credit state), both benefit criteria in [0, 1] (module
 * notes). With equal weights and equal column norms, a firm with h = s scores 800·s.
 *
 * @param health Financial-health scores h ∈ [0, 1] ({@linkcode financialHealth}).
 * @param state Normalised credit states s ∈ [0, 1] ({@linkcode notchToState}), aligned with `health`.
 * @returns Scores in [0, 800], one per firm.
 * @throws {RangeError|TypeError} For empty or unequal inputs, values outside [0, 1], bad options, or (not anchored)
 *   firms that do not differ.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { creditScore, notchToState, scoreToRating } from "./scoring.ts";
 *
 * // Health equal to the state: the score is 800·s, the notch's own score (AA at 720, BBB− at 440, CCC at 160)
 * const score = creditScore([0.9, 0.55, 0.2], [notchToState(2), notchToState(9), notchToState(16)]);
 * assert.deepEqual(Array.from(score, (s) => Math.round(s)), [720, 440, 160]);
 * assert.deepEqual(Array.from(score, scoreToRating), ["AA", "BBB", "CCC/C"]);
 * ```
 */
export function creditScore(
  health: ArrayLike<number>,
  state: ArrayLike<number>,
  opts: CreditScoreOptions = {},
): Float64Array {
  const action = "compute credit score";
  requireKnownKeys(action, "opts", opts, ["weights", "anchored"]);
  requireFiniteArray(action, "health", health, { minLength: 1 });
  requireFiniteArray(action, "state", state, { minLength: 1 });
  const n = requireSameLength(action, "health", health, "state", state);
  for (const [name, values] of [["health", health], ["state", state]] as const) {
    for (let i = 0; i < n; i++) {
      if (!(values[i] >= 0 && values[i] <= 1)) throw rangeError(action, `${name}[${i}]`, "in [0, 1]", values[i]);
    }
  }
  const w = checkWeights(action, opts.weights ?? [0.5, 0.5], 2);
  const anchored = opts.anchored ?? true;
  if (typeof anchored !== "boolean") throw typeError(action, "anchored", "a boolean", anchored);
  const rows = anchored ? n + 2 : n;
  const x = new Float64Array(rows * 2);
  for (let i = 0; i < n; i++) (x[2 * i] = health[i]), (x[2 * i + 1] = state[i]);
  if (anchored) (x[2 * n] = 1), (x[2 * n + 1] = 1); // the ideal; the anti-ideal (0, 0) is already zero
  const { closeness } = topsisKernel(x, rows, 2, w, new Uint8Array([1, 1]), action);
  return Float64Array.from(closeness.subarray(0, n), (c) => MAX_CREDIT_SCORE * c);
}

/**
 * Rating bands of the credit score: letter, and the score range [min, max) (AAA includes 800). The score of notch k
 * is 800·(1 − k/20) and a score belongs to the nearest notch (ties to the better), so a letter's band runs from
 * 20 below its worst notch's score to 20 below the next better letter's worst notch. CCC/C covers CCC+ … CC/C and
 * every score below; D has no band.
 */
export const SCORE_BANDS: readonly {
  readonly letter: Exclude<RatingLetter, "D">;
  readonly min: number;
  readonly max: number;
}[] = [
  { letter: "AAA", min: 780, max: 800 },
  { letter: "AA", min: 660, max: 780 },
  { letter: "A", min: 540, max: 660 },
  { letter: "BBB", min: 420, max: 540 },
  { letter: "BB", min: 300, max: 420 },
  { letter: "B", min: 180, max: 300 },
  { letter: "CCC/C", min: 0, max: 180 },
];

/**
 * Notch (0 = AAA … 19 = CC/C) of a credit score: the nearest notch k of the line score = 800·(1 − k/20), ties to the
 * better notch, i.e. k = max(0, ⌈(780 − score)/40⌉), and at most 19 (default is an event, not a score).
 *
 * @throws {RangeError} If the score is not a finite number in [0, 800].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scoreToNotch } from "./scoring.ts";
 *
 * assert.deepEqual([800, 780, 779, 480, 0].map(scoreToNotch), [0, 0, 1, 8, 19]); // 480 is BBB
 * ```
 */
export function scoreToNotch(score: number): number {
  const action = "map score to notch";
  requireFinite(action, "score", score);
  if (!(score >= 0 && score <= MAX_CREDIT_SCORE)) {
    throw rangeError(action, "score", `in [0, ${MAX_CREDIT_SCORE}]`, score);
  }
  return Math.min(DEFAULT_NOTCH - 1, Math.max(0, Math.ceil((780 - score) / 40)));
}

/**
 * Letter grade (AAA … CCC/C) of a credit score, by {@linkcode SCORE_BANDS} (the letter of {@linkcode scoreToNotch}).
 *
 * @throws {RangeError} If the score is not a finite number in [0, 800].
 */
export function scoreToRating(score: number): Exclude<RatingLetter, "D"> {
  return notchToLetter(scoreToNotch(score)) as Exclude<RatingLetter, "D">;
}

// ---------------------------------------------------------------------------------------------------------------
// Cross-section study

/**
 * Spearman rank correlation: the Pearson correlation of the ranks, ties given their average rank.
 *
 * @throws {RangeError} For unequal lengths, fewer than 2 pairs, a non-finite value, or a constant series.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spearmanCorrelation } from "./scoring.ts";
 *
 * assert.equal(spearmanCorrelation([1, 2, 3, 4], [1, 8, 27, 64]), 1);
 * ```
 */
export function spearmanCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const action = "compute Spearman correlation";
  requireFiniteArray(action, "x", x, { minLength: 2 });
  requireFiniteArray(action, "y", y, { minLength: 2 });
  requireSameLength(action, "x", x, "y", y);
  return spearmanKernel(x, y, action);
}

function spearmanKernel(x: ArrayLike<number>, y: ArrayLike<number>, action: string, names = ["x", "y"]): number {
  const rx = averageRanks(x), ry = averageRanks(y);
  const n = rx.length, mean = (n + 1) / 2;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rx[i] - mean, dy = ry[i] - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!(sxx > 0)) throw rangeError(action, names[0], "not constant", new Received(`${n} equal values`));
  if (!(syy > 0)) throw rangeError(action, names[1], "not constant", new Received(`${n} equal values`));
  return sxy / Math.sqrt(sxx * syy);
}

function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

/** Inputs of {@linkcode crossSectionStudy}: balance sheets plus the firm, year and sector of each row. */
export interface CrossSectionInputs extends HealthInputs {
  readonly ticker: readonly string[];
  readonly fiscalYear: ArrayLike<number>;
  readonly sector: readonly string[];
}

/** Options of {@linkcode crossSectionStudy}: the ratio rules of {@linkcode HealthOptions} and the bootstrap. */
export interface CrossSectionOptions {
  readonly coverageCap?: number;
  readonly coverageFloor?: number;
  readonly debtToEquityCap?: number;
  readonly negativeEquity?: "worst" | "exclude";
  /** Bootstrap replicates (default 500; 0 skips the bootstrap). */ readonly bootstrap?: number;
  /** Seed of the bootstrap (default "pca-weights"). */ readonly seed?: Seed;
  /** Groups with fewer scored rows get no weights (default 20). */ readonly minGroupSize?: number;
}

/** PCA weights of one group (a fiscal year or a sector), on the pooled normalisation; a row of a notebook table. */
export interface GroupWeights {
  /** The fiscal year or sector. */ readonly group: string;
  /** Scored firm-years in the group. */ readonly rows: number;
  readonly interestCoverage: number | null;
  readonly debtToAssets: number | null;
  readonly debtToEquity: number | null;
  readonly size: number | null;
  /** λ₁ / 4 of the group's correlation matrix. */ readonly explainedVariance: number | null;
  /** w_group · w_pooled / (‖w_group‖ ‖w_pooled‖). */ readonly cosineToPooled: number | null;
  /** Spearman correlation, on the group's rows, of the scores under the group's and under the pooled weights. */
  readonly rankCorrelationToPooled: number | null;
  /** Why the weights are missing (too few rows, or the PCA is undefined), else null. */ readonly note: string | null;
}

/** Spread of one ratio's weight across groups. */
export interface WeightSpread {
  readonly min: number;
  readonly max: number;
  /** max − min. */ readonly spread: number;
  /** Standard deviation across the groups (n − 1). */ readonly sd: number;
}

/** Bootstrap distribution of the pooled weights (firms resampled with all their years). */
export interface WeightBootstrap {
  readonly replicates: number;
  readonly seed: Seed;
  /** Resampling unit: a firm with all its years, so that a firm's correlated years stay together. */
  readonly unit: "firm";
  readonly mean: PerRatio<number>;
  readonly sd: PerRatio<number>;
  /** 2.5 % and 97.5 % percentiles (type 7). */ readonly lower: PerRatio<number>;
  readonly upper: PerRatio<number>;
  /** Share of replicates in which the weight has the pooled weight's sign. */ readonly sameSign: PerRatio<number>;
  /** Cosine similarity of the replicate's weights to the pooled weights: mean and 5 % percentile. */
  readonly cosineMean: number;
  readonly cosineP05: number;
  /** Replicates whose PCA was undefined (a constant ratio in the resample), counted and left out. */
  readonly failed: number;
}

/** Result of {@linkcode crossSectionStudy}: plain objects for notebook tables. */
export interface CrossSectionStudy {
  /** The pooled fit over every firm-year (its counts say which rows were treated or excluded). */
  readonly health: FinancialHealth;
  /** Pooled PCA weights, λ₁/4 and the eigenvalues. */
  readonly pooled: {
    readonly weights: PerRatio<number>;
    readonly explainedVariance: number;
    readonly eigenvalues: number[];
  };
  readonly byYear: GroupWeights[];
  readonly bySector: GroupWeights[];
  readonly stability: {
    readonly acrossYears: PerRatio<WeightSpread>;
    readonly acrossSectors: PerRatio<WeightSpread>;
    /** Null when `bootstrap: 0`. */ readonly bootstrap: WeightBootstrap | null;
  };
  /**
   * Does the score order firms the way each ratio does? Spearman correlation of the health score with each treated
   * ratio (expected: > 0 for coverage and size, < 0 for leverage), pooled and per fiscal year.
   */
  readonly rankCorrelations: {
    readonly pooled: PerRatio<number>;
    readonly byYear: ({ readonly group: string; readonly rows: number } & PerRatio<number>)[];
  };
}

/**
 * The health score and its PCA weights on a real cross-section: weights pooled, by fiscal year and by sector, their
 * stability (spread across groups, cosine similarity to the pooled weights, rank agreement of the scores, a firm
 * bootstrap), and the Spearman correlations of the score with each ratio. Groups are fitted on the pooled
 * normalisation (PCA of standardised columns does not depend on it).
 *
 * @param inputs Balance sheets with ticker, fiscal year and sector per row (`sp500Arrays` of `lib/data/sp500.ts`).
 * @throws {RangeError|TypeError} As {@linkcode financialHealth}, for misaligned labels, or bad options.
 *
 * @example On the synthetic stand-in of the S&P 500 file
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossSectionStudy } from "./scoring.ts";
 * import { loadSp500Fundamentals, sp500Arrays } from "../data/sp500.ts";
 * import { standInSource } from "../synthetic/source.ts";
 *
 * const study = crossSectionStudy(sp500Arrays(loadSp500Fundamentals(standInSource("doc"))), { bootstrap: 20 });
 * assert.equal(study.byYear.length, 5); // FY2012 … FY2016
 * assert.ok(study.rankCorrelations.pooled.debtToAssets < 0);
 * ```
 */
export function crossSectionStudy(inputs: CrossSectionInputs, opts: CrossSectionOptions = {}): CrossSectionStudy {
  const action = "run cross-section study";
  requireKnownKeys(action, "opts", opts, [
    "coverageCap",
    "coverageFloor",
    "debtToEquityCap",
    "negativeEquity",
    "bootstrap",
    "seed",
    "minGroupSize",
  ]);
  const replicates = requireInteger(action, "bootstrap", opts.bootstrap ?? 500, { min: 0, max: 100_000 });
  const seed = requireSeed(action, "seed", opts.seed ?? "pca-weights");
  const minGroupSize = requireInteger(action, "minGroupSize", opts.minGroupSize ?? 20, { min: 5 });
  if (inputs === null || typeof inputs !== "object") throw typeError(action, "inputs", "an object of arrays", inputs);
  const n = requireFiniteArray(action, "ebit", inputs.ebit, { minLength: 1 }).length;
  for (const name of ["ticker", "sector"] as const) {
    if (!Array.isArray(inputs[name])) throw typeError(action, name, "an array of strings", inputs[name]);
    requireSameLength(action, "ebit", inputs.ebit, name, inputs[name]);
    inputs[name].forEach((v, i) => {
      if (typeof v !== "string" || v === "") throw typeError(action, `${name}[${i}]`, "a non-empty string", v);
    });
  }
  requireFiniteArray(action, "fiscalYear", inputs.fiscalYear, { length: n });
  const health = financialHealth(inputs, {
    coverageCap: opts.coverageCap,
    coverageFloor: opts.coverageFloor,
    debtToEquityCap: opts.debtToEquityCap,
    negativeEquity: opts.negativeEquity,
  });
  const pooled = health.principal!;
  const cols = HEALTH_RATIOS.map((name) => health.normalized[name]);
  const rowLabel = (labels: ArrayLike<string | number>) => Array.from(health.rows, (i) => String(labels[i]));

  const groupWeights = (labels: string[]): GroupWeights[] => {
    const groups = new Map<string, number[]>();
    labels.forEach((g, k) => groups.get(g)?.push(k) ?? groups.set(g, [k]));
    return [...groups.keys()].sort().map((group) => {
      const index = Int32Array.from(groups.get(group)!);
      const empty = { interestCoverage: null, debtToAssets: null, debtToEquity: null, size: null };
      const none = {
        group,
        rows: index.length,
        ...empty,
        explainedVariance: null,
        cosineToPooled: null,
        rankCorrelationToPooled: null,
      };
      if (index.length < minGroupSize) return { ...none, note: `fewer than ${minGroupSize} scored firm-years` };
      let pc: PrincipalComponent;
      try {
        pc = principalKernel(cols, index, index.length, action, (j) => `ratio ${HEALTH_RATIOS[j]} in group ${group}`);
      } catch (error) {
        if (error instanceof RangeError) return { ...none, note: error.message };
        throw error;
      }
      const own = weightedHealth(cols, pc.weights, index, index.length);
      const common = weightedHealth(cols, pooled.weights, index, index.length);
      return {
        group,
        rows: index.length,
        interestCoverage: pc.weights[0],
        debtToAssets: pc.weights[1],
        debtToEquity: pc.weights[2],
        size: pc.weights[3],
        explainedVariance: pc.explainedVariance,
        cosineToPooled: cosine(pc.weights, pooled.weights),
        rankCorrelationToPooled: spearmanKernel(own, common, action, ["group scores", "pooled scores"]),
        note: null,
      };
    });
  };
  const byYear = groupWeights(rowLabel(inputs.fiscalYear));
  const bySector = groupWeights(rowLabel(inputs.sector));
  const spreadOf = (groups: GroupWeights[]) =>
    Object.fromEntries(HEALTH_RATIOS.map((name) => {
      const v = groups.map((g) => g[name]).filter((x): x is number => x !== null);
      const min = Math.min(...v), max = Math.max(...v);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
      return [name, { min, max, spread: max - min, sd }];
    })) as unknown as PerRatio<WeightSpread>;

  const rankAgainst = (index: Int32Array | null) => {
    const score = index === null ? health.score : Float64Array.from(index, (k) => health.score[k]);
    return Object.fromEntries(HEALTH_RATIOS.map((name) => {
      const r = health.ratios[name];
      const ratio = index === null ? r : Float64Array.from(index, (k) => r[k]);
      return [name, spearmanKernel(score, ratio, action, ["health score", `ratio ${name}`])];
    })) as unknown as PerRatio<number>;
  };
  const years = rowLabel(inputs.fiscalYear);
  const yearRows = [...new Set(years)].sort().map((group) => {
    const index = Int32Array.from(years.flatMap((g, k) => (g === group ? [k] : [])));
    return { group, rows: index.length, ...rankAgainst(index) };
  }).filter((r) => r.rows >= minGroupSize);

  return {
    health,
    pooled: { weights: health.weights, explainedVariance: pooled.explainedVariance, eigenvalues: pooled.eigenvalues },
    byYear,
    bySector,
    stability: {
      acrossYears: spreadOf(byYear),
      acrossSectors: spreadOf(bySector),
      bootstrap: replicates === 0
        ? null
        : bootstrapWeights(cols, rowLabel(inputs.ticker), pooled.weights, replicates, seed, action),
    },
    rankCorrelations: { pooled: rankAgainst(null), byYear: yearRows },
  };
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let ab = 0, aa = 0, bb = 0;
  for (let j = 0; j < a.length; j++) (ab += a[j] * b[j]), (aa += a[j] * a[j]), (bb += b[j] * b[j]);
  return ab / Math.sqrt(aa * bb);
}

function bootstrapWeights(
  cols: readonly Float64Array[],
  firmOfRow: readonly string[],
  pooled: readonly number[],
  replicates: number,
  seed: Seed,
  action: string,
): WeightBootstrap {
  const firms = new Map<string, number[]>();
  firmOfRow.forEach((f, k) => firms.get(f)?.push(k) ?? firms.set(f, [k]));
  const members = [...firms.keys()].sort().map((f) => firms.get(f)!);
  const rng = makeRng(seed, "firm-bootstrap");
  const p = HEALTH_RATIOS.length;
  const draws = HEALTH_RATIOS.map(() => [] as number[]);
  const cosines: number[] = [];
  let failed = 0;
  const picks = new Int32Array(members.length);
  for (let b = 0; b < replicates; b++) {
    let size = 0;
    for (let f = 0; f < members.length; f++) {
      picks[f] = Math.floor(rng() * members.length);
      size += members[picks[f]].length;
    }
    const index = new Int32Array(size);
    let at = 0;
    for (let f = 0; f < members.length; f++) for (const k of members[picks[f]]) index[at++] = k;
    let pc: PrincipalComponent;
    try {
      pc = principalKernel(cols, index, size, action, (j) => `ratio ${HEALTH_RATIOS[j]}`);
    } catch (error) {
      if (error instanceof RangeError) {
        failed++;
        continue;
      }
      throw error;
    }
    for (let j = 0; j < p; j++) draws[j].push(pc.weights[j]);
    cosines.push(cosine(pc.weights, pooled));
  }
  const per = (f: (v: Float64Array, j: number) => number) =>
    Object.fromEntries(
      HEALTH_RATIOS.map((name, j) => [name, f(Float64Array.from(draws[j]).sort(), j)]),
    ) as unknown as PerRatio<number>;
  const mean = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;
  return {
    replicates,
    seed,
    unit: "firm",
    mean: per(mean),
    sd: per((v) => {
      const mu = mean(v);
      return Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / (v.length - 1));
    }),
    lower: per((v) => sortedQuantile(v, 0.025)),
    upper: per((v) => sortedQuantile(v, 0.975)),
    sameSign: per((v, j) => v.filter((x) => Math.sign(x) === Math.sign(pooled[j])).length / v.length),
    cosineMean: cosines.reduce((a, b) => a + b, 0) / cosines.length,
    cosineP05: sortedQuantile(Float64Array.from(cosines).sort(), 0.05),
    failed,
  };
}
