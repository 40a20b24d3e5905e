/**
 * Calibration of the synthetic stand-in market ({@linkcode StandInParams}) to a real market-data directory. Every
 * parameter is an estimate from the data — least squares, AR(1) fits, a GARCH(1,1)-t maximum likelihood, a
 * rating-migration generator — so the stand-in inherits the level, volatility, persistence and co-movement of the
 * real series. Rerun it on other data with `deno run -A tools/calibrate.ts`, which rewrites
 * `standin_params.ts`.
 * @module
 */
import type pl from "nodejs-polars";
import jStat from "jstat";
import { expm, leastSquares } from "../core/linalg.ts";
import { mean, sortedQuantile, standardDeviation } from "../core/stats.ts";
import { fitCreditFactor, stressLevel } from "../market/credit_factor.ts";
import { type AR1, fitAR1 } from "../market/ou.ts";
import { DIEBOLD_LI_LAMBDA, fitNelsonSiegel } from "../market/curve.ts";
import {
  ENERGY_EPISODES,
  episodeIncrements,
  exponentialAverage,
  FED_TARGET_PATH,
  stepPath,
} from "../market/history.ts";
import { isoDate, parseIsoDate, requireIsoDate } from "../core/calendar.ts";
import { rangeError } from "../core/check.ts";
import { requireSource } from "../data/source.ts";
import { KMV_TICKERS, SP_RATINGS, TREASURY_TENORS } from "../data/schema.ts";
import {
  loadCreditSpreads,
  loadEquityPrices,
  loadEtf,
  loadFundamentals,
  loadRatingTransitions,
  loadSpx,
  loadTreasuryYields,
  loadVix,
  type MarketDataSource,
} from "../data/load.ts";
import type { StandInParams } from "./standin.ts";
import { dateColumn, floatColumn, nullableColumn, stringColumn } from "../data/columns.ts";

const ICE_SERIES = ["BAMLC0A0CM", "BAMLH0A0HYM2", "BAMLC0A1CAAA", "BAMLC0A4CBBB"] as const;
const YEAR_MS = 3.15576e10;

/** Daily column arrays of a table, keyed by date string, for joins by date. */
function byDate(table: pl.DataFrame, columns: string[]): Map<string, number[]> {
  const dates = dateColumn(table);
  const values = columns.map((c) => nullableColumn(table, c));
  const out = new Map<string, number[]>();
  dates.forEach((d, i) => {
    const row = values.map((v) => v[i]);
    if (row.every((v) => v !== null)) out.set(isoDate(d), row as number[]);
  });
  return out;
}

/**
 * Degrees of freedom ν of a standardized Student-t fitted by maximum likelihood to a sample scaled to unit
 * variance (golden-section search on ν in [2.5, 60]).
 */
function tDegreesOfFreedom(x: ArrayLike<number>): number {
  const sd = standardDeviation(x), m = mean(x);
  const z = Float64Array.from(x, (v) => (v - m) / sd);
  const logLik = (nu: number) => {
    const c = jStat.gammaln((nu + 1) / 2) - jStat.gammaln(nu / 2) - 0.5 * Math.log(Math.PI * (nu - 2));
    let ll = 0;
    for (const v of z) ll += c - ((nu + 1) / 2) * Math.log1p((v * v) / (nu - 2));
    return ll;
  };
  let lo = 2.5, hi = 60;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo);
    if (logLik(a) > logLik(b)) hi = b;
    else lo = a;
  }
  return (lo + hi) / 2;
}

/**
 * Estimates every parameter of the stand-in market from real data.
 *
 * @param source A real market-data directory (see `resolveMarketData`).
 * @param start First date of the calibration window and of the stand-in market (default 1997-01-02).
 * @param end Last date of the stand-in market (default 2025-12-31).
 * @throws {RangeError} If the source is the stand-in itself, or `start`/`end` are not ISO dates with end after start.
 * @throws {TypeError} If `source` is not a market-data source.
 */
