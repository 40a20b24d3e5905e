/**
 * creditlab: systematic credit trading research in TypeScript. This module names every public entry point of
 * `lib/` (the contract in `API.md` and what the notebooks use); internals stay private to their modules.
 *
 * The layers, each importing only from the layers above it in this list (a test keeps the order,
 * `tests/layers_test.ts`):
 *
 *     core        numerics: seeded RNG, special functions, statistics, calendars, linear algebra, checks
 *     data        files only: schemas, strict CSV loaders, data sources (no simulation, no environment)
 *     market      market models: OU, GARCH, curves, bonds, CDS pricing, the credit factor, generators
 *     credit      credit models: Merton/KMV, ratings, the Gaussian HMM, credit states
 *     synthetic   the stand-in market built from the models, its calibration, the CREDITLAB_DATA resolver
 *     signals     bond factors (carry, momentum, value), CDX signals, composites, information coefficients
 *     portfolio   construction: equal, capped market-cap and Kelly weights, the correlation filter, mean-variance, Ledoit–Wolf
 *     ml          random forest regression, the walk-forward harness
 *     backtest    the accounting kernel, strategy rules on it, metrics, the performance summary, analysis
 *     strategies  studies that combine layers: the regime overlay, the credit-scoring pipeline
 *     charts      a leaf on plain arrays: one file per chart kind, house style, tables
 *
 * See `lib/README.md` for where a new model, signal, strategy or chart goes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normCdf, simulateOU } from "./mod.ts";
 *
 * assert.ok(normCdf(-9) > 0);
 * assert.equal(simulateOU({ x0: 0.01, kappa: 1, mu: 0.01, sigma: 0.002, dt: 1 / 252, steps: 10, seed: 1 }).length, 11);
 * ```
 * @module
 */

// core
export {
  alignAsOf,
  businessDays,
  type Calendar,
  easterSunday,
  holidays,
  isoDate,
  parseIsoDate,
  yearFraction,
} from "./core/calendar.ts";
export { expm, leastSquares, type LeastSquaresFit, logm } from "./core/linalg.ts";
export { nelderMead, type NelderMeadOptions, type NelderMeadResult } from "./core/optimize.ts";
export {
  choleskyLower,
  correlatedNormals,
  correlatedNormalSampler,
  fillStandardNormal,
  gamma,
  makeRng,
  randomInteger,
  type Rng,
  type Seed,
  standardNormal,
  studentT,
  uniform,
} from "./core/rng.ts";
export { logAddExp, logSumExp, normCdf, normInv, normLogCdf, normLogPdf, normPdf } from "./core/special.ts";
export {
  correlation,
  correlationMatrix,
  diff,
  excessKurtosis,
  gaussianKde,
  mean,
  quantile,
  rollingMean,
  silvermanBandwidth,
  skewness,
  sortedQuantile,
  standardDeviation,
  sum,
  variance,
} from "./core/stats.ts";

// data
export {
  type ColumnSpec,
  type ColumnType,
  GICS_SECTORS,
  KMV_TICKERS,
  MARKET_FILES,
  type MarketFileName,
  SP_RATINGS,
  type TableSpec,
  TREASURY_TENORS,
} from "./data/schema.ts";
export { MarketDataError, parseTable, readTable, toDecimalUnits, validateTable } from "./data/table.ts";
export { dateColumn, floatColumn, nanColumn, nanToNull, nullableColumn, stringColumn } from "./data/columns.ts";
export {
  type DirectorySource,
  directorySource,
  type MarketDataSource,
  type SourceOption,
  type SyntheticSource,
} from "./data/source.ts";
export {
  dataBanner,
  loadCreditSpreads,
  loadEquityPrices,
  loadEtf,
  loadFundamentals,
  loadKmvInputs,
  loadMarketTable,
  loadMultiYearTransitions,
  loadRatingTransitions,
  loadSpx,
  loadTreasuryYields,
  loadVix,
  loadVixOhlc,
  sourceCaption,
  type TransitionTable,
} from "./data/load.ts";
export {
  checkSp500Table,
  type GicsSector,
  loadSp500Fundamentals,
  type Sp500Arrays,
  sp500Arrays,
} from "./data/sp500.ts";
export {
  loadOverlayHistory,
  type OverlayHistory,
  type OverlayHistoryOptions,
  overlayMarketSeries,
} from "./data/cdx_history.ts";
export { formatCsv, writeCsv } from "./data/write.ts";
export {
  fetchMarketData,
  type FetchOptions,
  type FetchReport,
  OfflineError,
  parseCboe,
  parseOpenRiskMatrices,
  PUBLIC_ENDPOINTS,
} from "./data/fetch.ts";

