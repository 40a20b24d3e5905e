/**
 * Panels: a value per date and asset, stored as one row-major `Float64Array` (`values[t * cols + i]`), the layout
 * of the bond universe. NaN marks "not available" — a signal still in its warm-up window, an asset without a
 * value — and every function here skips it explicitly; nothing is filled or guessed.
 * @module
 */
import { rangeError, requireInteger } from "../core/check.ts";

/** A dates × assets panel. */
export interface Panel {
  /** Number of dates. */ readonly rows: number;
  /** Number of assets. */ readonly cols: number;
  /** Row-major values, NaN where not available. */ readonly values: Float64Array;
}

/** Wraps a row-major array as a panel, checking its size. */
export function panel(values: Float64Array, rows: number, cols: number): Panel {
  requireInteger("make panel", "rows", rows, { min: 0 });
  requireInteger("make panel", "cols", cols, { min: 1 });
  if (values.length !== rows * cols) {
    throw rangeError("make panel", "values.length", `rows × cols = ${rows * cols}`, values.length);
  }
  return { rows, cols, values };
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
 */
export function groupZScore(p: Panel, groups: ArrayLike<number>, opts: { minGroup?: number } = {}): Panel {
  if (groups.length !== p.cols) {
    throw rangeError("compute group z-scores", "groups.length", `${p.cols} (one per asset)`, groups.length);
  }
  const minGroup = opts.minGroup ?? 3;
  const nGroups = Math.max(...Array.from(groups)) + 1;
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
  requireInteger("compute rolling z-scores", "window", window, { min: 3 });
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
