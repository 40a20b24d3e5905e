/**
 * Daily credit states: the 21-notch hidden Markov model on market observables.
 *
 * Observables per trading day (all known at the close of that day):
 * - `ln_hy_oas`: log of the ICE BofA US high-yield spread;
 * - `dd_proxy`: the distance to default of a **market-proxy firm** whose asset value follows the S&P 500 and whose
 *   default point is `leverage` × its asset value one year earlier (a firm that re-levers once a year). With σ_V
 *   the trailing-year volatility of the index's log returns and r = ln(1 + 1-year Treasury yield),
 *   DD = [ln(V_t / D_t) + (r − σ_V²/2)] / σ_V. It stands in for firm-level DD where no firm data exists (the five
 *   energy firms cover 2012–2017 only);
 * - `treasury_10y`: the 10-year Treasury yield (decimal) — in the frame always, a column of X only with `rates`;
 * - `ln_vix`: log of the VIX.
 *
 * The model ({@linkcode fitCreditStates}) has one state per notch, AAA … CC/C and D, and its states stay **ordered by
 * credit quality by construction** (the mechanism of `firm_states.ts`, on `GaussianHMM`'s options):
 * - emission means projected after every M-step onto sequences monotone in the notch (weighted isotonic regression,
 *   `ordered`): ln HY OAS increasing, the DD proxy decreasing from AAA to D; the VIX (and the 10-year yield, when
 *   included) unconstrained. States are never relabelled, so `order` is the identity and the band of allowed moves
 *   stays in notch order: every fitted transition outside the band is exactly 0 and the Viterbi path never moves
 *   more than `maxJump` notches a day (moves to D always allowed, D absorbing; `firmStateMask`);
 * - the transition matrix starts from S&P's notch matrix at a daily step (`firmStatePrior`, exp(QΔt), Δt = 1/252)
 *   restricted to the mask, and that matrix stays in the fit as a Dirichlet prior of `priorYears` × 252
 *   pseudo-observations per row (MAP-EM, `transitionPseudoCounts`), so no allowed move — in particular no default
 *   probability — collapses to 0 because the sample never showed it;
 * - the start distribution is uniform over AAA … CC/C and kept fixed (`fixedStartProb`): never a point mass, so a
 *   fresh window is not read as one extreme state for its first days;
 * - several seeded starts (start 0: the 20 quantile groups of the first feature; start s > 0: groups of seeded random
 *   sizes), the best by EM's objective kept, with the agreement of the starts' Viterbi paths reported.
 * D's starting means sit 10 standard deviations beyond the worst group; the market never defaults, so D is never
 * visited and its emissions are not estimated (`estimated`).
 *
 * **The 10-year yield is not a feature by default.** In a joint model a rate level makes the states segment time by
 * rate regime rather than by credit; `creditStateObservables({ rates: true })` adds it back (as the third column) for
 * comparison.
 * @module
 */
import pl from "nodejs-polars";
import { requireIsoDate } from "../core/calendar.ts";
import {
  rangeError,
  requireCount,
  requireDates,
  requireInteger,
  requireMatrix,
  requireNonNegative,
  requireObject,
  requireOneOf,
  requireOptions,
  requirePositive,
  requireSeed,
  requireString,
  typeError,
} from "../core/check.ts";
import { gamma as gammaDraw, makeRng } from "../core/rng.ts";
import { dateColumn, nullableColumn } from "../data/columns.ts";
import { loadCreditSpreads, loadRatingTransitions, loadSpx, loadTreasuryYields, loadVix } from "../data/load.ts";
import { requireSource, type SourceOption } from "../data/source.ts";
import { GaussianHMM } from "./hmm.ts";
import { rollingVolatility } from "./kmv.ts";
import { firmStateMask, firmStatePrior, pathStability } from "./firm_states.ts";
import { DEFAULT_NOTCH, N_NOTCHES, notchToLetter, RATING_NOTCHES, STEP_YEARS } from "./ratings.ts";

/** Feature names of {@linkcode creditStateObservables} (default, without rates), in column order of X. */
export const CREDIT_STATE_FEATURES = ["ln_hy_oas", "dd_proxy", "ln_vix"] as const;
/** Column names of X with `rates: true`: the 10-year yield as the third column. */
const WITH_RATES = ["ln_hy_oas", "dd_proxy", "treasury_10y", "ln_vix"] as const;
/** A column of the credit-state observables. */
type CreditStateFeature = typeof WITH_RATES[number];
/** How each observable's mean moves as credit worsens: constrained in the fit, or only its expected direction. */
const FEATURE_DIRECTION: Record<CreditStateFeature, { direction: "increasing" | "decreasing"; constrained: boolean }> =
  {
    ln_hy_oas: { direction: "increasing", constrained: true },
    dd_proxy: { direction: "decreasing", constrained: true },
    ln_vix: { direction: "increasing", constrained: false },
    treasury_10y: { direction: "decreasing", constrained: false },
  };

