/**
 * The synthetic stand-in market: every market-data file of the kit, simulated with the kit's own models and
 * parameters calibrated to the real history (`calibrate.ts`, rerun with `deno run -A tools/calibrate.ts`).
 * Notebooks run on it when no real data is present; it has the schema of the real files, so the same code runs on
 * both.
 *
 * One joint daily model drives all series, so that they co-move as in the real market:
 *
 *     stress level      m(t) = μ + Σⱼ hⱼ·shapeⱼ(t)                  episodes of lib/market/history.ts, sizes hⱼ fitted
 *     VIX               log(VIX − floor) = a + b·m(t) + w(t),  w AR(1) with Student-t shocks
 *     credit factor     F(t) = m(t) + D(t),  D(t) = φ·D(t−1) + c₀·Δw(t) + c₁·Δw(t−1) + η(t),  η GARCH(1,1)-t
 *     ICE OAS, k        log sₖ(t) = aₖ + bₖ·F(t) + eₖ(t),  eₖ AR(1)
 *     Treasury curve    Nelson–Siegel: short end = Fed target path + OU; level = a + b·EWMA(policy) + g·m(t) + v(t)
 *                       with flight-to-quality shocks −q·ΔF; curvature OU; tenor-specific AR(1) noise
 *     Moody's yields    DAAA = DGS10 + (c + d·IG OAS + AR(1)),  DBAA likewise on BBB OAS; BAA10Y = DBAA − DGS10
 *     S&P 500           r(t) = μ + β·Δx(t) + k·VIX(t−1)/√252·z(t), z Student-t
 *     HYG, LQD          total return = c + b_s·Δs + b₁₀·Δy₁₀ + b₂·Δy₂ + k·VIX(t−1)·z; monthly distributions
 *     energy equities   r = α + β·r_m + γ·e(t) + σ·z;  e(t) energy factor with the oil-crash episodes
 *     balance sheets    ratios to total assets; income and asset growth driven by the year's equity return
 *     rating migration  exp(h·Q) of a banded generator Q, rating withdrawals, multinomial cohort noise
 *     S&P 500 panel     447 firms in the 11 GICS sectors, FY2012–2016: assets, leverage, EBIT margin and debt cost
 *                       per firm and sector (SP500_STAND_IN), year shocks; the file's quirks kept (see below)
 *
 * The episode calendar gives the stand-in the timing of real history (2008, 2020, 2022); set `episodes: false`
 * for a stationary market without it. Values are rounded as published (yields and spreads to 0.01 %).
 * @module
 */
import pl from "nodejs-polars";
import { gamma, makeRng, type Rng, type Seed, studentT } from "../core/rng.ts";
import { normInv } from "../core/special.ts";
import { businessDays, holidays, isoDate, parseIsoDate } from "../core/calendar.ts";
import { expm } from "../core/linalg.ts";
import { nelsonSiegelLoadings } from "../market/curve.ts";
import {
  ENERGY_EPISODES,
  episodeIncrements,
  exponentialAverage,
  FED_TARGET_PATH,
  stepPath,
} from "../market/history.ts";
import { type AR1, simulateAR1 } from "../market/ou.ts";
import { type CreditFactorParams, type GarchT, simulateCreditFactor, stressLevel } from "../market/credit_factor.ts";
import {
  GICS_SECTORS,
  KMV_TICKERS,
  MARKET_FILES,
  type MarketFileName,
  SP_RATINGS,
  TREASURY_TENORS,
} from "../data/schema.ts";
import { STAND_IN_PARAMS as CALIBRATED } from "./standin_params.ts";

