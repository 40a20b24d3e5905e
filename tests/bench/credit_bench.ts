/**
 * Issue targets: solveMerton on 100,000 firm-days under 100 ms; one Baum–Welch iteration with 21 states,
 * 3 features and T = 5,000 under 30 ms.
 */
import { solveMertonArrays } from "../../lib/credit/merton.ts";
import { GaussianHMM } from "../../lib/credit/hmm.ts";
import { makeRng, standardNormal } from "../../lib/core/rng.ts";

const n = 100_000;
const rng = makeRng(1, "merton-bench");
const equity = new Float64Array(n), equityVol = new Float64Array(n), debt = new Float64Array(n);
for (let i = 0; i < n; i++) {
  equity[i] = 10 * Math.exp(0.5 * standardNormal(rng));
  equityVol[i] = 0.15 + 0.4 * Math.abs(standardNormal(rng));
  debt[i] = 10 * Math.exp(0.7 * standardNormal(rng));
}

Deno.bench("solveMerton: 100,000 firm-days (Newton on the two equations)", { group: "merton" }, () => {
  solveMertonArrays({ equity, equityVol, debt, rate: 0.03, horizon: 1 });
});

const K = 21, T = 5000;
const hmmRng = makeRng(2, "hmm-bench");
const X = Array.from({ length: T }, (_, t) => {
  const level = Math.floor((t / T) * K);
  return [level + standardNormal(hmmRng), -level / 2 + standardNormal(hmmRng), level / 3 + standardNormal(hmmRng)];
});

Deno.bench("Baum–Welch: one iteration, 21 states, 3 features, T = 5,000", { group: "hmm" }, () => {
  new GaussianHMM({ nStates: K, nInit: 1 }).fit(X, { maxIter: 1 });
});
