import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { histogramChart } from "../../lib/charts/histogram.ts";
import { texts } from "./_svg.ts";

Deno.test("histogramChart() carries its overlays in the legend", () => {
  const hist = histogramChart({
    title: "Changes",
    values: [-2, -1, 0, 0, 1, 3],
    xLabel: "Change (bp)",
    overlay: ["normal", "kde"],
  });
  for (const w of ["Histogram", "Normal fit", "Kernel density"]) assert.ok(texts(hist.outerHTML).includes(w), w);
});

Deno.test("histogramChart() skips the overlays of a constant sample and draws passed marks", () => {
  const hist = histogramChart({
    title: "Constant",
    values: [2, 2, 2],
    xLabel: "X (units)",
    overlay: ["normal", "kde"],
    marks: [Plot.text(["n = 3"], { frameAnchor: "top-right" })],
  });
  const words = texts(hist.outerHTML);
  assert.ok(!words.includes("Normal fit") && !words.includes("Kernel density"));
  assert.ok(words.includes("n = 3"));
  assert.throws(() => histogramChart({ title: "T", values: [1, NaN], xLabel: "X" }), {
    name: "RangeError",
    message: "Cannot draw histogram: values[1] must be finite, received NaN",
  });
});
