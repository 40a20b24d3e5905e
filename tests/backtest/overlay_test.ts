import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { assertClose, scratchDir } from "../_assert.ts";
import { generateOverlayMarket, OVERLAY_MODEL } from "../../lib/market/cdx_market.ts";
import { loadOverlayHistory } from "../../lib/data/cdx_history.ts";
import { dateColumn } from "../../lib/data/columns.ts";
import {
  aggregateSignals,
  computeCdxEtfBasis,
  computeCdxVixGap,
  computeSpreadMomentum,
  overlaySignalIC,
} from "../../lib/signals/cdx.ts";
import { runOverlayBacktest } from "../../lib/backtest/threshold.ts";
import { riskyAnnuity } from "../../lib/market/cds.ts";
import { compareSummaries, equityCurve, overlaySummary } from "../../lib/backtest/summary.ts";
import { exportOverlay, readOverlayExport } from "../../lib/backtest/export.ts";
import { standInSource } from "../../lib/synthetic/source.ts";
import { sweepOverlayWeights, sweepSummary, weightSimplexGrid } from "../../lib/backtest/threshold_sweep.ts";

const days = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)));

Deno.test("generated bars are valid OHLC on business days, and the same seed gives the same market", () => {
  const m = generateOverlayMarket({ seed: 7, days: 2000 });
  for (const df of [m.vix, m.etf]) {
    const [o, h, l, c] = ["open", "high", "low", "close"].map((k) => df.getColumn(k).toArray() as number[]);
    for (let t = 0; t < o.length; t++) {
      assert.ok(
        l[t] <= Math.min(o[t], c[t]) && Math.max(o[t], c[t]) <= h[t],
        `bar ${t}: ${l[t]} ${o[t]} ${c[t]} ${h[t]}`,
      );
    }
  }
  const dates = dateColumn(m.cdx);
  assert.ok(dates.every((d) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6));
  assert.ok(generateOverlayMarket({ seed: 7, days: 2000 }).cdx.frameEqual(m.cdx));
  assert.ok(!generateOverlayMarket({ seed: 8, days: 2000 }).cdx.frameEqual(m.cdx));
});

Deno.test("the generated series co-move as specified: CDX widens with VIX jumps, and the ETF falls", () => {
  const m = generateOverlayMarket({ seed: 3, days: 5000 });
  const diff = (x: number[]) => x.slice(1).map((v, i) => v - x[i]);
  const ds = diff(m.cdx.getColumn("spread").toArray() as number[]);
  const dv = diff(m.vix.getColumn("close").toArray() as number[]);
  const dp = diff(m.etf.getColumn("close").toArray() as number[]);
  const corr = (a: number[], b: number[]) => {
    const ma = a.reduce((s, v) => s + v, 0) / a.length, mb = b.reduce((s, v) => s + v, 0) / b.length;
    let sab = 0, saa = 0, sbb = 0;
    for (let i = 0; i < a.length; i++) {
      (sab += (a[i] - ma) * (b[i] - mb)), (saa += (a[i] - ma) ** 2), (sbb += (b[i] - mb) ** 2);
    }
    return sab / Math.sqrt(saa * sbb);
  };
  assert.ok(corr(ds, dv) > 0.3, `corr(ΔS, ΔVIX) = ${corr(ds, dv)}`);
  assert.ok(corr(ds, dp) < -0.3, `corr(ΔS, ΔETF) = ${corr(ds, dp)}`);
  assert.ok(corr(ds.slice(1), dv.slice(0, -1)) > 0.05, "the VIX leads the CDX by a day");
});

Deno.test("spread momentum by hand: −(S₃ − S₀)/(σ_Δ·√3) on a 4-day series", () => {
  const spread = [0.01, 0.011, 0.0105, 0.012];
  const out = computeSpreadMomentum(pl.DataFrame({ date: days(4), spread }), { lookback: 3 });
  const d = [0.001, -0.0005, 0.0015], m = (0.001 - 0.0005 + 0.0015) / 3;
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / 2);
  const mom = out.getColumn("momentum").toArray() as (number | null)[];
  assert.deepEqual(mom.slice(0, 3), [null, null, null]);
  assertClose(mom[3]!, -(0.012 - 0.01) / (sd * Math.sqrt(3)), { rtol: 1e-12 });
});

