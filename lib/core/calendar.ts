/**
 * Business-day calendars. Dates are JavaScript `Date`s at UTC midnight (what nodejs-polars returns for a `pl.Date`
 * column), so they compare and format the same in every time zone.
 *
 * Two US calendars: `"bond"`, the bond-market holidays recommended by SIFMA, on which H.15 Treasury yields and
 * the FRED credit series have no value (the NYSE holidays plus Columbus Day and Veterans Day), and `"nyse"`, the
 * New York Stock Exchange holidays on which equities and ETFs do not trade. Both use the rules in force today
 * (Juneteenth from 2022). Not included: special closures (9/11, Hurricane Sandy in 2012, national days of
 * mourning) and the years in which SIFMA recommended an early close instead of a full close on Good Friday (2010,
 * 2012, 2015, 2021, 2023).
 * @module
 */
import {
  rangeError,
  requireDate,
  requireDates,
  requireInteger,
  requireOneOf,
  requireOptions,
  typeError,
} from "./check.ts";

const DAY_MS = 86_400_000;

/** A US business-day calendar. */
export type Calendar = "bond" | "nyse" | "weekdays";

/** First and last years of the calendars: Gregorian years (the Easter rule holds from 1583) with four digits. */
const FIRST_YEAR = 1583, LAST_YEAR = 9999;

const CALENDARS: readonly Calendar[] = ["bond", "nyse", "weekdays"];

/**
 * Parses `YYYY-MM-DD` into a UTC-midnight Date. An impossible calendar date (`2015-02-30`, month 13) is refused, never
 * rolled over into the next month.
 *
 * @throws {TypeError} If `text` is not a string.
 * @throws {RangeError} For a string that is not an ISO calendar date.
 */
export function parseIsoDate(text: string): Date {
  if (typeof text !== "string") throw typeError("parse date", "text", "an ISO calendar date YYYY-MM-DD", text);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : new Date(NaN);
  if (m && +m[1] < 100) d.setTime(new Date(0).setUTCFullYear(+m[1], +m[2] - 1, +m[3])); // Date.UTC maps 0–99 to 19xx
  if (!m || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
    throw rangeError("parse date", "text", "an ISO calendar date YYYY-MM-DD", text);
  }
  return d;
}

/**
 * A caller's ISO date argument as a Date (UTC midnight), with the error naming the caller's argument.
 *
 * @throws {RangeError} `Cannot <action>: <name> must be an ISO date (YYYY-MM-DD), received …` for a non-string or
 *   an impossible calendar date such as 2015-02-30.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireIsoDate } from "./calendar.ts";
 *
 * assert.equal(requireIsoDate("run backtest", "start", "2024-02-29").getTime(), Date.UTC(2024, 1, 29));
 * assert.throws(() => requireIsoDate("run backtest", "start", "2015-02-30"), {
 *   message: 'Cannot run backtest: start must be an ISO date (YYYY-MM-DD), received "2015-02-30"',
 * });
 * ```
 */
export function requireIsoDate(action: string, name: string, value: unknown): Date {
  if (typeof value === "string") {
    try {
      return parseIsoDate(value);
    } catch { /* reported below, with the caller's argument */ }
  }
  throw rangeError(action, name, "an ISO date (YYYY-MM-DD)", value);
}

/**
 * Formats a Date as `YYYY-MM-DD` (UTC).
 * @throws {TypeError} If `date` is not a Date. @throws {RangeError} If it is an invalid Date.
 */
export function isoDate(date: Date): string {
  requireDate("format date", "date", date);
  return date.toISOString().slice(0, 10);
}

/**
 * Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
 * @throws {RangeError} If `year` is not an integer in [1583, 9999].
 */
