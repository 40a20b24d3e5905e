/**
 * Chart helpers for the charts every notebook needs, in the house style of `style.ts`: several series over time
 * (one or stacked panels), curves against a numeric axis, drawdown (underwater) areas, heatmaps with a colour
 * legend, bars, histograms with a density overlay and scatter plots. Each takes plain arrays, returns a
 * {@linkcode Chart} (an SVG element displayed inline by Deno's Jupyter kernel) and requires a title and axis labels
 * with units: a chart without them is refused.
 *
 * Long daily series are thinned for drawing by min–max decimation (each pixel-wide bucket keeps its lowest and
 * highest point, so spikes such as the VIX on 16 March 2020 survive) and lines break across gaps in the data
 * longer than `gapDays` instead of drawing a straight line over missing years.
 * @module
 */
import * as Plot from "@observablehq/plot";
import { type Chart, frameChart, type LegendItem, plotDocument as document, type RampLegend } from "./frame.ts";
import { STRATEGY_COLORS, THEME } from "./style.ts";

export { type Chart, savePlot } from "./frame.ts";

/** Options shared by every chart. */
export interface ChartOptions {
  /** Title: what the chart shows. Required. */ readonly title: string;
  /** One sentence on what to look for. */ readonly subtitle?: string;
  /** Small print: source, units, method. */ readonly caption?: string;
  /** Width in px (default `THEME.width`). */ readonly width?: number;
  /** Height of the plotting area in px (default `THEME.panelHeight`). */ readonly height?: number;
}

/** A shaded period on a time axis, e.g. a crisis. */
export interface Highlight {
  readonly start: Date | string;
  readonly end: Date | string;
  readonly label?: string;
}

/** Options of one time-series panel. */
export interface TimeSeriesPanel {
  /** Series by legend label, each aligned with `dates`; null marks a missing value. */
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
}

/** Options of {@linkcode timeSeriesChart}. */
export interface TimeSeriesOptions extends ChartOptions, Omit<TimeSeriesPanel, "height"> {
  /** Dates of the observations (UTC midnight). */ readonly dates: readonly Date[];
  /** Shaded periods. */ readonly highlights?: readonly Highlight[];
  /** Break lines over gaps longer than this many calendar days (default 10). */ readonly gapDays?: number;
  /** Maximum points drawn per series after decimation (default 1,600). */ readonly maxPoints?: number;
  /** x-axis label; default none (dates explain themselves). */ readonly xLabel?: string;
}

/** Options of {@linkcode stackedTimeSeriesChart}. */
export interface StackedTimeSeriesOptions extends ChartOptions {
  readonly dates: readonly Date[];
  /** Panels top to bottom; they share the time axis. */
  readonly panels: readonly TimeSeriesPanel[];
  readonly highlights?: readonly Highlight[];
  readonly gapDays?: number;
  readonly maxPoints?: number;
}

type Point = { x: Date | number; y: number | null; series: string };

function requireLabel(action: string, name: string, value: unknown): void {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(
      `Cannot ${action}: ${name} must be a non-empty string with units, received ${JSON.stringify(value)}`,
    );
  }
}

function checkBase(action: string, opts: ChartOptions): void {
  requireLabel(action, "title", opts.title);
}

function colorFor(labels: readonly string[], colors?: Readonly<Record<string, string>>): (label: string) => string {
  return (label) => colors?.[label] ?? STRATEGY_COLORS[labels.indexOf(label) % STRATEGY_COLORS.length];
}

function toDate(d: Date | string): Date {
  return typeof d === "string" ? new Date(`${d}T00:00:00Z`) : d;
}

/**
 * Points of one series on a time axis: missing values dropped, a break (null) inserted over gaps longer than
 * `gapDays`, and min–max decimation to at most `maxPoints` points.
 */
