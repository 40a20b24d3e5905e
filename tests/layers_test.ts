/**
 * The layer rule of `lib/`, kept by a test: every import in `lib/` points to the same layer or one below it, charts
 * stay a leaf, there is no cycle between files, and nothing in `lib/` reads the environment. The order is the one
 * `lib/mod.ts` and `lib/README.md` document.
 */
import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** Rank of each layer (folder of lib/): a file may import from its own layer or a lower rank. */
export const LAYERS: Readonly<Record<string, number>> = {
  core: 0,
  data: 1,
  market: 2,
  credit: 3,
  synthetic: 4,
  signals: 5,
  portfolio: 6,
  ml: 6,
  backtest: 7,
  strategies: 8,
};

/** Charts are a leaf on plain arrays: they import only themselves and core. */
const CHARTS_MAY_IMPORT = new Set(["charts", "core"]);

const LIB = join(dirname(fileURLToPath(import.meta.url)), "..", "lib");

/** Source without comments, so that imports shown in JSDoc examples are not read as imports. */
export function stripComments(source: string): string {
  let out = "", i = 0;
  let quote: string | null = null;
  while (i < source.length) {
    const c = source[i], d = source[i + 1];
    if (quote) {
      out += c;
      if (c === "\\") (out += d ?? ""), i++;
      else if (c === quote) quote = null;
      i++;
    } else if (c === "/" && d === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? source.length : end + 2;
    } else if (c === "/" && d === "/") {
      const end = source.indexOf("\n", i);
      i = end < 0 ? source.length : end;
    } else {
      if (c === '"' || c === "'" || c === "`") quote = c;
      out += c;
      i++;
    }
  }
  return out;
}

/** The relative module specifiers a file imports or re-exports (static `import … from`, `export … from`). */
export function importsOf(source: string): string[] {
  const code = stripComments(source);
  const found: string[] = [];
  for (const m of code.matchAll(/(?:^|[;\n])\s*(?:import|export)\b[^;'"`]*?\bfrom\s*["']([^"']+)["']/g)) {
    found.push(m[1]);
  }
  for (const m of code.matchAll(/(?:^|[;\n])\s*import\s*["']([^"']+)["']/g)) found.push(m[1]);
  for (const m of code.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) found.push(m[1]);
  return found.filter((s) => s.startsWith("."));
}

/** The layer (folder under lib/) of a path relative to lib/, or "" for lib/mod.ts. */
function layerOf(path: string): string {
  const parts = path.split("/");
  return parts.length > 1 ? parts[0] : "";
}

/** Every rule broken by one import from `from` to `to` (paths relative to lib/). */
export function violations(from: string, to: string): string[] {
  const a = layerOf(from), b = layerOf(to);
  if (a === "") return []; // lib/mod.ts names the public surface of every layer
  if (b === "") return [`${from} imports lib/mod.ts: import the module that defines the name`];
  if (a === "charts") {
    return CHARTS_MAY_IMPORT.has(b) ? [] : [`${from} imports ${to}: charts may import only charts and core`];
  }
  if (b === "charts") return [`${from} imports ${to}: only lib/mod.ts and notebooks use charts`];
  if (!(a in LAYERS)) return [`${from} is in lib/${a}/, which is not a layer (${Object.keys(LAYERS).join(", ")})`];
  if (!(b in LAYERS)) return [`${to} is in lib/${b}/, which is not a layer`];
  if (LAYERS[b] > LAYERS[a]) return [`${from} (${a}) imports ${to} (${b}), a layer above it`];
  if (LAYERS[b] === LAYERS[a] && a !== b) return [`${from} (${a}) imports ${to} (${b}), a peer layer`];
  return [];
}

function libFiles(dir = LIB): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...libFiles(path));
    else if (entry.name.endsWith(".ts")) out.push(relative(LIB, path));
  }
  return out.sort();
}

function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of libFiles()) {
    const source = Deno.readTextFileSync(join(LIB, file));
    edges.set(file, importsOf(source).map((spec) => normalize(join(dirname(file), spec))));
  }
  return edges;
}

Deno.test("stripComments() and importsOf() read real imports only, not those of JSDoc examples or strings", () => {
  const source = [
    "/**",
    ' * import { x } from "../backtest/kernel.ts";',
    " */",
    'import { a } from "./a.ts";',
    "import type { B } from '../core/b.ts';",
    'export { c } from "./c.ts";',
    "export * from './d.ts';",
    'import {\n  e,\n  f,\n} from "./ef.ts";',
    'const s = "import { y } from \\"./y.ts\\"";',
    '// import { z } from "./z.ts";',
    'import pl from "nodejs-polars";',
  ].join("\n");
  assert.deepEqual(importsOf(source), ["./a.ts", "../core/b.ts", "./c.ts", "./d.ts", "./ef.ts"]);
});

Deno.test("violations() refuses imports up the layers, across peers, into charts and out of charts", () => {
  assert.deepEqual(violations("market/ou.ts", "core/rng.ts"), []);
  assert.deepEqual(violations("backtest/kernel.ts", "market/cds.ts"), []);
  assert.deepEqual(violations("mod.ts", "charts/bar.ts"), []);
  assert.equal(violations("data/load.ts", "synthetic/standin.ts").length, 1);
  assert.equal(violations("market/curve.ts", "credit/merton.ts").length, 1);
  assert.equal(violations("portfolio/optimize.ts", "ml/forest.ts").length, 1);
  assert.equal(violations("credit/states.ts", "charts/heatmap.ts").length, 1);
  assert.equal(violations("charts/overlay.ts", "backtest/summary.ts").length, 1);
  assert.equal(violations("overlay/backtest.ts", "core/check.ts").length, 1);
  assert.equal(violations("signals/cdx.ts", "mod.ts").length, 1);
});

Deno.test("every import in lib/ runs down the layers (core ← data ← market ← credit ← synthetic ← signals ← backtest; charts a leaf)", () => {
  const broken: string[] = [];
  for (const [file, targets] of graph()) for (const to of targets) broken.push(...violations(file, to));
  assert.deepEqual(broken, []);
});

Deno.test("lib/ has no import cycle between files", () => {
  const edges = graph();
  const state = new Map<string, 1 | 2>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    state.set(file, 1);
    for (const to of edges.get(file) ?? []) {
      if (state.get(to) === 1) cycles.push([...path.slice(path.indexOf(to)), to].join(" → "));
      else if (!state.has(to)) visit(to, [...path, to]);
    }
    state.set(file, 2);
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file, [file]);
  assert.deepEqual(cycles, []);
});

Deno.test("nothing in lib/ reads the environment: data sources, seeds and options come in as arguments", () => {
  const readers = libFiles().filter((file) =>
    /Deno\.env\b/.test(stripComments(Deno.readTextFileSync(join(LIB, file))))
  );
  assert.deepEqual(readers, []);
});
