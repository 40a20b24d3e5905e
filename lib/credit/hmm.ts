/**
 * A hidden Markov model with diagonal-Gaussian emissions: the model behind daily credit states.
 *
 *     hidden states   sₜ ∈ {0, …, K−1}, P(s₀ = i) = πᵢ, P(sₜ = j | sₜ₋₁ = i) = Aᵢⱼ
 *     emissions       xₜ | sₜ = k ~ N(μₖ, diag σ²ₖ)   (one row of X per date, F features)
 *
 * - **Forward** (filtering): αₜ(j) = P(sₜ = j | x₁..xₜ), computed with per-step normalisation cₜ (Rabiner's
 *   scaling), so log P(X) = Σ ln cₜ stays finite for any T. Filtered probabilities use data up to t only: they are
 *   what a backtest may use.
 * - **Log-space rescue**: when a scaled step underflows (cₜ < 1e-300 — e.g. with a banded transition matrix, an
 *   observation that only states far from the current ones can explain), the forward and backward passes are redone
 *   in log space, ln αₜ(j) = ln bₜ(j) + logsumexpᵢ(ln αₜ₋₁(i) + ln Aᵢⱼ), so the likelihood stays finite. Only an
 *   observation that no reachable state may emit at all (bounds, masks) is an error.
 * - **Backward** and **smoothing**: γₜ(j) = P(sₜ = j | x₁..x_T) uses the whole sample — for ex-post views only.
 * - **Viterbi**: the single most likely path, in log space on the raw log-densities; also ex-post.
 * - **Baum–Welch** (EM): re-estimates π, A, μ, σ² from the smoothed posteriors. A `transitionMask` fixes entries at
 *   exactly zero (they stay zero: EM only rescales entries that are already positive), so a default state can be
 *   made absorbing. A state that is never visited keeps its previous row, mean and variance (no 0/0 = NaN).
 *   Variances are floored at `varianceFloor` × the feature's sample variance. Several initialisations (`nInit`, one
 *   seeded stream each) are run and the one with the best log-likelihood is kept; `history` holds its
 *   log-likelihood per iteration. `fixedStartProb` keeps π at a given distribution (EM on one sequence would
 *   otherwise shrink it to the first day's posterior, nearly a point mass).
 * - **Ordered states** (`ordered`): after each M-step the means of the listed features are projected onto sequences
 *   monotone in the state index (see {@linkcode isotonicRegression}), with weights wₖ/σ²ₖ,f (state occupancy
 *   wₖ = Σₜ γₜ(k) over the previous variance). For fixed variances that projection is the exact maximiser of EM's
 *   expected log-likelihood over ordered means; the variances are then re-estimated around the projected means. It
 *   is an ECM step (Meng & Rubin 1993), so the likelihood still never decreases. States are never relabelled, so a
 *   band of allowed moves stays in state order.
 * - **Informative priors**: `initialTransMat` starts EM from a given matrix (e.g. S&P's at the model's step, from
 *   `transitionMatrixForStep`), `initialMeans`/`initialVariances` from given emissions (a warm start), and `bounds`
 *   (per call) keeps one entity's path within states min..max, as a rating model may keep an issuer within a band of
 *   notches.
 *
 * Sparse transition matrices (a band) are exploited: each pass only visits the non-zero entries of A, and states
 * that cannot be reached from π through A > 0 get emission probability exactly 0.
 *
 * References:
 * 1. Rabiner, L. R. (1989). A tutorial on hidden Markov models. Proc. IEEE 77(2), 257–286, §V.A (scaling).
 * 2. Meng, X.-L. & Rubin, D. B. (1993). Maximum likelihood estimation via the ECM algorithm. Biometrika 80(2).
 * 3. Barlow, R. E., Bartholomew, D. J., Bremner, J. M. & Brunk, H. D. (1972). Statistical Inference under Order
 *    Restrictions, ch. 1 (pool-adjacent-violators).
 * @module
 */
import { MAX_ELEMENTS, rangeError, requireFiniteArray, requireKnownKeys, typeError } from "../core/check.ts";
import { makeRng, standardNormal, uniform } from "../core/rng.ts";

/** Parameters of a Gaussian HMM. */
export interface HMMParams {
  readonly startProb: number[];
  readonly transMat: number[][];
  readonly means: number[][];
  readonly variances: number[][];
}

/**
 * Per-entity state bounds: only states min..max (inclusive) are possible for this sequence — e.g. a rating path kept
 * within an issuer's allowed notches. States outside get emission probability 0.
 */
export interface StateBounds {
  readonly min: number;
  readonly max: number;
}

/** Options of the evaluation methods. */
export interface HMMEvalOptions {
  /** Restrict the path to states min..max (default: all states). */ readonly bounds?: StateBounds;
}

/** Options of {@linkcode GaussianHMM.fit}. */
export interface HMMFitOptions extends HMMEvalOptions {
  /** Largest number of Baum–Welch iterations per initialisation (default 100). */ readonly maxIter?: number;
  /** Stop when the log-likelihood changes by less than tol × max(1, |ℓ|) (default 1e-6). */ readonly tol?: number;
  /**
   * Score the final parameters with one more forward pass (default true). With false, `history` ends with the
   * log-likelihood before the last M-step and initialisations are compared on it — one pass fewer, for warm-started
   * refits that filter right after fitting.
   */
  readonly finalScore?: boolean;
}

/**
 * A monotonicity constraint on one feature's emission means across the states, in state order:
 * `increasing` means μ₀,f ≤ μ₁,f ≤ … ≤ μ_{K−1},f (with steps of at least `minGap`).
 */
export interface OrderedFeature {
  /** Column of X. */ readonly feature: number;
  /** "increasing" or "decreasing" in the state index. */ readonly direction: "increasing" | "decreasing";
  /** Smallest step between neighbouring states' means, in the feature's units (default 0: non-strict). */
  readonly minGap?: number;
}

