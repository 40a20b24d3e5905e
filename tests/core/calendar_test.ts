import assert from "node:assert/strict";
import { realDataDir } from "../_assert.ts";
import {
  alignAsOf,
  businessDays,
  easterSunday,
  holidays,
  isoDate,
  parseIsoDate,
  yearFraction,
} from "../../lib/core/calendar.ts";
import { loadSpx, loadTreasuryYields } from "../../lib/data/load.ts";
import { directorySource } from "../../lib/data/source.ts";
import { dateColumn, nullableColumn } from "../../lib/data/columns.ts";

Deno.test("easterSunday() gives the known dates", () => {
  assert.equal(isoDate(easterSunday(2024)), "2024-03-31");
  assert.equal(isoDate(easterSunday(2008)), "2008-03-23");
  assert.equal(isoDate(easterSunday(2019)), "2019-04-21");
});

Deno.test("holidays() lists the NYSE holidays of 2024 as published", () => {
  // NYSE holiday calendar 2024 (nyse.com): ten market holidays.
  assert.deepEqual([...holidays(2024, "nyse")].sort(), [
    "2024-01-01",
    "2024-01-15",
    "2024-02-19",
    "2024-03-29",
    "2024-05-27",
    "2024-06-19",
    "2024-07-04",
    "2024-09-02",
    "2024-11-28",
    "2024-12-25",
  ]);
});

Deno.test("businessDays() counts 252 NYSE sessions in 2024 and skips weekends", () => {
  const days = businessDays("2024-01-01", "2024-12-31", "nyse");
  assert.equal(days.length, 252);
  assert.ok(days.every((d) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6));
  // New Year's Day 2022 fell on a Saturday: the NYSE stayed open on Friday 31 December 2021.
  assert.ok(businessDays("2021-12-31", "2021-12-31", "nyse").length === 1);
});

Deno.test("parseIsoDate() rejects impossible dates", () => {
  assert.throws(() => parseIsoDate("2023-02-29"), { name: "RangeError", message: /an ISO calendar date/ });
  assert.throws(() => parseIsoDate("01/02/2023"), { name: "RangeError" });
  assert.throws(() => businessDays("2024-02-01", "2024-01-01"), {
    name: "RangeError",
    message: /end must be on or after/,
  });
});

Deno.test({
  name: "the bond and NYSE calendars match the dates of the real H.15 and S&P 500 series, 2010–2019",
  ignore: realDataDir() === null,
  fn() {
    const source = directorySource(realDataDir()!);
    const yields = loadTreasuryYields(source);
    const tenYear = nullableColumn(yields, "DGS10");
    const quoted = dateColumn(yields).filter((_, i) => tenYear[i] !== null).map(isoDate);
    const inRange = (d: string) => d >= "2010-01-01" && d <= "2019-12-31";
    // Not modelled: SIFMA's early (not full) close on Good Friday 2010, 2012 and 2015, and special closures.
    const bondSpecial = ["2010-04-02", "2012-04-06", "2012-10-30", "2015-04-03", "2018-12-05"];
    const bond = businessDays("2010-01-01", "2019-12-31", "bond").map(isoDate);
    assert.deepEqual(
      quoted.filter((d) => inRange(d) && !bondSpecial.includes(d)),
      bond.filter((d) => !bondSpecial.includes(d)),
    );
    const sessions = dateColumn(loadSpx(source)).map(isoDate).filter(inRange);
    const nyse = businessDays("2010-01-01", "2019-12-31", "nyse").map(isoDate);
    // Special closures are not in the rule-based calendar: Hurricane Sandy and President Bush's funeral.
    const special = ["2012-10-29", "2012-10-30", "2018-12-05"];
    assert.deepEqual(sessions, nyse.filter((d) => !special.includes(d)));
  },
});

Deno.test("parseIsoDate() refuses 2015-02-30 instead of rolling it over, and reads years below 100 as such", () => {
  assert.throws(() => parseIsoDate("2015-02-30"), { name: "RangeError", message: /received "2015-02-30"/ });
  assert.throws(() => parseIsoDate(7 as unknown as string), { name: "TypeError", message: /text must be/ });
  // python3: (datetime.datetime(50, 1, 1) - datetime.datetime(1970, 1, 1)).total_seconds() * 1000 = -60589296000000
  // (Date.UTC(50, 0, 1) would give 1950).
  assert.equal(parseIsoDate("0050-01-01").getTime(), -60589296000000);
});