/** Parameters of the stand-in market; the defaults {@linkcode STAND_IN_PARAMS} are calibrated to real data. */
export interface StandInParams {
  /** Where the parameters come from. */
  readonly calibration: string;
  /** First and last calendar date of the market. */
  readonly start: string;
  readonly end: string;
  /** The credit factor (lib/market/credit_factor.ts) and the ICE series on it. */
  readonly credit: CreditFactorParams & {
    /** c₀, c₁: response of the factor's deviation to today's and yesterday's VIX shock Δw. */
    readonly vixShock: number;
    readonly vixLag: number;
    /** log OAS of each ICE series = intercept + loading·F + AR(1) residual; values in percent. */
    readonly series: readonly {
      readonly name: string;
      readonly intercept: number;
      readonly loading: number;
      readonly residual: AR1;
    }[];
  };
  /** Moody's seasoned yields over the 10-year Treasury (percent) = intercept + loading·OAS + AR(1). */
  readonly moodys: {
    readonly aaa: { readonly intercept: number; readonly loading: number; readonly residual: AR1 };
    readonly baa: { readonly intercept: number; readonly loading: number; readonly residual: AR1 };
  };
  /** log(VIX − floor) = intercept + stressLoading·m(t) + w(t); w AR(1) with standardized Student-t(nu) shocks. */
  readonly vix: {
    readonly floor: number;
    readonly intercept: number;
    readonly stressLoading: number;
    readonly residual: AR1;
    readonly nu: number;
    /** Largest standardized shock on record above the median VIX; larger draws are redrawn (a truncated t). */
    readonly maxShock: number;
  };
  readonly rates: {
    /** Nelson–Siegel λ per year. */ readonly lambda: number;
    /** Short end minus the Fed target (decimal): mean plus AR(1). */ readonly short: { readonly mean: number } & AR1;
    readonly level: {
      readonly intercept: number;
      readonly policyLoading: number;
      readonly policyHalfLifeDays: number;
      readonly stressLoading: number;
      /** v(t) = persistence·v(t−1) + creditShock·ΔF(t) + sigma·z(t) */
      readonly persistence: number;
      readonly creditShock: number;
      readonly sigma: number;
    };
    readonly curvature: { readonly mean: number } & AR1;
    /** Tenor-specific noise around the Nelson–Siegel curve (decimal). */
    readonly tenorNoise: AR1;
  };
  readonly spx: {
    readonly startPrice: number;
    readonly drift: number;
    readonly vixBeta: number;
    readonly volScale: number;
    readonly nu: number;
    readonly logVolume: { readonly intercept: number; readonly trend: number } & AR1;
  };
  readonly etfs: Readonly<
    Record<"HYG" | "LQD", {
      readonly inception: string;
      readonly startPrice: number;
      readonly spreadSeries: string;
      readonly intercept: number;
      readonly spreadBeta: number;
      readonly y10Beta: number;
      readonly y2Beta: number;
      readonly volScale: number;
      /** Monthly distribution = share × (DGS5 + OAS) / 12 × price. */
      readonly distributionShare: number;
      readonly logVolume: { readonly intercept: number; readonly trend: number } & AR1;
    }>
  >;
  readonly equities: {
    readonly start: string;
    readonly end: string;
    readonly energy: {
      readonly drift: number;
      readonly sigma: number;
      readonly episodes: readonly { readonly name: string; readonly total: number }[];
    };
    readonly firms: readonly {
      readonly ticker: string;
      readonly startPrice: number;
      readonly alpha: number;
      readonly marketBeta: number;
      readonly energyBeta: number;
      readonly sigma: number;
      readonly dividendYield: number;
      readonly logVolume: number;
    }[];
  };
  readonly fundamentals: {
    readonly firms: readonly {
      readonly ticker: string;
      readonly firstFiscalYear: number;
      readonly years: number;
      readonly assetsToMarketCap: number;
      readonly shares: number;
      readonly ratios: {
        readonly cash: number;
        readonly shortTermDebt: number;
        readonly longTermDebt: number;
        readonly currentLiabilities: number;
        readonly liabilities: number;
      };
    }[];
    readonly returnOnAssets: { readonly intercept: number; readonly slope: number; readonly sigma: number };
    readonly assetGrowth: { readonly slope: number; readonly sigma: number };
  };
  readonly transitions: {
    /** Generator Q over AAA … CCC/C, D (rows sum to 0, D absorbing), per year. */
    readonly generator: readonly (readonly number[])[];
    /** Annual probability of rating withdrawal (NR) per rating. */
    readonly withdrawal: readonly number[];
    /** Issuers per rating in the simulated cohort (sets the sampling noise). */
    readonly cohort: readonly number[];
  };
}

/** The calibrated default parameters (generated by `tools/calibrate.ts`), checked against {@linkcode StandInParams}. */
export const STAND_IN_PARAMS: StandInParams = CALIBRATED;
export type { AR1, GarchT };

/** Options of {@linkcode standInMarket}. */
export interface StandInOptions {
  /** Parameters; default the calibrated {@linkcode STAND_IN_PARAMS}. */
  readonly params?: StandInParams;
  /** Impose the historical episode calendar (default true); false gives a stationary market. */
  readonly episodes?: boolean;
}

/** Every table of the stand-in market, keyed like `MARKET_FILES`, in the files' published units. */
export type StandInMarket = Record<MarketFileName, pl.DataFrame>;

const cache = new Map<string, StandInMarket>();

/**
 * One table of the stand-in market (cached per seed for the default parameters), in published units.
 */
export function standInTable(name: MarketFileName, seed: Seed): pl.DataFrame {
  const key = String(seed);
  let market = cache.get(key);
  if (!market) {
    market = standInMarket(seed);
    cache.set(key, market);
  }
  return market[name];
}

/**
 * Simulates the whole stand-in market.
 *
 * @param seed Seed; each component draws from its own named stream.
 * @returns One DataFrame per market file, with the schema and units of the real file.
 */
