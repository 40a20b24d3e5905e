/**
 * A synthetic corporate-bond universe on the real Treasury curve: N issuers across ratings AAA … CCC and eight
 * sectors, one bullet bond each, whose credit spreads follow an exponential Ornstein–Uhlenbeck model with a common
 * market factor, rating-dependent level, speed and volatility, and volatility clustering.
 *
 *     log sᵢ(t) = a_r + b_r·F(t) + e_r(t) + g_k(t) + uᵢ + zᵢ(t)        (r = rating, k = sector of issuer i)
 *
 *     F(t)   common credit factor: stress episodes + AR(1) deviation with GARCH(1,1)-t shocks (credit_factor.ts)
 *     e_r(t) rating-bucket residual, AR(1)                       — calibrated to the ICE BofA indices
 *     g_k(t) sector factor, AR(1)                                — assumption (no sector data in the kit)
 *     uᵢ     persistent issuer offset ~ N(0, dispersion²)        — assumption
 *     zᵢ(t)  idiosyncratic: zᵢ(t) = φ·zᵢ(t−1) + τᵢ(t) + σ_r·√(hₜ/h̄)·εᵢ(t)         — assumption; hₜ the factor's
 *            GARCH variance, so every bond's volatility rises when the market's does (clustering, co-jumps)
 *     τᵢ(t)  the issuer's credit trend, AR(1) with persistence ρ < φ: improving or deteriorating fundamentals
 *            that move the spread in the same direction for weeks (rating drift) — assumption, the source of
 *            spread momentum at one- to six-month horizons; the OU pull φ still reverts it in the long run
 *
 * Each term is an OU process sampled exactly at the daily step (an AR(1)). Bond yields are the Treasury par yield at
 * the bond's remaining maturity plus its spread; prices, durations and convexities come from `bonds.ts`. When a
 * bond's remaining maturity falls below one year it leaves the universe, as it leaves an index, and the issuer
 * issues a new bond at par (coupon = its yield that day) with a fresh maturity.
 *
 * Daily total returns use the second-order expansion of the price in yield, with time in calendar years Δτ:
 *
 *     rᵢ(t) = yᵢ(t−1)·Δτ − Dᵢ(t−1)·Δyᵢ + ½·Cᵢ(t−1)·Δyᵢ²,     Δyᵢ = Δ(Treasury par yield at Tᵢ) + Δsᵢ
 *
 * split into a **rates** part — what a duration-matched Treasury position earned, including roll-down along the
 * curve — and a **credit** (excess) part, the rest: spread carry, spread change and the cross term.
 *
 * Issuers default. A bond of rating r defaults on a day with probability 1 − exp(−λᵢ(t)·Δτ), with an intensity tied
 * to its spread, λᵢ(t) = ℓ_r·sᵢ(t)/(1 − R): the loss share ℓ_r is the part of the spread that pays for expected
 * default losses, set so that the average default rate of each rating matches the S&P one-year default rate
 * (capped at 0.8). Defaults therefore cluster when spreads blow out. A defaulted bond returns R·100/P − 1 that day
 * (recovery R = 40 % of face, the long-run average for senior unsecured bonds) and the issuer is replaced by a new
 * one of the same rating; `replaced` marks both maturities and defaults.
 *
 * Bid-ask spreads (full spread, as a fraction of price) widen with the credit spread — and hence with lower ratings
 * and with market stress — and with smaller issue size:
 *
 *     baᵢ(t) = max(floor, λ·sᵢ(t)·(A_ref/Aᵢ)^γ)
 *
 * an assumption anchored to published estimates (no quote data in the kit): round-trip costs proportional to the
 * spread (Chen, Lesmond & Wei, 2007) of about 20–50 cents per 100 for investment grade in normal markets (Edwards,
 * Harris & Piwowar, 2007).
 *
 * References:
 * 1. Collin-Dufresne, P., Goldstein, R. S. & Martin, J. S. (2001). The determinants of credit spread changes.
 *    J. Finance 56(6), 2177–2207.
 * 2. Chen, L., Lesmond, D. A. & Wei, J. (2007). Corporate yield spreads and bond liquidity. J. Finance 62(1).
 * 3. Edwards, A. K., Harris, L. E. & Piwowar, M. S. (2007). Corporate bond market transaction costs and
 *    transparency. J. Finance 62(3), 1421–1451.
 * 4. Elton, E. J., Gruber, M. J., Agrawal, D. & Mann, C. (2001). Explaining the rate spread on corporate bonds.
 *    J. Finance 56(1), 247–277 (expected default loss is only part of the spread).
 * @module
 */
import type pl from "nodejs-polars";
import { makeRng, randomInteger, type Rng, type Seed } from "../core/rng.ts";
import { normInv } from "../core/special.ts";
import {
  MAX_ELEMENTS,
  rangeError,
  Received,
  requireBoolean,
  requireDates,
  requireFinite,
  requireFiniteArray,
  requireInteger,
  requireKnownKeys,
  requireNonNegative,
  requireObject,
  requireOneOf,
  requireOptions,
  requirePositive,
  requireProbability,
  requireSeed,
  typeError,
} from "../core/check.ts";
import { requireIsoDate } from "../core/calendar.ts";
import { mean } from "../core/stats.ts";
import { dateColumn, nullableColumn, requireColumns } from "../data/columns.ts";
import { bondAnalyticsInto } from "./bonds.ts";
import { parYieldAtUnchecked, requireCurves, type TreasuryCurves } from "./curve.ts";
import {
  checkCreditFactorParams,
  type CreditFactorParams,
  fitCreditFactor,
  simulateCreditFactor,
} from "./credit_factor.ts";
import { type AR1, simulateAR1 } from "./ou.ts";
import { garchVariance } from "./garch.ts";
import { UNIVERSE_PARAMS as CALIBRATED } from "./universe_params.ts";

