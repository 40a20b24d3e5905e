/**
 * Small dense linear algebra on top of ml-matrix: least squares, the matrix exponential and logarithm.
 * @module
 */
import { inverse, Matrix, QrDecomposition } from "ml-matrix";
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
  const M = new Matrix(A.map((row) => Array.from(row)));
  const norm = oneNorm(M);
  const s = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scaled = M.mul(Math.pow(2, -s));
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

/**
 * Principal matrix logarithm log(A) by inverse scaling and squaring: square roots A^(1/2ᵏ) (Denman–Beavers
 * iteration) are taken until ‖A^(1/2ᵏ) − I‖₁ < ¼, the logarithm of that is summed from the Gregory series
 * log X = 2 Σ_{odd m} Zᵐ/m with Z = (X − I)(X + I)⁻¹, and the result is multiplied by 2ᵏ. Used to turn a one-year
 * rating transition matrix into its generator. Requires a matrix with no eigenvalue on the closed negative real axis
 * (a transition matrix with a dominant diagonal qualifies).
 *
 * Reference: Higham, N. J. (2008). Functions of Matrices, §11.5 (inverse scaling and squaring) and §6.3
 * (Denman–Beavers).
 *
 * @param A Square matrix.
 * @returns log(A) as rows, with expm(logm(A)) = A to about 1e-13.
 * @throws {RangeError} If A is not square and finite, or the square roots do not approach the identity (an
 *   eigenvalue on or near the negative real axis).
 *
 * @example The logarithm inverts the exponential
 * ```ts
 * import assert from "node:assert/strict";
 * import { expm, logm } from "./linalg.ts";
 *
 * const Q = logm(expm([[-0.2, 0.2], [0.1, -0.1]]));
 * assert.ok(Math.abs(Q[0][1] - 0.2) < 1e-13 && Math.abs(Q[1][0] - 0.1) < 1e-13);
 * ```
 */
export function logm(A: ArrayLike<number>[]): number[][] {
  const action = "compute matrix logarithm";
  const { rows: n } = requireMatrix(action, "A", A, { square: true, minRows: 1 });
  const I = Matrix.eye(n);
  let X = new Matrix(A.map((row) => Array.from(row)));
  let k = 0;
  while (oneNorm(X.clone().sub(I)) >= 0.25) {
    if (k === 40) {
      throw rangeError(action, "A", "a matrix whose square roots approach I (no eigenvalue ≤ 0)", new Received("no"));
    }
    // Denman–Beavers: Y → A^(1/2), Z → A^(−1/2).
    const inv = (M: Matrix) => {
      try {
        return inverse(M);
      } catch {
        throw rangeError(action, "A", "a matrix with a principal square root (no eigenvalue ≤ 0)", new Received("no"));
      }
    };
    let Y = X, Z = Matrix.eye(n);
    for (let it = 0; it < 100; it++) {
      const Yn = Y.clone().add(inv(Z)).mul(0.5);
      const Zn = Z.clone().add(inv(Y)).mul(0.5);
      const change = Yn.clone().sub(Y).norm("frobenius");
      Y = Yn, Z = Zn;
      if (change <= 1e-15 * Y.norm("frobenius")) break;
    }
    if (!Y.to1DArray().every(Number.isFinite)) {
      throw rangeError(action, "A", "a matrix with a real principal square root", new Received("a singular step"));
    }
    X = Y;
    k++;
  }
  const Z = X.clone().sub(I).mmul(inverse(X.clone().add(I)));
  const Z2 = Z.mmul(Z);
  let term = Z.clone(), sum = Z.clone();
  for (let m = 3; m <= 201; m += 2) {
    term = term.mmul(Z2);
    const piece = term.clone().mul(1 / m);
    sum = sum.add(piece);
    if (piece.norm("frobenius") <= 1e-17 * Math.max(sum.norm("frobenius"), 1e-300)) break;
  }
  return sum.mul(2 * Math.pow(2, k)).to2DArray();
}

function oneNorm(M: Matrix): number {
  let norm = 0;
  for (let j = 0; j < M.columns; j++) {
    let col = 0;
    for (let i = 0; i < M.rows; i++) col += Math.abs(M.get(i, j));
    norm = Math.max(norm, col);
  }
  return norm;
}