export function preparePoints(
  dates: readonly Date[],
  values: ArrayLike<number | null>,
  opts: { scale?: number; gapDays?: number; maxPoints?: number } = {},
): { x: Date; y: number | null }[] {
  if (values.length !== dates.length) {
    throw new RangeError(
      `Cannot draw series: values and dates must have the same length, received ${values.length} and ${dates.length}`,
    );
  }
  const scale = opts.scale ?? 1;
  const gap = (opts.gapDays ?? 10) * 86_400_000;
  const segments: { x: Date; y: number }[][] = [];
  let current: { x: Date; y: number }[] = [];
  for (let i = 0; i < dates.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || Number.isNaN(v)) continue;
    if (!Number.isFinite(v)) {
      throw new RangeError(`Cannot draw series: values[${i}] must be finite or null, received ${v}`);
    }
    const last = current[current.length - 1];
    if (last && dates[i].getTime() - last.x.getTime() > gap) (segments.push(current), (current = []));
    current.push({ x: dates[i], y: v * scale });
  }
  if (current.length) segments.push(current);
  const total = segments.reduce((n, s) => n + s.length, 0);
  const budget = opts.maxPoints ?? 1600;
  const out: { x: Date; y: number | null }[] = [];
  for (const segment of segments) {
    const share = Math.max(4, Math.floor((budget * segment.length) / Math.max(total, 1)));
    if (out.length) out.push({ x: segment[0].x, y: null });
    out.push(...(segment.length > share ? decimate(segment, share) : segment));
  }
  return out;
}

/** Min–max decimation: splits the points into buckets of equal count and keeps each bucket's extremes in order. */
function decimate<T extends { y: number }>(points: T[], maxPoints: number): T[] {
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = points.length / buckets;
  const out: T[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size), to = Math.min(points.length, Math.floor((b + 1) * size));
    if (to <= from) continue;
    let lo = from, hi = from;
    for (let i = from; i < to; i++) {
      if (points[i].y < points[lo].y) lo = i;
      if (points[i].y > points[hi].y) hi = i;
    }
    if (lo === hi) out.push(points[lo]);
    else out.push(points[Math.min(lo, hi)], points[Math.max(lo, hi)]);
  }
  return out;
}

/** One Plot panel in the house style (linkedom document, theme margins and fonts); options override the style. */
function plotPanel(options: Plot.PlotOptions): Element {
  return Plot.plot({
    document,
    marginLeft: THEME.marginLeft,
    marginRight: THEME.marginRight,
    style: {
      fontFamily: THEME.fontFamily,
      fontSize: `${THEME.fontSize}px`,
      color: THEME.ink,
      background: "transparent",
    },
    ...options,
  }) as unknown as Element;
}

/** Frames one panel with the chart's title, subtitle and caption; a legend only when it has several entries. */
function single(opts: ChartOptions, svg: Element, width: number, legend?: readonly LegendItem[] | RampLegend): Chart {
  const show = legend && (!Array.isArray(legend) || legend.length > 1) ? legend : undefined;
  return frameChart({
    title: opts.title,
    subtitle: opts.subtitle,
    caption: opts.caption,
    legend: show,
    panels: [svg],
    width,
  });
}

/** Shaded periods clipped to the time axis [lo, hi] (a period reaching outside would cover the axis labels). */
function highlightMarks(highlights: readonly Highlight[] | undefined, [lo, hi]: readonly [Date, Date]) {
  if (!highlights?.length) return [];
  const data = highlights
    .map((h) => ({
      start: new Date(Math.max(toDate(h.start).getTime(), lo.getTime())),
      end: new Date(Math.min(toDate(h.end).getTime(), hi.getTime())),
      label: h.label ?? "",
    }))
    .filter((h) => h.start < h.end);
  if (data.length === 0) return [];
  return [
    Plot.rect(data, { x1: "start", x2: "end", fill: THEME.highlight }),
    Plot.text(data, {
      x: "start",
      text: "label",
      frameAnchor: "top",
      textAnchor: "start",
      dx: 3,
      dy: 6,
      fill: THEME.muted,
      fontSize: 10,
    }),
  ];
}

