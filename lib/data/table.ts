/**
 * Strict reading of market-data CSV files into typed nodejs-polars DataFrames.
 *
 * A file is accepted only if it matches its {@linkcode TableSpec} exactly: the header names every column in order,
 * every line has as many fields as the header, dates are ISO `YYYY-MM-DD` calendar dates, numbers are finite, the
 * key columns are sorted and unique, and required columns have no gaps. Anything else throws an error that names
 * the file, the line (1-based, the header is line 1) and the column — nothing is coerced, dropped or guessed.
 * Missing values (empty fields) become null, never 0 or NaN.
 * @module
 */
import pl from "nodejs-polars";
import type { ColumnSpec, TableSpec } from "./schema.ts";
import {
  describeValue,
  rangeError,
  requireKnownKeys,
  requireObject,
  requireOneOf,
  requireString,
  typeError,
} from "../core/check.ts";
import { requireColumns, requireDataFrame } from "./columns.ts";

/** Error raised for a missing or malformed market-data file. */
export class MarketDataError extends Error {
  override name = "MarketDataError";
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const SPEC_KEYS = ["file", "title", "columns", "key", "unsortedKey"] as const;
const COLUMN_KEYS = ["name", "type", "percent", "required", "description", "sign"] as const;
const COLUMN_TYPES = ["date", "number", "integer", "string"] as const;
const SIGNS = ["positive", "nonNegative"] as const;

/**
 * Requires a {@linkcode TableSpec}: a known-keyed object with a file name, a title, at least one column (each with a
 * unique non-empty name, a known type, a description and optional boolean flags and sign rule) and key columns that
 * name columns of the spec, without repeats.
 *
 * @throws {TypeError} If a field is missing, unknown or of the wrong type.
 * @throws {RangeError} If a column name repeats, a type or sign is unknown, or a key names no column.
 */
export function requireTableSpec(action: string, name: string, spec: unknown): TableSpec {
  requireObject(action, name, spec);
  requireKnownKeys(action, name, spec, SPEC_KEYS);
  const s = spec as Record<string, unknown>;
  requireString(action, `${name}.file`, s.file);
  if (typeof s.title !== "string") throw typeError(action, `${name}.title`, "a string", s.title);
  if (!Array.isArray(s.columns)) throw typeError(action, `${name}.columns`, "an array of column specs", s.columns);
  if (s.columns.length === 0) throw rangeError(action, `${name}.columns`, "a non-empty array", s.columns);
  const names = new Set<string>();
  s.columns.forEach((column: unknown, i: number) => {
    const where = `${name}.columns[${i}]`;
    requireObject(action, where, column);
    requireKnownKeys(action, where, column, COLUMN_KEYS);
    const c = column as Record<string, unknown>;
    const columnName = requireString(action, `${where}.name`, c.name);
    if (names.has(columnName)) throw rangeError(action, `${where}.name`, "unique among the columns", columnName);
    names.add(columnName);
    requireOneOf(action, `${where}.type`, c.type, COLUMN_TYPES);
    if (typeof c.description !== "string") throw typeError(action, `${where}.description`, "a string", c.description);
    for (const flag of ["percent", "required"] as const) {
      if (c[flag] !== undefined && typeof c[flag] !== "boolean") {
        throw typeError(action, `${where}.${flag}`, "true, false or absent", c[flag]);
      }
    }
    if (c.sign !== undefined) requireOneOf(action, `${where}.sign`, c.sign, SIGNS);
  });
  if (!Array.isArray(s.key)) throw typeError(action, `${name}.key`, "an array of column names", s.key);
  const keys = new Set<string>();
  s.key.forEach((k: unknown, i: number) => {
    if (typeof k !== "string") throw typeError(action, `${name}.key[${i}]`, "a column name", k);
    if (!names.has(k)) throw rangeError(action, `${name}.key[${i}]`, `a column of ${name}.columns`, k);
    if (keys.has(k)) throw rangeError(action, `${name}.key[${i}]`, "a column not already in the key", k);
    keys.add(k);
  });
  if (s.unsortedKey !== undefined && typeof s.unsortedKey !== "boolean") {
    throw typeError(action, `${name}.unsortedKey`, "true, false or absent", s.unsortedKey);
  }
  return spec as TableSpec;
}

/**
 * Reads and validates one CSV file against its schema.
 *
 * @param path File path.
 * @param spec Schema of the file.
 * @returns A DataFrame with a `pl.Date` column per date field, `pl.Float64` numbers, `pl.Int64` integers and
 *   `pl.Utf8` strings, in the file's published units (percent stays percent: see {@linkcode toDecimalUnits}).
 * @throws {TypeError} If `path` is not a non-empty string or `spec` is not a table spec.
 * @throws {MarketDataError} If the file is missing, unreadable or breaks any rule of the module description.
 */
export function readTable(path: string, spec: TableSpec): pl.DataFrame {
  requireString("read table", "path", path);
  requireTableSpec("read table", "spec", spec);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new MarketDataError(`Cannot load ${spec.file}: the file must exist, received no file at ${path}`);
    }
    throw new MarketDataError(
      `Cannot load ${spec.file}: the file at ${path} must be readable text, received ${(error as Error).message}`,
    );
  }
  return parseTable(text, spec, path);
}

