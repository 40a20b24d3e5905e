/**
 * The bond desk's regime overlay: factor weights (carry, momentum, value) learned from the market regime by random
 * forests, refitted monthly through the walk-forward harness, traded by the bond desk with its execution policy.
 *
 *     factor return     fₖ(t) = mean of rᵢ(t) over the top fraction by factor k at t − 1  −  mean of rᵢ(t) over all
 *                       bonds with a signal at t − 1      (a long-only factor's excess over the universe, daily)
 *     samples           the last trading day τₘ of each month; features xₘ known at τₘ
 *     target            yₘ,ₖ = Πₜ∈(τₘ, τₘ₊₁] (1 + fₖ(t)) − 1, the factor's next-month return, known at τₘ₊₁
 *     forecast          ŷₘ = (ŷₘ,carry, ŷₘ,momentum, ŷₘ,value) from one multi-output forest (splits minimise the
 *                       squared error summed over the three targets) trained on samples j with j + 1 + embargo ≤ m
 *     weights           wₘ = the Euclidean projection of max(ŷₘ, 0)/Σ max(ŷₘ, 0) (equal weights when no forecast is
 *                       positive) onto {floor ≤ wₖ ≤ cap, Σwₖ = 1}
 *     composite         cᵢ(t) = Σₖ wₘ,ₖ · rankzₖ,ᵢ(t) for τₘ ≤ t < τₘ₊₁ (the weights known at the rebalance close)
 *
 * The static benchmark is the same composite with wₖ = 1/3 throughout, traded over the same dates by the same desk.
 * The placebo runs the identical pipeline on targets whose months are shuffled (the features keep their order), so
 * any link between regime and factor returns is broken while everything else — sample sizes, refits, weights rule,
 * execution, costs — stays: the distribution of its results is what luck alone produces.
 * @module
 */
import {
  MAX_ELEMENTS,
  rangeError,
  Received,
  requireBoolean,
  requireCount,
  requireDates,
  requireFinite,
  requireInteger,
  requireKnownKeys,
  requireObject,
  requireOptions,
  requireSeed,
  typeError,
} from "../core/check.ts";
import { isoDate, requireIsoDate } from "../core/calendar.ts";
import { makeRng, randomInteger, type Seed } from "../core/rng.ts";
import { crossSectionalRank, type Panel, requirePanel, requireSameShape } from "../signals/panel.ts";
import type { DeskFactor } from "../signals/desk.ts";
import { RandomForestRegressor } from "../ml/forest.ts";
import { type Fold, walkForward, type WalkForwardOptions } from "../ml/walkforward.ts";
import { probabilisticSharpeRatio, sharpeRatio, UndefinedStatisticError } from "../backtest/metrics.ts";
import { type BacktestOptions, type BacktestResult, type BondPanels, runBacktest } from "../backtest/bond_desk.ts";

/** The factors of the overlay, in column order of targets, forecasts and weights. */
export const OVERLAY_FACTORS: readonly DeskFactor[] = ["carry", "momentum", "value"];

/** The three factor panels (dates × bonds, like the market). */
export type FactorPanels = Readonly<Record<DeskFactor, Panel>>;

// ---- Checks at the public entries (each names the caller's argument) ----

function isSeries(x: unknown): x is ArrayLike<number> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/** A series argument: an array or typed array of numbers (values are checked where they are used). */
function requireSeries(action: string, name: string, x: unknown, length?: number): ArrayLike<number> {
  if (!isSeries(x)) throw typeError(action, name, "an array of numbers", x);
  if (length !== undefined && x.length !== length) throw rangeError(action, `${name}.length`, `${length}`, x.length);
  return x as ArrayLike<number>;
}

/** The market's dates, bonds and daily returns: returns its shape T × N. */
function requireMarket(action: string, name: string, market: unknown): { T: number; N: number } {
  const m = requireObject(action, name, market);
  const T = requireDates(action, `${name}.dates`, m.dates, { minLength: 1, increasing: true }).length;
  const ratings = m.ratings;
  if (!Array.isArray(ratings)) throw typeError(action, `${name}.ratings`, "an array of ratings", ratings);
  if (ratings.length === 0) throw rangeError(action, `${name}.ratings`, "at least one bond", 0);
  const N = ratings.length;
  if (!(m.totalReturn instanceof Float64Array)) {
    throw typeError(action, `${name}.totalReturn`, "a Float64Array", m.totalReturn);
  }
  if (m.totalReturn.length !== T * N) {
    throw rangeError(action, `${name}.totalReturn.length`, `dates × bonds = ${T * N}`, m.totalReturn.length);
  }
  requireSeries(action, `${name}.cashReturn`, m.cashReturn, T);
  return { T, N };
}

