/**
 * Series over time: several series in one panel ({@linkcode timeSeriesChart}) or panels stacked over one shared time
 * axis ({@linkcode stackedTimeSeriesChart}), with shaded periods, a zero line, log axes and min–max decimation of
 * long daily series. Extra Observable Plot marks (`marks`) are drawn after the chart's own, chart-wide or per panel.
 * @module
 */
import * as Plot from "@observablehq/plot";
import {
  rangeError,
  requireFinite,
  requireInteger,
  requireKnownKeys,
  requirementError,
  requireObject,
  requirePositive,
  typeError,
} from "../core/check.ts";
import { type Chart, frameChart, type LegendItem } from "./frame.ts";
import {
  type ChartOptions,
  checkBase,
  colorFor,
  dateExtent,
  formatTick,
  type Highlight,
  highlightMarks,
  logTicksBetween,
  plotPanel,
  preparePoints,
  requireHighlights,
  requireLabel,
  requireSeriesRecord,
  seriesName,
  singlePanelChart,
} from "./common.ts";
import { STRATEGY_COLORS, THEME } from "./style.ts";

/** Options of one time-series panel. */
export interface TimeSeriesPanel {
  /** Series by legend label, each aligned with `dates`; null (or NaN) marks a missing value. */
  readonly series: Readonly<Record<string, ArrayLike<number | null>>>;
  /** y-axis label with its unit, e.g. `"OAS (bp)"`. Required. */
  readonly yLabel: string;
  /** Factor applied to the values before drawing (100 shows decimals as %, 1e4 as bp). Default 1. */
  readonly scale?: number;
  /** Colours by series label; default the strategy palette in order. */
  readonly colors?: Readonly<Record<string, string>>;
  /** Series drawn dashed. */
  readonly dashed?: readonly string[];
  /** Draw a horizontal rule at zero. */
  readonly zeroLine?: boolean;
  /** Logarithmic y axis. */
  readonly logY?: boolean;
  /** Fixed y-axis domain (after `scale`). */
  readonly yDomain?: readonly [number, number];
  /** Height of this panel in px. */
  readonly height?: number;
  /** Extra Plot marks of this panel, drawn after its lines (x: dates, y: values after `scale`). Default none. */
  readonly marks?: readonly Plot.Markish[];
}

/** Options of {@linkcode timeSeriesChart}. */
export interface TimeSeriesOptions extends ChartOptions, Omit<TimeSeriesPanel, "height"> {
  /** Dates of the observations (UTC midnight). */ readonly dates: readonly Date[];
  /** Shaded periods. */ readonly highlights?: readonly Highlight[];
  /** Break lines over gaps longer than this many calendar days (default 10). */ readonly gapDays?: number;
  /** Maximum points drawn per series after decimation (default 1,600). */ readonly maxPoints?: number;
  /** x-axis label; default none (dates explain themselves). */ readonly xLabel?: string;
}

/** Options of {@linkcode stackedTimeSeriesChart}; `marks` are drawn on every panel, before each panel's own. */
export interface StackedTimeSeriesOptions extends ChartOptions {
  readonly dates: readonly Date[];
  /** Panels top to bottom; they share the time axis. */
  readonly panels: readonly TimeSeriesPanel[];
  readonly highlights?: readonly Highlight[];
  readonly gapDays?: number;
  readonly maxPoints?: number;
}

type Point = { x: Date | number; y: number | null; series: string };

/** The keys of {@linkcode TimeSeriesPanel}. */
const PANEL_KEYS = ["series", "yLabel", "scale", "colors", "dashed", "zeroLine", "logY", "yDomain", "height", "marks"];

/**
 * Checks one panel's options in the caller's names (`prefix` is `""` for {@linkcode timeSeriesChart}, whose options
 * are the panel, and `panels[i].` for a stack): the series record aligned with `dates` (finite values, or null or
 * NaN for a gap), the y label, and the optional fields' types.
 */
