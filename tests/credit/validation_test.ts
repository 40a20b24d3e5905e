import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertClose } from "../_assert.ts";
import { mertonConvergence, mertonEquity } from "../../lib/credit/merton.ts";
import { alignColumn, mertonRecoveryStudy, simulateMertonFirm, trendCorrelation } from "../../lib/credit/validation.ts";

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
