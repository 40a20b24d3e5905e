/**
 * Tear-sheet staples for any strategy's returns, on plain arrays (the statistics come from `backtest/tearsheet.ts`):
 * a monthly-returns heatmap ({@linkcode monthlyReturnsHeatmap}), the rolling Sharpe ratio over the rolling
 * volatility ({@linkcode rollingSharpeChart}), calendar-year returns ({@linkcode yearlyReturnsChart}) and the worst
 * drawdowns as a table ({@linkcode worstDrawdownsTable}). Every chart carries its values on hover through Plot's
 * `title` channel (an SVG `<title>` per cell, bar or time band), so a reader of the static SVG reads a point
 * without a script.
 * @module
 */
import * as Plot from "@observablehq/plot";
import {
  rangeError,
  Received,
  requireInteger,
  requireKnownKeys,
  requireLength,
  requirementError,
  requireObject,
  typeError,
} from "../core/check.ts";
import type { Chart } from "./frame.ts";
import {
  type ChartOptions,
  checkBase,
  checkFields,
  dateExtent,
  type Highlight,
  requireHighlights,
  requireSeriesRecord,
} from "./common.ts";
import { heatmapChart } from "./heatmap.ts";
import { barChart } from "./bar.ts";
import { stackedTimeSeriesChart } from "./time_series.ts";
import { type Table, table } from "./table.ts";
import { formatNumber, formatPercent } from "./style.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Options of {@linkcode monthlyReturnsHeatmap}: the `MonthlyReturns` of `backtest/tearsheet.ts` plus labels. */
export interface MonthlyReturnsHeatmapOptions extends ChartOptions {
  /** Calendar years, top to bottom. */ readonly years: readonly number[];
  /** values[y][m]: return of month m (0 = January) of years[y], decimal; null for a month without data. */
  readonly values: readonly (readonly (number | null)[])[];
  /** Decimals printed in each cell, in % (default 1; false for none). */ readonly cellText?: number | false;
  /** Colour domain in % (default symmetric about 0 over the data). */ readonly domain?: readonly [number, number];
}

/**
 * Calendar-month returns as a years × months heatmap on a diverging red–green scale centred on 0, each cell
 * printed in % and titled with its value on hover.
 *
 * @throws {TypeError} If the title is empty. @throws {RangeError} If `values` does not have one row of 12 per year,
 * a value is not finite or null, or no value is given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { monthlyReturnsHeatmap } from "./tearsheet.ts";
 *
 * const row = [0.01, -0.02, null, null, null, null, null, null, null, null, null, null];
 * const chart = monthlyReturnsHeatmap({ title: "Monthly returns", years: [2024], values: [row] });
 * assert.ok(chart.outerHTML.includes("<title>2024 Feb: −2.0 %</title>"));
 * ```
 */
export function monthlyReturnsHeatmap(opts: MonthlyReturnsHeatmapOptions): Chart {
  const action = "draw monthly returns heatmap";
  checkBase(action, opts, ["years", "values", "cellText", "domain"]);
  requireYears(action, opts.years);
  if (opts.cellText !== undefined && opts.cellText !== false) {
    requireInteger(action, "cellText", opts.cellText, { min: 0, max: 6 });
  }
  if (!Array.isArray(opts.values)) throw typeError(action, "values", "an array of rows of 12 months", opts.values);
  requireLength(action, "values", opts.values, { length: opts.years.length, unit: "rows", like: "years" });
  opts.values.forEach((row, i) => {
    if (!Array.isArray(row)) throw typeError(action, `values[${i}]`, "an array of 12 numbers or nulls", row);
    requireLength(action, `values[${i}]`, row, { length: 12, like: "the months of a year" });
    row.forEach((v, j) => {
      if (v !== null && !Number.isFinite(v)) throw rangeError(action, `values[${i}][${j}]`, "finite or null", v);
    });
  });
  const rows = opts.years.map(String);
  const decimals = opts.cellText === false ? 1 : opts.cellText ?? 1;
  const hover = rows.flatMap((row, i) =>
    MONTHS.map((column, j) => {
      const v = opts.values[i][j];
      return { row, column, title: `${row} ${column}: ${v === null ? "no data" : signedPercent(v, decimals)}` };
    })
  );
  return heatmapChart({
    title: opts.title,
    subtitle: opts.subtitle,
    caption: opts.caption,
    width: opts.width,
    height: opts.height ?? Math.max(120, 24 * rows.length),
    rows,
    columns: [...MONTHS],
    values: opts.values,
    xLabel: "Month",
    yLabel: "Year",
    colorLabel: "Monthly return (%)",
    scale: 100,
    scheme: "rdylgn",
    cellText: opts.cellText ?? 1,
    ...(opts.domain ? { domain: opts.domain } : {}),
    marks: [
      Plot.cell(hover, { x: "column", y: "row", fill: "currentColor", fillOpacity: 0, title: "title" }),
      ...(opts.marks ?? []),
    ],
  });
}