/** Letter ratings of the universe, best first. */
export const RATINGS = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC"] as const;
export type Rating = (typeof RATINGS)[number];

/** Sectors of the universe. */
export const SECTORS = [
  "Financials",
  "Industrials",
  "Utilities",
  "Energy",
  "Consumer",
  "Technology",
  "Healthcare",
  "Communications",
] as const;

/**
 * True for BBB and better.
 *
 * @throws {RangeError} If `rating` is not one of {@linkcode RATINGS} (a TypeError for a non-string).
 */
export function isInvestmentGrade(rating: Rating): boolean {
  return RATINGS.indexOf(requireOneOf("classify rating", "rating", rating, RATINGS)) <= 3;
}

/** The spread of one rating bucket on the factor: log s = intercept + loading·F + AR(1), s in decimals. */
export interface RatingSpread {
  readonly rating: Rating;
  readonly intercept: number;
  readonly loading: number;
  readonly residual: AR1;
}

/** Parameters of the universe; {@linkcode UNIVERSE_PARAMS} are calibrated to the ICE BofA indices. */
export interface UniverseParams {
  /** Where the calibrated part comes from. */ readonly calibration: string;
  /** The common credit factor. */ readonly factor: CreditFactorParams;
  /** Rating buckets AAA … CCC. */ readonly ratings: readonly RatingSpread[];
  /** Sector factors (assumption). */ readonly sector: AR1;
  /**
   * Issuer-level terms (assumption): offset dispersion, AR(1) persistence φ, shock size relative to the bucket's
   * residual, and the credit trend τ (AR(1)).
   */
  readonly idiosyncratic: {
    readonly dispersion: number;
    readonly persistence: number;
    readonly scale: number;
    readonly trend: AR1;
  };
  /** Defaults: loss share ℓ_r of the spread per rating (AAA … CCC) and the recovery rate R. */
  readonly defaults: { readonly lossShare: readonly number[]; readonly recovery: number };
  /** Bid-ask model (assumption, see the module notes). */
  readonly bidAsk: {
    readonly perSpread: number;
    readonly sizeElasticity: number;
    readonly referenceSize: number;
    readonly floor: number;
  };
  /** Default share of issuers per rating. */ readonly ratingMix: Readonly<Record<Rating, number>>;
}

/** The calibrated default parameters (generated by `tools/calibrate.ts`), checked against {@linkcode UniverseParams}. */
export const UNIVERSE_PARAMS: UniverseParams = CALIBRATED;

/** One bond (issuer) of the universe. */
export interface Bond {
  readonly id: string;
  readonly rating: Rating;
  readonly sector: (typeof SECTORS)[number];
  /** Amount outstanding, USD. */ readonly amount: number;
}

/**
 * A simulated universe. Panels are `dates.length × bonds.length` Float64Arrays, row-major: the value of bond i on
 * date t is at `t * bonds.length + i`. Returns on date t are earned from the close of t − 1 to the close of t
 * (row 0 is zero).
 */
export interface BondUniverse {
  readonly dates: Date[];
  readonly bonds: Bond[];
  /** Credit spread over the Treasury par curve (decimal). */ readonly spread: Float64Array;
  /** Treasury par yield at the bond's remaining maturity (decimal). */ readonly treasuryYield: Float64Array;
  /** Remaining maturity (years) of the bond outstanding at the close. */ readonly maturity: Float64Array;
  /** Modified duration (years). */ readonly duration: Float64Array;
  /** Full bid-ask spread as a fraction of price. */ readonly bidAsk: Float64Array;
  /** Total return, and its rates (duration-matched Treasury) and credit (excess) parts. */
  readonly totalReturn: Float64Array;
  readonly ratesReturn: Float64Array;
  readonly creditReturn: Float64Array;
  /** 1 where the bond left the universe at that close (matured below one year, or defaulted) and was replaced. */
  readonly replaced: Uint8Array;
  /** 1 where the issuer defaulted that day (its return includes the loss to recovery). */
  readonly defaulted: Uint8Array;
  /** Cash (3-month par yield) return per day. */ readonly cashReturn: Float64Array;
  /** Ground truth of the simulation. */
  readonly truth: {
    readonly params: UniverseParams;
    readonly factor: Float64Array;
    readonly stress: Float64Array;
    /** Conditional variance of the factor shocks. */ readonly variance: Float64Array;
    /**
     * Log spread of each rating bucket, a_r + b_r·F(t) + e_r(t), without the sector and issuer terms:
     * `dates.length × RATINGS.length`, row-major (rating r on date t at `t * RATINGS.length + r`).
     */
    readonly bucket: Float64Array;
    /** Offset uᵢ of the issuer in each slot at the last date (a default brings a new issuer). */
    readonly issuerOffset: Float64Array;
  };
}

/** Options of {@linkcode generateBondUniverse}. */
export interface UniverseOptions {
  /** The Treasury curves the bonds are priced on (see `treasuryCurves`); their dates are the universe's dates. */
  readonly curves: TreasuryCurves;
  /** Number of issuers (default 300). */ readonly issuers?: number;
  /** Seed; each component draws from its own named stream. */ readonly seed: Seed;
  /** Parameters (default {@linkcode UNIVERSE_PARAMS}). */ readonly params?: UniverseParams;
  /** Impose the historical stress calendar on the factor (default true). */ readonly episodes?: boolean;
  /** Share of issuers per rating (default `params.ratingMix`). */ readonly ratingMix?: Readonly<
    Record<Rating, number>
  >;
}

const IG_TERMS = [[3, 0.15], [5, 0.25], [7, 0.2], [10, 0.25], [20, 0.05], [30, 0.1]] as const;
const HY_TERMS = [[3, 0.1], [5, 0.3], [7, 0.3], [8, 0.15], [10, 0.15]] as const;
const ROLL_BELOW = 1; // years: bonds leave the universe below one year to maturity, as they leave an index