Deno.test("CDX-VIX gap by hand: z(S) − z(VIX) over the last three days", () => {
  const date = days(3);
  const gap = computeCdxVixGap(
    pl.DataFrame({ date, spread: [0.01, 0.02, 0.03] }),
    pl.DataFrame({ date, close: [20, 20, 26] }),
    { lookback: 3 },
  ).getColumn("vix_gap").toArray() as (number | null)[];
  // z(S) of 0.03 in {0.01, 0.02, 0.03} is 1; z(VIX) of 26 in {20, 20, 26} is 4/√12 = 1.1547.
  assertClose(gap[2]!, 1 - 4 / Math.sqrt(12), { rtol: 1e-12 });
});

Deno.test("CDX-ETF basis by hand: the ETF-implied spread moves by −(return − carry)/duration", () => {
  const date = days(3);
  const out = computeCdxEtfBasis(
    pl.DataFrame({ date, spread: [0.01, 0.01, 0.012] }),
    pl.DataFrame({ date, close: [100, 99, 99] }),
    { lookback: 3, duration: 4, rate: 0.03 },
  );
  // Carry of a day: (0.03 + 0.01)/252. Implied H: 0.01, then 0.01 + (0.01 + c)/4, then + c/4 again.
  const c = 0.04 / 252, h1 = 0.01 + (0.01 + c) / 4, h2 = h1 + c / 4;
  const expected = [0, 0.01 - h1, 0.012 - h2];
  const basis = out.getColumn("basis").toArray() as number[];
  expected.forEach((b, i) => assertClose(basis[i], b, { atol: 1e-15 }));
  const mean = (expected[0] + expected[1] + expected[2]) / 3;
  const sd = Math.sqrt(expected.reduce((s, b) => s + (b - mean) ** 2, 0) / 2);
  assertClose(out.getColumn("basis_signal").toArray()[2] as number, (expected[2] - mean) / sd, { rtol: 1e-12 });
});

Deno.test("CDX-ETF basis: a multiple m compares the ETF's spread in index units, and a flat ETF at carry is no move", () => {
  const date = days(3);
  // The ETF earns exactly its carry (0.03 + 4·0.01)/252 each day: its implied spread stays at 4·S = 0.04.
  const g = 1 + 0.07 / 252;
  const out = computeCdxEtfBasis(
    pl.DataFrame({ date, spread: [0.01, 0.01, 0.01] }),
    pl.DataFrame({ date, px: [50, 50 * g, 50 * g * g] }),
    { lookback: 3, multiple: 4, price: "px" },
  );
  for (const b of out.getColumn("basis").toArray() as number[]) assertClose(b, 0, { atol: 1e-15 });
  assert.throws(
    () => computeCdxEtfBasis(pl.DataFrame({ date, spread: [0.01, 0.01, 0.01] }), pl.DataFrame({ date }), {}),
    /etf.*close/,
  );
});

Deno.test("the generated basis closes partly through the index: ΔS regresses on the lagged basis at −φ·κ_b", () => {
  const m = generateOverlayMarket({ seed: 5, days: 20000 });
  const x = computeCdxEtfBasis(m.cdx, m.etf, { multiple: OVERLAY_MODEL.etfSpreadMultiple, rate: OVERLAY_MODEL.etfRate })
    .getColumn("basis").toArray() as number[];
  const s = m.cdx.getColumn("spread").toArray() as number[];
  // Slope of Sₜ₊₁ − Sₜ on xₜ less its trailing 20-day mean: the level of the estimated x drifts slowly (the
  // convexity of compounding the ETF's premium), so, like the signal, the test reads local deviations.
  let sxy = 0, sxx = 0, window = 0;
  for (let t = 0; t + 1 < s.length; t++) {
    window += x[t] - (t >= 20 ? x[t - 20] : 0);
    if (t < 19) continue;
    const dev = x[t] - window / 20;
    (sxy += dev * (s[t + 1] - s[t])), (sxx += dev * dev);
  }
  const slope = sxy / sxx, model = -OVERLAY_MODEL.basisThroughIndex * OVERLAY_MODEL.basisSpeed;
  assert.ok(slope < model * 0.7 && slope > model * 1.3, `slope ${slope} against the model's ${model}`);
});

