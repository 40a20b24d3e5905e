import assert from "node:assert/strict";
import { assertClose } from "../_assert.ts";
import {
  friedman1,
  permutationImportance,
  r2Score,
  RandomForestRegressor,
  type RowMajorMatrix,
  type Tree,
} from "../../lib/ml/forest.ts";
import { makeRng, standardNormal } from "../../lib/core/rng.ts";

const sum = (v: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
};
const sse = (v: number[]) => {
  const m = sum(v) / v.length;
  return v.reduce((s, x) => s + (x - m) ** 2, 0);
};
const internalNodes = (t: Tree) => [...t.feature.keys()].filter((k) => t.feature[k] >= 0);
const leaves = (t: Tree) => [...t.feature.keys()].filter((k) => t.feature[k] < 0);

/** Best variance-reduction split of (X, y) by brute force: every feature, every midpoint, each side ≥ minLeaf rows. */
function bruteForceSplit(X: number[][], y: number[], minLeaf = 1) {
  let best = { gain: -Infinity, feature: -1, threshold: NaN, leftMean: NaN, rightMean: NaN };
  for (let j = 0; j < X[0].length; j++) {
    const values = [...new Set(X.map((r) => r[j]))].sort((a, b) => a - b);
    for (let k = 0; k + 1 < values.length; k++) {
      const threshold = (values[k] + values[k + 1]) / 2;
      const left = y.filter((_, i) => X[i][j] <= threshold), right = y.filter((_, i) => X[i][j] > threshold);
      if (left.length < minLeaf || right.length < minLeaf) continue;
      const gain = sse(y) - sse(left) - sse(right);
      if (gain > best.gain) {
        best = { gain, feature: j, threshold, leftMean: sum(left) / left.length, rightMean: sum(right) / right.length };
      }
    }
  }
  return best;
}

Deno.test("RandomForestRegressor: a stump on a toy set splits where the hand-worked variance reduction peaks", () => {
  // By hand: x = 1..8, y = 1.0 1.4 0.8 1.2 | 3.9 4.3 3.6 2.4. Δ(θ) = W_L·W_R/W·(ȳ_L − ȳ_R)² gives
  // θ=3.5: 3·5/8·(1.0667 − 3.08)² = 7.60; θ=4.5: 4·4/8·(1.1 − 3.55)² = 12.005; θ=5.5: 5.90; θ=6.5: 1.215;
  // θ=2.5, 1.5, 7.5 smaller. So the root splits at 4.5 into leaves 1.1 and 3.55, removing 12.005 of SSE.
  const x = [1, 2, 3, 4, 5, 6, 7, 8], y = [1.0, 1.4, 0.8, 1.2, 3.9, 4.3, 3.6, 2.4];
  const stump = new RandomForestRegressor({ nTrees: 1, bootstrap: false, maxDepth: 1 }).fit(x.map((v) => [v]), y);
  assert.equal(stump.trees[0].threshold[0], 4.5);
  const fitted = stump.predict(x.map((v) => [v]));
  assertClose(fitted[0], 1.1, { atol: 1e-12 });
  assertClose(fitted[7], 3.55, { atol: 1e-12 });
  assertClose(sse(y) - fitted.reduce((s, f, i) => s + (y[i] - f) ** 2, 0), 12.005, { atol: 1e-12 });
});

Deno.test("RandomForestRegressor: a single tree on all rows fits a step function exactly, splitting at midpoints", () => {
  const X = Array.from({ length: 60 }, (_, i) => [i / 10, (i * 7) % 13]);
  const step = (x: number) => (x < 1.5 ? -2 : x < 3.2 ? 4 : 1);
  const y = X.map(([x]) => step(x));
  const tree = new RandomForestRegressor({ nTrees: 1, bootstrap: false, maxFeatures: 1 }).fit(X, y);
  assert.deepEqual(tree.predict(X), y);
  // Three constant pieces need exactly two splits, both on the first feature, halfway between the sample points.
  const t = tree.trees[0];
  assert.equal(internalNodes(t).length, 2);
  const thresholds = internalNodes(t).map((k) => t.threshold[k]).sort((a, b) => a - b);
  assertClose(thresholds[0], (1.4 + 1.5) / 2, { atol: 1e-15 });
  assertClose(thresholds[1], (3.1 + 3.2) / 2, { atol: 1e-15 });
  assert.deepEqual(tree.featureImportances, [1, 0]);
});

