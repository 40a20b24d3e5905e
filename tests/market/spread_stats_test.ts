import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import {
  changeCorrelations,
  indexSpreads,
  spreadStatistics,
  summarizeUniverse,
} from "../../lib/market/spread_stats.ts";
import { generateBondUniverse } from "../../lib/market/universe.ts";
import { flatCurves } from "../fixtures/curves.ts";

Deno.test("changeCorrelations() is Pearson's correlation of daily changes, and names the bad series", () => {
  const m = changeCorrelations({ a: [1, 2, 4, 3, 5], b: [2, 1, 3, 5, 4] });
  assert.deepEqual(m.names, ["a", "b"]);
  // numpy: np.corrcoef(np.diff([1, 2, 4, 3, 5]), np.diff([2, 1, 3, 5, 4]))[0, 1]
  assertClose(m.values[0][1], -0.408248290463863, { rtol: 1e-12 });
  assert.throws(() => changeCorrelations({ a: [1, 2, 4, 3, 5], b: [2, 1, 3, 5] }), {
    name: "RangeError",
    message: "Cannot compute change correlations: series.b must have 5 values like series.a, received 4",
  });
  assert.throws(() => changeCorrelations({ a: [1, 2, 4, 3, 5], b: [2, 1, 3, Infinity, 4] }), {
    message: "Cannot compute change correlations: series.b[3] must be finite, received Infinity",
  });
  assert.throws(() => changeCorrelations({ a: [1, 2, 4, 3, 5], b: null as never }), {
    name: "TypeError",
    message: /series.b must be an array of numbers/,
  });
  assert.throws(
    () => changeCorrelations({ a: [1, 2, 4, 3, 5], b: [1, 2, 3, 4, 5] }),
    /series.b must be a series whose/,
  );
});

Deno.test("spreadStatistics() names the series argument of an unknown or bad key", () => {
  const s = Array.from({ length: 60 }, (_, i) => 0.01 + 0.001 * Math.sin(i / 3));
  assert.throws(() => spreadStatistics({ a: s, zzFuzz: 1 as never }), {
    name: "TypeError",
    message: "Cannot compute spread statistics: series.zzFuzz must be an array of numbers, received 1",
  });
  assert.throws(() => spreadStatistics({ a: s.map((v, i) => (i === 7 ? -v : v)) }), /series.a\[7\] must be > 0/);
  const [row] = spreadStatistics({ a: s });
  assert.equal(row.observations, 60);
});

Deno.test("indexSpreads() and summarizeUniverse() refuse misaligned panels instead of returning NaN", () => {
  const u = generateBondUniverse({ curves: flatCurves(20), issuers: 8, seed: 2 });
  assert.throws(() => indexSpreads({ ...u, spread: u.spread.slice(1) }, { IG: ["AAA", "AA", "A", "BBB"] }), {
    name: "RangeError",
    message: /universe.spread.length must be 160/,
  });
  assert.throws(() => indexSpreads(u, { IG: "AAA" as never }), { name: "TypeError", message: /groups.IG must be/ });
  assert.throws(() => indexSpreads(u, { IG: ["AAA", "BBB-"] as never }), /groups.IG\[1\] must be one of "AAA"/);
  assert.throws(() => summarizeUniverse({ ...u, defaulted: u.defaulted.slice(1) }), /u.defaulted.length must be 160/);
  assert.throws(() => summarizeUniverse({ ...u, dates: "x" as never }), {
    name: "TypeError",
    message: /u.dates must be/,
  });
  // The amount-weighted index equals its definition on one date.
  const ig = indexSpreads(u, { ALL: ["AAA", "AA", "A", "BBB", "BB", "B", "CCC"] }).ALL;
  const w = u.bonds.map((b) => b.amount), total = w.reduce((a, b) => a + b, 0);
  assertClose(ig[5], w.reduce((a, x, i) => a + x * u.spread[5 * 8 + i], 0) / total, { rtol: 1e-12 });
});