/** Options of the {@linkcode GaussianHMM} constructor. */
export interface GaussianHMMOptions {
  readonly nStates: number;
  /** Seed of the initialisations (default 0). */ readonly seed?: number | string;
  /** false = transition forbidden (kept at exactly 0). */ readonly transitionMask?: boolean[][];
  /** Initialisations tried by fit() (default 3). */ readonly nInit?: number;
  /** Variance floor as a share of each feature's sample variance (default 1e-3). */ readonly varianceFloor?: number;
  /** Starting transition matrix (an informative prior, e.g. S&P's at the model's step); masked entries are zeroed. */
  readonly initialTransMat?: number[][];
  /**
   * Starting means, K × F (default: quantile groups of the rows sorted by the first ordered feature in its
   * direction, or by the first feature ascending).
   */
  readonly initialMeans?: number[][];
  /** Starting variances, K × F, all > 0 (default: each feature's sample variance / K). */
  readonly initialVariances?: number[][];
  /** Monotonicity constraints on the emission means (default none); see the module notes. */
  readonly ordered?: readonly OrderedFeature[];
  /** A start distribution kept fixed by EM (default: π estimated, starting from uniform). */
  readonly fixedStartProb?: number[];
  /**
   * Dirichlet pseudo-counts αᵢⱼ ≥ 0 on the transitions, K × K, zero where the mask forbids a move (default none):
   * MAP re-estimation Aᵢⱼ ∝ Σₜ ξₜ(i, j) + αᵢⱼ, so a move the sample never shows keeps a small probability instead
   * of shrinking to exactly 0 over the iterations. `history` then holds the log posterior ℓ + Σ αᵢⱼ ln Aᵢⱼ (up to a
   * constant), which EM never decreases; `score` stays the plain log-likelihood.
   */
  readonly transitionPseudoCounts?: number[][];
}

const LOG_2PI = Math.log(2 * Math.PI);
/** A scaled forward step whose normaliser falls below this is redone in log space (doubles lose precision). */
const UNDERFLOW = 1e-300;
const CONSTRUCTOR_KEYS = [
  "nStates",
  "seed",
  "transitionMask",
  "nInit",
  "varianceFloor",
  "initialTransMat",
  "initialMeans",
  "initialVariances",
  "ordered",
  "fixedStartProb",
  "transitionPseudoCounts",
];

/**
 * Gaussian hidden Markov model with diagonal covariances (see the module notes).
 *
 * @example Two well-separated regimes are recovered, and ordered means stay ordered
 * ```ts
 * import assert from "node:assert/strict";
 * import { GaussianHMM, simulateHMM } from "./hmm.ts";
 *
 * const truth = { startProb: [0.5, 0.5], transMat: [[0.95, 0.05], [0.05, 0.95]], means: [[0], [4]], variances: [[1], [1]] };
 * const { X } = simulateHMM(truth, 500, 1);
 * const m = new GaussianHMM({ nStates: 2, seed: 1, ordered: [{ feature: 0, direction: "increasing" }] }).fit(X);
 * assert.ok(Math.abs(m.means[0][0]) < 0.3 && Math.abs(m.means[1][0] - 4) < 0.3);
 * ```
 */
export class GaussianHMM {
  readonly nStates: number;
  startProb: number[] = [];
  transMat: number[][] = [];
  means: number[][] = [];
  variances: number[][] = [];
  /** Log-likelihood before each Baum–Welch iteration of the best initialisation, then after the last (see finalScore). */
  history: number[] = [];
  /** Whether the best initialisation met the tolerance before maxIter. */ converged = false;
  /** Baum–Welch iterations (M-steps) of the best initialisation. */ iterations = 0;
  private readonly mask: boolean[][] | null;
  private readonly seed: number | string;
  private readonly nInit: number;
  private readonly varianceFloor: number;
  private readonly initialTransMat?: number[][];
  private readonly initialMeans?: number[][];
  private readonly initialVariances?: number[][];
  private readonly ordered: readonly Required<OrderedFeature>[];
  private readonly fixedStartProb: Float64Array | null;
  private readonly pseudo: Float64Array | null;

  constructor(opts: GaussianHMMOptions) {
    const action = "create GaussianHMM";
    requireKnownKeys(action, "opts", opts, CONSTRUCTOR_KEYS);
    if (!Number.isInteger(opts.nStates) || opts.nStates < 1) {
      throw rangeError(action, "nStates", "an integer ≥ 1", opts.nStates);
    }
    this.nStates = opts.nStates;
    this.seed = opts.seed ?? 0;
    this.nInit = opts.nInit ?? 3;
    if (!Number.isInteger(this.nInit) || this.nInit < 1) {
      throw rangeError(action, "nInit", "an integer ≥ 1", opts.nInit);
    }
    this.varianceFloor = opts.varianceFloor ?? 1e-3;
    if (!(this.varianceFloor > 0)) throw rangeError(action, "varianceFloor", "> 0", opts.varianceFloor);
    const K = this.nStates;
    if (opts.transitionMask) {
      const m = opts.transitionMask;
      if (m.length !== K || m.some((row) => row.length !== K)) {
        throw rangeError(action, "transitionMask", `${K} × ${K} booleans`, `${m.length} rows`);
      }
      m.forEach((row, i) => {
        if (!row.some(Boolean)) {
          throw rangeError(action, `transitionMask[${i}]`, "at least one allowed transition", "none");
        }
      });
    }
    this.mask = opts.transitionMask?.map((r) => [...r]) ?? null;
    if (opts.initialTransMat) {
      this.initialTransMat = checkStochastic(action, "initialTransMat", opts.initialTransMat, K);
    }
    if (opts.initialMeans) this.initialMeans = checkEmissionRows(action, "initialMeans", opts.initialMeans, K, false);
    if (opts.initialVariances) {
      this.initialVariances = checkEmissionRows(action, "initialVariances", opts.initialVariances, K, true);
    }
    this.ordered = checkOrdered(action, opts.ordered ?? []);
    this.fixedStartProb = opts.fixedStartProb
      ? Float64Array.from(checkStochastic(action, "fixedStartProb", [opts.fixedStartProb], K)[0])
      : null;
    this.pseudo = null;
    if (opts.transitionPseudoCounts) {
      const a = opts.transitionPseudoCounts;
      if (!Array.isArray(a) || a.length !== K) {
        throw rangeError(action, "transitionPseudoCounts", `${K} rows`, a?.length);
      }
      const flat = new Float64Array(K * K);
      a.forEach((row, i) => {
        if (!Array.isArray(row) || row.length !== K) {
          throw rangeError(action, `transitionPseudoCounts[${i}]`, `${K} entries`, row?.length);
        }
        row.forEach((v, j) => {
          const forbidden = this.mask !== null && !this.mask[i][j];
          if (!(v >= 0 && Number.isFinite(v)) || (forbidden && v !== 0)) {
            const rule = forbidden ? "0 (the mask forbids this move)" : "a finite number >= 0";
            throw rangeError(action, `transitionPseudoCounts[${i}][${j}]`, rule, v);
          }
          flat[i * K + j] = v;
        });
      });
      this.pseudo = flat;
    }
  }

