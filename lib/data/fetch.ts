/**
 * Downloads the public market-data series from their publishers into a market-data directory, in the format the
 * loaders read (`deno task data:fetch`). Nothing downloaded here is ever committed: most of it is its owners'
 * copyright, licensed for personal research use (see `SOURCES.md` of the shared data and the README).
 *
 * | file                                   | publisher and endpoint                                          |
 * |----------------------------------------|-----------------------------------------------------------------|
 * | treasury_yields.csv                    | Federal Reserve H.15 via FRED, `fredgraph.csv?id=DGS10`, …      |
 * | credit_spreads.csv                     | ICE BofA OAS and Moody's yields via FRED (ICE: last ~3 years)   |
 * | vix.csv                                | Cboe VIX close via FRED (`VIXCLS`)                              |
 * | vix_cboe_ohlc.csv                      | Cboe `VIX_History.csv`                                          |
 * | hyg.csv, lqd.csv, spx.csv              | Yahoo Finance chart API (daily bars, dividends)                 |
 * | kmv_equity_prices.csv                  | Yahoo Finance chart API, five energy firms                      |
 * | rating_transition_matrix*.csv          | S&P 1981–2016 rates as published in open-risk/transitionMatrix  |
 *
 * `kmv_fundamentals.csv`, `kmv_inputs.csv` and `sp500_fundamentals.csv` have no public endpoint (Kaggle datasets) and are
 * reported as skipped. Every request is retried with exponential back-off on network errors, HTTP 429 and 5xx;
 * a machine without internet gets one clear message instead of a stack trace.
 * @module
 */
import pl from "nodejs-polars";
import { KMV_TICKERS, MARKET_FILES, type MarketFileName, SP_RATINGS } from "./schema.ts";
import { writeCsv } from "./write.ts";
import { MarketDataError } from "./table.ts";
import { parseIsoDate } from "../core/calendar.ts";
import { typeError } from "../core/check.ts";

/** Base URLs of the publishers; tests point them at a loopback server. */
export interface Endpoints {
  readonly fred: string;
  readonly cboe: string;
  readonly yahoo: string;
  readonly transitions: string;
}

/** The publishers' public endpoints. */
export const PUBLIC_ENDPOINTS: Endpoints = {
  fred: "https://fred.stlouisfed.org/graph/fredgraph.csv",
  cboe: "https://cdn.cboe.com/api/global/us_indices/daily_prices/VIX_History.csv",
  yahoo: "https://query1.finance.yahoo.com/v8/finance/chart",
  transitions: "https://raw.githubusercontent.com/open-risk/transitionMatrix/master/datasets/sp_1981-2016.csv",
};

/** Options of {@linkcode fetchMarketData}. */
export interface FetchOptions {
  /** Destination directory (created if missing). */ readonly dir: string;
  /** Endpoints; default {@linkcode PUBLIC_ENDPOINTS}. */ readonly endpoints?: Partial<Endpoints>;
  /** Files to fetch (default all that have an endpoint). */ readonly only?: readonly MarketFileName[];
  /** Attempts per request (default 4). */ readonly attempts?: number;
  /** First back-off delay in ms, doubled at each retry (default 1,000). */ readonly backoffMs?: number;
  /** Timeout per request in ms (default 60,000). */ readonly timeoutMs?: number;
  /** Progress lines; default none. */ readonly log?: (line: string) => void;
}

/** Outcome of {@linkcode fetchMarketData}. */
export interface FetchReport {
  readonly written: { readonly file: string; readonly rows: number }[];
  readonly skipped: { readonly file: string; readonly reason: string }[];
  readonly failed: { readonly file: string; readonly error: string }[];
}

/** No network: the first request could not connect at all. */
export class OfflineError extends Error {
  override name = "OfflineError";
}

const FRED_SERIES: Partial<Record<MarketFileName, readonly string[]>> = {
  treasuryYields: MARKET_FILES.treasuryYields.columns.slice(1).map((c) => c.name),
  creditSpreads: MARKET_FILES.creditSpreads.columns.slice(1).map((c) => c.name),
  vix: ["VIXCLS"],
};

const NO_ENDPOINT: Partial<Record<MarketFileName, string>> = {
  fundamentals: "no public endpoint: the balance sheets come from the Kaggle dataset described in SOURCES.md",
  kmvInputs: "derived from kmv_fundamentals.csv, which has no public endpoint",
  sp500Fundamentals: "no public endpoint: the 10-K figures come from the Kaggle dataset described in SOURCES.md",
};

