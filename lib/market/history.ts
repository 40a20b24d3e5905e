/**
 * A stylised calendar of US market history since 1997 — credit stress episodes, energy-sector crashes and the
 * Federal Reserve's policy-rate path — used to give the synthetic stand-in market the timing of real history
 * (so that "2008", "March 2020" and "the 2022 hiking cycle" mean something on synthetic data too) while every
 * path stays random. The sizes of the episodes are not here: they are calibrated to the real series
 * (`lib/data/calibrate.ts`).
 *
 * Dates are public record (FOMC statements, NBER and market chronologies); the policy path is the federal funds
 * target (the mid-point of the target range after December 2008), in decimals.
 * @module
 */
import { rangeError, requireDates, requireObject, requireString, typeError } from "../core/check.ts";
import { parseIsoDate, requireIsoDate } from "../core/calendar.ts";

/** A stress episode: it builds from `start` to `peak` and fades by `end`. */
export interface Episode {
  /** Name. */ readonly name: string;
  /** Label of a few characters for charts. */ readonly short: string;
  /** First day of the build-up (`YYYY-MM-DD`). */ readonly start: string;
  /** Day of maximum stress. */ readonly peak: string;
  /** Day the episode has faded. */ readonly end: string;
}

/** Credit-spread stress episodes since 1997. */
export const CREDIT_EPISODES: readonly Episode[] = [
  { name: "Asia, Russia and LTCM", short: "LTCM", start: "1998-07-15", peak: "1998-10-15", end: "1999-03-31" },
  {
    name: "Dot-com bust and telecom defaults",
    short: "Dot-com",
    start: "2000-03-01",
    peak: "2002-10-10",
    end: "2003-12-31",
  },
  { name: "Global financial crisis", short: "GFC", start: "2007-06-15", peak: "2008-12-15", end: "2010-06-30" },
  { name: "Euro-area debt crisis", short: "Euro", start: "2011-07-01", peak: "2011-12-20", end: "2012-12-31" },
  { name: "Oil crash and China scare", short: "Oil", start: "2015-06-01", peak: "2016-02-11", end: "2016-12-31" },
  { name: "Covid-19 shock", short: "Covid", start: "2020-02-20", peak: "2020-03-23", end: "2020-12-31" },
  {
    name: "Inflation and the 2022 hiking cycle",
    short: "2022",
    start: "2022-01-03",
    peak: "2022-07-05",
    end: "2023-06-30",
  },
];

/** Energy-sector equity crashes (oil-price collapses) since 2000. */
export const ENERGY_EPISODES: readonly Episode[] = [
  { name: "2008 oil collapse", short: "2008", start: "2008-07-03", peak: "2009-03-09", end: "2009-03-10" },
  { name: "2014–16 oil crash", short: "2014–16", start: "2014-06-20", peak: "2016-02-11", end: "2016-02-12" },
  { name: "Covid-19 oil collapse", short: "Covid", start: "2020-01-06", peak: "2020-03-18", end: "2020-03-19" },
];

