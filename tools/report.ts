/**
 * `deno task report` — the main job: executes every notebook of `notebooks/` in order on the Deno Jupyter kernel and
 * renders `reports/`: the executed notebooks, a self-contained HTML report of each (formulas pre-rendered with KaTeX,
 * nothing fetched from anywhere), the API reference (`reports/api/`) and the front page `reports/index.html`.
 *
 *     deno task report                        all notebooks → reports/
 *     deno task report 04 05                  only notebooks whose file name contains "04" or "05"
 *     deno task report 03 -p band=0.01        override a constant of the notebook's `parameters` cell
 *     deno task report --code                 show code cells in the reports by default (a toggle hides them)
 *     deno task report --pdf                  also print each report to reports/<notebook>.pdf (headless Chromium)
 *     deno task report --in-place             also write the executed notebooks back into notebooks/
 *
 * `-p NAME=VALUE` (repeatable) sets a `const NAME = literal;` of the cell tagged `parameters`, papermill style: the
 * value is injected in a cell right after it. Names match case-insensitively (`band` sets `BAND`); a value must have
 * the default's type (a number, `true`/`false`, a string as written, JSON for arrays and objects). An unknown name or
 * a value of the wrong type stops the task before any kernel starts.
 *
 * The index carries the claims ledger: every `claim({question, original, measured, note})` output
 * (lib/charts/claims.ts, MIME type `application/vnd.creditlab.claim+json`) of every executed notebook, in a table
 * whose rows link to the cell that shows them (`<notebook>.html#cell-<cell id>`), and each headline claim of the
 * seeds in {@linkcode EXPECTED_CLAIMS} that no claim cell answers, marked "not measured in this run".
 *
 * A failing cell stops the run with the notebook, the cell number and the error. Installs Jupyter and the Deno
 * kernel first when they are missing (see tools/jupyter.ts).
 * @module
 */
import { basename, join, relative } from "node:path";
import pl from "nodejs-polars";
import { resolveMarketData } from "../lib/synthetic/source.ts";
import type { MarketDataSource } from "../lib/data/source.ts";
import { CHROMIUM_FLAGS, ensureChromium } from "./chromium.ts";
import {
  countCharts,
  describeNotebook,
  duration,
  ensureDenoKernel,
  ensureJupyter,
  executeNotebook,
  findParameter,
  injectParameters,
  listNotebooks,
  type NotebookJson,
  notebookParameters,
  progressLine,
  resolveParameters,
  ROOT,
  run,
  SetupError,
} from "./jupyter.ts";
import { cellAnchor, readerView, reportProblems } from "./render.ts";

const CLAIM_MIME = "application/vnd.creditlab.claim+json"; // lib/charts/claims.ts

/** A claim cell's output, located: one row of the claims ledger. */
export interface LedgerClaim {
  /** The notebook's file name without extension, e.g. "03_execution_case_study". */ readonly file: string;
  /** 0-based index of the cell in the executed notebook's JSON. */ readonly cell: number;
  /** The cell's HTML id in `<file>.html` ({@linkcode cellAnchor}). */ readonly anchor: string;
  readonly question: string;
  readonly original: string;
  readonly measured: string;
  readonly note?: string;
}

/** A headline claim of a seed that the ledger lists whether or not a notebook measures it. */
export interface ExpectedClaim {
  /** Prefix of the notebook's file name, e.g. "03". */ readonly notebook: string;
  /** The question, as the ledger shows it when unmeasured; a claim cell whose question starts with it answers it. */
  readonly question: string;
  /** The seed's figure, as the seed states it. */ readonly original: string;
  /** A claim cell whose `original` contains all these figures (as numbers) also answers it. */
  readonly figures: readonly string[];
}

/**
 * The seeds' headline claims (issue 15): costs −58 % and NAV +62 % (03), Sortino 0.00 and Calmar 416 on one trade
 * (04), Sharpe 1.2 against 0.9 (07), the forest's drawdown −21.7 % → −10.9 % (08). Matching is case-insensitive,
 * with whitespace and minus signs normalised.
 */
