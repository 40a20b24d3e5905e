/**
 * Rule-based portfolio weights: equal weights, market-capitalisation weights with a cap per name, Kelly sizing of
 * binary bets, and a greedy filter that keeps no two positions more correlated than a limit.
 *
 * Weights are fractions of capital (decimals). The rules are deterministic: ties break by the lower index.
 *
 * References:
 * 1. Kelly, J. L. (1956). A new interpretation of information rate. Bell System Technical Journal 35(4), 917–926.
 * 2. Thorp, E. O. (2006). The Kelly criterion in blackjack, sports betting and the stock market. Handbook of Asset
 *    and Liability Management, vol. 1, ch. 9, §2 (f* = p − q/b for a bet paying b to 1).
 * 3. S&P Dow Jones Indices (2023). Index Mathematics Methodology, "Capped market capitalization indices" (excess
 *    weight of capped names redistributed proportionally among the uncapped).
 * @module
 */
import {
  MAX_ELEMENTS,
  rangeError,
  Received,
  requireFiniteArray,
  requireInteger,
  requireKnownKeys,
  requireMatrix,
  requirementError,
  requireNonNegative,
  requireObject,
  requirePositive,
  requireProbability,
  typeError,
} from "../core/check.ts";

/**
 * Equal weights: wᵢ = 1/n for n names, or wᵢ = 1/k on the k selected names of a mask and 0 elsewhere.
 *
 * @param nOrMask The number of names n ≥ 1, or a mask (true = held) with at least one true entry.
 * @returns n weights summing to 1.
 * @throws {RangeError} If n is not an integer in [1, MAX_ELEMENTS] or the mask selects nothing.
 * @throws {TypeError} If a mask entry is not a boolean.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { equalWeights } from "./weights.ts";
 *
 * assert.deepEqual(equalWeights(4), [0.25, 0.25, 0.25, 0.25]);
 * assert.deepEqual(equalWeights([true, false, true, false]), [0.5, 0, 0.5, 0]);
 * ```
 */
export function equalWeights(nOrMask: number | ArrayLike<boolean>): number[] {
  const action = "compute equal weights";
  if (typeof nOrMask === "number") {
    const n = requireInteger(action, "nOrMask", nOrMask, { min: 1 });
    if (n > MAX_ELEMENTS) throw rangeError(action, "nOrMask", `<= ${MAX_ELEMENTS} names (MAX_ELEMENTS)`, n);
    return new Array<number>(n).fill(1 / n);
  }
  if (!Array.isArray(nOrMask)) throw typeError(action, "nOrMask", "a count or an array of booleans", nOrMask);
  let k = 0;
  for (let i = 0; i < nOrMask.length; i++) {
    if (typeof nOrMask[i] !== "boolean") throw typeError(action, `nOrMask[${i}]`, "a boolean", nOrMask[i]);
    if (nOrMask[i]) k++;
  }
  if (k === 0) throw requirementError(action, "nOrMask", "select at least one name", new Received("no true entry"));
  return Array.from(nOrMask as ArrayLike<boolean>, (held) => (held ? 1 / k : 0));
}

/**
 * Market-capitalisation weights wᵢ = capᵢ / Σⱼ capⱼ, with an optional cap c per name. Capping redistributes the
 * excess of the capped names to the uncapped ones in proportion to their capitalisation, repeatedly, until no weight
 * exceeds c:
 *
 *     C = {names capped so far};  wᵢ = c for i ∈ C,  wᵢ = (1 − |C|·c)·capᵢ / Σ_{j∉C} capⱼ otherwise
 *
 * Each pass caps at least one more name or stops, so there are at most n passes; names are capped in order of size,
 * so the result keeps the ranking (a larger company never gets a smaller weight) and is the unique fixed point of
 * the rule. Names with zero capitalisation get zero weight.
 *
 * @param caps Market capitalisations ≥ 0 (any currency unit), at least one > 0.
 * @param opts `maxWeight`: the cap c per name, 0 < c ≤ 1 (default 1, no cap). k·c ≥ 1 is needed for the k names of
 *   positive capitalisation.
 * @returns Weights summing to 1, each ≤ c.
 * @throws {RangeError} If a cap is negative or not finite, all caps are 0, c is outside (0, 1] or k·c < 1 (the
 *   message gives the smallest feasible cap).
 * @throws {TypeError} For an unknown option.
 *
 * @example Caps 60/30/10: with a 50% cap the excess 10% of the largest goes 3:1 to the others; with a 40% cap the
 * second name then exceeds it too (0.45), so a second pass caps it and the third takes the rest
 * ```ts
 * import assert from "node:assert/strict";
 * import { marketCapWeights } from "./weights.ts";
 *
 * const round = (w: number[]) => w.map((x) => Math.round(x * 1e12) / 1e12);
 * assert.deepEqual(round(marketCapWeights([60, 30, 10], { maxWeight: 0.5 })), [0.5, 0.375, 0.125]);
 * assert.deepEqual(round(marketCapWeights([60, 30, 10], { maxWeight: 0.4 })), [0.4, 0.4, 0.2]);
 * ```
 */
