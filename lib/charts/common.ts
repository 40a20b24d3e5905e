/**
 * What every chart kind shares: the options every chart takes ({@linkcode ChartOptions}, including extra Observable
 * Plot `marks`), shaded periods ({@linkcode Highlight}), label checks, min–max decimation of long series
 * ({@linkcode preparePoints}), tick ladders and the house-style Plot panel. Each chart file (`time_series.ts`,
 * `line.ts`, `drawdown.ts`, `heatmap.ts`, `bar.ts`, `histogram.ts`, `scatter.ts`) builds its own marks on top of
 * these, appends the caller's `marks` after them and frames the panel with `frame.ts`.
 *
 * Long daily series are thinned for drawing by min–max decimation (each pixel-wide bucket keeps its lowest and
 * highest point, so spikes such as the VIX on 16 March 2020 survive) and lines break across gaps in the data
 * longer than `gapDays` instead of drawing a straight line over missing years.
 * @module
 */
import * as Plot from "@observablehq/plot";
import {
  rangeError,
  Received,
  requireFinite,
  requireKnownKeys,
  requireLength,
  requirementError,
  requireObject,
  requirePositive,
  typeError,
} from "../core/check.ts";
import { type Chart, frameChart, type LegendItem, plotDocument as document, type RampLegend } from "./frame.ts";
import { STRATEGY_COLORS, THEME } from "./style.ts";

/** Options shared by every chart. */
export interface ChartOptions {
  /** Title: what the chart shows. Required. */ readonly title: string;
  /** One sentence on what to look for. */ readonly subtitle?: string;
  /** Small print: source, units, method. */ readonly caption?: string;
  /** Width in px (default `THEME.width`). */ readonly width?: number;
  /** Height of the plotting area in px (default `THEME.panelHeight`). */ readonly height?: number;
  /**
   * Extra Observable Plot marks drawn after the chart's own marks, on the same scales (values after `scale`; dates
   * on time axes): a notebook's one-off annotation (`Plot.ruleY([0.05])`, `Plot.text(...)`) is a mark passed in,
   * not a new option. On stacked charts they are drawn on every panel. Default none.
   */
  readonly marks?: readonly Plot.Markish[];
}

/** A shaded period on a time axis, e.g. a crisis. */
export interface Highlight {
  readonly start: Date | string;
  readonly end: Date | string;
  readonly label?: string;
}

/**
 * Requires a title or axis label: a non-empty string (with units for an axis).
 * @throws {TypeError} `Cannot <action>: <name> must be a non-empty string with units, received ""`.
 */
export function requireLabel(action: string, name: string, value: unknown): void {
  if (typeof value !== "string" || value.trim() === "") {
    throw typeError(action, name, "a non-empty string with units", value);
  }
}

/** The keys of {@linkcode ChartOptions}, which every chart takes. */
export const BASE_KEYS = ["title", "subtitle", "caption", "width", "height", "marks"] as const;

/**
 * Checks the options every chart takes: `opts` an object (with `known`, the chart's own keys, every other key is
 * refused with the nearest known one), a title, optional subtitle and caption strings, a width and height > 0 and
 * `marks` an array.
 */
export function checkBase(action: string, opts: ChartOptions, known?: readonly string[]): void {
  requireObject(action, "opts", opts);
  if (known) requireKnownKeys(action, "opts", opts, [...BASE_KEYS, ...known]);
  requireLabel(action, "title", opts.title);
  for (const key of ["subtitle", "caption"] as const) {
    if (opts[key] !== undefined && typeof opts[key] !== "string") throw typeError(action, key, "a string", opts[key]);
  }
  for (const key of ["width", "height"] as const) if (opts[key] !== undefined) requirePositive(action, key, opts[key]);
  if (opts.marks !== undefined && !Array.isArray(opts.marks)) {
    throw typeError(action, "marks", "an array of Plot marks", opts.marks);
  }
}

