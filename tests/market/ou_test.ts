import assert from "node:assert/strict";
import { simulateAR1 } from "../../lib/market/ou.ts";
import { makeRng } from "../../lib/core/rng.ts";
import { assertClose } from "../_assert.ts";
import { fitOU, ouStationary, ouTransition, simulateOU } from "../../lib/market/ou.ts";
import { mean, variance } from "../../lib/core/stats.ts";

Deno.test("simulateOU() one-step residuals have the exact transition mean and variance", () => {
  const p = { x0: 0.02, kappa: 1.5, mu: 0.012, sigma: 0.004, dt: 1 / 52, steps: 20_000, seed: "ou-moments" };
  const path = simulateOU(p);
  let sum = 0, sumSq = 0;
  for (let t = 1; t <= p.steps; t++) {
    const e = path[t] - ouTransition(p, path[t - 1], p.dt).mean;
    sum += e;
    sumSq += e * e;
  }
  const { variance: v } = ouTransition(p, 0, p.dt);
  assertClose(sum / p.steps, 0, { atol: 4 * Math.sqrt(v / p.steps) }); // 4 standard errors
  assertClose(sumSq / p.steps, v, { rtol: 4 * Math.sqrt(2 / p.steps) }); // sd of s² ≈ σ²·√(2/n)
});

Deno.test("simulateOU() reaches the stationary law N(μ, σ²/2κ) over a long path", () => {
  const p = { x0: 0.05, kappa: 2, mu: 0.01, sigma: 0.006, dt: 1 / 252, steps: 400_000, seed: "stationary" };
  const path = simulateOU(p).subarray(5_000);
  const law = ouStationary(p);
  // Autocorrelated samples: the effective sample size is about n·(1 − b)/(1 + b) with b = e^{−κΔ}.
  const b = Math.exp(-p.kappa * p.dt), nEff = (path.length * (1 - b)) / (1 + b);
  assertClose(mean(path), law.mean, { atol: 4 * Math.sqrt(law.variance / nEff) });
  assertClose(variance(path), law.variance, { rtol: 4 * Math.sqrt(2 / nEff) });
});

Deno.test("ouTransition() is exact in closed form and tends to Brownian motion as κ → 0", () => {
  const { mean: m, variance: v } = ouTransition({ kappa: 3, mu: 0.01, sigma: 0.02 }, 0.03, 0.5);
  assertClose(m, 0.01 + 0.02 * Math.exp(-1.5), { rtol: 1e-15 });
  assertClose(v, (0.0004 * (1 - Math.exp(-3))) / 6, { rtol: 1e-15 });
  assertClose(ouTransition({ kappa: 1e-12, mu: 0, sigma: 0.2 }, 0, 0.25).variance, 0.01, { rtol: 1e-9 });
  assert.equal(ouTransition({ kappa: 0, mu: 0, sigma: 0.2 }, 0.01, 0.25).mean, 0.01);
});

Deno.test("simulateOU() is reproducible: same seed, same path; another seed, another path", () => {
  const p = { x0: 0.01, kappa: 1, mu: 0.01, sigma: 0.003, dt: 1 / 252, steps: 100, seed: 9 };
  assert.deepEqual(simulateOU(p), simulateOU(p));
  assert.notDeepEqual(simulateOU(p), simulateOU({ ...p, seed: 10 }));
  assert.equal(simulateOU(p)[0], 0.01);
  assert.equal(simulateOU({ ...p, sigma: 0, x0: 0.01 }).every((x) => Math.abs(x - 0.01) < 1e-18), true);
});

Deno.test("fitOU() recovers κ, μ, σ of a simulated path and its half-life ln 2/κ", () => {
  const truth = { kappa: 4, mu: 0.015, sigma: 0.005 };
  const path = simulateOU({ ...truth, x0: 0.015, dt: 1 / 252, steps: 100_000, seed: "fit" });
  const fit = fitOU(path, 1 / 252);
  assertClose(fit.kappa, truth.kappa, { atol: 4 * fit.kappaStdError });
  assertClose(fit.sigma, truth.sigma, { rtol: 0.01 });
  assertClose(fit.mu, truth.mu, {
    atol: 4 * Math.sqrt(truth.sigma ** 2 / (2 * truth.kappa) / (100_000 / 252 * 2 * truth.kappa)),
  });
  assertClose(fit.halfLife, Math.LN2 / fit.kappa, { rtol: 1e-15 });
});

