// lib/charts is a leaf layer: it takes plain arrays and imports nothing from lib/ but lib/charts and lib/core.
import assert from "node:assert/strict";

const dir = new URL("../../lib/charts/", import.meta.url);

Deno.test("lib/charts imports only lib/charts, lib/core and npm packages", () => {
  const files = [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name.endsWith(".ts")).map((e) => e.name);
  assert.ok(files.length > 5);
  for (const file of files) {
    const source = Deno.readTextFileSync(new URL(file, dir));
    for (const [, specifier] of source.matchAll(/^\s*(?:import|export)\b[^"';]*?from\s+"([^"]+)"/gm)) {
      const ok = /^\.\/[a-z_]+\.ts$/.test(specifier) || /^\.\.\/core\/[a-z_]+\.ts$/.test(specifier) ||
        !specifier.startsWith(".");
      assert.ok(ok, `${file} imports ${specifier}`);
    }
  }
});
