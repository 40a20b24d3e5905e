/**
 * A long-only, cost-aware backtest of a cross-sectional bond strategy, with the execution policies of the desk: a
 * rebalance schedule (daily, weekly, monthly) and an inertia filter (a no-trade band around the target weights).
 *
 * Timing — no look-ahead. On each date t the portfolio first earns the returns of date t on the weights it held
 * after the previous close; then, at the close of t, bonds that matured out of the universe or defaulted are
 * replaced (a forced round trip), and on rebalance dates the strategy trades towards target weights computed from
 * the signal known at the close of t. Those trades earn returns from t + 1 on.
 *
 *     portfolio return   Rₜ = Σᵢ wᵢ·rᵢ(t) + c·r_cash(t),   weights then drift: wᵢ ← wᵢ(1 + rᵢ)/(1 + Rₜ)
 *     target             the K bonds with the highest signal (K = ⌈q·available⌉), weighted equally (1/K) or by
 *                        rank above the cut-off (k/Σk, k = 1 for the K-th best … K for the best)
 *     inertia band       no trade while |wᵢ − targetᵢ| ≤ band; beyond it trade to the target ("target") or only
 *                        back to the edge of the band ("edge"). A bond that left the target set and lies beyond
 *                        the band is sold outright in both modes (there is no edge of "not wanted" worth keeping).
 *     budget             long-only and unlevered: Σwᵢ ≤ 1. The cash that trading to the edge leaves is invested
 *                        pro rata in the target bonds. When the positions kept inside the band leave too little room
 *                        for the purchases, the bonds outside the target set are sold first, then purchases shrink.
 *                        A band as wide as a target weight (1/K) freezes the book: new bonds are never bought.
 *     costs              half the bid-ask (plus optional impact) on traded notional (see `costs.ts`)
 *     NAV                NAVₜ = NAVₜ₋₁·(1 + Rₜ − costsₜ)
 *
 * Cash c = 1 − Σwᵢ ≥ 0 earns the 3-month Treasury rate. It is zero after a rebalance without a band and holds the
 * small residual a trade-to-target band leaves. The return of date t splits into
 * a rates part (what duration-matched Treasuries earned), a credit part (the excess return) and cash.
 *
 * Outputs: typed arrays for speed, and the DataFrames `daily()` and `byRating()` (polars).
 * @module
 */
import pl from "nodejs-polars";
import { rangeError, Received, requireInteger, requireNonNegative, requireProbability } from "../core/check.ts";
import { costFunction, type CostModel } from "./costs.ts";
import type { Panel } from "../signals/panel.ts";
import type { BondUniverse } from "../market/universe.ts";

/** When the strategy may trade: every date, the last date of each week or month, or every k dates. */
export type RebalanceSchedule = "daily" | "weekly" | "monthly" | number;

/** The inertia (no-trade band) filter. */
export interface InertiaBand {
  /** Half-width of the band, in weight units (0.005 = 0.5 % of NAV). */ readonly width: number;
  /** Beyond the band, trade to the target (`"target"`, default) or to the band's edge (`"edge"`). */
  readonly mode?: "target" | "edge";
}