export function marketCapWeights(caps: ArrayLike<number>, opts: { readonly maxWeight?: number } = {}): number[] {
  const action = "compute market-cap weights";
  requireKnownKeys(action, "opts", opts, ["maxWeight"]);
  requireFiniteArray(action, "caps", caps, { minLength: 1 });
  const n = caps.length;
  let positive = 0;
  for (let i = 0; i < n; i++) {
    requireNonNegative(action, `caps[${i}]`, caps[i]);
    if (caps[i] > 0) positive++;
  }
  if (positive === 0) throw rangeError(action, "caps", "positive for at least one name", new Received("all 0"));
  const cap = opts.maxWeight === undefined ? 1 : requirePositive(action, "opts.maxWeight", opts.maxWeight);
  if (cap > 1) throw rangeError(action, "opts.maxWeight", "<= 1", cap);
  if (positive * cap < 1 - 1e-12) {
    throw rangeError(
      action,
      "opts.maxWeight",
      `>= 1/${positive} = ${1 / positive} for ${positive} names of positive capitalisation to hold the whole ` +
        `portfolio`,
      cap,
    );
  }
  const capped = new Uint8Array(n);
  let cappedCount = 0;
  const w = new Array<number>(n);
  for (let pass = 0; pass <= n; pass++) {
    let rest = 0;
    for (let i = 0; i < n; i++) if (!capped[i]) rest += caps[i];
    const budget = 1 - cappedCount * cap;
    let newlyCapped = 0;
    for (let i = 0; i < n; i++) {
      if (capped[i]) {
        w[i] = cap;
        continue;
      }
      w[i] = rest > 0 ? (budget * caps[i]) / rest : 0;
      if (w[i] > cap * (1 + 1e-12)) (capped[i] = 1, newlyCapped++);
    }
    if (newlyCapped === 0) break;
    cappedCount += newlyCapped;
  }
  return w;
}

/**
 * Kelly fraction of a binary bet that wins b per unit staked with probability p and loses the stake otherwise:
 *
 *     f* = p − (1 − p) / b
 *
 * f* maximises the expected log growth g(f) = p·log(1 + b·f) + (1 − p)·log(1 − f) over the fraction f of capital
 * staked (g'(f*) = 0). f* < 0 means the bet has a negative edge (p·b < 1 − p): the formula is returned as is, and
 * {@linkcode kellyWeights} turns it into no position.
 *
 * @param p `winRate` p ∈ [0, 1] (the share of winning trades) and `payoffRatio` b > 0 (average win / average loss).
 * @returns f*, a fraction of capital, ≤ 1.
 * @throws {RangeError} If p is outside [0, 1] or b ≤ 0.
 * @throws {TypeError} For an unknown key.
 *
 * @example 55% winners paying 1.5 to 1: f* = 0.55 − 0.45 / 1.5 = 0.25
 * ```ts
 * import assert from "node:assert/strict";
 * import { kellyFraction } from "./weights.ts";
 *
 * assert.ok(Math.abs(kellyFraction({ winRate: 0.55, payoffRatio: 1.5 }) - 0.25) < 1e-15);
 * ```
 */
export function kellyFraction(p: { readonly winRate: number; readonly payoffRatio: number }): number {
  const action = "compute Kelly fraction";
  requireParams(action, p, ["winRate", "payoffRatio"]);
  const winRate = requireProbability(action, "winRate", p.winRate);
  const payoffRatio = requirePositive(action, "payoffRatio", p.payoffRatio);
  return winRate - (1 - winRate) / payoffRatio;
}

