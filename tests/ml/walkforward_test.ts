import assert from "node:assert/strict";
import { foldTimeline, walkForward, walkForwardFolds } from "../../lib/ml/walkforward.ts";

Deno.test("walkForwardFolds: every training target is known, with the embargo, before the first prediction of its fold", () => {
  for (const horizon of [1, 3]) {
    for (const embargo of [0, 2]) {
      for (const scheme of ["expanding", "rolling"] as const) {
        const folds = walkForwardFolds(60, {
          horizon,
          embargo,
          minTrain: 10,
          refitEvery: 4,
          scheme,
          ...(scheme === "rolling" ? { window: 15 } : {}),
        });
        // Brute force: the last training sample's target is known at trainEnd − 1 + horizon < testStart − embargo.
        for (const f of folds) {
          assert.ok(f.trainEnd - 1 + horizon + embargo <= f.testStart, JSON.stringify(f));
          assert.ok(f.trainEnd - f.trainStart >= 10);
          if (scheme === "rolling") assert.ok(f.trainEnd - f.trainStart <= 15);
          else assert.equal(f.trainStart, 0);
        }
        // The test ranges tile the predicted samples exactly once, up to the last sample.
        const covered = folds.flatMap((f) =>
          Array.from({ length: f.testEnd - f.testStart }, (_, k) => f.testStart + k)
        );
        assert.deepEqual(covered, Array.from({ length: 60 - folds[0].testStart }, (_, k) => folds[0].testStart + k));
        // The first fold is the earliest possible: one sample earlier would have fewer than minTrain eligible.
        assert.equal(folds[0].testStart, 10 + horizon + embargo - 1);
      }
    }
  }
});

Deno.test("walkForward: perturbing the future leaves every past prediction unchanged", () => {
  const n = 80;
  const X = Array.from({ length: n }, (_, t) => [Math.sin(t), Math.cos(t / 3)]);
  const y = X.map(([a, b], t) => a - b + 0.01 * t);
  // A least-squares line on the first feature: any leak from the future would move it.
  const run = (Xs: number[][], ys: number[]) =>
    walkForward({
      n,
      minTrain: 12,
      horizon: 1,
      embargo: 1,
      refitEvery: 3,
      fit: (train) => {
        let sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (const j of train) sx += Xs[j][0], sy += ys[j], sxx += Xs[j][0] ** 2, sxy += Xs[j][0] * ys[j];
        const m = train.length, slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
        return { slope, intercept: (sy - slope * sx) / m };
      },
      predict: (line, test) => Array.from(test, (j) => [line.intercept + line.slope * Xs[j][0]]),
    }).predictions;
  const base = run(X, y);
  for (const cut of [20, 41, 66]) {
    // Change every feature after `cut` and every target whose value is not known by `cut` (targets j ≥ cut − 1).
    const X2 = X.map((row, t) => (t > cut ? row.map((v) => v * 7 + 3) : row));
    const y2 = y.map((v, t) => (t >= cut - 1 ? -50 * v : v));
    const moved = run(X2, y2);
    for (let t = 0; t <= cut; t++) assert.ok(Object.is(base[t], moved[t]), `prediction ${t} moved after cut ${cut}`);
    assert.ok(Array.from(moved).slice(cut + 1).some((v, k) => v !== base[cut + 1 + k]), "the perturbation bites");
  }
});

Deno.test("walkForward: predictions before the first fold are NaN, after it finite; models per fold", () => {
  const out = walkForward({
    n: 10,
    minTrain: 3,
    width: 2,
    fit: (train) => train.length,
    predict: (m, test) => Array.from(test, () => [m, -m]),
  });
  assert.equal(out.first, 3);
  assert.ok(Array.from(out.predictions.subarray(0, 6)).every(Number.isNaN));
  assert.deepEqual(Array.from(out.predictions.subarray(6, 10)), [3, -3, 4, -4]);
  assert.deepEqual(out.models, [3, 4, 5, 6, 7, 8, 9]);
});

Deno.test("walkForward: bad input is refused naming the argument", () => {
  assert.throws(() => walkForwardFolds(10, { minTrian: 3 } as never), {
    name: "TypeError",
    message: "Cannot plan walk-forward: unknown option opts.minTrian; did you mean opts.minTrain?",
  });
  assert.throws(() => walkForwardFolds(4, { minTrain: 4, horizon: 1 }), /n must be more than/);
  assert.throws(() => walkForwardFolds(40, { horizon: 0 }), /opts.horizon must be/);
  assert.throws(() => walkForwardFolds(50, { scheme: "rolling" }), /opts.window must be given/);
  assert.throws(() => walkForwardFolds(50, { window: 5 }), /opts.window must be left out/);
  assert.throws(() => walkForwardFolds(50, { refitEvery: 0.5 }), /opts.refitEvery/);
  assert.throws(() => walkForwardFolds(50, { embargo: -1 }), /opts.embargo/);
  assert.throws(
    () => walkForward({ n: 10, minTrain: 2, fit: () => 0, predict: () => [[NaN]] }),
    /prediction of sample 2 must be finite/,
  );
  assert.throws(
    () => walkForward({ n: 10, minTrain: 2, fit: () => 0, predict: () => [] }),
    /predictions of fold 0 must be 1 rows/,
  );
});

Deno.test("foldTimeline: dates of each range and of the last known target", () => {
  const dates = Array.from({ length: 8 }, (_, m) => new Date(Date.UTC(2020, m + 1, 0)));
  const [f] = foldTimeline(walkForwardFolds(8, { minTrain: 3, horizon: 1, refitEvery: 10 }), dates, 1);
  assert.equal(f.trainLast.toISOString().slice(0, 10), "2020-03-31");
  assert.equal(f.targetKnown.toISOString().slice(0, 10), "2020-04-30");
  assert.equal(f.testFirst.toISOString().slice(0, 10), "2020-04-30");
  assert.equal(f.testLast.toISOString().slice(0, 10), "2020-08-31");
  assert.throws(() => foldTimeline([f], dates.slice(0, 5)), /dates must be at least 8 dates/);
});

Deno.test("walkForwardFolds/foldTimeline: a huge n is refused at once (it used to hang); bad folds and dates are named", () => {
  const t0 = performance.now();
  assert.throws(() => walkForwardFolds(1e12), /n must be an integer in \[1, \d+\], received 1000000000000/);
  assert.ok(performance.now() - t0 < 100);
  const dates = Array.from({ length: 20 }, (_, d) => new Date(Date.UTC(2021, 0, 1 + d)));
  const folds = walkForwardFolds(20, { minTrain: 5 });
  assert.throws(
    () => foldTimeline([{ ...folds[0], testStart: NaN }], dates),
    /folds\[0\]\.testStart must be an integer/,
  );
  assert.throws(
    () => foldTimeline([{ ...folds[0], trainEnd: 0 }], dates),
    /folds\[0\] must be ranges with trainStart < trainEnd/,
  );
  assert.throws(() => foldTimeline(null as never, dates), { name: "TypeError", message: /folds must be an array/ });
  assert.throws(() => foldTimeline(folds, dates.with(19, "2015-02-30" as never)), /dates\[19\] must be a Date/);
  assert.throws(
    () => walkForward({ n: 1e6, minTrain: 2, width: 1e6, fit: () => 0, predict: () => [] }),
    /run\.n × run\.width must be at most \d+ predictions/,
  );
});