export const EXPECTED_CLAIMS: readonly ExpectedClaim[] = [
  {
    notebook: "03",
    question: "Cost saving",
    original: "−58 % transaction costs (weekly + band against daily)",
    figures: ["58"],
  },
  { notebook: "03", question: "Final NAV", original: "+62 % final NAV (weekly + band against daily)", figures: ["62"] },
  { notebook: "04", question: "Sortino ratio", original: "0.00, on one trade", figures: ["0.00"] },
  { notebook: "04", question: "Calmar ratio", original: "416, on one trade", figures: ["416"] },
  {
    notebook: "07",
    question: "Sharpe ratio",
    original: "1.2 (mean-variance) and 0.9 (equal weight)",
    figures: ["1.2", "0.9"],
  },
  {
    notebook: "08",
    question: "Maximum drawdown",
    original: "−21.7 % → −10.9 % (static → forest)",
    figures: ["21.7", "10.9"],
  },
];

/** The claim outputs of an executed notebook, in cell order. Malformed claim outputs are errors. */
export function collectClaims(notebook: NotebookJson, file: string): LedgerClaim[] {
  const out: LedgerClaim[] = [];
  notebook.cells.forEach((cell, index) => {
    for (const o of cell.outputs ?? []) {
      const raw = o.data?.[CLAIM_MIME];
      if (raw === undefined) continue;
      const row = (typeof raw === "string" ? JSON.parse(raw) : raw) as Record<string, unknown>;
      for (const key of ["question", "original", "measured"]) {
        if (typeof row?.[key] !== "string") {
          throw new TypeError(`${file}.ipynb cell ${index}: a claim output without a string "${key}"`);
        }
      }
      out.push({
        file,
        cell: index,
        anchor: cellAnchor(cell, index),
        question: row.question as string,
        original: row.original as string,
        measured: row.measured as string,
        ...(typeof row.note === "string" && row.note ? { note: row.note } : {}),
      });
    }
  });
  return out;
}

/** A row of the ledger: a measured claim, or an expected one with the reason it is not measured. */
export type LedgerRow =
  | (LedgerClaim & { readonly title: string; readonly missing?: undefined })
  | (ExpectedClaim & { readonly file?: string; readonly title: string; readonly missing: string });

const normalise = (s: string) =>
  s.normalize("NFKC").replace(/[\u2212\u2012\u2013]/g, "-").replace(/\s+/g, " ").trim().toLowerCase();
const hasFigure = (text: string, figure: string) =>
  new RegExp(`(?<![\\d.])${normalise(figure).replace(/[.]/g, "\\.")}(?!\\d)`).test(normalise(text));

/** Whether a claim cell answers an expected claim: same notebook, and the question's prefix or all its figures. */
export function answers(claim: LedgerClaim, expected: ExpectedClaim): boolean {
  if (!claim.file.startsWith(expected.notebook)) return false;
  return normalise(claim.question).startsWith(normalise(expected.question)) ||
    expected.figures.every((f) => hasFigure(claim.original, f));
}

/**
 * The ledger: every claim in notebook then cell order, with each expected claim that none answers placed after its
 * notebook's claims, marked missing — its notebook did not run, failed, or has no claim cell for it.
 */
export function ledgerRows(
  claims: readonly LedgerClaim[],
  notebooks: readonly { readonly file: string; readonly title: string; readonly ok: boolean }[],
  expected: readonly ExpectedClaim[] = EXPECTED_CLAIMS,
): LedgerRow[] {
  const title = (file: string) => notebooks.find((n) => n.file === file)?.title ?? file;
  const rows: LedgerRow[] = claims.map((c) => ({ ...c, title: title(c.file) }));
  for (const e of expected) {
    if (claims.some((c) => answers(c, e))) continue;
    const nb = notebooks.find((n) => n.file.startsWith(e.notebook));
    const missing = !nb
      ? `notebook ${e.notebook} was not run`
      : !nb.ok
      ? `notebook ${e.notebook} failed`
      : `notebook ${e.notebook} has no claim cell for it yet`;
    rows.push({ ...e, file: nb?.file, title: nb?.title ?? `Notebook ${e.notebook}`, missing });
  }
  // An unrun notebook's rows sort after any file of its prefix ("03\uffff" > "03_execution…").
  const key = (r: LedgerRow) => r.file ?? (r.missing !== undefined ? `${r.notebook}\uffff` : "");
  return rows.map((r, i) => ({ r, i })).sort((a, b) =>
    key(a.r).localeCompare(key(b.r)) || Number(!!a.r.missing) - Number(!!b.r.missing) || a.i - b.i
  ).map(({ r }) => r);
}

