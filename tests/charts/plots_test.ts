import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import { scratchDir } from "../_assert.ts";
import {
  barChart,
  drawdownChart,
  heatmapChart,
  type HeatmapScheme,
  histogramChart,
  lineChart,
  preparePoints,
  savePlot,
  scatterChart,
  stackedTimeSeriesChart,
  timeSeriesChart,
} from "../../lib/charts/plots.ts";
import { ratingColors, STRATEGY_COLORS } from "../../lib/charts/style.ts";
import { markdown, table } from "../../lib/charts/table.ts";

const days = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 86_400_000));
const parse = (svg: string) => new DOMParser().parseFromString(svg, "image/svg+xml");
const texts = (svg: string) => [...parse(svg).querySelectorAll("text")].map((t) => t.textContent);
const display = (x: unknown) => (x as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();

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
  assert.deepEqual([...lines].map((g) => g.getAttribute("stroke")), STRATEGY_COLORS.slice(0, 2));
});

Deno.test("charts display inline as SVG through the Jupyter display protocol", () => {
  const chart = timeSeriesChart({ title: "T", dates: days(2), series: { a: [1, 2] }, yLabel: "Y (units)" });
  const bundle = display(chart);
  assert.ok(bundle["image/svg+xml"].startsWith("<svg "));
  assert.equal(parse(bundle["image/svg+xml"]).documentElement.getAttribute("xmlns"), "http://www.w3.org/2000/svg");
  assert.equal(bundle["text/plain"], "[chart] T");
});

Deno.test("charts refuse a missing title or axis label", () => {
  assert.throws(() => timeSeriesChart({ title: "", dates: days(2), series: { a: [1, 2] }, yLabel: "Y" }), {
    name: "TypeError",
    message: 'Cannot draw time series: title must be a non-empty string with units, received ""',
  });
  // deno-lint-ignore no-explicit-any
  assert.throws(() => lineChart({ title: "T", x: [1], series: { a: [1] }, xLabel: "X" } as any), {
    message: /yLabel must be a non-empty string/,
  });
  assert.throws(() => timeSeriesChart({ title: "T", dates: days(3), series: { a: [1, 2] }, yLabel: "Y" }), {
    name: "RangeError",
    message: "Cannot draw series: values and dates must have the same length, received 2 and 3",
  });
});

Deno.test("preparePoints() keeps the extremes when decimating and breaks lines over long gaps", () => {
  const n = 10_000;
  const values = Array.from({ length: n }, (_, i) => (i === 7_777 ? 99 : i === 1_234 ? -99 : Math.sin(i / 50)));
  const points = preparePoints(days(n), values, { maxPoints: 500 });
  assert.ok(points.length <= 502);
  const ys = points.map((p) => p.y!);
  assert.equal(Math.max(...ys), 99);
  assert.equal(Math.min(...ys), -99);
  const dates = [...days(3), new Date(Date.UTC(2025, 0, 1)), new Date(Date.UTC(2025, 0, 2))];
  const gapped = preparePoints(dates, [1, 2, 3, 4, 5], { gapDays: 10 });
  assert.deepEqual(gapped.map((p) => p.y), [1, 2, 3, null, 4, 5]);
  assert.throws(() => preparePoints(days(2), [1, Infinity]), {
    message: "Cannot draw series: values[1] must be finite or null, received Infinity",
  });
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

Deno.test("heatmapChart() draws one cell per entry, prints values and adds a colour legend", () => {
  const chart = heatmapChart({
    title: "Transitions",
    rows: ["A", "B", "D"],
    columns: ["A", "B", "D"],
    values: [[0.9, 0.08, 0.02], [0.1, 0.85, 0.05], [0, 0, 1]],
    xLabel: "To",
    yLabel: "From",
    colorLabel: "Probability (%)",
    scale: 100,
  });
  const doc = parse(chart.outerHTML);
  assert.equal(doc.querySelectorAll('g[aria-label="cell"] rect').length, 9);
  const words = texts(chart.outerHTML);
  for (const w of ["90.0", "8.0", "100.0", "Probability (%)"]) assert.ok(words.includes(w), w);
  assert.equal(doc.querySelectorAll("linearGradient stop").length, 11);
  assert.throws(
    () =>
      heatmapChart({
        title: "T",
        rows: ["a"],
        columns: ["x", "y"],
        values: [[1]],
        xLabel: "x",
        yLabel: "y",
        colorLabel: "c",
      }),
    {
      message: "Cannot draw heatmap: values[0] must have 2 values like columns, received 1",
    },
  );
  assert.throws(
    () =>
      heatmapChart({
        title: "T",
        rows: ["a"],
        columns: ["x"],
        values: [[1]],
        xLabel: "x",
        yLabel: "y",
        colorLabel: "c",
        scheme: "diverging" as HeatmapScheme,
      }),
    { message: /scheme must be one of blues, .*received "diverging"/ },
  );
});

Deno.test("drawdownChart() plots W/max(W) − 1: a 10 % fall shows as −10", () => {
  const chart = drawdownChart({ title: "Drawdown", dates: days(4), wealth: { S: [1, 0.9, 0.95, 1.1] } });
  assert.ok(texts(chart.outerHTML).some((t) => t?.includes("Drawdown (%)")));
  assert.throws(() => drawdownChart({ title: "D", dates: days(2), wealth: { S: [1, 0] } }), {
    message: /must be a finite number > 0, received 0/,
  });
});

Deno.test("barChart(), histogramChart(), lineChart() and scatterChart() carry their labels and legends", () => {
  const bars = barChart({
    title: "Costs",
    categories: ["IG", "HY"],
    series: { Daily: [2, 5], Weekly: [1, 2] },
    yLabel: "Cost (bp)",
  });
  assert.equal(parse(bars.outerHTML).querySelectorAll('g[aria-label="bar"] rect').length, 4);
  const hist = histogramChart({
    title: "Changes",
    values: [-2, -1, 0, 0, 1, 3],
    xLabel: "Change (bp)",
    overlay: ["normal", "kde"],
  });
  for (const w of ["Histogram", "Normal fit", "Kernel density"]) assert.ok(texts(hist.outerHTML).includes(w), w);
  const line = lineChart({
    title: "Curve",
    x: [1, 2, 10],
    series: { a: [1, 2, 3], b: [2, null, 4] },
    xLabel: "Maturity (years)",
    yLabel: "Yield (%)",
  });
  assert.equal(parse(line.outerHTML).querySelectorAll('g[aria-label="line"]').length, 2);
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

Deno.test("table() renders formatted HTML, cuts long tables visibly, and displays as text/html", () => {
  const rows = Array.from(
    { length: 30 },
    (_, i) => ({ name: `bond ${i}`, oas: 0.0123, weight: 0.05, date: new Date(Date.UTC(2024, 0, 2)) }),
  );
  const t = table(rows, { caption: "Bonds", formats: { oas: "bp", weight: "percent" }, maxRows: 5 });
  assert.ok(t.html.includes("123 bp") && t.html.includes("5.00%") && t.html.includes("2024-01-02"));
  assert.ok(t.html.includes("… 25 more rows (30 in all)"));
  assert.equal(t.rows, 30);
  assert.ok(display(t)["text/html"].startsWith("<table"));
  assert.equal(display(markdown("**Data**"))["text/markdown"], "**Data**");
  assert.ok(table([{ x: null }]).html.includes("—"));
});

Deno.test("ratingColors() runs from green to red with black for default", () => {
  const c = ratingColors(["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "D"]);
  assert.equal(c[0], "#005a32");
  assert.equal(c[7], "#111111");
  assert.equal(new Set(c).size, 8);
});
