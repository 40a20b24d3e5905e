/**
 * Shared assertions of the test suite.
 * @module
 */
import assert from "node:assert/strict";

/** Tolerances of {@linkcode assertClose}: |actual − expected| ≤ atol + rtol·|expected|. Always named. */
export interface Tolerance {
  readonly rtol?: number;
  readonly atol?: number;
}

/** Asserts |actual − expected| ≤ atol + rtol·|expected| (defaults 0), with both numbers in the message. */
export function assertClose(actual: number, expected: number, tol: Tolerance, message = ""): void {
  const { rtol = 0, atol = 0 } = tol;
  const bound = atol + rtol * Math.abs(expected);
  assert.ok(
    Number.isFinite(actual) && Math.abs(actual - expected) <= bound,
    `${message ? `${message}: ` : ""}expected ${expected} ± ${bound}, received ${actual} (error ${actual - expected})`,
  );
}

/** Element-wise {@linkcode assertClose} for arrays of equal length. */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance,
  message = "",
): void {
  assert.equal(actual.length, expected.length, `${message} length`);
  for (let i = 0; i < expected.length; i++) assertClose(actual[i], expected[i], tol, `${message}[${i}]`);
}

/** A scratch directory under .tmp/ of the repository, removed by the caller. */
export function scratchDir(prefix: string): string {
  const root = new URL("../.tmp/", import.meta.url).pathname;
  Deno.mkdirSync(root, { recursive: true });
  return Deno.makeTempDirSync({ dir: root, prefix });
}

/** Real market data for optional cross-checks: the directory of CREDITLAB_DATA when it holds the files. */
export function realDataDir(): string | null {
  const dir = Deno.env.get("CREDITLAB_DATA");
  if (!dir || dir === "synthetic") return null;
  const root = new URL("../", import.meta.url).pathname;
  const path = dir.startsWith("/") ? dir : `${root}${dir}`;
  try {
    return Deno.statSync(`${path}/treasury_yields.csv`).isFile ? path : null;
  } catch {
    return null;
  }
}
