import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import {
  annualVolatility,
  cagr,
  calmarRatio,
  conditionalValueAtRisk,
  deflatedSharpeRatio,
  drawdownSeries,
  expectedMaxSharpe,
  hitRate,
  informationRatio,
  maxDrawdown,
  probabilisticSharpeRatio,
  sharpeRatio,
  sortinoRatio,
  UndefinedStatisticError,
  valueAtRisk,
} from "../../lib/backtest/metrics.ts";
import { compareSummaries, formatSummary, performanceSummary } from "../../lib/backtest/summary.ts";
import { rollingSharpe } from "../../lib/backtest/tearsheet.ts";
import { makeRng, standardNormal } from "../../lib/core/rng.ts";

// The fixed series and every reference value below come from tests/fixtures/metrics_reference.py, which transcribes
// the formulas of empyrical 0.5.5 and quantstats 0.0.84 line by line (numpy, pandas, scipy):
//   python3 tests/fixtures/metrics_reference.py
const R = [
  -0.0005,
  0.016138,
  0.001643,
  -0.006905,
  0.007298,
  0.009181,
  -0.008617,
  -0.008706,
  0.007017,
  -0.004065,
  -0.012468,
  -0.002535,
  0.011422,
  0.000695,
  -0.007387,
  0.008422,
  0.014911,
  -0.000942,
  -0.008793,
  0.012942,
  0.009074,
  -0.008171,
  -0.00287,
  0.009902,
  -0.001473,
  -0.013396,
  -4.8e-05,
  0.002467,
  -0.005916,
  -0.008595,
  0.009289,
  0.010473,
  -0.004724,
  0.000477,
  0.015943,
  0.00729,
  -0.012563,
  0.003979,
  0.012595,
  -0.003183,
];
const B = [
  0.004115,
  0.007906,
  -0.003895,
  -0.004644,
  0.007349,
  0.005008,
  -0.006382,
  -0.001106,
  0.008925,
  0.001064,
  -0.006941,
  0.002983,
  0.00843,
  -0.002897,
  -0.005426,
  0.006553,
  0.005995,
  -0.00584,
  -0.002232,
  0.008673,
  0.002255,
  -0.006997,
  0.001806,
  0.008789,
  -0.001813,
  -0.006064,
  0.005633,
  0.00687,
  -0.005146,
  -0.003287,
  0.008251,
  0.003418,
  -0.006874,
  0.000611,
  0.008974,
  -0.000666,
  -0.006545,
  0.00461,
  0.007615,
  -0.004314,
];
const TIGHT = { rtol: 1e-12 };

Deno.test("the three conventions agree where the libraries agree: Sharpe, Sortino, drawdown, CAGR, Calmar, volatility", () => {
  for (const convention of ["creditlab", "empyrical", "quantstats"] as const) {
    assertClose(sharpeRatio(R, { convention }), 2.264972064097695, TIGHT, `Sharpe ${convention}`);
    assertClose(sortinoRatio(R, { convention }), 3.79198162789689, TIGHT, `Sortino ${convention}`);
    assertClose(calmarRatio(R, { convention }), 12.068398480991751, TIGHT, `Calmar ${convention}`);
  }
  assertClose(maxDrawdown(R), -0.029131109464230788, TIGHT);
  assertClose(cagr(R), 0.35156583720772727, TIGHT);
  assertClose(annualVolatility(R), 0.13713030059985903, TIGHT);
});

Deno.test("risk-free rate: per period for creditlab and empyrical, annual for quantstats", () => {
  assertClose(sharpeRatio(R, { riskFree: 0.0001 }), 2.0812052387515405, TIGHT);
  assertClose(sharpeRatio(R, { riskFree: 0.0001, convention: "empyrical" }), 2.0812052387515405, TIGHT);
  assertClose(sharpeRatio(R, { riskFree: 0.03, convention: "quantstats" }), 2.0494067531709894, TIGHT);
  assertClose(sortinoRatio(R, { riskFree: 0.03, convention: "quantstats" }), 3.3855117683589735, TIGHT);
});

