/**
 * The DataFrame → array boundary: typed, checked conversions of nodejs-polars columns into the plain and typed
 * arrays that the kit's numeric kernels and charts take. Convert once here, then compute on arrays.
 * @module
 */
import type pl from "nodejs-polars";
import { describeValue } from "../core/check.ts";

function column(df: pl.DataFrame, name: string, action: string): unknown[] {
  if (!df.columns.includes(name)) {
    throw new RangeError(
      `Cannot ${action}: column must be one of ${df.columns.join(", ")}, received ${JSON.stringify(name)}`,
    );
  }
  return df.getColumn(name).toArray() as unknown[];
}

/**
 * A date column as `Date[]` (UTC midnight).
 * @throws {RangeError} If the column is missing or holds a missing or non-date value.
 */
export function dateColumn(df: pl.DataFrame, name = "date"): Date[] {
  const values = column(df, name, "read date column");
  values.forEach((v, i) => {
    if (!(v instanceof Date)) {
      throw new TypeError(`Cannot read date column: ${name}[${i}] must be a date, received ${describeValue(v)}`);
    }
  });
  return values as Date[];
}

/** A numeric column with missing values as null (for charts, which draw gaps). */
export function nullableColumn(df: pl.DataFrame, name: string): (number | null)[] {
  const values = column(df, name, "read numeric column");
  values.forEach((v, i) => {
    if (v !== null && typeof v !== "number") {
      throw new TypeError(`Cannot read numeric column: ${name}[${i}] must be a number, received ${describeValue(v)}`);
    }
  });
  return values as (number | null)[];
}

/**
 * A numeric column as a `Float64Array` for numeric kernels. Missing values are an error, never NaN: drop them
 * first (`df.dropNulls(name)`) or choose how to fill them.
 *
 * @throws {RangeError} If the column holds a missing value, naming its row.
 */
export function floatColumn(df: pl.DataFrame, name: string): Float64Array {
  const values = nullableColumn(df, name);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) {
      throw new RangeError(
        `Cannot read numeric column: ${name}[${i}] must be a finite number (drop missing rows first, e.g. ` +
          `df.dropNulls("${name}")), received ${describeValue(v)}`,
      );
    }
    out[i] = v;
  }
  return out;
}

/** A string column as `string[]`. @throws {TypeError} If a value is missing or not a string. */
export function stringColumn(df: pl.DataFrame, name: string): string[] {
  const values = column(df, name, "read string column");
  values.forEach((v, i) => {
    if (typeof v !== "string") {
      throw new TypeError(`Cannot read string column: ${name}[${i}] must be a string, received ${describeValue(v)}`);
    }
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
 * @throws {RangeError} Naming the argument, the first missing column and the columns it has.
 */
export function requireColumns(action: string, argument: string, df: pl.DataFrame, columns: readonly string[]): void {
  for (const c of columns) {
    if (!df.columns.includes(c)) {
      throw new RangeError(
        `Cannot ${action}: ${argument} must be a DataFrame with column ${c}, received columns ${df.columns.join(", ")}`,
      );
    }
  }
}

/** NaN (a missing or warm-up value in a typed array) as null, for building DataFrame columns. */
export function nanToNull(values: ArrayLike<number>): (number | null)[] {
  return Array.from(values, (v) => (Number.isNaN(v) ? null : v));
}
