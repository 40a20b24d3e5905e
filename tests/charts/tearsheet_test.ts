import assert from "node:assert/strict";
import {
  monthlyReturnsHeatmap,
  rollingSharpeChart,
  worstDrawdownsTable,
  yearlyReturnsChart,
} from "../../lib/charts/tearsheet.ts";
import { days, display, parse, texts } from "./_svg.ts";

/** Text of every SVG `<title>` (the hover values), without the chart's own title. */
const hovers = (svg: string): string[] =>
  [...parse(svg).querySelectorAll("title")].map((t: Element) => t.textContent ?? "").slice(1);

const MONTHS = (first: number, ...rest: (number | null)[]) => [first, ...rest, ...Array(11 - rest.length).fill(null)];

Deno.test("monthlyReturnsHeatmap() draws years × months with cell text, labelled axes and a hover title per cell", () => {
  const chart = monthlyReturnsHeatmap({
    title: "Monthly returns",
    years: [2023, 2024],
    values: [MONTHS(0.012, -0.034), MONTHS(0.005)],
  });
  const svg = chart.outerHTML, words = texts(svg);
  assert.equal(chart.title, "Monthly returns");
  for (
    const w of ["Monthly returns", "Month", "Year", "Monthly return (%)", "Jan", "Dec", "2023", "2024", "1.2", "-3.4"]
  ) {
    assert.ok(words.some((t) => t?.includes(w)), w);
  }
  const titles = hovers(svg);
  assert.equal(titles.length, 24); // one per cell, empty months included
  assert.ok(titles.includes("2023 Jan: 1.2 %") && titles.includes("2023 Feb: −3.4 %"));
  assert.ok(titles.includes("2024 Mar: no data"));
  assert.equal(display(chart)["text/plain"], "[chart] Monthly returns");
});

Deno.test("monthlyReturnsHeatmap() refuses a row that is not twelve months, a NaN and an empty title", () => {
  assert.throws(() => monthlyReturnsHeatmap({ title: "T", years: [2024], values: [[0.1, 0.2]] }), {
    name: "RangeError",
    message: "Cannot draw monthly returns heatmap: values[0] must have 12 values like the months of a year, received 2",
  });
  assert.throws(() => monthlyReturnsHeatmap({ title: "T", years: [2024], values: [MONTHS(0.1, NaN)] }), {
    name: "RangeError",
    message: "Cannot draw monthly returns heatmap: values[0][1] must be finite or null, received NaN",
  });
  assert.throws(() => monthlyReturnsHeatmap({ title: "", years: [2024], values: [MONTHS(0.1)] }), {
    name: "TypeError",
    message: 'Cannot draw monthly returns heatmap: title must be a non-empty string with units, received ""',
  });
});

Deno.test("rollingSharpeChart() stacks Sharpe over volatility with labelled axes and hover bands with both values", () => {
  const dates = days(300);
  const sharpe = Float64Array.from(dates, (_, t) => (t < 60 ? NaN : Math.sin(t / 30)));
  const vol = Float64Array.from(dates, (_, t) => (t < 60 ? NaN : 0.1 + 0.0001 * t));
  const chart = rollingSharpeChart({
    title: "Rolling one-year Sharpe ratio and volatility",
    dates,
    sharpe: { Book: sharpe, Benchmark: sharpe.map((x) => x / 2) },
    volatility: { Book: vol, Benchmark: vol },
    dashed: ["Benchmark"],
    hoverBands: 50,
  });
  const svg = chart.outerHTML, words = texts(svg);
  assert.equal(parse(svg).querySelectorAll("svg svg").length, 2);
  for (const w of ["Rolling Sharpe ratio (annualised)", "Rolling volatility (% a year)", "Book", "Benchmark"]) {
    assert.ok(words.some((t) => t?.includes(w)), w);
  }
  const titles = hovers(svg);
  assert.equal(titles.length, 2 * 50); // 50 bands on each panel
  assert.ok(titles[0].startsWith("2024-01-01\nBook: Sharpe n/a, volatility n/a"));
  const at120 = titles.find((t) => t.startsWith("2024-04-30")); // day 120 starts a band of 6 days
  assert.ok(at120?.includes(`Book: Sharpe ${Math.sin(4).toFixed(2)}, volatility 11.2 %`), at120);
});

