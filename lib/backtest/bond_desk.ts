/**
 * The bond desk's strategy: a long-only, cost-aware cross-sectional bond book, with the execution policies of the
 * desk — a rebalance schedule (daily, weekly, monthly) and an inertia filter (a no-trade band around the target
 * weights). The rule here only picks the targets; the accounting kernel (`kernel.ts`) books them: returns, the
 * forced switches of bonds that left the universe, the band, the unlevered budget, costs and NAV.
 *
 *     target             the K bonds with the highest signal (K = ⌈q·available⌉), weighted equally (1/K) or by
 *                        rank above the cut-off (k/Σk, k = 1 for the K-th best … K for the best)
 *     inertia band       no trade while |wᵢ − targetᵢ| ≤ band; beyond it trade to the target ("target") or only
 *                        back to the edge of the band ("edge"). A bond that left the target set and lies beyond
 *                        the band is sold outright in both modes (there is no edge of "not wanted" worth keeping).
 *     budget             long-only and unlevered: Σwᵢ ≤ 1. The cash that trading to the edge leaves is invested
 *                        pro rata in the target bonds. When the positions kept inside the band leave too little room
 *                        for the purchases, the bonds outside the target set are sold first, then purchases shrink.
 *                        A band as wide as a target weight (1/K) freezes the book: new bonds are never bought.
 *     replacements       a held bond that matured out of the universe or defaulted is switched into the issuer's
 *                        new bond at the close: a round trip of twice its weight
 *     costs              half the bid-ask (plus optional impact) on traded notional (see `costs.ts`), paid pro rata
 *     NAV                NAVₜ = NAVₜ₋₁·(1 + Rₜ) − costsₜ,  Rₜ = Σᵢ wᵢ·rᵢ(t) + c·r_cash(t)
 *
 * Cash c = 1 − Σwᵢ ≥ 0 earns the 3-month Treasury rate. It is zero after a rebalance without a band and holds the
 * small residual a trade-to-target band leaves. The return of date t splits into a rates part (what
 * duration-matched Treasuries earned), a credit part (the excess return) and cash.
 *
 * The market comes in as plain panels ({@linkcode BondPanels}: dates × bonds typed arrays), so a test or another
 * data source needs no simulator; `bondPanels` of `lib/market/universe.ts` takes them from a simulated universe.
 * Outputs: typed arrays for speed, and the DataFrames `daily()` and `byRating()` (polars).
 * @module
 */
import pl from "nodejs-polars";
import {
  rangeError,
  Received,
  requireDates,
  requireFiniteArray,
  requireInteger,
  requireKnownKeys,
  requireObject,
  requireProbability,
  typeError,
} from "../core/check.ts";
import { requireIsoDate } from "../core/calendar.ts";
import { costFunction, type CostModel } from "./costs.ts";
import type { Panel } from "../signals/panel.ts";
import { checkPolicies, type InertiaBand, type RebalanceSchedule, runBook, upperBound } from "./kernel.ts";

export type { InertiaBand, RebalanceSchedule } from "./kernel.ts";

/** The bond market a desk backtest trades, as dates × bonds panels (row-major, index t·N + i). */
export interface BondPanels {
  readonly dates: readonly Date[];
  /** Rating of each bond slot (constant through time: a replacement keeps the rating). */
  readonly ratings: readonly string[];
  /** Amount outstanding of each bond slot, currency (for impact costs). */ readonly amounts: ArrayLike<number>;
  /** Total return per day, and its rates (duration-matched Treasury) and credit (excess) parts. */
  readonly totalReturn: Float64Array;
  readonly ratesReturn: Float64Array;
  readonly creditReturn: Float64Array;
  /** Cash return per day (the bill rate), length = dates. */ readonly cashReturn: ArrayLike<number>;
  /** Full bid-ask spread as a fraction of price. */ readonly bidAsk: Float64Array;
  /** Modified duration (years) and credit spread (decimal), for the exposures. */ readonly duration: Float64Array;
  readonly spread: Float64Array;
  /** 1 where the bond left the universe at that close (matured or defaulted) and was replaced. */
  readonly replaced: Uint8Array;
}

