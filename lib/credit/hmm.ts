/**
 * A hidden Markov model with diagonal-Gaussian emissions: the model behind daily credit states.
 *
 *     hidden states   sₜ ∈ {0, …, K−1}, P(s₀ = i) = πᵢ, P(sₜ = j | sₜ₋₁ = i) = Aᵢⱼ
 *     emissions       xₜ | sₜ = k ~ N(μₖ, diag σ²ₖ)   (one row of X per date, F features)
 *
 * - **Forward** (filtering): αₜ(j) = P(sₜ = j | x₁..xₜ), computed with per-step normalisation cₜ (Rabiner's
 *   scaling), so log P(X) = Σ ln cₜ stays finite for any T. Filtered probabilities use data up to t only: they are
 *   what a backtest may use.
 * - **Backward** and **smoothing**: γₜ(j) = P(sₜ = j | x₁..x_T) uses the whole sample — for ex-post views only.
 * - **Viterbi**: the single most likely path, in log space; also ex-post.
 * - **Baum–Welch** (EM): re-estimates π, A, μ, σ² from the smoothed posteriors. A `transitionMask` fixes entries at
 *   exactly zero (they stay zero: EM only rescales entries that are already positive), so a default state can be
 *   made absorbing. A state that is never visited keeps its previous row, mean and variance (no 0/0 = NaN).
 *   Variances are floored at `varianceFloor` × the feature's sample variance. Several initialisations (`nInit`, one
 *   seeded stream each) are run and the one with the best log-likelihood is kept; `history` holds its
 *   log-likelihood per iteration.
 * - **Informative priors**: `initialTransMat` starts EM from a given matrix (e.g. S&P's at the model's step, from
 *   `transitionMatrixForStep`), and `bounds` (per call) keeps one entity's path within states min..max, as a rating
 *   model may keep an issuer within a band of notches.
 *
 * Reference: Rabiner (1989), "A tutorial on hidden Markov models", Proc. IEEE 77(2).
 * @module
 */
import { rangeError } from "../core/check.ts";
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

/** Options of the {@linkcode GaussianHMM} constructor. */
export interface GaussianHMMOptions {
  readonly nStates: number;
  /** Seed of the initialisations (default 0). */ readonly seed?: number | string;
  /** false = transition forbidden (kept at exactly 0). */ readonly transitionMask?: boolean[][];
  /** Initialisations tried by fit() (default 3). */ readonly nInit?: number;
  /** Variance floor as a share of each feature's sample variance (default 1e-3). */ readonly varianceFloor?: number;
  /** Starting transition matrix (an informative prior, e.g. S&P's at the model's step); masked entries are zeroed. */
  readonly initialTransMat?: number[][];
  /** Starting means, K × F (default: quantile groups of the first feature). */ readonly initialMeans?: number[][];
}

const LOG_2PI = Math.log(2 * Math.PI);

export class GaussianHMM {
  readonly nStates: number;
  startProb: number[] = [];
  transMat: number[][] = [];
  means: number[][] = [];
  variances: number[][] = [];
  /** Log-likelihood after each Baum–Welch iteration of the best initialisation. */ history: number[] = [];
  /** Whether the best initialisation met the tolerance before maxIter. */ converged = false;
  private readonly mask: boolean[][] | null;
  private readonly seed: number | string;
  private readonly nInit: number;
  private readonly varianceFloor: number;
  private readonly initialTransMat?: number[][];
  private readonly initialMeans?: number[][];

  constructor(opts: GaussianHMMOptions) {
    const action = "create GaussianHMM";
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
    this.initialMeans = opts.initialMeans;
  }