/** The three factor panels, all of one shape (that of the market when given). */
function requireFactors(
  action: string,
  name: string,
  factors: unknown,
  shape?: { T: number; N: number },
): FactorPanels {
  const f = requireObject(action, name, factors);
  for (const k of OVERLAY_FACTORS) {
    const p = requirePanel(action, `${name}.${k}`, f[k]);
    if (shape && (p.rows !== shape.T || p.cols !== shape.N)) {
      throw rangeError(
        action,
        `${name}.${k}`,
        `a ${shape.T}×${shape.N} panel like the market`,
        new Received(`${p.rows}×${p.cols}`),
      );
    }
    requireSameShape(action, `${name}.${k}`, p, `${name}.carry`, f.carry as Panel);
  }
  return factors as FactorPanels;
}

/** Sample date indices: integers, strictly increasing, in [0, length). */
function requireSamples(action: string, name: string, samples: unknown, length: number): ArrayLike<number> {
  if (!isSeries(samples)) throw typeError(action, name, "an array of date indices (e.g. monthEnds)", samples);
  let last = -1;
  for (let m = 0; m < samples.length; m++) {
    const t = requireInteger(action, `${name}[${m}]`, samples[m], { min: 0, max: length - 1 });
    if (!(t > last)) throw rangeError(action, `${name}[${m}]`, `after ${name}[${m - 1}] (${last})`, t);
    last = t;
  }
  return samples as ArrayLike<number>;
}

/** Weights or forecasts, samples × 3: each row all NaN (none for that sample) or all finite; returns the rows. */
function requireRows(action: string, name: string, values: unknown, rows?: number): number {
  const K = OVERLAY_FACTORS.length;
  if (!(values instanceof Float64Array)) throw typeError(action, name, "a Float64Array", values);
  if (rows !== undefined && values.length !== rows * K) {
    throw rangeError(action, `${name}.length`, `${rows}×${K} = ${rows * K}`, values.length);
  }
  if (values.length % K !== 0) throw rangeError(action, `${name}.length`, `a multiple of ${K}`, values.length);
  for (let m = 0; m * K < values.length; m++) {
    const none = Number.isNaN(values[m * K]);
    for (let k = 0; k < K; k++) {
      const v = values[m * K + k];
      if (none ? !Number.isNaN(v) : !Number.isFinite(v)) {
        throw rangeError(action, `${name}[${m * K + k}]`, `${none ? "NaN" : "finite"} like the rest of row ${m}`, v);
      }
    }
  }
  return values.length / K;
}

/** The bounds of the weights rule: `{ floor, cap }`, feasible for `n` factors. */
function checkBounds(action: string, name: string, bounds: unknown, n: number): { floor: number; cap: number } {
  const prefix = name ? `${name}.` : "";
  requireObject(action, name || "bounds", bounds);
  requireKnownKeys(action, name, bounds, ["floor", "cap"]);
  const { floor, cap } = bounds as { floor: unknown; cap: unknown };
  requireFinite(action, `${prefix}floor`, floor), requireFinite(action, `${prefix}cap`, cap);
  const lo = floor as number, hi = cap as number;
  if (!(lo >= 0 && lo * n <= 1 + 1e-12)) throw rangeError(action, `${prefix}floor`, `in [0, 1/${n}]`, lo);
  if (!(hi <= 1 && hi * n >= 1 - 1e-12)) throw rangeError(action, `${prefix}cap`, `in [1/${n}, 1]`, hi);
  if (lo > hi) throw rangeError(action, `${prefix}floor`, `≤ cap (${hi})`, lo);
  return { floor: lo, cap: hi };
}

/**
 * Daily long-only factor returns in excess of the universe (module notes), NaN on dates where the previous close
 * had no bond with a signal.
 *
 * @throws {RangeError} If a panel's shape differs from the market's or `topFraction` is not in (0, 1].
 */
