/**
 * Firm credit states: a per-firm 21-notch Gaussian HMM whose states stay ordered by credit quality by construction.
 *
 *     states        sₜ ∈ {AAA = 0, …, CC/C = 19, D = 20};  D absorbing
 *     transitions   P(sₜ = j | sₜ₋₁ = i) = Aᵢⱼ, Aᵢⱼ = 0 unless |i − j| ≤ band (or j = D), and j within the firm's bounds
 *     emissions     xₜ | sₜ = k ~ N(μₖ, diag σ²ₖ) on the firm's own credit observables:
 *                   DD (μ decreasing in k), ln PD, ln CDS spread or ln Merton spread (μ increasing in k)
 *
 * **Ordered by construction.** After every M-step the emission means are projected onto sequences monotone in the
 * notch (weighted isotonic regression, `GaussianHMM`'s `ordered` option): DD falls and PD and spreads rise from AAA
 * to D. States are never relabelled after fitting, so the band of allowed moves and the absorbing default stay in
 * notch order: a fitted matrix has exactly zero outside the band. (The market-level model of `states.ts` relabels
 * its states by spread after fitting, which scatters its band.) Macro observables (rates, VIX) are not accepted: in
 * a joint model they make the states segment time by macro regime rather than by credit quality.
 *
 * **Priors.** The transition matrix starts from S&P's notch matrix at the model's step ({@linkcode firmStatePrior}:
 * the generator of the one-year matrix, Q = log P, taken to exp(QΔt)) restricted to the mask and renormalised. Per-
 * firm bounds (min..max notch, the original's min–max rating bounds) forbid the notches outside: zero start
 * probability and zero probability of moving there. S&P's matrix also stays in the fit as a Dirichlet prior
 * (`priorYears` of pseudo-observations per row, MAP-EM), so a move the sample has not shown keeps a small
 * probability. The start distribution is uniform over the bounds (or given) and kept fixed by EM, so it is never a
 * point mass. Initial means (`anchor: "range"`): a composite credit index z (the mean of the features standardised
 * and signed so that larger is worse); the notches of the bounds at evenly spaced points of z's 1–99 % range, each
 * feature's mean there from its least-squares line on z; notches outside extrapolated; D 10 standard deviations
 * beyond the worst. So notch labels are relative to the bounds: give bounds from the firm's rating history (or
 * {@linkcode pdNotchBounds}) to anchor them on the rating scale; a regime worse than any the first training window
 * showed then sits at the bound. With `anchor: "pd"` the starting means are S&P's notch PDs instead
 * (DD = −Φ⁻¹(PDₖ), ln PDₖ, and the spread regressed on ln PD), the labels are absolute PD-implied ratings (from a
 * risk-neutral Merton PD, which is often far below the historical default rate of investment-grade firms, so many
 * sit at AAA), and the start distribution is spread over the notches implied by the first 13 observations' PDs
 * (add-one smoothed over the bounds). D's starting means are 10 standard deviations beyond CC/C's in every feature
 * (for ln PD that can exceed 0: D is a far, absorbing state that a firm which never defaults never visits, not a
 * calibrated emission).
 *
 * **Several starts** ({@linkcode fitFirmCreditStates}): start 0 spaces the notches evenly, start s > 0 at seeded
 * random spacings (PD anchors: seeded noise); the best by EM's objective is kept and the stability of the decoded
 * (Viterbi) path across starts is reported.
 *
 * **Walk-forward** ({@linkcode walkForwardFirmStates}): on the first trading day of each month the model is refitted
 * on the observations strictly before that day, warm-started from the previous month's parameters, and the notch
 * probabilities a strategy sees on each date t are filtered — data up to t, parameters fitted before t.
 *
 * **The step.** The HMM runs on one observation per step (the last trading day of each week by default): 17 years
 * are ~880 weekly points instead of ~4,300 daily ones, the S&P prior is taken to the weekly step and the band is
 * ±2 notches a week. Daily probabilities come from the weekly model by letting day t's observation stand for its
 * week: pₜ ∝ N(xₜ; μ, σ²) ⊙ (αᵀA), α the filtered probabilities at the end of the previous week.
 *
 * References:
 * 1. Rabiner, L. R. (1989). A tutorial on hidden Markov models. Proc. IEEE 77(2), 257–286.
 * 2. Israel, R. B., Rosenthal, J. S. & Wei, J. Z. (2001). Finding generators for Markov chains via empirical
 *    transition matrices, with applications to credit ratings. Mathematical Finance 11(2), 245–265.
 * 3. Crosbie, P. & Bohn, J. (2003). Modeling default risk. Moody's KMV (DD and PD = N(−DD)).
 * @module
 */
import {
  rangeError,
  requireFiniteArray,
  requireInteger,
  requireKnownKeys,
  requireMatrix,
  requirementError,
  requireNonNegative,
  requirePositive,
  requireSeed,
  typeError,
} from "../core/check.ts";
import { gamma as gammaDraw, makeRng, standardNormal } from "../core/rng.ts";
import { normInv, normLogCdf } from "../core/special.ts";
import type { TransitionTable } from "../data/load.ts";
import { GaussianHMM, type OrderedFeature, type StateBounds } from "./hmm.ts";
import {
  DEFAULT_NOTCH,
  N_NOTCHES,
  notchPdScale,
  notchTransitionMatrix,
  pdToNotch,
  ratingGenerator,
  STEP_YEARS,
  transitionMatrixForStep,
} from "./ratings.ts";

/** The observables a firm-state model may use, with the direction of their mean as the notch worsens. */
export const FIRM_STATE_FEATURES = {
  /** Distance to default (KMV/Merton), in standard deviations: falls as credit worsens. */ dd: "decreasing",
  /** ln PD, the one-year default probability (PD = N(−DD) under KMV): rises. */ log_pd: "increasing",
  /** ln of the firm's CDS spread (decimal): rises. */ log_cds_spread: "increasing",
  /** ln of the Merton model's credit spread (decimal), the proxy where a firm has no CDS: rises. */
  log_merton_spread: "increasing",
} as const;
/** A column name of a firm-state model's X. */
export type FirmStateFeature = keyof typeof FIRM_STATE_FEATURES;
/** The model's step: one observation per trading day, week or month. */
export type FirmStateStep = "daily" | "weekly" | "monthly";

