/**
 * Walk-forward validation: a model refitted on a schedule, each fit trained only on samples whose targets were
 * known before the dates it predicts.
 *
 * Samples j = 0 … n − 1 sit on dates τⱼ in time order. The features of sample j are known at τⱼ; its target
 * (for example the return from τⱼ to τⱼ₊ₕ) is known only at τⱼ₊ₕ, h = `horizon` samples later. A fit made at
 * sample i, to predict samples i … i′ − 1 (up to the next refit i′), may train on
 *
 *     j + horizon + embargo ≤ i        (the target was known, with `embargo` samples to spare, when the fit is made)
 *     j ≥ i − horizon − embargo − window + 1      for a rolling window (every eligible sample for an expanding one)
 *
 * The embargo guards against targets that overlap the prediction period (a multi-period return measured with
 * overlapping windows) and features that are published late. The first fit waits until `minTrain` samples are
 * eligible. Every fold is returned as data — training and test ranges by index and by date — so a notebook can draw
 * the timeline.
 * @module
 */
import {
  MAX_ELEMENTS,
  rangeError,
  Received,
  requireCount,
  requireDates,
  requireInteger,
  requireKnownKeys,
  requireObject,
  typeError,
} from "../core/check.ts";

/** One refit: train on samples [trainStart, trainEnd), predict samples [testStart, testEnd). */
export interface Fold {
  readonly fold: number;
  readonly trainStart: number;
  readonly trainEnd: number;
  readonly testStart: number;
  readonly testEnd: number;
}

/** Options of {@linkcode walkForwardFolds}. */
export interface WalkForwardOptions {
  /** `"expanding"` (every eligible sample, default) or `"rolling"` (the last `window` eligible samples). */
  readonly scheme?: "expanding" | "rolling";
  /** Length of a rolling window, samples (required for `"rolling"`, refused for `"expanding"`). */
  readonly window?: number;
  /** Samples until a sample's target is known, ≥ 1 (default 1: a one-period-ahead return, known at the next date). */
  readonly horizon?: number;
  /** Extra samples left out between the last training target and the first prediction (default 0). */
  readonly embargo?: number;
  /** Eligible training samples needed before the first fit (default 24). */
  readonly minTrain?: number;
  /** Refit every this many samples (default 1: before every prediction). */
  readonly refitEvery?: number;
}

const KEYS = ["scheme", "window", "horizon", "embargo", "minTrain", "refitEvery"] as const;

/**
 * The folds of a walk-forward over `n` samples.
 *
 * @throws {RangeError} If `n` or an option is out of range, or no sample can be predicted.
 * @throws {TypeError} On an unknown option key.
 *
 * @example Monthly refits with an expanding window and a one-month embargo
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkForwardFolds } from "./walkforward.ts";
 *
 * const folds = walkForwardFolds(10, { minTrain: 4, horizon: 1, embargo: 1, refitEvery: 3 });
 * // The first fit needs 4 samples whose targets were known a sample early: j + 1 + 1 <= i for j = 0…3, so i = 5.
 * assert.deepEqual(folds.map((f) => [f.trainStart, f.trainEnd, f.testStart, f.testEnd]), [[0, 4, 5, 8], [0, 7, 8, 10]]);
 * ```
 */
