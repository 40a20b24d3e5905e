/**
 * Jupyter plumbing shared by `deno task report` and `deno task test`: find (or install) Jupyter and the Deno kernel,
 * and execute a notebook headless with live progress. Notebook execution itself is nbclient's, driven by
 * `tools/nbrun.py`.
 * @module
 */
import { basename, join } from "node:path";

export const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const DEBIAN_PACKAGES = ["jupyter-nbconvert", "python3-nbclient", "jupyter-client", "python3-ipykernel"];
const MODULES = "import nbclient, nbconvert, nbformat, jupyter_client, ipykernel";

const decoder = new TextDecoder();

/** Runs a command to completion; never throws for a missing program (returns ok: false). */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  try {
    const out = new Deno.Command(cmd, { args, cwd: opts.cwd, env: opts.env, stdout: "piped", stderr: "piped" })
      .outputSync();
    return { ok: out.success, code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
  } catch (error) {
    return { ok: false, code: -1, stdout: "", stderr: String(error) };
  }
}

/** An error that stops a task with a message for the user (no stack trace). */
export class SetupError extends Error {}

/** The path of a program on PATH, or null. */
export function which(program: string): string | null {
  const r = run("sh", ["-c", `command -v ${program}`]);
  return r.ok ? r.stdout.trim() : null;
}

/** Python interpreters that may hold Jupyter: the one behind `jupyter`, Debian's, then `python3` on PATH. */
function pythonCandidates(): string[] {
  const out: string[] = [];
  const jupyter = which("jupyter");
  if (jupyter) {
    try {
      const first = Deno.readTextFileSync(jupyter).split("\n")[0];
      if (first.startsWith("#!")) out.push(first.slice(2).trim().split(/\s+/)[0]);
    } catch { /* a binary launcher: skip */ }
  }
  out.push("/usr/bin/python3", "python3");
  return [...new Set(out)];
}

function findJupyterPython(): string | null {
  for (const python of pythonCandidates()) if (run(python, ["-c", MODULES]).ok) return python;
  return null;
}

/**
 * Returns a Python interpreter with nbclient and nbconvert, installing Debian's Jupyter packages when they are
 * missing and we are root with apt; otherwise stops with the exact command to run.
 */
export function ensureJupyter(log: (line: string) => void): string {
  const found = findJupyterPython();
  if (found) return found;
  const command = `apt-get install -y --no-install-recommends ${DEBIAN_PACKAGES.join(" ")}`;
  const root = Deno.uid?.() === 0;
  if (!root || !which("apt-get")) {
    throw new SetupError(
      `Jupyter (nbclient, nbconvert) is not installed, and this task cannot install it (${
        root ? "no apt-get" : "not root"
      }).\nInstall it, then rerun:\n\n    sudo apt-get update && sudo ${command}\n`,
    );
  }
  log(`Jupyter is missing: installing Debian packages ${DEBIAN_PACKAGES.join(", ")} (apt-get, about a minute)…`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const update = run("apt-get", ["update", "-qq"], { env });
  const install = run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...DEBIAN_PACKAGES], { env });
  const python = findJupyterPython();
  if (!install.ok || !python) {
    throw new SetupError(
      `Installing Jupyter failed:\n${(update.stderr + install.stderr).trim().split("\n").slice(-8).join("\n")}\n` +
        `Run it yourself and rerun the task:\n\n    apt-get update && ${command}\n`,
    );
  }
  log(`Jupyter installed (${python}).`);
  return python;
}

/**
 * Makes sure the `deno` Jupyter kernel exists and runs this Deno; registers it (`deno jupyter --install`) when it is
 * missing, points to a missing binary, or runs another Deno version.
 */
export function ensureDenoKernel(python: string, log: (line: string) => void): void {
  const listed = run(python, ["-m", "jupyter", "kernelspec", "list", "--json"]);
  let reason = "";
  if (!listed.ok) reason = "cannot list kernels";
  else {
    const spec = JSON.parse(listed.stdout).kernelspecs?.deno?.spec;
    const binary: string | undefined = spec?.argv?.[0];
    if (!binary) reason = "no Deno kernel is registered";
    else {
      const version = run(binary, ["--version"]);
      if (!version.ok) reason = `the registered kernel's binary ${binary} does not run`;
      else if (!version.stdout.startsWith(`deno ${Deno.version.deno} `)) {
        reason = `the registered kernel runs ${
          version.stdout.split("\n")[0]
        }, this task runs deno ${Deno.version.deno}`;
      }
    }
  }
  if (!reason) return;
  log(`Registering the Deno Jupyter kernel (${reason})…`);
  const jupyterDir = python.includes("/") ? python.replace(/\/[^/]+$/, "") : "";
  const env = jupyterDir ? { PATH: `${jupyterDir}:${Deno.env.get("PATH") ?? ""}` } : undefined;
  const install = run(Deno.execPath(), ["jupyter", "--install", "--force"], { env });
  if (!install.ok) {
    throw new SetupError(
      `Registering the Deno kernel failed:\n${install.stderr.trim()}\nRun it yourself and rerun the task:\n\n` +
        `    ${Deno.execPath()} jupyter --install --force\n`,
    );
  }
  log(`Deno kernel registered (${Deno.execPath()}).`);
}

