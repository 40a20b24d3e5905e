import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import { normCdf } from "../../lib/core/special.ts";
import { businessDays, isoDate } from "../../lib/core/calendar.ts";
import { makeRng, standardNormal } from "../../lib/core/rng.ts";
import { kmvDefaultPoint } from "../../lib/credit/merton.ts";
import { DEFAULT_NOTCH, pdToNotch } from "../../lib/credit/ratings.ts";
import { riskyAnnuity } from "../../lib/market/cds.ts";
import { FIRM_MARKET_MODEL, generateFirmUniverse, mertonHedgeRatio } from "../../lib/synthetic/firms.ts";
import { episodeShape } from "../../lib/market/history.ts";

/** The full default universe (60 firms, 2008–2024), generated once. */
const FULL = generateFirmUniverse({ seed: "creditlab" });
const SMALL = { seed: 7, firms: 8, start: "2019-06-03", end: "2020-12-31" } as const;

/** Merton's call, written out here (not the library's): E = V N(d₁) − D e^{−rT} N(d₂). */
function call(v: number, sigma: number, d: number, r: number, T: number): number {
  const d1 = (Math.log(v / d) + (r + 0.5 * sigma * sigma) * T) / (sigma * Math.sqrt(T));
  return v * normCdf(d1) - d * Math.exp(-r * T) * normCdf(d1 - sigma * Math.sqrt(T));
}

/** Merton's credit spread of zero-coupon debt, as Hull writes it: −ln(N(d₂) + V/(D e^{−rτ}) N(−d₁))/τ. */
function closedFormSpread(v: number, sigma: number, d: number, r: number, tau: number): number {
  const d1 = (Math.log(v / d) + (r + 0.5 * sigma * sigma) * tau) / (sigma * Math.sqrt(tau));
  const d2 = d1 - sigma * Math.sqrt(tau);
  return -Math.log(normCdf(d2) + (v / (d * Math.exp(-r * tau))) * normCdf(-d1)) / tau;
}

Deno.test("generateFirmUniverse() prices equity as the Merton call on the simulated assets", () => {
  const u = FULL, N = u.firms;
  let checked = 0;
  for (let t = 0; t < u.dates.length; t += 7) {
    for (let i = 0; i < N; i++) {
      const k = t * N + i;
      if (!u.alive[k]) continue;
      const e = call(u.assetValue[k], u.assetVol[k], u.defaultPoint[k], u.market.rate[t], 1);
      assertClose(u.equity[k], e, { rtol: 1e-12, atol: 1e-12 }, `equity of firm ${i} on ${isoDate(u.dates[t])}`);
      assertClose(u.price[k], u.equity[k] / u.params.shares[i], { rtol: 1e-14 });
      checked++;
    }
  }
  assert.ok(checked > 30_000, `${checked} firm-days checked`);
});

Deno.test("generateFirmUniverse() CDS mid is the closed-form Merton spread at the CDS tenor plus the liquidity spread", () => {
  const u = FULL, N = u.firms, tau = u.settings.cds.tenor, ell = u.settings.liquiditySpread;
  assert.equal(tau, 5), assert.equal(ell, 0.0005);
  for (let t = 3; t < u.dates.length; t += 11) {
    for (let i = 0; i < N; i++) {
      const k = t * N + i;
      if (!u.alive[k]) continue;
      const s = closedFormSpread(u.assetValue[k], u.assetVol[k], u.defaultPoint[k], u.market.rate[t], tau);
      // log1p form in the library vs the direct log here: both exact to ~1e-16 relative in the argument.
      assertClose(u.cdsMid[k] - ell, s, { rtol: 1e-9, atol: 1e-14 }, `spread of firm ${i} on ${isoDate(u.dates[t])}`);
      assertClose(u.cdsBidAsk[k], Math.max(0.0005, 0.06 * u.cdsMid[k]), { rtol: 1e-15 });
      assert.ok(u.cdsMid[k] - u.cdsBidAsk[k] / 2 >= 0, "the bid stays >= 0");
    }
  }
});