function timePanel(
  dates: readonly Date[],
  panel: TimeSeriesPanel,
  common: {
    width: number;
    height: number;
    highlights?: readonly Highlight[];
    gapDays?: number;
    maxPoints?: number;
    xLabel?: string;
    xDomain: [Date, Date];
    /** Draw the time axis (false for the upper panels of a stack). */
    xAxis?: boolean;
  },
): { svg: Element; legend: LegendItem[] } {
  const labels = Object.keys(panel.series);
  if (labels.length === 0) {
    throw new RangeError("Cannot draw time series: series must hold at least one series, received 0");
  }
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
    if (panel.logY && lo <= 0) {
      throw new RangeError(
        `Cannot draw time series: series ${JSON.stringify(label)} must be > 0 on a log axis, received ${lo}`,
      );
    }
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

function dateExtent(dates: readonly Date[]): [Date, Date] {
  if (dates.length === 0) throw new RangeError("Cannot draw time series: dates must not be empty, received 0 dates");
  let lo = dates[0], hi = dates[0];
  for (const d of dates) {
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
      throw new TypeError(`Cannot draw time series: dates must hold valid Dates, received ${String(d)}`);
    }
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  return [lo, hi];
}

/**
 * Several series over time in one panel, e.g. the 2-year and 10-year Treasury yields.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { timeSeriesChart } from "./plots.ts";
 *
 * const dates = [0, 1, 2].map((d) => new Date(Date.UTC(2024, 0, 2 + d)));
 * const chart = timeSeriesChart({ title: "Yields", dates, series: { "10y": [0.04, 0.041, null] }, yLabel: "Yield (%)", scale: 100 });
 * assert.ok(chart.outerHTML.includes("Yield (%)"));
 * ```
 */
export function timeSeriesChart(opts: TimeSeriesOptions): Chart {
  const action = "draw time series";
  checkBase(action, opts);
  requireLabel(action, "yLabel", opts.yLabel);
  const width = opts.width ?? THEME.width;
  const { svg, legend } = timePanel(opts.dates, opts, {
    width,
    height: opts.height ?? THEME.panelHeight,
    highlights: opts.highlights,
    gapDays: opts.gapDays,
    maxPoints: opts.maxPoints,
    xLabel: opts.xLabel,
    xDomain: dateExtent(opts.dates),
  });
  return single(opts, svg, width, legend);
}

/**
 * Panels stacked over one shared time axis, e.g. credit spreads on top and the VIX below.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stackedTimeSeriesChart } from "./plots.ts";
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
  checkBase(action, opts);
  if (!opts.panels?.length) {
    throw new RangeError("Cannot draw stacked time series: panels must not be empty, received 0");
  }
  const width = opts.width ?? THEME.width;
  const xDomain = dateExtent(opts.dates);
  const legend: LegendItem[] = [];
  const colorOf = new Map<string, string>();
  const panels = opts.panels.map((panel, i) => {
    requireLabel(action, `panels[${i}].yLabel`, panel.yLabel);
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
    });
    for (const item of out.legend) if (!legend.some((l) => l.label === item.label)) legend.push(item);
    return out.svg;
  });
  return frameChart({ title: opts.title, subtitle: opts.subtitle, caption: opts.caption, legend, panels, width });
}

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
 * import { lineChart } from "./plots.ts";
 *
 * const chart = lineChart({ title: "Curve", x: [1, 2, 10], series: { "2024": [0.05, 0.045, 0.04] }, xLabel: "Maturity (years)", yLabel: "Yield (%)", scale: 100 });
 * assert.ok(chart.outerHTML.includes("Maturity (years)"));
 * ```
 */
export function lineChart(opts: LineChartOptions): Chart {
  const action = "draw line chart";
  checkBase(action, opts);
  requireLabel(action, "xLabel", opts.xLabel);
  requireLabel(action, "yLabel", opts.yLabel);
  const labels = Object.keys(opts.series);
  const color = colorFor(labels, opts.colors);
  const scale = opts.scale ?? 1;
  for (let i = 0; i < opts.x.length; i++) {
    if (!Number.isFinite(opts.x[i]) || (opts.logX && !(opts.x[i] > 0))) {
      throw new RangeError(
        `Cannot draw line chart: x[${i}] must be ${opts.logX ? "> 0 on a log axis" : "finite"}, received ${opts.x[i]}`,
      );
    }
  }
  const marks: Plot.Markish[] = [];
  if (opts.zeroLine) marks.push(Plot.ruleY([0], { stroke: THEME.muted }));
  for (const label of labels) {
    const values = opts.series[label];
    if (values.length !== opts.x.length) {
      throw new RangeError(
        `Cannot draw line chart: series ${
          JSON.stringify(label)
        } must have ${opts.x.length} values like x, received ${values.length}`,
      );
    }
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
          ticks: (opts.xTicks ?? logTicks(opts.x)).map(Math.log10),
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
  return single(opts, svg, width, legend);
}

/** Options of {@linkcode drawdownChart}. */
export interface DrawdownOptions extends ChartOptions {
  readonly dates: readonly Date[];
  /** Wealth (NAV) paths by label, aligned with dates, all > 0. */
  readonly wealth: Readonly<Record<string, ArrayLike<number>>>;
  readonly colors?: Readonly<Record<string, string>>;
  readonly highlights?: readonly Highlight[];
}

/**
 * Underwater chart: the drawdown W(t) / max_{s ≤ t} W(s) − 1 of each wealth path, in %, as filled areas below
 * zero. The deepest point is the maximum drawdown; the width of a trough is the time to recover.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { drawdownChart } from "./plots.ts";
 *
 * const dates = [0, 1, 2].map((d) => new Date(Date.UTC(2024, 0, 2 + d)));
 * const chart = drawdownChart({ title: "Drawdown", dates, wealth: { Strategy: [1, 0.9, 1.1] } });
 * assert.ok(chart.outerHTML.includes("Drawdown (%)"));
 * ```
 */
export function drawdownChart(opts: DrawdownOptions): Chart {
  const action = "draw drawdown chart";
  checkBase(action, opts);
  const labels = Object.keys(opts.wealth);
  if (labels.length === 0) {
    throw new RangeError("Cannot draw drawdown chart: wealth must hold at least one path, received 0");
  }
  const color = colorFor(labels, opts.colors);
  const marks: Plot.Markish[] = [...highlightMarks(opts.highlights, dateExtent(opts.dates))];
  for (const label of labels) {
    const w = opts.wealth[label];
    if (w.length !== opts.dates.length) {
      throw new RangeError(
        `Cannot draw drawdown chart: wealth ${
          JSON.stringify(label)
        } must have ${opts.dates.length} values like dates, received ${w.length}`,
      );
    }
    let peak = -Infinity;
    const underwater = Array.from(w, (v, i) => {
      if (!(v > 0 && Number.isFinite(v))) {
        throw new RangeError(
          `Cannot draw drawdown chart: wealth ${
            JSON.stringify(label)
          }[${i}] must be a finite number > 0, received ${v}`,
        );
      }
      peak = Math.max(peak, v);
      return v / peak - 1;
    });
    const points = preparePoints(opts.dates, underwater, { scale: 100, gapDays: 1e9 }).map((p) => ({
      ...p,
      y: p.y ?? 0,
    }));
    marks.push(
      Plot.areaY(points, { x: "x", y: "y", fill: color(label), fillOpacity: labels.length > 1 ? 0.25 : 0.35 }),
    );
    marks.push(Plot.lineY(points, { x: "x", y: "y", stroke: color(label), strokeWidth: 1.1 }));
  }
  marks.push(Plot.ruleY([0], { stroke: THEME.muted }));
  const width = opts.width ?? THEME.width;
  const svg = plotPanel({
    width,
    height: opts.height ?? Math.round(THEME.panelHeight * 0.7),
    x: { type: "utc", label: null, domain: dateExtent(opts.dates) },
    y: { label: "Drawdown (%)", grid: true, nice: true },
    marks,
  });
  const legend = labels.map((label) => ({ label, color: color(label), shape: "rect" as const }));
  return single(opts, svg, width, legend);
}

/** Colour schemes of heatmaps: sequential for probabilities and levels, diverging for signed values. */
const HEATMAP_SCHEMES = ["blues", "greens", "oranges", "reds", "ylorrd", "viridis", "rdbu", "rdylgn", "piyg"] as const;
/** Colour schemes for heatmaps: sequential, or diverging (`rdbu`, `rdylgn`, `piyg`) centred on 0. */
export type HeatmapScheme = typeof HEATMAP_SCHEMES[number];

/** Options of {@linkcode heatmapChart}. */
export interface HeatmapOptions extends ChartOptions {
  /** Row labels, top to bottom. */ readonly rows: readonly string[];
  /** Column labels, left to right. */ readonly columns: readonly string[];
  /** values[i][j] for row i, column j; null leaves a cell blank. */ readonly values:
    readonly (readonly (number | null)[])[];
  readonly xLabel: string;
  readonly yLabel: string;
  /** Legend title with unit, e.g. `"Probability (%)"`. */ readonly colorLabel: string;
  readonly scale?: number;
  readonly scheme?: HeatmapScheme;
  /** Colour domain (after scale); default the data range, symmetric about 0 for diverging schemes. */
  readonly domain?: readonly [number, number];
  /** Log colour scale (probabilities spanning decades); values must be > 0. */
  readonly logColor?: boolean;
  /** Print each value in its cell with this many decimals (default 1; false for none). */
  readonly cellText?: number | false;
  /** Reverse the scheme (e.g. red for low values). */
  readonly reverse?: boolean;
  /** Column labels to print on the x axis (default all), e.g. one per year on a quarterly time heatmap. */
  readonly columnTicks?: readonly string[];
  /** Marked columns (e.g. crisis peaks on a time heatmap): a frame around the column and its label above. */
  readonly columnMarks?: readonly { readonly column: string; readonly label: string }[];
}

/**
 * A matrix as coloured cells with a colour legend: transition matrices, parameter sweeps, correlations.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { heatmapChart } from "./plots.ts";
 *
 * const chart = heatmapChart({
 *   title: "Transitions", rows: ["A", "B"], columns: ["A", "B"], values: [[0.9, 0.1], [0.2, 0.8]],
 *   xLabel: "To", yLabel: "From", colorLabel: "Probability (%)", scale: 100,
 * });
 * assert.ok(chart.outerHTML.includes("Probability (%)"));
 * ```
 */
export function heatmapChart(opts: HeatmapOptions): Chart {
  const action = "draw heatmap";
  checkBase(action, opts);
  for (const name of ["xLabel", "yLabel", "colorLabel"] as const) requireLabel(action, name, opts[name]);
  if (opts.values.length !== opts.rows.length) {
    throw new RangeError(
      `Cannot draw heatmap: values must have ${opts.rows.length} rows like rows, received ${opts.values.length}`,
    );
  }
  const scale = opts.scale ?? 1;
  const cells: { row: string; column: string; value: number | null }[] = [];
  opts.values.forEach((row, i) => {
    if (row.length !== opts.columns.length) {
      throw new RangeError(
        `Cannot draw heatmap: values[${i}] must have ${opts.columns.length} values like columns, received ${row.length}`,
      );
    }
    row.forEach((v, j) => {
      if (v !== null && !Number.isFinite(v)) {
        throw new RangeError(`Cannot draw heatmap: values[${i}][${j}] must be finite or null, received ${v}`);
      }
      cells.push({ row: opts.rows[i], column: opts.columns[j], value: v === null ? null : v * scale });
    });
  });
  const finite = cells.map((c) => c.value).filter((v): v is number => v !== null);
  if (finite.length === 0) {
    throw new RangeError("Cannot draw heatmap: values must hold at least one number, received none");
  }
  const scheme = opts.scheme ?? "blues";
  if (!HEATMAP_SCHEMES.includes(scheme)) {
    throw new RangeError(
      `Cannot draw heatmap: scheme must be one of ${HEATMAP_SCHEMES.join(", ")}, received ${JSON.stringify(scheme)}`,
    );
  }
  const diverging = scheme === "rdbu" || scheme === "rdylgn" || scheme === "piyg";
  let lo = Math.min(...finite), hi = Math.max(...finite);
  if (opts.domain) [lo, hi] = opts.domain;
  else if (diverging) (hi = Math.max(Math.abs(lo), Math.abs(hi))), (lo = -hi);
  if (lo === hi) (lo -= 1), (hi += 1);
  if (opts.logColor && !(lo > 0)) {
    throw new RangeError(`Cannot draw heatmap: values must be > 0 for a log colour scale, received minimum ${lo}`);
  }
  const colorScale = Plot.scale({
    color: { type: opts.logColor ? "log" : "linear", domain: [lo, hi], scheme, reverse: opts.reverse ?? false },
  });
  const fill = (v: number | null) => (v === null ? "none" : colorScale.apply(Math.min(Math.max(v, lo), hi)) as string);
  const width = opts.width ?? THEME.width;
  const decimals = opts.cellText === false ? -1 : opts.cellText ?? 1;
  const longest = Math.max(...opts.rows.map((r) => r.length));
  const cellHeight = Math.max(16, Math.min(34, Math.floor((opts.height ?? 360) / opts.rows.length)));
  const marks: Plot.Markish[] = [
    Plot.cell(cells, { x: "column", y: "row", fill: (c: { value: number | null }) => fill(c.value), inset: 0.5 }),
  ];
  if (decimals >= 0) {
    marks.push(Plot.text(cells.filter((c) => c.value !== null), {
      x: "column",
      y: "row",
      text: (c: { value: number }) => c.value.toFixed(decimals),
      fill: (c: { value: number }) => (luminance(fill(c.value)) < 0.45 ? "white" : THEME.ink),
      fontSize: opts.columns.length > 12 ? 8.5 : 10.5,
    }));
  }
  for (const mark of opts.columnMarks ?? []) {
    if (!opts.columns.includes(mark.column)) {
      throw new RangeError(`Cannot draw heatmap: columnMarks column must be one of columns, received ${mark.column}`);
    }
  }
  if (opts.columnMarks?.length) {
    const marked = opts.columnMarks.flatMap((m) => opts.rows.map((row) => ({ row, column: m.column })));
    marks.push(Plot.cell(marked, { x: "column", y: "row", fill: "none", stroke: THEME.ink, strokeWidth: 0.8 }));
    marks.push(Plot.text(opts.columnMarks, {
      x: "column",
      y: () => opts.rows[0],
      text: "label",
      dy: -cellHeight / 2 - 6,
      fontSize: 10,
      fill: THEME.ink,
    }));
  }
  const svg = plotPanel({
    width,
    height: cellHeight * opts.rows.length + 70,
    marginLeft: Math.max(THEME.marginLeft, 34 + longest * 7),
    marginBottom: 44,
    x: {
      domain: [...opts.columns],
      label: opts.xLabel,
      // Rotate column labels only when the longest would not fit its cell (about 6.5 px a character).
      tickRotate: Math.max(...(opts.columnTicks ?? opts.columns).map((c) => c.length)) * 6.5 >
          (width - Math.max(THEME.marginLeft, 34 + longest * 7) - THEME.marginRight) /
            (opts.columnTicks ?? opts.columns).length
        ? -35
        : 0,
      ...(opts.columnTicks ? { ticks: [...opts.columnTicks] } : {}),
    },
    y: { domain: [...opts.rows], label: opts.yLabel },
    marks,
  });
  const ticks = niceTicks(lo, hi, 5, opts.logColor).map((v) => ({
    position: opts.logColor ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo),
    label: formatTick(v),
  }));
  const ramp: RampLegend = {
    label: opts.colorLabel,
    colors: Array.from({ length: 11 }, (_, i) => {
      const u = i / 10;
      return colorScale.apply(opts.logColor ? lo * Math.pow(hi / lo, u) : lo + u * (hi - lo)) as string;
    }),
    ticks,
  };
  return single(opts, svg, width, ramp);
}

/** Ticks 1, 2, 5 × 10ᵏ spanning the positive values of x. */
function logTicks(x: ArrayLike<number>): number[] {
  const positive = Array.from(x).filter((v) => v > 0);
  if (positive.length === 0) {
    throw new RangeError("Cannot draw line chart: x must hold values > 0 for a log axis, received none");
  }
  return logTicksBetween(Math.min(...positive), Math.max(...positive));
}

/** Labelled ticks of a log axis over [lo, hi]: 1-2-5 per decade, finer when the range spans less than 1.5 decades. */
function logTicksBetween(lo: number, hi: number): number[] {
  const mantissas = hi / lo < 30 ? [1, 1.5, 2, 3, 5, 7] : [1, 2, 5];
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mantissas) {
      const v = m * Math.pow(10, e);
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
  }
  return out;
}

