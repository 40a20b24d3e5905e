/**
 * Panels: a value per date and asset, stored as one row-major `Float64Array` (`values[t * cols + i]`), the layout
 * of the bond universe. NaN marks "not available" — a signal still in its warm-up window, an asset without a
 * value — and every function here skips it explicitly; nothing is filled or guessed.
 * @module
 */
import {
  MAX_ELEMENTS,
  rangeError,
  Received,
  requireCount,
  requireFunction,
  requireInteger,
  requireObject,
  requireOptions,
  typeError,
} from "../core/check.ts";

/** A dates × assets panel. */
export interface Panel {
  /** Number of dates. */ readonly rows: number;
  /** Number of assets. */ readonly cols: number;
  /** Row-major values, NaN where not available. */ readonly values: Float64Array;
}

/**
 * Wraps a row-major array as a panel, checking its size. Values are finite or NaN (not available).
 *
 * @throws {TypeError} If `values` is not a `Float64Array`. @throws {RangeError} If `rows`/`cols` are not counts,
 *   the length is not rows × cols, or a value is ±Infinity.
 */
export function panel(values: Float64Array, rows: number, cols: number): Panel {
  requireInteger("make panel", "rows", rows, { min: 0 });
  requireInteger("make panel", "cols", cols, { min: 1 });
  if (!(values instanceof Float64Array)) throw typeError("make panel", "values", "a Float64Array", values);
  if (values.length !== rows * cols) {
    throw rangeError("make panel", "values.length", `rows × cols = ${rows * cols}`, values.length);
  }
  requireNoInfinity("make panel", "values", values);
  return { rows, cols, values };
}

/**
 * Checks a panel argument at a public boundary, with the caller's name for it (`signal.rows must be …`): an object
 * with integer `rows` ≥ 0 and `cols` ≥ 1 (each at most `MAX_ELEMENTS`), a `Float64Array` of rows × cols values,
 * each finite or NaN (not available). Not part of `mod.ts`: the signal and strategy entry points call it.
 *
 * @throws {TypeError} If `p` is not an object or its values are not a `Float64Array`.
 * @throws {RangeError} If the shape is not valid or a value is ±Infinity.
 */
export function requirePanel(action: string, name: string, p: unknown): Panel {
  const o = requireObject(action, name, p);
  const rows = requireCount(action, `${name}.rows`, o.rows);
  const cols = requireCount(action, `${name}.cols`, o.cols, 1);
  const values = o.values;
  if (!(values instanceof Float64Array)) throw typeError(action, `${name}.values`, "a Float64Array", values);
  if (values.length !== rows * cols) {
    throw rangeError(action, `${name}.values.length`, `${name}.rows × ${name}.cols = ${rows * cols}`, values.length);
  }
  requireNoInfinity(action, `${name}.values`, values);
  return p as Panel;
}

/** Checks a second panel of the same shape as `like` (named `likeName`). */
export function requireSameShape(action: string, name: string, p: Panel, likeName: string, like: Panel): void {
  if (p.rows !== like.rows || p.cols !== like.cols) {
    throw rangeError(
      action,
      name,
      `a ${like.rows}×${like.cols} panel like ${likeName}`,
      new Received(`${p.rows}×${p.cols}`),
    );
  }
}

/**
 * Checks a row-major dates × assets array passed as a plain `Float64Array` with its column count (`spread`, `cols`):
 * `cols` an integer ≥ 1, the length a multiple of it, every value finite (and > 0 when `positive`). Returns the
 * number of rows.
 */
export function requireRowMajor(
  action: string,
  name: string,
  values: unknown,
  colsName: string,
  cols: unknown,
  opts: { positive?: boolean } = {},
): number {
  if (!(values instanceof Float64Array)) throw typeError(action, name, "a Float64Array", values);
  const n = requireCount(action, colsName, cols, 1);
  if (values.length % n !== 0) {
    throw rangeError(action, `${name}.length`, `a multiple of ${colsName} (${n})`, values.length);
  }
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (!Number.isFinite(v)) throw rangeError(action, `${name}[${k}]`, "finite", v);
    if (opts.positive && !(v > 0)) throw rangeError(action, `${name}[${k}]`, "> 0", v);
  }
  return values.length / n;
}