export function factorReturns(
  market: BondPanels,
  factors: FactorPanels,
  opts: { topFraction?: number } = {},
): Record<DeskFactor, Float64Array> {
  const action = "compute factor returns";
  opts = requireOptions(action, "opts", opts, ["topFraction"]);
  const top = requireFinite(action, "opts.topFraction", opts.topFraction ?? 0.2);
  if (!(top > 0 && top <= 1)) throw rangeError(action, "opts.topFraction", "in (0, 1]", top);
  requireMarket(action, "market", market);
  for (let k = 0; k < market.totalReturn.length; k++) {
    const r = market.totalReturn[k];
    if (!Number.isFinite(r)) throw rangeError(action, `market.totalReturn[${k}]`, "finite", r);
  }
  requireObject(action, "factors", factors);
  for (const k of OVERLAY_FACTORS) requirePanel(action, `factors.${k}`, factors[k]);
  const T = market.dates.length, N = market.ratings.length;
  const out = {} as Record<DeskFactor, Float64Array>;
  const order = new Int32Array(N);
  for (const k of OVERLAY_FACTORS) {
    const p = factors[k];
    if (p?.rows !== T || p.cols !== N) {
      throw rangeError(
        action,
        `factors.${k}`,
        `a ${T}×${N} panel like the market`,
        new Received(`${p?.rows}×${p?.cols}`),
      );
    }
    const f = new Float64Array(T).fill(NaN);
    for (let t = 1; t < T; t++) {
      const prev = (t - 1) * N;
      let m = 0;
      for (let i = 0; i < N; i++) if (!Number.isNaN(p.values[prev + i])) order[m++] = i;
      if (m === 0) continue;
      const idx = Array.from(order.subarray(0, m)).sort((a, b) => p.values[prev + b] - p.values[prev + a]);
      const K = Math.max(1, Math.ceil(top * m));
      let all = 0, best = 0;
      for (let a = 0; a < m; a++) {
        const r = market.totalReturn[t * N + idx[a]];
        all += r;
        if (a < K) best += r;
      }
      f[t] = best / K - all / m;
    }
    out[k] = f;
  }
  return out;
}

/**
 * Indices of the last date of each calendar month (UTC) from `from` on; a month cut short by the data counts.
 *
 * @param dates Increasing valid Dates. @param from First date index considered, in [0, dates.length] (default 0).
 * @throws {TypeError} If a date is not a Date. @throws {RangeError} If the dates are not increasing or `from` is out
 *   of range.
 */
export function monthEnds(dates: readonly Date[], from = 0): Int32Array {
  const action = "find month ends";
  requireDates(action, "dates", dates, { increasing: true });
  requireInteger(action, "from", from, { min: 0, max: dates.length });
  const out: number[] = [];
  for (let t = from; t < dates.length; t++) {
    const next = dates[t + 1];
    if (!next || next.getUTCMonth() !== dates[t].getUTCMonth() || next.getUTCFullYear() !== dates[t].getUTCFullYear()) {
      out.push(t);
    }
  }
  return Int32Array.from(out);
}

/** Daily regime observables on the market's dates (each known at its date's close). */
export interface RegimeInputs {
  /** VIX level, points. */ readonly vix: ArrayLike<number>;
  /** Treasury curve slope 10y − 2y, decimal. */ readonly slope: ArrayLike<number>;
  /** High-yield spread of the traded market, decimal. */ readonly hySpread: ArrayLike<number>;
  /** Daily factor returns (e.g. {@linkcode factorReturns}). */ readonly factorReturns: Readonly<
    Record<DeskFactor, ArrayLike<number>>
  >;
  /** Extra named series (e.g. an HMM's filtered state probabilities), used as they are. */
  readonly extra?: Readonly<Record<string, ArrayLike<number>>>;
}

/** A feature matrix: one row per sample, row-major. */
export interface FeatureMatrix {
  readonly names: readonly string[];
  readonly rows: number;
  readonly values: Float64Array;
}

/**
 * Regime features at each sample date τ (a date index), from data up to τ:
 * VIX and its change over `changeWindow` dates, slope and its change, HY spread and its change, each factor's
 * trailing return (compounded) and annualised volatility over `trailingWindow` dates, and the extra series.
 *
 * @throws {RangeError} If a series is shorter than the samples need, or a feature is not finite at a sample (move
 *   the first sample later: the windows need `max(changeWindow, trailingWindow)` dates of history).
 */