Deno.test("RandomForestRegressor: tied feature values are never separated", () => {
  // By hand: x = 1 1 2 2 3, y = 0 0 0 5 5. Candidates θ=1.5 (Δ = 2·3/5·(0 − 10/3)² = 13.33) and θ=2.5
  // (Δ = 4·1/5·(1.25 − 5)² = 11.25): the root takes 1.5; the right child takes 2.5; the two rows at x=2 (y 0 and 5)
  // share a leaf predicting 2.5, whatever the depth.
  const X = [[1], [1], [2], [2], [3]], y = [0, 0, 0, 5, 5];
  const tree = new RandomForestRegressor({ nTrees: 1, bootstrap: false }).fit(X, y);
  const t = tree.trees[0];
  assert.equal(t.threshold[0], 1.5);
  assert.deepEqual(internalNodes(t).map((k) => t.threshold[k]).sort(), [1.5, 2.5]);
  assert.deepEqual(tree.predict([[1], [2], [3], [1.9999], [2.0001]]), [0, 2.5, 5, 2.5, 2.5]);
});

Deno.test("RandomForestRegressor: the root split is the brute-force best over every feature and threshold", () => {
  for (const seed of [4, 5, 6]) {
    const rng = makeRng(seed, "split");
    const X = Array.from({ length: 40 }, () => [rng(), rng(), Math.round(rng() * 3)]);
    const y = X.map(([a, b, c]) => Math.sin(6 * a) + b * c + 0.1 * standardNormal(rng));
    for (const minSamplesLeaf of [1, 4, 15]) {
      const best = bruteForceSplit(X, y, minSamplesLeaf);
      const stump = new RandomForestRegressor({ nTrees: 1, bootstrap: false, maxDepth: 1, minSamplesLeaf }).fit(X, y);
      const t = stump.trees[0];
      assert.equal(t.feature[0], best.feature, `seed ${seed}, minSamplesLeaf ${minSamplesLeaf}`);
      assertClose(t.threshold[0], best.threshold, { atol: 1e-15 });
      assertClose(t.value[t.left[0]], best.leftMean, { atol: 1e-12 });
      assertClose(t.value[t.right[0]], best.rightMean, { atol: 1e-12 });
    }
  }
});

Deno.test("RandomForestRegressor: minSamplesLeaf and maxDepth hold in every tree, and nodes account for their rows", () => {
  const { X, y } = friedman1(500, { seed: 3 });
  for (const k of [1, 7, 25]) {
    for (const maxDepth of [3, 6, undefined]) {
      const forest = new RandomForestRegressor({ nTrees: 5, minSamplesLeaf: k, maxDepth, seed: 1 }).fit(X, y);
      for (const t of forest.trees) {
        assert.ok(t.depth <= (maxDepth ?? Infinity));
        for (let node = 0; node < t.feature.length; node++) {
          if (t.feature[node] < 0) assert.ok(t.samples[node] >= k, `leaf with ${t.samples[node]} rows < ${k}`);
          else assert.equal(t.samples[t.left[node]] + t.samples[t.right[node]], t.samples[node]);
        }
      }
    }
  }
  // Without bootstrap every leaf's count is the number of training rows that land in it.
  const forest = new RandomForestRegressor({ nTrees: 1, bootstrap: false, minSamplesLeaf: 9 }).fit(X, y);
  const t = forest.trees[0], landed = new Map<number, number>();
  for (const row of X) {
    let node = 0;
    while (t.feature[node] >= 0) node = row[t.feature[node]] <= t.threshold[node] ? t.left[node] : t.right[node];
    landed.set(node, (landed.get(node) ?? 0) + 1);
  }
  for (const leaf of leaves(t)) assert.equal(landed.get(leaf), t.samples[leaf]);
  assert.ok(Math.min(...landed.values()) >= 9);
});

