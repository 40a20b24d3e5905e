import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { heatmapChart, heatmapColumnFrames, type HeatmapScheme } from "../../lib/charts/heatmap.ts";
import { parse, texts, withoutRampIds } from "./_svg.ts";

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

const grid = { rows: ["Calm", "Stress"], columns: ["2020 Q1", "2020 Q2", "2020 Q3"] };
const base = {
  ...grid,
  title: "States",
  values: [[0.2, 0.9, 0.5], [0.8, 0.1, 0.5]],
  xLabel: "Quarter",
  yLabel: "State",
  colorLabel: "Probability (%)",
  scale: 100,
};

Deno.test("heatmapColumnFrames() returns a frame cell per row of each column and one label per column", () => {
  const frames = [{ column: "2020 Q1", label: "Covid" }, { column: "2020 Q3", label: "Rebound" }];
  const marks = heatmapColumnFrames(frames, grid);
  assert.equal(marks.length, 2);
  const chart = heatmapChart({ ...base, cellText: false, marks });
  const doc = parse(chart.outerHTML);
  const cellGroups = [...doc.querySelectorAll('g[aria-label="cell"]')] as Element[];
  assert.equal(cellGroups.length, 2); // the heatmap's cells, then the frames
  assert.equal(cellGroups[1].querySelectorAll("rect").length, 4); // 2 columns × 2 rows
  assert.equal(cellGroups[1].getAttribute("fill"), "none");
  for (const w of ["Covid", "Rebound"]) assert.ok(texts(chart.outerHTML).includes(w), w);
  assert.deepEqual(heatmapColumnFrames([], grid), []);
  assert.throws(() => heatmapColumnFrames([{ column: "2021 Q1", label: "x" }], grid), {
    name: "RangeError",
    message: 'Cannot draw heatmap column frames: frames[0].column must be one of columns, received "2021 Q1"',
  });
});

Deno.test("heatmapChart() columnMarks draws exactly what heatmapColumnFrames() passed as marks draws", () => {
  const frames = [{ column: "2020 Q2", label: "Peak" }];
  const viaOption = heatmapChart({ ...base, columnMarks: frames, height: 200 });
  const viaMarks = heatmapChart({ ...base, height: 200, marks: heatmapColumnFrames(frames, { ...grid, height: 200 }) });
  assert.equal(withoutRampIds(viaOption.outerHTML), withoutRampIds(viaMarks.outerHTML));
  assert.throws(() => heatmapChart({ ...base, columnMarks: [{ column: "2019 Q4", label: "x" }] }), {
    message: 'Cannot draw heatmap: columnMarks[0].column must be one of columns, received "2019 Q4"',
  });
});

Deno.test("heatmapChart() draws passed marks on its band scales", () => {
  const chart = heatmapChart({
    ...base,
    marks: [Plot.text([{ column: "2020 Q2", row: "Stress" }], { x: "column", y: "row", text: () => "★ note" })],
  });
  assert.ok(texts(chart.outerHTML).includes("★ note"));
});

const correlationBase = {
  title: "Correlations",
  rows: ["a", "b", "c"],
  columns: ["a", "b", "c"],
  values: [[1, 0.46, -0.57], [0.46, 1, 0], [-0.57, 0, 1]],
  xLabel: "Factor",
  yLabel: "Factor",
  colorLabel: "Correlation",
};
const cellFills = (svg: string): string[] =>
  [...parse(svg).querySelectorAll('g[aria-label="cell"] rect')].map((r: Element) => r.getAttribute("fill")!);
const rgb = (c: string) => /rgb\((\d+), (\d+), (\d+)\)/.exec(c)!.slice(1).map(Number);

Deno.test('heatmapChart() scheme "correlation" paints +1 ColorBrewer RdBu blue and −1 red on a fixed [−1, 1]', () => {
  // ColorBrewer RdBu (Brewer 2002; d3-scale-chromatic schemeRdBu[11]): darkest red #67001f = rgb(103, 0, 31),
  // darkest blue #053061 = rgb(5, 48, 97); d3's B-spline interpolation passes through its end colours.
  const ends = heatmapChart({ ...correlationBase, values: [[-1, 1, 0], [0, 0, 0], [0, 0, 0]], scheme: "correlation" });
  const [minus, plus] = cellFills(ends.outerHTML);
  assert.equal(minus, "rgb(103, 0, 31)");
  assert.equal(plus, "rgb(5, 48, 97)");
  // Whatever the data range, a positive correlation is bluer than red and a negative one redder than blue.
  const fills = cellFills(heatmapChart({ ...correlationBase, scheme: "correlation" }).outerHTML);
  const [r1, , b1] = rgb(fills[1]), [r2, , b2] = rgb(fills[2]); // +0.46 and −0.57
  assert.ok(b1 > r1 && r2 > b2, `${fills[1]} ${fills[2]}`);
  // The legend spans [−1, 1] even though the data span [−0.57, 1].
  const words = texts(heatmapChart({ ...correlationBase, scheme: "correlation" }).outerHTML);
  assert.ok(words.includes("−1") || words.includes("-1"), JSON.stringify(words));
});

Deno.test('heatmapChart() scheme "correlation" draws what "rdbu" on [−1, 1] draws, so other charts are unchanged', () => {
  const a = heatmapChart({ ...correlationBase, scheme: "correlation" });
  const b = heatmapChart({ ...correlationBase, scheme: "rdbu", domain: [-1, 1] });
  assert.equal(withoutRampIds(a.outerHTML), withoutRampIds(b.outerHTML));
});

Deno.test('heatmapChart() scheme "correlation" refuses reverse, another domain, a scale and values outside [−1, 1]', () => {
  const opts = { ...correlationBase, scheme: "correlation" as HeatmapScheme };
  assert.throws(() => heatmapChart({ ...opts, reverse: true }), {
    name: "RangeError",
    message: 'Cannot draw heatmap: reverse must be unset with scheme "correlation" (blue is always +1), received true',
  });
  assert.throws(() => heatmapChart({ ...opts, domain: [-0.5, 0.5] }), {
    name: "RangeError",
    message: 'Cannot draw heatmap: domain must be unset or [-1, 1] with scheme "correlation", received [-0.5, 0.5]',
  });
  assert.throws(() => heatmapChart({ ...opts, scale: 100 }), { name: "RangeError" });
  assert.throws(() => heatmapChart({ ...opts, values: [[1.2, 0, 0], [0, 1, 0], [0, 0, 1]] }), {
    name: "RangeError",
    message: 'Cannot draw heatmap: values must be correlations in [-1, 1] with scheme "correlation", received 1.2',
  });
  heatmapChart({ ...opts, domain: [-1, 1] }); // the fixed domain, stated, is accepted
});