function checkPanel(action: string, prefix: string, panel: TimeSeriesPanel, dates: readonly Date[]): void {
  requireLabel(action, `${prefix}yLabel`, panel.yLabel);
  const p = panel as unknown as Record<string, unknown>;
  if (p.scale !== undefined) requireFinite(action, `${prefix}scale`, p.scale);
  if (p.height !== undefined) requirePositive(action, `${prefix}height`, p.height);
  for (const key of ["zeroLine", "logY"]) {
    if (p[key] !== undefined && typeof p[key] !== "boolean") {
      throw typeError(action, prefix + key, "true or false", p[key]);
    }
  }
  if (p.dashed !== undefined) {
    if (!Array.isArray(p.dashed) || p.dashed.some((d) => typeof d !== "string")) {
      throw typeError(action, `${prefix}dashed`, "an array of series labels", p.dashed);
    }
  }
  if (p.colors !== undefined) {
    const colors = requireObject(action, `${prefix}colors`, p.colors);
    for (const [label, c] of Object.entries(colors)) {
      if (typeof c !== "string") throw typeError(action, seriesName(`${prefix}colors`, label), "a colour string", c);
    }
  }
  if (p.yDomain !== undefined) {
    if (!Array.isArray(p.yDomain) || p.yDomain.length !== 2) {
      throw typeError(action, `${prefix}yDomain`, "a pair [low, high]", p.yDomain);
    }
    requireFinite(action, `${prefix}yDomain[0]`, p.yDomain[0]);
    requireFinite(action, `${prefix}yDomain[1]`, p.yDomain[1]);
  }
  if (p.marks !== undefined && !Array.isArray(p.marks)) {
    throw typeError(action, `${prefix}marks`, "an array of Plot marks", p.marks);
  }
  requireSeriesRecord(action, `${prefix}series`, panel.series, { length: dates.length, like: "dates" }, { gaps: true });
}

/** Checks the options a time axis shares: shaded periods, the gap in days, the point budget. */
function checkTimeAxis(action: string, opts: { highlights?: unknown; gapDays?: unknown; maxPoints?: unknown }): void {
  requireHighlights(action, "highlights", opts.highlights);
  if (opts.gapDays !== undefined) requirePositive(action, "gapDays", opts.gapDays);
  if (opts.maxPoints !== undefined) requireInteger(action, "maxPoints", opts.maxPoints, { min: 2, max: 1e7 });
}

/** Settings a panel shares with the rest of its chart. */
interface PanelContext {
  width: number;
  height: number;
  highlights?: readonly Highlight[];
  gapDays?: number;
  maxPoints?: number;
  xLabel?: string;
  xDomain: [Date, Date];
  /** Draw the time axis (false for the upper panels of a stack). */
  xAxis?: boolean;
  /** Chart-wide extra marks, drawn before the panel's own extra marks. */
  marks?: readonly Plot.Markish[];
}

function timePanel(
  dates: readonly Date[],
  panel: TimeSeriesPanel,
  common: PanelContext,
): { svg: Element; legend: LegendItem[] } {
  const action = "draw time series";
  const labels = Object.keys(panel.series);
  if (labels.length === 0) throw requirementError(action, "series", "hold at least one series", 0);
  const color = colorFor(labels, panel.colors);
  const marks: Plot.Markish[] = [...highlightMarks(common.highlights, common.xDomain)];
  if (panel.zeroLine) marks.push(Plot.ruleY([0], { stroke: THEME.muted }));
  const legend: LegendItem[] = [];
  let lo = Infinity, hi = -Infinity;
  for (const label of labels) {
    const points: Point[] = preparePoints(dates, panel.series[label], {
      scale: panel.scale,
      gapDays: common.gapDays,
      maxPoints: common.maxPoints,
    }).map((p) => ({ ...p, series: label }));
    for (const p of points) if (p.y !== null) (lo = Math.min(lo, p.y)), (hi = Math.max(hi, p.y));
    if (panel.logY && lo <= 0) throw rangeError(action, `series ${JSON.stringify(label)}`, "> 0 on a log axis", lo);
    const dashed = panel.dashed?.includes(label);
    marks.push(
      Plot.lineY(points, {
        x: "x",
        y: "y",
        stroke: color(label),
        strokeWidth: 1.4,
        ...(dashed ? { strokeDasharray: "5,3" } : {}),
      }),
    );
    legend.push({ label, color: color(label), shape: dashed ? "dashed" : "line" });
  }
  marks.push(...(common.marks ?? []), ...(panel.marks ?? []));
  const svg = plotPanel({
    width: common.width,
    height: panel.height ?? common.height,
    marginBottom: common.xAxis === false ? 8 : 30,
    x: {
      type: "utc",
      label: common.xLabel ?? null,
      domain: common.xDomain,
      ...(common.xAxis === false ? { axis: null } : {}),
    },
    y: {
      label: panel.yLabel,
      grid: true,
      type: panel.logY ? "log" : "linear",
      ...(panel.yDomain ? { domain: [...panel.yDomain] } : panel.logY ? {} : { nice: true }),
      // Plot thins the labels of a log axis to a few powers of ten; label a 1-2-5 (or finer) ladder instead.
      ...(panel.logY && lo > 0 && hi > lo ? { ticks: logTicksBetween(lo, hi), tickFormat: formatTick } : {}),
    },
    marks,
  });
  return { svg, legend };
}