/** S&P's notch migration over one step of the model: built once, shared by every firm. */
export interface FirmStatePrior {
  readonly step: FirmStateStep;
  /** Δt in years (1/252, 1/52, 1/12). */ readonly stepYears: number;
  /** P(Δt) = exp(QΔt), 21 × 21, rows summing to 1, D absorbing. */ readonly matrix: number[][];
  /** max |exp(Q) − P| of the repaired generator against the one-year notch matrix. */ readonly oneYearError: number;
  /** One-year PD of each notch (`notchPdScale` of the same table): the anchor of `anchor: "pd"`. */
  readonly pdScale: number[];
}

/**
 * S&P's 21-notch transition matrix over one step of the model: the notch expansion of the published letter matrix
 * (`notchTransitionMatrix`), its generator Q = log P repaired by IRW's diagonal adjustment (`ratingGenerator`), and
 * P(Δt) = exp(QΔt) (`transitionMatrixForStep`). Compute it once and pass it to every firm's fit.
 *
 * @param table An NR-adjusted letter matrix (`loadRatingTransitions(source)`).
 * @param opts.step "daily", "weekly" (default) or "monthly".
 *
 * @example A week's matrix: rows sum to 1 and D stays absorbing
 * ```ts
 * import assert from "node:assert/strict";
 * import { directorySource } from "../data/source.ts";
 * import { loadRatingTransitions } from "../data/load.ts";
 * import { firmStatePrior } from "./firm_states.ts";
 *
 * const prior = firmStatePrior(loadRatingTransitions(directorySource("tests/fixtures/market")));
 * assert.equal(prior.stepYears, 1 / 52);
 * assert.equal(prior.matrix[20][20], 1);
 * assert.ok(Math.abs(prior.matrix[8].reduce((a, b) => a + b, 0) - 1) < 1e-12);
 * ```
 */
export function firmStatePrior(table: TransitionTable, opts: { step?: FirmStateStep } = {}): FirmStatePrior {
  const action = "build firm-state prior";
  requireKnownKeys(action, "opts", opts, ["step"]);
  const step = checkStep(action, opts.step ?? "weekly");
  const { generator, oneYearError } = ratingGenerator(notchTransitionMatrix(table));
  const stepYears = STEP_YEARS[step];
  return {
    step,
    stepYears,
    matrix: transitionMatrixForStep(generator, stepYears),
    oneYearError,
    pdScale: notchPdScale(table),
  };
}

/**
 * The transition mask of a firm-state model, in notch order: from notch i (not D) the moves allowed go to notches j
 * within `bounds` with |i − j| ≤ band, and to D (always when `jumpToDefault`, the default; otherwise only within the
 * band); D goes only to D. Rows of notches outside the bounds (never reached) keep the same rule.
 *
 * @param opts.band Largest move in notches per step (default 2).
 * @param opts.bounds Allowed notches min..max, 0 ≤ min ≤ max ≤ 19 (default 0..19).
 */
export function firmStateMask(
  opts: { band?: number; bounds?: StateBounds; jumpToDefault?: boolean } = {},
): boolean[][] {
  const action = "build firm-state mask";
  requireKnownKeys(action, "opts", opts, ["band", "bounds", "jumpToDefault"]);
  const band = requireInteger(action, "band", opts.band ?? 2, { min: 1, max: DEFAULT_NOTCH });
  const { min, max } = checkBounds(action, opts.bounds);
  const jump = opts.jumpToDefault ?? true;
  return Array.from({ length: N_NOTCHES }, (_, i) =>
    Array.from({ length: N_NOTCHES }, (_, j) => {
      if (i === DEFAULT_NOTCH) return j === DEFAULT_NOTCH;
      if (j === DEFAULT_NOTCH) return jump || DEFAULT_NOTCH - i <= band || !hasInBand(i, band, min, max);
      return j >= min && j <= max && Math.abs(i - j) <= band;
    }));
}

function hasInBand(i: number, band: number, min: number, max: number): boolean {
  return Math.max(min, i - band) <= Math.min(max, i + band);
}

/**
 * Notch bounds spanning the notches implied by a sample of PDs: the `lower` and `upper` quantiles (defaults 0.05
 * and 0.95) of `pdToNotch(pd)`, widened by `pad` notches (default 2) on each side and kept within 0..19. Use it on
 * data known before the first fit (e.g. the first two years) — not on the whole sample.
 *
 * @param pd One-year default probabilities in [0, 1].
 * @param scale PD per notch (`notchPdScale`).
 */
export function pdNotchBounds(
  pd: ArrayLike<number>,
  scale: readonly number[],
  opts: { lower?: number; upper?: number; pad?: number } = {},
): StateBounds {
  const action = "derive notch bounds";
  requireKnownKeys(action, "opts", opts, ["lower", "upper", "pad"]);
  const lower = opts.lower ?? 0.05, upper = opts.upper ?? 0.95;
  if (!(lower >= 0 && lower <= upper && upper <= 1)) {
    throw rangeError(action, "lower/upper", "quantiles with 0 ≤ lower ≤ upper ≤ 1", `${lower}/${upper}`);
  }
  const pad = requireInteger(action, "pad", opts.pad ?? 2, { min: 0, max: DEFAULT_NOTCH });
  requireFiniteArray(action, "pd", pd, { minLength: 1 });
  const notches = Array.from({ length: pd.length }, (_, i) => pdToNotch(pd[i], scale)).sort((a, b) => a - b);
  const at = (q: number) => notches[Math.min(notches.length - 1, Math.floor(q * notches.length))];
  const top = DEFAULT_NOTCH - 1;
  return { min: Math.max(0, Math.min(top, at(lower)) - pad), max: Math.min(top, at(upper) + pad) };
}

/**
 * The columns of a firm-state model from a firm's series: DD, ln PD (from `defaultProbability` when given, otherwise
 * ln N(−DD) computed in log space, finite for any DD) and ln spread for whichever spread is given (CDS, or Merton as
 * the labelled proxy).
 *
 * @param p.distanceToDefault DD per date, finite.
 * @param p.defaultProbability PD per date in (0, 1] (optional).
 * @param p.cdsSpread The firm's CDS spread per date, decimal > 0 (optional).
 * @param p.mertonSpread The Merton credit spread per date, decimal > 0 (optional).
 * @returns X (T × F) and its column names, in the order dd, log_pd, log_cds_spread, log_merton_spread.
 * @throws {RangeError} On a missing or out-of-domain value, naming the series and the index.
 */
