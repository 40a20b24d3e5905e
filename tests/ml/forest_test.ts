import assert from "node:assert/strict";
import { friedman1, permutationImportance, r2Score, RandomForestRegressor } from "../../lib/ml/forest.ts";
import { makeRng, standardNormal } from "../../lib/core/rng.ts";

Deno.test("a single tree on all rows fits a step function exactly", () => {
  const X = Array.from({ length: 60 }, (_, i) => [i / 10, (i * 7) % 13]);
  const step = (x: number) => (x < 1.5 ? -2 : x < 3.2 ? 4 : 1);
  const y = X.map(([x]) => step(x));
  const tree = new RandomForestRegressor({ nTrees: 1, bootstrap: false }).fit(X, y);
  assert.deepEqual(tree.predict(X), y);
  // Three constant pieces need exactly two splits, both on the first feature, halfway between the sample points.
  const t = tree.trees[0];
  assert.equal(t.feature.filter((f) => f >= 0).length, 2);
  const thresholds = [...t.threshold.filter((_, k) => t.feature[k] >= 0)].sort();
  assert.ok(Math.abs(thresholds[0] - (1.4 + 1.5) / 2) < 1e-15 && Math.abs(thresholds[1] - (3.1 + 3.2) / 2) < 1e-15);
  assert.deepEqual(tree.featureImportances, [1, 0]);
});

Deno.test("the root split is the brute-force best variance reduction over every feature and threshold", () => {
  const rng = makeRng(4, "split");
  const X = Array.from({ length: 40 }, () => [rng(), rng(), Math.round(rng() * 3)]);
  const y = X.map(([a, b, c]) => Math.sin(6 * a) + b * c + 0.1 * standardNormal(rng));
  const sse = (v: number[]) => {
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    return v.reduce((s, x) => s + (x - m) ** 2, 0);
  };
  let best = { gain: -Infinity, feature: -1, threshold: NaN };
  for (let j = 0; j < 3; j++) {
    const values = [...new Set(X.map((r) => r[j]))].sort((a, b) => a - b);
    for (let k = 0; k + 1 < values.length; k++) {
      const th = (values[k] + values[k + 1]) / 2;
      const left = y.filter((_, i) => X[i][j] <= th), right = y.filter((_, i) => X[i][j] > th);
      const gain = sse(y) - sse(left) - sse(right);
      if (gain > best.gain) best = { gain, feature: j, threshold: th };
    }
  }
  const stump = new RandomForestRegressor({ nTrees: 1, bootstrap: false, maxDepth: 1 }).fit(X, y);
  assert.equal(stump.trees[0].feature[0], best.feature);
  assert.ok(Math.abs(stump.trees[0].threshold[0] - best.threshold) < 1e-15);
  const left = y.filter((_, i) => X[i][best.feature] <= best.threshold);
  assert.ok(Math.abs(stump.trees[0].value[1] - left.reduce((a, b) => a + b, 0) / left.length) < 1e-12);
});

Deno.test("minSamplesLeaf and maxDepth hold in every tree", () => {
  const { X, y } = friedman1(500, { seed: 3 });
  for (const k of [1, 7, 25]) {
    const forest = new RandomForestRegressor({ nTrees: 5, minSamplesLeaf: k, maxDepth: 6, seed: 1 }).fit(X, y);
    for (const t of forest.trees) {
      assert.ok(t.depth <= 6);
      for (let node = 0; node < t.feature.length; node++) {
        if (t.feature[node] < 0) assert.ok(t.samples[node] >= k, `leaf with ${t.samples[node]} rows < ${k}`);
        else assert.equal(t.samples[t.left[node]] + t.samples[t.right[node]], t.samples[node]);
      }
    }
  }
});

Deno.test("same seed, same forest; another seed, another forest; importances sum to 1", () => {
  const { X, y } = friedman1(400, { seed: 5 });
  const a = new RandomForestRegressor({ nTrees: 20, maxFeatures: 0.5, seed: "s" }).fit(X, y);
  const b = new RandomForestRegressor({ nTrees: 20, maxFeatures: 0.5, seed: "s" }).fit(X, y);
  const c = new RandomForestRegressor({ nTrees: 20, maxFeatures: 0.5, seed: "t" }).fit(X, y);
  const probe = friedman1(50, { seed: 6 }).X;
  assert.deepEqual(a.predict(probe), b.predict(probe));
  assert.deepEqual(a.featureImportances, b.featureImportances);
  assert.notDeepEqual(a.predict(probe), c.predict(probe));
  assert.ok(Math.abs(a.featureImportances.reduce((s, v) => s + v, 0) - 1) < 1e-12);
});

