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
 * - `treasury_10y`: the 10-year Treasury yield (decimal);
 * - `ln_vix`: log of the VIX.
 *
 * The model ({@linkcode fitCreditStates}) has one state per notch, AAA … CC/C and D. Its transition matrix starts
 * from S&P's notch matrix at a daily step (`transitionMatrixForStep`), restricted to moves of at most `maxJump`
 * notches a day with D absorbing, so that EM keeps the states ordered like ratings; its means start from 20 quantile
 * groups of the high-yield spread (state 0 the tightest), and D's far beyond the worst, so that a market that never
 * defaults never visits D. After fitting, the states are relabelled by their mean spread, so notch k is the k-th
 * tightest state.
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
  requireObject,
  requireOneOf,
  requireOptions,
  requirePositive,
  requireSeed,
  requireString,
  typeError,
} from "../core/check.ts";
import { dateColumn, nullableColumn } from "../data/columns.ts";
import { loadCreditSpreads, loadRatingTransitions, loadSpx, loadTreasuryYields, loadVix } from "../data/load.ts";
import { requireSource, type SourceOption } from "../data/source.ts";
import { GaussianHMM } from "./hmm.ts";
import { rollingVolatility } from "./kmv.ts";
import {
  DEFAULT_NOTCH,
  N_NOTCHES,
  notchToLetter,
  notchTransitionMask,
  notchTransitionMatrix,
  RATING_NOTCHES,
  ratingGenerator,
  STEP_YEARS,
  transitionMatrixForStep,
} from "./ratings.ts";

/** Feature names of {@linkcode creditStateObservables}, in column order of X. */
export const CREDIT_STATE_FEATURES = ["ln_hy_oas", "dd_proxy", "treasury_10y", "ln_vix"] as const;

/** Observables of the credit-state model. */
export interface CreditStateData {
  readonly dates: readonly Date[];
  readonly features: readonly string[];
  /** T × 4 in the order of {@linkcode CREDIT_STATE_FEATURES}. */ readonly X: number[][];
  /** date and the four features, plus hy_oas (decimal) and vix (points) for charts. */ readonly frame: pl.DataFrame;
  /** Trading days of the S&P 500 in the range dropped because another series had no value that day. */
  readonly dropped: number;
}

/**
 * The daily observables from `start` to `end` (see the module notes). Days where any series is missing are
 * dropped and counted; nothing is filled.
 *
 * @param opts `source` (required); `start`, `end` (ISO dates, required); `leverage` in (0, 1) (default 0.6);
 *   `window` of the volatility, an integer ≥ 20 (default 252).
 * @throws {TypeError} If `opts` is not an object or holds an unknown option.
 * @throws {RangeError} If an option is out of range or the range holds fewer than 2 complete days.
 */
export function creditStateObservables(
  opts: SourceOption & { start: string; end: string; leverage?: number; window?: number },
): CreditStateData {
  const action = "build credit-state observables";
  requireObject(action, "opts", opts);
  requireOptions(action, "opts", opts, ["source", "start", "end", "leverage", "window"]);
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
  const dates: Date[] = [], X: number[][] = [], hy: number[] = [], vix: number[] = [];
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
    dates.push(all[t]), X.push([Math.log(h), dd, y10, Math.log(vx)]), hy.push(h), vix.push(vx);
  }
  if (dates.length < 2) throw rangeError(action, "start/end", "a range with at least 2 complete days", dates.length);
  const frame = pl.DataFrame({
    date: dates,
    ...Object.fromEntries(CREDIT_STATE_FEATURES.map((f, j) => [f, X.map((row) => row[j])])),
    hy_oas: hy,
    vix,
  });
  return { dates, features: [...CREDIT_STATE_FEATURES], X, frame, dropped: inRange - dates.length };
}

/** Options of {@linkcode fitCreditStates}. */
export interface CreditStateFitOptions extends SourceOption {
  readonly seed?: number | string;
  /** Initialisations (default 3). */ readonly nInit?: number;
  /** Baum–Welch iterations per initialisation (default 100). */ readonly maxIter?: number;
  /** Largest move in notches per day (default 2); moves to D are always allowed. */ readonly maxJump?: number;
}

/** A fitted credit-state model and the matrix it started from. */
export interface CreditStateFit {
  /** The fitted model with its states relabelled best to worst (see `order`); D stays last. */
  readonly model: GaussianHMM;
  /** order[k] = the fitted state shown as notch k: states sorted by their mean of the first feature. */
  readonly order: readonly number[];
  /** Log-likelihood per Baum–Welch iteration of the best initialisation, and whether it converged. */
  readonly history: readonly number[];
  readonly converged: boolean;
  /** S&P's notch matrix at a daily step, restricted by the mask: EM's starting transition matrix. */
  readonly prior: number[][];
  readonly mask: boolean[][];
}

/**
 * Fits the 21-state model of the module notes by Baum–Welch.
 *
 * @param X Observables, T × F (e.g. from {@linkcode creditStateObservables}), finite; the first column orders the
 *   initial states (higher = worse credit).
 * @param opts `source` (required), `seed`, `nInit` (≥ 1), `maxIter` (≥ 1), `maxJump` (≥ 1).
 * @throws {TypeError} If `X` is not a matrix or `opts` holds an unknown option.
 * @throws {RangeError} If `X` has fewer than 105 rows, ragged rows or a non-finite value, or an option is out of
 *   range.
 */