function drawTerm(rng: Rng, rating: Rating): number {
  const table = isInvestmentGrade(rating) ? IG_TERMS : HY_TERMS;
  let u = rng();
  for (const [term, p] of table) {
    if ((u -= p) <= 0) return term;
  }
  return table[table.length - 1][0];
}

/**
 * Simulates the universe on the dates of `curves`.
 *
 * @throws {TypeError} If `opts` is not an object, holds an unknown option, or a field has the wrong type.
 * @throws {RangeError} If `issuers` is not a positive integer, the seed is invalid, the curves have < 2 dates (or
 *   invalid, non-increasing dates, or non-finite par yields), `dates × issuers` exceeds MAX_ELEMENTS, a parameter
 *   is out of range, or `ratingMix` holds a key that is not a rating or a share that is not finite and ≥ 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { generateBondUniverse } from "./universe.ts";
 * import { treasuryCurves } from "./curve.ts";
 *
 * const dates = [2, 3, 4].map((d) => new Date(Date.UTC(2024, 0, d)));
 * const table = pl.DataFrame({ date: dates, DGS1: [0.048, 0.048, 0.047], DGS2: [0.043, 0.043, 0.044], DGS5: [0.039, 0.04, 0.04], DGS10: [0.039, 0.04, 0.041], DGS20: [0.042, 0.042, 0.043], DGS30: [0.041, 0.041, 0.042] });
 * const u = generateBondUniverse({ curves: treasuryCurves(table), issuers: 20, seed: 1 });
 * assert.equal(u.spread.length, 3 * 20);
 * ```
 */
export function generateBondUniverse(opts: UniverseOptions): BondUniverse {
  const action = "generate bond universe";
  requireObject(action, "opts", opts);
  requireKnownKeys(action, "opts", opts, ["curves", "issuers", "seed", "params", "episodes", "ratingMix"]);
  const p = opts.params === undefined ? UNIVERSE_PARAMS : checkUniverseParams(action, "params", opts.params);
  const issuers = opts.issuers ?? 300;
  requireInteger(action, "issuers", issuers, { min: 1 });
  requireSeed(action, "seed", opts.seed);
  if (opts.episodes !== undefined) requireBoolean(action, "episodes", opts.episodes);
  const curves = requireCurves(action, "curves", opts.curves, { increasing: true });
  const T = curves.dates.length, N = issuers;
  if (T < 2) throw rangeError(action, "curves", "at least 2 dates", T);
  if (T * N > MAX_ELEMENTS) {
    throw rangeError(action, "issuers", `at most ${Math.floor(MAX_ELEMENTS / T)} for ${T} dates (MAX_ELEMENTS)`, N);
  }
  const seed = opts.seed;

  // Issuers: rating by the mix (largest remainder, deterministic counts), sector, size.
  const mix = opts.ratingMix === undefined ? p.ratingMix : checkRatingMix(action, "ratingMix", opts.ratingMix);
  const ratings = allocate(mix, N);
  const setup = makeRng(seed, "issuers");
  const bonds: Bond[] = ratings.map((rating, i) => ({
    id: `B${String(i + 1).padStart(4, "0")}`,
    rating,
    sector: SECTORS[randomInteger(setup, SECTORS.length)],
    amount: Math.round(Math.exp(Math.log(7.5e8) + 0.7 * normInv(setup())) / 1e6) * 1e6, // median $750m
  }));
  const ratingIndex = Int32Array.from(bonds, (b) => RATINGS.indexOf(b.rating));
  const sectorIndex = Int32Array.from(bonds, (b) => SECTORS.indexOf(b.sector));
  const issuerOffset = Float64Array.from(bonds, () => p.idiosyncratic.dispersion * normInv(setup()));

  // Common factor, rating buckets, sectors.
  const { factor, stress, variance } = simulateCreditFactor(makeRng(seed, "factor"), curves.dates, p.factor, {
    episodes: opts.episodes ?? true,
  });
  const meanVariance = mean(variance);
  const bucket = p.ratings.map((r) => simulateAR1(makeRng(seed, "rating", r.rating), T, r.residual));
  const sector = SECTORS.map((s) => simulateAR1(makeRng(seed, "sector", s), T, p.sector));

  // Bond state, stepped one day at a time by `stepDay` (a separate function, so that V8 optimises the hot loop).
  const events = makeRng(seed, "defaults");
  const { recovery } = p.defaults;
  const phi = p.idiosyncratic.persistence;
  const state: DayState = {
    N,
    curves,
    years: Float64Array.from(curves.dates, (d) => (d.getTime() - curves.dates[0].getTime()) / 3.15576e10),
    ratingIndex,
    sectorIndex,
    terms: bonds.map((b) => b.rating),
    issuerOffset,
    common: new Float64Array(RATINGS.length),
    sectorLevel: new Float64Array(SECTORS.length),
    shockSigma: Float64Array.from(p.ratings, (r) => p.idiosyncratic.scale * r.residual.sigma),
    trend: new Float64Array(N),
    trendPersistence: p.idiosyncratic.trend.persistence,
    trendSigma: p.idiosyncratic.trend.sigma,
    stationary: Float64Array.from(
      p.ratings,
      (r) => (p.idiosyncratic.scale * r.residual.sigma) / Math.sqrt(1 - phi * phi),
    ),
    hazardPerSpread: Float64Array.from(p.defaults.lossShare, (l) => l / (1 - recovery)),
    phi,
    dispersion: p.idiosyncratic.dispersion,
    recovery,
    bidAskFloor: p.bidAsk.floor,
    bidAskPerSpread: p.bidAsk.perSpread,
    bidAskScale: Float64Array.from(bonds, (b) => Math.pow(p.bidAsk.referenceSize / b.amount, p.bidAsk.sizeElasticity)),
    maturityAt: new Float64Array(N),
    coupon: new Float64Array(N),
    z: new Float64Array(N),
    hazard: new Float64Array(N),
    clock: Float64Array.from(bonds, () => -Math.log(events())),
    prevYield: new Float64Array(N),
    prevTreasury: new Float64Array(N),
    prevPrice: new Float64Array(N),
    prevDuration: new Float64Array(N),
    prevConvexity: new Float64Array(N),
    analytics: new Float64Array(3),
    shocks: makeRng(seed, "idiosyncratic"),
    issue: makeRng(seed, "issues"),
    newIssuers: makeRng(seed, "new-issuers"),
    events,
    out: {
      spread: new Float64Array(T * N),
      treasuryYield: new Float64Array(T * N),
      maturity: new Float64Array(T * N),
      duration: new Float64Array(T * N),
      bidAsk: new Float64Array(T * N),
      totalReturn: new Float64Array(T * N),
      ratesReturn: new Float64Array(T * N),
      creditReturn: new Float64Array(T * N),
      replaced: new Uint8Array(T * N),
      defaulted: new Uint8Array(T * N),
    },
  };
  const cashReturn = new Float64Array(T);
  const bucketLevel = new Float64Array(T * RATINGS.length);
  for (let t = 0; t < T; t++) {
    if (t > 0) cashReturn[t] = parYieldAtUnchecked(curves, t - 1, 0.25) * (state.years[t] - state.years[t - 1]);
    for (let r = 0; r < RATINGS.length; r++) {
      state.common[r] = p.ratings[r].intercept + p.ratings[r].loading * factor[t] + bucket[r][t];
      bucketLevel[t * RATINGS.length + r] = state.common[r];
    }
    for (let k = 0; k < SECTORS.length; k++) state.sectorLevel[k] = sector[k][t];
    stepDay(state, t, Math.sqrt(variance[t] / meanVariance));
  }
  return {
    dates: curves.dates,
    bonds,
    ...state.out,
    cashReturn,
    truth: { params: p, factor, stress, variance, bucket: bucketLevel, issuerOffset },
  };
}

