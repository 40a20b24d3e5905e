/**
 * Derivative-free minimisation for the kit's small maximum-likelihood fits (GARCH, calibration): the Nelder–Mead
 * simplex method with the standard coefficients (reflection 1, expansion 2, contraction ½, shrink ½).
 *
 * Reference: Lagarias, J. C., Reeds, J. A., Wright, M. H. & Wright, P. E. (1998). Convergence properties of the
 * Nelder–Mead simplex method in low dimensions. SIAM J. Optim. 9(1), 112–147.
 * @module
 */
import {
  rangeError,
  Received,
  requireCount,
  requireFinite,
  requireFiniteArray,
  requireFunction,
  requireNonNegative,
  requireOptions,
  typeError,
} from "./check.ts";

/** Options of {@linkcode nelderMead}. */
export interface NelderMeadOptions {
  /** Maximum number of iterations; default 200 × dimension. */
  readonly maxIterations?: number;
  /** Stop when the simplex's function values span less than this (absolute); default 1e-10. */
  readonly tolerance?: number;
  /** Initial step along each coordinate; default 0.1·|x₀ᵢ|, or 0.05 where x₀ᵢ = 0. */
  readonly step?: number | readonly number[];
}

/** Result of {@linkcode nelderMead}. */
export interface NelderMeadResult {
  /** Best point found. */ readonly x: number[];
  /** Objective at `x`. */ readonly value: number;
  /** Iterations run. */ readonly iterations: number;
  /** True if the tolerance was met before the iteration cap. */ readonly converged: boolean;
}

/**
 * Minimises f over ℝⁿ by the Nelder–Mead simplex method. The objective may return `Infinity` to reject a point
 * (a soft constraint); it must not return NaN.
 *
 * @param f Objective.
 * @param x0 Starting point.
 * @param opts `maxIterations` (an integer ≥ 0), `tolerance` (≥ 0), `step` (finite, one number or one per coordinate).
 * @throws {TypeError} If f is not a function, x0 not an array of numbers, or an option unknown or of the wrong type.
 * @throws {RangeError} If x0 is empty or not finite, an option is out of its domain, f(x0) is not finite, or f
 *   returns NaN.
 *
 * @example Rosenbrock's banana function, minimum at (1, 1)
 * ```ts
 * import assert from "node:assert/strict";
 * import { nelderMead } from "./optimize.ts";
 *
 * const r = nelderMead(([x, y]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2, [-1.2, 1], { tolerance: 1e-14 });
 * assert.ok(Math.abs(r.x[0] - 1) < 1e-4 && Math.abs(r.x[1] - 1) < 1e-4);
 * ```
 */
export function nelderMead(
  f: (x: number[]) => number,
  x0: readonly number[],
  opts: NelderMeadOptions = {},
): NelderMeadResult {
  const action = "minimise with Nelder-Mead";
  requireFunction(action, "f", f);
  requireFiniteArray(action, "x0", x0, { minLength: 1 });
  const n = x0.length;
  requireOptions(action, "opts", opts, ["maxIterations", "tolerance", "step"]);
  const maxIterations = requireCount(action, "opts.maxIterations", opts.maxIterations ?? 200 * n);
  const tolerance = requireNonNegative(action, "opts.tolerance", opts.tolerance ?? 1e-10);
  if (typeof opts.step === "number") requireFinite(action, "opts.step", opts.step);
  else if (opts.step !== undefined) {
    if (!Array.isArray(opts.step)) throw typeError(action, "opts.step", "a number or an array of numbers", opts.step);
    requireFiniteArray(action, "opts.step", opts.step, { length: n });
  }
  const evaluate = (x: number[]) => {
    const v = f(x);
    if (typeof v !== "number" || Number.isNaN(v)) {
      const at = x.length <= 6 ? x.join(", ") : `${x.slice(0, 6).join(", ")}, …`;
      const received = typeof v === "number" ? `${v}` : `a value of type ${typeof v}`;
      throw (typeof v === "number" ? rangeError : typeError)(
        action,
        "the objective",
        "a number or Infinity",
        new Received(`${received} from f at x = [${at}]`),
      );
    }
    return v;
  };
  const simplex: number[][] = [Array.from(x0)];
  for (let i = 0; i < n; i++) {
    const p = Array.from(x0);
    const step = typeof opts.step === "number"
      ? opts.step
      : opts.step?.[i] ?? (p[i] !== 0 ? 0.1 * Math.abs(p[i]) : 0.05);
    p[i] += step;
    simplex.push(p);
  }
  let values = simplex.map(evaluate);
  if (!Number.isFinite(values[0])) throw rangeError(action, "the objective at x0", "finite", values[0]);

  let iterations = 0;
  let converged = false;
  const combine = (a: number[], b: number[], t: number) => a.map((ai, i) => ai + t * (b[i] - ai));
  while (iterations < maxIterations) {
    const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
    const sorted = order.map((i) => simplex[i]);
    values = order.map((i) => values[i]);
    simplex.splice(0, simplex.length, ...sorted);
    if (Math.abs(values[n] - values[0]) <= tolerance && Number.isFinite(values[n])) {
      converged = true;
      break;
    }
    iterations++;
    const centroid = new Array(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i][j] / n;
    const worst = simplex[n];
    const reflected = combine(centroid, worst, -1);
    const fr = evaluate(reflected);
    if (fr < values[0]) {
      const expanded = combine(centroid, worst, -2);
      const fe = evaluate(expanded);
      if (fe < fr) (simplex[n] = expanded), (values[n] = fe);
      else (simplex[n] = reflected), (values[n] = fr);
      continue;
    }
    if (fr < values[n - 1]) {
      (simplex[n] = reflected), (values[n] = fr);
      continue;
    }
    const outside = fr < values[n];
    const contracted = combine(centroid, outside ? reflected : worst, 0.5);
    const fc = evaluate(contracted);
    if (fc < (outside ? fr : values[n])) {
      (simplex[n] = contracted), (values[n] = fc);
      continue;
    }
    for (let i = 1; i <= n; i++) {
      simplex[i] = combine(simplex[0], simplex[i], 0.5);
      values[i] = evaluate(simplex[i]);
    }
  }
  let best = 0;
  for (let i = 1; i <= n; i++) if (values[i] < values[best]) best = i;
  return { x: simplex[best], value: values[best], iterations, converged };
}
