/**
 * The dashboard's state: one plain object, read from and written to the URL query, so that every view can be shared
 * and reloaded. Parsing is strict — a malformed value, an unknown or repeated key, an inverted or too short date
 * range, a negative band, weights that do not sum to a positive number, an unknown view, or a universe too large to
 * simulate within the dashboard's time budget — and every problem is reported in the house grammar
 * `Cannot read dashboard query: <name> must be <rule>, received <value>`, all of them at once.
 *
 * | key        | meaning                                                                    | default      |
 * |------------|----------------------------------------------------------------------------|--------------|
 * | `view`     | overview, exposures, execution, risk, overlay                              | overview     |
 * | `carry`    | weight of carry in the composite (any finite number; the three sum > 0)     | 1            |
 * | `momentum` | weight of momentum                                                          | 1            |
 * | `value`    | weight of value                                                             | 1            |
 * | `rebalance`| daily, weekly, monthly, or every k trading days (an integer 1–252)          | weekly       |
 * | `band`     | inertia band half-width, % of NAV (0.5 = ±0.5 %), 0–100                     | 0.5          |
 * | `mode`     | beyond the band trade to the `target` or to the band's `edge`               | target       |
 * | `costs`    | `bidask` (half the bid-ask), `impact` (plus square-root impact), `none`     | bidask       |
 * | `aum`      | assets under management for the impact model, USD millions                  | 1000         |
 * | `start`    | first trading date, ISO                                                     | 2008-01-02   |
 * | `end`      | last trading date, ISO                                                      | 2024-12-31   |
 * | `seed`     | seed of the simulated bond universe (integer)                               | 42           |
 * | `issuers`  | issuers in the universe, 50–500                                             | 300          |
 *
 * Pure functions only: no I/O, no clock, so the unit tests need no server.
 * @module
 */

/** The views of the dashboard, in tab order. */
export const VIEWS = ["overview", "exposures", "execution", "risk", "overlay"] as const;
export type ViewName = (typeof VIEWS)[number];

/** Tab labels of the views. */
export const VIEW_LABELS: Readonly<Record<ViewName, string>> = {
  overview: "Overview",
  exposures: "Exposures",
  execution: "Execution",
  risk: "Risk",
  overlay: "CDX overlay",
};

/** Cost models of the bond desk. */
export const COST_MODELS = ["bidask", "impact", "none"] as const;
export type CostModelName = (typeof COST_MODELS)[number];

/** A rebalance schedule: a calendar rule or every k trading days. */
export type Rebalance = "daily" | "weekly" | "monthly" | number;

/** The full state of the dashboard. */
export interface DashboardParams {
  readonly view: ViewName;
  /** Composite weights of the three desk factors; their sum is > 0. */
  readonly weights: { readonly carry: number; readonly momentum: number; readonly value: number };
  readonly rebalance: Rebalance;
  /** Inertia band half-width as a decimal of NAV (0.005 = ±0.5 %); the URL carries it in %. */
  readonly band: number;
  readonly mode: "target" | "edge";
  readonly costs: CostModelName;
  /** Assets under management for the impact model, USD millions. */ readonly aum: number;
  /** First and last trading dates, ISO. */ readonly start: string;
  readonly end: string;
  readonly seed: number;
  readonly issuers: number;
}

/** The tradable window and the universe limits the query is checked against. */
export interface QueryLimits {
  /** First date a strategy may trade (after the signals' warm-up), ISO. */ readonly firstDate: string;
  /** Last date of the market, ISO. */ readonly lastDate: string;
  /** Fewest calendar days between start and end. */ readonly minSpanDays: number;
  readonly minIssuers: number;
  /** Most issuers simulated on request: a larger universe is refused (it would tie the server up). */
  readonly maxIssuers: number;
}

/** Limits of the default market (2007–2024 with a one-year warm-up). */
export const DEFAULT_LIMITS: QueryLimits = {
  firstDate: "2008-01-02",
  lastDate: "2024-12-31",
  minSpanDays: 182,
  minIssuers: 50,
  maxIssuers: 500,
};

/** The default state. */
export const DEFAULTS: DashboardParams = {
  view: "overview",
  weights: { carry: 1, momentum: 1, value: 1 },
  rebalance: "weekly",
  band: 0.005,
  mode: "target",
  costs: "bidask",
  aum: 1000,
  start: "2008-01-02",
  end: "2024-12-31",
  seed: 42,
  issuers: 300,
};

/** The query keys, in the order {@linkcode toQuery} writes them. */
export const QUERY_KEYS = [
  "view",
  "carry",
  "momentum",
  "value",
  "rebalance",
  "band",
  "mode",
  "costs",
  "aum",
  "start",
  "end",
  "seed",
  "issuers",
] as const;
export type QueryKey = (typeof QUERY_KEYS)[number];