/** The ledger as an HTML section of the index (empty string for no rows). */
export function ledgerHtml(rows: readonly LedgerRow[]): string {
  if (rows.length === 0) return "";
  const body = rows.map((r) => {
    const study = r.file ? `<a href="${escape(r.file)}.html">${escape(r.title)}</a>` : escape(r.title);
    if (r.missing !== undefined) {
      return `<tr class="missing"><td>${study}</td><td>${inlineHtml(r.question)}</td><td>${
        inlineHtml(r.original)
      }</td><td><em>not measured in this run</em><div class="summary">${escape(r.missing)}</div></td><td></td></tr>`;
    }
    return `<tr><td>${study}</td><td>${inlineHtml(r.question)}</td><td>${inlineHtml(r.original)}</td><td>${
      inlineHtml(r.measured)
    }${r.note ? `<div class="summary">${inlineHtml(r.note)}</div>` : ""}</td><td><a href="${escape(r.file)}.html#${
      escape(r.anchor)
    }">cell ${r.cell + 1}</a></td></tr>`;
  }).join("\n      ");
  return `<h2 id="claims">What the original studies claimed, and what creditlab measures</h2>
  <p class="lede">Each row is a claim cell of a notebook (<code>claim()</code>), computed by this run and linked to the cell that shows it; a headline claim of the seeds whose study does not measure it yet says so.</p>
  <table class="claims">
    <thead><tr><th>Study</th><th>Question</th><th>Original study</th><th>creditlab measures</th><th>Shown in</th></tr></thead>
    <tbody>
      ${body}
    </tbody>
  </table>`;
}

/** Ledger rows of the notebooks in `rows`, read from their executed copies in `reports`. */
function ledgerOf(reports: string, rows: readonly Row[]): LedgerRow[] {
  const claims = rows.filter((r) => r.ok).flatMap((r) => {
    let notebook: NotebookJson;
    try {
      notebook = JSON.parse(Deno.readTextFileSync(join(reports, `${r.file}.ipynb`)));
    } catch {
      return [];
    }
    return collectClaims(notebook, r.file);
  });
  return ledgerRows(claims, rows);
}

interface Row {
  file: string;
  /** When the notebook ran (rows kept from an earlier run of other notebooks keep their own). */
  ran?: string;
  title: string;
  summary: string;
  headline: string;
  seconds: number;
  charts: number;
  slowest: { cell: number; seconds: number; label: string }[];
  parameters: Record<string, unknown>;
  pdf: boolean;
  ok: boolean;
  error?: string;
}

interface Options {
  filters: string[];
  assignments: string[];
  inPlace: boolean;
  code: boolean;
  pdf: boolean;
}

/** HTML-escapes text; `$` becomes `&#36;`, so that no text reads as raw TeX to the self-containment check. */
const escape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/\$/g, "&#36;");

/** A headline's Markdown as inline HTML: the `**Headline.**` lead dropped, bold, italics and code kept. */
function headlineHtml(markdown: string): string {
  return inlineHtml(markdown.replace(/^\s*\*\*Headline\.?\*\*\s*/, ""));
}

