/**
 * Special functions: the standard normal distribution, accurate deep into its tails, and log-sum-exp.
 *
 * Credit lives in the tails. A firm five standard deviations from default has a default probability of
 * Φ(−5) ≈ 2.9e-7; an investment-grade firm can sit at −9 (1.1e-19). An erf-based `0.5·(1 + erf(x/√2))` loses all
 * relative accuracy there (`jStat.normal.cdf(-9)` returns exactly 0 and is 2 % off at −8), so this module computes
 * the lower tail directly with W. J. Cody's rational Chebyshev approximations, as R's `pnorm` does.
 * @module
 */
import { rangeError, requireFinite, typeError } from "./check.ts";

const SQRT_32 = 5.656854249492380195206754896838; // √32
const INV_SQRT_2PI = 0.398942280401432677939946059934; // 1/√(2π)
const LOG_SQRT_2PI = 0.918938533204672741780329736406; // log √(2π)

// Cody (1993), ALGORITHM 715 (ANORM), the coefficients R's pnorm uses.
const A = [
  2.2352520354606839287,
  161.02823106855587881,
  1067.6894854603709582,
  18154.981253343561249,
  0.065682337918207449113,
];
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const C = [
  0.39894151208813466764,
  8.8831497943883759412,
  93.506656132177855979,
  597.27027639480026226,
  2494.5375852903726711,
  6848.1904505362823326,
  11602.651437647350124,
  9842.7148383839780218,
  1.0765576773720192317e-8,
];
const D = [
  22.266688044328115691,
  235.38790178262499861,
  1519.377599407554805,
  6485.558298266760755,
  18615.571640885098091,
  34900.952721145977266,
  38912.003286093271411,
  19685.429676859990727,
];
const P = [
  0.21589853405795699,
  0.1274011611602473639,
  0.022235277870649807,
  0.001421619193227893466,
  2.9112874951168792e-5,
  0.02307344176494017303,
];
const Q = [
  1.28426009614491121,
  0.468238212480865118,
  0.0659881378689285515,
  0.00378239633202758244,
  7.29751555083966205e-5,
];

/**
 * Standard normal density φ(x) = exp(−x²/2) / √(2π).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normPdf } from "./special.ts";
 *
 * assert.ok(Math.abs(normPdf(0) - 0.3989422804014327) < 1e-16);
 * ```
 */
export function normPdf(x: number): number {
  requireFinite("evaluate normal density", "x", x);
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/**
 * Lower and upper tail of the standard normal at x, or their logarithms: the two-sided core of Cody's algorithm.
 * Returns `[Φ(x), 1 − Φ(x)]`; with `log` true, `[log Φ(x), log(1 − Φ(x))]` without underflow.
 */
function normTails(x: number, log: boolean): [number, number] {
  const y = Math.abs(x);
  if (y <= 0.67448975) {
    // |x| ≤ Φ⁻¹(3/4): Φ(x) = 1/2 + x·R(x²) with a rational R.
    let num = 0, den = 0;
    if (y > 1.1102230246251565e-16) {
      const xsq = x * x;
      num = A[4] * xsq;
      den = xsq;
      for (let i = 0; i < 3; i++) {
        num = (num + A[i]) * xsq;
        den = (den + B[i]) * xsq;
      }
    }
    const temp = (x * (num + A[3])) / (den + B[3]);
    const lower = 0.5 + temp, upper = 0.5 - temp;
    return log ? [Math.log(lower), Math.log(upper)] : [lower, upper];
  }
  let temp: number;
  if (y <= SQRT_32) {
    // 0.674 < |x| ≤ √32: 1 − Φ(|x|) = exp(−x²/2)·R(|x|).
    let num = C[8] * y, den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    temp = (num + C[7]) / (den + D[7]);
  } else if (log ? y < 1e170 : y < 37.5193) {
    // |x| > √32: asymptotic rational form in 1/x².
    const xsq = 1 / (x * x);
    let num = P[5] * xsq, den = xsq;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]) * xsq;
      den = (den + Q[i]) * xsq;
    }
    temp = (xsq * (num + P[4])) / (den + Q[4]);
    temp = (INV_SQRT_2PI - temp) / y;
  } else {
    const small = log ? -Infinity : 0, big = log ? 0 : 1;
    return x > 0 ? [big, small] : [small, big];
  }
  // exp(−y²/2) evaluated as exp(−ys²/2)·exp(−(y − ys)(y + ys)/2) with ys = y rounded down to 1/16, which keeps
  // the rounding error of y² out of the exponent (Cody 1969).
  const ys = Math.trunc(y * 16) / 16;
  const del = (y - ys) * (y + ys);
  let tail: number, body: number;
  if (log) {
    tail = -ys * ys * 0.5 - del * 0.5 + Math.log(temp);
    body = Math.log1p(-Math.exp(-ys * ys * 0.5) * Math.exp(-del * 0.5) * temp);
  } else {
    tail = Math.exp(-ys * ys * 0.5) * Math.exp(-del * 0.5) * temp;
    body = 1 - tail;
  }
  return x > 0 ? [body, tail] : [tail, body];
}

