/**
 * Runner of the fuzz test (`mod_fuzz_test.ts`), a child process (polars' native addon does not run in a Worker):
 * runs the property of every case named in its arguments and writes each call as a JSON line before making it, so
 * that the test can name a call that never returns and stop the process.
 *
 *     deno run --allow-all tests/fuzz/fuzz_runner.ts <runs> <seed> <explore 0|1> <name> [name …]
 * @module
 */
import fc from "fast-check";
import pl from "nodejs-polars";
import * as lib from "../../lib/mod.ts";
import { CASES, type FuzzCase } from "./cases.ts";

/** A line to the test. */
export type WorkerMessage =
  | { type: "call"; name: string; mutation: string }
  | { type: "failure"; name: string; mutation: string; problem: string }
  | { type: "case"; name: string; runs: number }
  | { type: "done" };

type Path = readonly (string | number)[];

interface Site {
  readonly path: Path;
  readonly value: unknown;
}

interface Mutant {
  readonly label: string;
  readonly value: unknown;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  // polars DataFrames and Series are object literals (a DataFrame a Proxy whose keys are its columns): not options.
  return typeof (v as { getColumns?: unknown }).getColumns !== "function" && !("_s" in v);
}

/** Every part of the arguments that the fuzzer may replace: arguments, option fields, array elements (first, last). */
function sites(args: unknown[], frozen: readonly string[]): Site[] {
  const out: Site[] = [];
  const walk = (value: unknown, path: Path, depth: number) => {
    if (frozen.includes(path.join("."))) return;
    out.push({ path, value });
    if (depth >= 3) return;
    if (Array.isArray(value)) {
      if (value.length > 0) walk(value[0], [...path, 0], depth + 1);
      if (value.length > 1) walk(value[value.length - 1], [...path, value.length - 1], depth + 1);
    } else if (isPlain(value)) {
      for (const key of Object.keys(value)) walk(value[key], [...path, key], depth + 1);
    }
  };
  args.forEach((a, i) => walk(a, [i], 0));
  return out;
}

/** A misspelling of an option key: two letters swapped, as a typist does (`width` → `widht`). */
function typo(key: string): string {
  if (key.length < 3) return `${key}z`;
  const i = key.length - 2;
  const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
  return swapped === key ? `${key}z` : swapped;
}

function mutants(value: unknown): Mutant[] {
  const m = (label: string, v: unknown): Mutant => ({ label, value: v });
  if (typeof value === "number") {
    return [
      m("NaN", NaN),
      m("Infinity", Infinity),
      m("-Infinity", -Infinity),
      m("-1", -1),
      m("0", 0),
      m("0.5", 0.5),
      m("2.5", 2.5),
      m("1e12", 1e12),
      m("-1e-12", -1e-12),
      m('"1"', "1"),
      m("null", null),
    ];
  }
  if (typeof value === "string") return [m('""', ""), m('"zz-nonsense"', "zz-nonsense"), m("7", 7), m("null", null)];
  if (typeof value === "boolean") return [m('"yes"', "yes"), m("1", 1), m("null", null)];
  if (value instanceof Date) {
    return [m("an invalid Date", new Date(NaN)), m('"2015-02-30"', "2015-02-30"), m("7", 7)];
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const a = value as unknown as Float64Array;
    const ctor = a.constructor as Float64ArrayConstructor;
    const withNaN = ctor.from(a);
    if (withNaN.length > 0) withNaN[0] = NaN;
    return [
      m("an empty typed array", new ctor(0)),
      m("one element shorter", a.slice(0, Math.max(0, a.length - 1))),
      m("one element longer", ctor.from([...a, a[a.length - 1] ?? 0])),
      m("NaN first", withNaN),
      m('"x"', "x"),
      m("null", null),
    ];
  }
  if (Array.isArray(value)) {
    const out = [
      m("[]", []),
      m("one element shorter", value.slice(0, -1)),
      m("one element longer", [...value, value[value.length - 1]]),
      m('"x"', "x"),
      m("null", null),
    ];
    if (typeof value[0] === "number") out.push(m("NaN first", [NaN, ...value.slice(1)]));
    return out;
  }
  if (isPlain(value)) {
    const keys = Object.keys(value);
    const out = [m("null", null), m("7", 7), m("an unknown key zzFuzz", { ...value, zzFuzz: 1 })];
    if (keys.length > 0) {
      const k = keys[0];
      const { [k]: moved, ...rest } = value;
      out.push(m(`${k} misspelt ${typo(k)}`, { ...rest, [typo(k)]: moved }));
      out.push(m(`without ${k}`, rest));
    }
    return out;
  }
  if (typeof value === "function") return [m("null", null), m("7", 7)];
  if (value === undefined) return [m('""', ""), m("7", 7), m("{}", {})];
  return [m("null", null), m("{}", {}), m("7", 7)];
}