/** Options of {@linkcode runBacktest}. */
export interface BacktestOptions {
  /** The market: dates × bonds panels (e.g. `bondPanels(universe)`). */ readonly market: BondPanels;
  /** Signal known at each close (higher = buy), dates × bonds like the market. */ readonly signal: Panel;
  /** Share of the bonds with a signal to hold, equally weighted (default 0.2, the top quintile). */
  readonly topFraction?: number;
  /**
   * Target weights of the K bonds held: `"equal"` (1/K each, default) or `"rank"` (proportional to the rank above
   * the cut-off, 1 for the K-th best up to K for the best: a bond at the margin gets a small weight, so crossing the
   * cut-off is a small trade that an inertia band can absorb).
   */
  readonly weighting?: "equal" | "rank";
  /** Rebalance schedule (default `"daily"`). */ readonly rebalance?: RebalanceSchedule;
  /** Inertia band (default none: always trade to target). */ readonly band?: InertiaBand;
  /** Cost model (default: half the bid-ask). */ readonly costs?: CostModel;
  /** First date the strategy may trade (ISO); earlier dates are skipped (e.g. the signals' warm-up). */
  readonly start?: string;
  /** Last date (ISO, inclusive). */ readonly end?: string;
}

/** Result of {@linkcode runBacktest}: per-date arrays from the first trading date on, and DataFrames. */
export interface BacktestResult {
  readonly dates: Date[];
  /** Net NAV (starts at 1 before the first trade) and the NAV without costs. */
  readonly nav: Float64Array;
  readonly grossNav: Float64Array;
  /** Net return Rₜ − costsₜ, and its parts. */
  readonly returns: Float64Array;
  readonly grossReturns: Float64Array;
  readonly ratesReturns: Float64Array;
  readonly creditReturns: Float64Array;
  readonly cashReturns: Float64Array;
  /** Costs and traded notional (Σ|Δw|, replacements included) as fractions of NAV. */
  readonly costs: Float64Array;
  readonly turnover: Float64Array;
  /**
   * Costs in currency on a starting NAV of 1: costsₜ × the NAV they are paid from. A desk whose NAV grows pays more
   * currency for the same fraction, so Σ costsCurrency and Σ costs rank two policies differently when their NAVs
   * part.
   */
  readonly costsCurrency: Float64Array;
  /**
   * The bill rate of each date (the market's `cashReturn`, per day): what a fully funded book earns without risk.
   * Sharpe ratios of this funded book are taken on `returns − billReturns`.
   */
  readonly billReturns: Float64Array;
  /** Exposures after the close: spread duration Σwᵢ·Dᵢ (years), DTS Σwᵢ·Dᵢ·sᵢ, positions, cash weight. */
  readonly spreadDuration: Float64Array;
  readonly dts: Float64Array;
  readonly positions: Int32Array;
  readonly cash: Float64Array;
  /** Costs and traded notional summed per rating, in rating order. */
  readonly ratings: readonly string[];
  readonly costByRating: Float64Array;
  readonly tradedByRating: Float64Array;
  /** One row per date: date, nav, gross_nav, return, gross_return, rates_return, credit_return, cash_return, cost,
   * turnover, spread_duration, dts, positions, cash. */
  daily(): pl.DataFrame;
  /** One row per rating: rating, cost, traded, cost_share. */
  byRating(): pl.DataFrame;
}

/** Requires every value of a panel to be finite (one typed loop: the panels are dates × bonds long). */
function requireFinitePanel(action: string, name: string, panel: ArrayLike<number>): void {
  for (let k = 0; k < panel.length; k++) {
    const v = panel[k];
    if (typeof v !== "number") throw typeError(action, `${name}[${k}]`, "a number", v);
    if (v - v !== 0) throw rangeError(action, `${name}[${k}]`, "finite", v);
  }
}

/**
 * Runs the backtest.
 *
 * @throws {RangeError} If the signal's shape differs from the market's, an option is out of range, or the
 *   window holds no date.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { bondPanels, generateBondUniverse } from "../market/universe.ts";
 * import { treasuryCurves } from "../market/curve.ts";
 * import { carrySignal } from "../signals/carry.ts";
 * import { runBacktest } from "./bond_desk.ts";
 *
 * const dates = Array.from({ length: 30 }, (_, d) => new Date(Date.UTC(2024, 0, 2 + d)));
 * const flat = (y: number) => dates.map(() => y);
 * const table = pl.DataFrame({ date: dates, DGS1: flat(0.05), DGS2: flat(0.045), DGS5: flat(0.042), DGS10: flat(0.04), DGS20: flat(0.043), DGS30: flat(0.042) });
 * const universe = generateBondUniverse({ curves: treasuryCurves(table), issuers: 40, seed: 1 });
 * const result = runBacktest({ market: bondPanels(universe), signal: carrySignal(universe.spread, 40), rebalance: "weekly" });
 * assert.equal(result.nav.length, 30);
 * assert.ok(result.costs.every((c) => c >= 0));
 * ```
 */