/** Options of {@linkcode rollingSharpeChart}. */
export interface RollingSharpeChartOptions extends ChartOptions {
  /** Dates of the observations (UTC midnight). */ readonly dates: readonly Date[];
  /** Rolling annualised Sharpe ratio per strategy label, aligned with dates; NaN where undefined. */
  readonly sharpe: Readonly<Record<string, ArrayLike<number>>>;
  /** Rolling annualised volatility (decimal) per strategy label, aligned with dates; NaN before a full window. */
  readonly volatility: Readonly<Record<string, ArrayLike<number>>>;
  /** Series drawn dashed (e.g. a benchmark). */ readonly dashed?: readonly string[];
  readonly colors?: Readonly<Record<string, string>>;
  readonly highlights?: readonly Highlight[];
  /** Hover bands along the time axis, each titled with the values at its first date (default 160). */
  readonly hoverBands?: number;
}

/**
 * The rolling Sharpe ratio (top panel, with a zero line) over the rolling volatility (bottom, % a year) on one
 * time axis; hovering a time band shows the date and every series' value there.
 *
 * @throws {TypeError} If the title is empty. @throws {RangeError} If a series differs in length from `dates`, the
 * strategies of the two panels differ, or a value is ±Infinity.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rollingSharpeChart } from "./tearsheet.ts";
 *
 * const dates = [1, 2, 3].map((d) => new Date(Date.UTC(2024, 0, d)));
 * const chart = rollingSharpeChart({
 *   title: "Rolling Sharpe", dates, sharpe: { Book: [NaN, 0.5, 0.7] }, volatility: { Book: [NaN, 0.1, 0.12] },
 * });
 * assert.ok(chart.outerHTML.includes("Book: Sharpe 0.70, volatility 12.0 %"));
 * ```
 */
export function rollingSharpeChart(opts: RollingSharpeChartOptions): Chart {
  const action = "draw rolling Sharpe chart";
  checkBase(action, opts, ["dates", "sharpe", "volatility", "dashed", "colors", "highlights", "hoverBands"]);
  checkFields(action, opts, { labels: ["dashed"], colors: ["colors"] });
  requireHighlights(action, "highlights", opts.highlights);
  dateExtent(action, opts.dates);
  const like = { length: opts.dates.length, like: "dates" };
  requireSeriesRecord(action, "sharpe", opts.sharpe, like, { gaps: true, nulls: false });
  requireSeriesRecord(action, "volatility", opts.volatility, like, { gaps: true, nulls: false });
  const labels = Object.keys(opts.sharpe ?? {});
  if (labels.length === 0) throw requirementError(action, "sharpe", "hold at least one series", 0);
  const volLabels = Object.keys(opts.volatility ?? {});
  if (volLabels.join("\n") !== labels.join("\n")) {
    throw rangeError(
      action,
      "volatility",
      `the series of sharpe (${labels.join(", ")})`,
      new Received(volLabels.join(", ")),
    );
  }
  for (const [name, group] of [["sharpe", opts.sharpe], ["volatility", opts.volatility]] as const) {
    for (const label of labels) {
      const values = group[label], key = `${name} ${JSON.stringify(label)}`;
      requireLength(action, key, values, { length: opts.dates.length, like: "dates" });
      for (let t = 0; t < values.length; t++) {
        if (!(Number.isFinite(values[t]) || Number.isNaN(values[t]))) {
          throw rangeError(action, `${key}[${t}]`, "finite or NaN", values[t]);
        }
      }
    }
  }
  const count = requireInteger(action, "hoverBands", opts.hoverBands ?? 160, { min: 1 });
  const n = opts.dates.length, step = Math.max(1, Math.ceil(n / count));
  const bands: { x1: Date; x2: Date; title: string }[] = [];
  for (let i = 0; i < n; i += step) {
    const lines = labels.map((label) => {
      const s = opts.sharpe[label][i], v = opts.volatility[label][i];
      return `${label}: Sharpe ${Number.isNaN(s) ? "n/a" : formatNumber(s, 2)}, volatility ${
        Number.isNaN(v) ? "n/a" : `${formatNumber(v * 100, 1)} %`
      }`;
    });
    bands.push({
      x1: opts.dates[i],
      x2: opts.dates[Math.min(n - 1, i + step)],
      title: `${isoDay(opts.dates[i])}\n${lines.join("\n")}`,
    });
  }
  const hover = Plot.rect(bands, { x1: "x1", x2: "x2", fill: "currentColor", fillOpacity: 0, title: "title" });
  const panelHeight = Math.round((opts.height ?? 360) / 2);
  return stackedTimeSeriesChart({
    title: opts.title,
    subtitle: opts.subtitle,
    caption: opts.caption,
    width: opts.width,
    dates: opts.dates,
    highlights: opts.highlights,
    panels: [
      {
        series: opts.sharpe,
        yLabel: "Rolling Sharpe ratio (annualised)",
        zeroLine: true,
        dashed: opts.dashed,
        colors: opts.colors,
        height: panelHeight,
        marks: [...(opts.marks ?? []), hover],
      },
      {
        series: opts.volatility,
        yLabel: "Rolling volatility (% a year)",
        scale: 100,
        dashed: opts.dashed,
        colors: opts.colors,
        height: panelHeight,
        marks: [...(opts.marks ?? []), hover],
      },
    ],
  });
}