/** A query the dashboard cannot serve: every problem found, one message each (HTTP 400). */
export class QueryError extends RangeError {
  override name = "RangeError";
  /**
   * @param problems One message per problem.
   * @param keys The query keys at fault (for marking the form's fields).
   */
  constructor(readonly problems: readonly string[], readonly keys: readonly string[] = []) {
    super(problems.join("\n"));
  }
}

const ACTION = "read dashboard query";
const problem = (name: string, rule: string, received: string) =>
  `Cannot ${ACTION}: ${name} must be ${rule}, received ${received}`;
const quote = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^\d{1,10}$/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A strict decimal number ("1", "-0.5", "2e-3"; not "", "0x10", "1,5", "Infinity"). */
export function parseDecimal(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const x = Number(text);
  return Number.isFinite(x) ? x : null;
}

/** A strict ISO calendar day "YYYY-MM-DD" that exists (no 2023-02-30), as a UTC Date. */
export function parseIsoDay(text: string): Date | null {
  const m = ISO_DAY.exec(text);
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? d : null;
}

/** Edit distance (Levenshtein), for the "did you mean" of an unknown key. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

function unknownKey(key: string): string {
  let best = "", distance = Infinity;
  for (const k of QUERY_KEYS) {
    const d = editDistance(key.toLowerCase(), k);
    if (d < distance) (best = k), (distance = d);
  }
  const hint = distance <= Math.max(1, Math.floor(key.length / 2))
    ? `; did you mean ${best}?`
    : `; known keys: ${QUERY_KEYS.join(", ")}`;
  return `Cannot ${ACTION}: unknown key ${quote(key)}${hint}`;
}

/**
 * Reads the dashboard state from a URL query. Missing keys take their defaults.
 *
 * @param query The query (`URLSearchParams` or a string with or without the leading "?").
 * @param limits The tradable window and universe limits (default {@linkcode DEFAULT_LIMITS}).
 * @throws {QueryError} Listing every problem of the query.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseParams } from "./params.ts";
 *
 * assert.equal(parseParams("band=1&mode=edge").band, 0.01);
 * assert.throws(() => parseParams("band=-1"), /band must be a number >= 0/);
 * ```
 */