export function standInMarket(seed: Seed, opts: StandInOptions = {}): StandInMarket {
  const p = opts.params ?? STAND_IN_PARAMS;
  const useEpisodes = opts.episodes ?? true;
  const days = businessDays(p.start, p.end, "weekdays");
  const n = days.length;
  const bondClosed = closedSet(days, "bond");
  const nyseClosed = closedSet(days, "nyse");

  // Stress level, VIX and the credit factor with GARCH-t shocks and the VIX lead (lib/market/credit_factor.ts).
  const stress = stressLevel(days, p.credit, { episodes: useEpisodes });
  const w = simulateAR1(makeRng(seed, "vix"), n, p.vix.residual, { nu: p.vix.nu, maxShock: p.vix.maxShock });
  const logVix = Float64Array.from(
    stress,
    (m, t) => Math.log(p.vix.floor + Math.exp(p.vix.intercept + p.vix.stressLoading * m + w[t])),
  );
  const vixShocks = Float64Array.from(w, (x, t) => (t > 0 ? x - w[t - 1] : 0));
  const { factor } = simulateCreditFactor(makeRng(seed, "credit"), days, p.credit, {
    episodes: useEpisodes,
    exogenous: { shocks: vixShocks, now: p.credit.vixShock, lag: p.credit.vixLag },
  });
  const oas: Record<string, Float64Array> = {};
  for (const s of p.credit.series) {
    const e = simulateAR1(makeRng(seed, "oas", s.name), n, s.residual);
    oas[s.name] = Float64Array.from(factor, (f, t) => Math.exp(s.intercept + s.loading * f + e[t]));
  }

  // Treasury curve.
  const rates = simulateRates(seed, p, days, stress, factor);
  const moodysAaa = moodysSpread(makeRng(seed, "moodys", "aaa"), p.moodys.aaa, oas.BAMLC0A0CM);
  const moodysBaa = moodysSpread(makeRng(seed, "moodys", "baa"), p.moodys.baa, oas.BAMLC0A4CBBB);

  // FRED-style tables: every weekday, holidays as empty rows.
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const fedDates = days;
  const fedValue = (values: ArrayLike<number>, scale = 1) =>
    Array.from(values, (v, t) => (bondClosed[t] ? null : r2(v * scale)));
  const treasury: Record<string, (number | null)[]> = {};
  for (const [name, series] of Object.entries(rates.yields)) treasury[name] = fedValue(series, 100);
  // The 1-month bill was first published on 2001-07-31.
  const firstBill = parseIsoDate("2001-07-31").getTime();
  treasury.DGS1MO = treasury.DGS1MO.map((v, t) => (days[t].getTime() < firstBill ? null : v));
  const dgs10 = treasury.DGS10;
  const daaa = dgs10.map((y, t) => (y === null ? null : r2(y + moodysAaa[t])));
  const dbaa = dgs10.map((y, t) => (y === null ? null : r2(y + moodysBaa[t])));

  const vixClose = Array.from(logVix, (x) => r2(Math.exp(x)));
  const nyseIndex = days.map((_, t) => t).filter((t) => !nyseClosed[t]);

  const tables: Partial<StandInMarket> = {};
  tables.treasuryYields = frame(fedDates, MARKET_FILES.treasuryYields, treasury);
  tables.creditSpreads = frame(fedDates, MARKET_FILES.creditSpreads, {
    BAMLC0A0CM: fedValue(oas.BAMLC0A0CM),
    BAMLH0A0HYM2: fedValue(oas.BAMLH0A0HYM2),
    BAMLC0A1CAAA: fedValue(oas.BAMLC0A1CAAA),
    BAMLC0A4CBBB: fedValue(oas.BAMLC0A4CBBB),
    DAAA: daaa,
    DBAA: dbaa,
    BAA10Y: dbaa.map((y, t) => (y === null || dgs10[t] === null ? null : r2(y - dgs10[t]!))),
  });
  tables.vix = frame(days, MARKET_FILES.vix, {
    VIXCLS: days.map((_, t) => (nyseClosed[t] ? null : vixClose[t])),
  });
  const vixBars = ohlcBars(makeRng(seed, "vix", "bars"), nyseIndex.map((t) => vixClose[t]), 0.045, 2);
  tables.vixOhlc = frame(nyseIndex.map((t) => days[t]), MARKET_FILES.vixOhlc, vixBars);

  // S&P 500 and the energy equities.
  const spx = simulateSpx(seed, p, days, logVix, nyseIndex);
  tables.spx = frame(nyseIndex.map((t) => days[t]), MARKET_FILES.spx, spx.table);
  tables.hyg = simulateEtf(seed, p, "HYG", days, nyseIndex, oas, rates.yields, logVix);
  tables.lqd = simulateEtf(seed, p, "LQD", days, nyseIndex, oas, rates.yields, logVix);
  const equities = simulateEquities(seed, p, days, nyseIndex, spx.logReturn, useEpisodes);
  tables.equityPrices = equities.table;
  const fundamentals = simulateFundamentals(seed, p, equities.closes);
  tables.fundamentals = fundamentals;
  tables.kmvInputs = kmvInputs(fundamentals, equities.closes);
  Object.assign(tables, simulateTransitions(seed, p));
  tables.sp500Fundamentals = simulateSp500Fundamentals(seed);
  return tables as StandInMarket;
}

function closedSet(days: Date[], calendar: "bond" | "nyse"): Uint8Array {
  const out = new Uint8Array(days.length);
  let year = -1, closed = new Set<string>();
  days.forEach((d, t) => {
    if (d.getUTCFullYear() !== year) (year = d.getUTCFullYear()), (closed = holidays(year, calendar));
    out[t] = closed.has(isoDate(d)) ? 1 : 0;
  });
  return out;
}

function moodysSpread(rng: Rng, p: StandInParams["moodys"]["aaa"], oas: Float64Array): Float64Array {
  const e = simulateAR1(rng, oas.length, p.residual);
  return Float64Array.from(oas, (s, t) => p.intercept + p.loading * s + e[t]);
}

function simulateRates(seed: Seed, p: StandInParams, days: Date[], stress: Float64Array, factor: Float64Array) {
  const n = days.length;
  const r = p.rates;
  const policy = stepPath(days, FED_TARGET_PATH);
  const anchor = exponentialAverage(policy, r.level.policyHalfLifeDays);
  const shortDev = simulateAR1(makeRng(seed, "rates", "short"), n, r.short);
  const curvature = simulateAR1(makeRng(seed, "rates", "curvature"), n, r.curvature);
  const levelRng = makeRng(seed, "rates", "level");
  const level = new Float64Array(n);
  let v = 0;
  for (let t = 0; t < n; t++) {
    const dF = t > 0 ? factor[t] - factor[t - 1] : 0;
    v = r.level.persistence * v + r.level.creditShock * dF + r.level.sigma * normInv(levelRng());
    level[t] = r.level.intercept + r.level.policyLoading * anchor[t] + r.level.stressLoading * stress[t] + v;
  }
  const yields: Record<string, Float64Array> = {};
  for (const [name, tenor] of Object.entries(TREASURY_TENORS)) {
    const [, l1, l2] = nelsonSiegelLoadings(tenor, r.lambda);
    const noise = simulateAR1(makeRng(seed, "rates", name), n, r.tenorNoise);
    yields[name] = Float64Array.from(level, (L, t) => {
      const short = policy[t] + r.short.mean + shortDev[t];
      const y = L + (short - L) * l1 + (r.curvature.mean + curvature[t]) * l2 + noise[t];
      return Math.max(y, 0); // H.15 yields are floored at zero
    });
  }
  return { yields, policy };
}

