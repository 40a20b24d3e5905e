/**
 * Timeline charts ({@linkcode timelineChart}): one row per item (a walk-forward fold, say) with labelled date
 * intervals drawn as bars — the training window, the embargo, the predicted period.
 * @module
 */
import * as Plot from "@observablehq/plot";
import { rangeError, requireObject, typeError } from "../core/check.ts";
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
import { THEME } from "./style.ts";

/** One interval of a timeline row. */
export interface TimelineSpan {
  /** Row label (top to bottom in order of first appearance). */ readonly row: string;
  /** Kind of interval: its colour and legend entry. */ readonly kind: string;
  readonly start: Date;
  readonly end: Date;
}

/** Options of {@linkcode timelineChart}. Extra `marks` use x = date and y = row label. */
export interface TimelineOptions extends ChartOptions {
  readonly spans: readonly TimelineSpan[];
  readonly yLabel: string;
  readonly colors?: Readonly<Record<string, string>>;
}

/**
 * Bars of date intervals per row, coloured by kind; hovering a bar shows its kind and dates.
 *
 * @throws {RangeError} If there is no span, or a span ends before it starts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { timelineChart } from "./timeline.ts";
 *
 * const d = (s: string) => new Date(`${s}T00:00:00Z`);
 * const chart = timelineChart({
 *   title: "Folds", yLabel: "Refit",
 *   spans: [{ row: "1", kind: "train", start: d("2020-01-01"), end: d("2020-12-31") }, { row: "1", kind: "test", start: d("2021-01-01"), end: d("2021-01-31") }],
 * });
 * assert.ok(chart.outerHTML.includes("train"));
 * ```
 */
export function timelineChart(opts: TimelineOptions): Chart {
  const action = "draw timeline chart";
  checkBase(action, opts, ["spans", "yLabel", "colors"]);
  requireLabel(action, "yLabel", opts.yLabel);
  checkFields(action, opts, { colors: ["colors"] });
  if (opts.spans !== undefined && !Array.isArray(opts.spans)) {
    throw typeError(action, "spans", "an array of { row, kind, start, end }", opts.spans);
  }
  if (!opts.spans?.length) throw rangeError(action, "spans", "not empty", opts.spans?.length ?? 0);
  opts.spans.forEach((s, i) => {
    requireObject(action, `spans[${i}]`, s);
    for (const key of ["row", "kind"] as const) {
      if (typeof s[key] !== "string") throw typeError(action, `spans[${i}].${key}`, "a string", s[key]);
    }
    for (const key of ["start", "end"] as const) {
      if (!(s[key] instanceof Date) || Number.isNaN(s[key].getTime())) {
        throw typeError(action, `spans[${i}].${key}`, "a valid Date", s[key]);
      }
    }
    if (!(s.start instanceof Date) || !(s.end instanceof Date) || !(s.end.getTime() >= s.start.getTime())) {
      throw rangeError(action, `spans[${i}]`, "an interval with end ≥ start", `${s.start} to ${s.end}`);
    }
  });
  const kinds = [...new Set(opts.spans.map((s) => s.kind))];
  const rows = [...new Set(opts.spans.map((s) => s.row))];
  const color = colorFor(kinds, opts.colors);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const width = opts.width ?? THEME.width;
  const svg = plotPanel({
    width,
    height: opts.height ?? Math.max(THEME.panelHeight, 18 * rows.length + 60),
    marginBottom: 36,
    marginLeft: 90,
    x: { type: "utc", label: null, grid: true },
    y: { domain: rows, label: opts.yLabel, padding: 0.25 },
    marks: [
      Plot.barX(opts.spans, {
        x1: "start",
        x2: "end",
        y: "row",
        fill: (s: TimelineSpan) => color(s.kind),
        title: (s: TimelineSpan) => `${s.row} · ${s.kind}: ${day(s.start)} to ${day(s.end)}`,
      }),
      ...(opts.marks ?? []),
    ],
  });
  return singlePanelChart(opts, svg, width, kinds.map((k) => ({ label: k, color: color(k), shape: "rect" as const })));
}