export function parseParams(
  query: URLSearchParams | string,
  limits: QueryLimits = DEFAULT_LIMITS,
): DashboardParams {
  const search = typeof query === "string" ? new URLSearchParams(query.replace(/^\?/, "")) : query;
  const problems: string[] = [];
  const invalid = new Set<string>();
  const fail = (keys: readonly string[], message: string) => {
    problems.push(message);
    for (const k of keys) invalid.add(k);
  };
  const raw = new Map<QueryKey, string>();
  const counts = new Map<string, number>();
  for (const [key, value] of search) counts.set(key, (counts.get(key) ?? 0) + 1), raw.set(key as QueryKey, value);
  for (const [key, n] of counts) {
    if (!(QUERY_KEYS as readonly string[]).includes(key)) fail([], unknownKey(key));
    else if (n > 1) fail([key], problem(key, "given once", `${n} values`));
  }
  const text = (key: QueryKey) => raw.get(key)?.trim();

  const choice = <T extends string>(key: QueryKey, options: readonly T[], fallback: T): T => {
    const v = text(key);
    if (v === undefined) return fallback;
    if ((options as readonly string[]).includes(v)) return v as T;
    fail([key], problem(key, `one of ${options.join(", ")}`, quote(v)));
    return fallback;
  };
  const decimal = (key: QueryKey, fallback: number, rule: string, ok: (x: number) => boolean): number => {
    const v = text(key);
    if (v === undefined) return fallback;
    const x = parseDecimal(v);
    if (x === null || !ok(x)) {
      fail([key], problem(key, rule, quote(v)));
      return fallback;
    }
    return x;
  };
  const integer = (key: QueryKey, fallback: number, min: number, max: number, rule: string): number => {
    const v = text(key);
    if (v === undefined) return fallback;
    const x = INTEGER.test(v) ? Number(v) : NaN;
    if (!(x >= min && x <= max)) {
      fail([key], problem(key, rule, quote(v)));
      return fallback;
    }
    return x;
  };
  const day = (key: QueryKey, fallback: string): Date | null => {
    const v = text(key) ?? fallback;
    const d = parseIsoDay(v);
    if (d === null) fail([key], problem(key, "a calendar date YYYY-MM-DD", quote(v)));
    return d;
  };

  const view = choice("view", VIEWS, DEFAULTS.view);
  const weight = (key: "carry" | "momentum" | "value") =>
    decimal(key, DEFAULTS.weights[key], "a finite number (a weight of the composite)", () => true);
  const weights = { carry: weight("carry"), momentum: weight("momentum"), value: weight("value") };
  const weightsGiven = ["carry", "momentum", "value"].every((k) => {
    const v = text(k as QueryKey);
    return v === undefined || parseDecimal(v) !== null;
  });
  const total = weights.carry + weights.momentum + weights.value;
  if (weightsGiven && !(total > 0)) {
    fail(
      ["carry", "momentum", "value"],
      problem("carry + momentum + value", "> 0 (the weights must sum to a positive number)", String(total)),
    );
  }

  let rebalance: Rebalance = DEFAULTS.rebalance;
  const r = text("rebalance");
  if (r !== undefined) {
    if (r === "daily" || r === "weekly" || r === "monthly") rebalance = r;
    else if (INTEGER.test(r) && +r >= 1 && +r <= 252) rebalance = +r;
    else {fail(
        ["rebalance"],
        problem("rebalance", "daily, weekly, monthly or a number of trading days 1–252", quote(r)),
      );}
  }
  const bandPercent = decimal(
    "band",
    DEFAULTS.band * 100,
    "a number >= 0 and <= 100 (half-width in % of NAV)",
    (x) => x >= 0 && x <= 100,
  );
  const mode = choice("mode", ["target", "edge"] as const, DEFAULTS.mode);
  const costs = choice("costs", COST_MODELS, DEFAULTS.costs);
  const aum = decimal("aum", DEFAULTS.aum, "a number > 0 and <= 1000000 (USD millions)", (x) => x > 0 && x <= 1e6);

  const start = day("start", DEFAULTS.start), end = day("end", DEFAULTS.end);
  if (start && end) {
    const s = iso(start), e = iso(end);
    if (s < limits.firstDate) {
      fail(["start"], problem("start", `on or after ${limits.firstDate} (the signals warm up on the year before)`, s));
    }
    if (e > limits.lastDate) fail(["end"], problem("end", `on or before ${limits.lastDate} (the last market date)`, e));
    if (e <= s) {
      fail(["start", "end"], problem("start and end", "an increasing range (start before end)", `${s} to ${e}`));
    } else if ((end.getTime() - start.getTime()) / 86_400_000 < limits.minSpanDays) {
      fail(
        ["start", "end"],
        problem(
          "start and end",
          `at least ${limits.minSpanDays} days apart (rolling statistics need six months of data)`,
          `${s} to ${e}`,
        ),
      );
    }
  }
  const seed = integer("seed", DEFAULTS.seed, 0, 2 ** 31 - 1, "an integer 0–2147483647");
  const issuers = integer(
    "issuers",
    DEFAULTS.issuers,
    limits.minIssuers,
    limits.maxIssuers,
    `an integer from ${limits.minIssuers} (the value signal needs peers in each rating) to ${limits.maxIssuers}` +
      " (a larger universe takes more than a few seconds to simulate: refused so as not to tie up the server)",
  );
  if (problems.length) throw new QueryError(problems, [...invalid]);
  return {
    view,
    weights,
    rebalance,
    band: bandPercent / 100,
    mode,
    costs,
    aum,
    start: iso(start!),
    end: iso(end!),
    seed,
    issuers,
  };
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Formats a number for the URL without float noise (0.5 stays "0.5", 1/3 keeps its digits). */
function num(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/** The query values of a state, one string per key (the band in %). */
export function queryValues(p: DashboardParams): Record<QueryKey, string> {
  return {
    view: p.view,
    carry: num(p.weights.carry),
    momentum: num(p.weights.momentum),
    value: num(p.weights.value),
    rebalance: String(p.rebalance),
    band: num(p.band * 100),
    mode: p.mode,
    costs: p.costs,
    aum: num(p.aum),
    start: p.start,
    end: p.end,
    seed: String(p.seed),
    issuers: String(p.issuers),
  };
}

/**
 * The canonical query of a state: keys in a fixed order, defaults left out, so that equal states give equal URLs.
 * `parseParams(toQuery(p))` gives `p` back.
 *
 * @param overrides Values to put in instead (e.g. `{ view: "risk" }` for a tab link).
 */
export function toQuery(p: DashboardParams, overrides: Partial<Record<QueryKey, string>> = {}): string {
  const values = { ...queryValues(p), ...overrides };
  const defaults = queryValues(DEFAULTS);
  const out = new URLSearchParams();
  for (const key of QUERY_KEYS) if (values[key] !== defaults[key]) out.set(key, values[key]);
  return out.toString();
}

/** True when the three weights are equal (the composite is then the desk's default equal-weight composite). */
export function equalWeights(p: Pick<DashboardParams, "weights">): boolean {
  return p.weights.carry === p.weights.momentum && p.weights.momentum === p.weights.value;
}

/** A readable line for the rebalance schedule ("weekly", "every 10 days"). */
export function rebalanceLabel(r: Rebalance): string {
  return typeof r === "number" ? `every ${r} day${r === 1 ? "" : "s"}` : r;
}
