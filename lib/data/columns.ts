/**
 * The DataFrame → array boundary: typed, checked conversions of nodejs-polars columns into the plain and typed
 * arrays that the kit's numeric kernels and charts take. Convert once here, then compute on arrays.
 * @module
 */
import type pl from "nodejs-polars";
import { describeValue, rangeError, Received, typeError } from "../core/check.ts";

/**
 * Requires a nodejs-polars DataFrame, recognised by its methods (polars' classes do not support `instanceof`).
 * @throws {TypeError} `Cannot <action>: <name> must be a nodejs-polars DataFrame, received …`.
 */
export function requireDataFrame(action: string, name: string, value: unknown): pl.DataFrame {
  const df = value as Partial<pl.DataFrame> | null;
  if (
    df === null || typeof df !== "object" || typeof df.getColumn !== "function" || !Array.isArray(df.columns) ||
    typeof df.height !== "number"
  ) {
    throw typeError(action, name, "a nodejs-polars DataFrame", value);
  }
  return value as pl.DataFrame;
}

/**
 * Where a column is read, for messages: the action, the argument holding the DataFrame, and the label of a value
 * (`VIXCLS[3]` for the public readers; `market.cdx.spread[3]` for a caller reading its own argument).
 */
export interface ColumnReader {
  readonly action: string;
  /** The argument holding the DataFrame (`df`, `market.cdx`). */ readonly frame: string;
  /** True when the column is the reader's own argument `name` (the public readers). */ readonly byName: boolean;
  readonly label: (name: string, i: number) => string;
}

const publicReader = (action: string): ColumnReader => ({
  action,
  frame: "df",
  byName: true,
  label: (name, i) => `${name}[${i}]`,
});

/** A {@linkcode ColumnReader} for a caller that reads a fixed column of its own argument `frame` (`market.cdx`). */
export function readerOf(action: string, frame: string): ColumnReader {
  return { action, frame, byName: false, label: (name, i) => `${frame}.${name}[${i}]` };
}

function column(df: unknown, name: unknown, where: ColumnReader): unknown[] {
  const { action, frame } = where;
  const table = requireDataFrame(action, frame, df);
  const names = table.columns.join(", ");
  if (where.byName) {
    if (typeof name !== "string") throw typeError(action, "name", `a column name of df (one of ${names})`, name);
    if (!table.columns.includes(name)) throw rangeError(action, "name", `a column of df (one of ${names})`, name);
  } else if (typeof name !== "string" || !table.columns.includes(name)) {
    throw rangeError(action, frame, `a DataFrame with column ${String(name)}`, new Received(`columns ${names}`));
  }
  return table.getColumn(name as string).toArray() as unknown[];
}

/**
 * A date column as `Date[]` (UTC midnight).
 * @throws {TypeError} If `df` is not a DataFrame, or the column holds a missing or non-date value.
 * @throws {RangeError} If the column is missing.
 */
export function dateColumn(df: pl.DataFrame, name = "date"): Date[] {
  return datesOf(df, name, publicReader("read date column"));
}

/** {@linkcode dateColumn} with messages naming the caller's argument (see {@linkcode readerOf}). */
export function datesOf(df: unknown, name: string, where: ColumnReader): Date[] {
  const values = column(df, name, where);
  values.forEach((v, i) => {
    if (!(v instanceof Date)) throw typeError(where.action, where.label(name, i), "a date", v);
  });
  return values as Date[];
}

/**
 * A numeric column with missing values as null (for charts, which draw gaps).
 * @throws {TypeError} If `df` is not a DataFrame or the column holds a non-number. @throws {RangeError} If the
 *   column is missing.
 */
export function nullableColumn(df: pl.DataFrame, name: string): (number | null)[] {
  return nullablesOf(df, name, publicReader("read numeric column"));
}

function nullablesOf(df: unknown, name: string, where: ColumnReader): (number | null)[] {
  const values = column(df, name, where);
  values.forEach((v, i) => {
    if (v !== null && typeof v !== "number") throw typeError(where.action, where.label(name, i), "a number", v);
  });
  return values as (number | null)[];
}

/**
 * A numeric column as a `Float64Array` for numeric kernels. Missing values are an error, never NaN: drop them
 * first (`df.dropNulls(name)`) or choose how to fill them.
 *
 * @throws {TypeError} If `df` is not a DataFrame. @throws {RangeError} If the column is missing or holds a missing
 *   value, naming its row.
 */
export function floatColumn(df: pl.DataFrame, name: string): Float64Array {
  return floatsOf(df, name, publicReader("read numeric column"));
}

/** {@linkcode floatColumn} with messages naming the caller's argument (see {@linkcode readerOf}). */
export function floatsOf(df: unknown, name: string, where: ColumnReader): Float64Array {
  const values = nullablesOf(df, name, where);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) {
      throw new RangeError(
        `Cannot ${where.action}: ${where.label(name, i)} must be a finite number (drop missing rows first, e.g. ` +
          `df.dropNulls("${name}")), received ${describeValue(v)}`,
      );
    }
    out[i] = v;
  }
  return out;
}

/** A string column as `string[]`. @throws {TypeError} If a value is missing or not a string. */
export function stringColumn(df: pl.DataFrame, name: string): string[] {
  const where = publicReader("read string column");
  const values = column(df, name, where);
  values.forEach((v, i) => {
    if (typeof v !== "string") throw typeError(where.action, where.label(name, i), "a string", v);
  });
  return values as string[];
}

/**
 * A numeric column as a Float64Array with missing values as NaN: for typed-array kernels that skip NaN (warm-ups of
 * rolling signals).
 */
export function nanColumn(df: pl.DataFrame, name: string): Float64Array {
  return Float64Array.from(nullableColumn(df, name), (v) => (v === null ? NaN : v));
}

/**
 * Checks that the DataFrame passed as argument `argument` has every listed column.
 * @throws {TypeError} If it is not a DataFrame.
 * @throws {RangeError} Naming the argument, the first missing column and the columns it has.
 */
export function requireColumns(action: string, argument: string, df: pl.DataFrame, columns: readonly string[]): void {
  requireDataFrame(action, argument, df);
  for (const c of columns) {
    if (!df.columns.includes(c)) {
      throw new RangeError(
        `Cannot ${action}: ${argument} must be a DataFrame with column ${c}, received columns ${df.columns.join(", ")}`,
      );
    }
  }
}

/**
 * NaN (a missing or warm-up value in a typed array) as null, for building DataFrame columns.
 * @throws {TypeError} If `values` is not an array of numbers.
 */
export function nanToNull(values: ArrayLike<number>): (number | null)[] {
  const action = "map NaN to null";
  if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    throw typeError(action, "values", "an array of numbers", values);
  }
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== "number") throw typeError(action, `values[${i}]`, "a number (NaN if missing)", values[i]);
  }
  return Array.from(values, (v) => (Number.isNaN(v) ? null : v));
}