Deno.test("RandomForestRegressor: maxFeatures draws more features when the drawn ones cannot split", () => {
  // Feature 0 is constant, so with one feature per split a node that draws it must go on to feature 1.
  const X = Array.from({ length: 30 }, (_, i) => [7, i]), y = X.map(([, x]) => (x < 12 ? 0 : 1));
  const forest = new RandomForestRegressor({ nTrees: 20, maxFeatures: 0.5, seed: 2 }).fit(X, y);
  for (const t of forest.trees) assert.equal(t.feature[0], 1);
  assert.deepEqual(forest.featureImportances, [0, 1]);
});

Deno.test("RandomForestRegressor: same seed, same forest; another seed, another forest; fitMatrix gives the same", () => {
  const { X, y } = friedman1(400, { seed: 5 });
  const opts = { nTrees: 20, maxFeatures: 0.5 };
  const a = new RandomForestRegressor({ ...opts, seed: "s" }).fit(X, y);
  const b = new RandomForestRegressor({ ...opts, seed: "s" }).fit(X, y);
  const c = new RandomForestRegressor({ ...opts, seed: "t" }).fit(X, y);
  const flat: RowMajorMatrix = { rows: X.length, cols: 10, values: Float64Array.from(X.flat()) };
  const d = new RandomForestRegressor({ ...opts, seed: "s" }).fitMatrix(flat, Float64Array.from(y));
  const probe = friedman1(50, { seed: 6 }).X;
  assert.deepEqual(a.predict(probe), b.predict(probe));
  assert.deepEqual(a.featureImportances, b.featureImportances);
  assert.notDeepEqual(a.predict(probe), c.predict(probe));
  assert.deepEqual(d.predict(probe), a.predict(probe));
  assert.deepEqual(d.trees, a.trees);
  const probeFlat = { rows: probe.length, cols: 10, values: probe.flat() };
  assert.deepEqual(Array.from(a.predictMatrix(probeFlat)), a.predict(probe));
});

Deno.test("RandomForestRegressor: a forest predicts the mean of its trees", () => {
  const { X, y } = friedman1(200, { seed: 8 });
  const probe = friedman1(10, { seed: 9 }).X;
  const forest = new RandomForestRegressor({ nTrees: 7, seed: 3 }).fit(X, y);
  const byTree = forest.trees.map((t) =>
    probe.map((row) => {
      let node = 0;
      while (t.feature[node] >= 0) node = row[t.feature[node]] <= t.threshold[node] ? t.left[node] : t.right[node];
      return t.value[node];
    })
  );
  forest.predict(probe).forEach((v, i) => assertClose(v, sum(byTree.map((p) => p[i])) / 7, { rtol: 1e-14 }));
});

Deno.test("Friedman #1: held-out R² ≥ 0.92 with 100 trees; noise features get ~0 importance by both measures", () => {
  // scikit-learn 1.2.1 on these very rows (tests/fixtures/forest_reference.py --csv): R² 0.9250.
  const noise = 1 / Math.sqrt(12);
  const train = friedman1(4000, { noiseSd: noise, seed: 1 }), test = friedman1(1000, { noiseSd: noise, seed: 2 });
  const forest = new RandomForestRegressor({ nTrees: 100, seed: 0 }).fit(train.X, train.y);
  const r2 = r2Score(test.y, forest.predict(test.X));
  assert.ok(r2 >= 0.92, `R² ${r2}`);
  const mdi = forest.featureImportances;
  assertClose(sum(mdi), 1, { atol: 1e-12 });
  // Fully grown trees spend only their last, tiny splits on noise: each noise feature < 1%, a tenth of x₃'s.
  for (const j of [5, 6, 7, 8, 9]) assert.ok(mdi[j] < 0.01 && mdi[j] < 0.1 * Math.min(...mdi.slice(0, 5)), `x${j + 1}`);
  const perm = permutationImportance(forest, test.X.slice(0, 300), test.y.slice(0, 300), { nRepeats: 2, seed: 1 });
  assert.ok(perm.mean[3] > 10 * Math.max(...perm.mean.slice(5).map(Math.abs)), `x4 ${perm.mean[3]} vs noise`);
  for (let j = 0; j < 5; j++) assert.ok(perm.mean[j] > Math.max(...perm.mean.slice(5)), `x${j + 1} above noise`);
});

