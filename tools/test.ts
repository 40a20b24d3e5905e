/**
 * `deno task test` — every check of the kit, ending with one line `N passed, M failed`:
 *
 * 1. formatting (`deno fmt --check`), types (`deno check`), lint (`deno lint`);
 * 2. the unit tests of `tests/` and the examples in the JSDoc of `lib/` (`deno test --doc`), each counted;
 * 3. every notebook, executed headless as a copy in `.tmp/test-notebooks/` (the committed notebooks are never
 *    rewritten), with the smaller values of its `metadata.creditlab.test_parameters` injected after the cell
 *    tagged `parameters`. A notebook fails on an error output, and on a cell that has output in the committed
 *    notebook but produced none.
 *
 * Options: `--no-notebooks` skips step 3; `--only-notebooks` runs step 3 alone.
 * @module
 */
import { basename, join } from "node:path";
import { resolveMarketData } from "../lib/synthetic/source.ts";
import {
  duration,
  ensureDenoKernel,
  ensureJupyter,
  executeNotebook,
  injectParameters,
  listNotebooks,
  type NotebookCell,
  type NotebookJson,
  progressLine,
  ROOT,
  SetupError,
} from "./jupyter.ts";
import { ensureChromium } from "./chromium.ts";

interface Outcome {
  name: string;
  passed: number;
  failed: number;
  detail?: string;
}

const outcomes: Outcome[] = [];
const decoder = new TextDecoder();

async function step(name: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  const line = progressLine(`• ${name}`);
  line.update("running…");
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const out = await child.output();
  const output = decoder.decode(out.stdout) + decoder.decode(out.stderr);
  line.done(`${out.success ? "✓" : "✗"} ${duration((performance.now() - t0) / 1000)}`);
  return { ok: out.success, output };
}

function record(name: string, ok: boolean, output: string) {
  outcomes.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, detail: ok ? undefined : tail(output, 40) });
  if (!ok) console.log(indent(tail(output, 40)));
}

function tail(text: string, lines: number): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

function indent(text: string): string {
  return text.split("\n").map((l) => `    ${l}`).join("\n");
}

