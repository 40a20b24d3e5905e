/**
 * The threshold backtest of the CDX overlay: a single long/short credit-risk position on the index, sized by
 * notional, opened when the composite signal crosses ±entry and closed when it falls back inside ±exit.
 *
 * Timing — no look-ahead. The decision at the close of t uses the composite known at t; the position earns from
 * t + 1 on. Daily P&L of a position p ∈ {−1, 0, +1} (+1 = long credit risk = protection sold) on notional N:
 *
 *     spread P&L   −p·N·RPV01(Sₜ₋₁)·(Sₜ − Sₜ₋₁)              the index's spread DV01 is N·RPV01·1 bp
 *     carry        +p·N·Sₜ₋₁·(calendar days)/360                 the running premium accrues ACT/360
 *     costs        costBp·10⁻⁴·N·|pₜ − pₜ₋₁|                     on every trade, a flip counts twice
 *
 * RPV01 (risky annuity, years) is the value of 1 a year paid quarterly until default or maturity, with a flat
 * hazard h = S/(1 − R) (the credit triangle) and a flat discount rate r:
 *
 *     RPV01(S) = Σ_{i=1}^{4T} ¼·exp(−(r + h)·i/4),   ≈ 4.5 years for a 5-year index at 70 bp.
 *
 * The spread is treated as the index's full running premium (the upfront of a fixed-coupon index is folded into
 * the spread P&L); defaults inside the index are not modelled.
 *
 * Exits: the signal back inside ±exit, a maximum holding period, or a stop-loss on the trade's P&L. After a stop
 * the same direction is not re-entered until the composite has come back inside ±exit (no instant re-entry).
 * @module
 */
import pl from "nodejs-polars";
import {
  rangeError,
  requireFinite,
  requireInteger,
  requireNonNegative,
  requirePositive,
  requireProbability,
} from "../core/check.ts";
import { dateColumn, floatColumn, nanColumn, nanToNull, requireColumns } from "../data/columns.ts";

/** Options of {@linkcode runOverlayBacktest}. */
export interface OverlayBacktestOptions {
  /** Open when |composite| ≥ entry (default 1.5). */ readonly entry?: number;
  /** Close when |composite| < exit (default 0.75). */ readonly exit?: number;
  /** Notional, currency (default 10,000,000). */ readonly notional?: number;
  /** Costs in bp of notional per unit traded (default 1). */ readonly costBp?: number;
  /** Close after this many trading days (default none). */ readonly maxHoldingDays?: number;
  /** Close when the trade's P&L falls to −stopLoss, currency (default none). */ readonly stopLoss?: number;
  /** Index tenor in years (default 5), recovery rate (0.4) and discount rate (0.03) of the RPV01. */
  readonly tenor?: number;
  readonly recovery?: number;
  readonly rate?: number;
}

/** Result of {@linkcode runOverlayBacktest}: typed arrays for speed and DataFrames for reading. */
export interface OverlayBacktestResult {
  readonly dates: Date[];
  /** Position after the close: +1 long risk, −1 short risk, 0 flat. */ readonly position: Int8Array;
  readonly spreadPnl: Float64Array;
  readonly carryPnl: Float64Array;
  readonly costs: Float64Array;
  /** Net daily P&L, currency. */ readonly pnl: Float64Array;
  readonly notional: number;
  /** date, spread, composite, position, spread_pnl, carry_pnl, cost, pnl, cum_pnl. */ readonly daily: pl.DataFrame;
  /** entry_date, exit_date, direction, days_held, pnl, exit_reason (one row per closed or open trade). */
  readonly trades: pl.DataFrame;
}

/** RPV01 of a CDS or index with a flat hazard S/(1 − R) and flat discount rate r, quarterly premiums, years. */
export function riskyAnnuity(spread: number, tenor = 5, recovery = 0.4, rate = 0.03): number {
  const h = Math.max(spread, 0) / (1 - recovery), q = Math.exp(-(rate + h) / 4);
  const n = Math.round(tenor * 4);
  let sum = 0, df = 1;
  for (let i = 0; i < n; i++) sum += 0.25 * (df *= q);
  return sum;
}

