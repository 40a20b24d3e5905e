import assert from "node:assert/strict";
import { join } from "node:path";
import { loadCreditSpreads, standInSource } from "../../lib/mod.ts";
import { ROOT } from "../../tools/jupyter.ts";

const README = Deno.readTextFileSync(join(ROOT, "README.md"));

/** The shell snippet of the README's "Building on lib/" section. */
function snippet(): string {
  const section = README.slice(README.indexOf("## Building on lib/"));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(block, "no sh block under ## Building on lib/");
  return block[1];
}

Deno.test("the README's snippet runs lib/ from a folder outside the clone", () => {
  const home = Deno.makeTempDirSync({ prefix: "creditlab-outside-" });
  assert.ok(!home.startsWith(ROOT));
  // The snippet as written, with the clone's path and a temporary home.
  const script = snippet().replace("CREDITLAB=/path/to/creditlab", `CREDITLAB=${ROOT}`);
  const out = new Deno.Command("sh", {
    args: ["-ec", script],
    env: { HOME: home, NO_COLOR: "1", PATH: `${Deno.execPath().replace(/\/[^/]+$/, "")}:${Deno.env.get("PATH")}` },
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const text = new TextDecoder().decode(out.stdout);
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const m = /^(\d+) days, mean high-yield spread (\d+) bp$/m.exec(text);
  assert.ok(m, text);
  // The same numbers computed here, inside the clone, from the same stand-in market.
  const spreads = loadCreditSpreads(standInSource());
  assert.equal(Number(m[1]), spreads.height);
  const hy = spreads.getColumn("BAMLH0A0HYM2").dropNulls().mean();
  assert.equal(Number(m[2]), Math.round(hy * 1e4));
  Deno.removeSync(home, { recursive: true });
});

Deno.test("a project outside the clone with its own deno.json of the clone's imports uses lib/ without --config", () => {
  const home = Deno.makeTempDirSync({ prefix: "creditlab-own-config-" });
  const config = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json")));
  const imports = { ...config.imports, creditlab: join(ROOT, "lib", "mod.ts") };
  Deno.writeTextFileSync(join(home, "deno.json"), JSON.stringify({ imports, nodeModulesDir: "auto" }, null, 1));
  Deno.writeTextFileSync(
    join(home, "study.ts"),
    'import { loadCreditSpreads, standInSource } from "creditlab";\nconsole.log(loadCreditSpreads(standInSource()).height);\n',
  );
  const out = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-all", "study.ts"],
    cwd: home,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  assert.equal(Number(new TextDecoder().decode(out.stdout).trim()), loadCreditSpreads(standInSource()).height);
  Deno.removeSync(home, { recursive: true });
});

Deno.test("the README points only at files inside the repository", () => {
  for (const name of ["API.md", "STYLE.md"]) assert.ok(!README.includes(name), name);
  for (const m of README.matchAll(/\]\(([^)#]+)\)/g)) {
    if (/^https?:/.test(m[1])) continue;
    assert.ok(Deno.statSync(join(ROOT, m[1])), m[1]);
  }
  assert.match(
    Deno.readTextFileSync(join(ROOT, "LICENSE")),
    /^MIT License\n\nCopyright \(c\) 2026 creditlab contributors/,
  );
});
