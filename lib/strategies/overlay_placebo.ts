/**
 * The placebo of the regime overlay: the identical pipeline — walk-forward forests, weights rule, execution and
 * costs — on targets whose months are shuffled, once per seed. The runs are independent, so they are spread over
 * worker threads (one per core by default); every run is seeded, so the distribution is the same however the runs
 * are split.
 * @module
 */
import { requireInteger, requireKnownKeys, requireObject, requireSeed } from "../core/check.ts";
import type { Seed } from "../core/rng.ts";
import type { BondPanels } from "../backtest/bond_desk.ts";
import {
  type BookStatistics,
  bookStatistics,
  type FactorPanels,
  type FeatureMatrix,
  overlayBooks,
  type OverlayExecution,
  type OverlayForestOptions,
  overlayWeights,
  type RegimeForecastOptions,
  regimeForecasts,
} from "./regime_overlay.ts";

/** Everything one run of the pipeline needs (plain data: it is copied to the workers). */
export interface PlaceboJob {
  readonly market: BondPanels;
  /** The factors ranked by `rankFactors`. */ readonly ranked: FactorPanels;
  readonly samples: Int32Array;
  readonly features: FeatureMatrix;
  readonly targets: Float64Array;
  readonly forest?: OverlayForestOptions;
  readonly walkForward?: RegimeForecastOptions["walkForward"];
  readonly bounds: { floor: number; cap: number };
  readonly execution?: OverlayExecution;
  /** Windows to measure, e.g. `{ full: {}, "2022": { from: "2022-01-01", to: "2022-12-31" } }`. */
  readonly windows: Readonly<Record<string, { from?: string; to?: string }>>;
}

/** One run's statistics of the forest book, per window. */
export type PlaceboRun = Record<string, BookStatistics>;

/** The keys of a {@linkcode PlaceboJob}. */
const JOB_KEYS = [
  "market",
  "ranked",
  "samples",
  "features",
  "targets",
  "forest",
  "walkForward",
  "bounds",
  "execution",
  "windows",
] as const;

/**
 * Runs the pipeline once with the targets shuffled by `seed` (`null`: the real targets).
 *
 * @throws {TypeError} If `job` is not a job object (unknown keys included) or `seed` is neither null nor a seed.
 * @throws {RangeError} As the steps it runs (`regimeForecasts`, `overlayWeights`, `overlayBooks`, `bookStatistics`).
 */
export function runOverlayOnce(job: PlaceboJob, seed: Seed | null): PlaceboRun {
  const action = "run overlay once";
  requireObject(action, "job", job);
  requireKnownKeys(action, "job", job, JOB_KEYS);
  const windows = requireObject(action, "job.windows", job.windows);
  for (const [name, w] of Object.entries(windows)) requireKnownKeys(action, `job.windows.${name}`, w, ["from", "to"]);
  requireObject(action, "job.bounds", job.bounds);
  if (seed !== null) requireSeed(action, "seed", seed);
  const forecasts = regimeForecasts({
    features: job.features,
    targets: job.targets,
    forest: job.forest,
    walkForward: job.walkForward,
    importances: false,
    ...(seed === null ? {} : { shuffleSeed: seed }),
  });
  const weights = overlayWeights(forecasts.forecasts, job.bounds);
  const books = overlayBooks(job.market, job.ranked, job.samples, weights, job.execution, { static: false });
  return Object.fromEntries(
    Object.entries(job.windows).map(([name, w]) => [name, bookStatistics(books.forest, job.market, w)]),
  );
}

/**
 * Runs the placebo for every seed, on `workers` threads (default 2; 1 runs in this thread).
 *
 * @throws {RangeError} If `workers` is not a positive integer or no seed is given.
 */
export async function placeboRuns(
  job: PlaceboJob,
  seeds: readonly Seed[],
  opts: { workers?: number } = {},
): Promise<PlaceboRun[]> {
  const action = "run overlay placebo";
  requireKnownKeys(action, "opts", opts, ["workers"]);
  requireInteger(action, "seeds.length", seeds.length, { min: 1 });
  const workers = Math.min(requireInteger(action, "opts.workers", opts.workers ?? 2, { min: 1 }), seeds.length);
  if (workers === 1) return seeds.map((s) => runOverlayOnce(job, s));
  const chunks = Array.from({ length: workers }, (_, w) => seeds.filter((_, i) => i % workers === w));
  const parts = await Promise.all(chunks.map((chunk) => {
    const worker = new Worker(new URL("./overlay_placebo_worker.ts", import.meta.url).href, { type: "module" });
    return new Promise<PlaceboRun[]>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<{ runs?: PlaceboRun[]; error?: string }>) => {
        worker.terminate();
        if (e.data.error) reject(new Error(`placebo worker failed: ${e.data.error}`));
        else resolve(e.data.runs!);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        worker.terminate();
        reject(new Error(`placebo worker failed: ${e.message}`));
      };
      worker.postMessage({ job, seeds: chunk });
    });
  }));
  // Back in seed order.
  const out: PlaceboRun[] = new Array(seeds.length);
  parts.forEach((runs, w) => runs.forEach((r, k) => (out[k * workers + w] = r)));
  return out;
}