export function firmStateObservables(p: {
  distanceToDefault: ArrayLike<number>;
  defaultProbability?: ArrayLike<number>;
  cdsSpread?: ArrayLike<number>;
  mertonSpread?: ArrayLike<number>;
}): { X: number[][]; features: FirmStateFeature[] } {
  const action = "build firm-state observables";
  if (p === null || typeof p !== "object") throw typeError(action, "p", "an object of series", p);
  requireKnownKeys(action, "p", p, ["distanceToDefault", "defaultProbability", "cdsSpread", "mertonSpread"]);
  const dd = requireFiniteArray(action, "distanceToDefault", p.distanceToDefault, { minLength: 1 }), T = dd.length;
  const columns: { name: FirmStateFeature; values: Float64Array }[] = [];
  const series = (name: string, values: ArrayLike<number>, ok: (v: number) => boolean, rule: string) => {
    requireFiniteArray(action, name, values);
    if (values.length !== T) {
      throw rangeError(action, name, `${T} values (as many as distanceToDefault)`, values.length);
    }
    for (let t = 0; t < T; t++) if (!ok(values[t])) throw rangeError(action, `${name}[${t}]`, rule, values[t]);
    return values;
  };
  series("distanceToDefault", dd, Number.isFinite, "finite");
  columns.push({ name: "dd", values: Float64Array.from(dd) });
  const logPd = new Float64Array(T);
  if (p.defaultProbability) {
    const pd = series("defaultProbability", p.defaultProbability, (v) => v > 0 && v <= 1, "a probability in (0, 1]");
    for (let t = 0; t < T; t++) logPd[t] = Math.log(pd[t]);
  } else for (let t = 0; t < T; t++) logPd[t] = normLogCdf(-dd[t]);
  columns.push({ name: "log_pd", values: logPd });
  for (const [key, name] of [["cdsSpread", "log_cds_spread"], ["mertonSpread", "log_merton_spread"]] as const) {
    const s = p[key];
    if (!s) continue;
    series(key, s, (v) => v > 0 && Number.isFinite(v), "a finite spread > 0");
    columns.push({ name, values: Float64Array.from(s, Math.log) });
  }
  return {
    X: Array.from({ length: T }, (_, t) => columns.map((c) => c.values[t])),
    features: columns.map((c) => c.name),
  };
}

/** Options of {@linkcode fitFirmCreditStates}. */
export interface FirmStateOptions {
  /** Names of X's columns, in order (each at most once). */ readonly features: readonly FirmStateFeature[];
  /** S&P's matrix at the model's step ({@linkcode firmStatePrior}); its step is the model's step. */
  readonly prior: FirmStatePrior;
  /** Allowed notches min..max, 0 ≤ min ≤ max ≤ 19 (default 0..19); D is always allowed. */
  readonly bounds?: StateBounds;
  /** Largest move in notches per step (default 2). */ readonly band?: number;
  /** Whether D can be reached from any notch in one step (default true). */ readonly jumpToDefault?: boolean;
  /** Seeded starts; the best log-likelihood is kept (default 3). */ readonly nStarts?: number;
  /** Seed of the starts (default 0). */ readonly seed?: number | string;
  /** Baum–Welch iterations per start (default 100). */ readonly maxIter?: number;
  /** Relative log-likelihood tolerance of EM (default 1e-6). */ readonly tol?: number;
  /** Start distribution over the 21 notches, zero outside the bounds and on D (default uniform over the bounds). */
  readonly startProb?: readonly number[];
  /** Variance floor as a share of each feature's sample variance (default 1e-3). */ readonly varianceFloor?: number;
  /**
   * How the starting means place the notches (default "range"): "range" spreads the notches of the bounds evenly
   * over the 1–99 % range of the composite credit index, so the firm spans its bounds; "pd" puts notch k at S&P's
   * PD for k (DD = −Φ⁻¹(PDₖ), ln PD = ln PDₖ, ln spread by a regression on ln PD), so labels are absolute and
   * regimes the sample has not shown yet have notches waiting for them.
   */
  readonly anchor?: "range" | "pd";
  /**
   * Weight of S&P's matrix as a Dirichlet prior on each row of A, in years of observations at the step (default 1:
   * pseudo-counts 52 × the weekly prior row). It keeps moves the sample never showed possible (otherwise EM drives
   * them to exactly 0 and the filter can never leave a state). 0 turns it off.
   */
  readonly priorYears?: number;
}

/** How much the decoded path depends on the start. */
export interface FirmStateStability {
  /** Share of observations on which another start's Viterbi path equals the best start's (mean over the others). */
  readonly exactAgreement: number;
  /** The same within one notch. */ readonly withinOneAgreement: number;
  /** The smallest exact agreement of any start. */ readonly minExactAgreement: number;
  /** Largest minus smallest log-likelihood over the starts (nats). */ readonly logLikelihoodSpread: number;
  /** Per start: its agreement with the best start (1 for the best itself). */
  readonly perStart: readonly { readonly exact: number; readonly withinOne: number }[];
}

/** Whether one feature's fitted means are monotone across the 21 notches in their direction. */
export interface FirmStateOrdering {
  readonly feature: FirmStateFeature;
  readonly direction: "increasing" | "decreasing";
  readonly monotone: boolean;
}

/** A fitted firm-state model with its priors and diagnostics. */
export interface FirmStateFit {
  /** The best start's model: states 0..20 are the notches AAA..D, never relabelled. */ readonly model: GaussianHMM;
  readonly features: readonly FirmStateFeature[];
  readonly step: FirmStateStep;
  readonly bounds: StateBounds;
  readonly band: number;
  /** false = move forbidden (kept at exactly 0 by EM). */ readonly mask: boolean[][];
  /** EM's starting matrix: the prior restricted to the mask, rows renormalised. */ readonly initialTransMat:
    number[][];
  /** The fixed start distribution. */ readonly startProb: readonly number[];
  /** log P(X | fitted model), nats. */ readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** The best start's Viterbi path on X (ex post: it uses the whole sample). */ readonly path: Int32Array;
  /** Per start: log-likelihood, EM's objective (log posterior, the start kept is the best by it), iterations. */
  readonly starts: readonly {
    readonly logLikelihood: number;
    readonly logPosterior: number;
    readonly iterations: number;
    readonly converged: boolean;
  }[];
  readonly stability: FirmStateStability;
  readonly ordering: readonly FirmStateOrdering[];
  /** Every fitted transition outside the mask is exactly 0. */ readonly bandKept: boolean;
}