/** Counts test cases, failures and skipped (ignored) tests in a JUnit report of `deno test --junit-path`. */
function junitCounts(path: string): { passed: number; failed: number; skipped: number; failures: string[] } {
  const xml = Deno.readTextFileSync(path);
  const cases = [...xml.matchAll(/<testcase\b[^>]*?name="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)];
  const failures = cases.filter((c) => /<failure|<error/.test(c[3] ?? "")).map((c) => decodeXml(c[1]));
  const skipped = cases.filter((c) => /<skipped/.test(c[3] ?? "")).length;
  return { passed: cases.length - failures.length - skipped, failed: failures.length, skipped, failures };
}

function decodeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(
    /&amp;/g,
    "&",
  );
}

type Cell = NotebookCell;
type Notebook = NotebookJson;

/** The notebook with its test parameters injected after the cell tagged `parameters`. */
function withTestParameters(notebook: Notebook): Notebook {
  const parameters = notebook.metadata?.creditlab?.test_parameters ?? {};
  return injectParameters(notebook, parameters, "Injected by `deno task test`: smaller values for a quick run.");
}

async function runNotebooks() {
  const log = (line: string) => console.log(line);
  const python = ensureJupyter(log);
  ensureDenoKernel(python, log);
  const source = resolveMarketData(Deno.env.get("CREDITLAB_DATA"));
  const env = { ...Deno.env.toObject(), CREDITLAB_DATA: source.kind === "real" ? source.dir : "synthetic" };
  const dir = join(ROOT, ".tmp", "test-notebooks");
  Deno.mkdirSync(dir, { recursive: true });
  const notebooks = listNotebooks();
  console.log(`• notebooks: ${notebooks.length} on ${source.label}`);
  for (const path of notebooks) {
    const name = basename(path, ".ipynb");
    const committed = JSON.parse(Deno.readTextFileSync(path)) as Notebook;
    const input = join(dir, `${name}.input.ipynb`);
    const output = join(dir, `${name}.ipynb`);
    Deno.writeTextFileSync(input, JSON.stringify(withTestParameters(committed), null, 1));
    const line = progressLine(`  ${name}`);
    const result = await executeNotebook({
      python,
      input,
      output,
      env,
      progress: (k, n, elapsed) => line.update(`cell ${k}/${n} · ${duration(elapsed)}`),
    });
    let problem = "";
    if (!result.ok) {
      const e = result.error;
      problem = `failed at ${e && e.index ? `cell ${e.index} (code cell ${e.codeIndex})` : "startup"}: ` +
        `${e?.ename}: ${e?.evalue}${e?.traceback ? `\n${tail(e.traceback, 15)}` : ""}`;
    } else {
      const executed = JSON.parse(Deno.readTextFileSync(output)) as Notebook;
      const fresh = executed.cells.filter((c) => !c.metadata?.tags?.includes("injected-parameters"));
      const lost = committed.cells.map((c, i) => ({ c, i })).filter(({ c, i }) =>
        c.cell_type === "code" && (c.outputs?.length ?? 0) > 0 && (fresh[i]?.outputs?.length ?? 0) === 0
      );
      if (lost.length) {
        problem = `cells ${
          lost.map((l) => l.i + 1).join(", ")
        } produced no output but have output in the committed notebook`;
      }
      // A table must reach every front end: VS Code and GitHub ignore the data-resource MIME type alone.
      const tableOnly = fresh.findIndex((c) =>
        (c.outputs as { data?: Record<string, unknown> }[] | undefined)?.some((o) =>
          o.data?.["application/vnd.dataresource+json"] !== undefined && o.data?.["text/html"] === undefined
        )
      );
      if (tableOnly >= 0) problem ||= `cell ${tableOnly + 1} shows a table without a text/html rendering`;
    }
    line.done(problem ? `✗ ${problem.split("\n")[0]}` : `✓ ${duration(result.seconds)}`);
    if (problem) console.log(indent(problem));
    outcomes.push({
      name: `notebook ${name}`,
      passed: problem ? 0 : 1,
      failed: problem ? 1 : 0,
      detail: problem || undefined,
    });
  }
}

async function main(): Promise<number> {
  const onlyNotebooks = Deno.args.includes("--only-notebooks");
  const t0 = performance.now();
  if (!onlyNotebooks) {
    const fmt = await step("format (deno fmt --check)", ["fmt", "--check"]);
    record("format", fmt.ok, fmt.output);
    const check = await step("types (deno check lib tests tools)", ["check", "lib", "tests", "tools"]);
    record("types", check.ok, check.output);
    const lint = await step("lint (deno lint)", ["lint"]);
    record("lint", lint.ok, lint.output);
    const junit = join(ROOT, ".tmp", "junit.xml");
    Deno.mkdirSync(join(ROOT, ".tmp"), { recursive: true });
    try {
      Deno.removeSync(junit);
    } catch { /* first run */ }
    ensureChromium((line) => console.log(line)); // the dashboard's browser test drives Chromium
    const tests = await step("unit and doc tests (deno test --doc lib tests)", [
      "test",
      "--allow-all",
      "--doc",
      `--junit-path=${junit}`,
      "lib",
      "tests",
    ]);
    let counts = { passed: 0, failed: 1, skipped: 0, failures: ["deno test did not write its report"] };
    try {
      counts = junitCounts(junit);
    } catch { /* reported below */ }
    if (!tests.ok && counts.failed === 0) {
      counts = { ...counts, failed: 1, failures: ["deno test failed before running"] };
    }
    console.log(
      `    ${counts.passed} passed, ${counts.failed} failed` +
        (counts.skipped ? `, ${counts.skipped} skipped (cross-checks against real data: set CREDITLAB_DATA)` : ""),
    );
    if (counts.failed) console.log(indent(tail(tests.output, 60)));
    outcomes.push({
      name: "unit and doc tests",
      passed: counts.passed,
      failed: counts.failed,
      detail: counts.failures.join("\n"),
    });
  }
  if (!Deno.args.includes("--no-notebooks")) await runNotebooks();

  const passed = outcomes.reduce((n, o) => n + o.passed, 0);
  const failed = outcomes.reduce((n, o) => n + o.failed, 0);
  console.log(`\nTook ${duration((performance.now() - t0) / 1000)}.`);
  if (failed) {
    console.log("Failed:");
    for (const o of outcomes.filter((o) => o.failed)) {
      console.log(`  ${o.name}${o.detail ? `: ${o.detail.split("\n")[0]}` : ""}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

try {
  Deno.exit(await main());
} catch (error) {
  if (error instanceof SetupError) {
    console.error(`\n${error.message}`);
    console.log("0 passed, 1 failed");
    Deno.exit(2);
  }
  throw error;
}