interface Trade {
  entry: number;
  exit: number;
  direction: number;
  pnl: number;
  reason: string;
}

/**
 * Runs the overlay on a composite signal and the index spread, joined on date.
 *
 * @param signals date, composite (null during the warm-up: no position is opened).
 * @param cdx date, spread (decimal).
 * @throws {RangeError} If an option is out of range (exit must be below entry) or the inputs share no date.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { runOverlayBacktest } from "./backtest.ts";
 *
 * const date = [1, 2, 3, 4].map((d) => new Date(Date.UTC(2024, 0, d + 1)));
 * const signals = pl.DataFrame({ date, composite: [2, 2, 0, 0] });
 * const cdx = pl.DataFrame({ date, spread: [0.007, 0.0069, 0.0068, 0.0068] });
 * const r = runOverlayBacktest(signals, cdx);
 * assert.deepEqual(Array.from(r.position), [1, 1, 0, 0]);
 * assert.equal(r.trades.height, 1);
 * ```
 */
export function runOverlayBacktest(
  signals: pl.DataFrame,
  cdx: pl.DataFrame,
  opts: OverlayBacktestOptions = {},
): OverlayBacktestResult {
  const action = "run overlay backtest";
  const params = overlayParams(action, opts);
  requireColumns(action, "signals", signals, ["date", "composite"]);
  requireColumns(action, "cdx", cdx, ["date", "spread"]);
  const df = signals.select("date", "composite").join(cdx.select("date", "spread"), { on: "date" }).sort("date");
  if (df.height === 0) throw rangeError(action, "signals and cdx", "at least one common date", "none");
  const dates = dateColumn(df);
  const spread = floatColumn(df, "spread");
  const composite = nanColumn(df, "composite");
  const r = simulateOverlay(dates, spread, composite, { ...params, rpv01: rpv01Series(spread, params) });
  let cum = 0;
  const cumPnl = Float64Array.from(r.pnl, (x) => (cum += x));
  const daily = pl.DataFrame({
    date: dates,
    spread,
    composite: nanToNull(composite),
    position: r.position,
    spread_pnl: r.spreadPnl,
    carry_pnl: r.carryPnl,
    cost: r.costs,
    pnl: r.pnl,
    cum_pnl: cumPnl,
  }).withColumns(pl.col("date").cast(pl.Date), pl.col("position").cast(pl.Int8));
  const trades = pl.DataFrame({
    entry_date: r.trades.map((t) => dates[t.entry]),
    exit_date: r.trades.map((t) => dates[t.exit]),
    direction: r.trades.map((t) => (t.direction > 0 ? "long risk" : "short risk")),
    days_held: r.trades.map((t) => t.exit - t.entry),
    pnl: r.trades.map((t) => t.pnl),
    exit_reason: r.trades.map((t) => t.reason),
  }, {
    schema: {
      entry_date: pl.Date,
      exit_date: pl.Date,
      direction: pl.Utf8,
      days_held: pl.Int32,
      pnl: pl.Float64,
      exit_reason: pl.Utf8,
    },
  });
  return { dates, ...r, notional: params.notional, daily, trades };
}

/** The validated options of the state machine (shared by the backtest and the parameter sweep). */
export interface OverlayParams {
  entry: number;
  exit: number;
  notional: number;
  /** Cost of trading one notional, currency. */ costPerUnit: number;
  maxHold: number;
  stopLoss: number;
  tenor: number;
  recovery: number;
  rate: number;
}

