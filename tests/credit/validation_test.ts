import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertClose } from "../_assert.ts";
import { mertonConvergence, mertonEquity } from "../../lib/credit/merton.ts";
import jStat from "jstat";
import {
  alignColumn,
  mertonPanel,
  mertonRecoveryStudy,
  simulateMertonFirm,
  trendCorrelation,
} from "../../lib/credit/validation.ts";
import { firmMertonSeries } from "../../lib/credit/kmv.ts";
import { businessDays } from "../../lib/core/calendar.ts";
import { makeRng, standardNormal } from "../../lib/core/rng.ts";
import { directorySource } from "../../lib/data/source.ts";

Deno.test("mertonConvergence(): Newton's residual falls quadratically, the fixed point's by a constant factor", () => {
  const { newton, fixedPoint } = mertonConvergence({ equity: 3, equityVol: 0.8, debt: 10, rate: 0.05, horizon: 1 });
  assert.ok(newton.at(-1)! < 1e-12 && newton.length <= 8, `Newton: ${newton}`);
  for (let i = 1; i < newton.length; i++) assert.ok(newton[i] < newton[i - 1], "Newton decreases every step");
  // Quadratic: once small, the next residual is about the square of the current one (up to a constant).
  const k = newton.findIndex((r) => r < 1e-3);
  assert.ok(newton[k + 1] < 100 * newton[k] ** 2, `${newton[k + 1]} vs ${newton[k]}²`);
  // Linear: successive ratios of the fixed point settle at one constant below 1.
  const ratios = fixedPoint.slice(3, 12).map((r, i) => r / fixedPoint[i + 2]);
  for (const q of ratios) assertClose(q, ratios[0], { rtol: 0.05 }, "constant contraction");
  assert.ok(ratios[0] < 1 && fixedPoint.length > 3 * newton.length);
});

Deno.test("simulateMertonFirm(): equity is Merton's call on the simulated assets, reproducibly", () => {
  const opts = { seed: 5, assetVol: 0.3, leverage: 0.6, days: 600 };
  const a = simulateMertonFirm(opts), b = simulateMertonFirm(opts);
  assert.deepEqual(a.toRecords(), b.toRecords());
  const v = a.getColumn("asset_value").toArray() as number[], e = a.getColumn("equity").toArray() as number[];
  for (const t of [0, 299, 599]) assertClose(e[t], mertonEquity(v[t], 0.3, 60, 0.02, 1), { rtol: 1e-14 });
  // The realised volatility of ln V is σ_V within sampling error (sd ≈ σ/√(2n) = 0.0087).
  let m = 0, q = 0;
  for (let t = 1; t < v.length; t++) m += Math.log(v[t] / v[t - 1]) / (v.length - 1);
  for (let t = 1; t < v.length; t++) q += (Math.log(v[t] / v[t - 1]) - m) ** 2 / (v.length - 2);
  assertClose(Math.sqrt(q * 252), 0.3, { atol: 0.03 });
  assert.throws(() => simulateMertonFirm({ ...opts, assetVol: -1 }), /assetVol must be > 0, received -1/);
});

Deno.test("mertonRecoveryStudy(): the KMV iterative method recovers σ_V and V of a levered firm", () => {
  const row = mertonRecoveryStudy([{ label: "levered", assetVol: 0.25, leverage: 0.7 }], { seed: 11, days: 600 })
    .toRecords()[0] as Record<string, number>;
  assert.ok(Math.abs(row.iterative_asset_vol - 0.25) < 0.03, `iterative σ_V ${row.iterative_asset_vol}`);
  assert.ok(row.iterative_value_error < 0.02, `iterative V error ${row.iterative_value_error}`);
  assert.ok(Math.abs(row.iterative_dd - row.true_dd) < 0.3, `DD ${row.iterative_dd} vs ${row.true_dd}`);
  assert.throws(() => mertonRecoveryStudy([], { seed: 1 }), /cases must be a non-empty list/);
});

Deno.test("trendCorrelation(): ±1 for affine trends, trailing means only over full windows", () => {
  const x = Array.from({ length: 200 }, (_, i) => Math.sin(i / 15) + 0.01 * i);
  assertClose(trendCorrelation(x, x.map((v) => 3 * v + 1), 10).correlation, 1, { atol: 1e-12 });
  assertClose(trendCorrelation(x, x.map((v) => -v), 10).correlation, -1, { atol: 1e-12 });
  // A null inside a window removes the windows that contain it: 200 − 9 full windows, minus the 10 touching index 50.
  const y = x.map((v, i) => (i === 50 ? null : v));
  assert.equal(trendCorrelation(x, y, 10).n, 200 - 9 - 10);
  // Day-to-day noise that cancels within a window does not move the trend: alternating ±1 over an even window.
  const noisy = x.map((v, i) => v + (i % 2 ? 1 : -1));
  assertClose(trendCorrelation(x, noisy, 10).correlation, 1, { atol: 1e-12 });
  assert.throws(() => trendCorrelation([1, 2], [1], 1), /y must be 2 values \(as x\), received 1/);
});