/** Observables of the credit-state model. */
export interface CreditStateData {
  readonly dates: readonly Date[];
  readonly features: readonly string[];
  /** T × 3 in the order of {@linkcode CREDIT_STATE_FEATURES} (T × 4 with `rates`, the 10-year yield third). */
  readonly X: number[][];
  /** date, the four observables (treasury_10y always), hy_oas (decimal) and vix (points) for charts. */
  readonly frame: pl.DataFrame;
  /** Trading days of the S&P 500 in the range dropped because another series had no value that day. */
  readonly dropped: number;
}

/**
 * The daily observables from `start` to `end` (see the module notes). Days where any series is missing are
 * dropped and counted; nothing is filled.
 *
 * @param opts `source` (required); `start`, `end` (ISO dates, required); `leverage` in (0, 1) (default 0.6);
 *   `window` of the volatility, an integer ≥ 20 (default 252); `rates`: include the 10-year yield as a column of X
 *   (default false; the frame holds it either way).
 * @throws {TypeError} If `opts` is not an object or holds an unknown option.
 * @throws {RangeError} If an option is out of range or the range holds fewer than 2 complete days.
 */
export function creditStateObservables(
  opts: SourceOption & { start: string; end: string; leverage?: number; window?: number; rates?: boolean },
): CreditStateData {
  const action = "build credit-state observables";
  requireObject(action, "opts", opts);
  requireOptions(action, "opts", opts, ["source", "start", "end", "leverage", "window", "rates"]);
  const rates = opts.rates ?? false;
  if (typeof rates !== "boolean") throw typeError(action, "rates", "a boolean", rates);
  const names: readonly CreditStateFeature[] = rates ? WITH_RATES : CREDIT_STATE_FEATURES;
  const from = requireIsoDate(action, "start", opts.start).getTime();
  const to = requireIsoDate(action, "end", opts.end).getTime();
  const leverage = requirePositive(action, "leverage", opts.leverage ?? 0.6);
  if (leverage >= 1) throw rangeError(action, "leverage", "< 1", leverage);
  const window = requireInteger(action, "window", opts.window ?? 252, { min: 20 });
  const load = requireSource(action, opts?.source, "opts.source");
  // The proxy firm on the index's own calendar first (its trailing year must not skip days).
  const spx = loadSpx(load).select("date", "close").dropNulls().sort("date");
  const close = spx.getColumn("close").toArray() as number[];
  const sigma = rollingVolatility(close, window);
  const proxy = pl.DataFrame({ date: dateColumn(spx), spx: close, sigma_v: Array.from(sigma) }, {
    schema: { date: pl.Date, spx: pl.Float64, sigma_v: pl.Float64 },
  });
  const spxWindow = close.map((_, t) => (t >= window ? close[t - window] : null));
  const joined = proxy.withColumn(pl.Series("spx_lag", spxWindow, pl.Float64))
    .join(loadCreditSpreads(load).select("date", "BAMLH0A0HYM2"), { on: "date", how: "left" })
    .join(loadTreasuryYields(load).select("date", "DGS1", "DGS10"), { on: "date", how: "left" })
    .join(loadVix(load).select("date", "VIXCLS"), { on: "date", how: "left" })
    .sort("date");
  const all = dateColumn(joined);
  const cols = {
    spx: nullableColumn(joined, "spx"),
    lag: nullableColumn(joined, "spx_lag"),
    sigma: nullableColumn(joined, "sigma_v"),
    hy: nullableColumn(joined, "BAMLH0A0HYM2"),
    y1: nullableColumn(joined, "DGS1"),
    y10: nullableColumn(joined, "DGS10"),
    vix: nullableColumn(joined, "VIXCLS"),
  };
  const dates: Date[] = [], X: number[][] = [], hy: number[] = [], vix: number[] = [], y10s: number[] = [];
  let inRange = 0;
  for (let t = 0; t < all.length; t++) {
    const time = all[t].getTime();
    if (time < from || time > to) continue;
    inRange++;
    const v = [cols.spx[t], cols.lag[t], cols.sigma[t], cols.hy[t], cols.y1[t], cols.y10[t], cols.vix[t]];
    if (v.some((x) => x === null || !Number.isFinite(x))) continue;
    const [s, lag, sv, h, y1, y10, vx] = v as number[];
    if (!(sv > 0 && h > 0 && vx > 0)) continue;
    const dd = (Math.log(s / (leverage * lag)) + (Math.log(1 + y1) - 0.5 * sv * sv)) / sv;
    const row = { ln_hy_oas: Math.log(h), dd_proxy: dd, treasury_10y: y10, ln_vix: Math.log(vx) };
    dates.push(all[t]), X.push(names.map((f) => row[f])), hy.push(h), vix.push(vx), y10s.push(y10);
  }
  if (dates.length < 2) throw rangeError(action, "start/end", "a range with at least 2 complete days", dates.length);
  const frame = pl.DataFrame({
    date: dates,
    ...Object.fromEntries(names.map((f, j) => [f, X.map((row) => row[j])])),
    ...(rates ? {} : { treasury_10y: y10s }),
    hy_oas: hy,
    vix,
  });
  return { dates, features: [...names], X, frame, dropped: inRange - dates.length };
}

