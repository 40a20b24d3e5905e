/**
 * Issue targets: the full overlay (signals, backtest, metrics) on 20 years of daily data under 200 ms; a sweep of
 * 1,000 weight/threshold combinations under 30 s.
 */
import { generateOverlayMarket } from "../../lib/overlay/market.ts";
import {
  aggregateSignals,
  compositeSeries,
  computeCdxEtfBasis,
  computeCdxVixGap,
  computeSpreadMomentum,
} from "../../lib/overlay/signals.ts";
import { riskyAnnuity, runOverlayBacktest, simulateOverlay } from "../../lib/overlay/backtest.ts";
import { overlaySummary } from "../../lib/overlay/report.ts";
import { dateColumn, floatColumn, nanColumn } from "../../lib/data/columns.ts";

const market = generateOverlayMarket({ seed: 42, days: 5040 });

function overlay() {
  const signals = aggregateSignals({
    basis: computeCdxEtfBasis(market.cdx, market.etf),
    vixGap: computeCdxVixGap(market.cdx, market.vix),
    momentum: computeSpreadMomentum(market.cdx),
  });
  return { signals, result: runOverlayBacktest(signals, market.cdx) };
}

Deno.bench(
  "overlay: signals, backtest and summary on 20 years (5,040 days)",
  { group: "overlay", baseline: true },
  () => {
    overlaySummary(overlay().result);
  },
);

const { signals } = overlay();
const columns = ["basis_signal", "vix_gap", "momentum"].map((name) => nanColumn(signals, name));
const dates = dateColumn(signals);
const spread = floatColumn(signals.join(market.cdx.select("date", "spread"), { on: "date" }), "spread");

Deno.bench("overlay sweep: 1,000 weight × threshold combinations on 20 years", { group: "overlay" }, () => {
  let best = -Infinity;
  for (let k = 0; k < 1000; k++) {
    const w = [(k % 10) / 10, (Math.floor(k / 10) % 10) / 10, 0.1];
    const entry = 1 + (Math.floor(k / 100) % 10) * 0.1;
    const composite = compositeSeries(columns, w);
    const r = simulateOverlay(dates, spread, composite, {
      entry,
      exit: entry / 2,
      notional: 1e7,
      costPerUnit: 1000,
      maxHold: Infinity,
      stopLoss: Infinity,
      tenor: 5,
      recovery: 0.4,
      rate: 0.03,
    });
    best = Math.max(best, r.pnl.reduce((a, b) => a + b, 0));
  }
  if (!Number.isFinite(best) || riskyAnnuity(0.007) <= 0) throw new Error("sweep produced no result");
});