Deno.test("alignColumn() matches dates exactly and leaves other dates null", () => {
  const df = pl.DataFrame({
    date: [new Date(Date.UTC(2024, 0, 2)), new Date(Date.UTC(2024, 0, 4))],
    v: [1, 3],
  }, { schema: { date: pl.Date, v: pl.Float64 } });
  const dates = [2, 3, 4].map((d) => new Date(Date.UTC(2024, 0, d)));
  assert.deepEqual(alignColumn(dates, df, "v"), [1, null, 3]);
});

Deno.test("alignColumn(), trendCorrelation() and mertonRecoveryStudy() check their arguments with the caller's names", () => {
  const dates = [1, 2, 3].map((d) => new Date(Date.UTC(2024, 0, d)));
  const df = pl.DataFrame({ date: dates, x: [1, 2, 3] });
  assert.deepEqual(alignColumn([dates[2], new Date(Date.UTC(2024, 0, 9))], df, "x"), [3, null]);
  assert.throws(() => alignColumn(dates, null as never, "x"), { name: "TypeError", message: /df must be a DataFrame/ });
  assert.throws(() => alignColumn(dates, df, "zz"), /df must be a DataFrame with column zz/);
  assert.throws(() => alignColumn(dates, df, 7 as never), { name: "TypeError", message: /column must be a non-empty/ });
  assert.throws(() => alignColumn(["2024-01-01" as never], df, "x"), { name: "TypeError", message: /dates\[0\]/ });
  const x = Array.from({ length: 40 }, (_, i) => Math.sin(i / 4));
  assert.throws(() => trendCorrelation([Infinity, ...x.slice(1)], x, 5), {
    message: "Cannot compute trend correlation: x[0] must be finite, null or NaN, received Infinity",
  });
  assert.throws(() => trendCorrelation(null as never, x, 5), { name: "TypeError", message: /x must be an array/ });
  assert.throws(() => mertonRecoveryStudy([{ label: "a", assetVol: 0.2, leverage: 0.5 }], null as never), {
    name: "TypeError",
    message: /opts must be an object/,
  });
  assert.throws(
    () => mertonRecoveryStudy([{ label: "a", assetVol: -1, leverage: 0.5 }], { seed: 1 }),
    /cases\[0\].assetVol/,
  );
  assert.throws(() => simulateMertonFirm({ seed: 1, assetVol: 0.2, leverage: 0.5, strat: "2010-01-04" } as never), {
    message: /did you mean opts.start/,
  });
});

/**
 * A market-data directory of two firms trading from 2013-06-03, APA until 2014-05-30 and DVN until 2014-06-30, with the
 * fixtures' fundamentals (APA's first 10-K, FY2012, is usable from 2013-03-31 and DVN's, FY2013, from 2014-03-31),
 * and flat 1- and 5-year Treasury yields.
 */
function twoFirmSource(): ReturnType<typeof directorySource> {
  const dir = Deno.makeTempDirSync({ prefix: "creditlab-panel-" });
  for (const f of Deno.readDirSync("tests/fixtures/market")) {
    if (f.isFile && f.name.endsWith(".csv")) Deno.copyFileSync(`tests/fixtures/market/${f.name}`, `${dir}/${f.name}`);
  }
  const days = businessDays("2013-06-03", "2014-06-30");
  const rng = makeRng("two-firm-panel");
  const rows = ["date,ticker,open,high,low,close,adj_close,volume"],
    yields = [
      "date,DGS1MO,DGS3MO,DGS6MO,DGS1,DGS2,DGS3,DGS5,DGS7,DGS10,DGS20,DGS30",
    ];
  for (const ticker of ["APA", "DVN"]) {
    let p = 50;
    for (const d of days) {
      p *= Math.exp(0.02 * standardNormal(rng));
      const iso = d.toISOString().slice(0, 10);
      if (ticker === "APA" && iso > "2014-05-30") continue;
      rows.push(`${iso},${ticker},${p},${p},${p},${p},${p},1000`);
    }
  }
  for (const d of days) yields.push(`${d.toISOString().slice(0, 10)},,,,0.50,,,1.70,,,,`);
  Deno.writeTextFileSync(`${dir}/kmv_equity_prices.csv`, rows.join("\n") + "\n");
  Deno.writeTextFileSync(`${dir}/treasury_yields.csv`, yields.join("\n") + "\n");
  return directorySource(dir);
}

