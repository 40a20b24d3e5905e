import assert from "node:assert/strict";
import { join } from "node:path";
import { readerView, renderMath, reportProblems } from "../../tools/render.ts";
import { answers, collectClaims, EXPECTED_CLAIMS, ledgerRows, writeIndex } from "../../tools/report.ts";
import {
  ensureJupyter,
  injectParameters,
  type NotebookJson,
  notebookParameters,
  resolveParameters,
  ROOT,
  run,
  SetupError,
} from "../../tools/jupyter.ts";

const FIXTURE = join(ROOT, "tests", "fixtures", "report", "formulas.ipynb");

let converted: string | undefined;
/** nbconvert's lab-template HTML of the fixture notebook, as `deno task report` gets it from tools/nbrun.py. */
function fixtureHtml(): string {
  if (converted !== undefined) return converted;
  const python = ensureJupyter(() => {});
  const out = join(Deno.makeTempDirSync(), "formulas.html");
  const r = run(python, [join(ROOT, "tools", "nbrun.py"), FIXTURE, "--no-execute", "--html", out]);
  assert.ok(r.ok, r.stderr);
  converted = Deno.readTextFileSync(out);
  return converted;
}

Deno.test("nbconvert's HTML fails the check: raw TeX and the file:// MathJax and require.js scripts", () => {
  const problems = reportProblems(fixtureHtml());
  assert.ok(problems.some((p) => p.startsWith("external URL file:///")), problems.join("\n"));
  assert.ok(problems.some((p) => p.includes("raw TeX") && p.includes("underbrace")), problems.join("\n"));
  assert.ok(problems.some((p) => p.includes("raw TeX") && p.includes("aligned")), problems.join("\n"));
});

Deno.test("the reader's view of the fixture is self-contained, with every formula rendered", () => {
  const html = readerView(fixtureHtml(), { title: "Fixture · a report with formulas" });
  assert.deepEqual(reportProblems(html), []);
  assert.doesNotMatch(html, /<script[^>]*\bsrc=/);
  assert.match(html, /<title>Fixture · a report with formulas<\/title>/);
  // Two display blocks, the underbrace (KaTeX's MathML <munder> with U+23DF) and the aligned table.
  assert.equal(html.match(/class="katex-display"/g)?.length, 2);
  assert.match(html, /<munder>[\s\S]*?⏟/);
  assert.match(html, /<mtable[^>]*columnalign="right left"/);
  // The escaped less-than of `$a < b$` reaches KaTeX as "<", not "&lt;".
  assert.match(html, /<annotation encoding="application\/x-tex">a &lt; b<\/annotation>/);
  // Code keeps its dollar signs; the output text too (in <pre>).
  assert.match(html, /<code>const cost = (&quot;|")\$5(&quot;|");<\/code>/);
  assert.match(html, /The \$ sign in output text: \$x\$ stays as written/);
  // KaTeX's fonts are inlined.
  assert.match(html, /@font-face\{font-family:KaTeX_Main;[^}]*src:url\(data:font\/woff2;base64,/);
  // Reader's furniture: back link, contents, code hidden by default with a toggle.
  assert.match(html, /<a href="index.html">/);
  assert.match(html, /<nav class="toc">[\s\S]*href="#1\.-Display-math"/);
  assert.match(html, /<body class="[^"]*\bhide-code\b/);
  assert.match(html, /id="toggle-code"/);
  assert.doesNotMatch(readerView(fixtureHtml(), { title: "x", code: true }), /<body class="[^"]*\bhide-code\b/);
});

Deno.test("reportProblems flags each kind of external URL and raw delimiter, and nothing in code or data: URLs", () => {
  const page = (body: string) => `<html><head></head><body>${body}</body></html>`;
  assert.deepEqual(
    reportProblems(page(`<pre>$x$ \\begin{a}</pre><code>$$</code><img src="data:image/png;base64,AA">`)),
    [],
  );
  assert.deepEqual(reportProblems(page(`<svg xmlns="http://www.w3.org/2000/svg"><text>$x$</text></svg>`)), []);
  for (
    const bad of [
      `<img src="https://example.org/a.png">`,
      `<link rel="stylesheet" href="//cdn.example.org/k.css">`,
      `<style>@font-face{src:url(file:///usr/share/fonts/a.woff)}</style>`,
      `<style>div{background:url("http://example.org/a.png")}</style>`,
      `<p>inline $x$ left</p>`,
      `<p>display $$x$$ left</p>`,
      `<p>\\begin{aligned}a&=b\\end{aligned}</p>`,
      `<p>\\(x\\)</p>`,
    ]
  ) assert.equal(reportProblems(page(bad)).length >= 1, true, bad);
});