  /** A model with given parameters (validated: stochastic rows, positive variances). */
  static fromParams(p: HMMParams): GaussianHMM {
    const action = "create GaussianHMM from parameters";
    if (p === null || typeof p !== "object") throw typeError(action, "p", "an object of HMM parameters", p);
    if (!Array.isArray(p.startProb) || p.startProb.length === 0) {
      throw typeError(action, "startProb", "a non-empty array of probabilities", p.startProb);
    }
    const K = p.startProb.length;
    const model = new GaussianHMM({ nStates: K });
    checkStochastic(action, "startProb", [p.startProb], K);
    checkStochastic(action, "transMat", p.transMat, K);
    if (!Array.isArray(p.means) || !Array.isArray(p.variances) || p.means.length !== K || p.variances.length !== K) {
      throw rangeError(
        action,
        "means/variances",
        `${K} rows (one per state)`,
        `${p.means?.length}/${p.variances?.length}`,
      );
    }
    checkEmissionRows(action, "means", p.means, K, false);
    checkEmissionRows(action, "variances", p.variances, K, true);
    if (p.variances[0].length !== p.means[0].length) {
      throw rangeError(action, "variances[0]", `${p.means[0].length} values like means[0]`, p.variances[0].length);
    }
    model.startProb = [...p.startProb];
    model.transMat = p.transMat.map((r) => [...r]);
    model.means = p.means.map((r) => [...r]);
    model.variances = p.variances.map((r) => [...r]);
    return model;
  }

  /** The fit at a glance: iterations, convergence and the log-likelihood path of the best initialisation. */
  get fitInfo(): { iterations: number; converged: boolean; logLikelihood: Float64Array } {
    return { iterations: this.iterations, converged: this.converged, logLikelihood: Float64Array.from(this.history) };
  }

  /** Baum–Welch from `nInit` seeded initialisations; keeps the best log-likelihood. */
  fit(X: number[][], opts: HMMFitOptions = {}): this {
    const action = "fit GaussianHMM";
    requireKnownKeys(action, "opts", opts, ["maxIter", "tol", "bounds", "finalScore"]);
    const finalScore = opts.finalScore ?? true;
    if (typeof finalScore !== "boolean") throw rangeError(action, "finalScore", "a boolean", finalScore);
    const data = flatten(action, X, opts.bounds, this.nStates);
    const maxIter = opts.maxIter ?? 100, tol = opts.tol ?? 1e-6;
    if (!Number.isInteger(maxIter) || maxIter < 1) throw rangeError(action, "maxIter", "an integer ≥ 1", maxIter);
    if (!(tol > 0)) throw rangeError(action, "tol", "> 0", tol);
    const { T, F } = data;
    if (T < 2) throw rangeError(action, "X", "at least 2 rows", T);
    for (const o of this.ordered) {
      if (o.feature >= F) throw rangeError(action, "ordered feature", `a column of X in [0, ${F - 1}]`, o.feature);
    }
    for (const [name, rows] of [["initialMeans", this.initialMeans], ["initialVariances", this.initialVariances]]) {
      if (rows && (rows as number[][])[0].length !== F) {
        throw rangeError(action, name as string, `${this.nStates} × ${F}`, (rows as number[][])[0].length);
      }
    }
    const featureVar = new Float64Array(F);
    for (let f = 0; f < F; f++) {
      let s = 0, ss = 0;
      for (let t = 0; t < T; t++) (s += data.x[t * F + f]), (ss += data.x[t * F + f] ** 2);
      featureVar[f] = Math.max(ss / T - (s / T) ** 2, 1e-300);
    }
    const floor = Float64Array.from(featureVar, (v) => v * this.varianceFloor);
    const em: EMSettings = { floor, ordered: this.ordered, fixedPi: this.fixedStartProb, pseudo: this.pseudo };
    let best: { params: Flat; history: number[]; converged: boolean } | null = null;
    for (let init = 0; init < this.nInit; init++) {
      let p = this.initialise(data, featureVar, init);
      const history: number[] = [];
      let converged = false;
      for (let it = 0; it < maxIter; it++) {
        const step = baumWelchStep(p, data, em);
        history.push(step.logLik);
        p = step.params;
        if (
          history.length > 1 &&
          Math.abs(history.at(-1)! - history.at(-2)!) < tol * Math.max(1, Math.abs(history.at(-1)!))
        ) {
          converged = true;
          break;
        }
      }
      if (finalScore) history.push(forward(p, data).logLik + logPrior(p, em.pseudo));
      if (best === null || history.at(-1)! > best.history.at(-1)!) best = { params: p, history, converged };
    }
    this.setFlat(best!.params);
    this.history = best!.history;
    this.converged = best!.converged;
    this.iterations = best!.history.length - (finalScore ? 1 : 0);
    return this;
  }

  /** log P(X | model). */
  score(X: number[][], opts: HMMEvalOptions = {}): number {
    const action = "score GaussianHMM";
    requireKnownKeys(action, "opts", opts, ["bounds"]);
    return forward(this.flat(action), flatten(action, X, opts.bounds, this.nStates)).logLik;
  }

  /** Viterbi path and its log-probability. */
  decode(X: number[][], opts: HMMEvalOptions = {}): { logProb: number; states: number[] } {
    const action = "decode GaussianHMM";
    requireKnownKeys(action, "opts", opts, ["bounds"]);
    const p = this.flat(action), data = flatten(action, X, opts.bounds, this.nStates);
    return viterbi(p, data);
  }

  /** Smoothed posteriors P(sₜ | x₁..x_T), T × K: uses the whole sample (ex-post only). */
  predictProba(X: number[][], opts: HMMEvalOptions = {}): number[][] {
    const action = "smooth GaussianHMM";
    requireKnownKeys(action, "opts", opts, ["bounds"]);
    const p = this.flat(action), data = flatten(action, X, opts.bounds, this.nStates);
    const fw = forward(p, data), gamma = backward(p, data, fw, false).gamma;
    return toRows(gamma, data.T, p.K);
  }

  /** Filtered probabilities P(sₜ | x₁..xₜ), T × K: causal, the look-ahead-safe default for backtests. */
  filterProba(X: number[][], opts: HMMEvalOptions = {}): number[][] {
    return this.filter(X, opts).proba;
  }

  /**
   * Filtered probabilities and the one-step predictive log-densities of one forward pass:
   *
   *     proba[t][k]       = P(sₜ = k | x₁..xₜ)
   *     logPredictive[t]  = ln p(xₜ | x₁..xₜ₋₁)          (t = 0: ln p(x₀)),  Σₜ logPredictive[t] = score(X)
   *
   * Both are causal: row t uses x₁..xₜ only. The sum of logPredictive over dates after a fit's sample is its
   * out-of-sample log score.
   */
  filter(X: number[][], opts: HMMEvalOptions = {}): { proba: number[][]; logPredictive: Float64Array } {
    const action = "filter GaussianHMM";
    requireKnownKeys(action, "opts", opts, ["bounds"]);
    const p = this.flat(action), data = flatten(action, X, opts.bounds, this.nStates);
    const fw = forward(p, data);
    return { proba: toRows(fw.alpha, data.T, p.K), logPredictive: fw.logC };
  }

