/**
 * A synthetic universe of firms consistent with Merton's model, so that a credit strategy can be tested where the
 * truth is known: asset values driven by a market factor, a sector factor and idiosyncratic shocks; balance sheets
 * reported quarterly with a lag; equity and CDS spreads implied by the model; defaults when assets cross the default
 * point.
 *
 * **Market factor** m(t), the daily log return of an equity market (an S&P 500 stand-in), with volatility σ_M(t):
 *
 *     simulated   ln σ_M(t) = ln σ̄ + Σₑ aₑ·shapeₑ(t) + x(t),   x(t) = φ·x(t−1) + η·√(1 − φ²)·ξ(t)
 *                 m(t) = (r(t−1) + π_M − ½σ_M(t−1)²)·Δ + σ_M(t−1)·√Δ·z(t) − Σₑ cₑ·crashₑ(t) + Σₑ gₑ·recoveryₑ(t)
 *     given       the caller's log returns m(t) (e.g. the real S&P 500's), with σ_M(t)² = vₜ/Δ and the causal
 *                 RiskMetrics average vₜ = λ·vₜ₋₁ + (1 − λ)·m(t)², v₀ = σ̄²Δ
 *
 * shapeₑ are the stress episodes of `market/history.ts` (the global financial crisis, the euro crisis, the 2015–16
 * oil crash, Covid, 2022), each with a volatility loading aₑ, a crash cₑ (log points spread evenly over its build-up)
 * and a partial recovery gₑ (spread over its fade); see {@linkcode FIRM_MARKET_MODEL}. Δ = 1/252 per trading day.
 * The market's surprise is u(t) = m(t) − (r(t−1) + π_M − ½σ_M(t−1)²)·Δ.
 *
 * **Assets** of firm i in sector k, physical measure (drift μᵢ = r + βᵢ·π_M: the CAPM risk premium of its assets):
 *
 *     ln Vᵢ(t) = ln Vᵢ(t−1) + (r(t−1) + βᵢπ_M − ½σᵢ(t−1)²)·Δ + βᵢ·u(t) + s_k·√Δ·ζ_k(t) + eᵢ·√Δ·εᵢ(t) − c_k·crash_k(t)
 *     σᵢ(t)² = βᵢ²·σ_M(t)² + s_k² + eᵢ²                       the instantaneous asset variance, per year
 *
 * with independent standard normals ζ_k (one per sector) and εᵢ (one per firm), and sector crashes c_k (energy in the
 * 2014–16 oil crash and in Covid, financials in the crisis: {@linkcode FIRM_SECTORS}).
 *
 * **Balance sheet.** Total debt Fᵢ splits into short-term debt θᵢFᵢ and long-term debt (1 − θᵢ)Fᵢ; the KMV default
 * point is Dᵢ = STD + ½·LTD. At each calendar quarter's last trading day the firm re-levers towards its target
 * leverage Lᵢ: Dᵢ ← Dᵢ + κ·(Lᵢ·Vᵢ − Dᵢ) (κ = `leverageSpeed`, default 0.2 a quarter), then reports its quarter:
 * assets Vᵢ, STD, LTD, EBIT = ¼·Vᵢ·(ROAᵢ + ½·ln(Vᵢ/Vᵢ one quarter earlier) + 0.01·ν) and interest expense
 * ¼·Fᵢ·(r + τ + sᵢ), the coupon of debt issued at par: the bill rate, a term premium τ (`termPremium`, default 2 %)
 * and the firm's spread. The report becomes **available** `reportingLagDays` calendar days later (default 45), on the first
 * trading day on or after that date; {@linkcode FirmUniverse.reportedDefaultPoint} is what a strategy may see. The
 * reports start with the latest quarter available on the first date; those dated before it carry the initial balance
 * sheet.
 *
 * **Prices** (risk-neutral measure: drift r, not μᵢ; this gap is the risk premium in spreads):
 *
 *     equity     Eᵢ = V·N(d₁) − D·e^{−rT}·N(d₂),   d₁,₂ = [ln(V/D) + (r ± ½σ²)T] / (σ√T),   T = `equityHorizon` (1)
 *     CDS mid    sᵢ = s_M + ℓ,   s_M = −ln(1 − P/K)/τ = −ln(N(d₂^τ) + V/K·N(−d₁^τ))/τ,   K = D·e^{−rτ}, τ = cds.tenor
 *     bid-ask    max(b_min, b_rel·sᵢ) (full width, spread units), quoted around the mid
 *
 * P is the Merton put at horizon τ (the debt's credit loss), ℓ a liquidity spread (default 5 bp). The spread is the
 * Merton spread of zero-coupon debt due at the CDS tenor; RPV01s use the CDS terms' flat discount rate.
 *
 * **Default** when Vᵢ(t) ≤ Dᵢ at a close, Dᵢ the default point in force before it (a solvent firm then re-levers,
 * and its new point stays below Vᵢ since both Dᵢ and Lᵢ·Vᵢ are): the equity is worth 0 on that date
 * (absolute priority; the call's time value is lost), the CDS settles at 1 − R (no spread is quoted: NaN), and the
 * firm leaves the universe with no replacement: its panels are NaN after the default date, `alive` is 0 from it.
 *
 * **Truth** (for tests and charts): the physical DD = [ln(V/D) + (μ − ½σ²)T]/(σ√T), PD = N(−DD), the risk-neutral
 * PD N(−d₂), the notch of the PD on the 21-notch scale (`credit/ratings.ts` pdToNotch; 20 = D from the default
 * date) and the Merton hedge ratio ({@linkcode mertonHedgeRatio}).
 *
 * **Market series**: VIX = 100·(1 + vixPremium)·σ_M(t) (implied above realised volatility by a premium), the credit
 * index spread (the mean CDS mid of the live firms), its total return per unit of protection sold (the mean
 * single-name CDS return of the firms live the day before, defaults settled), and a market-cap-weighted equity
 * index (100 on the first date; a default is a return of −1).
 *
 * References:
 * 1. Merton, R. C. (1974). On the pricing of corporate debt. J. Finance 29(2), 449–470.
 * 2. Crosbie, P. & Bohn, J. (2003). Modeling Default Risk. Moody's KMV (the default point STD + ½ LTD).
 * 3. J.P. Morgan/Reuters (1996). RiskMetrics — Technical Document, 4th ed., §5.2 (λ = 0.94).
 * 4. Vasicek, O. (1987). Probability of loss on loan portfolio. KMV (one-factor asset correlation).
 * @module
 */