Deno.test("VaR and CVaR: historical for creditlab and empyrical, parametric for quantstats", () => {
  assertClose(valueAtRisk(R), -0.01247275, TIGHT);
  assertClose(valueAtRisk(R, 0.95, { convention: "empyrical" }), -0.01247275, TIGHT);
  assertClose(valueAtRisk(R, 0.95, { convention: "quantstats" }), -0.012976373581619644, TIGHT);
  assertClose(conditionalValueAtRisk(R), -0.0129795, TIGHT);
  assertClose(conditionalValueAtRisk(R, 0.95, { convention: "empyrical" }), -0.0129795, TIGHT);
  assertClose(conditionalValueAtRisk(R, 0.95, { convention: "quantstats" }), -0.01658600705941565, TIGHT);
});

Deno.test("information ratio: annualised by creditlab, per period by empyrical and quantstats", () => {
  assertClose(informationRatio(R, B), 0.369772270202427, TIGHT);
  assertClose(informationRatio(R, B, { convention: "empyrical" }), 0.02329346354008098, TIGHT);
  assertClose(informationRatio(R, B, { convention: "quantstats" }), 0.02329346354008098, TIGHT);
});

Deno.test("hit rate and probabilistic Sharpe ratio match quantstats and the moment-estimator formula", () => {
  assertClose(hitRate(R), 0.5, TIGHT);
  assertClose(probabilisticSharpeRatio(R, { convention: "quantstats" }), 0.8144384611692028, TIGHT);
  assertClose(probabilisticSharpeRatio(R), 0.8143887835059476, TIGHT);
});

Deno.test("Sharpe ignores a common shift of returns and risk-free rate; PSR of a longer equal-moment sample is higher", () => {
  const shifted = R.map((r) => r + 0.002);
  assertClose(sharpeRatio(shifted, { riskFree: 0.002 }), sharpeRatio(R), { rtol: 1e-10 });
  assert.ok(probabilisticSharpeRatio([...R, ...R, ...R]) > probabilisticSharpeRatio(R));
});

Deno.test("drawdowns start from the initial wealth: a first-period loss is a drawdown", () => {
  assert.deepEqual(Array.from(drawdownSeries([-0.1, 0.05, 0.1])).map((d) => Number(d.toFixed(12))), [-0.1, -0.055, 0]);
  assertClose(maxDrawdown([-0.1, 0.05]), -0.1, { atol: 1e-15 });
  assert.equal(maxDrawdown([0.01, 0.02]), 0);
});

Deno.test("undefined statistics throw with the reason, and the summary reports them as not available", () => {
  assert.throws(() => sharpeRatio([0.01, 0.01, 0.01]), {
    name: "RangeError",
    message: "Cannot compute Sharpe ratio: returns must be not constant, received 3 equal values",
  });
  assert.throws(() => sortinoRatio([0.01, 0.02, 0.03]), {
    message: /below the target in at least one period, received no losing period/,
  });
  assert.throws(() => calmarRatio([0.01, 0.02]), { message: /a series with a drawdown, received no drawdown/ });
  assert.throws(() => sharpeRatio([0.01, NaN]), {
    message: "Cannot compute Sharpe ratio: returns[1] must be finite, received NaN",
  });
  const summary = performanceSummary([0.01, 0.02, 0.015]);
  const sortino = summary.find((r) => r.metric === "Sortino ratio")!;
  assert.equal(sortino.value, null);
  assert.match(sortino.note!, /^not available: returns must be below the target/);
  assert.equal(summary.find((r) => r.metric === "Calmar ratio")!.value, null);
  assert.ok(summary.find((r) => r.metric === "CAGR")!.value! > 0);
});

Deno.test("expectedMaxSharpe: the extreme-value approximation against the simulated maximum of N noise Sharpe ratios", () => {
  // Brute force: the mean of the maximum of N independent N(0, v) draws, 4,000 repetitions.
  const rng = makeRng(7, "max-sharpe");
  for (const trials of [10, 50]) {
    const v = 0.04;
    let total = 0;
    const reps = 4000;
    for (let r = 0; r < reps; r++) {
      let best = -Infinity;
      for (let k = 0; k < trials; k++) best = Math.max(best, Math.sqrt(v) * standardNormal(rng));
      total += best;
    }
    const simulated = total / reps, formula = expectedMaxSharpe(trials, v);
    assert.ok(Math.abs(formula / simulated - 1) < 0.04, `N=${trials}: ${formula} vs simulated ${simulated}`);
  }
});

