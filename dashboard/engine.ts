/**
 * The dashboard's computations on `lib/`: the same calls as notebooks 03 (the bond desk) and 04 (the CDX overlay),
 * with caches so that moving a control recomputes only what depends on it.
 *
 *     market      the Treasury curves of the data source, 2007–2024                       once per server
 *     universe    generateBondUniverse + deskSignals (+ the factors' cross-sectional ranks) per seed × issuers
 *     composite   Σ wₖ·rankzₖ / Σ|wₖ| of the cached ranks (compositeSignal's formula)    per weights
 *     books       runBacktest: the desk (the chosen policy), the naive desk (daily, no band) and the
 *                 benchmark (equal-weight universe, monthly)                                per policy and window
 *     ledger      the desk's rule booked on runBook with exposures per rating and sector and the final holdings,
 *                 for the exposures view (runBacktest reports only the totals)             per policy and window
 *     overlay     loadOverlayHistory + the three CDX signals once; runOverlayBacktest per window and cost model
 *
 * Every cache is a small LRU, so memory stays bounded whatever a client asks for.
 * @module
 */
import pl from "nodejs-polars";
import {
  aggregateSignals,
  type BacktestResult,
  bondPanels,
  type BondUniverse,
  computeCdxEtfBasis,
  computeCdxVixGap,
  computeSpreadMomentum,
  costFunction,
  type CostModel,
  crossSectionalRank,
  dateColumn,
  type DeskSignals,
  deskSignals,
  generateBondUniverse,
  isoDate,
  loadOverlayHistory,
  loadTreasuryYields,
  type MarketDataSource,
  type OverlayBacktestResult,
  type OverlayHistory,
  overlaySummary,
  type Panel,
  RATINGS,
  runBacktest,
  runBook,
  runOverlayBacktest,
  SECTORS,
  signalSeries,
  type SummaryRow,
  type TreasuryCurves,
  treasuryCurves,
} from "../lib/mod.ts";
import { upperBound } from "../lib/backtest/kernel.ts"; // the kernel's rank search, as the desk rule uses it
import { type DashboardParams, DEFAULT_LIMITS, equalWeights, type QueryLimits, rebalanceLabel } from "./params.ts";

/** The market window of notebook 03: the first year warms up the value signal. */
export const MARKET_START = "2007-01-01";
export const MARKET_END = "2024-12-31";
/** The desk holds the top fifth of the composite, rank-weighted (notebook 03). */
export const TOP_FRACTION = 0.2;
/** The impact model behind `costs=impact`: k = 1 half spread at 100 % of daily volume, ADV = 0.2 % of the issue. */
export const IMPACT = { coefficient: 1, volumeShare: 0.002 } as const;
/** The overlay of notebook 04: weights, thresholds, notional, capital and costs. */
export const OVERLAY = {
  start: "2007-04-11",
  end: "2024-12-31",
  lookback: 20,
  weights: { basis_signal: 0.4, vix_gap: 0.3, momentum: 0.3 },
  entry: 1.5,
  exit: 0.75,
  notional: 10_000_000,
  capital: 10_000_000,
  costBp: 1,
} as const;