  private flat(action: string): Flat {
    if (this.means.length === 0) throw rangeError(action, "model", "fitted or built with fromParams", "no parameters");
    return toFlat(this);
  }

  private setFlat(p: Flat) {
    const K = p.K, F = p.F;
    this.startProb = Array.from(p.pi);
    this.transMat = Array.from({ length: K }, (_, i) => Array.from(p.A.subarray(i * K, (i + 1) * K)));
    this.means = Array.from({ length: K }, (_, k) => Array.from(p.mu.subarray(k * F, (k + 1) * F)));
    this.variances = Array.from({ length: K }, (_, k) => Array.from(p.v.subarray(k * F, (k + 1) * F)));
  }

  private initialise(data: Data, variance: Float64Array, init: number): Flat {
    const K = this.nStates, { T, F, x } = data;
    const rng = makeRng(this.seed, "hmm-init", String(init));
    const mu = new Float64Array(K * F), v = new Float64Array(K * F);
    if (this.initialMeans) {
      this.initialMeans.forEach((m, k) => m.forEach((val, f) => (mu[k * F + f] = val)));
    } else {
      // Quantile groups of one feature: state k gets the k-th slice of the rows sorted by it (in the direction of
      // the first ordered feature, so that the groups already respect it).
      const by = this.ordered.length > 0 ? this.ordered[0].feature : 0;
      const sign = this.ordered.length > 0 && this.ordered[0].direction === "decreasing" ? -1 : 1;
      const order = Array.from({ length: T }, (_, t) => t).sort((a, b) => sign * (x[a * F + by] - x[b * F + by]));
      for (let k = 0; k < K; k++) {
        const lo = Math.floor((k * T) / K), hi = Math.max(Math.floor(((k + 1) * T) / K), lo + 1);
        for (let f = 0; f < F; f++) {
          let s = 0;
          for (let r = lo; r < hi; r++) s += x[order[Math.min(r, T - 1)] * F + f];
          mu[k * F + f] = s / (hi - lo);
        }
      }
    }
    for (let k = 0; k < K; k++) {
      for (let f = 0; f < F; f++) {
        // Initialisations after the first are jittered by a tenth of the feature's standard deviation.
        if (init > 0) mu[k * F + f] += 0.1 * Math.sqrt(variance[f]) * standardNormal(rng);
        v[k * F + f] = this.initialVariances ? this.initialVariances[k][f] : variance[f] / Math.max(K, 1);
      }
    }
    // Every start satisfies the order constraints (equal weights), so EM's first step starts from a feasible point.
    if (this.ordered.length > 0) projectMeans(mu, K, F, this.ordered, new Float64Array(K).fill(1));
    const A = new Float64Array(K * K);
    for (let i = 0; i < K; i++) {
      const allowed = (j: number) => (this.mask ? this.mask[i][j] : true);
      let total = 0;
      for (let j = 0; j < K; j++) {
        const prior = this.initialTransMat ? this.initialTransMat[i][j] : i === j ? 0.9 : 0.1 / Math.max(K - 1, 1);
        A[i * K + j] = allowed(j) ? prior : 0;
        total += A[i * K + j];
      }
      if (total === 0) { // the prior put all mass on forbidden entries: spread over the allowed ones
        for (let j = 0; j < K; j++) A[i * K + j] = allowed(j) ? 1 : 0;
        total = this.mask![i].filter(Boolean).length;
      }
      for (let j = 0; j < K; j++) A[i * K + j] /= total;
    }
    const pi = this.fixedStartProb ? Float64Array.from(this.fixedStartProb) : new Float64Array(K).fill(1 / K);
    return { K, F, pi, A, mu, v };
  }
}

/**
 * Weighted isotonic regression by pool-adjacent-violators: the sequence m minimising Σᵢ wᵢ (yᵢ − mᵢ)² subject to
 * m₀ ≤ m₁ ≤ … (`increasing`, the default) or m₀ ≥ m₁ ≥ … (`decreasing`), with neighbouring steps of at least
 * `minGap` when given (solved as the plain problem on yᵢ ∓ i·minGap, then shifted back).
 *
 * Zero weights are the limit w → 0: a zero-weight point pooled with weighted ones takes their weighted mean; a block
 * of zero-weight points alone takes its plain mean. O(n).
 *
 * Reference: Barlow, Bartholomew, Bremner & Brunk (1972), Statistical Inference under Order Restrictions, §1.2.
 *
 * @param values yᵢ, finite.
 * @param weights wᵢ ≥ 0, finite, as many as values.
 * @returns The fitted sequence m (a new array).
 * @throws {RangeError} On a non-finite value, a negative weight, mismatched lengths or a negative minGap.
 *
 * @example The textbook example: one violation pooled
 * ```ts
 * import assert from "node:assert/strict";
 * import { isotonicRegression } from "./hmm.ts";
 *
 * assert.deepEqual(Array.from(isotonicRegression([1, 3, 2, 4], [1, 1, 1, 1])), [1, 2.5, 2.5, 4]);
 * ```
 */