Deno.test("signals never look ahead: changing the future leaves every past value unchanged", () => {
  const m = generateOverlayMarket({ seed: 11, days: 400 });
  const cut = 250;
  const shock = (df: pl.DataFrame, col: string) =>
    df.withColumn(pl.Series(col, (df.getColumn(col).toArray() as number[]).map((v, i) => (i >= cut ? v * 1.7 : v))));
  const a = aggregateSignals({
    basis: computeCdxEtfBasis(m.cdx, m.etf),
    vixGap: computeCdxVixGap(m.cdx, m.vix),
    momentum: computeSpreadMomentum(m.cdx),
  });
  const cdx2 = shock(m.cdx, "spread"), vix2 = shock(m.vix, "close"), etf2 = shock(m.etf, "close");
  const b = aggregateSignals({
    basis: computeCdxEtfBasis(cdx2, etf2),
    vixGap: computeCdxVixGap(cdx2, vix2),
    momentum: computeSpreadMomentum(cdx2),
  });
  for (const col of ["basis_signal", "vix_gap", "momentum", "composite", "signal"]) {
    assert.deepEqual(a.getColumn(col).toArray().slice(0, cut), b.getColumn(col).toArray().slice(0, cut), col);
    if (col !== "signal") {
      assert.notDeepEqual(a.getColumn(col).toArray().slice(cut + 25), b.getColumn(col).toArray().slice(cut + 25), col);
    }
  }
});

Deno.test("aggregateSignals() weights, thresholds and rejects bad weights", () => {
  const date = days(2);
  const one = (name: string, v: number[]) => pl.DataFrame({ date, [name]: v });
  const out = aggregateSignals(
    { basis: one("basis_signal", [2, 0]), vixGap: one("vix_gap", [2, -2]), momentum: one("momentum", [1, -3]) },
    { weights: { basis_signal: 0.4, vix_gap: 0.3, momentum: 0.3 }, threshold: 1.5 },
  );
  assert.deepEqual(out.getColumn("composite").toArray().map((v) => Number((v as number).toFixed(12))), [1.7, -1.5]);
  assert.deepEqual(out.getColumn("signal").toArray(), [1, -1]);
  assert.throws(
    () =>
      aggregateSignals({
        basis: one("basis_signal", [1, 1]),
        vixGap: one("vix_gap", [1, 1]),
        momentum: one("momentum", [1, 1]),
      }, { weights: { momentum: NaN } }),
    { message: /weights\.momentum must be a finite number, received NaN/ },
  );
});

Deno.test("riskyAnnuity(): a zero spread and zero rate pay 5 years; the credit triangle discounts it", () => {
  assertClose(riskyAnnuity(0, 5, 0.4, 0), 5, { atol: 1e-12 });
  // closed form of the quarterly annuity at hazard 0.007/0.6 and r = 3 %
  const k = 0.03 + 0.007 / 0.6;
  let ref = 0;
  for (let i = 1; i <= 20; i++) ref += 0.25 * Math.exp(-k * i / 4);
  assertClose(riskyAnnuity(0.007), ref, { rtol: 1e-12 });
});

