import assert from "node:assert/strict";
import { formatBp, formatNumber, formatPercent, ratingColors } from "../../lib/charts/style.ts";

Deno.test("ratingColors() runs from green to red with black for default", () => {
  const c = ratingColors(["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "D"]);
  assert.equal(c[0], "#005a32");
  assert.equal(c[7], "#111111");
  assert.equal(new Set(c).size, 8);
});

Deno.test("number formats refuse decimals outside [0, 20] in the house grammar (not Intl's message)", () => {
  assert.equal(formatNumber(1234.5, 1), "1,234.5");
  assert.equal(formatPercent(0.0123, 1), "1.2%");
  assert.equal(formatBp(0.0123), "123 bp");
  for (
    const [f, action] of [[formatNumber, "format number"], [formatPercent, "format percent"], [
      formatBp,
      "format basis points",
    ]] as const
  ) {
    for (const decimals of [-1, Infinity, 2.5]) {
      assert.throws(() => f(0.01, decimals), {
        name: "RangeError",
        message: `Cannot ${action}: decimals must be an integer in [0, 20], received ${decimals}`,
      });
    }
  }
  assert.throws(() => ratingColors(null as never), {
    name: "TypeError",
    message: "Cannot pick rating colours: labels must be an array of rating labels, received null",
  });
});