/** Federal funds target (decimal) in force from each date on, 1997–2025. */
export const FED_TARGET_PATH: readonly (readonly [string, number])[] = [
  ["1997-01-01", 0.0525],
  ["1997-03-25", 0.055],
  ["1998-09-29", 0.0525],
  ["1998-10-15", 0.05],
  ["1998-11-17", 0.0475],
  ["1999-06-30", 0.05],
  ["1999-08-24", 0.0525],
  ["1999-11-16", 0.055],
  ["2000-02-02", 0.0575],
  ["2000-03-21", 0.06],
  ["2000-05-16", 0.065],
  ["2001-01-03", 0.06],
  ["2001-01-31", 0.055],
  ["2001-03-20", 0.05],
  ["2001-04-18", 0.045],
  ["2001-05-15", 0.04],
  ["2001-06-27", 0.0375],
  ["2001-08-21", 0.035],
  ["2001-09-17", 0.03],
  ["2001-10-02", 0.025],
  ["2001-11-06", 0.02],
  ["2001-12-11", 0.0175],
  ["2002-11-06", 0.0125],
  ["2003-06-25", 0.01],
  ["2004-06-30", 0.0125],
  ["2004-08-10", 0.015],
  ["2004-09-21", 0.0175],
  ["2004-11-10", 0.02],
  ["2004-12-14", 0.0225],
  ["2005-02-02", 0.025],
  ["2005-03-22", 0.0275],
  ["2005-05-03", 0.03],
  ["2005-06-30", 0.0325],
  ["2005-08-09", 0.035],
  ["2005-09-20", 0.0375],
  ["2005-11-01", 0.04],
  ["2005-12-13", 0.0425],
  ["2006-01-31", 0.045],
  ["2006-03-28", 0.0475],
  ["2006-05-10", 0.05],
  ["2006-06-29", 0.0525],
  ["2007-09-18", 0.0475],
  ["2007-10-31", 0.045],
  ["2007-12-11", 0.0425],
  ["2008-01-22", 0.035],
  ["2008-01-30", 0.03],
  ["2008-03-18", 0.0225],
  ["2008-04-30", 0.02],
  ["2008-10-08", 0.015],
  ["2008-10-29", 0.01],
  ["2008-12-16", 0.00125],
  ["2015-12-16", 0.00375],
  ["2016-12-14", 0.00625],
  ["2017-03-15", 0.00875],
  ["2017-06-14", 0.01125],
  ["2017-12-13", 0.01375],
  ["2018-03-21", 0.01625],
  ["2018-06-13", 0.01875],
  ["2018-09-26", 0.02125],
  ["2018-12-19", 0.02375],
  ["2019-07-31", 0.02125],
  ["2019-09-18", 0.01875],
  ["2019-10-30", 0.01625],
  ["2020-03-03", 0.01125],
  ["2020-03-15", 0.00125],
  ["2022-03-16", 0.00375],
  ["2022-05-04", 0.00875],
  ["2022-06-15", 0.01625],
  ["2022-07-27", 0.02375],
  ["2022-09-21", 0.03125],
  ["2022-11-02", 0.03875],
  ["2022-12-14", 0.04375],
  ["2023-02-01", 0.04625],
  ["2023-03-22", 0.04875],
  ["2023-05-03", 0.05125],
  ["2023-07-26", 0.05375],
  ["2024-09-18", 0.04875],
  ["2024-11-07", 0.04625],
  ["2024-12-18", 0.04375],
  ["2025-09-17", 0.04125],
  ["2025-10-29", 0.03875],
  ["2025-12-10", 0.03625],
];

/**
 * Shape of an episode on a date grid: 0 before `start`, rising smoothly (smoothstep 3u² − 2u³) to 1 at `peak`,
 * falling smoothly to 0 at `end`, and 0 after.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { episodeShape } from "./history.ts";
 *
 * const dates = ["2008-01-01", "2008-12-15", "2011-01-01"].map((d) => new Date(d));
 * const e = { name: "GFC", short: "GFC", start: "2007-06-15", peak: "2008-12-15", end: "2010-06-30" };
 * assert.deepEqual(Array.from(episodeShape(dates, e)).map((v) => v > 0), [true, true, false]);
 * assert.equal(episodeShape(dates, e)[1], 1);
 * ```
 */
export function episodeShape(dates: readonly Date[], episode: Episode): Float64Array {
  const start = parseIsoDate(episode.start).getTime();
  const peak = parseIsoDate(episode.peak).getTime();
  const end = parseIsoDate(episode.end).getTime();
  if (!(start < peak && peak < end)) {
    throw rangeError("shape episode", `episode ${episode.name}`, "dated start < peak < end", episode.start);
  }
  const smooth = (u: number) => u * u * (3 - 2 * u);
  const out = new Float64Array(dates.length);
  for (let i = 0; i < dates.length; i++) {
    const t = dates[i].getTime();
    if (t <= start || t >= end) continue;
    out[i] = t <= peak ? smooth((t - start) / (peak - start)) : smooth((end - t) / (end - peak));
  }
  return out;
}

/**
 * Daily increments that move a cumulative series by 1 in total, spread evenly over the build-up days of an
 * episode (`start` < date ≤ `peak`); used for crash episodes in log prices.
 */
