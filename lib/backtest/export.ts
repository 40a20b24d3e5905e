/**
 * Export of a threshold-overlay run: positions and P&L, trades (Parquet) and its summary (JSON), with a reader that
 * brings them back identically.
 * @module
 */
import pl from "nodejs-polars";
import { join } from "node:path";
import { rangeError, Received, requireObject, requireString } from "../core/check.ts";
import { type OverlayBacktestResult, requireFrame } from "./threshold.ts";
import { requireSummaryRows, type SummaryRow } from "./summary.ts";

/** Paths written by {@linkcode exportOverlay}. */
export interface OverlayExport {
  readonly daily: string;
  readonly trades: string;
  readonly metrics: string;
}

/**
 * Writes `daily.parquet` (positions and P&L), `trades.parquet` and `metrics.json` into `dir` (created if needed).
 * The JSON holds every metric with its value (null when not available), unit and note.
 *
 * @param prefix File name prefix, a non-empty string without path separators (default "overlay").
 * @throws {TypeError} If `result` has no `daily` and `trades` DataFrames, `metrics` are not summary rows, or `dir`
 *   or `prefix` is not a non-empty string. @throws {RangeError} If `prefix` holds a path separator.
 */
export function exportOverlay(
  result: OverlayBacktestResult,
  metrics: readonly SummaryRow[],
  dir: string,
  prefix = "overlay",
): OverlayExport {
  const action = "export overlay";
  requireObject(action, "result", result);
  requireFrame(action, "result.daily", result.daily, ["date", "pnl"]);
  requireFrame(action, "result.trades", result.trades, ["pnl", "exit_reason"]);
  requireSummaryRows(action, "metrics", metrics);
  requireString(action, "dir", dir);
  requireString(action, "prefix", prefix);
  if (/[\\/]/.test(prefix)) throw rangeError(action, "prefix", "a file name prefix without / or \\", prefix);
  Deno.mkdirSync(dir, { recursive: true });
  const paths = {
    daily: join(dir, `${prefix}_daily.parquet`),
    trades: join(dir, `${prefix}_trades.parquet`),
    metrics: join(dir, `${prefix}_metrics.json`),
  };
  result.daily.writeParquet(paths.daily);
  result.trades.writeParquet(paths.trades);
  Deno.writeTextFileSync(paths.metrics, JSON.stringify({ metrics }, null, 2) + "\n");
  return paths;
}

/**
 * Reads back what {@linkcode exportOverlay} wrote.
 *
 * @throws {TypeError} If `paths` is not an object of three non-empty path strings. @throws {RangeError} If a path is
 *   not an existing file, a Parquet file cannot be read, or the JSON does not hold summary rows.
 */
export function readOverlayExport(paths: OverlayExport): {
  daily: pl.DataFrame;
  trades: pl.DataFrame;
  metrics: SummaryRow[];
} {
  const action = "read overlay export";
  requireObject(action, "paths", paths);
  for (const key of ["daily", "trades", "metrics"] as const) {
    const path = requireString(action, `paths.${key}`, paths[key]);
    let isFile = false;
    try {
      isFile = Deno.statSync(path).isFile;
    } catch (_) {
      // missing or unreadable: reported below
    }
    if (!isFile) throw rangeError(action, `paths.${key}`, "an existing file written by exportOverlay", path);
  }
  const read = <T>(key: keyof OverlayExport, what: string, f: (path: string) => T): T => {
    try {
      return f(paths[key]);
    } catch (error) {
      const reason = (error as Error)?.message?.split("\n")[0] ?? String(error);
      throw rangeError(action, `paths.${key}`, what, new Received(`${JSON.stringify(paths[key])} (${reason})`));
    }
  };
  const daily = read("daily", "a Parquet file written by exportOverlay", (p) => pl.readParquet(p));
  const trades = read("trades", "a Parquet file written by exportOverlay", (p) => pl.readParquet(p));
  const json = read("metrics", "a JSON file written by exportOverlay", (p) => JSON.parse(Deno.readTextFileSync(p)));
  const metrics = requireSummaryRows(action, "paths.metrics (its metrics)", json?.metrics) as SummaryRow[];
  return { daily, trades, metrics };
}
