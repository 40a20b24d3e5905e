/**
 * The accounting kernel of every backtest: it books the target positions a strategy rule asks for against the
 * assets' returns, on typed arrays, and keeps the ledger — trades, costs, turnover, cash, NAV, exposures and P&L
 * per asset. A strategy is a short rule that produces targets (`bond_desk.ts`, `threshold.ts`); the rebalance
 * schedule and the inertia band are policies of the kernel, not of the rule.
 *
 * Timing — no look-ahead. On each date t the book first earns the returns of date t on the holdings it kept after
 * the previous close; then, at the close of t, assets flagged for a roll are switched (a forced round trip), and on
 * rebalance dates the rule sees the state at this close and sets its targets, which earn from t + 1 on.
 *
 * Holdings hᵢ are exposures in currency. A **funded** asset (a bond, a share) is bought with cash and its exposure
 * drifts with its return; an **unfunded** one (a CDS, a future, a swap) has a notional that stays put while its
 * P&L is paid into cash. NAV = cash + Σ funded hᵢ.
 *
 *     holding P&L        Πₜ = Σᵢ hᵢ·rᵢ(t) + cash·r_cash(t)              on the holdings after the previous close
 *     drift              funded hᵢ ← hᵢ·(1 + rᵢ(t));  unfunded P&L → cash
 *     weights            wᵢ = hᵢ / NAV before trading; targets xᵢ as weights, or as notionals (xᵢ = Nᵢ / NAV)
 *     inertia band       no trade while |wᵢ − xᵢ| ≤ band; beyond it trade to the target ("target") or back to the
 *                        band's edge ("edge"). A position whose target is 0 and that lies beyond the band is closed
 *                        outright in both modes
 *     budget (unlevered) Σ funded wᵢ ≤ 1: trading to the edge leaves cash, which is invested pro rata in the targets;
 *                        when positions kept inside the band leave too little room, positions with no target are
 *                        sold first, then purchases shrink
 *     costs              cost(|Δwᵢ|, t, i) as a fraction of NAV (e.g. half the bid-ask, see `costs.ts`), paid pro
 *                        rata out of cash and the funded positions, so their weights do not move
 *     NAV                NAVₜ = NAVₜ₋₁ + Πₜ − costsₜ;  net return Rₜ = (Πₜ − costsₜ)/NAVₜ₋₁
 *
 * A rule that is not called (between rebalance dates) holds its positions. Round trips — from flat to flat, or to a
 * flip of sign — are recorded per asset on request, with their P&L net of both legs' costs.
 * @module
 */
import {
  rangeError,
  Received,
  requireBoolean,
  requireDates,
  requireFunction,
  requireInteger,
  requireKnownKeys,
  requireNonNegative,
  requireObject,
  requireOptions,
  requirePositive,
  typeError,
} from "../core/check.ts";
import { isoDate } from "../core/calendar.ts";

/** When the rule may trade: every date, the last date of each week or month, or every k dates. */
export type RebalanceSchedule = "daily" | "weekly" | "monthly" | number;

/** The inertia (no-trade band) policy. */
export interface InertiaBand {
  /** Half-width of the band, in weight units (0.005 = 0.5 % of NAV). */ readonly width: number;
  /** Beyond the band, trade to the target (`"target"`, default) or to the band's edge (`"edge"`). */
  readonly mode?: "target" | "edge";
}

/** The market a book trades: dates × assets panels on typed arrays, row-major (index t·N + i). */
export interface BookMarket {
  readonly dates: readonly Date[];
  /** Number of assets N. */ readonly assets: number;
  /** Return of asset i over date t per unit of exposure (close t − 1 to close t). */ readonly returns: Float64Array;
  /** Return of cash over date t (default 0). */ readonly cashReturn?: ArrayLike<number>;
  /** Funded assets (default all); false for unfunded ones (CDS, futures): see the module notes. */
  readonly funded?: boolean | ArrayLike<boolean | number>;
  /** Parts of `returns` to attribute P&L to (e.g. rates and credit), each dates × assets. */
  readonly components?: Readonly<Record<string, Float64Array>>;
  /**
   * Loadings to aggregate after each close, each dates × assets: Σ wᵢ·Lᵢ (e.g. spread duration), or for a pair of
   * panels Σ wᵢ·Aᵢ·Bᵢ (e.g. DTS = duration × spread, without building the product panel).
   */
  readonly exposures?: Readonly<Record<string, Float64Array | readonly [Float64Array, Float64Array]>>;
  /** 1 where a held asset must be rolled at the close of t (matured, defaulted): a round trip of 2|hᵢ|. */
  readonly rolls?: Uint8Array;
}