export function isotonicRegression(
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
  opts: { direction?: "increasing" | "decreasing"; minGap?: number } = {},
): Float64Array {
  const action = "compute isotonic regression";
  requireKnownKeys(action, "opts", opts, ["direction", "minGap"]);
  const n = requireFiniteArray(action, "values", values).length;
  requireFiniteArray(action, "weights", weights);
  if (weights.length !== n) throw rangeError(action, "weights", `${n} values (as many as values)`, weights.length);
  for (let i = 0; i < n; i++) {
    if (!(weights[i] >= 0)) throw rangeError(action, `weights[${i}]`, "a finite number >= 0", weights[i]);
  }
  const direction = opts.direction ?? "increasing";
  if (direction !== "increasing" && direction !== "decreasing") {
    throw rangeError(action, "direction", `"increasing" or "decreasing"`, direction);
  }
  const minGap = opts.minGap ?? 0;
  if (!(minGap >= 0 && Number.isFinite(minGap))) throw rangeError(action, "minGap", "a finite number >= 0", minGap);
  const y = Float64Array.from(values), w = Float64Array.from(weights), out = new Float64Array(n);
  isotonic(y, w, direction === "increasing" ? 1 : -1, minGap, out);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Kernels on flat typed arrays.

interface Flat {
  K: number;
  F: number;
  pi: Float64Array;
  /** K × K row-major. */ A: Float64Array;
  /** K × F row-major. */ mu: Float64Array;
  v: Float64Array;
}

interface Data {
  T: number;
  F: number;
  /** T × F row-major. */ x: Float64Array;
  /** Allowed states (per-entity bounds), or null for all. */ allowed: Uint8Array | null;
}

interface EMSettings {
  floor: Float64Array;
  ordered: readonly Required<OrderedFeature>[];
  fixedPi: Float64Array | null;
  /** Dirichlet pseudo-counts on A, K × K, or null. */ pseudo: Float64Array | null;
}

/**
 * The states that can carry probability (`live`) and the non-zero entries of A between them, by column (for the
 * forward pass) and by row (backward), with their logs.
 */
interface Sparse {
  live: Int32Array;
  isLive: Uint8Array;
  colPtr: Int32Array;
  colIdx: Int32Array;
  colVal: Float64Array;
  colLog: Float64Array;
  rowPtr: Int32Array;
  rowIdx: Int32Array;
  rowVal: Float64Array;
  rowLog: Float64Array;
}

/** One forward pass: filtered α, per-step log-normalisers ln cₜ (log P(xₜ | x₁..xₜ₋₁)) and the raw log-densities. */
interface ForwardPass {
  mode: "scaled" | "log";
  /** Normalised filtered probabilities, T × K. */ alpha: Float64Array;
  /** ln P(xₜ | x₁..xₜ₋₁). */ logC: Float64Array;
  logLik: number;
  /** ln N(xₜ; μₖ, σ²ₖ), −∞ for a state that is not allowed or not reachable; T × K. */ lb: Float64Array;
  /** Scaled mode: bₜ(k) = exp(lbₜ(k) − maxₖ lbₜ(k)) and the scaled normalisers. */
  b: Float64Array | null;
  c: Float64Array | null;
  /** Log mode: ln α (normalised). */ la: Float64Array | null;
  sparse: Sparse;
}

function checkStochastic(action: string, name: string, m: number[][], K: number): number[][] {
  if (!Array.isArray(m)) throw rangeError(action, name, "an array of probability rows", m);
  if (m.length !== K && !((name === "startProb" || name === "fixedStartProb") && m.length === 1)) {
    throw rangeError(action, name, `${K} rows`, m.length);
  }
  m.forEach((row, i) => {
    const label = name === "startProb" || name === "fixedStartProb" ? name : `${name}[${i}]`;
    if (!Array.isArray(row) || row.length !== K) throw rangeError(action, label, `${K} entries`, row?.length);
    if (!row.every((p) => p >= 0 && p <= 1)) throw rangeError(action, label, "probabilities in [0, 1]", row);
    const s = row.reduce((a, b) => a + b, 0);
    if (Math.abs(s - 1) > 1e-8) throw rangeError(action, label, "a row summing to 1", s);
  });
  return m.map((r) => [...r]);
}

function checkEmissionRows(action: string, name: string, rows: number[][], K: number, positive: boolean): number[][] {
  if (!Array.isArray(rows) || rows.length !== K) throw rangeError(action, name, `${K} rows`, rows?.length);
  const F = Array.isArray(rows[0]) ? rows[0].length : 0;
  rows.forEach((row, k) => {
    const ok = Array.isArray(row) && row.length === F && F > 0 &&
      row.every((v) => Number.isFinite(v) && (!positive || v > 0));
    if (!ok) throw rangeError(action, `${name}[${k}]`, `${F} finite numbers${positive ? " > 0" : ""}`, row);
  });
  return rows.map((r) => [...r]);
}

function checkOrdered(action: string, ordered: readonly OrderedFeature[]): Required<OrderedFeature>[] {
  if (!Array.isArray(ordered)) throw rangeError(action, "ordered", "an array of constraints", ordered);
  const seen = new Set<number>();
  return ordered.map((o, i) => {
    requireKnownKeys(action, `ordered[${i}]`, o, ["feature", "direction", "minGap"]);
    if (!Number.isInteger(o?.feature) || o.feature < 0) {
      throw rangeError(action, `ordered[${i}].feature`, "an integer >= 0", o?.feature);
    }
    if (seen.has(o.feature)) {
      throw rangeError(action, `ordered[${i}].feature`, "a feature not listed before", o.feature);
    }
    seen.add(o.feature);
    if (o.direction !== "increasing" && o.direction !== "decreasing") {
      throw rangeError(action, `ordered[${i}].direction`, `"increasing" or "decreasing"`, o.direction);
    }
    const minGap = o.minGap ?? 0;
    if (!(minGap >= 0 && Number.isFinite(minGap))) {
      throw rangeError(action, `ordered[${i}].minGap`, "a finite number >= 0", minGap);
    }
    return { feature: o.feature, direction: o.direction, minGap };
  });
}

function flatten(action: string, X: number[][], bounds: StateBounds | undefined, K: number): Data {
  let allowed: Uint8Array | null = null;
  if (bounds !== undefined) {
    const { min, max } = bounds;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max >= K || min > max) {
      throw rangeError(action, "bounds", `integers 0 ≤ min ≤ max ≤ ${K - 1}`, `min ${min}, max ${max}`);
    }
    allowed = new Uint8Array(K);
    for (let k = min; k <= max; k++) allowed[k] = 1;
  }
  if (!Array.isArray(X) || X.length === 0) throw rangeError(action, "X", "a non-empty T × F array", X);
  if (!Array.isArray(X[0]) && !ArrayBuffer.isView(X[0])) throw rangeError(action, "X[0]", "an array of features", X[0]);
  const T = X.length, F = X[0].length;
  if (F === 0) throw rangeError(action, "X", "at least one feature", 0);
  if (T * F > MAX_ELEMENTS) throw rangeError(action, "X", `at most ${MAX_ELEMENTS} values`, T * F);
  const x = new Float64Array(T * F);
  for (let t = 0; t < T; t++) {
    const row = X[t];
    if (!Array.isArray(row) && !ArrayBuffer.isView(row)) {
      throw rangeError(action, `X[${t}]`, "an array of features", row);
    }
    if (row.length !== F) throw rangeError(action, `X[${t}]`, `${F} features`, row.length);
    for (let f = 0; f < F; f++) {
      if (!Number.isFinite(row[f])) throw rangeError(action, `X[${t}][${f}]`, "a finite number", row[f]);
      x[t * F + f] = row[f];
    }
  }
  return { T, F, x, allowed };
}

