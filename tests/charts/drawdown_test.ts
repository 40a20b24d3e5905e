import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { drawdownChart } from "../../lib/charts/drawdown.ts";
import { days, parse, texts } from "./_svg.ts";

Deno.test("drawdownChart() plots W/max(W) − 1: a 10 % fall shows as −10", () => {
  const chart = drawdownChart({ title: "Drawdown", dates: days(4), wealth: { S: [1, 0.9, 0.95, 1.1] } });
  assert.ok(texts(chart.outerHTML).some((t) => t?.includes("Drawdown (%)")));
  assert.throws(() => drawdownChart({ title: "D", dates: days(2), wealth: { S: [1, 0] } }), {
    message: /must be a finite number > 0, received 0/,
  });
});

Deno.test("drawdownChart() draws passed marks after its zero rule", () => {
  const chart = drawdownChart({
    title: "D",
    dates: days(3),
    wealth: { S: [1, 0.8, 1] },
    marks: [Plot.ruleY([-20], { stroke: "#ff0000" })],
  });
  const rules = [...parse(chart.outerHTML).querySelectorAll('g[aria-label="rule"]')] as Element[];
  assert.equal(rules.length, 2);
  assert.equal(rules[1].getAttribute("stroke"), "#ff0000");
});