/** What a rule sees at a rebalance close. */
export interface BookState {
  /** Date index into the market. */ readonly t: number;
  /** NAV at this close before trading, currency. */ readonly nav: number;
  /** Exposure per asset before trading, currency. */ readonly holdings: Float64Array;
  /** P&L of each open position since it was opened from flat, entry cost included, currency. */
  readonly tradePnl: Float64Array;
  /** Trading dates since each open position was opened (0 on its entry date). */ readonly held: Int32Array;
  /** Set by the rule: why the positions it closes at this date are closed (recorded with the round trips). */
  reason: string;
}

/**
 * A strategy rule: at a rebalance close it writes its targets into `target` (zero-filled; weights of NAV or
 * notionals, as the book's `targets` option says). Returning false keeps every position as it is.
 */
export type TargetRule = (state: BookState, target: Float64Array) => boolean | void;

/** Options of {@linkcode runBook}. */
export interface BookOptions {
  /** Starting NAV, currency (default 1). */ readonly capital?: number;
  /** How the rule's targets are expressed: `"weights"` of NAV (default) or `"notional"` in currency. */
  readonly targets?: "weights" | "notional";
  /** Rebalance schedule (default `"daily"`); the book is built on the first date whatever the schedule. */
  readonly rebalance?: RebalanceSchedule;
  /** Inertia band (default none: always trade to target). */ readonly band?: InertiaBand;
  /** Refuse negative targets (default false: long/short books and hedges allowed). */ readonly longOnly?: boolean;
  /** Keep Σ funded weights ≤ 1 with the budget rule of the module notes (default false). */
  readonly unlevered?: boolean;
  /** Cost of trading |Δw| of NAV in asset i at date t, as a fraction of NAV (default free). */
  readonly cost?: (traded: number, t: number, asset: number) => number;
  /** First and last date index booked, inclusive (default the whole market). */ readonly from?: number;
  readonly to?: number;
  /** Record round trips per asset (default false). */ readonly recordTrades?: boolean;
}

/** A round trip of one asset: opened from flat, closed to flat or by a flip of sign. */
export interface RoundTrip {
  readonly asset: number;
  /** Date indices of the opening and the closing trade (the last date for a trade still open). */
  readonly entry: number;
  readonly exit: number;
  /** +1 long, −1 short. */ readonly direction: number;
  /** P&L, currency, net of the costs of both legs (a trade still open is marked to market, no exit cost). */
  readonly pnl: number;
  /** The rule's reason for closing it, or "open at end". */ readonly reason: string;
}

/** The ledger of {@linkcode runBook}: one value per booked date unless stated. */
export interface BookResult {
  readonly dates: Date[];
  /** NAV after each close (currency), and the NAV the same trades would give without costs. */
  readonly nav: Float64Array;
  readonly grossNav: Float64Array;
  /** Net P&L of each date, currency: holding P&L − costs. */ readonly pnl: Float64Array;
  /** Net and gross returns on the previous NAV (the capital on the first date: building the book costs). */ readonly returns:
    Float64Array;
  readonly grossReturns: Float64Array;
  /** Costs as a fraction of NAV before trading, and in currency. */ readonly costs: Float64Array;
  readonly costsCurrency: Float64Array;
  /** Traded notional Σ|Δwᵢ| (rolls included), fraction of NAV. */ readonly turnover: Float64Array;
  /** Cash / NAV after the close. */ readonly cash: Float64Array;
  /** Gross exposure Σ|hᵢ| / NAV after the close. */ readonly gross: Float64Array;
  /** Number of non-zero positions after the close. */ readonly positions: Int32Array;
  /** P&L of cash, and of each return component, currency. */ readonly cashPnl: Float64Array;
  readonly componentPnl: Readonly<Record<string, Float64Array>>;
  /** Σ wᵢ·Lᵢ after the close for each exposure. */ readonly exposures: Readonly<Record<string, Float64Array>>;
  /** Per asset over the whole run: P&L net of costs (currency), costs and traded notional (fractions of NAV). */
  readonly assetPnl: Float64Array;
  readonly assetCosts: Float64Array;
  readonly assetTraded: Float64Array;
  /** Holdings after the last close, currency. */ readonly holdings: Float64Array;
  /** Round trips in order of closing (with `recordTrades`). */ readonly trades: readonly RoundTrip[];
}