export function regimeFeatures(
  inputs: RegimeInputs,
  samples: Int32Array,
  opts: { changeWindow?: number; trailingWindow?: number } = {},
): FeatureMatrix {
  const action = "build regime features";
  opts = requireOptions(action, "opts", opts, ["changeWindow", "trailingWindow"]);
  const change = requireInteger(action, "opts.changeWindow", opts.changeWindow ?? 21, { min: 1, max: MAX_ELEMENTS });
  const trail = requireInteger(action, "opts.trailingWindow", opts.trailingWindow ?? 63, { min: 2, max: MAX_ELEMENTS });
  requireObject(action, "inputs", inputs);
  requireKnownKeys(action, "inputs", inputs, ["vix", "slope", "hySpread", "factorReturns", "extra"]);
  const L = requireSeries(action, "inputs.vix", inputs.vix).length;
  requireSeries(action, "inputs.slope", inputs.slope, L);
  requireSeries(action, "inputs.hySpread", inputs.hySpread, L);
  requireObject(action, "inputs.factorReturns", inputs.factorReturns);
  for (const k of OVERLAY_FACTORS) requireSeries(action, `inputs.factorReturns.${k}`, inputs.factorReturns[k], L);
  if (inputs.extra !== undefined) {
    requireObject(action, "inputs.extra", inputs.extra);
    for (const [name, x] of Object.entries(inputs.extra)) requireSeries(action, `inputs.extra.${name}`, x, L);
  }
  requireSamples(action, "samples", samples, L);
  const names: string[] = [];
  const sources: string[] = [];
  const columns: ((t: number) => number)[] = [];
  const level = (name: string, x: ArrayLike<number>, withChange: boolean, source: string) => {
    names.push(name), sources.push(source), columns.push((t) => x[t]);
    if (withChange) {
      names.push(`${name} Δ${change}d`), sources.push(source), columns.push((t) => x[t] - x[t - change]);
    }
  };
  level("VIX", inputs.vix, true, "inputs.vix");
  level("slope 10y−2y", inputs.slope, true, "inputs.slope");
  level("HY spread", inputs.hySpread, true, "inputs.hySpread");
  for (const k of OVERLAY_FACTORS) {
    const f = inputs.factorReturns[k];
    sources.push(`inputs.factorReturns.${k}`, `inputs.factorReturns.${k}`);
    names.push(`${k} ${trail}d return`);
    columns.push((t) => {
      let w = 1;
      for (let s = t - trail + 1; s <= t; s++) w *= 1 + f[s];
      return w - 1;
    });
    names.push(`${k} ${trail}d vol`);
    columns.push((t) => {
      let m = 0, ss = 0;
      for (let s = t - trail + 1; s <= t; s++) m += f[s];
      m /= trail;
      for (let s = t - trail + 1; s <= t; s++) ss += (f[s] - m) ** 2;
      return Math.sqrt((ss / (trail - 1)) * 252);
    });
  }
  for (const [name, x] of Object.entries(inputs.extra ?? {})) level(name, x, false, `inputs.extra.${name}`);
  const F = names.length, values = new Float64Array(samples.length * F);
  for (let m = 0; m < samples.length; m++) {
    const t = samples[m];
    for (let j = 0; j < F; j++) {
      const v = t - Math.max(change, trail) + 1 < 0 ? NaN : columns[j](t);
      if (!Number.isFinite(v)) {
        throw rangeError(
          action,
          `feature "${names[j]}" at sample ${m} (date index ${t} of ${sources[j]})`,
          "finite",
          v,
        );
      }
      values[m * F + j] = v;
    }
  }
  return { names, rows: samples.length, values };
}

/**
 * Each factor's next-period return from each sample date to the next (module notes): samples × 3, row-major; the
 * last sample's target is not known yet and is NaN (the walk-forward never trains on it).
 *
 * @throws {RangeError} If a factor return inside a target period is NaN.
 */
export function nextPeriodReturns(
  factorReturns: Readonly<Record<DeskFactor, ArrayLike<number>>>,
  samples: Int32Array,
): Float64Array {
  const action = "compute next-period factor returns";
  requireObject(action, "factorReturns", factorReturns);
  let L = -1;
  for (const k of OVERLAY_FACTORS) {
    L = requireSeries(action, `factorReturns.${k}`, factorReturns[k], L < 0 ? undefined : L).length;
  }
  requireSamples(action, "samples", samples, L);
  const K = OVERLAY_FACTORS.length, out = new Float64Array(samples.length * K).fill(NaN);
  for (let m = 0; m + 1 < samples.length; m++) {
    for (let k = 0; k < K; k++) {
      const f = factorReturns[OVERLAY_FACTORS[k]];
      let w = 1;
      for (let t = samples[m] + 1; t <= samples[m + 1]; t++) {
        if (!Number.isFinite(f[t])) {
          throw rangeError(
            action,
            `factorReturns.${OVERLAY_FACTORS[k]}[${t}] (a return in a target period)`,
            "known and finite",
            f[t],
          );
        }
        w *= 1 + f[t];
      }
      out[m * K + k] = w - 1;
    }
  }
  return out;
}

