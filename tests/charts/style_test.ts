import assert from "node:assert/strict";
import { ratingColors } from "../../lib/charts/style.ts";

Deno.test("ratingColors() runs from green to red with black for default", () => {
  const c = ratingColors(["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "D"]);
  assert.equal(c[0], "#005a32");
  assert.equal(c[7], "#111111");
  assert.equal(new Set(c).size, 8);
});
