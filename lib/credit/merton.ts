/**
 * Merton's structural model and the KMV distance to default.
 *
 * Equity is a call option on the firm's assets V (volatility σ_V) struck at the face value of debt D due at T:
 *
 *     E = V·N(d₁) − D·e^{−rT}·N(d₂),      d₁ = [ln(V/D) + (r + σ_V²/2)T] / (σ_V√T),   d₂ = d₁ − σ_V√T
 *     σ_E·E = N(d₁)·σ_V·V                 (Itô: the equity's volatility is the option's delta times the assets')
 *
 * Given the observed E and σ_E, the two equations are solved for (V, σ_V) by Newton–Raphson in (ln V, ln σ_V), so
 * that both stay positive, with a backtracking line search on the scaled residual; if Newton stalls, a fixed-point
 * fallback (σ_V = σ_E·E / (N(d₁)·V), V from the first equation by bisection) finishes the job. Then
 *
 *     DD = [ln(V/D) + (μ − σ_V²/2)T] / (σ_V√T),     PD = N(−DD)
 *
 * with μ = r (risk-neutral: DD = d₂, PD = N(−d₂)) or a given real-world drift. KMV's default point replaces D by
 * short-term debt plus half the long-term debt ({@linkcode kmvDefaultPoint}). The Merton credit spread of the debt is
 *
 *     s = −(1/T)·ln( N(d₂) + V/(D·e^{−rT})·N(−d₁) ).
 *
 * References: Merton (1974), J. Finance 29; Hull, Options, Futures and Other Derivatives, ch. "Credit risk"
 * (example: E = 3, σ_E = 80 %, D = 10, r = 5 %, T = 1 gives V = 12.40, σ_V = 21.23 %, PD = 12.7 %); Crosbie and
 * Bohn (2003), Modeling Default Risk, Moody's KMV.
 * @module
 */
import { normCdf, normPdf } from "../core/special.ts";
import { rangeError, requireFinite, requireObject, requirePositive, typeError } from "../core/check.ts";

/** Inputs of {@linkcode solveMerton}. */
export interface MertonInputs {
  /** Market value of equity (currency). */ readonly equity: number;
  /** Annualised equity volatility (decimal). */ readonly equityVol: number;
  /** Face value of debt due at the horizon, or the KMV default point (currency). */ readonly debt: number;
  /** Continuously compounded risk-free rate (decimal a year). */ readonly rate: number;
  /** Horizon in years. */ readonly horizon: number;
  /** Real-world asset drift for DD and PD (decimal a year); default the rate (risk-neutral). */
  readonly drift?: number;
}

/** Result of {@linkcode solveMerton}. */
export interface MertonSolution {
  readonly assetValue: number;
  readonly assetVol: number;
  /** DD with the drift (the rate unless given). */ readonly distanceToDefault: number;
  /** N(−DD). */ readonly defaultProbability: number;
  /** N(−d₂): the risk-neutral PD whatever the drift. */ readonly riskNeutralPD: number;
  /** Newton (plus fallback) iterations used. */ readonly iterations: number;
  /** max(|E(V, σ_V) − E| / E, |N(d₁)σ_V V − σ_E E| / (σ_E E)) at the solution. */ readonly residual: number;
  /** "newton" or "fixed-point" (the fallback finished the solve). */ readonly method: "newton" | "fixed-point";
}

const TOL = 1e-12;
const MAX_ITER = 100;

/** d₁ and d₂ of the Merton model. */
export function mertonD(v: number, sigma: number, debt: number, rate: number, horizon: number): [number, number] {
  const s = sigma * Math.sqrt(horizon);
  const d1 = (Math.log(v / debt) + (rate + 0.5 * sigma * sigma) * horizon) / s;
  return [d1, d1 - s];
}

/** Equity value of the Merton model, E(V, σ_V). */
export function mertonEquity(v: number, sigma: number, debt: number, rate: number, horizon: number): number {
  const action = "price Merton equity";
  requirePositive(action, "v", v), requirePositive(action, "sigma", sigma), requirePositive(action, "debt", debt);
  requireFinite(action, "rate", rate), requirePositive(action, "horizon", horizon);
  return equityValue(v, sigma, debt, rate, horizon);
}

