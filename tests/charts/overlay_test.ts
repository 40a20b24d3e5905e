import assert from "node:assert/strict";
import { drawdownChart } from "../../lib/charts/drawdown.ts";
import {
  overlayCompositeChart,
  overlayDrawdownChart,
  overlayEquityChart,
  overlayMarketChart,
  overlayPositionChart,
  overlaySignalsChart,
} from "../../lib/charts/overlay.ts";
import { stackedTimeSeriesChart } from "../../lib/charts/time_series.ts";
import { days, parse, texts } from "./_svg.ts";

const dates = days(4);
const opts = { title: "Overlay", caption: "Source: test" };

Deno.test("overlayMarketChart() draws spread (bp), VIX and ETF panels with their labels", () => {
  const chart = overlayMarketChart(
    { dates, spread: [0.005, 0.0052, null, 0.0051], vix: [13, 14, 15, 14], etf: [77, 76.5, 76, 76.2] },
    { ...opts, etfLabel: "LQD" },
  );
  assert.equal(chart.querySelectorAll("svg").length, 3);
  const words = texts(chart.outerHTML).join("|");
  for (const w of ["Spread (bp)", "VIX (index points)", "ETF price (USD)", "CDX IG 5Y", "LQD"]) {
    assert.ok(words.includes(w), w);
  }
});

Deno.test("overlaySignalsChart() draws three z-score panels; NaN warm-ups are gaps like null", () => {
  const basis = [NaN, 0.5, 1, -1];
  const chart = overlaySignalsChart({ dates, basis, vixGap: [null, null, 1, 2], momentum: [0, 1, 2, 3] }, opts);
  assert.equal(chart.querySelectorAll("svg").length, 3);
  for (const w of ["Basis (z)", "VIX gap (z)", "Momentum (z)"]) {
    assert.ok(texts(chart.outerHTML).join("|").includes(w), w);
  }
  const nullBasis = overlaySignalsChart({
    dates,
    basis: [null, 0.5, 1, -1],
    vixGap: [null, null, 1, 2],
    momentum: [0, 1, 2, 3],
  }, opts);
  assert.equal(chart.outerHTML, nullBasis.outerHTML);
});

Deno.test("overlayCompositeChart() draws the composite with ±entry (solid) and ±exit (dashed) thresholds", () => {
  const chart = overlayCompositeChart({ dates, composite: [0, 1.2, -0.3, NaN] }, { ...opts, entry: 1, exit: 0.25 });
  const doc = parse(chart.outerHTML);
  const lines = [...doc.querySelectorAll('g[aria-label="line"]')] as Element[];
  assert.equal(lines.length, 5);
  assert.equal(lines.filter((g) => g.getAttribute("stroke-dasharray") === "5,3").length, 2);
  for (const w of ["Composite", "Entry +1", "Entry −1", "Exit +0.25", "Exit −0.25"]) {
    assert.ok(texts(chart.outerHTML).includes(w), w);
  }
  assert.throws(() => overlayCompositeChart({ dates, composite: [0, 0, 0, 0] }, { ...opts, entry: NaN, exit: 0 }), {
    message: "Cannot draw overlay composite chart: entry must be finite, received NaN",
  });
});

Deno.test("overlayPositionChart() draws the spread over the position in [−1.2, 1.2]", () => {
  const chart = overlayPositionChart(
    { dates, spread: [0.005, 0.006, 0.007, 0.006], position: Int8Array.from([0, 1, 1, -1]) },
    opts,
  );
  assert.equal(chart.querySelectorAll("svg").length, 2);
  assert.ok(texts(chart.outerHTML).join("|").includes("Position (−1 short, +1 long risk)"));
});