Deno.test("fitOU() equals the closed form on a noiseless AR(1): x[t+1] = 1 + x[t]/2", () => {
  // b = 1/2 per step of Δ = 1 year → κ = ln 2, half-life 1 year, μ = a/(1 − b) = 2, σ = 0.
  const fit = fitOU([0, 1, 1.5, 1.75, 1.875], 1);
  assertClose(fit.kappa, Math.LN2, { rtol: 1e-14 });
  assertClose(fit.halfLife, 1, { rtol: 1e-14 });
  assertClose(fit.mu, 2, { rtol: 1e-14 });
  assertClose(fit.sigma, 0, { atol: 1e-7 });
  assert.equal(fit.transitions, 4);
});

Deno.test("fitOU() and simulateOU() reject bad inputs with the argument named", () => {
  assert.throws(() => simulateOU({ x0: 0, kappa: 1, mu: 0, sigma: -1, dt: 0.01, steps: 10, seed: 1 }), {
    name: "RangeError",
    message: "Cannot simulate OU path: sigma must be a finite number >= 0, received -1",
  });
  assert.throws(() => simulateOU({ x0: 0, kappa: 1, mu: 0, sigma: 1, dt: 0, steps: 10, seed: 1 }), {
    message: "Cannot simulate OU path: dt must be a finite number of years > 0, received 0",
  });
  assert.throws(() => fitOU([1, NaN, 2], 1), { message: "Cannot fit OU process: x[1] must be finite, received NaN" });
  assert.throws(() => fitOU([1, 1, 1, 1], 1), { message: /x must be not constant/ });
  const walk = Array.from({ length: 500 }, (_, i) => i * 0.01);
  assert.throws(() => fitOU(walk, 1 / 252), { message: /AR\(1\) slope of x must be in \(0, 1\)/ });
});

Deno.test("simulateAR1() refuses a truncation that would redraw forever, and bad arguments by name", () => {
  const p = { persistence: 0.5, sigma: 0.1 };
  // maxShock 0 keeps no draw: it used to loop forever.
  assert.throws(() => simulateAR1(makeRng("x"), 10, p, { maxShock: 0 }), {
    name: "RangeError",
    message: "Cannot simulate AR(1): maxShock must be >= 1 (standard deviations) or Infinity, received 0",
  });
  assert.throws(() => simulateAR1(null as never, 10, p), { name: "TypeError", message: /rng must be a function/ });
  assert.throws(() => simulateAR1(makeRng("x"), -1, p), { name: "RangeError", message: /steps must be an integer/ });
  assert.throws(() => simulateAR1(makeRng("x"), 10, { ...p, sigma: NaN }), /sigma must be finite, received NaN/);
  assert.throws(() => simulateAR1(makeRng("x"), 10, p, { nu: 5, maxShok: 3 } as never), /did you mean opts.maxShock/);
  // A truncation at 1 sd keeps |z| ≤ 1 (a property of the truncated law).
  const x = simulateAR1(makeRng("x"), 2_000, { persistence: 0, sigma: 1 }, { maxShock: 1 });
  assert.ok(x.every((v, t) => t === 0 || Math.abs(v) <= 1));
});

Deno.test("ouTransition() and ouStationary() refuse what would give NaN, naming the field", () => {
  assert.throws(() => ouTransition(null as never, 0, 1), { name: "TypeError", message: /p must be an object/ });
  assert.throws(() => ouTransition({ kappa: 1, mu: NaN, sigma: 1 }, 0, 1), /mu must be finite, received NaN/);
  assert.throws(() => ouTransition({ kappa: 1, mu: 0, sigma: 1 }, 0, 0), /dt must be > 0, received 0/);
  assert.throws(() => ouStationary({ mu: 0, sigma: 1 } as never), /kappa must be a number, received undefined/);
  assert.throws(
    () => simulateOU({ x0: 0, kappa: 1, mu: 0, sigma: 1, dt: 0.01, steps: 1e12, seed: 1 }),
    /steps must be an integer in \[1, 268435456\], received 1000000000000/,
  );
});