export function walkForwardFolds(n: number, opts: WalkForwardOptions = {}): Fold[] {
  const action = "plan walk-forward";
  requireKnownKeys(action, "opts", opts, KEYS);
  requireCount(action, "n", n, 1);
  const scheme = opts.scheme ?? "expanding";
  if (scheme !== "expanding" && scheme !== "rolling") {
    throw rangeError(action, "opts.scheme", '"expanding" or "rolling"', scheme);
  }
  const horizon = requireInteger(action, "opts.horizon", opts.horizon ?? 1, { min: 1, max: MAX_ELEMENTS });
  const embargo = requireInteger(action, "opts.embargo", opts.embargo ?? 0, { min: 0, max: MAX_ELEMENTS });
  const minTrain = requireInteger(action, "opts.minTrain", opts.minTrain ?? 24, { min: 1, max: MAX_ELEMENTS });
  const every = requireInteger(action, "opts.refitEvery", opts.refitEvery ?? 1, { min: 1, max: MAX_ELEMENTS });
  let window = Infinity;
  if (scheme === "rolling") {
    if (opts.window === undefined) throw rangeError(action, "opts.window", "given for a rolling scheme", undefined);
    window = requireInteger(action, "opts.window", opts.window, { min: 1, max: MAX_ELEMENTS });
    if (window < minTrain) {
      throw rangeError(action, "opts.window", `at least minTrain (${minTrain})`, window);
    }
  } else if (opts.window !== undefined) {
    throw rangeError(action, "opts.window", 'left out for the "expanding" scheme (or scheme "rolling")', opts.window);
  }
  const gap = horizon + embargo;
  const first = minTrain + gap - 1; // the first i with trainEnd = i − gap + 1 ≥ minTrain
  if (first >= n) {
    throw rangeError(
      action,
      "n",
      `more than minTrain + horizon + embargo − 1 = ${first} samples, so that one sample can be predicted`,
      n,
    );
  }
  const folds: Fold[] = [];
  for (let i = first, k = 0; i < n; i += every, k++) {
    const trainEnd = i - gap + 1; // the last training sample j = i − gap: j + horizon + embargo = i
    const trainStart = Math.max(0, trainEnd - window);
    folds.push({ fold: k, trainStart, trainEnd, testStart: i, testEnd: Math.min(n, i + every) });
  }
  return folds;
}

/** A fold with the dates of its ranges (inclusive first and last sample dates), for a timeline chart. */
export interface FoldDates extends Fold {
  readonly trainFirst: Date;
  readonly trainLast: Date;
  /** Date the last training target became known (τ of trainEnd − 1 + horizon). */ readonly targetKnown: Date;
  readonly testFirst: Date;
  readonly testLast: Date;
}

/**
 * The folds with their dates.
 *
 * @throws {RangeError} If `dates` is shorter than the samples the folds cover, or not increasing, or a fold's ranges
 *   are not 0 ≤ trainStart < trainEnd ≤ testStart < testEnd. @throws {TypeError} On a wrong type.
 */
export function foldTimeline(folds: readonly Fold[], dates: readonly Date[], horizon = 1): FoldDates[] {
  const action = "date walk-forward folds";
  requireInteger(action, "horizon", horizon, { min: 0, max: MAX_ELEMENTS });
  if (!Array.isArray(folds)) throw typeError(action, "folds", "an array of folds", folds);
  folds.forEach((f, k) => {
    requireObject(action, `folds[${k}]`, f);
    for (const key of ["fold", "trainStart", "trainEnd", "testStart", "testEnd"] as const) {
      requireCount(action, `folds[${k}].${key}`, f[key]);
    }
    if (!(f.trainStart < f.trainEnd && f.trainEnd <= f.testStart && f.testStart < f.testEnd)) {
      throw rangeError(
        action,
        `folds[${k}]`,
        "ranges with trainStart < trainEnd ≤ testStart < testEnd",
        new Received(`[${f.trainStart}, ${f.trainEnd}) and [${f.testStart}, ${f.testEnd})`),
      );
    }
  });
  requireDates(action, "dates", dates, { increasing: true });
  return folds.map((f) => {
    const last = f.testEnd - 1, known = f.trainEnd - 1 + horizon;
    if (last >= dates.length || known >= dates.length) {
      throw rangeError(action, "dates", `at least ${Math.max(last, known) + 1} dates`, dates.length);
    }
    return {
      ...f,
      trainFirst: dates[f.trainStart],
      trainLast: dates[f.trainEnd - 1],
      targetKnown: dates[known],
      testFirst: dates[f.testStart],
      testLast: dates[last],
    };
  });
}