Deno.test("mertonPanel(): at() carries no value past a firm's last day; median() on a fixed set; count(), span()", () => {
  const source = twoFirmSource();
  const panel = mertonPanel(["APA", "DVN"], { source, window: 20 });
  const dd = panel.wide("dd");
  const iso = panel.dates.map((d) => d.toISOString().slice(0, 10));
  const spans = panel.span("dd");
  assert.deepEqual(spans.map((s) => [s.ticker, s.first, s.last]), [
    ["APA", "2013-07-01", "2014-05-30"], // 20 daily changes after 2013-06-03
    ["DVN", "2014-03-31", "2014-06-30"],
  ]);
  // 2014-06-30: APA stopped trading a month before, so its DD is null (the old reading carried 2014-05-30's value).
  const [row] = panel.at("dd", ["2014-06-30"]);
  assert.equal(row.APA, null);
  assert.equal(row.DVN, dd.DVN[iso.indexOf("2014-06-30")]);
  // A Sunday reads the Friday before it.
  const [sunday] = panel.at("dd", ["2014-04-06"]);
  assert.equal(sunday.as_of, "2014-04-04");
  assert.equal(sunday.APA, dd.APA[iso.indexOf("2014-04-04")]);
  // median: by hand, the mean of the two DDs while both exist; with complete: true null once APA has ended.
  const all = panel.median("dd"), fixed = panel.median("dd", { complete: true }), count = panel.count("dd");
  const both = iso.indexOf("2014-04-15"), dvnOnly = iso.indexOf("2014-06-16");
  assertClose(all[both]!, 0.5 * (dd.APA[both]! + dd.DVN[both]!), { rtol: 1e-15 });
  assert.equal(fixed[both], all[both]);
  assert.equal(all[dvnOnly], dd.DVN[dvnOnly]);
  assert.equal(fixed[dvnOnly], null);
  const apaOnly = iso.indexOf("2013-09-03"), none = iso.indexOf("2013-06-10");
  assert.deepEqual([count[both], count[dvnOnly], count[apaOnly], count[none]], [2, 1, 1, 0]);
  assert.equal(all[none], null);
  assert.throws(() => panel.median("dd", { complete: 1 as never }), /complete must be a boolean/);
});

Deno.test("firmMertonSeries(): rateTenor 5 prices the 5-year Merton spread at the 5-year Treasury yield", () => {
  const source = twoFirmSource();
  for (const [tenor, y] of [[1, 0.005], [5, 0.017]] as const) {
    const df = firmMertonSeries("DVN", { source, window: 20, horizon: 5, rateTenor: tenor }).dropNulls("dd");
    const row = df.row(10), cols = df.columns;
    const at = (c: string) => row[cols.indexOf(c)] as number;
    // Independent reference: Merton's debt value by its formula with r = ln(1 + y) of the requested tenor.
    const r = Math.log(1 + y), T = 5, V = at("asset_value"), s = at("asset_vol"), D = at("default_point");
    const d1 = (Math.log(V / D) + (r + 0.5 * s * s) * T) / (s * Math.sqrt(T)), d2 = d1 - s * Math.sqrt(T);
    const debtValue = V - (V * jStat.normal.cdf(d1, 0, 1) - D * Math.exp(-r * T) * jStat.normal.cdf(d2, 0, 1));
    assertClose(at("merton_spread"), -Math.log(debtValue / D) / T - r, { atol: 1e-12 }, `tenor ${tenor}`);
  }
  assert.throws(
    () => firmMertonSeries("DVN", { source, rateTenor: 4 as never }),
    /rateTenor must be one of 1, 2, 3, 5/,
  );
});

Deno.test("mertonRecoveryStudy({ paths }): means and standard errors over seeded paths, by brute force", () => {
  const c = { label: "L", assetVol: 0.3, leverage: 0.8 };
  const opts = { seed: 3, days: 300, window: 60 };
  const many = mertonRecoveryStudy([c], { ...opts, paths: 3 }).toRecords()[0] as Record<string, number>;
  // Path k of case "L" has the seed `3/L/k`: the single-path study of case "L/k" (k = 1, 2) simulates the same firm.
  const single = ["L", "L/1", "L/2"].map((label) =>
    mertonRecoveryStudy([{ ...c, label }], opts).toRecords()[0] as Record<string, number | null>
  );
  assert.equal(single[0].direct_vol_rmse_se, null, "no standard error from one path");
  for (const e of ["vol_rmse", "value_error", "dd_error"]) {
    for (const m of ["direct", "iterative"]) {
      const xs = single.map((s) => s[`${m}_${e}`] as number);
      const mean = (xs[0] + xs[1] + xs[2]) / 3;
      const se = Math.sqrt(xs.reduce((q, x) => q + (x - mean) ** 2, 0) / 2 / 3);
      assertClose(many[`${m}_${e}`], mean, { rtol: 1e-12 });
      assertClose(many[`${m}_${e}_se`], se, { rtol: 1e-10 });
    }
    const d = single.map((s) => (s[`iterative_${e}`] as number) - (s[`direct_${e}`] as number));
    const dm = (d[0] + d[1] + d[2]) / 3;
    assertClose(many[`diff_${e}`], dm, { rtol: 1e-10, atol: 1e-15 });
    assertClose(many[`diff_${e}_se`], Math.sqrt(d.reduce((q, x) => q + (x - dm) ** 2, 0) / 6), { rtol: 1e-10 });
  }
  // RMSE ≥ |bias| on every path (Jensen), so also on average.
  assert.ok(many.iterative_vol_rmse >= Math.abs(many.iterative_asset_vol - 0.3) - 1e-12);
  assert.equal(many.paths, 3);
  assert.throws(() => mertonRecoveryStudy([c], { ...opts, paths: 0 }), /paths must be/);
});