export function episodeIncrements(dates: readonly Date[], episode: Episode): Float64Array {
  const start = parseIsoDate(episode.start).getTime();
  const peak = parseIsoDate(episode.peak).getTime();
  const out = new Float64Array(dates.length);
  let count = 0;
  for (let i = 0; i < dates.length; i++) if (dates[i].getTime() > start && dates[i].getTime() <= peak) count++;
  if (count === 0) return out;
  for (let i = 0; i < dates.length; i++) {
    if (dates[i].getTime() > start && dates[i].getTime() <= peak) out[i] = 1 / count;
  }
  return out;
}

/**
 * Step function of dated values (each value holds from its date until the next), sampled on a date grid; dates
 * before the first knot take the first value.
 */
export function stepPath(dates: readonly Date[], knots: readonly (readonly [string, number])[]): Float64Array {
  const times = knots.map(([d]) => parseIsoDate(d).getTime());
  for (let k = 1; k < times.length; k++) {
    if (!(times[k] > times[k - 1])) {
      throw rangeError("sample step path", `knots[${k}]`, "after the previous knot", knots[k][0]);
    }
  }
  const out = new Float64Array(dates.length);
  for (let i = 0; i < dates.length; i++) {
    const t = dates[i].getTime();
    let lo = 0, hi = times.length - 1; // last knot with time ≤ t, by bisection (dates may come in any order)
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    out[i] = knots[lo][1];
  }
  return out;
}

/**
 * Exponentially weighted moving average with a half-life in observations, started at the first value — a causal
 * filter (the value at t uses data up to t only).
 */
export function exponentialAverage(values: ArrayLike<number>, halfLife: number): Float64Array {
  if (!(halfLife > 0)) throw rangeError("compute exponential average", "halfLife", "> 0", halfLife);
  const w = Math.pow(0.5, 1 / halfLife);
  const out = new Float64Array(values.length);
  let m = values[0];
  for (let i = 0; i < values.length; i++) {
    m = w * m + (1 - w) * values[i];
    out[i] = m;
  }
  return out;
}

/** A dated period without a peak, e.g. a recession. */
export interface Period {
  readonly name: string;
  readonly short?: string;
  readonly start: string;
  readonly end: string;
}

/** US recessions since 1969, peak to trough month as dated by the NBER Business Cycle Dating Committee. */
export const US_RECESSIONS: readonly Period[] = [
  { name: "1969–70", start: "1969-12-01", end: "1970-11-30" },
  { name: "1973–75", start: "1973-11-01", end: "1975-03-31" },
  { name: "1980", start: "1980-01-01", end: "1980-07-31" },
  { name: "1981–82", start: "1981-07-01", end: "1982-11-30" },
  { name: "1990–91", start: "1990-07-01", end: "1991-03-31" },
  { name: "2001", start: "2001-03-01", end: "2001-11-30" },
  { name: "2007–09", start: "2007-12-01", end: "2009-06-30" },
  { name: "2020", start: "2020-02-01", end: "2020-04-30" },
];

/**
 * Checks a list of periods or episodes at a public boundary: each an object with a non-empty `name`, ISO calendar
 * dates `start` ≤ `end` (and `start` < `peak` < `end` when `peaks` is set, as {@linkcode episodeShape} needs), and an
 * optional string `short`. Names the caller's argument (`episodes[2].start`).
 *
 * @throws {TypeError} If `list` is not an array of objects or a field has the wrong type.
 * @throws {RangeError} If a date is not an ISO calendar date or the dates are out of order.
 */
export function requirePeriods(
  action: string,
  name: string,
  list: unknown,
  opts: { peaks?: boolean } = {},
): readonly (Period | Episode)[] {
  if (!Array.isArray(list)) throw typeError(action, name, "an array of periods { name, start, end }", list);
  list.forEach((p, k) => {
    const at = `${name}[${k}]`;
    requireObject(action, at, p);
    requireString(action, `${at}.name`, p.name);
    if (p.short !== undefined && typeof p.short !== "string") {
      throw typeError(action, `${at}.short`, "a string", p.short);
    }
    const start = requireIsoDate(action, `${at}.start`, p.start).getTime();
    const end = requireIsoDate(action, `${at}.end`, p.end).getTime();
    if (opts.peaks) {
      const peak = requireIsoDate(action, `${at}.peak`, p.peak).getTime();
      if (!(start < peak && peak < end)) throw rangeError(action, `${at}`, "dated start < peak < end", p.start);
    } else if (!(start <= end)) throw rangeError(action, `${at}.end`, `on or after start (${p.start})`, p.end);
  });
  return list;
}

