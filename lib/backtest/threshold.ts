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
 * RPV01 (risky annuity, years) and the per-unit returns come from `lib/market/cds.ts` (flat hazard S/(1 − R), flat
 * discount rate, quarterly premiums). The rule below only decides the position; the accounting kernel
 * (`kernel.ts`) books it as an unfunded notional on the capital, with the costs of every trade.
 *
 * Execution lag: with `lag` = k > 0 the position set at the close of t follows the composite of t − k (the same
 * signal acted on k days late), so the first trade waits k more days; `lag` = 0, the default, is the rule above.
 * A lagged run shows how much of a result rests on acting at the very close whose prices made the signal: when
 * the traded spread is a stale mark (a cash-bond OAS) a signal built from fresher prices can look prescient.
 *
 * Exits: the signal back inside ±exit, a maximum holding period, or a stop-loss on the trade's P&L. After a stop
 * the same direction is not re-entered until the composite has come back inside ±exit (no instant re-entry).
 * @module
 */
import pl from "nodejs-polars";
import {
  rangeError,
  requireInteger,
  requireNonNegative,
  requireOptions,
  requirePositive,
  typeError,
} from "../core/check.ts";
import { dateColumn, floatColumn, nanColumn, nanToNull, requireColumns } from "../data/columns.ts";
import { type CdsReturns, cdsReturns, cdsTerms, rpv01Series } from "../market/cds.ts";
import { type BookResult, runBook } from "./kernel.ts";

/**
 * Requires a polars DataFrame with the listed columns, argument `name` of the caller: a value that is not a
 * DataFrame is a TypeError naming the columns wanted, a missing column a RangeError naming the columns it has.
 */
export function requireFrame(action: string, name: string, df: unknown, columns: readonly string[]): pl.DataFrame {
  const frame = df as pl.DataFrame;
  if (
    frame === null || typeof frame !== "object" || typeof frame.getColumn !== "function" ||
    !Array.isArray(frame.columns)
  ) {
    throw typeError(action, name, `a DataFrame with columns ${columns.join(", ")}`, df);
  }
  requireColumns(action, name, frame, columns);
  return frame;
}

/** The keys of {@linkcode OverlayBacktestOptions}. */
export const OVERLAY_KEYS = [
  "entry",
  "exit",
  "notional",
  "costBp",
  "maxHoldingDays",
  "stopLoss",
  "tenor",
  "recovery",
  "rate",
  "lag",
] as const;

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
  /**
   * Execution lag k, trading days, an integer in [0, 100,000] (default 0): the decision at the close of t reads
   * the composite of t − k. The `composite` column of the result stays the composite of t.
   */
  readonly lag?: number;
}

