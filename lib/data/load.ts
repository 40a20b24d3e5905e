/**
 * Market-data loaders: CSV files of the market-data directory → validated nodejs-polars DataFrames, or the
 * synthetic stand-in market when no real data is present.
 *
 * Where the data comes from (see {@linkcode resolveMarketData}):
 *
 * | `CREDITLAB_DATA`   | source                                                                          |
 * |--------------------|---------------------------------------------------------------------------------|
 * | unset or empty     | `data/market/` of the repository if it holds CSV files, else the stand-in       |
 * | `synthetic`        | the synthetic stand-in market ({@linkcode standInTable})                        |
 * | a directory        | that directory (relative paths are taken from the repository root); it must exist |
 *
 * Real market data is its owners' copyright and never enters the repository (`data/market/` is git-ignored);
 * `deno task data:fetch` downloads the public series. Loaders return decimals for rates and spreads (4.98 % →
 * 0.0498), a `pl.Date` column `date`, and null for a missing value. A missing or malformed file throws a
 * {@linkcode MarketDataError} naming the file, the line and the column.
 * @module
 */
import pl from "nodejs-polars";
import { fileURLToPath } from "node:url";
import { isAbsolute, join, relative, resolve } from "node:path";
import { MARKET_FILES, type MarketFileName, SP_RATINGS } from "./schema.ts";
import { MarketDataError, readTable, toDecimalUnits, validateTable } from "./table.ts";
import { standInTable } from "./standin.ts";
import type { Seed } from "../core/rng.ts";

/** Root directory of the creditlab repository (this file is `lib/data/load.ts`). */
export const REPO_ROOT: string = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

/** Default market-data directory, git-ignored: where `deno task data:fetch` writes. */
export const DEFAULT_DATA_DIR: string = join(REPO_ROOT, "data", "market");

/** Seed of the synthetic stand-in market that notebooks see when no real data is present. */
export const STAND_IN_SEED = "creditlab-stand-in";

/** Where market data comes from: a directory of real files, or the synthetic stand-in. */
export type MarketDataSource =
  | { readonly kind: "real"; readonly dir: string; readonly label: string }
  | { readonly kind: "synthetic"; readonly seed: Seed; readonly label: string; readonly reason: string };

/** Options of every loader. */
export interface LoadOptions {
  /** Data source; default {@linkcode resolveMarketData}() from the environment. */
  readonly source?: MarketDataSource;
}

/**
 * Resolves the market-data source from `CREDITLAB_DATA` (see the module table).
 *
 * @param value The setting; default the `CREDITLAB_DATA` environment variable.
 * @throws {MarketDataError} If the setting names a directory that does not exist.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveMarketData } from "./load.ts";
 *
 * assert.equal(resolveMarketData("synthetic").kind, "synthetic");
 * ```
 */
export function resolveMarketData(value: string | undefined = Deno.env.get("CREDITLAB_DATA")): MarketDataSource {
  const setting = value?.trim() ?? "";
  if (setting === "synthetic") {
    return {
      kind: "synthetic",
      seed: STAND_IN_SEED,
      label: "synthetic stand-in market",
      reason: "CREDITLAB_DATA=synthetic",
    };
  }
  if (setting === "") {
    if (holdsCsv(DEFAULT_DATA_DIR)) return realSource(DEFAULT_DATA_DIR);
    return {
      kind: "synthetic",
      seed: STAND_IN_SEED,
      label: "synthetic stand-in market",
      reason: "no real data: CREDITLAB_DATA is unset and data/market/ holds no CSV files",
    };
  }
  const dir = isAbsolute(setting) ? setting : resolve(REPO_ROOT, setting);
  let isDir = false;
  try {
    isDir = Deno.statSync(dir).isDirectory;
  } catch { /* reported below */ }
  if (!isDir) {
    throw new MarketDataError(
      `Cannot load market data: CREDITLAB_DATA must name an existing directory (relative paths start at the ` +
        `repository root) or "synthetic", received ${JSON.stringify(setting)}`,
    );
  }
  return realSource(dir);
}