function toFlat(m: GaussianHMM): Flat {
  const K = m.nStates, F = m.means[0].length;
  return {
    K,
    F,
    pi: Float64Array.from(m.startProb),
    A: Float64Array.from(m.transMat.flat()),
    mu: Float64Array.from(m.means.flat()),
    v: Float64Array.from(m.variances.flat()),
  };
}

function toRows(a: Float64Array, T: number, K: number): number[][] {
  const rows = new Array<number[]>(T);
  for (let t = 0; t < T; t++) {
    const row = new Array<number>(K);
    for (let k = 0; k < K; k++) row[k] = a[t * K + k];
    rows[t] = row;
  }
  return rows;
}

/**
 * Live states — allowed, and reachable from π > 0 through A > 0 within the allowed states — and the sparse structure
 * of A restricted to them. A state that is not live has probability exactly 0 at every step.
 */
function sparsity(p: Flat, d: Data): Sparse {
  const { K, A } = p, isLive = new Uint8Array(K), stack: number[] = [];
  const ok = (k: number) => d.allowed === null || d.allowed[k] === 1;
  for (let k = 0; k < K; k++) if (p.pi[k] > 0 && ok(k)) (isLive[k] = 1), stack.push(k);
  while (stack.length > 0) {
    const i = stack.pop()!;
    for (let j = 0; j < K; j++) if (A[i * K + j] > 0 && !isLive[j] && ok(j)) (isLive[j] = 1), stack.push(j);
  }
  const live = Int32Array.from({ length: K }, (_, k) => k).filter((k) => isLive[k] === 1);
  const edge = (i: number, j: number) => isLive[i] === 1 && isLive[j] === 1 && A[i * K + j] > 0;
  let nnz = 0;
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) if (edge(i, j)) nnz++;
  const colPtr = new Int32Array(K + 1), colIdx = new Int32Array(nnz), colVal = new Float64Array(nnz);
  const rowPtr = new Int32Array(K + 1), rowIdx = new Int32Array(nnz), rowVal = new Float64Array(nnz);
  let c = 0, r = 0;
  for (let j = 0; j < K; j++) {
    colPtr[j] = c;
    for (let i = 0; i < K; i++) if (edge(i, j)) (colIdx[c] = i), (colVal[c++] = A[i * K + j]);
  }
  colPtr[K] = c;
  for (let i = 0; i < K; i++) {
    rowPtr[i] = r;
    for (let j = 0; j < K; j++) if (edge(i, j)) (rowIdx[r] = j), (rowVal[r++] = A[i * K + j]);
  }
  rowPtr[K] = r;
  return {
    live,
    isLive,
    colPtr,
    colIdx,
    colVal,
    colLog: colVal.map(Math.log),
    rowPtr,
    rowIdx,
    rowVal,
    rowLog: rowVal.map(Math.log),
  };
}

/** Raw log emission densities lb[t·K + k] = ln N(xₜ; μₖ, diag σ²ₖ), −∞ where the state cannot carry probability. */
function logEmissions(p: Flat, d: Data, live: Uint8Array): Float64Array {
  const { K, F } = p, { T, x } = d;
  if (d.F !== F) throw rangeError("evaluate GaussianHMM", "X", `${F} features (as the model)`, d.F);
  const lb = new Float64Array(T * K), norm = new Float64Array(K), inv = new Float64Array(K * F);
  for (let k = 0; k < K; k++) {
    let c = 0;
    for (let f = 0; f < F; f++) (c += LOG_2PI + Math.log(p.v[k * F + f])), (inv[k * F + f] = 1 / p.v[k * F + f]);
    norm[k] = -0.5 * c;
  }
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) {
      if (!live[k]) {
        lb[t * K + k] = -Infinity;
        continue;
      }
      let q = 0;
      for (let f = 0; f < F; f++) {
        const z = x[t * F + f] - p.mu[k * F + f];
        q += z * z * inv[k * F + f];
      }
      lb[t * K + k] = norm[k] - 0.5 * q;
    }
  }
  return lb;
}

function impossible(t: number): RangeError {
  return rangeError(
    "evaluate GaussianHMM",
    `X[${t}]`,
    "an observation some reachable state can emit",
    "probability 0 under every state",
  );
}

/** Forward pass: scaled (Rabiner), redone in log space if a scaled step underflows. */
function forward(p: Flat, d: Data): ForwardPass {
  const { K } = p, { T } = d;
  const sparse = sparsity(p, d);
  const lb = logEmissions(p, d, sparse.isLive);
  const { colPtr, colIdx, colVal, live } = sparse, L = live.length;
  const alpha = new Float64Array(T * K), c = new Float64Array(T), logC = new Float64Array(T);
  const b = new Float64Array(T * K);
  let logLik = 0;
  for (let t = 0; t < T; t++) {
    const row = t * K;
    let m = -Infinity;
    for (let l = 0; l < L; l++) if (lb[row + live[l]] > m) m = lb[row + live[l]];
    if (m === -Infinity) throw impossible(t);
    for (let l = 0; l < L; l++) {
      const z = lb[row + live[l]] - m;
      b[row + live[l]] = z < -746 ? 0 : Math.exp(z); // exp underflows to 0 there anyway, on a slow path
    }
    let s = 0;
    for (let l = 0; l < L; l++) {
      const j = live[l], bj = b[row + j];
      if (bj === 0) continue;
      let a = 0;
      if (t === 0) a = p.pi[j];
      else {
        const prev = row - K;
        for (let q = colPtr[j]; q < colPtr[j + 1]; q++) a += alpha[prev + colIdx[q]] * colVal[q];
      }
      a *= bj;
      alpha[row + j] = a;
      s += a;
    }
    if (!(s >= UNDERFLOW)) return logForward(p, d, lb, sparse);
    const inv = 1 / s;
    for (let l = 0; l < L; l++) alpha[row + live[l]] *= inv;
    c[t] = s;
    logC[t] = Math.log(s) + m;
    logLik += logC[t];
  }
  return { mode: "scaled", alpha, logC, logLik, lb, b, c, la: null, sparse };
}