import { businessDays, isoDate, parseIsoDate, requireIsoDate } from "../core/calendar.ts";
import {
  MAX_ELEMENTS,
  rangeError,
  Received,
  requireFinite,
  requireFiniteArray,
  requireInteger,
  requireKnownKeys,
  requirementError,
  requireNonNegative,
  requirePositive,
  requireSeed,
  typeError,
} from "../core/check.ts";
import { expm } from "../core/linalg.ts";
import { makeRng, type Seed, standardNormal } from "../core/rng.ts";
import { normCdf } from "../core/special.ts";
import { SP_RATINGS } from "../data/schema.ts";
import { type CdsTerms, cdsTerms, riskyAnnuity } from "../market/cds.ts";
import {
  CREDIT_EPISODES,
  ENERGY_EPISODES,
  type Episode,
  episodeIncrements,
  episodeShape,
  FED_TARGET_PATH,
  stepPath,
} from "../market/history.ts";
import { mertonD } from "../credit/merton.ts";
import { DEFAULT_NOTCH, N_NOTCHES, notchPdScale, pdToNotch } from "../credit/ratings.ts";
import { STAND_IN_PARAMS } from "./standin_params.ts";

/** Trading days a year: the step Δ = 1/252. */
const DAYS_PER_YEAR = 252;

/** A sector of the universe: its factor volatility and the ranges firm parameters are drawn from (uniformly). */
export interface FirmSector {
  /** Name, e.g. "Energy". */ readonly name: string;
  /** Volatility s_k of the sector factor in asset returns, per √year. */ readonly sectorVol: number;
  /** Range of asset betas βᵢ on the market factor. */ readonly beta: readonly [number, number];
  /** Range of idiosyncratic asset volatilities eᵢ, per √year. */ readonly idioVol: readonly [number, number];
  /** Range of target leverages Lᵢ = default point / asset value (also the initial leverage). */
  readonly leverage: readonly [number, number];
  /** Sector crashes: log points c_k taken out of the sector's assets over each episode's build-up. */
  readonly episodes?: readonly { readonly episode: Episode; readonly crash: number }[];
}

const episode = (list: readonly Episode[], short: string): Episode => list.find((e) => e.short === short)!;

/** The default sectors: six, with energy hit by the oil crashes and financials by the 2008 crisis. */
export const FIRM_SECTORS: readonly FirmSector[] = [
  {
    name: "Energy",
    sectorVol: 0.12,
    beta: [0.4, 0.8],
    idioVol: [0.12, 0.22],
    leverage: [0.35, 0.65],
    episodes: [{ episode: episode(ENERGY_EPISODES, "2014–16"), crash: 0.25 }, {
      episode: episode(ENERGY_EPISODES, "Covid"),
      crash: 0.1,
    }],
  },
  {
    name: "Financials",
    sectorVol: 0.06,
    beta: [0.3, 0.55],
    idioVol: [0.04, 0.09],
    leverage: [0.6, 0.78],
    episodes: [{ episode: episode(CREDIT_EPISODES, "GFC"), crash: 0.05 }],
  },
  { name: "Industrials", sectorVol: 0.07, beta: [0.5, 0.8], idioVol: [0.1, 0.2], leverage: [0.25, 0.62] },
  { name: "Consumer", sectorVol: 0.06, beta: [0.4, 0.7], idioVol: [0.1, 0.18], leverage: [0.25, 0.62] },
  { name: "Technology", sectorVol: 0.09, beta: [0.6, 1.0], idioVol: [0.14, 0.26], leverage: [0.15, 0.5] },
  { name: "Utilities", sectorVol: 0.05, beta: [0.2, 0.4], idioVol: [0.06, 0.12], leverage: [0.45, 0.7] },
];

/** The market-factor model of the simulated path (see the module notes). */
export const FIRM_MARKET_MODEL = {
  /** σ̄: calm-market volatility, per √year. */ baseVol: 0.13,
  /** φ: daily persistence of the log-volatility noise x. */ volPersistence: 0.985,
  /** η: stationary standard deviation of x. */ volNoise: 0.2,
  /** λ of the RiskMetrics average when the caller gives the market path. */ ewmaLambda: 0.94,
  /** Stress episodes: volatility loading a, crash c and recovery g (log points) of each. */
  episodes: [
    { episode: episode(CREDIT_EPISODES, "GFC"), volLoading: 1.4, crash: 0.45, recovery: 0.3 },
    { episode: episode(CREDIT_EPISODES, "Euro"), volLoading: 0.75, crash: 0.15, recovery: 0.1 },
    { episode: episode(CREDIT_EPISODES, "Oil"), volLoading: 0.6, crash: 0.12, recovery: 0.12 },
    { episode: episode(CREDIT_EPISODES, "Covid"), volLoading: 1.4, crash: 0.3, recovery: 0.25 },
    { episode: episode(CREDIT_EPISODES, "2022"), volLoading: 0.5, crash: 0.2, recovery: 0.1 },
  ],
} as const;

/** A market path given by the caller. */
export interface GivenMarketPath {
  /** Trading dates of the universe, increasing (e.g. the S&P 500's). */ readonly dates: readonly Date[];
  /** Daily log returns of the market, close t − 1 to close t (the first is not used, but must be finite). */
  readonly logReturns: ArrayLike<number>;
}