/** Options of {@linkcode fitCreditStates}. */
export interface CreditStateFitOptions extends SourceOption {
  /** Seed of the starts (default 0). */ readonly seed?: number | string;
  /** Seeded starts; the best by EM's objective is kept (default 3). */ readonly nInit?: number;
  /** Baum–Welch iterations per start (default 100). */ readonly maxIter?: number;
  /** Largest move in notches per day (default 2); moves to D are always allowed. */ readonly maxJump?: number;
  /**
   * Weight of S&P's daily matrix as a Dirichlet prior on each row of A, in years of daily observations (default 1:
   * pseudo-counts 252 × the restricted prior row); 0 turns it off (then EM may drive allowed moves to exactly 0).
   */
  readonly priorYears?: number;
  /**
   * Names of X's columns (default: {@linkcode CREDIT_STATE_FEATURES} for 3 columns, the same with `treasury_10y`
   * third for 4, as {@linkcode creditStateObservables} returns them). ln_hy_oas and dd_proxy are required.
   */
  readonly features?: readonly string[];
}

/** How one feature's fitted means run across the estimated notches. */
export interface CreditStateOrdering {
  readonly feature: string;
  /** Direction as credit worsens (for an unconstrained feature, the expected one). */
  readonly direction: "increasing" | "decreasing";
  /** Whether the fit constrains it (isotonic projection after every M-step). */ readonly constrained: boolean;
  /** Neighbouring pairs of estimated notches (of AAA … CC/C) whose means step against the direction. */
  readonly outOfOrder: number;
  /** Neighbouring pairs compared. */ readonly pairs: number;
}

/** A fitted credit-state model, the priors it started from and its diagnostics. */
export interface CreditStateFit {
  /** The best start's model: state k is notch k (AAA = 0 … D = 20), never relabelled. */ readonly model: GaussianHMM;
  /** The identity [0, …, 20]: states are ordered by construction, not relabelled (kept for compatibility). */
  readonly order: readonly number[];
  /** EM's objective (log posterior) per iteration of the best start, then after the last. */
  readonly history: readonly number[];
  readonly converged: boolean;
  /** S&P's notch matrix at a daily step, restricted to the mask and renormalised: EM's start and prior mean. */
  readonly prior: number[][];
  /** false = move forbidden (kept at exactly 0 by EM). */ readonly mask: boolean[][];
  /** Names of X's columns. */ readonly features: readonly string[];
  /** The fixed start distribution: uniform over AAA … CC/C, 0 on D. */ readonly startProb: readonly number[];
  /** Dirichlet pseudo-counts of the transitions (priorYears × 252 × prior), 0 where forbidden. */
  readonly pseudoCounts: number[][];
  /** log P(X | fitted model), nats. */ readonly logLikelihood: number;
  /** The best start's Viterbi path on X (ex post). */ readonly path: Int32Array;
  /** Per start: log-likelihood, EM's objective (log posterior; the best by it is kept), iterations, convergence. */
  readonly starts: readonly {
    readonly logLikelihood: number;
    readonly logPosterior: number;
    readonly iterations: number;
    readonly converged: boolean;
  }[];
  /** Index of the start kept. */ readonly best: number;
  /** Agreement of the other starts' Viterbi paths with the kept one (see firm_states' FirmStateStability). */
  readonly stability: {
    /** Mean over the other starts of the share of days on the same notch (1 with one start). */
    readonly exactAgreement: number;
    /** The same within one notch. */ readonly withinOneAgreement: number;
    /** Smallest exact agreement of any start. */ readonly minExactAgreement: number;
    /** Largest minus smallest log-likelihood over the starts (nats). */ readonly logLikelihoodSpread: number;
    readonly perStart: readonly { readonly exact: number; readonly withinOne: number }[];
  };
  /** Expected days in each state under the smoothed probabilities, Σₜ P(sₜ = k | X). */ readonly occupancy: number[];
  /** occupancy ≥ 1: the state's emissions were estimated from at least one day's posterior weight. */
  readonly estimated: boolean[];
  /** Per feature: constrained or not, and its neighbour pairs out of order across the estimated notches. */
  readonly ordering: readonly CreditStateOrdering[];
  /** Every fitted transition outside the mask is exactly 0. */ readonly bandKept: boolean;
  /** Allowed transitions (mask true) whose fitted probability is exactly 0. */ readonly zeroAllowed: number;
}