Deno.test("permutationImportance: a feature the forest never splits on has exactly zero importance", () => {
  const rng = makeRng(11, "perm");
  const X = Array.from({ length: 200 }, () => [rng(), 3, rng()]), y = X.map(([a, , c]) => 5 * a + 0.1 * c);
  const forest = new RandomForestRegressor({ nTrees: 10, seed: 1 }).fit(X, y);
  const test = Array.from({ length: 100 }, () => [rng(), rng(), rng()]),
    yTest = test.map(([a, , c]) => 5 * a + 0.1 * c);
  const perm = permutationImportance(forest, test, yTest, { nRepeats: 4, seed: 2 });
  assert.equal(perm.mean[1], 0);
  assert.equal(perm.sd[1], 0);
  assert.equal(forest.featureImportances[1], 0);
  assert.ok(perm.mean[0] > 0.5 && perm.sd[0] > 0);
  // The matrix form shuffles the same way.
  const flat = { rows: 100, cols: 3, values: test.flat() };
  assert.deepEqual(permutationImportance(forest, flat, yTest, { nRepeats: 4, seed: 2 }), perm);
});

Deno.test("r2Score against its definition", () => {
  assert.equal(r2Score([1, 2, 3], [1, 2, 3]), 1);
  assertClose(r2Score([1, 2, 3], [2, 2, 2]), 0, { atol: 1e-15 });
  assertClose(r2Score([1, 2, 3], [3, 2, 1]), 1 - 8 / 2, { atol: 1e-15 });
  assert.throws(() => r2Score([1, 1], [1, 2]), /yTrue must be not constant/);
  assert.throws(() => r2Score([1, 2], [1]), /yPred must be 2 values like yTrue/);
  assert.throws(() => r2Score([1, 2], [1, NaN]), /yPred\[1\] must be finite, received NaN/);
});

Deno.test("friedman1: without noise y is the formula; rows are uniform on [0, 1]", () => {
  const { X, y } = friedman1(2000, { noiseSd: 0, seed: 3 });
  X.forEach(([a, b, c, d, e], i) =>
    assert.equal(y[i], 10 * Math.sin(Math.PI * a * b) + 20 * (c - 0.5) ** 2 + 10 * d + 5 * e)
  );
  const col9 = X.map((r) => r[9]);
  assertClose(sum(col9) / 2000, 0.5, { atol: 4 * Math.sqrt(1 / 12 / 2000) }); // 4 standard errors
  assert.ok(Math.min(...col9) >= 0 && Math.max(...col9) < 1);
  // Noise sd: residuals of the formula.
  const noisy = friedman1(4000, { noiseSd: 2, seed: 3 });
  const resid = noisy.X.map(([a, b, c, d, e], i) =>
    noisy.y[i] - (10 * Math.sin(Math.PI * a * b) + 20 * (c - 0.5) ** 2 + 10 * d + 5 * e)
  );
  assertClose(Math.sqrt(sse(resid) / 3999), 2, { rtol: 4 * Math.sqrt(1 / (2 * 3999)) }); // sd of s ≈ σ/√(2n)
  assert.throws(() => friedman1(10, { noise: 1 } as never), /unknown option opts.noise; did you mean opts.noiseSd\?/);
  assert.throws(() => friedman1(0), /n must be an integer in \[1, 10000000\], received 0/);
});

