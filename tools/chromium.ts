/**
 * Headless Chromium for the tasks that need a real browser (report PDFs, the dashboard's browser test): find Debian's
 * `chromium`, installing it with apt when it is missing and we are root; otherwise stop with the exact command to run.
 * @module
 */
import { run, SetupError, which } from "./jupyter.ts";

/** Flags that make Debian's Chromium run headless in a container (no sandbox, no GPU). */
export const CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"];

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome"];

function findChromium(): string | null {
  for (const name of CANDIDATES) {
    const path = which(name);
    if (path && run(path, ["--version"]).ok) return path;
  }
  return null;
}

/** Returns the path of a working Chromium, installing Debian's `chromium` package when it is missing. */
export function ensureChromium(log: (line: string) => void): string {
  const found = findChromium();
  if (found) return found;
  const command = "apt-get install -y --no-install-recommends chromium";
  const root = Deno.uid?.() === 0;
  if (!root || !which("apt-get")) {
    throw new SetupError(
      `Chromium is not installed, and this task cannot install it (${root ? "no apt-get" : "not root"}).\n` +
        `Install it, then rerun:\n\n    sudo apt-get update && sudo ${command}\n`,
    );
  }
  log("Chromium is missing: installing Debian's chromium package (apt-get, about a minute)…");
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const update = run("apt-get", ["update", "-qq"], { env });
  const install = run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], { env });
  const path = findChromium();
  if (!install.ok || !path) {
    throw new SetupError(
      `Installing Chromium failed:\n${(update.stderr + install.stderr).trim().split("\n").slice(-8).join("\n")}\n` +
        `Run it yourself and rerun the task:\n\n    apt-get update && ${command}\n`,
    );
  }
  log(`Chromium installed (${path}).`);
  return path;
}
