/**
 * The five views of the dashboard, rendered server-side to HTML: charts from `lib/charts` (Observable Plot on
 * linkedom, the notebooks' house style) and tables from `lib/charts/table.ts`, each with the same calls as
 * notebooks 03 and 04 where a notebook has the chart. Every chart carries hover marks whose SVG `<title>` gives
 * the values under the pointer (the page turns them into a tooltip; without script the browser shows them itself).
 *
 *     overview    NAV against the benchmark, drawdown, rolling Sharpe, calendar-year returns, the metrics table
 *     exposures   spread duration and DTS in total, by rating and by sector over time; the book at the end date
 *     execution   naive against the chosen policy: net and gross NAV, cumulative costs, turnover, costs by rating,
 *                 the comparison table and the return attribution
 *     risk        historical VaR and CVaR, the return distribution, worst days, worst drawdowns, monthly heatmap
 *     overlay     the CDX overlay as a second book: signals, composite, position, equity, drawdown, summary, trades
 * @module
 */
import * as Plot from "@observablehq/plot";
import {
  annualVolatility,
  attribution,
  type BacktestResult,
  barChart,
  compareStrategies,
  conditionalValueAtRisk,
  CREDIT_EPISODES,
  drawdownChart,
  formatSummary,
  heatmapChart,
  histogramChart,
  isoDate,
  overlayCompositeChart,
  overlayDrawdownChart,
  overlayEquityChart,
  overlayPositionChart,
  overlaySignalsChart,
  performanceSummary,
  periodHighlights,
  RATING_COLORS,
  stackedTimeSeriesChart,
  STRATEGY_COLORS,
  type SummaryRow,
  table,
  timeSeriesChart,
  type TimeSeriesPanel,
  valueAtRisk,
} from "../lib/mod.ts";
import {
  monthlyReturns,
  rollingSharpe,
  trailingAnnualised,
  worstDays,
  worstDrawdowns,
  yearlyReturns,
} from "./analytics.ts";
import { type Computation, IMPACT, type MarketInfo, OVERLAY, TOP_FRACTION } from "./engine.ts";
import { type ViewName } from "./params.ts";

/** Widths of a full-width and a half-width chart, px (the page scales them down on narrow screens). */
export const WIDE = 1180;
export const HALF = 580;
/** Points drawn per series on a half-width time axis (about two per pixel; the full series is decimated min–max). */
const HALF_POINTS = 800;
/** Window of the rolling Sharpe ratio, trading days (one year). */
export const SHARPE_WINDOW = 252;
/** Window of the trailing turnover, trading days (one quarter). */
export const TURNOVER_WINDOW = 63;
/** Sector names short enough for the categories of a half-width bar chart. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  Financials: "Financial",
  Industrials: "Industrial",
  Utilities: "Utility",
  Consumer: "Consumer",
  Technology: "Tech",
  Healthcare: "Health",
  Communications: "Comms",
};

/** Number of hover bands across a time axis. */
const BANDS = 220;