/** Inputs of {@linkcode kellyWeights}. */
export interface KellyWeightsParams {
  /** Win rate pᵢ ∈ [0, 1] of each name's trades. */
  readonly winRates: ArrayLike<number>;
  /** Payoff ratio bᵢ > 0 (average win / average loss) of each name's trades. */
  readonly payoffRatios: ArrayLike<number>;
  /** Cap per name c, 0 < c ≤ 1; default 0.05 (5% of capital). */
  readonly maxWeight?: number;
  /** Multiple of the Kelly fraction, 0 < k ≤ 1 (0.5 = half Kelly); default 1. */
  readonly fraction?: number;
}

/**
 * Kelly position sizes, one binary bet per name, capped per name:
 *
 *     wᵢ = min(c, k·max(0, fᵢ*)),   fᵢ* = pᵢ − (1 − pᵢ) / bᵢ
 *
 * A negative Kelly fraction (negative edge) gives wᵢ = 0: no position, never a reversed one. The weights are sizes
 * in fractions of capital and need not sum to 1; the rest stays in cash. The Kelly fraction treats each name as a
 * separate bet, ignoring the correlation between names (see {@linkcode correlationFilter}).
 *
 * @param p Win rates, payoff ratios, the cap (default 5%) and the Kelly multiple (default 1).
 * @returns n weights in [0, c].
 * @throws {RangeError} If a win rate is outside [0, 1], a payoff ratio ≤ 0, the lengths differ, or the cap or the
 *   multiple is outside (0, 1].
 * @throws {TypeError} For an unknown key.
 *
 * @example A strong edge is capped at 5%, a negative one is not traded
 * ```ts
 * import assert from "node:assert/strict";
 * import { kellyWeights } from "./weights.ts";
 *
 * const w = kellyWeights({ winRates: [0.6, 0.52, 0.4], payoffRatios: [1, 1, 1] });
 * assert.deepEqual(w.map((x) => Math.round(x * 1e12) / 1e12), [0.05, 0.04, 0]);
 * ```
 */
export function kellyWeights(p: KellyWeightsParams): number[] {
  const action = "compute Kelly weights";
  requireParams(action, p, ["winRates", "payoffRatios", "maxWeight", "fraction"]);
  const winRates = requireFiniteArray(action, "winRates", p.winRates);
  const payoffRatios = requireFiniteArray(action, "payoffRatios", p.payoffRatios, { length: winRates.length });
  const cap = p.maxWeight === undefined ? 0.05 : requirePositive(action, "maxWeight", p.maxWeight);
  if (cap > 1) throw rangeError(action, "maxWeight", "<= 1", cap);
  const multiple = p.fraction === undefined ? 1 : requirePositive(action, "fraction", p.fraction);
  if (multiple > 1) throw rangeError(action, "fraction", "<= 1", multiple);
  const n = winRates.length;
  const w = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const winRate = requireProbability(action, `winRates[${i}]`, winRates[i]);
    const payoff = requirePositive(action, `payoffRatios[${i}]`, payoffRatios[i]);
    const f = winRate - (1 - winRate) / payoff;
    w[i] = Math.min(cap, multiple * Math.max(0, f));
  }
  return w;
}

/** Options of {@linkcode correlationFilter}. */
export interface CorrelationFilterOptions {
  /** Largest correlation allowed between two kept names, in [−1, 1]; default 0.6. */
  readonly maxCorrelation?: number;
  /** Compare |ρᵢⱼ| instead of ρᵢⱼ (also rejects strongly anti-correlated pairs); default false. */
  readonly absolute?: boolean;
}

