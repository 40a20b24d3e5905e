/**
 * A jointly simulated macro-credit market for the CDX overlay: the CDX IG 5Y index spread, the VIX and a high-yield
 * ETF (HYG), on business days.
 *
 * The original workflow drew the three series independently; here they share one state so that the overlay's
 * signals have something to find:
 *
 *     regime        rₜ ∈ {calm, stress}, a Markov chain: P(calm → stress) = pStress, P(stress → calm) = pCalm
 *     VIX           Vₜ = Vₜ₋₁ + κ_V(μ_V(rₜ) − Vₜ₋₁) + σ_V(rₜ)·ε + Jₜ,    Jₜ ≥ 0 jumps with probability pJump
 *     CDX (bp)      Sₜ = Sₜ₋₁ + κ_S(θ(rₜ) − Sₜ₋₁) + β·ΔVₜ + γ·ΔVₜ₋₁ − φ·κ_b·xₜ₋₁ + σ_S(rₜ)·η
 *                   — spreads widen when the VIX jumps, and keep widening the next day (the VIX leads credit)
 *     basis (bp)    xₜ = Sₜ − Hₜ/m, the index spread less the ETF's implied (high-yield) spread H in index units
 *                   (m = the HY/IG spread multiple). It mean-reverts, Δxₜ = −κ_b·xₜ₋₁ + σ_b·ζ, and a share φ of
 *                   the closing runs through the index (the −φ·κ_b·x term above), the rest through the ETF.
 *     ETF           NAVₜ = NAVₜ₋₁·(1 + (r_f + m·Sₜ₋₁)/252 − D·ΔHₜ/10⁴): it earns its yield, falls as H widens;
 *                   the price Pₜ = NAVₜ·(1 + πₜ) adds an i.i.d. premium πₜ to NAV (it does not build up)
 *
 * In stress the volatilities double and the spread and VIX targets rise (θ: 70 → 130 bp, μ_V: 16 → 32). The
 * idiosyncratic volatilities are set so that the calm-regime daily changes have the stated volatilities (CDX 3 bp,
 * VIX 2 points, ETF 0.6 USD). Bars are valid by construction: low ≤ min(open, close) ≤ max(open, close) ≤ high.
 *
 * Units follow the kit: the CDX spread is a decimal (0.007 = 70 bp); VIX in index points; the ETF in USD.
 * @module
 */
import pl from "nodejs-polars";
import { businessDays, requireIsoDate } from "../core/calendar.ts";
import {
  rangeError,
  requireDates,
  requireFiniteArray,
  requireInteger,
  requireOptions,
  requirePositive,
  requireProbability,
  requireSeed,
  typeError,
} from "../core/check.ts";
import { makeRng, type Rng, standardNormal, uniform } from "../core/rng.ts";

/** Options of the overlay market generators; every field has a default. */
export interface OverlayMarketOptions {
  /** Seed of every draw (default 42). */ readonly seed?: number | string;
  /** First calendar date (ISO, default "2024-01-01"). */ readonly start?: string;
  /** Number of business days (default 252, one year). */ readonly days?: number;
  /** CDX IG 5Y calm-regime spread level, decimal (default 0.007 = 70 bp). */ readonly baseSpread?: number;
  /** Calm-regime volatility of daily CDX spread changes, decimal (default 0.0003 = 3 bp). */
  readonly spreadVol?: number;
  /** VIX calm-regime level (default 16) and daily volatility in points (default 2). */
  readonly vixLevel?: number;
  readonly vixVol?: number;
  /** ETF start price, USD (default 75), and calm-regime daily price volatility, USD (default 0.6). */
  readonly etfPrice?: number;
  readonly etfVol?: number;
  /** Daily probability of entering a stress regime (default 1/250) and of leaving it (default 1/40). */
  readonly pStress?: number;
  readonly pCalm?: number;
}