/**
 * Fits the 21-state model of the module notes by (MAP) Baum–Welch from `nInit` seeded starts, keeping the best.
 *
 *     A(0) = S&P's daily notch matrix on the mask,   π fixed uniform over AAA … CC/C,
 *     Aᵢⱼ ∝ Σₜ ξₜ(i, j) + αᵢⱼ,  αᵢⱼ = priorYears · 252 · A(0)ᵢⱼ,
 *     μ_{k,HY} non-decreasing, μ_{k,DD} non-increasing in k (isotonic projection after each M-step).
 *
 * @param X Observables, T × F (from {@linkcode creditStateObservables}), finite, T ≥ 105; columns named by
 *   `opts.features` (default by width, see {@linkcode CreditStateFitOptions}).
 * @param opts `source` (required: S&P's transition table), `seed`, `nInit` (1–1000), `maxIter` (≥ 1), `maxJump`
 *   (1–20), `priorYears` (≥ 0), `features`.
 * @throws {TypeError} If `X` is not a matrix or `opts` holds an unknown option.
 * @throws {RangeError} If `X` has fewer than 105 rows, ragged rows or a non-finite value, its width has no default
 *   feature names, or an option is out of range.
 */
export function fitCreditStates(X: number[][], opts: CreditStateFitOptions): CreditStateFit {
  const action = "fit credit states";
  if (!Array.isArray(X) || X.length < N_NOTCHES * 5) {
    throw rangeError(action, "X", `at least ${N_NOTCHES * 5} observations`, X?.length);
  }
  const { cols } = requireMatrix(action, "X", X);
  if (cols < 1) throw rangeError(action, "X", "rows of at least one feature", cols);
  requireObject(action, "opts", opts);
  requireOptions(action, "opts", opts, ["source", "seed", "nInit", "maxIter", "maxJump", "priorYears", "features"]);
  const seed = opts.seed === undefined ? 0 : requireSeed(action, "seed", opts.seed);
  const nInit = opts.nInit === undefined ? 3 : requireInteger(action, "nInit", opts.nInit, { min: 1, max: 1000 });
  const maxIter = opts.maxIter === undefined ? 100 : requireCount(action, "maxIter", opts.maxIter, 1);
  const maxJump = requireInteger(action, "maxJump", opts.maxJump ?? 2, { min: 1, max: DEFAULT_NOTCH });
  const priorYears = opts.priorYears === undefined ? 1 : requireNonNegative(action, "priorYears", opts.priorYears);
  const features = creditFeatures(action, opts.features, cols);
  const mask = firmStateMask({ band: maxJump });
  const daily = firmStatePrior(loadRatingTransitions(requireSource(action, opts?.source, "opts.source")), {
    step: "daily",
  }).matrix;
  const prior = daily.map((row, i) => {
    const kept = row.map((p, j) => (mask[i][j] ? p : 0));
    const s = kept.reduce((a, b) => a + b, 0);
    return kept.map((p) => p / s);
  });
  const perYear = Math.round(1 / STEP_YEARS.daily);
  const pseudoCounts = prior.map((row) => row.map((p) => priorYears * perYear * p));
  const startProb = Array.from({ length: N_NOTCHES }, (_, k) => (k < DEFAULT_NOTCH ? 1 / DEFAULT_NOTCH : 0));
  const ordered = features.flatMap((f, feature) => {
    const d = FEATURE_DIRECTION[f];
    return d.constrained ? [{ feature, direction: d.direction }] : [];
  });
  const starts = Array.from({ length: nInit }, (_, start) => {
    const model = new GaussianHMM({
      nStates: N_NOTCHES,
      seed,
      nInit: 1,
      transitionMask: mask,
      initialTransMat: prior,
      initialMeans: startingMeans(X, start, seed),
      ordered,
      fixedStartProb: startProb,
      ...(priorYears > 0 ? { transitionPseudoCounts: pseudoCounts } : {}),
    }).fit(X, { maxIter });
    return { model, objective: model.history.at(-1)!, logLikelihood: model.score(X) };
  });
  let best = 0;
  starts.forEach((r, k) => (r.objective > starts[best].objective ? (best = k) : 0));
  const model = starts[best].model;
  const paths = starts.map((r) => Int32Array.from(r.model.decode(X).states));
  const occupancy = new Array<number>(N_NOTCHES).fill(0);
  for (const row of model.predictProba(X)) row.forEach((p, k) => (occupancy[k] += p));
  const estimated = occupancy.map((w) => w >= 1);
  let zeroAllowed = 0;
  const bandKept = model.transMat.every((row, i) =>
    row.every((p, j) => {
      if (mask[i][j] && p === 0) zeroAllowed++;
      return mask[i][j] || p === 0;
    })
  );
  return {
    model,
    order: Array.from({ length: N_NOTCHES }, (_, k) => k),
    history: model.history,
    converged: model.converged,
    prior,
    mask,
    features,
    startProb,
    pseudoCounts,
    logLikelihood: starts[best].logLikelihood,
    path: paths[best],
    starts: starts.map((r) => ({
      logLikelihood: r.logLikelihood,
      logPosterior: r.objective,
      iterations: r.model.iterations,
      converged: r.model.converged,
    })),
    best,
    stability: pathStability(paths, best, starts.map((r) => r.logLikelihood)),
    occupancy,
    estimated,
    ordering: features.map((feature, f) => {
      const { direction, constrained } = FEATURE_DIRECTION[feature];
      let outOfOrder = 0, pairs = 0;
      for (let k = 1; k < DEFAULT_NOTCH; k++) {
        if (!estimated[k] || !estimated[k - 1]) continue;
        const step = model.means[k][f] - model.means[k - 1][f];
        pairs++;
        if (direction === "increasing" ? step < 0 : step > 0) outOfOrder++;
      }
      return { feature, direction, constrained, outOfOrder, pairs };
    }),
    bandKept,
    zeroAllowed,
  };
}