Deno.test("overlayEquityChart() draws (capital + cumulative P&L) / capital − 1 in %, capital defaulting to notional", () => {
  const account = { dates, pnl: [0, 1e4, -5e3, 2e4], notional: 1e6 };
  // By hand: cumulative P&L 0, 10k, 5k, 25k on 1m of capital → 0 %, 1 %, 0.5 %, 2.5 %.
  const expected = stackedTimeSeriesChart({
    ...opts,
    dates,
    panels: [{
      series: { Overlay: [0, 0.01, 0.005, 0.025] },
      yLabel: "Cumulative P&L (% of capital)",
      scale: 100,
      zeroLine: true,
    }],
  });
  assert.equal(overlayEquityChart(account, opts).outerHTML, expected.outerHTML);
  const halfCapital = overlayEquityChart(account, { ...opts, capital: 5e5, label: "Half" });
  assert.ok(texts(halfCapital.outerHTML).includes("Half"));
  assert.throws(() => overlayEquityChart(account, { ...opts, capital: 0 }), {
    name: "RangeError",
    message: "Cannot draw overlay equity chart: capital must be > 0, received 0",
  });
});

Deno.test("overlayDrawdownChart() draws the drawdown of the equity path", () => {
  const account = { dates, pnl: [0, -1e5, 5e4, 1e5], notional: 1e6 };
  const expected = drawdownChart({ ...opts, dates, wealth: { Overlay: [1, 0.9, 0.95, 1.05] } });
  assert.equal(overlayDrawdownChart(account, opts).outerHTML, expected.outerHTML);
});

Deno.test("overlay and stacked charts name the caller's series and options, not an inner helper's `values`", () => {
  const dates = days(4);
  const signals = { dates, basis: [0, 0.5, 1, -1], vixGap: [0, 0.2, 1, 2], momentum: [0, 1, 2, 3] };
  assert.throws(() => overlaySignalsChart({ ...signals, basis: [0, 0.5, 1, Infinity] }, { title: "S" }), {
    name: "RangeError",
    message:
      "Cannot draw overlay signals chart: signals.basis[3] must be finite, NaN or null (a gap), received Infinity",
  });
  assert.throws(() => overlaySignalsChart({ ...signals, vixGap: [0, 1] }, { title: "S" }), {
    name: "RangeError",
    message: "Cannot draw overlay signals chart: signals.vixGap must have 4 values like signals.dates, received 2",
  });
  assert.throws(
    () => overlayCompositeChart({ dates, composite: [0, 1, 2, 3] }, { title: "C", entry: 1, exti: 0.5 } as never),
    {
      name: "TypeError",
      message: "Cannot draw overlay composite chart: unknown option opts.exti; did you mean opts.exit?",
    },
  );
  assert.throws(() => overlayCompositeChart(null as never, { title: "C", entry: 1, exit: 0.5 }), {
    name: "TypeError",
    message: "Cannot draw overlay composite chart: signals must be an object, received null",
  });
  // The capital defaults to the notional: a notional the losses wipe out is named as such.
  assert.throws(() => overlayDrawdownChart({ dates, pnl: [0, -1e5, 5e4, 1e5], notional: 0.5e5 }, { title: "D" }), {
    name: "RangeError",
    message: /^Cannot draw overlay drawdown chart: account\.notional must be large enough that the equity stays > 0/,
  });
  assert.throws(() => overlayEquityChart({ dates, pnl: [0, 1, 2, 3], notional: -1 }, { title: "E" }), {
    name: "RangeError",
    message: "Cannot draw overlay equity chart: account.notional must be > 0, received -1",
  });
  assert.throws(
    () =>
      stackedTimeSeriesChart({
        title: "S",
        dates,
        panels: [{ series: { a: [0, 1, "2", 3] as never }, yLabel: "Y (1)" }],
      }),
    {
      name: "TypeError",
      message: 'Cannot draw stacked time series: panels[0].series "a"[2] must be a number or null, received "2"',
    },
  );
  assert.throws(
    () => stackedTimeSeriesChart({ title: "S", dates, panels: [{ serise: { a: [0, 1, 2, 3] } } as never] }),
    {
      name: "TypeError",
      message: "Cannot draw stacked time series: unknown option panels[0].serise; did you mean panels[0].series?",
    },
  );
  assert.throws(() => drawdownChart(null as never), {
    name: "TypeError",
    message: "Cannot draw drawdown chart: opts must be an object, received null",
  });
});