/**
 * Checks group labels, one per asset: integers in [0, MAX_ELEMENTS] (e.g. rating indices). Returns dense labels
 * 0 … G − 1 in order of first appearance, so that work arrays hold G ≤ `cols` groups whatever the labels.
 */
export function requireGroups(action: string, name: string, groups: unknown, cols: number): Int32Array {
  if (!Array.isArray(groups) && !(ArrayBuffer.isView(groups) && !(groups instanceof DataView))) {
    throw typeError(action, name, "an array of integer group labels", groups);
  }
  const g = groups as ArrayLike<unknown>;
  if (g.length !== cols) throw rangeError(action, `${name}.length`, `${cols} (one per asset)`, g.length);
  const dense = new Int32Array(cols), seen = new Map<number, number>();
  for (let i = 0; i < cols; i++) {
    const label = requireInteger(action, `${name}[${i}]`, g[i], { min: 0, max: MAX_ELEMENTS });
    let d = seen.get(label);
    if (d === undefined) seen.set(label, d = seen.size);
    dense[i] = d;
  }
  return dense;
}

function requireNoInfinity(action: string, name: string, values: Float64Array): void {
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v === Infinity || v === -Infinity) {
      throw rangeError(action, `${name}[${k}]`, "finite or NaN (not available)", v);
    }
  }
}

/** Row t of a panel (a view, no copy). */
export function row(p: Panel, t: number): Float64Array {
  return p.values.subarray(t * p.cols, (t + 1) * p.cols);
}

/** Column i of a panel (a copy). */
export function column(p: Panel, i: number): Float64Array {
  const out = new Float64Array(p.rows);
  for (let t = 0; t < p.rows; t++) out[t] = p.values[t * p.cols + i];
  return out;
}

/** Applies f to every value (NaN stays NaN). */
export function mapPanel(p: Panel, f: (x: number) => number): Panel {
  requirePanel("map panel", "p", p);
  requireFunction("map panel", "f", f);
  return { rows: p.rows, cols: p.cols, values: p.values.map((x) => (Number.isNaN(x) ? NaN : f(x))) };
}

/**
 * Cross-sectional ranks scaled to unit variance: within each row the available values are ranked (ties get their
 * average rank) and mapped to (rank − (m + 1)/2) / √((m² − 1)/12), m the number of available values, so every row
 * has mean 0 and variance 1 whatever its size. Rows with fewer than 2 values are NaN.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossSectionalRank, panel } from "./panel.ts";
 *
 * const z = crossSectionalRank(panel(Float64Array.from([0.3, NaN, 0.1, 0.2]), 1, 4));
 * assert.deepEqual(Array.from(z.values).map((v) => Number.isNaN(v) ? null : Number(v.toFixed(6))), [1.224745, null, -1.224745, 0]);
 * ```
 */
export function crossSectionalRank(p: Panel): Panel {
  requirePanel("rank cross-section", "p", p);
  const out = new Float64Array(p.values.length).fill(NaN);
  const idx: number[] = [];
  for (let t = 0; t < p.rows; t++) {
    const base = t * p.cols;
    idx.length = 0;
    for (let i = 0; i < p.cols; i++) if (!Number.isNaN(p.values[base + i])) idx.push(i);
    const m = idx.length;
    if (m < 2) continue;
    idx.sort((a, b) => p.values[base + a] - p.values[base + b]);
    const scale = Math.sqrt((m * m - 1) / 12), center = (m + 1) / 2;
    for (let j = 0; j < m;) {
      let k = j;
      while (k + 1 < m && p.values[base + idx[k + 1]] === p.values[base + idx[j]]) k++;
      const rank = (j + k) / 2 + 1; // average rank of a tie block, 1-based
      for (let q = j; q <= k; q++) out[base + idx[q]] = (rank - center) / scale;
      j = k + 1;
    }
  }
  return { rows: p.rows, cols: p.cols, values: out };
}

