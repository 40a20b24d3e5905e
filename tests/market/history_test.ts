import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import {
  CREDIT_EPISODES,
  episodeIncrements,
  episodePeaks,
  episodeShape,
  exponentialAverage,
  FED_TARGET_PATH,
  periodHighlights,
  stepPath,
  US_RECESSIONS,
} from "../../lib/market/history.ts";
import { businessDays } from "../../lib/core/calendar.ts";

const d = (s: string) => new Date(`${s}T00:00:00Z`);

Deno.test("episodeShape() is 0 outside, 1 at the peak and ½ half-way up (smoothstep)", () => {
  const e = { name: "test", short: "t", start: "2020-01-01", peak: "2020-01-11", end: "2020-01-31" };
  const s = episodeShape([d("2019-12-31"), d("2020-01-06"), d("2020-01-11"), d("2020-01-21"), d("2020-02-01")], e);
  assert.deepEqual(Array.from(s), [0, 0.5, 1, 0.5, 0]);
});

Deno.test("episodeIncrements() sum to 1 over the build-up", () => {
  const days = businessDays("2014-01-01", "2016-12-31", "nyse");
  const inc = episodeIncrements(days, {
    name: "x",
    short: "x",
    start: "2014-06-20",
    peak: "2016-02-11",
    end: "2016-02-12",
  });
  assertClose(inc.reduce((a, b) => a + b, 0), 1, { atol: 1e-12 });
});

Deno.test("stepPath() holds each Fed target until the next change", () => {
  const path = stepPath(
    [d("2008-12-15"), d("2008-12-16"), d("2015-12-15"), d("2015-12-16"), d("1996-06-01")],
    FED_TARGET_PATH,
  );
  assert.deepEqual(Array.from(path), [0.01, 0.00125, 0.00125, 0.00375, 0.0525]);
});

Deno.test("exponentialAverage() halves the weight of old data every half-life and is causal", () => {
  const x = [1, 0, 0, 0, 0];
  const m = exponentialAverage(x, 1); // w = ½
  assert.deepEqual(Array.from(m), [1, 0.5, 0.25, 0.125, 0.0625]);
  const y = [...x, 10];
  assert.deepEqual(Array.from(exponentialAverage(y, 1)).slice(0, 5), Array.from(m)); // the future does not leak
});

Deno.test("episodePeaks() finds the peak inside the window and the value before it", () => {
  const dates = ["2020-02-18", "2020-02-21", "2020-03-10", "2020-03-23", "2021-01-04"].map(d);
  const peaks = episodePeaks(dates, { HY: [0.035, null, 0.06, 0.1087, 0.04] }, CREDIT_EPISODES);
  const covid = peaks.find((p) => p.episode === "Covid-19 shock")!;
  assert.equal(covid.before, 0.035);
  assert.equal(covid.peak, 0.1087);
  assert.equal(covid.peakDate.toISOString().slice(0, 10), "2020-03-23");
  assertClose(covid.ratio, 0.1087 / 0.035, { rtol: 1e-15 });
});

Deno.test("episode calendars are dated in order and turn into chart highlights", () => {
  for (const e of CREDIT_EPISODES) assert.ok(e.start < e.peak && e.peak < e.end, e.name);
  for (let i = 1; i < FED_TARGET_PATH.length; i++) assert.ok(FED_TARGET_PATH[i - 1][0] < FED_TARGET_PATH[i][0]);
  const h = periodHighlights(US_RECESSIONS, "2000-01-01");
  assert.deepEqual(h.map((x) => x.label), ["2001", "2007–09", "2020"]);
});

Deno.test("episodePeaks() and periodHighlights() name the bad date instead of failing inside", () => {
  const dates = businessDays("2008-01-01", "2008-03-31");
  const series = { HY: dates.map((_, i) => 0.05 + 0.001 * i) };
  const bad = [...dates];
  bad[5] = "2015-02-30" as never;
  assert.throws(() => episodePeaks(bad, series, [CREDIT_EPISODES[0]]), {
    name: "TypeError",
    message: 'Cannot find episode peaks: dates[5] must be a Date, received "2015-02-30"',
  });
  assert.throws(() => episodePeaks(dates, series, [{ ...US_RECESSIONS[0], start: "" }]), {
    message: 'Cannot find episode peaks: episodes[0].start must be an ISO date (YYYY-MM-DD), received ""',
  });
  assert.throws(() => episodePeaks(dates, { HY: series.HY.map((v, i) => (i === 3 ? Infinity : v)) }, US_RECESSIONS), {
    message: /series.HY\[3\] must be finite \(or null\), received Infinity/,
  });
  assert.throws(() => periodHighlights(null as never), { name: "TypeError", message: /periods must be an array/ });
  assert.throws(() => periodHighlights([null as never]), {
    name: "TypeError",
    message: /periods\[0\] must be an object/,
  });
  assert.throws(() => periodHighlights(US_RECESSIONS, "2000-13-01"), /from must be an ISO date/);
});