Deno.test("deflatedSharpeRatio: PSR against the luck benchmark; more trials deflate more; bad options refused", () => {
  const rng = makeRng(3, "dsr");
  const r = Array.from({ length: 750 }, () => 0.0005 + 0.01 * standardNormal(rng));
  const v = 0.002;
  const dsr = deflatedSharpeRatio(r, { trials: 20, sharpeVariance: v });
  assert.ok(Math.abs(dsr - probabilisticSharpeRatio(r, { benchmark: expectedMaxSharpe(20, v) })) < 1e-15);
  assert.ok(deflatedSharpeRatio(r, { trials: 200, sharpeVariance: v }) < dsr);
  assert.ok(dsr < probabilisticSharpeRatio(r));
  // From the trials' own Sharpe ratios: N and the sample variance (n − 1).
  const sharpes = [0.01, 0.03, -0.02, 0.05];
  const m = 0.0175, sampleVar = sharpes.reduce((s, x) => s + (x - m) ** 2, 0) / 3;
  assert.ok(
    Math.abs(
      deflatedSharpeRatio(r, { trialSharpes: sharpes }) -
        deflatedSharpeRatio(r, { trials: 4, sharpeVariance: sampleVar }),
    ) <
      1e-15,
  );
  assert.throws(
    () => deflatedSharpeRatio(r, { trial: 4 } as never),
    /unknown option opts.trial; did you mean opts.trials\?/,
  );
  assert.throws(() => deflatedSharpeRatio(r, { trials: 4 }), /either trialSharpes or both/);
  assert.throws(() => deflatedSharpeRatio(r, { trials: 1, sharpeVariance: 0.1 }), /trials must be an integer ≥ 2/);
  assert.throws(
    () => deflatedSharpeRatio(r, { trials: 5, sharpeVariance: -1 }),
    /opts\.sharpeVariance must be finite and ≥ 0/,
  );
});

Deno.test("a constant series has no Sharpe, IR, PSR or DSR: a standard deviation of rounding noise is zero", () => {
  // Property: these ratios divide by a standard deviation that is exactly 0 for equal values. Summing n equal values
  // misses their mean by up to ~n ulps, so the computed sd is 1e-17, not 0; before this check, 394 equal returns of
  // 0.0028358978994784245 gave a Sharpe ratio of 2.3e15 and r = b + 0.0149 an information ratio of 7.6e14.
  const undefinedStatistic = (pattern: RegExp) => (e: unknown) =>
    e instanceof UndefinedStatisticError && e instanceof RangeError && pattern.test((e as Error).message);
  const constant = new Array(394).fill(0.0028358978994784245);
  assert.throws(() => sharpeRatio(constant), undefinedStatistic(/^Cannot compute Sharpe ratio: returns must be not/));
  assert.throws(() => probabilisticSharpeRatio(constant), undefinedStatistic(/not constant, received 394 values/));
  assert.throws(
    () => deflatedSharpeRatio(constant, { trials: 10, sharpeVariance: 0.01 }),
    undefinedStatistic(/^Cannot compute deflated Sharpe ratio: returns must be not constant/),
  );
  const shifted = new Array(1509).fill(-0.00000366117796360065);
  assert.throws(() => sharpeRatio(shifted, { riskFree: -0.0000018715268619810887 }), undefinedStatistic(/constant/));
  const b = Array.from({ length: 1156 }, (_, i) => 0.02 * Math.sin(i));
  assert.throws(() => informationRatio(b.map((x) => x + 0.014891702803908873), b), undefinedStatistic(/constant/));
  // Sortino: one excess return of −5.6e-17 (0.3 against 0.1 + 0.2) is rounding, not a loss: 1.2e15 before.
  assert.throws(
    () => sortinoRatio([0.3, ...new Array(20).fill(0.301)], { riskFree: 0.1 + 0.2 }),
    undefinedStatistic(/below the target by more than rounding/),
  );
  // Calmar: a drawdown of 1e-15 is 5 ulps of the wealth (3.9e15 before).
  assert.throws(() => calmarRatio([0.01, -1e-15, 0.01]), undefinedStatistic(/a drawdown larger than rounding/));
  // The summary reports them as not available, and a one-year rolling window of equal returns is NaN.
  const rows = performanceSummary(constant);
  assert.equal(rows.find((r) => r.metric === "Sharpe ratio")!.value, null);
  assert.match(rows.find((r) => r.metric === "Sharpe ratio")!.note!, /not available: returns must be not constant/);
  assert.equal(rows.find((r) => r.metric === "Probabilistic Sharpe (SR > 0)")!.value, null);
  assert.ok(Array.from(rollingSharpe(new Array(300).fill(0.0028358978994784245), 252)).every(Number.isNaN));
  // A genuinely varying series keeps its ratio: (mean 0.001, sd 0.01) as in the doc example.
  const r = [0.011, -0.009, 0.011, -0.009, 0.011, -0.009];
  assertClose(sharpeRatio(r), (0.001 / Math.sqrt(0.0006 / 5)) * Math.sqrt(252), { rtol: 1e-12 });
});

