/**
 * Writing market-data files in the format the loaders read: the column order of the schema, ISO dates, numbers
 * in their shortest exact decimal form, an empty field for a missing value. Used by `deno task data:fetch` and to
 * save the synthetic stand-in to disk.
 * @module
 */
import type pl from "nodejs-polars";
import type { TableSpec } from "./schema.ts";
import { MarketDataError, requireTableSpec, validateTable } from "./table.ts";
import { requireDataFrame } from "./columns.ts";
import { rangeError, requireString } from "../core/check.ts";

/**
 * Formats a table (in the file's published units) as CSV text after checking it against the schema.
 *
 * Columns are taken in the schema's order; a table with extra columns is refused rather than silently cut.
 *
 * @throws {TypeError} If `table` is not a DataFrame or `spec` not a table spec.
 * @throws {MarketDataError} If the table breaks the schema (missing or extra columns, non-finite numbers, unsorted
 *   keys).
 */
export function formatCsv(table: pl.DataFrame, spec: TableSpec): string {
  requireDataFrame("write CSV", "table", table);
  requireTableSpec("write CSV", "spec", spec);
  const missing = spec.columns.map((c) => c.name).filter((name) => !table.columns.includes(name));
  if (missing.length) {
    throw new MarketDataError(`Cannot write ${spec.file}: the table must have column ${missing[0]}, received none`);
  }
  if (table.width !== spec.columns.length) {
    const extra = table.columns.find((name) => !spec.columns.some((c) => c.name === name));
    throw new MarketDataError(`Cannot write ${spec.file}: the table must not have column ${extra}, received it`);
  }
  table = table.select(...spec.columns.map((c) => c.name));
  validateTable(table, spec, spec.file, "write");
  const columns = spec.columns.map((c) => table.getColumn(c.name).toArray() as unknown[]);
  const lines = [spec.columns.map((c) => c.name).join(",")];
  for (let i = 0; i < table.height; i++) {
    lines.push(
      columns.map((col) => {
        const v = col[i];
        if (v === null || v === undefined) return "";
        if (v instanceof Date) return v.toISOString().slice(0, 10);
        return String(v);
      }).join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Writes a table to `dir/<spec.file>` atomically (a temporary file renamed into place).
 * @throws {TypeError} If an argument has the wrong type. @throws {RangeError} If `dir` is not an existing directory.
 * @throws {MarketDataError} If the table breaks the schema.
 */
export function writeCsv(table: pl.DataFrame, spec: TableSpec, dir: string): string {
  requireDataFrame("write CSV", "table", table);
  requireTableSpec("write CSV", "spec", spec);
  requireString("write CSV", "dir", dir);
  let isDir = false;
  try {
    isDir = Deno.statSync(dir).isDirectory;
  } catch { /* reported below */ }
  if (!isDir) throw rangeError("write CSV", "dir", "an existing directory", dir);
  const path = `${dir.replace(/\/$/, "")}/${spec.file}`;
  const tmp = `${path}.partial`;
  Deno.writeTextFileSync(tmp, formatCsv(table, spec));
  Deno.renameSync(tmp, path);
  return path;
}