Deno.test("generateFirmUniverse() spread, equity and hedge ratio agree with SciPy at a fixed firm", () => {
  // /usr/bin/python3: V, σ, D, r = 100, .25, 70, .02; spread at τ = 5 with scipy.stats.norm → 0.016691361575998813;
  // equity at T = 1 → 31.98040907437241; hedge ratio RPV01(s)·(−ds/dV)/(dE/dV)·E with central differences (h = 1e−4)
  // and the quarterly flat-hazard annuity (R = 0.4, rate 0.03) → 0.06806327780441633 (ℓ = 0), 0.0679213920043739 (ℓ = 5 bp).
  assertClose(closedFormSpread(100, 0.25, 70, 0.02, 5), 0.016691361575998813, { rtol: 1e-12 });
  assertClose(call(100, 0.25, 70, 0.02, 1), 31.98040907437241, { rtol: 1e-12 });
  const p = { assetValue: 100, assetVol: 0.25, defaultPoint: 70, rate: 0.02 };
  assertClose(mertonHedgeRatio(p), 0.06806327780441633, { rtol: 1e-6 }); // finite differences: ~1e-8 error
  assertClose(mertonHedgeRatio({ ...p, liquiditySpread: 0.0005 }), 0.0679213920043739, { rtol: 1e-6 });
});

Deno.test("mertonHedgeRatio() offsets the CDS leg to first order: the residual shrinks with the square of the move", () => {
  const [v, sigma, d, r] = [80, 0.3, 60, 0.01];
  const h = mertonHedgeRatio({ assetValue: v, assetVol: sigma, defaultPoint: d, rate: r });
  const s0 = closedFormSpread(v, sigma, d, r, 5), e0 = call(v, sigma, d, r, 1), annuity = riskyAnnuity(s0);
  const residual = (dv: number) => {
    const protection = annuity * (closedFormSpread(v + dv, sigma, d, r, 5) - s0); // long protection per unit
    const equity = h * (call(v + dv, sigma, d, r, 1) / e0 - 1); // long equity of h per unit
    return { protection, total: protection + equity };
  };
  const a = residual(0.4), b = residual(0.2);
  assert.ok(Math.abs(a.total) < 0.02 * Math.abs(a.protection), `residual ${a.total} vs leg ${a.protection}`);
  // Second order: halving the move quarters the residual (ratio 4, up to third-order terms).
  assertClose(a.total / b.total, 4, { rtol: 0.05 });
});

Deno.test("generateFirmUniverse() truth: DD, PD, notch and hedge ratio follow their formulas", () => {
  const u = FULL, N = u.firms, T = 1;
  for (let t = 5; t < u.dates.length; t += 97) {
    for (let i = 0; i < N; i++) {
      const k = t * N + i;
      if (!u.alive[k]) continue;
      const v = u.assetValue[k], s = u.assetVol[k], d = u.defaultPoint[k], r = u.market.rate[t];
      const mu = r + u.params.beta[i] * 0.06;
      assertClose(u.truth.drift[k], mu, { rtol: 1e-15 });
      const dd = (Math.log(v / d) + (mu - 0.5 * s * s) * T) / (s * Math.sqrt(T));
      assertClose(u.truth.distanceToDefault[k], dd, { rtol: 1e-12, atol: 1e-12 });
      assertClose(u.truth.defaultProbability[k], normCdf(-dd), { rtol: 1e-12, atol: 1e-300 });
      const d2 = (Math.log(v / d) + (r - 0.5 * s * s) * T) / (s * Math.sqrt(T));
      assertClose(u.truth.riskNeutralPD[k], normCdf(-d2), { rtol: 1e-12, atol: 1e-300 });
      assert.ok(u.truth.riskNeutralPD[k] >= u.truth.defaultProbability[k] || u.params.beta[i] < 0, "risk premium");
      assert.equal(u.truth.notch[k], pdToNotch(normCdf(-dd), u.settings.pdScale));
      const h = mertonHedgeRatio({ assetValue: v, assetVol: s, defaultPoint: d, rate: r, liquiditySpread: 0.0005 });
      assertClose(u.truth.hedgeRatio[k], h, { rtol: 1e-12 });
    }
  }
});

