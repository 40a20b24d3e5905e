/**
 * The house style of creditlab charts: one size, one font, one palette for strategies and one for ratings, and
 * the number formats of axes and tables. Every chart of `lib/charts` uses it, so charts look alike across
 * notebooks and reports.
 * @module
 */
import { requireInteger, typeError } from "../core/check.ts";

/** Sizes, fonts and colours of every chart. */
export const THEME = {
  /** Width of a chart in px. */ width: 760,
  /** Height of one plotting panel in px. */ panelHeight: 300,
  /** Left margin of panels (room for y tick labels; equal in stacked panels so their x axes align). */
  marginLeft: 64,
  marginRight: 24,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontSize: 12,
  titleSize: 16,
  subtitleSize: 12.5,
  captionSize: 10.5,
  /** Text colour (charts carry their own white background, so they read the same in dark editors). */
  ink: "#1f2328",
  muted: "#59636e",
  background: "#ffffff",
  /** Fill of highlighted periods (crises). */ highlight: "#e9ebef",
} as const;

/**
 * Categorical colours for strategies and series (Observable's 10-colour scheme): distinct, colour-blind aware,
 * in a fixed order so that "strategy 1" has the same colour in every chart.
 */
export const STRATEGY_COLORS: readonly string[] = [
  "#4269d0",
  "#efb118",
  "#ff725c",
  "#6cc5b0",
  "#3ca951",
  "#ff8ab7",
  "#a463f2",
  "#97bbf5",
  "#9c6b4e",
  "#9498a0",
];

/** Colours of the letter-rating buckets, from safest (deep green) to default (black). */
export const RATING_COLORS: Readonly<Record<string, string>> = {
  AAA: "#005a32",
  AA: "#238443",
  A: "#78c679",
  BBB: "#d9c84a",
  BB: "#fd8d3c",
  B: "#e6550d",
  "CCC/C": "#a50f15",
  CCC: "#a50f15",
  CC: "#7f0000",
  C: "#67000d",
  D: "#111111",
  NR: "#9498a0",
};

const RAMP = ["#005a32", "#238443", "#78c679", "#d9c84a", "#fd8d3c", "#e6550d", "#a50f15", "#67000d"];

/**
 * Colours for an ordered list of rating labels (letters or notches such as `AA+`, best first; `D` last is
 * black): notches are spread evenly along the green → yellow → red ramp of {@linkcode RATING_COLORS}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ratingColors } from "./style.ts";
 *
 * const colors = ratingColors(["AAA", "AA+", "AA", "D"]);
 * assert.equal(colors[0], "#005a32");
 * assert.equal(colors[3], "#111111");
 * ```
 */
export function ratingColors(labels: readonly string[]): string[] {
  if (!Array.isArray(labels)) throw typeError("pick rating colours", "labels", "an array of rating labels", labels);
  labels.forEach((l, i) => {
    if (typeof l !== "string") throw typeError("pick rating colours", `labels[${i}]`, "a rating label (string)", l);
  });
  const rated = labels.filter((l) => l !== "D" && l !== "NR");
  return labels.map((label) => {
    if (label === "D" || label === "NR") return RATING_COLORS[label];
    const i = rated.indexOf(label);
    return rampColor(rated.length === 1 ? 0 : i / (rated.length - 1));
  });
}

function rampColor(u: number): string {
  const x = Math.min(Math.max(u, 0), 1) * (RAMP.length - 1);
  const i = Math.min(Math.floor(x), RAMP.length - 2);
  const f = x - i;
  const a = hex(RAMP[i]), b = hex(RAMP[i + 1]);
  return `#${a.map((c, k) => Math.round(c + f * (b[k] - c)).toString(16).padStart(2, "0")).join("")}`;
}

function hex(color: string): number[] {
  return [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
}

/**
 * Checks the arguments of the number formats: a number (null or undefined print as "—") and a count of decimals, an
 * integer in [0, 20].
 */
function checkFormat(action: string, value: unknown, decimals: unknown): void {
  if (value !== null && value !== undefined && typeof value !== "number") {
    throw typeError(action, "value", "a number, null or undefined", value);
  }
  requireInteger(action, "decimals", decimals, { min: 0, max: 20 });
}

/**
 * Formats a number with a fixed number of decimals and a thin thousands separator (tables, tooltips); null and
 * undefined print as "—", NaN and ±Infinity as themselves.
 *
 * @param decimals An integer in [0, 20] (default 2).
 * @throws {TypeError} If the value is not a number (or null or undefined). @throws {RangeError} If `decimals` is not
 *   an integer in [0, 20].
 */
export function formatNumber(value: number | null | undefined, decimals = 2): string {
  checkFormat("format number", value, decimals);
  if (value === null || value === undefined) return "—";
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Formats a decimal as a percentage (`0.0123` → `1.23%`). @throws As {@linkcode formatNumber}. */
export function formatPercent(value: number | null | undefined, decimals = 2): string {
  checkFormat("format percent", value, decimals);
  if (value === null || value === undefined) return "—";
  return `${formatNumber(value * 100, decimals)}%`;
}

/** Formats a decimal as basis points (`0.0123` → `123 bp`). @throws As {@linkcode formatNumber}. */
export function formatBp(value: number | null | undefined, decimals = 0): string {
  checkFormat("format basis points", value, decimals);
  if (value === null || value === undefined) return "—";
  return `${formatNumber(value * 1e4, decimals)} bp`;
}
