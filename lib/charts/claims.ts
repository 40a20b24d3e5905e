/**
 * A claim of the original studies set beside what creditlab measures on the same question, displayed as a cell
 * output. `deno task report` collects every claim of every notebook into the ledger on `reports/index.html`, each
 * linking to the cell that shows it.
 * @module
 */
import { requireKnownKeys, typeError } from "../core/check.ts";

const DISPLAY = Symbol.for("Jupyter.display");

/** MIME type of a claim's machine-readable form in a notebook output. */
export const CLAIM_MIME = "application/vnd.creditlab.claim+json";

/** One row of the claims ledger. */
export interface Claim {
  /** The question both answer, e.g. "Cost saving of weekly + band against daily execution". */ readonly question:
    string;
  /** What the original study reports, as it reports it (e.g. "−58 %"). */ readonly original: string;
  /** What creditlab measures, from the computation (e.g. `formatPercent(saving)`), with its basis. */
  readonly measured: string;
  /** One line on why they differ or what the measurement is against (optional). */ readonly note?: string;
}

/**
 * Displays a claim beside its measurement (Markdown for readers, JSON for the report's ledger).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { claim } from "./claims.ts";
 *
 * const c = claim({ question: "Sharpe ratio", original: "1.2", measured: "0.31 (out of sample, excess of bills)" });
 * assert.equal(c.measured, "0.31 (out of sample, excess of bills)");
 * ```
 */
export function claim(c: Claim): Claim {
  const action = "show claim";
  if (c === null || typeof c !== "object") throw typeError(action, "c", "an object", c);
  requireKnownKeys(action, "c", c, ["question", "original", "measured", "note"]);
  for (const key of ["question", "original", "measured"] as const) {
    if (typeof c[key] !== "string" || c[key].length === 0) {
      throw typeError(action, `c.${key}`, "a non-empty string", c[key]);
    }
  }
  if (c.note !== undefined && typeof c.note !== "string") throw typeError(action, "c.note", "a string", c.note);
  const row: Claim = {
    question: c.question,
    original: c.original,
    measured: c.measured,
    ...(c.note ? { note: c.note } : {}),
  };
  // A dollar sign would open TeX in the rendered report: currency is written escaped.
  const esc = (t: string) => t.replaceAll("$", "\\$");
  const text = `**Claim.** ${esc(row.question)}: the original reports ${esc(row.original)}; creditlab measures ` +
    `${esc(row.measured)}.` + (row.note ? ` ${esc(row.note)}` : "");
  Object.defineProperty(row, DISPLAY, {
    value: () => ({ "text/markdown": text, "text/plain": text, [CLAIM_MIME]: { ...row } }),
  });
  return row;
}
