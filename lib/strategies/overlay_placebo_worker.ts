/**
 * Worker thread of {@linkcode placeboRuns}: runs the overlay pipeline for each seed it is sent and posts the
 * statistics back (or the error message).
 * @module
 */
import type { Seed } from "../core/rng.ts";
import { type PlaceboJob, runOverlayOnce } from "./overlay_placebo.ts";

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<{ job: PlaceboJob; seeds: Seed[] }>) => void) | null;
  postMessage: (message: unknown) => void;
};

scope.onmessage = (e) => {
  try {
    scope.postMessage({ runs: e.data.seeds.map((s) => runOverlayOnce(e.data.job, s)) });
  } catch (error) {
    scope.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
