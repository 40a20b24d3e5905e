import assert from "node:assert/strict";
import { savePlot } from "../../lib/charts/frame.ts";
import { lineChart } from "../../lib/charts/line.ts";
import { timeSeriesChart } from "../../lib/charts/time_series.ts";
import { scratchDir } from "../_assert.ts";
import { days, display, parse } from "./_svg.ts";

Deno.test("charts display inline as SVG through the Jupyter display protocol", () => {
  const chart = timeSeriesChart({ title: "T", dates: days(2), series: { a: [1, 2] }, yLabel: "Y (units)" });
  const bundle = display(chart);
  assert.ok(bundle["image/svg+xml"].startsWith("<svg "));
  assert.equal(parse(bundle["image/svg+xml"]).documentElement.getAttribute("xmlns"), "http://www.w3.org/2000/svg");
  assert.equal(bundle["text/plain"], "[chart] T");
});

Deno.test("savePlot() writes a standalone SVG file", () => {
  const dir = scratchDir("plot-");
  try {
    const chart = lineChart({ title: "Saved", x: [1, 2], series: { a: [1, 2] }, xLabel: "X (1)", yLabel: "Y (1)" });
    savePlot(chart, `${dir}/chart.svg`);
    const text = Deno.readTextFileSync(`${dir}/chart.svg`);
    assert.ok(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg '));
    assert.ok(text.includes('xmlns="http://www.w3.org/2000/svg"'));
    assert.ok(text.includes("Saved"));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("savePlot() refuses a value that is not a chart", () => {
  // deno-lint-ignore no-explicit-any
  assert.throws(() => savePlot({} as any, "/nonexistent/x.svg"), {
    name: "TypeError",
    message: "Cannot save plot: chart must be an <svg> element from lib/charts, received an object of type Object",
  });
});
