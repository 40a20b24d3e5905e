/**
 * Market-data loaders: tables of a {@linkcode MarketDataSource} → validated nodejs-polars DataFrames in decimal units.
 *
 * Every loader takes the source as its first argument (see `source.ts`: a directory of CSV files or the synthetic
 * stand-in; notebooks resolve it once from `CREDITLAB_DATA` with `resolveMarketData` of `lib/synthetic/source.ts`).
 * Loaders return decimals for rates and spreads (4.98 % → 0.0498), a `pl.Date` column `date`, and null for a
 * missing value. A missing or malformed file throws a {@linkcode MarketDataError} naming the file, the line and the
 * column.
 * @module
 */
import type pl from "nodejs-polars";
import { MARKET_FILES, type MarketFileName, SP_RATINGS } from "./schema.ts";
import { MarketDataError, toDecimalUnits } from "./table.ts";
import { type MarketDataSource, requireSource } from "./source.ts";
import { rangeError, requireBoolean, requireOptions, typeError } from "../core/check.ts";

export type { MarketDataSource } from "./source.ts";

/**
 * Loads one market-data table by its short name, validated, in decimal units.
 *
 * @param source Where the data comes from.
 * @param name Short name of the file (see `MARKET_FILES` in `schema.ts`).
 * @throws {MarketDataError} If the file is missing from a real-data directory or is malformed.
 */
export function loadMarketTable(source: MarketDataSource, name: MarketFileName): pl.DataFrame {
  requireSource("load market data", source);
  if (!Object.hasOwn(MARKET_FILES, name)) {
    throw rangeError("load market data", "name", `one of ${Object.keys(MARKET_FILES).join(", ")}`, name);
  }
  const spec = MARKET_FILES[name];
  return toDecimalUnits(source.readTable(name), spec);
}

/**
 * US Treasury constant-maturity yields, one row per date, columns `date` and `DGS1MO` … `DGS30` as decimals
 * (tenors in `TREASURY_TENORS`). Holidays are rows with every yield null.
 */
export function loadTreasuryYields(source: MarketDataSource): pl.DataFrame {
  return loadMarketTable(source, "treasuryYields");
}

/**
 * ICE BofA option-adjusted spreads (`BAMLC0A0CM` IG, `BAMLH0A0HYM2` HY, `BAMLC0A1CAAA` AAA, `BAMLC0A4CBBB` BBB),
 * Moody's seasoned yields (`DAAA`, `DBAA`) and `BAA10Y`, all decimals.
 */
export function loadCreditSpreads(source: MarketDataSource): pl.DataFrame {
  return loadMarketTable(source, "creditSpreads");
}

/** VIX daily close (`VIXCLS`, index points). */
export function loadVix(source: MarketDataSource): pl.DataFrame {
  return loadMarketTable(source, "vix");
}

/** VIX daily open/high/low/close from Cboe (index points). */
export function loadVixOhlc(source: MarketDataSource): pl.DataFrame {
  return loadMarketTable(source, "vixOhlc");
}

/** Daily bars of a credit ETF: HYG (high yield) or LQD (investment grade), USD per share. */
export function loadEtf(source: MarketDataSource, ticker: "HYG" | "LQD"): pl.DataFrame {
  if (ticker !== "HYG" && ticker !== "LQD") {
    throw new RangeError(`Cannot load ETF: ticker must be "HYG" or "LQD", received ${JSON.stringify(ticker)}`);
  }
  return loadMarketTable(source, ticker === "HYG" ? "hyg" : "lqd");
}

/** S&P 500 index daily bars (index points). */
export function loadSpx(source: MarketDataSource): pl.DataFrame {
  return loadMarketTable(source, "spx");
}

/** Daily equity prices of the Merton/KMV firms, long format (`date`, `ticker`, OHLC, `adj_close`, `volume`). */
export function loadEquityPrices(source: MarketDataSource): pl.DataFrame {
  return loadMarketTable(source, "equityPrices");
}

/** Annual balance sheets of the Merton/KMV firms (USD), one row per firm and fiscal year. */
export function loadFundamentals(source: MarketDataSource): pl.DataFrame {
  return loadMarketTable(source, "fundamentals");
}

/** Daily KMV inputs (market cap, debt, default point) with fundamentals attached at fiscal year-end, no lag. */
export function loadKmvInputs(source: MarketDataSource): pl.DataFrame {
  return loadMarketTable(source, "kmvInputs");
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
 * @throws {TypeError} If `opts` is not an options object of `nrAdjusted` (a boolean).
 * @throws {MarketDataError} If a row does not sum to 1 within the published rounding (±0.0005).
 */
export function loadRatingTransitions(
  source: MarketDataSource,
  opts: { readonly nrAdjusted?: boolean } = {},
): TransitionTable {
  requireSource("load rating transitions", source);
  requireOptions("load rating transitions", "opts", opts, ["nrAdjusted"]);
  if (opts.nrAdjusted !== undefined) requireBoolean("load rating transitions", "opts.nrAdjusted", opts.nrAdjusted);
  const name = opts.nrAdjusted === false ? "ratingTransitions" : "ratingTransitionsNrAdjusted";
  const table = loadMarketTable(source, name);
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
export function loadMultiYearTransitions(source: MarketDataSource): pl.DataFrame {
  return loadMarketTable(source, "ratingTransitionsMultiYear");
}

/**
 * The one visible line at the top of every notebook that says where its data comes from; displays as Markdown in
 * Jupyter.
 */
export function dataBanner(source: MarketDataSource): { readonly text: string } {
  requireSource("show data banner", source);
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
 * @param source Where the data comes from.
 * @param name Short name of the file (see `MARKET_FILES` in `schema.ts`).
 * @param columns What was used, as written in the caption: column names or expressions (`"DGS10 − DGS2"`).
 * @throws {TypeError} If `source` is not a source or `columns` not an array of non-empty strings.
 * @throws {RangeError} If `name` is not a file of `MARKET_FILES`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceCaption } from "./load.ts";
 * import { directorySource } from "./source.ts";
 *
 * assert.equal(sourceCaption(directorySource("tests/fixtures/market"), "vix", ["VIXCLS"]), "Data: Cboe Volatility Index, daily close (FRED VIXCLS) — VIXCLS.");
 * ```
 */
export function sourceCaption(
  source: MarketDataSource,
  name: MarketFileName,
  columns: readonly string[] = [],
): string {
  const action = "write source caption";
  requireSource(action, source);
  if (typeof name !== "string" || !Object.hasOwn(MARKET_FILES, name)) {
    throw (typeof name === "string" ? rangeError : typeError)(
      action,
      "name",
      `one of ${Object.keys(MARKET_FILES).join(", ")}`,
      name,
    );
  }
  if (!Array.isArray(columns)) throw typeError(action, "columns", "an array of column names", columns);
  columns.forEach((c, i) => {
    if (typeof c !== "string" || c === "") throw typeError(action, `columns[${i}]`, "a non-empty string", c);
  });
  const spec = MARKET_FILES[name];
  // The spreads file also holds Moody's yields: a caption of its ICE BofA columns alone names only what is shown.
  const moodys = ["DAAA", "DBAA", "BAA10Y"];
  const title = name === "creditSpreads" && columns.length > 0 && !columns.some((c) => moodys.includes(c))
    ? "Corporate option-adjusted spreads (ICE BofA, via FRED)"
    : spec.title;
  const what = `${title}${columns.length ? ` — ${columns.join(", ")}` : ""}`;
  return source.kind === "real"
    ? `Data: ${what}.`
    : `Data: synthetic stand-in for ${what} (simulated, not market data).`;
}