/** Everything the daily step reads and writes (typed arrays, so that the loop stays monomorphic). */
interface DayState {
  readonly N: number;
  readonly curves: TreasuryCurves;
  readonly years: Float64Array;
  readonly ratingIndex: Int32Array;
  readonly sectorIndex: Int32Array;
  readonly terms: Rating[];
  readonly issuerOffset: Float64Array;
  /** a_r + b_r·F(t) + e_r(t) per rating and g_k(t) per sector, for the day being stepped. */
  readonly common: Float64Array;
  readonly sectorLevel: Float64Array;
  readonly shockSigma: Float64Array;
  /** Credit trend τᵢ and its AR(1) parameters. */
  readonly trend: Float64Array;
  readonly trendPersistence: number;
  readonly trendSigma: number;
  readonly stationary: Float64Array;
  readonly hazardPerSpread: Float64Array;
  readonly phi: number;
  readonly dispersion: number;
  readonly recovery: number;
  readonly bidAskFloor: number;
  readonly bidAskPerSpread: number;
  readonly bidAskScale: Float64Array;
  readonly maturityAt: Float64Array;
  readonly coupon: Float64Array;
  readonly z: Float64Array;
  /** Cumulated default intensity, and the Exp(1) threshold at which the issuer defaults. */
  readonly hazard: Float64Array;
  readonly clock: Float64Array;
  readonly prevYield: Float64Array;
  readonly prevTreasury: Float64Array;
  readonly prevPrice: Float64Array;
  readonly prevDuration: Float64Array;
  readonly prevConvexity: Float64Array;
  readonly analytics: Float64Array;
  readonly shocks: Rng;
  readonly issue: Rng;
  readonly newIssuers: Rng;
  readonly events: Rng;
  readonly out: {
    spread: Float64Array;
    treasuryYield: Float64Array;
    maturity: Float64Array;
    duration: Float64Array;
    bidAsk: Float64Array;
    totalReturn: Float64Array;
    ratesReturn: Float64Array;
    creditReturn: Float64Array;
    replaced: Uint8Array;
    defaulted: Uint8Array;
  };
}

/**
 * One day of every bond: spread, default clock, return since yesterday, replacement, and today's analytics.
 * Defaults use the time-change construction: issuer i defaults when its cumulated intensity Σ λᵢ·Δτ first exceeds
 * an Exp(1) threshold drawn when the issuer enters — exact for a time-varying intensity, one draw per issuer.
 */
