/**
 * Credit default swaps and CDS indices with a flat hazard rate: the credit triangle, the risky annuity (RPV01), the
 * spread DV01 and the daily mark-to-market P&L of a position. Used by the CDX overlay, and by any strategy that
 * holds or hedges with CDS.
 *
 *     credit triangle   h = S / (1 − R)                         hazard rate h (per year) implied by spread S, recovery R
 *     survival          Q(t) = exp(−h·t)
 *     RPV01(S)          Σ_{i=1}^{4T} ¼·exp(−(r + h)·i/4)          years: the value of 1 a year paid quarterly until
 *                                                               default or maturity T, flat discount rate r
 *     spread DV01       N·RPV01·10⁻⁴                             currency per 1 bp of spread on notional N
 *     daily P&L         −p·N·RPV01(Sₜ₋₁)·(Sₜ − Sₜ₋₁)  +  p·N·Sₜ₋₁·(calendar days)/360
 *                       (spread move on yesterday's annuity)   (running premium accrued ACT/360)
 *
 * A position p = +1 is long credit risk (protection sold): it earns the premium and loses when spreads widen. The
 * spread is treated as the contract's full running premium (the upfront of a fixed-coupon contract is folded into
 * the spread P&L); defaults are not modelled. Spreads are decimals (0.007 = 70 bp), time in years.
 *
 * References:
 * 1. O'Kane, D. (2008). Modelling Single-name and Multi-name Credit Derivatives, ch. 6 (RPV01, the credit triangle).
 * 2. Hull, J. C. & White, A. (2000). Valuing credit default swaps I. J. Derivatives 8(1), 29–40.
 * @module
 */
import {
  rangeError,
  Received,
  requireDates,
  requireFinite,
  requireFiniteArray,
  requireNonNegative,
  requirePositive,
  requireProbability,
  typeError,
} from "../core/check.ts";

/** Contract terms of a CDS or index for the risky annuity. */
export interface CdsTerms {
  /** Tenor in years (default 5); the premium is paid quarterly, so 4·T payments (T·4 rounded). */
  readonly tenor?: number;
  /** Recovery rate R in [0, 1) (default 0.4). */ readonly recovery?: number;
  /** Flat continuously compounded discount rate r (default 0.03). */ readonly rate?: number;
}

/** Longest tenor accepted, years: beyond it a quarterly sum is not a CDS any more. */
export const MAX_CDS_TENOR = 100;

/**
 * Validated terms with their defaults. `terms` is an object (or undefined); fields other than the three terms are
 * ignored, so that a strategy's options can carry them.
 */
export function cdsTerms(action: string, terms: CdsTerms = {}): Required<CdsTerms> {
  if (terms === null || typeof terms !== "object" || Array.isArray(terms)) {
    throw typeError(action, "terms", "an object of CDS terms (tenor, recovery, rate)", terms);
  }
  const tenor = requirePositive(action, "tenor", terms.tenor ?? 5);
  if (tenor > MAX_CDS_TENOR) throw rangeError(action, "tenor", `at most ${MAX_CDS_TENOR} years`, tenor);
  if (Math.round(tenor * 4) < 1) throw rangeError(action, "tenor", "at least one quarter (0.125 years)", tenor);
  const recovery = requireProbability(action, "recovery", terms.recovery ?? 0.4);
  if (recovery === 1) throw rangeError(action, "recovery", "< 1", recovery);
  const rate = requireFinite(action, "rate", terms.rate ?? 0.03);
  return { tenor, recovery, rate };
}

/**
 * The credit triangle: the flat hazard rate implied by a spread, h = S / (1 − R).
 *
 * @example 60 bp at 40 % recovery is a 1 % hazard rate
 * ```ts
 * import assert from "node:assert/strict";
 * import { hazardRate } from "./cds.ts";
 *
 * assert.ok(Math.abs(hazardRate(0.006, 0.4) - 0.01) < 1e-15);
 * ```
 */
export function hazardRate(spread: number, recovery = 0.4): number {
  const action = "compute hazard rate";
  requireNonNegative(action, "spread", spread);
  requireProbability(action, "recovery", recovery);
  if (recovery === 1) throw rangeError(action, "recovery", "< 1", recovery);
  return spread / (1 - recovery);
}

/** RPV01 of validated terms (no checks: the hot path of {@linkcode rpv01Series}). Negative spreads count as 0. */
function annuity(spread: number, tenor: number, recovery: number, rate: number): number {
  const h = Math.max(spread, 0) / (1 - recovery), q = Math.exp(-(rate + h) / 4);
  const n = Math.round(tenor * 4);
  let sum = 0, df = 1;
  for (let i = 0; i < n; i++) sum += 0.25 * (df *= q);
  return sum;
}