export function calibrateStandIn(source: MarketDataSource, start = "1997-01-02", end = "2025-12-31"): StandInParams {
  const action = "calibrate stand-in";
  requireSource(action, source);
  if (source.kind !== "real") {
    throw new RangeError("Cannot calibrate stand-in: source must be real data, received the stand-in");
  }
  const startTime = requireIsoDate(action, "start", start).getTime();
  const endTime = requireIsoDate(action, "end", end).getTime();
  if (!(endTime > startTime)) throw rangeError(action, "end", `after start (${start})`, end);

  // ---- Credit factor, episodes, VIX (lib/market/credit_factor.ts) ----
  const spreads = byDate(loadCreditSpreads(source), [...ICE_SERIES]);
  const vixTable = byDate(loadVix(source), ["VIXCLS"]);
  const creditDates = [...spreads.keys()].filter((d) => vixTable.has(d) && parseIsoDate(d).getTime() >= startTime);
  const dates = creditDates.map(parseIsoDate);
  const logOas = Object.fromEntries(
    ICE_SERIES.map((name, k) => [name, creditDates.map((d) => Math.log(spreads.get(d)![k] * 100))]),
  );
  const { stress, factor } = fitCreditFactor(dates, logOas);
  // A floor below the lowest VIX on record keeps simulated volatility from collapsing towards zero.
  const vixFloor = 0.75 * Math.min(...creditDates.map((d) => vixTable.get(d)![0]));
  const logVix = creditDates.map((d) => Math.log(vixTable.get(d)![0] - vixFloor));
  const vixFit = leastSquares(Array.from(stress, (m) => [1, m]), logVix);
  const w = vixFit.residuals;
  const vixResidual = fitAR1(w);
  const vixInnovations = Array.from({ length: w.length - 1 }, (_, t) => w[t + 1] - vixResidual.persistence * w[t]);
  const credit = fitCreditFactor(dates, logOas, {
    exogenous: Float64Array.from(w, (x, t) => (t > 0 ? x - w[t - 1] : 0)),
  });
  const series = credit.series;

  // ---- Treasury curve ----
  const tenorNames = Object.keys(TREASURY_TENORS).filter((n) => n !== "DGS1MO");
  const treasuryTable = loadTreasuryYields(source);
  const tDates = dateColumn(treasuryTable);
  const tCols = tenorNames.map((n) => nullableColumn(treasuryTable, n));
  const curveDates: Date[] = [], level: number[] = [], slope: number[] = [], curvature: number[] = [];
  const noise: number[][] = tenorNames.map(() => []);
  const nsLoad = (tau: number) => {
    const x = DIEBOLD_LI_LAMBDA * tau;
    const l1 = -Math.expm1(-x) / x;
    return [l1, l1 - Math.exp(-x)];
  };
  tDates.forEach((d, i) => {
    if (d.getTime() < startTime) return;
    const taus: number[] = [], ys: number[] = [];
    tenorNames.forEach((n, k) => {
      if (tCols[k][i] !== null) taus.push(TREASURY_TENORS[n]), ys.push(tCols[k][i]!);
    });
    if (taus.length < tenorNames.length) return;
    const f = fitNelsonSiegel(taus, ys);
    curveDates.push(d), level.push(f.level), slope.push(f.slope), curvature.push(f.curvature);
    tenorNames.forEach((n, k) => {
      const [l1, l2] = nsLoad(TREASURY_TENORS[n]);
      noise[k].push(ys[k] - (f.level + f.slope * l1 + f.curvature * l2));
    });
  });
  const policy = stepPath(curveDates, FED_TARGET_PATH);
  const shortDev = level.map((l, t) => l + slope[t] - policy[t]);
  const shortMean = mean(shortDev);
  const short = fitAR1(shortDev.map((u) => u - shortMean));
  const curveStress = stressLevel(curveDates, credit.params);
  let bestLevel: { halfLife: number; fit: ReturnType<typeof leastSquares> } | null = null;
  for (const halfLife of [63, 126, 252, 504, 756, 1008, 1260, 1512]) {
    const anchor = policyAnchor(curveDates, halfLife);
    const fit = leastSquares(level.map((_, t) => [1, anchor[t], curveStress[t]]), level);
    if (!bestLevel || fit.rSquared > bestLevel.fit.rSquared) bestLevel = { halfLife, fit };
  }
  const v = bestLevel!.fit.residuals;
  const factorByDate = new Map(creditDates.map((d, t) => [d, factor[t]]));
  const arx: number[][] = [], arxTarget: number[] = [];
  curveDates.forEach((d, t) => {
    if (t === 0) return;
    const f1 = factorByDate.get(isoDate(d)), f0 = factorByDate.get(isoDate(curveDates[t - 1]));
    if (f1 === undefined || f0 === undefined) return;
    arx.push([v[t - 1], f1 - f0]);
    arxTarget.push(v[t]);
  });
  const levelDynamics = leastSquares(arx, arxTarget);
  const curvatureMean = mean(curvature);
  const tenorFits = noise.map((x) => fitAR1(x));
  const median = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)];

  // ---- Moody's seasoned yields over the 10-year ----
  const moodys = byDate(loadCreditSpreads(source), ["DAAA", "DBAA", "BAMLC0A0CM", "BAMLC0A4CBBB"]);
  const ten = byDate(treasuryTable, ["DGS10"]);
  const mDates = [...moodys.keys()].filter((d) => ten.has(d) && parseIsoDate(d).getTime() >= startTime);
  const moodysFit = (yieldIndex: number, oasIndex: number) => {
    const fit = leastSquares(
      mDates.map((d) => [1, moodys.get(d)![oasIndex] * 100]),
      mDates.map((d) => (moodys.get(d)![yieldIndex] - ten.get(d)![0]) * 100),
    );
    return { intercept: fit.coefficients[0], loading: fit.coefficients[1], residual: fitAR1(fit.residuals) };
  };

  // ---- S&P 500 ----
  const spxTable = loadSpx(source);
  const spx = byDate(spxTable, ["close", "volume"]);
  const sDates = [...spx.keys()].filter((d) => vixTable.has(d) && parseIsoDate(d).getTime() >= startTime);
  const spxRows: number[][] = [], spxReturns: number[] = [], spxVol: number[] = [];
  for (let t = 1; t < sDates.length; t++) {
    const vix0 = vixTable.get(sDates[t - 1])![0], vix1 = vixTable.get(sDates[t])![0];
    spxRows.push([1, Math.log(vix1 / vix0)]);
    spxReturns.push(Math.log(spx.get(sDates[t])![0] / spx.get(sDates[t - 1])![0]));
    spxVol.push(vix0 / 100 / Math.sqrt(252));
  }
  const spxFit = leastSquares(spxRows, spxReturns);
  const spxScaled = Array.from(spxFit.residuals, (e, t) => e / spxVol[t]);
  const spxVolume = logVolumeFit(sDates, sDates.map((d) => spx.get(d)![1]));

  // ---- Credit ETFs ----
  const etf = (ticker: "HYG" | "LQD", spreadSeries: "BAMLH0A0HYM2" | "BAMLC0A0CM") => {
    const table = loadEtf(source, ticker);
    const bars = byDate(table, ["close", "adj_close", "volume", "dividend"]);
    const spread = byDate(loadCreditSpreads(source), [spreadSeries]);
    const curve = byDate(treasuryTable, ["DGS2", "DGS5", "DGS10"]);
    const days = [...bars.keys()].filter((d) => spread.has(d) && curve.has(d) && vixTable.has(d));
    const X: number[][] = [], y: number[] = [], vol: number[] = [];
    for (let t = 1; t < days.length; t++) {
      const [a, b] = [days[t - 1], days[t]];
      X.push([
        1,
        spread.get(b)![0] - spread.get(a)![0],
        curve.get(b)![2] - curve.get(a)![2],
        curve.get(b)![0] - curve.get(a)![0],
      ]);
      y.push(Math.log(bars.get(b)![1] / bars.get(a)![1]));
      vol.push(vixTable.get(a)![0] / 100);
    }
    const fit = leastSquares(X, y);
    let paid = 0, modelled = 0;
    for (const d of days) {
      const [close, , , dividend] = bars.get(d)!;
      if (dividend > 0) (paid += dividend), (modelled += (close * (curve.get(d)![1] + spread.get(d)![0])) / 12);
    }
    const allDays = [...bars.keys()];
    return {
      inception: allDays[0],
      startPrice: bars.get(allDays[0])![0],
      spreadSeries,
      intercept: fit.coefficients[0],
      spreadBeta: fit.coefficients[1],
      y10Beta: fit.coefficients[2],
      y2Beta: fit.coefficients[3],
      volScale: standardDeviation(Array.from(fit.residuals, (e, t) => e / vol[t])),
      distributionShare: paid / modelled,
      logVolume: logVolumeFit(allDays, allDays.map((d) => bars.get(d)![2])),
    };
  };

  // ---- Energy equities ----
  const prices = loadEquityPrices(source);
  const pxDates = dateColumn(prices);
  const pxTicker = stringColumn(prices, "ticker");
  const pxClose = floatColumn(prices, "close");
  const pxAdj = floatColumn(prices, "adj_close");
  const pxVolume = floatColumn(prices, "volume");
  const perFirm = new Map<string, Map<string, [number, number, number]>>();
  pxDates.forEach((d, i) => {
    if (!perFirm.has(pxTicker[i])) perFirm.set(pxTicker[i], new Map());
    perFirm.get(pxTicker[i])!.set(isoDate(d), [pxClose[i], pxAdj[i], pxVolume[i]]);
  });
  const eqDates = [...perFirm.get(KMV_TICKERS[0])!.keys()].filter((d) =>
    KMV_TICKERS.every((t) => perFirm.get(t)?.has(d)) && spx.has(d)
  );
  const market: number[] = [];
  for (let t = 1; t < eqDates.length; t++) market.push(Math.log(spx.get(eqDates[t])![0] / spx.get(eqDates[t - 1])![0]));
  const firmFits = KMV_TICKERS.map((ticker) => {
    const px = perFirm.get(ticker)!;
    const r: number[] = [];
    for (let t = 1; t < eqDates.length; t++) r.push(Math.log(px.get(eqDates[t])![0] / px.get(eqDates[t - 1])![0]));
    const fit = leastSquares(market.map((m) => [1, m]), r);
    return { ticker, r, fit };
  });
  const energy = market.map((_, t) => mean(firmFits.map((f) => f.fit.residuals[t])));
  const energyDates = eqDates.slice(1).map(parseIsoDate);
  const increments = ENERGY_EPISODES.map((e) => episodeIncrements(energyDates, e));
  const inEpisode = energy.map((_, t) => increments.some((inc) => inc[t] > 0));
  const firstEq = eqDates[0], lastEq = eqDates[eqDates.length - 1];
  const years = (parseIsoDate(lastEq).getTime() - parseIsoDate(firstEq).getTime()) / YEAR_MS;
  const firms = firmFits.map(({ ticker, fit }) => {
    const gammaFit = leastSquares(energy.map((e) => [e]), Array.from(fit.residuals));
    const px = perFirm.get(ticker)!;
    const [c0, a0] = px.get(firstEq)!, [c1, a1] = px.get(lastEq)!;
    return {
      ticker,
      startPrice: c0,
      alpha: fit.coefficients[0],
      marketBeta: fit.coefficients[1],
      energyBeta: gammaFit.coefficients[0],
      sigma: gammaFit.residualStd,
      dividendYield: Math.log((a1 / c1) / (a0 / c0)) / years,
      logVolume: mean(eqDates.map((d) => Math.log(Math.max(px.get(d)![2], 1)))),
    };
  });

  // ---- Fundamentals ----
  const fundamentals = loadFundamentals(source).toRecords() as Record<string, unknown>[];
  const closeAt = (ticker: string, date: Date) => {
    const px = perFirm.get(ticker)!;
    for (let back = 0; back < 10; back++) {
      const hit = px.get(isoDate(new Date(date.getTime() - back * 86_400_000)));
      if (hit) return hit[0];
    }
    throw new RangeError(`Cannot calibrate fundamentals: ${ticker} has no price near ${isoDate(date)}`);
  };
  const roaRows: number[][] = [], roa: number[] = [], growthRows: number[][] = [], growth: number[] = [];
  const fundamentalFirms = KMV_TICKERS.map((ticker) => {
    const sheets = fundamentals.filter((r) => r.ticker === ticker)
      .sort((a, b) => (a.fiscal_year as number) - (b.fiscal_year as number));
    const assets = sheets.map((s) => s.total_assets as number);
    sheets.forEach((s, k) => {
      const end = s.period_ending as Date;
      const ret = Math.log(
        closeAt(ticker, end) / closeAt(ticker, new Date(Date.UTC(end.getUTCFullYear() - 1, 11, 31))),
      );
      roaRows.push([1, ret]), roa.push((s.net_income as number) / assets[k]);
      if (k > 0) growthRows.push([ret]), growth.push(Math.log(assets[k] / assets[k - 1]));
    });
    const ratio = (field: string) => mean(sheets.map((s, k) => (s[field] as number) / assets[k]));
    const shares = sheets.map((s) => s.shares_outstanding_est as number | null).filter((x): x is number => x !== null);
    const first = sheets[0];
    return {
      ticker,
      firstFiscalYear: first.fiscal_year as number,
      years: sheets.length,
      assetsToMarketCap: assets[0] / (closeAt(ticker, first.period_ending as Date) * mean(shares)),
      shares: Math.round(mean(shares)),
      ratios: {
        cash: ratio("cash_and_equivalents"),
        shortTermDebt: ratio("short_term_debt"),
        longTermDebt: ratio("long_term_debt"),
        currentLiabilities: ratio("total_current_liabilities"),
        liabilities: ratio("total_liabilities"),
      },
    };
  });
  const roaFit = leastSquares(roaRows, roa);
  const growthFit = leastSquares(growthRows, growth);

  // ---- Rating migration generator ----
  const adjusted = loadRatingTransitions(source, { nrAdjusted: true });
  const withNR = loadRatingTransitions(source, { nrAdjusted: false });
  const generator = fitBandedGenerator(adjusted.probabilities);

  const r6 = (x: number) => Number(x.toPrecision(6));
  const ar = (p: AR1): AR1 => ({ persistence: r6(p.persistence), sigma: r6(p.sigma) });
  return {
    calibration: `calibrated by calibrateStandIn() on ${source.label}, ${start} to ${
      isoDate(dates[dates.length - 1])
    } (tools/calibrate.ts)`,
    start,
    end,
    credit: {
      mean: r6(credit.params.mean),
      episodes: credit.params.episodes.map((e) => ({ name: e.name, height: r6(e.height) })),
      persistence: r6(credit.params.persistence),
      vixShock: r6(credit.exogenous!.now),
      vixLag: r6(credit.exogenous!.lag),
      garch: {
        omega: r6(credit.params.garch.omega),
        alpha: r6(credit.params.garch.alpha),
        beta: r6(credit.params.garch.beta),
        nu: r6(credit.params.garch.nu),
      },
      series: series.map((s) => ({
        name: s.name,
        intercept: r6(s.intercept),
        loading: r6(s.loading),
        residual: ar(s.residual),
      })),
    },
    moodys: {
      aaa: roundFit(moodysFit(0, 2), r6),
      baa: roundFit(moodysFit(1, 3), r6),
    },
    vix: {
      floor: r6(vixFloor),
      intercept: r6(vixFit.coefficients[0]),
      stressLoading: r6(vixFit.coefficients[1]),
      residual: ar(vixResidual),
      nu: r6(tDegreesOfFreedom(vixInnovations)),
      maxShock: r6(
        maxShockAboveMedian(vixInnovations, creditDates.map((d) => vixTable.get(d)![0])) / vixResidual.sigma,
      ),
    },
    rates: {
      lambda: r6(DIEBOLD_LI_LAMBDA),
      short: { mean: r6(shortMean), ...ar(short) },
      level: {
        intercept: r6(bestLevel!.fit.coefficients[0]),
        policyLoading: r6(bestLevel!.fit.coefficients[1]),
        policyHalfLifeDays: bestLevel!.halfLife,
        stressLoading: r6(bestLevel!.fit.coefficients[2]),
        persistence: r6(levelDynamics.coefficients[0]),
        creditShock: r6(levelDynamics.coefficients[1]),
        sigma: r6(levelDynamics.residualStd),
      },
      curvature: { mean: r6(curvatureMean), ...ar(fitAR1(curvature.map((c) => c - curvatureMean))) },
      tenorNoise: {
        persistence: r6(median(tenorFits.map((f) => f.persistence))),
        sigma: r6(median(tenorFits.map((f) => f.sigma))),
      },
    },
    spx: {
      startPrice: spx.get(sDates[0])![0],
      drift: r6(spxFit.coefficients[0]),
      vixBeta: r6(spxFit.coefficients[1]),
      volScale: r6(standardDeviation(spxScaled)),
      nu: r6(tDegreesOfFreedom(spxScaled)),
      logVolume: roundVolume(spxVolume, r6),
    },
    etfs: {
      HYG: roundEtf(etf("HYG", "BAMLH0A0HYM2"), r6),
      LQD: roundEtf(etf("LQD", "BAMLC0A0CM"), r6),
    },
    equities: {
      start: firstEq,
      end: lastEq,
      energy: {
        drift: r6(mean(energy.filter((_, t) => !inEpisode[t]))),
        sigma: r6(standardDeviation(energy.filter((_, t) => !inEpisode[t]))),
        episodes: ENERGY_EPISODES.map((e, j) => ({
          name: e.name,
          total: r6(energy.reduce((acc, x, t) => acc + (increments[j][t] > 0 ? x : 0), 0)),
        })),
      },
      firms: firms.map((f) => ({
        ...f,
        alpha: r6(f.alpha),
        marketBeta: r6(f.marketBeta),
        energyBeta: r6(f.energyBeta),
        sigma: r6(f.sigma),
        dividendYield: r6(f.dividendYield),
        logVolume: r6(f.logVolume),
      })),
    },
    fundamentals: {
      firms: fundamentalFirms.map((f) => ({
        ...f,
        assetsToMarketCap: r6(f.assetsToMarketCap),
        ratios: Object.fromEntries(Object.entries(f.ratios).map(([k, x]) => [k, r6(x)])) as typeof f.ratios,
      })),
      returnOnAssets: {
        intercept: r6(roaFit.coefficients[0]),
        slope: r6(roaFit.coefficients[1]),
        sigma: r6(robustStd(roaFit.residuals)),
      },
      assetGrowth: { slope: r6(growthFit.coefficients[0]), sigma: r6(robustStd(growthFit.residuals)) },
    },
    transitions: {
      generator: generator.map((row) => row.map((q) => r6(q))),
      withdrawal: SP_RATINGS.map((_, i) => r6(withNR.probabilities[i][withNR.to.indexOf("NR")])),
      // Illustrative issuer counts per rating, of the order of the S&P 1981–2016 static pools.
      cohort: [3000, 9000, 22000, 22000, 14000, 16000, 2500],
    },
  };
}