/** {@linkcode mertonEquity} without the argument checks, for the solvers' inner loops (lib-internal). */
export function equityValue(v: number, sigma: number, debt: number, rate: number, horizon: number): number {
  const [d1, d2] = mertonD(v, sigma, debt, rate, horizon);
  return v * normCdf(d1) - debt * Math.exp(-rate * horizon) * normCdf(d2);
}

function validate(action: string, p: MertonInputs) {
  requireObject(action, "p", p);
  const equity = requirePositive(action, "equity", p.equity);
  const equityVol = requirePositive(action, "equityVol", p.equityVol);
  const debt = requirePositive(action, "debt", p.debt);
  const rate = requireFinite(action, "rate", p.rate);
  const horizon = requirePositive(action, "horizon", p.horizon);
  const drift = p.drift === undefined ? rate : requireFinite(action, "drift", p.drift);
  if (equityVol > 20) throw rangeError(action, "equityVol", "an annualised decimal ≤ 20 (2,000 %)", equityVol);
  return { equity, equityVol, debt, rate, horizon, drift };
}

/**
 * Solves Merton's two equations for the asset value and volatility; returns DD and PD (see the module header).
 *
 * @throws {RangeError} If an input is not finite or not positive (equity, equityVol, debt, horizon), or no
 *   solution is found (reported with the residual).
 *
 * @example Hull's example
 * ```ts
 * import assert from "node:assert/strict";
 * import { solveMerton } from "./merton.ts";
 *
 * const m = solveMerton({ equity: 3, equityVol: 0.8, debt: 10, rate: 0.05, horizon: 1 });
 * assert.equal(m.assetValue.toFixed(2), "12.40");
 * assert.equal(m.assetVol.toFixed(4), "0.2123");
 * assert.equal(m.defaultProbability.toFixed(3), "0.127");
 * ```
 */
export function solveMerton(p: MertonInputs): MertonSolution {
  const action = "solve Merton";
  const q = validate(action, p);
  const out = solveCore(q.equity, q.equityVol, q.debt, q.rate, q.horizon);
  if (!(out.residual < 1e-8)) {
    throw rangeError(
      action,
      "equity, equityVol and debt",
      "a solvable firm (E, σ_E, D, r, T)",
      `E=${q.equity}, σ_E=${q.equityVol}, D=${q.debt}: residual ${
        out.residual.toExponential(2)
      } after ${out.iterations} iterations`,
    );
  }
  const st = out.sigma * Math.sqrt(q.horizon);
  const dd = (Math.log(out.v / q.debt) + (q.drift - 0.5 * out.sigma * out.sigma) * q.horizon) / st;
  const d2 = (Math.log(out.v / q.debt) + (q.rate - 0.5 * out.sigma * out.sigma) * q.horizon) / st;
  return {
    assetValue: out.v,
    assetVol: out.sigma,
    distanceToDefault: dd,
    defaultProbability: normCdf(-dd),
    riskNeutralPD: normCdf(-d2),
    iterations: out.iterations,
    residual: out.residual,
    method: out.method,
  };
}