  /** A model with given parameters (validated: stochastic rows, positive variances). */
  static fromParams(p: HMMParams): GaussianHMM {
    const action = "create GaussianHMM from parameters";
    const K = p.startProb.length;
    const model = new GaussianHMM({ nStates: K });
    checkStochastic(action, "startProb", [p.startProb], K);
    checkStochastic(action, "transMat", p.transMat, K);
    if (p.means.length !== K || p.variances.length !== K) {
      throw rangeError(
        action,
        "means/variances",
        `${K} rows (one per state)`,
        `${p.means.length}/${p.variances.length}`,
      );
    }
    const F = p.means[0].length;
    p.means.forEach((m, k) => {
      if (m.length !== F || !m.every(Number.isFinite)) {
        throw rangeError(action, `means[${k}]`, `${F} finite numbers`, m);
      }
    });
    p.variances.forEach((v, k) => {
      if (v.length !== F || !v.every((x) => x > 0 && Number.isFinite(x))) {
        throw rangeError(action, `variances[${k}]`, `${F} finite numbers > 0`, v);
      }
    });
    model.startProb = [...p.startProb];
    model.transMat = p.transMat.map((r) => [...r]);
    model.means = p.means.map((r) => [...r]);
    model.variances = p.variances.map((r) => [...r]);
    return model;
  }

  /** Baum–Welch from `nInit` seeded initialisations; keeps the best log-likelihood. */
  fit(X: number[][], opts: { maxIter?: number; tol?: number; bounds?: StateBounds } = {}): this {
    const action = "fit GaussianHMM";
    const data = flatten(action, X, opts.bounds, this.nStates);
    const maxIter = opts.maxIter ?? 100, tol = opts.tol ?? 1e-6;
    if (!Number.isInteger(maxIter) || maxIter < 1) throw rangeError(action, "maxIter", "an integer ≥ 1", maxIter);
    if (!(tol > 0)) throw rangeError(action, "tol", "> 0", tol);
    const { T, F } = data;
    if (T < 2) throw rangeError(action, "X", "at least 2 rows", T);
    const featureVar = new Float64Array(F);
    for (let f = 0; f < F; f++) {
      let s = 0, ss = 0;
      for (let t = 0; t < T; t++) (s += data.x[t * F + f]), (ss += data.x[t * F + f] ** 2);
      featureVar[f] = Math.max(ss / T - (s / T) ** 2, 1e-300);
    }
    const floor = Float64Array.from(featureVar, (v) => v * this.varianceFloor);
    let best: { params: Flat; history: number[]; converged: boolean } | null = null;
    for (let init = 0; init < this.nInit; init++) {
      let p = this.initialise(data, featureVar, init);
      const history: number[] = [];
      let converged = false;
      for (let it = 0; it < maxIter; it++) {
        const step = baumWelchStep(p, data, floor);
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
      const logLik = forward(p, data).logLik;
      history.push(logLik);
      if (best === null || logLik > best.history.at(-1)!) best = { params: p, history, converged };
    }
    this.setFlat(best!.params);
    this.history = best!.history;
    this.converged = best!.converged;
    return this;
  }

  /** log P(X | model). */
  score(X: number[][], opts: HMMEvalOptions = {}): number {
    return forward(this.flat("score GaussianHMM"), flatten("score GaussianHMM", X, opts.bounds, this.nStates)).logLik;
  }

  /** Viterbi path and its log-probability. */
  decode(X: number[][], opts: HMMEvalOptions = {}): { logProb: number; states: number[] } {
    const p = this.flat("decode GaussianHMM"), data = flatten("decode GaussianHMM", X, opts.bounds, this.nStates);
    return viterbi(p, data);
  }

  /** Smoothed posteriors P(sₜ | x₁..x_T), T × K: uses the whole sample (ex-post only). */
  predictProba(X: number[][], opts: HMMEvalOptions = {}): number[][] {
    const p = this.flat("smooth GaussianHMM"), data = flatten("smooth GaussianHMM", X, opts.bounds, this.nStates);
    const fw = forward(p, data), gamma = backwardGamma(p, data, fw);
    return toRows(gamma, data.T, p.K);
  }

  /** Filtered probabilities P(sₜ | x₁..xₜ), T × K: causal, the look-ahead-safe default for backtests. */
  filterProba(X: number[][], opts: HMMEvalOptions = {}): number[][] {
    const p = this.flat("filter GaussianHMM"), data = flatten("filter GaussianHMM", X, opts.bounds, this.nStates);
    return toRows(forward(p, data).alpha, data.T, p.K);
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
      if (this.initialMeans.length !== K || this.initialMeans.some((m) => m.length !== F)) {
        throw rangeError("fit GaussianHMM", "initialMeans", `${K} × ${F}`, this.initialMeans.length);
      }
      this.initialMeans.forEach((m, k) => m.forEach((val, f) => (mu[k * F + f] = val)));
    } else {
      // Quantile groups of the first feature: state k gets the k-th slice of the rows sorted by it.
      const order = Array.from({ length: T }, (_, t) => t).sort((a, b) => x[a * F] - x[b * F]);
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
        v[k * F + f] = variance[f] / Math.max(K, 1);
      }
    }
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
    return { K, F, pi: new Float64Array(K).fill(1 / K), A, mu, v };
  }
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

