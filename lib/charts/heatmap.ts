/**
 * Heatmaps ({@linkcode heatmapChart}): a matrix as coloured cells with a colour legend — transition matrices,
 * parameter sweeps, correlations, states over time. Annotations are Plot marks passed in `marks`; framed and
 * labelled columns (crisis peaks on a time heatmap) come from {@linkcode heatmapColumnFrames}.
 * @module
 */
import * as Plot from "@observablehq/plot";
import {
  rangeError,
  Received,
  requireFinite,
  requireInteger,
  requireLength,
  requirementError,
  requireObject,
  requirePositive,
  typeError,
} from "../core/check.ts";
import type { Chart, RampLegend } from "./frame.ts";
import {
  type ChartOptions,
  checkBase,
  checkFields,
  formatTick,
  niceTicks,
  plotPanel,
  requireLabel,
  requireStrings,
  singlePanelChart,
} from "./common.ts";
import { THEME } from "./style.ts";

/** Colour schemes of heatmaps: sequential for probabilities and levels, diverging for signed values. */
const HEATMAP_SCHEMES = [
  "blues",
  "greens",
  "oranges",
  "reds",
  "ylorrd",
  "viridis",
  "rdbu",
  "rdylgn",
  "piyg",
  "correlation",
] as const;
/**
 * Colour schemes for heatmaps: sequential, or diverging (`rdbu`, `rdylgn`, `piyg`) centred on 0. `correlation` is
 * the one scheme for correlation matrices in every notebook: ColorBrewer RdBu on the fixed domain [−1, 1] with
 * **blue = +1** (positive correlation), white = 0 and red = −1; it cannot be reversed or given another domain, so
 * the same colour means the same correlation on every chart.
 */
export type HeatmapScheme = typeof HEATMAP_SCHEMES[number];

/** Domain of the `correlation` scheme: a correlation coefficient lies in [−1, 1]. */
const CORRELATION_DOMAIN = [-1, 1] as const;

/** A framed column of a heatmap with its label above the top row (e.g. a crisis peak on a time heatmap). */
export interface HeatmapColumnFrame {
  /** One of the heatmap's column labels. */ readonly column: string;
  /** Text printed above the column. */ readonly label: string;
}

/**
 * Options of {@linkcode heatmapChart}. Extra `marks` use the band scales x = column label, y = row label (and
 * values after `scale`).
 */
export interface HeatmapOptions extends ChartOptions {
  /** Row labels, top to bottom. */ readonly rows: readonly string[];
  /** Column labels, left to right. */ readonly columns: readonly string[];
  /** values[i][j] for row i, column j; null leaves a cell blank. */ readonly values:
    readonly (readonly (number | null)[])[];
  readonly xLabel: string;
  readonly yLabel: string;
  /** Legend title with unit, e.g. `"Probability (%)"`. */ readonly colorLabel: string;
  readonly scale?: number;
  /** Colour scheme (default `"blues"`); `"correlation"` for every correlation matrix (blue = +1, fixed [−1, 1]). */
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
  /**
   * Marked columns: a frame around the column and its label above. Kept for compatibility; the same as passing
   * `marks: heatmapColumnFrames(columnMarks, { rows, columns, height })`.
   */
  readonly columnMarks?: readonly HeatmapColumnFrame[];
}

/** Height of one heatmap row in px: the plot height (default 360) shared by the rows, clamped to [16, 34]. */
function cellHeightOf(rows: number, height: number | undefined): number {
  return Math.max(16, Math.min(34, Math.floor((height ?? 360) / rows)));
}