/** Options of {@linkcode generateFirmUniverse}. */
export interface FirmUniverseOptions {
  /** Seed: every component draws from its own named stream. */ readonly seed: Seed;
  /** Number of firms (default 60), assigned to the sectors in turn. */ readonly firms?: number;
  /** First and last date (ISO, default 2008-01-02 and 2024-12-31); NYSE trading days in between. */
  readonly start?: string;
  readonly end?: string;
  /** The caller's market path (then its dates replace start/end, which must be left out). */
  readonly market?: GivenMarketPath;
  /** Impose the stress episodes on the simulated market and the sectors (default true). */
  readonly episodes?: boolean;
  /** Sectors (default {@linkcode FIRM_SECTORS}). */ readonly sectors?: readonly FirmSector[];
  /**
   * Risk-free rate r, continuously compounded, decimal a year: one number or one per date (default the Federal
   * funds target path of `market/history.ts`).
   */
  readonly rate?: number | ArrayLike<number>;
  /** Market risk premium π_M, decimal a year (default 0.06). */ readonly marketPremium?: number;
  /** Premium of the VIX over the market's volatility (default 0.15: VIX = 115·σ_M). */ readonly vixPremium?: number;
  /** Calendar days from a quarter's end to its report (default 45). */ readonly reportingLagDays?: number;
  /** Share κ of the gap to target leverage closed each quarter (default 0.2). */ readonly leverageSpeed?: number;
  /** Term premium τ of the debt's coupon over the bill rate, decimal a year (default 0.02). */
  readonly termPremium?: number;
  /** Horizon T of the Merton equity and of the DD, years (default 1). */ readonly equityHorizon?: number;
  /** CDS terms: tenor (default 5), recovery (0.4) and RPV01 discount rate (0.03), as in `market/cds.ts`. */
  readonly cds?: CdsTerms;
  /** Liquidity spread ℓ added to the Merton spread (default 0.0005 = 5 bp). */ readonly liquiditySpread?: number;
  /** Bid-ask of the CDS (full width): max(min, relative·mid) (defaults 0.0005 and 0.06). */
  readonly bidAsk?: { readonly min?: number; readonly relative?: number };
  /**
   * One-year PD of each of the 21 notches (e.g. `notchPdScale(loadRatingTransitions(DATA))`); default the scale of
   * the stand-in's calibrated rating generator, exp(Q) of `STAND_IN_PARAMS.transitions.generator`.
   */
  readonly pdScale?: readonly number[];
}

/** Quarterly balance sheets: Q periods × N firms, row-major (index q·N + i); NaN once the firm has defaulted. */
export interface QuarterlyReports {
  /** Calendar quarter ends. */ readonly periodEnd: Date[];
  /** Period end + the reporting lag (calendar days). */ readonly available: Date[];
  /** First date index on or after `available` (the number of dates if it falls after the last). */
  readonly availableIndex: Int32Array;
  /** Date index of the balance sheet (the quarter's last trading day; −1 before the first date). */
  readonly stateIndex: Int32Array;
  /** Asset value, short-term and long-term debt, KMV default point, currency. */
  readonly totalAssets: Float64Array;
  readonly shortTermDebt: Float64Array;
  readonly longTermDebt: Float64Array;
  readonly defaultPoint: Float64Array;
  /** EBIT and interest expense of the quarter, currency. */ readonly ebit: Float64Array;
  readonly interestExpense: Float64Array;
}

/** The known truth of the universe: dates × firms panels, NaN after the default date unless stated. */
export interface FirmTruth {
  /** Physical DD [ln(V/D) + (μ − ½σ²)T]/(σ√T) and PD N(−DD). */ readonly distanceToDefault: Float64Array;
  readonly defaultProbability: Float64Array;
  /** Risk-neutral PD N(−d₂) over T. */ readonly riskNeutralPD: Float64Array;
  /** Notch of the physical PD (0 = AAA … 20 = D, from the default date on). */ readonly notch: Int32Array;
  /** Merton hedge ratio: equity notional per unit of CDS notional ({@linkcode mertonHedgeRatio}). */
  readonly hedgeRatio: Float64Array;
  /** Physical asset drift μᵢ(t) = r(t) + βᵢπ_M. */ readonly drift: Float64Array;
}

/** Market-level series, one value per date. */
export interface FirmMarket {
  /** Log return m(t) of the market factor (0 on the first date). */ readonly factor: Float64Array;
  /** σ_M(t), per √year. */ readonly vol: Float64Array;
  /** VIX-like index, volatility points. */ readonly vix: Float64Array;
  /** Risk-free rate, decimal a year. */ readonly rate: Float64Array;
  /** Market-cap-weighted equity index of the firms (100 on the first date). */ readonly equityIndex: Float64Array;
  /** Mean CDS mid of the live firms, decimal (NaN on a date with none). */ readonly creditIndex: Float64Array;
  /** Return per unit of protection sold on the equal-weighted live firms, defaults settled. */
  readonly creditIndexReturn: Float64Array;
}

