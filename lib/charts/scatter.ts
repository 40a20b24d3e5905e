/**
 * Scatter plots ({@linkcode scatterChart}): model against market, signal against forward return, with optional
 * groups, point labels, the 45° line and a least-squares line.
 * @module
 */
import * as Plot from "@observablehq/plot";
import { rangeError, Received, requireFiniteArray, requirementError } from "../core/check.ts";
import type { Chart } from "./frame.ts";
import {
  type ChartOptions,
  checkBase,
  checkFields,
  colorFor,
  plotPanel,
  requireLabel,
  singlePanelChart,
} from "./common.ts";
import { STRATEGY_COLORS, THEME } from "./style.ts";

/** Options of {@linkcode scatterChart}; extra `marks` use x and y after `scaleX` and `scaleY`. */
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
 * import { scatterChart } from "./scatter.ts";
 *
 * const chart = scatterChart({ title: "Model vs market", x: [1, 2, 3], y: [1.1, 1.9, 3.2], xLabel: "Market (bp)", yLabel: "Model (bp)", diagonal: true });
 * assert.ok(chart.outerHTML.includes("Model (bp)"));
 * ```
 */
export function scatterChart(opts: ScatterOptions): Chart {
  const action = "draw scatter chart";
  checkBase(action, opts, [
    "x",
    "y",
    "xLabel",
    "yLabel",
    "labels",
    "groups",
    "colors",
    "diagonal",
    "fitLine",
    "scaleX",
    "scaleY",
    "logY",
    "labelsBelow",
  ]);
  requireLabel(action, "xLabel", opts.xLabel);
  requireLabel(action, "yLabel", opts.yLabel);
  checkFields(action, opts, {
    booleans: ["diagonal", "fitLine", "logY"],
    numbers: ["scaleX", "scaleY"],
    labels: ["labels", "groups", "labelsBelow"],
    colors: ["colors"],
  });
  requireFiniteArray(action, "x", opts.x);
  requireFiniteArray(action, "y", opts.y);
  if (opts.x.length !== opts.y.length) {
    throw requirementError(
      action,
      "x and y",
      "have the same length",
      new Received(`${opts.x.length} and ${opts.y.length}`),
    );
  }
  for (const key of ["labels", "groups"] as const) {
    const a = opts[key];
    if (a !== undefined && a.length !== opts.x.length) {
      throw requirementError(action, key, `have ${opts.x.length} entries like x`, a.length);
    }
  }
  const sx = opts.scaleX ?? 1, sy = opts.scaleY ?? 1;
  const groups = opts.groups ? [...new Set(opts.groups)] : [];
  const color = colorFor(groups, opts.colors);
  const points = Array.from(opts.x, (x, i) => {
    if (opts.logY && !(opts.y[i] > 0)) throw rangeError(action, `y[${i}]`, "> 0 on a log axis", opts.y[i]);
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
  marks.push(...(opts.marks ?? []));
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
  return singlePanelChart(opts, svg, width, groups.length > 1 ? legend : undefined);
}
