import assert from "node:assert/strict";
import { bondPanels, isInvestmentGrade } from "../../lib/market/universe.ts";
import { assertClose } from "../_assert.ts";
import {
  type BondUniverse,
  calibrateUniverse,
  generateBondUniverse,
  RATINGS,
  UNIVERSE_PARAMS,
} from "../../lib/market/universe.ts";
import { mean } from "../../lib/core/stats.ts";
import { loadCreditSpreads, loadRatingTransitions } from "../../lib/data/load.ts";
import { directorySource } from "../../lib/data/source.ts";
import { realDataDir } from "../_assert.ts";
import { flatCurves } from "../fixtures/curves.ts";

Deno.test("generateBondUniverse() is reproducible by seed and has the requested rating mix", () => {
  const curves = flatCurves(60);
  const a = generateBondUniverse({ curves, issuers: 100, seed: 7 }),
    b = generateBondUniverse({ curves, issuers: 100, seed: 7 });
  assert.deepEqual(a.spread, b.spread);
  assert.notDeepEqual(a.spread, generateBondUniverse({ curves, issuers: 100, seed: 8 }).spread);
  const counts = RATINGS.map((r) => a.bonds.filter((bond) => bond.rating === r).length);
  assert.deepEqual(counts, [3, 7, 25, 35, 15, 12, 3]); // the default mix on 100 issuers
});

Deno.test("spreads rise with rating on average and every bid-ask widens with the spread", () => {
  const u = generateBondUniverse({ curves: flatCurves(250), issuers: 300, seed: "levels" });
  const N = u.bonds.length;
  const avg = RATINGS.map((r) => {
    const cols = u.bonds.map((b, i) => (b.rating === r ? i : -1)).filter((i) => i >= 0);
    return mean(cols.flatMap((i) => Array.from({ length: u.dates.length }, (_, t) => Math.log(u.spread[t * N + i]))));
  });
  for (let k = 1; k < avg.length; k++) assert.ok(avg[k] > avg[k - 1], `${RATINGS[k]} wider than ${RATINGS[k - 1]}`);
  const { perSpread, referenceSize, sizeElasticity, floor } = UNIVERSE_PARAMS.bidAsk;
  for (let k = 0; k < u.spread.length; k += 997) {
    const i = k % N;
    const expected = Math.max(
      floor,
      perSpread * u.spread[k] * Math.pow(referenceSize / u.bonds[i].amount, sizeElasticity),
    );
    assertClose(u.bidAsk[k], expected, { rtol: 1e-12 });
  }
});

Deno.test("returns split exactly into a rates part and a credit part, and a rate jump hits the rates part by −D·Δy", () => {
  const up = generateBondUniverse({ curves: flatCurves(60, { day: 30, size: 0.01 }), issuers: 50, seed: "split" });
  const down = generateBondUniverse({ curves: flatCurves(60, { day: 30, size: -0.01 }), issuers: 50, seed: "split" });
  const N = up.bonds.length;
  for (let k = N; k < up.totalReturn.length; k++) {
    assertClose(up.ratesReturn[k] + up.creditReturn[k], up.totalReturn[k], { atol: 1e-15 });
  }
  // With the same history up to day 29, (r₋ − r₊)/(2·1 %) isolates the duration: carry and convexity cancel.
  for (let i = 0; i < N; i++) {
    if (up.replaced[29 * N + i]) continue;
    const k = 30 * N + i;
    assertClose((down.ratesReturn[k] - up.ratesReturn[k]) / 0.02, up.duration[29 * N + i], { rtol: 1e-10 });
  }
});

Deno.test("bonds are replaced below one year to maturity and after a default, whose return is the loss to recovery", () => {
  const u: BondUniverse = generateBondUniverse({ curves: flatCurves(1500), issuers: 300, seed: "events" });
  const N = u.bonds.length;
  let replacements = 0, defaults = 0;
  for (let k = 0; k < u.replaced.length; k++) {
    replacements += u.replaced[k];
    if (u.defaulted[k]) {
      defaults++;
      assert.equal(u.replaced[k], 1);
      assert.ok(u.totalReturn[k] < -0.2, `default return ${u.totalReturn[k]}`);
    }
    if (!u.replaced[k]) assert.ok(u.maturity[k] >= 1, "no bond below one year stays in the universe");
  }
  assert.ok(replacements > 0 && defaults > 0);
  const hy = u.bonds.map((b, i) => (["BB", "B", "CCC"].includes(b.rating) ? i : -1)).filter((i) => i >= 0);
  const hyDefaults = hy.reduce(
    (a, i) => a + Array.from({ length: u.dates.length }, (_, t) => u.defaulted[t * N + i]).reduce((x, y) => x + y, 0),
    0,
  );
  const igDefaults = defaults - hyDefaults;
  assert.ok(hyDefaults > igDefaults, `high yield defaults more: ${hyDefaults} vs ${igDefaults}`);
});

Deno.test("generateBondUniverse() rejects bad inputs", () => {
  assert.throws(() => generateBondUniverse({ curves: flatCurves(10), issuers: 0, seed: 1 }), {
    name: "RangeError",
    message: "Cannot generate bond universe: issuers must be an integer >= 1, received 0",
  });
  assert.throws(() => generateBondUniverse({ curves: flatCurves(1), seed: 1 }), {
    message: /curves must be at least 2 dates/,
  });
});

const real = realDataDir();