/**
 * Parses CSV text against a schema; `source` (default `spec.file`) names the file in error messages. See
 * {@linkcode readTable}.
 *
 * @throws {TypeError} If `text` or `source` is not a string, or `spec` is not a table spec.
 * @throws {MarketDataError} If the text breaks any rule of the module description.
 */
export function parseTable(text: string, spec: TableSpec, source?: string): pl.DataFrame {
  if (typeof text !== "string") throw typeError("parse table", "text", "a string (CSV text)", text);
  requireTableSpec("parse table", "spec", spec);
  source = source === undefined ? spec.file : requireString("parse table", "source", source);
  const fail = (where: string, rule: string, received: string) =>
    new MarketDataError(`Cannot load ${source}: ${where} must be ${rule}, received ${received}`);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  // Blank lines at the end of the file are harmless (an editor's final newlines); blank lines inside are errors.
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw fail("line 1", "a header row", "an empty file");

  const expected = spec.columns.map((c) => c.name);
  const header = splitFields(lines[0]);
  for (let j = 0; j < Math.max(header.length, expected.length); j++) {
    if (header[j] !== expected[j]) {
      throw fail(
        `line 1, column ${j + 1}`,
        expected[j] === undefined ? "absent (the header has extra columns)" : `"${expected[j]}"`,
        header[j] === undefined ? "no column" : JSON.stringify(header[j]),
      );
    }
  }
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === "") throw fail(`line ${i + 1}`, "a data row", "an empty line");
    const n = countFields(lines[i]);
    if (n !== expected.length) throw fail(`line ${i + 1}`, `${expected.length} fields like the header`, `${n}`);
  }
  if (lines.length === 1) throw fail("line 2", "a data row (the file holds a header only)", "the end of the file");

  const raw = pl.readCSV(lines.join("\n"), { hasHeader: true, inferSchemaLength: 0, quoteChar: '"' });
  if (raw.height !== lines.length - 1) {
    throw fail("the file", `${lines.length - 1} data rows`, `${raw.height} rows as parsed`);
  }
  const columns = spec.columns.map((col) => convertColumn(raw.getColumn(col.name), col, fail));
  const table = pl.DataFrame(columns);
  checkValues(table, spec, fail);
  checkKey(table, spec, fail);
  return table;
}

/**
 * Divides the columns published in percent by 100, so that 4.98 (%) becomes 0.0498.
 * @throws {TypeError} If `table` is not a DataFrame or `spec` not a table spec.
 * @throws {RangeError} If the table lacks a percent column of the spec.
 */