/** Result of {@linkcode generateFirmUniverse}. Panels are dates × firms, row-major (index t·N + i). */
export interface FirmUniverse {
  readonly dates: Date[];
  /** Number of firms N. */ readonly firms: number;
  readonly names: string[];
  /** Sector of each firm (index into `sectorNames`). */ readonly sector: Int32Array;
  readonly sectorNames: string[];
  /** Drawn parameters of each firm. */
  readonly params: {
    readonly beta: Float64Array;
    readonly sectorVol: Float64Array;
    readonly idioVol: Float64Array;
    readonly targetLeverage: Float64Array;
    /** θᵢ: short-term share of total debt. */ readonly shortTermShare: Float64Array;
    readonly returnOnAssets: Float64Array;
    /** Shares outstanding: price = equity / shares. */ readonly shares: Float64Array;
  };
  /** Asset value V (currency, billions), σ_V(t) used in pricing, and the default point in force. */
  readonly assetValue: Float64Array;
  readonly assetVol: Float64Array;
  readonly defaultPoint: Float64Array;
  /** Equity value (market cap, 0 on the default date) and price per share. */ readonly equity: Float64Array;
  readonly price: Float64Array;
  /** CDS mid spread and full bid-ask, decimal (NaN from the default date). */ readonly cdsMid: Float64Array;
  readonly cdsBidAsk: Float64Array;
  /** 1 while the firm has not defaulted (0 from its default date). */ readonly alive: Uint8Array;
  /** Date index of each firm's default, −1 if none. */ readonly defaultIndex: Int32Array;
  /** The default point of the latest report available at each date (NaN before the first). */
  readonly reportedDefaultPoint: Float64Array;
  readonly reports: QuarterlyReports;
  readonly truth: FirmTruth;
  readonly market: FirmMarket;
  /** The settings used, defaults filled in. */
  readonly settings: {
    readonly equityHorizon: number;
    readonly cds: Required<CdsTerms>;
    readonly liquiditySpread: number;
    readonly reportingLagDays: number;
    readonly marketPremium: number;
    readonly pdScale: readonly number[];
  };
}

/** The default notch PD scale: the D column of exp(Q), Q the stand-in's calibrated rating generator. */
function defaultPdScale(): number[] {
  const P = expm(STAND_IN_PARAMS.transitions.generator.map((row) => [...row]));
  const labels = [...SP_RATINGS, "D"];
  return notchPdScale({ from: labels, to: labels, probabilities: P });
}

/**
 * Merton hedge ratio of a CDS by equity: the equity notional (currency) per unit of CDS notional whose P&L offsets the
 * CDS's to first order in the asset value, so that long protection on N plus long equity of h·N is flat for a small
 * move of V (and, in the same proportion, sold protection plus short equity):
 *
 *     h = RPV01(s)·(−∂s/∂V)·E / (∂E/∂V) = −RPV01(s) / (∂ ln E/∂s)
 *     ∂E/∂V = N(d₁)                                             equity delta at the equity horizon T
 *     −∂s/∂V = N(−d₁^τ)·e^{(s_M + r)τ} / (τ·D)                   Merton spread at the CDS tenor τ (∂(P/K)/∂V = −N(−d₁^τ)/K)
 *
 * RPV01 is the flat-hazard risky annuity of `market/cds.ts` at the quoted spread s = s_M + ℓ (the CDS P&L of a spread
 * move is −RPV01·Δs per unit of protection sold). Units: currency of equity per currency of CDS notional.
 *
 * @param p Asset value V and volatility σ_V (per √year), default point D, rate r, equity horizon T (default 1),
 *   CDS terms (tenor 5, recovery 0.4, RPV01 rate 0.03) and liquidity spread ℓ (default 0).
 * @throws {RangeError} If V, σ_V, D or T is not finite and positive, or the terms are out of range.
 *
 * @example The hedge offsets a 0.1 % move of the assets to first order
 * ```ts
 * import assert from "node:assert/strict";
 * import { mertonEquity, mertonSpread } from "../credit/merton.ts";
 * import { riskyAnnuity } from "../market/cds.ts";
 * import { mertonHedgeRatio } from "./firms.ts";
 *
 * const [v, sigma, debt, rate] = [100, 0.25, 70, 0.02];
 * const h = mertonHedgeRatio({ assetValue: v, assetVol: sigma, defaultPoint: debt, rate });
 * const spread = (x: number) => mertonSpread({ assetValue: x, assetVol: sigma, debt, rate, horizon: 5 });
 * const equity = (x: number) => mertonEquity(x, sigma, debt, rate, 1);
 * const dv = 0.1;
 * const protection = riskyAnnuity(spread(v)) * (spread(v + dv) - spread(v)); // long protection, per unit
 * const shares = h * (equity(v + dv) / equity(v) - 1); // long equity of h per unit
 * assert.ok(Math.abs(protection + shares) < 0.01 * Math.abs(protection));
 * ```
 */
export function mertonHedgeRatio(p: {
  assetValue: number;
  assetVol: number;
  defaultPoint: number;
  rate: number;
  horizon?: number;
  cds?: CdsTerms;
  liquiditySpread?: number;
}): number {
  const action = "compute Merton hedge ratio";
  requireKnownKeys(action, "p", p, [
    "assetValue",
    "assetVol",
    "defaultPoint",
    "rate",
    "horizon",
    "cds",
    "liquiditySpread",
  ]);
  const v = requirePositive(action, "assetValue", p.assetValue);
  const sigma = requirePositive(action, "assetVol", p.assetVol);
  const d = requirePositive(action, "defaultPoint", p.defaultPoint);
  const r = requireFinite(action, "rate", p.rate);
  const T = requirePositive(action, "horizon", p.horizon ?? 1);
  requireKnownKeys(action, "cds", p.cds, ["tenor", "recovery", "rate"]);
  const terms = cdsTerms(action, p.cds);
  const liquidity = requireNonNegative(action, "liquiditySpread", p.liquiditySpread ?? 0);
  // Extreme inputs (a firm far below its default point, a huge volatility or rate) make the spread infinite or the
  // equity delta N(d₁) underflow to 0: refused with the caller's names rather than a NaN or an inner message.
  const undefinedHedge = (received: string) =>
    requirementError(
      action,
      "p",
      "describe a firm whose Merton spread and hedge ratio are finite (assetValue, assetVol, defaultPoint, rate, " +
        "horizon within a range where the equity delta N(d₁) and the risky annuity do not underflow)",
      new Received(received),
    );
  let h: number;
  try {
    h = priceFirm(v, sigma, d, r, r, T, terms, liquidity).hedgeRatio;
  } catch (error) {
    if (error instanceof RangeError && error.message.startsWith("Cannot compute risky annuity")) {
      throw undefinedHedge(error.message.replace(/^.*, received /, "spread "));
    }
    throw error;
  }
  if (!Number.isFinite(h)) throw undefinedHedge(`hedge ratio ${h}`);
  return h;
}