/** A rendered view. */
export interface RenderedView {
  readonly view: ViewName;
  readonly html: string;
  /** Number of charts in the view. */ readonly charts: number;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** "5.23 %", "−1.20 %": a decimal as a percentage with a true minus sign. */
export function pct(x: number | null | undefined, decimals = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "n/a";
  const v = x * 100;
  return `${v < 0 && v.toFixed(decimals) !== (0).toFixed(decimals) ? "−" : ""}${Math.abs(v).toFixed(decimals)} %`;
}

function fixed(x: number | null | undefined, decimals = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "n/a";
  return `${x < 0 && x.toFixed(decimals) !== (0).toFixed(decimals) ? "−" : ""}${Math.abs(x).toFixed(decimals)}`;
}

/** "−125.1 k": currency in thousands with a true minus sign. */
function usdThousands(x: number): string {
  const k = Math.abs(x) / 1000;
  const text = k.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return `${x < 0 && text !== "0.0" ? "−" : ""}${text} k`;
}

/** A statistic that may be undefined for the data (constant series, no drawdown): null instead of a throw. */
function maybe(f: () => number): number | null {
  try {
    const x = f();
    return Number.isFinite(x) ? x : null;
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

// ── hover marks ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Invisible bands across a time axis, each with an SVG `<title>` listing every series at its first date: hovering
 * anywhere over the chart shows the values of that date.
 */
export function dateBands(
  dates: readonly Date[],
  series: Readonly<Record<string, ArrayLike<number>>>,
  format: (x: number) => string,
  count = BANDS,
): Plot.Markish {
  const n = dates.length, step = Math.max(1, Math.ceil(n / count));
  const data: { x1: Date; x2: Date; title: string }[] = [];
  for (let i = 0; i < n; i += step) {
    const j = Math.min(n - 1, i + step);
    const lines = Object.entries(series).map(([k, v]) => `${k}: ${Number.isFinite(v[i]) ? format(v[i]) : "n/a"}`);
    data.push({ x1: dates[i], x2: dates[j], title: `${isoDate(dates[i])}\n${lines.join("\n")}` });
  }
  return Plot.rect(data, {
    x1: "x1",
    x2: "x2",
    fill: "currentColor",
    fillOpacity: 0,
    title: "title",
    className: "hover-band",
  });
}

/** Invisible bars over a bar chart's bars, each titled with its category, series and value. */
function barHover(
  categories: readonly string[],
  series: Readonly<Record<string, ArrayLike<number>>>,
  scale: number,
  format: (x: number) => string,
): Plot.Markish {
  const labels = Object.keys(series), grouped = labels.length > 1;
  const data = labels.flatMap((label) =>
    categories.map((category, i) => ({
      category,
      series: label,
      value: series[label][i] * scale,
      title: `${category}${grouped ? ` · ${label}` : ""}: ${format(series[label][i])}`,
    }))
  );
  return Plot.barY(data, {
    ...(grouped ? { fx: "category", x: "series" } : { x: "category" }),
    y: "value",
    fill: "currentColor",
    fillOpacity: 0,
    title: "title",
    className: "hover-bar",
  });
}

/** Invisible cells over a heatmap, each titled with its row, column and value. */
function cellHover(
  rows: readonly string[],
  columns: readonly string[],
  values: readonly (readonly (number | null)[])[],
  format: (x: number) => string,
): Plot.Markish {
  const data = rows.flatMap((row, i) =>
    columns.map((column, j) => ({
      row,
      column,
      title: `${row} ${column}: ${values[i][j] === null ? "no data" : format(values[i][j]!)}`,
    }))
  );
  return Plot.cell(data, { x: "column", y: "row", fill: "currentColor", fillOpacity: 0, title: "title" });
}

// ── layout pieces ──────────────────────────────────────────────────────────────────────────────────────────────

function figure(chart: Element, wide: boolean, name: string): string {
  return `<figure class="chart${wide ? " wide" : ""}" data-chart="${name}">${chart.outerHTML}</figure>`;
}

function tableCard(html: string, name: string, wide = false): string {
  return `<div class="card table-card sortable${wide ? " wide" : ""}" data-table="${name}">${html}</div>`;
}

interface Kpi {
  readonly label: string;
  readonly value: string;
  readonly note?: string;
  /** Colour the value: "good", "bad" or neutral. */ readonly tone?: "good" | "bad";
}

function kpis(items: readonly Kpi[]): string {
  return `<div class="kpis">${
    items.map((k) =>
      `<div class="kpi"><div class="kpi-label">${escapeHtml(k.label)}</div><div class="kpi-value${
        k.tone ? ` ${k.tone}` : ""
      }">${escapeHtml(k.value)}</div>${k.note ? `<div class="kpi-note">${escapeHtml(k.note)}</div>` : ""}</div>`
    ).join("")
  }</div>`;
}

const tone = (x: number | null, goodIfPositive = true): "good" | "bad" | undefined =>
  x === null || x === 0 ? undefined : (x > 0) === goodIfPositive ? "good" : "bad";

function metric(rows: readonly SummaryRow[], name: string): number | null {
  return rows.find((r) => r.metric === name)?.value ?? null;
}

function summaryCell(x: SummaryRow): string {
  if (x.value === null) return "n/a";
  if (x.unit === "ratio") return fixed(x.value, 2);
  return pct(x.value, x.unit === "probability" ? 1 : 2);
}

/** Colours of the three bond books, fixed across views. */
function bookColors(c: Computation): Record<string, string> {
  return { [c.labels.desk]: STRATEGY_COLORS[0], [c.labels.naive]: STRATEGY_COLORS[2], [c.labels.benchmark]: "#59636e" };
}

/** The credit episodes inside the window; unlabelled for half-width charts, where the labels would collide. */
function highlights(c: Computation, labelled = true) {
  return periodHighlights(CREDIT_EPISODES, c.params.start).filter((h) => h.start <= c.params.end).map((h) => ({
    ...h,
    label: labelled ? h.label : "",
  }));
}

/** The short name of a book in tables ("Desk", "Naive", "Benchmark"). */
function short(c: Computation, label: string): string {
  return label === c.labels.desk ? "Desk" : label === c.labels.naive ? "Naive" : "Benchmark";
}

/** What the short names stand for, for table captions. */
function legendOf(c: Computation): string {
  return `Desk: ${
    c.labels.desk.replace(/^Desk \((.*)\)$/, "$1")
  }; naive: daily, no band; benchmark: equal-weight universe, monthly.`;
}

function caption(c: Computation, info: MarketInfo, extra = ""): string {
  const p = c.params;
  const costs = p.costs === "none"
    ? "no transaction costs (gross)"
    : p.costs === "impact"
    ? `half the bid-ask plus square-root impact (k = ${IMPACT.coefficient}, AUM USD ${
      p.aum.toLocaleString("en-US")
    } MM)`
    : "net of half the bid-ask on every trade";
  return `${
    extra ? `${extra} ` : ""
  }Simulated ${p.issuers}-issuer universe (seed ${p.seed}) on the Treasury curve of the ${
    info.kind === "real" ? "real data" : "synthetic stand-in"
  }; ${costs}.`;
}

function books(c: Computation): [string, BacktestResult][] {
  return [[c.labels.desk, c.desk()], [c.labels.naive, c.naive()], [c.labels.benchmark, c.benchmark()]];
}

/** Means per calendar month of aligned daily series, dated at each month's last date. */
function monthlyMeans(
  dates: readonly Date[],
  series: readonly Float64Array[],
): { dates: Date[]; values: Float64Array[] } {
  const out: Date[] = [], sums = series.map(() => [] as number[]);
  let count = 0;
  for (let t = 0; t < dates.length; t++) {
    series.forEach((x, k) => (sums[k][out.length] = (sums[k][out.length] ?? 0) + x[t]));
    count++;
    const next = dates[t + 1];
    if (!next || next.getUTCMonth() !== dates[t].getUTCMonth()) {
      sums.forEach((s) => (s[out.length] /= count));
      out.push(dates[t]);
      count = 0;
    }
  }
  return { dates: out, values: sums.map((s) => Float64Array.from(s)) };
}

/**
 * A time-series panel of contributions stacked as filled bands (a bucket's band runs from the sum of the buckets
 * below it to that sum plus its own value); the lines are the bands' top edges and the hover lists each bucket.
 */
function stackedPanel(
  dates: readonly Date[],
  names: readonly string[],
  values: readonly Float64Array[],
  palette: Readonly<Record<string, string>>,
  yLabel: string,
  scale: number,
  format: (x: number) => string,
): TimeSeriesPanel {
  const n = dates.length, below = new Float64Array(n);
  const series: Record<string, Float64Array> = {};
  const areas: Plot.Markish[] = [];
  names.forEach((name, k) => {
    const top = Float64Array.from(below, (b, t) => b + values[k][t]);
    const band = Array.from({ length: n }, (_, t) => ({ x: dates[t], y1: below[t] * scale, y2: top[t] * scale }));
    areas.push(Plot.areaY(band, { x: "x", y1: "y1", y2: "y2", fill: palette[name], fillOpacity: 0.8 }));
    series[name] = top;
    below.set(top);
  });
  const own = Object.fromEntries(names.map((name, k) => [name, values[k]]));
  return {
    series,
    colors: palette,
    yLabel,
    scale,
    height: 170,
    marks: [...areas, dateBands(dates, { ...own, Total: below }, format, 120)],
  };
}

// ── views ──────────────────────────────────────────────────────────────────────────────────────────────────────

function overview(c: Computation, info: MarketInfo): RenderedView {
  const desk = c.desk(), naive = c.naive(), bench = c.benchmark();
  const dates = desk.dates, colors = bookColors(c);
  const all = books(c);
  const summaries = Object.fromEntries(
    all.map(([k, r]) => [k, performanceSummary(r.returns, { turnover: r.turnover, costs: r.costs })]),
  );
  const s = summaries[c.labels.desk], b = summaries[c.labels.benchmark];
  const n = desk.nav.length;
  const cards = kpis([
    {
      label: "Final NAV",
      value: fixed(desk.nav[n - 1], 3),
      note: `benchmark ${fixed(bench.nav[n - 1], 3)} · naive ${fixed(naive.nav[n - 1], 3)}`,
    },
    { label: "CAGR", value: pct(metric(s, "CAGR")), note: `benchmark ${pct(metric(b, "CAGR"))}` },
    {
      label: "Sharpe ratio",
      value: fixed(metric(s, "Sharpe ratio")),
      note: `benchmark ${fixed(metric(b, "Sharpe ratio"))}`,
    },
    {
      label: "Max drawdown",
      value: pct(metric(s, "Max drawdown"), 1),
      note: `benchmark ${pct(metric(b, "Max drawdown"), 1)}`,
      tone: "bad",
    },
    {
      label: "Annual costs",
      value: pct(metric(s, "Annual costs")),
      note: `naive ${pct(metric(summaries[c.labels.naive], "Annual costs"))}`,
    },
    { label: "Annual turnover", value: pct(metric(s, "Annual turnover"), 0), note: "traded notional, % of NAV" },
  ]);
  const navSeries = Object.fromEntries(all.map(([k, r]) => [k, r.nav]));
  const nav = timeSeriesChart({
    title: "Net asset value: the desk against the naive desk and the equal-weight universe",
    subtitle: `Same signal and market; only the trading rule differs. Log scale: equal slopes are equal returns`,
    dates,
    series: navSeries,
    colors,
    yLabel: "NAV (start = 1, log scale)",
    logY: true,
    dashed: [c.labels.benchmark],
    highlights: highlights(c),
    caption: caption(c, info),
    width: WIDE,
    marks: [dateBands(dates, navSeries, (x) => fixed(x, 4))],
  });
  const wealth = { [c.labels.desk]: desk.nav, [c.labels.benchmark]: bench.nav };
  const under = Object.fromEntries(
    Object.entries(wealth).map(([k, w]) => {
      let peak = -Infinity;
      return [k, Float64Array.from(w, (v) => (peak = Math.max(peak, v), v / peak - 1))];
    }),
  );
  const drawdown = drawdownChart({
    title: "Drawdown from the running peak",
    subtitle: "Decline of NAV below its highest value so far",
    dates,
    wealth,
    colors,
    highlights: highlights(c, false),
    width: HALF,
    height: 240,
    marks: [dateBands(dates, under, (x) => pct(x, 1))],
  });
  const rolling = Object.fromEntries(
    [[c.labels.desk, desk], [c.labels.benchmark, bench]].map(([k, r]) => [
      k as string,
      rollingSharpe((r as BacktestResult).returns, SHARPE_WINDOW),
    ]),
  );
  const sharpe = timeSeriesChart({
    title: "Rolling Sharpe ratio (one year)",
    subtitle:
      `Mean over standard deviation of the last ${SHARPE_WINDOW} daily returns, annualised; zero risk-free rate`,
    dates,
    series: rolling,
    colors,
    yLabel: "Sharpe ratio (annualised)",
    zeroLine: true,
    dashed: [c.labels.benchmark],
    highlights: highlights(c, false),
    width: HALF,
    maxPoints: HALF_POINTS,
    height: 240,
    marks: [dateBands(dates, rolling, (x) => fixed(x, 2))],
  });
  const years = calendarYears(dates, desk.returns, bench.returns, naive.returns);
  const yearSeries = { [c.labels.desk]: years.desk, [c.labels.benchmark]: years.bench };
  const annual = barChart({
    title: "Calendar-year returns",
    subtitle: "Net return of each calendar year (a partial first or last year as far as the window goes)",
    categories: years.labels,
    series: yearSeries,
    colors,
    yLabel: "Return (%)",
    scale: 100,
    width: HALF,
    marks: [barHover(years.labels, yearSeries, 100, (x) => pct(x, 1))],
  });
  const names = Object.keys(summaries);
  const metrics = table(
    summaries[names[0]].map((row, m) => ({
      metric: row.metric,
      ...Object.fromEntries(names.map((k) => [short(c, k), summaryCell(summaries[k][m])])),
    })),
    {
      caption: `Performance summary, net of costs (VaR and CVaR: one-day historical 5 % quantile and tail mean). ${
        legendOf(c)
      }`,
      maxRows: 40,
    },
  );
  const html = [
    cards,
    `<div class="grid">`,
    figure(nav, true, "nav"),
    figure(drawdown, false, "drawdown"),
    figure(sharpe, false, "rolling-sharpe"),
    figure(annual, false, "annual-returns"),
    tableCard(metrics.html, "metrics"),
    `</div>`,
  ].join("");
  return { view: "overview", html, charts: 4 };
}

function calendarYears(dates: readonly Date[], desk: Float64Array, bench: Float64Array, naive: Float64Array) {
  const m = yearlyReturns(dates, desk);
  return {
    labels: m.years.map((y) => `’${String(y).slice(2)}`),
    desk: m.values,
    bench: yearlyReturns(dates, bench).values,
    naive: yearlyReturns(dates, naive).values,
  };
}

function exposures(c: Computation, info: MarketInfo): RenderedView {
  const desk = c.desk(), bench = c.benchmark(), ledger = c.ledger();
  const entry = c.universe(), u = entry.universe, N = u.bonds.length;
  const dates = desk.dates, colors = bookColors(c);
  const n = dates.length, last = ledger.last;
  const w = ledger.weights;
  let ig = 0, invested = 0, largest = 0;
  for (let i = 0; i < N; i++) {
    invested += w[i], largest = Math.max(largest, w[i]);
    if (["AAA", "AA", "A", "BBB"].includes(u.bonds[i].rating)) ig += w[i];
  }
  const cards = kpis([
    {
      label: "Spread duration",
      value: `${fixed(desk.spreadDuration[n - 1])} y`,
      note: `benchmark ${fixed(bench.spreadDuration[n - 1])} y`,
    },
    {
      label: "DTS",
      value: `${fixed(desk.dts[n - 1] * 100)} y×%`,
      note: `benchmark ${fixed(bench.dts[n - 1] * 100)} y×%`,
    },
    { label: "Positions", value: String(desk.positions[n - 1]), note: `of ${N} bonds; top ${TOP_FRACTION * 100} %` },
    { label: "Investment grade", value: pct(invested > 0 ? ig / invested : null, 0), note: "share of invested weight" },
    { label: "Largest position", value: pct(largest), note: "of NAV" },
    { label: "Cash", value: pct(desk.cash[n - 1]), note: `at ${isoDate(dates[n - 1])}` },
  ]);
  const totals = stackedTimeSeriesChart({
    title: "Spread duration and DTS: the desk against the equal-weight universe",
    subtitle: "Spread duration Σw·D (years) and duration × spread Σw·D·s (years × %) after each close",
    dates,
    highlights: highlights(c),
    width: WIDE,
    panels: [
      {
        series: { [c.labels.desk]: desk.spreadDuration, [c.labels.benchmark]: bench.spreadDuration },
        colors,
        yLabel: "Spread duration (years)",
        dashed: [c.labels.benchmark],
        height: 170,
        marks: [
          dateBands(
            dates,
            { [c.labels.desk]: desk.spreadDuration, [c.labels.benchmark]: bench.spreadDuration },
            (x) => `${fixed(x)} y`,
          ),
        ],
      },
      {
        series: { [c.labels.desk]: desk.dts, [c.labels.benchmark]: bench.dts },
        colors,
        yLabel: "DTS (years × %)",
        scale: 100,
        dashed: [c.labels.benchmark],
        height: 170,
        marks: [
          dateBands(dates, { [c.labels.desk]: desk.dts, [c.labels.benchmark]: bench.dts }, (x) => fixed(x * 100)),
        ],
      },
    ],
    caption: caption(c, info),
  });
  const bucketChart = (
    title: string,
    subtitle: string,
    groups: Readonly<Record<string, { duration: Float64Array; dts: Float64Array }>>,
    palette: Readonly<Record<string, string>>,
  ) => {
    const names = Object.keys(groups);
    const duration = monthlyMeans(dates, names.map((k) => groups[k].duration));
    const dts = monthlyMeans(dates, names.map((k) => groups[k].dts));
    return stackedTimeSeriesChart({
      title,
      subtitle,
      dates: duration.dates,
      width: HALF,
      panels: [
        stackedPanel(
          duration.dates,
          names,
          duration.values,
          palette,
          "Spread duration (years)",
          1,
          (x) => `${fixed(x)} y`,
        ),
        stackedPanel(duration.dates, names, dts.values, palette, "DTS (years × %)", 100, (x) => fixed(x * 100)),
      ],
      caption: "Monthly averages of the daily exposures after each close, stacked: the top edge is the desk's total.",
    });
  };
  const sectorColors = Object.fromEntries(Object.keys(ledger.bySector).map((s, k) => [s, STRATEGY_COLORS[k]]));
  const byRating = bucketChart(
    "Exposure by rating bucket",
    "Contribution of each rating to spread duration and DTS; the buckets sum to the desk's total",
    ledger.byRating,
    RATING_COLORS,
  );
  const bySector = bucketChart(
    "Exposure by sector",
    "Contribution of each sector to spread duration and DTS; the sectors sum to the desk's total",
    ledger.bySector,
    sectorColors,
  );
  const at = (g: { weight: Float64Array }) => g.weight[g.weight.length - 1];
  const ratingNames = Object.keys(ledger.byRating), sectorNames = Object.keys(ledger.bySector);
  const snapshot = (
    names: string[],
    groups: typeof ledger.byRating,
    palette: Readonly<Record<string, string>>,
    what: string,
  ) => {
    const series = { "Weight": names.map((k) => at(groups[k])) };
    const labels = names.map((k) => SHORT_NAMES[k] ?? k);
    return barChart({
      title: `Book at ${isoDate(dates[n - 1])} by ${what}`,
      subtitle: `Share of NAV held in each ${what}`,
      categories: labels,
      series,
      categoryColors: Object.fromEntries(names.map((k, i) => [labels[i], palette[k]])),
      yLabel: "Weight (% of NAV)",
      scale: 100,
      valueLabels: 1,
      width: HALF,
      marks: [barHover(labels, series, 100, (x) => pct(x, 1))],
    });
  };
  const ratingBook = snapshot(ratingNames, ledger.byRating, RATING_COLORS, "rating");
  const sectorBook = snapshot(sectorNames, ledger.bySector, sectorColors, "sector");
  const held = Array.from({ length: N }, (_, i) => i).filter((i) => w[i] > 0).sort((a, b) => w[b] - w[a]).slice(0, 15);
  const positions = table(
    held.map((i) => {
      const k = last * N + i, b = u.bonds[i];
      return {
        bond: b.id,
        rating: b.rating,
        sector: b.sector,
        weight: w[i],
        "spread (bp)": u.spread[k] * 1e4,
        "duration (y)": u.duration[k],
        "DTS contribution": w[i] * u.duration[k] * u.spread[k] * 100,
        "P&L (bp of start NAV)": ledger.pnl[i] * 1e4,
      };
    }),
    {
      caption: `Top ${held.length} positions at ${
        isoDate(dates[n - 1])
      } by weight (DTS in years × %; P&L over the window of the bond's slot in the universe, its matured or defaulted predecessors included)`,
      formats: {
        weight: "percent",
        "spread (bp)": "number:0",
        "duration (y)": "number:2",
        "DTS contribution": "number:3",
        "P&L (bp of start NAV)": "number:1",
      },
      maxRows: 15,
    },
  );
  const html = [
    cards,
    `<div class="grid">`,
    figure(totals, true, "exposure-totals"),
    figure(byRating, false, "exposure-rating"),
    figure(bySector, false, "exposure-sector"),
    figure(ratingBook, false, "book-rating"),
    figure(sectorBook, false, "book-sector"),
    tableCard(positions.html, "positions", true),
    `</div>`,
  ].join("");
  return { view: "exposures", html, charts: 5 };
}