Deno.test("runOverlayBacktest(): P&L by hand — spread DV01, ACT/360 carry and 1 bp a side", () => {
  const date = [2, 3, 4, 5].map((d) => new Date(Date.UTC(2024, 0, d))); // Tue..Fri
  const spread = [0.007, 0.0069, 0.0071, 0.0071];
  const r = runOverlayBacktest(
    pl.DataFrame({ date, composite: [2, 1, 0.5, 0] }),
    pl.DataFrame({ date, spread }),
    { notional: 10_000_000, costBp: 1 },
  );
  assert.deepEqual(Array.from(r.position), [1, 1, 0, 0]); // long risk at 2; out when 0.5 < 0.75
  const N = 10_000_000;
  const day1 = -N * riskyAnnuity(0.007) * (0.0069 - 0.007) + (N * 0.007) / 360;
  const day2 = -N * riskyAnnuity(0.0069) * (0.0071 - 0.0069) + (N * 0.0069) / 360;
  assertClose(r.pnl[0], -1000, { atol: 1e-9 }); // entry cost 1 bp of 10 MM
  assertClose(r.pnl[1], day1, { rtol: 1e-12 });
  assertClose(r.pnl[2], day2 - 1000, { rtol: 1e-12 });
  assertClose(r.trades.getColumn("pnl").toArray()[0] as number, day1 + day2 - 2000, { rtol: 1e-12 });
  assert.deepEqual(r.trades.getColumn("days_held").toArray(), [2]);
  assert.throws(
    () =>
      runOverlayBacktest(pl.DataFrame({ date, composite: [0, 0, 0, 0] }), pl.DataFrame({ date, spread }), { exit: 2 }),
    {
      message: /exit must be below entry \(1\.5\), received 2/,
    },
  );
  assert.throws(() => runOverlayBacktest(pl.DataFrame({ date, score: [0, 0, 0, 0] }), pl.DataFrame({ date, spread })), {
    message:
      "Cannot run overlay backtest: signals must be a DataFrame with column composite, received columns date, score",
  });
});

Deno.test("max holding and stop-loss close a trade, and the same side waits for the signal to reset", () => {
  const date = days(6);
  const r = runOverlayBacktest(
    pl.DataFrame({ date, composite: [2, 2, 2, 2, 0.5, 2] }),
    pl.DataFrame({ date, spread: [0.007, 0.007, 0.007, 0.007, 0.007, 0.007] }),
    { maxHoldingDays: 2 },
  );
  assert.deepEqual(Array.from(r.position), [1, 1, 0, 0, 0, 1]);
  assert.deepEqual(r.trades.getColumn("exit_reason").toArray(), ["max holding", "open at end"]);
});

Deno.test("overlaySummary() reports ratios from too few trades as not available, with the reason", () => {
  const date = days(4);
  const r = runOverlayBacktest(
    pl.DataFrame({ date, composite: [2, 1, 0.5, 0] }),
    pl.DataFrame({ date, spread: [0.007, 0.0069, 0.0068, 0.0068] }),
  );
  const s = Object.fromEntries(overlaySummary(r).map((m) => [m.metric, m]));
  for (const k of ["Sharpe ratio", "Sortino ratio", "Calmar ratio", "Hit rate (winning trades)"]) {
    assert.equal(s[k].value, null, k);
    assert.match(s[k].note!, /1 closed trade: a ratio needs at least 5/);
  }
  assert.equal(s["Number of trades"].value, 1);
});

Deno.test("the export round trip reads back the same positions, P&L, trades and metrics", () => {
  const m = generateOverlayMarket({ seed: 5, days: 600 });
  const sig = aggregateSignals({
    basis: computeCdxEtfBasis(m.cdx, m.etf),
    vixGap: computeCdxVixGap(m.cdx, m.vix),
    momentum: computeSpreadMomentum(m.cdx),
  });
  const r = runOverlayBacktest(sig, m.cdx);
  const metrics = overlaySummary(r);
  const back = readOverlayExport(exportOverlay(r, metrics, scratchDir("overlay-export")));
  assert.ok(back.daily.frameEqual(r.daily, true));
  assert.ok(back.trades.frameEqual(r.trades, true));
  assert.deepEqual(back.metrics, JSON.parse(JSON.stringify(metrics)));
});

