/**
 * Underwater charts ({@linkcode drawdownChart}): the drawdown of each wealth path below its running peak, in %.
 * @module
 */
import * as Plot from "@observablehq/plot";
import { rangeError, requireLength, requirementError } from "../core/check.ts";
import type { Chart } from "./frame.ts";
import {
  type ChartOptions,
  checkBase,
  checkFields,
  colorFor,
  dateExtent,
  type Highlight,
  highlightMarks,
  plotPanel,
  preparePoints,
  requireHighlights,
  requireSeriesRecord,
  singlePanelChart,
} from "./common.ts";
import { THEME } from "./style.ts";

/** Options of {@linkcode drawdownChart}; extra `marks` take x as dates and y as drawdown in %. */
export interface DrawdownOptions extends ChartOptions {
  readonly dates: readonly Date[];
  /** Wealth (NAV) paths by label, aligned with dates, all > 0. */
  readonly wealth: Readonly<Record<string, ArrayLike<number>>>;
  readonly colors?: Readonly<Record<string, string>>;
  readonly highlights?: readonly Highlight[];
}

/**
 * Underwater chart: the drawdown of each wealth path, in %, as filled areas below zero,
 *
 *     DD(t) = 100 · (W(t) / max_{s ≤ t} W(s) − 1)
 *
 * The deepest point is the maximum drawdown; the width of a trough is the time to recover.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { drawdownChart } from "./drawdown.ts";
 *
 * const dates = [0, 1, 2].map((d) => new Date(Date.UTC(2024, 0, 2 + d)));
 * const chart = drawdownChart({ title: "Drawdown", dates, wealth: { Strategy: [1, 0.9, 1.1] } });
 * assert.ok(chart.outerHTML.includes("Drawdown (%)"));
 * ```
 */
export function drawdownChart(opts: DrawdownOptions): Chart {
  const action = "draw drawdown chart";
  checkBase(action, opts, ["dates", "wealth", "colors", "highlights"]);
  checkFields(action, opts, { colors: ["colors"] });
  requireHighlights(action, "highlights", opts.highlights);
  const xDomain = dateExtent(action, opts.dates);
  requireSeriesRecord(action, "wealth", opts.wealth, { length: opts.dates.length, like: "dates" });
  const labels = Object.keys(opts.wealth);
  if (labels.length === 0) throw requirementError(action, "wealth", "hold at least one path", 0);
  const color = colorFor(labels, opts.colors);
  const marks: Plot.Markish[] = [...highlightMarks(opts.highlights, xDomain)];
  for (const label of labels) {
    const w = opts.wealth[label];
    const name = `wealth ${JSON.stringify(label)}`;
    requireLength(action, name, w, { length: opts.dates.length, like: "dates" });
    let peak = -Infinity;
    const underwater = Array.from(w, (v, i) => {
      if (!(v > 0 && Number.isFinite(v))) throw rangeError(action, `${name}[${i}]`, "a finite number > 0", v);
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
  marks.push(Plot.ruleY([0], { stroke: THEME.muted }), ...(opts.marks ?? []));
  const width = opts.width ?? THEME.width;
  const svg = plotPanel({
    width,
    height: opts.height ?? Math.round(THEME.panelHeight * 0.7),
    x: { type: "utc", label: null, domain: xDomain },
    y: { label: "Drawdown (%)", grid: true, nice: true },
    marks,
  });
  const legend = labels.map((label) => ({ label, color: color(label), shape: "rect" as const }));
  return singlePanelChart(opts, svg, width, legend);
}
