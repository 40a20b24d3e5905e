/**
 * `deno task report` — the main job: executes every notebook of `notebooks/` in order on the Deno Jupyter kernel and
 * renders `reports/`: the executed notebooks, an HTML report of each and `reports/index.html`.
 *
 *     deno task report                    all notebooks → reports/
 *     deno task report --in-place         also write the executed notebooks back into notebooks/
 *     deno task report 04 05              only notebooks whose file name contains "04" or "05"
 *
 * A failing cell stops the run with the notebook, the cell number and the error. Installs Jupyter and the Deno
 * kernel first when they are missing (see tools/jupyter.ts).
 * @module
 */
import { basename, join } from "node:path";
import { resolveMarketData } from "../lib/synthetic/source.ts";
import {
  countCharts,
  describeNotebook,
  duration,
  ensureDenoKernel,
  ensureJupyter,
  executeNotebook,
  listNotebooks,
  progressLine,
  ROOT,
  run,
  SetupError,
} from "./jupyter.ts";

interface Row {
  file: string;
  title: string;
  summary: string;
  seconds: number;
  charts: number;
  ok: boolean;
  error?: string;
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

async function main(): Promise<number> {
  const inPlace = Deno.args.includes("--in-place");
  const filters = Deno.args.filter((a) => !a.startsWith("--"));
  const started = new Date();
  const t0 = performance.now();
  const log = (line: string) => console.log(line);

  const source = resolveMarketData(Deno.env.get("CREDITLAB_DATA"));
  const python = ensureJupyter(log);
  ensureDenoKernel(python, log);

  const reports = join(ROOT, "reports");
  Deno.mkdirSync(reports, { recursive: true });
  const notebooks = listNotebooks().filter((p) => filters.length === 0 || filters.some((f) => basename(p).includes(f)));
  if (notebooks.length === 0) throw new SetupError(`No notebook in notebooks/ matches ${filters.join(", ")}`);
  const env = { ...Deno.env.toObject(), CREDITLAB_DATA: source.kind === "real" ? source.dir : "synthetic" };
  log(
    `creditlab report: ${notebooks.length} notebooks on ${source.label}${
      inPlace ? " (writing notebooks/ in place)" : ""
    }`,
  );

  const rows: Row[] = [];
  let failed = false;
  for (const [i, path] of notebooks.entries()) {
    const name = basename(path, ".ipynb");
    const line = progressLine(`[${i + 1}/${notebooks.length}] ${name}`);
    line.update("starting the kernel…");
    const output = join(reports, `${name}.ipynb`);
    const result = await executeNotebook({
      python,
      input: path,
      output,
      html: join(reports, `${name}.html`),
      env,
      progress: (k, n, elapsed) => line.update(`cell ${k}/${n} · ${duration(elapsed)}`),
    });
    const executed = JSON.parse(Deno.readTextFileSync(output));
    const { title, summary } = describeNotebook(executed, path);
    const charts = countCharts(executed);
    if (result.ok) {
      line.done(`✓ ${duration(result.seconds)}, ${charts} charts`);
      if (inPlace) Deno.copyFileSync(output, path);
      rows.push({ file: name, title, summary, seconds: result.seconds, charts, ok: true });
      continue;
    }
    const e = result.error;
    const where = e && e.index > 0 ? `cell ${e.index} (code cell ${e.codeIndex})` : "startup";
    line.done(`✗ failed at ${where}`);
    console.error(`\n${name}.ipynb failed at ${where}: ${e?.ename}: ${e?.evalue}\n`);
    if (e?.traceback) console.error(e.traceback.split("\n").slice(0, 30).join("\n"));
    if (result.stderr && !e?.traceback) console.error(result.stderr.split("\n").slice(-20).join("\n"));
    console.error(`\nThe partly executed notebook is in reports/${name}.ipynb.`);
    rows.push({
      file: name,
      title,
      summary,
      seconds: result.seconds,
      charts,
      ok: false,
      error: `${where}: ${e?.ename}: ${e?.evalue}`,
    });
    failed = true;
    break;
  }

  const total = (performance.now() - t0) / 1000;
  writeIndex(join(reports, "index.html"), rows, { source: source.label, started, total, notebooks: notebooks.length });
  console.log(
    `\n${failed ? "Stopped" : "Done"} in ${duration(total)}: ${
      rows.filter((r) => r.ok).length
    }/${notebooks.length} notebooks, ` +
      `${rows.reduce((n, r) => n + r.charts, 0)} charts → reports/index.html`,
  );
  return failed ? 1 : 0;
}

function writeIndex(
  path: string,
  rows: Row[],
  run_: { source: string; started: Date; total: number; notebooks: number },
) {
  const commit = run("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT });
  const dirty = run("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT });
  const version = commit.ok
    ? `${commit.stdout.trim()}${dirty.ok && dirty.stdout.trim() ? " (with local changes)" : ""}`
    : "unknown";
  const when = run_.started.toISOString().replace("T", " ").slice(0, 16) + " UTC";
  const body = rows.map((r, i) => `
      <tr class="${r.ok ? "ok" : "failed"}">
        <td class="n">${i + 1}</td>
        <td><a href="${r.file}.html">${escape(r.title)}</a><div class="summary">${escape(r.summary)}</div>${
    r.error ? `<div class="error">${escape(r.error)}</div>` : ""
  }</td>
        <td class="n">${r.charts}</td>
        <td class="n">${r.seconds.toFixed(1)} s</td>
        <td>${r.ok ? "✓ executed" : "✗ failed"}</td>
        <td><a href="${r.file}.ipynb">${r.file}.ipynb</a></td>
      </tr>`).join("");
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>creditlab reports</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1f2328; max-width: 1040px; margin: 2.5rem auto; padding: 0 1.25rem; line-height: 1.45; }
  h1 { margin-bottom: .2rem; }
  .lede { color: #59636e; margin-top: 0; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 1.25rem 0; }
  dt { font-weight: 600; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
  th { border-bottom: 2px solid #1f2328; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  .summary { color: #59636e; font-size: .9rem; }
  .error { color: #a50f15; font-size: .9rem; font-family: ui-monospace, monospace; }
  tr.failed td { background: #fff5f5; }
  a { color: #0b5cad; }
</style>
</head>
<body>
  <h1>creditlab reports</h1>
  <p class="lede">Systematic credit trading research in TypeScript: every notebook executed top to bottom, with its charts and tables.</p>
  <dl>
    <dt>Data</dt><dd>${escape(run_.source)}</dd>
    <dt>Run</dt><dd>${when}, ${run_.total.toFixed(0)} s in all, ${
    rows.filter((r) => r.ok).length
  } of ${run_.notebooks} notebooks executed</dd>
    <dt>Code</dt><dd>commit ${escape(version)}, Deno ${Deno.version.deno}</dd>
  </dl>
  <table>
    <thead><tr><th>#</th><th>Notebook</th><th>Charts</th><th>Run time</th><th>Status</th><th>Executed notebook</th></tr></thead>
    <tbody>${body}
    </tbody>
  </table>
</body>
</html>
`;
  Deno.writeTextFileSync(path, html);
}

try {
  Deno.exit(await main());
} catch (error) {
  if (error instanceof SetupError) {
    console.error(`\n${error.message}`);
    Deno.exit(2);
  }
  throw error;
}