Deno.test("generateFirmUniverse() defaults exactly when the assets reach the default point, and the firm leaves", () => {
  const u = FULL, N = u.firms, T0 = u.dates.length;
  const defaulted = Array.from(u.defaultIndex).filter((d) => d >= 0).length;
  assert.ok(defaulted >= 2 && defaulted <= 15, `${defaulted} defaults among ${N}`);
  for (let i = 0; i < N; i++) {
    const tau = u.defaultIndex[i], end = tau >= 0 ? tau : T0;
    for (let t = 0; t < end; t++) {
      const k = t * N + i;
      assert.equal(u.alive[k], 1);
      // Alive: above the default point in force before the close and after the quarter's re-levering.
      assert.ok(u.assetValue[k] > u.defaultPoint[k], `firm ${i} alive on ${isoDate(u.dates[t])}`);
      if (t > 0) assert.ok(u.assetValue[k] > u.defaultPoint[k - N]);
      assert.ok(Number.isFinite(u.cdsMid[k]) && u.equity[k] > 0);
    }
    if (tau < 0) continue;
    const k = tau * N + i;
    assert.ok(u.assetValue[k] <= u.defaultPoint[k], `firm ${i} at default`);
    assert.equal(u.defaultPoint[k], u.defaultPoint[k - N], "the default point it crossed is the one in force");
    assert.equal(u.equity[k], 0), assert.equal(u.price[k], 0), assert.equal(u.alive[k], 0);
    assert.ok(Number.isNaN(u.cdsMid[k]));
    assert.equal(u.truth.notch[k], DEFAULT_NOTCH);
    for (let t = tau + 1; t < T0; t += 50) {
      const j = t * N + i;
      assert.equal(u.alive[j], 0), assert.equal(u.truth.notch[j], DEFAULT_NOTCH);
      assert.ok(Number.isNaN(u.assetValue[j]) && Number.isNaN(u.equity[j]) && Number.isNaN(u.cdsMid[j]));
    }
  }
});

Deno.test("generateFirmUniverse() balance sheets are seen only after the reporting lag", () => {
  const u = generateFirmUniverse({ ...SMALL, reportingLagDays: 45 });
  const N = u.firms, R = u.reports, Q = R.periodEnd.length;
  // First quarter end: the latest one reported before the first date (2019-03-31 + 45 days = 2019-05-15).
  assert.equal(isoDate(R.periodEnd[0]), "2019-03-31");
  assert.equal(isoDate(R.periodEnd[Q - 1]), "2020-12-31");
  for (let q = 0; q < Q; q++) {
    const end = R.periodEnd[q];
    assert.equal(end.getUTCDate(), new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate());
    assert.equal(end.getUTCMonth() % 3, 2);
    assert.equal(R.available[q].getTime() - end.getTime(), 45 * 86_400_000);
    const a = R.availableIndex[q];
    if (a < u.dates.length) assert.ok(u.dates[a] >= R.available[q] && (a === 0 || u.dates[a - 1] < R.available[q]));
    for (let i = 0; i < N; i++) {
      const j = q * N + i;
      if (Number.isNaN(R.defaultPoint[j])) continue;
      assertClose(R.defaultPoint[j], kmvDefaultPoint(R.shortTermDebt[j], R.longTermDebt[j]), { rtol: 1e-14 });
      const s = R.stateIndex[q];
      if (s >= 0) {
        assert.ok(u.dates[s] <= end && (s + 1 === u.dates.length || u.dates[s + 1] > end));
        assert.equal(R.defaultPoint[j], u.defaultPoint[s * N + i]);
        assert.equal(R.totalAssets[j], u.assetValue[s * N + i]);
      }
    }
  }
  // What a strategy sees on date t: the latest report whose availability date is on or before t.
  let changes = 0;
  for (let t = 0; t < u.dates.length; t++) {
    let latest = -1;
    for (let q = 0; q < Q; q++) if (R.available[q] <= u.dates[t]) latest = q;
    for (let i = 0; i < N; i++) {
      const k = t * N + i;
      if (u.defaultIndex[i] >= 0 && t > u.defaultIndex[i]) continue;
      assert.equal(u.reportedDefaultPoint[k], R.defaultPoint[latest * N + i], `firm ${i} on ${isoDate(u.dates[t])}`);
      if (t > 0 && u.reportedDefaultPoint[k] !== u.reportedDefaultPoint[k - N]) changes++;
    }
  }
  assert.ok(changes >= N * 5, `${changes} report changes`);
  // On a quarter's last day the true default point moves; the reported one only 45 days later.
  const q = 3, s = R.stateIndex[q], i = 0;
  assert.notEqual(u.defaultPoint[s * N + i], u.defaultPoint[(s - 1) * N + i]);
  assert.equal(u.reportedDefaultPoint[(R.availableIndex[q] - 1) * N + i], R.defaultPoint[(q - 1) * N + i]);
  assert.equal(u.reportedDefaultPoint[R.availableIndex[q] * N + i], R.defaultPoint[q * N + i]);
});

