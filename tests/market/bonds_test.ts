import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import { bondAnalytics, bondPrice, bondYield, convexity, modifiedDuration } from "../../lib/market/bonds.ts";

// Reference values: direct summation of the cash flows in mpmath (mp.dps = 40), e.g. for the first row
//   sum(2.5/1.03**k for k in 1..20) + 100/1.03**20 = 92.56126256977225
const CASES: [{ yield: number; coupon: number; maturity: number; frequency?: number }, number, number, number][] = [
  [{ yield: 0.06, coupon: 0.05, maturity: 10 }, 92.56126256977225, 7.66504596134208, 71.78539801290004],
  [{ yield: 0.12, coupon: 0.09, maturity: 20 }, 77.430554692712645, 7.8792623610588062, 103.29081731352466],
  [{ yield: 0.05, coupon: 0.05, maturity: 5 }, 100, 4.3760319654854674, 22.612322185130575],
  [{ yield: 0, coupon: 0.04, maturity: 7 }, 128, 6.2890625, 45.390625],
  [{ yield: 0.045, coupon: 0, maturity: 10 }, 64.081647167554187, 9.7799511002444988, 100.42981569933226],
  [{ yield: 0.08, coupon: 0.1, maturity: 30, frequency: 1 }, 122.51556668625497, 10.922782447923426, 200.5717967342484],
  [{ yield: -0.002, coupon: 0.01, maturity: 2 }, 102.40601202103365, 1.9873152884649968, 4.9610062167954458],
];

Deno.test("bondPrice(), modifiedDuration() and convexity() match direct summation of the cash flows", () => {
  for (const [p, price, duration, conv] of CASES) {
    assertClose(bondPrice(p), price, { rtol: 1e-13 }, `price ${JSON.stringify(p)}`);
    assertClose(modifiedDuration(p), duration, { rtol: 1e-12 }, `duration ${JSON.stringify(p)}`);
    assertClose(convexity(p), conv, { rtol: 1e-10 }, `convexity ${JSON.stringify(p)}`);
  }
});

Deno.test("a bond priced at its coupon rate is at par; the price falls as the yield rises", () => {
  for (const [c, T] of [[0.03, 2], [0.07, 10], [0.045, 30]]) {
    assertClose(bondPrice({ yield: c, coupon: c, maturity: T }), 100, { rtol: 1e-13 });
  }
  assert.ok(
    bondPrice({ yield: 0.051, coupon: 0.05, maturity: 10 }) < bondPrice({ yield: 0.05, coupon: 0.05, maturity: 10 }),
  );
});

Deno.test("duration and convexity are the first and second derivatives of the price (finite differences)", () => {
  const p = { yield: 0.047, coupon: 0.0525, maturity: 12 };
  const h = 1e-5;
  const up = bondPrice({ ...p, yield: p.yield + h }),
    mid = bondPrice(p),
    down = bondPrice({ ...p, yield: p.yield - h });
  assertClose(modifiedDuration(p), -(up - down) / (2 * h * mid), { rtol: 1e-8 });
  assertClose(convexity(p), (up - 2 * mid + down) / (h * h * mid), { rtol: 1e-4 });
});

Deno.test("bondAnalytics() is continuous in maturity between coupon dates and agrees on coupon dates", () => {
  const on = bondAnalytics(0.05, 0.04, 5);
  assertClose(on.price, bondPrice({ yield: 0.05, coupon: 0.04, maturity: 5 }), { rtol: 1e-15 });
  const before = bondAnalytics(0.05, 0.04, 5 - 1e-6), after = bondAnalytics(0.05, 0.04, 5 + 1e-6);
  assertClose(before.duration, after.duration, { rtol: 1e-5 });
  assertClose(bondAnalytics(1e-9, 0.04, 7).price, 128, { rtol: 1e-7 }); // the series branch near y = 0
});

Deno.test("bondYield() inverts bondPrice()", () => {
  for (const y of [-0.001, 0.01, 0.05, 0.12]) {
    const price = bondPrice({ yield: y, coupon: 0.05, maturity: 8 });
    assertClose(bondYield({ price, coupon: 0.05, maturity: 8 }), y, { atol: 1e-13 });
  }
});

Deno.test("bond functions reject fractional periods, negative coupons and bad frequencies", () => {
  assert.throws(() => bondPrice({ yield: 0.05, coupon: 0.05, maturity: 2.3 }), {
    name: "RangeError",
    message:
      "Cannot price bond: maturity must be a whole number of coupon periods (multiple of 1/2 year), received 2.3",
  });
  assert.throws(() => modifiedDuration({ yield: 0.05, coupon: -0.01, maturity: 2 }), {
    message: /coupon must be a finite number >= 0, received -0.01/,
  });
  assert.throws(() => bondPrice({ yield: NaN, coupon: 0.05, maturity: 2 }), {
    message: "Cannot price bond: yield must be finite, received NaN",
  });
  assert.throws(() => bondPrice({ yield: 0.05, coupon: 0.05, maturity: 2, frequency: 0 }), {
    message: /frequency must be an integer/,
  });
});

Deno.test("bondAnalytics() refuses inputs that gave NaN, and matches bondPrice() on a coupon date", () => {
  assert.throws(() => bondAnalytics(NaN, 0.04, 10), {
    name: "RangeError",
    message: "Cannot compute bond analytics: yieldRate must be finite, received NaN",
  });
  assert.throws(() => bondAnalytics(0.05, 0.04, Infinity), /maturity must be finite, received Infinity/);
  assert.throws(() => bondAnalytics(0.05, 0.04, 10, -1e-12), /frequency must be an integer number of coupons/);
  assert.throws(() => bondAnalytics(0.05, Infinity, 10), /coupon must be finite/);
  assert.throws(() => bondPrice(null as never), { name: "TypeError", message: /p must be an object/ });
  const a = bondAnalytics(0.06, 0.05, 10);
  assert.equal(a.price, bondPrice({ yield: 0.06, coupon: 0.05, maturity: 10 }));
  assertClose(a.price, 92.56126256977225, { rtol: 1e-12 }); // Fabozzi, ch. 2, as above
});
