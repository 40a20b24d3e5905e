/**
 * The credit-scoring study of the credit-migration desk, end to end on a universe of firms: from what a desk
 * observes (equity prices, CDS spreads, reported balance sheets) to a daily credit score per firm, every value at
 * date t computed from data up to t.
 *
 * Per firm i and date t:
 *
 *     KMV          σ_E(t) = trailing 252-day volatility of ln Eᵢ;  (V, σ_V) solve the Merton equations with the
 *                  reported default point D(t) (short-term + ½ long-term debt of the latest report *available* at t),
 *                  the bill rate and a one-year horizon;  DDᵢ(t), PDᵢ(t) = N(−DD)
 *     state        a 21-notch Gaussian HMM of (DD, ln CDS spread) with states ordered by credit quality by
 *                  construction (`credit/firm_states.ts`), refitted monthly on data before each refit and warm-
 *                  started; the filtered expected notch n̂ᵢ(t) and the state sᵢ(t) = (20 − n̂ᵢ(t))/20 ∈ [0, 1]
 *     health       interest coverage, debt/assets, debt/equity and ln market cap of the latest available report,
 *                  min–max normalised and weighted by the first principal component of the cross-section of latest
 *                  reports, both refitted at each month's first date (`credit/scoring.ts`); hᵢ(t) ∈ [0, 1]
 *     score        Scoreᵢ(t) = 800 × TOPSIS closeness of (hᵢ(t), sᵢ(t)), anchored at (0, 0) and (1, 1)
 *
 * The notch bounds of each firm's model (its "min–max rating bounds") come from the PDs of its first two years
 * (the data before its first fit), padded by six notches, and the states start at S&P's PD of each notch (absolute labels). The Merton hedge ratio of each firm is estimated from the
 * same KMV solution (`mertonHedgeRatio`), carried forward, and 0 before the first estimate (no signal exists then).
 * @module
 */
import {
  rangeError,
  requireDates,
  requireInteger,
  requireKnownKeys,
  requireObject,
  requireSeed,
  typeError,
} from "../core/check.ts";
import type { Seed } from "../core/rng.ts";
import type { TransitionTable } from "../data/load.ts";
import { rollingVolatility } from "../credit/kmv.ts";
import { solveMertonArrays } from "../credit/merton.ts";
import { notchPdScale } from "../credit/ratings.ts";
import {
  type FirmStateFeature,
  firmStateObservables,
  firmStatePrior,
  type FirmStateStability,
  type FirmStateStep,
  pdNotchBounds,
  walkForwardFirmStates,
} from "../credit/firm_states.ts";
import { creditScore, financialHealth, type HealthInputs, notchToState, type PerRatio } from "../credit/scoring.ts";
import type { StateBounds } from "../credit/hmm.ts";
import { type FirmUniverse, mertonHedgeRatio } from "../synthetic/firms.ts";
import pl from "nodejs-polars";
import { alignAsOf } from "../core/calendar.ts";
import { dateColumn, nanColumn } from "../data/columns.ts";
import { loadCreditSpreads, loadEquityPrices, loadSpx, loadTreasuryYields, loadVix } from "../data/load.ts";
import { KMV_TICKERS } from "../data/schema.ts";
import type { MarketDataSource } from "../data/source.ts";
import { loadSp500Fundamentals, sp500Arrays } from "../data/sp500.ts";
import { firmMertonSeries } from "../credit/kmv.ts";
import { mertonSpread } from "../credit/merton.ts";
import {
  type CreditEquityInputs,
  type CreditEquityOptions,
  type CreditEquityResult,
  type MonthlyMetrics,
  monthlyMetrics,
  runCreditEquity,
} from "../backtest/credit_equity.ts";

