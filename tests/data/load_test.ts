import assert from "node:assert/strict";
import { assertClose, realDataDir } from "../_assert.ts";
import {
  loadCreditSpreads,
  loadEquityPrices,
  loadEtf,
  loadFundamentals,
  loadKmvInputs,
  loadMarketTable,
  loadMultiYearTransitions,
  loadRatingTransitions,
  loadSpx,
  loadTreasuryYields,
  loadVix,
  loadVixOhlc,
  type MarketDataSource,
  sourceCaption,
} from "../../lib/data/load.ts";
import { DEFAULT_DATA_DIR, REPO_ROOT } from "../../lib/data/source.ts";
import { loadOverlayHistory, overlayMarketSeries } from "../../lib/data/cdx_history.ts";
import { resolveMarketData } from "../../lib/synthetic/source.ts";
import { MARKET_FILES, type MarketFileName } from "../../lib/data/schema.ts";
import { dateColumn, floatColumn, nullableColumn } from "../../lib/data/columns.ts";
import { isoDate } from "../../lib/core/calendar.ts";

const FIXTURES = resolveMarketData("tests/fixtures/market");

Deno.test("resolveMarketData() follows CREDITLAB_DATA: synthetic, a directory from the repository root, or the default", () => {
  assert.deepEqual(resolveMarketData("synthetic").kind, "synthetic");
  const fixtures = resolveMarketData("tests/fixtures/market") as Extract<MarketDataSource, { kind: "real" }>;
  assert.equal(fixtures.kind, "real");
  assert.equal(fixtures.dir, `${REPO_ROOT}/tests/fixtures/market`);
  assert.equal(fixtures.label, "real market data from tests/fixtures/market");
  let defaultHasCsv = false;
  try {
    defaultHasCsv = [...Deno.readDirSync(DEFAULT_DATA_DIR)].some((e) => e.name.endsWith(".csv"));
  } catch { /* no data/market/ */ }
  assert.equal(resolveMarketData("").kind, defaultHasCsv ? "real" : "synthetic");
  assert.throws(() => resolveMarketData("no/such/dir"), {
    name: "MarketDataError",
    message:
      'Cannot load market data: CREDITLAB_DATA must name an existing directory (relative paths start at the repository root) or "synthetic", received "no/such/dir"',
  });
});

Deno.test("every loader reads its fixture file with the schema's columns and types", () => {
  for (const name of Object.keys(MARKET_FILES) as MarketFileName[]) {
    const table = loadMarketTable(FIXTURES, name);
    assert.deepEqual(table.columns, MARKET_FILES[name].columns.map((c) => c.name), name);
    assert.ok(table.height > 0, name);
  }
  const loaders = [
    loadTreasuryYields,
    loadCreditSpreads,
    loadVix,
    loadVixOhlc,
    loadSpx,
    loadEquityPrices,
    loadFundamentals,
    loadKmvInputs,
    loadMultiYearTransitions,
  ];
  for (const load of loaders) assert.ok(load(FIXTURES).height > 0, load.name);
  assert.ok(loadEtf(FIXTURES, "HYG").height > 0);
  assert.ok(loadEtf(FIXTURES, "LQD").height > 0);
});