Deno.test({
  name: "calibrateUniverse() on the real indices reproduces the defaults and prices the IG index between A and BBB",
  ignore: real === null,
  fn() {
    const source = directorySource(real!);
    const sp = loadRatingTransitions(source);
    const cal = calibrateUniverse(loadCreditSpreads(source), {
      defaultRates: sp.probabilities.slice(0, 7).map((row) => row[sp.to.indexOf("D")]),
    });
    const strip = (p: object) => JSON.parse(JSON.stringify({ ...p, calibration: "" }));
    assert.deepEqual(strip(cal.params), strip(UNIVERSE_PARAMS));
    const ig = cal.anchors.find((a) => a.index === "BAMLC0A0CM")!;
    assert.ok(!ig.usedInFit);
    assertClose(ig.model, ig.observed, { atol: 0.15 }); // the left-out IG index, within 15 % in spread level
    for (const a of cal.anchors.filter((x) => x.usedInFit)) assertClose(a.model, a.observed, { atol: 0.02 });
  },
});

Deno.test("generateBondUniverse() refuses a rating-mix key that is not a rating, and malformed curves", () => {
  const curves = flatCurves(10);
  assert.throws(() => generateBondUniverse({ curves, issuers: 5, seed: 1, ratingMix: { AAA: 1, ZZZ: 1 } as never }), {
    name: "RangeError",
    message: 'Cannot generate bond universe: ratingMix key must be one of AAA, AA, A, BBB, BB, B, CCC, received "ZZZ"',
  });
  assert.throws(
    () => generateBondUniverse({ curves, issuers: 5, seed: 1, ratingMix: { AAA: -1, BB: 2 } as never }),
    /ratingMix.AAA must be >= 0, received -1/,
  );
  const dates = [...curves.dates];
  dates[3] = "2015-02-30" as never;
  assert.throws(() => generateBondUniverse({ curves: { ...curves, dates }, issuers: 5, seed: 1 }), {
    name: "TypeError",
    message: /curves.dates\[3\] must be a Date/,
  });
  assert.throws(
    () => generateBondUniverse({ curves: { ...curves, parYields: new Float64Array(0) }, issuers: 5, seed: 1 }),
    /curves.parYields.length must be/,
  );
  assert.throws(() => generateBondUniverse({ curves, issuers: 2 ** 28, seed: 1 }), /issuers must be at most/);
  assert.throws(() => isInvestmentGrade("BBB+" as never), /rating must be one of "AAA"/);
  assert.throws(() => bondPanels(null as never), { name: "TypeError", message: /u must be an object/ });
  const u = generateBondUniverse({ curves, issuers: 5, seed: 1 });
  assert.throws(() => bondPanels({ ...u, bonds: [7 as never, ...u.bonds.slice(1)] }), /u.bonds\[0\] must be an object/);
  assert.equal(bondPanels(u).spread, u.spread); // shared, not copied
});

Deno.test("truth.bucket is the log spread of a bond with no sector, issuer or idiosyncratic term", () => {
  // With dispersion, idiosyncratic scale, trend and sector volatility all 0, log sᵢ(t) = a_r + b_r·F(t) + e_r(t).
  const params = {
    ...UNIVERSE_PARAMS,
    sector: { persistence: 0.5, sigma: 0 },
    idiosyncratic: { dispersion: 0, persistence: 0.5, scale: 0, trend: { persistence: 0.5, sigma: 0 } },
  };
  const u = generateBondUniverse({ curves: flatCurves(40), issuers: 30, seed: "bucket", params });
  const N = u.bonds.length, K = RATINGS.length;
  assert.equal(u.truth.bucket.length, u.dates.length * K);
  for (let t = 0; t < u.dates.length; t++) {
    for (let i = 0; i < N; i++) {
      const r = RATINGS.indexOf(u.bonds[i].rating);
      assertClose(Math.log(u.spread[t * N + i]), u.truth.bucket[t * K + r], { atol: 1e-12 });
    }
  }
});

Deno.test({
  name: "calibrateUniverse() defaults: uncapped ratings reproduce their default rate, a capped one falls short",
  ignore: real === null,
  fn() {
    const source = directorySource(real!);
    const sp = loadRatingTransitions(source);
    const pd = sp.probabilities.slice(0, 7).map((row) => row[sp.to.indexOf("D")]);
    const cal = calibrateUniverse(loadCreditSpreads(source), { defaultRates: pd });
    const R = cal.params.defaults.recovery;
    assert.equal(cal.defaults!.length, RATINGS.length);
    for (const [k, d] of cal.defaults!.entries()) {
      // Closed form: the intensity λ = ℓ·s̄/(1 − R) gives a one-year default probability 1 − exp(−λ).
      assertClose(d.requiredLossShare, (-Math.log(1 - pd[k]) * (1 - R)) / d.meanSpread, { rtol: 1e-12 });
      assert.equal(d.lossShare, cal.params.defaults.lossShare[k]);
      if (!d.capped) assertClose(d.modelRate, pd[k], { rtol: 1e-5, atol: 1e-12 }); // ℓ rounded to 6 digits
      else {
        assert.equal(d.lossShare, 0.8);
        assert.ok(d.modelRate < pd[k]);
      }
    }
    assert.deepEqual(cal.defaults!.map((d) => d.capped), [false, false, false, false, false, false, true]);
    // The standardized shocks of the factor have unit mean square under the fitted GARCH (within 10 %).
    const z = cal.factor.standardized.subarray(2);
    assertClose(mean(Array.from(z, (x) => x * x)), 1, { atol: 0.1 });
    assert.equal(cal.factor.values.length, cal.dates.length);
  },
});