/** The three simulated series, aligned on the same business days, plus the hidden regime. */
export interface OverlayMarket {
  /** date, spread (decimal), index, tenor, series. */ readonly cdx: pl.DataFrame;
  /** date, open, high, low, close. */ readonly vix: pl.DataFrame;
  /** date, open, high, low, close, volume, ticker. */ readonly etf: pl.DataFrame;
  /** 1 on stress days, 0 on calm days: the ground truth the signals never see. */ readonly stress: Uint8Array;
}

/** Fixed structural parameters of the joint model (documented in the module header). */
export const OVERLAY_MODEL = {
  vixSpeed: 0.1,
  vixStressLevel: 2, // μ_V(stress) = 2 × calm level
  jumpProbability: 0.01,
  jumpMean: 5, // VIX points
  spreadSpeed: 0.02,
  spreadStressLevel: 130 / 70, // θ(stress) = θ(calm) × 130/70
  vixBeta: 0.8, // bp of CDX per VIX point, same day
  vixLead: 0.5, // bp of CDX per VIX point of the previous day
  etfDuration: 4, // years
  etfSpreadMultiple: 4, // HY spread moves ≈ 4 × IG index moves
  etfRate: 0.03, // r_f of the ETF's yield r_f + H
  basisSpeed: 0.1,
  basisThroughIndex: 0.5, // φ: share of the basis reversion that moves the index
  stressVolMultiple: 2,
} as const;

const action = "generate overlay market";

/** Most business days simulated (about 400 years): beyond it the calendar leaves the range of a Date. */
const MAX_DAYS = 100_000;

/** The options of {@linkcode OverlayMarketOptions}, for the check of unknown keys. */
const OVERLAY_OPTIONS = [
  "seed",
  "start",
  "days",
  "baseSpread",
  "spreadVol",
  "vixLevel",
  "vixVol",
  "etfPrice",
  "etfVol",
  "pStress",
  "pCalm",
] as const;

/**
 * Simulates the CDX, VIX and ETF series jointly (see the module header). The same options give the same numbers.
 *
 * @throws {TypeError} If `opts` is not an object or holds an unknown option.
 * @throws {RangeError} If an option is out of range: `days` an integer in [2, 100,000], `start` an ISO
 *   calendar date, volatilities and levels > 0, probabilities in [0, 1].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateOverlayMarket } from "./cdx_market.ts";
 *
 * const m = generateOverlayMarket({ seed: 42, days: 60 });
 * assert.equal(m.cdx.height, 60);
 * assert.deepEqual(m.vix.columns, ["date", "open", "high", "low", "close"]);
 * ```
 */
