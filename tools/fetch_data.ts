/**
 * `deno task data:fetch` — downloads the public market-data series into `data/market/` (git-ignored), or into the
 * directory named by CREDITLAB_DATA.
 *
 *     deno task data:fetch                      every series with a public endpoint
 *     deno task data:fetch --only=vix,hyg       some files (short names of lib/data/schema.ts)
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { fetchMarketData, OfflineError } from "../lib/data/fetch.ts";
import { DEFAULT_DATA_DIR, REPO_ROOT } from "../lib/data/source.ts";
import { MARKET_FILES, type MarketFileName } from "../lib/data/schema.ts";

const setting = Deno.env.get("CREDITLAB_DATA")?.trim();
const dir = !setting || setting === "synthetic"
  ? DEFAULT_DATA_DIR
  : isAbsolute(setting)
  ? setting
  : resolve(REPO_ROOT, setting);
const onlyArg = Deno.args.find((a) => a.startsWith("--only="));
const only = onlyArg?.slice(7).split(",").filter(Boolean) as MarketFileName[] | undefined;
for (const name of only ?? []) {
  if (!(name in MARKET_FILES)) {
    console.error(
      `data:fetch: --only must list file names among ${Object.keys(MARKET_FILES).join(", ")}, received ${name}`,
    );
    Deno.exit(2);
  }
}
console.log(`data:fetch → ${dir}`);
try {
  const report = await fetchMarketData({ dir, only, log: (line) => console.log(line) });
  console.log(
    `\n${report.written.length} files written, ${report.skipped.length} skipped, ${report.failed.length} failed.`,
  );
  for (const f of report.failed) console.log(`  failed: ${f.file}: ${f.error}`);
  if (report.written.length) {
    console.log("Licences: most series are their owners' copyright; keep them out of git (data/market/ is ignored).");
  }
  Deno.exit(report.failed.length ? 1 : 0);
} catch (error) {
  if (error instanceof OfflineError) {
    console.error(`\n${error.message}`);
    Deno.exit(2);
  }
  throw error;
}