function execution(c: Computation, info: MarketInfo): RenderedView {
  const desk = c.desk(), naive = c.naive(), bench = c.benchmark();
  const dates = desk.dates, colors = bookColors(c), n = dates.length;
  const years = n / 252;
  const rows = compareStrategies({ [c.labels.naive]: naive, [c.labels.desk]: desk, [c.labels.benchmark]: bench });
  const [rn, rd] = rows;
  const saving = rn.totalCosts > 0 ? 1 - rd.totalCosts / rn.totalCosts : null;
  const cards = kpis([
    { label: "Desk costs a year", value: pct(rd.totalCosts / years), note: `naive ${pct(rn.totalCosts / years)}` },
    { label: "Cost saving", value: pct(saving, 0), note: "against the naive desk", tone: tone(saving) },
    { label: "Desk turnover a year", value: pct(rd.annualTurnover, 0), note: `naive ${pct(rn.annualTurnover, 0)}` },
    {
      label: "Turnover saving",
      value: pct(rn.annualTurnover > 0 ? 1 - rd.annualTurnover / rn.annualTurnover : null, 0),
      note: "against the naive desk",
    },
    {
      label: "NAV against naive",
      value: pct(rd.finalNav / rn.finalNav - 1, 1),
      note: `final ${fixed(rd.finalNav, 3)} against ${fixed(rn.finalNav, 3)}`,
      tone: tone(rd.finalNav / rn.finalNav - 1),
    },
    { label: "Sharpe against naive", value: fixed(rd.sharpe), note: `naive ${fixed(rn.sharpe)}` },
  ]);
  const netGross = {
    [`${c.labels.desk}, net`]: desk.nav,
    [`${c.labels.desk}, gross`]: desk.grossNav,
    [`${c.labels.naive}, net`]: naive.nav,
    [`${c.labels.naive}, gross`]: naive.grossNav,
  };
  const navChart = timeSeriesChart({
    title: "What costs take: net and gross NAV of the naive and the patient desk",
    subtitle: "Gross: the same trades without costs (dashed). The gap between a pair of lines is the cost of trading",
    dates,
    series: netGross,
    colors: {
      [`${c.labels.desk}, net`]: STRATEGY_COLORS[0],
      [`${c.labels.desk}, gross`]: STRATEGY_COLORS[0],
      [`${c.labels.naive}, net`]: STRATEGY_COLORS[2],
      [`${c.labels.naive}, gross`]: STRATEGY_COLORS[2],
    },
    dashed: [`${c.labels.desk}, gross`, `${c.labels.naive}, gross`],
    yLabel: "NAV (start = 1, log scale)",
    logY: true,
    highlights: highlights(c),
    caption: caption(c, info),
    width: WIDE,
    marks: [dateBands(dates, netGross, (x) => fixed(x, 4))],
  });
  const cumulative = (x: Float64Array) => {
    let s = 0;
    return Float64Array.from(x, (v) => (s += v));
  };
  const cum = { [c.labels.naive]: cumulative(naive.costs), [c.labels.desk]: cumulative(desk.costs) };
  const costs = timeSeriesChart({
    title: "Cumulative transaction costs",
    subtitle: "Sum of daily costs as a fraction of NAV (forced switches of matured or defaulted bonds included)",
    dates,
    series: cum,
    colors,
    yLabel: "Cumulative costs (% of NAV)",
    scale: 100,
    width: HALF,
    maxPoints: HALF_POINTS,
    marks: [dateBands(dates, cum, (x) => pct(x))],
  });
  const trailing = {
    [c.labels.naive]: trailingAnnualised(naive.turnover, TURNOVER_WINDOW),
    [c.labels.desk]: trailingAnnualised(desk.turnover, TURNOVER_WINDOW),
  };
  const turnover = timeSeriesChart({
    title: "Turnover, trailing quarter",
    subtitle: `Traded notional Σ|Δw| over the last ${TURNOVER_WINDOW} trading days, annualised`,
    dates,
    series: trailing,
    colors,
    yLabel: "Turnover (% of NAV a year)",
    scale: 100,
    width: HALF,
    maxPoints: HALF_POINTS,
    marks: [dateBands(dates, trailing, (x) => pct(x, 0))],
  });
  const ratingSeries = {
    [c.labels.naive]: Array.from(naive.costByRating, (k) => k / years),
    [c.labels.desk]: Array.from(desk.costByRating, (k) => k / years),
  };
  const byRating = barChart({
    title: "Cost attribution by rating bucket",
    subtitle: "Transaction costs by rating, average per year: high yield costs most to trade",
    categories: [...desk.ratings],
    series: ratingSeries,
    colors,
    xLabel: "Rating",
    yLabel: "Costs (bp of NAV a year)",
    scale: 1e4,
    width: HALF,
    marks: [barHover(desk.ratings, ratingSeries, 1e4, (x) => `${fixed(x * 1e4, 1)} bp a year`)],
  });
  const ratingTable = table(desk.byRating(), {
    caption: "Desk: costs and traded notional by rating over the window (fractions of NAV)",
    formats: { cost: "percent", traded: "percent:0", cost_share: "percent:1" },
  });
  const comparison = table(
    rows.map((r) => ({
      policy: short(c, r.strategy),
      "final NAV": r.finalNav,
      "total return": r.totalReturn,
      "costs (total)": r.totalCosts,
      "turnover a year": r.annualTurnover,
      Sharpe: r.sharpe,
      "max drawdown": r.maxDrawdown,
    })),
    {
      caption:
        `Naive against the desk, ${c.params.start} to ${c.params.end} (costs summed over the window, fractions of NAV). ${
          legendOf(c)
        }`,
      formats: {
        "final NAV": "number:3",
        "total return": "percent:1",
        "costs (total)": "percent:1",
        "turnover a year": "percent:0",
        Sharpe: "number:2",
        "max drawdown": "percent:1",
      },
    },
  );
  const attr = books(c).map(([k, r]) => ({ k, a: attribution(r) }));
  const market = attr[2].a;
  const attributionTable = table(
    attr.map(({ k, a }) => ({
      policy: short(c, k),
      rates: a.rates,
      credit: a.credit,
      cash: a.cash,
      costs: a.costs,
      net: a.net,
      "credit selection": k === c.labels.benchmark ? null : a.credit - market.credit,
    })),
    {
      caption:
        `Where the return came from, per year (simple sums × 252 / days); credit selection: credit return above the universe's. ${
          legendOf(c)
        }`,
      formats: {
        rates: "percent",
        credit: "percent",
        cash: "percent",
        costs: "percent",
        net: "percent",
        "credit selection": "percent",
      },
    },
  );
  const html = [
    cards,
    `<div class="grid">`,
    figure(navChart, true, "net-gross"),
    figure(costs, false, "cumulative-costs"),
    figure(turnover, false, "turnover"),
    figure(byRating, false, "costs-by-rating"),
    tableCard(ratingTable.html, "costs-by-rating-table"),
    tableCard(comparison.html, "comparison", true),
    tableCard(attributionTable.html, "attribution", true),
    `</div>`,
  ].join("");
  return { view: "execution", html, charts: 4 };
}

