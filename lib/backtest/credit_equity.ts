/**
 * The credit–equity strategy of the credit-migration study: a per-firm long/short in CDS and equity driven by a
 * credit score blended with the VIX, booked on the shared kernel (`kernel.ts`), with its benchmarks and its monthly
 * metrics in and out of sample.
 *
 * **Signal** of firm i at the close of t, from data up to t only:
 *
 *     Sᵢ(t) = w_score·n(scoreᵢ)(t) − w_vix·n(VIX)(t)
 *     z-score   n(x)(t) = (x(t) − mean) / sd            over x(t−w+1..t), sd with n − 1   (default, w = 45)
 *     min-max   n(x)(t) = 2·(x(t) − min)/(max − min) − 1  over the same window, in [−1, 1]
 *
 * Both are 0 on a window without dispersion (no information) and missing until w values are known. The score is any
 * number series, higher = better credit (e.g. 800 × TOPSIS closeness); the VIX is one series for all firms.
 *
 * **Decision** at each rebalance close: with rolling thresholds (default) low = the p_low percentile (20 %) and high
 * = the p_high percentile (80 %) of Sᵢ over its trailing `thresholdWindow` (252) values, type 7 as numpy; or fixed
 * thresholds. dᵢ = −1 when Sᵢ < low (buy protection + short equity), +1 when Sᵢ > high (sell protection + long
 * equity), and in between 0 (`between: "flat"`, default) or the previous decision (`"hold"`).
 *
 * **Legs** per unit of CDS notional Nᵢ (a fraction of NAV, long risk = protection sold counted positive):
 *
 *     CDS       Nᵢ = dᵢ·wᵢ·L                            wᵢ from the weights hook, L = `notional` (default 1)
 *     equity    Xᵢ = e·dᵢ·hᵢ·wᵢ·L                       hᵢ the Merton hedge ratio (equity per unit CDS notional)
 *
 * `legs: "directional"` (default, e = +1) is the rule as the study states it: long protection *plus short equity*
 * below the low threshold, the reverse above; both legs then bet the same way and the hedge ratio sizes the equity
 * leg to the same first-order exposure to the firm's assets as the CDS leg. `legs: "hedged"` (e = −1) puts the
 * equity on the other side (long protection plus long equity), so that the legs offset in the model to first order
 * (a capital-structure trade). hᵢ is the caller's: `mertonHedgeRatio` of `synthetic/firms.ts` gives
 * h = RPV01·(−∂s/∂V)·E/(∂E/∂V).
 *
 * **Sizing.** At each rebalance the names with dᵢ ≠ 0 and a full trailing window of returns are the candidates, in
 * order of signal strength dᵢ·(Sᵢ − (low + high)/2). Optionally, a correlation limit admits them greedily
 * (`correlationFilter` of `portfolio/weights.ts`): a name joins only if the correlation of its pair returns with every
 * name already admitted is at most `maxCorrelation` (0.6 in the study; 0 for a constant series). The weights hook maps
 * the candidates to wᵢ ≥ 0 ({@linkcode equalWeightHook}, {@linkcode marketCapWeightHook},
 * {@linkcode meanVarianceWeightHook}, or the caller's). Optionally, Kelly caps each weight (`kellyWeights` of
 * `portfolio/weights.ts`): wᵢ ← min(wᵢ, cap, fraction·max(0, f*ᵢ)) with f* = p − (1 − p)/b, p the share of winning
 * days of the pair among its non-zero days and b its mean win over its mean loss (cap 5 % in the study). The pair
 * return of a candidate on day s is
 * dᵢ·(r^CDSᵢ(s) + e·hᵢ(t)·r^Eᵢ(s)) over the trailing `returnWindow` (126) days.
 *
 * **Beta hedges** (optional), on trailing OLS betas over the same window: the equity legs against the equity index
 * (Σ βᵢ^E·Xᵢ sold in the index) and the CDS legs against the credit index (Σ βᵢ^C·Nᵢ of protection on the index).
 *
 * **P&L** per day, booked by `runBook` (CDS unfunded, equity funded, cash earns the bill rate rf ACT/360):
 *
 *     CDS (long risk)   r(t) = −RPV01(sₜ₋₁)·(sₜ − sₜ₋₁) + sₜ₋₁·days/360       (`market/cds.ts`: spread × risky
 *                                                                            duration plus carry)
 *                       r(τ) = −(1 − R) + s_{τ−1}·days/360                     on the default date τ: settlement
 *     equity            r(t) = Pₜ/Pₜ₋₁ − 1 (−1 on a default); a short also pays the borrow fee f·days/360
 *     costs             cdsCostBp (12.5 bp) of CDS notional traded, or ½·bid-ask·RPV01 (`cdsCostModel:
 *                       "half-spread"`); equityCostBp (6.5 bp) of equity traded; nothing to close a settled CDS
 *
 * Short-sale proceeds stay in cash and earn rf; the fee (`shortFee`, default 0.5 % a year) is what the short pays on
 * top. A defaulted CDS stops earning at τ and is closed, free, at the next rebalance. A firm whose quotes end
 * without a default (a delisting, the end of its data) earns nothing after its last quote and is closed at the next
 * rebalance at its last quoted costs.
 *
 * Timing: targets set at the close of t earn from t + 1 on (the kernel's rule). Every input the rule reads at t —
 * score, VIX, spreads, prices, hedge ratios, market caps, indices — is from dates ≤ t; a test perturbs all inputs
 * after t and finds every position up to t unchanged.
 *
 * References:
 * 1. Yu, F. (2006). How profitable is capital structure arbitrage? Financial Analysts Journal 62(5), 47–62.
 * 2. Schaefer, S. & Strebulaev, I. (2008). Structural models of credit risk are useful: evidence from hedge ratios.
 *    J. Financial Economics 90(1), 1–19 (Merton hedge ratios of debt by equity).
 * 3. Kelly, J. L. (1956). A new interpretation of information rate. Bell System Technical Journal 35(4).
 * @module
 */
import { isoDate, requireIsoDate } from "../core/calendar.ts";
import {
  rangeError,
  Received,
  requireBoolean,
  requireFinite,
  requireFiniteArray,
  requireInteger,
  requireKnownKeys,
  requireNonNegative,
  requireObject,
  requirePositive,
  requireProbability,
  typeError,
} from "../core/check.ts";
import { sortedQuantile } from "../core/stats.ts";
import { cdsReturns, type CdsTerms, cdsTerms, rpv01Series } from "../market/cds.ts";
import type { FirmUniverse } from "../synthetic/firms.ts";
import { ledoitWolf } from "../portfolio/covariance.ts";
import { meanVariance } from "../portfolio/optimize.ts";
import { correlationFilter, equalWeights, kellyWeights, marketCapWeights } from "../portfolio/weights.ts";
import {
  type BookResult,
  checkPolicies,
  type InertiaBand,
  type RebalanceSchedule,
  runBook,
  type TargetRule,
} from "./kernel.ts";
import {
  cagr,
  calmarRatio,
  hitRate,
  informationRatio,
  maxDrawdown,
  probabilisticSharpeRatio,
  sharpeRatio,
  sortinoRatio,
  UndefinedStatisticError,
  valueAtRisk,
} from "./metrics.ts";
import type { SummaryRow } from "./summary.ts";

/** The data of the strategy: dates × firms panels row-major (index t·N + i), series of one value per date. */
export interface CreditEquityInputs {
  /** Trading dates, increasing. */ readonly dates: readonly Date[];
  /** Number of firms N. */ readonly firms: number;
  /** Credit score, higher = better (NaN = not available: no signal). */ readonly score: ArrayLike<number>;
  /** VIX (volatility points, > 0), one per date. */ readonly vix: ArrayLike<number>;
  /**
   * CDS mid spread, decimal: finite on one contiguous range of dates per firm (its life in the data), NaN outside
   * (and from a default date on).
   */
  readonly cdsMid: ArrayLike<number>;
  /** Full CDS bid-ask, decimal (needed by `cdsCostModel: "half-spread"`). */ readonly cdsBidAsk?: ArrayLike<number>;
  /** Equity price: > 0 on the firm's range, ≥ 0 on its default date (0 = wiped out). */
  readonly equityPrice: ArrayLike<number>;
  /** Merton hedge ratio hᵢ(t) ≥ 0 on the firm's range: equity notional per unit of CDS notional. */
  readonly hedgeRatio: ArrayLike<number>;
  /** Date index of each firm's default (−1 = none): the CDS settles at 1 − R there (default: no defaults). */
  readonly defaultIndex?: ArrayLike<number>;
  /** Bill rate, decimal a year (ACT/360): the cash return and the Sharpe ratio's hurdle. */
  readonly riskFree: ArrayLike<number>;
  /** Market capitalisation (for {@linkcode marketCapWeightHook}). */ readonly marketCap?: ArrayLike<number>;
  /** Equity index level (e.g. the S&P 500), for the equity beta hedge. */ readonly equityIndex?: ArrayLike<number>;
  /** Credit index spread, decimal (e.g. HY OAS, or the synthetic universe's mean spread). */
  readonly creditIndexSpread?: ArrayLike<number>;
  /**
   * Return per unit of protection sold on the credit index (default: from `creditIndexSpread` by `cdsReturns`;
   * pass one that settles defaults when the index loses names, as the synthetic universe's does).
   */
  readonly creditIndexReturns?: ArrayLike<number>;
}