/**
 * Fits one firm's 21-notch credit-state model (see the module notes) from `nStarts` seeded starts and keeps the best
 * log-likelihood.
 *
 * @param X Observations at the prior's step, T × F, columns named by `opts.features`
 *   ({@linkcode firmStateObservables}); T ≥ 2·(notches in the bounds) + 2.
 * @throws {RangeError} On bad options or data (non-finite values, a constant column, too few rows).
 *
 * @example Two regimes of DD: the fitted DD means fall with the notch and no move leaves the band
 * ```ts
 * import assert from "node:assert/strict";
 * import { directorySource } from "../data/source.ts";
 * import { loadRatingTransitions } from "../data/load.ts";
 * import { firmStatePrior, fitFirmCreditStates } from "./firm_states.ts";
 *
 * const prior = firmStatePrior(loadRatingTransitions(directorySource("tests/fixtures/market")));
 * const X = Array.from({ length: 200 }, (_, t) => [(t < 100 ? 6 : 3) + 0.1 * Math.sin(t)]);
 * const fit = fitFirmCreditStates(X, { features: ["dd"], prior, bounds: { min: 6, max: 12 }, nStarts: 2 });
 * assert.ok(fit.ordering[0].monotone && fit.bandKept);
 * assert.ok(fit.path[0] < fit.path[199]);
 * ```
 */
export function fitFirmCreditStates(X: number[][], opts: FirmStateOptions): FirmStateFit {
  const action = "fit firm credit states";
  const s = settings(action, X, opts);
  const starts = Array.from({ length: s.nStarts }, (_, k) => {
    const r = fitStart(X, s, k);
    return { ...r, logLikelihood: r.model.score(X) };
  });
  let best = 0; // the best start by EM's objective (the log posterior when priorYears > 0)
  starts.forEach((r, k) => (r.objective > starts[best].objective ? (best = k) : 0));
  const paths = starts.map((r) => Int32Array.from(r.model.decode(X).states));
  return {
    ...describe(starts[best].model, s),
    logLikelihood: starts[best].logLikelihood,
    iterations: starts[best].model.iterations,
    converged: starts[best].model.converged,
    path: paths[best],
    starts: starts.map((r) => ({
      logLikelihood: r.logLikelihood,
      logPosterior: r.objective,
      iterations: r.model.iterations,
      converged: r.model.converged,
    })),
    stability: pathStability(paths, best, starts.map((r) => r.logLikelihood)),
  };
}

/**
 * How much a decoded path depends on the start: each start's Viterbi path against the kept start's, the share of
 * observations on which they agree exactly and within one notch (the mean over the other starts; 1 with one start),
 * the worst start's exact agreement, and the spread of the starts' log-likelihoods. Shared by the firm and the market
 * credit-state models.
 *
 * @param paths One decoded path per start, all of one length.
 * @param best Index of the kept start.
 * @param logLikelihoods log P(X | start's model) per start.
 */
export function pathStability(
  paths: readonly Int32Array[],
  best: number,
  logLikelihoods: readonly number[],
): FirmStateStability {
  const perStart = paths.map((path) => {
    let exact = 0, within = 0;
    for (let t = 0; t < path.length; t++) {
      const d = Math.abs(path[t] - paths[best][t]);
      exact += d === 0 ? 1 : 0, within += d <= 1 ? 1 : 0;
    }
    return { exact: exact / path.length, withinOne: within / path.length };
  });
  const others = perStart.filter((_, k) => k !== best);
  const mean = (v: number[]) => (v.length === 0 ? 1 : v.reduce((a, b) => a + b, 0) / v.length);
  return {
    exactAgreement: mean(others.map((o) => o.exact)),
    withinOneAgreement: mean(others.map((o) => o.withinOne)),
    minExactAgreement: Math.min(...perStart.map((o) => o.exact)),
    logLikelihoodSpread: Math.max(...logLikelihoods) - Math.min(...logLikelihoods),
    perStart,
  };
}

/** Options of {@linkcode walkForwardFirmStates}. */
export interface FirmWalkForwardOptions extends FirmStateOptions {
  /**
   * Observations at the model's step needed before the first fit (default two years — 504 daily, 104 weekly or 24
   * monthly points — and at least 2 per notch of the bounds + 2). Dates before the first refit get no
   * probabilities.
   */
  readonly minTrain?: number;
  /**
   * Baum–Welch iterations of each warm-started monthly refit (default 1: each refit takes one ECM step from last
   * month's parameters on the grown sample, so the iterations accumulate along the walk-forward, as in online EM;
   * 2 costs about 1.5 times as much).
   */
  readonly warmIter?: number;
  /**
   * Fit on the last `window` observations at the step only (default: all before the refit date, an expanding
   * window); the filter still runs from the first observation.
   */
  readonly window?: number;
}

/** One monthly refit of {@linkcode walkForwardFirmStates}. */
export interface FirmRefit {
  /** First date on which these parameters are used (the first trading day of a month). */ readonly date: Date;
  /** Last date of the data the fit used (strictly before `date`). */ readonly trainEnd: Date;
  /** Observations at the model's step in the fit. */ readonly observations: number;
  /** log-likelihood of the training data under the fitted parameters (nats). */ readonly logLikelihood: number;
  /**
   * Out of sample: Σ ln p(xₑ | earlier points) over the observation points from this refit to the next, under these
   * parameters (nats), and how many points that is — known only at the next refit, a diagnostic, not an input.
   */
  readonly outOfSampleLogScore: number;
  readonly outOfSampleObservations: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** All fitted means monotone in their direction. */ readonly ordered: boolean;
  /** No fitted move outside the band and bounds. */ readonly bandKept: boolean;
  /** The fitted model (states = notches). */ readonly model: GaussianHMM;
}

/** Causal notch probabilities of one firm, date by date. */
export interface FirmWalkForward {
  /** The dates that have a model (from the first refit on). */ readonly dates: Date[];
  /** Their rows in X. */ readonly index: Int32Array;
  /** Filtered P(notch = k | data up to t), parameters fitted before t; one row of 21 per date. */
  readonly proba: number[][];
  /** Σₖ k·P(notch = k). */ readonly expectedNotch: Float64Array;
  /** argmaxₖ P(notch = k). */ readonly mostLikelyNotch: Int32Array;
  /** Which refit's parameters each date used (an index into `refits`). */ readonly refit: Int32Array;
  readonly refits: readonly FirmRefit[];
  /** The first fit, from `nStarts` starts, with its stability report. */ readonly initial: FirmStateFit;
  readonly step: FirmStateStep;
  readonly features: readonly FirmStateFeature[];
  readonly bounds: StateBounds;
}