/** Merton prices of one firm-day (inputs validated by the caller). */
function priceFirm(
  v: number,
  sigma: number,
  d: number,
  r: number,
  drift: number,
  T: number,
  terms: Required<CdsTerms>,
  liquidity: number,
) {
  const [d1, d2] = mertonD(v, sigma, d, r, T);
  const nd1 = normCdf(d1);
  const equity = v * nd1 - d * Math.exp(-r * T) * normCdf(d2);
  const tau = terms.tenor;
  const [c1, c2] = mertonD(v, sigma, d, r, tau);
  const k = d * Math.exp(-r * tau);
  const nc1 = normCdf(-c1);
  const putShare = normCdf(-c2) - (v / k) * nc1; // P/K, the debt's expected risk-neutral loss share
  const mertonSpread = -Math.log1p(-putShare) / tau;
  const mid = mertonSpread + liquidity;
  const rpv01 = riskyAnnuity(mid, tau, terms.recovery, terms.rate);
  const dsdv = (nc1 * Math.exp((mertonSpread + r) * tau)) / (tau * d);
  const hedgeRatio = (rpv01 * dsdv * equity) / nd1;
  const sqrtT = Math.sqrt(T);
  const dd = (Math.log(v / d) + (drift - 0.5 * sigma * sigma) * T) / (sigma * sqrtT);
  return { equity, mid, hedgeRatio, dd, pd: normCdf(-dd), riskNeutralPD: normCdf(-d2) };
}

/** Validated options with defaults. */
function resolveOptions(action: string, opts: FirmUniverseOptions) {
  if (opts === null || typeof opts !== "object") throw typeError(action, "opts", "an options object", opts);
  requireKnownKeys(action, "opts", opts, [
    "seed",
    "firms",
    "start",
    "end",
    "market",
    "episodes",
    "sectors",
    "rate",
    "marketPremium",
    "vixPremium",
    "reportingLagDays",
    "leverageSpeed",
    "termPremium",
    "equityHorizon",
    "cds",
    "liquiditySpread",
    "bidAsk",
    "pdScale",
  ]);
  const seed = requireSeed(action, "seed", opts.seed);
  const firms = requireInteger(action, "firms", opts.firms ?? 60, { min: 1, max: 10_000 });
  let dates: Date[];
  let given: Float64Array | null = null;
  if (opts.market !== undefined) {
    if (opts.start !== undefined || opts.end !== undefined) {
      throw rangeError(action, "start and end", "left out when market gives the dates", "both");
    }
    requireKnownKeys(action, "market", opts.market, ["dates", "logReturns"]);
    const d = opts.market.dates;
    if (!Array.isArray(d) || d.length < 2) throw rangeError(action, "market.dates", "at least 2 dates", d);
    d.forEach((x, t) => {
      if (!(x instanceof Date) || Number.isNaN(x.getTime())) {
        throw rangeError(action, `market.dates[${t}]`, "a valid Date", x);
      }
      if (t > 0 && !(x.getTime() > d[t - 1].getTime())) {
        throw rangeError(action, `market.dates[${t}]`, `after ${isoDate(d[t - 1])}`, x);
      }
    });
    requireFiniteArray(action, "market.logReturns", opts.market.logReturns, { length: d.length });
    dates = [...d];
    given = Float64Array.from(opts.market.logReturns);
  } else {
    const start = opts.start ?? "2008-01-02", end = opts.end ?? "2024-12-31";
    dates = businessDays(requireIsoDate(action, "start", start), requireIsoDate(action, "end", end), "nyse");
    if (dates.length < 2) throw rangeError(action, "start and end", "at least 2 trading days apart", dates.length);
  }
  const T = dates.length;
  if (T * firms > MAX_ELEMENTS) {
    throw rangeError(
      action,
      "firms",
      `at most ${Math.floor(MAX_ELEMENTS / T)} over ${T} dates (dates × firms <= ${MAX_ELEMENTS})`,
      new Received(`${firms}`),
    );
  }
  let rate: Float64Array;
  if (opts.rate === undefined) rate = stepPath(dates, FED_TARGET_PATH);
  else if (typeof opts.rate === "number") rate = new Float64Array(T).fill(requireFinite(action, "rate", opts.rate));
  else rate = Float64Array.from(requireFiniteArray(action, "rate", opts.rate, { length: T }));
  const sectors = opts.sectors ?? FIRM_SECTORS;
  if (!Array.isArray(sectors) || sectors.length === 0) throw rangeError(action, "sectors", "a non-empty list", sectors);
  sectors.forEach((s: FirmSector, k: number) => {
    const name = `sectors[${k}]`;
    requireKnownKeys(action, name, s, ["name", "sectorVol", "beta", "idioVol", "leverage", "episodes"]);
    if (typeof s.name !== "string" || s.name.length === 0) throw typeError(action, `${name}.name`, "a string", s.name);
    requireNonNegative(action, `${name}.sectorVol`, s.sectorVol);
    const range = (field: "beta" | "idioVol" | "leverage", lo: number, hi: number) => {
      const x = s[field];
      if (!Array.isArray(x) || x.length !== 2) throw typeError(action, `${name}.${field}`, "a pair [low, high]", x);
      requireFinite(action, `${name}.${field}[0]`, x[0]), requireFinite(action, `${name}.${field}[1]`, x[1]);
      if (!(x[0] >= lo && x[0] <= x[1] && x[1] <= hi)) {
        throw rangeError(
          action,
          `${name}.${field}`,
          `a range with ${lo} <= low <= high <= ${hi}`,
          `[${x[0]}, ${x[1]}]`,
        );
      }
    };
    range("beta", -5, 5), range("idioVol", 0, 5), range("leverage", 1e-6, 0.99);
    (s.episodes ?? []).forEach((e, j) => requireNonNegative(action, `${name}.episodes[${j}].crash`, e.crash));
  });
  const bidAsk = opts.bidAsk ?? {};
  requireKnownKeys(action, "bidAsk", bidAsk, ["min", "relative"]);
  requireKnownKeys(action, "cds", opts.cds, ["tenor", "recovery", "rate"]);
  const liquiditySpread = requireNonNegative(action, "liquiditySpread", opts.liquiditySpread ?? 0.0005);
  const bidAskMin = requireNonNegative(action, "bidAsk.min", bidAsk.min ?? 0.0005);
  const bidAskRelative = requireNonNegative(action, "bidAsk.relative", bidAsk.relative ?? 0.06);
  if (bidAskRelative >= 2) throw rangeError(action, "bidAsk.relative", "< 2 (the bid stays above 0)", bidAskRelative);
  if (bidAskMin > 2 * liquiditySpread && bidAskMin > 0) {
    throw rangeError(
      action,
      "bidAsk.min",
      `at most twice the liquidity spread (${2 * liquiditySpread}), so that the bid stays >= 0`,
      bidAskMin,
    );
  }
  const pdScale = opts.pdScale === undefined ? defaultPdScale() : [...opts.pdScale];
  if (pdScale.length !== N_NOTCHES) throw rangeError(action, "pdScale", `${N_NOTCHES} PDs`, pdScale.length);
  pdToNotch(0.5, pdScale); // validates the scale
  const speed = requireNonNegative(action, "leverageSpeed", opts.leverageSpeed ?? 0.2);
  if (speed > 1) throw rangeError(action, "leverageSpeed", "in [0, 1]", speed);
  return {
    seed,
    firms,
    dates,
    given,
    rate,
    sectors,
    episodes: opts.episodes ?? true,
    premium: requireFinite(action, "marketPremium", opts.marketPremium ?? 0.06),
    vixPremium: requireNonNegative(action, "vixPremium", opts.vixPremium ?? 0.15),
    lag: requireInteger(action, "reportingLagDays", opts.reportingLagDays ?? 45, { min: 0, max: 366 }),
    speed,
    termPremium: requireNonNegative(action, "termPremium", opts.termPremium ?? 0.02),
    horizon: requirePositive(action, "equityHorizon", opts.equityHorizon ?? 1),
    terms: cdsTerms(action, opts.cds),
    liquiditySpread,
    bidAskMin,
    bidAskRelative,
    pdScale,
  };
}

