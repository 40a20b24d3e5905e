/**
 * Export of a threshold-overlay run: positions and P&L, trades (Parquet) and its summary (JSON), with a reader that
 * brings them back identically.
 * @module
 */
import pl from "nodejs-polars";
import { join } from "node:path";
import type { OverlayBacktestResult } from "./threshold.ts";
import type { SummaryRow } from "./summary.ts";

/** Paths written by {@linkcode exportOverlay}. */
export interface OverlayExport {
  readonly daily: string;
  readonly trades: string;
  readonly metrics: string;
}

/**
 * Writes `daily.parquet` (positions and P&L), `trades.parquet` and `metrics.json` into `dir` (created if needed).
 * The JSON holds every metric with its value (null when not available), unit and note.
 */
export function exportOverlay(
  result: OverlayBacktestResult,
  metrics: readonly SummaryRow[],
  dir: string,
  prefix = "overlay",
): OverlayExport {
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

/** Reads back what {@linkcode exportOverlay} wrote. */
export function readOverlayExport(paths: OverlayExport): {
  daily: pl.DataFrame;
  trades: pl.DataFrame;
  metrics: SummaryRow[];
} {
  return {
    daily: pl.readParquet(paths.daily),
    trades: pl.readParquet(paths.trades),
    metrics: JSON.parse(Deno.readTextFileSync(paths.metrics)).metrics,
  };
}
