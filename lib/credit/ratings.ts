/**
 * The 21-notch rating scale, a default probability per notch, and rating migration at notch level for any time step.
 *
 * **Scale.** AAA, AA+, AA, AA−, A+, A, A−, BBB+, BBB, BBB−, BB+, BB, BB−, B+, B, B−, CCC+, CCC, CCC−, CC/C, D: notch
 * 0 is the best, notch 20 is default. CC and C share a notch (S&P publishes them pooled with CCC).
 *
 * **PD per notch** ({@linkcode notchPdScale}). Each letter's published one-year default rate (the `D` column of the
 * transition matrix) is placed at the letter's middle notch (AA at AA, CCC/C at CCC); AAA's rate, zero in the
 * 1981–2016 pool, is floored (default 1 bp) and the anchors are made non-decreasing; D has PD 1. Notches in between
 * are interpolated linearly in log PD. {@linkcode pdToNotch} maps a PD to the notch whose PD is nearest in log
 * space (cut-offs at the geometric means of neighbouring notch PDs).
 *
 * **Notch matrix** ({@linkcode notchTransitionMatrix}). S&P publishes letter-to-letter rates; notch-level rates are
 * built so that they add back up to the published letter matrix exactly (tested):
 * - a move to another letter M keeps P(L → M) and spreads it over M's notches with weights decayᵈ, d the notch
 *   distance (a downgrade from A− lands more often on BBB+ than on BBB−);
 * - staying in the letter keeps P(L → L), of which a share `withinLetterShare` (default 10 %) moves to the letter's
 *   other notches (same distance weights) and the rest stays on the notch;
 * - D is absorbing.
 *
 * **Any step** ({@linkcode ratingGenerator}, {@linkcode transitionMatrixForStep}). Under a time-homogeneous Markov
 * chain P(Δt) = exp(QΔt) with generator Q = log P(1). The matrix logarithm of an empirical matrix usually has a few
 * small negative off-diagonal entries (it is not exactly embeddable); they are repaired by Israel, Rosenthal & Wei's
 * (2001) **diagonal adjustment** — negative off-diagonals set to zero and the row's diagonal re-set so the row sums
 * to zero — or their **weighted adjustment** (the clipped mass taken from the row's entries in proportion to their
 * size). The repaired mass and the one-year error ‖exp(Q) − P‖ are reported.
 *
 * References: Israel, R. B., Rosenthal, J. S. & Wei, J. Z. (2001). Finding generators for Markov chains via
 * empirical transition matrices, with applications to credit ratings. Mathematical Finance 11(2), 245–265.
 * Jarrow, R. A., Lando, D. & Turnbull, S. M. (1997). A Markov model for the term structure of credit risk spreads.
 * Review of Financial Studies 10(2), 481–523.
 * @module
 */
import { Matrix } from "ml-matrix";
import {
  rangeError,
  Received,
  requireFinite,
  requireMatrix,
  requireObject,
  requireOptions,
  requirePositive,
  requireProbability,
  typeError,
} from "../core/check.ts";
import { expm, logm } from "../core/linalg.ts";
import type { TransitionTable } from "../data/load.ts";
import { SP_RATINGS } from "../data/schema.ts";

/** The 21 notches, best first; index = notch number. */
export const RATING_NOTCHES = [
  "AAA",
  "AA+",
  "AA",
  "AA-",
  "A+",
  "A",
  "A-",
  "BBB+",
  "BBB",
  "BBB-",
  "BB+",
  "BB",
  "BB-",
  "B+",
  "B",
  "B-",
  "CCC+",
  "CCC",
  "CCC-",
  "CC/C",
  "D",
] as const;
/** A notch name. */
export type RatingNotch = typeof RATING_NOTCHES[number];
/** The letter grades of S&P's published matrices, and D. */
export const RATING_LETTERS = [...SP_RATINGS, "D"] as const;
/** A letter grade. */
export type RatingLetter = typeof RATING_LETTERS[number];
/** Number of notches (21). */
export const N_NOTCHES = RATING_NOTCHES.length;
/** The default notch (20). */
export const DEFAULT_NOTCH = N_NOTCHES - 1;
/** The lowest investment-grade notch (BBB−, 9). */
export const LAST_INVESTMENT_GRADE = 9;
/** Steps in years for {@linkcode transitionMatrixForStep}: a trading day and a month. */
export const STEP_YEARS = { daily: 1 / 252, weekly: 1 / 52, monthly: 1 / 12, yearly: 1 } as const;