/** The notebooks of `notebooks/`, in file-name order. */
export function listNotebooks(): string[] {
  const dir = join(ROOT, "notebooks");
  const out: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) out.push(join(dir, entry.name));
  }
  return out.sort();
}

/** A cell error reported by the runner. */
export interface CellError {
  /** 1-based position among all cells, and among code cells. */
  readonly index: number;
  readonly codeIndex: number;
  readonly ename: string;
  readonly evalue: string;
  readonly traceback: string;
}

/** Result of {@linkcode executeNotebook}. */
export interface NotebookRun {
  readonly ok: boolean;
  readonly seconds: number;
  readonly codeCells: number;
  readonly error?: CellError;
  readonly stderr: string;
  /** Seconds each executed code cell took, keyed by its 1-based position among all cells. */
  readonly cellSeconds: Readonly<Record<number, number>>;
}

/**
 * Executes a notebook headless on the Deno kernel with cwd `notebooks/`, writing the executed copy to `output`
 * (and an HTML rendering to `html`). Calls `progress` before each code cell.
 */
export async function executeNotebook(opts: {
  python: string;
  input: string;
  output: string;
  html?: string;
  env?: Record<string, string>;
  progress?: (codeIndex: number, codeCells: number, elapsed: number) => void;
}): Promise<NotebookRun> {
  const args = [join(ROOT, "tools", "nbrun.py"), opts.input, "--output", opts.output, "--cwd", join(ROOT, "notebooks")];
  if (opts.html) args.push("--html", opts.html);
  const child = new Deno.Command(opts.python, {
    args,
    cwd: join(ROOT, "notebooks"),
    env: { ...opts.env, PYDEVD_DISABLE_FILE_VALIDATION: "1", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let codeCells = 0, seconds = 0, ok = false;
  let error: CellError | undefined;
  let cellSeconds: Record<number, number> = {};
  const stderrPromise = new Response(child.stderr).text();
  let buffer = "";
  for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line);
      } catch {
        continue;
      }
      if (event.event === "start") codeCells = event.code_cells as number;
      else if (event.event === "cell") opts.progress?.(event.code_index as number, codeCells, event.elapsed as number);
      else if (event.event === "error") {
        error = {
          index: event.index as number,
          codeIndex: event.code_index as number,
          ename: event.ename as string,
          evalue: event.evalue as string,
          traceback: event.traceback as string,
        };
      } else if (event.event === "done") {
        ok = event.ok as boolean;
        seconds = event.seconds as number;
        cellSeconds = (event.cell_seconds ?? {}) as Record<number, number>;
      }
    }
  }
  const status = await child.status;
  const stderr = await stderrPromise;
  const relevant = stderr.split("\n").filter((l) =>
    l.trim() &&
    !/Debugger warning|frozen modules|PYDEVD|Xfrozen_modules|Debugging will proceed|"deno jupyter" is unstable/.test(l)
  ).join("\n");
  if (!status.success && !error) {
    error = {
      index: 0,
      codeIndex: 0,
      ename: "RunnerError",
      evalue: `nbrun.py exited with ${status.code}`,
      traceback: relevant,
    };
  }
  return { ok: ok && status.success, seconds, codeCells, error, stderr: relevant, cellSeconds };
}

/** Counts chart outputs (SVG) of an executed notebook. */
export function countCharts(notebook: { cells: { outputs?: { data?: Record<string, unknown> }[] }[] }): number {
  let n = 0;
  for (const cell of notebook.cells) for (const o of cell.outputs ?? []) if (o.data?.["image/svg+xml"]) n++;
  return n;
}

/** Notebook title (first `# ` heading) and one-line summary (`metadata.creditlab.summary`). */
export function describeNotebook(notebook: {
  cells: { cell_type: string; source: string | string[] }[];
  metadata?: { creditlab?: { summary?: string } };
}, path: string): { title: string; summary: string } {
  const first = notebook.cells.find((c) => c.cell_type === "markdown");
  const text = first ? (Array.isArray(first.source) ? first.source.join("") : first.source) : "";
  const title = /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? basename(path, ".ipynb");
  return { title, summary: notebook.metadata?.creditlab?.summary ?? "" };
}

