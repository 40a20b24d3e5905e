import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import { cdsReturns, hazardRate, riskyAnnuity, rpv01Series } from "../../lib/market/cds.ts";

Deno.test("riskyAnnuity() equals the geometric-sum closed form ¼·q(1 − q⁴ᵀ)/(1 − q), q = exp(−(r + S/(1 − R))/4)", () => {
  for (const [s, tenor, recovery, rate] of [[0.007, 5, 0.4, 0.03], [0.04, 3, 0.25, 0.01], [0, 10, 0.4, 0.05]]) {
    const q = Math.exp(-(rate + s / (1 - recovery)) / 4), n = Math.round(tenor * 4);
    assertClose(riskyAnnuity(s, tenor, recovery, rate), (0.25 * q * (1 - q ** n)) / (1 - q), { rtol: 1e-13 });
  }
  // O'Kane (2008) ch. 6: a 5-year CDS at 100 bp, R = 40 %, r = 5 % has an RPV01 of about 4.2 years.
  assertClose(riskyAnnuity(0.01, 5, 0.4, 0.05), 4.2, { atol: 0.05 });
});

Deno.test("hazardRate() is the credit triangle S/(1 − R)", () => {
  assertClose(hazardRate(0.012, 0.4), 0.02, { rtol: 1e-15 });
  assert.throws(() => hazardRate(0.01, 1), {
    name: "RangeError",
    message: "Cannot compute hazard rate: recovery must be < 1, received 1",
  });
});

Deno.test("cdsReturns() marks the spread move on yesterday's RPV01 and accrues the premium ACT/360", () => {
  const dates = [new Date("2024-03-01"), new Date("2024-03-04"), new Date("2024-03-05")]; // Friday, Monday, Tuesday
  const spread = [0.01, 0.011, 0.0105];
  const r = cdsReturns(dates, spread);
  const a = rpv01Series(spread);
  assertClose(r.spread[1], -a[0] * 0.001, { rtol: 1e-14 });
  assertClose(r.carry[1], (0.01 * 3) / 360, { rtol: 1e-14 });
  assertClose(r.spread[2], -a[1] * -0.0005, { rtol: 1e-14 });
  assertClose(r.carry[2], 0.011 / 360, { rtol: 1e-14 });
  assert.equal(r.total[0], 0);
  assertClose(r.total[2], r.spread[2] + r.carry[2], { rtol: 1e-15 });
});

Deno.test("riskyAnnuity() and cdsReturns() refuse what would hang or mislead", () => {
  assert.throws(() => riskyAnnuity(0.01, Infinity), {
    name: "RangeError",
    message: "Cannot compute risky annuity: tenor must be finite, received Infinity",
  });
  assert.throws(() => riskyAnnuity(0.01, 1e9), {
    name: "RangeError",
    message: "Cannot compute risky annuity: tenor must be at most 100 years, received 1000000000",
  });
  assert.throws(() => riskyAnnuity(-0.01), { name: "RangeError" });
  assert.throws(() => rpv01Series([0.01, NaN]), {
    name: "RangeError",
    message: "Cannot compute RPV01 series: spread[1] must be finite, received NaN",
  });
  assert.throws(() => cdsReturns([new Date("2024-01-02")], [0.01, 0.02]), { name: "RangeError" });
});

Deno.test("rpv01Series() and cdsReturns() refuse an enormous tenor and malformed arguments (no hang, no engine error)", () => {
  const spread = [0.01, 0.011, 0.012];
  const dates = [new Date("2024-01-02"), new Date("2024-01-03"), new Date("2024-01-04")];
  for (const tenor of [1e12, Infinity]) {
    assert.throws(() => rpv01Series(spread, { tenor }), { name: "RangeError", message: /tenor must be/ });
    assert.throws(() => cdsReturns(dates, spread, { tenor }), { name: "RangeError", message: /tenor must be/ });
  }
  assert.throws(() => cdsReturns(dates, spread, null as never), { name: "TypeError", message: /terms must be/ });
  assert.throws(() => cdsReturns([dates[0], "2024-01-03", dates[2]] as never, spread), {
    name: "TypeError",
    message: 'Cannot compute CDS returns: dates[1] must be a Date, received "2024-01-03"',
  });
  assert.throws(() => cdsReturns(dates, null as never), { name: "TypeError", message: /spread must be an array/ });
  assert.throws(() => cdsReturns(dates, spread, {}, [4.4, NaN, 4.4]), /rpv01\[1\] must be finite, received NaN/);
  // A precomputed RPV01 series gives the same returns as the default.
  assert.deepEqual(
    cdsReturns(dates, spread, { tenor: 3 }, rpv01Series(spread, { tenor: 3 })),
    cdsReturns(dates, spread, { tenor: 3 }),
  );
});