/**
 * Robust standard deviation 1.4826·median|x − median(x)|: the spread of typical years, not of the few write-down
 * years (2015 impairments) that dominate a plain standard deviation of 20 firm-years.
 */
function robustStd(x: ArrayLike<number>): number {
  const sorted = Float64Array.from(x).sort();
  const med = sortedQuantile(sorted, 0.5);
  const deviations = Float64Array.from(x, (v) => Math.abs(v - med)).sort();
  return 1.4826 * sortedQuantile(deviations, 0.5);
}

/**
 * Largest |shock| on days whose previous VIX was above its median: big relative jumps happen from calm levels
 * (February 2018: +115 %), and compounding such a jump on a crisis level would overshoot every VIX on record.
 */
function maxShockAboveMedian(innovations: number[], levels: number[]): number {
  const median = sortedQuantile(Float64Array.from(levels).sort(), 0.5);
  let max = 0;
  innovations.forEach((e, t) => {
    if (levels[t] > median) max = Math.max(max, Math.abs(e));
  });
  return max;
}

function roundFit(
  f: { intercept: number; loading: number; residual: AR1 },
  r6: (x: number) => number,
): { intercept: number; loading: number; residual: AR1 } {
  return {
    intercept: r6(f.intercept),
    loading: r6(f.loading),
    residual: { persistence: r6(f.residual.persistence), sigma: r6(f.residual.sigma) },
  };
}