/** OHLC bars around a close path: open gaps from the previous close, high/low extend beyond open and close. */
function ohlcBars(
  rng: Rng,
  closes: ArrayLike<number>,
  dailyVol: number | ArrayLike<number>,
  decimals: number,
): Record<"open" | "high" | "low" | "close", number[]> {
  const scale = Math.pow(10, decimals);
  const round = (x: number) => Math.round(x * scale) / scale;
  const out = { open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[] };
  for (let i = 0; i < closes.length; i++) {
    const vol = typeof dailyVol === "number" ? dailyVol : dailyVol[i];
    const close = round(closes[i]);
    const prev = i > 0 ? closes[i - 1] : closes[i];
    const open = round(prev * Math.exp(0.3 * vol * normInv(rng())));
    const high = Math.ceil(Math.max(open, close) * Math.exp(0.5 * vol * Math.abs(normInv(rng()))) * scale) / scale;
    const low = Math.floor(Math.min(open, close) * Math.exp(-0.5 * vol * Math.abs(normInv(rng()))) * scale) / scale;
    out.open.push(open), out.high.push(high), out.low.push(low), out.close.push(close);
  }
  return out;
}

function simulateSpx(seed: Seed, p: StandInParams, days: Date[], logVix: Float64Array, nyseIndex: number[]) {
  const rng = makeRng(seed, "spx");
  const n = days.length;
  const logReturn = new Float64Array(n); // per weekday; holidays accumulate into the next session
  for (let t = 1; t < n; t++) {
    const vol = (p.spx.volScale * Math.exp(logVix[t - 1])) / 100 / Math.sqrt(252);
    logReturn[t] = p.spx.drift + p.spx.vixBeta * (logVix[t] - logVix[t - 1]) +
      vol * studentT(rng, p.spx.nu, { standardized: true });
  }
  const closes: number[] = [];
  const vols: number[] = [];
  let level = Math.log(p.spx.startPrice);
  let prev = -1;
  for (const t of nyseIndex) {
    if (prev >= 0) { for (let s = prev + 1; s <= t; s++) level += logReturn[s]; }
    closes.push(Math.exp(level));
    vols.push(Math.exp(logVix[t]) / 100 / Math.sqrt(252));
    prev = t;
  }
  const bars = ohlcBars(makeRng(seed, "spx", "bars"), closes, vols, 2);
  const volume = logVolumePath(makeRng(seed, "spx", "volume"), nyseIndex.map((t) => days[t]), p.spx.logVolume);
  return { table: { ...bars, volume }, logReturn };
}

function logVolumePath(
  rng: Rng,
  dates: Date[],
  p: { readonly intercept: number; readonly trend: number } & AR1,
): number[] {
  const e = simulateAR1(rng, dates.length, p);
  const t0 = dates[0].getTime();
  return dates.map((d, i) => Math.round(Math.exp(p.intercept + p.trend * (d.getTime() - t0) / 3.15576e10 + e[i])));
}

function simulateEtf(
  seed: Seed,
  p: StandInParams,
  ticker: "HYG" | "LQD",
  days: Date[],
  nyseIndex: number[],
  oas: Record<string, Float64Array>,
  yields: Record<string, Float64Array>,
  logVix: Float64Array,
): pl.DataFrame {
  const e = p.etfs[ticker];
  const rng = makeRng(seed, "etf", ticker);
  const spread = oas[e.spreadSeries];
  const inception = parseIsoDate(e.inception).getTime();
  const index = nyseIndex.filter((t) => days[t].getTime() >= inception);
  const n = days.length;
  const totalReturn = new Float64Array(n);
  for (let t = 1; t < n; t++) {
    const vol = (e.volScale * Math.exp(logVix[t - 1])) / 100;
    totalReturn[t] = e.intercept + e.spreadBeta * (spread[t] - spread[t - 1]) / 100 +
      e.y10Beta * (yields.DGS10[t] - yields.DGS10[t - 1]) + e.y2Beta * (yields.DGS2[t] - yields.DGS2[t - 1]) +
      vol * normInv(rng());
  }
  const closes: number[] = [], dividends: number[] = [], growth: number[] = [];
  let close = e.startPrice, wealth = 1, prev = -1, month = -1;
  for (const t of index) {
    let r = 0;
    if (prev >= 0) { for (let s = prev + 1; s <= t; s++) r += totalReturn[s]; }
    const gross = close * Math.exp(r);
    let dividend = 0;
    const m = days[t].getUTCMonth();
    if (prev >= 0 && m !== month) {
      dividend = Math.round(close * e.distributionShare * (yields.DGS5[t] + spread[t] / 100) / 12 * 1e4) / 1e4;
    }
    month = m;
    close = gross - dividend;
    wealth *= Math.exp(r);
    closes.push(close), dividends.push(dividend), growth.push(wealth);
    prev = t;
  }
  const bars = ohlcBars(
    makeRng(seed, "etf", ticker, "bars"),
    closes,
    index.map((t) => Math.exp(logVix[t]) / 100 / Math.sqrt(252) * 0.4),
    2,
  );
  const last = bars.close[bars.close.length - 1] / growth[growth.length - 1];
  const volume = logVolumePath(makeRng(seed, "etf", ticker, "volume"), index.map((t) => days[t]), e.logVolume);
  return frame(index.map((t) => days[t]), MARKET_FILES[ticker === "HYG" ? "hyg" : "lqd"], {
    ...bars,
    adj_close: growth.map((g) => Math.round(g * last * 1e6) / 1e6),
    volume,
    dividend: dividends,
  });
}

