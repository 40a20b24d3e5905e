import assert from "node:assert/strict";
import {
  DEFAULTS,
  parseDecimal,
  parseIsoDay,
  parseParams,
  QueryError,
  rebalanceLabel,
  toQuery,
} from "../../dashboard/params.ts";
import { rawFields } from "../../dashboard/layout.ts";

/** The problems of a query that must fail. */
function problems(query: string): readonly string[] {
  try {
    parseParams(query);
  } catch (error) {
    assert.ok(error instanceof QueryError, `expected a QueryError, received ${error}`);
    assert.ok(error instanceof RangeError);
    return error.problems;
  }
  assert.fail(`parseParams(${JSON.stringify(query)}) did not throw`);
}

Deno.test("parseParams() of an empty query is the default state", () => {
  assert.deepEqual(parseParams(""), DEFAULTS);
  assert.deepEqual(parseParams("?"), DEFAULTS);
  assert.equal(toQuery(DEFAULTS), "");
});

Deno.test("parseParams() reads every key, with the band in % of NAV", () => {
  const p = parseParams(
    "view=risk&carry=2&momentum=0.5&value=-0.25&rebalance=10&band=1.5&mode=edge&costs=impact&aum=2500" +
      "&start=2012-03-01&end=2019-06-28&seed=7&issuers=120",
  );
  assert.deepEqual(p, {
    view: "risk",
    weights: { carry: 2, momentum: 0.5, value: -0.25 },
    rebalance: 10,
    band: 0.015,
    mode: "edge",
    costs: "impact",
    aum: 2500,
    start: "2012-03-01",
    end: "2019-06-28",
    seed: 7,
    issuers: 120,
  });
});

Deno.test("toQuery() leaves defaults out and parseParams(toQuery(p)) gives p back", () => {
  const states = [
    DEFAULTS,
    { ...DEFAULTS, band: 0.0125, mode: "edge" as const, rebalance: "monthly" as const },
    {
      ...DEFAULTS,
      weights: { carry: 1 / 3, momentum: 0.2, value: 3 },
      costs: "none" as const,
      view: "overlay" as const,
    },
    { ...DEFAULTS, rebalance: 63, start: "2015-01-02", end: "2016-12-30", seed: 0, issuers: 50 },
  ];
  for (const p of states) {
    const back = parseParams(toQuery(p));
    assert.deepEqual(back.weights.carry.toPrecision(12), p.weights.carry.toPrecision(12));
    assert.deepEqual({ ...back, weights: null }, { ...p, weights: null });
  }
  assert.equal(toQuery({ ...DEFAULTS, band: 0.01 }), "band=1");
  assert.equal(toQuery(DEFAULTS, { view: "risk" }), "view=risk");
});

Deno.test("parseParams() rejects a negative band with the house grammar", () => {
  assert.deepEqual(problems("band=-1"), [
    'Cannot read dashboard query: band must be a number >= 0 and <= 100 (half-width in % of NAV), received "-1"',
  ]);
});

Deno.test("parseParams() rejects malformed numbers that Number() would accept", () => {
  for (const bad of ["", "abc", "0x10", "1,5", "Infinity", "NaN", "1e999", " "]) {
    const list = problems(`band=${encodeURIComponent(bad)}`);
    assert.equal(list.length, 1, bad);
    assert.match(list[0], /^Cannot read dashboard query: band must be a number >= 0/);
  }
  assert.deepEqual(problems("seed=1.5"), [
    'Cannot read dashboard query: seed must be an integer 0–2147483647, received "1.5"',
  ]);
});