export function easterSunday(year: number): Date {
  requireInteger("compute Easter Sunday", "year", year, { min: FIRST_YEAR, max: LAST_YEAR });
  const a = year % 19, b = Math.floor(year / 100), c = year % 100;
  const d = Math.floor(b / 4), e = b % 4, f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30, i = Math.floor(c / 4), k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

/** The n-th (1-based; −1 = last) given weekday (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): Date {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
    return new Date(Date.UTC(year, month, 1 + ((weekday - first + 7) % 7) + 7 * (n - 1)));
  }
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return new Date(lastDay.getTime() - ((lastDay.getUTCDay() - weekday + 7) % 7) * DAY_MS);
}

/**
 * Weekend rule: a Sunday holiday is observed on Monday, a Saturday one on Friday (New Year's Day and Veterans Day
 * excepted, handled by the caller).
 */
function observed(date: Date): Date {
  const dow = date.getUTCDay();
  if (dow === 0) return new Date(date.getTime() + DAY_MS);
  if (dow === 6) return new Date(date.getTime() - DAY_MS);
  return date;
}

/**
 * Holidays of a calendar in one year, as ISO date strings.
 *
 * @param year Gregorian year, an integer in [1583, 9999].
 * @param calendar `"bond"`, `"nyse"` or `"weekdays"` (no holidays).
 * @throws {RangeError} If the year is out of range or the calendar unknown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { holidays } from "./calendar.ts";
 *
 * assert.ok(holidays(2024, "nyse").has("2024-03-29")); // Good Friday
 * assert.ok(holidays(2024, "bond").has("2024-10-14")); // Columbus Day: bond market closed, NYSE open
 * ```
 */
export function holidays(year: number, calendar: Calendar): Set<string> {
  requireInteger("list holidays", "year", year, { min: FIRST_YEAR, max: LAST_YEAR });
  requireOneOf("list holidays", "calendar", calendar, CALENDARS);
  const out = new Set<string>();
  if (calendar === "weekdays") return out;
  const add = (d: Date) => out.add(isoDate(d));
  const fixed = (month: number, day: number) => observed(new Date(Date.UTC(year, month, day)));
  const newYear = new Date(Date.UTC(year, 0, 1));
  if (newYear.getUTCDay() !== 6) add(observed(newYear)); // New Year's Day: no Friday close on Dec 31
  if (year >= 1998 || calendar === "bond") add(nthWeekday(year, 0, 1, 3)); // Martin Luther King Jr. Day
  add(nthWeekday(year, 1, 1, 3)); // Washington's Birthday
  add(nthWeekday(year, 4, 1, -1)); // Memorial Day
  if (year >= 2022) add(fixed(5, 19)); // Juneteenth
  add(fixed(6, 4)); // Independence Day
  add(nthWeekday(year, 8, 1, 1)); // Labor Day
  add(nthWeekday(year, 10, 4, 4)); // Thanksgiving
  add(fixed(11, 25)); // Christmas
  add(new Date(easterSunday(year).getTime() - 2 * DAY_MS)); // Good Friday
  if (calendar === "bond") {
    add(nthWeekday(year, 9, 1, 2)); // Columbus Day
    const veterans = new Date(Date.UTC(year, 10, 11));
    if (veterans.getUTCDay() !== 6) add(observed(veterans)); // Veterans Day: open on the Friday before a Saturday
  }
  return out;
}

/**
 * Business days from `start` to `end` inclusive: weekdays that are not holidays of the calendar.
 *
 * @param start First date (`YYYY-MM-DD` or Date), in the years 1583–9999.
 * @param end Last date.
 * @param calendar `"bond"`, `"nyse"` or `"weekdays"` (no holidays).
 * @throws {TypeError} If a date is neither a string nor a Date.
 * @throws {RangeError} If a date is invalid (e.g. `"2015-02-30"`) or out of range, end < start, or the calendar is
 *   unknown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { businessDays, isoDate } from "./calendar.ts";
 *
 * const days = businessDays("2024-12-23", "2024-12-27", "nyse").map(isoDate);
 * assert.deepEqual(days, ["2024-12-23", "2024-12-24", "2024-12-26", "2024-12-27"]);
 * ```
 */
export function businessDays(start: string | Date, end: string | Date, calendar: Calendar = "nyse"): Date[] {
  const action = "list business days";
  const first = calendarDate(action, "start", start);
  const last = calendarDate(action, "end", end);
  if (last < first) throw rangeError(action, "end", `on or after start ${isoDate(first)}`, isoDate(last));
  if (typeof calendar !== "string") throw typeError(action, "calendar", '"bond", "nyse" or "weekdays"', calendar);
  if (!CALENDARS.includes(calendar)) throw rangeError(action, "calendar", '"bond", "nyse" or "weekdays"', calendar);
  const out: Date[] = [];
  let year = -1;
  let closed = new Set<string>();
  for (
    let t = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate());
    t <= last.getTime();
    t += DAY_MS
  ) {
    const d = new Date(t);
    const dow = d.getUTCDay();
    if (dow === 0 || dow === 6) continue;
    if (d.getUTCFullYear() !== year) {
      year = d.getUTCFullYear();
      closed = holidays(year, calendar);
    }
    if (!closed.has(isoDate(d))) out.push(d);
  }
  return out;
}

