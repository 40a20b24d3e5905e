import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { scatterChart } from "../../lib/charts/scatter.ts";
import { parse, texts } from "./_svg.ts";

Deno.test("scatterChart() draws one dot per point, coloured by group", () => {
  const scatter = scatterChart({
    title: "S",
    x: [1, 2],
    y: [2, 3],
    xLabel: "X (bp)",
    yLabel: "Y (bp)",
    groups: ["a", "b"],
  });
  assert.equal(parse(scatter.outerHTML).querySelectorAll('g[aria-label="dot"] circle').length, 2);
});

Deno.test("scatterChart() draws passed marks and rejects a non-finite point", () => {
  const chart = scatterChart({
    title: "S",
    x: [1, 2],
    y: [2, 3],
    xLabel: "X (bp)",
    yLabel: "Y (bp)",
    marks: [Plot.text([{ x: 1.5, y: 2.5 }], { x: "x", y: "y", text: () => "cheap" })],
  });
  assert.ok(texts(chart.outerHTML).includes("cheap"));
  assert.throws(() => scatterChart({ title: "S", x: [1, NaN], y: [2, 3], xLabel: "X", yLabel: "Y" }), {
    name: "RangeError",
    message: "Cannot draw scatter chart: x[1] must be finite, received NaN",
  });
});
