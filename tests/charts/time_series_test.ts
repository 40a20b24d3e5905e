import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { stackedTimeSeriesChart, timeSeriesChart } from "../../lib/charts/time_series.ts";
import { STRATEGY_COLORS } from "../../lib/charts/style.ts";
import { days, parse, texts } from "./_svg.ts";

Deno.test("timeSeriesChart() draws one line per series with its title, axis label and legend", () => {
  const chart = timeSeriesChart({
    title: "Yields",
    subtitle: "two series",
    caption: "Source: test",
    dates: days(5),
    series: { "2-year": [0.04, 0.041, null, 0.043, 0.044], "10-year": [0.039, 0.04, 0.041, 0.042, 0.043] },
    yLabel: "Yield (%)",
    scale: 100,
  });
  const words = texts(chart.outerHTML);
  for (const w of ["Yields", "two series", "Source: test", "2-year", "10-year"]) assert.ok(words.includes(w), w);
  assert.ok(words.some((w) => w?.includes("Yield (%)")));
  const lines = parse(chart.outerHTML).querySelectorAll('g[aria-label="line"]');
  assert.equal(lines.length, 2);
  assert.deepEqual([...lines].map((g) => (g as Element).getAttribute("stroke")), STRATEGY_COLORS.slice(0, 2));
});

Deno.test("timeSeriesChart() draws passed marks after its own: a text label and a rule", () => {
  const chart = timeSeriesChart({
    title: "T",
    dates: days(3),
    series: { a: [1, 2, 3] },
    yLabel: "Y (units)",
    marks: [Plot.ruleY([2.5], { stroke: "#ff0000" }), Plot.text(["Annotated peak"], { frameAnchor: "top" })],
  });
  const doc = parse(chart.outerHTML);
  assert.ok(texts(chart.outerHTML).includes("Annotated peak"));
  const rules = doc.querySelectorAll('g[aria-label="rule"]');
  assert.equal(rules.length, 1);
  assert.equal(rules[0].getAttribute("stroke"), "#ff0000");
  // After the chart's own line: the last mark groups of the panel are the passed ones.
  const labels = [...doc.querySelectorAll("svg svg > g[aria-label]")].map((g) =>
    (g as Element).getAttribute("aria-label")
  );
  assert.deepEqual(labels.slice(-3), ["line", "rule", "text"]);
});

Deno.test("stackedTimeSeriesChart() stacks panels that share one time axis", () => {
  const chart = stackedTimeSeriesChart({
    title: "Spreads and VIX",
    dates: days(3),
    panels: [{ series: { IG: [0.01, 0.012, 0.011] }, yLabel: "OAS (bp)", scale: 1e4 }, {
      series: { VIX: [13, 20, 15] },
      yLabel: "VIX (points)",
    }],
  });
  assert.equal(chart.querySelectorAll("svg").length, 2);
  assert.equal(parse(chart.outerHTML).querySelectorAll('g[aria-label="x-axis tick label"]').length, 1);
});

Deno.test("stackedTimeSeriesChart() draws chart-wide marks on every panel and panel marks on their panel", () => {
  const event = days(3)[1];
  const chart = stackedTimeSeriesChart({
    title: "T",
    dates: days(3),
    marks: [Plot.ruleX([event])],
    panels: [
      { series: { a: [1, 2, 3] }, yLabel: "A (units)", marks: [Plot.text(["Top only"], { frameAnchor: "top" })] },
      { series: { b: [3, 2, 1] }, yLabel: "B (units)" },
    ],
  });
  const panels = [...parse(chart.outerHTML).querySelectorAll("svg svg")] as Element[];
  assert.equal(panels.length, 2);
  for (const panel of panels) assert.equal(panel.querySelectorAll('g[aria-label="rule"]').length, 1);
  assert.ok(panels[0].outerHTML.includes("Top only"));
  assert.ok(!panels[1].outerHTML.includes("Top only"));
});
