import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import {
  correlation,
  correlationMatrix,
  diff,
  excessKurtosis,
  mean,
  quantile,
  rollingMean,
  skewness,
  sortedQuantile,
  standardDeviation,
  sum,
  variance,
} from "../../lib/core/stats.ts";

// Reference values: numpy 1.24 / scipy 1.10 (Debian), e.g.
//   python3 -c "import numpy as np; x=np.array([...]); print(x.var(ddof=1), np.percentile(x, 5))"
const X = [0.012, -0.004, 0.031, 0.007, -0.019, 0.002, 0.044, -0.008, 0.015, -0.027];
const Y = [1.0, 0.5, 2.0, 1.5, -0.5, 0.0, 3.0, 0.8, 1.1, -1.0];

Deno.test("mean() and variance() match numpy, with ddof 1 and 0", () => {
  assertClose(mean(X), 0.005300000000000001, { rtol: 1e-14 });
  assertClose(variance(X), 0.0004675666666666666, { rtol: 1e-13 });
  assertClose(variance(X, 0), 0.0004208099999999999, { rtol: 1e-13 });
  assertClose(standardDeviation(X), Math.sqrt(0.0004675666666666666), { rtol: 1e-13 });
});

Deno.test("skewness() and excessKurtosis() match scipy.stats (bias=True)", () => {
  assertClose(skewness(X), 0.2886055115681028, { rtol: 1e-12 });
  assertClose(excessKurtosis(X), -0.6472805681442955, { rtol: 1e-12 });
});

Deno.test("quantile() interpolates linearly like numpy.percentile", () => {
  const ref: [number, number][] = [[0.05, -0.0234], [0.25, -0.007], [0.5, 0.0045000000000000005], [
    0.95,
    0.03814999999999998,
  ]];
  for (const [p, q] of ref) assertClose(quantile(X, p), q, { atol: 1e-15 }, `p = ${p}`);
  assert.equal(quantile([3], 0.3), 3);
});

Deno.test("correlation() matches numpy.corrcoef; correlationMatrix() has a unit diagonal", () => {
  assertClose(correlation(X, Y), 0.942664822655161, { rtol: 1e-13 });
  const m = correlationMatrix({ x: X, y: Y });
  assert.deepEqual(m.names, ["x", "y"]);
  assert.equal(m.values[0][0], 1);
  assert.equal(m.values[0][1], m.values[1][0]);
});

Deno.test("sum() is compensated: exact where naive summation loses everything", () => {
  assert.equal(sum([1, 1e100, 1, -1e100]), 2);
  const tenth = new Array(1_000_000).fill(0.1);
  assertClose(sum(tenth), 100_000, { rtol: 1e-15 });
});

Deno.test("statistics refuse NaN, short and constant inputs with the position named", () => {
  assert.throws(() => mean([1, NaN, 3]), {
    name: "RangeError",
    message: "Cannot compute mean: values[1] must be finite, received NaN",
  });
  assert.throws(() => mean([]), { name: "RangeError", message: /at least 1 values/ });
  assert.throws(() => variance([1]), { name: "RangeError" });
  assert.throws(() => excessKurtosis([2, 2, 2, 2]), {
    name: "RangeError",
    message: "Cannot compute excess kurtosis: values must be not constant, received 4 equal values",
  });
  assert.throws(() => correlation([1, 2], [1, 2, 3]), {
    name: "RangeError",
    message: /x and y must be of the same length/,
  });
});

Deno.test("diff() takes lagged differences", () => {
  assert.deepEqual(Array.from(diff([1, 4, 9, 16])), [3, 5, 7]);
  assert.deepEqual(Array.from(diff([1, 4, 9, 16], 2)), [8, 12]);
});

