/**
 * One valid call of every function and class exported by `lib/mod.ts`, for the fuzz test of the public boundary
 * (`mod_fuzz_test.ts`). The fuzzer mutates one part of these arguments at a time (NaN, ±Infinity, a negative or
 * fractional number, an empty or shortened array, a wrong type, a misspelt option key, …) and requires a finite,
 * well-formed result or a `RangeError`/`TypeError` that names an argument of the function.
 *
 * A case is small on purpose (a few dozen dates, a handful of bonds): the property is about the boundary, not the
 * model. Fixtures are built once per worker (`fixtures()`), outside the calls that are timed.
 * @module
 */
import pl from "nodejs-polars";
import * as lib from "../../lib/mod.ts";
import { flatCurves } from "../fixtures/curves.ts";

/** A valid call and what the fuzzer may do with it. */
export interface FuzzCase {
  /** The arguments of one valid call (fresh objects on every call: the fuzzer mutates them). */
  readonly args: () => unknown[];
  /** Calls the export (default: `fn(...args)`, or `new Class(...args)` for a class). */
  readonly call?: (...args: unknown[]) => unknown;
  /** Extra names a message may cite (e.g. a method's arguments); parameter names and option keys count already. */
  readonly names?: readonly string[];
  /** The result may hold NaN by design (documented warm-ups or gaps): only the types are checked. */
  readonly nanOk?: string;
  /** Argument paths that are never mutated (e.g. an output directory), as `"0"`, `"1.dir"`. */
  readonly frozen?: readonly string[];
  /** Fewer runs for a slow case (default the test's runs per case). */
  readonly runs?: number;
  /** Time limit of one call in ms (default 4,000). */
  readonly timeoutMs?: number;
}

/** Exports that are not called by the fuzzer, and why. */
export const EXEMPT: Readonly<Record<string, string>> = {
  MarketDataError: "an error class (thrown by the loaders, which are fuzzed)",
  OfflineError: "an error class (thrown by fetchMarketData)",
  UndefinedStatisticError: "an error class (thrown by the metrics, which are fuzzed)",
  fetchMarketData: "downloads from the network; its options are checked by tests/data/fetch_test.ts with fake servers",
  placeboRuns: "spawns worker threads running runOverlayOnce, which is fuzzed",
};

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** Built once per worker: small markets and results to call the functions on. */
export interface Fixtures {
  source: lib.MarketDataSource;
  dates: Date[];
  returns: Float64Array;
  universe: lib.BondUniverse;
  market: lib.BondPanels;
  signals: lib.DeskSignals;
  overlay: lib.OverlayMarket;
  overlaySignals: pl.DataFrame;
  overlayResult: lib.OverlayBacktestResult;
  backtest: lib.BacktestResult;
  transitions: lib.TransitionTable;
  hmm: lib.GaussianHMM;
  hmmX: number[][];
  yields: pl.DataFrame;
  curves: lib.TreasuryCurves;
  ranked: lib.FactorPanels;
  samples: Int32Array;
  features: lib.FeatureMatrix;
  targets: Float64Array;
  forest: lib.RandomForestRegressor;
  friedman: { X: number[][]; y: number[] };
  chart: Element;
  firms: lib.FirmUniverse;
  firmScores: lib.FirmScores;
  ceInputs: lib.CreditEquityInputs;
  ctx: lib.WeightsContext;
  /** A directory of stand-in CSV files, read as if it were real data. */
  directory: string;
  stateX: number[][];
  states: { model: lib.GaussianHMM; path: number[] };
}

let cached: Fixtures | undefined;

/** The fixtures, built on first use. */
export function fixtures(): Fixtures {
  if (cached) return cached;
  const source = lib.standInSource("fuzz");
  const dates = lib.businessDays("2020-01-01", "2020-04-30");
  const returns = Float64Array.from(dates, (_, t) => 0.001 * Math.sin(t / 3) + 0.0004);
  const curves = flatCurves(320);
  const universe = lib.generateBondUniverse({ curves, issuers: 12, seed: "fuzz" });
  const market = lib.bondPanels(universe);
  const signals = lib.deskSignals(universe, { momentumLookback: 21, valueWindow: 40 });
  const overlay = lib.generateOverlayMarket({ seed: 3, days: 300 });
  const basis = lib.computeCdxEtfBasis(overlay.cdx, overlay.etf);
  const vixGap = lib.computeCdxVixGap(overlay.cdx, overlay.vix);
  const momentum = lib.computeSpreadMomentum(overlay.cdx);
  const overlaySignals = lib.aggregateSignals({ basis, vixGap, momentum });
  const overlayResult = lib.runOverlayBacktest(overlaySignals, overlay.cdx, { entry: 1, exit: 0.5 });
  const backtest = lib.runBacktest({ market, signal: signals.composite, rebalance: "weekly", start: "2010-03-01" });
  const transitions = lib.loadRatingTransitions(source);
  const hmm = lib.GaussianHMM.fromParams({
    startProb: [0.5, 0.5],
    transMat: [[0.9, 0.1], [0.2, 0.8]],
    means: [[0], [3]],
    variances: [[1], [1]],
  });
  const hmmX = lib.simulateHMM(
    { startProb: [0.5, 0.5], transMat: [[0.9, 0.1], [0.2, 0.8]], means: [[0], [3]], variances: [[1], [1]] },
    60,
    1,
  ).X;
  const yields = lib.loadTreasuryYields(source);
  const factors = { carry: signals.carry, momentum: signals.momentum, value: signals.value };
  const ranked = lib.rankFactors(factors);
  const samples = lib.monthEnds(market.dates, 60);
  const fr = lib.factorReturns(market, factors);
  const features = lib.regimeFeatures(
    {
      vix: Float64Array.from(market.dates, (_, t) => 15 + 5 * Math.sin(t / 20)),
      slope: Float64Array.from(market.dates, (_, t) => 0.01 + 0.001 * Math.cos(t / 15)),
      hySpread: Float64Array.from(market.dates, (_, t) => 0.04 + 0.002 * Math.sin(t / 11)),
      factorReturns: fr,
    },
    samples,
    { changeWindow: 21, trailingWindow: 21 },
  );
  const targets = lib.nextPeriodReturns(fr, samples);
  const friedman = lib.friedman1(60, { seed: 1 });
  const X = Array.from({ length: 60 }, (_, i) => Array.from(friedman.X[i]));
  const forest = new lib.RandomForestRegressor({ nTrees: 5, seed: 1 }).fit(X, Array.from(friedman.y));
  const chart = lib.lineChart({ title: "T", x: [1, 2], series: { a: [1, 2] }, xLabel: "X (1)", yLabel: "Y (1)" });
  const directory = Deno.makeTempDirSync({ prefix: "fuzz-data-" });
  for (const [name, spec] of Object.entries(lib.MARKET_FILES)) {
    // Loaders return decimals; the files hold percent where the schema says so.
    const percent = (spec.columns as readonly lib.ColumnSpec[]).filter((c) => c.percent).map((c) => c.name);
    const table = lib.loadMarketTable(source, name as lib.MarketFileName);
    lib.writeCsv(table.withColumns(...percent.map((c) => pl.col(c).mul(100).alias(c))), spec, directory);
  }
  const stateX = seq(
    150,
    (i) => [Math.sin(i / 9), Math.cos(i / 7), 0.02 + 0.001 * Math.sin(i / 5), Math.log(15 + i % 7)],
  );
  const fit = lib.fitCreditStates(stateX, { source, seed: 1, nInit: 1, maxIter: 3 });
  const firms = lib.generateFirmUniverse({ seed: "fuzz", firms: 8, start: "2010-01-04", end: "2013-12-31" });
  const firmScores = lib.scoreFirmUniverse(firms, { transitions, nStarts: 1, maxIter: 5 });
  const ceInputs = lib.firmUniverseInputs(firms, firmScores.score, { hedgeRatio: firmScores.hedgeRatio });
  const ctx: lib.WeightsContext = {
    t: 600,
    names: Int32Array.from([0, 1, 2]),
    signals: Float64Array.from([1.2, -0.8, 0.9]),
    directions: Int8Array.from([1, -1, 1]),
    returns: [0, 1, 2].map((k) => Float64Array.from(wave(60, 0.002 * (k + 1), 0.0001 * k))),
    marketCap: Float64Array.from([3, 2, 1]),
  };
  cached = {
    firms,
    firmScores,
    ceInputs,
    ctx,
    directory,
    stateX,
    states: { model: fit.model, path: fit.model.decode(stateX).states },
    source,
    dates,
    returns,
    universe,
    market,
    signals,
    overlay,
    overlaySignals,
    overlayResult,
    backtest,
    transitions,
    hmm,
    hmmX,
    yields,
    curves,
    ranked,
    samples,
    features,
    targets,
    forest,
    friedman: { X, y: Array.from(friedman.y) },
    chart,
  };
  return cached;
}