export function toDecimalUnits(table: pl.DataFrame, spec: TableSpec): pl.DataFrame {
  requireDataFrame("rescale percent columns", "table", table);
  requireTableSpec("rescale percent columns", "spec", spec);
  const percent = spec.columns.filter((c) => c.percent).map((c) => c.name);
  requireColumns("rescale percent columns", "table", table, percent);
  if (percent.length === 0) return table;
  return table.withColumns(...percent.map((name) => pl.col(name).div(100).alias(name)));
}

/**
 * Checks an already typed table (the synthetic stand-in) against the same schema rules as a file: columns and
 * types, finiteness, required values, key order. Returns the table unchanged.
 *
 * @param source Names the table in messages (e.g. its file name).
 * @param action The verb of the messages (default `"load"`: `Cannot load vix.csv: …`).
 * @throws {TypeError} If `table` is not a DataFrame, `spec` not a table spec, or `source` or `action` not a
 *   non-empty string.
 * @throws {MarketDataError} If the table breaks a rule of the schema.
 */
export function validateTable(table: pl.DataFrame, spec: TableSpec, source: string, action = "load"): pl.DataFrame {
  requireDataFrame("validate table", "table", table);
  requireTableSpec("validate table", "spec", spec);
  requireString("validate table", "source", source);
  requireString("validate table", "action", action);
  const fail = (where: string, rule: string, received: string) =>
    new MarketDataError(`Cannot ${action} ${source}: ${where} must be ${rule}, received ${received}`);
  const names = table.columns;
  const expected = spec.columns.map((c) => c.name);
  if (names.join(",") !== expected.join(",")) {
    throw fail("the columns", JSON.stringify(expected), JSON.stringify(names));
  }
  for (const col of spec.columns) {
    const values = table.getColumn(col.name).toArray() as unknown[];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const where = `row ${i}, column ${col.name}`;
      if (v === null || v === undefined) {
        if (col.required) throw fail(where, "present (the column is required)", "an empty field");
        continue;
      }
      if (col.type === "date" && !(v instanceof Date)) throw fail(where, "a date", describeValue(v));
      if (col.type === "string" && (typeof v !== "string" || v === "")) {
        throw fail(where, "a non-empty string", describeValue(v));
      }
      if ((col.type === "number" || col.type === "integer") && !(typeof v === "number" && Number.isFinite(v))) {
        throw fail(where, "a finite number", describeValue(v));
      }
      if (col.type === "integer" && !Number.isInteger(v)) throw fail(where, "an integer", describeValue(v));
    }
  }
  checkKey(table, spec, fail, 0);
  return table;
}

type Fail = (where: string, rule: string, received: string) => MarketDataError;

function convertColumn(series: pl.Series, col: ColumnSpec, fail: Fail): pl.Series {
  const raw = series.toArray() as (string | null)[];
  const where = (i: number) => `line ${i + 2}, column ${col.name}`;
  if (col.required) {
    const i = raw.indexOf(null);
    if (i >= 0) throw fail(where(i), "present (the column is required)", "an empty field");
  }
  let converted: pl.Series;
  let parsed: unknown[];
  switch (col.type) {
    case "string":
      for (let i = 0; i < raw.length; i++) {
        if (raw[i] !== null && raw[i]!.trim() === "") {
          throw fail(where(i), "a non-empty string", JSON.stringify(raw[i]));
        }
      }
      return series.rename(col.name);
    case "date": {
      for (let i = 0; i < raw.length; i++) {
        if (raw[i] !== null && !ISO_DATE.test(raw[i]!)) {
          throw fail(where(i), "an ISO date YYYY-MM-DD", JSON.stringify(raw[i]));
        }
      }
      converted = series.str.strptime(pl.Date, "%Y-%m-%d");
      parsed = converted.toArray();
      for (let i = 0; i < raw.length; i++) {
        if (raw[i] !== null && parsed[i] === null) throw fail(where(i), "a calendar date", JSON.stringify(raw[i]));
      }
      return converted.rename(col.name);
    }
    case "number":
    case "integer": {
      converted = series.cast(pl.Float64, false);
      parsed = converted.toArray();
      for (let i = 0; i < raw.length; i++) {
        if (raw[i] === null) continue;
        const v = parsed[i] as number | null;
        if (v === null) throw fail(where(i), "a number", JSON.stringify(raw[i]));
        if (!Number.isFinite(v)) throw fail(where(i), "a finite number", JSON.stringify(raw[i]));
        if (col.type === "integer" && !Number.isInteger(v)) throw fail(where(i), "an integer", JSON.stringify(raw[i]));
        if (col.type === "integer" && !Number.isSafeInteger(v)) {
          throw fail(where(i), "an integer within ±2^53 (exactly representable)", JSON.stringify(raw[i]));
        }
      }
      return (col.type === "integer" ? converted.cast(pl.Int64) : converted).rename(col.name);
    }
  }
}

