/**
 * Small dense linear algebra on top of ml-matrix: least squares and the matrix exponential.
 * @module
 */
import { Matrix, QrDecomposition } from "ml-matrix";
import { rangeError, Received, requireFiniteArray, requireMatrix } from "./check.ts";

/** Result of {@linkcode leastSquares}. */
export interface LeastSquaresFit {
  /** Coefficients β, one per column of X. */ readonly coefficients: number[];
  /** Residuals y − Xβ. */ readonly residuals: Float64Array;
  /** Coefficient of determination 1 − SSR/SST (SST about the mean of y). */ readonly rSquared: number;
  /** Residual standard deviation √(SSR / (n − p)). */ readonly residualStd: number;
}

/**
 * Ordinary least squares β = argmin ‖y − Xβ‖² by Householder QR (numerically stable, no normal equations).
 * Include a column of ones in X for an intercept.
 *
 * @param X Design matrix, n rows of p regressors (n > p).
 * @param y Response, length n.
 * @throws {RangeError} If shapes disagree, values are not finite, n ≤ p, or X is rank deficient.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { leastSquares } from "./linalg.ts";
 *
 * const fit = leastSquares([[1, 0], [1, 1], [1, 2]], [1, 3, 5]); // y = 1 + 2x
 * assert.ok(Math.abs(fit.coefficients[0] - 1) < 1e-12 && Math.abs(fit.coefficients[1] - 2) < 1e-12);
 * ```
 */
export function leastSquares(X: ArrayLike<number>[], y: ArrayLike<number>): LeastSquaresFit {
  const action = "fit least squares";
  const { rows: n, cols: p } = requireMatrix(action, "X", X, { minRows: 1 });
  requireFiniteArray(action, "y", y, { length: n });
  if (n <= p) throw rangeError(action, "X", "taller than wide (more rows than columns)", new Received(`${n}×${p}`));
  const design = new Matrix(X.map((row) => Array.from(row)));
  const qr = new QrDecomposition(design);
  const R = qr.upperTriangularMatrix;
  let largest = 0;
  for (let j = 0; j < p; j++) largest = Math.max(largest, Math.abs(R.get(j, j)));
  for (let j = 0; j < p; j++) {
    if (!(Math.abs(R.get(j, j)) > 1e-12 * largest)) {
      throw rangeError(action, "X", "of full column rank", new Received(`a rank-deficient ${n}×${p} (column ${j})`));
    }
  }
  const beta = qr.solve(Matrix.columnVector(Array.from(y))).to1DArray();
  const residuals = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i] / n;
  let ssr = 0, sst = 0;
  for (let i = 0; i < n; i++) {
    let fitted = 0;
    for (let j = 0; j < p; j++) fitted += X[i][j] * beta[j];
    residuals[i] = y[i] - fitted;
    ssr += residuals[i] * residuals[i];
    sst += (y[i] - mean) * (y[i] - mean);
  }
  return {
    coefficients: beta,
    residuals,
    rSquared: sst > 0 ? 1 - ssr / sst : 1,
    residualStd: Math.sqrt(ssr / (n - p)),
  };
}

/**
 * Matrix exponential exp(A) = Σₖ Aᵏ/k! by scaling and squaring: A is scaled by 2⁻ˢ until its 1-norm is below ½,
 * the Taylor series is summed to machine precision, and the result is squared s times. Accurate to about 1e-14
 * relative for the small, well-conditioned generators of rating migration (a few dozen states).
 *
 * Reference: Moler, C. & Van Loan, C. (2003). Nineteen dubious ways to compute the exponential of a matrix,
 * twenty-five years later. SIAM Review 45(1), 3–49 (method 3, scaling and squaring).
 *
 * @param A Square matrix.
 * @returns exp(A) as rows.
 *
 * @example The exponential of a generator is a stochastic matrix
 * ```ts
 * import assert from "node:assert/strict";
 * import { expm } from "./linalg.ts";
 *
 * const P = expm([[-0.1, 0.1], [0, 0]]);
 * assert.ok(Math.abs(P[0][0] - Math.exp(-0.1)) < 1e-15);
 * assert.ok(Math.abs(P[0][0] + P[0][1] - 1) < 1e-15);
 * ```
 */
export function expm(A: ArrayLike<number>[]): number[][] {
  const { rows: n } = requireMatrix("compute matrix exponential", "A", A, { square: true, minRows: 1 });
  let norm = 0;
  for (let j = 0; j < n; j++) {
    let col = 0;
    for (let i = 0; i < n; i++) col += Math.abs(A[i][j]);
    norm = Math.max(norm, col);
  }
  const s = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scaled = new Matrix(A.map((row) => Array.from(row))).mul(Math.pow(2, -s));
  let result = Matrix.eye(n);
  let term = Matrix.eye(n);
  for (let k = 1; k <= 30; k++) {
    term = term.mmul(scaled).mul(1 / k);
    result = result.add(term);
    if (term.norm("frobenius") <= 1e-17 * result.norm("frobenius")) break;
  }
  for (let i = 0; i < s; i++) result = result.mmul(result);
  return result.to2DArray();
}