const F = fixtures;
const seq = <T = number>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const wave = (n: number, scale = 0.01, level = 0) => seq(n, (i) => level + scale * Math.sin(i / 2.3) + scale * 0.1);
const days = (n: number) => lib.businessDays("2021-01-01", "2030-12-31", "weekdays").slice(0, n);
const spd = (n: number) => Float64Array.from(wave(n, 0.001, 0.01));
const rng = () => lib.makeRng("fuzz");
const PANEL = () => lib.panel(Float64Array.from(seq(40 * 6, (i) => 0.01 + 0.001 * Math.sin(i))), 40, 6);
const returnsOf = () => Array.from(F().returns);

/** Every fuzzed export, by name. */
export const CASES: Readonly<Record<string, FuzzCase>> = {
  // core
  alignAsOf: { args: () => [days(6), days(4).slice(1), [1, 2, 3], { maxStaleDays: 7 }], nanOk: "NaN before the first" },
  businessDays: { args: () => ["2024-01-01", "2024-02-01", "nyse"] },
  easterSunday: { args: () => [2024] },
  holidays: { args: () => [2024, "nyse"] },
  isoDate: { args: () => [day("2024-01-02")] },
  parseIsoDate: { args: () => ["2024-01-02"] },
  yearFraction: { args: () => [day("2024-01-02"), day("2025-01-02")] },
  expm: { args: () => [[[-0.1, 0.1], [0.2, -0.2]]] },
  leastSquares: { args: () => [[[1, 0], [1, 1], [1, 2], [1, 4]], [1, 2, 2.9, 5.2]] },
  logm: { args: () => [[[0.9, 0.1], [0.2, 0.8]]] },
  nelderMead: { args: () => [(x: number[]) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2, [0, 0], { maxIterations: 200 }] },
  choleskyLower: { args: () => [[[4, 2], [2, 3]]] },
  correlatedNormals: { args: () => [rng(), [[1, 0.5], [0.5, 1]], 5] },
  correlatedNormalSampler: { args: () => [[[1, 0.5], [0.5, 1]]] },
  fillStandardNormal: { args: () => [rng(), new Float64Array(4)] },
  gamma: { args: () => [rng(), 2.5] },
  makeRng: { args: () => ["seed", "stream"] },
  randomInteger: { args: () => [rng(), 10] },
  standardNormal: { args: () => [rng()] },
  studentT: { args: () => [rng(), 5, { standardized: true }] },
  uniform: { args: () => [rng(), -1, 2] },
  logAddExp: { args: () => [-1, -2] },
  logSumExp: { args: () => [[-1, -2, -3]] },
  normCdf: { args: () => [0.3] },
  normInv: { args: () => [0.3] },
  normLogCdf: { args: () => [-3] },
  normLogPdf: { args: () => [0.5] },
  normPdf: { args: () => [0.5] },
  correlation: { args: () => [[1, 2, 3, 4.5], [2, 1, 4, 3]] },
  correlationMatrix: { args: () => [{ a: [1, 2, 3, 4.5], b: [2, 1, 4, 3] }] },
  diff: { args: () => [[1, 2, 4, 7], 1] },
  excessKurtosis: { args: () => [[1, 2, 4, 7, 3, 2]] },
  gaussianKde: { args: () => [[1, 2, 4, 7, 3, 2], [0, 2, 4], 0.8] },
  mean: { args: () => [[1, 2, 4]] },
  quantile: { args: () => [[1, 2, 4, 7], 0.3] },
  rollingMean: { args: () => [[1, 2, 4, 7, 3], 2, { minCount: 2 }], nanOk: "NaN during the warm-up" },
  silvermanBandwidth: { args: () => [[1, 2, 4, 7, 3, 2]] },
  skewness: { args: () => [[1, 2, 4, 7, 3, 2]] },
  sortedQuantile: { args: () => [[1, 2, 4, 7], 0.3] },
  standardDeviation: { args: () => [[1, 2, 4, 7], 1] },
  sum: { args: () => [[1, 2, 4]] },
  variance: { args: () => [[1, 2, 4, 7], 1] },

  // data
  parseTable: { args: () => ["date,VIXCLS\n2024-01-02,13.2\n", lib.MARKET_FILES.vix, "vix.csv"] },
  readTable: { args: () => [`${F().directory}/vix.csv`, lib.MARKET_FILES.vix] },
  toDecimalUnits: { args: () => [lib.loadTreasuryYields(F().source).head(5), lib.MARKET_FILES.treasuryYields] },
  validateTable: {
    args: () => [lib.loadVix(F().source).head(5), lib.MARKET_FILES.vix, "vix.csv", "load"],
  },
  dateColumn: { args: () => [lib.loadVix(F().source).head(5), "date"] },
  floatColumn: { args: () => [lib.loadVix(F().source).head(5), "VIXCLS"] },
  nanColumn: { args: () => [lib.loadVix(F().source).head(5), "VIXCLS"], nanOk: "missing values as NaN by design" },
  nanToNull: { args: () => [[1, NaN, 3]] },
  nullableColumn: { args: () => [lib.loadVix(F().source).head(5), "VIXCLS"] },
  stringColumn: { args: () => [pl.DataFrame({ t: ["a", "b"] }), "t"] },
  directorySource: { args: () => [F().directory, "market-data directory"] },
  dataBanner: { args: () => [F().source] },
  loadCreditSpreads: { args: () => [F().source], runs: 6 },
  loadEquityPrices: { args: () => [F().source], runs: 6 },
  loadEtf: { args: () => [F().source, "HYG"], runs: 6 },
  loadFundamentals: { args: () => [F().source], runs: 6 },
  loadKmvInputs: { args: () => [F().source], runs: 6 },
  loadMarketTable: { args: () => [F().source, "vix"], runs: 6 },
  loadMultiYearTransitions: { args: () => [F().source], runs: 6 },
  loadRatingTransitions: { args: () => [F().source, { nrAdjusted: true }], runs: 6 },
  loadSpx: { args: () => [F().source], runs: 6 },
  loadTreasuryYields: { args: () => [F().source], runs: 6 },
  loadVix: { args: () => [F().source], runs: 6 },
  loadVixOhlc: { args: () => [F().source], runs: 6 },
  sourceCaption: { args: () => [F().source, "vix", ["VIXCLS"]] },
  loadOverlayHistory: { args: () => [{ source: F().source, start: "2019-01-01", end: "2019-06-30" }], runs: 10 },
  overlayMarketSeries: { args: () => [{ cdx: F().overlay.cdx, vix: F().overlay.vix, etf: F().overlay.etf }] },
  formatCsv: { args: () => [lib.loadVix(F().source).head(3), lib.MARKET_FILES.vix] },
  writeCsv: {
    args: () => [lib.loadVix(F().source).head(3), lib.MARKET_FILES.vix, Deno.makeTempDirSync({ prefix: "fuzz-" })],
    frozen: ["1", "2"],
  },
  parseCboe: { args: () => ["DATE,OPEN,HIGH,LOW,CLOSE\n01/02/2024,13.2,14.0,12.9,13.5\n"] },
  parseOpenRiskMatrices: {
    args: () => [
      [
        "S&P",
        "7,9,1,1",
        ...seq(7, (i) => seq(9, (j) => (j === i ? 90 : j === 8 ? 10 - 0.5 * i : j === 7 ? 0.5 * i : 0)).join(",")),
      ]
        .join("\n"),
    ],
  },

  // market
  fitAR1: { args: () => [wave(30, 1)] },
  fitOU: { args: () => [Array.from(spd(60)), 1 / 252] },
  ouStationary: { args: () => [{ kappa: 1, mu: 0.01, sigma: 0.002 }] },
  ouTransition: { args: () => [{ kappa: 1, mu: 0.01, sigma: 0.002 }, 0.012, 1 / 252] },
  simulateAR1: { args: () => [rng(), 20, { persistence: 0.5, sigma: 0.1 }, { nu: 5, maxShock: 10 }] },
  simulateOU: { args: () => [{ x0: 0.01, kappa: 1, mu: 0.01, sigma: 0.002, dt: 1 / 252, steps: 10, seed: 1 }] },
  drawGarch: { args: () => [rng(), 20, { omega: 1e-6, alpha: 0.1, beta: 0.85, nu: 6 }, 2e-5] },
  fitGarch: { args: () => [wave(120, 0.01), { distribution: "normal" }], runs: 10 },
  garchVariance: { args: () => [wave(20, 0.01), { omega: 1e-6, alpha: 0.1, beta: 0.85 }, 2e-5] },
  simulateGarch: { args: () => [{ omega: 1e-6, alpha: 0.1, beta: 0.85, steps: 20, seed: 1 }] },
  alignCurves: { args: () => [[lib.treasuryCurveOn(F().yields, "2020-03-02")]] },
  bootstrapCurve: { args: () => [{ maturities: [0.5, 1, 2, 5, 10], yields: [0.04, 0.041, 0.042, 0.043, 0.045] }] },
  fitNelsonSiegel: { args: () => [[0.5, 1, 2, 5, 10], [0.04, 0.041, 0.042, 0.043, 0.045], 0.0609 * 12] },
  nelsonSiegelLoadings: { args: () => [5, 0.7308] },
  nelsonSiegelYield: { args: () => [{ level: 0.05, slope: -0.01, curvature: 0.005 }, 5, 0.7308] },
  parYieldAt: { args: () => [F().curves, 3, 5] },
  treasuryCurveOn: { args: () => [F().yields, "2020-03-02", { minTenors: 4 }] },
  treasuryCurves: { args: () => [F().yields, { start: "2020-01-01", end: "2020-03-31", minTenors: 4 }] },
  episodePeaks: {
    args: () => [lib.businessDays("2008-01-01", "2009-12-31"), {
      HY: seq(lib.businessDays("2008-01-01", "2009-12-31").length, (i) => 0.05 + 0.0001 * i),
    }, [lib.CREDIT_EPISODES[0]]],
  },
  periodHighlights: { args: () => [lib.US_RECESSIONS, "2000-01-01"] },
  bondAnalytics: { args: () => [0.05, 0.04, 10, 2] },
  bondPrice: { args: () => [{ yield: 0.05, coupon: 0.04, maturity: 10, frequency: 2 }] },
  bondYield: { args: () => [{ price: 95, coupon: 0.04, maturity: 10, frequency: 2 }] },
  convexity: { args: () => [{ yield: 0.05, coupon: 0.04, maturity: 10, frequency: 2 }] },
  modifiedDuration: { args: () => [{ yield: 0.05, coupon: 0.04, maturity: 10, frequency: 2 }] },
  cdsReturns: { args: () => [days(20), spd(20), { tenor: 5, recovery: 0.4, rate: 0.03 }] },
  hazardRate: { args: () => [0.01, 0.4] },
  riskyAnnuity: { args: () => [0.01, 5, 0.4, 0.03] },
  rpv01Series: { args: () => [spd(10), { tenor: 5, recovery: 0.4, rate: 0.03 }] },
  fitCreditFactor: {
    args: () => {
      const d = lib.businessDays("1997-01-02", "2024-12-31", "weekdays");
      const { factor } = lib.simulateCreditFactor(lib.makeRng("fuzz-factor"), d, lib.UNIVERSE_PARAMS.factor);
      const noise = (k: string) =>
        lib.simulateAR1(lib.makeRng("fuzz", k), d.length, { persistence: 0.99, sigma: 0.01 });
      const [a, b] = [noise("a"), noise("b")];
      return [d, {
        IG: Float64Array.from(factor, (f, t) => 0.3 + f + a[t]),
        HY: Float64Array.from(factor, (f, t) => 1.6 + f + b[t]),
      }, {}];
    },
    runs: 6,
    timeoutMs: 10_000,
  },
  simulateCreditFactor: {
    args: () => [rng(), days(30), lib.UNIVERSE_PARAMS.factor, { episodes: false }],
  },
  stressLevel: { args: () => [days(30), lib.UNIVERSE_PARAMS.factor, { episodes: false }] },
  bondPanels: { args: () => [F().universe] },
  calibrateUniverse: { args: () => [lib.loadCreditSpreads(F().source), {}], runs: 6, timeoutMs: 15_000 },
  generateBondUniverse: { args: () => [{ curves: flatCurves(40), issuers: 5, seed: "x" }], runs: 12 },
  isInvestmentGrade: { args: () => ["BBB"] },
  changeCorrelations: { args: () => [{ a: [1, 2, 4, 3, 5], b: [2, 1, 3, 5, 4] }] },
  indexSpreads: { args: () => [F().universe, { IG: ["AAA", "AA", "A", "BBB"], HY: ["BB", "B", "CCC"] }] },
  spreadStatistics: { args: () => [{ a: Array.from(spd(300)), b: Array.from(spd(300)).map((x) => x * 2) }] },
  summarizeUniverse: { args: () => [F().universe] },
  generateCdxSample: { args: () => [{ seed: 1, days: 30 }] },
  generateEtfSample: { args: () => [{ seed: 1, days: 30 }] },
  generateOverlayMarket: { args: () => [{ seed: 1, days: 30, start: "2024-01-01" }] },
  generateVixSample: { args: () => [{ seed: 1, days: 30 }] },
  stressPeriods: { args: () => [days(6), [0, 1, 1, 0, 0, 1], "stress"] },

  // credit
  kmvDefaultPoint: { args: () => [10, 20] },
  mertonConvergence: { args: () => [{ equity: 40, equityVol: 0.5, debt: 80, rate: 0.03, horizon: 1 }] },
  mertonEquity: { args: () => [120, 0.25, 80, 0.03, 1] },
  mertonSpread: { args: () => [{ assetValue: 120, assetVol: 0.25, debt: 80, rate: 0.03, horizon: 1 }] },
  solveMerton: { args: () => [{ equity: 40, equityVol: 0.5, debt: 80, rate: 0.03, horizon: 1 }] },
  solveMertonArrays: {
    nanOk: "a missing (NaN) input gives a missing output by design",
    args: () => [{ equity: [40, 42], equityVol: [0.5, 0.45], debt: [80, 80], rate: 0.03, horizon: 1 }],
  },
  firmMertonSeries: { args: () => ["DVN", { source: F().source }], runs: 6, timeoutMs: 10_000 },
  mertonTimeSeries: {
    args: () => [{
      dates: days(30),
      equity: wave(30, 2, 50),
      shortTermDebt: seq(30, () => 20),
      longTermDebt: seq(30, () => 40),
      rate: 0.03,
      window: 20,
    }],
    nanOk: "NaN during the volatility warm-up",
  },
  rollingVolatility: { args: () => [wave(30, 2, 50), 10, 252], nanOk: "NaN during the warm-up" },
  alignColumn: {
    args: () => [days(5), pl.DataFrame({ date: days(5), x: [1, 2, 3, 4, 5] }), "x", "date"],
  },
  mertonPanel: { args: () => [["DVN", "HAL"], { source: F().source }], runs: 4, timeoutMs: 15_000 },
  mertonRecoveryStudy: {
    args: () => [[{ label: "levered", assetVol: 0.25, leverage: 0.7 }], { seed: 11, days: 300, window: 60 }],
    runs: 6,
    timeoutMs: 15_000,
  },
  simulateMertonFirm: { args: () => [{ seed: 1, assetVol: 0.25, leverage: 0.6, days: 60 }] },
  trendCorrelation: { args: () => [wave(80, 1), wave(80, 2), 20] },
  compoundTransitions: { args: () => [[[0.9, 0.1], [0, 1]], 3] },
  isInvestmentGradeNotch: { args: () => [9] },
  letterNotches: { args: () => ["AA"] },
  lettersFromNotches: { args: () => [lib.notchTransitionMatrix(F().transitions)] },
  notchIndex: { args: () => ["BBB-"] },
  notchName: { args: () => [3] },
  notchPdScale: { args: () => [F().transitions, { floor: 1e-5 }] },
  notchToLetter: { args: () => [3] },
  notchTransitionMask: { args: () => [{ maxJump: 2 }] },
  notchTransitionMatrix: { args: () => [F().transitions, {}] },
  pdsToNotches: { args: () => [[0.001, 0.02], lib.notchPdScale(F().transitions)] },
  pdToNotch: { args: () => [0.001, lib.notchPdScale(F().transitions)] },
  ratingGenerator: { args: () => [lib.notchTransitionMatrix(F().transitions), { method: "weighted" }] },
  transitionMatrixForStep: {
    args: () => [lib.ratingGenerator(lib.notchTransitionMatrix(F().transitions)).generator, 1 / 12],
  },
  GaussianHMM: {
    args: () => [{ nStates: 2, seed: 1 }, F().hmmX, { maxIter: 5 }],
    call: (opts, X, fit) => {
      const m = new lib.GaussianHMM(opts as lib.GaussianHMMOptions).fit(X as number[][], fit as { maxIter: number });
      return { score: m.score(X as number[][]), filtered: m.filterProba(X as number[][]) };
    },
    names: ["X", "opts", "fit"],
  },
  simulateHMM: {
    args: () => [
      { startProb: [0.5, 0.5], transMat: [[0.9, 0.1], [0.2, 0.8]], means: [[0], [3]], variances: [[1], [1]] },
      20,
      1,
    ],
  },
  creditStateObservables: {
    args: () => [{ source: F().source, start: "2019-01-02", end: "2019-06-28", leverage: 0.6 }],
    runs: 8,
    timeoutMs: 10_000,
  },
  decodeAccuracy: { args: () => [F().hmm, F().hmmX, seq(60, (i) => i % 2)] },
  episodeColumnMarks: {
    args: () => [[{ name: "Covid", short: "Covid", peak: "2020-03-23" }], ["2020-01", "2020-02", "2020-03"], {
      period: "month",
    }],
  },
  expectedNotch: { args: () => [[[0.5, 0.5], [0.2, 0.8]]] },
  fitCreditStates: {
    args: () => [F().stateX, { source: F().source, seed: 1, nInit: 1, maxIter: 3 }],
    runs: 6,
    timeoutMs: 15_000,
  },
  lookAheadGap: { args: () => [[[0.5, 0.5], [0.2, 0.8]], [[0.4, 0.6], [0.1, 0.9]]] },
  periodStateProbabilities: { args: () => [days(3), [[0.5, 0.5], [0.2, 0.8], [0.1, 0.9]], { period: "month" }] },
  stateSummary: { args: () => [F().states.model, F().states.path] },
  windowSeries: { args: () => [days(5), { a: [1, 2, 3, 4, 5] }, "2021-01-04", "2021-01-06"] },

  // synthetic
  resolveMarketData: { args: () => [undefined] },
  standInSource: { args: () => ["seed", "the stand-in was asked for"] },
  standInMarket: { args: () => ["fuzz", {}], runs: 4, timeoutMs: 30_000 },
  calibrateStandIn: {
    args: () => [lib.directorySource(F().directory), "1997-01-02", "2025-12-31"],
    runs: 4,
    timeoutMs: 30_000,
  },

  // signals
  crossSectionalRank: { args: () => [PANEL()], nanOk: "NaN (not available) passes through a panel" },
  groupZScore: {
    args: () => [PANEL(), [0, 0, 0, 1, 1, 1], { minGroup: 2 }],
    nanOk: "NaN passes through; small groups are NaN",
  },
  mapPanel: { args: () => [PANEL(), (x: number) => 2 * x], nanOk: "NaN passes through a panel" },
  panel: { args: () => [new Float64Array(6), 2, 3], nanOk: "NaN (not available) is a panel value" },
  rollingZScore: { args: () => [PANEL(), 10], nanOk: "NaN during the warm-up" },
  carrySignal: { args: () => [PANEL().values, 6] },
  momentumSeries: { args: () => [spd(30), 5], nanOk: "NaN during the warm-up" },
  momentumSignal: { args: () => [PANEL().values, 6, { lookback: 5 }], nanOk: "NaN during the warm-up" },
  valueOwnHistory: { args: () => [PANEL().values, 6, { window: 10 }], nanOk: "NaN during the warm-up" },
  valuePeers: { args: () => [PANEL().values, 6, [0, 0, 0, 1, 1, 1]], nanOk: "groups below minGroup are NaN" },
  valueSignal: { args: () => [PANEL().values, 6, [0, 0, 0, 1, 1, 1], { window: 10 }], nanOk: "warm-up" },
  compositeSeries: {
    args: () => [[Float64Array.from([1, 2, 3]), Float64Array.from([3, 2, 1])], [0.5, 0.5]],
    nanOk: "NaN passes through",
  },
  compositeSignal: {
    args: () => [[{ signal: PANEL(), weight: 0.5 }, { signal: PANEL(), weight: 0.5 }]],
    nanOk: "NaN passes through a panel",
  },
  deskSignals: { args: () => [F().universe, { momentumLookback: 21, valueWindow: 40 }], nanOk: "warm-up", runs: 12 },
  factorCorrelations: { args: () => [{ a: PANEL(), b: lib.crossSectionalRank(PANEL()) }, { minAssets: 3 }] },
  forwardReturns: { args: () => [PANEL().values, 6, 5, 0], nanOk: "NaN where the window runs past the end" },
  icByHorizon: { args: () => [PANEL(), PANEL().values, [1, 5], { minAssets: 3 }] },
  icDecay: { args: () => [PANEL(), PANEL().values, [0, 5], 5, { minAssets: 3 }] },
  quantileReturns: { args: () => [PANEL(), PANEL(), 3] },
  rankIC: { args: () => [PANEL(), lib.crossSectionalRank(PANEL()), { minAssets: 3 }], nanOk: "NaN on dates too thin" },
  summarizeIC: { args: () => [Float64Array.from(wave(40, 0.1, 0.05)), 5, 4] },
  aggregateSignals: {
    args: () => {
      const o = F().overlay;
      return [{
        basis: lib.computeCdxEtfBasis(o.cdx, o.etf),
        vixGap: lib.computeCdxVixGap(o.cdx, o.vix),
        momentum: lib.computeSpreadMomentum(o.cdx),
      }, { weights: { basis_signal: 0.4, vix_gap: 0.4, momentum: 0.2 }, threshold: 1 }];
    },
    nanOk: "NaN during the warm-up",
  },
  basisSeries: { args: () => [spd(20), Float64Array.from(wave(20, 1, 80)), { duration: 4, multiple: 1, rate: 0.03 }] },
  computeCdxEtfBasis: { args: () => [F().overlay.cdx, F().overlay.etf, { lookback: 20 }], nanOk: "warm-up" },
  computeCdxVixGap: { args: () => [F().overlay.cdx, F().overlay.vix, { lookback: 20 }], nanOk: "warm-up" },
  computeSpreadMomentum: { args: () => [F().overlay.cdx, { lookback: 20 }], nanOk: "warm-up" },
  overlaySignalIC: { args: () => [F().overlaySignals, F().overlay.cdx, { horizons: [1, 5] }] },
  signalSeries: { args: () => [F().overlaySignals], nanOk: "warm-up" },
  trailingZScore: { args: () => [spd(30), 5], nanOk: "warm-up" },

  // backtest
  runBook: {
    args: () => [
      { dates: days(10), returns: Float64Array.from(seq(20, (i) => 0.001 * Math.sin(i))), assets: 2 },
      (_s: unknown, target: Float64Array) => {
        target[0] = 0.5;
        target[1] = 0.5;
      },
      { rebalance: "weekly" },
    ],
  },
  costFunction: { args: () => [{ bidAsk: true }] },
  runBacktest: {
    args: () => [{ market: F().market, signal: F().signals.composite, rebalance: "weekly", start: "2010-03-01" }],
    runs: 12,
  },
  runOverlayBacktest: { args: () => [F().overlaySignals, F().overlay.cdx, { entry: 1, exit: 0.5, costBp: 5 }] },
  annualVolatility: { args: () => [returnsOf(), { periodsPerYear: 252 }] },
  cagr: { args: () => [returnsOf(), { periodsPerYear: 252 }] },
  calmarRatio: { args: () => [returnsOf().map((r, i) => (i % 7 === 0 ? -0.004 : r)), { periodsPerYear: 252 }] },
  conditionalValueAtRisk: { args: () => [returnsOf(), 0.95, {}] },
  deflatedSharpeRatio: {
    args: () => [returnsOf().map((r, i) => r + 0.001 * Math.cos(i)), { trials: 10, sharpeVariance: 0.01 }],
  },
  drawdownSeries: { args: () => [returnsOf()] },
  expectedMaxSharpe: { args: () => [10, 0.01] },
  hitRate: { args: () => [returnsOf()] },
  informationRatio: { args: () => [returnsOf(), returnsOf().map((r, i) => r * 0.5 + 0.0001 * Math.cos(i)), {}] },
  maxDrawdown: { args: () => [returnsOf()] },
  probabilisticSharpeRatio: { args: () => [returnsOf().map((r, i) => r + 0.001 * Math.cos(i)), { benchmark: 0 }] },
  sharpeRatio: { args: () => [returnsOf().map((r, i) => r + 0.001 * Math.cos(i)), { periodsPerYear: 252 }] },
  sortinoRatio: { args: () => [returnsOf().map((r, i) => r + 0.002 * Math.cos(i)), { periodsPerYear: 252 }] },
  valueAtRisk: { args: () => [returnsOf(), 0.95, {}] },
  compareSummaries: {
    args: () => [
      { A: lib.performanceSummary(returnsOf()), B: lib.performanceSummary(returnsOf().map((r) => r / 2)) },
      "USD",
    ],
  },
  equityCurve: { args: () => [{ pnl: [0, 10, -5], notional: 1000 }, 1000] },
  formatSummary: { args: () => [lib.performanceSummary(returnsOf()), "USD"] },
  overlaySummary: { args: () => [F().overlayResult, { capital: 1e7, minTrades: 1 }] },
  performanceSummary: { args: () => [returnsOf().map((r, i) => r + 0.001 * Math.cos(i)), { periodsPerYear: 252 }] },
  exportOverlay: {
    args:
      () => [F().overlayResult, lib.overlaySummary(F().overlayResult), Deno.makeTempDirSync({ prefix: "fuzz-" }), "x"],
    frozen: ["2", "3"],
  },
  readOverlayExport: {
    args: () => {
      const dir = Deno.makeTempDirSync({ prefix: "fuzz-" });
      return [lib.exportOverlay(F().overlayResult, lib.overlaySummary(F().overlayResult), dir)];
    },
  },
  attribution: { args: () => [F().backtest] },
  compareStrategies: { args: () => [{ A: F().backtest }] },
  improvement: {
    args: () => {
      const [row] = lib.compareStrategies({ A: F().backtest });
      return [row, { ...row }];
    },
  },
  sweepExecution: {
    args: () => [{ market: F().market, signal: F().signals.composite, start: "2010-03-01" }, {
      schedules: ["weekly"],
      bands: [0, 0.02],
    }],
    runs: 8,
  },
  sweepOverlayWeights: {
    args: () => [F().overlaySignals, F().overlay.cdx, { step: 0.5, entries: [1], minTrades: 1 }],
    runs: 10,
  },
  sweepSummary: {
    args: () => [
      lib.sweepOverlayWeights(F().overlaySignals, F().overlay.cdx, { step: 0.5, entries: [1], minTrades: 1 }),
      { basis_signal: 0.5, vix_gap: 0.5, momentum: 0 },
    ],
  },
  weightSimplexGrid: {
    args: () => [
      lib.sweepOverlayWeights(F().overlaySignals, F().overlay.cdx, { step: 0.5, entries: [1], minTrades: 1 }),
      { metric: "total_pnl", entry: 1 },
    ],
  },
  monthlyReturns: { args: () => [F().dates, returnsOf()] },
  rollingAnnualVolatility: { args: () => [returnsOf(), 20, { periodsPerYear: 252 }], nanOk: "warm-up" },
  rollingSharpe: {
    args: () => [returnsOf().map((r, i) => r + 0.001 * Math.cos(i)), 20, { periodsPerYear: 252 }],
    nanOk: "warm-up",
  },
  worstDrawdowns: { args: () => [F().dates, returnsOf().map((r, i) => (i % 9 === 0 ? -0.01 : r)), 3] },
  yearlyReturns: { args: () => [F().dates, returnsOf()] },

  executionTable: { args: () => [{ A: F().backtest, B: F().backtest }, { base: "A", patient: "B" }] },
  executionSummary: { args: () => [{ A: F().backtest }] },

  // ml
  friedman1: { args: () => [30, { noiseSd: 1, features: 6, seed: 1 }] },
  permutationImportance: { args: () => [F().forest, F().friedman.X, F().friedman.y, { nRepeats: 2, seed: 1 }] },
  r2Score: { args: () => [[1, 2, 3, 4], [1.1, 1.9, 3.2, 3.8]] },
  RandomForestRegressor: {
    args:
      () => [{ nTrees: 4, maxDepth: 4, minSamplesLeaf: 2, maxFeatures: 0.5, seed: 1 }, F().friedman.X, F().friedman.y],
    call: (opts, X, y) =>
      new lib.RandomForestRegressor(opts as lib.ForestOptions).fit(X as number[][], y as number[]).predict(
        X as number[][],
      ),
    names: ["X", "y", "opts"],
  },
  foldTimeline: { args: () => [lib.walkForwardFolds(20, { minTrain: 5 }), days(20), 1] },
  walkForward: {
    args: () => [{
      n: 20,
      minTrain: 5,
      fit: (train: Int32Array) => train.length,
      predict: (_m: number, test: Int32Array) => Array.from(test, () => [1]),
    }],
    nanOk: "NaN before the first forecast",
  },
  walkForwardFolds: { args: () => [20, { minTrain: 5, embargo: 1, refitEvery: 2, scheme: "expanding" }] },

  // strategies
  bookStatistics: { args: () => [F().backtest, F().market, { from: "2010-06-01", to: "2010-12-31" }] },
  factorReturns: {
    args: () => [F().market, { carry: F().signals.carry, momentum: F().signals.momentum, value: F().signals.value }, {
      topFraction: 0.25,
    }],
    nanOk: "NaN during the signals' warm-up",
  },
  forecastWeights: { args: () => [[0.01, 0.02, -0.01], { floor: 0.1, cap: 0.6 }] },
  monthEnds: { args: () => [F().dates, 0] },
  nextPeriodReturns: {
    args: () => [
      lib.factorReturns(F().market, {
        carry: F().signals.carry,
        momentum: F().signals.momentum,
        value: F().signals.value,
      }),
      F().samples,
    ],
    nanOk: "NaN after the last sample",
  },
  overlayBooks: {
    args: () => [F().market, F().ranked, F().samples, new Float64Array(F().samples.length * 3).fill(1 / 3), {
      rebalance: "weekly",
    }, { static: false }],
    nanOk: "NaN before the first sample",
    runs: 10,
  },
  overlayWeights: { args: () => [Float64Array.from([0.01, 0.02, -0.01, 0.0, 0.01, 0.03]), { floor: 0.1, cap: 0.6 }] },
  rankFactors: {
    args: () => [{ carry: F().signals.carry, momentum: F().signals.momentum, value: F().signals.value }],
    nanOk: "NaN during the signals' warm-up",
  },
  regimeFeatures: {
    args: () => {
      const m = F().market;
      return [
        {
          vix: Float64Array.from(m.dates, (_, t) => 15 + 5 * Math.sin(t / 20)),
          slope: Float64Array.from(m.dates, (_, t) => 0.01 + 0.001 * Math.cos(t / 15)),
          hySpread: Float64Array.from(m.dates, (_, t) => 0.04 + 0.002 * Math.sin(t / 11)),
          factorReturns: lib.factorReturns(m, {
            carry: F().signals.carry,
            momentum: F().signals.momentum,
            value: F().signals.value,
          }),
        },
        F().samples,
        { changeWindow: 21, trailingWindow: 21 },
      ];
    },
    nanOk: "NaN during the warm-up",
  },
  regimeForecasts: {
    args: () => [{
      features: F().features,
      targets: F().targets,
      walkForward: { minTrain: 4 },
      forest: { nTrees: 3, seed: 1 },
    }],
    nanOk: "NaN before the first forecast",
    runs: 10,
  },
  timeVaryingComposite: {
    args: () => [F().ranked, F().samples, new Float64Array(F().samples.length * 3).fill(1 / 3)],
    nanOk: "NaN before the first sample",
  },
  runOverlayOnce: {
    args: () => [{
      market: F().market,
      ranked: F().ranked,
      samples: F().samples,
      features: F().features,
      targets: F().targets,
      forest: { nTrees: 3, seed: 1 },
      walkForward: { minTrain: 4 },
      bounds: { floor: 0.1, cap: 0.6 },
      windows: { full: {} },
    }, null],
    runs: 8,
    timeoutMs: 10_000,
  },

  // credit scoring (issue 12)
  checkSp500Table: { args: () => [lib.loadSp500Fundamentals(F().source).head(10), "sp500_fundamentals.csv"] },
  loadSp500Fundamentals: { args: () => [F().source], runs: 6 },
  sp500Arrays: { args: () => [lib.loadSp500Fundamentals(F().source).head(10)] },
  topsis: {
    args: () => [[[7, 9, 9], [8, 7, 8], [9, 6, 8], [6, 7, 8]], [0.4, 0.3, 0.3], ["benefit", "cost", "benefit"]],
  },
  topsisSteps: {
    args: () => [[[7, 9, 9], [8, 7, 8], [9, 6, 8], [6, 7, 8]], [0.4, 0.3, 0.3], ["benefit", "cost", "benefit"]],
  },
  firstPrincipalWeights: { args: () => [[[1, 2, 3], [2, 1, 5], [3, 4, 2], [4, 3, 6], [5, 7, 1]]] },
  firstPrincipalComponent: { args: () => [[[1, 2, 3], [2, 1, 5], [3, 4, 2], [4, 3, 6], [5, 7, 1]]] },
  financialHealth: {
    args: () => [{
      ebit: [10, 5, 2, 8],
      interestExpense: [1, 2, 1.5, 0.5],
      shortTermDebt: [5, 10, 8, 2],
      longTermDebt: [20, 40, 30, 10],
      totalAssets: [100, 90, 60, 80],
      totalEquity: [60, 30, 15, 60],
      marketCap: [120, 50, 20, 90],
    }, { coverageCap: 20 }],
  },
  creditScore: { args: () => [[0.9, 0.55, 0.2], [0.9, 0.55, 0.2], { weights: [0.5, 0.5], anchored: true }] },
  notchToState: { args: () => [4] },
  scoreToNotch: { args: () => [450] },
  scoreToRating: { args: () => [450] },
  spearmanCorrelation: { args: () => [[1, 2, 3, 4, 5], [2, 1, 4, 3, 5]] },
  crossSectionStudy: {
    args: () => {
      const a = lib.sp500Arrays(lib.loadSp500Fundamentals(F().source));
      return [{ ...a, ticker: a.ticker, fiscalYear: a.fiscalYear, sector: a.sector }, { bootstrap: 5, seed: 1 }];
    },
    runs: 10,
  },
  isotonicRegression: { args: () => [[3, 1, 2, 4], [1, 2, 1, 1], { direction: "increasing", minGap: 0 }] },
  firmStatePrior: { args: () => [F().transitions, { step: "weekly" }] },
  firmStateMask: { args: () => [{ band: 2, bounds: { min: 3, max: 12 }, jumpToDefault: true }] },
  pdNotchBounds: {
    args: () => [[0.001, 0.02, 0.005], lib.notchPdScale(F().transitions), { lower: 0.05, upper: 0.95, pad: 2 }],
  },
  firmStateObservables: { args: () => [{ distanceToDefault: wave(40, 1, 4), cdsSpread: wave(40, 0.001, 0.01) }] },
  fitFirmCreditStates: {
    args: () => [seq(60, (i) => [4 + Math.sin(i / 5), -8 + Math.cos(i / 7)]), {
      features: ["dd", "log_pd"],
      prior: lib.firmStatePrior(F().transitions),
      bounds: { min: 6, max: 12 },
      nStarts: 1,
      maxIter: 3,
    }],
    runs: 8,
    timeoutMs: 15_000,
  },
  walkForwardFirmStates: {
    args: () => [seq(400, (i) => [4 + Math.sin(i / 25), -8 + Math.cos(i / 35)]), days(400), {
      features: ["dd", "log_pd"],
      prior: lib.firmStatePrior(F().transitions),
      bounds: { min: 6, max: 12 },
      nStarts: 1,
      maxIter: 3,
      minTrain: 40,
    }],
    runs: 6,
    timeoutMs: 20_000,
  },
  ledoitWolf: {
    args: () => [[[0.01, 0.02, -0.01], [0.0, 0.01, 0.02], [-0.02, 0.0, 0.01], [0.01, -0.01, 0.0], [0.02, 0.01, 0.01]]],
  },
  meanVariance: {
    args: () => [{
      expectedReturns: [0.05, 0.07, 0.06],
      covariance: [[0.04, 0.01, 0.0], [0.01, 0.09, 0.02], [0.0, 0.02, 0.06]],
      riskAversion: 3,
      maxWeight: 0.6,
      longOnly: true,
    }],
  },
  solveMeanVariance: {
    args: () => [{
      expectedReturns: [0.05, 0.07, 0.06],
      covariance: [[0.04, 0.01, 0.0], [0.01, 0.09, 0.02], [0.0, 0.02, 0.06]],
      riskAversion: 3,
      maxWeight: 0.6,
    }],
  },
  equalWeights: { args: () => [4] },
  marketCapWeights: { args: () => [[5, 3, 2, 1], { maxWeight: 0.5 }] },
  kellyFraction: { args: () => [{ winRate: 0.6, payoffRatio: 1.2 }] },
  kellyWeights: { args: () => [{ winRates: [0.6, 0.55], payoffRatios: [1.2, 1], maxWeight: 0.05, fraction: 1 }] },
  correlationFilter: {
    args: () => [[[1, 0.7, 0.2], [0.7, 1, 0.1], [0.2, 0.1, 1]], [3, 2, 1], { maxCorrelation: 0.6 }],
  },
  generateFirmUniverse: { args: () => [{ seed: "x", firms: 4, start: "2010-01-04", end: "2010-12-31" }], runs: 12 },
  mertonHedgeRatio: { args: () => [{ assetValue: 100, assetVol: 0.25, defaultPoint: 70, rate: 0.02, horizon: 1 }] },
  scoreFirmUniverse: {
    nanOk: "NaN where a value is not known yet (warm-up) or any more (after a default)",
    args: () => [F().firms, { transitions: F().transitions, nStarts: 1, maxIter: 3 }],
    runs: 4,
    timeoutMs: 30_000,
  },
  quarterlyMeans: { args: () => [days(4), [1, 2, 3, 4, 5, 6, 7, 8], ["a", "b"]] },
  notchAgreement: { args: () => [[1, 2.5, 4], [1, 2, 6]] },
  energyFirmStudy: {
    nanOk: "NaN where a value is not known yet (warm-up) or any more (after a default)",
    args: () => [F().source, { transitions: F().transitions, nStarts: 1 }],
    runs: 2,
    timeoutMs: 60_000,
  },
  firmUniverseInputs: {
    args: () => [F().firms, F().firmScores.score, { hedgeRatio: F().firmScores.hedgeRatio }],
    nanOk: "NaN scores where not known yet",
  },
  creditEquitySignal: {
    args: () => [
      { dates: F().ceInputs.dates, firms: F().ceInputs.firms, score: F().ceInputs.score, vix: F().ceInputs.vix },
      {
        normaliseWindow: 45,
      },
    ],
    nanOk: "NaN where the score or the window is not available",
  },
  runCreditEquity: {
    args: () => [F().ceInputs, { kelly: { cap: 0.05 }, maxCorrelation: 0.6 }],
    nanOk: "signals",
    runs: 10,
  },
  creditEquityBenchmarks: { args: () => [F().ceInputs, {}], runs: 10 },
  monthlyMetrics: {
    args: () => [{
      dates: F().dates,
      returns: returnsOf(),
      riskFree: F().dates.map(() => 0.0001),
      outOfSampleStart: "2020-03-01",
    }],
  },
  equalWeightHook: { args: () => [F().ctx] },
  marketCapWeightHook: { args: () => [F().ctx] },
  meanVarianceWeightHook: {
    args: () => [{ riskAversion: 5, maxWeight: 0.5, shrink: true }, F().ctx],
    call: (p, ctx) => lib.meanVarianceWeightHook(p as { riskAversion: number })(ctx as lib.WeightsContext),
    names: ["ctx"],
  },
  trailingMoments: { args: () => [F().ctx] },

  // charts
  claim: { args: () => [{ question: "Sharpe ratio", original: "1.2", measured: "0.31", note: "out of sample" }] },
  barChart: { args: () => [{ title: "C", categories: ["IG", "HY"], series: { D: [2, 5] }, yLabel: "Cost (bp)" }] },
  drawdownChart: { args: () => [{ title: "D", dates: days(4), wealth: { S: [1, 0.9, 0.95, 1.1] } }] },
  formatBp: { args: () => [0.0123, 0] },
  formatNumber: { args: () => [1234.5, 2] },
  formatPercent: { args: () => [0.0123, 2] },
  heatmapChart: {
    args: () => [{
      title: "H",
      rows: ["A", "B"],
      columns: ["A", "B"],
      values: [[0.9, 0.1], [0.2, 0.8]],
      xLabel: "To (rating)",
      yLabel: "From (rating)",
      colorLabel: "Probability (1)",
    }],
  },
  heatmapColumnFrames: { args: () => [[{ column: "A", label: "a" }], { rows: ["r"], columns: ["A", "B"] }] },
  histogramChart: { args: () => [{ title: "H", values: [-2, -1, 0, 0, 1, 3], xLabel: "Change (bp)" }] },
  lineChart: { args: () => [{ title: "L", x: [1, 2], series: { a: [1, 2] }, xLabel: "X (1)", yLabel: "Y (1)" }] },
  markdown: { args: () => ["**bold**"] },
  monthlyReturnsHeatmap: {
    args: () => [{ title: "M", years: [2024], values: [seq(12, (i) => 0.01 * Math.sin(i))] }],
  },
  overlayCompositeChart: {
    args: () => [{ dates: days(4), composite: [0, 1.2, -0.3, 0.5] }, { title: "C", entry: 1, exit: 0.25 }],
  },
  overlayDrawdownChart: { args: () => [{ dates: days(4), pnl: [0, -1e5, 5e4, 1e5], notional: 1e6 }, { title: "D" }] },
  overlayEquityChart: { args: () => [{ dates: days(4), pnl: [0, 1e4, -5e3, 2e4], notional: 1e6 }, { title: "E" }] },
  overlayMarketChart: {
    args: () => [{
      dates: days(4),
      spread: [0.005, 0.0052, 0.0053, 0.0051],
      vix: [13, 14, 15, 14],
      etf: [77, 76.5, 76, 76.2],
    }, {
      title: "M",
    }],
  },
  overlayPositionChart: {
    args: () => [{ dates: days(4), spread: [0.005, 0.006, 0.007, 0.006], position: Int8Array.from([0, 1, 1, -1]) }, {
      title: "P",
    }],
  },
  overlaySignalsChart: {
    args: () => [{ dates: days(4), basis: [0, 0.5, 1, -1], vixGap: [0, 0.2, 1, 2], momentum: [0, 1, 2, 3] }, {
      title: "S",
    }],
  },
  ratingColors: { args: () => [["AAA", "BB"]] },
  rollingSharpeChart: {
    args: () => [{
      title: "R",
      dates: days(4),
      sharpe: { S: [0.1, 0.2, 0.3, 0.2] },
      volatility: { S: [0.1, 0.1, 0.12, 0.1] },
    }],
  },
  savePlot: { args: () => [F().chart, `${Deno.makeTempDirSync({ prefix: "fuzz-" })}/c.svg`], frozen: ["1"] },
  scatterChart: { args: () => [{ title: "S", x: [1, 2], y: [2, 3], xLabel: "X (bp)", yLabel: "Y (bp)" }] },
  stackedTimeSeriesChart: {
    args: () => [{ title: "S", dates: days(4), panels: [{ series: { a: [0, 0.01, 0.005, 0.02] }, yLabel: "Y (%)" }] }],
  },
  table: { args: () => [[{ name: "a", oas: 0.0123 }], { caption: "T", formats: { oas: "bp" }, maxRows: 5 }] },
  timelineChart: {
    args: () => [{
      title: "T",
      yLabel: "Fold",
      spans: [{ row: "1", kind: "train", start: day("2020-01-01"), end: day("2020-06-01") }],
    }],
  },
  timeSeriesChart: { args: () => [{ title: "T", dates: days(2), series: { a: [1, 2] }, yLabel: "Y (units)" }] },
  worstDrawdownsTable: {
    args: () => [[{
      start: day("2022-01-05"),
      trough: day("2022-10-21"),
      recovery: null,
      depth: -0.2,
      toTrough: 200,
      toRecovery: null,
      length: 300,
    }], { caption: "W", unit: "days", decimals: 1 }],
  },
  yearlyReturnsChart: { args: () => [{ title: "Y", years: [2022, 2023], series: { D: [-0.08, 0.02] } }] },
};