/** Validates {@linkcode OverlayBacktestOptions} and fills the defaults. */
export function overlayParams(action: string, opts: OverlayBacktestOptions): OverlayParams {
  const entry = requirePositive(action, "entry", opts.entry ?? 1.5);
  const exit = requireNonNegative(action, "exit", opts.exit ?? 0.75);
  if (exit >= entry) throw rangeError(action, "exit", `below entry (${entry})`, exit);
  const notional = requirePositive(action, "notional", opts.notional ?? 10_000_000);
  const costBp = requireNonNegative(action, "costBp", opts.costBp ?? 1);
  const maxHold = opts.maxHoldingDays === undefined
    ? Infinity
    : requireInteger(action, "maxHoldingDays", opts.maxHoldingDays, { min: 1 });
  const stopLoss = opts.stopLoss === undefined ? Infinity : requirePositive(action, "stopLoss", opts.stopLoss);
  const tenor = requirePositive(action, "tenor", opts.tenor ?? 5);
  const recovery = requireProbability(action, "recovery", opts.recovery ?? 0.4);
  if (recovery === 1) throw rangeError(action, "recovery", "< 1", recovery);
  const rate = requireFinite(action, "rate", opts.rate ?? 0.03);
  return { entry, exit, notional, costPerUnit: (costBp / 1e4) * notional, maxHold, stopLoss, tenor, recovery, rate };
}

/** RPV01 of each day's spread: the P&L of day t uses rpv01[t − 1]. Computed once per spread path. */
export function rpv01Series(spread: Float64Array, p: { tenor: number; recovery: number; rate: number }): Float64Array {
  return Float64Array.from(spread, (s) => riskyAnnuity(s, p.tenor, p.recovery, p.rate));
}

/** The state machine on typed arrays (the hot loop of parameter sweeps). */
export function simulateOverlay(
  dates: readonly Date[],
  spread: Float64Array,
  composite: Float64Array,
  p: OverlayParams & { rpv01: Float64Array },
) {
  const n = spread.length;
  const position = new Int8Array(n);
  const spreadPnl = new Float64Array(n), carryPnl = new Float64Array(n), costs = new Float64Array(n);
  const pnl = new Float64Array(n);
  const trades: Trade[] = [];
  let pos = 0, open: Trade | null = null, blocked = 0;
  for (let t = 0; t < n; t++) {
    // 1. Earn the day on the position held since the last close.
    if (t > 0 && pos !== 0) {
      const days = (dates[t].getTime() - dates[t - 1].getTime()) / 86_400_000;
      spreadPnl[t] = -pos * p.notional * p.rpv01[t - 1] * (spread[t] - spread[t - 1]);
      carryPnl[t] = (pos * p.notional * spread[t - 1] * days) / 360;
      open!.pnl += spreadPnl[t] + carryPnl[t];
    }
    // 2. Decide at the close on the composite known now.
    const c = composite[t];
    let next = pos, reason = "";
    if (!Number.isNaN(c)) {
      if (blocked !== 0 && Math.abs(c) < p.exit) blocked = 0;
      if (pos !== 0) {
        if (pos * c < p.exit) (next = 0), (reason = "signal");
        else if (t - open!.entry >= p.maxHold) (next = 0), (reason = "max holding"), (blocked = pos);
        else if (open!.pnl <= -p.stopLoss) (next = 0), (reason = "stop-loss"), (blocked = pos);
      }
      if (next === 0) {
        if (c >= p.entry && blocked !== 1) next = 1;
        else if (c <= -p.entry && blocked !== -1) next = -1;
      }
    }
    // 3. Trade.
    if (next !== pos) {
      costs[t] = p.costPerUnit * Math.abs(next - pos);
      if (open) {
        open.pnl -= p.costPerUnit * Math.abs(pos); // the closing leg
        open.exit = t, open.reason = reason;
        trades.push(open);
        open = null;
      }
      if (next !== 0) open = { entry: t, exit: t, direction: next, pnl: -p.costPerUnit, reason: "" };
      pos = next;
    }
    position[t] = pos;
    pnl[t] = spreadPnl[t] + carryPnl[t] - costs[t];
  }
  // A trade still open on the last date is reported as such (marked to market, not closed: no exit cost).
  if (open) (open.exit = n - 1), (open.reason = "open at end"), trades.push(open);
  return { position, spreadPnl, carryPnl, costs, pnl, trades };
}