/** Number of entries of the ascending array `a` that are ≤ x. */
export function upperBound(a: ArrayLike<number>, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Rebalance flags of a schedule from date index `first` to the end (1 = the rule is called at that close). Weeks
 * start on Monday; "weekly" and "monthly" trade on the last date of each week or month in `dates`.
 */
export function rebalanceDays(dates: readonly Date[], schedule: RebalanceSchedule, first: number): Uint8Array {
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

/** Checks a schedule and a band, in the grammar of the caller's `action`. */
export function checkPolicies(action: string, rebalance: unknown, band: InertiaBand | undefined): void {
  if (typeof rebalance === "number") requireInteger(action, "rebalance", rebalance, { min: 1 });
  else if (!["daily", "weekly", "monthly"].includes(rebalance as string)) {
    throw rangeError(action, "rebalance", '"daily", "weekly", "monthly" or a positive integer', rebalance);
  }
  if (band === undefined) return;
  if (band === null || typeof band !== "object") throw rangeError(action, "band", "an object { width, mode }", band);
  requireKnownKeys(action, "band", band, ["width", "mode"]);
  requireNonNegative(action, "band.width", band.width);
  if (band.mode !== undefined && band.mode !== "target" && band.mode !== "edge") {
    throw rangeError(action, "band.mode", '"target" or "edge"', band.mode);
  }
}

/**
 * Books a rule's targets against a market (see the module notes).
 *
 * @throws {RangeError} If a panel's length is not dates × assets, an option is out of range, a long-only rule asks
 *   for a negative target, a target is not finite, or the NAV falls to zero or below (the book is bankrupt).
 *
 * @example A constant 50/50 book of two assets, rebalanced daily
 * ```ts
 * import assert from "node:assert/strict";
 * import { runBook } from "./kernel.ts";
 *
 * const dates = [1, 2, 3].map((d) => new Date(Date.UTC(2024, 0, d)));
 * const returns = Float64Array.from([0, 0, 0.1, -0.1, 0.1, -0.1]);
 * const book = runBook({ dates, assets: 2, returns }, (_, target) => void target.fill(0.5));
 * assert.ok(Math.abs(book.nav[2] - 1) < 1e-15); // +5 % − 5 % each day on a rebalanced book: 1.0 · 1.0
 * ```
 */
export function runBook(market: BookMarket, rule: TargetRule, opts: BookOptions = {}): BookResult {
  const action = "run backtest";
  // The shapes first, in the caller's names: the market object, its dates, the rule and every option key.
  requireObject(action, "market", market);
  requireDates(action, "market.dates", market.dates);
  requireFunction(action, "rule", rule);
  requireOptions(action, "opts", opts, [
    "capital",
    "targets",
    "rebalance",
    "band",
    "longOnly",
    "unlevered",
    "cost",
    "from",
    "to",
    "recordTrades",
  ]);
  for (const key of ["returns", "cashReturn", "rolls"] as const) {
    const a = market[key];
    if ((key === "returns" || a !== undefined) && !ArrayBuffer.isView(a) && !Array.isArray(a)) {
      throw typeError(action, `market.${key}`, "an array of numbers", a);
    }
  }
  for (const key of ["longOnly", "unlevered", "recordTrades"] as const) {
    if (opts[key] !== undefined) requireBoolean(action, key, opts[key]);
  }
  if (opts.cost !== undefined) requireFunction(action, "cost", opts.cost);
  const T = market.dates.length, N = market.assets;
  requireInteger(action, "market.assets", N, { min: 1 });
  if (T === 0) throw rangeError(action, "market.dates", "non-empty", 0);
  const panel = (name: string, a: ArrayLike<number> | undefined) => {
    if (a !== undefined && a.length !== T * N) {
      throw rangeError(action, name, `a dates × assets panel of ${T}×${N}`, new Received(`length ${a.length}`));
    }
  };
  panel("market.returns", market.returns);
  panel("market.rolls", market.rolls);
  if (market.cashReturn !== undefined && market.cashReturn.length !== T) {
    throw rangeError(action, "market.cashReturn", `of length ${T}`, market.cashReturn.length);
  }
  const componentNames = Object.keys(market.components ?? {});
  const components = componentNames.map((k) => market.components![k]);
  componentNames.forEach((k, c) => panel(`market.components.${k}`, components[c]));
  const exposureNames = Object.keys(market.exposures ?? {});
  const loadingA: Float64Array[] = [], loadingB: (Float64Array | null)[] = [];
  for (const k of exposureNames) {
    const e = market.exposures![k];
    const [a, b] = e instanceof Float64Array ? [e, null] : [e[0], e[1]];
    panel(`market.exposures.${k}`, a);
    if (b) panel(`market.exposures.${k}[1]`, b);
    loadingA.push(a), loadingB.push(b);
  }
  const funded = new Uint8Array(N).fill(1);
  if (market.funded !== undefined && typeof market.funded !== "boolean") {
    if (market.funded.length !== N) throw rangeError(action, "market.funded", `of length ${N}`, market.funded.length);
    for (let i = 0; i < N; i++) funded[i] = market.funded[i] ? 1 : 0;
  } else if (market.funded === false) funded.fill(0);

  const capital = requirePositive(action, "capital", opts.capital ?? 1);
  const notional = opts.targets === "notional";
  if (opts.targets !== undefined && opts.targets !== "weights" && !notional) {
    throw rangeError(action, "targets", '"weights" or "notional"', opts.targets);
  }
  const schedule = opts.rebalance ?? "daily";
  checkPolicies(action, schedule, opts.band);
  const band = opts.band?.width ?? 0;
  const toEdge = opts.band?.mode === "edge";
  const first = opts.from ?? 0, last = opts.to ?? T - 1;
  requireInteger(action, "from", first, { min: 0, max: T - 1 });
  requireInteger(action, "to", last, { min: first, max: T - 1 });
  const longOnly = opts.longOnly ?? false, unlevered = opts.unlevered ?? false;
  const cost = opts.cost;
  const record = opts.recordTrades ?? false;
  const trade = rebalanceDays(market.dates, schedule, first);
  const R = market.returns, rolls = market.rolls, cashReturn = market.cashReturn;

  const n = last - first + 1;
  const out = {
    nav: new Float64Array(n),
    grossNav: new Float64Array(n),
    pnl: new Float64Array(n),
    returns: new Float64Array(n),
    grossReturns: new Float64Array(n),
    costs: new Float64Array(n),
    costsCurrency: new Float64Array(n),
    turnover: new Float64Array(n),
    cash: new Float64Array(n),
    gross: new Float64Array(n),
    positions: new Int32Array(n),
    cashPnl: new Float64Array(n),
  };
  const componentPnl = components.map(() => new Float64Array(n));
  const exposures = loadingA.map(() => new Float64Array(n));
  const nc = components.length, ne = loadingA.length;
  const comp0 = components[0], comp1 = components[1];
  const sums = new Float64Array(Math.max(nc, ne));
  const assetPnl = new Float64Array(N), assetCosts = new Float64Array(N), assetTraded = new Float64Array(N);
  const h = new Float64Array(N), target = new Float64Array(N), weight = new Float64Array(N), next = new Float64Array(N);
  const tradeCost = new Float64Array(N);
  const tradePnl = new Float64Array(N), held = new Int32Array(N), entry = new Int32Array(N).fill(-1);
  const trades: RoundTrip[] = [];
  const ledger: Ledger = { record, tradeCost, assetPnl, tradePnl, held, entry, trades };
  const state: BookState = { t: first, nav: capital, holdings: h, tradePnl, held, reason: "" };
  let cash = capital, nav = capital, grossNav = capital;

  for (let j = 0; j < n; j++) {
    const t = first + j, row = t * N;
    // 1. Earn date t's returns on the holdings kept since the last close.
    let pnl = 0, cashPnl = 0;
    if (j > 0) {
      let s0 = 0, s1 = 0;
      for (let i = 0; i < N; i++) {
        const hi = h[i];
        if (hi === 0) continue;
        const k = row + i;
        const p = hi * R[k];
        pnl += p, assetPnl[i] += p, tradePnl[i] += p, held[i]++;
        if (funded[i]) h[i] = hi + p;
        else cash += p;
        if (nc > 0) {
          s0 += hi * comp0[k];
          if (nc > 1) {
            s1 += hi * comp1[k];
            for (let c = 2; c < nc; c++) sums[c] += hi * components[c][k];
          }
        }
      }
      if (nc > 0) componentPnl[0][j] = s0;
      if (nc > 1) componentPnl[1][j] = s1;
      for (let c = 2; c < nc; c++) (componentPnl[c][j] = sums[c]), (sums[c] = 0);
      if (cashReturn) (cashPnl = cash * cashReturn[t]), (cash += cashPnl), (pnl += cashPnl);
    }
    const before = nav;
    nav += pnl;
    if (!(nav > 0)) {
      throw rangeError(action, "the book's NAV", `> 0 (the book is bankrupt on ${isoDate(market.dates[t])})`, nav);
    }
    // 2. Forced round trips at the close: held assets that must be rolled.
    let costFraction = 0, traded = 0;
    if (rolls) {
      for (let i = 0; i < N; i++) {
        if (h[i] === 0 || !rolls[row + i]) continue;
        const q = (2 * Math.abs(h[i])) / nav;
        const k = cost ? cost(q, t, i) : 0;
        costFraction += k, traded += q, assetCosts[i] += k, assetTraded[i] += q;
        tradePnl[i] -= k * nav, assetPnl[i] -= k * nav;
      }
    }
    // 3. Rebalance towards the rule's targets.
    let reason = "";
    if (trade[t]) {
      target.fill(0);
      (state as { t: number }).t = t;
      (state as { nav: number }).nav = nav;
      state.reason = "";
      if (rule(state, target) !== false) {
        reason = state.reason;
        let invested = 0, targetSum = 0;
        for (let i = 0; i < N; i++) {
          const x = notional ? target[i] / nav : target[i];
          if (!Number.isFinite(x)) throw rangeError(action, `target[${i}] at ${isoDate(market.dates[t])}`, "finite", x);
          if (longOnly && x < 0) {
            throw rangeError(action, `target[${i}] at ${isoDate(market.dates[t])}`, ">= 0 in a long-only book", x);
          }
          const w = h[i] / nav, gap = w - x;
          let nx = w;
          if (Math.abs(gap) > band) nx = toEdge && x > 0 ? x + Math.sign(gap) * band : x;
          next[i] = nx;
          weight[i] = x;
          if (funded[i]) (invested += nx), (targetSum += x);
        }
        if (unlevered) invested = applyBudget(N, funded, h, nav, weight, next, invested, targetSum, toEdge);
        // A notional target without a band or budget is booked exactly as asked; otherwise the new weights are.
        const exact = notional && band === 0 && !unlevered;
        for (let i = 0; i < N; i++) {
          const nh = exact ? target[i] : next[i] * nav;
          const dh = nh - h[i];
          if (dh === 0) continue;
          const q = Math.abs(dh) / nav;
          const k = cost ? cost(q, t, i) : 0;
          costFraction += k, traded += q, assetCosts[i] += k, assetTraded[i] += q;
          tradeCost[i] = k * nav;
          if (funded[i]) cash -= dh;
          bookTrade(ledger, i, h[i], nh, t, reason);
          h[i] = nh;
        }
        // Cash is what the funded weights leave: NAV·(1 − Σ funded wᵢ), without the rounding of the sum of trades.
        if (!exact) cash = nav * (1 - invested);
      }
    }
    // 4. Pay the costs pro rata out of cash and the funded positions; book the date.
    const costs = costFraction * nav;
    if (costFraction !== 0) {
      const keep = 1 - costFraction;
      cash *= keep;
      for (let i = 0; i < N; i++) if (funded[i] && h[i] !== 0) h[i] *= keep;
    }
    nav -= costs;
    if (j > 0) grossNav *= 1 + pnl / before;
    let count = 0, grossExposure = 0;
    const inv = 1 / nav;
    for (let i = 0; i < N; i++) {
      const hi = h[i];
      if (hi === 0) continue;
      const w = hi * inv, k = row + i;
      count++, grossExposure += w < 0 ? -w : w;
      for (let c = 0; c < ne; c++) {
        const b = loadingB[c];
        sums[c] += b === null ? w * loadingA[c][k] : w * loadingA[c][k] * b[k];
      }
    }
    for (let c = 0; c < ne; c++) (exposures[c][j] = sums[c]), (sums[c] = 0);
    out.nav[j] = nav, out.grossNav[j] = grossNav, out.pnl[j] = pnl - costs;
    out.returns[j] = (pnl - costs) / before; // on the first date: the cost of building the book, on the capital
    out.grossReturns[j] = pnl / before;
    out.costs[j] = costFraction, out.costsCurrency[j] = costs, out.turnover[j] = traded;
    out.cash[j] = cash / nav, out.gross[j] = grossExposure, out.positions[j] = count, out.cashPnl[j] = cashPnl;
  }
  if (record) {
    for (let i = 0; i < N; i++) {
      if (entry[i] >= 0) {
        trades.push({
          asset: i,
          entry: entry[i],
          exit: last,
          direction: Math.sign(h[i]),
          pnl: tradePnl[i],
          reason: "open at end",
        });
      }
    }
  }
  return {
    dates: market.dates.slice(first, last + 1),
    ...out,
    componentPnl: Object.fromEntries(componentNames.map((k, c) => [k, componentPnl[c]])),
    exposures: Object.fromEntries(exposureNames.map((k, c) => [k, exposures[c]])),
    assetPnl,
    assetCosts,
    assetTraded,
    holdings: h,
    trades,
  };
}

/** What the round-trip bookkeeping writes: per-asset arrays of {@linkcode runBook} and the list of round trips. */
interface Ledger {
  readonly record: boolean;
  readonly tradeCost: Float64Array;
  readonly assetPnl: Float64Array;
  readonly tradePnl: Float64Array;
  readonly held: Int32Array;
  readonly entry: Int32Array;
  readonly trades: RoundTrip[];
}

/** Round-trip bookkeeping of one trade from `from` to `to` (currency), costs split pro rata between the legs. */
function bookTrade(L: Ledger, i: number, from: number, to: number, t: number, why: string): void {
  const k = L.tradeCost[i];
  L.assetPnl[i] -= k;
  const flip = from !== 0 && to !== 0 && (to > 0) !== (from > 0);
  const closes = from !== 0 && (to === 0 || flip);
  const opens = to !== 0 && (from === 0 || flip);
  const closeShare = flip ? Math.abs(from) / (Math.abs(from) + Math.abs(to)) : closes ? 1 : 0;
  if (closes) {
    L.tradePnl[i] -= k * closeShare;
    if (L.record) {
      L.trades.push({
        asset: i,
        entry: L.entry[i],
        exit: t,
        direction: Math.sign(from),
        pnl: L.tradePnl[i],
        reason: why,
      });
    }
    L.entry[i] = -1, L.tradePnl[i] = 0, L.held[i] = 0;
  }
  if (opens) (L.entry[i] = t), (L.tradePnl[i] = -k * (1 - closeShare)), (L.held[i] = 0);
  else if (!closes) L.tradePnl[i] -= k; // a resize of an open position
}

/** The unlevered budget of the module notes, on the new weights `next`; returns Σ funded next. */
function applyBudget(
  N: number,
  funded: Uint8Array,
  h: Float64Array,
  nav: number,
  target: Float64Array,
  next: Float64Array,
  invested: number,
  targetSum: number,
  toEdge: boolean,
): number {
  // Trading to the edge leaves cash, which is invested pro rata in the targets.
  if (toEdge && targetSum > 0 && invested < targetSum) {
    const spare = targetSum - invested;
    for (let i = 0; i < N; i++) if (funded[i] && target[i] > 0) next[i] += (spare * target[i]) / targetSum;
    invested = targetSum;
  }
  if (invested <= 1 + 1e-12) return invested;
  // No leverage: positions without a target are sold first, then purchases shrink (then, if need be, everything).
  for (let i = 0; i < N; i++) if (funded[i] && target[i] === 0 && next[i] > 0) (invested -= next[i]), (next[i] = 0);
  if (invested <= 1 + 1e-12) return invested;
  let buys = 0;
  for (let i = 0; i < N; i++) if (funded[i] && next[i] > h[i] / nav) buys += next[i] - h[i] / nav;
  const excess = invested - 1;
  const keep = buys > excess ? 1 - excess / buys : 0;
  invested = 0;
  for (let i = 0; i < N; i++) {
    if (!funded[i]) continue;
    const w = h[i] / nav;
    if (next[i] > w) next[i] = w + keep * (next[i] - w);
    invested += next[i];
  }
  if (invested > 1) {
    for (let i = 0; i < N; i++) if (funded[i]) next[i] /= invested;
    invested = 1;
  }
  return invested;
}
