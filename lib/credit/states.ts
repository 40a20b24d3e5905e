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
import { rangeError, requireInteger, requirePositive } from "../core/check.ts";
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
 */
export function creditStateObservables(
  opts: SourceOption & { start: string; end: string; leverage?: number; window?: number },
): CreditStateData {
  const action = "build credit-state observables";
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
  const from = new Date(`${opts.start}T00:00:00Z`).getTime(), to = new Date(`${opts.end}T00:00:00Z`).getTime();
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
 * @param X Observables, T × F (e.g. from {@linkcode creditStateObservables}); the first column orders the initial
 *   states (higher = worse credit).
 */
export function fitCreditStates(X: number[][], opts: CreditStateFitOptions): CreditStateFit {
  const action = "fit credit states";
  if (!Array.isArray(X) || X.length < N_NOTCHES * 5) {
    throw rangeError(action, "X", `at least ${N_NOTCHES * 5} observations`, X?.length);
  }
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

/** Expected notch Σₖ k·pₜ(k) of each row of state probabilities. */
export function expectedNotch(proba: number[][]): Float64Array {
  return Float64Array.from(proba, (row) => row.reduce((s, p, k) => s + k * p, 0));
}

/**
 * State probabilities averaged by calendar quarter (or month): K rows × periods columns, for a state-over-time
 * heatmap.
 */
export function periodStateProbabilities(
  dates: readonly Date[],
  proba: number[][],
  opts: { period?: "month" | "quarter" } = {},
): { columns: string[]; values: number[][] } {
  if (dates.length !== proba.length) {
    throw rangeError("average state probabilities", "proba", `${dates.length} rows (one per date)`, proba.length);
  }
  const period = opts.period ?? "quarter";
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

/** The part of aligned series between two ISO dates (inclusive), for zoomed charts. */
export function windowSeries(
  dates: readonly Date[],
  series: Readonly<Record<string, ArrayLike<number | null>>>,
  start: string,
  end: string,
): { dates: Date[]; series: Record<string, (number | null)[]> } {
  const from = new Date(`${start}T00:00:00Z`).getTime(), to = new Date(`${end}T00:00:00Z`).getTime();
  const keep = dates.flatMap((d, i) => (d.getTime() >= from && d.getTime() <= to ? [i] : []));
  if (keep.length === 0) {
    throw rangeError("window series", "start/end", "a range holding some dates", `${start}…${end}`);
  }
  return {
    dates: keep.map((i) => dates[i]),
    series: Object.fromEntries(Object.entries(series).map(([k, v]) => [k, keep.map((i) => v[i])])),
  };
}

/**
 * Share of days on which each path finds the true state of simulated data: the Viterbi path, and the most probable
 * state under the smoothed and the filtered probabilities.
 */
export function decodeAccuracy(
  model: GaussianHMM,
  X: number[][],
  truth: readonly number[],
): { viterbi: number; smoothed: number; filtered: number } {
  if (truth.length !== X.length) throw rangeError("score decoding", "truth", `${X.length} states`, truth.length);
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
 */
export function stateSummary(model: GaussianHMM, path: readonly number[]): Record<string, string | number>[] {
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
 */
export function lookAheadGap(
  filtered: number[][],
  smoothed: number[][],
): { mean: number; max: number; aboveOne: number } {
  if (filtered.length !== smoothed.length) {
    throw rangeError("measure look-ahead gap", "smoothed", `${filtered.length} rows`, smoothed.length);
  }
  const f = expectedNotch(filtered), s = expectedNotch(smoothed);
  let sum = 0, max = 0, above = 0;
  for (let t = 0; t < f.length; t++) {
    const g = Math.abs(f[t] - s[t]);
    sum += g, max = Math.max(max, g), above += g > 1 ? 1 : 0;
  }
  return { mean: sum / f.length, max, aboveOne: above / f.length };
}

/** Episodes as heatmap column marks: each episode's peak date mapped to its period column (skipped if absent). */
export function episodeColumnMarks(
  episodes: readonly { readonly short?: string; readonly name: string; readonly peak?: string }[],
  columns: readonly string[],
  opts: { period?: "month" | "quarter" } = {},
): { column: string; label: string }[] {
  return episodes.flatMap((e) => {
    if (!e.peak) return [];
    const d = new Date(`${e.peak}T00:00:00Z`);
    const column = (opts.period ?? "quarter") === "month"
      ? e.peak.slice(0, 7)
      : `${d.getUTCFullYear()} Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
    return columns.includes(column) ? [{ column, label: e.short ?? e.name }] : [];
  });
}