/**
 * Several series over time in one panel, e.g. the 2-year and 10-year Treasury yields.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as Plot from "@observablehq/plot";
 * import { timeSeriesChart } from "./time_series.ts";
 *
 * const dates = [0, 1, 2].map((d) => new Date(Date.UTC(2024, 0, 2 + d)));
 * const chart = timeSeriesChart({
 *   title: "Yields", dates, series: { "10y": [0.04, 0.041, null] }, yLabel: "Yield (%)", scale: 100,
 *   marks: [Plot.ruleY([4.05], { strokeDasharray: "2,2" })], // an annotation is a mark, on the drawn (%) scale
 * });
 * assert.ok(chart.outerHTML.includes("Yield (%)"));
 * ```
 */
export function timeSeriesChart(opts: TimeSeriesOptions): Chart {
  const action = "draw time series";
  checkBase(action, opts, [
    ...PANEL_KEYS.filter((k) => k !== "height" && k !== "marks"),
    "dates",
    "highlights",
    "gapDays",
    "maxPoints",
    "xLabel",
  ]);
  const xDomain = dateExtent(action, opts.dates);
  checkPanel(action, "", opts, opts.dates);
  checkTimeAxis(action, opts);
  if (opts.xLabel !== undefined) requireLabel(action, "xLabel", opts.xLabel);
  const width = opts.width ?? THEME.width;
  // `opts` is the panel too: its `marks` are drawn once, as the panel's.
  const { svg, legend } = timePanel(opts.dates, opts, {
    width,
    height: opts.height ?? THEME.panelHeight,
    highlights: opts.highlights,
    gapDays: opts.gapDays,
    maxPoints: opts.maxPoints,
    xLabel: opts.xLabel,
    xDomain,
  });
  return singlePanelChart(opts, svg, width, legend);
}

/**
 * Panels stacked over one shared time axis, e.g. credit spreads on top and the VIX below. A series label keeps one
 * colour across panels and appears once in the legend.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stackedTimeSeriesChart } from "./time_series.ts";
 *
 * const dates = [0, 1].map((d) => new Date(Date.UTC(2024, 0, 2 + d)));
 * const chart = stackedTimeSeriesChart({
 *   title: "Spreads and VIX",
 *   dates,
 *   panels: [{ series: { IG: [0.01, 0.011] }, yLabel: "OAS (bp)", scale: 1e4 }, { series: { VIX: [13, 14] }, yLabel: "VIX (points)" }],
 * });
 * assert.equal(chart.querySelectorAll("svg").length, 2);
 * ```
 */
export function stackedTimeSeriesChart(opts: StackedTimeSeriesOptions): Chart {
  const action = "draw stacked time series";
  checkBase(action, opts, ["dates", "panels", "highlights", "gapDays", "maxPoints"]);
  if (opts.panels !== undefined && !Array.isArray(opts.panels)) {
    throw typeError(action, "panels", "an array of panels { series, yLabel, … }", opts.panels);
  }
  if (!opts.panels?.length) throw requirementError(action, "panels", "not be empty", 0);
  const width = opts.width ?? THEME.width;
  const xDomain = dateExtent(action, opts.dates);
  checkTimeAxis(action, opts);
  opts.panels.forEach((panel, i) => {
    requireObject(action, `panels[${i}]`, panel);
    requireKnownKeys(action, `panels[${i}]`, panel, PANEL_KEYS);
    checkPanel(action, `panels[${i}].`, panel, opts.dates);
  });
  const legend: LegendItem[] = [];
  const colorOf = new Map<string, string>();
  const panels = opts.panels.map((panel, i) => {
    // A label keeps one colour across panels and appears once in the legend; new labels take the next colour.
    for (const label of Object.keys(panel.series)) {
      if (!colorOf.has(label)) colorOf.set(label, STRATEGY_COLORS[colorOf.size % STRATEGY_COLORS.length]);
    }
    const palette = panel.colors ?? Object.fromEntries(Object.keys(panel.series).map((l) => [l, colorOf.get(l)!]));
    const out = timePanel(opts.dates, { ...panel, colors: palette }, {
      width,
      height: panel.height ?? Math.round((opts.height ?? THEME.panelHeight) * 0.75),
      highlights: opts.highlights,
      gapDays: opts.gapDays,
      maxPoints: opts.maxPoints,
      xDomain,
      xAxis: i === opts.panels.length - 1,
      marks: opts.marks,
    });
    for (const item of out.legend) if (!legend.some((l) => l.label === item.label)) legend.push(item);
    return out.svg;
  });
  return frameChart({ title: opts.title, subtitle: opts.subtitle, caption: opts.caption, legend, panels, width });
}