export function fitCreditStates(X: number[][], opts: CreditStateFitOptions): CreditStateFit {
  const action = "fit credit states";
  if (!Array.isArray(X) || X.length < N_NOTCHES * 5) {
    throw rangeError(action, "X", `at least ${N_NOTCHES * 5} observations`, X?.length);
  }
  const { cols } = requireMatrix(action, "X", X);
  if (cols < 1) throw rangeError(action, "X", "rows of at least one feature", cols);
  requireObject(action, "opts", opts);
  requireOptions(action, "opts", opts, ["source", "seed", "nInit", "maxIter", "maxJump"]);
  if (opts.seed !== undefined) requireSeed(action, "seed", opts.seed);
  if (opts.nInit !== undefined) requireInteger(action, "nInit", opts.nInit, { min: 1, max: 1000 });
  if (opts.maxIter !== undefined) requireCount(action, "maxIter", opts.maxIter, 1);
  if (opts.maxJump !== undefined) requireInteger(action, "maxJump", opts.maxJump, { min: 1 });
  const mask = notchTransitionMask({ maxJump: opts.maxJump ?? 2 });
  const { generator } = ratingGenerator(
    notchTransitionMatrix(loadRatingTransitions(requireSource(action, opts?.source, "opts.source"))),
  );
  const daily = transitionMatrixForStep(generator, STEP_YEARS.daily);
  const prior = daily.map((row, i) => {
    const kept = row.map((p, j) => (mask[i][j] ? p : 0));
    const s = kept.reduce((a, b) => a + b, 0);
    return kept.map((p) => p / s);
  });
  const model = new GaussianHMM({
    nStates: N_NOTCHES,
    seed: opts.seed ?? 0,
    nInit: opts.nInit ?? 3,
    transitionMask: mask,
    initialTransMat: prior,
    initialMeans: ratingStateMeans(X),
  });
  model.fit(X, { maxIter: opts.maxIter ?? 100 });
  // EM keeps the band structure but may swap neighbouring states: relabel them by credit quality (the first
  // feature's mean, ascending), D last. A relabelling is the same model: the likelihood does not change.
  const order = [...Array(DEFAULT_NOTCH).keys()].sort((a, b) => model.means[a][0] - model.means[b][0]);
  order.push(DEFAULT_NOTCH);
  const ordered = GaussianHMM.fromParams({
    startProb: order.map((k) => model.startProb[k]),
    transMat: order.map((i) => order.map((j) => model.transMat[i][j])),
    means: order.map((k) => model.means[k]),
    variances: order.map((k) => model.variances[k]),
  });
  return { model: ordered, order, history: model.history, converged: model.converged, prior, mask };
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
 * Initial means of the 21 states: states 0–19 are the 20 quantile groups of the rows sorted by the first feature
 * (ascending), D sits 10 standard deviations beyond the worst group in every feature's adverse direction (the sign
 * of its correlation with the first feature).
 */
export function ratingStateMeans(X: number[][]): number[][] {
  const T = X.length, F = X[0].length, groups = DEFAULT_NOTCH;
  const order = Array.from({ length: T }, (_, t) => t).sort((a, b) => X[a][0] - X[b][0]);
  const means = Array.from({ length: groups }, (_, k) => {
    const lo = Math.floor((k * T) / groups), hi = Math.floor(((k + 1) * T) / groups);
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

/**
 * One row per state of a credit-state model fitted on {@linkcode creditStateObservables}: its notch and letter, its
 * means in natural units (spread in bp and VIX in points from the means of their logs, i.e. geometric means), its
 * daily probability of staying, and the days the Viterbi path spends in it.
 *
 * @param model A fitted {@linkcode GaussianHMM} on the four features, at most 21 states (one per notch).
 * @param path A state path (e.g. Viterbi), integers in [0, nStates − 1].
 * @throws {TypeError} If `model` is not a fitted GaussianHMM or `path` is not an array.
 * @throws {RangeError} If the model has other features or too many states, or `path` holds an invalid state.
 */
export function stateSummary(model: GaussianHMM, path: readonly number[]): Record<string, string | number>[] {
  const action = "summarise credit states";
  requireFittedModel(action, model);
  if (model.nStates > N_NOTCHES) {
    throw rangeError(action, "model", `a model of at most ${N_NOTCHES} states (one per notch)`, model.nStates);
  }
  requireStates(action, "path", path, model.nStates);
  if (model.means[0]?.length !== CREDIT_STATE_FEATURES.length) {
    throw rangeError(
      "summarise credit states",
      "model",
      "a model on the four credit-state features",
      model.means[0]?.length,
    );
  }
  const days = new Array(model.nStates).fill(0);
  for (const s of path) days[s]++;
  return model.means.map((m, k) => ({
    state: RATING_NOTCHES[k],
    letter: notchToLetter(k),
    "HY OAS (bp)": Math.exp(m[0]) * 1e4,
    DD: m[1],
    "10y (%)": m[2] * 100,
    VIX: Math.exp(m[3]),
    "daily stay": model.transMat[k][k],
    days: days[k],
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