function roundVolume(v: { intercept: number; trend: number } & AR1, r6: (x: number) => number) {
  return { intercept: r6(v.intercept), trend: r6(v.trend), persistence: r6(v.persistence), sigma: r6(v.sigma) };
}

function roundEtf<T extends Record<string, unknown>>(e: T, r6: (x: number) => number): T {
  return Object.fromEntries(
    Object.entries(e).map(([k, v]) => [
      k,
      typeof v === "number"
        ? r6(v)
        : k === "logVolume"
        ? roundVolume(v as { intercept: number; trend: number } & AR1, r6)
        : v,
    ]),
  ) as T;
}

function logVolumeFit(dates: string[], volume: number[]): { intercept: number; trend: number } & AR1 {
  const t0 = parseIsoDate(dates[0]).getTime();
  const keep = volume.map((v, i) => (v > 0 ? i : -1)).filter((i) => i >= 0);
  const fit = leastSquares(
    keep.map((i) => [1, (parseIsoDate(dates[i]).getTime() - t0) / YEAR_MS]),
    keep.map((i) => Math.log(volume[i])),
  );
  return { intercept: fit.coefficients[0], trend: fit.coefficients[1], ...fitAR1(fit.residuals) };
}

/**
 * EWMA (half-life in weekdays) of the Fed target path on the given dates, computed on a weekday grid that starts
 * ten years before the first date so that the average is warmed up.
 */