/**
 * RPV01 (risky annuity, years) of a CDS or index with a flat hazard S/(1 − R) and a flat discount rate r, quarterly
 * premiums: Σ_{i=1}^{4T} ¼·exp(−(r + h)·i/4). A geometric sum, so it also equals ¼·q·(1 − qⁿ)/(1 − q) with
 * q = exp(−(r + h)/4) and n = 4T.
 *
 * @param spread Running spread, decimal (≥ 0).
 * @param tenor Years (default 5). @param recovery Default 0.4. @param rate Default 0.03.
 *
 * @example A 5-year index at 70 bp has an RPV01 of about 4.4 years
 * ```ts
 * import assert from "node:assert/strict";
 * import { riskyAnnuity } from "./cds.ts";
 *
 * const q = Math.exp(-(0.03 + 0.007 / 0.6) / 4);
 * assert.ok(Math.abs(riskyAnnuity(0.007) - 0.25 * q * (1 - q ** 20) / (1 - q)) < 1e-12);
 * ```
 */
export function riskyAnnuity(spread: number, tenor = 5, recovery = 0.4, rate = 0.03): number {
  const action = "compute risky annuity";
  requireNonNegative(action, "spread", spread);
  const t = cdsTerms(action, { tenor, recovery, rate });
  return annuity(spread, t.tenor, t.recovery, t.rate);
}

/**
 * RPV01 of each day's spread, computed once per spread path (the P&L of day t uses rpv01[t − 1]).
 *
 * @throws {RangeError} If a spread is not finite or the terms are out of range.
 */
export function rpv01Series(spread: ArrayLike<number>, terms: CdsTerms = {}): Float64Array {
  const action = "compute RPV01 series";
  requireFiniteArray(action, "spread", spread);
  const t = cdsTerms(action, terms);
  return annuities(spread, t);
}

/** RPV01 of each spread of a validated series. */
function annuities(spread: ArrayLike<number>, t: Required<CdsTerms>): Float64Array {
  const out = new Float64Array(spread.length);
  for (let i = 0; i < spread.length; i++) out[i] = annuity(spread[i], t.tenor, t.recovery, t.rate);
  return out;
}

/** Daily returns per unit of notional of a long-risk CDS position, split into their two sources. */
export interface CdsReturns {
  /** −RPV01(Sₜ₋₁)·(Sₜ − Sₜ₋₁): the mark-to-market of the spread move. */ readonly spread: Float64Array;
  /** Sₜ₋₁·days/360: the running premium accrued. */ readonly carry: Float64Array;
  /** Their sum, the return a backtest books. */ readonly total: Float64Array;
}

/**
 * Daily returns per unit of notional of a long-risk CDS position (protection sold):
 *
 *     r(t) = −RPV01(Sₜ₋₁)·(Sₜ − Sₜ₋₁) + Sₜ₋₁·(calendar days from t − 1 to t)/360,   r(0) = 0
 *
 * A position of p·N notional earns p·N·r(t). The spread move is valued on yesterday's annuity (a first-order mark).
 *
 * @param dates Observation dates, valid and increasing.
 * @param spread Spreads, decimal, finite, aligned with `dates`.
 * @param terms Contract terms (see {@linkcode CdsTerms}); fields other than the terms are ignored.
 * @param rpv01 Optional precomputed {@linkcode rpv01Series} of `spread` (for sweeps); default computed from `terms`.
 * @throws {TypeError} If `dates` is not an array of Dates, or `spread`, `terms` or `rpv01` has the wrong type.
 * @throws {RangeError} If a date is invalid or not after the previous one, a value is not finite, or the lengths
 *   differ.
 *
 * @example A day with no spread move earns the accrued premium
 * ```ts
 * import assert from "node:assert/strict";
 * import { cdsReturns } from "./cds.ts";
 *
 * const dates = [new Date("2024-01-05"), new Date("2024-01-08")];
 * const r = cdsReturns(dates, [0.01, 0.01]);
 * assert.equal(r.total[0], 0);
 * assert.equal(Math.abs(r.spread[1]), 0);
 * assert.ok(Math.abs(r.carry[1] - 0.01 * 3 / 360) < 1e-18);
 * ```
 */
export function cdsReturns(
  dates: readonly Date[],
  spread: ArrayLike<number>,
  terms: CdsTerms = {},
  rpv01?: ArrayLike<number>,
): CdsReturns {
  const action = "compute CDS returns";
  requireDates(action, "dates", dates);
  requireFiniteArray(action, "spread", spread);
  const t = cdsTerms(action, terms);
  if (rpv01 === undefined) rpv01 = annuities(spread, t);
  else requireFiniteArray(action, "rpv01", rpv01);
  const n = spread.length;
  if (dates.length !== n || rpv01.length !== n) {
    throw rangeError(
      action,
      "dates, spread and rpv01",
      "of the same length",
      new Received(`lengths ${dates.length}, ${n} and ${rpv01.length}`),
    );
  }
  const out = { spread: new Float64Array(n), carry: new Float64Array(n), total: new Float64Array(n) };
  for (let t = 1; t < n; t++) {
    const days = (dates[t].getTime() - dates[t - 1].getTime()) / 86_400_000;
    if (!(days > 0)) throw rangeError(action, `dates[${t}]`, "after the previous date", dates[t]);
    out.spread[t] = -rpv01[t - 1] * (spread[t] - spread[t - 1]);
    out.carry[t] = (spread[t - 1] * days) / 360;
    out.total[t] = out.spread[t] + out.carry[t];
  }
  return out;
}