Deno.test("loadOverlayHistory() aligns HY OAS, VIX and HYG on common dates and counts what alignment dropped", () => {
  const source = standInSource("overlay-test", "test");
  const h = loadOverlayHistory({ source, start: "2019-01-01", end: "2020-12-31" });
  assert.deepEqual(h.cdx.columns, ["date", "spread", "index", "tenor", "series"]);
  assert.deepEqual(h.etf.columns, ["date", "open", "high", "low", "close", "adj_close", "volume", "ticker"]);
  assert.ok(h.cdx.getColumn("date").seriesEqual(h.vix.getColumn("date")));
  assert.ok(h.cdx.getColumn("date").seriesEqual(h.etf.getColumn("date")));
  const dates = dateColumn(h.cdx);
  assert.ok(dates[0] >= new Date("2019-01-01") && dates.at(-1)! <= new Date("2020-12-31"));
  assert.deepEqual(h.dropped.map((d) => d.series), ["HY OAS", "VIX", "HYG"]);
  assert.equal(h.label, "Stand-in 2019–2020");
  assert.ok(h.dropped.every((d) => Number.isInteger(d.missing) && d.missing >= 0));
  assert.throws(() => loadOverlayHistory({ source, start: "2019-13-45" }), /start.*2019-13-45/);
  assert.throws(() => loadOverlayHistory({ source, start: "2020-01-01", end: "2019-01-01" }), /end/);
});

Deno.test("sweepOverlayWeights(): a corner of the simplex is the backtest on that one signal", () => {
  const m = generateOverlayMarket({ seed: 9, days: 1500 });
  const sig = aggregateSignals({
    basis: computeCdxEtfBasis(m.cdx, m.etf, { multiple: OVERLAY_MODEL.etfSpreadMultiple }),
    vixGap: computeCdxVixGap(m.cdx, m.vix),
    momentum: computeSpreadMomentum(m.cdx),
  });
  const sweep = sweepOverlayWeights(sig, m.cdx, { step: 0.25, entries: [1, 1.5], minTrades: 1 });
  assert.equal(sweep.height, 15 * 2); // (n + 1)(n + 2)/2 weight cells for n = 4, at two thresholds
  const cell = sweep.filter(pl.col("w_vix_gap").eq(1).and(pl.col("entry").eq(1)));
  const direct = runOverlayBacktest(sig.withColumn(pl.col("vix_gap").alias("composite")), m.cdx, {
    entry: 1,
    exit: 0.5,
  });
  assertClose(cell.getColumn("total_pnl").toArray()[0] as number, direct.pnl.reduce((a, b) => a + b, 0), {
    rtol: 1e-12,
  });
  const summary = Object.fromEntries(overlaySummary(direct, { minTrades: 1 }).map((s) => [s.metric, s.value]));
  assertClose(cell.getColumn("sharpe").toArray()[0] as number, summary["Sharpe ratio"]!, { rtol: 1e-12 });
  assert.equal(cell.getColumn("trades").toArray()[0], summary["Number of trades"]);

  const grid = weightSimplexGrid(sweep, { entry: 1 });
  assert.deepEqual(grid.columns, ["0.00", "0.25", "0.50", "0.75", "1.00"]);
  assert.deepEqual(grid.rows, ["1.00", "0.75", "0.50", "0.25", "0.00"]);
  assert.equal(grid.values[0][0], cell.getColumn("sharpe").toArray()[0]); // top left: all on the VIX gap
  assert.equal(grid.values[0][1], null); // off the simplex: 0.25 + 1 > 1
  assert.throws(() => sweepOverlayWeights(sig, m.cdx, { step: 0.3 }), /step must be 1\/n for a whole n, received 0.3/);
  assert.throws(() => weightSimplexGrid(sweep, { entry: 2 }), /entry must be one of 1, 1.5, received 2/);
});

Deno.test("equityCurve() ends at 1 + total P&L / capital; compareSummaries() puts runs side by side", () => {
  const date = days(4);
  const r = runOverlayBacktest(
    pl.DataFrame({ date, composite: [2, 1, 0.5, 0] }),
    pl.DataFrame({ date, spread: [0.007, 0.0069, 0.0068, 0.0068] }),
  );
  const total = r.pnl.reduce((a, b) => a + b, 0);
  assertClose(equityCurve(r, 2e6).at(-1)!, 1 + total / 2e6, { rtol: 1e-14 });
  const rows = compareSummaries({ A: overlaySummary(r), B: overlaySummary(r, { capital: 2e6 }) });
  assert.deepEqual(Object.keys(rows[0]), ["metric", "A", "B"]);
  assert.equal(rows[0].A, rows[0].B); // total P&L does not depend on the capital
  assert.notEqual(rows[1].A, rows[1].B); // the return on capital does
});