/**
 * Long-only weights from forecasts: positive forecasts in proportion (equal weights when none is positive),
 * projected onto {floor ≤ wₖ ≤ cap, Σwₖ = 1} (Euclidean projection, by bisection on the shift λ of
 * wₖ = clip(vₖ − λ, floor, cap)).
 *
 * @throws {RangeError} If a forecast is not finite, or the bounds leave no feasible weights (n·floor ≤ 1 ≤ n·cap).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { forecastWeights } from "./regime_overlay.ts";
 *
 * assert.deepEqual(forecastWeights([0.02, 0.01, -0.01], { floor: 0, cap: 1 }).map((w) => +w.toFixed(6)), [0.666667, 0.333333, 0]);
 * assert.deepEqual(forecastWeights([0.02, 0.01, -0.01], { floor: 0.1, cap: 0.6 }).map((w) => +w.toFixed(6)), [0.6, 0.3, 0.1]);
 * ```
 */
export function forecastWeights(forecasts: ArrayLike<number>, bounds: { floor: number; cap: number }): number[] {
  const action = "turn forecasts into weights";
  requireSeries(action, "forecasts", forecasts);
  const n = forecasts.length;
  if (n === 0) throw rangeError(action, "forecasts", "not empty", 0);
  const { floor, cap } = checkBounds(action, "", bounds, n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    requireFinite(action, `forecasts[${k}]`, forecasts[k]);
    total += Math.max(forecasts[k], 0);
  }
  const v = Array.from(forecasts, (x) => (total > 0 ? Math.max(x, 0) / total : 1 / n));
  const at = (lambda: number) => v.map((x) => Math.min(cap, Math.max(floor, x - lambda)));
  const sumAt = (lambda: number) => at(lambda).reduce((a, b) => a + b, 0);
  let lo = -1 - cap, hi = 1 + cap; // Σ at lo = n·cap ≥ 1, Σ at hi = n·floor ≤ 1
  for (let it = 0; it < 200 && hi - lo > 1e-15; it++) {
    const mid = 0.5 * (lo + hi);
    if (sumAt(mid) > 1) lo = mid;
    else hi = mid;
  }
  const w = at(0.5 * (lo + hi));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
}

/**
 * Each factor as cross-sectional rank-z scores (`crossSectionalRank`): the inputs of
 * {@linkcode timeVaryingComposite}. Ranking is the costly step; rank once and reuse across runs.
 */
export function rankFactors(factors: FactorPanels): FactorPanels {
  requireFactors("rank factors", "factors", factors);
  return {
    carry: crossSectionalRank(factors.carry),
    momentum: crossSectionalRank(factors.momentum),
    value: crossSectionalRank(factors.value),
  };
}

/**
 * The composite of rank-z factors with weights that change at the sample dates: row t uses the weights of the last
 * sample at or before t; rows before the first sample with weights are NaN (nothing to trade).
 *
 *     cᵢ(t) = Σₖ wₘ,ₖ · zₖ,ᵢ(t) / Σₖ |wₘ,ₖ|,   τₘ ≤ t < τₘ₊₁        NaN where a factor is missing
 *
 * @param ranked The factors already ranked ({@linkcode rankFactors}).
 * @param weights samples × 3 row-major, NaN rows for samples without weights.
 */
export function timeVaryingComposite(ranked: FactorPanels, samples: Int32Array, weights: Float64Array): Panel {
  const action = "combine factors with time-varying weights";
  const K = OVERLAY_FACTORS.length;
  requireFactors(action, "ranked", ranked);
  requireSamples(action, "samples", samples, ranked.carry.rows);
  requireRows(action, "weights", weights, samples.length);
  for (let m = 0; m < samples.length; m++) {
    const total = Math.abs(weights[m * K]) + Math.abs(weights[m * K + 1]) + Math.abs(weights[m * K + 2]);
    if (total === 0) throw rangeError(action, `weights of sample ${m}`, "not all 0", 0);
  }
  const { rows, cols } = ranked.carry;
  const z = OVERLAY_FACTORS.map((k) => ranked[k].values);
  const out = new Float64Array(rows * cols).fill(NaN);
  for (let m = 0; m < samples.length; m++) {
    if (Number.isNaN(weights[m * K])) continue;
    const total = Math.abs(weights[m * K]) + Math.abs(weights[m * K + 1]) + Math.abs(weights[m * K + 2]);
    const w = [weights[m * K] / total, weights[m * K + 1] / total, weights[m * K + 2] / total];
    const end = m + 1 < samples.length ? samples[m + 1] : rows;
    for (let t = samples[m]; t < end; t++) {
      for (let i = t * cols; i < (t + 1) * cols; i++) out[i] = w[0] * z[0][i] + w[1] * z[1][i] + w[2] * z[2][i];
    }
  }
  return { rows, cols, values: out };
}

