/**
 * Benchmarks of the kit's ground floor: `deno task bench`.
 * @module
 */
import { makeRng, standardNormal } from "../../lib/core/rng.ts";
import { normCdf, normInv, normLogCdf } from "../../lib/core/special.ts";
import { parseTable } from "../../lib/data/table.ts";
import { MARKET_FILES } from "../../lib/data/schema.ts";
import { standInMarket } from "../../lib/synthetic/standin.ts";
import { simulateOU } from "../../lib/market/ou.ts";

const xs = Float64Array.from({ length: 100_000 }, (_, i) => -12 + (i / 100_000) * 14);

Deno.bench("normCdf × 100,000", { group: "normal" }, () => {
  let s = 0;
  for (const x of xs) s += normCdf(x);
  if (!(s > 0)) throw new Error("unreachable");
});

Deno.bench("normLogCdf × 100,000", { group: "normal" }, () => {
  let s = 0;
  for (const x of xs) s += normLogCdf(x);
  if (!(s < 0)) throw new Error("unreachable");
});

Deno.bench("normInv × 100,000", { group: "normal" }, () => {
  let s = 0;
  for (let i = 1; i <= 100_000; i++) s += normInv(i / 100_001);
  if (!Number.isFinite(s)) throw new Error("unreachable");
});

Deno.bench("standardNormal × 1,000,000 (seeded)", { group: "rng" }, () => {
  const rng = makeRng("bench");
  let s = 0;
  for (let i = 0; i < 1_000_000; i++) s += standardNormal(rng);
  if (!Number.isFinite(s)) throw new Error("unreachable");
});

Deno.bench("simulateOU: 1,000 paths × 252 days", { group: "rng" }, () => {
  for (let i = 0; i < 1_000; i++) {
    simulateOU({ x0: 0.01, kappa: 2, mu: 0.01, sigma: 0.004, dt: 1 / 252, steps: 252, seed: i });
  }
});

const rows = ["date,VIXCLS"];
for (let i = 0; i < 10_000; i++) {
  rows.push(
    `${new Date(Date.UTC(1990, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)},${(15 + (i % 20)).toFixed(2)}`,
  );
}
const csv = rows.join("\n");

Deno.bench("parseTable: strict CSV of 10,000 rows", { group: "data" }, () => {
  parseTable(csv, MARKET_FILES.vix);
});

Deno.bench("standInMarket: 29 years, every file", { group: "data" }, () => {
  standInMarket("bench");
});