function simulateEquities(
  seed: Seed,
  p: StandInParams,
  days: Date[],
  nyseIndex: number[],
  marketReturn: Float64Array,
  useEpisodes: boolean,
) {
  const q = p.equities;
  const start = parseIsoDate(q.start).getTime(), end = parseIsoDate(q.end).getTime();
  const index = nyseIndex.filter((t) => days[t].getTime() >= start && days[t].getTime() <= end);
  const n = days.length;
  const energy = new Float64Array(n);
  const energyRng = makeRng(seed, "equities", "energy");
  for (let t = 0; t < n; t++) energy[t] = q.energy.drift + q.energy.sigma * normInv(energyRng());
  if (useEpisodes) {
    for (const { name, total } of q.energy.episodes) {
      const episode = ENERGY_EPISODES.find((e) => e.name === name);
      if (!episode) throw new RangeError(`Cannot simulate stand-in market: episode ${JSON.stringify(name)} is unknown`);
      const inc = episodeIncrements(days, episode);
      for (let t = 0; t < n; t++) energy[t] += total * inc[t];
    }
  }
  const dates = index.map((t) => days[t]);
  const years = (dates[dates.length - 1].getTime() - dates[0].getTime()) / 3.15576e10;
  const rows = {
    date: [] as Date[],
    ticker: [] as string[],
    open: [] as number[],
    high: [] as number[],
    low: [] as number[],
    close: [] as number[],
    adj_close: [] as number[],
    volume: [] as number[],
  };
  const closes = new Map<string, { dates: Date[]; close: number[] }>();
  for (const firm of [...q.firms].sort((a, b) => a.ticker.localeCompare(b.ticker))) {
    const rng = makeRng(seed, "equities", firm.ticker);
    const path: number[] = [];
    let logPrice = Math.log(firm.startPrice), prev = -1;
    for (const t of index) {
      if (prev >= 0) {
        for (let s = prev + 1; s <= t; s++) {
          logPrice += firm.alpha + firm.marketBeta * marketReturn[s] + firm.energyBeta * energy[s] +
            firm.sigma * studentT(rng, 4, { standardized: true });
        }
      }
      path.push(Math.exp(logPrice));
      prev = t;
    }
    const bars = ohlcBars(makeRng(seed, "equities", firm.ticker, "bars"), path, firm.sigma * 1.3, 4);
    const volRng = makeRng(seed, "equities", firm.ticker, "volume");
    const logVol = simulateAR1(volRng, path.length, { persistence: 0.8, sigma: 0.25 });
    dates.forEach((d, i) => {
      const yearsToEnd = years - (d.getTime() - dates[0].getTime()) / 3.15576e10;
      rows.date.push(d), rows.ticker.push(firm.ticker);
      rows.open.push(bars.open[i]),
        rows.high.push(bars.high[i]),
        rows.low.push(bars.low[i]),
        rows.close.push(bars.close[i]);
      rows.adj_close.push(Math.round(bars.close[i] * Math.exp(-firm.dividendYield * yearsToEnd) * 1e6) / 1e6);
      rows.volume.push(Math.round(Math.exp(firm.logVolume + logVol[i])));
    });
    closes.set(firm.ticker, { dates, close: bars.close });
  }
  const table = frame(rows.date, MARKET_FILES.equityPrices, rows);
  return { table, closes };
}

function simulateFundamentals(seed: Seed, p: StandInParams, closes: Map<string, { dates: Date[]; close: number[] }>) {
  const f = p.fundamentals;
  const rows: Record<string, (number | string | Date | null)[]> = {};
  for (const c of MARKET_FILES.fundamentals.columns) rows[c.name] = [];
  for (const firm of [...f.firms].sort((a, b) => a.ticker.localeCompare(b.ticker))) {
    const rng = makeRng(seed, "fundamentals", firm.ticker);
    const px = closes.get(firm.ticker);
    if (!px) throw new RangeError(`Cannot simulate stand-in fundamentals: ticker ${firm.ticker} has no prices`);
    const closeAt = (d: Date) => {
      let i = px.dates.length - 1;
      while (i > 0 && px.dates[i] > d) i--;
      return px.close[i];
    };
    let assets = 0;
    for (let k = 0; k < firm.years; k++) {
      const year = firm.firstFiscalYear + k;
      const yearEnd = new Date(Date.UTC(year, 11, 31));
      const yearReturn = Math.log(closeAt(yearEnd) / closeAt(new Date(Date.UTC(year - 1, 11, 31))));
      assets = k === 0
        ? firm.assetsToMarketCap * closeAt(yearEnd) * firm.shares
        : assets * Math.exp(f.assetGrowth.slope * yearReturn + f.assetGrowth.sigma * normInv(rng()));
      const jitter = () => Math.exp(0.05 * normInv(rng()));
      const ratio = firm.ratios;
      const liabilities = assets * Math.min(ratio.liabilities * jitter(), 0.95);
      const netIncome = assets * (f.returnOnAssets.intercept + f.returnOnAssets.slope * yearReturn +
        f.returnOnAssets.sigma * normInv(rng()));
      const shares = firm.shares * Math.exp(0.01 * normInv(rng()));
      const eps = Math.round((netIncome / shares) * 100) / 100;
      const values: Record<string, number | string | Date | null> = {
        ticker: firm.ticker,
        period_ending: yearEnd,
        fiscal_year: year,
        cash_and_equivalents: Math.round(assets * ratio.cash * jitter() / 1e6) * 1e6,
        short_term_debt: Math.round(assets * ratio.shortTermDebt * jitter() / 1e6) * 1e6,
        long_term_debt: Math.round(assets * ratio.longTermDebt * jitter() / 1e6) * 1e6,
        total_current_liabilities: Math.round(assets * ratio.currentLiabilities * jitter() / 1e6) * 1e6,
        total_liabilities: Math.round(liabilities / 1e6) * 1e6,
        total_assets: Math.round(assets / 1e6) * 1e6,
        total_equity: Math.round((assets - liabilities) / 1e6) * 1e6,
        net_income: Math.round(netIncome / 1e6) * 1e6,
        eps: eps === 0 ? null : eps,
        shares_outstanding_est: eps === 0 ? null : Math.round(Math.round(netIncome / 1e6) * 1e6 / eps),
      };
      for (const c of MARKET_FILES.fundamentals.columns) rows[c.name].push(values[c.name]);
    }
  }
  return frame(null, MARKET_FILES.fundamentals, rows);
}