/** Letter of each notch. */
const NOTCH_LETTER: readonly RatingLetter[] = RATING_NOTCHES.map((n) =>
  n === "D" ? "D" : n.startsWith("CC") ? "CCC/C" : n.replace(/[+-]$/, "") as RatingLetter
);
/** The notch a letter's published default rate is placed at (its middle notch; CCC for CCC/C). */
const LETTER_ANCHOR: Record<RatingLetter, number> = { AAA: 0, AA: 2, A: 5, BBB: 8, BB: 11, B: 14, "CCC/C": 17, D: 20 };

/**
 * Notch number of a rating name: accepts "AA-" or "AA−" (Unicode minus), "CC", "C" and "CC/C" (notch 19), "SD"
 * and "D" (20); letters without a modifier are their middle notch ("BBB" is 8).
 *
 * @throws {RangeError} For an unknown rating.
 */
export function notchIndex(rating: string): number {
  const r = String(rating).trim().toUpperCase().replace("−", "-");
  const alias: Record<string, number> = { CC: 19, C: 19, SD: 20, "CCC/C": 17 };
  const i = (RATING_NOTCHES as readonly string[]).indexOf(r);
  if (i >= 0) return i;
  if (r in alias) return alias[r];
  throw rangeError("read rating", "rating", `one of ${RATING_NOTCHES.join(", ")} (or CC, C, SD)`, rating);
}

/** Name of notch `notch` (0 = AAA … 20 = D). */
export function notchName(notch: number): RatingNotch {
  return RATING_NOTCHES[checkNotch("name notch", "notch", notch)];
}

/**
 * Letter grade of a notch (number or name): AA− → AA, CC/C → CCC/C.
 *
 * @throws {RangeError} If `notch` is neither an integer in [0, 20] nor a rating name of {@linkcode notchIndex}.
 */
export function notchToLetter(notch: number | string): RatingLetter {
  const action = "map notch to letter";
  if (typeof notch !== "string") return NOTCH_LETTER[checkNotch(action, "notch", notch)];
  try {
    return NOTCH_LETTER[notchIndex(notch)];
  } catch {
    throw rangeError(action, "notch", `an integer notch in [0, ${DEFAULT_NOTCH}] or a rating name (AAA … D)`, notch);
  }
}

/** The notches of a letter grade, best first (AA → [1, 2, 3]). */
export function letterNotches(letter: RatingLetter): number[] {
  if (!(RATING_LETTERS as readonly string[]).includes(letter)) {
    throw rangeError("list notches", "letter", `one of ${RATING_LETTERS.join(", ")}`, letter);
  }
  return NOTCH_LETTER.flatMap((l, i) => (l === letter ? [i] : []));
}

/** Whether a notch is investment grade (BBB− or better). */
export function isInvestmentGradeNotch(notch: number): boolean {
  return checkNotch("classify notch", "notch", notch) <= LAST_INVESTMENT_GRADE;
}

/**
 * One-year PD of each of the 21 notches from a published matrix's default column (see the module notes).
 *
 * @param table A transition table with a `D` column (e.g. `loadRatingTransitions()`).
 * @param opts.floor Smallest PD of any notch (default 1e-4 = 1 bp; AAA's observed rate is 0).
 * @returns 21 PDs, non-decreasing, the last (D) equal to 1.
 * @throws {TypeError} If `table` is not a transition table or `opts` holds an unknown option.
 * @throws {RangeError} If a probability is not in [0, 1], the table lacks a letter or D, or `floor` is not in
 *   (0, 0.01).
 */