function checkStochastic(action: string, name: string, m: number[][], K: number): number[][] {
  if (m.length !== K && !(name === "startProb" && m.length === 1)) {
    throw rangeError(action, name, `${K} rows`, m.length);
  }
  m.forEach((row, i) => {
    const label = name === "startProb" ? name : `${name}[${i}]`;
    if (row.length !== K) throw rangeError(action, label, `${K} entries`, row.length);
    if (!row.every((p) => p >= 0 && p <= 1)) throw rangeError(action, label, "probabilities in [0, 1]", row);
    const s = row.reduce((a, b) => a + b, 0);
    if (Math.abs(s - 1) > 1e-8) throw rangeError(action, label, "a row summing to 1", s);
  });
  return m.map((r) => [...r]);
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
  const T = X.length, F = X[0].length;
  if (F === 0) throw rangeError(action, "X", "at least one feature", 0);
  const x = new Float64Array(T * F);
  for (let t = 0; t < T; t++) {
    const row = X[t];
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
  return Array.from({ length: T }, (_, t) => Array.from(a.subarray(t * K, (t + 1) * K)));
}

/** Emission densities scaled per row: b[t·K + k] = exp(log N(xₜ; μₖ, σ²ₖ) − mₜ), and the shifts mₜ. */
function emissions(p: Flat, d: Data): { b: Float64Array; shift: Float64Array } {
  const { K, F } = p, { T, x } = d;
  if (d.F !== F) throw rangeError("evaluate GaussianHMM", "X", `${F} features (as the model)`, d.F);
  const b = new Float64Array(T * K), shift = new Float64Array(T);
  const norm = new Float64Array(K), inv = new Float64Array(K * F);
  for (let k = 0; k < K; k++) {
    let c = 0;
    for (let f = 0; f < F; f++) (c += LOG_2PI + Math.log(p.v[k * F + f])), (inv[k * F + f] = 1 / p.v[k * F + f]);
    norm[k] = -0.5 * c;
  }
  const allowed = d.allowed;
  for (let t = 0; t < T; t++) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) {
      if (allowed && !allowed[k]) {
        b[t * K + k] = -Infinity;
        continue;
      }
      let q = 0;
      for (let f = 0; f < F; f++) {
        const z = x[t * F + f] - p.mu[k * F + f];
        q += z * z * inv[k * F + f];
      }
      const lb = norm[k] - 0.5 * q;
      b[t * K + k] = lb;
      if (lb > m) m = lb;
    }
    shift[t] = m;
    for (let k = 0; k < K; k++) b[t * K + k] = Math.exp(b[t * K + k] - m);
  }
  return { b, shift };
}

/** Scaled forward pass: alpha (filtered probabilities), scales c and the log-likelihood. */
function forward(p: Flat, d: Data) {
  const { K } = p, { T } = d;
  const { b, shift } = emissions(p, d);
  const alpha = new Float64Array(T * K), c = new Float64Array(T);
  let logLik = 0;
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let j = 0; j < K; j++) {
      let a = 0;
      if (t === 0) a = p.pi[j];
      else {
        const prev = (t - 1) * K;
        for (let i = 0; i < K; i++) a += alpha[prev + i] * p.A[i * K + j];
      }
      a *= b[t * K + j];
      alpha[t * K + j] = a;
      s += a;
    }
    if (!(s > 0)) {
      throw rangeError(
        "evaluate GaussianHMM",
        `X[${t}]`,
        "an observation some state can emit",
        "probability 0 under every state",
      );
    }
    for (let j = 0; j < K; j++) alpha[t * K + j] /= s;
    c[t] = s;
    logLik += Math.log(s) + shift[t];
  }
  return { alpha, c, b, logLik };
}