/** Forest settings of the overlay (see `RandomForestRegressor`). */
export interface OverlayForestOptions {
  readonly nTrees?: number;
  readonly maxDepth?: number;
  readonly minSamplesLeaf?: number;
  readonly maxFeatures?: number;
  readonly seed?: Seed;
}

/** Options of {@linkcode regimeForecasts}. */
export interface RegimeForecastOptions {
  readonly features: FeatureMatrix;
  /** samples × 3 (e.g. {@linkcode nextPeriodReturns}). */ readonly targets: Float64Array;
  /** Forest settings (default 100 trees, minSamplesLeaf 5, maxFeatures 0.5, seed 0). */
  readonly forest?: OverlayForestOptions;
  /** Walk-forward schedule (default expanding, minTrain 36, embargo 0, monthly refits); horizon is 1 sample. */
  readonly walkForward?: Omit<WalkForwardOptions, "horizon">;
  /** Placebo: shuffle the targets' months with this seed before anything is fitted. */ readonly shuffleSeed?: Seed;
  /** Keep each fold's importances (default true). */ readonly importances?: boolean;
}

/** Result of {@linkcode regimeForecasts}. */
export interface RegimeForecasts {
  readonly folds: Fold[];
  /** samples × 3, NaN before the first forecast. */ readonly forecasts: Float64Array;
  readonly first: number;
  /** folds × features: each fold's forest importances (mean decrease in impurity), row-major. */
  readonly importances: Float64Array;
}

/**
 * Forecasts the three factors' next-period returns by a multi-output forest, walk-forward (module notes).
 *
 * @throws {RangeError} If the shapes disagree or an option is out of range. @throws {TypeError} On unknown keys.
 */
export function regimeForecasts(opts: RegimeForecastOptions): RegimeForecasts {
  const action = "forecast factor returns";
  requireObject(action, "opts", opts);
  requireKnownKeys(action, "opts", opts, [
    "features",
    "targets",
    "forest",
    "walkForward",
    "shuffleSeed",
    "importances",
  ]);
  requireKnownKeys(action, "opts.forest", opts.forest, ["nTrees", "maxDepth", "minSamplesLeaf", "maxFeatures", "seed"]);
  requireKnownKeys(action, "opts.walkForward", opts.walkForward, [
    "scheme",
    "window",
    "embargo",
    "minTrain",
    "refitEvery",
  ]);
  if (opts.shuffleSeed !== undefined) requireSeed(action, "opts.shuffleSeed", opts.shuffleSeed);
  if (opts.importances !== undefined) requireBoolean(action, "opts.importances", opts.importances);
  const features = requireObject(action, "opts.features", opts.features) as unknown as FeatureMatrix;
  if (!Array.isArray(features.names) || features.names.some((n) => typeof n !== "string")) {
    throw typeError(action, "opts.features.names", "an array of feature names", features.names);
  }
  requireCount(action, "opts.features.rows", features.rows, 1);
  if (!(features.values instanceof Float64Array)) {
    throw typeError(action, "opts.features.values", "a Float64Array", features.values);
  }
  const S = features.rows, F = features.names.length, K = OVERLAY_FACTORS.length;
  if (features.values.length !== S * F) {
    throw rangeError(action, "features.values", `${S}×${F} values`, features.values.length);
  }
  for (let k = 0; k < features.values.length; k++) {
    const v = features.values[k];
    if (!Number.isFinite(v)) throw rangeError(action, `opts.features.values[${k}]`, "finite", v);
  }
  if (!(opts.targets instanceof Float64Array)) throw typeError(action, "opts.targets", "a Float64Array", opts.targets);
  if (opts.targets.length !== S * K) throw rangeError(action, "targets", `${S}×${K} values`, opts.targets.length);
  // Every target but the last sample's (not known yet) is trained on by some fold.
  for (let k = 0; k < (S - 1) * K; k++) {
    const v = opts.targets[k];
    if (!Number.isFinite(v)) throw rangeError(action, `opts.targets[${k}]`, "finite (known)", v);
  }
  let targets = opts.targets;
  if (opts.shuffleSeed !== undefined) targets = shuffleMonths(targets, S - 1, K, opts.shuffleSeed);
  const forest = {
    nTrees: 100,
    minSamplesLeaf: 5,
    maxFeatures: 0.5,
    seed: 0 as Seed,
    ...opts.forest,
  };
  const rows = Array.from({ length: S }, (_, m) => Array.from(features.values.subarray(m * F, (m + 1) * F)));
  const keep = opts.importances ?? true;
  const importances: number[] = [];
  const run = walkForward({
    n: S,
    minTrain: 36,
    ...opts.walkForward,
    horizon: 1,
    width: K,
    fit: (train, fold) => {
      const X = Array.from(train, (j) => rows[j]);
      const Y = Array.from(train, (j) => Array.from(targets.subarray(j * K, (j + 1) * K)));
      const model = new RandomForestRegressor({ ...forest, seed: `${forest.seed}:${fold.fold}` }).fitMulti(X, Y);
      if (keep) importances.push(...model.featureImportances);
      return model;
    },
    predict: (model, test) => model.predictMulti(Array.from(test, (j) => rows[j])),
  });
  return {
    folds: run.folds,
    forecasts: run.predictions,
    first: run.first,
    importances: Float64Array.from(importances),
  };
}