function columnFrameMarks(
  frames: readonly HeatmapColumnFrame[],
  grid: { readonly rows: readonly string[]; readonly columns: readonly string[]; readonly height?: number },
  action: string,
  name: string,
): Plot.Markish[] {
  if (!Array.isArray(frames)) throw typeError(action, name, "an array of { column, label }", frames);
  frames.forEach((frame, k) => {
    requireObject(action, `${name}[${k}]`, frame);
    if (typeof frame.label !== "string") throw typeError(action, `${name}[${k}].label`, "a string", frame.label);
    if (!grid.columns.includes(frame.column)) {
      throw rangeError(action, `${name}[${k}].column`, "one of columns", frame.column);
    }
  });
  if (frames.length === 0) return [];
  const cellHeight = cellHeightOf(grid.rows.length, grid.height);
  const marked = frames.flatMap((m) => grid.rows.map((row) => ({ row, column: m.column })));
  return [
    Plot.cell(marked, { x: "column", y: "row", fill: "none", stroke: THEME.ink, strokeWidth: 0.8 }),
    Plot.text(frames, {
      x: "column",
      y: () => grid.rows[0],
      text: "label",
      dy: -cellHeight / 2 - 6,
      fontSize: 10,
      fill: THEME.ink,
    }),
  ];
}

/**
 * Marks that frame columns of a heatmap and print a label above each, e.g. crisis peaks on a state-over-time
 * heatmap: pass them to {@linkcode heatmapChart} in `marks`. `grid` is the heatmap's `rows`, `columns` and
 * `height` (the label sits 6 px above the top row, whose height follows from them).
 *
 * @throws {RangeError} If a frame's column is not one of `grid.columns`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { heatmapChart, heatmapColumnFrames } from "./heatmap.ts";
 *
 * const grid = { rows: ["Calm", "Stress"], columns: ["2020 Q1", "2020 Q2"] };
 * const chart = heatmapChart({
 *   ...grid, title: "States", values: [[0.2, 0.9], [0.8, 0.1]], xLabel: "Quarter", yLabel: "State",
 *   colorLabel: "Probability (%)", scale: 100, marks: heatmapColumnFrames([{ column: "2020 Q1", label: "Covid" }], grid),
 * });
 * assert.ok(chart.outerHTML.includes("Covid"));
 * ```
 */
export function heatmapColumnFrames(
  frames: readonly HeatmapColumnFrame[],
  grid: { readonly rows: readonly string[]; readonly columns: readonly string[]; readonly height?: number },
): Plot.Markish[] {
  const action = "draw heatmap column frames";
  requireObject(action, "grid", grid);
  requireStrings(action, "grid.rows", grid.rows);
  requireStrings(action, "grid.columns", grid.columns);
  if (grid.height !== undefined) requirePositive(action, "grid.height", grid.height);
  return columnFrameMarks(frames, grid, action, "frames");
}

