/**
 * Issue targets: the full overlay (signals, backtest, metrics) on 20 years of daily data under 200 ms; a sweep of
 * 1,000 weight/threshold combinations under 30 s.
 */
import { generateOverlayMarket, OVERLAY_MODEL } from "../../lib/market/cdx_market.ts";
import {
  aggregateSignals,
  computeCdxEtfBasis,
  computeCdxVixGap,
  computeSpreadMomentum,
} from "../../lib/signals/cdx.ts";
import { runOverlayBacktest } from "../../lib/backtest/threshold.ts";
import { sweepOverlayWeights } from "../../lib/backtest/threshold_sweep.ts";
import { overlaySummary } from "../../lib/backtest/summary.ts";

const market = generateOverlayMarket({ seed: 42, days: 5040 });

function overlay() {
  const signals = aggregateSignals({
    basis: computeCdxEtfBasis(market.cdx, market.etf, { multiple: OVERLAY_MODEL.etfSpreadMultiple }),
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

Deno.bench("overlay sweep: 1,155 weight × threshold combinations on 20 years", { group: "overlay" }, () => {
  // 231 cells of the weight simplex in steps of 0.05, at 5 entry thresholds.
  const sweep = sweepOverlayWeights(signals, market.cdx, { step: 0.05, entries: [1, 1.25, 1.5, 1.75, 2] });
  if (sweep.height !== 1155) throw new Error(`sweep produced ${sweep.height} rows`);
});
