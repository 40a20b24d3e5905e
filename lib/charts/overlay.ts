/**
 * The overlay study's standard charts on plain arrays, so that a notebook draws the synthetic and the real run with
 * one call each: the three markets, the three signals, the composite against its thresholds, the position over the
 * spread, and the account's equity and drawdown. Inputs are structural (`{ dates, spread, … }`): a backtest result
 * with `dates`, `pnl` and `notional` can be passed as it is. Each is a house-style chart with title, axis labels
 * and units; spreads are decimals drawn in bp.
 * @module
 */
import { rangeError, requireDates, requireFinite, requireObject, requirePositive } from "../core/check.ts";
import type { Chart } from "./frame.ts";
import {
  type ChartOptions,
  checkBase,
  checkFields,
  type Highlight,
  requireHighlights,
  requireSeries,
} from "./common.ts";
import { drawdownChart } from "./drawdown.ts";
import { stackedTimeSeriesChart } from "./time_series.ts";

/** Options every overlay chart takes; extra `marks` are drawn on every panel. */
export interface OverlayChartOptions extends ChartOptions {
  /** Shaded periods (crises, stress regimes). */ readonly highlights?: readonly Highlight[];
}

/** A series aligned with `dates`; null or NaN marks a missing value (drawn as a gap). */
export type OverlaySeries = ArrayLike<number | null>;

/**
 * Checks an overlay chart's options in its own names (the options every chart takes, `highlights` and the chart's
 * `extra` keys) before they are handed on to the chart it draws with.
 */
function checkOverlayOptions(action: string, opts: unknown, extra: readonly string[]): void {
  checkBase(action, opts as ChartOptions, ["highlights", ...extra]);
  requireHighlights(action, "highlights", (opts as OverlayChartOptions).highlights);
}

/**
 * Checks an overlay chart's input `name` (`market`, `signals`, …): an object whose `dates` are valid Dates and whose
 * series (`series`: key → whether it may have gaps) are aligned with them, each value finite — or, for a series that
 * may have gaps, null or NaN (drawn as a gap).
 */
function checkOverlayInput(
  action: string,
  name: string,
  input: unknown,
  series: Readonly<Record<string, boolean>>,
): void {
  const o = requireObject(action, name, input);
  const dates = requireDates(action, `${name}.dates`, o.dates, { minLength: 1 });
  for (const [key, gaps] of Object.entries(series)) {
    requireSeries(action, `${name}.${key}`, o[key], { length: dates.length, like: `${name}.dates` }, { gaps });
  }
}

/** Inputs of {@linkcode overlayMarketChart}, aligned with `dates`. */
export interface OverlayMarket {
  readonly dates: readonly Date[];
  /** Index spread, decimal (0.006 = 60 bp). */ readonly spread: OverlaySeries;
  /** VIX close, index points. */ readonly vix: OverlaySeries;
  /** ETF close, USD. */ readonly etf: OverlaySeries;
}

/** Inputs of {@linkcode overlaySignalsChart}: trailing z-scores aligned with `dates` (NaN during warm-up). */
export interface OverlaySignals {
  readonly dates: readonly Date[];
  readonly basis: OverlaySeries;
  readonly vixGap: OverlaySeries;
  readonly momentum: OverlaySeries;
}

/** Inputs of {@linkcode overlayCompositeChart}. */
export interface OverlayComposite {
  readonly dates: readonly Date[];
  /** Composite signal, weighted z. */ readonly composite: OverlaySeries;
}

/** Inputs of {@linkcode overlayPositionChart}. */
export interface OverlayPosition {
  readonly dates: readonly Date[];
  /** Index spread, decimal. */ readonly spread: OverlaySeries;
  /** Position after the close: +1 long risk, −1 short risk, 0 flat. */ readonly position: ArrayLike<number>;
}

/** Inputs of {@linkcode overlayEquityChart} and {@linkcode overlayDrawdownChart} (a backtest result fits). */
export interface OverlayAccount {
  readonly dates: readonly Date[];
  /** Net daily P&L, currency. */ readonly pnl: ArrayLike<number>;
  /** Notional, currency: the default capital. */ readonly notional: number;
}

