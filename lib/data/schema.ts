/**
 * The market-data files creditlab reads: one schema per file, the single source of truth shared by the loaders, the
 * fetcher that writes these files and the synthetic stand-in that imitates them.
 *
 * Files are CSV with one header row, ISO dates (`YYYY-MM-DD`) and an empty field for a missing value, as described
 * in `SOURCES.md` of the data directory. Columns marked `percent` are published in percent (4.98 = 4.98 %) and are
 * converted to decimals (0.0498) by the loaders, because the kit computes in decimals everywhere.
 * @module
 */

/** Type of a column: an ISO date, a float, an integer-valued float, or a non-empty string. */
export type ColumnType = "date" | "number" | "integer" | "string";

/** One column of a market-data file. */
export interface ColumnSpec {
  /** Header name, exactly as in the file. */
  readonly name: string;
  /** Value type. */
  readonly type: ColumnType;
  /** Published in percent; loaders divide by 100. */
  readonly percent?: boolean;
  /** A missing value is an error (default: missing values are allowed and become null). */
  readonly required?: boolean;
  /** What the column holds, with its unit after loading. */
  readonly description: string;
  /** Values must be > 0 (`"positive"`: prices, index levels) or ≥ 0 (`"nonNegative"`: volumes). */
  readonly sign?: "positive" | "nonNegative";
}

/** One market-data file. */
export interface TableSpec {
  /** File name inside the market-data directory. */
  readonly file: string;
  /** One-line description. */
  readonly title: string;
  /** Columns in file order. */
  readonly columns: readonly ColumnSpec[];
  /** Columns whose values are strictly increasing row by row (lexicographically), i.e. sorted and unique. */
  readonly key: readonly string[];
  /** Key columns that identify rows but need not be sorted (e.g. rating labels in published order). */
  readonly unsortedKey?: boolean;
}

const date: ColumnSpec = { name: "date", type: "date", required: true, description: "trading or observation date" };
const pct = (name: string, description: string): ColumnSpec => ({ name, type: "number", percent: true, description });
const num = (name: string, description: string, required = false): ColumnSpec => ({
  name,
  type: "number",
  required,
  description,
});

/** Treasury constant-maturity tenors of `treasury_yields.csv`, in years. */
export const TREASURY_TENORS: Readonly<Record<string, number>> = {
  DGS1MO: 1 / 12,
  DGS3MO: 0.25,
  DGS6MO: 0.5,
  DGS1: 1,
  DGS2: 2,
  DGS3: 3,
  DGS5: 5,
  DGS7: 7,
  DGS10: 10,
  DGS20: 20,
  DGS30: 30,
};

/** Tickers of the five energy firms in the Merton/KMV files. */
export const KMV_TICKERS = ["APA", "DVN", "HAL", "HES", "OXY"] as const;

/**
 * The 11 GICS sectors of `sp500_fundamentals.csv`, as spelt in the file (the S&P 500 constituents list of 2017, when
 * telecommunication services was still a sector of its own).
 */
export const GICS_SECTORS = [
  "Consumer Discretionary",
  "Consumer Staples",
  "Energy",
  "Financials",
  "Health Care",
  "Industrials",
  "Information Technology",
  "Materials",
  "Real Estate",
  "Telecommunications Services",
  "Utilities",
] as const;

/** Rating buckets of the published S&P transition matrix, best first, then default and rating withdrawn. */
export const SP_RATINGS = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC/C"] as const;

const positive = (c: ColumnSpec): ColumnSpec => ({ ...c, sign: "positive" });
// A required amount in whole US dollars (the 10-K figures of sp500_fundamentals.csv), with an optional sign rule.
const usd = (name: string, description: string, sign?: "positive" | "nonNegative"): ColumnSpec => ({
  name,
  type: "integer",
  required: true,
  description,
  ...(sign ? { sign } : {}),
});
// A bar: every price > 0 and high ≥ low (parseTable checks the order of any table with high and low columns).
const ohlc = (unit: string, required = true): ColumnSpec[] => [
  positive(num("open", `opening price, ${unit}`, required)),
  positive(num("high", `session high, ${unit}`, true)),
  positive(num("low", `session low, ${unit}`, true)),
  positive(num("close", `closing price, ${unit}`, true)),
];