/** What the weights hook sees at a rebalance close: the candidates, strongest signal first. */
export interface WeightsContext {
  /** Date index of the close. */ readonly t: number;
  /** Firm index of each candidate. */ readonly names: Int32Array;
  /** Signal Sᵢ(t) of each candidate. */ readonly signals: Float64Array;
  /** +1 sell protection (long credit risk), −1 buy protection. */ readonly directions: Int8Array;
  /**
   * Trailing daily returns of each candidate's pair per unit of CDS notional, direction applied (what holding it
   * would have earned): `returns[k]` holds `returnWindow` values, oldest first, the last one of date t.
   */
  readonly returns: readonly Float64Array[];
  /** Market capitalisation of each candidate at t (NaN when the inputs have none). */ readonly marketCap: Float64Array;
}

/** Position sizing: candidate weights wᵢ ≥ 0 (fractions of the CDS notional budget L), one per candidate. */
export type WeightsHook = (ctx: WeightsContext) => ArrayLike<number>;

/** Equal weights 1/K over the K candidates (`equalWeights` of `portfolio/weights.ts`). */
export function equalWeightHook(ctx: WeightsContext): number[] {
  checkContext("compute equal weights", ctx, "names");
  return ctx.names.length === 0 ? [] : equalWeights(ctx.names.length);
}

/**
 * Market-cap weights capᵢ / Σ cap over the candidates (`marketCapWeights` of `portfolio/weights.ts`).
 *
 * @throws {RangeError} If a candidate's market cap is missing or negative (the inputs need `marketCap`).
 */
export function marketCapWeightHook(ctx: WeightsContext): number[] {
  checkContext("compute market-cap weights", ctx, "marketCap");
  ctx.marketCap.forEach((c, k) => {
    if (!(c >= 0 && Number.isFinite(c))) {
      throw rangeError("compute market-cap weights", `marketCap of firm ${ctx.names[k]} at date ${ctx.t}`, ">= 0", c);
    }
  });
  return ctx.names.length === 0 ? [] : marketCapWeights(ctx.marketCap);
}

/**
 * A mean-variance weights hook: `meanVariance` of `portfolio/optimize.ts` (long-only, fully invested, each weight
 * ≤ maxWeight) on the candidates' trailing daily pair returns — their sample means and their covariance, the sample
 * one ({@linkcode trailingMoments}) or its Ledoit–Wolf shrinkage (`shrink: true`, default; positive definite even
 * with fewer days than names).
 *
 *     w = argmax w'μ − (λ/2)·w'Σw   subject to  Σ w = 1,  0 ≤ wᵢ ≤ c
 *
 * With fewer than 1/c candidates the cap cannot hold in a fully invested book: each candidate then gets c and the
 * rest of the budget stays unused (cash). A weight within 1e-12 below 0 (the solver's rounding at the bound) is 0;
 * anything further below is refused by the rule.
 *
 * @param p riskAversion λ > 0 (per unit of daily return), maxWeight c (default 1), shrink (default true).
 */
export function meanVarianceWeightHook(
  p: { riskAversion: number; maxWeight?: number; shrink?: boolean },
): WeightsHook {
  const action = "build mean-variance weights";
  requireObject(action, "p", p);
  requireKnownKeys(action, "p", p, ["riskAversion", "maxWeight", "shrink"]);
  const riskAversion = requirePositive(action, "riskAversion", p.riskAversion);
  const cap = requirePositive(action, "maxWeight", p.maxWeight ?? 1);
  if (cap > 1) throw rangeError(action, "maxWeight", "<= 1", cap);
  const shrink = p.shrink === undefined ? true : requireBoolean(action, "shrink", p.shrink);
  return (ctx) => {
    checkContext("compute mean-variance weights", ctx, "returns");
    const K = ctx.names.length;
    if (K === 0) return [];
    if (K * cap < 1 - 1e-12) return new Array<number>(K).fill(cap);
    const moments = trailingMoments(ctx);
    const covariance = shrink
      ? ledoitWolf(Array.from({ length: ctx.returns[0].length }, (_, j) => ctx.returns.map((r) => r[j]))).covariance
      : moments.covariance;
    const w = meanVariance({ expectedReturns: moments.expectedReturns, covariance, riskAversion, maxWeight: cap });
    // A weight at the lower bound may come back a rounding step below it (−3e-17): it is 0.
    return w.map((x) => (x < 0 && x > -1e-12 ? 0 : x));
  };
}

/**
 * Sample mean and covariance (n − 1) of the candidates' trailing pair returns, per day — the inputs of a
 * mean-variance hook: `(ctx) => meanVariance({ ...trailingMoments(ctx), riskAversion: 5, maxWeight: 0.05 })`.
 */
export function trailingMoments(ctx: WeightsContext): { expectedReturns: number[]; covariance: number[][] } {
  checkContext("compute trailing moments", ctx, "returns");
  const K = ctx.returns.length;
  const n = K > 0 ? ctx.returns[0].length : 0;
  if (K > 0 && n < 2) throw rangeError("compute trailing moments", "ctx.returns", "at least 2 per candidate", n);
  const mean = ctx.returns.map((r) => r.reduce((a, b) => a + b, 0) / n);
  const covariance = mean.map(() => new Array<number>(K).fill(0));
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      let s = 0;
      const ra = ctx.returns[a], rb = ctx.returns[b];
      for (let j = 0; j < n; j++) s += (ra[j] - mean[a]) * (rb[j] - mean[b]);
      covariance[a][b] = covariance[b][a] = s / (n - 1);
    }
  }
  return { expectedReturns: mean, covariance };
}

/**
 * Checks the weights context a hook receives, cheaply (it runs at every rebalance): an object whose `names` is an
 * Int32Array and, as the hook needs, a `marketCap` or `returns` of one entry per name — the returns of equal lengths
 * and finite.
 */
function checkContext(action: string, ctx: unknown, need: "names" | "marketCap" | "returns"): void {
  if (ctx === null || typeof ctx !== "object" || Array.isArray(ctx)) {
    throw typeError(action, "ctx", "a weights context object", ctx);
  }
  const c = ctx as Partial<WeightsContext>;
  if (!(c.names instanceof Int32Array)) throw typeError(action, "ctx.names", "an Int32Array of firm indices", c.names);
  const K = c.names.length;
  if (need === "marketCap") {
    const cap = c.marketCap;
    if (!isNumbers(cap)) throw typeError(action, "ctx.marketCap", "an array of numbers", cap);
    if (cap.length !== K) throw rangeError(action, "ctx.marketCap.length", `${K} (one per name)`, cap.length);
  } else if (need === "returns") {
    const r = c.returns;
    if (!Array.isArray(r)) throw typeError(action, "ctx.returns", "an array of return arrays (one per name)", r);
    if (r.length !== K) throw rangeError(action, "ctx.returns.length", `${K} (one per name)`, r.length);
    for (let k = 0; k < K; k++) {
      const rk = r[k];
      if (!isNumbers(rk)) throw typeError(action, `ctx.returns[${k}]`, "an array of numbers", rk);
      if (rk.length !== r[0].length) {
        throw rangeError(action, `ctx.returns[${k}].length`, `${r[0].length} like ctx.returns[0]`, rk.length);
      }
      for (let j = 0; j < rk.length; j++) {
        if (typeof rk[j] !== "number") throw typeError(action, `ctx.returns[${k}][${j}]`, "a number", rk[j]);
        if (!Number.isFinite(rk[j])) throw rangeError(action, `ctx.returns[${k}][${j}]`, "finite", rk[j]);
      }
    }
  }
}