function realSource(dir: string): MarketDataSource {
  const rel = relative(REPO_ROOT, dir);
  return { kind: "real", dir, label: `real market data from ${rel === "" ? "." : rel}` };
}

function holdsCsv(dir: string): boolean {
  try {
    for (const entry of Deno.readDirSync(dir)) if (entry.isFile && entry.name.endsWith(".csv")) return true;
  } catch { /* no directory */ }
  return false;
}

/**
 * Loads one market-data table by its short name, validated, in decimal units.
 *
 * @param name Short name of the file (see `MARKET_FILES` in `schema.ts`).
 * @throws {MarketDataError} If the file is missing from a real-data directory or is malformed.
 */
export function loadMarketTable(name: MarketFileName, opts: LoadOptions = {}): pl.DataFrame {
  const spec = MARKET_FILES[name];
  const source = opts.source ?? resolveMarketData();
  if (source.kind === "synthetic") {
    const table = validateTable(standInTable(name, source.seed), spec, `${spec.file} (synthetic stand-in)`);
    return toDecimalUnits(table, spec);
  }
  const path = join(source.dir, spec.file);
  try {
    Deno.statSync(path);
  } catch {
    throw new MarketDataError(
      `Cannot load ${spec.file}: the file must exist in the market-data directory ${source.dir} ` +
        `(run \`deno task data:fetch\`, or set CREDITLAB_DATA=synthetic for the stand-in), received no such file`,
    );
  }
  return toDecimalUnits(readTable(path, spec), spec);
}

/**
 * US Treasury constant-maturity yields, one row per date, columns `date` and `DGS1MO` … `DGS30` as decimals
 * (tenors in `TREASURY_TENORS`). Holidays are rows with every yield null.
 */
export function loadTreasuryYields(opts: LoadOptions = {}): pl.DataFrame {
  return loadMarketTable("treasuryYields", opts);
}

/**
 * ICE BofA option-adjusted spreads (`BAMLC0A0CM` IG, `BAMLH0A0HYM2` HY, `BAMLC0A1CAAA` AAA, `BAMLC0A4CBBB` BBB),
 * Moody's seasoned yields (`DAAA`, `DBAA`) and `BAA10Y`, all decimals.
 */
export function loadCreditSpreads(opts: LoadOptions = {}): pl.DataFrame {
  return loadMarketTable("creditSpreads", opts);
}

/** VIX daily close (`VIXCLS`, index points). */
export function loadVix(opts: LoadOptions = {}): pl.DataFrame {
  return loadMarketTable("vix", opts);
}

/** VIX daily open/high/low/close from Cboe (index points). */
export function loadVixOhlc(opts: LoadOptions = {}): pl.DataFrame {
  return loadMarketTable("vixOhlc", opts);
}

/** Daily bars of a credit ETF: HYG (high yield) or LQD (investment grade), USD per share. */
export function loadEtf(ticker: "HYG" | "LQD", opts: LoadOptions = {}): pl.DataFrame {
  if (ticker !== "HYG" && ticker !== "LQD") {
    throw new RangeError(`Cannot load ETF: ticker must be "HYG" or "LQD", received ${JSON.stringify(ticker)}`);
  }
  return loadMarketTable(ticker === "HYG" ? "hyg" : "lqd", opts);
}

/** S&P 500 index daily bars (index points). */
export function loadSpx(opts: LoadOptions = {}): pl.DataFrame {
  return loadMarketTable("spx", opts);
}

/** Daily equity prices of the Merton/KMV firms, long format (`date`, `ticker`, OHLC, `adj_close`, `volume`). */
export function loadEquityPrices(opts: LoadOptions = {}): pl.DataFrame {
  return loadMarketTable("equityPrices", opts);
}

/** Annual balance sheets of the Merton/KMV firms (USD), one row per firm and fiscal year. */
export function loadFundamentals(opts: LoadOptions = {}): pl.DataFrame {
  return loadMarketTable("fundamentals", opts);
}

/** Daily KMV inputs (market cap, debt, default point) with fundamentals attached at fiscal year-end, no lag. */
export function loadKmvInputs(opts: LoadOptions = {}): pl.DataFrame {
  return loadMarketTable("kmvInputs", opts);
}