/** Options of {@linkcode scoreFirmUniverse}. */
export interface FirmScoreOptions {
  /** S&P's letter transition matrix (`loadRatingTransitions(source)`): the HMM's prior and the notch PD scale. */
  readonly transitions: TransitionTable;
  /** Step of the state model (default "weekly"). */ readonly step?: FirmStateStep;
  /** Largest move in notches per step (default 2). */ readonly band?: number;
  /** Seeded starts of each firm's first fit (default 3). */ readonly nStarts?: number;
  /** Seed of the starts (default "credit-scoring"). */ readonly seed?: Seed;
  /** Baum–Welch iterations of the first fit (default 60) and of each warm-started monthly refit (default 2). */
  readonly maxIter?: number;
  readonly warmIter?: number;
  /** Observables of the state model (default DD and ln CDS spread). */
  readonly features?: readonly ("dd" | "log_pd" | "log_cds_spread")[];
  /** TOPSIS weights of (health, state) (default [0.5, 0.5]). */ readonly scoreWeights?: readonly [number, number];
  /** Trailing window of the equity volatility, trading days (default 252). */ readonly volWindow?: number;
  /**
   * How the states' starting means are placed (`credit/firm_states.ts`): `"pd"` (default) at S&P's PD of each notch,
   * so labels are absolute and a regime worse than the first years can reach notches beyond them; `"range"` spreads
   * the firm's early range over its bounds (labels relative to the firm's own history).
   */
  readonly anchor?: "pd" | "range";
  /** Notches of padding around the PD-implied bounds of the first two years (default 6). */ readonly boundsPad?:
    number;
}

/** One firm's state model, summarised. */
export interface FirmStateReport {
  readonly name: string;
  /** Notch bounds from the PDs of the firm's first two years. */ readonly bounds: StateBounds;
  /** Monthly refits, and how many kept every fitted mean monotone and every move inside the band. */
  readonly refits: number;
  readonly ordered: number;
  readonly bandKept: number;
  /** Stability of the first fit's decoded path across the seeded starts. */ readonly stability: FirmStateStability;
  /** Seconds spent on this firm's walk-forward. */ readonly seconds: number;
}

/** Result of {@linkcode scoreFirmUniverse}: dates × firms panels (row-major, index t·N + i), NaN where unknown. */
export interface FirmScores {
  readonly dates: Date[];
  readonly firms: number;
  readonly names: string[];
  /** KMV estimates from the observables: DD, one-year PD, asset value and volatility. */
  readonly distanceToDefault: Float64Array;
  readonly defaultProbability: Float64Array;
  /** Estimated Merton hedge ratio (equity notional per unit of CDS notional), carried forward; 0 before. */
  readonly hedgeRatio: Float64Array;
  /** Filtered expected notch (0 = AAA … 20 = D) and the state s = (20 − n̂)/20. */
  readonly expectedNotch: Float64Array;
  readonly state: Float64Array;
  /** Financial-health score h ∈ [0, 1]. */ readonly health: Float64Array;
  /** Credit score in [0, 800]. */ readonly score: Float64Array;
  /** The PCA weights of the health score at each monthly refit. */
  readonly healthWeights: readonly { readonly date: Date; readonly weights: PerRatio<number> }[];
  readonly firmStates: readonly FirmStateReport[];
  readonly features: readonly FirmStateFeature[];
}

const DAYS_PER_YEAR = 252;

/**
 * Scores every firm of a universe (see the module notes) causally: the value at date t uses the observables up to t
 * and models fitted before t.
 *
 * @throws {RangeError|TypeError} On bad options; a firm whose data cannot be fitted names itself.
 */
