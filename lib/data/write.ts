/**
 * Writing market-data files in the format the loaders read: the column order of the schema, ISO dates, numbers
 * in their shortest exact decimal form, an empty field for a missing value. Used by `deno task data:fetch` and to
 * save the synthetic stand-in to disk.
 * @module
 */
import type pl from "nodejs-polars";
import type { TableSpec } from "./schema.ts";
import { MarketDataError, validateTable } from "./table.ts";

/**
 * Formats a table (in the file's published units) as CSV text after checking it against the schema.
 *
 * Columns are taken in the schema's order; a table with extra columns is refused rather than silently cut.
 *
 * @throws {MarketDataError} If the table breaks the schema (missing or extra columns, non-finite numbers, unsorted
 *   keys).
 */
export function formatCsv(table: pl.DataFrame, spec: TableSpec): string {
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

/** Writes a table to `dir/<spec.file>` atomically (a temporary file renamed into place). */
export function writeCsv(table: pl.DataFrame, spec: TableSpec, dir: string): string {
  const path = `${dir.replace(/\/$/, "")}/${spec.file}`;
  const tmp = `${path}.partial`;
  Deno.writeTextFileSync(tmp, formatCsv(table, spec));
  Deno.renameSync(tmp, path);
  return path;
}