/** Options of {@linkcode yearlyReturnsChart}. */
export interface YearlyReturnsChartOptions extends ChartOptions {
  /** Calendar years, left to right. */ readonly years: readonly number[];
  /** Return of each year per strategy label (decimal), aligned with years; several give grouped bars. */
  readonly series: Readonly<Record<string, ArrayLike<number>>>;
  readonly colors?: Readonly<Record<string, string>>;
  /** Decimals of the % in the hover titles (default 1). */ readonly decimals?: number;
}

/**
 * Calendar-year returns as bars, one per year, grouped when several strategies are given; each bar titled with its
 * value on hover.
 *
 * @throws {TypeError} If the title is empty. @throws {RangeError} If a series differs in length from `years` or a
 * value is not finite.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { yearlyReturnsChart } from "./tearsheet.ts";
 *
 * const chart = yearlyReturnsChart({ title: "Years", years: [2023, 2024], series: { Book: [0.05, -0.021] } });
 * assert.ok(chart.outerHTML.includes("<title>2024: −2.1 %</title>"));
 * ```
 */
export function yearlyReturnsChart(opts: YearlyReturnsChartOptions): Chart {
  const action = "draw yearly returns chart";
  checkBase(action, opts, ["years", "series", "colors", "decimals"]);
  checkFields(action, opts, { colors: ["colors"] });
  requireYears(action, opts.years);
  requireSeriesRecord(action, "series", opts.series, { length: opts.years.length, like: "years" });
  const labels = Object.keys(opts.series ?? {});
  if (labels.length === 0) throw requirementError(action, "series", "hold at least one series", 0);
  const decimals = requireInteger(action, "decimals", opts.decimals ?? 1, { min: 0, max: 6 });
  const categories = opts.years.map(String), grouped = labels.length > 1;
  const hover = labels.flatMap((label) => {
    const values = opts.series[label];
    requireLength(action, `series ${JSON.stringify(label)}`, values, { length: categories.length, like: "years" });
    return categories.map((category, i) => ({
      category,
      series: label,
      value: values[i] * 100,
      title: `${category}${grouped ? ` · ${label}` : ""}: ${signedPercent(values[i], decimals)}`,
    }));
  });
  return barChart({
    title: opts.title,
    subtitle: opts.subtitle,
    caption: opts.caption,
    width: opts.width,
    height: opts.height,
    categories,
    series: opts.series,
    colors: opts.colors,
    xLabel: "Year",
    yLabel: "Return (%)",
    scale: 100,
    marks: [
      Plot.barY(hover, {
        ...(grouped ? { fx: "category", x: "series" } : { x: "category" }),
        y: "value",
        fill: "currentColor",
        fillOpacity: 0,
        title: "title",
      }),
      ...(opts.marks ?? []),
    ],
  });
}

/** A drawdown episode as {@linkcode worstDrawdownsTable} reads it (the `DrawdownEpisode` of `backtest/tearsheet.ts`). */
export interface DrawdownRow {
  readonly start: Date;
  readonly trough: Date;
  readonly recovery: Date | null;
  /** Trough over peak, minus 1 (< 0). */ readonly depth: number;
  /** Periods from the peak to the trough. */ readonly toTrough: number;
  /** Periods from the trough to the recovery; null if not recovered. */ readonly toRecovery: number | null;
  /** Periods from the peak to the recovery, or to the last date if not recovered. */ readonly length: number;
}