/**
 * Fetches every public series into `opts.dir`, one progress line per series.
 *
 * @throws {OfflineError} If the first request cannot connect (no network, DNS failure).
 */
export async function fetchMarketData(opts: FetchOptions): Promise<FetchReport> {
  const endpoints = { ...PUBLIC_ENDPOINTS, ...opts.endpoints };
  const log = opts.log ?? (() => {});
  const wanted = (opts.only ?? Object.keys(MARKET_FILES)) as MarketFileName[];
  Deno.mkdirSync(opts.dir, { recursive: true });
  const client = new Client(opts, log);
  const report: FetchReport = { written: [], skipped: [], failed: [] };
  const save = (name: MarketFileName, table: pl.DataFrame) => {
    writeCsv(table, MARKET_FILES[name], opts.dir);
    report.written.push({ file: MARKET_FILES[name].file, rows: table.height });
    log(`  → ${MARKET_FILES[name].file}: ${table.height.toLocaleString("en-US")} rows`);
  };
  const attempt = async (name: MarketFileName, job: () => Promise<void>) => {
    try {
      await job();
    } catch (error) {
      if (error instanceof OfflineError) throw error;
      report.failed.push({ file: MARKET_FILES[name].file, error: (error as Error).message });
      log(`  ✗ ${MARKET_FILES[name].file}: ${(error as Error).message}`);
    }
  };

  for (const name of wanted) {
    const series = FRED_SERIES[name];
    if (series) {
      await attempt(name, async () => {
        const columns = new Map<string, Map<string, number | null>>();
        for (const id of series) columns.set(id, await client.fredSeries(endpoints.fred, id));
        save(name, mergeByDate(MARKET_FILES[name].columns.map((c) => c.name), columns));
      });
    } else if (name === "vixOhlc") {
      await attempt(name, async () => save(name, parseCboe(await client.text(endpoints.cboe, "Cboe VIX history"))));
    } else if (name === "hyg" || name === "lqd") {
      await attempt(
        name,
        async () => save(name, yahooTable(await client.yahoo(endpoints.yahoo, name.toUpperCase()), "etf")),
      );
    } else if (name === "spx") {
      await attempt(name, async () => save(name, yahooTable(await client.yahoo(endpoints.yahoo, "^GSPC"), "index")));
    } else if (name === "equityPrices") {
      await attempt(name, async () => {
        const tables = [];
        for (const ticker of KMV_TICKERS) {
          tables.push(yahooTable(await client.yahoo(endpoints.yahoo, ticker), "equity", ticker));
        }
        save(name, pl.concat(tables));
      });
    } else if (name === "ratingTransitions") {
      await attempt(name, async () => {
        const tables = parseOpenRiskMatrices(await client.text(endpoints.transitions, "S&P transition rates"));
        for (const [file, table] of Object.entries(tables) as [MarketFileName, pl.DataFrame][]) {
          if (wanted.includes(file)) save(file, table);
        }
      });
    } else if (name === "ratingTransitionsNrAdjusted" || name === "ratingTransitionsMultiYear") {
      if (!wanted.includes("ratingTransitions")) {
        await attempt(name, async () => {
          save(name, parseOpenRiskMatrices(await client.text(endpoints.transitions, "S&P transition rates"))[name]);
        });
      }
    } else if (NO_ENDPOINT[name]) {
      report.skipped.push({ file: MARKET_FILES[name].file, reason: NO_ENDPOINT[name]! });
      log(`  – ${MARKET_FILES[name].file}: skipped (${NO_ENDPOINT[name]})`);
    }
  }
  return report;
}

/** HTTP with retries, timeouts, progress and offline detection. */
class Client {
  private requests = 0;
  constructor(private readonly opts: FetchOptions, private readonly log: (line: string) => void) {}

