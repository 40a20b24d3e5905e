/**
 * The overlay's standard charts, so that a notebook draws the synthetic and the real run with one call each: the
 * three markets, the three signals, the composite against its thresholds, the position over the spread, and the
 * account's equity and drawdown. Each is a house-style chart with title, axis labels and units.
 * @module
 */
import type pl from "nodejs-polars";
import { dateColumn, floatColumn, nanColumn, nanToNull } from "../data/columns.ts";
import { type Chart, drawdownChart, type Highlight, stackedTimeSeriesChart } from "../charts/plots.ts";
import type { OverlayBacktestResult } from "./backtest.ts";
import { equityCurve } from "./report.ts";

/** Options every overlay chart takes. */
export interface OverlayChartOptions {
  /** Title: what the chart shows. */ readonly title: string;
  readonly subtitle?: string;
  /** Source and method line. */ readonly caption?: string;
  /** Shaded periods (crises, stress regimes). */ readonly highlights?: readonly Highlight[];
}

/** The inputs: index spread (bp), VIX close (points), ETF close (USD), on one time axis. */
export function overlayMarketChart(
  market: { cdx: pl.DataFrame; vix: pl.DataFrame; etf: pl.DataFrame },
  opts: OverlayChartOptions & { spreadLabel?: string; etfLabel?: string },
): Chart {
  return stackedTimeSeriesChart({
    ...opts,
    dates: dateColumn(market.cdx),
    panels: [
      {
        series: { [opts.spreadLabel ?? "CDX IG 5Y"]: floatColumn(market.cdx, "spread") },
        yLabel: "Spread (bp)",
        scale: 1e4,
      },
      { series: { VIX: floatColumn(market.vix, "close") }, yLabel: "VIX (index points)" },
      { series: { [opts.etfLabel ?? "HYG"]: floatColumn(market.etf, "close") }, yLabel: "ETF price (USD)" },
    ],
  });
}

/** The three signals as trailing z-scores, one panel each, with a zero line. */
export function overlaySignalsChart(signals: pl.DataFrame, opts: OverlayChartOptions): Chart {
  const panel = (label: string, column: string) => ({
    series: { [label]: nanToNull(nanColumn(signals, column)) },
    yLabel: `${label} (z)`,
    zeroLine: true,
    height: 130,
  });
  return stackedTimeSeriesChart({
    ...opts,
    dates: dateColumn(signals),
    panels: [panel("Basis", "basis_signal"), panel("VIX gap", "vix_gap"), panel("Momentum", "momentum")],
  });
}

/** The composite against the entry (solid grey) and exit (dashed) thresholds on both sides. */
export function overlayCompositeChart(
  signals: pl.DataFrame,
  opts: OverlayChartOptions & { entry: number; exit: number },
): Chart {
  const dates = dateColumn(signals), n = dates.length;
  const level = (v: number) => new Float64Array(n).fill(v);
  const grey = "#888888";
  const lines: Record<string, Float64Array> = {
    [`Entry +${opts.entry}`]: level(opts.entry),
    [`Entry −${opts.entry}`]: level(-opts.entry),
    [`Exit +${opts.exit}`]: level(opts.exit),
    [`Exit −${opts.exit}`]: level(-opts.exit),
  };
  return stackedTimeSeriesChart({
    ...opts,
    dates,
    panels: [{
      series: { Composite: nanToNull(nanColumn(signals, "composite")), ...lines },
      colors: Object.fromEntries(Object.keys(lines).map((k) => [k, grey])),
      dashed: Object.keys(lines).filter((k) => k.startsWith("Exit")),
      yLabel: "Composite (weighted z)",
      zeroLine: true,
    }],
  });
}

/** The index spread with the position below it: +1 long credit risk (protection sold), −1 short, 0 flat. */
export function overlayPositionChart(
  result: OverlayBacktestResult,
  opts: OverlayChartOptions & { spreadLabel?: string },
): Chart {
  return stackedTimeSeriesChart({
    ...opts,
    dates: result.dates,
    panels: [
      {
        series: { [opts.spreadLabel ?? "CDX IG 5Y"]: floatColumn(result.daily, "spread") },
        yLabel: "Spread (bp)",
        scale: 1e4,
      },
      {
        series: { Position: Float64Array.from(result.position) },
        yLabel: "Position (−1 short, +1 long risk)",
        height: 110,
        yDomain: [-1.2, 1.2],
      },
    ],
  });
}

/** Cumulative P&L of the account in % of capital: (capital + cumulative P&L) / capital − 1. */
export function overlayEquityChart(
  result: OverlayBacktestResult,
  opts: OverlayChartOptions & { capital?: number; label?: string },
): Chart {
  const equity = equityCurve(result, opts.capital);
  return stackedTimeSeriesChart({
    ...opts,
    dates: result.dates,
    panels: [{
      series: { [opts.label ?? "Overlay"]: Float64Array.from(equity, (e) => e - 1) },
      yLabel: "Cumulative P&L (% of capital)",
      scale: 100,
      zeroLine: true,
    }],
  });
}

/** Drawdown of the account's equity below its running peak, in %. */
export function overlayDrawdownChart(
  result: OverlayBacktestResult,
  opts: OverlayChartOptions & { capital?: number; label?: string },
): Chart {
  return drawdownChart({
    ...opts,
    dates: result.dates,
    wealth: { [opts.label ?? "Overlay"]: equityCurve(result, opts.capital) },
  });
}