/** Daily KMV inputs derived from prices and fundamentals exactly as the real convenience file is. */
export function kmvInputs(fundamentals: pl.DataFrame, closes: Map<string, { dates: Date[]; close: number[] }>) {
  const rows: Record<string, (number | string | Date | null)[]> = {};
  for (const c of MARKET_FILES.kmvInputs.columns) rows[c.name] = [];
  const f = fundamentals.toRecords() as Record<string, unknown>[];
  for (const ticker of KMV_TICKERS) {
    const sheets = f.filter((r) => r.ticker === ticker).sort((a, b) =>
      +(a.period_ending as Date) - +(b.period_ending as Date)
    );
    const px = closes.get(ticker);
    if (!px || sheets.length === 0) continue;
    const first = sheets[0].period_ending as Date;
    const last = sheets[sheets.length - 1].period_ending as Date;
    const stop = new Date(Date.UTC(last.getUTCFullYear() + 1, last.getUTCMonth(), last.getUTCDate()));
    px.dates.forEach((d, i) => {
      if (d < first || d > stop) return;
      let k = sheets.length - 1;
      while (k > 0 && (sheets[k].period_ending as Date) > d) k--;
      const s = sheets[k];
      const shares = s.shares_outstanding_est as number | null;
      const std = s.short_term_debt as number, ltd = s.long_term_debt as number;
      rows.date.push(d), rows.ticker.push(ticker), rows.close.push(px.close[i]);
      rows.shares_outstanding_est.push(shares);
      rows.market_cap_usd.push(shares === null ? null : Math.round(px.close[i] * shares));
      rows.short_term_debt.push(std), rows.long_term_debt.push(ltd);
      rows.total_liabilities.push(s.total_liabilities as number);
      rows.kmv_default_point.push(std + 0.5 * ltd);
      rows.fundamentals_period_ending.push(s.period_ending as Date);
    });
  }
  return frame(null, MARKET_FILES.kmvInputs, rows);
}

/**
 * Per-sector parameters of the stand-in S&P 500 panel, from the real `sp500_fundamentals.csv` (FY2012–2016) with
 * /usr/bin/python3 (numpy) over the firm-years of each sector, rounded. In order: firms; ln total assets, debt /
 * assets and EBIT / assets, each as (median, standard deviation), used as the centre and spread of the draws; the
 * medians of total liabilities / assets, revenue / assets, cash / assets, current liabilities / assets, the
 * short-term share of debt and interest expense / debt; and the share of firms that report interest expense 0 while
 * carrying debt.
 */
export const SP500_STAND_IN = {
  firstFiscalYear: 2012,
  /** Share of firms reporting FY2012 (the rest start in FY2013) and FY2016 (the rest stop in FY2015). */
  startShare: 0.57,
  endShare: 0.43,
  /** Share of firms with no debt in any year (25 of 447), of which most report interest expense 0. */
  noDebtShare: 0.056,
  noDebtZeroInterestShare: 0.8,
  /** Share of fiscal years ending in December; the others end at a month-end drawn uniformly. */
  decemberShare: 0.74,
  /** Share of rows without EPS (and so without the shares estimate). */
  missingEpsShare: 0.12,
  sectors: {
    "Consumer Discretionary": [
      79,
      22.95,
      0.98,
      0.245,
      0.193,
      0.129,
      0.087,
      0.6,
      1.081,
      0.081,
      0.222,
      0.032,
      0.0424,
      0.139,
    ],
    "Consumer Staples": [32, 23.43, 1.1, 0.363, 0.173, 0.134, 0.082, 0.639, 1.184, 0.063, 0.258, 0.148, 0.039, 0.094],
    "Energy": [31, 24.08, 0.98, 0.234, 0.139, 0.069, 0.245, 0.557, 0.321, 0.043, 0.12, 0.016, 0.0424, 0.161],
    "Financials": [53, 25.14, 1.69, 0.07, 0.151, 0.022, 0.062, 0.87, 0.118, 0.129, 0, 0.237, 0.049, 0.151],
    "Health Care": [49, 23.31, 1.18, 0.258, 0.175, 0.1, 0.087, 0.579, 0.62, 0.085, 0.156, 0.064, 0.0338, 0.204],
    "Industrials": [62, 23.11, 1.09, 0.279, 0.183, 0.11, 0.069, 0.631, 0.849, 0.072, 0.226, 0.086, 0.0395, 0.065],
    "Information Technology": [
      61,
      23.01,
      1.17,
      0.191,
      0.156,
      0.112,
      0.08,
      0.51,
      0.552,
      0.132,
      0.214,
      0.108,
      0.035,
      0.295,
    ],
    "Materials": [24, 23.47, 0.75, 0.31, 0.108, 0.088, 0.078, 0.662, 0.675, 0.046, 0.168, 0.05, 0.0406, 0.042],
    "Real Estate": [27, 23.24, 0.58, 0.504, 0.1, 0.045, 0.022, 0.622, 0.13, 0.02, 0, 0.007, 0.0433, 0.037],
    "Telecommunications Services": [
      5,
      24.64,
      1.23,
      0.438,
      0.123,
      0.05,
      0.03,
      0.73,
      0.372,
      0.028,
      0.098,
      0.04,
      0.0601,
      0,
    ],
    "Utilities": [24, 24.42, 0.62, 0.353, 0.069, 0.055, 0.016, 0.715, 0.269, 0.008, 0.109, 0.119, 0.0455, 0.042],
  } as Readonly<Record<typeof GICS_SECTORS[number], readonly number[]>>,
} as const;