Deno.test("generateFirmUniverse() is reproducible by seed and independent across seeds", () => {
  const a = generateFirmUniverse(SMALL), b = generateFirmUniverse(SMALL);
  const c = generateFirmUniverse({ ...SMALL, seed: 8 });
  for (const key of ["assetValue", "equity", "cdsMid", "reportedDefaultPoint"] as const) {
    assert.deepEqual(a[key], b[key]);
    assert.notDeepEqual(a[key], c[key]);
  }
  assert.deepEqual(a.market.vix, b.market.vix);
  assert.deepEqual(a.truth.notch, b.truth.notch);
});

Deno.test("generateFirmUniverse() market: regime volatility, the VIX, and the indices from the firms", () => {
  const u = FULL, N = u.firms;
  const meanVix = (from: string, to: string) => {
    let s = 0, n = 0;
    u.dates.forEach((d, t) => {
      const x = isoDate(d);
      if (x >= from && x <= to) (s += u.market.vix[t]), n++;
    });
    return s / n;
  };
  const calm = meanVix("2013-01-01", "2014-06-30");
  assert.ok(meanVix("2008-09-15", "2009-03-31") > 2 * calm, "2008");
  assert.ok(meanVix("2020-03-01", "2020-04-30") > 2 * calm, "2020");
  // The regime is exactly the episodes' loadings: same noise, ln σ_M(with) − ln σ_M(without) = Σ aₑ·shapeₑ(t).
  const plain = generateFirmUniverse({ seed: "creditlab", firms: 1, episodes: false });
  const shapes = FIRM_MARKET_MODEL.episodes.map((e) => ({ a: e.volLoading, shape: episodeShape(u.dates, e.episode) }));
  for (let t = 0; t < u.dates.length; t += 17) {
    const loading = shapes.reduce((s, e) => s + e.a * e.shape[t], 0);
    assertClose(Math.log(u.market.vol[t] / plain.market.vol[t]), loading, { atol: 1e-12 });
  }
  const oil = u.dates.findIndex((d) => isoDate(d) === "2016-02-11");
  assert.ok(Math.log(u.market.vol[oil] / plain.market.vol[oil]) > 0.5, "2015–16 at its peak");
  for (let t = 0; t < u.dates.length; t += 13) assertClose(u.market.vix[t], 115 * u.market.vol[t], { rtol: 1e-14 });
  // Credit index = mean mid of the live firms; equity index = cap-weighted, defaults a return of −1.
  for (let t = 1; t < u.dates.length; t += 29) {
    let s = 0, n = 0, before = 0, after = 0;
    for (let i = 0; i < N; i++) {
      if (u.alive[t * N + i]) (s += u.cdsMid[t * N + i]), n++;
      if (u.alive[(t - 1) * N + i]) (before += u.equity[(t - 1) * N + i]), (after += u.equity[t * N + i]);
    }
    assertClose(u.market.creditIndex[t], s / n, { rtol: 1e-14 });
    assertClose(u.market.equityIndex[t] / u.market.equityIndex[t - 1], after / before, { rtol: 1e-12 });
  }
  // The credit index return settles a default at 1 − R: on a default date it includes −0.6 / (live firms).
  const i = Array.from(u.defaultIndex).findIndex((d) => d > 0), tau = u.defaultIndex[i];
  const days = (u.dates[tau].getTime() - u.dates[tau - 1].getTime()) / 86_400_000;
  let expected = 0, live = 0;
  for (let j = 0; j < N; j++) {
    const p = (tau - 1) * N + j, c = tau * N + j;
    if (!u.alive[p]) continue;
    live++;
    const carry = (u.cdsMid[p] * days) / 360;
    expected += u.alive[c] ? -riskyAnnuity(u.cdsMid[p]) * (u.cdsMid[c] - u.cdsMid[p]) + carry : -0.6 + carry;
  }
  assertClose(u.market.creditIndexReturn[tau], expected / live, { rtol: 1e-10 });
});