/** Scaled backward pass; returns the smoothed posteriors γ. */
function backwardGamma(p: Flat, d: Data, fw: ReturnType<typeof forward>): Float64Array {
  return backward(p, d, fw).gamma;
}

function backward(p: Flat, d: Data, fw: ReturnType<typeof forward>) {
  const { K } = p, { T } = d, { alpha, c, b } = fw;
  const beta = new Float64Array(T * K), gamma = new Float64Array(T * K);
  const xi = new Float64Array(K * K);
  for (let j = 0; j < K; j++) beta[(T - 1) * K + j] = 1;
  const tmp = new Float64Array(K);
  for (let t = T - 2; t >= 0; t--) {
    for (let j = 0; j < K; j++) tmp[j] = b[(t + 1) * K + j] * beta[(t + 1) * K + j];
    for (let i = 0; i < K; i++) {
      let s = 0;
      const ai = alpha[t * K + i];
      for (let j = 0; j < K; j++) {
        const w = p.A[i * K + j] * tmp[j];
        s += w;
        xi[i * K + j] += (ai * w) / c[t + 1];
      }
      beta[t * K + i] = s / c[t + 1];
    }
  }
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += gamma[t * K + k] = alpha[t * K + k] * beta[t * K + k];
    for (let k = 0; k < K; k++) gamma[t * K + k] /= s;
  }
  return { gamma, xi };
}

/** One EM iteration: the log-likelihood under the current parameters and the re-estimated parameters. */
function baumWelchStep(p: Flat, d: Data, floor: Float64Array): { logLik: number; params: Flat } {
  const { K, F } = p, { T, x } = d;
  const fw = forward(p, d);
  const { gamma, xi } = backward(p, d, fw);
  const pi = Float64Array.from(gamma.subarray(0, K));
  const A = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += xi[i * K + j];
    for (let j = 0; j < K; j++) A[i * K + j] = s > 1e-300 ? xi[i * K + j] / s : p.A[i * K + j]; // unvisited: keep
  }
  const mu = new Float64Array(K * F), v = new Float64Array(K * F), w = new Float64Array(K);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) {
      const g = gamma[t * K + k];
      w[k] += g;
      for (let f = 0; f < F; f++) mu[k * F + f] += g * x[t * F + f];
    }
  }
  for (let k = 0; k < K; k++) {
    for (let f = 0; f < F; f++) mu[k * F + f] = w[k] > 1e-300 ? mu[k * F + f] / w[k] : p.mu[k * F + f];
  }
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) {
      const g = gamma[t * K + k];
      for (let f = 0; f < F; f++) v[k * F + f] += g * (x[t * F + f] - mu[k * F + f]) ** 2;
    }
  }
  for (let k = 0; k < K; k++) {
    for (let f = 0; f < F; f++) {
      v[k * F + f] = w[k] > 1e-300 ? Math.max(v[k * F + f] / w[k], floor[f]) : p.v[k * F + f];
    }
  }
  return { logLik: fw.logLik, params: { K, F, pi, A, mu, v } };
}

function viterbi(p: Flat, d: Data): { logProb: number; states: number[] } {
  const { K } = p, { T } = d;
  const { b, shift } = emissions(p, d);
  const logA = Float64Array.from(p.A, Math.log);
  let delta = Float64Array.from(p.pi, (q, k) => Math.log(q) + Math.log(b[k]) + shift[0]);
  const back = new Int32Array(T * K);
  for (let t = 1; t < T; t++) {
    const next = new Float64Array(K);
    for (let j = 0; j < K; j++) {
      let best = -Infinity, arg = 0;
      for (let i = 0; i < K; i++) {
        const s = delta[i] + logA[i * K + j];
        if (s > best) (best = s), (arg = i);
      }
      next[j] = best + Math.log(b[t * K + j]) + shift[t];
      back[t * K + j] = arg;
    }
    delta = next;
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
  if (!Number.isInteger(T) || T < 1) throw rangeError("simulate HMM", "T", "an integer ≥ 1", T);
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
