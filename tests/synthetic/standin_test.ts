import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertClose, realDataDir } from "../_assert.ts";
import { standInMarket, standInTable } from "../../lib/synthetic/standin.ts";
import { STAND_IN_PARAMS } from "../../lib/synthetic/standin_params.ts";
import { calibrateStandIn } from "../../lib/synthetic/calibrate.ts";
import { loadMarketTable } from "../../lib/data/load.ts";
import { resolveMarketData } from "../../lib/synthetic/source.ts";
import { MARKET_FILES, type MarketFileName } from "../../lib/data/schema.ts";
import { dateColumn, floatColumn, nullableColumn } from "../../lib/data/columns.ts";
import { isoDate } from "../../lib/core/calendar.ts";
import { mean } from "../../lib/core/stats.ts";

const SYNTHETIC = resolveMarketData("synthetic");
const NAMES = Object.keys(MARKET_FILES) as MarketFileName[];

Deno.test("the stand-in has every file of the schema, with the same column types as the real files", () => {
  const fixtures = resolveMarketData("tests/fixtures/market");
  for (const name of NAMES) {
    const synthetic = loadMarketTable(SYNTHETIC, name); // validated against the schema on load
    const file = loadMarketTable(fixtures, name);
    assert.deepEqual(synthetic.dtypes.map(String), file.dtypes.map(String), name);
    assert.ok(synthetic.height > 0, name);
  }
});

Deno.test("standInMarket() is reproducible by seed and differs across seeds", () => {
  const a = standInMarket("seed-a"), b = standInMarket("seed-a"), c = standInMarket("seed-c");
  for (const name of ["creditSpreads", "hyg", "equityPrices", "ratingTransitions"] as const) {
    assert.ok(a[name].frameEqual(b[name]), `${name}: same seed`);
    assert.ok(!a[name].frameEqual(c[name]), `${name}: other seed`);
  }
});

Deno.test("stand-in levels lie in the ranges of the real history", () => {
  const spreads = loadMarketTable(SYNTHETIC, "creditSpreads").dropNulls("BAMLC0A0CM"); // decimals
  const ig = floatColumn(spreads, "BAMLC0A0CM"), hy = floatColumn(spreads, "BAMLH0A0HYM2");
  assert.ok(mean(ig) > 0.007 && mean(ig) < 0.03, `IG mean ${mean(ig)}`);
  assert.ok(mean(hy) > 0.03 && mean(hy) < 0.09, `HY mean ${mean(hy)}`);
  assert.ok(ig.every((x, i) => x > 0 && x < hy[i]), "0 < IG < HY every day");
  const vix = floatColumn(loadMarketTable(SYNTHETIC, "vix").dropNulls(), "VIXCLS");
  assert.ok(mean(vix) > 14 && mean(vix) < 27 && Math.min(...vix) > 5, `VIX mean ${mean(vix)}`);
  const yields = loadMarketTable(SYNTHETIC, "treasuryYields");
  for (const c of yields.columns.slice(1)) {
    assert.ok(nullableColumn(yields, c).every((y) => y === null || (y >= 0 && y < 0.12)), c);
  }
  const billStart = dateColumn(yields).findIndex((_, i) => nullableColumn(yields, "DGS1MO")[i] !== null);
  assert.equal(isoDate(dateColumn(yields)[billStart]), "2001-07-31"); // first 1-month bill, as in H.15
});

Deno.test("stand-in bars are valid: low ≤ open, close ≤ high on every row", () => {
  for (const name of ["vixOhlc", "hyg", "lqd", "spx", "equityPrices"] as const) {
    const t = standInTable(name, "creditlab-stand-in");
    const [o, h, l, c] = ["open", "high", "low", "close"].map((k) => floatColumn(t, k));
    for (let i = 0; i < t.height; i++) {
      assert.ok(l[i] <= Math.min(o[i], c[i]) && h[i] >= Math.max(o[i], c[i]) && l[i] > 0, `${name} row ${i}`);
    }
  }
});