/** Checks optional fields of chart options by kind: strings, booleans, finite numbers, string arrays, colour maps. */
export function checkFields(
  action: string,
  opts: object,
  kinds: {
    strings?: readonly string[];
    booleans?: readonly string[];
    numbers?: readonly string[];
    labels?: readonly string[];
    colors?: readonly string[];
  },
): void {
  const o = opts as Record<string, unknown>;
  for (const key of kinds.strings ?? []) {
    if (o[key] !== undefined && typeof o[key] !== "string") throw typeError(action, key, "a string", o[key]);
  }
  for (const key of kinds.booleans ?? []) {
    if (o[key] !== undefined && typeof o[key] !== "boolean") throw typeError(action, key, "true or false", o[key]);
  }
  for (const key of kinds.numbers ?? []) if (o[key] !== undefined) requireFinite(action, key, o[key]);
  for (const key of kinds.labels ?? []) if (o[key] !== undefined) requireStrings(action, key, o[key]);
  for (const key of kinds.colors ?? []) {
    if (o[key] === undefined) continue;
    const colors = requireObject(action, key, o[key]);
    for (const [label, c] of Object.entries(colors)) {
      if (typeof c !== "string") throw typeError(action, `${key}[${JSON.stringify(label)}]`, "a colour string", c);
    }
  }
}

/** Requires an array of strings (labels, categories), naming the first element that is not one. */
export function requireStrings(action: string, name: string, value: unknown): readonly string[] {
  if (!Array.isArray(value)) throw typeError(action, name, "an array of strings", value);
  value.forEach((v, i) => {
    if (typeof v !== "string") throw typeError(action, `${name}[${i}]`, "a string", v);
  });
  return value as string[];
}

/** The name of series `label` of option `option` in a message, as every chart writes it: `series "a"`. */
export function seriesName(option: string, label: string): string {
  return `${option} ${JSON.stringify(label)}`;
}

/**
 * Requires a record of series by label (`series`, `wealth`, …): an object whose values are arrays of numbers (or
 * null where `nulls`) as long as `like` says, each value finite — or NaN/null as a gap where `gaps` — naming the
 * caller's option and the first bad element (`series "a"[3]`).
 */
export function requireSeriesRecord(
  action: string,
  option: string,
  record: unknown,
  like: { readonly length: number; readonly like: string },
  allow: { readonly gaps?: boolean; readonly nulls?: boolean } = {},
): Readonly<Record<string, ArrayLike<number | null>>> {
  const series = requireObject(action, option, record);
  for (const [label, values] of Object.entries(series)) {
    requireSeries(action, seriesName(option, label), values, like, allow);
  }
  return series as Record<string, ArrayLike<number | null>>;
}

/**
 * Requires one series: an array of numbers of the length `like` says, each finite — or, where `gaps`, NaN or null
 * (a gap; null only unless `nulls` is false) — naming the caller's option and the first bad element (`spread[3]`).
 */
export function requireSeries(
  action: string,
  name: string,
  values: unknown,
  like: { readonly length: number; readonly like: string },
  allow: { readonly gaps?: boolean; readonly nulls?: boolean } = {},
): ArrayLike<number | null> {
  const gaps = allow.gaps ?? false, nulls = gaps && (allow.nulls ?? true);
  if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    throw typeError(action, name, nulls ? "an array of numbers or nulls" : "an array of numbers", values);
  }
  const a = values as ArrayLike<unknown>;
  requireLength(action, name, a, like);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v === null && nulls) continue;
    if (typeof v !== "number") throw typeError(action, `${name}[${i}]`, nulls ? "a number or null" : "a number", v);
    if (!Number.isFinite(v) && !(gaps && Number.isNaN(v))) {
      const rule = nulls ? "finite, NaN or null (a gap)" : gaps ? "finite or NaN" : "finite";
      throw rangeError(action, `${name}[${i}]`, rule, v);
    }
  }
  return a as ArrayLike<number | null>;
}

/**
 * Requires shaded periods: an array of `{ start, end, label? }` with start and end Dates or ISO days
 * (`"YYYY-MM-DD"`, a real calendar date).
 */
export function requireHighlights(action: string, name: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw typeError(action, name, "an array of { start, end, label }", value);
  value.forEach((h, i) => {
    const at = `${name}[${i}]`;
    const o = requireObject(action, at, h);
    for (const key of ["start", "end"] as const) {
      const d = o[key];
      const date = typeof d === "string" ? toDate(d) : d;
      const iso = typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d);
      if (!(date instanceof Date) || (typeof d === "string" && !iso)) {
        throw typeError(action, `${at}.${key}`, 'a Date or an ISO day "YYYY-MM-DD"', d);
      }
      if (Number.isNaN(date.getTime()) || (iso && date.toISOString().slice(0, 10) !== d)) {
        throw rangeError(action, `${at}.${key}`, "a valid date", d);
      }
    }
    if (o.label !== undefined && typeof o.label !== "string") {
      throw typeError(action, `${at}.label`, "a string", o.label);
    }
  });
}