// market
export {
  fitAR1,
  fitOU,
  type OUFit,
  type OUParams,
  type OUPathParams,
  ouStationary,
  ouTransition,
  simulateAR1,
  simulateOU,
} from "./market/ou.ts";
export type { AR1 } from "./market/ou.ts";
export { drawGarch, fitGarch, type GarchFit, type GarchParams, garchVariance, simulateGarch } from "./market/garch.ts";
export {
  alignCurves,
  bootstrapCurve,
  CURVE_GRID,
  type CurveSnapshot,
  DIEBOLD_LI_LAMBDA,
  fitNelsonSiegel,
  nelsonSiegelLoadings,
  nelsonSiegelYield,
  parYieldAt,
  treasuryCurveOn,
  type TreasuryCurves,
  treasuryCurves,
  type YieldCurve,
} from "./market/curve.ts";
export {
  CREDIT_EPISODES,
  ENERGY_EPISODES,
  type Episode,
  episodePeaks,
  FED_TARGET_PATH,
  type Period,
  periodHighlights,
  US_RECESSIONS,
} from "./market/history.ts";
export { bondAnalytics, bondPrice, bondYield, convexity, modifiedDuration } from "./market/bonds.ts";
export { type CdsReturns, cdsReturns, type CdsTerms, hazardRate, riskyAnnuity, rpv01Series } from "./market/cds.ts";
export { type CreditFactorParams, fitCreditFactor, simulateCreditFactor, stressLevel } from "./market/credit_factor.ts";
export {
  type Bond,
  bondPanels,
  type BondUniverse,
  calibrateUniverse,
  generateBondUniverse,
  isInvestmentGrade,
  type Rating,
  RATINGS,
  SECTORS,
  UNIVERSE_PARAMS,
  type UniverseOptions,
  type UniverseParams,
} from "./market/universe.ts";
export { changeCorrelations, indexSpreads, spreadStatistics, summarizeUniverse } from "./market/spread_stats.ts";
export {
  generateCdxSample,
  generateEtfSample,
  generateOverlayMarket,
  generateVixSample,
  OVERLAY_MODEL,
  type OverlayMarket,
  type OverlayMarketOptions,
  stressPeriods,
} from "./market/cdx_market.ts";

// credit
export {
  kmvDefaultPoint,
  mertonConvergence,
  mertonEquity,
  type MertonInputs,
  type MertonSolution,
  mertonSpread,
  solveMerton,
  solveMertonArrays,
} from "./credit/merton.ts";
export { firmMertonSeries, mertonTimeSeries, rollingVolatility } from "./credit/kmv.ts";
export {
  alignColumn,
  mertonPanel,
  mertonRecoveryStudy,
  simulateMertonFirm,
  trendCorrelation,
} from "./credit/validation.ts";
export {
  compoundTransitions,
  DEFAULT_NOTCH,
  isInvestmentGradeNotch,
  letterNotches,
  lettersFromNotches,
  N_NOTCHES,
  notchIndex,
  notchName,
  notchPdScale,
  notchToLetter,
  notchTransitionMask,
  notchTransitionMatrix,
  pdsToNotches,
  pdToNotch,
  RATING_LETTERS,
  RATING_NOTCHES,
  ratingGenerator,
  STEP_YEARS,
  transitionMatrixForStep,
} from "./credit/ratings.ts";
export {
  GaussianHMM,
  type GaussianHMMOptions,
  type HMMFitOptions,
  type HMMParams,
  isotonicRegression,
  type OrderedFeature,
  simulateHMM,
  type StateBounds,
} from "./credit/hmm.ts";
export {
  FIRM_STATE_FEATURES,
  type FirmRefit,
  type FirmStateFeature,
  type FirmStateFit,
  firmStateMask,
  firmStateObservables,
  type FirmStateOptions,
  type FirmStatePrior,
  firmStatePrior,
  type FirmStateStep,
  type FirmWalkForward,
  type FirmWalkForwardOptions,
  fitFirmCreditStates,
  pdNotchBounds,
  walkForwardFirmStates,
} from "./credit/firm_states.ts";
export {
  CREDIT_STATE_FEATURES,
  creditStateObservables,
  decodeAccuracy,
  episodeColumnMarks,
  expectedNotch,
  fitCreditStates,
  lookAheadGap,
  periodStateProbabilities,
  stateSummary,
  windowSeries,
} from "./credit/states.ts";
export {
  creditScore,
  type CreditScoreOptions,
  type Criterion,
  type CrossSectionInputs,
  type CrossSectionOptions,
  type CrossSectionStudy,
  crossSectionStudy,
  type ExclusionReason,
  type FinancialHealth,
  financialHealth,
  firstPrincipalComponent,
  firstPrincipalWeights,
  type GroupWeights,
  HEALTH_CRITERIA,
  HEALTH_RATIOS,
  type HealthCounts,
  type HealthInputs,
  type HealthOptions,
  type HealthRatio,
  MAX_CREDIT_SCORE,
  notchToState,
  type PerRatio,
  type PrincipalComponent,
  SCORE_BANDS,
  scoreToNotch,
  scoreToRating,
  spearmanCorrelation,
  topsis,
  type TopsisSteps,
  topsisSteps,
  type WeightBootstrap,
  type WeightSpread,
} from "./credit/scoring.ts";