export function notchPdScale(table: TransitionTable, opts: { floor?: number } = {}): number[] {
  const action = "build notch PD scale";
  requireTable(action, "table", table);
  opts = requireOptions(action, "opts", opts, ["floor"]);
  const floor = requirePositive(action, "floor", opts.floor ?? 1e-4);
  if (floor >= 0.01) throw rangeError(action, "floor", "< 0.01", floor);
  const dCol = table.to.indexOf("D");
  if (dCol < 0) throw rangeError(action, "table.to", "a list including D", table.to.join(", "));
  const anchors: [number, number][] = [];
  let running = floor;
  for (const letter of SP_RATINGS) {
    const row = table.from.indexOf(letter);
    if (row < 0) throw rangeError(action, "table.from", `a list including ${letter}`, table.from.join(", "));
    running = Math.max(running, table.probabilities[row][dCol]);
    anchors.push([LETTER_ANCHOR[letter], running]);
  }
  anchors.push([DEFAULT_NOTCH, 1]);
  const pd = new Array<number>(N_NOTCHES);
  for (let a = 0; a + 1 < anchors.length; a++) {
    const [n0, p0] = anchors[a], [n1, p1] = anchors[a + 1];
    for (let n = n0; n <= n1; n++) pd[n] = n === n1 ? p1 : p0 * Math.pow(p1 / p0, (n - n0) / (n1 - n0));
  }
  return pd;
}

/**
 * The notch whose PD is nearest to `pd` in log space.
 *
 * @param pd One-year default probability in [0, 1].
 * @param scale Output of {@linkcode notchPdScale}.
 */
export function pdToNotch(pd: number, scale: readonly number[]): number {
  const action = "map PD to notch";
  if (!(pd >= 0 && pd <= 1)) throw rangeError(action, "pd", "a probability in [0, 1]", pd);
  checkScale(action, scale);
  let n = 0;
  while (n < DEFAULT_NOTCH && pd > Math.sqrt(scale[n] * scale[n + 1])) n++;
  return n;
}

/**
 * Vectorised {@linkcode pdToNotch}.
 *
 * @throws {TypeError} If `pd` is not an array of numbers.
 * @throws {RangeError} If a PD is not in [0, 1] or `scale` is not a notch PD scale.
 */
export function pdsToNotches(pd: ArrayLike<number>, scale: readonly number[]): Int32Array {
  const action = "map PDs to notches";
  if (!Array.isArray(pd) && !(ArrayBuffer.isView(pd) && !(pd instanceof DataView))) {
    throw typeError(action, "pd", "an array of probabilities", pd);
  }
  for (let i = 0; i < pd.length; i++) requireProbability(action, `pd[${i}]`, pd[i]);
  checkScale(action, scale);
  const out = new Int32Array(pd.length);
  for (let i = 0; i < pd.length; i++) out[i] = pdToNotch(pd[i], scale);
  return out;
}

/** Options of {@linkcode notchTransitionMatrix}. */
export interface NotchExpansionOptions {
  /** Share of a letter's stay probability that moves to its other notches (default 0.1). */
  readonly withinLetterShare?: number;
  /** Weight decay per notch of distance within the target letter (default 0.5). */
  readonly decay?: number;
}

/**
 * The one-year 21 × 21 notch transition matrix implied by a letter matrix (see the module notes); aggregating its
 * columns by letter gives back the letter matrix (its rows rescaled to sum exactly 1) for every source notch.
 *
 * @param table An NR-adjusted letter matrix with an absorbing D row (`loadRatingTransitions()`): probabilities in
 *   [0, 1], rows summing to 1 within the published rounding (± 0.001).
 * @throws {TypeError} If `table` is not a transition table or `opts` holds an unknown option.
 * @throws {RangeError} If the table's ratings are not the NR-adjusted letters, a probability is out of [0, 1], a row
 *   does not sum to 1, or an option is out of range.
 */
