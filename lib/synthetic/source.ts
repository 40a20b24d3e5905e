/**
 * The one resolver of the market-data setting, and the synthetic stand-in as a data source.
 *
 * | `CREDITLAB_DATA`   | source                                                                            |
 * |--------------------|-----------------------------------------------------------------------------------|
 * | unset or empty     | `data/market/` of the repository if it holds CSV files, else the stand-in         |
 * | `synthetic`        | the synthetic stand-in market ({@linkcode standInSource})                         |
 * | a directory        | that directory (relative paths are taken from the repository root); it must exist |
 *
 * Nothing in `lib/` reads the environment: a notebook, a tool or a server passes the setting in once, at the top,
 * `resolveMarketData(Deno.env.get("CREDITLAB_DATA"))`, and hands the source to every loader and model helper.
 * @module
 */
import { MARKET_FILES, type MarketFileName } from "../data/schema.ts";
import { validateTable } from "../data/table.ts";
import {
  DEFAULT_DATA_DIR,
  directorySource,
  holdsCsv,
  type MarketDataSource,
  type SyntheticSource,
} from "../data/source.ts";
import { requireSeed } from "../core/check.ts";
import type { Seed } from "../core/rng.ts";
import { standInTable } from "./standin.ts";

/** Seed of the synthetic stand-in market that notebooks see when no real data is present. */
export const STAND_IN_SEED = "creditlab-stand-in";

/**
 * The synthetic stand-in market as a data source: each table is simulated once per seed (see `standin.ts`) and
 * checked against the schema of the real file.
 *
 * @param seed Seed of the market (default {@linkcode STAND_IN_SEED}).
 * @param reason Why the stand-in is used, shown in the data banner.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { standInSource } from "./source.ts";
 *
 * const source = standInSource("doc");
 * assert.equal(source.kind, "synthetic");
 * assert.deepEqual(source.readTable("vix").columns, ["date", "VIXCLS"]);
 * ```
 */
export function standInSource(seed: Seed = STAND_IN_SEED, reason = "the stand-in was asked for"): SyntheticSource {
  requireSeed("open stand-in market", "seed", seed);
  return {
    kind: "synthetic",
    seed,
    label: "synthetic stand-in market",
    reason,
    readTable(name: MarketFileName) {
      const spec = MARKET_FILES[name];
      return validateTable(standInTable(name, seed), spec, `${spec.file} (synthetic stand-in)`);
    },
  };
}

/**
 * Resolves the market-data setting (the value of `CREDITLAB_DATA`, see the module table) into a source.
 *
 * @param setting The setting; `undefined` or `""` when unset.
 * @throws {MarketDataError} If the setting names a directory that does not exist.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveMarketData } from "./source.ts";
 *
 * assert.equal(resolveMarketData("synthetic").kind, "synthetic");
 * assert.equal(resolveMarketData("tests/fixtures/market").kind, "real");
 * ```
 */
export function resolveMarketData(setting: string | undefined): MarketDataSource {
  if (setting !== undefined && typeof setting !== "string") {
    throw new TypeError(
      `Cannot resolve market data: setting must be a string or undefined, received ${typeof setting}`,
    );
  }
  const value = setting?.trim() ?? "";
  if (value === "synthetic") return standInSource(STAND_IN_SEED, "CREDITLAB_DATA=synthetic");
  if (value === "") {
    if (holdsCsv(DEFAULT_DATA_DIR)) return directorySource(DEFAULT_DATA_DIR);
    return standInSource(STAND_IN_SEED, "no real data: CREDITLAB_DATA is unset and data/market/ holds no CSV files");
  }
  return directorySource(value, "CREDITLAB_DATA");
}