/**
 * A date argument given as `YYYY-MM-DD` or a Date, checked to be a real calendar date in the calendars' years.
 */
function calendarDate(action: string, name: string, value: unknown): Date {
  if (typeof value === "string") {
    let date: Date;
    try {
      date = parseIsoDate(value);
    } catch {
      throw rangeError(action, name, "an ISO calendar date (YYYY-MM-DD) or a Date", value);
    }
    return inYears(action, name, date);
  }
  if (!(value instanceof Date)) throw typeError(action, name, "an ISO calendar date (YYYY-MM-DD) or a Date", value);
  if (Number.isNaN(value.getTime())) throw rangeError(action, name, "a valid date", value);
  return inYears(action, name, value);
}

function inYears(action: string, name: string, date: Date): Date {
  const year = date.getUTCFullYear();
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    throw rangeError(action, name, `a date in the years ${FIRST_YEAR}–${LAST_YEAR}`, date);
  }
  return date;
}

/**
 * Year fraction between two dates on an Actual/365.25 basis.
 * @throws {TypeError} If a date is not a Date. @throws {RangeError} If it is an invalid Date.
 */
export function yearFraction(from: Date, to: Date): number {
  requireDate("compute year fraction", "from", from);
  requireDate("compute year fraction", "to", to);
  return (to.getTime() - from.getTime()) / (365.25 * DAY_MS);
}

/**
 * Aligns a dated series to other dates, as of each date: the value of the latest source date on or before it (NaN
 * before the first source date). Causal by construction: a value dated after t never reaches t. NaN source values
 * are skipped, so the last known value carries over a missing day; `maxStaleDays` (calendar days, default 7) bounds
 * how old that value may be before the result is NaN instead.
 *
 * @param dates Dates to align to, strictly increasing.
 * @param sourceDates Dates of the series, strictly increasing.
 * @param values The series, one value per source date (NaN = missing).
 * @param opts `maxStaleDays`: calendar days a value may carry over, a number ≥ 0 (default 7; Infinity: no bound).
 * @throws {TypeError} If a date is not a Date, a value not a number, or an option unknown.
 * @throws {RangeError} If the lengths of `sourceDates` and `values` differ, or a list of dates is not increasing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { alignAsOf } from "./calendar.ts";
 *
 * const d = (s: string) => new Date(`${s}T00:00:00Z`);
 * const out = alignAsOf([d("2024-01-01"), d("2024-01-03"), d("2024-01-05")], [d("2024-01-02"), d("2024-01-04")], [1, 2]);
 * assert.deepEqual(Array.from(out), [NaN, 1, 2]);
 * ```
 */
export function alignAsOf(
  dates: readonly Date[],
  sourceDates: readonly Date[],
  values: ArrayLike<number>,
  opts: { maxStaleDays?: number } = {},
): Float64Array {
  const action = "align series as of dates";
  requireDates(action, "dates", dates, { increasing: true });
  requireDates(action, "sourceDates", sourceDates, { increasing: true });
  if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    throw typeError(action, "values", "an array of numbers", values);
  }
  if (sourceDates.length !== values.length) {
    throw rangeError(action, "values", `of length ${sourceDates.length} like sourceDates`, values.length);
  }
  for (let j = 0; j < values.length; j++) {
    if (typeof values[j] !== "number") throw typeError(action, `values[${j}]`, "a number (NaN if missing)", values[j]);
  }
  const { maxStaleDays } = requireOptions<{ maxStaleDays?: unknown }>(action, "opts", opts, ["maxStaleDays"]);
  const stale = maxStaleDays ?? 7;
  if (typeof stale !== "number") throw typeError(action, "opts.maxStaleDays", "a number of days", stale);
  if (!(stale >= 0)) throw rangeError(action, "opts.maxStaleDays", ">= 0 (Infinity for no bound)", stale);
  const out = new Float64Array(dates.length).fill(NaN);
  let j = 0, last = NaN, lastTime = -Infinity;
  for (let t = 0; t < dates.length; t++) {
    const time = dates[t].getTime();
    while (j < sourceDates.length && sourceDates[j].getTime() <= time) {
      if (!Number.isNaN(values[j])) (last = values[j], lastTime = sourceDates[j].getTime());
      j++;
    }
    if (time - lastTime <= stale * 86_400_000) out[t] = last;
  }
  return out;
}