/** An array or a typed array (not a DataView). */
function isNumbers(value: unknown): value is ArrayLike<number> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** Options of {@linkcode runCreditEquity}. */
export interface CreditEquityOptions {
  /** Weight of the normalised score (default 0.5) and of the normalised VIX (0.5). */ readonly scoreWeight?: number;
  readonly vixWeight?: number;
  /** Normalisation: rolling `"zscore"` (default) or `"minmax"` to [−1, 1]. */ readonly normalise?: "zscore" | "minmax";
  /** Window of the normalisation, dates (default 45). */ readonly normaliseWindow?: number;
  /** Trailing window of the rolling thresholds, dates (default 252). */ readonly thresholdWindow?: number;
  /** Percentiles of the low and high thresholds, in [0, 1] (default 0.2 and 0.8). */
  readonly lowPercentile?: number;
  readonly highPercentile?: number;
  /** Fixed thresholds instead of rolling percentiles. */
  readonly fixedThresholds?: { readonly low: number; readonly high: number };
  /** Between the thresholds: `"flat"` (default) or `"hold"` the previous decision. */
  readonly between?: "flat" | "hold";
  /** `"directional"` (default: the study's rule) or `"hedged"` (equity on the offsetting side); see the notes. */
  readonly legs?: "directional" | "hedged";
  /** L: CDS notional per unit of NAV when the weights sum to 1 (default 1). */ readonly notional?: number;
  /** Position sizing (default {@linkcode equalWeightHook}). */ readonly weights?: WeightsHook;
  /** Kelly cap: wᵢ ← min(wᵢ, cap, fraction·f*⁺), cap and fraction in (0, 1] (default none; the study: cap 0.05). */
  readonly kelly?: { readonly cap?: number; readonly fraction?: number };
  /** Highest correlation of pair returns between two names held (default none; 0.6 in the study). */
  readonly maxCorrelation?: number;
  /** Trailing days of pair returns for the hook, Kelly, correlations and betas (default 126). */
  readonly returnWindow?: number;
  /** Beta hedges of the equity legs (against `equityIndex`) and of the CDS legs (against the credit index). */
  readonly betaHedge?: { readonly equity?: boolean; readonly credit?: boolean };
  /** Rebalance schedule (default `"monthly"`) and inertia band (default none), as in `kernel.ts`. */
  readonly rebalance?: RebalanceSchedule;
  readonly band?: InertiaBand;
  /**
   * CDS cost, bp of notional traded (default 12.5 ≈ half the bid-ask); `"half-spread"`: ½·bid-ask·RPV01 of the
   * name's quote (the credit index line then trades at 12.5 bp).
   */
  readonly cdsCostBp?: number;
  readonly cdsCostModel?: "flat" | "half-spread";
  /** Equity cost, bp of notional traded (default 6.5). */ readonly equityCostBp?: number;
  /** Borrow fee on short equity, decimal a year, ACT/360 (default 0.005). */ readonly shortFee?: number;
  /** CDS terms of the RPV01 and the settlement: tenor 5, recovery 0.4, discount rate 0.03 (`market/cds.ts`). */
  readonly cds?: CdsTerms;
  /**
   * First and last date booked (ISO; default from the end of the warm-up, max(normaliseWindow + thresholdWindow −
   * 2, returnWindow) dates in, to the last date).
   */
  readonly start?: string;
  readonly end?: string;
}

/** Asset layout of the book: per firm a CDS, a long-equity and a short-equity line, then the three index lines. */
export interface CreditEquityAssets {
  /** Index of firm i's CDS line is `cds + i`, its long equity `equityLong + i`, its short equity `equityShort + i`. */
  readonly cds: number;
  readonly equityLong: number;
  readonly equityShort: number;
  /** The credit index CDS line, and the long and short lines of the equity index. */ readonly indexCds: number;
  readonly indexLong: number;
  readonly indexShort: number;
  /** Number of lines, 3N + 3. */ readonly count: number;
}

/** Result of {@linkcode runCreditEquity}. */
export interface CreditEquityResult {
  /** The kernel's ledger (NAV, returns, costs, turnover, P&L per line, round trips). */ readonly book: BookResult;
  /** Dates booked (= book.dates) and the cash return of each (the bill rate's accrual, per period). */
  readonly dates: Date[];
  readonly cashReturns: Float64Array;
  /** Index of the first and last booked date in the inputs. */ readonly from: number;
  readonly to: number;
  /** Signal Sᵢ(t), dates × firms over all input dates (NaN where not defined). */ readonly signal: Float64Array;
  /**
   * Side of each firm's position after each close (−1 protection bought, +1 sold, 0 none — also for a name the
   * correlation limit or a zero weight left out), dates × firms over all input dates.
   */
  readonly direction: Int8Array;
  /** Date index of each rebalance the rule was called at, and its target weights (rebalances × lines). */
  readonly rebalances: Int32Array;
  readonly targets: Float64Array;
  /** Low and high thresholds of each firm at each rebalance (rebalances × firms; NaN where not defined). */
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly assets: CreditEquityAssets;
}

/** The checked inputs and the return panels both the strategy and its benchmarks book. */
interface PreparedMarket {
  readonly T: number;
  readonly N: number;
  readonly first: Int32Array;
  /** Last date with a CDS quote. */ readonly last: Int32Array;
  readonly defaultAt: Int32Array;
  readonly assets: CreditEquityAssets;
  /** Row-major dates × lines returns for the kernel. */ readonly returns: Float64Array;
  readonly cashReturn: Float64Array;
  /** Column-major (firm i at i·T + t) CDS and equity returns, and the RPV01 of each quote. */
  readonly cdsReturn: Float64Array;
  readonly equityReturn: Float64Array;
  readonly rpv01: Float64Array;
  readonly indexEquityReturn: Float64Array | null;
  readonly indexCdsReturn: Float64Array | null;
  readonly terms: Required<CdsTerms>;
}

const OPTION_KEYS = [
  "scoreWeight",
  "vixWeight",
  "normalise",
  "normaliseWindow",
  "thresholdWindow",
  "lowPercentile",
  "highPercentile",
  "fixedThresholds",
  "between",
  "legs",
  "notional",
  "weights",
  "kelly",
  "maxCorrelation",
  "returnWindow",
  "betaHedge",
  "rebalance",
  "band",
  "cdsCostBp",
  "cdsCostModel",
  "equityCostBp",
  "shortFee",
  "cds",
  "start",
  "end",
] as const;

const INPUT_KEYS = [
  "dates",
  "firms",
  "score",
  "vix",
  "cdsMid",
  "cdsBidAsk",
  "equityPrice",
  "hedgeRatio",
  "defaultIndex",
  "riskFree",
  "marketCap",
  "equityIndex",
  "creditIndexSpread",
  "creditIndexReturns",
] as const;