/** One line of Markdown as inline HTML: bold, italics and code kept. */
function inlineHtml(markdown: string): string {
  return escape(markdown.replace(/\s+/g, " ").trim())
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>")
    .replace(/`([^`]+)`/g, "<code>$1</code>");
}

/** Parses the command line; unknown flags are errors. */
function parseArgs(args: readonly string[]): Options {
  const options: Options = { filters: [], assignments: [], inPlace: false, code: false, pdf: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-p" || a === "--parameter") {
      if (i + 1 >= args.length) throw new SetupError(`${a} needs NAME=VALUE, e.g. -p band=0.01`);
      options.assignments.push(args[++i]);
    } else if (a.startsWith("-p") && a.length > 2 && !a.startsWith("--")) options.assignments.push(a.slice(2));
    else if (a === "--in-place") options.inPlace = true;
    else if (a === "--code") options.code = true;
    else if (a === "--pdf") options.pdf = true;
    else if (a.startsWith("-")) {
      throw new SetupError(`Unknown option ${a}: use NOTEBOOK filters, -p NAME=VALUE, --code, --pdf or --in-place`);
    } else options.filters.push(a);
  }
  return options;
}

const cellSource = (c: { source: string | string[] }) => Array.isArray(c.source) ? c.source.join("") : c.source;

/** The text output of the first code cell tagged `headline`, or "". */
function headlineOf(notebook: NotebookJson): string {
  const cell = notebook.cells.find((c) => c.cell_type === "code" && c.metadata?.tags?.includes("headline"));
  for (const o of (cell?.outputs ?? []) as { data?: Record<string, string | string[]>; text?: string | string[] }[]) {
    const join_ = (v: string | string[] | undefined) => Array.isArray(v) ? v.join("") : v;
    const md = join_(o.data?.["text/markdown"]);
    if (md) return md.trim();
    const plain = join_(o.data?.["text/plain"]) ?? join_(o.text);
    if (plain) {
      const t = plain.trim();
      if (/^(["'`]).*\1$/s.test(t)) {
        try {
          return t.startsWith('"') ? JSON.parse(t) : t.slice(1, -1);
        } catch {
          return t.slice(1, -1);
        }
      }
      return t;
    }
  }
  return "";
}

/** A code cell's first line that is not a comment, cut to 36 characters. */
function cellLabel(source: string): string {
  const first = source.split("\n").map((l) => l.trim()).find((l) => l && !l.startsWith("//")) ?? "";
  return first.length > 36 ? `${first.slice(0, 35)}…` : first;
}

/** The three slowest code cells, with a label from their first line. */
function slowestCells(notebook: NotebookJson, cellSeconds: Readonly<Record<number, number>>): Row["slowest"] {
  return Object.entries(cellSeconds).map(([k, seconds]) => {
    const cell = notebook.cells[Number(k) - 1];
    return { cell: Number(k), seconds, label: cell ? cellLabel(cellSource(cell)) : "" };
  }).sort((a, b) => b.seconds - a.seconds).slice(0, 3);
}

/** The data source by name and the date range of its main tables; never a machine path. */
function describeData(source: MarketDataSource): string {
  const name = source.kind === "real"
    ? "Real market data — Treasury yields, ICE BofA spreads and the VIX (FRED), Cboe, Yahoo Finance, S&P rating " +
      "transitions — from the directory named by CREDITLAB_DATA"
    : `Synthetic stand-in market (seed ${source.seed}; ${source.reason})`;
  const ranges: string[] = [];
  for (const [table, label] of [["treasuryYields", "Treasury yields"], ["creditSpreads", "credit spreads"]] as const) {
    try {
      const iso = (v: unknown) => v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
      const dates = (source.readTable(table).getColumn("date").toArray() as unknown[]).map(iso).sort();
      if (dates.length) ranges.push(`${label} ${dates[0]} to ${dates[dates.length - 1]}`);
    } catch { /* a missing table: no range */ }
  }
  return ranges.length ? `${name}: ${ranges.join("; ")}` : name;
}

/** A file a notebook exported, as the data appendix lists it. */
interface DataFile {
  /** Relative to reports/. */ path: string;
  rows: string;
  /** The notebook whose executed copy names the file (its outputs print the paths it wrote), if any. */
  from?: string;
}

