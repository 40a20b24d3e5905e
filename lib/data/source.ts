/**
 * Where market data comes from: a {@linkcode MarketDataSource} is an object that reads the kit's market-data tables
 * by their short name (`MARKET_FILES` in `schema.ts`). Loaders and model helpers take a source as an argument and
 * never look at the environment; the one resolver that turns the `CREDITLAB_DATA` setting into a source is
 * `resolveMarketData` in `lib/synthetic/source.ts` (it needs the stand-in market, which is built from the models
 * above this layer). A web server or a test constructs its sources directly:
 *
 *     directorySource("../shared/data")      the CSV files of a directory, read strictly (see `table.ts`)
 *     standInSource(seed)                    the synthetic stand-in market (lib/synthetic/source.ts)
 *
 * Real market data is its owners' copyright and never enters the repository (`data/market/` is git-ignored).
 * @module
 */
import type pl from "nodejs-polars";
import { fileURLToPath } from "node:url";
import { isAbsolute, join, relative, resolve } from "node:path";
import { MARKET_FILES, type MarketFileName } from "./schema.ts";
import { MarketDataError, readTable } from "./table.ts";
import { describeValue, rangeError, requireString } from "../core/check.ts";

/** Root directory of the creditlab repository (this file is `lib/data/source.ts`). */
export const REPO_ROOT: string = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

/** Default market-data directory, git-ignored: where `deno task data:fetch` writes. */
export const DEFAULT_DATA_DIR: string = join(REPO_ROOT, "data", "market");

/** A directory of real market-data CSV files. */
export interface DirectorySource {
  readonly kind: "real";
  /** Absolute path of the directory. */ readonly dir: string;
  /** What a reader is told: "real market data from <dir relative to the repository>". */ readonly label: string;
  /** One table by its short name, validated against its schema, in the file's published units. */
  readTable(name: MarketFileName): pl.DataFrame;
}

/** The synthetic stand-in market (built by `lib/synthetic/source.ts`). */
export interface SyntheticSource {
  readonly kind: "synthetic";
  /** Seed of the simulated market. */ readonly seed: number | string;
  readonly label: string;
  /** Why the stand-in is used (e.g. "CREDITLAB_DATA=synthetic"). */ readonly reason: string;
  /** One simulated table, validated against the schema of the real file, in its published units. */
  readTable(name: MarketFileName): pl.DataFrame;
}

/** Where market data comes from: a directory of real files, or the synthetic stand-in. */
export type MarketDataSource = DirectorySource | SyntheticSource;

/**
 * A source reading the CSV files of a directory. A relative path is taken from the repository root.
 *
 * @param dir The directory, absolute or relative to the repository root.
 * @param what What the directory is called in messages (default `"market-data directory"`).
 * @throws {TypeError} If `dir` or `what` is not a non-empty string.
 * @throws {MarketDataError} If the directory does not exist. A missing or malformed file is reported when its table
 *   is read, with the file, the line and the column.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { directorySource } from "./source.ts";
 *
 * const source = directorySource("tests/fixtures/market");
 * assert.equal(source.label, "real market data from tests/fixtures/market");
 * assert.ok(source.readTable("vix").height > 0);
 * ```
 */
export function directorySource(dir: string, what = "market-data directory"): DirectorySource {
  if (typeof dir !== "string" || dir.trim() === "") {
    throw new TypeError(`Cannot open market data: dir must be a non-empty path, received ${describeValue(dir)}`);
  }
  requireString("open market data", "what", what);
  const path = isAbsolute(dir) ? dir : resolve(REPO_ROOT, dir);
  let isDir = false;
  try {
    isDir = Deno.statSync(path).isDirectory;
  } catch { /* reported below */ }
  if (!isDir) {
    throw new MarketDataError(
      `Cannot load market data: ${what} must name an existing directory (relative paths start at the ` +
        `repository root) or "synthetic", received ${JSON.stringify(dir)}`,
    );
  }
  const rel = relative(REPO_ROOT, path);
  return {
    kind: "real",
    dir: path,
    label: `real market data from ${rel === "" ? "." : rel}`,
    readTable(name: MarketFileName): pl.DataFrame {
      if (typeof name !== "string" || !Object.hasOwn(MARKET_FILES, name)) {
        throw rangeError("read market table", "name", `one of ${Object.keys(MARKET_FILES).join(", ")}`, name);
      }
      const spec = MARKET_FILES[name];
      const file = join(path, spec.file);
      try {
        Deno.statSync(file);
      } catch {
        throw new MarketDataError(
          `Cannot load ${spec.file}: the file must exist in the market-data directory ${path} ` +
            `(run \`deno task data:fetch\`, or set CREDITLAB_DATA=synthetic for the stand-in), received no such file`,
        );
      }
      return readTable(file, spec);
    },
  };
}

/** True when `dir` holds at least one CSV file (used to decide whether `data/market/` holds real data). */
export function holdsCsv(dir: string): boolean {
  try {
    for (const entry of Deno.readDirSync(dir)) if (entry.isFile && entry.name.endsWith(".csv")) return true;
  } catch { /* no directory */ }
  return false;
}

/** Checks that `source` is a market-data source, for the loaders and model helpers that take one. */
export function requireSource(action: string, source: unknown, name = "source"): MarketDataSource {
  const s = source as Partial<MarketDataSource> | null;
  if (
    s === null || typeof s !== "object" || (s.kind !== "real" && s.kind !== "synthetic") ||
    typeof s.readTable !== "function"
  ) {
    throw new TypeError(
      `Cannot ${action}: ${name} must be a market-data source (resolveMarketData, directorySource or ` +
        `standInSource), received ${describeValue(source)}`,
    );
  }
  return s as MarketDataSource;
}

/** The option of every model helper that reads market data: where the data comes from (required). */
export interface SourceOption {
  /** The market-data source (from `resolveMarketData`, `directorySource` or `standInSource`). */
  readonly source: MarketDataSource;
}