function resolveOptions(action: string, opts: CreditEquityOptions) {
  requireKnownKeys(action, "opts", opts, OPTION_KEYS);
  const scoreWeight = requireFinite(action, "scoreWeight", opts.scoreWeight ?? 0.5);
  const vixWeight = requireFinite(action, "vixWeight", opts.vixWeight ?? 0.5);
  const normalise = opts.normalise ?? "zscore";
  if (normalise !== "zscore" && normalise !== "minmax") {
    throw rangeError(action, "normalise", '"zscore" or "minmax"', normalise);
  }
  const normaliseWindow = requireInteger(action, "normaliseWindow", opts.normaliseWindow ?? 45, { min: 2 });
  const thresholdWindow = requireInteger(action, "thresholdWindow", opts.thresholdWindow ?? 252, { min: 1 });
  const lowPercentile = requireProbability(action, "lowPercentile", opts.lowPercentile ?? 0.2);
  const highPercentile = requireProbability(action, "highPercentile", opts.highPercentile ?? 0.8);
  if (!(lowPercentile <= highPercentile)) {
    throw rangeError(action, "lowPercentile", `<= highPercentile (${highPercentile})`, lowPercentile);
  }
  const fixed = opts.fixedThresholds;
  if (fixed !== undefined) {
    requireKnownKeys(action, "fixedThresholds", fixed, ["low", "high"]);
    requireFinite(action, "fixedThresholds.low", fixed.low), requireFinite(action, "fixedThresholds.high", fixed.high);
    if (!(fixed.low <= fixed.high)) {
      throw rangeError(action, "fixedThresholds.low", `<= fixedThresholds.high (${fixed.high})`, fixed.low);
    }
    if (opts.lowPercentile !== undefined || opts.highPercentile !== undefined || opts.thresholdWindow !== undefined) {
      throw rangeError(
        action,
        "lowPercentile, highPercentile and thresholdWindow",
        "left out with fixedThresholds",
        "one",
      );
    }
  }
  const between = opts.between ?? "flat";
  if (between !== "flat" && between !== "hold") throw rangeError(action, "between", '"flat" or "hold"', between);
  const legs = opts.legs ?? "directional";
  if (legs !== "directional" && legs !== "hedged") throw rangeError(action, "legs", '"directional" or "hedged"', legs);
  const weights = opts.weights ?? equalWeightHook;
  if (typeof weights !== "function") throw typeError(action, "weights", "a function", weights);
  let kelly: { cap: number; fraction: number } | null = null;
  if (opts.kelly !== undefined) {
    requireKnownKeys(action, "kelly", opts.kelly, ["cap", "fraction"]);
    kelly = {
      cap: requirePositive(action, "kelly.cap", opts.kelly.cap ?? 0.05),
      fraction: requirePositive(action, "kelly.fraction", opts.kelly.fraction ?? 1),
    };
    if (kelly.cap > 1) throw rangeError(action, "kelly.cap", "<= 1", kelly.cap);
    if (kelly.fraction > 1) throw rangeError(action, "kelly.fraction", "<= 1", kelly.fraction);
  }
  const maxCorrelation = opts.maxCorrelation === undefined
    ? null
    : requireFinite(action, "maxCorrelation", opts.maxCorrelation);
  if (maxCorrelation !== null && !(maxCorrelation >= -1 && maxCorrelation <= 1)) {
    throw rangeError(action, "maxCorrelation", "in [-1, 1]", maxCorrelation);
  }
  requireKnownKeys(action, "betaHedge", opts.betaHedge, ["equity", "credit"]);
  const rebalance = opts.rebalance ?? "monthly";
  checkPolicies(action, rebalance, opts.band);
  const cdsCostModel = opts.cdsCostModel ?? "flat";
  if (cdsCostModel !== "flat" && cdsCostModel !== "half-spread") {
    throw rangeError(action, "cdsCostModel", '"flat" or "half-spread"', cdsCostModel);
  }
  if (cdsCostModel === "half-spread" && opts.cdsCostBp !== undefined) {
    throw rangeError(action, "cdsCostBp", 'left out with cdsCostModel "half-spread"', opts.cdsCostBp);
  }
  requireKnownKeys(action, "cds", opts.cds, ["tenor", "recovery", "rate"]);
  const returnWindow = requireInteger(action, "returnWindow", opts.returnWindow ?? 126, { min: 1 });
  return {
    scoreWeight,
    vixWeight,
    normalise,
    normaliseWindow,
    thresholdWindow: fixed ? 1 : thresholdWindow,
    lowPercentile,
    highPercentile,
    fixed: fixed ?? null,
    hold: between === "hold",
    equitySign: legs === "directional" ? 1 : -1,
    notional: requireNonNegative(action, "notional", opts.notional ?? 1),
    weights,
    kelly,
    maxCorrelation,
    returnWindow,
    hedgeEquity: opts.betaHedge?.equity ?? false,
    hedgeCredit: opts.betaHedge?.credit ?? false,
    rebalance,
    band: opts.band,
    cdsCost: cdsCostModel === "flat" ? requireNonNegative(action, "cdsCostBp", opts.cdsCostBp ?? 12.5) * 1e-4 : null,
    equityCost: requireNonNegative(action, "equityCostBp", opts.equityCostBp ?? 6.5) * 1e-4,
    shortFee: requireNonNegative(action, "shortFee", opts.shortFee ?? 0.005),
    terms: cdsTerms(action, opts.cds),
    start: opts.start,
    end: opts.end,
  };
}

type Resolved = ReturnType<typeof resolveOptions>;

/** Checks one dates × firms panel's shape (values are checked where they are used). */
function panelOf(action: string, name: string, x: unknown, T: number, N: number): ArrayLike<number> {
  if (!(Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView)))) {
    throw typeError(action, `inputs.${name}`, "an array of numbers", x);
  }
  const a = x as ArrayLike<number>;
  if (a.length !== T * N) {
    throw rangeError(
      action,
      `inputs.${name}`,
      `a dates × firms panel of ${T}×${N}`,
      new Received(`length ${a.length}`),
    );
  }
  return a;
}

