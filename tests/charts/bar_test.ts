import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { barChart } from "../../lib/charts/bar.ts";
import { parse, texts } from "./_svg.ts";

Deno.test("barChart() draws one bar per category and series", () => {
  const bars = barChart({
    title: "Costs",
    categories: ["IG", "HY"],
    series: { Daily: [2, 5], Weekly: [1, 2] },
    yLabel: "Cost (bp)",
  });
  assert.equal(parse(bars.outerHTML).querySelectorAll('g[aria-label="bar"] rect').length, 4);
});

Deno.test("barChart() draws passed marks: a budget rule and its label", () => {
  const chart = barChart({
    title: "Costs",
    categories: ["IG", "HY"],
    series: { Daily: [2, 5] },
    yLabel: "Cost (bp)",
    marks: [Plot.ruleY([3], { stroke: "#ff0000" }), Plot.text(["Budget 3 bp"], { frameAnchor: "top-right" })],
  });
  const rules = [...parse(chart.outerHTML).querySelectorAll('g[aria-label="rule"]')] as Element[];
  assert.equal(rules.length, 2); // the chart's zero line, then the passed rule
  assert.equal(rules[1].getAttribute("stroke"), "#ff0000");
  assert.ok(texts(chart.outerHTML).includes("Budget 3 bp"));
  assert.throws(() => barChart({ title: "T", categories: ["a"], series: { s: [NaN] }, yLabel: "Y" }), {
    name: "RangeError",
    message: 'Cannot draw bar chart: series "s"[0] must be finite, received NaN',
  });
});