Deno.test("loadTreasuryYields() returns decimals and keeps a holiday as a row of nulls", () => {
  const y = loadTreasuryYields(FIXTURES);
  assert.deepEqual(dateColumn(y).map(isoDate), ["2024-01-02", "2024-01-03", "2024-01-15", "2024-01-16"]);
  assertClose(nullableColumn(y, "DGS10")[0]!, 0.0395, { rtol: 1e-15 }); // 3.95 % in the file
  assert.equal(nullableColumn(y, "DGS10")[2], null);
  assert.throws(() => floatColumn(y, "DGS10"), {
    name: "RangeError",
    message: /DGS10\[2\] must be a finite number \(drop missing rows first/,
  });
});

Deno.test("loadCreditSpreads() and loadVix() convert percent and keep index points", () => {
  assertClose(nullableColumn(loadCreditSpreads(FIXTURES), "BAMLH0A0HYM2")[0]!, 0.0339, { rtol: 1e-15 });
  assert.equal(nullableColumn(loadVix(FIXTURES), "VIXCLS")[1], 14.04);
});

Deno.test("loadRatingTransitions() gives probabilities with rows summing to 1", () => {
  const m = loadRatingTransitions(FIXTURES);
  assert.deepEqual(m.from, ["AAA", "AA", "A", "BBB", "BB", "B", "CCC/C", "D"]);
  assert.deepEqual(m.to, ["AAA", "AA", "A", "BBB", "BB", "B", "CCC/C", "D"]);
  for (const row of m.probabilities) assertClose(row.reduce((a, b) => a + b, 0), 1, { atol: 5e-6 });
  assert.deepEqual(m.probabilities[7], [0, 0, 0, 0, 0, 0, 0, 1]);
  assert.equal(loadRatingTransitions(FIXTURES, { nrAdjusted: false }).to.at(-1), "NR");
});

Deno.test("a missing file in a real-data directory fails loudly with the way out", () => {
  const source = resolveMarketData("tests"); // a directory without market files
  assert.throws(() => loadVix(source), {
    name: "MarketDataError",
    message:
      `Cannot load vix.csv: the file must exist in the market-data directory ${REPO_ROOT}/tests (run \`deno task data:fetch\`, or set CREDITLAB_DATA=synthetic for the stand-in), received no such file`,
  });
  // deno-lint-ignore no-explicit-any
  assert.throws(() => loadEtf(FIXTURES, "JNK" as any), {
    name: "RangeError",
    message: /ticker must be "HYG" or "LQD"/,
  });
});

Deno.test("sourceCaption() names the publisher, or says the data are synthetic", () => {
  assert.equal(
    sourceCaption(FIXTURES, "vix", ["VIXCLS"]),
    "Data: Cboe Volatility Index, daily close (FRED VIXCLS) — VIXCLS.",
  );
  assert.match(
    sourceCaption(resolveMarketData("synthetic"), "vix", []),
    /^Data: synthetic stand-in for Cboe Volatility Index/,
  );
});

const real = realDataDir();

Deno.test({
  name: "real data: spot values from SOURCES.md load as the published decimals",
  ignore: real === null,
  fn() {
    const source = resolveMarketData(real!);
    const at = (table: ReturnType<typeof loadVix>, column: string, date: string) => {
      const i = dateColumn(table).map(isoDate).indexOf(date);
      assert.ok(i >= 0, `${date} present`);
      return nullableColumn(table, column)[i];
    };
    const yields = loadTreasuryYields(source);
    assertClose(at(yields, "DGS10", "2023-10-19")!, 0.0498, { rtol: 1e-12 });
    assertClose(at(yields, "DGS10", "2020-08-04")!, 0.0052, { rtol: 1e-12 });
    const spreads = loadCreditSpreads(source);
    assertClose(at(spreads, "BAMLH0A0HYM2", "2008-12-15")!, 0.2182, { rtol: 1e-12 });
    assertClose(at(spreads, "BAMLH0A0HYM2", "2020-03-23")!, 0.1087, { rtol: 1e-12 });
    assert.equal(at(loadVix(source), "VIXCLS", "2020-03-16"), 82.69);
    assert.equal(at(loadSpx(source), "close", "2009-03-09"), 676.53);
    const sp = loadRatingTransitions(source, { nrAdjusted: false });
    assertClose(sp.probabilities[3][sp.to.indexOf("D")], 0.0018, { rtol: 1e-12 }); // BBB → D 0.18 %
    assertClose(sp.probabilities[6][sp.to.indexOf("D")], 0.2678, { rtol: 1e-12 }); // CCC/C → D 26.78 %
  },
});

Deno.test("loadRatingTransitions() and sourceCaption() check their options and names", () => {
  assert.throws(() => loadRatingTransitions(FIXTURES, null as unknown as object), {
    name: "TypeError",
    message: /opts must be/,
  });
  assert.throws(() => loadRatingTransitions(FIXTURES, { nrAdjusted: "yes" as unknown as boolean }), {
    name: "TypeError",
    message: 'Cannot load rating transitions: opts.nrAdjusted must be true or false, received "yes"',
  });
  assert.throws(() => loadRatingTransitions(FIXTURES, { nrAdjust: false } as object), {
    message: /did you mean opts.nrAdjusted/,
  });
  assert.throws(() => sourceCaption(FIXTURES, "zz" as MarketFileName), {
    name: "RangeError",
    message: /name must be one of treasuryYields/,
  });
  assert.throws(() => sourceCaption(FIXTURES, "vix", null as unknown as string[]), {
    name: "TypeError",
    message: /columns must be/,
  });
});

Deno.test("loadOverlayHistory() validates end like start and overlayMarketSeries() names the frame at fault", () => {
  const source = resolveMarketData("synthetic");
  assert.throws(() => loadOverlayHistory({ source, start: "2019-01-01", end: "2019-02-30" }), {
    name: "RangeError",
    message: 'Cannot load overlay history: opts.end must be an ISO date (YYYY-MM-DD), received "2019-02-30"',
  });
  assert.throws(() => loadOverlayHistory({ source, start: "2030-01-01" }), {
    name: "RangeError",
    message: 'Cannot load overlay history: opts.end must be on or after opts.start (2030-01-01), received "2024-12-31"',
  });
  assert.throws(() => loadOverlayHistory(null as unknown as { source: MarketDataSource }), { name: "TypeError" });
  assert.throws(() => loadOverlayHistory({ source, begin: "2019-01-01" } as object as { source: MarketDataSource }), {
    message: /unknown option opts.begin/,
  });
  const vix = loadVixOhlc(FIXTURES);
  assert.throws(() => overlayMarketSeries({ cdx: null as unknown as typeof vix, vix, etf: vix }), {
    name: "TypeError",
    message: "Cannot read overlay market: market.cdx must be a nodejs-polars DataFrame, received null",
  });
  assert.throws(() => overlayMarketSeries({ cdx: vix, vix, etf: vix }), {
    name: "RangeError",
    message: /^Cannot read overlay market: market.cdx must be a DataFrame with column spread, received columns date/,
  });
});

Deno.test("sourceCaption() names Moody's yields only when a Moody's column is shown", async () => {
  const { sourceCaption } = await import("../../lib/data/load.ts");
  const { standInSource } = await import("../../lib/synthetic/source.ts");
  const s = standInSource("caption");
  const ice = sourceCaption(s, "creditSpreads", ["BAMLC0A0CM", "BAMLH0A0HYM2"]);
  if (ice.includes("Moody")) throw new Error(`ICE-only caption names Moody's: ${ice}`);
  const both = sourceCaption(s, "creditSpreads", ["BAMLC0A0CM", "DBAA"]);
  if (!both.includes("Moody")) throw new Error(`caption with DBAA does not name Moody's: ${both}`);
});