export function scoreFirmUniverse(u: FirmUniverse, opts: FirmScoreOptions): FirmScores {
  const action = "score firm universe";
  requireKnownKeys(action, "opts", opts, [
    "transitions",
    "step",
    "band",
    "nStarts",
    "seed",
    "maxIter",
    "warmIter",
    "features",
    "scoreWeights",
    "volWindow",
    "anchor",
    "boundsPad",
  ]);
  requireObject(action, "u", u);
  requireDates(action, "u.dates", u.dates, { minLength: 2, increasing: true });
  requireInteger(action, "u.firms", u.firms, { min: 1, max: 100_000 });
  for (const k of ["equity", "cdsMid", "reportedDefaultPoint", "alive"] as const) {
    if (!ArrayBuffer.isView(u[k]) || (u[k] as ArrayLike<number>).length !== u.dates.length * u.firms) {
      throw rangeError(action, `u.${k}`, `a dates × firms panel of ${u.dates.length * u.firms} values`, u[k]);
    }
  }
  const r = requireObject(action, "u.reports", u.reports) as unknown as FirmUniverse["reports"];
  const Q = requireDates(action, "u.reports.periodEnd", r.periodEnd).length;
  for (
    const k of ["availableIndex", "totalAssets", "shortTermDebt", "longTermDebt", "ebit", "interestExpense"] as const
  ) {
    const len = k === "availableIndex" ? Q : Q * u.firms;
    if (!ArrayBuffer.isView(r[k]) || (r[k] as ArrayLike<number>).length !== len) {
      throw rangeError(action, `u.reports.${k}`, `a typed array of ${len} values`, r[k]);
    }
  }
  requireObject(action, "u.market", u.market);
  if (!ArrayBuffer.isView(u.market.rate) || u.market.rate.length !== u.dates.length) {
    throw rangeError(action, "u.market.rate", `${u.dates.length} rates, one per date`, u.market.rate);
  }
  requireObject(action, "u.settings", u.settings);
  requireObject(action, "opts", opts);
  requireObject(action, "opts.transitions", opts.transitions);
  if (opts.features !== undefined) {
    if (!Array.isArray(opts.features) || opts.features.length === 0) {
      throw typeError(action, "features", "a non-empty array of dd, log_pd, log_cds_spread", opts.features);
    }
    for (const f of opts.features) {
      if (!["dd", "log_pd", "log_cds_spread"].includes(f)) {
        throw rangeError(action, "features", "of dd, log_pd and log_cds_spread", f);
      }
    }
  }
  const T = u.dates.length, N = u.firms;
  const step = opts.step ?? "weekly";
  const volWindow = requireInteger(action, "volWindow", opts.volWindow ?? DAYS_PER_YEAR, { min: 20, max: T });
  const seed = requireSeed(action, "seed", opts.seed ?? "credit-scoring");
  const wanted = opts.features ?? ["dd", "log_cds_spread"];
  const prior = firmStatePrior(opts.transitions, { step });
  const scale = notchPdScale(opts.transitions);

  const dd = new Float64Array(T * N).fill(NaN), pd = new Float64Array(T * N).fill(NaN);
  const hedge = new Float64Array(T * N);
  const expectedNotch = new Float64Array(T * N).fill(NaN), state = new Float64Array(T * N).fill(NaN);
  const firmStates: FirmStateReport[] = [];
  let features: readonly FirmStateFeature[] = [];

  for (let i = 0; i < N; i++) {
    const col = (panel: ArrayLike<number>) => Float64Array.from({ length: T }, (_, t) => panel[t * N + i]);
    const alive = Float64Array.from({ length: T }, (_, t) => u.alive[t * N + i]);
    const equity = col(u.equity).map((e, t) => (alive[t] && e > 0 ? e : NaN));
    const vol = rollingVolatility(equity, volWindow, DAYS_PER_YEAR);
    const debt = col(u.reportedDefaultPoint);
    const solved = solveMertonArrays({ equity, equityVol: vol, debt, rate: u.market.rate, horizon: 1 });
    let last = 0;
    for (let t = 0; t < T; t++) {
      const k = t * N + i;
      dd[k] = solved.distanceToDefault[t];
      pd[k] = solved.defaultProbability[t];
      if (Number.isFinite(solved.assetValue[t])) {
        last = mertonHedgeRatio({
          assetValue: solved.assetValue[t],
          assetVol: solved.assetVol[t],
          defaultPoint: debt[t],
          rate: u.market.rate[t],
          cds: u.settings.cds,
          liquiditySpread: u.settings.liquiditySpread,
        });
      }
      hedge[k] = alive[t] ? last : 0;
    }
    // The firm's modelled range: the first date with a DD (and a CDS quote) to its last date alive.
    const cds = col(u.cdsMid);
    let a = 0;
    while (a < T && !(Number.isFinite(dd[a * N + i]) && cds[a] > 0)) a++;
    let b = a;
    while (b + 1 < T && Number.isFinite(dd[(b + 1) * N + i]) && cds[b + 1] > 0) b++;
    const minTrain = 104; // two years of weekly points before the first fit (the walk-forward's default)
    if (b - a + 1 < 3 * DAYS_PER_YEAR) continue; // too short a life for a first fit and a year of use
    const rangeDates = u.dates.slice(a, b + 1);
    const obs = firmStateObservables({
      distanceToDefault: Array.from({ length: b - a + 1 }, (_, s) => dd[(a + s) * N + i]),
      ...(wanted.includes("log_pd")
        ? { defaultProbability: Array.from({ length: b - a + 1 }, (_, s) => pd[(a + s) * N + i]) }
        : {}),
      ...(wanted.includes("log_cds_spread") ? { cdsSpread: cds.subarray(a, b + 1) } : {}),
    });
    const keep = obs.features.map((f, j) => [f, j] as const).filter(([f]) => (wanted as string[]).includes(f));
    const X = obs.X.map((row) => keep.map(([, j]) => row[j]));
    features = keep.map(([f]) => f);
    // Bounds from the PDs known before the first fit: the first two years of the firm's range.
    const early = Array.from({ length: Math.min(2 * DAYS_PER_YEAR, b - a + 1) }, (_, s) => pd[(a + s) * N + i]);
    const bounds = pdNotchBounds(early, scale, { pad: opts.boundsPad ?? 6 });
    const t0 = performance.now();
    const walk = walkForwardFirmStates(X, rangeDates, {
      features,
      prior,
      bounds,
      band: opts.band ?? 2,
      nStarts: opts.nStarts ?? 3,
      seed: `${seed}/${u.names[i]}`,
      maxIter: opts.maxIter ?? 60,
      warmIter: opts.warmIter ?? 2,
      minTrain,
      anchor: opts.anchor ?? "pd",
    });
    for (let s = 0; s < walk.dates.length; s++) {
      const t = a + walk.index[s];
      expectedNotch[t * N + i] = walk.expectedNotch[s];
      state[t * N + i] = notchToState(walk.expectedNotch[s]);
    }
    firmStates.push({
      name: u.names[i],
      bounds,
      refits: walk.refits.length,
      ordered: walk.refits.filter((r) => r.ordered).length,
      bandKept: walk.refits.filter((r) => r.bandKept).length,
      stability: walk.initial.stability,
      seconds: (performance.now() - t0) / 1000,
    });
  }

  const { health, healthWeights } = healthPanel(u);
  const score = new Float64Array(T * N).fill(NaN);
  const weights = opts.scoreWeights ?? [0.5, 0.5];
  for (let t = 0; t < T; t++) {
    const firms: number[] = [];
    for (let i = 0; i < N; i++) {
      if (Number.isFinite(health[t * N + i]) && Number.isFinite(state[t * N + i])) firms.push(i);
    }
    if (firms.length === 0) continue;
    const s = creditScore(
      firms.map((i) => health[t * N + i]),
      firms.map((i) => state[t * N + i]),
      { weights: [weights[0], weights[1]] },
    );
    firms.forEach((i, k) => (score[t * N + i] = s[k]));
  }
  return {
    dates: u.dates,
    firms: N,
    names: u.names,
    distanceToDefault: dd,
    defaultProbability: pd,
    hedgeRatio: hedge,
    expectedNotch,
    state,
    health,
    score,
    healthWeights,
    firmStates,
    features,
  };
}

