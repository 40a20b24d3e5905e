/**
 * Argument checks shared by every public entry point of creditlab.
 *
 * Every message follows one grammar, `Cannot <action>: <name> must be <rule>, received <value>`, so that a user who
 * passes a bad value reads which argument, which rule and which value in one line:
 *
 *     Cannot solve Merton model: equityVol must be > 0, received 0
 *     Cannot compute Sharpe ratio: returns[17] must be finite, received NaN
 *
 * Domain violations throw `RangeError`; a wrong type or shape throws `TypeError`. Checks run once at the public
 * boundary; inner loops stay free of them.
 *
 * Why these helpers and not a schema library such as zod: the checks must speak the caller's names
 * (`opts.band.width`, `series "HY"[17]`, `u.reports.ebit`) in one grammar, treat typed arrays and NaN-as-missing as
 * first-class, refuse misspelt option keys with the nearest known key, and cost nothing measurable at entry points
 * that run inside rebalance loops; a few dozen small functions do that with no dependency, where a schema library
 * would need a custom error map for every one of them. `tests/fuzz/` holds every export of `lib/mod.ts` to them.
 * @module
 */

/**
 * Formats a received value for an error message: numbers as JavaScript prints them (`NaN`, `-1`, `Infinity`),
 * strings quoted, arrays by their length, everything else by its type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeValue } from "./check.ts";
 *
 * assert.equal(describeValue(NaN), "NaN");
 * assert.equal(describeValue("AAA"), '"AAA"');
 * assert.equal(describeValue([1, 2, 3]), "an array of length 3");
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "0" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid Date" : value.toISOString();
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    return `an array of length ${(value as ArrayLike<unknown>).length}`;
  }
  if (typeof value === "function") return "a function";
  return `an object of type ${value.constructor?.name ?? "Object"}`;
}

/** `RangeError` in the house grammar; `received` is printed verbatim when it is a string built by the caller. */
export function rangeError(action: string, name: string, rule: string, received: unknown): RangeError {
  return new RangeError(`Cannot ${action}: ${name} must be ${rule}, received ${format(received)}`);
}

/** `TypeError` in the house grammar. */
export function typeError(action: string, name: string, rule: string, received: unknown): TypeError {
  return new TypeError(`Cannot ${action}: ${name} must be ${rule}, received ${format(received)}`);
}

/** A pre-formatted description for {@linkcode rangeError} and {@linkcode typeError} (e.g. `"120×40 and 120×39"`). */
export class Received {
  constructor(readonly text: string) {}
}

function format(received: unknown): string {
  return received instanceof Received ? received.text : describeValue(received);
}

/** Requires a finite number. @throws {TypeError} for a non-number. @throws {RangeError} for NaN or ±Infinity. */
export function requireFinite(action: string, name: string, value: unknown): number {
  if (typeof value !== "number") throw typeError(action, name, "a number", value);
  if (!Number.isFinite(value)) throw rangeError(action, name, "finite", value);
  return value;
}

/** Requires a finite number > 0. */
export function requirePositive(action: string, name: string, value: unknown): number {
  requireFinite(action, name, value);
  if (!((value as number) > 0)) throw rangeError(action, name, "> 0", value);
  return value as number;
}

/** Requires a finite number ≥ 0. */
export function requireNonNegative(action: string, name: string, value: unknown): number {
  requireFinite(action, name, value);
  if (!((value as number) >= 0)) throw rangeError(action, name, ">= 0", value);
  return value as number;
}

/** Requires a probability: a finite number in [0, 1]. */
export function requireProbability(action: string, name: string, value: unknown): number {
  requireFinite(action, name, value);
  if (!((value as number) >= 0 && (value as number) <= 1)) throw rangeError(action, name, "in [0, 1]", value);
  return value as number;
}