Deno.test("generateFirmUniverse() with a given market path loads it and takes its volatility by RiskMetrics", () => {
  const dates = businessDays("2020-01-02", "2020-06-30", "nyse");
  const rng = makeRng("given-market");
  const logReturns = dates.map((_, t) => (t === 0 ? 0 : 0.015 * standardNormal(rng)));
  const u = generateFirmUniverse({ seed: 3, firms: 6, market: { dates, logReturns }, rate: 0.01 });
  assert.deepEqual(u.dates, dates);
  assert.deepEqual(Array.from(u.market.factor).slice(1), logReturns.slice(1));
  // v₀ = 0.13²/252, vₜ = 0.94·vₜ₋₁ + 0.06·mₜ², σ = √(252·v), VIX = 115·σ.
  let v = (0.13 * 0.13) / 252;
  for (let t = 0; t < dates.length; t++) {
    if (t > 0) v = 0.94 * v + 0.06 * logReturns[t] ** 2;
    assertClose(u.market.vix[t], 115 * Math.sqrt(252 * v), { rtol: 1e-12 });
  }
  assert.ok(u.market.rate.every((r) => r === 0.01));
});

Deno.test("generateFirmUniverse() rejects unknown options and bad values", () => {
  assert.throws(() => generateFirmUniverse({ seed: 1, firm: 3 } as never), {
    name: "TypeError",
    message: "Cannot generate firm universe: unknown option opts.firm; did you mean opts.firms?",
  });
  assert.throws(() => generateFirmUniverse({ seed: 1, firms: 0 }), {
    name: "RangeError",
    message: "Cannot generate firm universe: firms must be an integer in [1, 10000], received 0",
  });
  assert.throws(() => generateFirmUniverse({ seed: 1, start: "2020-01-02", end: "2020-02-28", rate: [0.01, 0.02] }), {
    name: "RangeError",
    message: /rate\.length must be 40, received 2/,
  });
  const dates = businessDays("2020-01-02", "2020-01-10", "nyse");
  assert.throws(
    () => generateFirmUniverse({ seed: 1, start: "2020-01-02", market: { dates, logReturns: dates.map(() => 0) } }),
    { name: "RangeError", message: /start and end must be left out when market gives the dates/ },
  );
  assert.throws(() => generateFirmUniverse({ seed: 1, bidAsk: { min: 0.002 } }), {
    name: "RangeError",
    message: /bidAsk.min must be at most twice the liquidity spread/,
  });
  assert.throws(() => mertonHedgeRatio({ assetValue: 1, assetVol: 0, defaultPoint: 1, rate: 0 }), {
    name: "RangeError",
    message: "Cannot compute Merton hedge ratio: assetVol must be > 0, received 0",
  });
});

Deno.test("generateFirmUniverse() names start/end; mertonHedgeRatio() refuses a non-finite hedge (issue 17)", () => {
  assert.throws(() => generateFirmUniverse({ seed: 1, firms: 2, start: "" }), {
    name: "RangeError",
    message: 'Cannot generate firm universe: start must be an ISO date (YYYY-MM-DD), received ""',
  });
  assert.throws(() => generateFirmUniverse({ seed: 1, firms: 2, end: "2015-02-30" }), /: end must be an ISO date/);
  // A default point 10¹⁰ times the asset value: N(d₁) underflows to 0 and the hedge ratio was 0/0 = NaN.
  const p = { assetValue: 100, assetVol: 0.25, defaultPoint: 1e12, rate: 0.02 };
  assert.throws(() => mertonHedgeRatio(p), { name: "RangeError", message: /: p must describe a firm whose Merton/ });
  assert.throws(() => mertonHedgeRatio({ ...p, defaultPoint: 70, assetVol: 1e12 }), /p must describe a firm/);
});
