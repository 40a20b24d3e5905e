/**
 * Histograms ({@linkcode histogramChart}) on the density scale with density overlays: a fitted normal and a
 * Gaussian kernel density, both computed by `core/stats.ts`.
 * @module
 */
import * as Plot from "@observablehq/plot";
import { requireFiniteArray, requireInteger, typeError } from "../core/check.ts";
import { gaussianKde, mean, silvermanBandwidth, sortedQuantile, standardDeviation } from "../core/stats.ts";
import type { Chart, LegendItem } from "./frame.ts";
import { type ChartOptions, checkBase, checkFields, plotPanel, requireLabel, singlePanelChart } from "./common.ts";
import { STRATEGY_COLORS, THEME } from "./style.ts";

/** Options of {@linkcode histogramChart}; extra `marks` use x in the units of the values after `scale`, y density. */
export interface HistogramOptions extends ChartOptions {
  /** Sample (finite values). */ readonly values: ArrayLike<number>;
  readonly xLabel: string;
  readonly scale?: number;
  /** Number of bins; default from the Freedman–Diaconis rule (at most 120). */
  readonly bins?: number;
  /** Density overlays: a normal with the sample's mean and standard deviation, and/or a Gaussian kernel density. */
  readonly overlay?: readonly ("normal" | "kde")[];
  readonly color?: string;
}

/**
 * Histogram on the density scale (bar areas sum to 1) with density overlays: a fitted normal (mean and sample
 * standard deviation s, n − 1) to show fat tails, and a Gaussian kernel density estimate
 * ({@linkcode gaussianKde}) with Silverman's bandwidth h = 0.9·min(s, IQR/1.34)·n^(−1/5)
 * ({@linkcode silvermanBandwidth}). The default number of bins follows Freedman and Diaconis, bin width
 * 2·IQR·n^(−1/3), clamped to [10, 120] bins (30 when IQR = 0). Overlays are skipped for a constant sample.
 *
 * References:
 * 1. Silverman, B. W. (1986). Density Estimation for Statistics and Data Analysis, eq. (3.31).
 * 2. Freedman, D. & Diaconis, P. (1981). On the histogram as a density estimator: L2 theory. Z. Wahrsch. 57, 453–476.
 *
 * @throws {RangeError} If fewer than 2 values are given or a value is not finite.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { histogramChart } from "./histogram.ts";
 *
 * const chart = histogramChart({ title: "Daily changes", values: [-1, 0, 0.5, 1, 2], xLabel: "Change (bp)" });
 * assert.ok(chart.outerHTML.includes("Normal fit"));
 * ```
 */
export function histogramChart(opts: HistogramOptions): Chart {
  const action = "draw histogram";
  checkBase(action, opts, ["values", "xLabel", "scale", "bins", "overlay", "color"]);
  requireLabel(action, "xLabel", opts.xLabel);
  checkFields(action, opts, { numbers: ["scale"], strings: ["color"] });
  if (opts.bins !== undefined) requireInteger(action, "bins", opts.bins, { min: 1, max: 10_000 });
  if (opts.overlay !== undefined) {
    if (!Array.isArray(opts.overlay)) {
      throw typeError(action, "overlay", 'an array of "normal" and "kde"', opts.overlay);
    }
    opts.overlay.forEach((o, i) => {
      if (o !== "normal" && o !== "kde") throw typeError(action, `overlay[${i}]`, '"normal" or "kde"', o);
    });
  }
  requireFiniteArray(action, "values", opts.values, { minLength: 2 });
  const scale = opts.scale ?? 1;
  const x = Float64Array.from(opts.values, (v) => v * scale);
  const n = x.length;
  const sorted = Float64Array.from(x).sort();
  const min = sorted[0], max = sorted[n - 1];
  const sd = standardDeviation(x);
  const iqr = sortedQuantile(sorted, 0.75) - sortedQuantile(sorted, 0.25);
  const fdWidth = 2 * iqr * Math.pow(n, -1 / 3);
  const bins = opts.bins ?? Math.min(120, Math.max(10, fdWidth > 0 ? Math.ceil((max - min) / fdWidth) : 30));
  const width = max > min ? (max - min) / bins : 1;
  const counts = new Array(bins).fill(0);
  for (const v of x) counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  const bars = counts.map((c, i) => ({ x1: min + i * width, x2: min + (i + 1) * width, density: c / (n * width) }));
  const color = opts.color ?? STRATEGY_COLORS[0];
  const marks: Plot.Markish[] = [
    Plot.rectY(bars, { x1: "x1", x2: "x2", y: "density", fill: color, fillOpacity: 0.55, inset: 0.3 }),
  ];
  const legend: LegendItem[] = [{ label: "Histogram", color, shape: "rect" }];
  const grid = Array.from({ length: 241 }, (_, i) => min + ((max - min) * i) / 240);
  const overlays = opts.overlay ?? ["normal"];
  if (overlays.includes("normal") && sd > 0) {
    const mu = mean(x);
    const pdf = grid.map((g) => ({ x: g, y: Math.exp(-0.5 * ((g - mu) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI)) }));
    marks.push(Plot.line(pdf, { x: "x", y: "y", stroke: STRATEGY_COLORS[2], strokeWidth: 1.8 }));
    legend.push({ label: "Normal fit", color: STRATEGY_COLORS[2] });
  }
  if (overlays.includes("kde") && sd > 0) {
    const density = gaussianKde(x, grid, silvermanBandwidth(x));
    const kde = grid.map((g, i) => ({ x: g, y: density[i] }));
    marks.push(Plot.line(kde, { x: "x", y: "y", stroke: THEME.ink, strokeWidth: 1.4, strokeDasharray: "4,3" }));
    legend.push({ label: "Kernel density", color: THEME.ink, shape: "dashed" });
  }
  marks.push(...(opts.marks ?? []));
  const plotWidth = opts.width ?? THEME.width;
  const svg = plotPanel({
    width: plotWidth,
    height: opts.height ?? THEME.panelHeight,
    x: { label: opts.xLabel },
    y: { label: "Density", grid: true },
    marks,
  });
  return singlePanelChart(opts, svg, plotWidth, legend);
}