/** Formats seconds as `12.3 s` or `2 min 05 s`. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${String(Math.round(seconds - 60 * m)).padStart(2, "0")} s`;
}

/** A status line that rewrites itself on a terminal and prints sparingly in logs. */
export function progressLine(prefix: string): { update: (text: string) => void; done: (text: string) => void } {
  const tty = Deno.stdout.isTerminal();
  const encoder = new TextEncoder();
  let lastPrinted = -Infinity;
  return {
    update(text) {
      if (tty) {
        // One terminal row, so that the carriage return rewrites it instead of leaving wrapped fragments.
        let columns = 100;
        try {
          columns = Deno.consoleSize().columns;
        } catch { /* not a console after all */ }
        const line = `${prefix} ${text}`;
        Deno.stdout.writeSync(
          encoder.encode(`\r\x1b[2K${line.length < columns ? line : `${line.slice(0, columns - 2)}…`}`),
        );
      } else if (performance.now() - lastPrinted > 15_000) {
        console.log(`${prefix} ${text}`);
        lastPrinted = performance.now();
      }
    },
    done(text) {
      if (tty) Deno.stdout.writeSync(encoder.encode(`\r\x1b[2K`));
      console.log(`${prefix} ${text}`);
    },
  };
}

/** A notebook cell as far as the tools read it. */
export interface NotebookCell {
  cell_type: string;
  source: string | string[];
  metadata?: { tags?: string[]; [key: string]: unknown };
  outputs?: { data?: Record<string, unknown>; [key: string]: unknown }[];
  [key: string]: unknown;
}

/** A notebook as far as the tools read it. */
export interface NotebookJson {
  cells: NotebookCell[];
  metadata?: { creditlab?: { summary?: string; test_parameters?: Record<string, unknown> }; [key: string]: unknown };
  [key: string]: unknown;
}

/** One `const NAME = literal;` declaration of a notebook's `parameters` cell. */
export interface ParameterSpec {
  readonly name: string;
  /** The literal as written (without `as const` and the trailing comment). */
  readonly literal: string;
  /** Its value, or undefined when the literal is not a plain value (an expression of other constants). */
  readonly value: unknown;
  /** "number", "string", "boolean", "array", "object", or "expression" when the literal is not a plain value. */
  readonly type: string;
}

const cellText = (c: NotebookCell) => Array.isArray(c.source) ? c.source.join("") : c.source;

/** The position of the cell tagged `parameters`, or -1. */
export function parametersCellIndex(notebook: NotebookJson): number {
  return notebook.cells.findIndex((c) => c.metadata?.tags?.includes("parameters"));
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value;
}

/**
 * The top-level `const NAME = literal;` declarations of the notebook's `parameters` cell, in order. A literal is
 * evaluated as a JavaScript expression when it uses no identifier (numbers, strings, arrays, objects, booleans).
 */
export function notebookParameters(notebook: NotebookJson): ParameterSpec[] {
  const at = parametersCellIndex(notebook);
  if (at < 0) return [];
  const out: ParameterSpec[] = [];
  const source = cellText(notebook.cells[at]);
  const decl = /^(?:export\s+)?(?:const|let)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*([\s\S]*?);[ \t]*(?:\/\/[^\n]*)?$/gm;
  for (const m of source.matchAll(decl)) {
    const literal = m[2].replace(/\s+as\s+const\s*$/, "").trim();
    let value: unknown = undefined;
    let type = "expression";
    // A literal without identifiers (words outside strings other than true/false/null) is a plain value.
    const words = literal.replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, "").replace(/\b[\w$]+\s*:/g, "")
      .match(/\b[A-Za-z_$][\w$]*\b/g) ?? [];
    if (words.every((w) => w === "true" || w === "false" || w === "null")) {
      try {
        value = new Function(`"use strict"; return (${literal});`)();
        type = kindOf(value);
      } catch { /* not a plain literal */ }
    }
    out.push({ name: m[1], literal, value, type });
  }
  return out;
}