/** X's column names: given (each a known observable, at most once, with ln_hy_oas and dd_proxy) or by width. */
function creditFeatures(action: string, given: readonly string[] | undefined, cols: number): CreditStateFeature[] {
  if (given === undefined) {
    if (cols === CREDIT_STATE_FEATURES.length) return [...CREDIT_STATE_FEATURES];
    if (cols === WITH_RATES.length) return [...WITH_RATES];
    throw rangeError(action, "X", "3 or 4 columns (or opts.features naming them)", cols);
  }
  if (!Array.isArray(given) || given.length !== cols) {
    throw rangeError(action, "features", `${cols} names (one per column of X)`, given?.length);
  }
  given.forEach((f, i) => {
    if (typeof f !== "string" || !Object.hasOwn(FEATURE_DIRECTION, f)) {
      throw rangeError(action, `features[${i}]`, `one of ${WITH_RATES.join(", ")}`, f);
    }
    if (given.indexOf(f) !== i) throw rangeError(action, `features[${i}]`, "a feature not listed before", f);
  });
  for (const f of ["ln_hy_oas", "dd_proxy"]) {
    if (!given.includes(f)) throw rangeError(action, "features", `a list with ${f}`, given.join(", "));
  }
  return given as CreditStateFeature[];
}

/**
 * Starting means of one start: start 0 is {@linkcode ratingStateMeans} (20 equal quantile groups of the first
 * feature); start s > 0 cuts the sorted rows into 20 groups of sizes ∝ Gamma(16) draws (seeded), D as there.
 */
function startingMeans(X: number[][], start: number, seed: number | string): number[][] {
  if (start === 0) return ratingStateMeans(X);
  const rng = makeRng(seed, "credit-states", "start", String(start));
  const widths = Array.from({ length: DEFAULT_NOTCH }, () => gammaDraw(rng, 16));
  return ratingStateMeans(X, widths);
}

/** Requires a fitted {@linkcode GaussianHMM} (its means set). */
function requireFittedModel(action: string, model: unknown): GaussianHMM {
  if (!(model instanceof GaussianHMM)) throw typeError(action, "model", "a GaussianHMM", model);
  if (model.means.length !== model.nStates || !Array.isArray(model.means[0])) {
    throw rangeError(action, "model", "a fitted model (fit it first)", model.means.length);
  }
  return model;
}

/** Requires an array of state indices, integers in [0, nStates − 1]. */
function requireStates(action: string, name: string, states: unknown, nStates: number): readonly number[] {
  if (!Array.isArray(states) && !(ArrayBuffer.isView(states) && !(states instanceof DataView))) {
    throw typeError(action, name, "an array of state indices", states);
  }
  const a = states as ArrayLike<unknown>;
  for (let t = 0; t < a.length; t++) requireInteger(action, `${name}[${t}]`, a[t], { min: 0, max: nStates - 1 });
  return states as readonly number[];
}

/**
 * Initial means of the 21 states: states 0–19 are 20 groups of the rows sorted by the first feature (ascending) —
 * equal quantile groups, or groups of sizes ∝ `widths` (each group at least one row) — and D sits 10 standard
 * deviations beyond the worst group in every feature's adverse direction (the sign of its correlation with the
 * first feature).
 */
export function ratingStateMeans(X: number[][], widths?: readonly number[]): number[][] {
  const T = X.length, F = X[0].length, groups = DEFAULT_NOTCH;
  const order = Array.from({ length: T }, (_, t) => t).sort((a, b) => X[a][0] - X[b][0]);
  const w = widths ?? new Array<number>(groups).fill(1);
  if (w.length !== groups || w.some((v) => !(v > 0 && Number.isFinite(v)))) {
    throw rangeError("compute starting state means", "widths", `${groups} finite numbers > 0`, w);
  }
  const total = w.reduce((a, b) => a + b, 0);
  const cuts = [0];
  let acc = 0;
  for (let k = 0; k < groups; k++) {
    acc += w[k];
    const hi = k === groups - 1 ? T : Math.floor((acc * T) / total);
    cuts.push(Math.min(T - (groups - 1 - k), Math.max(cuts[k] + 1, hi)));
  }
  const means = Array.from({ length: groups }, (_, k) => {
    const lo = cuts[k], hi = cuts[k + 1];
    return Array.from({ length: F }, (_, f) => {
      let s = 0;
      for (let r = lo; r < hi; r++) s += X[order[r]][f];
      return s / (hi - lo);
    });
  });
  const sd = (f: number) => {
    const mean = X.reduce((s, row) => s + row[f], 0) / T;
    return Math.sqrt(X.reduce((s, row) => s + (row[f] - mean) ** 2, 0) / T);
  };
  const direction = (f: number) => Math.sign(means[groups - 1][f] - means[0][f]) || 1;
  means.push(Array.from({ length: F }, (_, f) => means[groups - 1][f] + 10 * direction(f) * sd(f)));
  return means;
}