/**
 * Exported data files under reports/ subfolders (03's reports/execution/, 04's reports/overlay/), with their row
 * counts and the notebook among `notebooks` (file names without extension) that wrote each.
 */
function dataFiles(reports: string, notebooks: readonly string[]): DataFile[] {
  const texts = notebooks.map((name) => {
    try {
      return Deno.readTextFileSync(join(reports, `${name}.ipynb`));
    } catch {
      return "";
    }
  });
  const count = (n: number) => `${n.toLocaleString("en-US")} row${n === 1 ? "" : "s"}`;
  const out: DataFile[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 3) return;
    for (const e of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, e.name);
      if (e.isDirectory && e.name !== "api" && !e.name.startsWith(".")) walk(path, depth + 1);
      else if (e.isFile && dir !== reports && /\.(parquet|json|csv)$/.test(e.name)) {
        let rows = "";
        try {
          if (e.name.endsWith(".parquet")) rows = count(pl.readParquet(path).height);
          else if (e.name.endsWith(".csv")) rows = count(pl.readCSV(path).height);
          else {
            const v = JSON.parse(Deno.readTextFileSync(path));
            const arrays = Object.entries(v ?? {}).filter(([, x]) => Array.isArray(x)) as [string, unknown[]][];
            rows = Array.isArray(v)
              ? count(v.length)
              : arrays.length
              ? arrays.map(([k, x]) => `${k}: ${count(x.length)}`).join(", ")
              : `${Object.keys(v).length} entries`;
          }
        } catch (error) {
          rows = `unreadable: ${(error as Error).message.split("\n")[0]}`;
        }
        const rel = relative(reports, path);
        const k = texts.findIndex((t) => t.includes(rel));
        out.push({ path: rel, rows, from: k >= 0 ? notebooks[k] : undefined });
      }
    }
  };
  walk(reports, 0);
  return out;
}