function stepDay(st: DayState, t: number, volScale: number): void {
  const { N, out, curves, z, common, sectorLevel, sectorIndex, ratingIndex, issuerOffset, hazard, clock } = st;
  const { prevYield, prevTreasury, prevPrice, prevDuration, prevConvexity, maturityAt, coupon, analytics } = st;
  const { shockSigma, stationary, hazardPerSpread, bidAskScale, shocks, phi, recovery, trend } = st;
  const rho = st.trendPersistence, trendSigma = st.trendSigma;
  const { spread, treasuryYield, maturity, duration, bidAsk, totalReturn, ratesReturn, creditReturn } = out;
  const row = t * N;
  const now = st.years[t];
  const dtau = t > 0 ? now - st.years[t - 1] : 0;
  for (let i = 0; i < N; i++) {
    const r = ratingIndex[i];
    const k = row + i;
    if (t === 0) {
      trend[i] = (trendSigma / Math.sqrt(1 - rho * rho)) * normInv(shocks());
      z[i] = stationary[r] * normInv(shocks());
    } else {
      trend[i] = rho * trend[i] + trendSigma * normInv(shocks());
      z[i] = phi * z[i] + trend[i] + shockSigma[r] * volScale * normInv(shocks());
    }
    let s = Math.exp(common[r] + sectorLevel[sectorIndex[i]] + issuerOffset[i] + z[i]);
    if (t === 0) maturityAt[i] = ROLL_BELOW + (drawTerm(st.issue, st.terms[i]) - ROLL_BELOW) * st.issue(); // seasoned
    let remaining = maturityAt[i] - now;
    let tsy = parYieldAtUnchecked(curves, t, remaining);
    let isDefault = false;
    if (t === 0) coupon[i] = Math.max(0, Math.round((tsy + s + 0.01 * normInv(st.issue())) * 800) / 800);
    else {
      // Return of the bond held since yesterday's close.
      const py = prevYield[i], pt = prevTreasury[i], D = prevDuration[i], C = prevConvexity[i];
      const dy = tsy + s - py, dTsy = tsy - pt;
      const rates = pt * dtau - D * dTsy + 0.5 * C * dTsy * dTsy;
      let total = py * dtau - D * dy + 0.5 * C * dy * dy;
      hazard[i] += hazardPerSpread[r] * (py - pt) * dtau;
      if (hazard[i] >= clock[i]) {
        total = (100 * recovery) / prevPrice[i] - 1; // default: the bond is worth its recovery
        isDefault = true;
        out.defaulted[k] = 1;
      }
      totalReturn[k] = total;
      ratesReturn[k] = rates;
      creditReturn[k] = total - rates;
    }
    const leaves = isDefault || remaining < ROLL_BELOW;
    if (leaves) {
      // The bond leaves the universe: a new bond at par — from a new issuer of the same rating after a default.
      out.replaced[k] = 1;
      if (isDefault) {
        issuerOffset[i] = st.dispersion * normInv(st.newIssuers());
        z[i] = stationary[r] * normInv(st.newIssuers());
        trend[i] = (trendSigma / Math.sqrt(1 - rho * rho)) * normInv(st.newIssuers());
        hazard[i] = 0;
        clock[i] = -Math.log(st.events());
        s = Math.exp(common[r] + sectorLevel[sectorIndex[i]] + issuerOffset[i] + z[i]);
      }
      maturityAt[i] = now + drawTerm(st.issue, st.terms[i]);
      remaining = maturityAt[i] - now;
      tsy = parYieldAtUnchecked(curves, t, remaining);
    }
    const y = tsy + s;
    if (leaves) coupon[i] = Math.max(0, Math.round(y * 800) / 800);
    const a = bondAnalyticsInto(analytics, y, coupon[i], remaining);
    spread[k] = s;
    treasuryYield[k] = tsy;
    maturity[k] = remaining;
    duration[k] = a[1];
    bidAsk[k] = Math.max(st.bidAskFloor, st.bidAskPerSpread * s * bidAskScale[i]);
    prevYield[i] = y;
    prevTreasury[i] = tsy;
    prevPrice[i] = a[0];
    prevDuration[i] = a[1];
    prevConvexity[i] = a[2];
  }
}

/** Checks a share of issuers per rating: keys of {@linkcode RATINGS}, finite shares ≥ 0 with a positive total. */
function checkRatingMix(action: string, name: string, mix: unknown): Readonly<Record<Rating, number>> {
  const m = requireObject(action, name, mix);
  let total = 0;
  for (const [key, share] of Object.entries(m)) {
    if (!(RATINGS as readonly string[]).includes(key)) {
      throw rangeError(action, `${name} key`, `one of ${RATINGS.join(", ")}`, key);
    }
    total += requireNonNegative(action, `${name}.${key}`, share);
  }
  if (!(total > 0)) throw rangeError(action, name, "positive shares", total);
  return m as Readonly<Record<Rating, number>>;
}

/** Checks an AR(1) of the parameters: persistence in (−1, 1) (a stationary law), σ finite ≥ 0. */
function checkAR1(action: string, name: string, p: unknown): void {
  const a = requireObject(action, name, p);
  requireFinite(action, `${name}.persistence`, a.persistence);
  if (!(Math.abs(a.persistence as number) < 1)) {
    throw rangeError(action, `${name}.persistence`, "in (-1, 1)", a.persistence);
  }
  requireNonNegative(action, `${name}.sigma`, a.sigma);
}

/** Checks every field of {@linkcode UniverseParams} at a public boundary; `name` prefixes the fields. */
function checkUniverseParams(action: string, name: string, params: unknown): UniverseParams {
  const p = requireObject(action, name, params) as unknown as UniverseParams;
  if (typeof p.calibration !== "string") throw typeError(action, `${name}.calibration`, "a string", p.calibration);
  checkCreditFactorParams(action, `${name}.factor`, p.factor);
  if (!Array.isArray(p.ratings) || p.ratings.length !== RATINGS.length) {
    throw typeError(action, `${name}.ratings`, `an array of ${RATINGS.length} rating buckets AAA … CCC`, p.ratings);
  }
  p.ratings.forEach((r, k) => {
    const at = `${name}.ratings[${k}]`;
    requireObject(action, at, r);
    if (r.rating !== RATINGS[k]) throw rangeError(action, `${at}.rating`, JSON.stringify(RATINGS[k]), r.rating);
    requireFinite(action, `${at}.intercept`, r.intercept);
    requireFinite(action, `${at}.loading`, r.loading);
    checkAR1(action, `${at}.residual`, r.residual);
  });
  checkAR1(action, `${name}.sector`, p.sector);
  const idio = requireObject(action, `${name}.idiosyncratic`, p.idiosyncratic);
  requireNonNegative(action, `${name}.idiosyncratic.dispersion`, idio.dispersion);
  requireFinite(action, `${name}.idiosyncratic.persistence`, idio.persistence);
  if (!(Math.abs(idio.persistence as number) < 1)) {
    throw rangeError(action, `${name}.idiosyncratic.persistence`, "in (-1, 1)", idio.persistence);
  }
  requireNonNegative(action, `${name}.idiosyncratic.scale`, idio.scale);
  checkAR1(action, `${name}.idiosyncratic.trend`, idio.trend);
  const defaults = requireObject(action, `${name}.defaults`, p.defaults);
  const shares = requireFiniteArray(action, `${name}.defaults.lossShare`, defaults.lossShare, {
    length: RATINGS.length,
  });
  for (let k = 0; k < shares.length; k++) requireProbability(action, `${name}.defaults.lossShare[${k}]`, shares[k]);
  const recovery = requireProbability(action, `${name}.defaults.recovery`, defaults.recovery);
  if (recovery === 1) throw rangeError(action, `${name}.defaults.recovery`, "< 1", recovery);
  const bidAsk = requireObject(action, `${name}.bidAsk`, p.bidAsk);
  requireNonNegative(action, `${name}.bidAsk.perSpread`, bidAsk.perSpread);
  requireFinite(action, `${name}.bidAsk.sizeElasticity`, bidAsk.sizeElasticity);
  requirePositive(action, `${name}.bidAsk.referenceSize`, bidAsk.referenceSize);
  requireNonNegative(action, `${name}.bidAsk.floor`, bidAsk.floor);
  checkRatingMix(action, `${name}.ratingMix`, p.ratingMix);
  return p;
}