/** The market factor, its volatility and the VIX (see the module notes). */
function marketPath(o: ReturnType<typeof resolveOptions>) {
  const { dates, rate } = o;
  const T = dates.length, dt = 1 / DAYS_PER_YEAR, M = FIRM_MARKET_MODEL;
  const factor = new Float64Array(T), vol = new Float64Array(T), surprise = new Float64Array(T);
  if (o.given) {
    let v = M.baseVol * M.baseVol * dt;
    for (let t = 0; t < T; t++) {
      if (t > 0) {
        factor[t] = o.given[t];
        surprise[t] = factor[t] - (rate[t - 1] + o.premium - 0.5 * vol[t - 1] * vol[t - 1]) * dt;
        v = M.ewmaLambda * v + (1 - M.ewmaLambda) * factor[t] * factor[t];
      }
      vol[t] = Math.sqrt(v / dt);
    }
  } else {
    const logVol = new Float64Array(T).fill(Math.log(M.baseVol));
    const drift = new Float64Array(T);
    if (o.episodes) {
      for (const e of M.episodes) {
        const shape = episodeShape(dates, e.episode);
        const crash = episodeIncrements(dates, e.episode);
        const fade = episodeIncrements(dates, {
          ...e.episode,
          start: e.episode.peak,
          peak: e.episode.end,
          end: isoDate(new Date(parseIsoDate(e.episode.end).getTime() + 86_400_000)),
        });
        for (let t = 0; t < T; t++) {
          logVol[t] += e.volLoading * shape[t];
          drift[t] += -e.crash * crash[t] + e.recovery * fade[t];
        }
      }
    }
    const noise = makeRng(o.seed, "firms", "market", "vol"), shocks = makeRng(o.seed, "firms", "market");
    const phi = M.volPersistence, eta = M.volNoise * Math.sqrt(1 - phi * phi);
    let x = M.volNoise * standardNormal(noise);
    for (let t = 0; t < T; t++) {
      if (t > 0) x = phi * x + eta * standardNormal(noise);
      vol[t] = Math.exp(logVol[t] + x);
      if (t > 0) {
        surprise[t] = vol[t - 1] * Math.sqrt(dt) * standardNormal(shocks) + drift[t];
        factor[t] = (rate[t - 1] + o.premium - 0.5 * vol[t - 1] * vol[t - 1]) * dt + surprise[t];
      }
    }
  }
  const vix = Float64Array.from(vol, (s) => 100 * (1 + o.vixPremium) * s);
  return { factor, vol, vix, surprise };
}

/** Calendar quarter ends from the last one reported before the first date to the last date. */
function quarterEnds(dates: readonly Date[], lag: number): Date[] {
  const first = dates[0], last = dates[dates.length - 1];
  const lagMs = lag * 86_400_000;
  const quarterEnd = (y: number, q: number) => new Date(Date.UTC(y, 3 * q + 3, 0)); // day 0 of the next month
  let y = first.getUTCFullYear(), q = Math.floor(first.getUTCMonth() / 3);
  // Step back to the latest quarter end whose report is available on the first date.
  while (quarterEnd(y, q).getTime() + lagMs > first.getTime()) q === 0 ? ((q = 3), y--) : q--;
  const out: Date[] = [];
  for (let d = quarterEnd(y, q); d.getTime() <= last.getTime(); d = quarterEnd(y, q)) {
    out.push(d);
    q === 3 ? ((q = 0), y++) : q++;
  }
  return out;
}