/** Parses one `NAME=VALUE` of `-p` against the parameter's default; throws SetupError with the reason. */
function parseValue(spec: ParameterSpec, raw: string, file: string): unknown {
  const article = /^[aeiou]/.test(spec.type) ? "an" : "a";
  const fail = (why: string) =>
    new SetupError(
      `-p ${spec.name}=${raw}: ${why} (${file}: the default is ${spec.name} = ${spec.literal}, ${article} ${spec.type})`,
    );
  switch (spec.type) {
    case "number": {
      const n = Number(raw.replace(/_/g, ""));
      if (raw.trim() === "" || !Number.isFinite(n)) throw fail("not a finite number");
      return n;
    }
    case "boolean":
      if (raw !== "true" && raw !== "false") throw fail("not true or false");
      return raw === "true";
    case "string":
      if (raw.startsWith('"')) {
        try {
          const s = JSON.parse(raw);
          if (typeof s === "string") return s;
        } catch { /* fall through */ }
        throw fail("not a JSON string");
      }
      return raw;
    case "array":
    case "object": {
      let v: unknown;
      try {
        v = JSON.parse(raw);
      } catch {
        throw fail(`not JSON (write it as JSON, e.g. ${JSON.stringify(spec.value)})`);
      }
      if (kindOf(v) !== spec.type) throw fail(`a ${kindOf(v)}, not ${article} ${spec.type}`);
      if (spec.type === "array" && (spec.value as unknown[]).length > 0) {
        const allowed = new Set((spec.value as unknown[]).map(kindOf));
        const bad = (v as unknown[]).find((x) => !allowed.has(kindOf(x)));
        if (bad !== undefined) {
          throw fail(`element ${JSON.stringify(bad)} is a ${kindOf(bad)}, not a ${[...allowed].join(" or ")}`);
        }
      }
      if (spec.type === "object") {
        const keys = new Set(Object.keys(spec.value as object));
        const unknown = Object.keys(v as object).filter((k) => !keys.has(k));
        if (unknown.length) throw fail(`unknown key ${unknown.map((k) => JSON.stringify(k)).join(", ")}`);
      }
      return v;
    }
    default:
      throw fail("this parameter is computed from others and cannot be set from the command line");
  }
}

/** The declared parameter a `-p` name refers to: the exact name, else the one equal ignoring case. */
export function findParameter(specs: readonly ParameterSpec[], key: string): ParameterSpec | undefined {
  return specs.find((s) => s.name === key) ?? specs.find((s) => s.name.toLowerCase() === key.toLowerCase());
}

/**
 * Resolves `-p NAME=VALUE` assignments against a notebook's `parameters` cell: names match the declared constants
 * case-insensitively (`band` sets `BAND`), values are parsed by the type of the default (a number, `true`/`false`,
 * a string as written, JSON for arrays and objects). Returns the declared name → value.
 * @throws {SetupError} On a malformed assignment, an unknown name or a value of the wrong type.
 */
export function resolveParameters(
  notebook: NotebookJson,
  assignments: readonly string[],
  file: string,
): Record<string, unknown> {
  if (assignments.length === 0) return {};
  const specs = notebookParameters(notebook);
  if (specs.length === 0) throw new SetupError(`${file} has no cell tagged \`parameters\`: -p cannot set anything`);
  const out: Record<string, unknown> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf("=");
    if (eq <= 0) {
      throw new SetupError(`-p ${assignment}: expected NAME=VALUE, e.g. -p ${specs[0].name}=${specs[0].literal}`);
    }
    const key = assignment.slice(0, eq).trim();
    const spec = findParameter(specs, key);
    if (!spec) {
      throw new SetupError(
        `-p ${assignment}: ${file} has no parameter ${JSON.stringify(key)}; its parameters are ${
          specs.map((s) => s.name).join(", ")
        }`,
      );
    }
    out[spec.name] = parseValue(spec, assignment.slice(eq + 1), file);
  }
  return out;
}

/**
 * The notebook with a cell `const NAME = value;` per entry injected right after the cell tagged `parameters`
 * (papermill's convention), tagged `injected-parameters`; the notebook itself when `values` is empty.
 * @throws {SetupError} If values are given and no cell is tagged `parameters`.
 */
export function injectParameters(
  notebook: NotebookJson,
  values: Readonly<Record<string, unknown>>,
  comment: string,
): NotebookJson {
  if (Object.keys(values).length === 0) return notebook;
  const at = parametersCellIndex(notebook);
  if (at < 0) throw new SetupError("parameters given but no cell is tagged `parameters`");
  const source = [
    `// ${comment}\n`,
    ...Object.entries(values).map(([k, v]) => `const ${k} = ${JSON.stringify(v)};\n`),
  ];
  const cells = [...notebook.cells];
  cells.splice(at + 1, 0, {
    cell_type: "code",
    source,
    metadata: { tags: ["injected-parameters"] },
    outputs: [],
    execution_count: null,
    id: "injected-parameters",
  });
  return { ...notebook, cells };
}