Deno.test("rollingSharpeChart() refuses panels with different strategies and a misaligned series", () => {
  const dates = days(3);
  assert.throws(
    () => rollingSharpeChart({ title: "T", dates, sharpe: { A: [1, 2, 3] }, volatility: { B: [1, 2, 3] } }),
    {
      name: "RangeError",
      message: "Cannot draw rolling Sharpe chart: volatility must be the series of sharpe (A), received B",
    },
  );
  assert.throws(() => rollingSharpeChart({ title: "T", dates, sharpe: { A: [1, 2] }, volatility: { A: [1, 2, 3] } }), {
    name: "RangeError",
    message: 'Cannot draw rolling Sharpe chart: sharpe "A" must have 3 values like dates, received 2',
  });
});

Deno.test("yearlyReturnsChart() draws a bar per year and strategy, titled with its value", () => {
  const chart = yearlyReturnsChart({
    title: "Calendar-year returns",
    years: [2022, 2023, 2024],
    series: { Daily: [-0.081, 0.02, 0.05], "Weekly + band": [-0.06, 0.04, 0.07] },
  });
  const svg = chart.outerHTML, words = texts(svg);
  for (const w of ["Year", "Return (%)", "2022", "Daily", "Weekly + band"]) {
    assert.ok(words.some((t) => t?.includes(w)), w);
  }
  const titles = hovers(svg);
  assert.equal(titles.length, 6);
  assert.ok(titles.includes("2022 · Daily: −8.1 %") && titles.includes("2024 · Weekly + band: 7.0 %"));
  const single = yearlyReturnsChart({ title: "Years", years: [2024], series: { Book: [0.0004] } });
  assert.deepEqual(hovers(single.outerHTML), ["2024: 0.0 %"]);
  assert.throws(() => yearlyReturnsChart({ title: "T", years: [2023, 2024], series: { A: [0.1] } }), {
    name: "RangeError",
    message: 'Cannot draw yearly returns chart: series "A" must have 2 values like years, received 1',
  });
});

Deno.test("worstDrawdownsTable() lists the episodes with dates, depth in % and lengths; refuses a positive depth", () => {
  const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
  const episode = {
    start: d("2022-01-05"),
    trough: d("2022-10-21"),
    recovery: null,
    depth: -0.0871,
    toTrough: 200,
    toRecovery: null,
    length: 750,
  };
  const t = worstDrawdownsTable([
    {
      start: d("2020-02-24"),
      trough: d("2020-03-23"),
      recovery: d("2020-08-10"),
      depth: -0.153,
      toTrough: 21,
      toRecovery: 99,
      length: 120,
    },
    {
      start: d("2022-01-05"),
      trough: d("2022-10-21"),
      recovery: null,
      depth: -0.0871,
      toTrough: 200,
      toRecovery: null,
      length: 750,
    },
  ], { caption: "Worst drawdowns of the book" });
  assert.equal(t.rows, 2);
  for (const w of ["Worst drawdowns of the book", "2020-03-23", "−15.3 %", "not recovered", "length (days)", "750"]) {
    assert.ok(t.html.includes(w), w);
  }
  assert.match(t.text, /peak to trough \(days\)/);
  assert.throws(
    () =>
      worstDrawdownsTable([{
        start: d("2020-01-02"),
        trough: d("2020-01-03"),
        recovery: null,
        depth: 0.1,
        toTrough: 1,
        toRecovery: null,
        length: 1,
      }]),
    {
      name: "RangeError",
      message: "Cannot draw worst drawdowns table: episodes[0].depth must be a finite number < 0, received 0.1",
    },
  );
  const fine = worstDrawdownsTable([{ ...episode, depth: -0.00871 }], { decimals: 2 });
  assert.ok(fine.html.includes("−0.87 %"));
  assert.throws(() => worstDrawdownsTable([episode], { decimal: 2 } as never), {
    name: "TypeError",
    message: /unknown option opts\.decimal; did you mean opts\.decimals\?/,
  });
  assert.throws(() => worstDrawdownsTable("none" as never), {
    name: "TypeError",
    message: 'Cannot draw worst drawdowns table: episodes must be an array of drawdown episodes, received "none"',
  });
});