Deno.test("renderMath leaves currency-like single dollars and text without TeX alone", () => {
  assert.equal(renderMath("<p>USD 5 and 10 $ in all</p>"), "<p>USD 5 and 10 $ in all</p>");
  assert.match(renderMath("<p>$x^2$</p>"), /^<p><span class="katex">/);
});

const notebook03 = () =>
  JSON.parse(Deno.readTextFileSync(join(ROOT, "notebooks", "03_execution_case_study.ipynb"))) as NotebookJson;

Deno.test("notebookParameters reads the names, literals and types of the parameters cell", () => {
  const fixture = JSON.parse(Deno.readTextFileSync(FIXTURE)) as NotebookJson;
  assert.deepEqual(notebookParameters(fixture), [
    { name: "BAND", literal: "0.005", value: 0.005, type: "number" },
    { name: "NAMES", literal: '["a", "b"]', value: ["a", "b"], type: "array" },
  ]);
  const specs = notebookParameters(notebook03());
  const schedules = specs.find((s) => s.name === "SCHEDULES");
  assert.deepEqual(schedules?.value, ["daily", "weekly", 10, "monthly", 63]); // `as const` dropped
  assert.equal(specs.find((s) => s.name === "START")?.type, "string");
});

Deno.test("resolveParameters matches names case-insensitively and parses by the default's type", () => {
  assert.deepEqual(resolveParameters(notebook03(), ["band=0.01", "seed=7", "trade_start=2015-01-02"], "03"), {
    BAND: 0.01,
    SEED: 7,
    TRADE_START: "2015-01-02",
  });
  assert.deepEqual(resolveParameters(notebook03(), ["BANDS=[0,0.01]", 'SCHEDULES=["weekly",21]'], "03"), {
    BANDS: [0, 0.01],
    SCHEDULES: ["weekly", 21],
  });
});

Deno.test("resolveParameters rejects unknown names, wrong types and malformed assignments", () => {
  const rejects = (a: string, pattern: RegExp) =>
    assert.throws(
      () => resolveParameters(notebook03(), [a], "03"),
      (e: unknown) => e instanceof SetupError && pattern.test(e.message),
    );
  rejects("bandwidth=0.01", /has no parameter "bandwidth"; its parameters are SEED, ISSUERS/);
  rejects("band=wide", /-p BAND=wide: not a finite number .*the default is BAND = 0\.005, a number/);
  rejects("band=", /not a finite number/);
  rejects("bands=0.01", /BANDS=0\.01: a number, not an array/);
  rejects('bands=["a"]', /element "a" is a string, not a number/);
  rejects("band", /expected NAME=VALUE/);
});

Deno.test("injectParameters puts one cell right after the parameters cell", () => {
  const nb = notebook03();
  const at = nb.cells.findIndex((c) => c.metadata?.tags?.includes("parameters"));
  const out = injectParameters(nb, { BAND: 0.01, START: "2015-01-02" }, "test");
  assert.equal(out.cells.length, nb.cells.length + 1);
  assert.deepEqual(out.cells[at + 1].source, ["// test\n", "const BAND = 0.01;\n", 'const START = "2015-01-02";\n']);
  assert.deepEqual(out.cells[at + 1].metadata?.tags, ["injected-parameters"]);
  assert.equal(injectParameters(nb, {}, "test"), nb);
});

const REPORTS = join(ROOT, "reports");
const rendered = (() => {
  try {
    return [...Deno.readDirSync(REPORTS)].filter((e) => e.isFile && e.name.endsWith(".html")).map((e) => e.name).sort();
  } catch {
    return [];
  }
})();

Deno.test({
  name: "every report rendered in reports/ (after `deno task report`) is self-contained, formulas rendered",
  ignore: rendered.length === 0,
  fn() {
    for (const name of rendered) {
      const html = Deno.readTextFileSync(join(REPORTS, name));
      assert.deepEqual(reportProblems(html), [], name);
      if (name === "index.html") continue;
      assert.doesNotMatch(html, /<title>Notebook<\/title>/, name);
      assert.match(html, /<a href="index.html">/, name);
    }
  },
});

// ---- The claims ledger of reports/index.html (issue 15) ----

const CLAIMS_FIXTURE = join(ROOT, "tests", "fixtures", "report", "claims.ipynb");
const claimsNotebook = () => JSON.parse(Deno.readTextFileSync(CLAIMS_FIXTURE)) as NotebookJson;

Deno.test("collectClaims reads every claim output with its cell and anchor; a malformed one is an error", () => {
  const claims = collectClaims(claimsNotebook(), "03_fixture");
  assert.deepEqual(claims.map((c) => [c.cell, c.anchor, c.original]), [
    [2, "cell-claim-cost", "−58 %"],
    [5, "cell-claim-sharpe", "0.9"],
  ]);
  assert.equal(claims[0].note, "In currency, not in % of NAV as the original.");
  const broken = claimsNotebook();
  (broken.cells[2].outputs![0].data as Record<string, unknown>)["application/vnd.creditlab.claim+json"] = {
    question: "q",
    original: 1,
  };
  assert.throws(() => collectClaims(broken, "03_fixture"), /03_fixture\.ipynb cell 2: .*"original"/);
});