/**
 * Walk-forward firm credit states (see the module notes): monthly refits on data strictly before each refit date,
 * warm-started; for every date t from the first refit on, the notch probabilities filtered from the observations at
 * the model's step up to the end of the previous period and the observation of day t itself.
 *
 * Observation points: with a weekly (monthly) step, the last trading day of each calendar week, Monday to Sunday
 * (month), known to be last once the next date falls in a new period; with a daily step, every date. A refit on date
 * r uses the points before r. So nothing at date t depends on data after t (tested by perturbing the future).
 *
 * @param X Daily observations, T × F, columns named by `opts.features`.
 * @param dates T strictly increasing dates (UTC).
 * @throws {RangeError} On bad options or data, or too few observations for a first fit before the last month.
 */
export function walkForwardFirmStates(
  X: number[][],
  dates: readonly Date[],
  opts: FirmWalkForwardOptions,
): FirmWalkForward {
  const action = "walk forward firm credit states";
  const { minTrain: _m, warmIter: _w, window: _win, ...fitOpts } = opts;
  requireKnownKeys(action, "opts", opts, [...FIT_KEYS, "minTrain", "warmIter", "window"]);
  const T = requireMatrix(action, "X", X, { minRows: 2 }).rows;
  if (!Array.isArray(dates) || dates.length !== T) {
    throw rangeError(action, "dates", `${T} dates (one per row of X)`, dates?.length);
  }
  const time = dates.map((d, t) => {
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw rangeError(action, `dates[${t}]`, "a valid Date", d);
    return d.getTime();
  });
  for (let t = 1; t < T; t++) {
    if (!(time[t] > time[t - 1])) throw rangeError(action, `dates[${t}]`, "after the date before it", dates[t]);
  }
  const step = checkStep(action, opts.prior?.step);
  const defaults = { daily: 504, weekly: 104, monthly: 24 };
  const { min: lo, max: hi } = checkBounds(action, opts.bounds);
  const minTrain = requireInteger(
    action,
    "minTrain",
    opts.minTrain ?? Math.max(defaults[step], 2 * (hi - lo + 1) + 2),
    {
      min: 2,
    },
  );
  const warmIter = requireInteger(action, "warmIter", opts.warmIter ?? 1, { min: 1, max: 10_000 });
  const window = opts.window === undefined ? Infinity : requireInteger(action, "window", opts.window, { min: 2 });
  // Observation points: the last date of each period, known once the next date is in another period.
  const period = time.map((ms) => periodOf(step, ms));
  const ends: number[] = [];
  for (let t = 0; t + 1 < T; t++) if (period[t + 1] !== period[t]) ends.push(t);
  // prevEnd[t]: how many observation points end before t's period begins (the last is ends[prevEnd − 1]).
  const prevEnd = new Int32Array(T);
  for (let t = 0, e = 0; t < T; t++) {
    while (e < ends.length && period[ends[e]] < period[t]) e++;
    prevEnd[t] = e;
  }
  // Refit dates: the first trading day of each month with minTrain points before it.
  const refitDays: number[] = [];
  for (let t = 1; t < T; t++) {
    const monthStart = periodOf("monthly", time[t]) !== periodOf("monthly", time[t - 1]);
    if (monthStart && countBefore(ends, t) >= minTrain) refitDays.push(t);
  }
  if (refitDays.length === 0) {
    throw rangeError(action, "X", `at least ${minTrain} ${step} observations before the start of a month`, ends.length);
  }
  const endRows = ends.map((e) => X[e]);
  const refits: FirmRefit[] = [];
  const first = refitDays[0], rows = T - first, K = N_NOTCHES;
  const proba: number[][] = new Array(rows);
  const expected = new Float64Array(rows), likely = new Int32Array(rows), which = new Int32Array(rows);
  let initial: FirmStateFit | null = null, model: GaussianHMM | null = null;
  let s: Settings | null = null;
  for (let m = 0; m < refitDays.length; m++) {
    const day = refitDays[m], until = m + 1 < refitDays.length ? refitDays[m + 1] : T;
    const n = countBefore(ends, day), from = Math.max(0, n - window);
    const train = endRows.slice(from, n);
    let fit: { model: GaussianHMM; logLikelihood?: number };
    if (m === 0) {
      initial = fitFirmCreditStates(train, fitOpts);
      s = settings(action, train, fitOpts);
      fit = initial;
    } else fit = fitStart(train, s!, 0, model!, warmIter);
    model = fit.model;
    // Filtered probabilities at the observation points these dates need (one forward pass, which also scores the
    // training points when the window is expanding), then one predict–update step per date.
    const needed = prevEnd[until - 1];
    const { proba: alphaAtEnds, logPredictive } = model.filter(endRows.slice(0, Math.max(needed, n)));
    let inSample = 0, outOfSample = 0;
    for (let e = 0; e < logPredictive.length; e++) {
      e < n ? (inSample += logPredictive[e]) : (outOfSample += logPredictive[e]);
    }
    const d = describe(model, s!);
    refits.push({
      date: dates[day],
      trainEnd: dates[ends[n - 1]],
      observations: train.length,
      logLikelihood: m === 0 ? fit.logLikelihood! : from === 0 ? inSample : model.score(train),
      outOfSampleLogScore: outOfSample,
      outOfSampleObservations: logPredictive.length - n,
      iterations: model.iterations,
      converged: model.converged,
      ordered: d.ordering.every((o) => o.monotone),
      bandKept: d.bandKept,
      model,
    });
    const stepper = dayFilter(model);
    for (let t = day; t < until; t++) {
      const prior = prevEnd[t] > 0 ? alphaAtEnds[prevEnd[t] - 1] : null;
      const p = stepper(prior, X[t], t);
      const r = t - first;
      proba[r] = p;
      let e = 0, arg = 0;
      for (let k = 0; k < K; k++) (e += k * p[k]), p[k] > p[arg] ? (arg = k) : 0;
      expected[r] = e, likely[r] = arg, which[r] = m;
    }
  }
  return {
    dates: dates.slice(first),
    index: Int32Array.from({ length: rows }, (_, r) => first + r),
    proba,
    expectedNotch: expected,
    mostLikelyNotch: likely,
    refit: which,
    refits,
    initial: initial!,
    step,
    features: [...opts.features],
    bounds: s!.bounds,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Internals.

const FIT_KEYS = [
  "anchor",
  "features",
  "prior",
  "bounds",
  "band",
  "jumpToDefault",
  "nStarts",
  "seed",
  "maxIter",
  "priorYears",
  "tol",
  "startProb",
  "varianceFloor",
];

interface Settings {
  features: FirmStateFeature[];
  step: FirmStateStep;
  bounds: StateBounds;
  band: number;
  mask: boolean[][];
  initialTransMat: number[][];
  startProb: number[];
  ordered: OrderedFeature[];
  /** +1 when larger values mean worse credit, −1 for DD. */ sign: number[];
  anchor: "range" | "pd";
  pdScale: number[];
  /** Dirichlet pseudo-counts on A (priorYears × observations a year × the restricted prior), or undefined. */
  pseudo: number[][] | undefined;
  nStarts: number;
  seed: number | string;
  maxIter: number;
  tol: number;
  varianceFloor: number;
}

function checkStep(action: string, step: unknown): FirmStateStep {
  if (step !== "daily" && step !== "weekly" && step !== "monthly") {
    throw rangeError(action, "step", `"daily", "weekly" or "monthly"`, step);
  }
  return step;
}

function checkBounds(action: string, bounds: StateBounds | undefined): StateBounds {
  if (bounds === undefined) return { min: 0, max: DEFAULT_NOTCH - 1 };
  requireKnownKeys(action, "bounds", bounds, ["min", "max"]);
  const { min, max } = bounds;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max > DEFAULT_NOTCH - 1 || min > max) {
    throw rangeError(
      action,
      "bounds",
      `integer notches 0 ≤ min ≤ max ≤ ${DEFAULT_NOTCH - 1}`,
      `min ${min}, max ${max}`,
    );
  }
  return { min, max };
}

function settings(action: string, X: number[][], opts: FirmStateOptions): Settings {
  requireKnownKeys(action, "opts", opts, FIT_KEYS);
  if (!Array.isArray(opts.features) || opts.features.length === 0) {
    throw rangeError(action, "features", "a non-empty list of feature names", opts.features);
  }
  const features = opts.features.map((f, i): FirmStateFeature => {
    if (typeof f !== "string" || !Object.hasOwn(FIRM_STATE_FEATURES, f)) {
      throw rangeError(action, `features[${i}]`, `one of ${Object.keys(FIRM_STATE_FEATURES).join(", ")}`, f);
    }
    if (opts.features.indexOf(f as FirmStateFeature) !== i) {
      throw rangeError(action, `features[${i}]`, "a feature not listed before", f);
    }
    return f as FirmStateFeature;
  });
  const prior = opts.prior;
  if (prior === null || typeof prior !== "object") throw rangeError(action, "prior", "a FirmStatePrior", prior);
  const step = checkStep(action, prior.step);
  requireMatrix(action, "prior.matrix", prior.matrix, { square: true, rows: N_NOTCHES });
  const bounds = checkBounds(action, opts.bounds);
  const band = requireInteger(action, "band", opts.band ?? 2, { min: 1, max: DEFAULT_NOTCH });
  const mask = firmStateMask({ band, bounds, jumpToDefault: opts.jumpToDefault ?? true });
  const initialTransMat = prior.matrix.map((row, i) => {
    row.forEach((p, j) => {
      if (!(p >= 0 && p <= 1)) throw rangeError(action, `prior.matrix[${i}][${j}]`, "a probability", p);
    });
    const kept = row.map((p, j) => (mask[i][j] ? p : 0));
    const total = kept.reduce((a, b) => a + b, 0);
    if (total > 0) return kept.map((p) => p / total);
    const n = mask[i].filter(Boolean).length;
    return mask[i].map((ok) => (ok ? 1 / n : 0));
  });
  const inBounds = bounds.max - bounds.min + 1;
  const anchor = opts.anchor ?? "range";
  if (anchor !== "range" && anchor !== "pd") throw rangeError(action, "anchor", `"range" or "pd"`, anchor);
  const pdScale = prior.pdScale;
  if (anchor === "pd") {
    if (!Array.isArray(pdScale) || pdScale.length !== N_NOTCHES) {
      throw rangeError(action, "prior.pdScale", "21 PDs (from firmStatePrior)", pdScale?.length);
    }
    if (!features.includes("dd") && !features.includes("log_pd")) {
      throw rangeError(action, "features", `a list with dd or log_pd for anchor "pd"`, features.join(", "));
    }
  }
  const { rows: T, cols } = requireMatrix(action, "X", X, { minRows: 1 });
  if (cols !== features.length) throw rangeError(action, "X", `${features.length} columns (one per feature)`, cols);
  let startProb: number[];
  if (opts.startProb === undefined && anchor === "pd") {
    // Add-one smoothed counts of the notches implied by the first 13 observations' PDs, within the bounds.
    const count = Array.from({ length: N_NOTCHES }, (_, k): number => (k >= bounds.min && k <= bounds.max ? 1 : 0));
    for (let t = 0; t < Math.min(13, T); t++) {
      const k = pdToNotch(Math.exp(rowLogPd(X[t], features)), pdScale);
      count[Math.min(bounds.max, Math.max(bounds.min, k))]++;
    }
    const total = count.reduce((a, b) => a + b, 0);
    startProb = count.map((c) => c / total);
  } else if (opts.startProb === undefined) {
    startProb = Array.from({ length: N_NOTCHES }, (_, k) => (k >= bounds.min && k <= bounds.max ? 1 / inBounds : 0));
  } else {
    const sp = opts.startProb;
    if (!Array.isArray(sp) || sp.length !== N_NOTCHES) throw rangeError(action, "startProb", "21 probabilities", sp);
    sp.forEach((p, k) => {
      const allowed = k >= bounds.min && k <= bounds.max;
      if (!(p >= 0 && p <= 1) || (!allowed && p !== 0)) {
        throw rangeError(action, `startProb[${k}]`, allowed ? "a probability" : "0 (outside the bounds or D)", p);
      }
    });
    const total = sp.reduce((a, b) => a + b, 0);
    if (Math.abs(total - 1) > 1e-8) throw rangeError(action, "startProb", "probabilities summing to 1", total);
    startProb = [...sp];
  }
  const nStarts = requireInteger(action, "nStarts", opts.nStarts ?? 3, { min: 1, max: 1000 });
  const seed = requireSeed(action, "seed", opts.seed ?? 0);
  const maxIter = requireInteger(action, "maxIter", opts.maxIter ?? 100, { min: 1, max: 100_000 });
  const tol = requirePositive(action, "tol", opts.tol ?? 1e-6);
  const varianceFloor = requirePositive(action, "varianceFloor", opts.varianceFloor ?? 1e-3);
  const priorYears = requireNonNegative(action, "priorYears", opts.priorYears ?? 1);
  const perYear = Math.round(1 / STEP_YEARS[step]);
  const pseudo = priorYears > 0 ? initialTransMat.map((row) => row.map((p) => priorYears * perYear * p)) : undefined;
  if (T < 2 * inBounds + 2) {
    throw rangeError(action, "X", `at least ${2 * inBounds + 2} rows for ${inBounds} notches in the bounds`, T);
  }
  const ordered = features.map((f, feature) => ({ feature, direction: FIRM_STATE_FEATURES[f] }));
  const sign = features.map((f) => (FIRM_STATE_FEATURES[f] === "increasing" ? 1 : -1));
  return {
    features,
    step,
    bounds,
    band,
    mask,
    initialTransMat,
    startProb,
    ordered,
    sign,
    anchor,
    pdScale: anchor === "pd" ? [...pdScale] : [],
    pseudo,
    nStarts,
    seed,
    maxIter,
    tol,
    varianceFloor,
  };
}

/** One start: seeded starting means (range or PD anchored), or a warm start from a previous model; EM with ordered means. */
function fitStart(
  X: number[][],
  s: Settings,
  start: number,
  warm?: GaussianHMM,
  warmIter?: number,
): { model: GaussianHMM; objective: number } {
  const init = warm
    ? { means: warm.means, variances: warm.variances, transMat: warm.transMat }
    : { ...startingEmissions(X, s, start), transMat: s.initialTransMat };
  const model = new GaussianHMM({
    nStates: N_NOTCHES,
    seed: s.seed,
    nInit: 1,
    transitionMask: s.mask,
    initialTransMat: init.transMat,
    initialMeans: init.means,
    initialVariances: init.variances,
    fixedStartProb: s.startProb,
    ordered: s.ordered,
    varianceFloor: s.varianceFloor,
    transitionPseudoCounts: s.pseudo,
  }).fit(X, { maxIter: warmIter ?? s.maxIter, tol: s.tol, finalScore: !warm });
  return { model, objective: model.history.at(-1)! };
}

/**
 * Starting means and variances: the composite index zₜ = mean_f sign_f·(x_tf − x̄_f)/sd_f (larger is worse); the
 * notches of the bounds at the centres of n intervals covering z's 1–99 % range — equal widths for start 0, widths ∝
 * Gamma(16) draws otherwise — each feature's mean there from its least-squares line on z; notches outside the bounds
 * extrapolated at the average step; D 10 sd beyond the worst. Variances: each feature's variance / n.
 */
function startingEmissions(X: number[][], s: Settings, start: number): { means: number[][]; variances: number[][] } {
  const T = X.length, F = s.features.length, { min, max } = s.bounds, n = max - min + 1;
  const mean = new Float64Array(F), sd = new Float64Array(F);
  for (let f = 0; f < F; f++) {
    let a = 0, b = 0;
    for (let t = 0; t < T; t++) (a += X[t][f]), (b += X[t][f] * X[t][f]);
    mean[f] = a / T;
    sd[f] = Math.sqrt(Math.max(b / T - mean[f] * mean[f], 0));
    if (!(sd[f] > 1e-12 * Math.max(1, Math.abs(mean[f])))) {
      throw requirementError("fit firm credit states", `X column ${f} (${s.features[f]})`, "not be constant", mean[f]);
    }
  }
  if (s.anchor === "pd") return pdAnchoredEmissions(X, s, start, mean, sd);
  const z = Float64Array.from(X, (row) => {
    let v = 0;
    for (let f = 0; f < F; f++) v += (s.sign[f] * (row[f] - mean[f])) / sd[f];
    return v / F;
  });
  // Notch centres spread evenly over the 1–99 % range of z (start 0), or with seeded random widths; the features'
  // means there from their least-squares lines on z (so an empty notch still gets a mean).
  const sorted = Float64Array.from(z).sort();
  const zLo = sorted[Math.floor(0.01 * (T - 1))], zHi = sorted[Math.ceil(0.99 * (T - 1))];
  const widths = new Float64Array(n).fill(1);
  if (start > 0) {
    const rng = makeRng(s.seed, "firm-states", "start", String(start));
    for (let g = 0; g < n; g++) widths[g] = gammaDraw(rng, 16);
  }
  const total = widths.reduce((a, b) => a + b, 0);
  let zMean = 0, zVar = 0;
  for (let t = 0; t < T; t++) zMean += z[t] / T;
  for (let t = 0; t < T; t++) zVar += (z[t] - zMean) ** 2 / T;
  const slope = Array.from({ length: F }, (_, f) => {
    let c = 0;
    for (let t = 0; t < T; t++) c += ((z[t] - zMean) * (X[t][f] - mean[f])) / T;
    return zVar > 0 ? c / zVar : 0;
  });
  const means: number[][] = Array.from({ length: N_NOTCHES }, () => new Array<number>(F).fill(0));
  let acc = 0;
  for (let g = 0; g < n; g++) {
    const centre = n === 1 ? zMean : zLo + ((acc + widths[g] / 2) / total) * (zHi - zLo);
    acc += widths[g];
    for (let f = 0; f < F; f++) means[min + g][f] = mean[f] + slope[f] * (centre - zMean);
  }
  for (let f = 0; f < F; f++) {
    const lo = means[min][f], hi = means[max][f];
    const step = max > min && Math.abs(hi - lo) > 0 ? Math.abs(hi - lo) / (max - min) : sd[f] / n;
    for (let k = 0; k < min; k++) means[k][f] = lo - s.sign[f] * step * (min - k);
    for (let k = max + 1; k < DEFAULT_NOTCH; k++) means[k][f] = hi + s.sign[f] * step * (k - max);
    const worst = max + 1 < DEFAULT_NOTCH ? means[DEFAULT_NOTCH - 1][f] : hi;
    means[DEFAULT_NOTCH][f] = worst + s.sign[f] * 10 * sd[f];
  }
  const variances = Array.from({ length: N_NOTCHES }, () => Array.from(sd, (v) => (v * v) / n));
  return { means, variances };
}

/** ln PD of a row: its log_pd column, or ln N(−DD) from its dd column. */
function rowLogPd(row: readonly number[], features: readonly FirmStateFeature[]): number {
  const f = features.indexOf("log_pd");
  return f >= 0 ? row[f] : normLogCdf(-row[features.indexOf("dd")]);
}

/**
 * Starting emissions on S&P's PD scale: notch k < 20 gets DD = −Φ⁻¹(PDₖ), ln PD = ln PDₖ and ln spread = a + b ln PDₖ
 * (least squares of ln spread on the rows' ln PD; b = 1, the credit triangle s ≈ LGD·PD, when ln PD barely moves);
 * D 10 sd beyond CC/C. Starts s > 0 add seeded noise of a tenth of each feature's sd, re-sorted to stay monotone.
 */
function pdAnchoredEmissions(X: number[][], s: Settings, start: number, mean: Float64Array, sd: Float64Array) {
  const T = X.length, F = s.features.length, n = s.bounds.max - s.bounds.min + 1;
  const logPd = X.map((row) => rowLogPd(row, s.features));
  const mx = logPd.reduce((a, b) => a + b, 0) / T;
  const sxx = logPd.reduce((a, v) => a + (v - mx) ** 2, 0) / T;
  const rng = makeRng(s.seed, "firm-states", "start", String(start));
  const means: number[][] = Array.from({ length: N_NOTCHES }, () => new Array<number>(F).fill(0));
  for (let f = 0; f < F; f++) {
    const feature = s.features[f];
    let slope = 1, intercept = mean[f] - mx;
    if (feature === "log_cds_spread" || feature === "log_merton_spread") {
      if (Math.sqrt(sxx) > 0.1) {
        let sxy = 0;
        for (let t = 0; t < T; t++) sxy += (logPd[t] - mx) * (X[t][f] - mean[f]);
        slope = sxy / T / sxx;
      }
      intercept = mean[f] - slope * mx;
    }
    const column = Array.from({ length: DEFAULT_NOTCH }, (_, k) => {
      const lp = Math.log(s.pdScale[k]);
      return feature === "dd" ? -normInv(s.pdScale[k]) : feature === "log_pd" ? lp : intercept + slope * lp;
    });
    if (start > 0) {
      for (let k = 0; k < DEFAULT_NOTCH; k++) column[k] += 0.1 * sd[f] * standardNormal(rng);
      column.sort((a, b) => s.sign[f] * (a - b));
    }
    column.forEach((v, k) => (means[k][f] = v));
    means[DEFAULT_NOTCH][f] = column[DEFAULT_NOTCH - 1] + s.sign[f] * 10 * sd[f];
  }
  const variances = Array.from({ length: N_NOTCHES }, () => Array.from(sd, (v) => (v * v) / n));
  return { means, variances };
}

/** The shared parts of a fit's description: settings and the ordering and band checks. */
function describe(model: GaussianHMM, s: Settings) {
  const ordering = s.features.map((feature, f) => {
    const direction = FIRM_STATE_FEATURES[feature];
    let monotone = true;
    for (let k = 1; k < N_NOTCHES; k++) {
      const step = model.means[k][f] - model.means[k - 1][f];
      if (direction === "increasing" ? step < 0 : step > 0) monotone = false;
    }
    return { feature, direction, monotone };
  });
  const bandKept = model.transMat.every((row, i) => row.every((p, j) => s.mask[i][j] || p === 0));
  return {
    model,
    features: [...s.features],
    step: s.step,
    bounds: s.bounds,
    band: s.band,
    mask: s.mask,
    initialTransMat: s.initialTransMat,
    startProb: s.startProb,
    ordering,
    bandKept,
  };
}

/**
 * One predict–update step of a fitted model from given filtered probabilities (or the start distribution when
 * null), in log space: ln pₜ(j) = ln N(xₜ; μⱼ, σ²ⱼ) + ln Σᵢ αᵢAᵢⱼ, normalised.
 */
function dayFilter(model: GaussianHMM): (alpha: number[] | null, x: number[], t: number) => number[] {
  const K = model.nStates, F = model.means[0].length;
  const A = model.transMat, mu = model.means, v = model.variances, pi = model.startProb;
  const norm = Float64Array.from(mu, (_, k) => -0.5 * v[k].reduce((c, vk) => c + Math.log(2 * Math.PI * vk), 0));
  const cols = Array.from({ length: K }, (_, j) => A.flatMap((row, i) => (row[j] > 0 ? [i] : [])));
  const logp = new Float64Array(K);
  return (alpha, x, t) => {
    let m = -Infinity;
    for (let j = 0; j < K; j++) {
      let pred = 0;
      if (alpha === null) pred = pi[j];
      else for (const i of cols[j]) pred += alpha[i] * A[i][j];
      if (pred === 0) {
        logp[j] = -Infinity;
        continue;
      }
      let q = 0;
      for (let f = 0; f < F; f++) q += (x[f] - mu[j][f]) ** 2 / v[j][f];
      logp[j] = Math.log(pred) + norm[j] - 0.5 * q;
      if (logp[j] > m) m = logp[j];
    }
    if (m === -Infinity) {
      throw rangeError("filter firm credit states", `X[${t}]`, "an observation some state can emit", "probability 0");
    }
    let total = 0;
    const out = new Array<number>(K);
    for (let j = 0; j < K; j++) total += out[j] = Math.exp(logp[j] - m);
    for (let j = 0; j < K; j++) out[j] /= total;
    return out;
  };
}

/** Period number of a UTC time: the date's day (daily), its Monday-to-Sunday week, or its month. */
function periodOf(step: FirmStateStep, ms: number): number {
  const day = Math.floor(ms / 86_400_000);
  if (step === "daily") return day;
  if (step === "weekly") return Math.floor((day + 3) / 7); // 1970-01-01 was a Thursday: weeks start on Mondays
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** Number of observation points e with e < t (ends is sorted). */
function countBefore(ends: readonly number[], t: number): number {
  let lo = 0, hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