/** Options of {@linkcode runBacktest}. */
export interface BacktestOptions {
  /** The market: a bond universe. */ readonly universe: BondUniverse;
  /** Signal known at each close (higher = buy), dates × bonds like the universe. */ readonly signal: Panel;
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

/** Number of entries of the ascending array `a` that are ≤ x. */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function rebalanceDays(dates: readonly Date[], schedule: RebalanceSchedule, first: number): Uint8Array {
  const out = new Uint8Array(dates.length);
  const weekOf = (d: Date) => Math.floor((d.getTime() / 86_400_000 + 3) / 7); // Monday-based week number
  for (let t = first; t < dates.length; t++) {
    const next = dates[t + 1];
    if (t === first || schedule === "daily") out[t] = 1; // the book is built on the first date, whatever the schedule
    else if (schedule === "weekly") out[t] = !next || weekOf(next) !== weekOf(dates[t]) ? 1 : 0;
    else if (schedule === "monthly") out[t] = !next || next.getUTCMonth() !== dates[t].getUTCMonth() ? 1 : 0;
    else out[t] = (t - first) % schedule === 0 ? 1 : 0;
  }
  return out;
}

/**
 * Runs the backtest.
 *
 * @throws {RangeError} If the signal's shape differs from the universe's, an option is out of range, or the
 *   window holds no date.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { generateBondUniverse } from "../market/universe.ts";
 * import { treasuryCurves } from "../market/curve.ts";
 * import { carrySignal } from "../signals/carry.ts";
 * import { runBacktest } from "./engine.ts";
 *
 * const dates = Array.from({ length: 30 }, (_, d) => new Date(Date.UTC(2024, 0, 2 + d)));
 * const flat = (y: number) => dates.map(() => y);
 * const table = pl.DataFrame({ date: dates, DGS1: flat(0.05), DGS2: flat(0.045), DGS5: flat(0.042), DGS10: flat(0.04), DGS20: flat(0.043), DGS30: flat(0.042) });
 * const universe = generateBondUniverse({ curves: treasuryCurves(table), issuers: 40, seed: 1 });
 * const result = runBacktest({ universe, signal: carrySignal(universe.spread, 40), rebalance: "weekly" });
 * assert.equal(result.nav.length, 30);
 * assert.ok(result.costs.every((c) => c >= 0));
 * ```
 */
export function runBacktest(opts: BacktestOptions): BacktestResult {
  const action = "run backtest";
  const u = opts.universe;
  const N = u.bonds.length, T = u.dates.length;
  if (opts.signal.rows !== T || opts.signal.cols !== N) {
    throw rangeError(
      action,
      "signal",
      `a ${T}×${N} panel like the universe`,
      new Received(`${opts.signal.rows}×${opts.signal.cols}`),
    );
  }
  const top = opts.topFraction ?? 0.2;
  requireProbability(action, "topFraction", top);
  if (top === 0) throw rangeError(action, "topFraction", "> 0", top);
  const byRank = opts.weighting === "rank";
  if (opts.weighting !== undefined && opts.weighting !== "equal" && !byRank) {
    throw rangeError(action, "weighting", '"equal" or "rank"', opts.weighting);
  }
  const schedule = opts.rebalance ?? "daily";
  if (typeof schedule === "number") requireInteger(action, "rebalance", schedule, { min: 1 });
  else if (!["daily", "weekly", "monthly"].includes(schedule)) {
    throw rangeError(action, "rebalance", '"daily", "weekly", "monthly" or a positive integer', schedule);
  }
  const band = opts.band?.width ?? 0;
  requireNonNegative(action, "band.width", band);
  const toEdge = opts.band?.mode === "edge";
  if (opts.band?.mode !== undefined && opts.band.mode !== "target" && opts.band.mode !== "edge") {
    throw rangeError(action, "band.mode", '"target" or "edge"', opts.band.mode);
  }
  const cost = costFunction(opts.costs);
  const startTime = opts.start ? new Date(`${opts.start}T00:00:00Z`).getTime() : -Infinity;
  const endTime = opts.end ? new Date(`${opts.end}T00:00:00Z`).getTime() : Infinity;
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
  const n = last - first + 1;
  const trade = rebalanceDays(u.dates, schedule, first);

  const ratingNames = [...new Set(u.bonds.map((b) => b.rating))];
  const ratingOf = Int32Array.from(u.bonds, (b) => ratingNames.indexOf(b.rating));
  const amount = Float64Array.from(u.bonds, (b) => b.amount);
  const costByRating = new Float64Array(ratingNames.length), tradedByRating = new Float64Array(ratingNames.length);

  const out = {
    nav: new Float64Array(n),
    grossNav: new Float64Array(n),
    returns: new Float64Array(n),
    grossReturns: new Float64Array(n),
    ratesReturns: new Float64Array(n),
    creditReturns: new Float64Array(n),
    cashReturns: new Float64Array(n),
    costs: new Float64Array(n),
    turnover: new Float64Array(n),
    spreadDuration: new Float64Array(n),
    dts: new Float64Array(n),
    positions: new Int32Array(n),
    cash: new Float64Array(n),
  };
  const w = new Float64Array(N), target = new Float64Array(N), next = new Float64Array(N), scores = new Float64Array(N);
  let c = 1, nav = 1, gross = 1;
  for (let j = 0; j < n; j++) {
    const t = first + j, row = t * N;
    // 1. Earn date t's returns on the weights held since the last close.
    let R = 0, rates = 0, credit = 0;
    const cashR = u.cashReturn[t];
    if (j > 0) {
      for (let i = 0; i < N; i++) {
        const wi = w[i];
        if (wi === 0) continue;
        R += wi * u.totalReturn[row + i];
        rates += wi * u.ratesReturn[row + i];
        credit += wi * u.creditReturn[row + i];
      }
      R += c * cashR;
      const grow = 1 / (1 + R);
      for (let i = 0; i < N; i++) if (w[i] !== 0) w[i] *= (1 + u.totalReturn[row + i]) * grow;
      c *= (1 + cashR) * grow;
    }
    // 2. Forced trades at the close: bonds that left the universe are switched into the replacement issue.
    let costs = 0, traded = 0;
    for (let i = 0; i < N; i++) {
      if (w[i] === 0 || !u.replaced[row + i]) continue;
      const q = 2 * Math.abs(w[i]);
      const k = cost(q, u.bidAsk[row + i], amount[i]);
      costs += k, traded += q;
      costByRating[ratingOf[i]] += k, tradedByRating[ratingOf[i]] += q;
    }
    // 3. Rebalance towards the targets of the signal known at this close.
    if (trade[t]) {
      let m = 0;
      for (let i = 0; i < N; i++) {
        const s = opts.signal.values[row + i];
        if (!Number.isNaN(s)) scores[m++] = s;
      }
      target.fill(0);
      if (m > 0) {
        const K = Math.max(1, Math.ceil(top * m));
        const sorted = scores.subarray(0, m).sort();
        const threshold = sorted[m - K]; // K-th largest
        let total = 0;
        for (let i = 0; i < N; i++) {
          const s = opts.signal.values[row + i];
          if (!(s >= threshold)) continue;
          // Equal: 1 each. Rank: 1 for the K-th largest up to K for the largest (ties share the higher rank).
          target[i] = byRank ? upperBound(sorted, s) - (m - K) : 1;
          total += target[i];
        }
        for (let i = 0; i < N; i++) if (target[i] > 0) target[i] /= total;
      }
      // The band rule, bond by bond.
      let invested = 0;
      for (let i = 0; i < N; i++) {
        const gap = w[i] - target[i];
        let x = w[i];
        if (Math.abs(gap) > band) x = toEdge && target[i] > 0 ? target[i] + Math.sign(gap) * band : target[i];
        next[i] = x, invested += x;
      }
      // The budget: trading to the edge leaves cash, which is invested pro rata in the target bonds (Σ target = 1).
      if (toEdge && invested < 1 && m > 0) {
        const spare = 1 - invested;
        for (let i = 0; i < N; i++) if (target[i] > 0) next[i] += spare * target[i];
        invested = 1;
      }
      // No leverage: when kept positions leave too little room, bonds outside the target set are sold first, then
      // the purchases shrink (then, if need be, everything).
      if (invested > 1 + 1e-12) {
        for (let i = 0; i < N; i++) if (target[i] === 0 && next[i] > 0) invested -= next[i], next[i] = 0;
      }
      if (invested > 1 + 1e-12) {
        let buys = 0;
        for (let i = 0; i < N; i++) if (next[i] > w[i]) buys += next[i] - w[i];
        const excess = invested - 1;
        const keep = buys > excess ? 1 - excess / buys : 0;
        invested = 0;
        for (let i = 0; i < N; i++) {
          if (next[i] > w[i]) next[i] = w[i] + keep * (next[i] - w[i]);
          invested += next[i];
        }
        if (invested > 1) { for (let i = 0; i < N; i++) next[i] /= invested; }
        invested = Math.min(invested, 1);
      }
      for (let i = 0; i < N; i++) {
        const q = Math.abs(next[i] - w[i]);
        if (q === 0) continue;
        const k = cost(q, u.bidAsk[row + i], amount[i]);
        costs += k, traded += q;
        costByRating[ratingOf[i]] += k, tradedByRating[ratingOf[i]] += q;
        w[i] = next[i];
      }
      c = 1 - invested;
    }
    // 4. Book the date.
    nav *= 1 + R - costs;
    gross *= 1 + R;
    let sd = 0, dts = 0, count = 0;
    for (let i = 0; i < N; i++) {
      if (w[i] === 0) continue;
      const D = u.duration[row + i];
      sd += w[i] * D, dts += w[i] * D * u.spread[row + i], count++;
    }
    out.nav[j] = nav, out.grossNav[j] = gross;
    out.returns[j] = R - costs, out.grossReturns[j] = R;
    out.ratesReturns[j] = rates, out.creditReturns[j] = credit, out.cashReturns[j] = j > 0 ? c * cashR : 0;
    out.costs[j] = costs, out.turnover[j] = traded;
    out.spreadDuration[j] = sd, out.dts[j] = dts, out.positions[j] = count, out.cash[j] = c;
  }
  const dates = u.dates.slice(first, last + 1);
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