/**
 * The health score of every firm and date from the latest report available, with PCA weights and normalisation
 * bounds refitted on the cross-section at the first date of each month (and used until the next).
 */
function healthPanel(u: FirmUniverse): {
  health: Float64Array;
  healthWeights: { date: Date; weights: PerRatio<number> }[];
} {
  const T = u.dates.length, N = u.firms, r = u.reports, Q = r.periodEnd.length;
  const health = new Float64Array(T * N).fill(NaN);
  const healthWeights: { date: Date; weights: PerRatio<number> }[] = [];
  const latest = new Int32Array(N).fill(-1);
  let q = 0;
  let fit: { weights: PerRatio<number>; bounds: PerRatio<readonly [number, number]> } | null = null;
  for (let t = 0; t < T; t++) {
    while (q < Q && r.availableIndex[q] <= t) {
      for (let i = 0; i < N; i++) if (Number.isFinite(r.totalAssets[q * N + i])) latest[i] = q;
      q++;
    }
    const firms: number[] = [];
    for (let i = 0; i < N; i++) if (latest[i] >= 0 && u.alive[t * N + i] && u.equity[t * N + i] > 0) firms.push(i);
    if (firms.length < 5) continue; // a principal component of four ratios needs a cross-section of a few firms
    const inputs = healthInputs(u, firms, latest, t);
    const newMonth = t === 0 || u.dates[t].getUTCMonth() !== u.dates[t - 1].getUTCMonth();
    if (fit === null || newMonth) {
      // A month whose cross-section leaves a ratio constant (every firm at a cap, say) has no principal component:
      // it keeps the previous month's weights and bounds.
      const f = fitHealth(inputs);
      if (f) {
        fit = { weights: f.weights, bounds: f.bounds };
        healthWeights.push({ date: u.dates[t], weights: f.weights });
      }
      if (fit === null) continue;
    }
    const h = financialHealth(inputs, { weights: fit.weights, bounds: fit.bounds, outOfBounds: "clip" });
    firms.forEach((i, k) => {
      const v = h.scoreByRow[k];
      if (v !== null) health[t * N + i] = v;
    });
  }
  return { health, healthWeights };
}