/** A rating transition matrix: row labels, column labels, and probabilities (rows sum to 1). */
export interface TransitionTable {
  /** Initial ratings (rows). */
  readonly from: readonly string[];
  /** Final ratings (columns), including `D` and, unless NR-adjusted, `NR`. */
  readonly to: readonly string[];
  /** P(from → to) as decimals. */
  readonly probabilities: number[][];
}

/**
 * The published S&P one-year global corporate transition matrix (1981–2016) as probabilities. With
 * `nrAdjusted` (default true) the rating-withdrawn column is removed, rows are rescaled proportionally and an
 * absorbing `D` row is added — the usual input for Markov-chain and HMM work.
 *
 * @throws {MarketDataError} If a row does not sum to 1 within the published rounding (±0.0005).
 */
export function loadRatingTransitions(opts: LoadOptions & { nrAdjusted?: boolean } = {}): TransitionTable {
  const name = opts.nrAdjusted === false ? "ratingTransitions" : "ratingTransitionsNrAdjusted";
  const table = loadMarketTable(name, opts);
  const spec = MARKET_FILES[name];
  const to = spec.columns.slice(1).map((c) => c.name);
  const from = table.getColumn("from_rating").toArray() as string[];
  const expectedFrom = opts.nrAdjusted === false ? [...SP_RATINGS] : [...SP_RATINGS, "D"];
  if (from.join(",") !== expectedFrom.join(",")) {
    throw new MarketDataError(
      `Cannot load ${spec.file}: from_rating must list ${expectedFrom.join(", ")} in order, received ${
        from.join(", ")
      }`,
    );
  }
  const columns = to.map((c) => table.getColumn(c).toArray() as number[]);
  const probabilities = from.map((_, i) => columns.map((col) => col[i]));
  probabilities.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    if (Math.abs(total - 1) > 5e-4) {
      throw new MarketDataError(
        `Cannot load ${spec.file}: row ${from[i]} must sum to 100 % within rounding, received ${
          (total * 100).toFixed(3)
        } %`,
      );
    }
  });
  return { from, to, probabilities };
}

/** Published S&P multi-year transition rates in long format: `horizon_years`, `from_rating`, `to_rating`, `pct`. */
export function loadMultiYearTransitions(opts: LoadOptions = {}): pl.DataFrame {
  return loadMarketTable("ratingTransitionsMultiYear", opts);
}

/**
 * The one visible line at the top of every notebook that says where its data comes from; displays as Markdown in
 * Jupyter.
 */
export function dataBanner(source: MarketDataSource = resolveMarketData()): { readonly text: string } {
  const text = source.kind === "real"
    ? `**Data: ${source.label}** — sources and licences in \`SOURCES.md\` of that folder.`
    : `**Data: synthetic stand-in market** (${source.reason}). Every series is simulated by the kit's own models, ` +
      `calibrated to the real history; episodes follow historical timing but the paths are random. For real data ` +
      `run \`deno task data:fetch\` or set \`CREDITLAB_DATA\`.`;
  const banner = { text };
  Object.defineProperty(banner, Symbol.for("Jupyter.display"), {
    value: () => ({ "text/markdown": text, "text/plain": text.replace(/\*\*|`/g, "") }),
  });
  return banner;
}

/**
 * A chart caption naming the data behind it: the file's publisher and the columns used, or the stand-in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveMarketData, sourceCaption } from "./load.ts";
 *
 * assert.match(sourceCaption("vix", ["VIXCLS"], resolveMarketData("synthetic")), /synthetic stand-in/);
 * ```
 */
export function sourceCaption(
  name: MarketFileName,
  columns: readonly string[] = [],
  source: MarketDataSource = resolveMarketData(),
): string {
  const spec = MARKET_FILES[name];
  const what = `${spec.title}${columns.length ? ` — ${columns.join(", ")}` : ""}`;
  return source.kind === "real"
    ? `Data: ${what}.`
    : `Data: synthetic stand-in for ${what} (simulated, not market data).`;
}