// synthetic
export { resolveMarketData, STAND_IN_SEED, standInSource } from "./synthetic/source.ts";
export {
  STAND_IN_PARAMS,
  type StandInMarket,
  standInMarket,
  type StandInOptions,
  type StandInParams,
} from "./synthetic/standin.ts";
export { calibrateStandIn } from "./synthetic/calibrate.ts";
export {
  FIRM_MARKET_MODEL,
  FIRM_SECTORS,
  type FirmMarket,
  type FirmSector,
  type FirmTruth,
  type FirmUniverse,
  type FirmUniverseOptions,
  generateFirmUniverse,
  type GivenMarketPath,
  mertonHedgeRatio,
  type QuarterlyReports,
} from "./synthetic/firms.ts";

// signals
export { crossSectionalRank, groupZScore, mapPanel, type Panel, panel, rollingZScore } from "./signals/panel.ts";
export { carrySignal } from "./signals/carry.ts";
export { momentumSeries, momentumSignal } from "./signals/momentum.ts";
export { valueOwnHistory, valuePeers, valueSignal } from "./signals/value.ts";
export { compositeSeries, compositeSignal, type WeightedSignal } from "./signals/composite.ts";
export { type DeskSignals, deskSignals } from "./signals/desk.ts";
export {
  factorCorrelations,
  forwardReturns,
  icByHorizon,
  icDecay,
  quantileReturns,
  rankIC,
  summarizeIC,
} from "./signals/ic.ts";
export {
  aggregateSignals,
  basisSeries,
  computeCdxEtfBasis,
  computeCdxVixGap,
  computeSpreadMomentum,
  DEFAULT_WEIGHTS,
  overlaySignalIC,
  signalSeries,
  type SignalWeights,
  trailingZScore,
} from "./signals/cdx.ts";

// portfolio
export { ledoitWolf, type LedoitWolfEstimate } from "./portfolio/covariance.ts";
export {
  meanVariance,
  type MeanVarianceParams,
  type MeanVarianceSolution,
  solveMeanVariance,
} from "./portfolio/optimize.ts";
export {
  correlationFilter,
  type CorrelationFilterOptions,
  equalWeights,
  kellyFraction,
  kellyWeights,
  type KellyWeightsParams,
  marketCapWeights,
} from "./portfolio/weights.ts";