function policyAnchor(dates: Date[], halfLife: number): Float64Array {
  const grid: Date[] = [];
  const first = dates[0].getTime() - 3653 * 86_400_000;
  for (let t = first; t <= dates[dates.length - 1].getTime(); t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) grid.push(d);
  }
  const ewma = exponentialAverage(stepPath(grid, FED_TARGET_PATH), halfLife);
  const index = new Map(grid.map((d, i) => [d.getTime(), i]));
  return Float64Array.from(dates, (d) => ewma[index.get(d.getTime())!]);
}

/**
 * Banded continuous-time generator Q (one-notch up- and downgrades plus a direct default intensity) whose
 * exponential matches the one-year matrix on the band and the default column, by multiplicative fixed-point
 * iteration q ← q·P/exp(Q). A parsimonious stand-in: multi-notch moves arise from chains of one-notch moves.
 */
export function fitBandedGenerator(P: number[][]): number[][] {
  const n = P.length; // ratings plus an absorbing default state, last
  const d = n - 1;
  const band = (i: number, j: number) => i < d && j !== i && (Math.abs(i - j) === 1 || j === d);
  const Q = P.map((row, i) => row.map((p, j) => (band(i, j) ? Math.max(p, 1e-8) : 0)));
  const fillDiagonal = () => Q.forEach((row, i) => (row[i] = -row.reduce((acc, q, j) => acc + (j === i ? 0 : q), 0)));
  fillDiagonal();
  for (let iteration = 0; iteration < 500; iteration++) {
    const E = expm(Q);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < n; j++) if (band(i, j) && P[i][j] > 0) Q[i][j] *= P[i][j] / E[i][j];
    }
    fillDiagonal();
  }
  return Q;
}
