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

function which(program: string): string | null {
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
      } else if (event.event === "done") (ok = event.ok as boolean), (seconds = event.seconds as number);
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
  return { ok: ok && status.success, seconds, codeCells, error, stderr: relevant };
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
      if (tty) Deno.stdout.writeSync(encoder.encode(`\r\x1b[2K${prefix} ${text}`));
      else if (performance.now() - lastPrinted > 15_000) {
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
