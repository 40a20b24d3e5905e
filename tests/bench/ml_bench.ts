/**
 * The random forest against scikit-learn on Friedman #1. Issue goal: fit in at most 0.4× scikit-learn's
 * single-threaded time and reach held-out R² ≥ 0.92. Reference measured on this machine with
 * `/usr/bin/python3 tests/fixtures/forest_reference.py` (scikit-learn 1.2.1, n_jobs=1, best of 3 fits, 2026-12-02):
 * 2.075 s and held-out R² 0.932. Compare the bench's `min` with it (both are best-of-n fit times).
 */
import { friedman1, r2Score, RandomForestRegressor } from "../../lib/ml/forest.ts";

const SKLEARN_FIT_SECONDS = 2.075;
const noise = 1 / Math.sqrt(12);
const train = friedman1(4000, { noiseSd: noise, seed: 1 }), test = friedman1(1000, { noiseSd: noise, seed: 2 });

// The accuracy half of the goal, checked once outside the timed loop.
const r2 = r2Score(test.y, new RandomForestRegressor({ nTrees: 100, seed: 0 }).fit(train.X, train.y).predict(test.X));
if (r2 < 0.92) throw new Error(`held-out R² ${r2} < 0.92`);

Deno.bench({
  name: `forest fit, 100 trees, Friedman #1 4,000 × 10 (R² ${r2.toFixed(3)}; goal ≤ ${
    (0.4 * SKLEARN_FIT_SECONDS).toFixed(2)
  } s = 0.4 × scikit-learn ${SKLEARN_FIT_SECONDS} s)`,
  n: 6,
  warmup: 1,
  fn() {
    new RandomForestRegressor({ nTrees: 100, seed: 0 }).fit(train.X, train.y);
  },
});