/**
 * Checks a T × K matrix of state probabilities: entries in [0, 1], each row summing to 1 (± 1e-6), at least
 * `minRows` rows.
 */
function requireProbaRows(action: string, name: string, proba: unknown, minRows = 0): { rows: number; cols: number } {
  const shape = requireMatrix(action, name, proba, { minRows });
  (proba as number[][]).forEach((row, t) => {
    let s = 0;
    for (let k = 0; k < row.length; k++) {
      if (!(row[k] >= 0 && row[k] <= 1)) throw rangeError(action, `${name}[${t}][${k}]`, "in [0, 1]", row[k]);
      s += row[k];
    }
    if (!(Math.abs(s - 1) <= 1e-6)) throw rangeError(action, `${name}[${t}]`, "a row summing to 1 (± 1e-6)", s);
  });
  return shape;
}

/**
 * Expected notch Σₖ k·pₜ(k) of each row of state probabilities.
 *
 * @throws {TypeError} If `proba` is not a matrix.
 * @throws {RangeError} If a probability is not in [0, 1] or a row does not sum to 1.
 */
export function expectedNotch(proba: number[][]): Float64Array {
  requireProbaRows("compute expected notch", "proba", proba);
  return notchMeans(proba);
}

/** {@linkcode expectedNotch} of checked probabilities. */
function notchMeans(proba: number[][]): Float64Array {
  return Float64Array.from(proba, (row) => row.reduce((s, p, k) => s + k * p, 0));
}

/**
 * State probabilities averaged by calendar quarter (or month): K rows × periods columns, for a state-over-time
 * heatmap.
 *
 * @param dates Valid Dates, one per row of `proba` (at least one).
 * @param proba T × K probabilities (rows summing to 1).
 * @param opts `period`: "quarter" (default) or "month".
 * @throws {TypeError} If an argument has the wrong type or `opts` holds an unknown option.
 * @throws {RangeError} If a date is invalid, the lengths differ, or a row is not a probability vector.
 */