export function runBacktest(opts: BacktestOptions): BacktestResult {
  const action = "run backtest";
  requireObject(action, "opts", opts);
  requireKnownKeys(action, "opts", opts, [
    "market",
    "signal",
    "topFraction",
    "weighting",
    "rebalance",
    "band",
    "costs",
    "start",
    "end",
  ]);
  const u = requireObject(action, "market", opts.market) as unknown as BondPanels;
  requireDates(action, "market.dates", u.dates, { minLength: 1 });
  if (!Array.isArray(u.ratings)) throw typeError(action, "market.ratings", "an array of rating labels", u.ratings);
  u.ratings.forEach((r, i) => {
    if (typeof r !== "string") throw typeError(action, `market.ratings[${i}]`, "a rating label (string)", r);
  });
  const N = u.ratings.length, T = u.dates.length;
  for (
    const name of ["totalReturn", "ratesReturn", "creditReturn", "bidAsk", "duration", "spread", "replaced"] as const
  ) {
    if (!ArrayBuffer.isView(u[name]) && !Array.isArray(u[name])) {
      throw typeError(action, `market.${name}`, `a ${T}×${N} panel (dates × ratings)`, u[name]);
    }
    if (u[name]?.length !== T * N) {
      throw rangeError(
        action,
        `market.${name}`,
        `a ${T}×${N} panel (dates × ratings)`,
        new Received(`length ${u[name]?.length}`),
      );
    }
  }
  // Finite panels: a NaN return, cost or exposure would spread into the NAV and every statistic.
  for (const name of ["totalReturn", "ratesReturn", "creditReturn", "bidAsk", "duration", "spread"] as const) {
    requireFinitePanel(action, `market.${name}`, u[name]);
  }
  requireFiniteArray(action, "market.amounts", u.amounts);
  if (u.amounts.length !== N) throw rangeError(action, "market.amounts", `of length ${N}`, u.amounts.length);
  requireFiniteArray(action, "market.cashReturn", u.cashReturn, { length: T });
  const signalPanel = requireObject(action, "signal", opts.signal);
  requireInteger(action, "signal.rows", signalPanel.rows, { min: 0 });
  requireInteger(action, "signal.cols", signalPanel.cols, { min: 0 });
  if (opts.signal.rows !== T || opts.signal.cols !== N) {
    throw rangeError(
      action,
      "signal",
      `a ${T}×${N} panel like the market`,
      new Received(`${opts.signal.rows}×${opts.signal.cols}`),
    );
  }
  const values = opts.signal.values;
  if (!ArrayBuffer.isView(values) && !Array.isArray(values)) {
    throw typeError(action, "signal.values", `an array of ${T}×${N} numbers`, values);
  }
  if (values.length !== T * N) {
    throw rangeError(action, "signal.values", `of length ${T}×${N}`, new Received(`length ${values.length}`));
  }
  for (let k = 0; k < values.length; k++) {
    if (typeof values[k] !== "number") {
      throw typeError(action, `signal.values[${k}]`, "a number (NaN: none)", values[k]);
    }
  }
  const top = opts.topFraction ?? 0.2;
  requireProbability(action, "topFraction", top);
  if (top === 0) throw rangeError(action, "topFraction", "> 0", top);
  const byRank = opts.weighting === "rank";
  if (opts.weighting !== undefined && opts.weighting !== "equal" && !byRank) {
    throw rangeError(action, "weighting", '"equal" or "rank"', opts.weighting);
  }
  const schedule = opts.rebalance ?? "daily";
  checkPolicies(action, schedule, opts.band);
  const cost = costFunction(opts.costs);
  const startTime = opts.start === undefined ? -Infinity : requireIsoDate(action, "start", opts.start).getTime();
  const endTime = opts.end === undefined ? Infinity : requireIsoDate(action, "end", opts.end).getTime();
  const first = u.dates.findIndex((d) => d.getTime() >= startTime);
  let last = T - 1;
  while (last >= 0 && u.dates[last].getTime() > endTime) last--;
  if (first < 0 || first > last) {
    throw rangeError(
      action,
      "start and end",
      "a window holding at least one date",
      new Received(`${opts.start ?? "first date"} to ${opts.end ?? "last date"}`),
    );
  }

  const ratingNames = [...new Set(u.ratings)];
  const ratingOf = Int32Array.from(u.ratings, (r) => ratingNames.indexOf(r));
  const amount = Float64Array.from(u.amounts);

  // The rule: the top fraction of the bonds with a signal at this close, equally or rank weighted.
  const scores = new Float64Array(N);
  const signal = opts.signal.values;
  const rule = (state: { t: number }, target: Float64Array) => {
    const row = state.t * N;
    let m = 0;
    for (let i = 0; i < N; i++) {
      const s = signal[row + i];
      if (!Number.isNaN(s)) scores[m++] = s;
    }
    if (m === 0) return;
    const K = Math.max(1, Math.ceil(top * m));
    const sorted = scores.subarray(0, m).sort();
    const threshold = sorted[m - K]; // K-th largest
    let total = 0;
    for (let i = 0; i < N; i++) {
      const s = signal[row + i];
      if (!(s >= threshold)) continue;
      // Equal: 1 each. Rank: 1 for the K-th largest up to K for the largest (ties share the higher rank).
      target[i] = byRank ? upperBound(sorted, s) - (m - K) : 1;
      total += target[i];
    }
    for (let i = 0; i < N; i++) if (target[i] > 0) target[i] /= total;
  };
  const book = runBook(
    {
      dates: u.dates,
      assets: N,
      returns: u.totalReturn,
      cashReturn: u.cashReturn,
      components: { rates: u.ratesReturn, credit: u.creditReturn },
      exposures: { spreadDuration: u.duration, dts: [u.duration, u.spread] },
      rolls: u.replaced,
    },
    rule,
    {
      rebalance: schedule,
      band: opts.band,
      longOnly: true,
      unlevered: true,
      cost: (q, t, i) => cost(q, u.bidAsk[t * N + i], amount[i]),
      from: first,
      to: last,
    },
  );
  // Return parts on the previous NAV, as the net return is.
  const onPrevious = (pnl: Float64Array) => Float64Array.from(pnl, (p, j) => (j === 0 ? 0 : p / book.nav[j - 1]));
  const costByRating = new Float64Array(ratingNames.length), tradedByRating = new Float64Array(ratingNames.length);
  for (let i = 0; i < N; i++) {
    costByRating[ratingOf[i]] += book.assetCosts[i], tradedByRating[ratingOf[i]] += book.assetTraded[i];
  }
  const out = {
    nav: book.nav,
    grossNav: book.grossNav,
    returns: book.returns,
    grossReturns: book.grossReturns,
    ratesReturns: onPrevious(book.componentPnl.rates),
    creditReturns: onPrevious(book.componentPnl.credit),
    cashReturns: onPrevious(book.cashPnl),
    costs: book.costs,
    turnover: book.turnover,
    costsCurrency: book.costsCurrency,
    billReturns: Float64Array.from({ length: last - first + 1 }, (_, j) => u.cashReturn[first + j]),
    spreadDuration: book.exposures.spreadDuration,
    dts: book.exposures.dts,
    positions: book.positions,
    cash: book.cash,
  };
  const dates = book.dates;
  return {
    dates,
    ...out,
    ratings: ratingNames,
    costByRating,
    tradedByRating,
    daily: () =>
      pl.DataFrame({
        date: dates,
        nav: out.nav,
        gross_nav: out.grossNav,
        return: out.returns,
        gross_return: out.grossReturns,
        rates_return: out.ratesReturns,
        credit_return: out.creditReturns,
        cash_return: out.cashReturns,
        cost: out.costs,
        turnover: out.turnover,
        spread_duration: out.spreadDuration,
        dts: out.dts,
        positions: out.positions,
        cash: out.cash,
      }).withColumn(pl.col("date").cast(pl.Date)),
    byRating: () => {
      const total = costByRating.reduce((a, b) => a + b, 0);
      return pl.DataFrame({
        rating: ratingNames,
        cost: costByRating,
        traded: tradedByRating,
        cost_share: Float64Array.from(costByRating, (k) => (total > 0 ? k / total : 0)),
      });
    },
  };
}