/** Result of {@linkcode runOverlayBacktest}: typed arrays for speed and DataFrames for reading. */
export interface OverlayBacktestResult {
  readonly dates: Date[];
  /** Index spread per date, decimal. */ readonly spread: Float64Array;
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

/**
 * Runs the overlay on a composite signal and the index spread, joined on date.
 *
 * @param signals date, composite (null during the warm-up: no position is opened).
 * @param cdx date, spread (decimal).
 * @throws {RangeError} If an option is out of range (exit must be below entry) or the inputs share no date.
 * @throws {TypeError} If an input is not a DataFrame with the columns above, or on an unknown option key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { runOverlayBacktest } from "./threshold.ts";
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
  opts?: OverlayBacktestOptions,
): OverlayBacktestResult {
  const action = "run overlay backtest";
  const params = overlayParams(action, requireOptions(action, "opts", opts, OVERLAY_KEYS));
  requireFrame(action, "signals", signals, ["date", "composite"]);
  requireFrame(action, "cdx", cdx, ["date", "spread"]);
  const df = signals.select("date", "composite").join(cdx.select("date", "spread"), { on: "date" }).sort("date");
  if (df.height === 0) throw rangeError(action, "signals and cdx", "at least one common date", "none");
  const dates = dateColumn(df);
  const spread = floatColumn(df, "spread");
  const composite = nanColumn(df, "composite");
  const r = simulateOverlay(dates, composite, cdsReturns(dates, spread, params, rpv01Series(spread, params)), params);
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
    entry_date: r.book.trades.map((t) => dates[t.entry]),
    exit_date: r.book.trades.map((t) => dates[t.exit]),
    direction: r.book.trades.map((t) => (t.direction > 0 ? "long risk" : "short risk")),
    days_held: r.book.trades.map((t) => t.exit - t.entry),
    pnl: r.book.trades.map((t) => t.pnl),
    exit_reason: r.book.trades.map((t) => t.reason),
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
  return {
    dates,
    spread,
    position: r.position,
    spreadPnl: r.spreadPnl,
    carryPnl: r.carryPnl,
    costs: r.costs,
    pnl: r.pnl,
    notional: params.notional,
    daily,
    trades,
  };
}

/** The validated options of the rule (shared by the backtest and the parameter sweep). */
export interface OverlayParams {
  readonly entry: number;
  readonly exit: number;
  readonly notional: number;
  /** Cost per unit of notional traded, decimal (costBp / 10⁴). */ readonly costRate: number;
  readonly maxHold: number;
  readonly stopLoss: number;
  readonly tenor: number;
  readonly recovery: number;
  readonly rate: number;
  /** Execution lag, trading days (0: act at the close whose composite it is). */ readonly lag: number;
}

/** Longest holding period accepted, trading days (about 400 years). */
const MAX_HOLDING_DAYS = 100_000;

/** Validates {@linkcode OverlayBacktestOptions} and fills the defaults. */
export function overlayParams(action: string, opts: OverlayBacktestOptions): OverlayParams {
  const entry = requirePositive(action, "entry", opts.entry ?? 1.5);
  const exit = requireNonNegative(action, "exit", opts.exit ?? 0.75);
  if (exit >= entry) throw rangeError(action, "exit", `below entry (${entry})`, exit);
  const notional = requirePositive(action, "notional", opts.notional ?? 10_000_000);
  const costBp = requireNonNegative(action, "costBp", opts.costBp ?? 1);
  if (costBp >= 1e4) throw rangeError(action, "costBp", "below 10,000 (100 % of notional)", costBp);
  const maxHold = opts.maxHoldingDays === undefined
    ? Infinity
    : requireInteger(action, "maxHoldingDays", opts.maxHoldingDays, { min: 1, max: MAX_HOLDING_DAYS });
  const stopLoss = opts.stopLoss === undefined ? Infinity : requirePositive(action, "stopLoss", opts.stopLoss);
  const lag = requireInteger(action, "lag", opts.lag ?? 0, { min: 0, max: MAX_HOLDING_DAYS });
  const terms = cdsTerms(action, opts);
  return { entry, exit, notional, costRate: costBp / 1e4, maxHold, stopLoss, lag, ...terms };
}

/** What {@linkcode simulateOverlay} returns: the position path, the P&L parts (currency) and the kernel's ledger. */
export interface OverlayRun {
  /** Position after each close: +1 long risk, −1 short risk, 0 flat. */ readonly position: Int8Array;
  readonly spreadPnl: Float64Array;
  readonly carryPnl: Float64Array;
  readonly costs: Float64Array;
  readonly pnl: Float64Array;
  readonly book: BookResult;
}

/**
 * The hysteresis rule booked by the accounting kernel: one unfunded position of ±notional on the index, decided
 * at each close on the composite known then (the hot loop of parameter sweeps: the CDS returns are computed once).
 *
 * @param composite Composite signal per date (NaN during the warm-up: no decision); the decision at t reads
 *   `composite[t − p.lag]` (none before t = lag).
 * @param returns Per-unit CDS returns of the index ({@linkcode cdsReturns}).
 */
export function simulateOverlay(
  dates: readonly Date[],
  composite: Float64Array,
  returns: CdsReturns,
  p: OverlayParams,
): OverlayRun {
  const n = dates.length;
  const position = new Int8Array(n);
  let pos = 0, blocked = 0;
  const book = runBook(
    {
      dates,
      assets: 1,
      returns: returns.total,
      funded: false,
      components: { spread: returns.spread, carry: returns.carry },
    },
    (state, target) => {
      const c = state.t >= p.lag ? composite[state.t - p.lag] : NaN;
      let next = pos, reason = "";
      if (!Number.isNaN(c)) {
        if (blocked !== 0 && Math.abs(c) < p.exit) blocked = 0;
        if (pos !== 0) {
          if (pos * c < p.exit) (next = 0), (reason = "signal");
          else if (state.held[0] >= p.maxHold) (next = 0), (reason = "max holding"), (blocked = pos);
          else if (state.tradePnl[0] <= -p.stopLoss) (next = 0), (reason = "stop-loss"), (blocked = pos);
        }
        if (next === 0) {
          if (c >= p.entry && blocked !== 1) next = 1;
          else if (c <= -p.entry && blocked !== -1) next = -1;
        }
      }
      state.reason = reason;
      pos = next;
      position[state.t] = next;
      target[0] = next * p.notional;
    },
    {
      capital: p.notional,
      targets: "notional",
      cost: (traded) => traded * p.costRate,
      recordTrades: true,
    },
  );
  return {
    position,
    spreadPnl: book.componentPnl.spread,
    carryPnl: book.componentPnl.carry,
    costs: book.costsCurrency,
    pnl: book.pnl,
    book,
  };
}
