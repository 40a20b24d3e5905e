import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { scratchDir } from "../_assert.ts";
import { MarketDataError, parseTable, readTable, toDecimalUnits, validateTable } from "../../lib/data/table.ts";
import { MARKET_FILES, type TableSpec } from "../../lib/data/schema.ts";
import { dateColumn, floatColumn, nanColumn, nanToNull, nullableColumn, stringColumn } from "../../lib/data/columns.ts";
import { formatCsv, writeCsv } from "../../lib/data/write.ts";

const VIX = MARKET_FILES.vix;
const HEADER = "date,VIXCLS";

function fails(text: string, message: string | RegExp) {
  assert.throws(() => parseTable(text, VIX, "vix.csv"), (e: unknown) => {
    assert.ok(e instanceof MarketDataError, `expected MarketDataError, received ${e}`);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

Deno.test("parseTable() reads dates as pl.Date, numbers as Float64 and empty fields as null", () => {
  const t = parseTable(`${HEADER}\n2024-01-02,13.2\n2024-01-15,\n2024-01-16,13.84\n`, VIX);
  assert.ok(t.getColumn("date").dtype.equals(pl.Date));
  assert.ok(t.getColumn("VIXCLS").dtype.equals(pl.Float64));
  assert.deepEqual(t.getColumn("VIXCLS").toArray(), [13.2, null, 13.84]);
  assert.deepEqual(dateColumn(t).map((d) => d.toISOString().slice(0, 10)), [
    "2024-01-02",
    "2024-01-15",
    "2024-01-16",
  ]);
});

Deno.test("parseTable() accepts CRLF line endings, a byte-order mark and blank lines at the end; refuses a header-only file", () => {
  const t = parseTable(`\ufeff${HEADER}\r\n2024-01-02,13.2\r\n`, VIX);
  assert.deepEqual(t.getColumn("VIXCLS").toArray(), [13.2]);
  assert.deepEqual(parseTable(`${HEADER}\n2024-01-02,13.2\n\n`, VIX).getColumn("VIXCLS").toArray(), [13.2]);
  assert.deepEqual(parseTable(`${HEADER}\r\n2024-01-02,13.2\r\n\r\n\r\n`, VIX).getColumn("VIXCLS").toArray(), [13.2]);
  fails(
    `${HEADER}\n`,
    "Cannot load vix.csv: line 2 must be a data row (the file holds a header only), received the end of the file",
  );
  fails(`${HEADER}\n\n2024-01-02,13.2\n`, /line 2 must be a data row, received an empty line/);
});

Deno.test("parseTable() refuses impossible values, empty keys and integers it cannot hold, naming line and column", () => {
  fails(`${HEADER}\n2024-01-02,-1.5\n`, "Cannot load vix.csv: line 2, column VIXCLS must be > 0, received -1.5");
  const bars = MARKET_FILES.vixOhlc;
  const head = bars.columns.map((c) => c.name).join(",");
  const row = (o: number, h: number, l: number, c: number) =>
    bars.columns.map((col) =>
      ({ date: "2024-01-02", open: o, high: h, low: l, close: c } as Record<string, unknown>)[col.name] ?? 1
    ).join(",");
  assert.throws(
    () => parseTable(`${head}\n${row(10, 9, 11, 10)}\n`, bars),
    /line 2, column high must be ≥ low \(11\), received 9/,
  );
  // An open outside [low, high] is kept: Cboe's early VIX history has such bars.
  assert.equal(parseTable(`${head}\n${row(12, 11, 9, 10)}\n`, bars).height, 1);
  assert.throws(() => parseTable(`${head}\n${row(-1, 11, -2, 10)}\n`, bars), /must be > 0, received -/);
  assert.equal(parseTable(`${head}\n${row(10, 11, 9, 10.5)}\n`, bars).height, 1);
  const prices = Object.values(MARKET_FILES).find((s) =>
    s.columns.some((c) => c.name === "ticker") && s.columns.some((c) => c.name === "volume")
  )!;
  const line = (ticker: string, volume: string) =>
    prices.columns.map((
      c,
    ) => (c.name === "date" ? "2024-01-02" : c.name === "ticker" ? ticker : c.name === "volume" ? volume : "1")).join(
      ",",
    );
  const ph = prices.columns.map((c) => c.name).join(",");
  assert.throws(
    () => parseTable(`${ph}\n${line('""', "10")}\n`, prices),
    /column ticker must be (present|a non-empty string)/,
  );
  assert.throws(
    () => parseTable(`${ph}\n${line("APA", "1e20")}\n`, prices),
    /column volume must be an integer within ±2\^53/,
  );
  assert.throws(() => parseTable(`${ph}\n${line("APA", "-5")}\n`, prices), /column volume must be ≥ 0, received -5/);
});

Deno.test("parseTable() names the line and column of a malformed value", () => {
  fails(
    `${HEADER}\n2024-01-02,13.2\n2024-01-03,abc\n`,
    'Cannot load vix.csv: line 3, column VIXCLS must be a number, received "abc"',
  );
  fails(
    `${HEADER}\n2024-01-02,NaN\n`,
    'Cannot load vix.csv: line 2, column VIXCLS must be a finite number, received "NaN"',
  );
  fails(`${HEADER}\n2024-01-02,inf\n`, /line 2, column VIXCLS must be a finite number/);
  fails(
    `${HEADER}\n01/02/2024,13.2\n`,
    'Cannot load vix.csv: line 2, column date must be an ISO date YYYY-MM-DD, received "01/02/2024"',
  );
  fails(
    `${HEADER}\n2024-02-30,13.2\n`,
    'Cannot load vix.csv: line 2, column date must be a calendar date, received "2024-02-30"',
  );
  fails(
    `${HEADER}\n,13.2\n`,
    "Cannot load vix.csv: line 2, column date must be present (the column is required), received an empty field",
  );
});

Deno.test("parseTable() rejects a wrong header, ragged lines and empty lines", () => {
  fails("Date,VIXCLS\n2024-01-02,13.2\n", 'Cannot load vix.csv: line 1, column 1 must be "date", received "Date"');
  fails(
    `${HEADER},extra\n2024-01-02,13.2,1\n`,
    /line 1, column 3 must be absent \(the header has extra columns\), received "extra"/,
  );
  fails("date\n2024-01-02\n", 'Cannot load vix.csv: line 1, column 2 must be "VIXCLS", received no column');
  fails(`${HEADER}\n2024-01-02,13.2,9\n`, "Cannot load vix.csv: line 2 must be 2 fields like the header, received 3");
  fails(
    `${HEADER}\n2024-01-02,13.2\n\n2024-01-03,13.5\n`,
    "Cannot load vix.csv: line 3 must be a data row, received an empty line",
  );
  fails("", "Cannot load vix.csv: line 1 must be a header row, received an empty file");
});

Deno.test("parseTable() rejects unsorted and duplicate dates", () => {
  fails(
    `${HEADER}\n2024-01-03,13.2\n2024-01-02,13.5\n`,
    /line 3 must be after line 2 in date order \(sorted ascending, no duplicates\), received 2024-01-02 after 2024-01-03/,
  );
  fails(`${HEADER}\n2024-01-02,13.2\n2024-01-02,13.5\n`, /line 3 must be after line 2 in date order/);
});

Deno.test("parseTable() checks composite keys and unique unsorted keys", () => {
  const spec = MARKET_FILES.ratingTransitionsMultiYear;
  const ok = "horizon_years,from_rating,to_rating,pct\n1,AAA,AAA,90\n1,AAA,AA,10\n";
  assert.equal(parseTable(ok, spec).height, 2);
  assert.throws(() => parseTable(`${ok}1,AAA,AA,10\n`, spec, "m.csv"), {
    name: "MarketDataError",
    message:
      "Cannot load m.csv: line 4 must be a unique horizon_years, from_rating, to_rating (first seen on line 3), received 1, AAA, AA",
  });
});

Deno.test("readTable() names a missing file; toDecimalUnits() divides percent columns by 100", () => {
  const dir = scratchDir("table-");
  try {
    assert.throws(() => readTable(`${dir}/vix.csv`, VIX), {
      name: "MarketDataError",
      message: `Cannot load vix.csv: the file must exist, received no file at ${dir}/vix.csv`,
    });
    Deno.writeTextFileSync(
      `${dir}/t.csv`,
      "date,DGS1MO,DGS3MO,DGS6MO,DGS1,DGS2,DGS3,DGS5,DGS7,DGS10,DGS20,DGS30\n2024-01-02,5.55,,,,,,,,4.41,,\n",
    );
    const t = toDecimalUnits(readTable(`${dir}/t.csv`, MARKET_FILES.treasuryYields), MARKET_FILES.treasuryYields);
    assert.deepEqual(t.select("DGS1MO", "DGS3MO", "DGS10").row(0), [0.0555, null, 0.0441]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("integer columns refuse fractions", () => {
  const spec = MARKET_FILES.hyg;
  const text = "date,open,high,low,close,adj_close,volume,dividend\n2024-01-02,1,1,1,1,1,100.5,0\n";
  assert.throws(() => parseTable(text, spec, "hyg.csv"), {
    message: 'Cannot load hyg.csv: line 2, column volume must be an integer, received "100.5"',
  });
  assert.equal(parseTable(text.replace("100.5", "100"), spec).getColumn("volume").dtype.equals(pl.Int64), true);
});

Deno.test("parseTable(), readTable() and the writers check the schema they are given before using it", () => {
  const text = `${HEADER}\n2024-01-02,13.2\n`;
  const bad = (spec: unknown) => spec as TableSpec;
  const column = (c: object) => bad({ ...VIX, columns: [VIX.columns[0], { ...VIX.columns[1], ...c }] });
  assert.throws(() => parseTable(null as unknown as string, VIX), {
    name: "TypeError",
    message: "Cannot parse table: text must be a string (CSV text), received null",
  });
  assert.throws(() => parseTable(text, bad(null)), { name: "TypeError", message: /spec must be an object/ });
  assert.throws(() => parseTable(text, bad({ ...VIX, columns: "x" })), { message: /spec.columns must be an array/ });
  assert.throws(() => parseTable(text, bad({ ...VIX, columns: [...VIX.columns, VIX.columns[1]] })), {
    name: "RangeError",
    message: 'Cannot parse table: spec.columns[2].name must be unique among the columns, received "VIXCLS"',
  });
  assert.throws(() => parseTable(text, column({ type: "float" })), {
    message: /spec.columns\[1\].type must be one of/,
  });
  assert.throws(() => parseTable(text, column({ percent: 1 })), { message: /spec.columns\[1\].percent must be true/ });
  assert.throws(() => parseTable(text, bad({ ...VIX, key: [""] })), {
    name: "RangeError",
    message: 'Cannot parse table: spec.key[0] must be a column of spec.columns, received ""',
  });
  assert.throws(() => parseTable(text, bad({ ...VIX, keys: [] })), { message: /unknown option spec.keys/ });
  assert.throws(() => readTable(`${HEADER}`, bad({ ...VIX, key: [7] })), {
    message: /spec.key\[0\] must be a column name/,
  });
  assert.throws(() => toDecimalUnits({} as pl.DataFrame, MARKET_FILES.treasuryYields), {
    name: "TypeError",
    message:
      "Cannot rescale percent columns: table must be a nodejs-polars DataFrame, received an object of type Object",
  });
  const yields = pl.DataFrame({ date: [new Date(Date.UTC(2024, 0, 2))], DGS10: [4.5] });
  assert.throws(() => toDecimalUnits(yields, MARKET_FILES.treasuryYields), {
    message: /table must be a DataFrame with column DGS1MO/,
  });
  const vix = parseTable(text, VIX);
  assert.throws(() => validateTable(vix, bad({ ...VIX, key: null }), "vix.csv"), {
    message: /spec.key must be an array/,
  });
  assert.throws(() => validateTable(7 as unknown as pl.DataFrame, VIX, "vix.csv"), {
    message: /table must be a nodejs-polars/,
  });
  assert.throws(() => formatCsv(vix, bad(null)), {
    name: "TypeError",
    message: /Cannot write CSV: spec must be an object/,
  });
  assert.throws(() => writeCsv(null as unknown as pl.DataFrame, VIX, "."), {
    message: /table must be a nodejs-polars/,
  });
  assert.throws(() => writeCsv(vix, VIX, "/no/such/dir"), {
    name: "RangeError",
    message: 'Cannot write CSV: dir must be an existing directory, received "/no/such/dir"',
  });
});

Deno.test("the column readers name df and name, not an engine error, and nanToNull() checks its input", () => {
  const vix = parseTable(`${HEADER}\n2024-01-02,13.2\n2024-01-03,\n`, VIX);
  for (const read of [dateColumn, floatColumn, nanColumn, nullableColumn, stringColumn]) {
    assert.throws(() => read(null as unknown as pl.DataFrame, "VIXCLS"), {
      name: "TypeError",
      message: /^Cannot read \w+ column: df must be a nodejs-polars DataFrame, received null$/,
    });
    assert.throws(() => read(vix, ""), {
      name: "RangeError",
      message: /^Cannot read \w+ column: name must be a column of df \(one of date, VIXCLS\), received ""$/,
    });
    assert.throws(() => read(vix, 7 as unknown as string), {
      name: "TypeError",
      message: /name must be a column name/,
    });
  }
  assert.deepEqual(Array.from(nanColumn(vix, "VIXCLS")), [13.2, NaN]);
  assert.deepEqual(nanToNull([1, NaN, 3]), [1, null, 3]);
  assert.throws(() => nanToNull(null as unknown as number[]), {
    name: "TypeError",
    message: /values must be an array/,
  });
  assert.throws(() => nanToNull([1, "2" as unknown as number]), {
    name: "TypeError",
    message: /values\[1\] must be a number/,
  });
});