Deno.test("overlaySignalIC(): a signal equal to the next day's tightening has IC 1, its negative −1", () => {
  const m = generateOverlayMarket({ seed: 4, days: 300 });
  const spread = m.cdx.getColumn("spread").toArray() as number[];
  const ahead = spread.map((s, t) => (t + 1 < spread.length ? s - spread[t + 1] : 0));
  const signals = pl.DataFrame({ date: m.cdx.getColumn("date"), oracle: ahead, contrarian: ahead.map((v) => -v) });
  const ic = overlaySignalIC(signals, m.cdx, { horizons: [1, 5], columns: ["oracle", "contrarian"] });
  assert.deepEqual(ic.map((r) => [r.signal, r.horizon]), [["oracle", 1], ["oracle", 5], ["contrarian", 1], [
    "contrarian",
    5,
  ]]);
  assertClose(ic[0].ic, 1, { atol: 1e-12 });
  assertClose(ic[2].ic, -1, { atol: 1e-12 });
  assert.ok(ic[1].ic > 0.2 && ic[1].ic < 0.8, `a 1-day oracle explains part of a 5-day move: ${ic[1].ic}`);
  assert.equal(ic[0].dates, 299);
  assert.throws(() => overlaySignalIC(signals, m.cdx, { horizons: [0], columns: ["oracle"] }), /horizons\[0\]/);
});

Deno.test("the overlay's entry points refuse a misspelt option, a value that is not a DataFrame and a bust capital", () => {
  const date = days(4);
  const signals = pl.DataFrame({ date, composite: [2, 1, 0.5, 0] });
  const cdx = pl.DataFrame({ date, spread: [0.007, 0.0069, 0.0068, 0.0068] });
  assert.throws(() => runOverlayBacktest(signals, cdx, { entyr: 1 } as never), {
    name: "TypeError",
    message: "Cannot run overlay backtest: unknown option opts.entyr; did you mean opts.entry?",
  });
  assert.throws(() => runOverlayBacktest(null as never, cdx), {
    name: "TypeError",
    message: "Cannot run overlay backtest: signals must be a DataFrame with columns date, composite, received null",
  });
  assert.throws(() => runOverlayBacktest(signals, cdx, null as never), { name: "TypeError", message: /opts must be/ });
  const sig = pl.DataFrame({ date, basis_signal: [2, 1, 0, 0], vix_gap: [0, 0, 0, 0], momentum: [0, 0, 0, 0] });
  assert.throws(() => sweepOverlayWeights(sig, cdx, { entrie: [1] } as never), {
    name: "TypeError",
    message: "Cannot sweep overlay weights: unknown option opts.entrie; did you mean opts.entries?",
  });
  // A grid of 1/step = 10⁴ parts is 5·10⁷ backtests: refused before the first one runs, not a hang.
  assert.throws(() => sweepOverlayWeights(sig, cdx, { step: 1e-4 }), {
    name: "RangeError",
    message: /step and entries must be a grid of at most 200000 backtests .*, received 50015001 cells × 1 entries/,
  });
  assert.throws(() => weightSimplexGrid({} as never), { name: "TypeError", message: /sweep must be a DataFrame/ });
  // A capital the P&L wipes out: returns on a negative equity mean nothing, so the summary names the capital.
  const r = runOverlayBacktest(signals, cdx, { notional: 1e9 });
  const loss = -r.pnl.reduce((a, b) => Math.min(a, b), 0);
  assert.ok(loss > 0);
  assert.throws(() => overlaySummary(r, { capital: loss / 2 }), {
    name: "RangeError",
    message: /^Cannot summarise overlay: capital must be large enough that the equity stays > 0/,
  });
  assert.throws(() => overlaySummary(null as never), {
    name: "TypeError",
    message: "Cannot summarise overlay: result must be an object, received null",
  });
  assert.throws(() => equityCurve({ pnl: [0, NaN], notional: 1 }), {
    name: "RangeError",
    message: "Cannot compute equity curve: result.pnl[1] must be finite, received NaN",
  });
});

