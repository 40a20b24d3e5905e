/**
 * The desk's signal set on a bond universe: carry, momentum and value, and their weighted composite — the one place
 * that wires the factors to a {@linkcode BondUniverse}, so that notebooks, backtests and benches use the same
 * definitions.
 *
 *     carry      the spread                                   (carry.ts)
 *     momentum   −ln(s(t)/s(t − L)), blanked across replacements (momentum.ts)
 *     value      mean of own-history and rating-peer z-scores (value.ts)
 *     composite  Σ wₖ · cross-sectional rank-z of factor k / Σ|wₖ| (composite.ts)
 *
 * Every factor at date t uses spreads up to t only.
 * @module
 */
import {
  MAX_ELEMENTS,
  rangeError,
  requireFinite,
  requireInteger,
  requireKnownKeys,
  requireObject,
  requireOneOf,
  typeError,
} from "../core/check.ts";
import type { BondUniverse } from "../market/universe.ts";
import { RATINGS } from "../market/universe.ts";
import { carrySignal } from "./carry.ts";
import { compositeSignal } from "./composite.ts";
import { momentumSignal } from "./momentum.ts";
import type { Panel } from "./panel.ts";
import { valueSignal } from "./value.ts";

/** The factor names of the desk. */
export type DeskFactor = "carry" | "momentum" | "value";

/** Options of {@linkcode deskSignals}. */
export interface DeskSignalOptions {
  /** Composite weights (default equal, 1/3 each). */ readonly weights?: Readonly<Record<DeskFactor, number>>;
  /** Momentum lookback in dates (default 63). */ readonly momentumLookback?: number;
  /** Own-history window of the value z-score in dates (default 252). */ readonly valueWindow?: number;
}

/** The three factors and the composite, each dates × bonds like the universe. */
export interface DeskSignals {
  readonly carry: Panel;
  readonly momentum: Panel;
  readonly value: Panel;
  readonly composite: Panel;
  readonly weights: Readonly<Record<DeskFactor, number>>;
}

/**
 * Computes the desk's signals on a universe.
 *
 * @throws {RangeError} If a weight is not finite, the weights are all zero, a window is not a positive integer (the
 *   value window ≥ 3), the universe has no bond, or a spread is not finite and > 0.
 * @throws {TypeError} If the universe is not one (bonds, spread, replaced) or an option key is unknown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { generateBondUniverse } from "../market/universe.ts";
 * import { treasuryCurves } from "../market/curve.ts";
 * import { deskSignals } from "./desk.ts";
 *
 * const dates = Array.from({ length: 40 }, (_, d) => new Date(Date.UTC(2024, 0, 2 + d)));
 * const flat = (y: number) => dates.map(() => y);
 * const table = pl.DataFrame({ date: dates, DGS1: flat(0.05), DGS2: flat(0.045), DGS5: flat(0.042), DGS10: flat(0.04), DGS20: flat(0.043), DGS30: flat(0.042) });
 * const universe = generateBondUniverse({ curves: treasuryCurves(table), issuers: 30, seed: 1 });
 * const s = deskSignals(universe, { momentumLookback: 5, valueWindow: 10 });
 * const last = s.composite.values.subarray(39 * 30); // the last date: bonds of ratings with enough peers have a score
 * assert.ok(Number.isNaN(s.composite.values[0]) && last.some(Number.isFinite));
 * ```
 */
export function deskSignals(universe: BondUniverse, opts: DeskSignalOptions = {}): DeskSignals {
  const action = "compute desk signals";
  requireKnownKeys(action, "opts", opts, ["weights", "momentumLookback", "valueWindow"]);
  requireKnownKeys(action, "opts.weights", opts.weights, ["carry", "momentum", "value"]);
  const weights = opts.weights ?? { carry: 1 / 3, momentum: 1 / 3, value: 1 / 3 };
  for (const f of ["carry", "momentum", "value"] as const) requireFinite(action, `weights.${f}`, weights[f]);
  const lookback = opts.momentumLookback ?? 63, window = opts.valueWindow ?? 252;
  requireInteger(action, "momentumLookback", lookback, { min: 1, max: MAX_ELEMENTS });
  requireInteger(action, "valueWindow", window, { min: 3, max: MAX_ELEMENTS });
  requireObject(action, "universe", universe);
  const bonds = universe.bonds;
  if (!Array.isArray(bonds)) throw typeError(action, "universe.bonds", "an array of bonds", bonds);
  if (bonds.length === 0) throw rangeError(action, "universe.bonds", "at least one bond", 0);
  bonds.forEach((b, i) => {
    requireObject(action, `universe.bonds[${i}]`, b);
    requireOneOf(action, `universe.bonds[${i}].rating`, b.rating, RATINGS);
  });
  const N = bonds.length;
  const { spread, replaced } = universe;
  if (!(spread instanceof Float64Array)) throw typeError(action, "universe.spread", "a Float64Array", spread);
  if (spread.length % N !== 0) {
    throw rangeError(action, "universe.spread.length", `a multiple of universe.bonds.length (${N})`, spread.length);
  }
  for (let k = 0; k < spread.length; k++) {
    if (!(spread[k] > 0 && spread[k] < Infinity)) {
      throw rangeError(action, `universe.spread[${k}]`, "finite and > 0", spread[k]);
    }
  }
  if (!(replaced instanceof Uint8Array)) throw typeError(action, "universe.replaced", "a Uint8Array", replaced);
  if (replaced.length !== spread.length) {
    throw rangeError(action, "universe.replaced.length", `universe.spread.length (${spread.length})`, replaced.length);
  }
  const groups = bonds.map((b) => RATINGS.indexOf(b.rating));
  const carry = carrySignal(universe.spread, N);
  const momentum = momentumSignal(universe.spread, N, { lookback, replaced: universe.replaced });
  const value = valueSignal(universe.spread, N, groups, { window });
  const composite = compositeSignal([
    { name: "carry", signal: carry, weight: weights.carry },
    { name: "momentum", signal: momentum, weight: weights.momentum },
    { name: "value", signal: value, weight: weights.value },
  ]);
  return { carry, momentum, value, composite, weights };
}
