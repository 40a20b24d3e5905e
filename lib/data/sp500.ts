/**
 * The real cross-section of balance sheets: `sp500_fundamentals.csv` (447 S&P 500 companies, 11 GICS sectors,
 * FY2012–2016, 1,777 firm-years of 10-K figures; `SOURCES.md` §9 of the data directory), loaded strictly and turned
 * into the typed arrays that the credit-scoring kernels take (`lib/credit/scoring.ts`).
 *
 * The file's schema is `MARKET_FILES.sp500Fundamentals` in `schema.ts`: the header exactly as listed, ISO dates,
 * amounts in whole US dollars (integers), no empty ticker, key `(ticker, period_ending)` sorted and unique, no gaps
 * except in `eps` and `shares_outstanding_est`, and signs (total assets > 0; revenue, interest expense, debt, cash and
 * liabilities ≥ 0). {@linkcode loadSp500Fundamentals} adds the rules that span rows and columns:
 *
 *     gics_sector          one of GICS_SECTORS
 *     fiscal_year          the calendar year of period_ending or the year before (a year-end in January of
 *                          year Y + 1 belongs to fiscal year Y)
 *     security, sector     the same on every row of a ticker
 *
 * Caveats of the data that are **not** errors and stay in the table (the scoring layer treats them and reports
 * counts): `interest_expense` is 0 on 267 firm-years, 215 of them with debt outstanding (a missing value, not an
 * infinite coverage); 51 firm-years have negative book equity; there are no prices, hence no market capitalisation;
 * figures are as of the fiscal year-end, without the two-month filing lag.
 * @module
 */
import type pl from "nodejs-polars";
import { join } from "node:path";
import { requireFunction, requireString } from "../core/check.ts";
import { GICS_SECTORS, MARKET_FILES } from "./schema.ts";
import { loadMarketTable } from "./load.ts";
import { MarketDataError } from "./table.ts";
import { type MarketDataSource, requireSource } from "./source.ts";
import { dateColumn, floatColumn, nullableColumn, requireColumns, stringColumn } from "./columns.ts";

/** A GICS sector name as spelt in the file. */
export type GicsSector = typeof GICS_SECTORS[number];

/**
 * Annual fundamentals of the S&P 500 cross-section, one row per company and fiscal year-end, validated (see the module
 * notes), amounts in US dollars.
 *
 * @param source Where the data comes from (a real-data directory or the synthetic stand-in, which imitates the file).
 * @throws {MarketDataError} If the file is missing or breaks a rule of its schema or of the module notes; the message
 *   names the file, the line (header = line 1) and the column.
 *
 * @example A directory holding the file (here a one-company extract written to a scratch directory)
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSp500Fundamentals, sp500Arrays } from "./sp500.ts";
 * import { directorySource } from "./source.ts";
 * import { MARKET_FILES } from "./schema.ts";
 *
 * const dir = Deno.makeTempDirSync();
 * const header = MARKET_FILES.sp500Fundamentals.columns.map((c) => c.name).join(",");
 * const row = "XYZ,XYZ Corp,Energy,2015-12-31,2015,900,120,30,60,50,10,390,80,600,1000,400,1.5,40";
 * Deno.writeTextFileSync(`${dir}/sp500_fundamentals.csv`, `${header}\n${row}\n`);
 * const firms = sp500Arrays(loadSp500Fundamentals(directorySource(dir)));
 * assert.equal(firms.ebit[0] / firms.interestExpense[0], 4); // interest coverage 4×
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function loadSp500Fundamentals(source: MarketDataSource): pl.DataFrame {
  requireSource("load S&P 500 fundamentals", source);
  const table = loadMarketTable(source, "sp500Fundamentals");
  const file = MARKET_FILES.sp500Fundamentals.file;
  if (source.kind === "real") checkSp500Table(table, join(source.dir, file));
  else checkSp500Table(table, `${file} (synthetic stand-in)`, (i) => `row ${i}`);
  return table;
}

/**
 * The rules of the module notes that span rows and columns, on an already typed table.
 *
 * @param table A table with the columns of `MARKET_FILES.sp500Fundamentals`.
 * @param file The file named in messages.
 * @param where How a row is named in messages (default its line in the file: row 0 is line 2, under the header).
 * @throws {MarketDataError} Naming the line (or row) and the column of the first violation.
 * @throws {TypeError|RangeError} If `table` is not a DataFrame with the columns checked, `file` is not a non-empty
 *   string or `where` is not a function.
 */