function luminance(color: string): number {
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(color);
  const [r, g, b] = m ? [+m[1], +m[2], +m[3]] : [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

function niceTicks(lo: number, hi: number, count: number, log = false): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.ceil(Math.log10(lo)); e <= Math.floor(Math.log10(hi)); e++) out.push(Math.pow(10, e));
    return out.length >= 2 ? out : [lo, hi];
  }
  const step0 = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(step0)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12 * Math.abs(hi); v += step) {
    out.push(Math.abs(v) < 1e-12 * step ? 0 : v);
  }
  return out;
}

function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(0);
  return Number(v.toPrecision(4)).toString();
}

/** Options of {@linkcode barChart}. */
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
 * import { barChart } from "./plots.ts";
 *
 * const chart = barChart({ title: "Costs", categories: ["IG", "HY"], series: { Daily: [2, 5], Weekly: [1, 2] }, yLabel: "Cost (bp)" });
 * assert.ok(chart.outerHTML.includes("Weekly"));
 * ```
 */
export function barChart(opts: BarChartOptions): Chart {
  const action = "draw bar chart";
  checkBase(action, opts);
  requireLabel(action, "yLabel", opts.yLabel);
  const labels = Object.keys(opts.series);
  const color = colorFor(labels, opts.colors);
  const scale = opts.scale ?? 1;
  const data: { category: string; series: string; value: number }[] = [];
  for (const label of labels) {
    const values = opts.series[label];
    if (values.length !== opts.categories.length) {
      throw new RangeError(
        `Cannot draw bar chart: series ${
          JSON.stringify(label)
        } must have ${opts.categories.length} values like categories, received ${values.length}`,
      );
    }
    opts.categories.forEach((category, i) => {
      if (!Number.isFinite(values[i])) {
        throw new RangeError(
          `Cannot draw bar chart: series ${JSON.stringify(label)}[${i}] must be finite, received ${values[i]}`,
        );
      }
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
  return single(opts, svg, width, legend);
}

/** Options of {@linkcode histogramChart}. */
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
 * standard deviation) to show fat tails, and a Gaussian kernel density estimate with Silverman's bandwidth
 * h = 0.9·min(s, IQR/1.34)·n^{−1/5}.
 *
 * Reference: Silverman, B. W. (1986). Density Estimation for Statistics and Data Analysis, eq. (3.31).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { histogramChart } from "./plots.ts";
 *
 * const chart = histogramChart({ title: "Daily changes", values: [-1, 0, 0.5, 1, 2], xLabel: "Change (bp)" });
 * assert.ok(chart.outerHTML.includes("Normal fit"));
 * ```
 */