Deno.test("parseParams() rejects an inverted, an empty and a too short date range", () => {
  assert.deepEqual(problems("start=2020-01-01&end=2019-01-01"), [
    "Cannot read dashboard query: start and end must be an increasing range (start before end), received 2020-01-01 to 2019-01-01",
  ]);
  assert.match(problems("start=2020-01-01&end=2020-01-01")[0], /must be an increasing range/);
  assert.match(problems("start=2020-01-01&end=2020-03-01")[0], /must be at least 182 days apart/);
  assert.match(problems("start=2007-06-01")[0], /start must be on or after 2008-01-02/);
  assert.match(problems("end=2025-06-30")[0], /end must be on or before 2024-12-31/);
  assert.match(problems("start=2023-02-30")[0], /start must be a calendar date YYYY-MM-DD, received "2023-02-30"/);
});

Deno.test("parseParams() rejects weights that do not sum to a positive number", () => {
  const rule = "must be > 0 (the weights must sum to a positive number)";
  assert.deepEqual(problems("carry=0&momentum=0&value=0"), [
    `Cannot read dashboard query: carry + momentum + value ${rule}, received 0`,
  ]);
  assert.deepEqual(problems("carry=1&momentum=-2&value=0.5"), [
    `Cannot read dashboard query: carry + momentum + value ${rule}, received -0.5`,
  ]);
  // a malformed weight is reported as such, not as a bad sum
  assert.deepEqual(problems("carry=x"), [
    'Cannot read dashboard query: carry must be a finite number (a weight of the composite), received "x"',
  ]);
});

Deno.test("parseParams() rejects an unknown view, an unknown key (with a hint) and a repeated key", () => {
  assert.deepEqual(problems("view=pnl"), [
    'Cannot read dashboard query: view must be one of overview, exposures, execution, risk, overlay, received "pnl"',
  ]);
  assert.deepEqual(problems("bnad=1"), ['Cannot read dashboard query: unknown key "bnad"; did you mean band?']);
  assert.match(problems("colour=red")[0], /unknown key "colour"; known keys: view, carry/);
  assert.deepEqual(problems("band=1&band=2"), [
    "Cannot read dashboard query: band must be given once, received 2 values",
  ]);
});

Deno.test("parseParams() refuses a universe too large to simulate within the time budget", () => {
  const [message] = problems("issuers=5000");
  assert.match(message, /^Cannot read dashboard query: issuers must be an integer from 50 .* to 500 /);
  assert.match(message, /refused so as not to tie up the server/);
  assert.match(problems("issuers=10")[0], /issuers must be an integer from 50/);
});

Deno.test("parseParams() reports every problem of a query at once, with the keys at fault", () => {
  const list = problems("band=-1&view=x&foo=1&start=2020-01-01&end=2019-01-01&costs=free");
  assert.equal(list.length, 5);
  assert.throws(() => parseParams("band=-1&carry=0&momentum=0&value=0&foo=1"), (error: QueryError) => {
    assert.deepEqual([...error.keys].sort(), ["band", "carry", "momentum", "value"]);
    return true;
  });
});

Deno.test("parseDecimal() and parseIsoDay() are strict", () => {
  assert.equal(parseDecimal("-0.5"), -0.5);
  assert.equal(parseDecimal("2e-3"), 0.002);
  assert.equal(parseDecimal(".5"), 0.5);
  assert.equal(parseDecimal("1."), 1);
  assert.equal(parseDecimal("+"), null);
  assert.equal(parseIsoDay("2024-02-29")?.toISOString(), "2024-02-29T00:00:00.000Z");
  assert.equal(parseIsoDay("2023-02-29"), null);
  assert.equal(parseIsoDay("2024-2-01"), null);
});

Deno.test("rawFields() keeps a bad value as given, for the form", () => {
  const fields = rawFields(new URLSearchParams("band=-1&view=risk"));
  assert.equal(fields.band, "-1");
  assert.equal(fields.view, "risk");
  assert.equal(fields.start, DEFAULTS.start);
});

Deno.test("rebalanceLabel() reads as words", () => {
  assert.equal(rebalanceLabel(10), "every 10 days");
  assert.equal(rebalanceLabel(1), "every 1 day");
  assert.equal(rebalanceLabel("weekly"), "weekly");
});