function fitHealth(
  inputs: HealthInputs,
): { weights: PerRatio<number>; bounds: PerRatio<readonly [number, number]> } | null {
  try {
    const f = financialHealth(inputs);
    return { weights: f.weights, bounds: f.bounds };
  } catch (error) {
    if (error instanceof RangeError && /constant|principal/.test(error.message)) return null;
    throw error;
  }
}

function healthInputs(u: FirmUniverse, firms: number[], latest: Int32Array, t: number): HealthInputs {
  const r = u.reports, N = u.firms;
  const at = (panel: Float64Array) => firms.map((i) => panel[latest[i] * N + i]);
  const std = at(r.shortTermDebt), ltd = at(r.longTermDebt), assets = at(r.totalAssets);
  return {
    ebit: at(r.ebit),
    interestExpense: at(r.interestExpense),
    shortTermDebt: std,
    longTermDebt: ltd,
    totalAssets: assets,
    totalEquity: assets.map((a, k) => a - std[k] - ltd[k]),
    marketCap: firms.map((i) => u.equity[t * N + i]),
  };
}

/**
 * Quarterly means of a dates × firms panel, firms as rows and calendar quarters ("2008 Q1") as columns, for a
 * heatmap: the mean of each firm's finite values in the quarter, null where it has none.
 *
 * @throws {RangeError} If the panel is not dates × names long.
 */