  async text(url: string, label: string): Promise<string> {
    const attempts = this.opts.attempts ?? 4;
    let delay = this.opts.backoffMs ?? 1000;
    const host = new URL(url).host;
    this.log(`[${++this.requests}] ${label} … ${host}`);
    for (let attempt = 1;; attempt++) {
      let problem: string;
      try {
        const response = await fetch(url, {
          headers: { "User-Agent": "creditlab-data-fetch/1.0 (research; https://github.com/creditlab)" },
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000),
        });
        if (response.ok) return await response.text();
        await response.body?.cancel();
        problem = `HTTP ${response.status} ${response.statusText}`.trim();
        if (response.status !== 429 && response.status < 500) throw new Error(`${label}: ${problem} from ${url}`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith(`${label}: HTTP`)) throw error;
        problem = (error as Error).message;
        if (this.requests === 1 && attempt === attempts) {
          throw new OfflineError(
            `Cannot reach ${host} (${problem}). deno task data:fetch needs the internet; until the data is ` +
              `downloaded, the notebooks run on the synthetic stand-in market.`,
          );
        }
      }
      if (attempt >= attempts) throw new Error(`${label}: ${problem} after ${attempts} attempts (${url})`);
      this.log(`    retry ${attempt}/${attempts - 1} in ${(delay / 1000).toFixed(1)} s (${problem})`);
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }

  /** One FRED series as date → value (percent or points; "." and empty are missing). */
  async fredSeries(base: string, id: string): Promise<Map<string, number | null>> {
    const text = await this.text(`${base}?id=${encodeURIComponent(id)}`, `FRED ${id}`);
    const lines = text.trim().split(/\r?\n/);
    const header = lines[0].split(",");
    if (header.length !== 2 || !/^(observation_date|DATE)$/.test(header[0]) || header[1] !== id) {
      throw new Error(`FRED ${id}: unexpected header ${JSON.stringify(lines[0])}`);
    }
    const out = new Map<string, number | null>();
    for (let i = 1; i < lines.length; i++) {
      const [date, raw] = lines[i].split(",");
      if (!isCalendarDate(date)) throw new Error(`FRED ${id}: line ${i + 1} has date ${JSON.stringify(date)}`);
      const value = raw === "." || raw === "" || raw === undefined ? null : Number(raw);
      if (value !== null && !Number.isFinite(value)) {
        throw new Error(`FRED ${id}: line ${i + 1} has value ${JSON.stringify(raw)}`);
      }
      out.set(date, value);
    }
    return out;
  }

  async yahoo(base: string, symbol: string): Promise<YahooChart> {
    const now = Math.floor(Date.now() / 1000);
    const url = `${base}/${
      encodeURIComponent(symbol)
    }?period1=0&period2=${now}&interval=1d&events=div%2Csplit&includeAdjustedClose=true`;
    const json = JSON.parse(await this.text(url, `Yahoo ${symbol}`));
    const result = json?.chart?.result?.[0];
    if (!result?.timestamp) {
      throw new Error(
        `Yahoo ${symbol}: no price history in the response (${json?.chart?.error?.description ?? "empty"})`,
      );
    }
    return result as YahooChart;
  }
}