/** Forward pass in log space: ln αₜ(j) = lbₜ(j) + logsumexpᵢ(ln αₜ₋₁(i) + ln Aᵢⱼ), normalised at every step. */
function logForward(p: Flat, d: Data, lb: Float64Array, sparse: Sparse): ForwardPass {
  const { K } = p, { T } = d, { colPtr, colIdx, colLog } = sparse;
  const la = new Float64Array(T * K), logC = new Float64Array(T), logPi = Float64Array.from(p.pi, Math.log);
  let logLik = 0;
  for (let t = 0; t < T; t++) {
    const row = t * K, prev = row - K;
    let m = -Infinity;
    for (let j = 0; j < K; j++) {
      let v = -Infinity;
      if (lb[row + j] !== -Infinity) {
        if (t === 0) v = logPi[j];
        else {
          let mx = -Infinity;
          for (let q = colPtr[j]; q < colPtr[j + 1]; q++) mx = Math.max(mx, la[prev + colIdx[q]] + colLog[q]);
          if (mx !== -Infinity) {
            let s = 0;
            for (let q = colPtr[j]; q < colPtr[j + 1]; q++) s += Math.exp(la[prev + colIdx[q]] + colLog[q] - mx);
            v = mx + Math.log(s);
          }
        }
        v += lb[row + j];
      }
      la[row + j] = v;
      if (v > m) m = v;
    }
    if (m === -Infinity) throw impossible(t);
    let s = 0;
    for (let j = 0; j < K; j++) s += Math.exp(la[row + j] - m);
    const norm = m + Math.log(s);
    for (let j = 0; j < K; j++) la[row + j] -= norm;
    logC[t] = norm;
    logLik += norm;
  }
  const alpha = Float64Array.from(la, Math.exp);
  return { mode: "log", alpha, logC, logLik, lb, b: null, c: null, la, sparse };
}

/** Backward pass (scaled or log, as the forward pass was): smoothed posteriors γ and, if asked, Σₜ ξₜ(i, j). */
function backward(p: Flat, d: Data, fw: ForwardPass, wantXi: boolean): { gamma: Float64Array; xi: Float64Array } {
  return fw.mode === "scaled" ? scaledBackward(p, d, fw, wantXi) : logBackward(p, d, fw, wantXi);
}

function scaledBackward(p: Flat, d: Data, fw: ForwardPass, wantXi: boolean) {
  const { K } = p, { T } = d, alpha = fw.alpha, c = fw.c!, b = fw.b!;
  const { rowPtr, rowIdx, rowVal, live } = fw.sparse, L = live.length;
  const beta = new Float64Array(T * K), gamma = new Float64Array(T * K), xi = new Float64Array(K * K);
  for (let l = 0; l < L; l++) beta[(T - 1) * K + live[l]] = 1;
  const tmp = new Float64Array(K);
  for (let t = T - 2; t >= 0; t--) {
    const next = (t + 1) * K, row = t * K, inv = 1 / c[t + 1];
    for (let l = 0; l < L; l++) tmp[live[l]] = b[next + live[l]] * beta[next + live[l]] * inv;
    for (let l = 0; l < L; l++) {
      const i = live[l];
      let s = 0;
      const ai = alpha[row + i];
      const lo = rowPtr[i], hi = rowPtr[i + 1];
      for (let q = lo; q < hi; q++) s += rowVal[q] * tmp[rowIdx[q]];
      beta[row + i] = s;
      if (wantXi && ai > 0) {
        for (let q = lo; q < hi; q++) xi[i * K + rowIdx[q]] += ai * rowVal[q] * tmp[rowIdx[q]];
      }
    }
  }
  normaliseGamma(gamma, alpha, beta, T, K);
  return { gamma, xi };
}

function logBackward(p: Flat, d: Data, fw: ForwardPass, wantXi: boolean) {
  const { K } = p, { T } = d, la = fw.la!, lb = fw.lb, logC = fw.logC;
  const { rowPtr, rowIdx, rowLog } = fw.sparse;
  const lbeta = new Float64Array(T * K), gamma = new Float64Array(T * K), xi = new Float64Array(K * K);
  const tmp = new Float64Array(K);
  for (let t = T - 2; t >= 0; t--) {
    const next = (t + 1) * K, row = t * K;
    for (let j = 0; j < K; j++) tmp[j] = lb[next + j] + lbeta[next + j] - logC[t + 1];
    for (let i = 0; i < K; i++) {
      const lo = rowPtr[i], hi = rowPtr[i + 1];
      let mx = -Infinity;
      for (let q = lo; q < hi; q++) mx = Math.max(mx, rowLog[q] + tmp[rowIdx[q]]);
      let v = -Infinity;
      if (mx !== -Infinity) {
        let s = 0;
        for (let q = lo; q < hi; q++) s += Math.exp(rowLog[q] + tmp[rowIdx[q]] - mx);
        v = mx + Math.log(s);
      }
      lbeta[row + i] = v;
      const ai = la[row + i];
      if (wantXi && ai !== -Infinity) {
        for (let q = lo; q < hi; q++) xi[i * K + rowIdx[q]] += Math.exp(ai + rowLog[q] + tmp[rowIdx[q]]);
      }
    }
  }
  // γ = exp(ln α + ln β), formed in log space, then each row normalised.
  for (let q = 0; q < T * K; q++) gamma[q] = la[q] === -Infinity ? 0 : Math.exp(la[q] + lbeta[q]);
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += gamma[t * K + k];
    for (let k = 0; k < K; k++) gamma[t * K + k] /= s;
  }
  return { gamma, xi };
}

function normaliseGamma(gamma: Float64Array, alpha: Float64Array, beta: Float64Array, T: number, K: number) {
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += gamma[t * K + k] = alpha[t * K + k] * beta[t * K + k];
    for (let k = 0; k < K; k++) gamma[t * K + k] /= s;
  }
}

/** One EM (ECM) iteration: the log-likelihood under the current parameters and the re-estimated parameters. */
function baumWelchStep(p: Flat, d: Data, em: EMSettings): { logLik: number; params: Flat } {
  const { K, F } = p, { T, x } = d, floor = em.floor;
  const fw = forward(p, d);
  const { gamma, xi } = backward(p, d, fw, true);
  const pi = em.fixedPi ? Float64Array.from(em.fixedPi) : Float64Array.from(gamma.subarray(0, K));
  const A = new Float64Array(K * K), alpha = em.pseudo;
  if (alpha) { for (let q = 0; q < K * K; q++) xi[q] += alpha[q]; }
  for (let i = 0; i < K; i++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += xi[i * K + j];
    for (let j = 0; j < K; j++) A[i * K + j] = s > 1e-300 ? xi[i * K + j] / s : p.A[i * K + j]; // unvisited: keep
  }
  const mu = new Float64Array(K * F), v = new Float64Array(K * F), w = new Float64Array(K);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) {
      const g = gamma[t * K + k];
      if (g === 0) continue;
      w[k] += g;
      for (let f = 0; f < F; f++) mu[k * F + f] += g * x[t * F + f];
    }
  }
  for (let k = 0; k < K; k++) {
    for (let f = 0; f < F; f++) mu[k * F + f] = w[k] > 1e-300 ? mu[k * F + f] / w[k] : p.mu[k * F + f];
  }
  // Ordered means: the weighted projection with weights wₖ / σ²ₖ (previous variances) — the conditional maximiser.
  if (em.ordered.length > 0) projectMeans(mu, K, F, em.ordered, w, p.v);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) {
      const g = gamma[t * K + k];
      if (g === 0) continue;
      for (let f = 0; f < F; f++) v[k * F + f] += g * (x[t * F + f] - mu[k * F + f]) ** 2;
    }
  }
  for (let k = 0; k < K; k++) {
    for (let f = 0; f < F; f++) {
      v[k * F + f] = w[k] > 1e-300 ? Math.max(v[k * F + f] / w[k], floor[f]) : p.v[k * F + f];
    }
  }
  return { logLik: fw.logLik + logPrior(p, em.pseudo), params: { K, F, pi, A, mu, v } };
}