/** Requires an integer in [min, max] (defaults: no bound). */
export function requireInteger(
  action: string,
  name: string,
  value: unknown,
  bounds: { min?: number; max?: number } = {},
): number {
  if (typeof value !== "number") throw typeError(action, name, "an integer", value);
  const { min = -Infinity, max = Infinity } = bounds;
  if (!Number.isInteger(value) || value < min || value > max) {
    const rule = min === -Infinity && max === Infinity
      ? "an integer"
      : max === Infinity
      ? `an integer >= ${min}`
      : min === -Infinity
      ? `an integer <= ${max}`
      : `an integer in [${min}, ${max}]`;
    throw rangeError(action, name, rule, value);
  }
  return value;
}

/** Requires a non-empty string. */
export function requireString(action: string, name: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) throw typeError(action, name, "a non-empty string", value);
  return value;
}

/** Requires a seed: a finite number or a string. */
export function requireSeed(action: string, name: string, value: unknown): number | string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "number") throw rangeError(action, name, "a finite number or a string", value);
  throw typeError(action, name, "a finite number or a string", value);
}

/**
 * Requires an array-like of finite numbers of at least `minLength` elements; names the first bad element
 * (`returns[17] must be finite, received NaN`).
 */
export function requireFiniteArray(
  action: string,
  name: string,
  values: unknown,
  opts: { minLength?: number; length?: number } = {},
): ArrayLike<number> {
  if (!isArrayLike(values)) throw typeError(action, name, "an array of numbers", values);
  const { minLength = 0, length } = opts;
  if (length !== undefined && values.length !== length) {
    throw rangeError(action, `${name}.length`, `${length}`, values.length);
  }
  if (values.length < minLength) {
    throw rangeError(action, name, `an array of at least ${minLength} values`, new Received(`${values.length}`));
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number") throw typeError(action, `${name}[${i}]`, "a number", v);
    if (!Number.isFinite(v)) throw rangeError(action, `${name}[${i}]`, "finite", v);
  }
  return values as ArrayLike<number>;
}

/**
 * Requires a rectangular matrix (array of rows) of finite numbers; returns its shape. Options fix the number of
 * rows or columns, or require a square matrix.
 */
export function requireMatrix(
  action: string,
  name: string,
  matrix: unknown,
  opts: { rows?: number; cols?: number; square?: boolean; minRows?: number } = {},
): { rows: number; cols: number } {
  if (!Array.isArray(matrix)) throw typeError(action, name, "an array of rows", matrix);
  const rows = matrix.length;
  if (opts.minRows !== undefined && rows < opts.minRows) {
    throw rangeError(action, name, `a matrix with at least ${opts.minRows} rows`, new Received(`${rows} rows`));
  }
  if (opts.rows !== undefined && rows !== opts.rows) {
    throw rangeError(action, name, `a matrix with ${opts.rows} rows`, new Received(`${rows} rows`));
  }
  if (rows === 0) return { rows: 0, cols: opts.cols ?? 0 };
  if (!isArrayLike(matrix[0])) throw typeError(action, `${name}[0]`, "an array of numbers", matrix[0]);
  const cols = (matrix[0] as ArrayLike<number>).length;
  for (let i = 0; i < rows; i++) {
    const row = matrix[i];
    if (!isArrayLike(row)) throw typeError(action, `${name}[${i}]`, "an array of numbers", row);
    if (row.length !== cols) {
      throw rangeError(action, `${name}[${i}]`, `a row of ${cols} values like row 0`, new Received(`${row.length}`));
    }
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== "number") throw typeError(action, `${name}[${i}][${j}]`, "a number", v);
      if (!Number.isFinite(v)) throw rangeError(action, `${name}[${i}][${j}]`, "finite", v);
    }
  }
  if (opts.cols !== undefined && cols !== opts.cols) {
    throw rangeError(action, name, `a matrix with ${opts.cols} columns`, new Received(`${cols} columns`));
  }
  if (opts.square && rows !== cols) throw rangeError(action, name, "a square matrix", new Received(`${rows}×${cols}`));
  return { rows, cols };
}

