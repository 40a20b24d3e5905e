/**
 * The public boundary, fuzzed (issue: reliability). For every function and class exported by `lib/mod.ts`, the
 * fuzzer (fast-check, fixed seed, bounded runs) replaces one part of a valid call by an invalid value — NaN,
 * ±Infinity, a negative, fractional or huge number, an empty, shorter or longer array, a wrong type, a misspelt or
 * unknown option key, a missing field — and requires either a well-formed result without NaN or a `RangeError` /
 * `TypeError` (or, for files, a `MarketDataError`) in the house grammar `Cannot <action>: <name> …` that names an
 * argument or option of the function, within the case's time limit. A call that never returns is named and stopped.
 *
 * `FUZZ_RUNS=n` sets the runs per case (default 24), `FUZZ_SEED` the seed, `FUZZ_ONLY=a,b` a subset, and
 * `FUZZ_EXPLORE=1` lists every failing mutation instead of the first per case.
 * @module
 */
import assert from "node:assert/strict";
import * as lib from "../../lib/mod.ts";
import { CASES, EXEMPT } from "./cases.ts";
import type { WorkerMessage } from "./fuzz_runner.ts";

const RUNS = Number(Deno.env.get("FUZZ_RUNS") ?? 24);
const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 20261202);
const EXPLORE = Deno.env.get("FUZZ_EXPLORE") === "1";
const ONLY = Deno.env.get("FUZZ_ONLY")?.split(",").filter(Boolean);
/** Grace beyond a case's own time limit before a call counts as hung and the worker is stopped. */
const HANG_MS = 30_000;

const exported = Object.entries(lib).filter(([, v]) => typeof v === "function").map(([k]) => k).sort();

Deno.test("fuzz: every function and class of lib/mod.ts has a fuzz case or a stated exemption", () => {
  const missing = exported.filter((k) => !(k in CASES) && !(k in EXEMPT));
  assert.deepEqual(missing, [], `exports without a fuzz case: ${missing.join(", ")}`);
  const stale = Object.keys(CASES).filter((k) => !exported.includes(k));
  assert.deepEqual(stale, [], `fuzz cases of names that are not exported: ${stale.join(", ")}`);
});

interface Failure {
  name: string;
  mutation: string;
  problem: string;
}

/** Runs the cases in a child process; restarts it past a call that hangs or crashes (which is then a failure). */
async function fuzz(names: string[]): Promise<{ failures: Failure[]; calls: number }> {
  const failures: Failure[] = [];
  let calls = 0;
  let queue = names.slice();
  const runner = new URL("./fuzz_runner.ts", import.meta.url).pathname;
  while (queue.length > 0) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", "--quiet", runner, String(RUNS), String(SEED), EXPLORE ? "1" : "0", ...queue],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let current: { name: string; mutation: string; at: number } | null = null;
    let done = false, hung = false;
    const timer = setInterval(() => {
      if (!current) return;
      const limit = (CASES[current.name].timeoutMs ?? 4000) + HANG_MS;
      if (performance.now() - current.at > limit) hung = true, child.kill("SIGKILL");
    }, 500);
    const stderr = new Response(child.stderr).text();
    let buffer = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith("{")) continue;
        const m = JSON.parse(line) as WorkerMessage;
        if (m.type === "call") current = { name: m.name, mutation: m.mutation, at: performance.now() }, calls++;
        else if (m.type === "failure") failures.push({ name: m.name, mutation: m.mutation, problem: m.problem });
        else if (m.type === "done") done = true;
      }
    }
    const status = await child.status;
    clearInterval(timer);
    const errText = await stderr;
    if (done) break;
    const c = current as { name: string; mutation: string } | null;
    if (hung && c) failures.push({ ...c, problem: "did not return (hang)" });
    else if (c) failures.push({ ...c, problem: `crashed the process (code ${status.code}): ${errText.slice(-400)}` });
    else throw new Error(`the fuzz runner failed to start: ${errText}`);
    queue = queue.slice(queue.indexOf(c.name) + 1);
  }
  return { failures, calls };
}

Deno.test({
  name: "fuzz: invalid arguments to every export give a clear RangeError/TypeError or a well-formed result",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const names = Object.keys(CASES).filter((k) => !ONLY || ONLY.includes(k));
    const { failures, calls } = await fuzz(names);
    const lines = failures.map((f) => `${f.name}: ${f.mutation} → ${f.problem}`);
    if (EXPLORE) console.log(lines.join("\n"));
    assert.deepEqual(lines, [], `${failures.length} failures over ${names.length} exports:\n${lines.join("\n")}`);
    assert.ok(calls > names.length, `only ${calls} calls were made`);
  },
});