/** The solver on plain numbers (the hot loop of the vectorised form); inputs already validated. */
export function solveCore(
  equity: number,
  equityVol: number,
  debt: number,
  rate: number,
  horizon: number,
  trace?: number[],
): { v: number; sigma: number; iterations: number; residual: number; method: "newton" | "fixed-point" } {
  const pv = debt * Math.exp(-rate * horizon), sqrtT = Math.sqrt(horizon);
  // Scaled residuals: F1 = E(V,σ)/E − 1, F2 = N(d₁)σV/(σ_E E) − 1.
  const residuals = (x: number, y: number) => {
    const v = Math.exp(x), s = Math.exp(y);
    const d1 = (Math.log(v / debt) + (rate + 0.5 * s * s) * horizon) / (s * sqrtT), d2 = d1 - s * sqrtT;
    const n1 = normCdf(d1);
    return {
      v,
      s,
      d1,
      d2,
      n1,
      f1: (v * n1 - pv * normCdf(d2)) / equity - 1,
      f2: (n1 * s * v) / (equityVol * equity) - 1,
    };
  };
  let x = Math.log(equity + pv), y = Math.log(Math.max((equityVol * equity) / (equity + pv), 1e-6));
  let r = residuals(x, y), norm = Math.max(Math.abs(r.f1), Math.abs(r.f2)), it = 0;
  trace?.push(norm);
  for (; it < MAX_ITER && norm > TOL; it++, trace?.push(norm)) {
    // Jacobian in (ln V, ln σ): ∂/∂lnV = V·∂/∂V, ∂/∂lnσ = σ·∂/∂σ.
    const phi = normPdf(r.d1);
    const a11 = (r.v * r.n1) / equity, a12 = (r.v * phi * sqrtT * r.s) / equity;
    const a21 = (r.v * (r.s * r.n1 + phi / sqrtT)) / (equityVol * equity);
    const a22 = (r.s * r.v * (r.n1 - phi * r.d2)) / (equityVol * equity);
    const det = a11 * a22 - a12 * a21;
    if (!Number.isFinite(det) || det === 0) break;
    const dx = (a22 * r.f1 - a12 * r.f2) / det, dy = (a11 * r.f2 - a21 * r.f1) / det;
    let step = 1, accepted = false;
    for (let k = 0; k < 30; k++, step /= 2) {
      const cand = residuals(x - step * dx, y - step * dy);
      const cn = Math.max(Math.abs(cand.f1), Math.abs(cand.f2));
      if (Number.isFinite(cn) && cn < norm) {
        (x -= step * dx), (y -= step * dy), (r = cand), (norm = cn), (accepted = true);
        break;
      }
    }
    if (!accepted) break;
  }
  if (norm <= 1e-10) return { v: r.v, sigma: r.s, iterations: it, residual: norm, method: "newton" };
  const fp = fixedPoint(equity, equityVol, debt, rate, horizon, Math.exp(y), trace);
  return { ...fp, iterations: it + fp.iterations, method: "fixed-point" };
}

/**
 * The classic fixed point on σ_V (σ_V ← σ_E E / (N(d₁) V)), with V from the first equation by bisection (E is
 * increasing in V): linearly convergent, the fallback of the Newton solver and the reference it is compared with.
 */
function fixedPoint(
  equity: number,
  equityVol: number,
  debt: number,
  rate: number,
  horizon: number,
  sigma0: number,
  trace?: number[],
): { v: number; sigma: number; iterations: number; residual: number } {
  const pv = debt * Math.exp(-rate * horizon);
  let sigma = sigma0, v = equity + pv, it = 0;
  const residual = () => {
    const [d1, d2] = mertonD(v, sigma, debt, rate, horizon);
    const f1 = (v * normCdf(d1) - pv * normCdf(d2)) / equity - 1,
      f2 = (normCdf(d1) * sigma * v) / (equityVol * equity) - 1;
    return Math.max(Math.abs(f1), Math.abs(f2));
  };
  for (let k = 0; k < 500; k++, it++) {
    let lo = equity, hi = equity + pv + 10 * equity;
    while (equityValue(hi, sigma, debt, rate, horizon) < equity) hi *= 2;
    for (let b = 0; b < 200 && hi - lo > 1e-14 * hi; b++) {
      const mid = 0.5 * (lo + hi);
      if (equityValue(mid, sigma, debt, rate, horizon) < equity) lo = mid;
      else hi = mid;
    }
    v = 0.5 * (lo + hi);
    const [d1] = mertonD(v, sigma, debt, rate, horizon);
    const next = (equityVol * equity) / (normCdf(d1) * v);
    const done = Math.abs(next - sigma) < 1e-13 * sigma;
    sigma = next;
    trace?.push(residual());
    if (done) break;
  }
  return { v, sigma, iterations: it, residual: residual() };
}

