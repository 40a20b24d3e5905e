import assert from "node:assert/strict";
import { assertClose, scratchDir } from "../_assert.ts";
import { fetchMarketData, OfflineError, parseCboe, parseOpenRiskMatrices } from "../../lib/data/fetch.ts";
import { MarketDataError } from "../../lib/data/table.ts";
import {
  loadCreditSpreads,
  loadEquityPrices,
  loadEtf,
  loadMultiYearTransitions,
  loadRatingTransitions,
  loadSpx,
  loadTreasuryYields,
  loadVix,
  loadVixOhlc,
} from "../../lib/data/load.ts";
import { directorySource } from "../../lib/data/source.ts";
import { KMV_TICKERS, MARKET_FILES, SP_RATINGS } from "../../lib/data/schema.ts";
import { dateColumn, floatColumn, nullableColumn, stringColumn } from "../../lib/data/columns.ts";
import { isoDate } from "../../lib/core/calendar.ts";

// A loopback server imitating the publishers with made-up sample values (no real data).
const DAY = 86_400;
const OPEN = Date.UTC(2024, 0, 2, 14, 30) / 1000; // 9:30 New York on 2 January 2024
const TIMESTAMPS = [OPEN, OPEN + DAY, OPEN + 2 * DAY];

function fred(id: string): string {
  const base = id.startsWith("DGS") ? 4 : id === "VIXCLS" ? 13 : 1.2;
  return `observation_date,${id}\n2024-01-02,${base}\n2024-01-15,.\n2024-01-16,${base + 0.25}\n`;
}

function yahoo(symbol: string) {
  const p = symbol === "^GSPC" ? 4700 : 80;
  return {
    chart: {
      result: [{
        meta: { gmtoffset: -18_000 },
        timestamp: TIMESTAMPS,
        indicators: {
          quote: [{
            open: [p, p + 1, 0],
            high: [p + 2, p + 3, p + 2],
            low: [p - 1, p, p - 1],
            close: [p + 1, p + 2, null],
            volume: [1000, 2000, 0],
          }],
          adjclose: [{ adjclose: [p - 0.5, p + 0.5, null] }],
        },
        events: { dividends: { [OPEN + DAY]: { amount: 0.42, date: OPEN + DAY } } },
      }],
      error: null,
    },
  };
}

function openRisk(): string {
  const tenors = [1, 2, 3, 5, 7, 10, 15, 20];
  const rows = tenors.flatMap((h) =>
    SP_RATINGS.map((_, i) => {
      const stay = 90 - 2 * h - i, nr = h, d = 1 + i / 2; // rows sum to 100
      const row = new Array(9).fill(0);
      row[i] = stay;
      row[i === 6 ? 5 : i + 1] += 100 - stay - nr - d;
      row[7] += d;
      row[8] = nr;
      return `${row.join(",")},,`;
    })
  );
  return `From States,To States,Periods,Tenor\n7,9,8,${tenors.join(",")}\n${rows.join("\n")}\n`;
}

function serve(failures: Map<string, number>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const url = new URL(req.url);
    const key = url.pathname + url.search;
    const left = [...failures.entries()].find(([k]) => key.includes(k));
    if (left && left[1] > 0) {
      failures.set(left[0], left[1] - 1);
      return new Response("busy", { status: 503 });
    }
    if (url.pathname === "/fred") return new Response(fred(url.searchParams.get("id")!));
    if (url.pathname === "/cboe") {
      return new Response(
        "DATE,OPEN,HIGH,LOW,CLOSE\n01/02/2024,13.21,14.23,13.1,13.2\n01/03/2024,13.3,14.5,13.0,14.04\n",
      );
    }
    if (url.pathname.startsWith("/yahoo/")) {
      const symbol = decodeURIComponent(url.pathname.slice(7));
      return symbol === "MISSING" ? new Response("not found", { status: 404 }) : Response.json(yahoo(symbol));
    }
    if (url.pathname === "/transitions") return new Response(openRisk());
    return new Response("no route", { status: 404 });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  return {
    server,
    endpoints: {
      fred: `${base}/fred`,
      cboe: `${base}/cboe`,
      yahoo: `${base}/yahoo`,
      transitions: `${base}/transitions`,
    },
  };
}

