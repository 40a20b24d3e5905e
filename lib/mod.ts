/**
 * creditlab: systematic credit trading research in TypeScript. This module re-exports every public entry point of
 * `lib/` (the contract in `API.md`); notebooks import from here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normCdf, simulateOU } from "./mod.ts";
 *
 * assert.ok(normCdf(-9) > 0);
 * assert.equal(simulateOU({ x0: 0.01, kappa: 1, mu: 0.01, sigma: 0.002, dt: 1 / 252, steps: 10, seed: 1 }).length, 11);
 * ```
 * @module
 */
export * from "./core/check.ts";
export * from "./core/special.ts";
export * from "./core/rng.ts";
export * from "./core/stats.ts";
export * from "./core/calendar.ts";
export * from "./core/linalg.ts";
export * from "./core/optimize.ts";
export * from "./data/schema.ts";
export * from "./data/table.ts";
export * from "./data/columns.ts";
export * from "./data/load.ts";
export { type StandInMarket, standInMarket, type StandInOptions, type StandInParams } from "./data/standin.ts";
export { STAND_IN_PARAMS } from "./data/standin_params.ts";
export { calibrateStandIn } from "./data/calibrate.ts";
export * from "./market/ou.ts";
export * from "./market/garch.ts";
export * from "./market/curve.ts";
export * from "./market/history.ts";
export * from "./market/bonds.ts";
export * from "./market/credit_factor.ts";
export * from "./market/universe.ts";
export * from "./market/spread_stats.ts";
export * from "./signals/panel.ts";
export * from "./signals/carry.ts";
export * from "./signals/momentum.ts";
export * from "./signals/value.ts";
export * from "./signals/composite.ts";
export * from "./signals/ic.ts";
export * from "./signals/desk.ts";
export * from "./backtest/metrics.ts";
export * from "./backtest/costs.ts";
export * from "./backtest/engine.ts";
export * from "./backtest/analysis.ts";
export * from "./overlay/market.ts";
export * from "./overlay/signals.ts";
export * from "./overlay/history.ts";
export * from "./overlay/backtest.ts";
export * from "./overlay/report.ts";
export * from "./overlay/sweep.ts";
export * from "./overlay/charts.ts";
export * from "./charts/style.ts";
export * from "./charts/frame.ts";
export * from "./charts/plots.ts";
export * from "./charts/table.ts";
export * from "./credit/merton.ts";
export * from "./credit/kmv.ts";
export * from "./credit/hmm.ts";
export * from "./credit/ratings.ts";
export * from "./credit/validation.ts";
export * from "./credit/states.ts";