/** Fisher–Yates shuffle of the first `n` rows (the known targets) of a row-major matrix of width K. */
function shuffleMonths(values: Float64Array, n: number, K: number, seed: Seed): Float64Array {
  const out = Float64Array.from(values), rng = makeRng(seed, "placebo-targets");
  for (let a = n - 1; a > 0; a--) {
    const b = randomInteger(rng, a + 1);
    for (let k = 0; k < K; k++) {
      const x = out[a * K + k];
      out[a * K + k] = out[b * K + k], out[b * K + k] = x;
    }
  }
  return out;
}

/** Execution settings passed to the bond desk (`runBacktest`); the market, signal and dates are the overlay's. */
export type OverlayExecution = Omit<BacktestOptions, "market" | "signal" | "start" | "end">;

/** Weights from forecasts for every forecast sample (NaN rows before the first), samples × 3. */
export function overlayWeights(
  forecasts: Float64Array,
  bounds: { floor: number; cap: number },
): Float64Array {
  const action = "turn forecasts into weights";
  requireRows(action, "forecasts", forecasts);
  checkBounds(action, "bounds", bounds, OVERLAY_FACTORS.length);
  const K = OVERLAY_FACTORS.length, out = new Float64Array(forecasts.length).fill(NaN);
  for (let m = 0; m * K < forecasts.length; m++) {
    if (Number.isNaN(forecasts[m * K])) continue;
    const w = forecastWeights(forecasts.subarray(m * K, m * K + K), bounds);
    for (let k = 0; k < K; k++) out[m * K + k] = w[k];
  }
  return out;
}

/** The forest book and the static book over the same dates. */
export interface OverlayBooks {
  /** First trading date (the first forecast's sample date). */ readonly start: string;
  readonly forest: BacktestResult;
  /** The static book (null when not asked for: placebo runs need only the forest book). */
  readonly static: BacktestResult | null;
  readonly forestSignal: Panel;
}

/**
 * Trades the overlay's weights and the static equal weights with the same desk over the same dates.
 *
 * @param ranked The factors ranked by {@linkcode rankFactors}.
 * @param weights samples × 3 (e.g. {@linkcode overlayWeights}); the book starts at the first sample with weights.
 */