export function periodStateProbabilities(
  dates: readonly Date[],
  proba: number[][],
  opts: { period?: "month" | "quarter" } = {},
): { columns: string[]; values: number[][] } {
  const action = "average state probabilities";
  requireDates(action, "dates", dates, { minLength: 1 });
  if (!Array.isArray(proba)) throw typeError(action, "proba", "an array of rows", proba);
  if (dates.length !== proba.length) {
    throw rangeError(action, "proba", `${dates.length} rows (one per date)`, proba.length);
  }
  requireProbaRows(action, "proba", proba);
  opts = requireOptions(action, "opts", opts, ["period"]);
  const period = requireOneOf(action, "period", opts.period ?? "quarter", ["month", "quarter"]);
  const key = (d: Date) =>
    period === "month" ? d.toISOString().slice(0, 7) : `${d.getUTCFullYear()} Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
  const columns: string[] = [], sums: number[][] = [], counts: number[] = [];
  dates.forEach((d, t) => {
    const k = key(d);
    if (columns.at(-1) !== k) columns.push(k), sums.push(new Array(proba[t].length).fill(0)), counts.push(0);
    proba[t].forEach((p, s) => (sums[sums.length - 1][s] += p));
    counts[counts.length - 1]++;
  });
  const K = proba[0].length;
  return { columns, values: Array.from({ length: K }, (_, s) => sums.map((row, c) => row[s] / counts[c])) };
}

/**
 * The part of aligned series between two ISO dates (inclusive), for zoomed charts.
 *
 * @throws {TypeError} If an argument has the wrong type.
 * @throws {RangeError} If a date is invalid, a series is misaligned, or no date falls in the range.
 */
export function windowSeries(
  dates: readonly Date[],
  series: Readonly<Record<string, ArrayLike<number | null>>>,
  start: string,
  end: string,
): { dates: Date[]; series: Record<string, (number | null)[]> } {
  const action = "window series";
  requireDates(action, "dates", dates);
  requireObject(action, "series", series);
  for (const [name, values] of Object.entries(series)) {
    if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
      throw typeError(action, `series.${name}`, "an array of numbers or nulls", values);
    }
    if (values.length !== dates.length) {
      throw rangeError(action, `series.${name}`, `${dates.length} values (one per date)`, values.length);
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== null && typeof v !== "number") throw typeError(action, `series.${name}[${i}]`, "a number or null", v);
    }
  }
  const from = requireIsoDate(action, "start", start).getTime(), to = requireIsoDate(action, "end", end).getTime();
  const keep = dates.flatMap((d, i) => (d.getTime() >= from && d.getTime() <= to ? [i] : []));
  if (keep.length === 0) {
    throw rangeError(action, "start/end", "a range holding some dates", `${start}…${end}`);
  }
  return {
    dates: keep.map((i) => dates[i]),
    series: Object.fromEntries(Object.entries(series).map(([k, v]) => [k, keep.map((i) => v[i])])),
  };
}

/**
 * Share of days on which each path finds the true state of simulated data: the Viterbi path, and the most probable
 * state under the smoothed and the filtered probabilities.
 *
 * @param model A fitted {@linkcode GaussianHMM}.
 * @param X Observations, T × F (F the model's features), at least one row.
 * @param truth The true state of each row, integers in [0, nStates − 1].
 * @throws {TypeError} If `model` is not a fitted GaussianHMM or an argument has the wrong type.
 * @throws {RangeError} If `X` does not fit the model, or `truth` is misaligned or holds an invalid state.
 */
export function decodeAccuracy(
  model: GaussianHMM,
  X: number[][],
  truth: readonly number[],
): { viterbi: number; smoothed: number; filtered: number } {
  const action = "score decoding";
  requireFittedModel(action, model);
  requireMatrix(action, "X", X, { minRows: 1, cols: model.means[0].length });
  requireStates(action, "truth", truth, model.nStates);
  if (truth.length !== X.length) throw rangeError(action, "truth", `${X.length} states`, truth.length);
  const argmax = (row: number[]) => row.reduce((best, p, k) => (p > row[best] ? k : best), 0);
  const share = (path: readonly number[]) => path.filter((s, t) => s === truth[t]).length / truth.length;
  return {
    viterbi: share(model.decode(X).states),
    smoothed: share(model.predictProba(X).map(argmax)),
    filtered: share(model.filterProba(X).map(argmax)),
  };
}

/** Options of {@linkcode stateSummary}. */
export interface StateSummaryOptions {
  /** Names of the model's features (default by width, as {@linkcode fitCreditStates}). */
  readonly features?: readonly string[];
  /**
   * Which states were estimated (`CreditStateFit.estimated`); a state that was not shows no means ("not
   * estimated": its emissions are starting values, not fitted). Default: every state with a day on `path`.
   */
  readonly estimated?: readonly boolean[];
  /**
   * Other daily series aligned with `path` (e.g. the 10-year yield in %), each averaged over the days `path` spends
   * in a state (null for a state with none): what a state looks like in data the model did not use.
   */
  readonly observed?: Readonly<Record<string, ArrayLike<number>>>;
}

/**
 * One row per state of a credit-state model fitted on {@linkcode creditStateObservables}: its notch and letter,
 * whether it was estimated, its means in natural units (spread in bp and VIX in points from the means of their logs,
 * i.e. geometric means; the 10-year yield in % when it is a feature), its daily probability of staying and of
 * moving to D, the days the path spends in it, and the path means of `observed` series. Rows of states that were not
 * estimated show null means.
 *
 * @param model A fitted {@linkcode GaussianHMM} on the credit-state features, 21 states (one per notch) or fewer.
 * @param path A state path (e.g. Viterbi), integers in [0, nStates − 1].
 * @throws {TypeError} If `model` is not a fitted GaussianHMM or `path` is not an array.
 * @throws {RangeError} If the model has other features or too many states, `path` holds an invalid state, or an
 *   option is malformed.
 */
export function stateSummary(
  model: GaussianHMM,
  path: readonly number[] | Int32Array,
  opts: StateSummaryOptions = {},
): Record<string, string | number | null>[] {
  const action = "summarise credit states";
  requireFittedModel(action, model);
  if (model.nStates > N_NOTCHES) {
    throw rangeError(action, "model", `a model of at most ${N_NOTCHES} states (one per notch)`, model.nStates);
  }
  requireStates(action, "path", path, model.nStates);
  opts = requireOptions(action, "opts", opts, ["features", "estimated", "observed"]);
  const F = model.means[0]?.length;
  let features: CreditStateFeature[];
  try {
    features = creditFeatures(action, opts.features, F);
  } catch {
    throw rangeError(action, "model", "a model on the credit-state features", F);
  }
  const K = model.nStates;
  const days = new Array(K).fill(0);
  for (let t = 0; t < path.length; t++) days[path[t]]++;
  const estimated = opts.estimated ?? days.map((d) => d > 0);
  if (!Array.isArray(estimated) || estimated.length !== K || estimated.some((e) => typeof e !== "boolean")) {
    throw rangeError(action, "estimated", `${K} booleans (one per state)`, estimated);
  }
  const observed = Object.entries(opts.observed ?? {}).map(([name, values]) => {
    if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
      throw typeError(action, `observed.${name}`, "an array of numbers", values);
    }
    const v = values as ArrayLike<number>;
    if (v.length !== path.length) {
      throw rangeError(action, `observed.${name}`, `${path.length} values (one per day of path)`, v.length);
    }
    const sum = new Array<number>(K).fill(0);
    for (let t = 0; t < v.length; t++) {
      if (!Number.isFinite(v[t])) throw rangeError(action, `observed.${name}[${t}]`, "a finite number", v[t]);
      sum[(path as ArrayLike<number>)[t]] += v[t];
    }
    return { name, mean: sum.map((s, k) => (days[k] > 0 ? s / days[k] : null)) };
  });
  const natural: Record<CreditStateFeature, [string, (m: number) => number]> = {
    ln_hy_oas: ["HY OAS (bp)", (m) => Math.exp(m) * 1e4],
    dd_proxy: ["DD", (m) => m],
    treasury_10y: ["10y (%)", (m) => m * 100],
    ln_vix: ["VIX", (m) => Math.exp(m)],
  };
  return model.means.map((m, k) => ({
    state: RATING_NOTCHES[k],
    letter: notchToLetter(k),
    fitted: estimated[k] ? "yes" : "not estimated",
    ...Object.fromEntries(features.map((f, j) => [natural[f][0], estimated[k] ? natural[f][1](m[j]) : null])),
    "daily stay": model.transMat[k][k],
    "daily P(D)": K === N_NOTCHES ? model.transMat[k][DEFAULT_NOTCH] : null,
    days: days[k],
    ...Object.fromEntries(observed.map((o) => [o.name, o.mean[k]])),
  }));
}

/**
 * Gap between the filtered and smoothed expected notch: its mean, its maximum and the share of days above one
 * notch — the look-ahead a backtest on smoothed probabilities would enjoy.
 *
 * @throws {TypeError} If an argument is not a matrix.
 * @throws {RangeError} If a row is not a probability vector, or the shapes differ or are empty.
 */
export function lookAheadGap(
  filtered: number[][],
  smoothed: number[][],
): { mean: number; max: number; aboveOne: number } {
  const action = "measure look-ahead gap";
  const a = requireProbaRows(action, "filtered", filtered, 1);
  const b = requireProbaRows(action, "smoothed", smoothed);
  if (filtered.length !== smoothed.length) {
    throw rangeError(action, "smoothed", `${filtered.length} rows`, smoothed.length);
  }
  if (a.cols !== b.cols) throw rangeError(action, "smoothed", `rows of ${a.cols} states like filtered`, b.cols);
  const f = notchMeans(filtered), s = notchMeans(smoothed);
  let sum = 0, max = 0, above = 0;
  for (let t = 0; t < f.length; t++) {
    const g = Math.abs(f[t] - s[t]);
    sum += g, max = Math.max(max, g), above += g > 1 ? 1 : 0;
  }
  return { mean: sum / f.length, max, aboveOne: above / f.length };
}

/**
 * Episodes as heatmap column marks: each episode's peak date mapped to its period column (skipped if absent).
 *
 * @param episodes Each with a `name`, an optional `short` label and an optional ISO `peak` date.
 * @param columns Column labels of {@linkcode periodStateProbabilities}.
 * @param opts `period`: "quarter" (default) or "month".
 * @throws {TypeError} If an argument has the wrong type or `opts` holds an unknown option.
 * @throws {RangeError} If a peak is not an ISO calendar date or `period` is unknown.
 */
export function episodeColumnMarks(
  episodes: readonly { readonly short?: string; readonly name: string; readonly peak?: string }[],
  columns: readonly string[],
  opts: { period?: "month" | "quarter" } = {},
): { column: string; label: string }[] {
  const action = "mark episode columns";
  if (!Array.isArray(episodes)) throw typeError(action, "episodes", "an array of episodes", episodes);
  episodes.forEach((e, k) => {
    requireObject(action, `episodes[${k}]`, e);
    requireString(action, `episodes[${k}].name`, e.name);
    if (e.short !== undefined && typeof e.short !== "string") {
      throw typeError(action, `episodes[${k}].short`, "a string", e.short);
    }
    if (e.peak !== undefined) requireIsoDate(action, `episodes[${k}].peak`, e.peak);
  });
  if (!Array.isArray(columns) || columns.some((c) => typeof c !== "string")) {
    throw typeError(action, "columns", "an array of column labels", columns);
  }
  opts = requireOptions(action, "opts", opts, ["period"]);
  const period = requireOneOf(action, "period", opts.period ?? "quarter", ["month", "quarter"]);
  return episodes.flatMap((e) => {
    if (!e.peak) return [];
    const d = new Date(`${e.peak}T00:00:00Z`);
    const column = period === "month"
      ? e.peak.slice(0, 7)
      : `${d.getUTCFullYear()} Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
    return columns.includes(column) ? [{ column, label: e.short ?? e.name }] : [];
  });
}
