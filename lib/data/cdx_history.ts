/**
 * The overlay on market history: the three inputs of the CDX overlay from the market-data directory (or its
 * synthetic stand-in), aligned on common business days.
 *
 * There is no free history of the CDX indices, so the credit leg is a proxy, stated wherever it is used:
 *
 *     index   ICE BofA US High Yield OAS (FRED BAMLH0A0HYM2), decimal; a cash-bond spread standing in for CDX HY.
 *             The backtest treats it as the running spread of a 5-year index (RPV01 ≈ 4 years at 400 bp).
 *     VIX     Cboe daily bars (open, high, low, close).
 *     ETF     HYG daily bars, with `adj_close` (dividends reinvested): the basis must use total returns, or every
 *             monthly dividend would read as a jump in the ETF's implied spread.
 *
 * Because the ETF tracks the same high-yield market as the OAS, the basis multiple is 1 (see
 * {@linkcode computeCdxEtfBasis}). A date missing from any of the three series (a bond-market holiday with the stock
 * market open, a gap in a file) is not silently lost: the count per series is returned and shown.
 * @module
 */
import pl from "nodejs-polars";
import { rangeError, Received, requireObject, requireOptions } from "../core/check.ts";
import { requireIsoDate } from "../core/calendar.ts";
import { datesOf, floatsOf, readerOf, requireColumns, requireDataFrame } from "./columns.ts";
import { loadCreditSpreads, loadEtf, loadVixOhlc } from "./load.ts";
import { requireSource, type SourceOption } from "./source.ts";

/** Options of {@linkcode loadOverlayHistory}. */
export interface OverlayHistoryOptions extends SourceOption {
  /** First date, ISO (default "2007-04-11", HYG's first trading day). */ readonly start?: string;
  /** Last date, ISO (default "2024-12-31"). */ readonly end?: string;
}

/** The aligned history of the overlay's inputs. */
export interface OverlayHistory {
  /** date, spread (HY OAS, decimal), index, tenor, series (null: a proxy has no series). */
  readonly cdx: pl.DataFrame;
  /** date, open, high, low, close. */ readonly vix: pl.DataFrame;
  /** date, open, high, low, close, adj_close, volume, ticker. */ readonly etf: pl.DataFrame;
  /** Where the data came from (real directory or stand-in). */ readonly source: string;
  /** A short name for tables: "Real" or "Stand-in", with the years. */ readonly label: string;
  /** Dates in the range that a series had but the common calendar lost because another series lacked them. */
  readonly dropped: { readonly series: string; readonly missing: number }[];
}

const INDEX_PROXY = "ICE BofA US HY OAS (CDX HY proxy)";

/**
 * Loads HY OAS, VIX bars and HYG bars, keeps `start`–`end`, and aligns them on the dates all three have.
 *
 * @throws {TypeError} If `opts` is not an options object of `source`, `start` and `end`, or the source is missing.
 * @throws {RangeError} If a date option is not an ISO calendar date (`"2015-02-30"` is refused), `end` is before
 *   `start`, or the range holds no common date.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadOverlayHistory } from "./cdx_history.ts";
 * import { standInSource } from "../synthetic/source.ts";
 *
 * const h = loadOverlayHistory({ source: standInSource("doc"), start: "2020-01-01", end: "2020-12-31" });
 * assert.equal(h.cdx.height, h.etf.height);
 * assert.ok(h.cdx.height > 240);
 * ```
 */
export function loadOverlayHistory(opts: OverlayHistoryOptions): OverlayHistory {
  const action = "load overlay history";
  if (opts === undefined) requireObject(action, "opts", opts);
  requireOptions(action, "opts", opts, ["source", "start", "end"]);
  const startText = opts.start ?? "2007-04-11", endText = opts.end ?? "2024-12-31";
  const start = requireIsoDate(action, "opts.start", startText);
  const end = requireIsoDate(action, "opts.end", endText);
  if (end < start) throw rangeError(action, "opts.end", `on or after opts.start (${startText})`, endText);
  const source = requireSource(action, opts.source, "opts.source");
  const inRange = (df: pl.DataFrame) => df.filter(pl.col("date").gtEq(start).and(pl.col("date").ltEq(end)));
  const spreads = inRange(
    loadCreditSpreads(source).select("date", pl.col("BAMLH0A0HYM2").alias("spread")).dropNulls(),
  );
  const vix = inRange(loadVixOhlc(source).dropNulls());
  const etf = inRange(
    loadEtf(source, "HYG").select("date", "open", "high", "low", "close", "adj_close", "volume").dropNulls(),
  );
  const common = spreads.select("date").join(vix.select("date"), { on: "date" }).join(etf.select("date"), {
    on: "date",
  });
  if (common.height === 0) {
    throw rangeError(
      action,
      "opts.start and opts.end",
      "a range where HY OAS, VIX and HYG share dates",
      new Received(`${startText} to ${endText}`),
    );
  }
  const keep = (df: pl.DataFrame) => df.join(common, { on: "date" }).sort("date");
  const n = common.height;
  return {
    cdx: keep(spreads).withColumns(
      pl.lit(INDEX_PROXY).alias("index"),
      pl.lit("5Y").alias("tenor"),
      pl.lit(null).cast(pl.Int32).alias("series"),
    ),
    vix: keep(vix),
    etf: keep(etf).withColumn(pl.lit("HYG").alias("ticker")),
    source: source.label,
    label: `${source.kind === "real" ? "Real" : "Stand-in"} ${start.getUTCFullYear()}–${end.getUTCFullYear()}`,
    dropped: [
      { series: "HY OAS", missing: spreads.height - n },
      { series: "VIX", missing: vix.height - n },
      { series: "HYG", missing: etf.height - n },
    ],
  };
}

/**
 * The three overlay markets as plain aligned arrays for charts and kernels: dates, index spread (decimal), VIX close
 * and ETF close, from the DataFrames of {@linkcode loadOverlayHistory} or the synthetic `generateOverlayMarket`.
 *
 * @throws {TypeError} If `market` is not an object of three DataFrames `cdx`, `vix` and `etf`.
 * @throws {RangeError} If a frame lacks its columns (`date`, and `spread` or `close`), holds a missing value, or the
 *   three frames are not aligned on the same dates.
 */
export function overlayMarketSeries(
  market: { readonly cdx: pl.DataFrame; readonly vix: pl.DataFrame; readonly etf: pl.DataFrame },
): { dates: Date[]; spread: Float64Array; vix: Float64Array; etf: Float64Array } {
  const action = "read overlay market";
  requireObject(action, "market", market);
  const value = { cdx: "spread", vix: "close", etf: "close" } as const;
  for (const name of ["cdx", "vix", "etf"] as const) {
    requireDataFrame(action, `market.${name}`, market[name]);
    requireColumns(action, `market.${name}`, market[name], ["date", value[name]]);
  }
  const read = (name: "cdx" | "vix" | "etf") => readerOf(action, `market.${name}`);
  const dates = datesOf(market.cdx, "date", read("cdx"));
  for (const name of ["vix", "etf"] as const) {
    const other = datesOf(market[name], "date", read(name));
    if (other.length !== dates.length || other.some((d, i) => d.getTime() !== dates[i].getTime())) {
      throw rangeError(action, `market.${name}`, "aligned on the dates of market.cdx", `${other.length} dates`);
    }
  }
  return {
    dates,
    spread: floatsOf(market.cdx, "spread", read("cdx")),
    vix: floatsOf(market.vix, "close", read("vix")),
    etf: floatsOf(market.etf, "close", read("etf")),
  };
}