/**
 * The stand-in of `sp500_fundamentals.csv`: one row per firm and fiscal year, sorted by ticker and period end.
 *
 *     ln A(t)     = ln A(t−1) + 0.05 + 0.10·z                  A(first) from the sector's ln-assets mean and sd
 *     D/A(t)      = firm level × exp(0.15·z), firm level ~ Beta with the sector's mean and sd; 0 for no-debt firms
 *     EBIT/A(t)   = firm level + 0.5·sd·z, firm level ~ N(sector mean, 0.6·sd)
 *     L/A(t)      = D/A(t) + other liabilities (firm level around the sector's L/A − D/A, ≥ 0.02), so that book
 *                   equity A − L turns negative when L/A > 1, as for a few real firms
 *     interest    = debt cost (sector median × lognormal firm factor) × debt, reported as 0 every year by a
 *                   sector share of firms that carry debt (the file's data error, e.g. Halliburton) and by most
 *                   no-debt firms
 *     net income  = 0.7·(EBIT − interest) + 1 % of assets × z;  EPS = net income / shares, missing on a share of rows
 *
 * Amounts are rounded to USD 1 million, EPS to cents.
 */
function simulateSp500Fundamentals(seed: Seed): pl.DataFrame {
  const q = SP500_STAND_IN;
  const spec = MARKET_FILES.sp500Fundamentals;
  const rows: Record<string, (number | string | Date | null)[]> = {};
  for (const c of spec.columns) rows[c.name] = [];
  const rng = makeRng(seed, "sp500", "sectors");
  const sectors: (typeof GICS_SECTORS[number])[] = [];
  for (const s of GICS_SECTORS) for (let k = 0; k < q.sectors[s][0]; k++) sectors.push(s);
  for (let i = sectors.length - 1; i > 0; i--) { // Fisher–Yates: sectors spread over the tickers
    const j = Math.floor(rng() * (i + 1));
    [sectors[i], sectors[j]] = [sectors[j], sectors[i]];
  }
  const z = (r: Rng) => normInv(r());
  const beta = (r: Rng, m: number, sd: number) => {
    const v = Math.min(sd * sd, 0.9 * m * (1 - m));
    const k = m * (1 - m) / v - 1;
    const x = gamma(r, m * k), y = gamma(r, (1 - m) * k);
    return x / (x + y);
  };
  const million = (x: number) => Math.round(x / 1e6) * 1e6;
  sectors.forEach((sector, f) => {
    const [, lnA, lnASd, da, daSd, ea, eaSd, la, revA, cashA, clA, stdShare, rate, zeroShare] = q.sectors[sector];
    const id = String(f + 1).padStart(3, "0");
    const r = makeRng(seed, "sp500", id);
    const first = r() < q.startShare ? q.firstFiscalYear : q.firstFiscalYear + 1;
    const last = r() < q.endShare ? q.firstFiscalYear + 4 : q.firstFiscalYear + 3;
    const month = r() < q.decemberShare ? 11 : Math.floor(r() * 11);
    const noDebt = r() < q.noDebtShare;
    const zeroInterest = noDebt ? r() < q.noDebtZeroInterestShare : r() < zeroShare;
    const leverage = noDebt ? 0 : beta(r, da, daSd);
    const margin = ea + 0.6 * eaSd * z(r);
    const other = Math.max(0.02, la - da + 0.08 * z(r));
    const cost = rate * Math.exp(0.3 * z(r));
    const turnover = revA * Math.exp(0.3 * z(r));
    const shares = Math.exp(19.5 + z(r));
    let logAssets = lnA + lnASd * z(r);
    for (let year = first; year <= last; year++) {
      if (year > first) logAssets += 0.05 + 0.1 * z(r);
      const assets = Math.exp(logAssets);
      const debtRatio = leverage * Math.exp(0.15 * z(r));
      const debt = assets * debtRatio;
      const ebit = assets * (margin + 0.5 * eaSd * z(r));
      const interest = zeroInterest ? 0 : noDebt ? 0.002 * assets : cost * debt;
      const liabilities = assets * (debtRatio + other * Math.exp(0.05 * z(r)));
      const netIncome = million(0.7 * (ebit - interest) + 0.01 * assets * z(r));
      const std = million(debt * Math.min(1, stdShare * Math.exp(0.8 * z(r))));
      // A fiscal year ending in January or February belongs to the previous calendar year, as in the file.
      const end = new Date(Date.UTC(month <= 1 ? year + 1 : year, month + 1, 0));
      const eps = Math.round(netIncome / (shares * Math.exp(0.01 * z(r))) * 100) / 100;
      const hasEps = eps !== 0 && r() >= q.missingEpsShare;
      const values: Record<string, number | string | Date | null> = {
        ticker: `S${id}`,
        security: `Stand-in company ${id}`,
        gics_sector: sector,
        period_ending: end,
        fiscal_year: year,
        total_revenue: million(assets * turnover * Math.exp(0.05 * z(r))),
        ebit: million(ebit),
        interest_expense: million(interest),
        net_income: netIncome,
        cash_and_equivalents: million(assets * cashA * Math.exp(0.5 * z(r))),
        short_term_debt: std,
        long_term_debt: Math.max(0, million(debt) - std),
        total_current_liabilities: million(assets * clA * Math.exp(0.3 * z(r))),
        total_liabilities: million(liabilities),
        total_assets: million(assets),
        total_equity: million(assets) - million(liabilities),
        eps: hasEps ? eps : null,
        shares_outstanding_est: hasEps ? Math.round(netIncome / eps) : null,
      };
      for (const c of spec.columns) rows[c.name].push(values[c.name]);
    }
  });
  return frame(null, spec, rows);
}