async function main(): Promise<number> {
  const options = parseArgs(Deno.args);
  const started = new Date();
  const t0 = performance.now();
  const log = (line: string) => console.log(line);

  const notebooks = listNotebooks().filter((p) =>
    options.filters.length === 0 || options.filters.some((f) => basename(p).includes(f))
  );
  if (notebooks.length === 0) throw new SetupError(`No notebook in notebooks/ matches ${options.filters.join(", ")}`);
  if (options.inPlace && options.assignments.length) {
    throw new SetupError("--in-place with -p would commit non-default results: run one or the other");
  }
  // Parameters are checked for every notebook before any kernel starts. With several notebooks, a name applies to
  // those that declare it and must be declared by at least one.
  const parsed = notebooks.map((path) => JSON.parse(Deno.readTextFileSync(path)) as NotebookJson);
  const planned = notebooks.map((path, i) => {
    const notebook = parsed[i];
    const mine = options.assignments.filter((a) => {
      const key = a.slice(0, Math.max(0, a.indexOf("="))).trim();
      const known = (nb: NotebookJson) => findParameter(notebookParameters(nb), key) !== undefined;
      return notebooks.length === 1 || known(notebook) || !parsed.some(known);
    });
    const parameters = resolveParameters(notebook, mine, basename(path));
    const defaults = Object.fromEntries(
      notebookParameters(notebook).filter((s) => s.name in parameters).map((s) => [s.name, s.literal]),
    );
    return { path, notebook, parameters, defaults };
  });

  const source = resolveMarketData(Deno.env.get("CREDITLAB_DATA"));
  const python = ensureJupyter(log);
  ensureDenoKernel(python, log);
  const chromium = options.pdf ? ensureChromium(log) : "";

  const reports = join(ROOT, "reports");
  const inputs = join(reports, ".inputs");
  Deno.mkdirSync(inputs, { recursive: true });
  const env = { ...Deno.env.toObject(), CREDITLAB_DATA: source.kind === "real" ? source.dir : "synthetic" };
  const data = describeData(source);
  const when = started.toISOString().replace("T", " ").slice(0, 16) + " UTC";
  log(
    `creditlab report: ${notebooks.length} notebooks on ${
      source.kind === "real" ? "real market data" : "the synthetic stand-in"
    }${options.inPlace ? " (writing notebooks/ in place)" : ""}${
      options.assignments.length ? ` with ${options.assignments.join(", ")}` : ""
    }`,
  );

  const rows: Row[] = [];
  let failed = false;
  for (const [i, { path, notebook, parameters, defaults }] of planned.entries()) {
    const name = basename(path, ".ipynb");
    const line = progressLine(`[${i + 1}/${notebooks.length}] ${name}`);
    line.update("starting the kernel…");
    let input = path;
    if (Object.keys(parameters).length) {
      input = join(inputs, `${name}.ipynb`);
      const injected = injectParameters(
        notebook,
        parameters,
        "Injected by `deno task report -p`: parameters of this run.",
      );
      Deno.writeTextFileSync(input, JSON.stringify(injected, null, 1) + "\n");
    }
    const output = join(reports, `${name}.ipynb`);
    const html = join(reports, `${name}.html`);
    // A heartbeat while a long cell runs: the cell, its first line, its time so far and the notebook's.
    const labels = notebook.cells.filter((c) => c.cell_type === "code").map((c) => cellLabel(cellSource(c)));
    const current = { k: 0, n: 0, cellStart: 0, runStart: performance.now() };
    const status = () => {
      const now = performance.now();
      const cellTime = (now - current.cellStart) / 1000;
      return `cell ${current.k}/${current.n}${labels[current.k - 1] ? ` (${labels[current.k - 1]})` : ""}${
        cellTime >= 5 ? ` running ${duration(cellTime)}` : ""
      } · ${duration((now - current.runStart) / 1000)}`;
    };
    const heartbeat = setInterval(() => current.k && line.update(status()), 1000);
    const result = await executeNotebook({
      python,
      input,
      output,
      html,
      env,
      progress: (k, n) => {
        Object.assign(current, { k, n, cellStart: performance.now() });
        line.update(status());
      },
    }).finally(() => clearInterval(heartbeat));
    const executed = JSON.parse(Deno.readTextFileSync(output)) as NotebookJson;
    const { title, summary } = describeNotebook(executed, path);
    const charts = countCharts(executed);
    const row: Row = {
      file: name,
      title,
      summary,
      headline: result.ok ? headlineOf(executed) : "",
      seconds: result.seconds,
      charts,
      slowest: slowestCells(executed, result.cellSeconds),
      parameters,
      pdf: false,
      ok: result.ok,
    };
    rows.push(row);
    if (result.ok) {
      const rendered = readerView(Deno.readTextFileSync(html), {
        title,
        cells: executed.cells,
        code: options.code,
        parameters,
        defaults,
        note: `Executed ${when} on ${source.kind === "real" ? "real market data" : "the synthetic stand-in"}`,
      });
      const problems = reportProblems(rendered);
      Deno.writeTextFileSync(html, rendered);
      if (problems.length) {
        row.ok = false;
        row.error = `the report is not self-contained: ${problems.slice(0, 3).join("; ")}`;
        line.done(`✗ ${row.error}`);
        failed = true;
        break;
      }
      if (options.pdf) {
        const pdf = join(reports, `${name}.pdf`);
        line.update("printing the PDF…");
        const printed = run(chromium, [
          ...CHROMIUM_FLAGS,
          "--no-pdf-header-footer",
          "--run-all-compositor-stages-before-draw",
          "--virtual-time-budget=10000",
          `--print-to-pdf=${pdf}`,
          `file://${html}`,
        ]);
        row.pdf = printed.ok;
        if (!printed.ok) {
          console.error(`PDF of ${name} failed: ${printed.stderr.trim().split("\n").slice(-3).join("\n")}`);
        }
      }
      line.done(`✓ ${duration(result.seconds)}, ${charts} charts${row.pdf ? ", PDF" : ""}`);
      if (options.inPlace) Deno.copyFileSync(output, path);
      continue;
    }
    const e = result.error;
    const where = e && e.index > 0 ? `cell ${e.index} (code cell ${e.codeIndex})` : "startup";
    line.done(`✗ failed at ${where}`);
    console.error(`\n${name}.ipynb failed at ${where}: ${e?.ename}: ${e?.evalue}\n`);
    if (e?.traceback) console.error(e.traceback.split("\n").slice(0, 30).join("\n"));
    if (result.stderr && !e?.traceback) console.error(result.stderr.split("\n").slice(-20).join("\n"));
    console.error(`\nThe partly executed notebook is in reports/${name}.ipynb.`);
    row.error = `${where}: ${e?.ename}: ${e?.evalue}`;
    failed = true;
    break;
  }

  for (const r of rows) r.ran = when;
  // A run of some notebooks keeps the other notebooks' rows of the previous index (reports/index.json).
  const saved = join(reports, "index.json");
  let previous: Row[] = [];
  try {
    previous = JSON.parse(Deno.readTextFileSync(saved)).rows ?? [];
  } catch { /* first run */ }
  const present = new Set(listNotebooks().map((p) => basename(p, ".ipynb")));
  const merged = [...rows, ...previous.filter((r) => !rows.some((x) => x.file === r.file) && present.has(r.file))]
    .sort((a, b) => a.file.localeCompare(b.file));
  Deno.writeTextFileSync(saved, JSON.stringify({ rows: merged }, null, 1) + "\n");
  const api = buildApiDocs(join(reports, "api"));
  const total = (performance.now() - t0) / 1000;
  writeIndex(join(reports, "index.html"), merged, {
    data,
    when,
    total,
    notebooks: notebooks.length,
    executed: rows.filter((r) => r.ok).length,
    api,
    files: dataFiles(reports, merged.map((r) => r.file)),
    ledger: ledgerOf(reports, merged),
  });
  console.log(
    `\n${failed ? "Stopped" : "Done"} in ${duration(total)}: ${
      rows.filter((r) => r.ok).length
    }/${notebooks.length} notebooks, ` +
      `${rows.reduce((n, r) => n + r.charts, 0)} charts → reports/index.html`,
  );
  return failed ? 1 : 0;
}