/**
 * Cross-sectional z-scores within groups (e.g. ratings): (x − mean of the group) / sd of the group (n − 1), per
 * row. Groups with fewer than `minGroup` available values (default 3) are NaN.
 *
 * @param groups One integer label ≥ 0 per asset (e.g. the rating index).
 * @param opts `minGroup`: when given, an integer in [2, max(2, p.cols)] (default 3).
 * @throws {RangeError} If a label is not an integer ≥ 0, the labels are not one per asset, or `minGroup` is out of
 *   range. @throws {TypeError} On an unknown option.
 */
export function groupZScore(p: Panel, groups: ArrayLike<number>, opts: { minGroup?: number } = {}): Panel {
  const action = "compute group z-scores";
  requirePanel(action, "p", p);
  const label = requireGroups(action, "groups", groups, p.cols);
  const o = requireOptions<{ minGroup?: number }>(action, "opts", opts, ["minGroup"]);
  const minGroup = o.minGroup === undefined
    ? 3
    : requireInteger(action, "opts.minGroup", o.minGroup, { min: 2, max: Math.max(2, p.cols) });
  return groupZScoreKernel(p, label, minGroup);
}

/** The kernel of {@linkcode groupZScore} on checked inputs and dense labels. */
function groupZScoreKernel(p: Panel, groups: Int32Array, minGroup: number): Panel {
  let nGroups = 0;
  for (let i = 0; i < groups.length; i++) nGroups = Math.max(nGroups, groups[i] + 1);
  const out = new Float64Array(p.values.length).fill(NaN);
  const sum = new Float64Array(nGroups), sumSq = new Float64Array(nGroups), count = new Float64Array(nGroups);
  for (let t = 0; t < p.rows; t++) {
    const base = t * p.cols;
    sum.fill(0), sumSq.fill(0), count.fill(0);
    for (let i = 0; i < p.cols; i++) {
      const x = p.values[base + i];
      if (Number.isNaN(x)) continue;
      const g = groups[i];
      sum[g] += x, sumSq[g] += x * x, count[g]++;
    }
    for (let i = 0; i < p.cols; i++) {
      const x = p.values[base + i], g = groups[i], n = count[g];
      if (Number.isNaN(x) || n < minGroup) continue;
      const m = sum[g] / n;
      const sd = Math.sqrt(Math.max(sumSq[g] - n * m * m, 0) / (n - 1));
      if (sd > 0) out[base + i] = (x - m) / sd;
    }
  }
  return { rows: p.rows, cols: p.cols, values: out };
}

/**
 * Rolling z-score of each asset against its own trailing window of `window` observations ending at t (inclusive):
 * (x_t − mean) / sd with n − 1. Causal: the value at t uses data up to t only. NaN during the warm-up.
 */
export function rollingZScore(p: Panel, window: number): Panel {
  requirePanel("compute rolling z-scores", "p", p);
  requireInteger("compute rolling z-scores", "window", window, { min: 3, max: MAX_ELEMENTS });
  const out = new Float64Array(p.values.length).fill(NaN);
  for (let i = 0; i < p.cols; i++) {
    let s = 0, ss = 0, n = 0;
    for (let t = 0; t < p.rows; t++) {
      const x = p.values[t * p.cols + i];
      if (!Number.isNaN(x)) (s += x), (ss += x * x), n++;
      if (t >= window) {
        const old = p.values[(t - window) * p.cols + i];
        if (!Number.isNaN(old)) (s -= old), (ss -= old * old), n--;
      }
      if (t >= window - 1 && n === window && !Number.isNaN(x)) {
        const m = s / n, sd = Math.sqrt(Math.max(ss - n * m * m, 0) / (n - 1));
        if (sd > 0) out[t * p.cols + i] = (x - m) / sd;
      }
    }
  }
  return { rows: p.rows, cols: p.cols, values: out };
}