function risk(c: Computation, _info: MarketInfo): RenderedView {
  const desk = c.desk(), naive = c.naive(), bench = c.benchmark();
  const dates = desk.dates, r = desk.returns;
  const var95 = valueAtRisk(r, 0.95), cvar95 = conditionalValueAtRisk(r, 0.95);
  const var99 = valueAtRisk(r, 0.99), cvar99 = conditionalValueAtRisk(r, 0.99);
  // Drawdowns of the wealth started at the capital (1) before the first trade, as maxDrawdown measures them:
  // index k of `wealth` is the close of dates[k − 1], and k = 0 the start.
  const wealth = Float64Array.of(1, ...desk.nav);
  const worst = worstDays(r, 10), episodes = worstDrawdowns(wealth, 5);
  const on = (k: number) => isoDate(dates[Math.max(0, k - 1)]);
  const cards = kpis([
    { label: "VaR 95 % (1 day)", value: pct(var95), note: "historical 5 % quantile", tone: "bad" },
    { label: "CVaR 95 % (1 day)", value: pct(cvar95), note: "mean of the worst 5 %", tone: "bad" },
    { label: "VaR 99 % (1 day)", value: pct(var99), note: "historical 1 % quantile", tone: "bad" },
    { label: "CVaR 99 % (1 day)", value: pct(cvar99), note: "mean of the worst 1 %", tone: "bad" },
    { label: "Worst day", value: pct(r[worst[0]]), note: isoDate(dates[worst[0]]), tone: "bad" },
    {
      label: "Deepest drawdown",
      value: pct(episodes[0]?.depth ?? 0, 1),
      note: episodes[0] ? `${on(episodes[0].peak)} → ${on(episodes[0].trough)}` : "none",
      tone: "bad",
    },
  ]);
  const varTable = table(
    books(c).map(([k, b]) => ({
      book: short(c, k),
      "VaR 95 %": maybe(() => valueAtRisk(b.returns, 0.95)),
      "CVaR 95 %": maybe(() => conditionalValueAtRisk(b.returns, 0.95)),
      "VaR 99 %": maybe(() => valueAtRisk(b.returns, 0.99)),
      "CVaR 99 %": maybe(() => conditionalValueAtRisk(b.returns, 0.99)),
      "worst day": Math.min(...b.returns),
      "volatility a year": maybe(() => annualVolatility(b.returns)),
    })),
    {
      caption: `One-day historical VaR and CVaR (expected shortfall) of the net daily returns, as returns. ${
        legendOf(c)
      }`,
      formats: {
        "VaR 95 %": "percent",
        "CVaR 95 %": "percent",
        "VaR 99 %": "percent",
        "CVaR 99 %": "percent",
        "worst day": "percent",
        "volatility a year": "percent:1",
      },
    },
  );
  const bins = 80;
  const scaled = Float64Array.from(r, (x) => x * 100);
  let lo = Infinity, hi = -Infinity;
  for (const x of scaled) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
  const binWidth = (hi - lo) / bins;
  const counts = new Array(bins).fill(0);
  for (const x of scaled) counts[Math.min(bins - 1, Math.floor((x - lo) / binWidth))]++;
  const binData = counts.map((k, i) => ({
    x1: lo + i * binWidth,
    x2: lo + (i + 1) * binWidth,
    y: k / (scaled.length * binWidth),
    title: `${fixed(lo + i * binWidth, 2)} % to ${fixed(lo + (i + 1) * binWidth, 2)} %: ${k} day${k === 1 ? "" : "s"}`,
  }));
  const peakDensity = Math.max(...binData.map((b) => b.y));
  const levels = [
    { x: var95 * 100, label: "VaR 95 %", dy: 8, value: var95 },
    { x: cvar95 * 100, label: "CVaR 95 %", dy: 22, value: cvar95 },
    { x: var99 * 100, label: "VaR 99 %", dy: 36, value: var99 },
    { x: cvar99 * 100, label: "CVaR 99 %", dy: 50, value: cvar99 },
  ].map((l) => ({ ...l, title: `${l.label}: ${pct(l.value)}` }));
  const histogram = histogramChart({
    title: "Distribution of daily returns, with the tail measures",
    subtitle: "Density of the desk's net daily returns against a normal with the same mean and volatility",
    values: r,
    scale: 100,
    bins,
    xLabel: "Daily return (%)",
    width: HALF,
    marks: [
      Plot.rectY(binData, { x1: "x1", x2: "x2", y: "y", fill: "currentColor", fillOpacity: 0, title: "title" }),
      Plot.ruleX(levels, { x: "x", stroke: "#a50f15", strokeDasharray: "3,2", title: "title" }),
      Plot.text(levels, {
        x: "x",
        y: (l: { dy: number }) => peakDensity * (1 - l.dy / 60),
        text: "label",
        textAnchor: "end",
        dx: -4,
        fill: "#a50f15",
        fontSize: 10,
      }),
    ],
  });
  const monthly = monthlyReturns(dates, r);
  const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const rowsLabels = monthly.years.map(String);
  const heat = heatmapChart({
    title: "Monthly returns",
    subtitle: "Net return of each calendar month; red months lost money",
    rows: rowsLabels,
    columns: monthNames,
    values: monthly.values,
    xLabel: "Month",
    yLabel: "Year",
    colorLabel: "Return (%)",
    scale: 100,
    scheme: "rdylgn",
    cellText: 1,
    width: HALF,
    height: Math.max(200, 22 * rowsLabels.length),
    marks: [cellHover(rowsLabels, monthNames, monthly.values, (x) => pct(x))],
  });
  const worstTable = table(
    worst.map((t) => ({
      date: isoDate(dates[t]),
      desk: r[t],
      naive: naive.returns[t],
      benchmark: bench.returns[t],
      "duration (y)": desk.spreadDuration[Math.max(0, t - 1)],
    })),
    {
      caption:
        "The ten worst days of the desk: net returns of the three books, and the desk's spread duration held into the day",
      formats: { desk: "percent", naive: "percent", benchmark: "percent", "duration (y)": "number:2" },
    },
  );
  const drawdownTable = table(
    episodes.map((e) => ({
      peak: on(e.peak),
      trough: on(e.trough),
      recovery: e.recovery === null ? "not recovered" : on(e.recovery),
      depth: e.depth,
      "down (days)": e.trough - e.peak,
      "back (days)": e.recovery === null ? null : e.recovery - e.trough,
    })),
    {
      caption: "The five deepest drawdowns of the desk: trading days from peak to trough and back to the peak",
      formats: { depth: "percent:1", "down (days)": "integer", "back (days)": "integer" },
    },
  );
  const html = [
    cards,
    `<div class="grid">`,
    tableCard(varTable.html, "var", true),
    figure(heat, false, "monthly-returns"),
    `<div class="stack">`,
    figure(histogram, false, "return-distribution"),
    tableCard(worstTable.html, "worst-days"),
    `</div>`,
    tableCard(drawdownTable.html, "worst-drawdowns", true),
    `</div>`,
  ].join("");
  return { view: "risk", html, charts: 2 };
}