/** Options of {@linkcode overlayEquityChart} and {@linkcode overlayDrawdownChart}. */
export interface OverlayAccountOptions extends OverlayChartOptions {
  /** Capital the equity is measured against, currency, > 0 (default `notional`). */ readonly capital?: number;
  /** Legend label (default `"Overlay"`). */ readonly label?: string;
}

/**
 * The inputs: index spread (bp), VIX close (points), ETF close (USD), on one time axis.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { overlayMarketChart } from "./overlay.ts";
 *
 * const dates = [0, 1].map((d) => new Date(Date.UTC(2024, 0, 2 + d)));
 * const chart = overlayMarketChart({ dates, spread: [0.005, 0.0052], vix: [13, 14], etf: [77, 76.5] }, { title: "Markets" });
 * assert.ok(chart.outerHTML.includes("Spread (bp)") && chart.outerHTML.includes("HYG"));
 * ```
 */
export function overlayMarketChart(
  market: OverlayMarket,
  opts: OverlayChartOptions & { readonly spreadLabel?: string; readonly etfLabel?: string },
): Chart {
  const action = "draw overlay market chart";
  checkOverlayOptions(action, opts, ["spreadLabel", "etfLabel"]);
  checkFields(action, opts, { strings: ["spreadLabel", "etfLabel"] });
  checkOverlayInput(action, "market", market, { spread: true, vix: true, etf: true });
  const { spreadLabel: _spread, etfLabel: _etf, ...chart } = opts;
  return stackedTimeSeriesChart({
    ...chart,
    dates: market.dates,
    panels: [
      { series: { [opts.spreadLabel ?? "CDX IG 5Y"]: market.spread }, yLabel: "Spread (bp)", scale: 1e4 },
      { series: { VIX: market.vix }, yLabel: "VIX (index points)" },
      { series: { [opts.etfLabel ?? "HYG"]: market.etf }, yLabel: "ETF price (USD)" },
    ],
  });
}

/** The three signals as trailing z-scores, one panel each, with a zero line. */
export function overlaySignalsChart(signals: OverlaySignals, opts: OverlayChartOptions): Chart {
  const action = "draw overlay signals chart";
  checkOverlayOptions(action, opts, []);
  checkOverlayInput(action, "signals", signals, { basis: true, vixGap: true, momentum: true });
  const panel = (label: string, values: OverlaySeries) => ({
    series: { [label]: values },
    yLabel: `${label} (z)`,
    zeroLine: true,
    height: 130,
  });
  return stackedTimeSeriesChart({
    ...opts,
    dates: signals.dates,
    panels: [panel("Basis", signals.basis), panel("VIX gap", signals.vixGap), panel("Momentum", signals.momentum)],
  });
}

/**
 * The composite against the entry (solid grey) and exit (dashed) thresholds on both sides, ±entry and ±exit.
 * @throws {RangeError} If `entry` or `exit` is not finite.
 */
export function overlayCompositeChart(
  signals: OverlayComposite,
  opts: OverlayChartOptions & { readonly entry: number; readonly exit: number },
): Chart {
  const action = "draw overlay composite chart";
  checkOverlayOptions(action, opts, ["entry", "exit"]);
  requireFinite(action, "entry", opts.entry);
  requireFinite(action, "exit", opts.exit);
  checkOverlayInput(action, "signals", signals, { composite: true });
  const { entry: _entry, exit: _exit, ...chart } = opts;
  const dates = signals.dates, n = dates.length;
  const level = (v: number) => new Float64Array(n).fill(v);
  const grey = "#888888";
  const lines: Record<string, Float64Array> = {
    [`Entry +${opts.entry}`]: level(opts.entry),
    [`Entry −${opts.entry}`]: level(-opts.entry),
    [`Exit +${opts.exit}`]: level(opts.exit),
    [`Exit −${opts.exit}`]: level(-opts.exit),
  };
  return stackedTimeSeriesChart({
    ...chart,
    dates,
    panels: [{
      series: { Composite: signals.composite, ...lines },
      colors: Object.fromEntries(Object.keys(lines).map((k) => [k, grey])),
      dashed: Object.keys(lines).filter((k) => k.startsWith("Exit")),
      yLabel: "Composite (weighted z)",
      zeroLine: true,
    }],
  });
}