export function checkSp500Table(
  table: pl.DataFrame,
  file: string = MARKET_FILES.sp500Fundamentals.file,
  where: (row: number) => string = (row) => `line ${row + 2}`,
): void {
  const action = "check S&P 500 table";
  requireColumns(action, "table", table, ["ticker", "security", "gics_sector", "period_ending", "fiscal_year"]);
  requireString(action, "file", file);
  requireFunction(action, "where", where);
  const fail = (i: number, column: string, rule: string, received: string) =>
    new MarketDataError(`Cannot load ${file}: ${where(i)}, column ${column} must be ${rule}, received ${received}`);
  const ticker = stringColumn(table, "ticker");
  const security = stringColumn(table, "security");
  const sector = stringColumn(table, "gics_sector");
  const period = dateColumn(table, "period_ending");
  const fiscalYear = nullableColumn(table, "fiscal_year");
  const known = new Set<string>(GICS_SECTORS);
  const firstRow = new Map<string, number>();
  for (let i = 0; i < table.height; i++) {
    if (!known.has(sector[i])) {
      throw fail(i, "gics_sector", `one of ${GICS_SECTORS.join(", ")}`, JSON.stringify(sector[i]));
    }
    const year = period[i].getUTCFullYear();
    if (fiscalYear[i] !== year && fiscalYear[i] !== year - 1) {
      throw fail(
        i,
        "fiscal_year",
        `${year} or ${year - 1} (the year of period_ending or the one before)`,
        String(fiscalYear[i]),
      );
    }
    const first = firstRow.get(ticker[i]);
    if (first === undefined) {
      firstRow.set(ticker[i], i);
      continue;
    }
    for (const [column, values] of [["security", security], ["gics_sector", sector]] as const) {
      if (values[i] !== values[first]) {
        throw fail(
          i,
          column,
          `${JSON.stringify(values[first])} as on ${where(first)} for ticker ${ticker[i]}`,
          JSON.stringify(values[i]),
        );
      }
    }
  }
}

/** The columns of `sp500_fundamentals.csv` that the credit-scoring kernels use, as typed arrays (amounts in USD). */
export interface Sp500Arrays {
  /** Number of firm-years. */ readonly rows: number;
  readonly ticker: readonly string[];
  readonly security: readonly string[];
  readonly sector: readonly GicsSector[];
  /** Fiscal year-end (UTC midnight). */ readonly periodEnding: readonly Date[];
  readonly fiscalYear: Int32Array;
  readonly totalRevenue: Float64Array;
  /** Earnings before interest and tax (may be negative). */ readonly ebit: Float64Array;
  /** Interest expense ≥ 0; 0 with debt outstanding is a missing value, see the module notes. */
  readonly interestExpense: Float64Array;
  readonly netIncome: Float64Array;
  readonly cashAndEquivalents: Float64Array;
  readonly shortTermDebt: Float64Array;
  readonly longTermDebt: Float64Array;
  readonly totalLiabilities: Float64Array;
  /** Total assets > 0. */ readonly totalAssets: Float64Array;
  /** Book equity (negative for a few firms). */ readonly totalEquity: Float64Array;
}

/**
 * Converts a table of {@linkcode loadSp500Fundamentals} into typed arrays, once, at the data boundary. The shape fits
 * `financialHealth` and `crossSectionStudy` of `lib/credit/scoring.ts` directly.
 *
 * @throws {RangeError} If a column is missing or holds a missing value (the loaders never let one through).
 */
export function sp500Arrays(table: pl.DataFrame): Sp500Arrays {
  const columns = [
    "ticker",
    "security",
    "gics_sector",
    "period_ending",
    "fiscal_year",
    "total_revenue",
    "ebit",
    "interest_expense",
    "net_income",
    "cash_and_equivalents",
    "short_term_debt",
    "long_term_debt",
    "total_liabilities",
    "total_assets",
    "total_equity",
  ];
  requireColumns("convert S&P 500 fundamentals", "table", table, columns);
  return {
    rows: table.height,
    ticker: stringColumn(table, "ticker"),
    security: stringColumn(table, "security"),
    sector: stringColumn(table, "gics_sector") as GicsSector[],
    periodEnding: dateColumn(table, "period_ending"),
    fiscalYear: Int32Array.from(floatColumn(table, "fiscal_year")),
    totalRevenue: floatColumn(table, "total_revenue"),
    ebit: floatColumn(table, "ebit"),
    interestExpense: floatColumn(table, "interest_expense"),
    netIncome: floatColumn(table, "net_income"),
    cashAndEquivalents: floatColumn(table, "cash_and_equivalents"),
    shortTermDebt: floatColumn(table, "short_term_debt"),
    longTermDebt: floatColumn(table, "long_term_debt"),
    totalLiabilities: floatColumn(table, "total_liabilities"),
    totalAssets: floatColumn(table, "total_assets"),
    totalEquity: floatColumn(table, "total_equity"),
  };
}