/** Options of {@linkcode walkForward}: the schedule, and the model as two functions. */
export interface WalkForwardRun<M> extends WalkForwardOptions {
  /** Number of samples. */ readonly n: number;
  /**
   * Fits a model on the training samples `train` (indices in time order). Must read features and targets only
   * through those indices: the harness cannot see inside, but `tests/ml/walkforward_test.ts` shows how to prove it.
   */
  readonly fit: (train: Int32Array, fold: Fold) => M;
  /** Predicts the samples `test` with the model of their fold: one row of `width` values per sample. */
  readonly predict: (model: M, test: Int32Array, fold: Fold) => ArrayLike<number>[];
  /** Values per prediction (default 1). */ readonly width?: number;
}

/** Result of {@linkcode walkForward}. */
export interface WalkForwardResult<M> {
  readonly folds: Fold[];
  /** Predictions, n × width row-major: NaN before the first predicted sample (those samples are never predicted). */
  readonly predictions: Float64Array;
  readonly width: number;
  /** First predicted sample (= folds[0].testStart). */ readonly first: number;
  /** The model of each fold, in fold order. */ readonly models: M[];
}

/**
 * Runs a walk-forward: plans the folds, fits one model per fold on its training indices, predicts its test indices.
 *
 * @throws {RangeError} As {@linkcode walkForwardFolds}; if `predict` returns the wrong number of rows or values, or
 *   a value that is not finite.
 *
 * @example A running mean, predicted one sample ahead
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkForward } from "./walkforward.ts";
 *
 * const y = [1, 2, 3, 4, 5, 6];
 * const run = walkForward({
 *   n: y.length, minTrain: 2,
 *   fit: (train) => train.reduce((s, j) => s + y[j], 0) / train.length,
 *   predict: (mean, test) => Array.from(test, () => [mean]),
 * });
 * // Sample 2 is predicted at its date from y[0] and y[1], the targets known by then.
 * assert.deepEqual(Array.from(run.predictions).slice(2), [1.5, 2, 2.5, 3]);
 * ```
 */
export function walkForward<M>(run: WalkForwardRun<M>): WalkForwardResult<M> {
  const action = "run walk-forward";
  requireKnownKeys(action, "run", run, [...KEYS, "n", "fit", "predict", "width"]);
  if (typeof run.fit !== "function") throw typeError(action, "run.fit", "a function", run.fit);
  if (typeof run.predict !== "function") throw typeError(action, "run.predict", "a function", run.predict);
  const width = requireInteger(action, "run.width", run.width ?? 1, { min: 1, max: MAX_ELEMENTS });
  const { n, fit: _fit, predict: _predict, width: _width, ...schedule } = run;
  const folds = walkForwardFolds(n, schedule);
  if (n * width > MAX_ELEMENTS) {
    throw rangeError(action, "run.n × run.width", `at most ${MAX_ELEMENTS} predictions`, n * width);
  }
  const predictions = new Float64Array(n * width).fill(NaN);
  const models: M[] = [];
  for (const fold of folds) {
    const train = new Int32Array(fold.trainEnd - fold.trainStart);
    for (let j = 0; j < train.length; j++) train[j] = fold.trainStart + j;
    const test = new Int32Array(fold.testEnd - fold.testStart);
    for (let j = 0; j < test.length; j++) test[j] = fold.testStart + j;
    const model = run.fit(train, fold);
    const rows = run.predict(model, test, fold);
    if (rows.length !== test.length) {
      throw rangeError(
        action,
        `predictions of fold ${fold.fold}`,
        `${test.length} rows`,
        new Received(`${rows.length}`),
      );
    }
    for (let j = 0; j < rows.length; j++) {
      const row = rows[j];
      if (row.length !== width) {
        throw rangeError(action, `prediction of sample ${test[j]}`, `${width} values`, new Received(`${row.length}`));
      }
      for (let k = 0; k < width; k++) {
        if (!Number.isFinite(row[k])) throw rangeError(action, `prediction of sample ${test[j]}`, "finite", row[k]);
        predictions[test[j] * width + k] = row[k];
      }
    }
    models.push(model);
  }
  return { folds, predictions, width, first: folds[0].testStart, models };
}