/** Σ αᵢⱼ ln Aᵢⱼ over the pseudo-counts (0 without them): the Dirichlet log prior up to a constant. */
function logPrior(p: Flat, pseudo: Float64Array | null): number {
  if (!pseudo) return 0;
  let s = 0;
  for (let q = 0; q < pseudo.length; q++) if (pseudo[q] > 0) s += pseudo[q] * Math.log(p.A[q]);
  return s;
}

/** Projects each ordered feature's column of mu (K × F) in place, weights wₖ (÷ σ²ₖ,f when variances are given). */
function projectMeans(
  mu: Float64Array,
  K: number,
  F: number,
  ordered: readonly Required<OrderedFeature>[],
  w: Float64Array,
  variances?: Float64Array,
) {
  const y = new Float64Array(K), wk = new Float64Array(K), out = new Float64Array(K);
  for (const o of ordered) {
    const f = o.feature;
    for (let k = 0; k < K; k++) {
      y[k] = mu[k * F + f];
      wk[k] = w[k] > 1e-300 ? (variances ? w[k] / variances[k * F + f] : w[k]) : 0;
    }
    isotonic(y, wk, o.direction === "increasing" ? 1 : -1, o.minGap, out);
    for (let k = 0; k < K; k++) mu[k * F + f] = out[k];
  }
}

/**
 * Pool-adjacent-violators on y (length n) with weights w, sign +1 (non-decreasing) or −1 (non-increasing) and a
 * minimum step; writes into out. Unchecked: callers validate.
 */
function isotonic(
  y: Float64Array,
  w: Float64Array,
  sign: 1 | -1,
  minGap: number,
  out: Float64Array,
) {
  const n = y.length;
  // Solve the non-decreasing problem on z_i = sign·y_i − i·minGap.
  const sw = new Float64Array(n), swz = new Float64Array(n), sz = new Float64Array(n), cnt = new Int32Array(n);
  let top = -1;
  const value = (b: number) => (sw[b] > 0 ? swz[b] / sw[b] : sz[b] / cnt[b]);
  for (let i = 0; i < n; i++) {
    const z = sign * y[i] - i * minGap;
    top++;
    sw[top] = w[i], swz[top] = w[i] * z, sz[top] = z, cnt[top] = 1;
    while (top > 0 && value(top - 1) > value(top)) {
      sw[top - 1] += sw[top], swz[top - 1] += swz[top], sz[top - 1] += sz[top], cnt[top - 1] += cnt[top];
      top--;
    }
  }
  let i = 0;
  for (let b = 0; b <= top; b++) {
    const m = value(b);
    for (let r = 0; r < cnt[b]; r++, i++) out[i] = sign * (m + i * minGap);
  }
}

function viterbi(p: Flat, d: Data): { logProb: number; states: number[] } {
  const { K } = p, { T } = d;
  const sparse = sparsity(p, d);
  const lb = logEmissions(p, d, sparse.isLive);
  const { colPtr, colIdx, colLog } = sparse;
  let delta = new Float64Array(K), next = new Float64Array(K);
  for (let k = 0; k < K; k++) delta[k] = Math.log(p.pi[k]) + lb[k];
  if (delta.every((q) => q === -Infinity)) throw impossible(0);
  const back = new Int32Array(T * K);
  for (let t = 1; t < T; t++) {
    let any = false;
    for (let j = 0; j < K; j++) {
      let best = -Infinity, arg = colPtr[j] < colPtr[j + 1] ? colIdx[colPtr[j]] : 0;
      for (let q = colPtr[j]; q < colPtr[j + 1]; q++) {
        const s = delta[colIdx[q]] + colLog[q];
        if (s > best) (best = s), (arg = colIdx[q]);
      }
      next[j] = best + lb[t * K + j];
      back[t * K + j] = arg;
      any ||= next[j] > -Infinity;
    }
    if (!any) throw impossible(t);
    [delta, next] = [next, delta];
  }
  let last = 0;
  for (let k = 1; k < K; k++) if (delta[k] > delta[last]) last = k;
  const states = new Array<number>(T);
  states[T - 1] = last;
  for (let t = T - 1; t > 0; t--) states[t - 1] = back[t * K + states[t]];
  return { logProb: delta[last], states };
}

/**
 * T observations simulated from an HMM with given parameters (seeded): the hidden path and the emissions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { simulateHMM } from "./hmm.ts";
 *
 * const p = { startProb: [1, 0], transMat: [[0.9, 0.1], [0, 1]], means: [[0], [5]], variances: [[1], [1]] };
 * const { states, X } = simulateHMM(p, 100, 1);
 * assert.equal(states[0], 0);
 * assert.equal(X.length, 100);
 * ```
 */
export function simulateHMM(p: HMMParams, T: number, seed: number | string): { states: number[]; X: number[][] } {
  GaussianHMM.fromParams(p); // validates
  if (!Number.isInteger(T) || T < 1 || T * p.means[0].length > MAX_ELEMENTS) {
    throw rangeError("simulate HMM", "T", `an integer ≥ 1 with T × features ≤ ${MAX_ELEMENTS}`, T);
  }
  const rng = makeRng(seed, "hmm-simulate");
  const F = p.means[0].length;
  const pick = (probs: readonly number[]) => {
    let u = uniform(rng), k = 0;
    while (k < probs.length - 1 && (u -= probs[k]) > 0) k++;
    return k;
  };
  const states: number[] = [], X: number[][] = [];
  let s = pick(p.startProb);
  for (let t = 0; t < T; t++) {
    if (t > 0) s = pick(p.transMat[s]);
    states.push(s);
    X.push(Array.from({ length: F }, (_, f) => p.means[s][f] + Math.sqrt(p.variances[s][f]) * standardNormal(rng)));
  }
  return { states, X };
}
