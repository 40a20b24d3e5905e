import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { lineChart } from "../../lib/charts/line.ts";
import { parse, texts } from "./_svg.ts";

Deno.test("lineChart() draws one line per series", () => {
  const line = lineChart({
    title: "Curve",
    x: [1, 2, 10],
    series: { a: [1, 2, 3], b: [2, null, 4] },
    xLabel: "Maturity (years)",
    yLabel: "Yield (%)",
  });
  assert.equal(parse(line.outerHTML).querySelectorAll('g[aria-label="line"]').length, 2);
});

Deno.test("lineChart() draws passed marks: a label at a point and a rule", () => {
  const chart = lineChart({
    title: "Curve",
    x: [1, 2, 10],
    series: { a: [1, 2, 3] },
    xLabel: "Maturity (years)",
    yLabel: "Yield (%)",
    marks: [
      Plot.text([{ x: 2, y: 2 }], { x: "x", y: "y", text: () => "2y point", dy: -8 }),
      Plot.ruleY([2.5], { stroke: "#ff0000" }),
    ],
  });
  assert.ok(texts(chart.outerHTML).includes("2y point"));
  assert.equal(parse(chart.outerHTML).querySelectorAll('g[aria-label="rule"]').length, 1);
});
