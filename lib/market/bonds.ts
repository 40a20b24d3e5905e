/**
 * Fixed-rate bullet bonds: price, modified duration and convexity from a yield, per 100 of face value.
 *
 *     P(y) = Σₖ₌₁ⁿ (100·c/f)·v^k + 100·v^n,   v = 1/(1 + y/f),  n = T·f coupon periods
 *          = 100·[(c/f)·(1 − v^n)/(y/f) + v^n]
 *
 * c annual coupon rate and y annual yield, both decimals compounded f times a year (2 for US corporates and
 * Treasuries), T years to maturity. Modified duration D = −(1/P)·dP/dy (years), convexity C = (1/P)·d²P/dy²
 * (years²); a yield move Δy changes the price by ΔP/P ≈ −D·Δy + ½·C·Δy².
 *
 * The exported functions follow the contract of `API.md`: T must be a whole number of coupon periods (the price on
 * a coupon date, where clean and dirty prices coincide). The `bondAnalytics` kernel also accepts fractional
 * periods by evaluating the same closed form at real n — a smooth interpolation between coupon dates used by the
 * bond-universe simulation, whose daily returns need durations that do not jump.
 *
 * Reference: Fabozzi, F. J. (2007). Fixed Income Analysis, 2nd ed., ch. 2 and 7 (price, duration, convexity).
 * @module
 */
import { rangeError, requireFinite, requireNonNegative, requireObject, requirePositive } from "../core/check.ts";

/** Inputs of {@linkcode bondPrice}, {@linkcode modifiedDuration} and {@linkcode convexity}. */
export interface BondParams {
  /** Annual yield to maturity, decimal, compounded `frequency` times a year; > −frequency. */ readonly yield: number;
  /** Annual coupon rate, decimal (0.05 = 5 %); ≥ 0. */ readonly coupon: number;
  /** Years to maturity: a whole number of coupon periods, > 0. */ readonly maturity: number;
  /** Coupons per year (default 2). */ readonly frequency?: number;
}

/** Price per 100, modified duration (years) and convexity (years²). */
export interface BondAnalytics {
  readonly price: number;
  readonly duration: number;
  readonly convexity: number;
}

/**
 * Price, modified duration and convexity in closed form, for a real number of periods n = maturity·frequency
 * (the kernel of the exported functions; the bond-universe simulation calls the unchecked
 * {@linkcode bondAnalyticsInto}).
 *
 * @param yieldRate Annual yield, decimal, > −frequency.
 * @param coupon Annual coupon rate, decimal, ≥ 0.
 * @param maturity Years to maturity, a finite number ≥ 0 (any real number of periods).
 * @param frequency Coupons per year, an integer in [1, 12] (default 2).
 * @throws {TypeError} If an argument is not a number.
 * @throws {RangeError} If an argument is out of range, or the analytics overflow (an extreme yield and maturity).
 */
export function bondAnalytics(yieldRate: number, coupon: number, maturity: number, frequency = 2): BondAnalytics {
  const action = "compute bond analytics";
  checkFrequency(action, frequency);
  checkYield(action, "yieldRate", yieldRate, frequency);
  requireNonNegative(action, "coupon", coupon);
  requireNonNegative(action, "maturity", maturity);
  const a = bondAnalyticsInto(new Float64Array(3), yieldRate, coupon, maturity, frequency);
  if (!(Number.isFinite(a[0]) && Number.isFinite(a[1]) && Number.isFinite(a[2]))) {
    throw rangeError(action, "yieldRate and maturity", "a pair with finite price, duration and convexity", yieldRate);
  }
  return { price: a[0], duration: a[1], convexity: a[2] };
}

/** The analytics of validated inputs, as an object (for the exported functions, which check first). */
function analytics(yieldRate: number, coupon: number, maturity: number, frequency: number): BondAnalytics {
  const a = bondAnalyticsInto(new Float64Array(3), yieldRate, coupon, maturity, frequency);
  return { price: a[0], duration: a[1], convexity: a[2] };
}

function checkFrequency(action: string, frequency: number): void {
  if (!Number.isInteger(frequency) || frequency < 1 || frequency > 12) {
    throw rangeError(action, "frequency", "an integer number of coupons per year in [1, 12]", frequency);
  }
}

function checkYield(action: string, name: string, value: number, frequency: number): void {
  requireFinite(action, name, value);
  if (!(value > -frequency)) {
    throw rangeError(action, name, `> -${frequency} (a positive discount factor)`, value);
  }
}

/**
 * {@linkcode bondAnalytics} without allocation: writes [price, duration, convexity] into `out` and returns it (for
 * loops over millions of bond-days).
 */