/** The arguments with the value at `path` replaced, copying (never mutating) each container along the path. */
function replaced(root: unknown[], path: Path, value: unknown): unknown[] {
  const set = (node: unknown, i: number): unknown => {
    if (i === path.length) return value;
    const key = path[i];
    if (Array.isArray(node)) {
      const copy = node.slice();
      copy[key as number] = set(node[key as number], i + 1);
      return copy;
    }
    const obj = node as Record<string, unknown>;
    return { ...obj, [key]: set(obj[key as string], i + 1) };
  };
  return set(root, 0) as unknown[];
}

/** Parameter names of a function or a class constructor, read from its source. */
export function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const text = Function.prototype.toString.call(fn);
  const at = text.startsWith("class") ? text.indexOf("constructor(") : text.indexOf("(");
  if (at < 0) return [];
  let depth = 0, end = at;
  for (let i = at; i < text.length; i++) {
    if ("([{".includes(text[i])) depth++;
    else if (")]}".includes(text[i]) && --depth === 0) {
      end = i;
      break;
    }
  }
  const inner = text.slice(text.indexOf("(", at) + 1, end);
  return [...inner.matchAll(/([A-Za-z_$][\w$]*)\s*(?=[,=}:)]|$)/g)].map((x) => x[1]);
}

/** Keys of the plain objects in the arguments: option names a message may cite. */
function keysOf(args: unknown[]): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, depth: number) => {
    if (depth > 4) return;
    if (Array.isArray(v)) v.slice(0, 2).forEach((x) => walk(x, depth + 1));
    else if (isPlain(v)) {
      for (const [k, x] of Object.entries(v)) out.add(k), walk(x, depth + 1);
    }
  };
  args.forEach((a) => walk(a, 0));
  return out;
}

/** Messages of the JavaScript engine or a dependency, not of creditlab: they name no argument of the caller. */
const ENGINE = new RegExp(
  [
    "Cannot read propert",
    "Cannot set propert",
    "is not a function",
    "is not iterable",
    "is not a constructor",
    "Invalid time value",
    "Invalid array length",
    "Invalid typed array length",
    "Maximum call stack",
    "Cannot convert (undefined|null|a Symbol|a BigInt|object)",
    "Cannot destructure",
    "Cannot mix BigInt",
    "Reduce of empty array",
    "toFixed\\(\\) digits",
    "is not defined",
    "Array buffer allocation failed",
    "out of memory",
  ].join("|"),
);

/** Why an error is not a clear refusal, or null when it is one. */
function errorProblem(error: unknown, names: ReadonlySet<string>): string | null {
  if (!(error instanceof Error)) return `threw a non-Error ${String(error)}`;
  const text = `${error.name}: ${error.message.split("\n")[0].slice(0, 300)}`;
  const clearType = error instanceof RangeError || error instanceof TypeError || error instanceof lib.MarketDataError;
  if (!clearType) return `threw ${text}`;
  if (ENGINE.test(error.message)) return `an engine error: ${text}`;
  // A file defect names its file, line and column instead of an argument.
  if (error instanceof lib.MarketDataError) return null;
  if (!/^Cannot [^:]+: /.test(error.message)) {
    return `a message outside the house grammar ("Cannot <action>: <name> …"): ${text}`;
  }
  const words = new Set(error.message.match(/[A-Za-z_$][\w$]*/g) ?? []);
  for (const n of names) if (words.has(n)) return null;
  return `a message that names no argument (${[...names].slice(0, 8).join(", ")}…): ${text}`;
}

/** A polars DataFrame, by its methods (`instanceof pl.DataFrame` would call polars' constructor on the value). */
function isDataFrame(v: object): v is pl.DataFrame {
  return typeof (v as pl.DataFrame).getColumns === "function" && typeof (v as pl.DataFrame).height === "number";
}