/**
 * A matrix as coloured cells with a colour legend: transition matrices, parameter sweeps, correlations.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { heatmapChart } from "./heatmap.ts";
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
  checkBase(action, opts, [
    "rows",
    "columns",
    "values",
    "xLabel",
    "yLabel",
    "colorLabel",
    "scale",
    "scheme",
    "domain",
    "logColor",
    "cellText",
    "reverse",
    "columnTicks",
    "columnMarks",
  ]);
  for (const name of ["xLabel", "yLabel", "colorLabel"] as const) requireLabel(action, name, opts[name]);
  checkFields(action, opts, {
    booleans: ["logColor", "reverse"],
    numbers: ["scale"],
    labels: ["rows", "columns", "columnTicks"],
  });
  if (opts.rows.length === 0) throw requirementError(action, "rows", "not be empty", 0);
  if (opts.columns.length === 0) throw requirementError(action, "columns", "not be empty", 0);
  if (opts.cellText !== undefined && opts.cellText !== false) {
    requireInteger(action, "cellText", opts.cellText, { min: 0, max: 20 });
  }
  if (opts.domain !== undefined) {
    if (!Array.isArray(opts.domain) || opts.domain.length !== 2) {
      throw typeError(action, "domain", "a pair [low, high]", opts.domain);
    }
    requireFinite(action, "domain[0]", opts.domain[0]);
    requireFinite(action, "domain[1]", opts.domain[1]);
  }
  if (!Array.isArray(opts.values)) throw typeError(action, "values", "an array of rows", opts.values);
  requireLength(action, "values", opts.values, { length: opts.rows.length, unit: "rows", like: "rows" });
  const scale = opts.scale ?? 1;
  const cells: { row: string; column: string; value: number | null }[] = [];
  opts.values.forEach((row, i) => {
    if (!Array.isArray(row)) throw typeError(action, `values[${i}]`, "an array of numbers or nulls", row);
    requireLength(action, `values[${i}]`, row, { length: opts.columns.length, like: "columns" });
    row.forEach((v, j) => {
      if (v !== null && !Number.isFinite(v)) throw rangeError(action, `values[${i}][${j}]`, "finite or null", v);
      cells.push({ row: opts.rows[i], column: opts.columns[j], value: v === null ? null : v * scale });
    });
  });
  const finite = cells.map((c) => c.value).filter((v): v is number => v !== null);
  if (finite.length === 0) throw requirementError(action, "values", "hold at least one number", new Received("none"));
  const scheme = opts.scheme ?? "blues";
  if (!HEATMAP_SCHEMES.includes(scheme)) {
    throw rangeError(action, "scheme", `one of ${HEATMAP_SCHEMES.join(", ")}`, scheme);
  }
  const correlation = scheme === "correlation";
  if (correlation) checkCorrelationOptions(action, opts, finite);
  const diverging = scheme === "rdbu" || scheme === "rdylgn" || scheme === "piyg" || correlation;
  let lo = Math.min(...finite), hi = Math.max(...finite);
  if (correlation) [lo, hi] = CORRELATION_DOMAIN;
  else if (opts.domain) [lo, hi] = opts.domain;
  else if (diverging) (hi = Math.max(Math.abs(lo), Math.abs(hi))), (lo = -hi);
  if (lo === hi) (lo -= 1), (hi += 1);
  if (opts.logColor && !(lo > 0)) {
    throw rangeError(action, "values", "> 0 for a log colour scale", new Received(`minimum ${lo}`));
  }
  const colorScale = Plot.scale({
    color: {
      type: opts.logColor ? "log" : "linear",
      domain: [lo, hi],
      scheme: correlation ? "rdbu" : scheme,
      reverse: opts.reverse ?? false,
    },
  });
  const fill = (v: number | null) => (v === null ? "none" : colorScale.apply(Math.min(Math.max(v, lo), hi)) as string);
  const width = opts.width ?? THEME.width;
  const decimals = opts.cellText === false ? -1 : opts.cellText ?? 1;
  const longest = Math.max(...opts.rows.map((r) => r.length));
  const cellHeight = cellHeightOf(opts.rows.length, opts.height);
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
  marks.push(...columnFrameMarks(opts.columnMarks ?? [], opts, action, "columnMarks"), ...(opts.marks ?? []));
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
  return singlePanelChart(opts, svg, width, ramp);
}

/**
 * The `correlation` scheme admits only correlations: values (after `scale`, which must be 1 if given) in [−1, 1],
 * no `reverse`, no log colour scale, and `domain`, if given, exactly [−1, 1].
 */
function checkCorrelationOptions(action: string, opts: HeatmapOptions, values: readonly number[]): void {
  if (opts.reverse !== undefined) {
    throw rangeError(action, "reverse", 'unset with scheme "correlation" (blue is always +1)', opts.reverse);
  }
  if (opts.logColor) throw rangeError(action, "logColor", 'unset with scheme "correlation"', opts.logColor);
  if (opts.scale !== undefined && opts.scale !== 1) {
    throw rangeError(action, "scale", 'unset or 1 with scheme "correlation"', opts.scale);
  }
  if (opts.domain && (opts.domain[0] !== CORRELATION_DOMAIN[0] || opts.domain[1] !== CORRELATION_DOMAIN[1])) {
    throw rangeError(
      action,
      "domain",
      'unset or [-1, 1] with scheme "correlation"',
      new Received(`[${opts.domain.join(", ")}]`),
    );
  }
  const k = values.findIndex((v) => !(v >= -1 && v <= 1));
  if (k >= 0) throw rangeError(action, "values", 'correlations in [-1, 1] with scheme "correlation"', values[k]);
}

/** Relative luminance (Rec. 709 weights, no gamma) of `rgb(r, g, b)` or `#rrggbb`, in [0, 1]. */
function luminance(color: string): number {
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(color);
  const [r, g, b] = m ? [+m[1], +m[2], +m[3]] : [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}