export function generateOverlayMarket(opts: OverlayMarketOptions = {}): OverlayMarket {
  opts = requireOptions<OverlayMarketOptions>(action, "opts", opts, OVERLAY_OPTIONS);
  const seed = requireSeed(action, "seed", opts.seed ?? 42);
  const days = requireInteger(action, "days", opts.days ?? 252, { min: 2, max: MAX_DAYS });
  const s0 = requirePositive(action, "baseSpread", opts.baseSpread ?? 0.007) * 1e4; // bp internally
  const sVol = requirePositive(action, "spreadVol", opts.spreadVol ?? 0.0003) * 1e4;
  const v0 = requirePositive(action, "vixLevel", opts.vixLevel ?? 16);
  const vVol = requirePositive(action, "vixVol", opts.vixVol ?? 2);
  const p0 = requirePositive(action, "etfPrice", opts.etfPrice ?? 75);
  const pVol = requirePositive(action, "etfVol", opts.etfVol ?? 0.6);
  const pStress = requireProbability(action, "pStress", opts.pStress ?? 1 / 250);
  const pCalm = requireProbability(action, "pCalm", opts.pCalm ?? 1 / 40);
  const M = OVERLAY_MODEL;
  // Idiosyncratic volatilities that give the stated calm-regime volatilities of daily changes.
  const fromVix = (M.vixBeta ** 2 + M.vixLead ** 2) * vVol ** 2;
  if (sVol ** 2 <= fromVix) {
    throw rangeError(action, "spreadVol", `> ${Math.sqrt(fromVix).toFixed(2)} bp (the part the VIX explains)`, sVol);
  }
  const sIdio = Math.sqrt(sVol ** 2 - fromVix);
  const m = M.etfSpreadMultiple;
  const retVol = pVol / p0, implied = (m * sVol * M.etfDuration) / 1e4;
  // The rest of the ETF's return variance, split evenly between the basis and price noise.
  if (retVol <= implied) {
    throw rangeError(action, "etfVol", `> ${(implied * p0).toFixed(3)} USD (the part the CDX explains)`, pVol);
  }
  const half = Math.sqrt((retVol ** 2 - implied ** 2) / 2);
  const bVol = (half * 1e4) / (M.etfDuration * m); // basis volatility in index bp
  // The ETF's premium to its NAV, i.i.d.: a premium change πₜ − πₜ₋₁ has the variance half², and it does not build up.
  const premiumVol = half / Math.SQRT2;

  const start = requireIsoDate(action, "start", opts.start ?? "2024-01-01");
  const end = new Date(start.getTime() + Math.ceil(days * 1.5 + 30) * 86_400_000);
  const dates = businessDays(start, end, "weekdays").slice(0, days);

  const rng: Rng = makeRng(seed, "overlay-market");
  const spread = new Float64Array(days), vix = new Float64Array(days), price = new Float64Array(days);
  const stress = new Uint8Array(days);
  let regime = 0, basis = 0, basisPrev = 0, dvPrev = 0, nav = p0;
  spread[0] = s0, vix[0] = v0, price[0] = p0;
  for (let t = 1; t < days; t++) {
    const u = uniform(rng);
    regime = regime === 0 ? (u < pStress ? 1 : 0) : (u < pCalm ? 0 : 1);
    stress[t] = regime;
    const k = regime ? M.stressVolMultiple : 1;
    const jump = uniform(rng) < M.jumpProbability * k ? -M.jumpMean * Math.log(1 - uniform(rng)) : 0;
    const target = regime ? v0 * M.vixStressLevel : v0;
    const v = Math.max(9, vix[t - 1] + M.vixSpeed * (target - vix[t - 1]) + k * vVol * standardNormal(rng) + jump);
    const dv = v - vix[t - 1];
    const theta = regime ? s0 * M.spreadStressLevel : s0;
    const s = Math.max(
      10,
      spread[t - 1] + M.spreadSpeed * (theta - spread[t - 1]) + M.vixBeta * dv + M.vixLead * dvPrev -
        M.basisThroughIndex * M.basisSpeed * basis + k * sIdio * standardNormal(rng),
    );
    const ds = s - spread[t - 1];
    basis += -M.basisSpeed * basis + k * bVol * standardNormal(rng);
    // H/m = S − x, so the ETF's implied spread moves by m·(ΔS − Δx).
    const dh = m * (ds - (basis - basisPrev));
    const r = (M.etfRate + (m * spread[t - 1]) / 1e4) / 252 - (M.etfDuration * dh) / 1e4;
    const premium = k * premiumVol * standardNormal(rng);
    basisPrev = basis;
    nav *= 1 + r;
    vix[t] = v, spread[t] = s, price[t] = nav * (1 + premium), dvPrev = dv;
  }
  const vixBars = bars(rng, vix, 0.02);
  const etfBars = bars(rng, price, 0.002);
  const volume = Array.from(
    { length: days },
    (_, t) => Math.round(2e7 * (1 + stress[t]) * Math.exp(0.3 * standardNormal(rng))),
  );
  const series = dates.map((d) => cdxSeries(d));
  return {
    cdx: pl.DataFrame({
      date: dates,
      spread: Float64Array.from(spread, (x) => x / 1e4),
      index: dates.map(() => "CDX.NA.IG"),
      tenor: dates.map(() => "5Y"),
      series,
    }).withColumns(pl.col("date").cast(pl.Date), pl.col("series").cast(pl.Int32)),
    vix: pl.DataFrame({ date: dates, ...vixBars }).withColumn(pl.col("date").cast(pl.Date)),
    etf: pl.DataFrame({ date: dates, ...etfBars, volume, ticker: dates.map(() => "HYG") })
      .withColumns(pl.col("date").cast(pl.Date), pl.col("volume").cast(pl.Int64)),
    stress,
  };
}