export function overlayBooks(
  market: BondPanels,
  ranked: FactorPanels,
  samples: Int32Array,
  weights: Float64Array,
  execution: OverlayExecution = {},
  opts: { static?: boolean } = {},
): OverlayBooks {
  const action = "trade the regime overlay";
  const K = OVERLAY_FACTORS.length;
  const shape = requireMarket(action, "market", market);
  requireFactors(action, "ranked", ranked, shape);
  requireSamples(action, "samples", samples, shape.T);
  requireRows(action, "weights", weights, samples.length);
  if (execution !== undefined) {
    requireObject(action, "execution", execution);
    for (const key of ["market", "signal", "start", "end"]) {
      if (key in execution) throw typeError(action, `execution.${key}`, "left out (the overlay sets it)", key);
    }
  }
  opts = requireOptions(action, "opts", opts, ["static"]);
  if (opts.static !== undefined) requireBoolean(action, "opts.static", opts.static);
  let first = -1;
  for (let m = 0; m < samples.length && first < 0; m++) if (!Number.isNaN(weights[m * K])) first = m;
  if (first < 0) throw rangeError(action, "weights", "at least one sample with weights", "none");
  const start = isoDate(market.dates[samples[first]]);
  const forestSignal = timeVaryingComposite(ranked, samples, weights);
  const forest = runBacktest({ ...execution, market, signal: forestSignal, start });
  let stat: BacktestResult | null = null;
  if (opts.static ?? true) {
    const equal = new Float64Array(weights.length).fill(NaN);
    for (let m = first; m < samples.length; m++) equal.fill(1 / K, m * K, m * K + K);
    stat = runBacktest({ ...execution, market, signal: timeVaryingComposite(ranked, samples, equal), start });
  }
  return { start, forest, static: stat, forestSignal };
}

/** The statistics the overlay is judged on, for one book over a window of its dates. */
export interface BookStatistics {
  readonly days: number;
  /** Compounded net return over the window, fraction. */ readonly totalReturn: number;
  /** Annualised Sharpe ratio of the net return in excess of the bill rate; null when undefined. */
  readonly sharpe: number | null;
  /** Probabilistic Sharpe ratio P(true excess Sharpe > 0); null when undefined. */ readonly psr: number | null;
  /** Maximum drawdown of NAV within the window, ≤ 0. */ readonly maxDrawdown: number;
  /** Traded notional per year, multiples of NAV. */ readonly annualTurnover: number;
  /** Costs per year, fraction of NAV. */ readonly annualCosts: number;
}

/**
 * Statistics of a bond-desk book from `from` to `to` (ISO, inclusive; default its whole run), excess returns over
 * the market's bill rate on the same dates.
 *
 * @throws {RangeError} If the window holds fewer than 2 of the book's dates.
 */
export function bookStatistics(
  book: BacktestResult,
  market: BondPanels,
  window: { from?: string; to?: string } = {},
): BookStatistics {
  const action = "compute book statistics";
  requireKnownKeys(action, "window", window, ["from", "to"]);
  requireObject(action, "book", book);
  const D = requireDates(action, "book.dates", book.dates, { minLength: 1, increasing: true }).length;
  for (const key of ["returns", "turnover", "costs"] as const) requireSeries(action, `book.${key}`, book[key], D);
  requireObject(action, "market", market);
  const T = requireDates(action, "market.dates", market.dates, { minLength: 1 }).length;
  requireSeries(action, "market.cashReturn", market.cashReturn, T);
  const lo = window.from === undefined ? -Infinity : requireIsoDate(action, "window.from", window.from).getTime();
  const hi = window.to === undefined ? Infinity : requireIsoDate(action, "window.to", window.to).getTime();
  const offset = market.dates.findIndex((d) => d.getTime() === book.dates[0].getTime());
  if (offset < 0) throw rangeError(action, "book", "a book run on this market's dates", book.dates[0]);
  if (offset + D > T) {
    throw rangeError(
      action,
      "book.dates",
      `at most ${T - offset} dates from ${isoDate(book.dates[0])} (the market's)`,
      D,
    );
  }
  const idx: number[] = [];
  book.dates.forEach((d, i) => d.getTime() >= lo && d.getTime() <= hi && idx.push(i));
  if (idx.length < 2) throw rangeError(action, "window", "a window holding at least 2 dates of the book", idx.length);
  const excess = idx.map((i) => book.returns[i] - market.cashReturn[offset + i]);
  const undefinedAsNull = (f: () => number) => {
    try {
      return f();
    } catch (error) {
      if (error instanceof UndefinedStatisticError) return null;
      throw error;
    }
  };
  let wealth = 1, peak = 1, dd = 0, turnover = 0, costs = 0;
  for (const i of idx) {
    wealth *= 1 + book.returns[i];
    peak = Math.max(peak, wealth), dd = Math.min(dd, wealth / peak - 1);
    turnover += book.turnover[i], costs += book.costs[i];
  }
  const years = idx.length / 252;
  return {
    days: idx.length,
    totalReturn: wealth - 1,
    sharpe: undefinedAsNull(() => sharpeRatio(excess)),
    psr: undefinedAsNull(() => probabilisticSharpeRatio(excess)),
    maxDrawdown: dd,
    annualTurnover: turnover / years,
    annualCosts: costs / years,
  };
}