/** Validates the inputs and builds the return panels of the book (see the module notes). */
function prepareMarket(action: string, x: CreditEquityInputs, o: Pick<Resolved, "terms" | "shortFee">): PreparedMarket {
  if (x === null || typeof x !== "object") throw typeError(action, "inputs", "an object", x);
  requireKnownKeys(action, "inputs", x, INPUT_KEYS);
  const dates = x.dates;
  if (!Array.isArray(dates) || dates.length < 2) throw rangeError(action, "inputs.dates", "at least 2 dates", dates);
  const T = dates.length;
  dates.forEach((d, t) => {
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw rangeError(action, `inputs.dates[${t}]`, "a Date", d);
    if (t > 0 && !(d.getTime() > dates[t - 1].getTime())) {
      throw rangeError(action, `inputs.dates[${t}]`, `after ${isoDate(dates[t - 1])}`, d);
    }
  });
  const N = requireInteger(action, "inputs.firms", x.firms, { min: 1 });
  const score = panelOf(action, "score", x.score, T, N);
  for (let k = 0; k < T * N; k++) {
    if (typeof score[k] !== "number" || score[k] === Infinity || score[k] === -Infinity) {
      throw rangeError(action, `inputs.score[${k}]`, "a finite number or NaN (not available)", score[k]);
    }
  }
  const vix = requireFiniteArray(action, "inputs.vix", x.vix, { length: T });
  for (let t = 0; t < T; t++) if (!(vix[t] > 0)) throw rangeError(action, `inputs.vix[${t}]`, "> 0", vix[t]);
  const mid = panelOf(action, "cdsMid", x.cdsMid, T, N);
  const price = panelOf(action, "equityPrice", x.equityPrice, T, N);
  const hedge = panelOf(action, "hedgeRatio", x.hedgeRatio, T, N);
  const bidAsk = x.cdsBidAsk === undefined ? null : panelOf(action, "cdsBidAsk", x.cdsBidAsk, T, N);
  const cap = x.marketCap === undefined ? null : panelOf(action, "marketCap", x.marketCap, T, N);
  const rf = requireFiniteArray(action, "inputs.riskFree", x.riskFree, { length: T });
  const defaultAt = new Int32Array(N).fill(-1);
  if (x.defaultIndex !== undefined) {
    requireFiniteArray(action, "inputs.defaultIndex", x.defaultIndex, { length: N });
    for (let i = 0; i < N; i++) {
      defaultAt[i] = requireInteger(action, `inputs.defaultIndex[${i}]`, x.defaultIndex[i], { min: -1, max: T - 1 });
    }
  }
  const first = new Int32Array(N).fill(-1), last = new Int32Array(N).fill(-2);
  for (let i = 0; i < N; i++) {
    let t = 0;
    while (t < T && Number.isNaN(mid[t * N + i])) t++;
    if (t === T) {
      if (defaultAt[i] >= 0) {
        throw rangeError(action, `inputs.defaultIndex[${i}]`, "-1 for a firm with no CDS quote", defaultAt[i]);
      }
      continue;
    }
    first[i] = t;
    while (t + 1 < T && !Number.isNaN(mid[(t + 1) * N + i])) t++;
    last[i] = t;
    for (let s = t + 1; s < T; s++) {
      if (!Number.isNaN(mid[s * N + i])) {
        throw rangeError(
          action,
          `inputs.cdsMid[${s * N + i}] (firm ${i}, ${isoDate(dates[s])})`,
          "NaN after the firm's last quote on " + isoDate(dates[t]) + " (one contiguous range per firm)",
          mid[s * N + i],
        );
      }
    }
    for (let s = first[i]; s <= last[i]; s++) {
      const k = s * N + i, where = `(firm ${i}, ${isoDate(dates[s])})`;
      if (!(mid[k] >= 0 && Number.isFinite(mid[k]))) {
        throw rangeError(action, `inputs.cdsMid[${k}] ${where}`, "finite and >= 0", mid[k]);
      }
      if (!(price[k] > 0 && Number.isFinite(price[k]))) {
        throw rangeError(
          action,
          `inputs.equityPrice[${k}] ${where}`,
          "finite and > 0 while the CDS is quoted",
          price[k],
        );
      }
      if (!(hedge[k] >= 0 && Number.isFinite(hedge[k]))) {
        throw rangeError(
          action,
          `inputs.hedgeRatio[${k}] ${where}`,
          "finite and >= 0 while the CDS is quoted",
          hedge[k],
        );
      }
      if (bidAsk && !(bidAsk[k] >= 0 && Number.isFinite(bidAsk[k]))) {
        throw rangeError(
          action,
          `inputs.cdsBidAsk[${k}] ${where}`,
          "finite and >= 0 while the CDS is quoted",
          bidAsk[k],
        );
      }
      if (cap && !(cap[k] >= 0 || Number.isNaN(cap[k]))) {
        throw rangeError(action, `inputs.marketCap[${k}] ${where}`, ">= 0 or NaN", cap[k]);
      }
    }
    const d = defaultAt[i];
    if (d >= 0) {
      if (d !== last[i] + 1) {
        throw rangeError(
          action,
          `inputs.defaultIndex[${i}]`,
          `the date after the firm's last CDS quote (${last[i] + 1})`,
          d,
        );
      }
      const k = d * N + i;
      if (!(price[k] >= 0 && Number.isFinite(price[k]))) {
        throw rangeError(action, `inputs.equityPrice[${k}] (firm ${i}, default date)`, "finite and >= 0", price[k]);
      }
    }
  }
  const indexLevel = x.equityIndex === undefined
    ? null
    : requireFiniteArray(action, "inputs.equityIndex", x.equityIndex, { length: T });
  if (indexLevel) {
    for (let t = 0; t < T; t++) {
      if (!(indexLevel[t] > 0)) throw rangeError(action, `inputs.equityIndex[${t}]`, "> 0", indexLevel[t]);
    }
  }
  let indexCds: Float64Array | null = null;
  if (x.creditIndexReturns !== undefined) {
    indexCds = Float64Array.from(
      requireFiniteArray(action, "inputs.creditIndexReturns", x.creditIndexReturns, { length: T }),
    );
  } else if (x.creditIndexSpread !== undefined) {
    const s = requireFiniteArray(action, "inputs.creditIndexSpread", x.creditIndexSpread, { length: T });
    indexCds = cdsReturns(dates, s, o.terms).total;
  }

  const A = 3 * N + 3;
  const assets: CreditEquityAssets = {
    cds: 0,
    equityLong: N,
    equityShort: 2 * N,
    indexCds: 3 * N,
    indexLong: 3 * N + 1,
    indexShort: 3 * N + 2,
    count: A,
  };
  const returns = new Float64Array(T * A), cashReturn = new Float64Array(T);
  const cdsReturn = new Float64Array(T * N),
    equityReturn = new Float64Array(T * N),
    rpv01 = new Float64Array(T * N).fill(NaN);
  const dayCount = new Float64Array(T);
  for (let t = 1; t < T; t++) {
    dayCount[t] = (dates[t].getTime() - dates[t - 1].getTime()) / 86_400_000;
    cashReturn[t] = (rf[t - 1] * dayCount[t]) / 360;
  }
  const loss = 1 - o.terms.recovery;
  for (let i = 0; i < N; i++) {
    if (first[i] < 0) continue;
    const a = first[i], b = last[i];
    const quotes = new Float64Array(b - a + 1);
    for (let t = a; t <= b; t++) quotes[t - a] = mid[t * N + i];
    const annuity = rpv01Series(quotes, o.terms);
    for (let t = a; t <= b; t++) rpv01[i * T + t] = annuity[t - a];
    const end = defaultAt[i] >= 0 ? defaultAt[i] : b;
    for (let t = a + 1; t <= end; t++) {
      const carry = (mid[(t - 1) * N + i] * dayCount[t]) / 360;
      const c = t <= b ? -annuity[t - 1 - a] * (mid[t * N + i] - mid[(t - 1) * N + i]) + carry : -loss + carry;
      const e = price[t * N + i] / price[(t - 1) * N + i] - 1;
      cdsReturn[i * T + t] = c, equityReturn[i * T + t] = e;
      returns[t * A + i] = c;
      returns[t * A + N + i] = e;
      returns[t * A + 2 * N + i] = t <= b ? e + (o.shortFee * dayCount[t]) / 360 : e; // no fee on the default day
    }
  }
  let indexEquityReturn: Float64Array | null = null;
  if (indexLevel) {
    indexEquityReturn = new Float64Array(T);
    for (let t = 1; t < T; t++) {
      const e = indexLevel[t] / indexLevel[t - 1] - 1;
      indexEquityReturn[t] = e;
      returns[t * A + 3 * N + 1] = e, returns[t * A + 3 * N + 2] = e + (o.shortFee * dayCount[t]) / 360;
    }
  }
  if (indexCds) { for (let t = 1; t < T; t++) returns[t * A + 3 * N] = indexCds[t]; }
  return {
    T,
    N,
    first,
    last,
    defaultAt,
    assets,
    returns,
    cashReturn,
    cdsReturn,
    equityReturn,
    rpv01,
    indexEquityReturn,
    indexCdsReturn: indexCds,
    terms: o.terms,
  };
}

/** Rolling normalisation of x[start + s·stride], s = 0..n−1, into out (same layout); NaN until w finite values. */
function normaliseInto(
  x: ArrayLike<number>,
  start: number,
  stride: number,
  n: number,
  w: number,
  method: "zscore" | "minmax",
  out: Float64Array,
): void {
  for (let s = 0; s < n; s++) {
    const k = start + s * stride;
    out[k] = NaN;
    if (s + 1 < w) continue;
    let ok = true, sum = 0, lo = Infinity, hi = -Infinity;
    for (let j = s - w + 1; j <= s; j++) {
      const v = x[start + j * stride];
      if (Number.isNaN(v)) {
        ok = false;
        break;
      }
      sum += v, lo = Math.min(lo, v), hi = Math.max(hi, v);
    }
    if (!ok) continue;
    const now = x[k];
    if (method === "minmax") {
      out[k] = hi > lo ? (2 * (now - lo)) / (hi - lo) - 1 : 0;
      continue;
    }
    const m = sum / w;
    let ss = 0;
    for (let j = s - w + 1; j <= s; j++) ss += (x[start + j * stride] - m) ** 2;
    const sd = Math.sqrt(ss / (w - 1));
    // A window of equal values (to rounding) carries no information: 0.
    out[k] = sd > 1e-12 * Math.max(Math.abs(m), 1e-300) ? (now - m) / sd : 0;
  }
}

/**
 * The signal Sᵢ(t) = w_score·n(scoreᵢ)(t) − w_vix·n(VIX)(t) of every firm and date (see the module notes); NaN
 * where a window is incomplete. Causal: the value at t uses the score and the VIX up to t.
 *
 * @returns A dates × firms panel, row-major.
 */
export function creditEquitySignal(
  inputs: Pick<CreditEquityInputs, "dates" | "firms" | "score" | "vix">,
  opts: Pick<CreditEquityOptions, "scoreWeight" | "vixWeight" | "normalise" | "normaliseWindow"> = {},
): Float64Array {
  const action = "compute credit-equity signal";
  requireKnownKeys(action, "opts", opts, ["scoreWeight", "vixWeight", "normalise", "normaliseWindow"]);
  const o = resolveOptions(action, opts);
  requireObject(action, "inputs", inputs);
  if (!Array.isArray(inputs.dates)) throw typeError(action, "inputs.dates", "an array of Dates", inputs.dates);
  const T = inputs.dates.length, N = requireInteger(action, "inputs.firms", inputs.firms, { min: 1 });
  const score = panelOf(action, "score", inputs.score, T, N);
  const vix = requireFiniteArray(action, "inputs.vix", inputs.vix, { length: T });
  return signalPanel(T, N, score, vix, o);
}

function signalPanel(
  T: number,
  N: number,
  score: ArrayLike<number>,
  vix: ArrayLike<number>,
  o: Resolved,
): Float64Array {
  const nv = new Float64Array(T), ns = new Float64Array(T * N);
  normaliseInto(vix, 0, 1, T, o.normaliseWindow, o.normalise, nv);
  for (let i = 0; i < N; i++) normaliseInto(score, i, N, T, o.normaliseWindow, o.normalise, ns);
  const out = new Float64Array(T * N);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < N; i++) out[t * N + i] = o.scoreWeight * ns[t * N + i] - o.vixWeight * nv[t];
  }
  return out;
}

/** The booked window [from, to] from the ISO options (default: after the warm-up). */
function bookWindow(action: string, dates: readonly Date[], o: Resolved): { from: number; to: number } {
  const T = dates.length;
  const warm = Math.max(o.normaliseWindow + o.thresholdWindow - 2, o.returnWindow);
  const from = o.start === undefined
    ? warm
    : dates.findIndex((d) => d.getTime() >= requireIsoDate(action, "start", o.start).getTime());
  let to = T - 1;
  if (o.end !== undefined) {
    const end = requireIsoDate(action, "end", o.end).getTime();
    while (to >= 0 && dates[to].getTime() > end) to--;
  }
  if (from < 0 || from > to || from >= T) {
    throw rangeError(
      action,
      "start and end",
      "a window holding at least one date after the warm-up",
      new Received(`${o.start ?? `date ${warm}`} to ${o.end ?? "the last date"}`),
    );
  }
  return { from, to };
}