/** The index spread with the position below it: +1 long credit risk (protection sold), −1 short, 0 flat. */
export function overlayPositionChart(
  result: OverlayPosition,
  opts: OverlayChartOptions & { readonly spreadLabel?: string },
): Chart {
  const action = "draw overlay position chart";
  checkOverlayOptions(action, opts, ["spreadLabel"]);
  checkFields(action, opts, { strings: ["spreadLabel"] });
  checkOverlayInput(action, "result", result, { spread: true, position: false });
  const { spreadLabel: _spread, ...chart } = opts;
  return stackedTimeSeriesChart({
    ...chart,
    dates: result.dates,
    panels: [
      { series: { [opts.spreadLabel ?? "CDX IG 5Y"]: result.spread }, yLabel: "Spread (bp)", scale: 1e4 },
      {
        series: { Position: Float64Array.from(result.position) },
        yLabel: "Position (−1 short, +1 long risk)",
        height: 110,
        yDomain: [-1.2, 1.2],
      },
    ],
  });
}

/**
 * Equity of the account as a multiple of capital C, after the P&L of each day:
 *
 *     E(t) = (C + Σ_{s ≤ t} pnl(s)) / C
 */
function equityPath(
  action: string,
  account: OverlayAccount,
  opts: OverlayAccountOptions,
  positive = false,
): Float64Array {
  checkOverlayOptions(action, opts, ["capital", "label"]);
  checkFields(action, opts, { strings: ["label"] });
  checkOverlayInput(action, "account", account, { pnl: false });
  const name = opts.capital === undefined ? "account.notional" : "capital";
  const c = requirePositive(action, name, opts.capital ?? account.notional);
  let equity = c;
  const path = Float64Array.from(account.pnl, (x) => (equity += x) / c);
  if (positive) {
    const t = path.findIndex((e) => !(e > 0));
    if (t >= 0) {
      throw rangeError(
        action,
        name,
        `large enough that the equity stays > 0 (capital + cumulative P&L is ${path[t] * c} at pnl[${t}])`,
        c,
      );
    }
  }
  return path;
}

/**
 * Cumulative P&L of the account in % of capital: E(t) − 1 = Σ_{s ≤ t} pnl(s) / capital, capital defaulting to the
 * notional.
 *
 * @throws {RangeError} If the capital is not > 0 or a P&L value is not finite.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { overlayEquityChart } from "./overlay.ts";
 *
 * const dates = [0, 1, 2].map((d) => new Date(Date.UTC(2024, 0, 2 + d)));
 * const chart = overlayEquityChart({ dates, pnl: [0, 1e4, -5e3], notional: 1e6 }, { title: "Equity" });
 * assert.ok(chart.outerHTML.includes("Cumulative P&amp;L (% of capital)"));
 * ```
 */
export function overlayEquityChart(account: OverlayAccount, opts: OverlayAccountOptions): Chart {
  const equity = equityPath("draw overlay equity chart", account, opts);
  const { capital: _capital, label: _label, ...chart } = opts;
  return stackedTimeSeriesChart({
    ...chart,
    dates: account.dates,
    panels: [{
      series: { [opts.label ?? "Overlay"]: Float64Array.from(equity, (e) => e - 1) },
      yLabel: "Cumulative P&L (% of capital)",
      scale: 100,
      zeroLine: true,
    }],
  });
}

/**
 * Drawdown of the account's equity E(t) = (capital + cumulative P&L) / capital below its running peak, in %.
 * @throws {RangeError} If the capital is not > 0, a P&L value is not finite, or the equity reaches 0.
 */
export function overlayDrawdownChart(account: OverlayAccount, opts: OverlayAccountOptions): Chart {
  const wealth = equityPath("draw overlay drawdown chart", account, opts, true);
  const { capital: _capital, label: _label, ...chart } = opts;
  return drawdownChart({
    ...chart,
    dates: account.dates,
    wealth: { [opts.label ?? "Overlay"]: wealth },
  });
}