/**
 * Greedy correlation filter: walks the candidates in priority order and keeps a name unless its correlation with a
 * name already kept exceeds the limit, so that no two kept names have ρᵢⱼ > maxCorrelation (|ρᵢⱼ| with `absolute`).
 *
 * Order: by score descending, ties by the lower index; or the explicit order given as `{ order: [...] }` (a list of
 * distinct indices, first = highest priority; names not listed are not candidates). The result is the
 * lexicographically first maximal set in that order: the best name is always kept, and a name is dropped only
 * because of a better one that was kept. It is not, in general, the largest compatible set.
 *
 * @param correlation Symmetric n×n correlation matrix, entries in [−1, 1].
 * @param priority Scores (higher first) of the n names, or `{ order }`.
 * @param opts The limit (default 0.6) and whether to compare absolute correlations (default false).
 * @returns The kept indices, in priority order.
 * @throws {RangeError} If the matrix is not square and symmetric with entries in [−1, 1], the scores are not finite
 *   or of length n, the order repeats an index or leaves [0, n), or the limit is outside [−1, 1].
 * @throws {TypeError} For an unknown option.
 *
 * @example Names 0 and 1 move together (ρ = 0.8): the better-scored 1 is kept, 0 is dropped
 * ```ts
 * import assert from "node:assert/strict";
 * import { correlationFilter } from "./weights.ts";
 *
 * const rho = [[1, 0.8, 0.1], [0.8, 1, 0.2], [0.1, 0.2, 1]];
 * assert.deepEqual(correlationFilter(rho, [0.5, 0.9, 0.1]), [1, 2]);
 * assert.deepEqual(correlationFilter(rho, { order: [0, 2, 1] }), [0, 2]);
 * ```
 */
export function correlationFilter(
  correlation: ArrayLike<number>[],
  priority: ArrayLike<number> | { readonly order: ArrayLike<number> },
  opts: CorrelationFilterOptions = {},
): number[] {
  const action = "filter correlated positions";
  requireKnownKeys(action, "opts", opts, ["maxCorrelation", "absolute"]);
  const { rows: n } = requireMatrix(action, "correlation", correlation, { square: true });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const rho = correlation[i][j];
      if (!(rho >= -1 - 1e-12 && rho <= 1 + 1e-12)) {
        throw rangeError(action, `correlation[${i}][${j}]`, "in [-1, 1]", rho);
      }
      if (j < i && Math.abs(rho - correlation[j][i]) > 1e-12) {
        throw rangeError(
          action,
          `correlation[${i}][${j}]`,
          `equal to correlation[${j}][${i}] (a symmetric matrix)`,
          new Received(`${rho} and ${correlation[j][i]}`),
        );
      }
    }
  }
  const limit = opts.maxCorrelation === undefined ? 0.6 : opts.maxCorrelation;
  if (typeof limit !== "number" || !(limit >= -1 && limit <= 1)) {
    throw rangeError(action, "opts.maxCorrelation", "in [-1, 1]", limit);
  }
  if (opts.absolute !== undefined && typeof opts.absolute !== "boolean") {
    throw typeError(action, "opts.absolute", "a boolean", opts.absolute);
  }
  const absolute = opts.absolute ?? false;
  const order = candidateOrder(action, priority, n);
  const kept: number[] = [];
  for (const i of order) {
    let compatible = true;
    for (const j of kept) {
      const rho = absolute ? Math.abs(correlation[i][j]) : correlation[i][j];
      if (rho > limit) {
        compatible = false;
        break;
      }
    }
    if (compatible) kept.push(i);
  }
  return kept;
}

/** The candidate indices in priority order: scores descending (ties by index), or the explicit order, validated. */
function candidateOrder(
  action: string,
  priority: ArrayLike<number> | { readonly order: ArrayLike<number> },
  n: number,
): number[] {
  if (Array.isArray(priority) || ArrayBuffer.isView(priority)) {
    const scores = requireFiniteArray(action, "priority", priority, { length: n });
    return Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  }
  if (priority === null || typeof priority !== "object" || !("order" in priority)) {
    throw typeError(action, "priority", "an array of scores or { order }", priority);
  }
  requireKnownKeys(action, "priority", priority, ["order"]);
  const order = requireFiniteArray(action, "priority.order", priority.order);
  const seen = new Uint8Array(n);
  const out: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = requireInteger(action, `priority.order[${k}]`, order[k], { min: 0, max: n - 1 });
    if (seen[i]) throw rangeError(action, `priority.order[${k}]`, "an index not listed before", i);
    seen[i] = 1;
    out.push(i);
  }
  return out;
}

/** Requires the parameter object `p` (named `p` when it is not an object) whose keys are all in `known`. */
function requireParams(action: string, p: unknown, known: readonly string[]): void {
  requireObject(action, "p", p);
  requireKnownKeys(action, "", p, known);
}
