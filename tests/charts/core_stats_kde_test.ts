// Tests of the kernel density functions of lib/core/stats.ts (kept with the charts that use them).
import assert from "node:assert/strict";
import { gaussianKde, silvermanBandwidth } from "../../lib/core/stats.ts";
import { assertAllClose, assertClose } from "../_assert.ts";

const sample = [-1.2, 0.3, 0.7, 1.9, 2.4, 3.1, 5.0];

Deno.test("silvermanBandwidth() is 0.9·min(s, IQR/1.34)·n^(−1/5)", () => {
  // numpy: x = [-1.2, 0.3, 0.7, 1.9, 2.4, 3.1, 5.0]; s = np.std(x, ddof=1) = 2.030481997668815,
  // IQR = np.subtract(*np.percentile(x, [75, 25])) = 2.25 → 0.9·min(s, IQR/1.34)·7**-0.2 = 1.0240015668925178
  assertClose(silvermanBandwidth(sample), 1.0240015668925178, { rtol: 1e-13 });
});

Deno.test("silvermanBandwidth() falls back to s when IQR = 0", () => {
  // Eight zeros and a 3: mean 1/3, Σ(x − x̄)² = 8, s = √(8/8) = 1, IQR = 0 → h = 0.9·9^(−1/5).
  assertClose(silvermanBandwidth([0, 0, 0, 0, 0, 0, 0, 0, 3]), 0.9 * Math.pow(9, -0.2), { rtol: 1e-13 });
});

Deno.test("silvermanBandwidth() rejects a constant or too short sample", () => {
  assert.throws(() => silvermanBandwidth([2, 2, 2]), {
    name: "RangeError",
    message: "Cannot compute Silverman bandwidth: values must be not constant, received 3 equal values",
  });
  assert.throws(() => silvermanBandwidth([1]), { name: "RangeError", message: /at least 2 values, received 1/ });
});

Deno.test("gaussianKde() matches scipy.stats.gaussian_kde at the same bandwidth", () => {
  // scipy: gaussian_kde(x, bw_method=h / np.std(x, ddof=1))([-2, 0, 1.5, 4]) with h = 1.0240015668925178
  const f = gaussianKde(sample, [-2, 0, 1.5, 4], 1.0240015668925178);
  assertAllClose(f, [0.04725151523287029, 0.13947922660387435, 0.1767223836013994, 0.09597906652894392], {
    rtol: 1e-12,
  });
  assertAllClose(gaussianKde(sample, [-2, 0, 1.5, 4]), f, { rtol: 0 }); // Silverman's bandwidth by default
});

Deno.test("gaussianKde() integrates to 1", () => {
  const h = 0.5, step = 0.01;
  const grid = Array.from({ length: 2001 }, (_, i) => -6 + i * step); // [−6, 14]: > 9 bandwidths past the sample
  const f = gaussianKde(sample, grid, h);
  let area = 0;
  for (let i = 1; i < f.length; i++) area += (f[i] + f[i - 1]) * step / 2;
  assertClose(area, 1, { atol: 1e-9 }); // trapezoid error on a smooth, vanishing-tailed integrand
});

Deno.test("gaussianKde() rejects a bandwidth ≤ 0 and a non-finite value", () => {
  assert.throws(() => gaussianKde([1, 2], [0], 0), {
    name: "RangeError",
    message: "Cannot compute kernel density: bandwidth must be a finite number > 0, received 0",
  });
  assert.throws(() => gaussianKde([1, NaN], [0], 1), {
    message: "Cannot compute kernel density: values[1] must be finite, received NaN",
  });
});