Deno.test("stand-in identities hold as in the real files", () => {
  const s = standInTable("creditSpreads", "creditlab-stand-in").join(
    standInTable("treasuryYields", "creditlab-stand-in").select("date", "DGS10"),
    { on: "date" },
  ).dropNulls(["DBAA", "DGS10"]);
  const [baa, dbaa, ten] = ["BAA10Y", "DBAA", "DGS10"].map((k) => floatColumn(s, k));
  for (let i = 0; i < s.height; i++) assertClose(baa[i], dbaa[i] - ten[i], { atol: 1e-9 }, `BAA10Y row ${i}`);
  const k = standInTable("kmvInputs", "creditlab-stand-in");
  const [std, ltd, dp] = ["short_term_debt", "long_term_debt", "kmv_default_point"].map((c) => floatColumn(k, c));
  for (let i = 0; i < k.height; i++) assert.equal(dp[i], std[i] + 0.5 * ltd[i]);
  const one = standInTable("ratingTransitions", "creditlab-stand-in");
  for (const row of one.drop("from_rating").rows()) {
    assertClose((row as number[]).reduce((a, b) => a + b, 0), 100, { atol: 0.011 });
  }
  assert.equal(standInTable("ratingTransitionsMultiYear", "creditlab-stand-in").height, 504);
});

Deno.test("the episode calendar puts the 2008 crisis in 2008; without it the market is stationary", () => {
  const widening = (market: ReturnType<typeof standInMarket>) => {
    const t = market.creditSpreads.dropNulls("BAMLH0A0HYM2");
    const d = dateColumn(t).map(isoDate), hy = floatColumn(t, "BAMLH0A0HYM2");
    const avg = (from: string, to: string) => mean(hy.filter((_, i) => d[i] >= from && d[i] <= to));
    return avg("2008-10-01", "2009-03-31") / avg("2006-01-01", "2006-12-31");
  };
  assert.ok(widening(standInMarket("episodes")) > 2);
  const calm = [1, 2, 3].map((s) => widening(standInMarket(`flat-${s}`, { episodes: false })));
  assert.ok(mean(calm) < 1.5, `mean widening without episodes ${mean(calm)}`);
});

const real = realDataDir();

Deno.test({
  name: "the stand-in defaults are the calibration's output on the real data (rerun tools/calibrate.ts)",
  ignore: real === null,
  fn() {
    const params = calibrateStandIn(resolveMarketData(real!));
    assert.deepEqual(
      JSON.parse(JSON.stringify({ ...params, calibration: "" })),
      JSON.parse(JSON.stringify({ ...STAND_IN_PARAMS, calibration: "" })),
    );
  },
});

Deno.test({
  name: "the stand-in reproduces the real volatility of daily spread and yield changes within 35 %",
  ignore: real === null,
  fn() {
    const source = resolveMarketData(real!);
    const vol = (table: pl.DataFrame, col: string) => {
      const x = floatColumn(table.filter(pl.col("date").gtEq(new Date("1997-01-01"))).dropNulls(col), col);
      return Math.sqrt(mean(Array.from({ length: x.length - 1 }, (_, i) => (x[i + 1] - x[i]) ** 2)));
    };
    for (
      const [name, col] of [["creditSpreads", "BAMLC0A0CM"], ["creditSpreads", "BAMLH0A0HYM2"], [
        "treasuryYields",
        "DGS10",
      ], ["vix", "VIXCLS"]] as const
    ) {
      const r = vol(loadMarketTable(source, name), col), s = vol(loadMarketTable(SYNTHETIC, name), col);
      assertClose(s, r, { rtol: 0.35 }, `${col}: stand-in ${s} vs real ${r}`);
    }
  },
});

Deno.test("calibrateStandIn() names a bad window by its own arguments (issue 17)", () => {
  const source = resolveMarketData("tests/fixtures/market");
  assert.throws(() => calibrateStandIn(source, null as never), /Cannot calibrate stand-in: start must be an ISO date/);
  assert.throws(
    () => calibrateStandIn(source, "2015-02-30"),
    /start must be an ISO date \(YYYY-MM-DD\), received "2015-02-30"/,
  );
  assert.throws(() => calibrateStandIn(source, "2020-01-02", "2019-01-02"), /end must be after start \(2020-01-02\)/);
  assert.throws(() => calibrateStandIn(null as never), {
    name: "TypeError",
    message: /source must be a market-data source/,
  });
});
