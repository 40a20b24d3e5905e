import assert from "node:assert/strict";
import { markdown, table } from "../../lib/charts/table.ts";
import { display } from "./_svg.ts";

Deno.test("table() renders formatted HTML, cuts long tables visibly, and displays as text/html", () => {
  const rows = Array.from(
    { length: 30 },
    (_, i) => ({ name: `bond ${i}`, oas: 0.0123, weight: 0.05, date: new Date(Date.UTC(2024, 0, 2)) }),
  );
  const t = table(rows, { caption: "Bonds", formats: { oas: "bp", weight: "percent" }, maxRows: 5 });
  assert.ok(t.html.includes("123 bp") && t.html.includes("5.00%") && t.html.includes("2024-01-02"));
  assert.ok(t.html.includes("… 25 more rows (30 in all)"));
  assert.equal(t.rows, 30);
  assert.ok(display(t)["text/html"].startsWith("<table"));
  assert.equal(display(markdown("**Data**"))["text/markdown"], "**Data**");
  assert.ok(table([{ x: null }]).html.includes("—"));
});

Deno.test("table() refuses what it cannot render: not a table, a misspelt option, an unknown format", () => {
  assert.throws(() => table(null as never), {
    name: "TypeError",
    message: "Cannot draw table: data must be a DataFrame or an array of records, received null",
  });
  assert.throws(() => table([{ a: 1 }], { captoin: "T" } as never), {
    name: "TypeError",
    message: "Cannot draw table: unknown option opts.captoin; did you mean opts.caption?",
  });
  assert.throws(() => table([{ a: 1 }], { formats: { a: "number:x" as never } }), {
    name: "RangeError",
    message: 'Cannot draw table: formats["a"] must be "percent", "bp", "integer", "text" or "number:d", "percent:d", ' +
      '"bp:d" with d in [0, 20], received "number:x"',
  });
  assert.throws(() => table([{ a: 1 }], { caption: 7 as never }), {
    name: "TypeError",
    message: "Cannot draw table: caption must be a string, received 7",
  });
});