// backtest
export {
  type BookMarket,
  type BookOptions,
  type BookResult,
  type BookState,
  type InertiaBand,
  type RebalanceSchedule,
  type RoundTrip,
  runBook,
  type TargetRule,
} from "./backtest/kernel.ts";
export { costFunction, type CostModel, type ImpactModel } from "./backtest/costs.ts";
export { type BacktestOptions, type BacktestResult, type BondPanels, runBacktest } from "./backtest/bond_desk.ts";
export { type OverlayBacktestOptions, type OverlayBacktestResult, runOverlayBacktest } from "./backtest/threshold.ts";
export {
  annualVolatility,
  cagr,
  calmarRatio,
  conditionalValueAtRisk,
  type Convention,
  type DeflatedSharpeOptions,
  deflatedSharpeRatio,
  drawdownSeries,
  expectedMaxSharpe,
  hitRate,
  informationRatio,
  maxDrawdown,
  type MetricOptions,
  probabilisticSharpeRatio,
  sharpeRatio,
  sortinoRatio,
  UndefinedStatisticError,
  valueAtRisk,
} from "./backtest/metrics.ts";
export {
  compareSummaries,
  equityCurve,
  formatSummary,
  overlaySummary,
  performanceSummary,
  type SummaryOptions,
  type SummaryRow,
  type TradeOutcome,
} from "./backtest/summary.ts";
export { exportOverlay, type OverlayExport, readOverlayExport } from "./backtest/export.ts";
export { attribution, compareStrategies, improvement, sweepExecution } from "./backtest/analysis.ts";
export {
  executionSummary,
  type ExecutionTable,
  executionTable,
  type ExecutionTableOptions,
} from "./backtest/desk_report.ts";
export { sweepOverlayWeights, sweepSummary, weightSimplexGrid } from "./backtest/threshold_sweep.ts";
export {
  type DrawdownEpisode,
  type MonthlyReturns,
  monthlyReturns,
  rollingAnnualVolatility,
  type RollingOptions,
  rollingSharpe,
  worstDrawdowns,
  type YearlyReturns,
  yearlyReturns,
} from "./backtest/tearsheet.ts";
export {
  type CreditEquityAssets,
  type CreditEquityBenchmarks,
  creditEquityBenchmarks,
  type CreditEquityInputs,
  type CreditEquityOptions,
  type CreditEquityResult,
  creditEquitySignal,
  equalWeightHook,
  firmUniverseInputs,
  marketCapWeightHook,
  meanVarianceWeightHook,
  type MonthlyMetrics,
  monthlyMetrics,
  type MonthlySeries,
  runCreditEquity,
  trailingMoments,
  type WeightsContext,
  type WeightsHook,
} from "./backtest/credit_equity.ts";

// ml
export {
  type ForestOptions,
  friedman1,
  type PermutationImportance,
  permutationImportance,
  r2Score,
  RandomForestRegressor,
  type RowMajorMatrix,
  type Tree,
} from "./ml/forest.ts";
export { type Fold, type FoldDates, foldTimeline, walkForward, walkForwardFolds } from "./ml/walkforward.ts";
export type { WalkForwardOptions, WalkForwardResult, WalkForwardRun } from "./ml/walkforward.ts";

// strategies
export {
  type BookStatistics,
  bookStatistics,
  type FactorPanels,
  factorReturns,
  type FeatureMatrix,
  forecastWeights,
  monthEnds,
  nextPeriodReturns,
  OVERLAY_FACTORS,
  type OverlayBooks,
  overlayBooks,
  type OverlayExecution,
  type OverlayForestOptions,
  overlayWeights,
  rankFactors,
  regimeFeatures,
  type RegimeForecasts,
  regimeForecasts,
  type RegimeInputs,
  timeVaryingComposite,
} from "./strategies/regime_overlay.ts";
export { type PlaceboJob, type PlaceboRun, placeboRuns, runOverlayOnce } from "./strategies/overlay_placebo.ts";
export {
  energyFirmStudy,
  type EnergyStudy,
  type EnergyStudyOptions,
  type FirmScoreOptions,
  type FirmScores,
  type FirmStateReport,
  notchAgreement,
  quarterlyMeans,
  scoreFirmUniverse,
} from "./strategies/credit_scoring.ts";

// charts
export {
  barChart,
  type Chart,
  type ChartOptions,
  type Claim,
  claim,
  CLAIM_MIME,
  drawdownChart,
  formatBp,
  formatNumber,
  formatPercent,
  heatmapChart,
  heatmapColumnFrames,
  type Highlight,
  histogramChart,
  lineChart,
  markdown,
  monthlyReturnsHeatmap,
  overlayCompositeChart,
  overlayDrawdownChart,
  overlayEquityChart,
  overlayMarketChart,
  overlayPositionChart,
  overlaySignalsChart,
  RATING_COLORS,
  ratingColors,
  rollingSharpeChart,
  savePlot,
  scatterChart,
  stackedTimeSeriesChart,
  STRATEGY_COLORS,
  table,
  THEME,
  timelineChart,
  type TimelineSpan,
  timeSeriesChart,
  type TimeSeriesPanel,
  worstDrawdownsTable,
  yearlyReturnsChart,
} from "./charts/mod.ts";