/** Why a result is not finite and well-formed, or null. */
function resultProblem(result: unknown, nanOk: boolean): string | null {
  if (result instanceof Promise) return "returned a Promise (not fuzzed)";
  if (nanOk) return null;
  const seen = new Set<unknown>();
  const walk = (v: unknown, path: string, depth: number): string | null => {
    if (typeof v === "number") return Number.isNaN(v) ? `NaN at ${path}` : null;
    if (v === null || typeof v !== "object" || seen.has(v) || depth > 5) return null;
    seen.add(v);
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const a = v as unknown as ArrayLike<number>;
      for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i])) return `NaN at ${path}[${i}]`;
      return null;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < Math.min(v.length, 10_000); i++) {
        const p = walk(v[i], `${path}[${i}]`, depth + 1);
        if (p) return p;
      }
      return null;
    }
    if (isDataFrame(v)) {
      for (const s of v.getColumns()) {
        if (s.isFloat() && (s.toArray() as number[]).some((x) => Number.isNaN(x))) {
          return `NaN in column ${path}.${s.name}`;
        }
      }
      return null;
    }
    if (isPlain(v)) {
      for (const [k, x] of Object.entries(v)) {
        const p = walk(x, `${path}.${k}`, depth + 1);
        if (p) return p;
      }
    }
    return null;
  };
  return walk(result, "result", 0);
}

function callOf(name: string, c: FuzzCase): (...args: unknown[]) => unknown {
  if (c.call) return c.call;
  const fn = (lib as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
  const isClass = Function.prototype.toString.call(fn).startsWith("class");
  return isClass ? (...args: unknown[]) => new (fn as unknown as new (...a: unknown[]) => unknown)(...args) : fn;
}

function describe(path: Path, label: string): string {
  return `argument ${path[0]}${
    path.slice(1).map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("")
  } = ${label}`;
}

function runCase(name: string, c: FuzzCase, runs: number, seed: number, explore: boolean) {
  const post = emit;
  const call = callOf(name, c);
  const fn = (lib as Record<string, unknown>)[name] as (...args: never[]) => unknown;
  const base = c.args();
  const names = new Set([...parameterNames(fn), ...keysOf(base), ...(c.names ?? [])]);
  const limit = c.timeoutMs ?? 4000;
  const attempt = (args: unknown[], mutation: string, valid: boolean): string | null => {
    post({ type: "call", name, mutation });
    const t0 = performance.now();
    let problem: string | null;
    try {
      problem = resultProblem(call(...args), c.nanOk !== undefined);
      if (problem && valid) problem = `the valid call: ${problem}`;
    } catch (error) {
      problem = valid ? `the valid call threw ${(error as Error)?.message ?? error}` : errorProblem(error, names);
    }
    const ms = performance.now() - t0;
    if (!problem && ms > limit) problem = `took ${Math.round(ms)} ms (limit ${limit} ms)`;
    return problem;
  };
  const first = attempt(base, "none (the valid call)", true);
  if (first) {
    post({ type: "failure", name, mutation: "none (the valid call)", problem: first });
    return;
  }
  const all = sites(base, c.frozen ?? []);
  const n = Math.min(c.runs ?? runs, runs);
  post({ type: "case", name, runs: n });
  const arb = fc.tuple(fc.nat({ max: all.length - 1 }), fc.nat({ max: 1000 }));
  const result = fc.check(
    fc.property(arb, ([s, k]) => {
      const site = all[s];
      const options = mutants(site.value);
      const mutant = options[k % options.length];
      const mutation = describe(site.path, mutant.label);
      const problem = attempt(replaced(c.args(), site.path, mutant.value), mutation, false);
      if (problem) {
        post({ type: "failure", name, mutation, problem });
        return explore;
      }
      return true;
    }),
    { seed, numRuns: n, endOnFailure: true },
  );
  void result;
}

const encoder = new TextEncoder();

function emit(m: WorkerMessage): void {
  Deno.stdout.writeSync(encoder.encode(JSON.stringify(m) + "\n"));
}

if (import.meta.main) {
  const [runs, seed, explore, ...names] = Deno.args;
  for (const name of names) {
    const c = CASES[name];
    try {
      runCase(name, c, Number(runs), Number(seed), explore === "1");
    } catch (error) {
      emit({
        type: "failure",
        name,
        mutation: "(harness)",
        problem: `the fuzzer failed: ${(error as Error)?.stack ?? error}`,
      });
    }
  }
  emit({ type: "done" });
}
