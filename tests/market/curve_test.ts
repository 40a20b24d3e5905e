import assert from "node:assert/strict";
import { CURVE_GRID } from "../../lib/market/curve.ts";
import pl from "nodejs-polars";
import { assertAllClose, assertClose } from "../_assert.ts";
import {
  alignCurves,
  bootstrapCurve,
  DIEBOLD_LI_LAMBDA,
  fitNelsonSiegel,
  nelsonSiegelLoadings,
  nelsonSiegelYield,
  parYieldAt,
  treasuryCurveOn,
  treasuryCurves,
} from "../../lib/market/curve.ts";

Deno.test("nelsonSiegelLoadings() have the limits 1, 1, 0 at τ = 0 and 1, 0, 0 at long maturities", () => {
  assert.deepEqual(nelsonSiegelLoadings(0), [1, 1, 0]);
  const long = nelsonSiegelLoadings(1e6);
  assertAllClose(long, [1, 0, 0], { atol: 1e-5 });
  // The curvature loading peaks near τ = 1.7933/λ (the maximiser of (1 − e^{−x})/x − e^{−x}).
  const peak = 1.7933 / DIEBOLD_LI_LAMBDA;
  assert.ok(nelsonSiegelLoadings(peak)[2] > nelsonSiegelLoadings(peak * 0.9)[2]);
  assert.ok(nelsonSiegelLoadings(peak)[2] > nelsonSiegelLoadings(peak * 1.1)[2]);
});

Deno.test("fitNelsonSiegel() recovers the factors of an exact Nelson–Siegel curve", () => {
  const f = { level: 0.045, slope: -0.02, curvature: 0.01 };
  const taus = [0.25, 0.5, 1, 2, 5, 10, 30];
  const fit = fitNelsonSiegel(taus, taus.map((t) => nelsonSiegelYield(f, t)));
  assertClose(fit.level, 0.045, { atol: 1e-14 });
  assertClose(fit.slope, -0.02, { atol: 1e-14 });
  assertClose(fit.curvature, 0.01, { atol: 1e-14 });
  assert.throws(() => fitNelsonSiegel([1, 2, 3], [0.01, 0.02, 0.03]), {
    name: "RangeError",
    message: /at least 4 values/,
  });
});

Deno.test("treasuryCurveOn() takes the last date on or before the request with enough tenors", () => {
  const d = (s: string) => new Date(`${s}T00:00:00Z`);
  const table = pl.DataFrame([
    pl.Series("date", [d("2024-01-02"), d("2024-01-03"), d("2024-01-04")]).cast(pl.Date),
    pl.Series("DGS1", [0.048, 0.047, null], pl.Float64),
    pl.Series("DGS2", [0.043, 0.044, null], pl.Float64),
    pl.Series("DGS10", [0.039, null, null], pl.Float64),
  ]);
  const curve = treasuryCurveOn(table, "2024-01-04", { minTenors: 2 });
  assert.equal(curve.date.toISOString().slice(0, 10), "2024-01-03"); // 01-04 is a holiday row
  assert.deepEqual(curve.maturities, [1, 2]);
  assert.deepEqual(curve.yields, [0.047, 0.044]);
  assert.equal(treasuryCurveOn(table, "2024-01-04", { minTenors: 3 }).date.toISOString().slice(0, 10), "2024-01-02");
  assert.throws(() => treasuryCurveOn(table, "2023-12-29", { minTenors: 2 }), { name: "RangeError" });
});

Deno.test("alignCurves() puts snapshots on the union of maturities with null gaps", () => {
  const a = { date: new Date("2024-01-02"), tenors: ["DGS1", "DGS10"], maturities: [1, 10], yields: [0.05, 0.04] };
  const b = { date: new Date("2024-01-03"), tenors: ["DGS2"], maturities: [2], yields: [0.045] };
  const out = alignCurves([a, b]);
  assert.deepEqual(out.maturities, [1, 2, 10]);
  assert.deepEqual(out.series["2024-01-02"], [0.05, null, 0.04]);
  assert.deepEqual(out.series["2024-01-03"], [null, 0.045, null]);
});

Deno.test("bootstrapCurve() reprices every semi-annual par bond at 100 and gives a flat curve's closed form", () => {
  const curve = bootstrapCurve({
    maturities: [0.25, 1, 2, 5, 10, 30],
    yields: [0.052, 0.049, 0.045, 0.041, 0.043, 0.046],
  });
  for (const T of [1, 2.5, 7, 10, 30]) {
    const y = curve.parYield(T);
    let price = 100 * curve.discountFactor(T);
    for (let k = 1; k <= T * 2; k++) price += 50 * y * curve.discountFactor(k / 2);
    assertClose(price, 100, { atol: 1e-10 }, `par bond ${T}y`);
  }
  const flat = bootstrapCurve({ maturities: [1, 30], yields: [0.04, 0.04] });
  for (const T of [0.5, 3, 12.5, 30]) {
    assertClose(flat.discountFactor(T), Math.pow(1.02, -2 * T), { rtol: 1e-13 }, `DF ${T}`);
  }
  assertClose(flat.zeroRate(10), 2 * Math.log(1.02), { rtol: 1e-13 });
  assertClose(flat.forwardRate(2, 7), 2 * Math.log(1.02), { rtol: 1e-12 });
  assert.throws(() => bootstrapCurve({ maturities: [2, 1], yields: [0.04, 0.04] }), {
    name: "RangeError",
    message: /maturities\[1\] must be > maturities\[0\]/,
  });
});