export function notchTransitionMatrix(table: TransitionTable, opts: NotchExpansionOptions = {}): number[][] {
  const action = "expand transition matrix to notches";
  requireTableRatings(action, "table", table);
  opts = requireOptions(action, "opts", opts, ["withinLetterShare", "decay"]);
  const share = opts.withinLetterShare ?? 0.1;
  if (!(share >= 0 && share < 1)) throw rangeError(action, "withinLetterShare", "in [0, 1)", share);
  const decay = opts.decay ?? 0.5;
  if (!(decay > 0 && decay <= 1)) throw rangeError(action, "decay", "in (0, 1]", decay);
  const letters = RATING_LETTERS as readonly string[];
  if (table.from.join() !== letters.join() || table.to.join() !== letters.join()) {
    throw rangeError(
      action,
      "table",
      `an NR-adjusted matrix with rows and columns ${letters.join(", ")}`,
      new Received(`rows ${table.from.join(", ")}; columns ${table.to.join(", ")}`),
    );
  }
  requireTableProbabilities(action, "table", table);
  // Published rows carry rounding (they sum to 1 ± 1e-4): rescale each to sum exactly 1.
  const L = table.probabilities.map((row, i) => {
    const s = row.reduce((a, b) => a + b, 0);
    if (!(Math.abs(s - 1) <= 1e-3)) {
      throw rangeError(action, `table.probabilities[${i}]`, "a row summing to 1 (± 0.001 for rounding)", s);
    }
    return row.map((p) => p / s);
  });
  const P = Array.from({ length: N_NOTCHES }, () => new Array<number>(N_NOTCHES).fill(0));
  const spread = (row: number[], from: number, targets: number[], mass: number) => {
    const w = targets.map((j) => Math.pow(decay, Math.abs(j - from)));
    const total = w.reduce((a, b) => a + b, 0);
    targets.forEach((j, k) => (row[j] += (mass * w[k]) / total));
  };
  for (let i = 0; i < N_NOTCHES; i++) {
    const from = letters.indexOf(NOTCH_LETTER[i]);
    RATING_LETTERS.forEach((letter, to) => {
      const mass = L[from][to];
      if (mass === 0) return;
      const targets = letterNotches(letter);
      if (to !== from) return spread(P[i], i, targets, mass);
      const others = targets.filter((j) => j !== i);
      if (others.length === 0) return void (P[i][i] += mass);
      P[i][i] += mass * (1 - share);
      spread(P[i], i, others, mass * share);
    });
  }
  return P;
}

/** Sums a 21 × 21 notch matrix back to letters: rows averaged over each letter's notches, columns summed. */
export function lettersFromNotches(P: number[][]): number[][] {
  requireMatrix("aggregate notch matrix", "P", P, { square: true, minRows: N_NOTCHES });
  if (P.length !== N_NOTCHES) throw rangeError("aggregate notch matrix", "P", "21 × 21", P.length);
  return RATING_LETTERS.map((from) => {
    const rows = letterNotches(from);
    return RATING_LETTERS.map((to) => {
      const cols = letterNotches(to);
      let s = 0;
      for (const i of rows) for (const j of cols) s += P[i][j];
      return s / rows.length;
    });
  });
}

/** A repaired generator and how far it is from the matrix it came from. */
export interface RatingGenerator {
  /** Q: non-negative off-diagonals, rows summing to 0 (per year). */ readonly generator: number[][];
  /** The repair applied to log P. */ readonly method: "diagonal" | "weighted";
  /** Total negative off-diagonal mass of log P that was clipped (per year). */ readonly clippedMass: number;
  /** Largest negative off-diagonal entry of log P before repair. */ readonly mostNegative: number;
  /** max |exp(Q) − P| over all entries: how well the repaired generator reproduces the one-year matrix. */
  readonly oneYearError: number;
}

