import assert from "node:assert/strict";
import jStat from "jstat";
import { assertClose } from "../_assert.ts";
import { logAddExp, logSumExp, normCdf, normInv, normLogCdf, normLogPdf, normPdf } from "../../lib/core/special.ts";

// Reference values: mpmath with mp.dps = 50, e.g.
//   python3 -c "import mpmath as mp; mp.mp.dps=50; print(mp.nstr(mp.ncdf(-37), 17))"
const CDF: [number, number][] = [
  [0, 0.5],
  [-0.5, 0.3085375387259869],
  [-1, 0.15865525393145705],
  [-1.96, 0.024997895148220436],
  [-3, 0.0013498980316300945],
  [-5, 2.8665157187919391e-7],
  [-8, 6.2209605742717841e-16],
  [-9, 1.1285884059538406e-19],
  [-10, 7.6198530241605261e-24],
  [-15, 3.6709661993127509e-51],
  [-20, 2.7536241186062337e-89],
  [-30, 4.9067139271481871e-198],
  [-37, 5.7255712225245768e-300],
  [1, 0.84134474606854295],
  [3, 0.99865010196836991],
  [8, 0.99999999999999938],
];

Deno.test("normCdf() matches mpmath to 1e-14 relative from 0 down to -37", () => {
  for (const [x, expected] of CDF) assertClose(normCdf(x), expected, { rtol: 1e-14 }, `x = ${x}`);
});

Deno.test("normCdf() keeps the tail where jStat's erf-based CDF underflows", () => {
  assert.equal(jStat.normal.cdf(-9, 0, 1), 0); // the failure the kit guards against
  assert.ok(Math.abs(jStat.normal.cdf(-8, 0, 1) / 6.2209605742717841e-16 - 1) > 0.01);
  assert.ok(normCdf(-9) > 1e-19);
});

Deno.test("normCdf() is symmetric: Φ(x) + Φ(−x) = 1 to machine precision", () => {
  for (const x of [0.1, 0.7, 1.3, 2.5, 4.2, 6.1]) assertClose(normCdf(x) + normCdf(-x), 1, { atol: 2e-16 }, `x = ${x}`);
});

Deno.test("normCdf() maps ±Infinity to 0 and 1 and underflows to 0 only below -37.5", () => {
  assert.equal(normCdf(-Infinity), 0);
  assert.equal(normCdf(Infinity), 1);
  assert.equal(normCdf(-38), 0);
  assert.ok(normCdf(-37.5) > 0);
});

Deno.test("normLogCdf() matches mpmath deep in the tail, where Φ itself underflows", () => {
  const ref: [number, number][] = [
    [-1, -1.8410216450092635],
    [-10, -53.231285150512471],
    [-37, -689.03058557689059],
    [-40, -804.60844201375379],
    [-100, -5005.5242086942051],
    [-1000, -500007.82669481218],
    [-1e5, -5000000012.431864],
    [5, -2.8665161296376359e-7],
  ];
  for (const [x, expected] of ref) assertClose(normLogCdf(x), expected, { rtol: 1e-14 }, `x = ${x}`);
  assert.equal(normLogCdf(-Infinity), -Infinity);
  assert.equal(normLogCdf(Infinity), 0);
});

Deno.test("normInv() matches mpmath quantiles from 1e-300 to 1 - 1e-6", () => {
  // mpmath, mp.dps = 60: Newton on log ncdf(z) = log p, verified by |ncdf(z)/p − 1| < 1e-58.
  const ref: [number, number][] = [
    [1e-300, -37.047096299361199],
    [1e-100, -21.273453560965324],
    [1e-20, -9.2623400897984076],
    [1e-10, -6.3613409024040562],
    [1e-5, -4.2648907939228246],
    [0.001, -3.0902323061678135],
    [0.025, -1.9599639845400542],
    [0.1, -1.2815515655446004],
    [0.9, 1.2815515655446006],
    [0.975, 1.9599639845400539],
    [0.999999, 4.7534243088170878],
  ];
  for (const [p, expected] of ref) assertClose(normInv(p), expected, { rtol: 1e-14 }, `p = ${p}`);
  assert.equal(normInv(0.5), 0);
  assert.equal(normInv(0), -Infinity);
  assert.equal(normInv(1), Infinity);
});

Deno.test("normInv() inverts normCdf() over the lower tail and, by symmetry, the upper", () => {
  // Above 0, p = Φ(x) near 1 keeps only the absolute precision of a double, so the round trip is run on −|x|.
  for (let x = -37; x <= 0; x += 0.37) assertClose(normInv(normCdf(x)), x, { rtol: 1e-13, atol: 1e-14 }, `x = ${x}`);
  for (const p of [1e-12, 1e-6, 0.01, 0.3]) assertClose(normInv(1 - p), -normInv(p), { rtol: 1e-4 }, `p = ${p}`);
});

Deno.test("normInv() rejects probabilities outside [0, 1] and NaN", () => {
  assert.throws(() => normInv(1.5), {
    name: "RangeError",
    message: "Cannot invert normal CDF: p must be in [0, 1], received 1.5",
  });
  assert.throws(() => normInv(NaN), {
    name: "RangeError",
    message: "Cannot invert normal CDF: p must be in [0, 1], received NaN",
  });
});

Deno.test("normCdf() and normPdf() reject NaN with the argument named", () => {
  assert.throws(() => normCdf(NaN), {
    name: "RangeError",
    message: "Cannot evaluate normal CDF: x must be finite, received NaN",
  });
  assert.throws(() => normPdf(NaN), { name: "RangeError" });
});

Deno.test("normPdf() and normLogPdf() agree with the closed form", () => {
  assertClose(normPdf(1), Math.exp(-0.5) / Math.sqrt(2 * Math.PI), { rtol: 1e-15 });
  assertClose(normLogPdf(3), -4.5 - 0.5 * Math.log(2 * Math.PI), { rtol: 1e-15 });
});

Deno.test("logSumExp() is exact for equal terms, handles -Infinity and refuses NaN", () => {
  assertClose(logSumExp([-1000, -1000, -1000]), -1000 + Math.log(3), { atol: 1e-12 });
  assertClose(logSumExp([700, 700]), 700 + Math.LN2, { atol: 1e-12 }); // exp(700) alone would be 1e304
  assert.equal(logSumExp([]), -Infinity);
  assert.equal(logSumExp([-Infinity, 2]), 2);
  assert.throws(() => logSumExp([0, NaN]), { name: "RangeError", message: /values\[1\]/ });
  assertClose(logAddExp(Math.log(2), Math.log(3)), Math.log(5), { rtol: 1e-15 });
  assert.equal(logAddExp(-Infinity, -Infinity), -Infinity);
});

Deno.test("logSumExp: a bare number is refused, not read as an empty array", () => {
  assert.throws(() => logSumExp(3 as never), {
    name: "TypeError",
    message: /values must be an array of numbers, received 3/,
  });
});

Deno.test("normInv() refuses a non-number instead of coercing it to NaN", () => {
  assert.throws(() => normInv("1" as unknown as number), {
    name: "TypeError",
    message: /p must be a number in \[0, 1\]/,
  });
  assert.throws(() => normInv(null as unknown as number), { name: "TypeError", message: /received null/ });
  assert.throws(() => logAddExp("1" as unknown as number, 0), { name: "TypeError", message: /a must be a number/ });
  assert.throws(() => logSumExp([0, "1" as unknown as number]), { name: "TypeError", message: /values\[1\] must be/ });
});
