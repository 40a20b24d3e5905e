/**
 * Issue 15's rule, made mechanical: every number typed into a Markdown cell of a committed notebook must come from
 * the computation — a literal of the notebook's code or a number one of its cells prints (tools/prose.ts states
 * what is counted, what is left out, and how a rounded figure matches). The test reads the committed notebooks and
 * their stored outputs; nothing is executed. It fails, naming the notebook, the cell (0-based JSON index) and the
 * number, when a takeaway's figure differs from its source — for example after a re-run on other data.
 *
 * A number that has to stay hand-written goes into `code` or $math$ (a formula, a unit example), is set as a
 * parameter in the code, or the cell quoting named external sources is tagged `cited`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { hasSource, notebookSources, type ProseNotebook, proseNumbers, unsourcedNumbers } from "../../tools/prose.ts";
import { ROOT } from "../../tools/jupyter.ts";

const readNotebook = (path: string) => JSON.parse(Deno.readTextFileSync(path)) as ProseNotebook;
const FIXTURES = join(ROOT, "tests", "fixtures", "report");

/** The failure message: one line per unsourced number. */
function describe(file: string, notebook: ProseNotebook): string {
  return unsourcedNumbers(notebook).map((n) =>
    `${file} cell ${n.cell}: ${JSON.stringify(n.text)} is in no code literal or output («${n.context}»)`
  ).join("\n");
}

const NOTEBOOKS = [...Deno.readDirSync(join(ROOT, "notebooks"))].map((e) => e.name).filter((n) => n.endsWith(".ipynb"))
  .sort();

for (const name of NOTEBOOKS) {
  Deno.test(`every number in the prose of notebooks/${name} comes from its code or its outputs`, () => {
    const notebook = readNotebook(join(ROOT, "notebooks", name));
    const message = describe(`notebooks/${name}`, notebook);
    if (message) assert.fail(`\n${message}\n`);
  });
}

Deno.test("the check of the check: a hand-typed number fails, one that an output prints passes", () => {
  const sourced = readNotebook(join(FIXTURES, "prose_sourced.ipynb"));
  assert.equal(describe("prose_sourced", sourced), "");
  const unsourced = unsourcedNumbers(readNotebook(join(FIXTURES, "prose_unsourced.ipynb")));
  // 58 % is typed by hand; 99 % is printed only because the cell's own string literal types it (an echo);
  // 0.71 rounds the computed 0.7149 and passes.
  assert.deepEqual(unsourced.map((n) => [n.cell, n.text]), [[5, "58 %"], [5, "99 %"]]);
});

Deno.test("proseNumbers leaves out math, code, links, years, headings' numbers, references and named compounds", () => {
  const texts = (md: string) => proseNumbers(md).map((n) => n.text);
  assert.deepEqual(
    texts(
      "# 03 · Title\n\n## 3.2 Costs\n\n1. First, notebook 06 and notebooks 02 and 04, cell 20, section 4.1.\n" +
        "$x = 0.25$ and $$y = 3.5$$, `const a = 7.5`, [a link](https://x.org/2.5) <https://y.org/9>, since 2008–09 " +
        "and 1990, the 10-year yield on a 21-notch scale, the S&P 500 on 31 December, H0A0 and DGS10, 5y, 1st, " +
        "COVID-19, J. Finance 56(1), 1e-4.",
    ),
    [],
  );
  assert.deepEqual(
    texts("Costs fall −67 % (0.188 IC) over 4,504 days, 63\u2009481 bp, ×8.7, USD 2.39 MM, 26 bp, a 126-day lag."),
    ["−67 %", "0.188", "4,504", "63\u2009481 bp", "8.7", "2.39 MM", "26 bp", "126"],
  );
  const n = proseNumbers("from 63&thinsp;481 bp on 2017-12-29")[0];
  assert.deepEqual([n.value, n.unit], [63481, "bp"]);
  assert.equal(proseNumbers("on 2017-12-29")[0].date, "2017-12-29");
});

Deno.test("hasSource: rounding, percent ↔ fraction, bp ↔ decimal, dates as text, never more digits than a source", () => {
  const sources = notebookSources({
    cells: [{
      cell_type: "code",
      source: 'const START = "2015-01-02";\nconst RATE = 0.0026; // a comment: 77',
      outputs: [{ output_type: "stream", text: "saving -0.6712, Sharpe 0.7149, 4,504 days, NAV 2,390,000\n" }],
    }],
  });
  const check = (md: string) => proseNumbers(md).map((n) => hasSource(n, sources));
  assert.deepEqual(check("67 % and 67.1 % and 0.67 and 0.7 and 0.71 and 4,504 and 2.39 MM"), Array(7).fill(true));
  assert.deepEqual(check("26 bp and 0.26 % and 2015-01-02"), [true, true, true]);
  // 0.715 rounds 0.7149 (|0.7149 − 0.715| ≤ 0.0005); 0.716, 68 %, the comment's 77 and another day have no source.
  assert.deepEqual(check("0.715 and 0.716 and 68 % and 77 and 2015-01-03"), [true, false, false, false, false]);
});

Deno.test("the check reads files only: all notebooks in well under the time of one kernel start", () => {
  const t0 = performance.now();
  for (const name of NOTEBOOKS) unsourcedNumbers(readNotebook(join(ROOT, "notebooks", name)));
  assert.ok(performance.now() - t0 < 3000); // typically 50–250 ms on two shared cores
});