Deno.test("RandomForestRegressor: bad options and data are refused naming the argument", () => {
  assert.throws(() => new RandomForestRegressor({ ntrees: 5 } as never), {
    name: "TypeError",
    message: "Cannot create random forest: unknown option opts.ntrees; did you mean opts.nTrees?",
  });
  assert.throws(() => new RandomForestRegressor({ maxFeatures: 0 }), {
    name: "RangeError",
    message: "Cannot create random forest: maxFeatures must be a fraction in (0, 1], received 0",
  });
  assert.throws(() => new RandomForestRegressor({ maxFeatures: 1.5 }), /maxFeatures must be a fraction in \(0, 1\]/);
  assert.throws(() => new RandomForestRegressor({ minSamplesLeaf: 1.5 }), /minSamplesLeaf must be an integer >= 1/);
  assert.throws(() => new RandomForestRegressor({ maxDepth: 0 }), /maxDepth must be an integer >= 1, received 0/);
  assert.throws(() => new RandomForestRegressor({ nTrees: Infinity }), /nTrees must be an integer in \[1, 10000\]/);
  assert.throws(() => new RandomForestRegressor({ bootstrap: 1 } as never), /bootstrap must be a boolean, received 1/);
  assert.throws(() => new RandomForestRegressor({ seed: NaN }), /seed must be a finite number or a string/);
  const f = new RandomForestRegressor({ nTrees: 2 });
  assert.throws(() => f.predict([[1]]), /forest must be fitted first/);
  assert.throws(() => f.fit([[1, 2], [3]], [1, 2]), /X\[1\] must be 2 features like X\[0\], received 1/);
  assert.throws(() => f.fit([[1], [NaN]], [1, 2]), /X\[1\]\[0\] must be finite, received NaN/);
  assert.throws(() => f.fit([[1], [2]], [1, Infinity]), /y\[1\] must be finite, received Infinity/);
  assert.throws(() => f.fit([[1], [2]], [1]), /y must be 2 values like the rows of X, received 1/);
  assert.throws(() => f.fit([], []), /X must be at least one row/);
  assert.throws(() => f.fit("rows" as never, []), { name: "TypeError" });
  const m = { rows: 2, cols: 2, values: [1, 2, 3] };
  assert.throws(() => f.fitMatrix(m, [1, 2]), /X.values must be 4 values \(2 rows × 2 cols\), received 3/);
  assert.throws(() => f.fitMatrix({ rows: 0, cols: 2, values: [] }, []), /X.rows must be an integer >= 1, received 0/);
  assert.throws(() => f.fitMatrix({ rows: 1, cols: 2, values: [1, NaN] }, [1]), /X.values\[1\] must be finite/);
  assert.throws(() => f.fitMatrix({ rows: 2, cols: 1, values: [1, 2] }, { rows: 3, cols: 1, values: [1, 2, 3] }), {
    message: "Cannot fit random forest: y.rows must be 2 like X.rows, received 3",
  });
  f.fit([[1], [2]], [1, 2]);
  assert.throws(() => f.predict([[1, 2]]), /X must be rows of 1 features, received 2/);
  assert.throws(
    () => permutationImportance(f, [[1], [2]], [1, 2], { repeats: 3 } as never),
    /did you mean opts.nRepeats/,
  );
  assert.throws(() => permutationImportance(f, [[1], [2]], [1]), /y must be 2 values like the rows of X/);
});

Deno.test("fitMulti: one output is fit; two equal outputs give the single-output trees; matrix targets agree", () => {
  const { X, y } = friedman1(300, { seed: 9 });
  const probe = friedman1(20, { seed: 10 }).X;
  const single = new RandomForestRegressor({ nTrees: 5, seed: 2 }).fit(X, y);
  const one = new RandomForestRegressor({ nTrees: 5, seed: 2 }).fitMulti(X, y.map((v) => [v]));
  const two = new RandomForestRegressor({ nTrees: 5, seed: 2 }).fitMulti(X, y.map((v) => [v, v]));
  assert.deepEqual(one.predictMulti(probe).map((r) => r[0]), single.predict(probe));
  assert.deepEqual(two.predictMulti(probe).map((r) => r[1]), single.predict(probe));
  assert.deepEqual(two.trees[0].feature, single.trees[0].feature);
  assert.throws(() => two.predict(probe), /use predictMulti/);
  const Y = y.map((v, i) => [v, X[i][0] - X[i][5]]);
  const multi = new RandomForestRegressor({ nTrees: 5, seed: 2 }).fitMulti(X, Y);
  const flat = new RandomForestRegressor({ nTrees: 5, seed: 2 }).fitMatrix(
    { rows: 300, cols: 10, values: X.flat() },
    { rows: 300, cols: 2, values: Y.flat() },
  );
  assert.deepEqual(flat.trees, multi.trees);
  assert.deepEqual(
    Array.from(flat.predictMatrix({ rows: 20, cols: 10, values: probe.flat() })),
    multi.predictMulti(probe).flat(),
  );
  assert.throws(
    () => single.fitMulti(X, y.map((v, i) => (i === 3 ? [v] : [v, v]))),
    /Y\[3\] must be 2 targets like Y\[0\]/,
  );
});