/**
 * Standard normal cumulative distribution function Φ(x) = P(Z ≤ x), accurate to a relative error of about 1e-15
 * in the lower tail down to x = −37.5, where Φ reaches the smallest normal double; below that it returns 0 (use
 * {@linkcode normLogCdf}, which stays finite down to x = −1e170). For x > 8.3, Φ(x) rounds to 1; for the upper
 * tail 1 − Φ(x) evaluate `normCdf(-x)`, which keeps full relative accuracy.
 *
 *     Φ(x) = ½·erfc(−x/√2)
 *
 * References:
 * 1. Cody, W. J. (1969). Rational Chebyshev approximations for the error function. Math. Comp. 23, 631–637.
 * 2. Cody, W. J. (1993). Algorithm 715: SPECFUN. ACM Trans. Math. Softw. 19(1), 22–32 (the ANORM routine, as used
 *    by R's `pnorm`).
 *
 * @param x Point, finite.
 * @returns Φ(x) in [0, 1].
 * @throws {RangeError} If x is NaN (±Infinity map to 0 and 1).
 *
 * @example Deep in the lower tail, where erf-based formulas return 0
 * ```ts
 * import assert from "node:assert/strict";
 * import { normCdf } from "./special.ts";
 *
 * // mpmath: ncdf(-9) = 1.1285884059538406e-19
 * assert.ok(Math.abs(normCdf(-9) / 1.1285884059538406e-19 - 1) < 1e-14);
 * assert.equal(normCdf(0), 0.5);
 * ```
 */
export function normCdf(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  requireFinite("evaluate normal CDF", "x", x);
  return normTails(x, false)[0];
}

/**
 * Natural logarithm of the standard normal CDF, log Φ(x), finite for every x > −1e170 (where the value is about
 * −x²/2). Use it for log-likelihoods and for default probabilities of very safe firms.
 *
 * References: as {@linkcode normCdf} (R's `pnorm(x, log.p = TRUE)`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normLogCdf } from "./special.ts";
 *
 * // mpmath (mp.dps = 50): log(ncdf(-40)) = -804.60844201375379
 * assert.ok(Math.abs(normLogCdf(-40) / -804.60844201375379 - 1) < 1e-14);
 * ```
 */
export function normLogCdf(x: number): number {
  if (x === Infinity) return 0;
  if (x === -Infinity) return -Infinity;
  requireFinite("evaluate normal log-CDF", "x", x);
  return normTails(x, true)[0];
}

/**
 * Inverse of the standard normal CDF, Φ⁻¹(p): the quantile z with Φ(z) = p, by Wichura's algorithm AS 241
 * (PPND16), relative accuracy about 1e-16 for p in [1e-300, 1 − 1e-16]. Φ⁻¹(0) = −∞ and Φ⁻¹(1) = +∞.
 *
 * Reference: Wichura, M. J. (1988). Algorithm AS 241: The percentage points of the normal distribution.
 * Applied Statistics 37(3), 477–484.
 *
 * @param p Probability in [0, 1].
 * @throws {TypeError} If p is not a number. @throws {RangeError} If p is NaN or outside [0, 1].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normInv } from "./special.ts";
 *
 * // mpmath: -sqrt(2)*erfinv(1 - 2*0.025) = -1.959963984540054
 * assert.ok(Math.abs(normInv(0.025) + 1.959963984540054) < 1e-15);
 * ```
 */
export function normInv(p: number): number {
  if (typeof p !== "number") throw typeError("invert normal CDF", "p", "a number in [0, 1]", p);
  if (!(p >= 0 && p <= 1)) throw rangeError("invert normal CDF", "p", "in [0, 1]", p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q *
      (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
                        45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
            133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
                        21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
            42.313330701600911252) * r + 1);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
                      1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
          4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
                        0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
            2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    value = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
                      0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
          5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
                        7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
            0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -value : value;
}

/**
 * log Σᵢ exp(aᵢ) without overflow or underflow: m + log Σᵢ exp(aᵢ − m) with m = maxᵢ aᵢ. Entries of −∞ (log 0)
 * are valid and contribute nothing; an empty input or all −∞ gives −∞.
 *
 * @throws {RangeError} If an entry is NaN.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logSumExp } from "./special.ts";
 *
 * assert.ok(Math.abs(logSumExp([-1000, -1000]) - (-1000 + Math.LN2)) < 1e-12);
 * assert.equal(logSumExp([-Infinity, -Infinity]), -Infinity);
 * ```
 */
export function logSumExp(values: ArrayLike<number>): number {
  if (typeof values !== "object" || values === null || typeof values.length !== "number") {
    throw typeError("compute log-sum-exp", "values", "an array of numbers", values);
  }
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number") throw typeError("compute log-sum-exp", `values[${i}]`, "a number", v);
    if (v !== v) throw rangeError("compute log-sum-exp", `values[${i}]`, "a number or -Infinity", v);
    if (v > max) max = v;
  }
  if (max === -Infinity || max === Infinity) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - max);
  return max + Math.log(sum);
}

/** log(exp(a) + exp(b)) for two log-values; −∞ is valid. @throws {RangeError} If a or b is NaN. */
export function logAddExp(a: number, b: number): number {
  if (typeof a !== "number") throw typeError("compute log-add-exp", "a", "a number", a);
  if (typeof b !== "number") throw typeError("compute log-add-exp", "b", "a number", b);
  if (a !== a || b !== b) throw rangeError("compute log-add-exp", a !== a ? "a" : "b", "a number or -Infinity", NaN);
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log φ(x) = −x²/2 − log √(2π), the log of the standard normal density. */
export function normLogPdf(x: number): number {
  requireFinite("evaluate normal log-density", "x", x);
  return -0.5 * x * x - LOG_SQRT_2PI;
}
