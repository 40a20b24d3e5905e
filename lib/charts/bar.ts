/**
 * Bar charts ({@linkcode barChart}): vertical bars per category, grouped when several series are given.
 * @module
 */
import * as Plot from "@observablehq/plot";
import { rangeError, requireInteger, requireLength } from "../core/check.ts";
import type { Chart } from "./frame.ts";
import {
  type ChartOptions,
  checkBase,
  checkFields,
  colorFor,
  plotPanel,
  requireLabel,
  requireSeriesRecord,
  requireStrings,
  singlePanelChart,
} from "./common.ts";
import { THEME } from "./style.ts";

/**
 * Options of {@linkcode barChart}. Extra `marks` use x = category (or, for grouped bars, fx = category and x =
 * series) and y = value after `scale`.
 */
export interface BarChartOptions extends ChartOptions {
  /** Category labels along the bar axis. */ readonly categories: readonly string[];
  /** Values per series label, aligned with categories; several series give grouped bars. */
  readonly series: Readonly<Record<string, ArrayLike<number>>>;
  readonly xLabel?: string;
  readonly yLabel: string;
  readonly scale?: number;
  readonly colors?: Readonly<Record<string, string>>;
  /** Print the value on each bar with this many decimals. */ readonly valueLabels?: number;
  /** Colour each category by this map instead of by series (single series only). */
  readonly categoryColors?: Readonly<Record<string, string>>;
}

/**
 * Vertical bars, grouped when several series are given (e.g. costs per rating bucket for two policies).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as Plot from "@observablehq/plot";
 * import { barChart } from "./bar.ts";
 *
 * const chart = barChart({
 *   title: "Costs", categories: ["IG", "HY"], series: { Daily: [2, 5], Weekly: [1, 2] }, yLabel: "Cost (bp)",
 *   marks: [Plot.ruleY([3], { strokeDasharray: "4,3" })], // a budget line
 * });
 * assert.ok(chart.outerHTML.includes("Weekly"));
 * ```
 */
export function barChart(opts: BarChartOptions): Chart {
  const action = "draw bar chart";
  checkBase(action, opts, [
    "categories",
    "series",
    "xLabel",
    "yLabel",
    "scale",
    "colors",
    "valueLabels",
    "categoryColors",
  ]);
  requireLabel(action, "yLabel", opts.yLabel);
  if (opts.xLabel !== undefined) requireLabel(action, "xLabel", opts.xLabel);
  checkFields(action, opts, { numbers: ["scale"], colors: ["colors", "categoryColors"] });
  if (opts.valueLabels !== undefined) requireInteger(action, "valueLabels", opts.valueLabels, { min: 0, max: 20 });
  requireStrings(action, "categories", opts.categories);
  requireSeriesRecord(action, "series", opts.series, { length: opts.categories.length, like: "categories" });
  const labels = Object.keys(opts.series);
  const color = colorFor(labels, opts.colors);
  const scale = opts.scale ?? 1;
  const data: { category: string; series: string; value: number }[] = [];
  for (const label of labels) {
    const values = opts.series[label];
    const name = `series ${JSON.stringify(label)}`;
    requireLength(action, name, values, { length: opts.categories.length, like: "categories" });
    opts.categories.forEach((category, i) => {
      if (!Number.isFinite(values[i])) throw rangeError(action, `${name}[${i}]`, "finite", values[i]);
      data.push({ category, series: label, value: values[i] * scale });
    });
  }
  const grouped = labels.length > 1;
  const fillOf = (d: { category: string; series: string }) =>
    !grouped && opts.categoryColors?.[d.category] ? opts.categoryColors[d.category] : color(d.series);
  const marks: Plot.Markish[] = [
    Plot.barY(data, {
      ...(grouped ? { fx: "category", x: "series" } : { x: "category" }),
      y: "value",
      fill: fillOf,
    }),
    Plot.ruleY([0], { stroke: THEME.ink }),
  ];
  if (opts.valueLabels !== undefined) {
    const decimals = opts.valueLabels;
    marks.push(Plot.text(data, {
      ...(grouped ? { fx: "category", x: "series" } : { x: "category" }),
      y: "value",
      text: (d: { value: number }) => d.value.toFixed(decimals),
      dy: -6,
      fontSize: 10,
      lineAnchor: "bottom",
    }));
  }
  marks.push(...(opts.marks ?? []));
  const width = opts.width ?? THEME.width;
  const svg = plotPanel({
    width,
    height: opts.height ?? THEME.panelHeight,
    marginBottom: 40,
    ...(grouped
      ? {
        fx: { domain: [...opts.categories], label: opts.xLabel ?? null, padding: 0.15 },
        x: { domain: labels, axis: null },
      }
      : { x: { domain: [...opts.categories], label: opts.xLabel ?? null, padding: 0.2 } }),
    y: { label: opts.yLabel, grid: true, nice: true },
    marks,
  });
  const legend = labels.map((label) => ({ label, color: color(label), shape: "rect" as const }));
  return singlePanelChart(opts, svg, width, legend);
}
