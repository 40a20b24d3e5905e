/**
 * Carry: what a bond earns if nothing moves. For a credit position hedged of its rates risk, the carry is the credit
 * spread itself — the yield pick-up over the duration-matched Treasury, earned day by day — so the carry signal
 * ranks bonds by spread. Wider spreads pay more, and also hide more default risk: carry is the factor most exposed
 * to crashes, which is why it is combined with momentum and value.
 *
 *     carryᵢ(t) = sᵢ(t)           (decimal per year)
 *
 * Reference: Koijen, R. S. J., Moskowitz, T. J., Pedersen, L. H. & Vrugt, E. B. (2018). Carry. J. Financial
 * Economics 127(2), 197–225 (carry in credit: the spread, §2.6).
 * @module
 */
import { type Panel, panel, requireRowMajor } from "./panel.ts";

/**
 * The carry signal: the credit spread panel (a copy). Causal by construction.
 *
 * @param spread Spreads, dates × bonds (e.g. `universe.spread`).
 * @param cols Number of bonds.
 * @throws {TypeError} If `spread` is not a `Float64Array`. @throws {RangeError} If `cols` is not an integer ≥ 1,
 *   the length is not a multiple of it, or a spread is not finite.
 */
export function carrySignal(spread: Float64Array, cols: number): Panel {
  const rows = requireRowMajor("compute carry signal", "spread", spread, "cols", cols);
  return panel(Float64Array.from(spread), rows, cols);
}