export function quarterlyMeans(
  dates: readonly Date[],
  panel: ArrayLike<number>,
  names: readonly string[],
): { rows: string[]; columns: string[]; values: (number | null)[][] } {
  const action = "average a panel by quarter";
  const T = requireDates(action, "dates", dates).length;
  if (!Array.isArray(names) || names.some((n) => typeof n !== "string")) {
    throw typeError(action, "names", "an array of strings", names);
  }
  const N = names.length;
  if (panel === null || typeof panel !== "object" || typeof panel.length !== "number") {
    throw typeError(action, "panel", "an array of numbers", panel);
  }
  if (panel.length !== T * N) throw rangeError(action, "panel", `${T * N} values (dates × names)`, panel.length);
  const label = (d: Date) => `${d.getUTCFullYear()} Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
  const columns: string[] = [], start: number[] = [];
  dates.forEach((d, t) => {
    if (t === 0 || label(d) !== label(dates[t - 1])) columns.push(label(d)), start.push(t);
  });
  start.push(T);
  const values = names.map((_, i) =>
    columns.map((_, c) => {
      let sum = 0, n = 0;
      for (let t = start[c]; t < start[c + 1]; t++) {
        const v = panel[t * N + i];
        if (Number.isFinite(v)) sum += v, n++;
      }
      return n === 0 ? null : sum / n;
    })
  );
  return { rows: [...names], columns, values };
}

/**
 * How close estimated notches are to the true ones of a synthetic universe, over the firm-days where both exist:
 * the share within 0.5, 1 and 2 notches, and the mean error (estimated − true; > 0 = estimated worse).
 */
export function notchAgreement(
  estimated: ArrayLike<number>,
  truth: ArrayLike<number>,
): { days: number; withinHalf: number; withinOne: number; withinTwo: number; meanError: number } {
  const action = "compare notches";
  for (const [name, v] of [["estimated", estimated], ["truth", truth]] as const) {
    if (v === null || typeof v !== "object" || typeof v.length !== "number") {
      throw typeError(action, name, "an array of notches", v);
    }
  }
  if (estimated.length !== truth.length) {
    throw rangeError(action, "estimated and truth", "of the same length", `${estimated.length} and ${truth.length}`);
  }
  let n = 0, half = 0, one = 0, two = 0, err = 0;
  for (let k = 0; k < estimated.length; k++) {
    const e = estimated[k], t = truth[k];
    if (!Number.isFinite(e) || !Number.isFinite(t)) continue;
    const d = Math.abs(e - t);
    n++, err += e - t;
    if (d <= 0.5) half++;
    if (d <= 1) one++;
    if (d <= 2) two++;
  }
  if (n === 0) throw rangeError(action, "estimated", "finite on at least one firm-day where truth is", 0);
  return { days: n, withinHalf: half / n, withinOne: one / n, withinTwo: two / n, meanError: err / n };
}

/** Options of {@linkcode energyFirmStudy}. */
export interface EnergyStudyOptions {
  /** S&P's letter transition matrix (`loadRatingTransitions(source)`). */ readonly transitions: TransitionTable;
  /** Step of the state model (default "weekly"). */ readonly step?: FirmStateStep;
  /** Seeded starts of each firm's first fit (default 3). */ readonly nStarts?: number;
  /** Seed of the starts (default "credit-scoring"). */ readonly seed?: Seed;
  /** Calendar days from a fiscal year end to its 10-K being known (default 60). */ readonly reportingLagDays?: number;
  /** Weekly points before the first fit (default 52: the data cover only 2012–2017). */ readonly minTrain?: number;
  /** Options of the strategy (default the study's: Kelly cap 5 %, correlation limit 0.6, equal weights). */
  readonly strategy?: CreditEquityOptions;
}

/** Result of {@linkcode energyFirmStudy}: dates × firms panels (index t·N + i). */
export interface EnergyStudy {
  readonly dates: Date[];
  readonly names: string[];
  /** KMV DD, the Merton 5-year spread (the CDS proxy, decimal), health, filtered notch and credit score. */
  readonly distanceToDefault: Float64Array;
  readonly mertonSpread: Float64Array;
  readonly health: Float64Array;
  readonly expectedNotch: Float64Array;
  readonly score: Float64Array;
  /** 10-K reports of the five firms that could not be scored, and why. */
  readonly unscored: readonly { readonly ticker: string; readonly fiscalYear: number; readonly reason: string }[];
  /** The S&P 500 firm-years of the cross-section each monthly refit used (first and last refit). */
  readonly crossSection: { readonly first: number; readonly last: number; readonly refits: number };
  readonly firmStates: readonly FirmStateReport[];
  readonly result: CreditEquityResult;
  readonly metrics: MonthlyMetrics;
  readonly inputs: CreditEquityInputs;
}

/**
 * The credit-scoring pipeline on the five real energy firms (APA, DVN, HAL, HES, OXY): KMV DD from their equity
 * and reported debt (`firmMertonSeries`); the **Merton 5-year spread as the CDS proxy** (they have no CDS in the
 * data); health from their 10-K figures in `sp500_fundamentals.csv`, known `reportingLagDays` after the fiscal year
 * end, with PCA weights and bounds refitted monthly on the whole S&P 500 cross-section of reports known by then (size
 * = ln total assets: the file has no prices); states from DD and the spread; the strategy against HY OAS (credit
 * index), the S&P 500 (equity index), the VIX and the 3-month bill (cash), each carried forward as of each date.
 *
 * @throws {RangeError|TypeError} On bad options or data.
 */
export function energyFirmStudy(source: MarketDataSource, opts: EnergyStudyOptions): EnergyStudy {
  const action = "run energy-firm study";
  requireKnownKeys(action, "opts", opts, [
    "transitions",
    "step",
    "nStarts",
    "seed",
    "reportingLagDays",
    "minTrain",
    "strategy",
  ]);
  const lagDays = requireInteger(action, "reportingLagDays", opts.reportingLagDays ?? 60, { min: 0, max: 366 });
  const minTrain = requireInteger(action, "minTrain", opts.minTrain ?? 52, { min: 10, max: 10_000 });
  const seed = requireSeed(action, "seed", opts.seed ?? "credit-scoring");
  const names = [...KMV_TICKERS];
  const N = names.length;
  const series = names.map((ticker) => firmMertonSeries(ticker, { source }));
  const dayMs = 86_400_000;
  const all = new Set<number>();
  // The date grid: every date on which some firm has a distance to default (its data's span, 2012–2017).
  series.forEach((df) => {
    const value = nanColumn(df, "dd");
    dateColumn(df).forEach((d, k) => Number.isFinite(value[k]) && all.add(d.getTime()));
  });
  const dates = [...all].sort((a, b) => a - b).map((t) => new Date(t));
  const T = dates.length;
  const at = new Map(dates.map((d, t) => [d.getTime(), t]));
  const panel = () => new Float64Array(T * N).fill(NaN);
  const dd = panel(),
    pd = panel(),
    spread = panel(),
    equity = panel(),
    price = panel(),
    hedge = new Float64Array(T * N);
  const treasury = loadTreasuryYields(source);
  const tDates = dateColumn(treasury);
  const y5 = alignAsOf(dates, tDates, nanColumn(treasury, "DGS5"));
  const bill = alignAsOf(dates, tDates, nanColumn(treasury, "DGS3MO"));
  const prices = loadEquityPrices(source);
  series.forEach((df, i) => {
    const d = dateColumn(df);
    const cols = Object.fromEntries(
      ["equity", "asset_value", "asset_vol", "default_point", "dd", "pd"].map((c) => [c, nanColumn(df, c)]),
    );
    const px = prices.filter(pl.col("ticker").eq(pl.lit(names[i])));
    const pxAt = new Map(dateColumn(px).map((day, k) => [day.getTime(), nanColumn(px, "adj_close")[k]]));
    let last = 0;
    d.forEach((day, k) => {
      const t = at.get(day.getTime());
      if (t === undefined) return;
      const j = t * N + i;
      equity[j] = cols.equity[k];
      price[j] = pxAt.get(day.getTime()) ?? NaN;
      const v = cols.asset_value[k], s = cols.asset_vol[k], debt = cols.default_point[k], r = Math.log1p(y5[t]);
      if (Number.isFinite(v) && Number.isFinite(s) && Number.isFinite(debt) && Number.isFinite(r)) {
        dd[j] = cols.dd[k], pd[j] = cols.pd[k];
        spread[j] = mertonSpread({ assetValue: v, assetVol: s, debt, rate: r, horizon: 5 });
        last = mertonHedgeRatio({ assetValue: v, assetVol: s, defaultPoint: debt, rate: r });
      }
      hedge[j] = last;
    });
  });
  // The strategy needs one contiguous quoted range per firm: from its first spread to its last.
  const prior = firmStatePrior(opts.transitions, { step: opts.step ?? "weekly" });
  const scale = notchPdScale(opts.transitions);
  const expectedNotch = panel(), state = panel();
  const firmStates: FirmStateReport[] = [];
  const span = (i: number) => {
    let a = 0;
    while (a < T && !(spread[a * N + i] > 0)) a++;
    let b = a;
    while (b + 1 < T && spread[(b + 1) * N + i] > 0) b++;
    return [a, b] as const;
  };
  for (let i = 0; i < N; i++) {
    const [a, b] = span(i);
    for (let t = 0; t < T; t++) {
      if (t < a || t > b) spread[t * N + i] = NaN, price[t * N + i] = t > b ? NaN : price[t * N + i];
    }
    if (b - a + 1 < 2 * DAYS_PER_YEAR) continue;
    const len = b - a + 1;
    const obs = firmStateObservables({
      distanceToDefault: Array.from({ length: len }, (_, s) => dd[(a + s) * N + i]),
      mertonSpread: Array.from({ length: len }, (_, s) => spread[(a + s) * N + i]),
    });
    const early = Array.from({ length: Math.min(DAYS_PER_YEAR, len) }, (_, s) => pd[(a + s) * N + i]);
    const t0 = performance.now();
    const walk = walkForwardFirmStates(obs.X, dates.slice(a, b + 1), {
      features: obs.features,
      prior,
      bounds: pdNotchBounds(early, scale, { pad: 8 }),
      nStarts: opts.nStarts ?? 3,
      seed: `${seed}/${names[i]}`,
      minTrain,
      // Absolute labels: notch k starts at S&P's PD of k, so a regime worse than the firm's first year (2015–16)
      // can reach notches beyond its early range.
      anchor: "pd",
    });
    for (let s = 0; s < walk.dates.length; s++) {
      const t = a + walk.index[s];
      expectedNotch[t * N + i] = walk.expectedNotch[s];
      state[t * N + i] = notchToState(walk.expectedNotch[s]);
    }
    firmStates.push({
      name: names[i],
      bounds: walk.bounds,
      refits: walk.refits.length,
      ordered: walk.refits.filter((r) => r.ordered).length,
      bandKept: walk.refits.filter((r) => r.bandKept).length,
      stability: walk.initial.stability,
      seconds: (performance.now() - t0) / 1000,
    });
  }
  // Health: the energy firms' 10-K rows against the S&P 500 cross-section known at each month's first date.
  const sp = sp500Arrays(loadSp500Fundamentals(source));
  const known = sp.periodEnding.map((d) => d.getTime() + lagDays * dayMs);
  const health = panel();
  const unscored: { ticker: string; fiscalYear: number; reason: string }[] = [];
  let fit: { weights: PerRatio<number>; bounds: PerRatio<readonly [number, number]> } | null = null;
  const sizes: number[] = [];
  const rowsOf = (idx: number[]): HealthInputs => ({
    ebit: idx.map((k) => sp.ebit[k]),
    interestExpense: idx.map((k) => sp.interestExpense[k]),
    shortTermDebt: idx.map((k) => sp.shortTermDebt[k]),
    longTermDebt: idx.map((k) => sp.longTermDebt[k]),
    totalAssets: idx.map((k) => sp.totalAssets[k]),
    totalEquity: idx.map((k) => sp.totalEquity[k]),
  });
  const latestKnown = (time: number, tickers: readonly string[] | null) => {
    const best = new Map<string, number>();
    for (let k = 0; k < sp.rows; k++) {
      if (known[k] > time || (tickers && !tickers.includes(sp.ticker[k]))) continue;
      if (time - known[k] > 450 * dayMs) continue; // a report more than 15 months old is stale
      const prev = best.get(sp.ticker[k]);
      if (prev === undefined || sp.periodEnding[prev] < sp.periodEnding[k]) best.set(sp.ticker[k], k);
    }
    return best;
  };
  const seen = new Set<string>();
  for (let t = 0; t < T; t++) {
    const time = dates[t].getTime();
    if (t === 0 || dates[t].getUTCMonth() !== dates[t - 1].getUTCMonth() || fit === null) {
      const cross = [...latestKnown(time, null).values()];
      if (cross.length < 50) continue;
      const f = financialHealth(rowsOf(cross));
      fit = { weights: f.weights, bounds: f.bounds };
      sizes.push(f.rows.length);
    }
    const own = latestKnown(time, names);
    const idx = names.map((n) => own.get(n) ?? -1);
    const have = idx.filter((k) => k >= 0);
    if (have.length === 0) continue;
    const h = financialHealth(rowsOf(have), { weights: fit.weights, bounds: fit.bounds, outOfBounds: "clip" });
    let m = 0;
    idx.forEach((k, i) => {
      if (k < 0) return;
      const v = h.scoreByRow[m++];
      if (v !== null) health[t * N + i] = v;
      else if (!seen.has(`${k}`)) {
        seen.add(`${k}`);
        const reason = h.excluded.find((e) => e.row === m - 1)?.reason ?? "excluded";
        unscored.push({ ticker: sp.ticker[k], fiscalYear: sp.fiscalYear[k], reason });
      }
    });
  }
  const score = panel();
  for (let t = 0; t < T; t++) {
    const firms = names.map((_, i) => i).filter((i) => Number.isFinite(health[t * N + i] + state[t * N + i]));
    if (firms.length === 0) continue;
    const s = creditScore(firms.map((i) => health[t * N + i]), firms.map((i) => state[t * N + i]));
    firms.forEach((i, k) => (score[t * N + i] = s[k]));
  }
  const asOf = (df: pl.DataFrame, column: string) => alignAsOf(dates, dateColumn(df), nanColumn(df, column));
  const inputs: CreditEquityInputs = {
    dates,
    firms: N,
    score,
    vix: asOf(loadVix(source), "VIXCLS"),
    cdsMid: spread,
    equityPrice: price,
    hedgeRatio: hedge,
    riskFree: Float64Array.from(bill, (y) => y / 100),
    marketCap: Float64Array.from(equity, (e) => (Number.isFinite(e) ? e : 0)),
    equityIndex: asOf(loadSpx(source), "close"),
    creditIndexSpread: Float64Array.from(asOf(loadCreditSpreads(source), "BAMLH0A0HYM2"), (s) => s / 100),
  };
  const strategy = opts.strategy ?? { kelly: { cap: 0.05 }, maxCorrelation: 0.6 };
  const result = runCreditEquity(inputs, strategy);
  const metrics = monthlyMetrics({ dates: result.dates, returns: result.book.returns, riskFree: result.cashReturns });
  return {
    dates,
    names,
    distanceToDefault: dd,
    mertonSpread: spread,
    health,
    expectedNotch,
    score,
    unscored,
    crossSection: { first: sizes[0] ?? 0, last: sizes.at(-1) ?? 0, refits: sizes.length },
    firmStates,
    result,
    metrics,
    inputs,
  };
}