/**
 * Generator Q of a one-year transition matrix P: Q = log P, repaired into a valid generator (see the module notes).
 *
 * @param P One-year transition matrix, rows summing to 1.
 * @param opts.method "diagonal" (IRW's diagonal adjustment, default) or "weighted" (IRW's weighted adjustment).
 */
export function ratingGenerator(P: number[][], opts: { method?: "diagonal" | "weighted" } = {}): RatingGenerator {
  const action = "compute rating generator";
  const method = requireOptions<{ method?: string }>(action, "opts", opts, ["method"]).method ?? "diagonal";
  if (method !== "diagonal" && method !== "weighted") {
    throw rangeError(action, "method", `"diagonal" or "weighted"`, method);
  }
  checkStochasticMatrix(action, "P", P);
  const raw = logm(P);
  const n = P.length;
  let clippedMass = 0, mostNegative = 0;
  const Q = raw.map((row, i) => {
    if (P[i][i] === 1) return new Array<number>(n).fill(0); // an absorbing state (D): exactly zero, not round-off
    const out = [...row];
    let negative = 0;
    for (let j = 0; j < n; j++) {
      if (j !== i && out[j] < 0) (negative -= out[j]), (mostNegative = Math.min(mostNegative, out[j])), (out[j] = 0);
    }
    clippedMass += negative;
    if (method === "diagonal") {
      out[i] = -out.reduce((s, q, j) => (j === i ? s : s + q), 0);
    } else {
      // Weighted: remove the row's net imbalance from every entry in proportion to its absolute size.
      const imbalance = out.reduce((s, q) => s + q, 0);
      const scale = out.reduce((s, q) => s + Math.abs(q), 0);
      if (scale > 0) { for (let j = 0; j < n; j++) out[j] -= (Math.abs(out[j]) * imbalance) / scale; }
    }
    return out;
  });
  const E = expm(Q);
  let oneYearError = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) oneYearError = Math.max(oneYearError, Math.abs(E[i][j] - P[i][j]));
  }
  return { generator: Q, method, clippedMass, mostNegative, oneYearError };
}

/**
 * Transition matrix over `stepYears` from a generator: P(Δt) = exp(QΔt). Round-off below 1e-15 is cleaned so the
 * result is exactly non-negative with rows summing to 1.
 *
 * @param generator A valid generator (from {@linkcode ratingGenerator}).
 * @param stepYears Step in years (e.g. {@linkcode STEP_YEARS}.daily = 1/252).
 */
export function transitionMatrixForStep(generator: number[][], stepYears: number): number[][] {
  const action = "compute transition matrix for a step";
  requirePositive(action, "stepYears", stepYears);
  const { rows: n } = requireMatrix(action, "generator", generator, { square: true, minRows: 1 });
  generator.forEach((row, i) => {
    const s = row.reduce((a, b) => a + b, 0);
    if (Math.abs(s) > 1e-9 || row.some((q, j) => j !== i && q < 0)) {
      throw rangeError(action, `generator[${i}]`, "a generator row (off-diagonals ≥ 0, sum 0)", row);
    }
  });
  const P = expm(generator.map((row) => row.map((q) => q * stepYears)));
  return P.map((row, i) => {
    const clean = row.map((p) => {
      if (p < -1e-12) throw rangeError(action, `exp(QΔt)[${i}]`, "non-negative entries", p);
      return Math.max(p, 0);
    });
    const s = clean.reduce((a, b) => a + b, 0);
    return clean.map((p) => p / s).slice(0, n);
  });
}

/** Pⁿ by binary powering, e.g. a daily matrix compounded over 252 days to compare with a one-year matrix. */
export function compoundTransitions(P: number[][], steps: number): number[][] {
  const action = "compound transition matrix";
  if (!Number.isInteger(steps) || steps < 1) throw rangeError(action, "steps", "an integer ≥ 1", steps);
  checkStochasticMatrix(action, "P", P);
  let result: Matrix | null = null, base = new Matrix(P.map((r) => [...r]));
  // Halving by division, not `>>`: a bit shift truncates counts above 2³¹ to 32 bits.
  for (let k = steps; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) result = result ? result.mmul(base) : base.clone();
    if (k > 1) base = base.mmul(base);
  }
  return result!.to2DArray();
}