/**
 * Impossible values: a sign rule broken (a negative price, volume or VIX), or a bar with its high below its low.
 * (An open or close outside [low, high] is left alone: Cboe's early VIX history has opens outside the session's
 * range, a quirk of how the open was recorded, not a file defect.) Lines are 1-based with the header as line 1.
 */
function checkValues(table: pl.DataFrame, spec: TableSpec, fail: Fail): void {
  const column = (name: string) => table.getColumn(name).toArray() as (number | null)[];
  for (const col of spec.columns) {
    if (!col.sign) continue;
    const values = column(col.name);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null) continue;
      if (col.sign === "positive" ? !(v > 0) : !(v >= 0)) {
        throw fail(`line ${i + 2}, column ${col.name}`, col.sign === "positive" ? "> 0" : "≥ 0", String(v));
      }
    }
  }
  if (!spec.columns.some((c) => c.name === "high") || !spec.columns.some((c) => c.name === "low")) return;
  const high = column("high"), low = column("low");
  for (let i = 0; i < table.height; i++) {
    const h = high[i], l = low[i];
    if (h !== null && l !== null && h < l) throw fail(`line ${i + 2}, column high`, `≥ low (${l})`, String(h));
  }
}

function checkKey(table: pl.DataFrame, spec: TableSpec, fail: Fail, lineOffset = 2): void {
  if (spec.key.length === 0 || table.height === 0) return;
  const keys = spec.key.map((k) => table.getColumn(k).toArray() as unknown[]);
  const label = (i: number) => (lineOffset === 2 ? `line ${i + lineOffset}` : `row ${i}`);
  const render = (i: number) => spec.key.map((_, k) => render1(keys[k][i])).join(", ");
  if (spec.unsortedKey) {
    const seen = new Map<string, number>();
    for (let i = 0; i < table.height; i++) {
      const id = render(i);
      const first = seen.get(id);
      if (first !== undefined) {
        throw fail(label(i), `a unique ${spec.key.join(", ")} (first seen on ${label(first)})`, id);
      }
      seen.set(id, i);
    }
    return;
  }
  for (let i = 1; i < table.height; i++) {
    let cmp = 0;
    for (let k = 0; k < keys.length && cmp === 0; k++) cmp = compare(keys[k][i - 1], keys[k][i]);
    if (cmp >= 0) {
      throw fail(
        label(i),
        `after ${label(i - 1)} in ${spec.key.join(", ")} order (sorted ascending, no duplicates)`,
        `${render(i)} after ${render(i - 1)}`,
      );
    }
  }
}

function compare(a: unknown, b: unknown): number {
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  return (x as number | string) < (y as number | string) ? -1 : (x as number | string) > (y as number | string) ? 1 : 0;
}

function render1(v: unknown): string {
  return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
}

/** Splits a header line; fields may be double-quoted. */
function splitFields(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const out: string[] = [];
  let field = "", quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") out.push(field), (field = "");
    else field += ch;
  }
  out.push(field);
  return out;
}

function countFields(line: string): number {
  if (!line.includes('"')) {
    let n = 1;
    for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) === 44) n++;
    return n;
  }
  return splitFields(line).length;
}
