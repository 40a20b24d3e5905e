import assert from "node:assert/strict";
import { drawGarch } from "../../lib/market/garch.ts";
import { makeRng } from "../../lib/core/rng.ts";
import jStat from "jstat";
import { assertClose } from "../_assert.ts";
import { fitGarch, garchLogLikelihood, garchVariance, simulateGarch } from "../../lib/market/garch.ts";
import { excessKurtosis, mean } from "../../lib/core/stats.ts";

Deno.test("garchVariance() follows σ²ₜ = ω + α·ε²ₜ₋₁ + β·σ²ₜ₋₁ (by hand)", () => {
  const p = { omega: 0.1, alpha: 0.2, beta: 0.7 };
  const v = garchVariance([1, -2, 0.5], p, 1);
  assert.deepEqual(Array.from(v), [1, 0.1 + 0.2 * 1 + 0.7 * 1, 0.1 + 0.2 * 4 + 0.7 * 1]);
});

Deno.test("garchLogLikelihood() equals the sum of normal and Student-t log densities", () => {
  const e = [0.01, -0.02, 0.015, 0.003];
  const p = { omega: 1e-5, alpha: 0.1, beta: 0.85 };
  const s2 = e.reduce((a, x) => a + x * x, 0) / e.length; // σ₀² = sample second moment
  const v = Array.from(garchVariance(e, p, s2));
  const normal = e.reduce((a, x, t) => a - 0.5 * (Math.log(2 * Math.PI * v[t]) + (x * x) / v[t]), 0);
  assertClose(garchLogLikelihood(e, p), normal, { rtol: 1e-13 });
  const nu = 5, scale = (t: number) => Math.sqrt((v[t] * (nu - 2)) / nu); // standardized t = t_ν·√((ν−2)/ν)
  const student = e.reduce((a, x, t) => a + Math.log(jStat.studentt.pdf(x / scale(t), nu) / scale(t)), 0);
  assertClose(garchLogLikelihood(e, { ...p, nu }), student, { rtol: 1e-8 }); // jStat's t pdf is good to ~1e-9
});

Deno.test("simulateGarch() produces volatility clustering and fat tails", () => {
  const { returns } = simulateGarch({ omega: 2e-6, alpha: 0.1, beta: 0.88, nu: 8, steps: 50_000, seed: "cluster" });
  const abs = Array.from(returns, Math.abs);
  const m = mean(abs);
  let c = 0, v = 0;
  for (let t = 1; t < abs.length; t++) (c += (abs[t] - m) * (abs[t - 1] - m)), (v += (abs[t] - m) ** 2);
  assert.ok(c / v > 0.1, `autocorrelation of |ε| ${c / v} shows clustering`);
  assert.ok(excessKurtosis(returns) > 1);
});

Deno.test("fitGarch() recovers the persistence and tail of a simulated series", () => {
  const truth = { omega: 1e-6, alpha: 0.08, beta: 0.9, nu: 6 };
  const { returns } = simulateGarch({ ...truth, steps: 30_000, seed: "recover" });
  const fit = fitGarch(returns);
  assert.ok(fit.converged);
  assertClose(fit.persistence, 0.98, { atol: 0.01 });
  assertClose(fit.alpha, 0.08, { atol: 0.02 });
  assertClose(fit.nu!, 6, { atol: 1.5 });
  assertClose(fit.logLikelihood, garchLogLikelihood(returns, fit), { rtol: 1e-12 });
});

Deno.test("GARCH functions refuse non-stationary parameters and short series", () => {
  assert.throws(() => garchVariance([1, 2], { omega: 1, alpha: 0.5, beta: 0.6 }), {
    name: "RangeError",
    message: "Cannot filter GARCH variance: alpha + beta must be < 1 (stationary), received 1.1",
  });
  assert.throws(() => fitGarch([1, 2, 3]), { name: "RangeError", message: /at least 100 values/ });
  assert.throws(() => simulateGarch({ omega: 1, alpha: 0.1, beta: 0.8, nu: 2, steps: 5, seed: 1 }), {
    message: "Cannot simulate GARCH(1,1): nu must be a finite number > 2, received 2",
  });
});

Deno.test("GARCH: a negative initial variance is refused", async () => {
  const { garchVariance } = await import("../../lib/market/garch.ts");
  const { default: assert } = await import("node:assert/strict");
  assert.throws(
    () => garchVariance([0.01, -0.02], { omega: 1e-6, alpha: 0.05, beta: 0.9 }, -1e-4),
    /initialVariance must be > 0, received -0.0001/,
  );
});

Deno.test("drawGarch() and simulateGarch() refuse a negative initial variance and misspelt parameters", () => {
  const p = { omega: 1e-6, alpha: 0.1, beta: 0.85 };
  assert.throws(() => drawGarch(makeRng("g"), 5, p, -1e-5), {
    name: "RangeError",
    message: "Cannot draw GARCH(1,1): initialVariance must be > 0, received -0.00001",
  });
  assert.throws(() => simulateGarch({ ...p, steps: 5, seed: 1, initialVariance: -1 }), {
    message: "Cannot simulate GARCH(1,1): initialVariance must be > 0, received -1",
  });
  // A misspelt ω used to give NaN returns.
  assert.throws(() => drawGarch(makeRng("g"), 5, { omeag: 1e-6, alpha: 0.1, beta: 0.85 } as never), {
    name: "TypeError",
    message: "Cannot draw GARCH(1,1): omega must be a number, received undefined",
  });
  assert.throws(() => drawGarch(7 as never, 5, p), /rng must be a function/);
  assert.throws(() => drawGarch(makeRng("g"), -1, p), /steps must be an integer in \[0, 268435456\], received -1/);
  // The checked call draws exactly what simulateGarch draws from the same stream (σ₀² the unconditional variance).
  const a = drawGarch(makeRng(4), 50, p);
  const b = simulateGarch({ ...p, steps: 50, seed: 4 });
  assert.deepEqual(a.returns, b.returns);
  assertClose(a.variance[0], 1e-6 / 0.05, { rtol: 1e-12 });
});