/** Correlation of two equally long series; 0 when either is constant. */
function correlationOf(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let j = 0; j < n; j++) (ma += a[j]), (mb += b[j]);
  ma /= n, mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let j = 0; j < n; j++) {
    const x = a[j] - ma, y = b[j] - mb;
    sab += x * y, saa += x * x, sbb += y * y;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** OLS slope of y on x over y[start..start+n), x[start..start+n) (0 when x is constant). */
function betaOf(y: Float64Array, yStart: number, x: Float64Array, xStart: number, n: number): number {
  let mx = 0, my = 0;
  for (let j = 0; j < n; j++) (mx += x[xStart + j]), (my += y[yStart + j]);
  mx /= n, my /= n;
  let sxy = 0, sxx = 0;
  for (let j = 0; j < n; j++) {
    const dx = x[xStart + j] - mx;
    sxy += dx * (y[yStart + j] - my), sxx += dx * dx;
  }
  return sxx > 0 ? sxy / sxx : 0;
}

/**
 * Win rate p (share of winning days among the non-zero ones, 0 without any) and payoff ratio b = mean win / mean loss
 * of a pair's trailing returns, the inputs of `kellyWeights` (1 when there is no win or no loss: f* is then 0 or 1
 * whatever b).
 */
function kellyInputs(r: Float64Array): { winRate: number; payoffRatio: number } {
  let wins = 0, losses = 0, up = 0, down = 0;
  for (let j = 0; j < r.length; j++) {
    const x = r[j];
    if (x > 0) (wins++, (up += x));
    else if (x < 0) (losses++, (down -= x));
  }
  const winRate = wins + losses > 0 ? wins / (wins + losses) : 0;
  return { winRate, payoffRatio: wins > 0 && losses > 0 ? up / wins / (down / losses) : 1 };
}

/** The cost function of the book: fractions of NAV per line (see the module notes). */
function costOf(m: PreparedMarket, o: Resolved, bidAsk: ArrayLike<number> | null) {
  const { N, T, defaultAt, last } = m;
  const settled = (i: number, t: number) => defaultAt[i] >= 0 && t >= defaultAt[i];
  return (q: number, t: number, a: number): number => {
    if (a < N) {
      if (settled(a, t)) return 0;
      if (o.cdsCost !== null) return q * o.cdsCost;
      const s = Math.min(t, last[a]); // after the last quote: the last quoted bid-ask
      return q * 0.5 * bidAsk![s * N + a] * m.rpv01[a * T + s];
    }
    if (a < 3 * N) return settled((a - N) % N, t) ? 0 : q * o.equityCost;
    if (a === 3 * N) return q * (o.cdsCost ?? 12.5e-4);
    return q * o.equityCost;
  };
}

/**
 * Runs the strategy (see the module notes).
 *
 * @throws {RangeError} If a panel's length is not dates × firms, a value is out of its domain (with its firm and
 *   date), an option is out of range, the weights hook returns a bad weight, or a beta hedge lacks its index.
 * @throws {TypeError} On an unknown option or input key.
 *
 * @example One firm whose score rises: sell protection and buy the equity, priced by the kernel
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCreditEquity } from "./credit_equity.ts";
 *
 * const dates = [2, 3, 4, 5].map((d) => new Date(Date.UTC(2024, 0, d)));
 * const r = runCreditEquity({
 *   dates, firms: 1, score: [1, 1, 2, 2], vix: [20, 20, 20, 20], cdsMid: [0.01, 0.01, 0.01, 0.01],
 *   equityPrice: [50, 50, 50, 50], hedgeRatio: [0.1, 0.1, 0.1, 0.1], riskFree: [0, 0, 0, 0],
 * }, { normaliseWindow: 2, fixedThresholds: { low: -0.1, high: 0.1 }, returnWindow: 2, rebalance: "daily", start: "2024-01-02" });
 * assert.deepEqual(Array.from(r.direction), [0, 0, 1, 0]);
 * ```
 */
export function runCreditEquity(inputs: CreditEquityInputs, opts: CreditEquityOptions = {}): CreditEquityResult {
  const action = "run credit-equity strategy";
  const o = resolveOptions(action, opts);
  const m = prepareMarket(action, inputs, o);
  const { T, N, first, last, assets } = m;
  if (o.hedgeEquity && !m.indexEquityReturn) {
    throw rangeError(action, "inputs.equityIndex", "given with betaHedge.equity", undefined);
  }
  if (o.hedgeCredit && !m.indexCdsReturn) {
    throw rangeError(
      action,
      "inputs.creditIndexSpread or creditIndexReturns",
      "given with betaHedge.credit",
      undefined,
    );
  }
  if (o.cdsCost === null && inputs.cdsBidAsk === undefined) {
    throw rangeError(action, "inputs.cdsBidAsk", 'given with cdsCostModel "half-spread"', undefined);
  }
  const { from, to } = bookWindow(action, inputs.dates, o);
  const score = inputs.score, cap = inputs.marketCap, hedge = inputs.hedgeRatio;
  const signal = signalPanel(T, N, score, inputs.vix, o);
  const signalByFirm = new Float64Array(T * N);
  for (let t = 0; t < T; t++) for (let i = 0; i < N; i++) signalByFirm[i * T + t] = signal[t * N + i];

  const W = o.returnWindow, Wt = o.thresholdWindow;
  const direction = new Int8Array(T * N), decided = new Int8Array(N);
  const rebalances: number[] = [], targets: Float64Array[] = [], lows: Float64Array[] = [], highs: Float64Array[] = [];
  const window = new Float64Array(Wt);
  const rule: TargetRule = (state, target) => {
    const t = state.t;
    const low = new Float64Array(N).fill(NaN), high = new Float64Array(N).fill(NaN);
    type Candidate = { i: number; d: number; strength: number; r: Float64Array };
    const candidates: Candidate[] = [];
    for (let i = 0; i < N; i++) {
      const live = first[i] >= 0 && t >= first[i] && t <= last[i];
      let d = 0;
      if (live) {
        const s = signal[t * N + i];
        let lo = NaN, hi = NaN;
        if (o.fixed) (lo = o.fixed.low), (hi = o.fixed.high);
        else if (t + 1 >= Wt) {
          let ok = true;
          for (let j = 0; j < Wt; j++) {
            const v = signalByFirm[i * T + t - Wt + 1 + j];
            if (Number.isNaN(v)) {
              ok = false;
              break;
            }
            window[j] = v;
          }
          if (ok) {
            window.sort();
            lo = sortedQuantile(window, o.lowPercentile), hi = sortedQuantile(window, o.highPercentile);
          }
        }
        low[i] = lo, high[i] = hi;
        if (!Number.isNaN(s) && !Number.isNaN(lo)) d = s < lo ? -1 : s > hi ? 1 : o.hold ? decided[i] : 0;
        if (d !== 0 && t - W >= first[i]) {
          const h = hedge[t * N + i], e = o.equitySign;
          const r = new Float64Array(W);
          for (let j = 0; j < W; j++) {
            const k = i * T + t - W + 1 + j;
            r[j] = d * (m.cdsReturn[k] + e * h * m.equityReturn[k]);
          }
          candidates.push({ i, d, strength: d * (s - 0.5 * (lo + hi)), r });
        }
      }
      decided[i] = d;
    }
    candidates.sort((a, b) => b.strength - a.strength || a.i - b.i);
    let chosen = candidates;
    if (o.maxCorrelation !== null && candidates.length > 1) {
      const C = candidates.length;
      const rho = candidates.map(() => new Array<number>(C).fill(1));
      for (let a = 0; a < C; a++) {
        for (let b = a + 1; b < C; b++) rho[a][b] = rho[b][a] = correlationOf(candidates[a].r, candidates[b].r);
      }
      const order = Array.from({ length: C }, (_, k) => k); // candidates are sorted by strength already
      chosen = correlationFilter(rho, { order }, { maxCorrelation: o.maxCorrelation }).map((k) => candidates[k]);
    }
    const K = chosen.length;
    for (let i = 0; i < N; i++) direction[t * N + i] = 0;
    if (K > 0) {
      const ctx: WeightsContext = {
        t,
        names: Int32Array.from(chosen, (c) => c.i),
        signals: Float64Array.from(chosen, (c) => signal[t * N + c.i]),
        directions: Int8Array.from(chosen, (c) => c.d),
        returns: chosen.map((c) => c.r),
        marketCap: Float64Array.from(chosen, (c) => (cap ? cap[t * N + c.i] : NaN)),
      };
      const w = o.weights(ctx);
      if (!w || typeof w !== "object" || w.length !== K) {
        throw rangeError(action, `weights at ${isoDate(inputs.dates[t])}`, `${K} weights (one per candidate)`, w);
      }
      let equityHedge = 0, creditHedge = 0;
      let kelly: number[] | null = null;
      if (o.kelly) {
        const bets = chosen.map((c) => kellyInputs(c.r));
        kelly = kellyWeights({
          winRates: bets.map((b) => b.winRate),
          payoffRatios: bets.map((b) => b.payoffRatio),
          maxWeight: o.kelly.cap,
          fraction: o.kelly.fraction,
        });
      }
      for (let k = 0; k < K; k++) {
        let wk = w[k];
        if (!(wk >= 0 && Number.isFinite(wk))) {
          throw rangeError(action, `weights[${k}] at ${isoDate(inputs.dates[t])}`, "finite and >= 0", wk);
        }
        const c = chosen[k];
        if (kelly) wk = Math.min(wk, kelly[k]);
        if (wk === 0) continue;
        const n = c.d * wk * o.notional;
        const x = o.equitySign * c.d * hedge[t * N + c.i] * wk * o.notional;
        target[assets.cds + c.i] = n;
        if (x > 0) target[assets.equityLong + c.i] = x;
        else if (x < 0) target[assets.equityShort + c.i] = x;
        direction[t * N + c.i] = c.d;
        const start = c.i * T + t - W + 1;
        if (o.hedgeEquity) equityHedge -= betaOf(m.equityReturn, start, m.indexEquityReturn!, t - W + 1, W) * x;
        if (o.hedgeCredit) creditHedge -= betaOf(m.cdsReturn, start, m.indexCdsReturn!, t - W + 1, W) * n;
      }
      if (equityHedge > 0) target[assets.indexLong] = equityHedge;
      else if (equityHedge < 0) target[assets.indexShort] = equityHedge;
      target[assets.indexCds] = creditHedge;
    }
    rebalances.push(t), targets.push(Float64Array.from(target)), lows.push(low), highs.push(high);
  };

  const book = runBook(
    { dates: inputs.dates, assets: assets.count, returns: m.returns, cashReturn: m.cashReturn, funded: fundedLines(N) },
    rule,
    {
      rebalance: o.rebalance,
      band: o.band,
      cost: costOf(m, o, inputs.cdsBidAsk ?? null),
      from,
      to,
      recordTrades: true,
    },
  );
  // Decisions hold between rebalances.
  const called = new Uint8Array(T);
  for (const t of rebalances) called[t] = 1;
  for (let t = from + 1; t <= to; t++) {
    if (!called[t]) { for (let i = 0; i < N; i++) direction[t * N + i] = direction[(t - 1) * N + i]; }
  }
  return {
    book,
    dates: book.dates,
    cashReturns: m.cashReturn.slice(from, to + 1),
    from,
    to,
    signal,
    direction,
    rebalances: Int32Array.from(rebalances),
    targets: concat(targets, assets.count),
    low: concat(lows, N),
    high: concat(highs, N),
    assets,
  };
}

function fundedLines(N: number): Uint8Array {
  const funded = new Uint8Array(3 * N + 3).fill(1);
  funded.fill(0, 0, N);
  funded[3 * N] = 0;
  return funded;
}

function concat(rows: Float64Array[], width: number): Float64Array {
  const out = new Float64Array(rows.length * width);
  rows.forEach((r, k) => out.set(r, k * width));
  return out;
}

/** The benchmark books of {@linkcode creditEquityBenchmarks}. */
export interface CreditEquityBenchmarks {
  /** Protection sold on every quoted firm at the first booked date, equal notional, never rebalanced. */
  readonly buyAndHoldCredit: BookResult;
  /** Protection sold on the credit index, notional reset to L·NAV at each rebalance. */ readonly creditIndex:
    BookResult;
  /** Sell protection on the top score quintile, buy it on the bottom one, ½·L of notional a side, each rebalance. */
  readonly marketNeutral: BookResult;
}

/**
 * The study's benchmarks, booked like the strategy (same dates, costs, cash and CDS P&L):
 *
 *     buy-and-hold credit   Nᵢ = L/n on the n firms quoted at the first booked date, held; a default settles at
 *                           1 − R and its notional is not replaced (the book's costs are paid once, on entry)
 *     credit index          N = L·NAV of protection sold on the credit index, rebalanced on the schedule
 *     market neutral        at each rebalance, the quoted firms ranked by their raw score: sell protection on the
 *                           top quintile and buy it on the bottom quintile, L/(2k) each of the k names a side, so
 *                           that the book is neutral in CDS notional (a cross-sectional credit-score long/short)
 *
 * @param opts The strategy's options; only `notional`, `rebalance`, `band`, costs, `shortFee`, `cds`, `start`,
 *   `end` and the windows that set the default start are used.
 * @throws {RangeError} As {@linkcode runCreditEquity}; the credit index needs `creditIndexSpread` or
 *   `creditIndexReturns`.
 */
export function creditEquityBenchmarks(
  inputs: CreditEquityInputs,
  opts: CreditEquityOptions = {},
): CreditEquityBenchmarks {
  const action = "run credit-equity benchmarks";
  const o = resolveOptions(action, opts);
  const m = prepareMarket(action, inputs, o);
  if (!m.indexCdsReturn) {
    throw rangeError(action, "inputs.creditIndexSpread or creditIndexReturns", "given for the credit index", undefined);
  }
  if (o.cdsCost === null && inputs.cdsBidAsk === undefined) {
    throw rangeError(action, "inputs.cdsBidAsk", 'given with cdsCostModel "half-spread"', undefined);
  }
  const { from, to } = bookWindow(action, inputs.dates, o);
  const { N, first, last } = m;
  const quoted = (i: number, t: number) => first[i] >= 0 && t >= first[i] && t <= last[i];
  const market = {
    dates: inputs.dates,
    assets: m.assets.count,
    returns: m.returns,
    cashReturn: m.cashReturn,
    funded: fundedLines(N),
  };
  const book = (rule: TargetRule, rebalance: RebalanceSchedule) =>
    runBook(market, rule, { rebalance, band: o.band, cost: costOf(m, o, inputs.cdsBidAsk ?? null), from, to });
  let built = false;
  const buyAndHoldCredit = book((state, target) => {
    if (built) return false;
    built = true;
    let n = 0;
    for (let i = 0; i < N; i++) if (quoted(i, state.t)) n++;
    for (let i = 0; i < N; i++) if (quoted(i, state.t)) target[m.assets.cds + i] = o.notional / n;
  }, "daily");
  const creditIndex = book((_, target) => void (target[m.assets.indexCds] = o.notional), o.rebalance);
  const score = inputs.score;
  const marketNeutral = book((state, target) => {
    const t = state.t;
    const ranked: number[] = [];
    for (let i = 0; i < N; i++) if (quoted(i, t) && !Number.isNaN(score[t * N + i])) ranked.push(i);
    const k = Math.floor(ranked.length / 5);
    if (k === 0) return;
    ranked.sort((a, b) => score[t * N + b] - score[t * N + a] || a - b);
    for (let j = 0; j < k; j++) {
      target[m.assets.cds + ranked[j]] = o.notional / (2 * k);
      target[m.assets.cds + ranked[ranked.length - 1 - j]] = -o.notional / (2 * k);
    }
  }, o.rebalance);
  return { buyAndHoldCredit, creditIndex, marketNeutral };
}

/** Calendar-month series of {@linkcode monthlyMetrics}. */
export interface MonthlySeries {
  /** Last date of each calendar month that holds a date. */ readonly dates: Date[];
  /** Compounded returns Π(1 + rₜ) − 1 of the month, and likewise the bill's and the benchmark's. */
  readonly returns: Float64Array;
  readonly riskFree: Float64Array;
  readonly benchmark: Float64Array | null;
}

/** Result of {@linkcode monthlyMetrics}. */
export interface MonthlyMetrics {
  readonly monthly: MonthlySeries;
  /** The metrics table over all months, the months before `outOfSampleStart`, and those from it on. */
  readonly full: SummaryRow[];
  readonly inSample: SummaryRow[];
  readonly outOfSample: SummaryRow[];
}

/**
 * Monthly metrics of a daily return series, in sample and out of sample (the months from `outOfSampleStart`,
 * default 2020-01-01, on), as `SummaryRow`s (so `formatSummary` and `compareSummaries` of `summary.ts` show them):
 *
 *     Sharpe ratio        mean(R − rf) / sd(R − rf) · √12         R monthly returns, rf the bill's monthly return
 *     Sortino ratio       mean(R − rf) / √mean(min(R − rf, 0)²) · √12
 *     CAGR, max drawdown  on the compounded monthly wealth; Calmar = CAGR / |max drawdown|
 *     information ratio   mean(R − B) / sd(R − B) · √12           against the benchmark's monthly returns B
 *     VaR 95 %            the 5 % quantile of R (numpy's linear percentile): a monthly return
 *     win rate            share of months with R > 0 among those with R ≠ 0
 *     monthly volatility  sd(R) (n − 1), not annualised; average monthly return mean(R)
 *     PSR                 probabilistic Sharpe ratio of R − rf against 0 (`metrics.ts`)
 *
 * A month is a calendar month of the dates (a partial first or last month counts as it is). A statistic undefined
 * on the data (too few months, no losing month, no drawdown) is null with the reason, as in `performanceSummary`.
 *
 * @param p dates and daily net returns; riskFree the cash return of each date (per period, e.g. a result's
 *   `cashReturns`); benchmark the benchmark's daily returns on the same dates.
 * @throws {RangeError} If the lengths differ, a value is not finite, or a date is not after the previous one.
 */
export function monthlyMetrics(p: {
  dates: readonly Date[];
  returns: ArrayLike<number>;
  riskFree: ArrayLike<number>;
  benchmark?: ArrayLike<number>;
  outOfSampleStart?: string;
}): MonthlyMetrics {
  const action = "compute monthly metrics";
  requireObject(action, "p", p);
  requireKnownKeys(action, "p", p, ["dates", "returns", "riskFree", "benchmark", "outOfSampleStart"]);
  if (!Array.isArray(p.dates)) throw typeError(action, "dates", "an array of Dates", p.dates);
  const T = p.dates.length;
  requireFiniteArray(action, "returns", p.returns, { length: T, minLength: 1 });
  requireFiniteArray(action, "riskFree", p.riskFree, { length: T });
  if (p.benchmark !== undefined) requireFiniteArray(action, "benchmark", p.benchmark, { length: T });
  const split = requireIsoDate(action, "outOfSampleStart", p.outOfSampleStart ?? "2020-01-01").getTime();
  const months: Date[] = [], r: number[] = [], rf: number[] = [], b: number[] = [];
  for (let t = 0; t < T; t++) {
    const d = p.dates[t];
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw rangeError(action, `dates[${t}]`, "a Date", d);
    if (t > 0 && !(d.getTime() > p.dates[t - 1].getTime())) {
      throw rangeError(action, `dates[${t}]`, `after ${isoDate(p.dates[t - 1])}`, d);
    }
    const prev = t > 0 ? p.dates[t - 1] : null;
    if (!prev || prev.getUTCMonth() !== d.getUTCMonth() || prev.getUTCFullYear() !== d.getUTCFullYear()) {
      months.push(d), r.push(1), rf.push(1), b.push(1);
    }
    const k = months.length - 1;
    months[k] = d;
    r[k] *= 1 + p.returns[t], rf[k] *= 1 + p.riskFree[t];
    if (p.benchmark) b[k] *= 1 + p.benchmark[t];
  }
  const monthly: MonthlySeries = {
    dates: months,
    returns: Float64Array.from(r, (x) => x - 1),
    riskFree: Float64Array.from(rf, (x) => x - 1),
    benchmark: p.benchmark ? Float64Array.from(b, (x) => x - 1) : null,
  };
  const table = (keep: (d: Date) => boolean) => {
    const idx = months.map((d, k) => (keep(d) ? k : -1)).filter((k) => k >= 0);
    const R = Float64Array.from(idx, (k) => monthly.returns[k]);
    const excess = Float64Array.from(idx, (k) => monthly.returns[k] - monthly.riskFree[k]);
    const B = monthly.benchmark ? Float64Array.from(idx, (k) => monthly.benchmark![k]) : null;
    return metricRows(R, excess, B);
  };
  return {
    monthly,
    full: table(() => true),
    inSample: table((d) => d.getTime() < split),
    outOfSample: table((d) => d.getTime() >= split),
  };
}

function metricRows(R: Float64Array, excess: Float64Array, B: Float64Array | null): SummaryRow[] {
  const monthly = { periodsPerYear: 12 };
  const row = (metric: string, unit: SummaryRow["unit"], compute: () => number): SummaryRow => {
    if (R.length === 0) return { metric, value: null, unit, note: "not available: no month in the sample" };
    try {
      return { metric, value: compute(), unit };
    } catch (error) {
      if (!(error instanceof UndefinedStatisticError)) throw error;
      return { metric, value: null, unit, note: `not available: ${error.message.replace(/^Cannot [^:]+: /, "")}` };
    }
  };
  const mean = (x: Float64Array) => x.reduce((a, v) => a + v, 0) / x.length;
  return [
    { metric: "Months", value: R.length, unit: "count" },
    row("Sharpe ratio (excess of bills)", "ratio", () => sharpeRatio(excess, monthly)),
    row("Sortino ratio", "ratio", () => sortinoRatio(excess, monthly)),
    row("CAGR", "percent", () => cagr(R, monthly)),
    row("Max drawdown", "percent", () => maxDrawdown(R)),
    row("Calmar ratio", "ratio", () => calmarRatio(R, monthly)),
    B
      ? row("Information ratio", "ratio", () => informationRatio(R, B, monthly))
      : { metric: "Information ratio", value: null, unit: "ratio", note: "not available: no benchmark" },
    row("VaR 95% (monthly)", "percent", () => valueAtRisk(R, 0.95)),
    row("Win rate (months)", "percent", () => hitRate(R)),
    row("Monthly volatility", "percent", () => {
      if (R.length < 2) {
        throw new UndefinedStatisticError("Cannot compute volatility: returns must be 2 or more, received 1");
      }
      const m = mean(R);
      return Math.sqrt(R.reduce((a, v) => a + (v - m) ** 2, 0) / (R.length - 1));
    }),
    row("Average monthly return", "percent", () => mean(R)),
    row("Probabilistic Sharpe (SR > 0)", "probability", () => probabilisticSharpeRatio(excess)),
  ];
}

/**
 * The strategy's inputs from a synthetic universe (`synthetic/firms.ts`) and a score panel: its CDS mids and bid-asks,
 * share prices, market caps, defaults, VIX, equity index, credit index (spread and default-settled return) and rate
 * (the bill rate: its continuously compounded level used as an ACT/360 rate). The hedge ratio defaults to the universe's true one (known only in the model: pass one estimated
 * from observables, e.g. `mertonHedgeRatio` on a KMV solve, for realism).
 *
 * @throws {RangeError} If the score or the hedge ratio is not a dates × firms panel of the universe.
 */
export function firmUniverseInputs(
  universe: FirmUniverse,
  score: ArrayLike<number>,
  opts: { hedgeRatio?: ArrayLike<number> } = {},
): CreditEquityInputs {
  const action = "build credit-equity inputs";
  requireKnownKeys(action, "opts", opts, ["hedgeRatio"]);
  requireObject(action, "universe", universe);
  if (!Array.isArray(universe.dates)) {
    throw typeError(action, "universe.dates", "an array of Dates", universe.dates);
  }
  requireInteger(action, "universe.firms", universe.firms, { min: 1 });
  requireObject(action, "universe.market", universe.market);
  if (opts.hedgeRatio === undefined) requireObject(action, "universe.truth", universe.truth);
  const T = universe.dates.length, N = universe.firms;
  panelOf(action, "score", score, T, N);
  const hedgeRatio = opts.hedgeRatio === undefined
    ? universe.truth.hedgeRatio
    : panelOf(action, "hedgeRatio", opts.hedgeRatio, T, N);
  return {
    dates: universe.dates,
    firms: N,
    score,
    vix: universe.market.vix,
    cdsMid: universe.cdsMid,
    cdsBidAsk: universe.cdsBidAsk,
    equityPrice: universe.price,
    hedgeRatio,
    defaultIndex: universe.defaultIndex,
    riskFree: universe.market.rate,
    marketCap: universe.equity,
    equityIndex: universe.market.equityIndex,
    creditIndexSpread: universe.market.creditIndex,
    creditIndexReturns: universe.market.creditIndexReturn,
  };
}