/**
 * Checks a {@linkcode BondUniverse} passed back in at a public boundary (lib-internal): valid dates, bonds with a
 * rating of {@linkcode RATINGS} and an amount > 0, and each listed panel a typed array of `dates × bonds` finite
 * values (`cashReturn`: one per date). `name` is the caller's argument.
 *
 * @throws {TypeError} If a field has the wrong type.
 * @throws {RangeError} If a date, a bond or a panel value is invalid, or a panel has the wrong length.
 */
export function requireUniverse(
  action: string,
  name: string,
  u: unknown,
  panels: readonly (keyof BondUniverse)[],
): BondUniverse {
  const universe = requireObject(action, name, u) as unknown as BondUniverse;
  requireDates(action, `${name}.dates`, universe.dates, { minLength: 1 });
  if (!Array.isArray(universe.bonds) || universe.bonds.length === 0) {
    throw typeError(action, `${name}.bonds`, "a non-empty array of bonds", universe.bonds);
  }
  universe.bonds.forEach((b, i) => {
    requireObject(action, `${name}.bonds[${i}]`, b);
    requireOneOf(action, `${name}.bonds[${i}].rating`, b.rating, RATINGS);
    requirePositive(action, `${name}.bonds[${i}].amount`, b.amount);
  });
  const T = universe.dates.length, N = universe.bonds.length;
  for (const panel of panels) {
    const values = universe[panel];
    if (!ArrayBuffer.isView(values) || values instanceof DataView) {
      throw typeError(action, `${name}.${panel}`, "a typed array of dates × bonds values", values);
    }
    const cells = panel === "cashReturn" ? T : T * N;
    requireFiniteArray(action, `${name}.${panel}`, values as unknown as ArrayLike<number>, { length: cells });
  }
  return universe;
}

/** Requires a polars DataFrame (by its methods) with the given columns; `name` is the caller's argument. */
function requireFrame(action: string, name: string, df: unknown, columns: readonly string[]): pl.DataFrame {
  const frame = df as pl.DataFrame;
  if (
    df === null || typeof df !== "object" || !Array.isArray(frame.columns) || typeof frame.getColumn !== "function"
  ) {
    throw typeError(action, name, "a DataFrame", df);
  }
  requireColumns(action, name, frame, columns);
  return frame;
}

/** Integer counts per rating proportional to the mix (largest remainder), as a list of N ratings, best first. */
function allocate(mix: Readonly<Record<Rating, number>>, n: number): Rating[] {
  const total = RATINGS.reduce((a, r) => a + (mix[r] ?? 0), 0);
  if (!(total > 0)) throw rangeError("generate bond universe", "ratingMix", "positive shares", total);
  const exact = RATINGS.map((r) => ((mix[r] ?? 0) / total) * n);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, k) => ({ k, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest);
  for (let j = 0; counts.reduce((a, b) => a + b, 0) < n; j++) counts[order[j].k]++;
  return RATINGS.flatMap((r, k) => new Array<Rating>(counts[k]).fill(r));
}

/** Position of each ICE index on the rating scale (AAA = 0 … CCC = 6), from its typical rating composition. */
export const INDEX_POSITIONS = {
  /** ICE BofA AAA US Corporate. */ BAMLC0A1CAAA: 0,
  /** ICE BofA BBB US Corporate. */ BAMLC0A4CBBB: 3,
  /** ICE BofA US Corporate (IG): roughly 2 % AAA, 8 % AA, 40 % A, 50 % BBB by market value. */ BAMLC0A0CM: 2.38,
  /** ICE BofA US High Yield: roughly 50 % BB, 40 % B, 10 % CCC and lower. */ BAMLH0A0HYM2: 4.6,
} as const;

/**
 * Largest loss share ℓ_r of {@linkcode calibrateUniverse}: at most 80 % of a bucket's spread pays for expected default
 * losses, so that every rating keeps a positive expected excess return after defaults.
 */
export const LOSS_SHARE_CAP = 0.8;