Deno.test("every metric refuses a misspelt or unknown option, a null options object and a mistyped field", () => {
  const r = [0.011, -0.009, 0.012, -0.008, 0.011, -0.01];
  const typo = (f: () => unknown, hint: string) =>
    assert.throws(f, { name: "TypeError", message: new RegExp(`unknown option opts\\.\\w+; did you mean ${hint}\\?`) });
  typo(() => sharpeRatio(r, { periodPerYear: 12 } as never), "opts\\.periodsPerYear");
  typo(() => sortinoRatio(r, { riskFre: 0 } as never), "opts\\.riskFree");
  typo(() => cagr(r, { periodPerYear: 12 } as never), "opts\\.periodsPerYear");
  typo(() => annualVolatility(r, { periodPerYear: 12 } as never), "opts\\.periodsPerYear");
  typo(() => calmarRatio(r, { periodPerYear: 12 } as never), "opts\\.periodsPerYear");
  typo(() => valueAtRisk(r, 0.95, { conventon: "quantstats" } as never), "opts\\.convention");
  typo(() => conditionalValueAtRisk(r, 0.95, { conventon: "quantstats" } as never), "opts\\.convention");
  typo(() => informationRatio(r, r.map((x) => x / 2), { periodPerYear: 12 } as never), "opts\\.periodsPerYear");
  typo(() => probabilisticSharpeRatio(r, { benchmrk: 0 } as never), "opts\\.benchmark");
  typo(() => performanceSummary(r, { minTrade: 3 } as never), "opts\\.minTrades");
  assert.throws(() => sharpeRatio(r, null as never), {
    name: "TypeError",
    message: "Cannot compute Sharpe ratio: opts must be an options object, received null",
  });
  assert.throws(() => sharpeRatio(r, { periodsPerYear: "12" } as never), {
    name: "TypeError",
    message: 'Cannot compute Sharpe ratio: periodsPerYear must be a number, received "12"',
  });
  assert.throws(() => probabilisticSharpeRatio(r, { benchmark: NaN }), {
    name: "RangeError",
    message: "Cannot compute probabilistic Sharpe ratio: benchmark must be finite, received NaN",
  });
  assert.throws(() => performanceSummary(r, { trades: 7 } as never), {
    name: "TypeError",
    message: "Cannot summarise performance: trades must be an array of { pnl, days }, received 7",
  });
});

Deno.test("formatSummary and compareSummaries name the bad row of the caller's argument", () => {
  const rows = performanceSummary([0.011, -0.009, 0.012, -0.008, 0.011, -0.01]);
  assert.throws(() => formatSummary(null as never), {
    name: "TypeError",
    message: "Cannot format summary: rows must be an array of summary rows (from performanceSummary), received null",
  });
  const bad = rows.map((r, i) => (i === 2 ? { ...r, value: "1" } : r));
  assert.throws(() => compareSummaries({ A: rows, B: bad as never }), {
    name: "TypeError",
    message: 'Cannot compare summaries: runs["B"][2].value must be a number, received "1"',
  });
  assert.throws(() => compareSummaries({ A: rows, zzFuzz: 1 } as never), {
    name: "TypeError",
    message: 'Cannot compare summaries: runs["zzFuzz"] must be an array of summary rows (from performanceSummary), ' +
      "received 1",
  });
});
