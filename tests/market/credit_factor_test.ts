import assert from "node:assert/strict";
import { UNIVERSE_PARAMS } from "../../lib/market/universe.ts";
import { assertClose } from "../_assert.ts";
import { fitCreditFactor, simulateCreditFactor, stressLevel } from "../../lib/market/credit_factor.ts";
import { businessDays } from "../../lib/core/calendar.ts";
import { makeRng } from "../../lib/core/rng.ts";
import { fitAR1, simulateAR1 } from "../../lib/market/ou.ts";

const TRUTH = {
  mean: -0.2,
  episodes: [{ name: "Global financial crisis", height: 1.4 }, { name: "Covid-19 shock", height: 0.7 }],
  persistence: 0.995,
  garch: { omega: 1.5e-5, alpha: 0.12, beta: 0.8, nu: 6 },
};

Deno.test("stressLevel() is μ outside episodes and μ + h at an episode's peak", () => {
  const dates = ["2005-01-03", "2008-12-15", "2020-03-23"].map((d) => new Date(`${d}T00:00:00Z`));
  const m = stressLevel(dates, TRUTH);
  assertClose(m[0], -0.2, { atol: 1e-15 });
  assertClose(m[1], 1.2, { atol: 1e-12 });
  assertClose(m[2], 0.5, { atol: 1e-12 });
  assert.deepEqual(Array.from(stressLevel(dates, TRUTH, { episodes: false })), [-0.2, -0.2, -0.2]);
});

Deno.test("fitCreditFactor() recovers the episode sizes, persistence and loadings of a simulated market", () => {
  const dates = businessDays("1997-01-02", "2024-12-31", "weekdays");
  const { factor } = simulateCreditFactor(makeRng("factor-fit"), dates, TRUTH);
  const noise = (name: string) =>
    simulateAR1(makeRng("factor-fit", name), dates.length, { persistence: 0.99, sigma: 0.01 });
  const [a, b] = [noise("a"), noise("b")];
  const spreads = {
    IG: Float64Array.from(factor, (f, t) => 0.3 + 1.0 * f + a[t]),
    HY: Float64Array.from(factor, (f, t) => 1.6 + 1.0 * f + b[t]),
  };
  const fit = fitCreditFactor(dates, spreads, { episodes: undefined });
  const gfc = fit.params.episodes.find((e) => e.name === "Global financial crisis")!;
  assertClose(gfc.height, 1.4, { atol: 0.25 }); // one path: the deviation D is persistent (half-life ~ 140 days)
  assertClose(fit.params.persistence, 0.995, { atol: 0.005 });
  assertClose(fit.series[0].loading, 1, { atol: 0.05 });
  // The AR(1) residuals (half-life 69 days) have sample means with sd ≈ 0.012 each: 4 standard errors of the difference.
  assertClose(fit.series[1].intercept - fit.series[0].intercept, 1.3, { atol: 0.07 });
  assert.ok(fit.params.garch.alpha + fit.params.garch.beta < 1);
});

Deno.test("simulateCreditFactor() is reproducible by generator seed", () => {
  const dates = businessDays("2020-01-01", "2020-12-31", "weekdays");
  const a = simulateCreditFactor(makeRng(5), dates, TRUTH).factor;
  assert.deepEqual(a, simulateCreditFactor(makeRng(5), dates, TRUTH).factor);
  assert.notDeepEqual(a, simulateCreditFactor(makeRng(6), dates, TRUTH).factor);
});

Deno.test("fitAR1() and simulateAR1() agree: persistence and shock size are recovered", () => {
  const x = simulateAR1(makeRng("ar1"), 100_000, { persistence: 0.97, sigma: 0.02 });
  const fit = fitAR1(x);
  assertClose(fit.persistence, 0.97, { atol: 4 * Math.sqrt((1 - 0.97 ** 2) / 100_000) });
  assertClose(fit.sigma, 0.02, { rtol: 0.01 });
  const bounded = simulateAR1(makeRng("ar1"), 20_000, { persistence: 0, sigma: 1 }, { nu: 4, maxShock: 3 });
  assert.ok(bounded.every((v) => Math.abs(v) <= 3));
});

Deno.test("simulateCreditFactor() and stressLevel() name a missing or misspelt parameter instead of returning NaN", () => {
  const dates = businessDays("2020-01-01", "2020-03-31", "weekdays");
  const { mean: _m, ...noMean } = UNIVERSE_PARAMS.factor;
  assert.throws(() => stressLevel(dates, noMean as never), {
    name: "TypeError",
    message: "Cannot compute stress level: params.mean must be a number, received undefined",
  });
  assert.throws(
    () => simulateCreditFactor(makeRng("f"), dates, { ...UNIVERSE_PARAMS.factor, garch: 7 as never }),
    { name: "TypeError", message: /params.garch must be an object/ },
  );
  assert.throws(
    () =>
      simulateCreditFactor(makeRng("f"), dates, UNIVERSE_PARAMS.factor, {
        exogenous: { shocks: [0.1], now: 0.1, lag: 0 },
      }),
    /exogenous.shocks.length must be/,
  );
  assert.throws(() => stressLevel(dates, UNIVERSE_PARAMS.factor, null as never), /opts must be an options object/);
  assert.throws(
    () => simulateCreditFactor(makeRng("f"), null as never, UNIVERSE_PARAMS.factor),
    /dates must be an array/,
  );
});