/** Requires two array-likes of the same length. */
export function requireSameLength(
  action: string,
  nameA: string,
  a: ArrayLike<unknown>,
  nameB: string,
  b: ArrayLike<unknown>,
): number {
  if (a.length !== b.length) {
    throw rangeError(
      action,
      `${nameA} and ${nameB}`,
      "of the same length",
      new Received(`${a.length} and ${b.length}`),
    );
  }
  return a.length;
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * `RangeError` (default) or `TypeError` in the house grammar for a requirement that does not read "be <rule>":
 * `Cannot <action>: <name> must <requirement>, received <value>`, e.g. `values[0] must have 2 values like columns,
 * received 1` or `series must hold at least one series, received 0`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requirementError } from "./check.ts";
 *
 * const error = requirementError("draw chart", "dates", "not be empty", 0);
 * assert.equal(error.message, "Cannot draw chart: dates must not be empty, received 0");
 * assert.equal(error.name, "RangeError");
 * ```
 */
export function requirementError(
  action: string,
  name: string,
  requirement: string,
  received: unknown,
  kind: "range" | "type" = "range",
): RangeError | TypeError {
  const message = `Cannot ${action}: ${name} must ${requirement}, received ${format(received)}`;
  return kind === "type" ? new TypeError(message) : new RangeError(message);
}

/**
 * Requires an array-like of exactly `expected.length` elements, aligned with another input:
 * `series "a" must have 3 values like x, received 2`. `unit` names the elements (default `"values"`).
 *
 * @throws {RangeError} If the length differs.
 */
export function requireLength(
  action: string,
  name: string,
  values: ArrayLike<unknown>,
  expected: { readonly length: number; readonly like: string; readonly unit?: string },
): void {
  if (values.length !== expected.length) {
    const unit = expected.unit ?? "values";
    throw requirementError(action, name, `have ${expected.length} ${unit} like ${expected.like}`, values.length);
  }
}

/**
 * Requires an options object (or undefined) whose keys are all known, so that a misspelt setting is an error instead
 * of silently doing nothing. The message names the nearest known key:
 * `Cannot run backtest: unknown option band.widht; did you mean band.width?`
 *
 * @param name The prefix of the keys in the message (`"band"` gives `band.widht`; `""` gives `widht`).
 * @throws {TypeError} If `value` is not a plain object (or undefined), or holds a key outside `known`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireKnownKeys } from "./check.ts";
 *
 * requireKnownKeys("fit forest", "opts", { nTrees: 10 }, ["nTrees", "seed"]);
 * assert.throws(
 *   () => requireKnownKeys("fit forest", "opts", { ntrees: 10 }, ["nTrees", "seed"]),
 *   { name: "TypeError", message: "Cannot fit forest: unknown option opts.ntrees; did you mean opts.nTrees?" },
 * );
 * ```
 */
export function requireKnownKeys(action: string, name: string, value: unknown, known: readonly string[]): void {
  if (value === undefined) return;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw typeError(action, name || "options", "an options object", value);
  }
  const prefix = name ? `${name}.` : "";
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const nearest = nearestKey(key, known);
    const hint = nearest === null
      ? `; known options: ${known.map((k) => prefix + k).join(", ")}`
      : `; did you mean ${prefix}${nearest}?`;
    throw new TypeError(`Cannot ${action}: unknown option ${prefix}${key}${hint}`);
  }
}

/** The known key nearest to `key` by edit distance (case-insensitive), or null when none is within half its length. */
function nearestKey(key: string, known: readonly string[]): string | null {
  let best: string | null = null, bestDistance = Infinity;
  const a = key.toLowerCase();
  for (const candidate of known) {
    const d = editDistance(a, candidate.toLowerCase());
    if (d < bestDistance) (best = candidate, bestDistance = d);
  }
  return bestDistance <= Math.max(2, Math.ceil(key.length / 2)) ? best : null;
}

/** Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1, cols = b.length + 1;
  const d = new Int32Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * cols + j - 2] + 1);
      }
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1];
}

/**
 * Requires an options object (or `undefined`, read as `{}`) whose keys are all known, and returns it. A misspelt key
 * is an error naming the nearest known key (see {@linkcode requireKnownKeys}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireOptions } from "./check.ts";
 *
 * assert.deepEqual(requireOptions("run backtest", "opts", undefined, ["start"]), {});
 * assert.throws(() => requireOptions("run backtest", "opts", null, ["start"]), TypeError);
 * assert.throws(() => requireOptions("run backtest", "opts", { strat: "2020-01-01" }, ["start"]), /did you mean opts.start/);
 * ```
 */
export function requireOptions<T extends object = Record<string, unknown>>(
  action: string,
  name: string,
  value: unknown,
  known: readonly string[],
): T {
  if (value === undefined) return {} as T;
  requireKnownKeys(action, name, value, known);
  return value as T;
}

/** Requires a non-null object (not an array), e.g. a record of series or a result passed back in. */
export function requireObject(action: string, name: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw typeError(action, name, "an object", value);
  }
  return value as Record<string, unknown>;
}

/** Requires a function (a callback: an objective, a rule, a model's fit). */
export function requireFunction<F extends (...args: never[]) => unknown>(
  action: string,
  name: string,
  value: unknown,
): F {
  if (typeof value !== "function") throw typeError(action, name, "a function", value);
  return value as F;
}

/** Requires a boolean. */
export function requireBoolean(action: string, name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw typeError(action, name, "true or false", value);
  return value;
}

/** Requires one of a fixed set of values (an enum), naming them. */
export function requireOneOf<T extends string | number>(
  action: string,
  name: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (!allowed.includes(value as T)) {
    const list = allowed.map((a) => (typeof a === "string" ? JSON.stringify(a) : String(a))).join(", ");
    throw (typeof value === typeof allowed[0] ? rangeError : typeError)(action, name, `one of ${list}`, value);
  }
  return value as T;
}

/** Requires a valid `Date` (not an invalid one such as `new Date("2015-02-30")`). */
export function requireDate(action: string, name: string, value: unknown): Date {
  if (!(value instanceof Date)) throw typeError(action, name, "a Date", value);
  if (Number.isNaN(value.getTime())) throw rangeError(action, name, "a valid Date", value);
  return value;
}

/**
 * Requires an array of valid Dates, at least `minLength` long (default 0), strictly increasing when asked; names the
 * first bad element (`dates[3]`).
 */
export function requireDates(
  action: string,
  name: string,
  value: unknown,
  opts: { minLength?: number; increasing?: boolean } = {},
): readonly Date[] {
  if (!Array.isArray(value)) throw typeError(action, name, "an array of Dates", value);
  const { minLength = 0, increasing = false } = opts;
  if (value.length < minLength) {
    throw rangeError(action, name, `an array of at least ${minLength} dates`, new Received(`${value.length}`));
  }
  let last = -Infinity;
  for (let i = 0; i < value.length; i++) {
    const t = requireDate(action, `${name}[${i}]`, value[i]).getTime();
    if (increasing && !(t > last)) throw rangeError(action, `${name}[${i}]`, "after the date before it", value[i]);
    last = t;
  }
  return value as Date[];
}

/**
 * Largest number of elements a caller may ask one array to hold (2²⁸, 2 GiB of doubles): a request above it is
 * refused with a clear message instead of exhausting memory or time.
 */
export const MAX_ELEMENTS = 2 ** 28;

/** Requires a count (an integer in [min, MAX_ELEMENTS]): steps, paths, sizes that allocate or loop. */
export function requireCount(action: string, name: string, value: unknown, min = 0): number {
  return requireInteger(action, name, value, { min, max: MAX_ELEMENTS });
}