/**
 * Periods or episodes as chart highlights (`{ start, end, label }`), optionally only those after `from`.
 *
 * @param periods Periods or episodes (see {@linkcode Period}): ISO dates `start` ≤ `end`.
 * @param from ISO date: keep the periods that end on or after it (default: all).
 * @throws {TypeError} If `periods` is not an array of periods.
 * @throws {RangeError} If a date is not an ISO calendar date.
 */
export function periodHighlights(
  periods: readonly (Period | Episode)[],
  from?: string,
): { start: string; end: string; label: string }[] {
  const action = "list period highlights";
  requirePeriods(action, "periods", periods);
  if (from !== undefined) requireIsoDate(action, "from", from);
  return periods.filter((p) => from === undefined || p.end >= from).map((p) => ({
    start: p.start,
    end: p.end,
    label: p.short ?? p.name,
  }));
}

/** Peak of one series within one episode. */
export interface EpisodePeak {
  readonly episode: string;
  readonly series: string;
  /** Highest value within [start, end], and its date. */
  readonly peak: number;
  readonly peakDate: Date;
  /** Value on the last observation on or before the episode's start. */
  readonly before: number;
  /** peak / before. */
  readonly ratio: number;
}

/**
 * For each episode and series: the highest value from `start` to `end` and the value just before the episode —
 * how far spreads or volatility rose. Missing values (null) are skipped; an episode without data is left out.
 *
 * @param dates Observation dates (valid Dates).
 * @param series Series by name, each aligned with `dates`: finite numbers or null.
 * @param episodes Periods or episodes with ISO dates `start` ≤ `end`.
 * @throws {TypeError} If an argument has the wrong type.
 * @throws {RangeError} If a date is invalid, a series is misaligned or holds a non-finite number, or the value before
 *   an episode is 0 (the ratio is undefined).
 */
export function episodePeaks(
  dates: readonly Date[],
  series: Readonly<Record<string, ArrayLike<number | null>>>,
  episodes: readonly (Period | Episode)[],
): EpisodePeak[] {
  const action = "find episode peaks";
  requireDates(action, "dates", dates);
  requireObject(action, "series", series);
  for (const [name, values] of Object.entries(series)) {
    if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
      throw typeError(action, `series.${name}`, "an array of numbers or nulls", values);
    }
    if (values.length !== dates.length) {
      throw rangeError(action, `series ${name}`, `${dates.length} values like dates`, values.length);
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null) continue;
      if (typeof v !== "number") throw typeError(action, `series.${name}[${i}]`, "a number or null", v);
      if (!Number.isFinite(v)) throw rangeError(action, `series.${name}[${i}]`, "finite (or null)", v);
    }
  }
  requirePeriods(action, "episodes", episodes);
  const out: EpisodePeak[] = [];
  for (const episode of episodes) {
    const start = parseIsoDate(episode.start).getTime(), end = parseIsoDate(episode.end).getTime();
    for (const [name, values] of Object.entries(series)) {
      let peak = -Infinity, peakDate: Date | null = null, before: number | null = null;
      for (let i = 0; i < dates.length; i++) {
        const v = values[i];
        if (v === null) continue;
        const t = dates[i].getTime();
        if (t <= start) before = v;
        if (t >= start && t <= end && v > peak) (peak = v), (peakDate = dates[i]);
      }
      if (peakDate && before !== null) {
        if (before === 0) {
          throw rangeError(action, `series.${name}`, `non-zero before episode ${episode.name} (peak / before)`, 0);
        }
        out.push({ episode: episode.name, series: name, peak, peakDate, before, ratio: peak / before });
      }
    }
  }
  return out;
}