export function histogramChart(opts: HistogramOptions): Chart {
  const action = "draw histogram";
  checkBase(action, opts);
  requireLabel(action, "xLabel", opts.xLabel);
  const scale = opts.scale ?? 1;
  const x = Float64Array.from(opts.values, (v, i) => {
    if (!Number.isFinite(v)) throw new RangeError(`Cannot draw histogram: values[${i}] must be finite, received ${v}`);
    return v * scale;
  });
  const n = x.length;
  if (n < 2) throw new RangeError(`Cannot draw histogram: values must hold at least 2 values, received ${n}`);
  const sorted = Float64Array.from(x).sort();
  const q = (p: number) => {
    const h = (n - 1) * p, lo = Math.floor(h);
    return sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, n - 1)] - sorted[lo]);
  };
  const min = sorted[0], max = sorted[n - 1];
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const iqr = q(0.75) - q(0.25);
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
    const pdf = grid.map((g) => ({ x: g, y: Math.exp(-0.5 * ((g - mean) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI)) }));
    marks.push(Plot.line(pdf, { x: "x", y: "y", stroke: STRATEGY_COLORS[2], strokeWidth: 1.8 }));
    legend.push({ label: "Normal fit", color: STRATEGY_COLORS[2] });
  }
  if (overlays.includes("kde")) {
    const h = 0.9 * Math.min(sd, iqr / 1.34 || sd) * Math.pow(n, -0.2);
    if (h > 0) {
      const kde = grid.map((g) => {
        let s = 0;
        for (const v of x) s += Math.exp(-0.5 * ((g - v) / h) ** 2);
        return { x: g, y: s / (n * h * Math.sqrt(2 * Math.PI)) };
      });
      marks.push(Plot.line(kde, { x: "x", y: "y", stroke: THEME.ink, strokeWidth: 1.4, strokeDasharray: "4,3" }));
      legend.push({ label: "Kernel density", color: THEME.ink, shape: "dashed" });
    }
  }
  const plotWidth = opts.width ?? THEME.width;
  const svg = plotPanel({
    width: plotWidth,
    height: opts.height ?? THEME.panelHeight,
    x: { label: opts.xLabel },
    y: { label: "Density", grid: true },
    marks,
  });
  return single(opts, svg, plotWidth, legend);
}