Deno.test("Friedman #1: held-out R² ≥ 0.92 with 100 trees; the noise features matter least, by both importances", () => {
  const noise = 1 / Math.sqrt(12);
  const train = friedman1(4000, { noiseSd: noise, seed: 1 }), test = friedman1(1000, { noiseSd: noise, seed: 2 });
  const forest = new RandomForestRegressor({ nTrees: 100, seed: 0 }).fit(train.X, train.y);
  const r2 = r2Score(test.y, forest.predict(test.X));
  assert.ok(r2 >= 0.92, `R² ${r2}`);
  const mdi = forest.featureImportances;
  assert.ok(Math.max(...mdi.slice(5)) < Math.min(...mdi.slice(0, 5)));
  const perm = permutationImportance(forest, test.X.slice(0, 300), test.y.slice(0, 300), { nRepeats: 2, seed: 1 });
  assert.ok(perm.mean[3] > 10 * Math.max(...perm.mean.slice(5).map(Math.abs)), `x4 ${perm.mean[3]} vs noise`);
});

Deno.test("r2Score against its definition; bad input refused naming the argument", () => {
  assert.equal(r2Score([1, 2, 3], [1, 2, 3]), 1);
  assert.ok(Math.abs(r2Score([1, 2, 3], [2, 2, 2]) - 0) < 1e-15);
  assert.throws(() => new RandomForestRegressor({ ntrees: 5 } as never), {
    name: "TypeError",
    message: "Cannot create random forest: unknown option opts.ntrees; did you mean opts.nTrees?",
  });
  assert.throws(() => new RandomForestRegressor({ maxFeatures: 0 }), /maxFeatures must be a fraction in \(0, 1\]/);
  assert.throws(() => new RandomForestRegressor({ minSamplesLeaf: 1.5 }), /minSamplesLeaf must be an integer >= 1/);
  assert.throws(() => new RandomForestRegressor({ nTrees: Infinity }), /nTrees must be an integer in \[1, 10000\]/);
  const f = new RandomForestRegressor({ nTrees: 2 });
  assert.throws(() => f.predict([[1]]), /forest must be fitted first/);
  assert.throws(() => f.fit([[1, 2], [3]], [1, 2]), /X\[1\] must be 2 features like X\[0\], received 1/);
  assert.throws(() => f.fit([[1], [NaN]], [1, 2]), /X\[1\]\[0\] must be finite, received NaN/);
  assert.throws(() => f.fit([[1], [2]], [1]), /y must be 2 values like the rows of X, received 1/);
  assert.throws(() => f.fit([], []), /X must be at least one row/);
  f.fit([[1], [2]], [1, 2]);
  assert.throws(() => f.predict([[1, 2]]), /X must be rows of 1 features, received 2/);
});

Deno.test("fitMulti: one output is fit; two equal outputs give the single-output trees", () => {
  const { X, y } = friedman1(300, { seed: 9 });
  const probe = friedman1(20, { seed: 10 }).X;
  const single = new RandomForestRegressor({ nTrees: 5, seed: 2 }).fit(X, y);
  const one = new RandomForestRegressor({ nTrees: 5, seed: 2 }).fitMulti(X, y.map((v) => [v]));
  const two = new RandomForestRegressor({ nTrees: 5, seed: 2 }).fitMulti(X, y.map((v) => [v, v]));
  assert.deepEqual(one.predictMulti(probe).map((r) => r[0]), single.predict(probe));
  assert.deepEqual(two.predictMulti(probe).map((r) => r[1]), single.predict(probe));
  assert.deepEqual(two.trees[0].feature, single.trees[0].feature);
  assert.throws(() => two.predict(probe), /use predictMulti/);
  assert.throws(
    () => single.fitMulti(X, y.map((v, i) => (i === 3 ? [v] : [v, v]))),
    /Y\[3\] must be 2 targets like Y\[0\]/,
  );
});