/** One rating of the default calibration of {@linkcode calibrateUniverse}. */
export interface DefaultCalibrationRow {
  readonly rating: Rating;
  /** Target one-year default rate PD_r (decimal). */ readonly defaultRate: number;
  /** s̄_r: mean bucket spread exp(a_r + b_r·F(t)) over the calibration sample (decimal). */ readonly meanSpread: number;
  /** −ln(1 − PD_r)·(1 − R)/s̄_r: the loss share that would match PD_r (can exceed 1). */
  readonly requiredLossShare: number;
  /** ℓ_r = min(cap, required): the loss share used. */ readonly lossShare: number;
  /** True when the cap binds (ℓ_r < required). */ readonly capped: boolean;
  /** 1 − exp(−ℓ_r·s̄_r/(1 − R)): the one-year default rate at the mean spread with the loss share used. */
  readonly modelRate: number;
}

/** Result of {@linkcode calibrateUniverse}: the parameters and the fit of each index on the rating scale. */
export interface UniverseCalibration {
  readonly params: UniverseParams;
  /** Each ICE index: its position, observed mean log spread, and the interpolated model value at that position. */
  readonly anchors: { index: string; position: number; observed: number; model: number; usedInFit: boolean }[];
  /** The dates of the calibration sample (every index quoted, from `start`). */ readonly dates: Date[];
  /**
   * The fitted real factor on `dates`: F (demeaned mean log spread), the stress level m, the deviation D = F − m,
   * the deviation's shocks ηₜ = Dₜ − φ·Dₜ₋₁ − mean (NaN-free; η₀ = η₁ = 0, the two dates the AR(1) fit skips), their
   * GARCH(1,1) conditional variance hₜ under the fitted parameters, and the standardized shocks ηₜ/√hₜ.
   */
  readonly factor: {
    readonly values: Float64Array;
    readonly stress: Float64Array;
    readonly deviation: Float64Array;
    readonly shocks: Float64Array;
    readonly variance: Float64Array;
    readonly standardized: Float64Array;
  };
  /** Per rating, the loss-share calibration (present when `defaultRates` is given). */
  readonly defaults?: DefaultCalibrationRow[];
}

/**
 * Calibrates the spread model of the universe to the ICE BofA indices of a `loadCreditSpreads()` table.
 *
 * 1. The common factor and each index's loading on it: `fitCreditFactor` on the four log OAS series.
 * 2. Rating buckets: intercepts, loadings and AR(1) residuals are interpolated **linearly in rating position**
 *    between AAA (position 0, the AAA index) and BBB (3, the BBB index), and extrapolated beyond BBB along the line
 *    through BBB and the high-yield index (4.6) to BB, B and CCC. The IG index (2.38) is left out of the fit and
 *    serves as a check.
 *
 * 3. Default loss shares, when one-year default rates are given: ℓ_r = min(0.8, −ln(1 − PD_r)·(1 − R) / s̄_r), with
 *    s̄_r the mean bucket spread exp(a_r + b_r·F(t)) over the sample, so that the average default intensity of each
 *    rating matches its historical default rate — except where the cap {@linkcode LOSS_SHARE_CAP} binds (CCC on the
 *    S&P rates: its mean spread cannot pay for its default rate), whose rate is then 1 − exp(−0.8·s̄_r/(1 − R)),
 *    below the target. `defaults` reports both, rating by rating.
 *
 * The result also carries the fitted real factor (`factor`, on `dates`) with the standardized GARCH shocks of its
 * deviation, so that its largest days can be read against the indices that moved.
 *
 * Issuer, sector and bid-ask terms are assumptions (see the module notes) and are taken from `base`.
 *
 * @param spreads A `loadCreditSpreads()` table: `date` and the four ICE BofA OAS columns, values > 0.
 * @param opts `start` (ISO date, default 1997-01-01); `base` parameters for the uncalibrated parts (default
 *   UNIVERSE_PARAMS); `label` of the calibration; `defaultRates`: 7 one-year default rates in [0, 1).
 * @throws {TypeError} If `spreads` is not a DataFrame with the columns, or `opts` holds an unknown option.
 * @throws {RangeError} If an option is invalid, a spread is ≤ 0, or fewer than 500 complete dates follow `start`.
 */