const etf = (file: string, name: string): TableSpec => ({
  file,
  title: `${name}: daily bars and distributions (Yahoo Finance)`,
  columns: [
    date,
    ...ohlc("USD per share"),
    positive(num("adj_close", "close adjusted for dividends and splits as of the download, USD per share", true)),
    { name: "volume", type: "integer", required: true, description: "shares traded", sign: "nonNegative" },
    num("dividend", "cash distribution per share on its ex-date (0 otherwise), USD", true),
  ],
  key: ["date"],
});

const transitionColumns = (withNR: boolean): ColumnSpec[] => [
  { name: "from_rating", type: "string", required: true, description: "rating at the start of the year" },
  ...[...SP_RATINGS, "D", ...(withNR ? ["NR"] : [])].map((r) => ({
    name: r,
    type: "number" as const,
    percent: true,
    required: true,
    description: `probability of ending the year at ${r}`,
  })),
];

/** Every file of the market-data directory, by a short name. */
export const MARKET_FILES = {
  treasuryYields: {
    file: "treasury_yields.csv",
    title: "US Treasury constant-maturity yields (Federal Reserve H.15, via FRED)",
    columns: [
      date,
      ...Object.entries(TREASURY_TENORS).map(([name, years]) =>
        pct(name, `${years < 1 ? `${Math.round(years * 12)}-month` : `${years}-year`} CMT yield, decimal`)
      ),
    ],
    key: ["date"],
  },
  creditSpreads: {
    file: "credit_spreads.csv",
    title: "Corporate option-adjusted spreads (ICE BofA) and Moody's seasoned yields (via FRED)",
    columns: [
      date,
      pct("BAMLC0A0CM", "ICE BofA US Corporate (investment grade) OAS, decimal"),
      pct("BAMLH0A0HYM2", "ICE BofA US High Yield OAS, decimal"),
      pct("BAMLC0A1CAAA", "ICE BofA AAA US Corporate OAS, decimal"),
      pct("BAMLC0A4CBBB", "ICE BofA BBB US Corporate OAS, decimal"),
      pct("DAAA", "Moody's seasoned Aaa corporate bond yield, decimal"),
      pct("DBAA", "Moody's seasoned Baa corporate bond yield, decimal"),
      pct("BAA10Y", "Moody's Baa yield minus the 10-year Treasury yield, decimal"),
    ],
    key: ["date"],
  },
  vix: {
    file: "vix.csv",
    title: "Cboe Volatility Index, daily close (FRED VIXCLS)",
    columns: [date, positive(num("VIXCLS", "VIX close, index points (annualised volatility in percent)"))],
    key: ["date"],
  },
  vixOhlc: {
    file: "vix_cboe_ohlc.csv",
    title: "Cboe Volatility Index, daily open/high/low/close (Cboe)",
    columns: [date, ...ohlc("index points")],
    key: ["date"],
  },
  hyg: etf("hyg.csv", "iShares iBoxx $ High Yield Corporate Bond ETF (HYG)"),
  lqd: etf("lqd.csv", "iShares iBoxx $ Investment Grade Corporate Bond ETF (LQD)"),
  spx: {
    file: "spx.csv",
    title: "S&P 500 index, daily bars (Yahoo Finance ^GSPC)",
    columns: [
      date,
      ...ohlc("index points", false),
      { name: "volume", type: "integer", required: true, description: "volume as reported", sign: "nonNegative" },
    ],
    key: ["date"],
  },
  equityPrices: {
    file: "kmv_equity_prices.csv",
    title: "Daily equity prices of the Merton/KMV firms (Yahoo Finance)",
    columns: [
      date,
      { name: "ticker", type: "string", required: true, description: "ticker symbol" },
      ...ohlc("USD per share"),
      positive(num("adj_close", "close adjusted for dividends and splits, USD per share", true)),
      { name: "volume", type: "integer", required: true, description: "shares traded", sign: "nonNegative" },
    ],
    key: ["ticker", "date"],
  },
  fundamentals: {
    file: "kmv_fundamentals.csv",
    title: "Annual balance sheets of the Merton/KMV firms (10-K filings)",
    columns: [
      { name: "ticker", type: "string", required: true, description: "ticker symbol" },
      { name: "period_ending", type: "date", required: true, description: "fiscal year-end date" },
      { name: "fiscal_year", type: "integer", required: true, description: "fiscal year" },
      num("cash_and_equivalents", "cash and equivalents, USD", true),
      num("short_term_debt", "short-term debt and current portion of long-term debt, USD", true),
      num("long_term_debt", "long-term debt, USD", true),
      num("total_current_liabilities", "total current liabilities, USD", true),
      num("total_liabilities", "total liabilities, USD", true),
      num("total_assets", "total assets, USD", true),
      num("total_equity", "total shareholders' equity (book), USD", true),
      num("net_income", "net income, USD", true),
      num("eps", "earnings per share, USD"),
      num("shares_outstanding_est", "estimated shares outstanding = net income / EPS"),
    ],
    key: ["ticker", "period_ending"],
  },
  kmvInputs: {
    file: "kmv_inputs.csv",
    title: "Daily Merton/KMV inputs: market capitalisation and the latest balance sheet (no reporting lag)",
    columns: [
      date,
      { name: "ticker", type: "string", required: true, description: "ticker symbol" },
      num("close", "closing price, USD per share", true),
      num("shares_outstanding_est", "estimated shares outstanding"),
      num("market_cap_usd", "close × shares, USD"),
      num("short_term_debt", "short-term debt, USD", true),
      num("long_term_debt", "long-term debt, USD", true),
      num("total_liabilities", "total liabilities, USD", true),
      num("kmv_default_point", "short-term debt + 0.5 × long-term debt, USD", true),
      { name: "fundamentals_period_ending", type: "date", required: true, description: "fiscal year-end used" },
    ],
    key: ["ticker", "date"],
  },
  sp500Fundamentals: {
    file: "sp500_fundamentals.csv",
    title: "Annual 10-K fundamentals of 447 S&P 500 companies in 11 GICS sectors, FY2012–2016 (Kaggle NYSE dataset)",
    columns: [
      { name: "ticker", type: "string", required: true, description: "ticker symbol" },
      { name: "security", type: "string", required: true, description: "company name" },
      { name: "gics_sector", type: "string", required: true, description: "GICS sector, one of GICS_SECTORS" },
      { name: "period_ending", type: "date", required: true, description: "fiscal year-end date" },
      { name: "fiscal_year", type: "integer", required: true, description: "fiscal year (the dataset's For Year)" },
      usd("total_revenue", "total revenue, USD", "nonNegative"),
      usd("ebit", "earnings before interest and tax, USD"),
      usd("interest_expense", "interest expense, USD (0 with debt outstanding is a missing value)", "nonNegative"),
      usd("net_income", "net income, USD"),
      usd("cash_and_equivalents", "cash and equivalents, USD", "nonNegative"),
      usd("short_term_debt", "short-term debt and current portion of long-term debt, USD", "nonNegative"),
      usd("long_term_debt", "long-term debt, USD", "nonNegative"),
      usd("total_current_liabilities", "total current liabilities, USD", "nonNegative"),
      usd("total_liabilities", "total liabilities, USD", "nonNegative"),
      usd("total_assets", "total assets, USD", "positive"),
      usd("total_equity", "total shareholders' equity (book), USD; negative for a few firms"),
      num("eps", "earnings per share, USD"),
      {
        name: "shares_outstanding_est",
        type: "integer",
        description: "estimated shares outstanding = net income / EPS (negative when the two disagree in sign)",
      },
    ],
    key: ["ticker", "period_ending"],
  },
  ratingTransitions: {
    file: "rating_transition_matrix.csv",
    title: "S&P global corporate one-year transition rates 1981–2016, with D and NR columns",
    columns: transitionColumns(true),
    key: ["from_rating"],
    unsortedKey: true,
  },
  ratingTransitionsNrAdjusted: {
    file: "rating_transition_matrix_nr_adjusted.csv",
    title: "S&P one-year transition rates with NR removed and rows rescaled, plus an absorbing D row",
    columns: transitionColumns(false),
    key: ["from_rating"],
    unsortedKey: true,
  },
  ratingTransitionsMultiYear: {
    file: "rating_transition_matrices_multiyear.csv",
    title: "S&P average multi-year transition rates (1, 2, 3, 5, 7, 10, 15, 20 years)",
    columns: [
      { name: "horizon_years", type: "integer", required: true, description: "horizon in years" },
      { name: "from_rating", type: "string", required: true, description: "initial rating" },
      { name: "to_rating", type: "string", required: true, description: "rating at the horizon (incl. D, NR)" },
      { ...pct("pct", "probability of the migration over the horizon, decimal"), required: true },
    ],
    key: ["horizon_years", "from_rating", "to_rating"],
    unsortedKey: true,
  },
} as const satisfies Record<string, TableSpec>;

/** Short name of a market-data file, e.g. `"treasuryYields"`. */
export type MarketFileName = keyof typeof MARKET_FILES;