Deno.test("rollingMean() is the trailing mean of the present values and rejects ±Infinity and bad windows", () => {
  const x = [1, 2, NaN, 4, 5, 6];
  // window 3, at least 2 present: [1] → NaN, [1,2] → 1.5, [1,2,–] → 1.5, [2,–,4] → 3, [–,4,5] → 4.5, [4,5,6] → 5
  assert.deepEqual(Array.from(rollingMean(x, 3, { minCount: 2 })), [NaN, 1.5, 1.5, 3, 4.5, 5]);
  const long = Float64Array.from({ length: 1000 }, (_, t) => Math.sin(t));
  const r = rollingMean(long, 50);
  assertClose(r[999], mean(long.subarray(950)), { atol: 1e-13 });
  assert.throws(() => rollingMean([1, Infinity], 2), /values\[1\] must be finite or NaN/);
  assert.throws(() => rollingMean([1, 2], 0), /window must be an integer ≥ 1, received 0/);
  assert.throws(() => rollingMean([1, 2], 2, { minCount: 3 }), /minCount/);
});

Deno.test("stats: invalid ddof and lag are refused instead of giving silently wrong numbers", () => {
  assert.throws(() => variance([1, 2, 3], -1), /ddof must be an integer >= 0, received -1/);
  assert.throws(() => variance([1, 2, 3], 0.5), /ddof must be an integer >= 0, received 0.5/);
  assert.throws(() => diff([1, 2, 3], 0), /lag must be an integer >= 1, received 0/);
  assert.equal(variance([1, 2, 3], 0), 2 / 3);
});

Deno.test("sortedQuantile() refuses p outside [0, 1], an empty sample and a NaN it would read, instead of NaN", () => {
  // numpy: np.percentile([1, 2, 4, 7], 30) = 1.9 (valid calls are unchanged)
  assertClose(sortedQuantile([1, 2, 4, 7], 0.3), 1.9, { atol: 1e-15 });
  assert.throws(() => sortedQuantile([1, 2, 4, 7], -1e-12), { name: "RangeError", message: /p must be in \[0, 1\]/ });
  assert.throws(() => sortedQuantile([1, 2, 4, 7], Infinity), { name: "RangeError", message: /p must be/ });
  assert.throws(() => sortedQuantile([], 0.5), {
    name: "RangeError",
    message: /sorted must be an array of at least 1/,
  });
  assert.throws(() => sortedQuantile([NaN, 2, 4, 7], 0.3), {
    name: "RangeError",
    message: /sorted\[0\] must be finite/,
  });
  assert.throws(() => sortedQuantile(null as unknown as number[], 0.3), {
    name: "TypeError",
    message: /sorted must be/,
  });
});

Deno.test("correlationMatrix() names the series at fault, not the x and y of correlation()", () => {
  assert.throws(() => correlationMatrix({ a: [1, 2, 3], b: [1, NaN, 3] }), {
    name: "RangeError",
    message: "Cannot compute correlation matrix: series.b[1] must be finite, received NaN",
  });
  assert.throws(() => correlationMatrix({ a: [1, 2, 3], b: [1, 2] }), {
    message: "Cannot compute correlation matrix: series.a and series.b must be of the same length, received 3 and 2",
  });
  assert.throws(() => correlationMatrix({ a: [1, 2, 3], b: [2, 2, 2] }), { message: /series.b must be not constant/ });
  assert.throws(() => correlationMatrix({ a: [1, 2, 3], z: 1 as unknown as number[] }), { name: "TypeError" });
  assert.throws(() => correlationMatrix(null as unknown as Record<string, number[]>), {
    message: /series must be an object/,
  });
});

Deno.test("rollingMean() refuses a missing series and null options with its own names", () => {
  assert.throws(() => rollingMean(null as unknown as number[], 2), { name: "TypeError", message: /values must be/ });
  assert.throws(() => rollingMean([1, 2], 2, null as unknown as object), {
    name: "TypeError",
    message: /opts must be/,
  });
  assert.throws(() => rollingMean([1, 2], 2, { minCnt: 1 } as object), { message: /did you mean opts.minCount/ });
});