/** Open/high/low/close around a close path: an overnight gap, then a high and low beyond both ends of the day. */
function bars(rng: Rng, close: Float64Array, range: number) {
  const n = close.length;
  const open = new Float64Array(n), high = new Float64Array(n), low = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const prev = t > 0 ? close[t - 1] : close[0];
    open[t] = prev * Math.exp(0.25 * range * standardNormal(rng));
    const top = Math.max(open[t], close[t]), bottom = Math.min(open[t], close[t]);
    high[t] = top * (1 + range * Math.abs(standardNormal(rng)) * 0.5);
    low[t] = bottom * (1 - range * Math.abs(standardNormal(rng)) * 0.5);
  }
  const round = (x: Float64Array) => Float64Array.from(x, (v) => Math.round(v * 100) / 100);
  // Rounding to cents keeps the ordering: rounding is monotone.
  return { open: round(open), high: round(high), low: round(low), close: round(close) };
}

/** CDX on-the-run series number: a new series every 20 March and 20 September (series 41 from 20 Sep 2023). */
function cdxSeries(d: Date): number {
  const y = d.getUTCFullYear(), m = d.getUTCMonth(), day = d.getUTCDate();
  const rolls = (y - 2023) * 2 + (m > 2 || (m === 2 && day >= 20) ? 1 : 0) + (m > 8 || (m === 8 && day >= 20) ? 1 : 0);
  return 41 + rolls - 2;
}

/** The CDX IG 5Y sample: date, spread (decimal), index, tenor, series (see {@linkcode generateOverlayMarket}). */
export function generateCdxSample(opts: OverlayMarketOptions = {}): pl.DataFrame {
  return generateOverlayMarket(opts).cdx;
}

/** The VIX sample: date, open, high, low, close, jointly simulated with the CDX of the same options. */
export function generateVixSample(opts: OverlayMarketOptions = {}): pl.DataFrame {
  return generateOverlayMarket(opts).vix;
}

/** The HY ETF sample: date, open, high, low, close, volume, ticker, jointly simulated with the CDX. */
export function generateEtfSample(opts: OverlayMarketOptions = {}): pl.DataFrame {
  return generateOverlayMarket(opts).etf;
}

/**
 * The stress regime as shaded periods for charts: one `{ start, end, label }` per run of stress days.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stressPeriods } from "./cdx_market.ts";
 *
 * const dates = [1, 2, 3, 4].map((d) => new Date(Date.UTC(2024, 0, d)));
 * assert.deepEqual(stressPeriods(dates, Uint8Array.from([0, 1, 1, 0])).map((p) => [p.start, p.end]), [["2024-01-02", "2024-01-03"]]);
 * ```
 */
export function stressPeriods(
  dates: readonly Date[],
  stress: ArrayLike<number>,
  label = "stress",
): { start: string; end: string; label: string }[] {
  const action = "find stress periods";
  requireDates(action, "dates", dates);
  requireFiniteArray(action, "stress", stress);
  if (typeof label !== "string") throw typeError(action, "label", "a string", label);
  if (dates.length !== stress.length) {
    throw rangeError("find stress periods", "stress", `${dates.length} values, one per date`, stress.length);
  }
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const out: { start: string; end: string; label: string }[] = [];
  for (let t = 0; t < dates.length; t++) {
    if (stress[t] && !stress[t - 1]) out.push({ start: iso(dates[t]), end: iso(dates[t]), label });
    if (stress[t]) out[out.length - 1].end = iso(dates[t]);
  }
  return out;
}
