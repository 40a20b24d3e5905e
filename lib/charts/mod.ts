/**
 * The public names of `lib/charts`, as named exports: one file per chart kind on a shared frame and style, each
 * chart taking plain arrays and extra Observable Plot `marks`. Internal helpers of `common.ts` stay unexported.
 * @module
 */
export {
  type Chart,
  frameChart,
  type FrameSpec,
  type LegendItem,
  plotDocument,
  type RampLegend,
  savePlot,
  svgElement,
} from "./frame.ts";
export { formatBp, formatNumber, formatPercent, RATING_COLORS, ratingColors, STRATEGY_COLORS, THEME } from "./style.ts";
export { type ColumnFormat, markdown, type Table, table, type TableOptions } from "./table.ts";
export { type ChartOptions, type Highlight, preparePoints } from "./common.ts";
export {
  stackedTimeSeriesChart,
  type StackedTimeSeriesOptions,
  timeSeriesChart,
  type TimeSeriesOptions,
  type TimeSeriesPanel,
} from "./time_series.ts";
export { lineChart, type LineChartOptions } from "./line.ts";
export { drawdownChart, type DrawdownOptions } from "./drawdown.ts";
export {
  heatmapChart,
  type HeatmapColumnFrame,
  heatmapColumnFrames,
  type HeatmapOptions,
  type HeatmapScheme,
} from "./heatmap.ts";
export { barChart, type BarChartOptions } from "./bar.ts";
export { histogramChart, type HistogramOptions } from "./histogram.ts";
export { scatterChart, type ScatterOptions } from "./scatter.ts";
export {
  type OverlayAccount,
  type OverlayAccountOptions,
  type OverlayChartOptions,
  type OverlayComposite,
  overlayCompositeChart,
  overlayDrawdownChart,
  overlayEquityChart,
  type OverlayMarket,
  overlayMarketChart,
  type OverlayPosition,
  overlayPositionChart,
  type OverlaySeries,
  type OverlaySignals,
  overlaySignalsChart,
} from "./overlay.ts";
export { timelineChart, type TimelineOptions, type TimelineSpan } from "./timeline.ts";
export {
  type DrawdownRow,
  monthlyReturnsHeatmap,
  type MonthlyReturnsHeatmapOptions,
  rollingSharpeChart,
  type RollingSharpeChartOptions,
  worstDrawdownsTable,
  yearlyReturnsChart,
  type YearlyReturnsChartOptions,
} from "./tearsheet.ts";
export { type Claim, claim, CLAIM_MIME } from "./claims.ts";
