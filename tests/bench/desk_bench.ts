/**
 * Benchmarks of the corporate bond desk (issue targets: universe of 1,000 bonds × 2,520 days in under 1 s; a
 * weekly backtest with an inertia band and costs on it in under 200 ms).
 * @module
 */
import pl from "nodejs-polars";
import { businessDays } from "../../lib/core/calendar.ts";
import { treasuryCurves } from "../../lib/market/curve.ts";
import { bondPanels, generateBondUniverse } from "../../lib/market/universe.ts";
import { runBacktest } from "../../lib/backtest/bond_desk.ts";
import { carrySignal } from "../../lib/signals/carry.ts";
import { momentumSignal } from "../../lib/signals/momentum.ts";
import { compositeSignal } from "../../lib/signals/composite.ts";

// A smooth synthetic curve over 2,520 business days (no file access inside the bench).
const dates = businessDays("2012-01-02", "2030-12-31", "weekdays").slice(0, 2520);
const tenors: Record<string, number> = { DGS3MO: 0.25, DGS1: 1, DGS2: 2, DGS5: 5, DGS10: 10, DGS30: 30 };
const table = pl.DataFrame([
  pl.Series("date", dates).cast(pl.Date),
  ...Object.entries(tenors).map(([name, m]) =>
    pl.Series(name, dates.map((_, t) => 0.02 + 0.01 * Math.sin(t / 300) + 0.004 * Math.log1p(m)), pl.Float64)
  ),
]);
const curves = treasuryCurves(table);
const universe = generateBondUniverse({ curves, issuers: 1000, seed: "bench" });
const N = universe.bonds.length;
const signal = compositeSignal([
  { name: "carry", signal: carrySignal(universe.spread, N), weight: 1 },
  { name: "momentum", signal: momentumSignal(universe.spread, N, { replaced: universe.replaced }), weight: 1 },
]);

Deno.bench("generateBondUniverse: 1,000 bonds × 2,520 days", { group: "desk", n: 5 }, () => {
  generateBondUniverse({ curves, issuers: 1000, seed: "bench" });
});

Deno.bench(
  "runBacktest: 1,000 bonds × 2,520 days, weekly, inertia band, costs",
  { group: "desk", baseline: true },
  () => {
    runBacktest({ market: bondPanels(universe), signal, rebalance: "weekly", band: { width: 0.001 } });
  },
);

Deno.bench("runBacktest: same, daily, no band", { group: "desk" }, () => {
  runBacktest({ market: bondPanels(universe), signal, rebalance: "daily" });
});