/** A least-recently-used cache of at most `size` entries. */
export class Lru<V> {
  readonly #map = new Map<string, V>();
  constructor(readonly size: number) {}
  /** The cached value of `key`, made by `make` on a miss; `hit` tells the caller which it was. */
  get(key: string, make: () => V): V {
    const found = this.#map.get(key);
    if (found !== undefined || this.#map.has(key)) {
      this.#map.delete(key);
      this.#map.set(key, found as V);
      return found as V;
    }
    const value = make();
    this.#map.set(key, value);
    while (this.#map.size > this.size) this.#map.delete(this.#map.keys().next().value!);
    return value;
  }
  has(key: string): boolean {
    return this.#map.has(key);
  }
  get length(): number {
    return this.#map.size;
  }
}

/** What the page header says about the data. */
export interface MarketInfo {
  readonly kind: "real" | "synthetic";
  /** "real market data from …" or "synthetic stand-in market". */ readonly label: string;
  /** Why the stand-in is used, for a synthetic source. */ readonly reason?: string;
  /** First and last date of the market (the Treasury curves the universe is priced on). */
  readonly first: string;
  readonly last: string;
  /** First and last date of the overlay's aligned history (HY OAS, VIX, HYG). */
  readonly overlayFirst: string;
  readonly overlayLast: string;
  /** The overlay history's label ("Real 2007–2024" / "Stand-in 2007–2024"). */ readonly overlayLabel: string;
}

/** One universe and everything that depends only on it. */
export interface UniverseEntry {
  readonly key: string;
  readonly universe: BondUniverse;
  readonly panels: ReturnType<typeof bondPanels>;
  readonly signals: DeskSignals;
  /** Cross-sectional rank-z of carry, momentum and value (for other weights than equal), built on first use. */
  ranks(): { carry: Float64Array; momentum: Float64Array; value: Float64Array };
  /** Bucket masks (1 where the bond slot is in the bucket) and the duration × spread panel, built on first use. */
  masks(): BucketMasks;
  /** The benchmark's signal: every bond, equally. */ readonly ones: Panel;
  /** Time it took to build, ms. */ readonly buildMs: number;
}

/** Dates × bonds masks of each rating and sector present, and the DTS loading D·s. */
export interface BucketMasks {
  readonly ratings: readonly string[];
  readonly sectors: readonly string[];
  readonly rating: Readonly<Record<string, Float64Array>>;
  readonly sector: Readonly<Record<string, Float64Array>>;
  readonly dts: Float64Array;
}

/** The desk's book booked on the kernel with exposures per bucket (see the module notes). */
export interface DeskLedger {
  readonly dates: Date[];
  readonly nav: Float64Array;
  readonly costs: Float64Array;
  readonly turnover: Float64Array;
  /** Spread duration Σ wᵢ·Dᵢ and DTS Σ wᵢ·Dᵢ·sᵢ, total and per bucket; weight Σ wᵢ per bucket. */
  readonly spreadDuration: Float64Array;
  readonly dts: Float64Array;
  readonly byRating: Readonly<Record<string, { duration: Float64Array; dts: Float64Array; weight: Float64Array }>>;
  readonly bySector: Readonly<Record<string, { duration: Float64Array; dts: Float64Array; weight: Float64Array }>>;
  /** Weights after the last close, and each bond slot's P&L over the window (fractions of the starting NAV). */
  readonly weights: Float64Array;
  readonly pnl: Float64Array;
  /** Date index (into the universe) of the last booked date. */ readonly last: number;
}

/** The overlay booked on one window. */
export interface OverlayRun {
  readonly run: OverlayBacktestResult;
  readonly summary: SummaryRow[];
  readonly signals: ReturnType<typeof signalSeries>;
  readonly costBp: number;
}

/** Labels of the three bond books. */
export interface BookLabels {
  readonly desk: string;
  readonly naive: string;
  readonly benchmark: string;
}

/** The computations of one dashboard state; each is made on first use and cached. */
export interface Computation {
  readonly params: DashboardParams;
  readonly labels: BookLabels;
  universe(): UniverseEntry;
  composite(): Panel;
  desk(): BacktestResult;
  naive(): BacktestResult;
  benchmark(): BacktestResult;
  ledger(): DeskLedger;
  overlay(): OverlayRun;
  /** Milliseconds spent computing (cache misses) so far. */ computeMs(): number;
}

/** Options of {@linkcode createEngine}. */
export interface EngineOptions {
  /** Universes kept in memory (default 3; one of 300 issuers over 2007–2024 holds about 350 MB with its masks). */
  readonly universes?: number;
}

/** The engine of a dashboard server on one data source. */
export interface Engine {
  readonly source: MarketDataSource;
  readonly info: MarketInfo;
  readonly limits: QueryLimits;
  /** The (lazy) computations of a state. */ compute(params: DashboardParams): Computation;
  /** Whether the universe of a seed and size is already built. */ hasUniverse(seed: number, issuers: number): boolean;
}

/** The cost model of a state. */
export function costModel(p: Pick<DashboardParams, "costs" | "aum">): CostModel | undefined {
  if (p.costs === "none") return { bidAsk: false };
  if (p.costs === "impact") return { impact: { ...IMPACT, aum: p.aum * 1e6 } };
  return undefined; // half the bid-ask, runBacktest's default
}

/** The three book labels of a state ("Desk: weekly, ±0.5 % band to target"). */
export function bookLabels(p: DashboardParams): BookLabels {
  const schedule = rebalanceLabel(p.rebalance);
  const band = p.band === 0
    ? "no band"
    : `±${Number((p.band * 100).toPrecision(6))} % band${p.mode === "edge" ? " to edge" : ""}`;
  return { desk: `Desk (${schedule}, ${band})`, naive: "Naive (daily, no band)", benchmark: "Equal-weight universe" };
}

/**
 * Builds the engine: loads the Treasury curves and the overlay history of `source` once.
 *
 * @throws {MarketDataError} If the source lacks a file or a file is malformed.
 */
export function createEngine(source: MarketDataSource, opts: EngineOptions = {}): Engine {
  const curves: TreasuryCurves = treasuryCurves(loadTreasuryYields(source), { start: MARKET_START, end: MARKET_END });
  const dates = curves.dates;
  const history: OverlayHistory = loadOverlayHistory({ source, start: OVERLAY.start, end: OVERLAY.end });
  const overlaySignals = aggregateSignals({
    basis: computeCdxEtfBasis(history.cdx, history.etf, {
      lookback: OVERLAY.lookback,
      multiple: 1,
      duration: 4,
      price: "adj_close",
    }),
    vixGap: computeCdxVixGap(history.cdx, history.vix, { lookback: OVERLAY.lookback }),
    momentum: computeSpreadMomentum(history.cdx, { lookback: OVERLAY.lookback }),
  }, { weights: OVERLAY.weights, threshold: OVERLAY.entry });
  const overlayDates = dateColumn(history.cdx);
  const info: MarketInfo = {
    kind: source.kind,
    label: source.label,
    reason: source.kind === "synthetic" ? source.reason : undefined,
    first: isoDate(dates[0]),
    last: isoDate(dates[dates.length - 1]),
    overlayFirst: isoDate(overlayDates[0]),
    overlayLast: isoDate(overlayDates[overlayDates.length - 1]),
    overlayLabel: history.label,
  };
  const lastDate = info.last < DEFAULT_LIMITS.lastDate ? info.last : DEFAULT_LIMITS.lastDate;
  const limits: QueryLimits = { ...DEFAULT_LIMITS, lastDate };

  const universes = new Lru<UniverseEntry>(opts.universes ?? 3);
  const composites = new Lru<Panel>(6);
  const books = new Lru<BacktestResult>(24);
  const ledgers = new Lru<DeskLedger>(4);
  const overlays = new Lru<OverlayRun>(8);

  const universeOf = (seed: number, issuers: number): UniverseEntry =>
    universes.get(`${seed}|${issuers}`, () => buildUniverse(curves, seed, issuers));

  function compute(p: DashboardParams): Computation {
    let spent = 0;
    const timed = <T>(f: () => T): T => {
      const t0 = performance.now();
      try {
        return f();
      } finally {
        spent += performance.now() - t0;
      }
    };
    const uKey = `${p.seed}|${p.issuers}`;
    const wKey = `${uKey}|${p.weights.carry}|${p.weights.momentum}|${p.weights.value}`;
    const window = `${p.start}|${p.end}|${p.costs}|${p.costs === "impact" ? p.aum : ""}`;
    const policy = `${p.rebalance}|${p.band}|${p.mode}`;
    const universe = () => timed(() => universeOf(p.seed, p.issuers));
    const composite = () => timed(() => composites.get(wKey, () => compositeOf(universe(), p)));
    const costs = costModel(p);
    const base = () => ({
      market: universe().panels,
      signal: composite(),
      start: p.start,
      end: p.end,
      topFraction: TOP_FRACTION,
      weighting: "rank" as const,
      costs,
    });
    const desk = () =>
      timed(() =>
        books.get(
          `desk|${wKey}|${window}|${policy}`,
          () => runBacktest({ ...base(), rebalance: p.rebalance, band: { width: p.band, mode: p.mode } }),
        )
      );
    const naive = () =>
      timed(() => books.get(`naive|${wKey}|${window}`, () => runBacktest({ ...base(), rebalance: "daily" })));
    const benchmark = () =>
      timed(() =>
        books.get(`benchmark|${uKey}|${window}`, () =>
          runBacktest({
            market: universe().panels,
            signal: universe().ones,
            start: p.start,
            end: p.end,
            topFraction: 1,
            rebalance: "monthly",
            costs,
          }))
      );
    const ledger = () =>
      timed(() => ledgers.get(`${wKey}|${window}|${policy}`, () => deskLedger(universe(), composite(), p)));
    const overlay = () =>
      timed(() =>
        overlays.get(`${p.start}|${p.end}|${p.costs === "none"}`, () => overlayRun(overlaySignals, history, p))
      );
    return {
      params: p,
      labels: bookLabels(p),
      universe,
      composite,
      desk,
      naive,
      benchmark,
      ledger,
      overlay,
      computeMs: () => spent,
    };
  }

  return {
    source,
    info,
    limits,
    compute,
    hasUniverse: (seed, issuers) => universes.has(`${seed}|${issuers}`),
  };
}

function buildUniverse(curves: TreasuryCurves, seed: number, issuers: number): UniverseEntry {
  const t0 = performance.now();
  const universe = generateBondUniverse({ curves, issuers, seed });
  const signals = deskSignals(universe);
  const panels = bondPanels(universe);
  let ranks: ReturnType<UniverseEntry["ranks"]> | undefined;
  let masks: BucketMasks | undefined;
  return {
    key: `${seed}|${issuers}`,
    universe,
    panels,
    signals,
    ones: { ...signals.composite, values: new Float64Array(signals.composite.values.length).fill(1) },
    ranks: () =>
      ranks ??= {
        carry: crossSectionalRank(signals.carry).values,
        momentum: crossSectionalRank(signals.momentum).values,
        value: crossSectionalRank(signals.value).values,
      },
    masks: () => masks ??= bucketMasks(universe),
    buildMs: performance.now() - t0,
  };
}

/**
 * The composite of the state's weights. Equal weights give the desk's default composite (`deskSignals`); other
 * weights combine the cached rank-z panels with `compositeSignal`'s formula and order of operations,
 *
 *     compositeᵢ(t) = Σₖ (wₖ / Σ|w|) · rankzₖ,ᵢ(t)        (carry, momentum, value; NaN propagates)
 *
 * so the result is bit for bit `deskSignals(universe, { weights }).composite` without ranking the panels again.
 */
export function compositeOf(entry: UniverseEntry, p: Pick<DashboardParams, "weights">): Panel {
  if (equalWeights(p)) return entry.signals.composite;
  const z = entry.ranks();
  const { carry, momentum, value } = p.weights;
  const total = Math.abs(carry) + Math.abs(momentum) + Math.abs(value);
  const out = new Float64Array(z.carry.length);
  for (const [w, values] of [[carry, z.carry], [momentum, z.momentum], [value, z.value]] as const) {
    const share = w / total;
    for (let k = 0; k < out.length; k++) out[k] += share * values[k];
  }
  return { rows: entry.signals.composite.rows, cols: entry.signals.composite.cols, values: out };
}

function bucketMasks(u: BondUniverse): BucketMasks {
  const T = u.dates.length, N = u.bonds.length;
  const mask = (member: (i: number) => boolean) => {
    const m = new Float64Array(T * N);
    for (let i = 0; i < N; i++) if (member(i)) { for (let t = 0; t < T; t++) m[t * N + i] = 1; }
    return m;
  };
  const ratings = RATINGS.filter((r) => u.bonds.some((b) => b.rating === r));
  const sectors = SECTORS.filter((s) => u.bonds.some((b) => b.sector === s));
  const dts = new Float64Array(T * N);
  for (let k = 0; k < dts.length; k++) dts[k] = u.duration[k] * u.spread[k];
  return {
    ratings,
    sectors,
    rating: Object.fromEntries(ratings.map((r) => [r, mask((i) => u.bonds[i].rating === r)])),
    sector: Object.fromEntries(sectors.map((s) => [s, mask((i) => u.bonds[i].sector === s)])),
    dts,
  };
}

/**
 * The desk of `runBacktest` (top fraction, rank-weighted, long-only, unlevered, same schedule, band and costs)
 * booked directly on `runBook`, with the per-bucket exposures and final holdings that `runBacktest` does not
 * report. Its NAV equals `runBacktest`'s bit for bit (a test keeps it so): the rule below is the one of
 * `lib/backtest/bond_desk.ts`, which does not export it.
 */
export function deskLedger(entry: UniverseEntry, signal: Panel, p: DashboardParams): DeskLedger {
  const u = entry.panels, N = u.ratings.length, T = u.dates.length;
  const startTime = Date.parse(`${p.start}T00:00:00Z`), endTime = Date.parse(`${p.end}T00:00:00Z`);
  const first = u.dates.findIndex((d) => d.getTime() >= startTime);
  let last = T - 1;
  while (last >= 0 && u.dates[last].getTime() > endTime) last--;
  if (first < 0 || first > last) {
    throw new RangeError(
      `Cannot book desk ledger: start and end must be a window holding at least one date, received ${p.start} to ${p.end}`,
    );
  }
  const cost = costFunction(costModel(p));
  const amount = u.amounts, bidAsk = u.bidAsk;
  const scores = new Float64Array(N);
  const values = signal.values, top = TOP_FRACTION;
  const rule = (state: { t: number }, target: Float64Array) => {
    const row = state.t * N;
    let m = 0;
    for (let i = 0; i < N; i++) {
      const s = values[row + i];
      if (!Number.isNaN(s)) scores[m++] = s;
    }
    if (m === 0) return;
    const K = Math.max(1, Math.ceil(top * m));
    const sorted = scores.subarray(0, m).sort();
    const threshold = sorted[m - K];
    let total = 0;
    for (let i = 0; i < N; i++) {
      const s = values[row + i];
      if (!(s >= threshold)) continue;
      target[i] = upperBound(sorted, s) - (m - K);
      total += target[i];
    }
    for (let i = 0; i < N; i++) if (target[i] > 0) target[i] /= total;
  };
  const masks = entry.masks();
  const exposures: Record<string, Float64Array | readonly [Float64Array, Float64Array]> = {
    spreadDuration: u.duration,
    dts: [u.duration, u.spread],
  };
  for (const [kind, group] of [["rating", masks.rating], ["sector", masks.sector]] as const) {
    for (const [name, m] of Object.entries(group)) {
      exposures[`${kind}:duration:${name}`] = [u.duration, m];
      exposures[`${kind}:dts:${name}`] = [masks.dts, m];
      exposures[`${kind}:weight:${name}`] = m;
    }
  }
  const book = runBook(
    {
      dates: u.dates,
      assets: N,
      returns: u.totalReturn,
      cashReturn: u.cashReturn,
      exposures,
      rolls: u.replaced,
    },
    rule,
    {
      rebalance: p.rebalance,
      band: { width: p.band, mode: p.mode },
      longOnly: true,
      unlevered: true,
      cost: (q, t, i) => cost(q, bidAsk[t * N + i], amount[i]),
      from: first,
      to: last,
    },
  );
  const bucket = (kind: string, names: readonly string[]) =>
    Object.fromEntries(names.map((name) => [name, {
      duration: book.exposures[`${kind}:duration:${name}`],
      dts: book.exposures[`${kind}:dts:${name}`],
      weight: book.exposures[`${kind}:weight:${name}`],
    }]));
  const navEnd = book.nav[book.nav.length - 1];
  return {
    dates: book.dates,
    nav: book.nav,
    costs: book.costs,
    turnover: book.turnover,
    spreadDuration: book.exposures.spreadDuration,
    dts: book.exposures.dts,
    byRating: bucket("rating", masks.ratings),
    bySector: bucket("sector", masks.sectors),
    weights: Float64Array.from(book.holdings, (h) => h / navEnd),
    pnl: book.assetPnl, // the capital is 1: P&L in fractions of the starting NAV
    last,
  };
}

function overlayRun(signals: pl.DataFrame, history: OverlayHistory, p: DashboardParams): OverlayRun {
  const start = new Date(`${p.start}T00:00:00Z`), end = new Date(`${p.end}T00:00:00Z`);
  const window = signals.filter(pl.col("date").gtEq(start).and(pl.col("date").ltEq(end)));
  if (window.height < 2) {
    throw new RangeError(
      `Cannot run overlay: start and end must hold at least 2 dates of the overlay history (${history.label}), received ${p.start} to ${p.end}`,
    );
  }
  const costBp = p.costs === "none" ? 0 : OVERLAY.costBp;
  const run = runOverlayBacktest(window, history.cdx, {
    entry: OVERLAY.entry,
    exit: OVERLAY.exit,
    notional: OVERLAY.notional,
    costBp,
  });
  return { run, summary: overlaySummary(run, { capital: OVERLAY.capital }), signals: signalSeries(window), costBp };
}
