/**
 * Tables for notebooks and reports: a DataFrame or a list of records rendered as a formatted HTML table (numbers
 * right-aligned with fixed decimals, percentages and basis points labelled, dates as ISO strings, long tables
 * cut with a visible note). The result displays as `text/html` — which JupyterLab, VS Code, GitHub and the HTML
 * reports all render — with a plain-text fallback.
 * @module
 */
import type pl from "nodejs-polars";
import { rangeError, requireCount, requireObject, requireOptions, typeError } from "../core/check.ts";
import { formatBp, formatNumber, formatPercent, THEME } from "./style.ts";

const DISPLAY = Symbol.for("Jupyter.display");

/** How to format a column: a named format or a function. `"number:3"`, `"percent:1"`, `"bp:1"` fix the decimals. */
export type ColumnFormat =
  | "percent"
  | "bp"
  | "integer"
  | "text"
  | `number:${number}`
  | `percent:${number}`
  | `bp:${number}`
  | ((value: unknown) => string);

/** Options of {@linkcode table}. */
export interface TableOptions {
  /** Caption above the table. */ readonly caption?: string;
  /** Formats by column name; numbers default to 4 significant digits (thousands separators above 1,000). */
  readonly formats?: Readonly<Record<string, ColumnFormat>>;
  /** Rows shown before the table is cut (default 25; a note says how many are hidden). */
  readonly maxRows?: number;
  /** Columns to show, in order (default all). */ readonly columns?: readonly string[];
}

/** A rendered table: `html` for reports, displayed inline by Jupyter. */
export interface Table {
  readonly html: string;
  readonly text: string;
  readonly rows: number;
}

function defaultNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString("en-US");
  const a = Math.abs(v);
  if (a >= 1000) return formatNumber(v, 0);
  if (a >= 1e-3 || a === 0) return Number(v.toPrecision(4)).toString();
  return v.toExponential(2);
}

function render(value: unknown, format: ColumnFormat | undefined): string {
  if (value === null || value === undefined) return "—";
  if (typeof format === "function") return format(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "number") {
    if (format === "percent") return formatPercent(value, 2);
    if (format === "bp") return formatBp(value, 0);
    if (format === "integer") return formatNumber(value, 0);
    if (format?.startsWith("number:")) return formatNumber(value, Number(format.slice(7)));
    if (format?.startsWith("percent:")) return formatPercent(value, Number(format.slice(8)));
    if (format?.startsWith("bp:")) return formatBp(value, Number(format.slice(3)));
    return defaultNumber(value);
  }
  if (typeof value === "bigint") return value.toLocaleString("en-US");
  return String(value);
}

const escape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Checks a column format: a function, a named format, or `number:d`, `percent:d`, `bp:d` with d in [0, 20]. */
function checkFormat(action: string, name: string, format: unknown): void {
  if (typeof format === "function") return;
  if (typeof format !== "string") {
    throw typeError(action, name, 'a format ("percent", "bp", "integer", "text", "number:2", …) or a function', format);
  }
  if (["percent", "bp", "integer", "text"].includes(format)) return;
  const m = /^(number|percent|bp):(\d+)$/.exec(format);
  if (!m || Number(m[2]) > 20) {
    throw rangeError(
      action,
      name,
      '"percent", "bp", "integer", "text" or "number:d", "percent:d", "bp:d" with d in [0, 20]',
      format,
    );
  }
}

/**
 * Renders a table.
 *
 * @param data A nodejs-polars DataFrame or an array of plain records.
 * @param opts `caption` (a string); `formats` by column; `maxRows`, an integer ≥ 0 (default 25); `columns`, the
 * column names to show.
 * @throws {TypeError} If `data` is not a DataFrame or an array of records, or on an unknown option or a wrong type.
 * @throws {RangeError} If a format is not one of the {@linkcode ColumnFormat}s.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table } from "./table.ts";
 *
 * const t = table([{ name: "IG", oas: 0.0123 }], { formats: { oas: "bp" } });
 * assert.ok(t.html.includes("123 bp"));
 * ```
 */