Deno.test("businessDays() names its own argument for a bad date, a wrong type or an unknown calendar", () => {
  assert.throws(() => businessDays("2015-02-30", "2015-03-31"), {
    name: "RangeError",
    message:
      'Cannot list business days: start must be an ISO calendar date (YYYY-MM-DD) or a Date, received "2015-02-30"',
  });
  assert.throws(() => businessDays("2015-01-01", null as unknown as string), {
    name: "TypeError",
    message: "Cannot list business days: end must be an ISO calendar date (YYYY-MM-DD) or a Date, received null",
  });
  assert.throws(() => businessDays(new Date(NaN), "2015-01-01"), {
    name: "RangeError",
    message: /start must be a valid/,
  });
  assert.throws(() => businessDays("0100-01-01", "2015-01-01"), { name: "RangeError", message: /years 1583–9999/ });
  assert.throws(() => businessDays("2015-01-01", "2015-02-01", "lse" as "nyse"), { message: /calendar must be/ });
});

Deno.test("holidays() and easterSunday() refuse a year that is not an integer in [1583, 9999]", () => {
  for (const year of [NaN, Infinity, 1e12, 2024.5, 1500]) {
    assert.throws(() => holidays(year, "nyse"), {
      name: "RangeError",
      message: `Cannot list holidays: year must be an integer in [1583, 9999], received ${year}`,
    });
    assert.throws(() => easterSunday(year), {
      name: "RangeError",
      message: /year must be an integer in \[1583, 9999\]/,
    });
  }
  assert.throws(() => holidays(2024, "lse" as "nyse"), { name: "RangeError", message: /calendar must be one of/ });
});

Deno.test("isoDate() and yearFraction() refuse a non-Date and an invalid Date instead of NaN or an engine error", () => {
  assert.throws(() => isoDate(new Date(NaN)), {
    name: "RangeError",
    message: "Cannot format date: date must be a valid Date, received an invalid Date",
  });
  assert.throws(() => isoDate("2024-01-02" as unknown as Date), { name: "TypeError", message: /date must be a Date/ });
  const d = new Date(Date.UTC(2024, 0, 2));
  assert.throws(() => yearFraction(new Date(NaN), d), { name: "RangeError", message: /from must be a valid Date/ });
  assert.throws(() => yearFraction(d, 7 as unknown as Date), { name: "TypeError", message: /to must be a Date/ });
  // Actual/365.25: 2024-01-02 → 2025-01-02 spans 366 days (2024 is a leap year).
  assert.equal(yearFraction(d, new Date(Date.UTC(2025, 0, 2))), 366 / 365.25);
});

Deno.test("alignAsOf() checks its dates, values and options at the entry", () => {
  const d = (s: string) => new Date(`${s}T00:00:00Z`);
  const dates = [d("2024-01-01"), d("2024-01-03")];
  assert.throws(() => alignAsOf(null as unknown as Date[], dates, [1, 2]), {
    name: "TypeError",
    message: /dates must be/,
  });
  assert.throws(() => alignAsOf(dates, [d("2024-01-01"), 7 as unknown as Date], [1, 2]), {
    name: "TypeError",
    message: "Cannot align series as of dates: sourceDates[1] must be a Date, received 7",
  });
  assert.throws(() => alignAsOf(dates, dates, [1, "2" as unknown as number]), {
    name: "TypeError",
    message: /values\[1\]/,
  });
  assert.throws(() => alignAsOf(dates, dates, [1, 2], null as unknown as object), { message: /opts must be/ });
  assert.throws(() => alignAsOf(dates, dates, [1, 2], { maxStale: 3 } as object), {
    message: /did you mean opts.maxStaleDays/,
  });
  assert.deepEqual(Array.from(alignAsOf(dates, dates, [1, NaN], { maxStaleDays: Infinity })), [1, 1]);
});