function simulateTransitions(seed: Seed, p: StandInParams): Partial<StandInMarket> {
  const t = p.transitions;
  const rated = SP_RATINGS.length;
  const rng = makeRng(seed, "transitions");
  const withNR = (P: number[][], h: number, i: number) => {
    const withdrawn = 1 - Math.pow(1 - t.withdrawal[i], h);
    return [...P[i].map((x) => x * (1 - withdrawn)), withdrawn];
  };
  const sampleRow = (probs: number[], n: number) => roundRow(multinomial(rng, n, probs).map((c) => (100 * c) / n), 2);

  const P1 = expm(t.generator.map((row) => [...row]));
  const oneYear = SP_RATINGS.map((_, i) => sampleRow(withNR(P1, 1, i), t.cohort[i]));
  const cols = [...SP_RATINGS, "D", "NR"];
  const one: Record<string, (string | number)[]> = { from_rating: [...SP_RATINGS] };
  cols.forEach((c, j) => (one[c] = oneYear.map((row) => row[j])));
  const adjusted: Record<string, (string | number)[]> = { from_rating: [...SP_RATINGS, "D"] };
  const adjustedRows = oneYear.map((row) =>
    roundRow(row.slice(0, rated + 1).map((x) => (100 * x) / (100 - row[rated + 1])), 4)
  );
  adjustedRows.push([...new Array(rated).fill(0), 100]);
  cols.slice(0, rated + 1).forEach((c, j) => (adjusted[c] = adjustedRows.map((row) => row[j])));

  const multi = {
    horizon_years: [] as number[],
    from_rating: [] as string[],
    to_rating: [] as string[],
    pct: [] as number[],
  };
  for (const h of [1, 2, 3, 5, 7, 10, 15, 20]) {
    const Ph = expm(t.generator.map((row) => row.map((x) => x * h)));
    SP_RATINGS.forEach((from, i) => {
      const row = h === 1 ? oneYear[i] : sampleRow(withNR(Ph, h, i), Math.round(t.cohort[i] * Math.pow(0.93, h)));
      cols.forEach((to, j) => {
        multi.horizon_years.push(h), multi.from_rating.push(from), multi.to_rating.push(to), multi.pct.push(row[j]);
      });
    });
  }
  return {
    ratingTransitions: frame(null, MARKET_FILES.ratingTransitions, one),
    ratingTransitionsNrAdjusted: frame(null, MARKET_FILES.ratingTransitionsNrAdjusted, adjusted),
    ratingTransitionsMultiYear: frame(null, MARKET_FILES.ratingTransitionsMultiYear, multi),
  };
}

/** Multinomial counts by sequential binomials (normal approximation with continuity correction when n·p·q > 25). */
function multinomial(rng: Rng, n: number, probs: number[]): number[] {
  const out: number[] = [];
  let left = n, mass = 1;
  for (let j = 0; j < probs.length; j++) {
    if (j === probs.length - 1 || left === 0) {
      out.push(j === probs.length - 1 ? left : 0);
      continue;
    }
    const q = mass > 0 ? Math.min(Math.max(probs[j] / mass, 0), 1) : 0;
    let k: number;
    if (left * q * (1 - q) > 25) {
      k = Math.round(left * q + Math.sqrt(left * q * (1 - q)) * normInv(rng()));
    } else {
      k = 0;
      for (let i = 0; i < left; i++) if (rng() < q) k++;
    }
    k = Math.min(Math.max(k, 0), left);
    out.push(k);
    left -= k;
    mass -= probs[j];
  }
  return out;
}

/** Rounds a row of percentages to `decimals` and puts the rounding residue on the largest entry (rows sum to 100). */
function roundRow(row: number[], decimals: number): number[] {
  const scale = Math.pow(10, decimals);
  const out = row.map((x) => Math.round(x * scale) / scale);
  const residue = Math.round((100 - out.reduce((a, b) => a + b, 0)) * scale) / scale;
  let big = 0;
  out.forEach((x, j) => (x > out[big] ? (big = j) : 0));
  out[big] = Math.round((out[big] + residue) * scale) / scale;
  return out;
}

/** Builds a DataFrame in the column order and types of a schema; `dates` fills a leading `date` column. */
function frame(
  dates: Date[] | null,
  spec: (typeof MARKET_FILES)[MarketFileName],
  columns: Record<string, ArrayLike<unknown>>,
): pl.DataFrame {
  const series = spec.columns.map((c) => {
    const values = c.name === "date" && dates ? dates : columns[c.name];
    if (!values) throw new RangeError(`Cannot build stand-in table ${spec.file}: column ${c.name} is missing`);
    const array = Array.from(values as ArrayLike<unknown>);
    switch (c.type) {
      case "date":
        return pl.Series(c.name, array as Date[]).cast(pl.Date);
      case "string":
        return pl.Series(c.name, array as string[], pl.Utf8);
      case "integer":
        return pl.Series(c.name, array as number[], pl.Float64).cast(pl.Int64);
      default:
        return pl.Series(c.name, array as number[], pl.Float64);
    }
  });
  return pl.DataFrame(series);
}