Deno.test("ledgerRows lists each claim and marks each expected claim no cell answers, with the reason", () => {
  const claims = collectClaims(claimsNotebook(), "03_fixture");
  const rows = ledgerRows(claims, [
    { file: "03_fixture", title: "Fixture", ok: true },
    { file: "04_overlay", title: "Overlay", ok: false },
  ]);
  const shown = rows.map((r) => [r.file ?? "", r.question.slice(0, 16), r.missing ?? "measured"]);
  assert.deepEqual(shown, [
    ["03_fixture", "Cost saving of w", "measured"], // answers EXPECTED_CLAIMS' "Cost saving" (03)
    ["03_fixture", "Sharpe ratio of ", "measured"],
    ["03_fixture", "Final NAV", "notebook 03 has no claim cell for it yet"],
    ["04_overlay", "Sortino ratio", "notebook 04 failed"],
    ["04_overlay", "Calmar ratio", "notebook 04 failed"],
    ["", "Sharpe ratio", "notebook 07 was not run"],
    ["", "Maximum drawdown", "notebook 08 was not run"],
  ]);
  assert.equal(EXPECTED_CLAIMS.length, 6);
  // A claim answers by its figures too: an 08 cell quoting −21.7 % → −10.9 % under another question.
  const other = { ...claims[0], file: "08_ml", question: "Drawdown, static → forest", original: "−21.7 % → −10.9 %" };
  assert.equal(answers(other, EXPECTED_CLAIMS.find((e) => e.notebook === "08")!), true);
  assert.equal(answers({ ...other, original: "−21.75 % → −10.9 %" }, EXPECTED_CLAIMS.at(-1)!), false);
});

Deno.test("the fixture's report anchors every cell and the index's ledger links to them, both self-contained", () => {
  const python = ensureJupyter(() => {});
  const dir = Deno.makeTempDirSync();
  const raw = join(dir, "03_fixture.raw.html");
  const r = run(python, [join(ROOT, "tools", "nbrun.py"), CLAIMS_FIXTURE, "--no-execute", "--html", raw]);
  assert.ok(r.ok, r.stderr);
  const notebook = claimsNotebook();
  const report = readerView(Deno.readTextFileSync(raw), { title: "Fixture", cells: notebook.cells });
  assert.deepEqual(reportProblems(report), []);
  // Five divs (the raw cell has none), in order; the claim's own cell holds its Markdown.
  assert.deepEqual(
    [...report.matchAll(/<div id="(cell-[^"]+)" class="jp-Cell /g)].map((m) => m[1]),
    ["cell-title", "cell-params", "cell-claim-cost", "cell-between", "cell-claim-sharpe"],
  );
  const cost = report.slice(report.indexOf('id="cell-claim-cost"'), report.indexOf('id="cell-between"'));
  assert.match(cost, /Cost saving of weekly \+ band against daily execution/);
  // A notebook whose cells are not those of the HTML is an error, not a wrong link.
  assert.throws(() => readerView(Deno.readTextFileSync(raw), { title: "x", cells: notebook.cells.slice(1) }));

  const index = join(dir, "index.html");
  const claims = collectClaims(notebook, "03_fixture");
  // A note with two dollar signs: escaped in the index, so that it does not read as raw TeX.
  claims.push({ ...claims[1], question: "Ticket cost", note: "Paid $5 and $6 per ticket." });
  const ledger = ledgerRows(claims, [{ file: "03_fixture", title: "Fixture", ok: true }]);
  writeIndex(index, [], {
    data: "fixture",
    when: "2026-01-01 00:00 UTC",
    total: 1,
    notebooks: 1,
    executed: 1,
    api: false,
    files: [],
    ledger,
  });
  const html = Deno.readTextFileSync(index);
  assert.deepEqual(reportProblems(html), []); // the dollars of the note are escaped, nothing is fetched
  assert.match(html, /Paid &#36;5 and &#36;6 per ticket\./);
  assert.match(html, /<h2 id="claims">What the original studies claimed, and what creditlab measures<\/h2>/);
  assert.match(html, /<a href="03_fixture\.html#cell-claim-cost">cell 3<\/a>/);
  assert.match(html, /<a href="03_fixture\.html#cell-claim-sharpe">cell 6<\/a>/);
  assert.match(html, /−15 % in USD, −67 % in % of NAV/);
  assert.equal(html.match(/not measured in this run/g)?.length, 5);
  assert.match(html, /Calmar ratio[\s\S]*?416, on one trade[\s\S]*?notebook 04 was not run/);
});