Deno.test("readOverlayExport() names the path that is missing or not what exportOverlay wrote", () => {
  const date = days(4);
  const r = runOverlayBacktest(
    pl.DataFrame({ date, composite: [2, 1, 0.5, 0] }),
    pl.DataFrame({ date, spread: [0.007, 0.0069, 0.0068, 0.0068] }),
  );
  const paths = exportOverlay(r, overlaySummary(r), scratchDir("overlay-export-bad"));
  assert.throws(() => readOverlayExport({ ...paths, daily: `${paths.daily}.missing` }), {
    name: "RangeError",
    message: /^Cannot read overlay export: paths\.daily must be an existing file written by exportOverlay, received/,
  });
  assert.throws(() => readOverlayExport({ ...paths, trades: paths.metrics }), {
    name: "RangeError",
    message: /^Cannot read overlay export: paths\.trades must be a Parquet file written by exportOverlay, received/,
  });
  assert.throws(() => readOverlayExport({ ...paths, metrics: paths.daily }), {
    name: "RangeError",
    message: /^Cannot read overlay export: paths\.metrics must be a JSON file written by exportOverlay/,
  });
  assert.throws(() => readOverlayExport(null as never), {
    name: "TypeError",
    message: "Cannot read overlay export: paths must be an object, received null",
  });
  assert.throws(() => exportOverlay(r, [null] as never, scratchDir("overlay-export-bad")), {
    name: "TypeError",
    message: "Cannot export overlay: metrics[0] must be an object, received null",
  });
});

/** A synthetic overlay with its three signals, for the tests below. */
function overlayFixture(seed: number, n: number) {
  const m = generateOverlayMarket({ seed, days: n });
  const sig = aggregateSignals({
    basis: computeCdxEtfBasis(m.cdx, m.etf, { multiple: OVERLAY_MODEL.etfSpreadMultiple }),
    vixGap: computeCdxVixGap(m.cdx, m.vix),
    momentum: computeSpreadMomentum(m.cdx),
  }, { threshold: 1 });
  return { m, sig };
}

Deno.test("runOverlayBacktest() with lag k is the same rule on the composite shifted k rows later", () => {
  const { m, sig } = overlayFixture(11, 1200);
  for (const lag of [1, 3]) {
    const late = runOverlayBacktest(sig, m.cdx, { entry: 1, exit: 0.5, lag });
    // Independent construction: shift the composite column down by k rows (the first k become null: no decision).
    const shifted = runOverlayBacktest(sig.withColumn(pl.col("composite").shift(lag)), m.cdx, { entry: 1, exit: 0.5 });
    assert.deepEqual(Array.from(late.position), Array.from(shifted.position));
    assertClose(late.pnl.reduce((a, b) => a + b, 0), shifted.pnl.reduce((a, b) => a + b, 0), { rtol: 1e-12 });
    assert.ok(late.trades.height > 0, "the fixture trades");
    // The daily frame still reports the composite of the day itself.
    assert.ok(late.daily.getColumn("composite").seriesEqual(sig.getColumn("composite"), true));
  }
  const date = days(4);
  const signals = pl.DataFrame({ date, composite: [2, 2, 0, 0] });
  const cdx = pl.DataFrame({ date, spread: [0.007, 0.0069, 0.0068, 0.0068] });
  assert.deepEqual(Array.from(runOverlayBacktest(signals, cdx, { lag: 1 }).position), [0, 1, 1, 0]);
  assert.throws(() => runOverlayBacktest(signals, cdx, { lag: 0.5 }), {
    name: "RangeError",
    message: /^Cannot run overlay backtest: lag must be an integer in \[0, 100000\], received 0\.5/,
  });
  assert.throws(() => runOverlayBacktest(signals, cdx, { lag: -1 }), { name: "RangeError", message: /lag must be/ });
});

