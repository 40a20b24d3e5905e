/**
 * Covariance estimation for portfolio construction: Ledoit–Wolf shrinkage of the sample covariance toward a scaled
 * identity, which is positive definite whenever the shrinkage is positive — the remedy `meanVariance` offers when a
 * sample covariance of fewer observations than assets is singular.
 *
 * References:
 * 1. Ledoit, O. & Wolf, M. (2004). A well-conditioned estimator for large-dimensional covariance matrices. Journal of
 *    Multivariate Analysis 88(2), 365–411 (Lemmas 3.2–3.4, Theorem 3.2).
 * 2. scikit-learn, `sklearn.covariance.LedoitWolf` and `ledoit_wolf_shrinkage` (the same estimator).
 * @module
 */
import { rangeError, Received, requireMatrix } from "../core/check.ts";

/** Result of {@linkcode ledoitWolf}. */
export interface LedoitWolfEstimate {
  /** The shrunk covariance Σ̂ = δ·m·I + (1 − δ)·S, p×p, per period (decimal² for returns). */
  readonly covariance: number[][];
  /** Shrinkage intensity δ = b² / d² in [0, 1]. */
  readonly shrinkage: number;
  /** The target's variance m = tr(S) / p (the mean sample variance). */
  readonly targetVariance: number;
}

/**
 * Ledoit–Wolf (2004) shrinkage estimator of a covariance matrix, toward the constant-variance target m·I:
 *
 *     S  = (1/T)·Σₜ xₜxₜ'                        (xₜ = rₜ − r̄, sample covariance with divisor T)
 *     m  = tr(S) / p
 *     d² = ‖S − m·I‖² / p                          (‖·‖ the Frobenius norm)
 *     b̄² = (1/T²)·Σₜ ‖xₜxₜ' − S‖² / p = (Σₜ (xₜ'xₜ)² / T − ‖S‖²) / (p·T)
 *     b² = min(b̄², d²),   δ = b² / d²
 *     Σ̂  = δ·m·I + (1 − δ)·S
 *
 * T is the number of observations (rows), p the number of assets (columns). δ estimates the shrinkage that minimises
 * the expected Frobenius loss; it is consistent as T and p grow together. Σ̂ is positive definite when δ > 0 and m > 0.
 * The divisor is T (maximum likelihood), as in the paper and in scikit-learn's `LedoitWolf` (`assume_centered=False`):
 * the unbiased sample covariance is S·T/(T − 1). When S already equals m·I (d² = 0) there is nothing to shrink and
 * δ = 0.
 *
 * @param returns Observations as rows (dates × assets): T ≥ 2 rows of p ≥ 1 finite values.
 * @returns The shrunk covariance, the shrinkage δ and the target variance m.
 * @throws {TypeError} If `returns` is not an array of numeric rows.
 * @throws {RangeError} If it has fewer than 2 rows, ragged rows or a non-finite value (named by position).
 *
 * @example Two observations of three assets: S has rank 1, the shrunk covariance is positive definite
 * ```ts
 * import assert from "node:assert/strict";
 * import { ledoitWolf } from "./covariance.ts";
 *
 * const { covariance, shrinkage } = ledoitWolf([[0.01, 0.02, -0.01], [-0.01, 0.0, 0.01]]);
 * assert.ok(shrinkage > 0 && shrinkage <= 1);
 * assert.ok(covariance[0][0] > 0 && covariance[0][1] === covariance[1][0]);
 * ```
 */
export function ledoitWolf(returns: ArrayLike<number>[]): LedoitWolfEstimate {
  const action = "estimate Ledoit-Wolf covariance";
  const { rows: T, cols: p } = requireMatrix(action, "returns", returns, { minRows: 2 });
  if (p === 0) throw rangeError(action, "returns", "a matrix with at least 1 column", new Received("0 columns"));
  // Centred observations, row-major T×p.
  const x = new Float64Array(T * p);
  const means = new Float64Array(p);
  for (let t = 0; t < T; t++) for (let j = 0; j < p; j++) means[j] += returns[t][j];
  for (let j = 0; j < p; j++) means[j] /= T;
  for (let t = 0; t < T; t++) for (let j = 0; j < p; j++) x[t * p + j] = returns[t][j] - means[j];
  // S = X'X / T (upper triangle accumulated row by row, then mirrored) and Σₜ (xₜ'xₜ)².
  const S = new Float64Array(p * p);
  let fourth = 0;
  for (let t = 0; t < T; t++) {
    const to = t * p;
    let norm2 = 0;
    for (let i = 0; i < p; i++) {
      const xi = x[to + i];
      norm2 += xi * xi;
      if (xi === 0) continue;
      const io = i * p;
      for (let j = i; j < p; j++) S[io + j] += xi * x[to + j];
    }
    fourth += norm2 * norm2;
  }
  let trace = 0, frobenius2 = 0;
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      const s = S[i * p + j] / T;
      S[i * p + j] = s;
      S[j * p + i] = s;
      frobenius2 += i === j ? s * s : 2 * s * s;
    }
    trace += S[i * p + i];
  }
  const target = trace / p;
  let d2 = 0;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      const e = S[i * p + j] - (i === j ? target : 0);
      d2 += e * e;
    }
  }
  d2 /= p;
  const bBar2 = (fourth / T - frobenius2) / (p * T);
  const b2 = Math.min(bBar2, d2);
  const shrinkage = d2 === 0 || b2 <= 0 ? 0 : b2 / d2; // b̄² ≥ 0 exactly; b2 ≤ 0 only when S = m·I or by rounding
  const covariance = Array.from({ length: p }, (_, i) => {
    const row = new Array<number>(p);
    for (let j = 0; j < p; j++) row[j] = (1 - shrinkage) * S[i * p + j] + (i === j ? shrinkage * target : 0);
    return row;
  });
  return { covariance, shrinkage, targetVariance: target };
}