export function calibrateUniverse(
  spreads: pl.DataFrame,
  opts: {
    start?: string;
    base?: UniverseParams;
    label?: string;
    /** One-year default rates per rating, AAA … CCC (decimals), e.g. the D column of the S&P matrix. */
    defaultRates?: readonly number[];
  } = {},
): UniverseCalibration {
  const action = "calibrate universe";
  const names = Object.keys(INDEX_POSITIONS) as (keyof typeof INDEX_POSITIONS)[];
  requireFrame(action, "spreads", spreads, ["date", ...names]);
  opts = requireOptions(action, "opts", opts, ["start", "base", "label", "defaultRates"]);
  const from = requireIsoDate(action, "start", opts.start ?? "1997-01-01").getTime();
  if (opts.base !== undefined) checkUniverseParams(action, "base", opts.base);
  if (opts.label !== undefined && typeof opts.label !== "string") {
    throw typeError(action, "label", "a string", opts.label);
  }
  if (opts.defaultRates !== undefined) {
    requireFiniteArray(action, "defaultRates", opts.defaultRates, { length: RATINGS.length });
  }
  const all = dateColumn(spreads);
  const columns = names.map((n) => nullableColumn(spreads, n));
  const keep = all.map((d, i) => d.getTime() >= from && columns.every((c) => c[i] !== null));
  const dates = all.filter((_, i) => keep[i]);
  if (dates.length < 500) {
    throw rangeError(
      action,
      "spreads",
      "a table with at least 500 dates from start quoting all four indices",
      new Received(`${dates.length}`),
    );
  }
  columns.forEach((c, k) => {
    c.forEach((v, i) => {
      if (keep[i] && !(v! > 0 && Number.isFinite(v))) throw rangeError(action, `spreads.${names[k]}[${i}]`, "> 0", v);
    });
  });
  const logs = Object.fromEntries(
    names.map((n, k) => [n, columns[k].filter((_, i) => keep[i]).map((v) => Math.log(v!))]),
  );
  const fit = fitCreditFactor(dates, logs);
  const by = Object.fromEntries(fit.series.map((s) => [s.name, s]));
  const aaa = by.BAMLC0A1CAAA, bbb = by.BAMLC0A4CBBB, hy = by.BAMLH0A0HYM2;
  const at = (x: number, pick: (s: typeof aaa) => number) => {
    const [lo, hi, x0, x1] = x <= 3 ? [aaa, bbb, 0, 3] : [bbb, hy, 3, INDEX_POSITIONS.BAMLH0A0HYM2];
    return pick(lo) + ((x - x0) / (x1 - x0)) * (pick(hi) - pick(lo));
  };
  const base = opts.base ?? UNIVERSE_PARAMS;
  const r6 = (x: number) => Number(x.toPrecision(6));
  const ratings = RATINGS.map((rating, x) => ({
    rating,
    intercept: r6(at(x, (s) => s.intercept)),
    loading: r6(at(x, (s) => s.loading)),
    residual: {
      persistence: r6(Math.min(at(x, (s) => s.residual.persistence), 0.9995)),
      sigma: r6(at(x, (s) => s.residual.sigma)),
    },
  }));
  const meanFactor = mean(fit.factor);
  const R = base.defaults.recovery;
  const defaults = opts.defaultRates
    ? RATINGS.map((rating, k): DefaultCalibrationRow => {
      const pd = opts.defaultRates![k];
      if (!(pd >= 0 && pd < 1)) throw rangeError(action, `defaultRates[${k}]`, "in [0, 1)", pd);
      const meanSpread = mean(Array.from(fit.factor, (f) => Math.exp(ratings[k].intercept + ratings[k].loading * f)));
      const requiredLossShare = (-Math.log1p(-pd) * (1 - R)) / meanSpread;
      const lossShare = r6(Math.min(LOSS_SHARE_CAP, requiredLossShare));
      const modelRate = -Math.expm1((-lossShare * meanSpread) / (1 - R));
      return {
        rating,
        defaultRate: pd,
        meanSpread,
        requiredLossShare,
        lossShare,
        capped: requiredLossShare > LOSS_SHARE_CAP,
        modelRate,
      };
    })
    : undefined;
  const lossShare = defaults ? defaults.map((d) => d.lossShare) : base.defaults.lossShare;
  const n = fit.factor.length, phi = fit.params.persistence;
  const shocks = new Float64Array(n);
  for (let t = 2; t < n; t++) shocks[t] = fit.deviation[t] - phi * fit.deviation[t - 1];
  const shockMean = mean(shocks.subarray(2));
  for (let t = 2; t < n; t++) shocks[t] -= shockMean;
  const variance = garchVariance(shocks.subarray(2), fit.params.garch, mean(shocks.subarray(2).map((e) => e * e)));
  const fullVariance = new Float64Array(n);
  fullVariance.set(variance, 2);
  fullVariance[0] = fullVariance[1] = variance[0];
  const standardized = shocks.map((e, t) => e / Math.sqrt(fullVariance[t]));
  const anchors = names.map((index) => {
    const position = INDEX_POSITIONS[index];
    return {
      index,
      position,
      observed: mean(logs[index]),
      model: at(position, (s) => s.intercept) + at(position, (s) => s.loading) * meanFactor,
      usedInFit: index !== "BAMLC0A0CM",
    };
  });
  return {
    params: {
      ...base,
      calibration: `${opts.label ?? "calibrated by calibrateUniverse()"} on the ICE BofA OAS indices, ${
        dates[0].toISOString().slice(0, 10)
      } to ${dates[dates.length - 1].toISOString().slice(0, 10)}`,
      factor: {
        mean: r6(fit.params.mean),
        episodes: fit.params.episodes.map((e) => ({ name: e.name, height: r6(e.height) })),
        persistence: r6(fit.params.persistence),
        garch: {
          omega: r6(fit.params.garch.omega),
          alpha: r6(fit.params.garch.alpha),
          beta: r6(fit.params.garch.beta),
          nu: r6(fit.params.garch.nu),
        },
      },
      ratings,
      defaults: { lossShare, recovery: R },
    },
    anchors,
    dates,
    factor: {
      values: fit.factor,
      stress: fit.stress,
      deviation: fit.deviation,
      shocks,
      variance: fullVariance,
      standardized,
    },
    ...(defaults ? { defaults } : {}),
  };
}

/**
 * The universe as the plain dates × bonds panels a desk backtest trades (`BondPanels` of
 * `lib/backtest/bond_desk.ts`): no copy, the arrays are shared.
 *
 * @throws {TypeError} If `u` is not a {@linkcode BondUniverse}.
 * @throws {RangeError} If a date, a bond or a panel value is invalid, or a panel has the wrong length.
 */
export function bondPanels(u: BondUniverse): {
  dates: Date[];
  ratings: string[];
  amounts: Float64Array;
  totalReturn: Float64Array;
  ratesReturn: Float64Array;
  creditReturn: Float64Array;
  cashReturn: Float64Array;
  bidAsk: Float64Array;
  duration: Float64Array;
  spread: Float64Array;
  replaced: Uint8Array;
} {
  requireUniverse("build bond panels", "u", u, [
    "totalReturn",
    "ratesReturn",
    "creditReturn",
    "cashReturn",
    "bidAsk",
    "duration",
    "spread",
    "replaced",
  ]);
  return {
    dates: u.dates,
    ratings: u.bonds.map((b) => b.rating),
    amounts: Float64Array.from(u.bonds, (b) => b.amount),
    totalReturn: u.totalReturn,
    ratesReturn: u.ratesReturn,
    creditReturn: u.creditReturn,
    cashReturn: u.cashReturn,
    bidAsk: u.bidAsk,
    duration: u.duration,
    spread: u.spread,
    replaced: u.replaced,
  };
}