/**
 * Generates the universe (see the module notes).
 *
 * @throws {RangeError} If an option is out of range, or a given market path or rate has the wrong length.
 * @throws {TypeError} On an unknown option key.
 *
 * @example Equity is the Merton call on the simulated assets
 * ```ts
 * import assert from "node:assert/strict";
 * import { mertonEquity } from "../credit/merton.ts";
 * import { generateFirmUniverse } from "./firms.ts";
 *
 * const u = generateFirmUniverse({ seed: 1, firms: 4, start: "2019-01-02", end: "2019-06-28" });
 * const k = 10 * u.firms + 2; // firm 2 on the 11th date
 * const e = mertonEquity(u.assetValue[k], u.assetVol[k], u.defaultPoint[k], u.market.rate[10], 1);
 * assert.ok(Math.abs(u.equity[k] - e) < 1e-9 * e);
 * ```
 */
export function generateFirmUniverse(opts: FirmUniverseOptions): FirmUniverse {
  const action = "generate firm universe";
  const o = resolveOptions(action, opts);
  const { dates, rate, firms: N, sectors, terms, horizon } = o;
  const T = dates.length, K = sectors.length, dt = 1 / DAYS_PER_YEAR, sqrtDt = Math.sqrt(dt);
  const market = marketPath(o);

  // Firm parameters, drawn from one stream in firm order.
  const draw = makeRng(o.seed, "firms", "parameters");
  const u = (lo: number, hi: number) => lo + (hi - lo) * draw();
  const sector = Int32Array.from({ length: N }, (_, i) => i % K);
  const beta = new Float64Array(N), sectorVol = new Float64Array(N), idioVol = new Float64Array(N);
  const targetLeverage = new Float64Array(N), shortTermShare = new Float64Array(N), roa = new Float64Array(N);
  const shares = new Float64Array(N), v0 = new Float64Array(N);
  const names: string[] = [];
  for (let i = 0; i < N; i++) {
    const s = sectors[sector[i]];
    beta[i] = u(s.beta[0], s.beta[1]), idioVol[i] = u(s.idioVol[0], s.idioVol[1]);
    targetLeverage[i] = u(s.leverage[0], s.leverage[1]), shortTermShare[i] = u(0.2, 0.5), roa[i] = u(0.05, 0.12);
    v0[i] = Math.exp(Math.log(20) + 0.7 * standardNormal(draw));
    shares[i] = u(20, 80); // set to a price below, once the initial equity is known
    sectorVol[i] = s.sectorVol;
    names.push(`${s.name.slice(0, 3).toUpperCase()}${String(i + 1).padStart(2, "0")}`);
  }

  // Sector factors and sector crashes.
  const sectorShock = sectors.map((s) => {
    const rng = makeRng(o.seed, "firms", "sector", s.name);
    const z = new Float64Array(T);
    for (let t = 1; t < T; t++) z[t] = s.sectorVol * sqrtDt * standardNormal(rng);
    if (o.episodes) {
      for (const e of s.episodes ?? []) {
        const inc = episodeIncrements(dates, e.episode);
        for (let t = 0; t < T; t++) z[t] -= e.crash * inc[t];
      }
    }
    return z;
  });

  // Quarters: the date index of each period's balance sheet and of its availability.
  const periodEnd = quarterEnds(dates, o.lag);
  const Q = periodEnd.length;
  const stateIndex = new Int32Array(Q), availableIndex = new Int32Array(Q);
  const available = periodEnd.map((d) => new Date(d.getTime() + o.lag * 86_400_000));
  const quarterAt = new Int32Array(T).fill(-1);
  {
    let t = -1, a = 0;
    for (let q = 0; q < Q; q++) {
      while (t + 1 < T && dates[t + 1].getTime() <= periodEnd[q].getTime() + 86_399_999) t++;
      stateIndex[q] = t;
      if (t >= 0) quarterAt[t] = q;
      while (a < T && dates[a].getTime() < available[q].getTime()) a++;
      availableIndex[q] = a;
    }
  }

  const NT = T * N;
  const nanPanel = () => new Float64Array(NT).fill(NaN);
  const assetValue = nanPanel(), assetVol = nanPanel(), defaultPoint = nanPanel(), equity = nanPanel();
  const price = nanPanel(), cdsMid = nanPanel(), cdsBidAsk = nanPanel(), reportedDefaultPoint = nanPanel();
  const distanceToDefault = nanPanel(), defaultProbability = nanPanel(), riskNeutralPD = nanPanel();
  const hedgeRatio = nanPanel(), drift = nanPanel();
  const notch = new Int32Array(NT).fill(DEFAULT_NOTCH);
  const alive = new Uint8Array(NT);
  const defaultIndex = new Int32Array(N).fill(-1);
  const QN = Q * N;
  const rep = {
    totalAssets: new Float64Array(QN).fill(NaN),
    shortTermDebt: new Float64Array(QN).fill(NaN),
    longTermDebt: new Float64Array(QN).fill(NaN),
    defaultPoint: new Float64Array(QN).fill(NaN),
    ebit: new Float64Array(QN).fill(NaN),
    interestExpense: new Float64Array(QN).fill(NaN),
  };
  const vol2 = Float64Array.from(market.vol, (s) => s * s);

  for (let i = 0; i < N; i++) {
    const k = sector[i], b = beta[i], s2 = sectorVol[i] ** 2 + idioVol[i] ** 2, e = idioVol[i];
    const idio = makeRng(o.seed, "firms", "firm", String(i)), ebitNoise = makeRng(o.seed, "firms", "ebit", String(i));
    const debtFactor = 1 / (shortTermShare[i] + 0.5 * (1 - shortTermShare[i])); // F = D / (θ + ½(1 − θ))
    let lnV = Math.log(v0[i]), dp = targetLeverage[i] * v0[i], lastQuarterV = v0[i], sigma2Prev = 0;
    const report = (q: number, v: number, spread: number, r: number) => {
      const F = dp * debtFactor, j = q * N + i;
      rep.totalAssets[j] = v, rep.shortTermDebt[j] = shortTermShare[i] * F;
      rep.longTermDebt[j] = (1 - shortTermShare[i]) * F, rep.defaultPoint[j] = dp;
      rep.ebit[j] = 0.25 * v * (roa[i] + 0.5 * Math.log(v / lastQuarterV) + 0.01 * standardNormal(ebitNoise));
      rep.interestExpense[j] = 0.25 * F * (r + o.termPremium + spread);
      lastQuarterV = v;
    };
    // Reports dated before the first date: the initial balance sheet.
    const first = priceFirm(v0[i], Math.sqrt(b * b * vol2[0] + s2), dp, rate[0], rate[0], horizon, terms, 0);
    for (let q = 0; q < Q && stateIndex[q] < 0; q++) report(q, v0[i], first.mid + o.liquiditySpread, rate[0]);
    shares[i] = first.equity / shares[i]; // the drawn price becomes the first share price
    let q = 0; // next report to make visible
    let visible = NaN;
    for (let t = 0; t < T; t++) {
      const j = t * N + i;
      if (t > 0) {
        const z = standardNormal(idio);
        lnV += (rate[t - 1] + b * o.premium - 0.5 * sigma2Prev) * dt + b * market.surprise[t] + sectorShock[k][t] +
          e * sqrtDt * z;
      }
      const v = Math.exp(lnV);
      const sigma2 = b * b * vol2[t] + s2, sigma = Math.sqrt(sigma2);
      sigma2Prev = sigma2;
      assetValue[j] = v, assetVol[j] = sigma, drift[j] = rate[t] + b * o.premium;
      if (v <= dp) { // default, against the default point in force before this close
        defaultIndex[i] = t, equity[j] = 0, price[j] = 0, defaultPoint[j] = dp;
        const dd = (Math.log(v / dp) + (drift[j] - 0.5 * sigma2) * horizon) / (sigma * Math.sqrt(horizon));
        distanceToDefault[j] = dd, defaultProbability[j] = normCdf(-dd);
        riskNeutralPD[j] = normCdf(-mertonD(v, sigma, dp, rate[t], horizon)[1]);
        while (q < Q && availableIndex[q] <= t) visible = rep.defaultPoint[q * N + i], q++;
        reportedDefaultPoint[j] = visible;
        break;
      }
      const quarter = quarterAt[t];
      if (quarter >= 0) dp += o.speed * (targetLeverage[i] * v - dp); // stays below v: both dp and L·v are
      defaultPoint[j] = dp;
      const f = priceFirm(v, sigma, dp, rate[t], drift[j], horizon, terms, o.liquiditySpread);
      alive[j] = 1, equity[j] = f.equity, price[j] = f.equity / shares[i];
      cdsMid[j] = f.mid, cdsBidAsk[j] = Math.max(o.bidAskMin, o.bidAskRelative * f.mid);
      distanceToDefault[j] = f.dd, defaultProbability[j] = f.pd, riskNeutralPD[j] = f.riskNeutralPD;
      notch[j] = pdToNotch(f.pd, o.pdScale), hedgeRatio[j] = f.hedgeRatio;
      if (quarter >= 0) report(quarter, v, f.mid, rate[t]);
      while (q < Q && availableIndex[q] <= t) visible = rep.defaultPoint[q * N + i], q++;
      reportedDefaultPoint[j] = visible;
    }
  }

  // Market-level series from the firms.
  const equityIndex = new Float64Array(T), creditIndex = new Float64Array(T).fill(NaN);
  const creditIndexReturn = new Float64Array(T);
  equityIndex[0] = 100;
  const rpv01 = nanPanel();
  for (let j = 0; j < NT; j++) {
    if (cdsMid[j] >= 0) rpv01[j] = riskyAnnuity(cdsMid[j], terms.tenor, terms.recovery, terms.rate);
  }
  for (let t = 0; t < T; t++) {
    let sum = 0, live = 0;
    for (let i = 0; i < N; i++) if (alive[t * N + i]) (sum += cdsMid[t * N + i]), live++;
    if (live > 0) creditIndex[t] = sum / live;
    if (t === 0) continue;
    const days = (dates[t].getTime() - dates[t - 1].getTime()) / 86_400_000;
    let before = 0, after = 0, ret = 0, prior = 0;
    for (let i = 0; i < N; i++) {
      const p = (t - 1) * N + i, c = t * N + i;
      if (!alive[p]) continue;
      before += equity[p], after += equity[c], prior++;
      const carry = (cdsMid[p] * days) / 360;
      ret += alive[c] ? -rpv01[p] * (cdsMid[c] - cdsMid[p]) + carry : -(1 - terms.recovery) + carry;
    }
    equityIndex[t] = prior > 0 ? equityIndex[t - 1] * (after / before) : equityIndex[t - 1];
    creditIndexReturn[t] = prior > 0 ? ret / prior : 0;
  }
  return {
    dates,
    firms: N,
    names,
    sector,
    sectorNames: sectors.map((s) => s.name),
    params: { beta, sectorVol, idioVol, targetLeverage, shortTermShare, returnOnAssets: roa, shares },
    assetValue,
    assetVol,
    defaultPoint,
    equity,
    price,
    cdsMid,
    cdsBidAsk,
    alive,
    defaultIndex,
    reportedDefaultPoint,
    reports: { periodEnd, available, availableIndex, stateIndex, ...rep },
    truth: { distanceToDefault, defaultProbability, riskNeutralPD, notch, hedgeRatio, drift },
    market: {
      factor: market.factor,
      vol: market.vol,
      vix: market.vix,
      rate,
      equityIndex,
      creditIndex,
      creditIndexReturn,
    },
    settings: {
      equityHorizon: horizon,
      cds: terms,
      liquiditySpread: o.liquiditySpread,
      reportingLagDays: o.lag,
      marketPremium: o.premium,
      pdScale: o.pdScale,
    },
  };
}