/**
 * The worst drawdown episodes as a table: rank, start (first date under water), trough, recovery ("not
 * recovered" if none), depth in %, and the lengths in periods (trading days for daily returns).
 *
 * @param episodes Episodes, deepest first, e.g. from `worstDrawdowns`.
 * @param opts `caption` above the table; `unit`, the name of a period in the headers (default "days"); `decimals`
 * of the depth in % (default 1).
 * @throws {TypeError} If `episodes` is not an array or a date is invalid. @throws {RangeError} If a depth is not a
 * finite number < 0 or a length is not a non-negative integer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { worstDrawdownsTable } from "./tearsheet.ts";
 *
 * const day = (d: number) => new Date(Date.UTC(2024, 0, d));
 * const t = worstDrawdownsTable([{ start: day(2), trough: day(3), recovery: null, depth: -0.12, toTrough: 2, toRecovery: null, length: 4 }]);
 * assert.ok(t.html.includes("−12.0 %") && t.html.includes("not recovered"));
 * ```
 */
export function worstDrawdownsTable(
  episodes: readonly DrawdownRow[],
  opts: { readonly caption?: string; readonly unit?: string; readonly decimals?: number } = {},
): Table {
  const action = "draw worst drawdowns table";
  requireKnownKeys(action, "opts", opts, ["caption", "unit", "decimals"]);
  const decimals = requireInteger(action, "opts.decimals", opts.decimals ?? 1, { min: 0, max: 6 });
  if (!Array.isArray(episodes)) throw typeError(action, "episodes", "an array of drawdown episodes", episodes);
  for (const key of ["caption", "unit"] as const) {
    if (opts[key] !== undefined && typeof opts[key] !== "string") {
      throw typeError(action, `opts.${key}`, "a string", opts[key]);
    }
  }
  const unit = opts.unit ?? "days";
  episodes.forEach((e, k) => {
    requireObject(action, `episodes[${k}]`, e);
    for (const key of ["start", "trough"] as const) {
      if (!(e[key] instanceof Date) || Number.isNaN(e[key].getTime())) {
        throw typeError(action, `episodes[${k}].${key}`, "a valid Date", e[key]);
      }
    }
    if (e.recovery !== null && (!(e.recovery instanceof Date) || Number.isNaN(e.recovery.getTime()))) {
      throw typeError(action, `episodes[${k}].recovery`, "a valid Date or null", e.recovery);
    }
    if (!(Number.isFinite(e.depth) && e.depth < 0)) {
      throw rangeError(action, `episodes[${k}].depth`, "a finite number < 0", e.depth);
    }
    requireInteger(action, `episodes[${k}].toTrough`, e.toTrough, { min: 1 });
    requireInteger(action, `episodes[${k}].length`, e.length, { min: 1 });
    if (e.toRecovery !== null) requireInteger(action, `episodes[${k}].toRecovery`, e.toRecovery, { min: 1 });
  });
  return table(
    episodes.map((e, k) => ({
      rank: k + 1,
      start: isoDay(e.start),
      trough: isoDay(e.trough),
      recovery: e.recovery === null ? "not recovered" : isoDay(e.recovery),
      depth: signedPercent(e.depth, decimals),
      [`peak to trough (${unit})`]: e.toTrough,
      [`trough to recovery (${unit})`]: e.toRecovery,
      [`length (${unit})`]: e.length,
    })),
    { caption: opts.caption ?? "Worst drawdowns, deepest first", maxRows: Math.max(25, episodes.length) },
  );
}

/** Requires calendar years: an array of integers (a year each, in order of display). */
function requireYears(action: string, years: unknown): readonly number[] {
  if (!Array.isArray(years)) throw typeError(action, "years", "an array of years", years);
  years.forEach((y, i) => requireInteger(action, `years[${i}]`, y, { min: 1, max: 9999 }));
  return years as number[];
}

/** A decimal as a signed percentage with a true minus sign: −0.021 → "−2.1 %". */
function signedPercent(value: number, decimals: number): string {
  const text = formatPercent(Math.abs(value), decimals).replace("%", " %");
  return value < 0 && Number((Math.abs(value) * 100).toFixed(decimals)) !== 0 ? `−${text}` : text;
}
