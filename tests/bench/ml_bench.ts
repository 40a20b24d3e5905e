/**
 * The random forest against scikit-learn on Friedman #1 (issue 13). Goal: fit 100 trees on 4,000 × 10 rows in at
 * most 0.4× scikit-learn's single-threaded time, and reach held-out R² ≥ 0.92 on 1,000 rows, both with
 * scikit-learn's defaults (bootstrap, maxFeatures 1.0, minSamplesLeaf 1, unlimited depth).
 *
 * Reference measured on this machine (2 cores, shared; measured when the load average was below 0.6) on
 * 2026-12-02 with scikit-learn 1.2.1 (Debian's python3-sklearn), RandomForestRegressor(n_estimators=100, n_jobs=1,
 * random_state=0), best of 3 fits:
 *
 *     /usr/bin/python3 tests/fixtures/forest_reference.py               → 2.022 s, held-out R² 0.9310
 *     /usr/bin/python3 tests/fixtures/forest_reference.py --csv FILE    → 1.949 s, held-out R² 0.9250
 *
 * The second line scores scikit-learn on this bench's own rows (creditlab's friedman1, seeds 1 and 2; the fixture's
 * docstring writes FILE), so its R² is the one to compare with the R² in the bench name. Other runs that day gave
 * 1.89–2.26 s. Compare the bench's `min` with SKLEARN_FIT_SECONDS (both are best-of-n fit times).
 */
import { friedman1, r2Score, RandomForestRegressor } from "../../lib/ml/forest.ts";

/** scikit-learn 1.2.1, best of 3 fits, make_friedman1 rows (see above). */
const SKLEARN_FIT_SECONDS = 2.022;
/** scikit-learn 1.2.1 held-out R² on this bench's rows (`--csv`, see above). */
const SKLEARN_R2_SAME_ROWS = 0.925;

const noise = 1 / Math.sqrt(12);
const train = friedman1(4000, { noiseSd: noise, seed: 1 }), test = friedman1(1000, { noiseSd: noise, seed: 2 });
const trainMatrix = { rows: 4000, cols: 10, values: Float64Array.from(train.X.flat()) };

// The accuracy half of the goal, checked once outside the timed loop.
const r2 = r2Score(test.y, new RandomForestRegressor({ nTrees: 100, seed: 0 }).fit(train.X, train.y).predict(test.X));
if (r2 < 0.92) throw new Error(`held-out R² ${r2} < 0.92`);

const goal = `goal ≤ ${(0.4 * SKLEARN_FIT_SECONDS).toFixed(2)} s = 0.4 × scikit-learn ${SKLEARN_FIT_SECONDS} s`;

Deno.bench({
  name: `forest fit, 100 trees, Friedman #1 4,000 × 10 (R² ${
    r2.toFixed(4)
  }, scikit-learn ${SKLEARN_R2_SAME_ROWS}; ${goal})`,
  group: "forest",
  baseline: true,
  n: 6,
  warmup: 1,
  fn() {
    new RandomForestRegressor({ nTrees: 100, seed: 0 }).fit(train.X, train.y);
  },
});

Deno.bench({
  name: "forest fitMatrix, same data as a flat Float64Array",
  group: "forest",
  n: 6,
  warmup: 1,
  fn() {
    new RandomForestRegressor({ nTrees: 100, seed: 0 }).fitMatrix(trainMatrix, train.y);
  },
});