/**
 * Transition mask for an HMM over the 21 notches: D absorbing, and (optionally) moves of at most `maxJump` notches
 * per step, plus default from anywhere.
 */
export function notchTransitionMask(opts: { maxJump?: number } = {}): boolean[][] {
  opts = requireOptions(MASK_ACTION, "opts", opts, ["maxJump"]);
  const maxJump = opts.maxJump ?? N_NOTCHES;
  if (!Number.isInteger(maxJump) || maxJump < 1) {
    throw rangeError(MASK_ACTION, "maxJump", "an integer ≥ 1", maxJump);
  }
  return Array.from(
    { length: N_NOTCHES },
    (_, i) =>
      Array.from(
        { length: N_NOTCHES },
        (_, j) => i === DEFAULT_NOTCH ? j === DEFAULT_NOTCH : j === DEFAULT_NOTCH || Math.abs(i - j) <= maxJump,
      ),
  );
}

const MASK_ACTION = "build notch transition mask";

/**
 * Checks a {@linkcode TransitionTable}: `from` and `to` arrays of rating names, and `probabilities` a
 * `from.length × to.length` matrix of probabilities in [0, 1].
 */
function requireTable(action: string, name: string, table: unknown): TransitionTable {
  const t = requireTableRatings(action, name, table);
  requireTableProbabilities(action, name, t);
  return t;
}

/** Checks the `from` and `to` lists of a {@linkcode TransitionTable}. */
function requireTableRatings(action: string, name: string, table: unknown): TransitionTable {
  const t = requireObject(action, name, table) as unknown as TransitionTable;
  for (const key of ["from", "to"] as const) {
    const list = t[key];
    if (!Array.isArray(list) || list.some((r) => typeof r !== "string")) {
      throw typeError(action, `${name}.${key}`, "an array of rating names", list);
    }
  }
  return t;
}

/** Checks the probabilities of a {@linkcode TransitionTable} whose lists are checked. */
function requireTableProbabilities(action: string, name: string, t: TransitionTable): void {
  requireMatrix(action, `${name}.probabilities`, t.probabilities, { rows: t.from.length, cols: t.to.length });
  t.probabilities.forEach((row, i) =>
    row.forEach((p, j) => requireProbability(action, `${name}.probabilities[${i}][${j}]`, p))
  );
}

function checkNotch(action: string, name: string, notch: number): number {
  if (!Number.isInteger(notch) || notch < 0 || notch > DEFAULT_NOTCH) {
    throw rangeError(action, name, `an integer notch in [0, ${DEFAULT_NOTCH}]`, notch);
  }
  return notch;
}

function checkScale(action: string, scale: readonly number[]) {
  if (!Array.isArray(scale)) throw typeError(action, "scale", "an array of 21 PDs (from notchPdScale)", scale);
  if (scale.length !== N_NOTCHES || !scale.every((p, i) => p > 0 && p <= 1 && (i === 0 || p >= scale[i - 1]))) {
    throw rangeError(action, "scale", "21 non-decreasing PDs in (0, 1] (from notchPdScale)", scale.length);
  }
}

function checkStochasticMatrix(action: string, name: string, P: number[][]) {
  requireMatrix(action, name, P, { square: true, minRows: 1 });
  P.forEach((row, i) => {
    row.forEach((p, j) => requireFinite(action, `${name}[${i}][${j}]`, p));
    const s = row.reduce((a, b) => a + b, 0);
    if (row.some((p) => p < 0) || Math.abs(s - 1) > 1e-4) {
      throw rangeError(action, `${name}[${i}]`, "a probability row summing to 1 (± 1e-4 for rounding)", s);
    }
  });
}
