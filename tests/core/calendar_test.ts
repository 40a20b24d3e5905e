import assert from "node:assert/strict";
import { realDataDir } from "../_assert.ts";
import { businessDays, easterSunday, holidays, isoDate, parseIsoDate } from "../../lib/core/calendar.ts";
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