Deno.test("runOverlayBacktest(): positions do not depend on the cost, so P&L falls linearly in costBp", () => {
  const { m, sig } = overlayFixture(12, 1500);
  const total = (costBp: number) =>
    runOverlayBacktest(sig, m.cdx, { entry: 1, exit: 0.5, costBp }).pnl.reduce((a, b) => a + b, 0);
  const [p0, p1, p7] = [total(0), total(1), total(7.5)];
  assert.ok(p1 < p0, "costs never raise the P&L");
  // P&L(c) = P&L(0) − c·(P&L(0) − P&L(1)): the break-even cost is P&L(0) / (P&L(0) − P&L(1)) bp.
  assertClose(p7, p0 - 7.5 * (p0 - p1), { rtol: 1e-9, atol: 1e-6 });
});

Deno.test("overlaySummary(): every return line is on the running equity (CAGR, Sharpe, drawdown, Calmar by hand)", () => {
  const { m, sig } = overlayFixture(13, 1500);
  const r = runOverlayBacktest(sig, m.cdx, { entry: 1, exit: 0.5 });
  const capital = 2e6;
  const s = Object.fromEntries(overlaySummary(r, { capital, minTrades: 1 }).map((x) => [x.metric, x.value]));
  assert.ok(!("Annual return on capital" in s), "no simple annual return beside compounded lines");
  // By hand: equity E_t = capital + cumulative P&L, r_t = P&L_t / E_{t−1}.
  const n = r.pnl.length;
  const equity: number[] = [];
  let e = capital;
  for (let t = 0; t < n; t++) equity.push(e += r.pnl[t]);
  const ret = equity.map((_, t) => r.pnl[t] / (t === 0 ? capital : equity[t - 1]));
  const mean = ret.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(ret.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const cagr = (equity[n - 1] / capital) ** (252 / n) - 1;
  let peak = capital, mdd = 0;
  for (const x of equity) (peak = Math.max(peak, x)), (mdd = Math.min(mdd, x / peak - 1));
  assertClose(s["Total return on capital"]!, equity[n - 1] / capital - 1, { rtol: 1e-12 });
  assertClose(s["CAGR"]!, cagr, { rtol: 1e-10 });
  assertClose(s["Annual volatility"]!, sd * Math.sqrt(252), { rtol: 1e-10 });
  assertClose(s["Sharpe ratio"]!, (mean / sd) * Math.sqrt(252), { rtol: 1e-10 });
  assertClose(s["Max drawdown"]!, mdd, { rtol: 1e-10 });
  assertClose(s["Calmar ratio"]!, cagr / Math.abs(mdd), { rtol: 1e-10 });
});

Deno.test("sweepSummary(): the best cell is the highest Sharpe of its entry, found by brute force", () => {
  const { m, sig } = overlayFixture(14, 1500);
  const sweep = sweepOverlayWeights(sig, m.cdx, { step: 0.25, entries: [1, 1.5], minTrades: 1 });
  const rows = sweepSummary(sweep, { basis_signal: 0.5, vix_gap: 0.25, momentum: 0.25 });
  const records = sweep.toRecords() as {
    w_basis: number;
    w_vix_gap: number;
    w_momentum: number;
    entry: number;
    sharpe: number | null;
    trades: number;
  }[];
  for (const row of rows) {
    const here = records.filter((x) => x.entry === row.entry && x.sharpe !== null);
    const top = here.reduce((a, b) => (b.sharpe! > a.sharpe! ? b : a));
    assert.ok(row.best !== null);
    assert.equal(row.best.sharpe, top.sharpe);
    assert.deepEqual(row.best.weights, { basis_signal: top.w_basis, vix_gap: top.w_vix_gap, momentum: top.w_momentum });
    assert.equal(row.best.trades, top.trades);
    assert.equal(sweepSummary(sweep, row.best.weights).find((x) => x.entry === row.entry)!.rank, 1);
  }
  // No cell with a Sharpe ratio: no best cell.
  const none = sweepOverlayWeights(sig, m.cdx, { step: 0.5, entries: [1], minTrades: 100_000 });
  assert.equal(sweepSummary(none, { basis_signal: 1, vix_gap: 0, momentum: 0 })[0].best, null);
});