/** Options of {@linkcode scatterChart}. */
export interface ScatterOptions extends ChartOptions {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Text label per point. */ readonly labels?: readonly string[];
  /** Group per point (coloured, with a legend). */ readonly groups?: readonly string[];
  readonly colors?: Readonly<Record<string, string>>;
  /** Draw the 45° line y = x (model against market). */ readonly diagonal?: boolean;
  /** Draw the least-squares line. */ readonly fitLine?: boolean;
  readonly scaleX?: number;
  readonly scaleY?: number;
  /** Logarithmic y axis (values must be > 0). */ readonly logY?: boolean;
  /** Groups whose point labels go below the point instead of to its right (to separate overlapping points). */
  readonly labelsBelow?: readonly string[];
}

/**
 * Points in the plane: model against market, signal against forward return.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scatterChart } from "./plots.ts";
 *
 * const chart = scatterChart({ title: "Model vs market", x: [1, 2, 3], y: [1.1, 1.9, 3.2], xLabel: "Market (bp)", yLabel: "Model (bp)", diagonal: true });
 * assert.ok(chart.outerHTML.includes("Model (bp)"));
 * ```
 */
export function scatterChart(opts: ScatterOptions): Chart {
  const action = "draw scatter chart";
  checkBase(action, opts);
  requireLabel(action, "xLabel", opts.xLabel);
  requireLabel(action, "yLabel", opts.yLabel);
  if (opts.x.length !== opts.y.length) {
    throw new RangeError(
      `Cannot draw scatter chart: x and y must have the same length, received ${opts.x.length} and ${opts.y.length}`,
    );
  }
  const sx = opts.scaleX ?? 1, sy = opts.scaleY ?? 1;
  const groups = opts.groups ? [...new Set(opts.groups)] : [];
  const color = colorFor(groups, opts.colors);
  const points = Array.from(opts.x, (x, i) => {
    if (!Number.isFinite(x) || !Number.isFinite(opts.y[i])) {
      throw new RangeError(`Cannot draw scatter chart: point ${i} must be finite, received (${x}, ${opts.y[i]})`);
    }
    if (opts.logY && !(opts.y[i] > 0)) {
      throw new RangeError(`Cannot draw scatter chart: y[${i}] must be > 0 on a log axis, received ${opts.y[i]}`);
    }
    return { x: x * sx, y: opts.y[i] * sy, label: opts.labels?.[i] ?? "", group: opts.groups?.[i] ?? "" };
  });
  const marks: Plot.Markish[] = [];
  if (opts.diagonal) {
    const lo = Math.min(...points.map((p) => Math.min(p.x, p.y))),
      hi = Math.max(...points.map((p) => Math.max(p.x, p.y)));
    marks.push(
      Plot.line([{ x: lo, y: lo }, { x: hi, y: hi }], { x: "x", y: "y", stroke: THEME.muted, strokeDasharray: "4,3" }),
    );
  }
  if (opts.fitLine) marks.push(Plot.linearRegressionY(points, { x: "x", y: "y", stroke: STRATEGY_COLORS[2] }));
  marks.push(
    Plot.dot(points, {
      x: "x",
      y: "y",
      fill: groups.length ? (p: { group: string }) => color(p.group) : STRATEGY_COLORS[0],
      r: 3,
      fillOpacity: 0.75,
    }),
  );
  if (opts.labels) {
    const below = new Set(opts.labelsBelow ?? []);
    const right = points.filter((p) => !below.has(p.group)), under = points.filter((p) => below.has(p.group));
    marks.push(Plot.text(right, { x: "x", y: "y", text: "label", dx: 6, textAnchor: "start", fontSize: 10 }));
    if (under.length) marks.push(Plot.text(under, { x: "x", y: "y", text: "label", dy: 10, fontSize: 10 }));
  }
  const width = opts.width ?? THEME.width;
  const svg = plotPanel({
    width,
    height: opts.height ?? THEME.panelHeight,
    // Inset so that points on the extremes are not clipped; room on the right for point labels.
    inset: 12,
    marginBottom: 40,
    ...(opts.labels ? { marginRight: Math.max(THEME.marginRight, 48) } : {}),
    x: { label: opts.xLabel, grid: true, nice: true, labelAnchor: "center", labelArrow: "none" },
    y: { label: opts.yLabel, grid: true, ...(opts.logY ? { type: "log" as const } : { nice: true }) },
    marks,
  });
  const legend = groups.map((g) => ({ label: g, color: color(g), shape: "dot" as const }));
  return single(opts, svg, width, groups.length > 1 ? legend : undefined);
}
