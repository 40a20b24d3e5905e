/**
 * Series against a numeric axis ({@linkcode lineChart}): yield curves by maturity, information coefficients by
 * horizon, with an optional log x axis whose every requested tick keeps its label.
 * @module
 */
import * as Plot from "@observablehq/plot";
import { rangeError, requireFiniteArray } from "../core/check.ts";
import type { Chart } from "./frame.ts";
import {
  type ChartOptions,
  checkBase,
  checkFields,
  colorFor,
  formatTick,
  logTicks,
  plotPanel,
  requireLabel,
  requireSeriesRecord,
  singlePanelChart,
} from "./common.ts";
import { THEME } from "./style.ts";

/** Options of {@linkcode lineChart}. */
export interface LineChartOptions extends ChartOptions {
  /** Numeric x values shared by all series (e.g. maturities in years). */
  readonly x: ArrayLike<number>;
  /** Series by legend label, aligned with x; null skips a point. */
  readonly series: Readonly<Record<string, ArrayLike<number | null>>>;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly scale?: number;
  readonly colors?: Readonly<Record<string, string>>;
  readonly dashed?: readonly string[];
  /** Mark every point with a dot (default true). */
  readonly dots?: boolean;
  /** Logarithmic x axis (values must be > 0); extra `marks` then take x as log10(x). */
  readonly logX?: boolean;
  readonly zeroLine?: boolean;
  /** Explicit x ticks. */
  readonly xTicks?: readonly number[];
}

/**
 * Series against a numeric axis — yield curves by maturity, information coefficients by horizon.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as Plot from "@observablehq/plot";
 * import { lineChart } from "./line.ts";
 *
 * const chart = lineChart({
 *   title: "Curve", x: [1, 2, 10], series: { "2024": [0.05, 0.045, 0.04] }, xLabel: "Maturity (years)",
 *   yLabel: "Yield (%)", scale: 100, marks: [Plot.text([{ x: 2, y: 4.5 }], { x: "x", y: "y", text: () => "belly", dy: -10 })],
 * });
 * assert.ok(chart.outerHTML.includes("Maturity (years)") && chart.outerHTML.includes("belly"));
 * ```
 */
export function lineChart(opts: LineChartOptions): Chart {
  const action = "draw line chart";
  checkBase(action, opts, [
    "x",
    "series",
    "xLabel",
    "yLabel",
    "scale",
    "colors",
    "dashed",
    "dots",
    "logX",
    "zeroLine",
    "xTicks",
  ]);
  requireLabel(action, "xLabel", opts.xLabel);
  requireLabel(action, "yLabel", opts.yLabel);
  checkFields(action, opts, {
    booleans: ["dots", "logX", "zeroLine"],
    numbers: ["scale"],
    labels: ["dashed"],
    colors: ["colors"],
  });
  requireFiniteArray(action, "x", opts.x);
  requireSeriesRecord(action, "series", opts.series, { length: opts.x.length, like: "x" }, { gaps: true });
  if (opts.xTicks !== undefined) {
    requireFiniteArray(action, "xTicks", opts.xTicks);
    opts.xTicks.forEach((t, i) => {
      if (opts.logX && !(t > 0)) throw rangeError(action, `xTicks[${i}]`, "> 0 on a log axis", t);
    });
  }
  const labels = Object.keys(opts.series);
  const color = colorFor(labels, opts.colors);
  const scale = opts.scale ?? 1;
  for (let i = 0; i < opts.x.length; i++) {
    if (!Number.isFinite(opts.x[i]) || (opts.logX && !(opts.x[i] > 0))) {
      throw rangeError(action, `x[${i}]`, opts.logX ? "> 0 on a log axis" : "finite", opts.x[i]);
    }
  }
  const marks: Plot.Markish[] = [];
  if (opts.zeroLine) marks.push(Plot.ruleY([0], { stroke: THEME.muted }));
  for (const label of labels) {
    const values = opts.series[label];
    // A log axis is drawn as a linear axis of log10(x), so that every requested tick keeps its label (Plot's log
    // scales thin out tick labels).
    const points = Array.from(
      opts.x,
      (x, i) => ({ x: opts.logX ? Math.log10(x) : x, y: values[i] === null ? null : values[i]! * scale }),
    )
      .filter((p) => p.y !== null);
    const dashed = opts.dashed?.includes(label);
    marks.push(
      Plot.line(points, {
        x: "x",
        y: "y",
        stroke: color(label),
        strokeWidth: 1.6,
        ...(dashed ? { strokeDasharray: "5,3" } : {}),
      }),
    );
    if (opts.dots ?? true) marks.push(Plot.dot(points, { x: "x", y: "y", fill: color(label), r: 2.5 }));
  }
  marks.push(...(opts.marks ?? []));
  const width = opts.width ?? THEME.width;
  const svg = plotPanel({
    width,
    height: opts.height ?? THEME.panelHeight,
    // Insets keep end points off the axes; the x label sits centred under the ticks, clear of the last one.
    inset: 6,
    marginBottom: 40,
    x: {
      label: opts.xLabel,
      labelAnchor: "center",
      labelArrow: "none",
      ...(opts.logX
        ? {
          ticks: (opts.xTicks ?? logTicks(action, opts.x)).map(Math.log10),
          tickFormat: (d: number) => formatTick(Number(Math.pow(10, d).toPrecision(6))),
        }
        : opts.xTicks
        ? { ticks: [...opts.xTicks], tickFormat: (d: number) => formatTick(d) }
        : {}),
    },
    y: { label: opts.yLabel, grid: true, nice: true },
    marks,
  });
  const legend = labels.map((label) => ({
    label,
    color: color(label),
    shape: opts.dashed?.includes(label) ? "dashed" as const : "line" as const,
  }));
  return singlePanelChart(opts, svg, width, legend);
}