Deno.test("treasuryCurves() interpolates linearly between CMT tenors, flat beyond, and skips holiday rows", () => {
  const d = (s: string) => new Date(`${s}T00:00:00Z`);
  const table = pl.DataFrame([
    pl.Series("date", [d("2024-01-02"), d("2024-01-15")]).cast(pl.Date),
    pl.Series("DGS1", [0.05, null], pl.Float64),
    pl.Series("DGS2", [0.04, null], pl.Float64),
    pl.Series("DGS10", [0.044, null], pl.Float64),
  ]);
  const curves = treasuryCurves(table, { minTenors: 3 });
  assert.equal(curves.dates.length, 1);
  assertClose(parYieldAt(curves, 0, 1.5), 0.045, { rtol: 1e-14 }); // half-way from 1y to 2y
  assertClose(parYieldAt(curves, 0, 6), 0.042, { rtol: 1e-14 }); // half-way from 2y to 10y
  assert.equal(parYieldAt(curves, 0, 0.1), 0.05); // flat below the shortest tenor
  assert.equal(parYieldAt(curves, 0, 30), 0.044); // flat beyond the longest
  assert.throws(() => treasuryCurves(table, { minTenors: 4 }), { name: "RangeError" });
});

Deno.test("parYieldAt() interpolates linearly on the quarterly grid and refuses an index or maturity that gave NaN", () => {
  // A curve linear in maturity, y(T) = 0.01 + 0.001·T, is reproduced exactly between the grid points.
  const dates = [new Date("2024-01-02"), new Date("2024-01-03")];
  const row = Array.from(CURVE_GRID, (m) => 0.01 + 0.001 * m);
  const curves = { dates, grid: CURVE_GRID, parYields: Float64Array.from([...row, ...row]) };
  assertClose(parYieldAt(curves, 1, 7.3), 0.01 + 0.001 * 7.3, { rtol: 1e-12 });
  assert.equal(parYieldAt(curves, 0, 0.1), row[0]); // flat below 3 months
  assert.equal(parYieldAt(curves, 0, 50), row[row.length - 1]); // flat beyond 30 years
  assert.throws(() => parYieldAt(curves, -1e-12, 5), {
    name: "RangeError",
    message: /t must be an integer in \[0, 1\]/,
  });
  assert.throws(() => parYieldAt(curves, 0, Infinity), /maturity must be finite, received Infinity/);
  assert.throws(() => parYieldAt({ ...curves, parYields: new Float64Array(0) }, 0, 5), /curves.parYields must be 240/);
  assert.throws(() => parYieldAt(null as never, 0, 5), { name: "TypeError", message: /curves must be an object/ });
});

Deno.test("treasuryCurves(), alignCurves(), bootstrapCurve() and fitNelsonSiegel() refuse what gave NaN or a hang", () => {
  const dates = [2, 3].map((d) => new Date(Date.UTC(2024, 0, d)));
  const table = pl.DataFrame({ date: dates, DGS1: [0.048, 0.047], DGS10: [0.04, 0.041] });
  assert.throws(() => treasuryCurves(table, { minTenors: -1e-12 }), /minTenors must be an integer >= 1/);
  assert.throws(() => treasuryCurves(table, { start: "2024-02-30" }), {
    message: 'Cannot build Treasury curves: start must be an ISO date (YYYY-MM-DD), received "2024-02-30"',
  });
  assert.throws(() => treasuryCurves(table, { strat: "2024-01-01" } as never), /did you mean opts.start/);
  assert.throws(() => treasuryCurves(null as never), { name: "TypeError", message: /table must be a DataFrame/ });
  const snapshot = { date: dates[0], tenors: ["DGS1"], maturities: [NaN], yields: [0.04] };
  assert.throws(() => alignCurves([snapshot]), /snapshots\[0\].maturities\[0\] must be finite, received NaN/);
  assert.throws(
    () => alignCurves([{ ...snapshot, maturities: [1], date: new Date(NaN) }]),
    /date must be a valid Date/,
  );
  // A 10¹²-year maturity used to allocate 2·10¹² discount factors.
  assert.throws(() => bootstrapCurve({ maturities: [1, 1e12], yields: [0.04, 0.04] }), /at most 100 years/);
  assert.throws(() => fitNelsonSiegel([0.5, 1, 2, 5, 10], [0.04, 0.041, 0.042, 0.043, 0.045], 1e12), {
    message: /Cannot fit Nelson-Siegel curve: maturities and lambda must be/,
  });
  assert.throws(() => fitNelsonSiegel([-1, 1, 2, 5], [0.04, 0.041, 0.042, 0.043]), /maturities\[0\] must be >= 0/);
});