/**
 * Convergence of the two solvers on one firm: the scaled residual max(|ΔE|/E, |Δ(σ_E E)|/(σ_E E)) after each
 * iteration of Newton's method (quadratic: the number of correct digits doubles) and of the classic fixed point
 * (linear: a constant factor per iteration), both from the same start σ_V = σ_E E / (E + D e^{−rT}).
 */
export function mertonConvergence(p: MertonInputs): { newton: number[]; fixedPoint: number[] } {
  const q = validate("trace Merton convergence", p);
  const newton: number[] = [], fixed: number[] = [];
  solveCore(q.equity, q.equityVol, q.debt, q.rate, q.horizon, newton);
  const pv = q.debt * Math.exp(-q.rate * q.horizon);
  const start = (q.equityVol * q.equity) / (q.equity + pv);
  fixedPoint(q.equity, q.equityVol, q.debt, q.rate, q.horizon, start, fixed);
  return { newton, fixedPoint: fixed };
}

/**
 * KMV default point: short-term debt plus half the long-term debt (Crosbie and Bohn 2003).
 *
 * @throws {RangeError} If either debt is negative or not finite, or both are zero.
 */
export function kmvDefaultPoint(shortTermDebt: number, longTermDebt: number): number {
  const action = "compute KMV default point";
  if (!(Number.isFinite(shortTermDebt) && shortTermDebt >= 0)) {
    throw rangeError(action, "shortTermDebt", "a finite number ≥ 0", shortTermDebt);
  }
  if (!(Number.isFinite(longTermDebt) && longTermDebt >= 0)) {
    throw rangeError(action, "longTermDebt", "a finite number ≥ 0", longTermDebt);
  }
  const dp = shortTermDebt + 0.5 * longTermDebt;
  if (dp === 0) throw rangeError(action, "shortTermDebt + longTermDebt", "> 0 (a firm with debt)", 0);
  return dp;
}

/**
 * Credit spread of the firm's zero-coupon debt implied by Merton's model: s = −ln(N(d₂) + V/(D e^{−rT})·N(−d₁))/T.
 *
 * @example Hull's example: debt worth 9.40 against 9.51 risk-free, a spread of about 1.2 %
 * ```ts
 * import assert from "node:assert/strict";
 * import { mertonSpread } from "./merton.ts";
 *
 * assert.equal(mertonSpread({ assetValue: 12.3954, assetVol: 0.2123, debt: 10, rate: 0.05, horizon: 1 }).toFixed(3), "0.012");
 * ```
 *
 * @throws {TypeError} If `p` is not an object of numbers.
 * @throws {RangeError} If V, σ_V, D or T is not a finite number > 0, r is not finite, or r·T is so large that the
 *   spread is not representable.
 */
export function mertonSpread(p: {
  assetValue: number;
  assetVol: number;
  debt: number;
  rate: number;
  horizon: number;
}): number {
  const action = "compute Merton spread";
  requireObject(action, "p", p);
  const v = requirePositive(action, "assetValue", p.assetValue);
  const s = requirePositive(action, "assetVol", p.assetVol);
  const d = requirePositive(action, "debt", p.debt);
  const r = requireFinite(action, "rate", p.rate);
  const t = requirePositive(action, "horizon", p.horizon);
  const [d1, d2] = mertonD(v, s, d, r, t);
  const spread = -Math.log(normCdf(d2) + (v / (d * Math.exp(-r * t))) * normCdf(-d1)) / t;
  if (!Number.isFinite(spread)) {
    throw rangeError(
      action,
      "rate and horizon",
      "values whose discount factor e^(−rT) stays representable",
      `${r}, ${t}`,
    );
  }
  return spread;
}

/**
 * Requires an array-like of numbers, each NaN (missing) or satisfying `rule` ("> 0": finite and positive; "finite"),
 * naming the first bad element (`equity[3] (element 3)`).
 */