export function table(data: pl.DataFrame | readonly Record<string, unknown>[], options?: TableOptions): Table {
  const action = "draw table";
  const opts = requireOptions<TableOptions>(action, "opts", options, ["caption", "formats", "maxRows", "columns"]);
  if (opts.caption !== undefined && typeof opts.caption !== "string") {
    throw typeError(action, "caption", "a string", opts.caption);
  }
  if (opts.maxRows !== undefined) requireCount(action, "maxRows", opts.maxRows);
  if (opts.columns !== undefined) {
    if (!Array.isArray(opts.columns)) throw typeError(action, "columns", "an array of column names", opts.columns);
    opts.columns.forEach((c, i) => {
      if (typeof c !== "string") throw typeError(action, `columns[${i}]`, "a column name (string)", c);
    });
  }
  if (opts.formats !== undefined) {
    for (const [column, format] of Object.entries(requireObject(action, "formats", opts.formats))) {
      checkFormat(action, `formats[${JSON.stringify(column)}]`, format);
    }
  }
  if (Array.isArray(data)) data.forEach((r, i) => requireObject(action, `data[${i}]`, r));
  else if (
    data === null || typeof data !== "object" || typeof (data as pl.DataFrame).toRecords !== "function" ||
    !Array.isArray((data as pl.DataFrame).columns)
  ) {
    throw typeError(action, "data", "a DataFrame or an array of records", data);
  }
  const records: Record<string, unknown>[] = Array.isArray(data)
    ? [...data]
    : (data as pl.DataFrame).toRecords() as Record<string, unknown>[];
  const columns = opts.columns ??
    (Array.isArray(data) ? [...new Set(records.flatMap((r) => Object.keys(r)))] : (data as pl.DataFrame).columns);
  const maxRows = opts.maxRows ?? 25;
  const shown = records.slice(0, maxRows);
  const cells = shown.map((r) => columns.map((c) => render(r[c], opts.formats?.[c])));
  const numeric = columns.map((c) => shown.some((r) => typeof r[c] === "number" || typeof r[c] === "bigint"));
  const style =
    `border-collapse:collapse;font-family:${THEME.fontFamily};font-size:12.5px;color:${THEME.ink};background:${THEME.background}`;
  const th = (c: string, i: number) =>
    `<th style="padding:4px 10px;border-bottom:1.5px solid ${THEME.ink};text-align:${numeric[i] ? "right" : "left"}">${
      escape(c)
    }</th>`;
  const td = (v: string, i: number) =>
    `<td style="padding:3px 10px;border-bottom:1px solid #e3e6ea;text-align:${numeric[i] ? "right" : "left"};${
      numeric[i] ? "font-variant-numeric:tabular-nums" : ""
    }">${escape(v)}</td>`;
  const hidden = records.length - shown.length;
  const html = [
    `<table style="${style}">`,
    opts.caption
      ? `<caption style="caption-side:top;text-align:left;font-weight:600;padding:4px 0">${
        escape(opts.caption)
      }</caption>`
      : "",
    `<thead><tr>${columns.map(th).join("")}</tr></thead>`,
    `<tbody>${cells.map((row) => `<tr>${row.map(td).join("")}</tr>`).join("")}</tbody>`,
    `</table>`,
    hidden > 0
      ? `<div style="font-size:11px;color:${THEME.muted}">… ${hidden} more rows (${records.length} in all)</div>`
      : "",
  ].join("");
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (row: string[]) =>
    row.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join("  ");
  const text = [
    ...(opts.caption ? [opts.caption] : []),
    line(columns.map(String)),
    ...cells.map(line),
    ...(hidden > 0 ? [`… ${hidden} more rows (${records.length} in all)`] : []),
  ].join("\n");
  const result = { html, text, rows: records.length };
  Object.defineProperty(result, DISPLAY, { value: () => ({ "text/html": html, "text/plain": text }) });
  return result;
}

/**
 * A block of Markdown displayed as a cell output (e.g. the data-source line at the top of a notebook).
 */
export function markdown(text: string): { readonly text: string } {
  if (typeof text !== "string") throw typeError("show markdown", "text", "a string", text);
  const result = { text };
  Object.defineProperty(result, DISPLAY, { value: () => ({ "text/markdown": text, "text/plain": text }) });
  return result;
}