Deno.test("fetchMarketData() writes every fetchable file from a loopback server, and the loaders read them", async () => {
  const dir = scratchDir("fetch-");
  const failures = new Map([["id=DGS2", 2]]); // two 503s before DGS2 answers
  const { server, endpoints } = serve(failures);
  const lines: string[] = [];
  try {
    const report = await fetchMarketData({ dir, endpoints, backoffMs: 5, log: (l) => lines.push(l) });
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.skipped.map((s) => s.file).sort(), [
      "kmv_fundamentals.csv",
      "kmv_inputs.csv",
      "sp500_fundamentals.csv",
    ]);
    assert.equal(report.written.length, Object.keys(MARKET_FILES).length - 3);
    assert.equal(failures.get("id=DGS2"), 0);
    assert.ok(lines.some((l) => l.includes("retry 1/3")) && lines.some((l) => l.includes("FRED DGS10")));

    const source = directorySource(dir);
    const y = loadTreasuryYields(source);
    assert.deepEqual(dateColumn(y).map(isoDate), ["2024-01-02", "2024-01-15", "2024-01-16"]);
    assert.deepEqual(nullableColumn(y, "DGS2"), [0.04, null, 0.0425]); // FRED's "." is a missing value
    assertClose(nullableColumn(loadCreditSpreads(source), "BAMLH0A0HYM2")[2]!, 0.0145, { rtol: 1e-15 });
    assert.deepEqual(nullableColumn(loadVix(source), "VIXCLS"), [13, null, 13.25]);
    assert.deepEqual(dateColumn(loadVixOhlc(source)).map(isoDate), ["2024-01-02", "2024-01-03"]);

    const hyg = loadEtf(source, "HYG");
    assert.deepEqual(dateColumn(hyg).map(isoDate), ["2024-01-02", "2024-01-03"]); // the null session is dropped
    assert.deepEqual(floatColumn(hyg, "dividend"), new Float64Array([0, 0.42]));
    assert.deepEqual(nullableColumn(loadSpx(source), "open"), [4700, 4701]);
    const eq = loadEquityPrices(source);
    assert.deepEqual([...new Set(stringColumn(eq, "ticker"))], [...KMV_TICKERS]);

    const m = loadRatingTransitions(source);
    assert.deepEqual(m.probabilities[7], [0, 0, 0, 0, 0, 0, 0, 1]);
    assertClose(m.probabilities[0][0], 88 / 99, { atol: 5e-7 }); // AAA stays 88 % of the 99 % not withdrawn
    assert.equal(loadMultiYearTransitions(source).height, 8 * 7 * 9);
  } finally {
    await server.shutdown();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("fetchMarketData() reports a failing series and keeps the others", async () => {
  const dir = scratchDir("fetch-");
  const { server, endpoints } = serve(new Map([["id=VIXCLS", 99]]));
  try {
    const report = await fetchMarketData({ dir, endpoints, only: ["vix", "vixOhlc"], attempts: 2, backoffMs: 1 });
    assert.deepEqual(report.written.map((w) => w.file), ["vix_cboe_ohlc.csv"]);
    assert.equal(report.failed.length, 1);
    assert.match(report.failed[0].error, /FRED VIXCLS: HTTP 503 .* after 2 attempts/);
  } finally {
    await server.shutdown();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("fetchMarketData() says clearly when there is no network", async () => {
  const dir = scratchDir("fetch-");
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close(); // nothing listens on this port any more
  try {
    await assert.rejects(
      () =>
        fetchMarketData({
          dir,
          endpoints: { fred: `http://127.0.0.1:${port}/fred` },
          only: ["vix"],
          attempts: 2,
          backoffMs: 1,
        }),
      (e: unknown) => e instanceof OfflineError && /Cannot reach 127\.0\.0\.1:\d+ .*needs the internet/.test(e.message),
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("parseCboe() and parseOpenRiskMatrices() report a malformed download as a MarketDataError naming the line", () => {
  const isFileError = (message: string) => (e: unknown) => e instanceof MarketDataError && e.message === message;
  assert.throws(
    () => parseCboe("zz-nonsense"),
    isFileError(
      'Cannot load Cboe VIX history: line 1 must be the header DATE,OPEN,HIGH,LOW,CLOSE, received "zz-nonsense"',
    ),
  );
  // No roll-over of an impossible date into March, and an empty field is not read as 0.
  assert.throws(
    () => parseCboe("DATE,OPEN,HIGH,LOW,CLOSE\n02/30/2015,13.2,14.0,12.9,13.5\n"),
    isFileError('Cannot load Cboe VIX history: line 2 must be a calendar date MM/DD/YYYY, received "02/30/2015"'),
  );
  assert.throws(() => parseCboe("DATE,OPEN,HIGH,LOW,CLOSE\n01/02/2024,,14.0,12.9,13.5\n"), MarketDataError);
  assert.throws(() => parseCboe(null as unknown as string), { name: "TypeError", message: /text must be a string/ });
  assert.equal(parseCboe("DATE,OPEN,HIGH,LOW,CLOSE\n02/28/2015,13.2,14.0,12.9,13.5\n").height, 1);

  assert.throws(
    () => parseOpenRiskMatrices(""),
    isFileError(
      "Cannot load S&P transition rates: line 2 must be the layout 7,9,<number of tenors>,<tenors in years, " +
        "including 1>, received the end of the text",
    ),
  );
  assert.throws(() => parseOpenRiskMatrices("S&P\n7,9,1,2\n"), /line 2 must be the layout/); // no one-year tenor
  assert.throws(() => parseOpenRiskMatrices("S&P\n7,9,1,1\n1,2,3\n"), /the text must be 9 lines for 1 tenors/);
  assert.throws(() => parseOpenRiskMatrices(7 as unknown as string), { name: "TypeError", message: /text must be/ });
});