function requireValues(action: string, name: string, values: unknown, rule: "> 0" | "finite"): ArrayLike<number> {
  if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    throw typeError(action, name, "an array of numbers", values);
  }
  const a = values as ArrayLike<unknown>;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== "number") throw typeError(action, `${name}[${i}]`, "a number", v);
    if (Number.isNaN(v)) continue;
    const at = `${name}[${i}] (element ${i})`;
    if (!Number.isFinite(v)) throw rangeError(action, at, "finite or NaN (missing)", v);
    if (rule === "> 0" && !(v > 0)) throw rangeError(action, at, "> 0 or NaN (missing)", v);
  }
  return a as ArrayLike<number>;
}

/** Arrays of {@linkcode solveMertonArrays}: one element per firm-day. */
export interface MertonArrays {
  readonly assetValue: Float64Array;
  readonly assetVol: Float64Array;
  readonly distanceToDefault: Float64Array;
  readonly defaultProbability: Float64Array;
  readonly iterations: Int32Array;
}

/**
 * The vectorised solver: one Merton solve per element, on typed arrays. Elements whose inputs are missing (NaN)
 * give NaN outputs; any other invalid input throws, naming the element.
 *
 * @param p `equity`, `equityVol`, `debt`: one value per element, each > 0 and finite, or NaN (missing); `rate`: a
 *   finite number or one rate per element (finite or NaN); `horizon` > 0 in years; `drift` like `rate` (default
 *   the rate).
 * @throws {TypeError} If `p` is not an object or a field has the wrong type.
 * @throws {RangeError} If a value is out of range, the lengths differ, or an element has no solution.
 */
export function solveMertonArrays(p: {
  equity: ArrayLike<number>;
  equityVol: ArrayLike<number>;
  debt: ArrayLike<number>;
  rate: number | ArrayLike<number>;
  horizon: number;
  drift?: number | ArrayLike<number>;
}): MertonArrays {
  const action = "solve Merton (arrays)";
  requireObject(action, "p", p);
  const n = requireValues(action, "equity", p.equity, "> 0").length;
  for (const [name, arr] of [["equityVol", p.equityVol], ["debt", p.debt]] as const) {
    requireValues(action, name, arr, "> 0");
    if (arr.length !== n) throw rangeError(action, name, `${n} values (as many as equity)`, arr.length);
  }
  for (const name of ["rate", "drift"] as const) {
    const x = p[name];
    if (x === undefined && name === "drift") continue;
    if (typeof x === "number") requireFinite(action, name, x);
    else {
      requireValues(action, name, x, "finite");
      if (x!.length !== n) throw rangeError(action, name, `a number or ${n} values (as many as equity)`, x!.length);
    }
  }
  const horizon = requirePositive(action, "horizon", p.horizon);
  const at = (x: number | ArrayLike<number>, i: number) => (typeof x === "number" ? x : x[i]);
  const out = {
    assetValue: new Float64Array(n),
    assetVol: new Float64Array(n),
    distanceToDefault: new Float64Array(n),
    defaultProbability: new Float64Array(n),
    iterations: new Int32Array(n),
  };
  const sqrtT = Math.sqrt(horizon);
  for (let i = 0; i < n; i++) {
    const e = p.equity[i], se = p.equityVol[i], d = p.debt[i], r = at(p.rate, i);
    const mu = p.drift === undefined ? r : at(p.drift, i);
    if (Number.isNaN(e) || Number.isNaN(se) || Number.isNaN(d) || Number.isNaN(r) || Number.isNaN(mu)) {
      out.assetValue[i] =
        out.assetVol[i] =
        out.distanceToDefault[i] =
        out.defaultProbability[i] =
          NaN;
      continue;
    }
    const s = solveCore(e, se, d, r, horizon);
    if (!(s.residual < 1e-8)) {
      throw rangeError(
        action,
        `equity[${i}], equityVol[${i}] and debt[${i}]`,
        "a solvable firm",
        `residual ${s.residual.toExponential(2)}`,
      );
    }
    const dd = (Math.log(s.v / d) + (mu - 0.5 * s.sigma * s.sigma) * horizon) / (s.sigma * sqrtT);
    out.assetValue[i] = s.v, out.assetVol[i] = s.sigma, out.distanceToDefault[i] = dd;
    out.defaultProbability[i] = normCdf(-dd), out.iterations[i] = s.iterations;
  }
  return out;
}
