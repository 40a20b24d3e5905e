import assert from "node:assert/strict";
import { preparePoints } from "../../lib/charts/common.ts";
import { lineChart } from "../../lib/charts/line.ts";
import { timeSeriesChart } from "../../lib/charts/time_series.ts";
import { days } from "./_svg.ts";

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
    message: 'Cannot draw time series: series "a" must have 3 values like dates, received 2',
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

Deno.test("preparePoints() treats NaN like null: a missing value, not a point", () => {
  assert.deepEqual(preparePoints(days(3), [1, NaN, 3]).map((p) => p.y), [1, 3]);
});

Deno.test("chart errors follow the house grammar and name the bad element", () => {
  assert.throws(
    () => timeSeriesChart({ title: "T", dates: [days(1)[0], new Date(NaN)], series: { a: [1, 2] }, yLabel: "Y" }),
    { name: "TypeError", message: "Cannot draw time series: dates[1] must be a valid Date, received an invalid Date" },
  );
  assert.throws(() => timeSeriesChart({ title: "T", dates: [], series: { a: [] }, yLabel: "Y" }), {
    name: "RangeError",
    message: "Cannot draw time series: dates must not be empty, received 0 dates",
  });
  assert.throws(() => lineChart({ title: "T", x: [1, 2], series: { a: [1] }, xLabel: "X", yLabel: "Y" }), {
    name: "RangeError",
    message: 'Cannot draw line chart: series "a" must have 2 values like x, received 1',
  });
  assert.throws(
    () => lineChart({ title: "T", x: [0, 2], series: { a: [1, 2] }, xLabel: "X", yLabel: "Y", logX: true }),
    { message: "Cannot draw line chart: x[0] must be > 0 on a log axis, received 0" },
  );
});

Deno.test("chart options refuse a misspelt key with the nearest one, and a bad highlight date", () => {
  const dates = days(3);
  assert.throws(() => timeSeriesChart({ title: "T", dates, series: { a: [1, 2, 3] }, yLable: "Y" } as never), {
    name: "TypeError",
    message: "Cannot draw time series: unknown option opts.yLable; did you mean opts.yLabel?",
  });
  assert.throws(
    () => lineChart({ title: "T", x: [1, 2], series: { a: [1, 2] }, xLabel: "X", yLabel: "Y", logx: true } as never),
    {
      name: "TypeError",
      message: "Cannot draw line chart: unknown option opts.logx; did you mean opts.logX?",
    },
  );
  const highlights = [{ start: "2015-02-30", end: "2015-03-10" }];
  assert.throws(() => timeSeriesChart({ title: "T", dates, series: { a: [1, 2, 3] }, yLabel: "Y", highlights }), {
    name: "RangeError",
    message: 'Cannot draw time series: highlights[0].start must be a valid date, received "2015-02-30"',
  });
  assert.throws(() => lineChart({ title: "T", x: [1, 2], series: { a: null as never }, xLabel: "X", yLabel: "Y" }), {
    name: "TypeError",
    message: 'Cannot draw line chart: series "a" must be an array of numbers or nulls, received null',
  });
});