function overlay(c: Computation, info: MarketInfo): RenderedView {
  const o = c.overlay(), run = o.run, s = o.signals;
  const spreadLabel = info.kind === "real" ? "HY OAS" : "HY OAS (stand-in)";
  const hl = highlights(c), quiet = highlights(c, false);
  const rows = o.summary;
  const cards = kpis([
    {
      label: "Total P&L",
      value: usdThousands(metric(rows, "Total P&L") ?? 0),
      note: "USD, net of costs",
      tone: tone(metric(rows, "Total P&L")),
    },
    { label: "Annual return", value: pct(metric(rows, "CAGR")), note: "CAGR on the running equity" },
    { label: "Sharpe ratio", value: fixed(metric(rows, "Sharpe ratio")) },
    { label: "Max drawdown", value: pct(metric(rows, "Max drawdown"), 1), tone: "bad" },
    { label: "Trades", value: String(metric(rows, "Number of trades") ?? 0), note: "closed round trips" },
    { label: "Position now", value: ["short risk", "flat", "long risk"][run.position[run.position.length - 1] + 1] },
  ]);
  const caption4 =
    `${info.overlayLabel}: HY OAS as the CDX proxy, VIX and HYG; weights 0.4/0.3/0.3, entry ±${OVERLAY.entry}, exit ±${OVERLAY.exit}, USD 10 MM notional, ${o.costBp} bp a side.`;
  const signalHover = dateBands(
    s.dates,
    { Basis: s.basis, "VIX gap": s.vixGap, Momentum: s.momentum, Composite: s.composite },
    (x) => fixed(x, 2),
  );
  const signals = overlaySignalsChart(s, {
    title: "The three overlay signals",
    subtitle: "Trailing 20-day z-scores; positive = long credit risk",
    caption:
      "Basis: HY OAS less the HYG-implied spread. VIX gap: z(spread) − z(VIX). Momentum: 20-day tightening over its volatility.",
    highlights: quiet,
    width: HALF,
    marks: [signalHover],
  });
  const composite = overlayCompositeChart(s, {
    title: "Composite against its thresholds",
    subtitle: `Weighted z of the three signals with entry ±${OVERLAY.entry} and exit ±${OVERLAY.exit}`,
    entry: OVERLAY.entry,
    exit: OVERLAY.exit,
    highlights: quiet,
    width: HALF,
    marks: [dateBands(s.dates, { Composite: s.composite }, (x) => fixed(x, 2))],
  });
  const position = overlayPositionChart(run, {
    title: "Position of the overlay",
    subtitle:
      "+1 = USD 10 MM protection sold (long risk), −1 = bought; decided at the close, earning from the next day",
    spreadLabel,
    highlights: hl,
    width: WIDE,
    caption: caption4,
    marks: [
      dateBands(run.dates, {
        [spreadLabel]: Float64Array.from(run.spread, (x) => x * 1e4),
        Position: Float64Array.from(run.position),
      }, (x) => fixed(x, 0)),
    ],
  });
  let cum = 0;
  const equity = Float64Array.from(run.pnl, (x) => (cum += x) / OVERLAY.capital);
  const equityChart = overlayEquityChart(run, {
    title: "Equity curve of the overlay",
    subtitle: "Cumulative P&L in % of USD 10 MM capital: spread change × RPV01 plus carry less costs",
    capital: OVERLAY.capital,
    highlights: quiet,
    width: HALF,
    marks: [dateBands(run.dates, { "Cumulative P&L": equity }, (x) => pct(x))],
  });
  let peak = -Infinity;
  const under = Float64Array.from(equity, (e) => (peak = Math.max(peak, 1 + e), (1 + e) / peak - 1));
  const drawdown = overlayDrawdownChart(run, {
    title: "Drawdown of the overlay",
    subtitle: "Equity (capital + cumulative P&L) below its running peak",
    capital: OVERLAY.capital,
    highlights: quiet,
    width: HALF,
    marks: [dateBands(run.dates, { Drawdown: under }, (x) => pct(x, 1))],
  });
  const summary = table(formatSummary(rows), {
    caption: "Overlay summary: returns on USD 10 MM capital, ratios refused below 5 closed trades",
  });
  const trades = (run.trades.toRecords() as Record<string, unknown>[]).slice(-12).reverse();
  const tradeTable = table(
    trades.map((t) => ({
      entry: t.entry_date,
      exit: t.exit_date,
      direction: t.direction,
      days: t.days_held,
      "P&L (USD)": t.pnl,
      reason: t.exit_reason,
    })),
    {
      caption: `The last ${trades.length} of ${run.trades.height} trades, latest first (days held; why it closed)`,
      formats: { days: "integer", "P&L (USD)": "integer" },
    },
  );
  const html = [
    cards,
    `<div class="grid">`,
    figure(position, true, "overlay-position"),
    figure(signals, false, "overlay-signals"),
    figure(composite, false, "overlay-composite"),
    figure(equityChart, false, "overlay-equity"),
    figure(drawdown, false, "overlay-drawdown"),
    tableCard(summary.html, "overlay-summary"),
    tableCard(tradeTable.html, "overlay-trades"),
    `</div>`,
  ].join("");
  return { view: "overlay", html, charts: 5 };
}

const RENDERERS: Readonly<Record<ViewName, (c: Computation, info: MarketInfo) => RenderedView>> = {
  overview,
  exposures,
  execution,
  risk,
  overlay,
};

/** Renders the view of a state. */
export function renderView(c: Computation, info: MarketInfo): RenderedView {
  return RENDERERS[c.params.view](c, info);
}

/** One line on the book for the header ("Bond desk · top 20 % of carry/momentum/value, rank-weighted · …"). */
export function bookLine(c: Computation): string {
  const p = c.params, w = p.weights;
  const weights = w.carry === w.momentum && w.momentum === w.value
    ? "equal weights"
    : `weights ${fixed(w.carry, 2)}/${fixed(w.momentum, 2)}/${fixed(w.value, 2)}`;
  return `${c.labels.desk} · top ${
    TOP_FRACTION * 100
  } % of the carry/momentum/value composite (${weights}), rank-weighted · ${p.issuers} issuers, seed ${p.seed} · ${p.start} to ${p.end}`;
}