/** `deno doc --html` of lib/mod.ts into `dir`; false (with a note) when it fails. */
function buildApiDocs(dir: string): boolean {
  const r = run(Deno.execPath(), ["doc", "--quiet", "--html", "--name=creditlab", `--output=${dir}`, "lib/mod.ts"], {
    cwd: ROOT,
    env: { NO_COLOR: "1" },
  });
  if (!r.ok) console.error(`API reference not built: ${r.stderr.trim().split("\n").slice(-3).join("\n")}`);
  return r.ok;
}

/** Writes the front page `reports/index.html`: the run, the notebooks, the claims ledger and the data appendix. */
export function writeIndex(
  path: string,
  rows: Row[],
  run_: {
    data: string;
    when: string;
    total: number;
    notebooks: number;
    executed: number;
    api: boolean;
    files: DataFile[];
    ledger: readonly LedgerRow[];
  },
): void {
  const commit = run("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT });
  const dirty = run("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT });
  const version = commit.ok
    ? `${commit.stdout.trim()}${dirty.ok && dirty.stdout.trim() ? " (with local changes)" : ""}`
    : "unknown";
  const body = rows.map((r, i) => {
    const params = Object.entries(r.parameters);
    return `
      <tr class="${r.ok ? "ok" : "failed"}">
        <td class="n">${i + 1}</td>
        <td><a href="${r.file}.html">${escape(r.title)}</a><div class="summary">${escape(r.summary)}</div>${
      r.headline ? `<div class="headline">${headlineHtml(r.headline)}</div>` : ""
    }${
      params.length
        ? `<div class="params">parameters: ${
          params.map(([k, v]) => `<code>${escape(k)} = ${escape(JSON.stringify(v))}</code>`).join(", ")
        }</div>`
        : ""
    }${r.error ? `<div class="error">${escape(r.error)}</div>` : ""}</td>
        <td class="n">${r.charts}</td>
        <td class="n">${duration(r.seconds)}${
      r.ran && r.ran !== run_.when ? `<div class="summary">${escape(r.ran)}</div>` : ""
    }</td>
        <td class="slow">${
      r.slowest.map((s) => `cell ${s.cell}: ${duration(s.seconds)} <code>${escape(s.label)}</code>`).join("<br>")
    }</td>
        <td>${r.ok ? "✓" : "✗ failed"}</td>
        <td><a href="${r.file}.ipynb">ipynb</a>${r.pdf ? ` · <a href="${r.file}.pdf">PDF</a>` : ""}</td>
      </tr>`;
  }).join("");
  const files = run_.files.length
    ? `<h2>Data appendix</h2>
  <p class="lede">Files the notebooks export (git-ignored), with their size in rows.</p>
  <table class="files"><thead><tr><th>file</th><th>rows</th><th>written by</th></tr></thead><tbody>${
      run_.files.map((f) => {
        const writer = rows.find((r) => r.file === f.from);
        return `<tr><td><a href="${escape(f.path)}">${escape(f.path)}</a></td><td>${escape(f.rows)}</td><td>${
          writer ? `<a href="${writer.file}.html">${escape(writer.title)}</a>` : ""
        }</td></tr>`;
      }).join("")
    }</tbody></table>`
    : "";
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>creditlab reports</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1f2328; max-width: 1180px; margin: 2.5rem auto; padding: 0 1.25rem; line-height: 1.45; }
  h1 { margin-bottom: .2rem; }
  h2 { margin-top: 2rem; }
  .lede { color: #59636e; margin-top: 0; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 1.25rem 0; }
  dt { font-weight: 600; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
  th { border-bottom: 2px solid #1f2328; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  td.slow { font-size: .8rem; color: #59636e; }
  td.slow code { font-size: .75rem; white-space: nowrap; }
  .summary { color: #59636e; font-size: .9rem; }
  .headline { margin-top: .3rem; padding: .25rem .5rem; border-left: 3px solid #0b5cad; background: #f3f7fc; font-size: .92rem; }
  .params { font-size: .85rem; color: #8a4600; }
  .error { color: #a50f15; font-size: .9rem; font-family: ui-monospace, monospace; }
  tr.failed td { background: #fff5f5; }
  table.claims td { font-size: .92rem; }
  tr.missing td { color: #59636e; background: #fbfbf4; }
  a { color: #0b5cad; }
</style>
</head>
<body>
  <h1>creditlab reports</h1>
  <p class="lede">Systematic credit trading research in TypeScript: every notebook executed top to bottom, with its charts and tables.</p>
  <dl>
    <dt>Data</dt><dd>${escape(run_.data)}</dd>
    <dt>Run</dt><dd>${run_.when}, ${
    duration(run_.total)
  } in all, ${run_.executed} of ${run_.notebooks} notebooks executed${
    rows.some((r) => r.ran !== run_.when) ? " (the other rows are from earlier runs, dated in the table)" : ""
  }</dd>
    <dt>Code</dt><dd>commit ${escape(version)}, Deno ${Deno.version.deno}${
    run_.api ? ` · <a href="api/index.html">API reference of lib/</a>` : ""
  }</dd>
  </dl>
  <table>
    <thead><tr><th>#</th><th>Notebook and headline result</th><th>Charts</th><th>Run time</th><th>Slowest cells</th><th>Status</th><th>Files</th></tr></thead>
    <tbody>${body}
    </tbody>
  </table>
  ${ledgerHtml(run_.ledger)}
  ${files}
</body>
</html>
`;
  Deno.writeTextFileSync(path, html);
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (error) {
    if (error instanceof SetupError) {
      console.error(`\n${error.message}`);
      Deno.exit(2);
    }
    throw error;
  }
}