export function bondAnalyticsInto(
  out: Float64Array,
  yieldRate: number,
  coupon: number,
  maturity: number,
  frequency = 2,
): Float64Array {
  const i = yieldRate / frequency, cp = coupon / frequency, n = maturity * frequency;
  let vn: number, annuity: number, dAnnuity: number, d2Annuity: number;
  if (Math.abs(i) < 1e-7) {
    // Series in i around 0: A = n − n(n+1)/2·i + n(n+1)(n+2)/6·i², derivatives likewise.
    vn = Math.exp(-n * Math.log1p(i));
    annuity = n - (n * (n + 1) / 2) * i + (n * (n + 1) * (n + 2) / 6) * i * i;
    dAnnuity = -(n * (n + 1)) / 2 + (n * (n + 1) * (n + 2) / 3) * i;
    d2Annuity = (n * (n + 1) * (n + 2)) / 3;
  } else {
    vn = Math.pow(1 + i, -n); // rounding 1 + i costs ~1e-16/i relative in i: < 1e-9 for |i| ≥ 1e-7
    const vn1 = vn / (1 + i), vn2 = vn1 / (1 + i);
    annuity = (1 - vn) / i;
    dAnnuity = (n * vn1 - annuity) / i;
    d2Annuity = (-n * (n + 1) * vn2 - 2 * dAnnuity) / i;
  }
  const vn1 = vn / (1 + i), vn2 = vn1 / (1 + i);
  const price = 100 * (cp * annuity + vn);
  const dPdi = 100 * (cp * dAnnuity - n * vn1);
  const d2Pdi2 = 100 * (cp * d2Annuity + n * (n + 1) * vn2);
  out[0] = price;
  out[1] = -dPdi / (price * frequency);
  out[2] = d2Pdi2 / (price * frequency * frequency);
  return out;
}

function check(p: BondParams, action: string): number {
  requireObject(action, "p", p);
  const frequency = p.frequency ?? 2;
  checkFrequency(action, frequency);
  checkYield(action, "yield", p.yield, frequency);
  if (!(p.coupon >= 0 && Number.isFinite(p.coupon))) {
    throw rangeError(action, "coupon", "a finite number >= 0", p.coupon);
  }
  requirePositive(action, "maturity", p.maturity);
  const n = p.maturity * frequency;
  if (Math.abs(n - Math.round(n)) > 1e-9) {
    throw rangeError(
      action,
      "maturity",
      `a whole number of coupon periods (multiple of 1/${frequency} year)`,
      p.maturity,
    );
  }
  return frequency;
}

/**
 * Price per 100 face value of a fixed-rate bullet bond on a coupon date.
 *
 * @throws {RangeError} If a value is not finite, the coupon is negative, the yield ≤ −frequency, or the maturity is
 *   not a positive whole number of coupon periods.
 *
 * @example A 10-year 5 % bond yielding 6 % (semi-annual)
 * ```ts
 * import assert from "node:assert/strict";
 * import { bondPrice } from "./bonds.ts";
 *
 * // Σ 2.5·1.03^−k (k = 1…20) + 100·1.03^−20 = 92.5613 (Fabozzi, ch. 2)
 * assert.ok(Math.abs(bondPrice({ yield: 0.06, coupon: 0.05, maturity: 10 }) - 92.56126256977225) < 1e-10);
 * assert.equal(bondPrice({ yield: 0.05, coupon: 0.05, maturity: 5 }).toFixed(10), "100.0000000000"); // at par
 * ```
 */
export function bondPrice(p: BondParams): number {
  const frequency = check(p, "price bond");
  return finite("price bond", analytics(p.yield, p.coupon, Math.round(p.maturity * frequency) / frequency, frequency))
    .price;
}

/** Refuses analytics that overflowed (a yield near −frequency over a long maturity). */
function finite(action: string, a: BondAnalytics): BondAnalytics {
  if (!(Number.isFinite(a.price) && Number.isFinite(a.duration) && Number.isFinite(a.convexity))) {
    throw rangeError(action, "yield and maturity", "a pair with a finite price, duration and convexity", a.price);
  }
  return a;
}

/**
 * Modified duration −(1/P)·dP/dy in years: the percentage price change per unit change of yield.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { modifiedDuration } from "./bonds.ts";
 *
 * // Zero-coupon: D = T/(1 + y/f) = 10/1.0225
 * assert.ok(Math.abs(modifiedDuration({ yield: 0.045, coupon: 0, maturity: 10 }) - 10 / 1.0225) < 1e-12);
 * ```
 */
export function modifiedDuration(p: BondParams): number {
  const action = "compute modified duration";
  const frequency = check(p, action);
  return finite(action, analytics(p.yield, p.coupon, Math.round(p.maturity * frequency) / frequency, frequency))
    .duration;
}

/** Convexity (1/P)·d²P/dy² in years². */
export function convexity(p: BondParams): number {
  const action = "compute convexity";
  const frequency = check(p, action);
  return finite(action, analytics(p.yield, p.coupon, Math.round(p.maturity * frequency) / frequency, frequency))
    .convexity;
}

/**
 * Yield to maturity from a price by Newton's method on the closed form (a bullet bond's price is decreasing and
 * convex in yield, so Newton from the coupon rate converges monotonically).
 *
 * @throws {RangeError} If the price is not > 0, or Newton does not converge in 100 iterations.
 */
export function bondYield(p: Omit<BondParams, "yield"> & { price: number }): number {
  const action = "solve bond yield";
  requireObject(action, "p", p);
  requirePositive(action, "price", p.price);
  const frequency = check({ ...p, yield: 0 }, action);
  let y = p.coupon;
  for (let k = 0; k < 100; k++) {
    const a = analytics(y, p.coupon, p.maturity, frequency);
    const step = (a.price - p.price) / (a.price * a.duration);
    y += step;
    if (!(y > -frequency)) y = -frequency * 0.999;
    if (Math.abs(step) < 1e-14) return y;
  }
  throw rangeError(action, "price", "reachable by Newton in 100 iterations", p.price);
}