/** Colour of a series label: the caller's colour, else the strategy palette in the order of `labels`. */
export function colorFor(
  labels: readonly string[],
  colors?: Readonly<Record<string, string>>,
): (label: string) => string {
  return (label) => colors?.[label] ?? STRATEGY_COLORS[labels.indexOf(label) % STRATEGY_COLORS.length];
}

/** A date or an ISO day `"YYYY-MM-DD"` as a Date at UTC midnight. */
export function toDate(d: Date | string): Date {
  return typeof d === "string" ? new Date(`${d}T00:00:00Z`) : d;
}

/**
 * Points of one series on a time axis: missing values (null or NaN) dropped, a break (null) inserted over gaps
 * longer than `gapDays`, and min–max decimation to at most `maxPoints` points.
 *
 * @param dates Dates of the observations.
 * @param values Values aligned with `dates`; null or NaN marks a missing value.
 * @param opts `scale` multiplies the values (default 1); `gapDays` (default 10); `maxPoints` (default 1,600).
 * @returns Points `{ x, y }` in time order, with `y: null` at each break.
 * @throws {RangeError} If the lengths differ or a value is ±Infinity.
 *
 * @example A gap of a year breaks the line
 * ```ts
 * import assert from "node:assert/strict";
 * import { preparePoints } from "./common.ts";
 *
 * const dates = ["2024-01-02", "2024-01-03", "2025-01-02"].map((d) => new Date(`${d}T00:00:00Z`));
 * assert.deepEqual(preparePoints(dates, [1, 2, 3]).map((p) => p.y), [1, 2, null, 3]);
 * ```
 */
export function preparePoints(
  dates: readonly Date[],
  values: ArrayLike<number | null>,
  opts: { scale?: number; gapDays?: number; maxPoints?: number } = {},
): { x: Date; y: number | null }[] {
  const action = "draw series";
  if (values.length !== dates.length) {
    throw requirementError(
      action,
      "values and dates",
      "have the same length",
      new Received(`${values.length} and ${dates.length}`),
    );
  }
  const scale = opts.scale ?? 1;
  const gap = (opts.gapDays ?? 10) * 86_400_000;
  const segments: { x: Date; y: number }[][] = [];
  let current: { x: Date; y: number }[] = [];
  for (let i = 0; i < dates.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || Number.isNaN(v)) continue;
    if (!Number.isFinite(v)) throw rangeError(action, `values[${i}]`, "finite or null", v);
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
export function plotPanel(options: Plot.PlotOptions): Element {
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
export function singlePanelChart(
  opts: ChartOptions,
  svg: Element,
  width: number,
  legend?: readonly LegendItem[] | RampLegend,
): Chart {
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
export function highlightMarks(
  highlights: readonly Highlight[] | undefined,
  [lo, hi]: readonly [Date, Date],
): Plot.Markish[] {
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

/**
 * First and last date of a time axis.
 * @throws {RangeError} If `dates` is empty. @throws {TypeError} If an entry is not a valid Date.
 */
export function dateExtent(action: string, dates: readonly Date[]): [Date, Date] {
  if (!Array.isArray(dates)) throw typeError(action, "dates", "an array of Dates", dates);
  if (dates.length === 0) throw requirementError(action, "dates", "not be empty", new Received("0 dates"));
  let lo = dates[0], hi = dates[0];
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i];
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw typeError(action, `dates[${i}]`, "a valid Date", d);
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  return [lo, hi];
}

/** Ticks 1, 2, 5 × 10ᵏ spanning the positive values of x. */
export function logTicks(action: string, x: ArrayLike<number>): number[] {
  const positive = Array.from(x).filter((v) => v > 0);
  if (positive.length === 0) {
    throw requirementError(action, "x", "hold values > 0 for a log axis", new Received("none"));
  }
  return logTicksBetween(Math.min(...positive), Math.max(...positive));
}

/** Labelled ticks of a log axis over [lo, hi]: 1-2-5 per decade, finer when the range spans less than 1.5 decades. */
export function logTicksBetween(lo: number, hi: number): number[] {
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

/**
 * About `count` round ticks over [lo, hi] with steps 1, 2, 2.5 or 5 × 10ᵏ; on a log scale the powers of ten inside
 * [lo, hi] (or the two ends when fewer than two fall inside).
 */
export function niceTicks(lo: number, hi: number, count: number, log = false): number[] {
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

/** A tick label: 4 significant digits, exponent notation below 1e-3 and from 1e6. */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(0);
  return Number(v.toPrecision(4)).toString();
}