interface YahooChart {
  meta: { gmtoffset?: number };
  timestamp: number[];
  indicators: {
    quote: {
      open: (number | null)[];
      high: (number | null)[];
      low: (number | null)[];
      close: (number | null)[];
      volume: (number | null)[];
    }[];
    adjclose?: { adjclose: (number | null)[] }[];
  };
  events?: { dividends?: Record<string, { amount: number; date: number }> };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const dateOf = (seconds: number) => new Date(Math.floor(seconds / 86_400) * 86_400_000);

/** Yahoo bars as a table of the ETF, index or equity schema; sessions without a close (placeholders) are dropped. */
function yahooTable(chart: YahooChart, kind: "etf" | "index" | "equity", ticker?: string): pl.DataFrame {
  const q = chart.indicators.quote[0];
  const adj = chart.indicators.adjclose?.[0]?.adjclose;
  const offset = chart.meta.gmtoffset ?? -18_000;
  const dividends = new Map<string, number>();
  for (const d of Object.values(chart.events?.dividends ?? {})) {
    dividends.set(dateOf(d.date + offset).toISOString().slice(0, 10), d.amount);
  }
  const rows: Record<string, unknown[]> = {
    date: [],
    ticker: [],
    open: [],
    high: [],
    low: [],
    close: [],
    adj_close: [],
    volume: [],
    dividend: [],
  };
  const seen = new Set<string>();
  chart.timestamp.forEach((ts, i) => {
    const close = q.close[i];
    if (close === null || q.high[i] === null || q.low[i] === null) return;
    const date = dateOf(ts + offset);
    const key = date.toISOString().slice(0, 10);
    if (seen.has(key)) return; // Yahoo repeats the live session on the day of the download
    seen.add(key);
    const open = q.open[i];
    rows.date.push(date);
    rows.ticker.push(ticker);
    rows.open.push(open === null || open === 0 ? null : round(open, kind === "index" ? 2 : 4));
    rows.high.push(round(q.high[i]!, kind === "index" ? 2 : 4));
    rows.low.push(round(q.low[i]!, kind === "index" ? 2 : 4));
    rows.close.push(round(close, kind === "index" ? 2 : 4));
    rows.adj_close.push(round(adj?.[i] ?? close, 6));
    rows.volume.push(q.volume[i] ?? 0);
    rows.dividend.push(dividends.get(key) ?? 0);
  });
  const spec = kind === "etf" ? MARKET_FILES.hyg : kind === "index" ? MARKET_FILES.spx : MARKET_FILES.equityPrices;
  return pl.DataFrame(spec.columns.map((c) => {
    const values = rows[c.name];
    if (c.type === "date") return pl.Series(c.name, values as Date[]).cast(pl.Date);
    if (c.type === "string") return pl.Series(c.name, values as string[], pl.Utf8);
    if (c.type === "integer") return pl.Series(c.name, values as number[], pl.Float64).cast(pl.Int64);
    return pl.Series(c.name, values as (number | null)[], pl.Float64);
  }));
}

/** Joins FRED series on the union of their dates, in date order. */
function mergeByDate(columns: string[], series: Map<string, Map<string, number | null>>): pl.DataFrame {
  const dates = [...new Set([...series.values()].flatMap((s) => [...s.keys()]))].sort();
  return pl.DataFrame([
    pl.Series("date", dates.map((d) => new Date(`${d}T00:00:00Z`))).cast(pl.Date),
    ...columns.slice(1).map((id) => pl.Series(id, dates.map((d) => series.get(id)!.get(d) ?? null), pl.Float64)),
  ]);
}

/** True for a real `YYYY-MM-DD` calendar date (`2015-02-30` is not one). */
function isCalendarDate(text: string | undefined): boolean {
  if (text === undefined) return false;
  try {
    parseIsoDate(text);
    return true;
  } catch {
    return false;
  }
}

/** A malformed download, in the grammar of the loaders' file errors: `Cannot load <what>: <where> must be …`. */
function malformed(what: string, where: string, rule: string, received: string): MarketDataError {
  return new MarketDataError(`Cannot load ${what}: ${where} must be ${rule}, received ${received}`);
}

/**
 * Cboe's `VIX_History.csv` (`DATE,OPEN,HIGH,LOW,CLOSE`, US dates MM/DD/YYYY) as the `vix_cboe_ohlc.csv` schema.
 *
 * @throws {TypeError} If `text` is not a string.
 * @throws {MarketDataError} If the header differs, a date is not a real calendar date (`02/30/2015` is refused), or
 *   a line does not hold four finite values; the message names the line (1-based, the header is line 1).
 */
export function parseCboe(text: string): pl.DataFrame {
  const what = "Cboe VIX history";
  if (typeof text !== "string") throw typeError("parse Cboe VIX history", "text", "a string (CSV text)", text);
  const lines = text.trim().split(/\r?\n/);
  if (!/^DATE,OPEN,HIGH,LOW,CLOSE$/i.test(lines[0].trim())) {
    throw malformed(what, "line 1", "the header DATE,OPEN,HIGH,LOW,CLOSE", JSON.stringify(lines[0]));
  }
  const rows = lines.slice(1).map((line, i) => {
    const [date, ...values] = line.split(",");
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(date);
    const day = m ? new Date(Date.UTC(+m[3], +m[1] - 1, +m[2])) : null;
    if (!m || !day || day.getUTCMonth() !== +m[1] - 1 || day.getUTCDate() !== +m[2] || +m[3] < 100) {
      throw malformed(what, `line ${i + 2}`, "a calendar date MM/DD/YYYY", JSON.stringify(date));
    }
    const numbers = values.map((v) => (v.trim() === "" ? NaN : Number(v))); // an empty field is no 0
    if (numbers.length !== 4 || numbers.some((v) => !Number.isFinite(v))) {
      throw malformed(what, `line ${i + 2}`, "a date and 4 finite values", JSON.stringify(values.join(",")));
    }
    return { date: day, values: numbers };
  });
  return pl.DataFrame([
    pl.Series("date", rows.map((r) => r.date)).cast(pl.Date),
    ...["open", "high", "low", "close"].map((c, k) => pl.Series(c, rows.map((r) => r.values[k]), pl.Float64)),
  ]);
}

/**
 * The S&P multi-horizon matrices in open-risk's layout (a line `7,9,8,<tenors…>`, then 7 rows of 9 rates per
 * tenor: AAA … CCC/C, D, NR, in percent) as the three transition files: the one-year matrix, its NR-adjusted form
 * (NR dropped, rows rescaled to 100, absorbing D row; 4 decimals) and the long multi-year table.
 *
 * @throws {TypeError} If `text` is not a string.
 * @throws {MarketDataError} If the layout line is missing or differs (7 ratings, 9 columns, the tenors including 1
 *   year, as many tenors as it announces), lines are missing, or a rate is not a finite number.
 */
export function parseOpenRiskMatrices(text: string): Record<
  "ratingTransitions" | "ratingTransitionsNrAdjusted" | "ratingTransitionsMultiYear",
  pl.DataFrame
> {
  const what = "S&P transition rates";
  if (typeof text !== "string") throw typeError("parse S&P transition rates", "text", "a string (CSV text)", text);
  const lines = text.trim().split(/\r?\n/);
  const to = [...SP_RATINGS, "D", "NR"];
  const layout = `the layout ${SP_RATINGS.length},${to.length},<number of tenors>,<tenors in years, including 1>`;
  if (lines.length < 2) throw malformed(what, "line 2", layout, "the end of the text");
  const shape = lines[1].split(",").filter((x) => x !== "").map(Number);
  const [nFrom, nTo, nPeriods, ...tenors] = shape;
  if (
    nFrom !== SP_RATINGS.length || nTo !== to.length || tenors.length !== nPeriods || nPeriods < 1 ||
    !tenors.every((h) => Number.isInteger(h) && h >= 1) || new Set(tenors).size !== nPeriods || !tenors.includes(1)
  ) {
    throw malformed(what, "line 2", layout, JSON.stringify(lines[1]));
  }
  if (lines.length < 2 + nFrom * nPeriods) {
    throw malformed(what, "the text", `${2 + nFrom * nPeriods} lines for ${nPeriods} tenors`, `${lines.length}`);
  }
  const block = (k: number) =>
    Array.from({ length: nFrom }, (_, i) => {
      const values = lines[2 + k * nFrom + i].split(",").slice(0, nTo).map((v) => (v.trim() === "" ? NaN : Number(v)));
      if (values.length !== nTo || values.some((v) => !Number.isFinite(v))) {
        throw malformed(
          what,
          `line ${3 + k * nFrom + i}`,
          `${nTo} finite rates in percent`,
          JSON.stringify(lines[2 + k * nFrom + i]),
        );
      }
      return values;
    });
  const one = block(tenors.indexOf(1));
  one.forEach((row, i) => {
    if (!(row[nTo - 1] < 100)) {
      throw malformed(what, `line ${3 + tenors.indexOf(1) * nFrom + i}`, "an NR rate below 100 %", `${row[nTo - 1]}`);
    }
  });
  const ratingTransitions = pl.DataFrame([
    pl.Series("from_rating", [...SP_RATINGS], pl.Utf8),
    ...to.map((r, j) => pl.Series(r, one.map((row) => row[j]), pl.Float64)),
  ]);
  const adjusted = one.map((row) => row.slice(0, nTo - 1).map((x) => round((100 * x) / (100 - row[nTo - 1]), 4)));
  adjusted.push([...new Array(nFrom).fill(0), 100]);
  const ratingTransitionsNrAdjusted = pl.DataFrame([
    pl.Series("from_rating", [...SP_RATINGS, "D"], pl.Utf8),
    ...to.slice(0, -1).map((r, j) => pl.Series(r, adjusted.map((row) => row[j]), pl.Float64)),
  ]);
  const long = {
    horizon_years: [] as number[],
    from_rating: [] as string[],
    to_rating: [] as string[],
    pct: [] as number[],
  };
  tenors.forEach((h, k) => {
    block(k).forEach((row, i) => {
      row.forEach((pct, j) => {
        long.horizon_years.push(h),
          long.from_rating.push(SP_RATINGS[i]),
          long.to_rating.push(to[j]),
          long.pct.push(pct);
      });
    });
  });
  const ratingTransitionsMultiYear = pl.DataFrame([
    pl.Series("horizon_years", long.horizon_years, pl.Float64).cast(pl.Int64),
    pl.Series("from_rating", long.from_rating, pl.Utf8),
    pl.Series("to_rating", long.to_rating, pl.Utf8),
    pl.Series("pct", long.pct, pl.Float64),
  ]);
  return { ratingTransitions, ratingTransitionsNrAdjusted, ratingTransitionsMultiYear };
}
