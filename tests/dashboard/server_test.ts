/**
 * The dashboard without a browser: the engine against the library (the desk ledger reproduces `runBacktest`, the
 * cached composite reproduces `deskSignals`), and the request handler's answers (pages, JSON, export, 400s).
 * A small universe (60 issuers, 2015–2016) keeps it fast.
 */
import assert from "node:assert/strict";
import { deskSignals, runBacktest, standInSource } from "../../lib/mod.ts";
import { compositeOf, costModel, createEngine, deskLedger, type Engine, Lru } from "../../dashboard/engine.ts";
import { createHandler, parsePort } from "../../dashboard/server.ts";
import { DEFAULTS, parseParams, VIEWS } from "../../dashboard/params.ts";

const SMALL = "issuers=60&start=2015-01-02&end=2016-12-30";
let shared: Engine | undefined;
const engine = () => shared ??= createEngine(standInSource("dashboard-test"), { universes: 2 });

Deno.test("deskLedger() books the same NAV, costs and exposures as runBacktest, for every policy", () => {
  const policies = [
    "rebalance=weekly&band=0.5",
    "rebalance=monthly&band=1&mode=edge",
    "rebalance=daily&band=0",
    "rebalance=10&band=0.25&costs=impact&aum=5000",
    "rebalance=weekly&costs=none&carry=2&momentum=0&value=1",
  ];
  for (const policy of policies) {
    const p = parseParams(`${SMALL}&${policy}`);
    const c = engine().compute(p);
    const entry = c.universe();
    const reference = runBacktest({
      market: entry.panels,
      signal: c.composite(),
      start: p.start,
      end: p.end,
      topFraction: 0.2,
      weighting: "rank",
      rebalance: p.rebalance,
      band: { width: p.band, mode: p.mode },
      costs: costModel(p),
    });
    const ledger = deskLedger(entry, c.composite(), p);
    assert.deepEqual(ledger.dates, reference.dates, policy);
    assert.deepEqual(ledger.nav, reference.nav, `${policy}: nav`);
    assert.deepEqual(ledger.costs, reference.costs, `${policy}: costs`);
    assert.deepEqual(ledger.turnover, reference.turnover, `${policy}: turnover`);
    assert.deepEqual(ledger.spreadDuration, reference.spreadDuration, `${policy}: spread duration`);
    assert.deepEqual(ledger.dts, reference.dts, `${policy}: dts`);
    assert.deepEqual(c.desk().nav, reference.nav, `${policy}: the engine's desk is runBacktest's`);
  }
});

Deno.test("deskLedger() bucket exposures add up to the totals; bucket weights to the invested share", () => {
  const c = engine().compute(parseParams(SMALL));
  const ledger = c.ledger(), desk = c.desk();
  for (const groups of [ledger.byRating, ledger.bySector]) {
    for (let t = 0; t < ledger.dates.length; t++) {
      let duration = 0, dts = 0, weight = 0;
      for (const g of Object.values(groups)) (duration += g.duration[t]), (dts += g.dts[t]), (weight += g.weight[t]);
      const tol = 1e-12 * Math.max(1, desk.spreadDuration[t]);
      assert.ok(Math.abs(duration - desk.spreadDuration[t]) <= tol, `duration at ${t}`);
      assert.ok(Math.abs(dts - desk.dts[t]) <= 1e-12, `dts at ${t}`);
      assert.ok(Math.abs(weight - (1 - desk.cash[t])) <= 1e-12, `weight at ${t}: ${weight} + cash ${desk.cash[t]}`);
    }
  }
  const held = ledger.weights.reduce((a, w) => a + (w > 0 ? 1 : 0), 0);
  assert.equal(held, desk.positions[desk.positions.length - 1]);
});

Deno.test("compositeOf() reproduces deskSignals' composite bit for bit", () => {
  const entry = engine().compute(parseParams(SMALL)).universe();
  for (const weights of [{ carry: 2, momentum: 1, value: 0.5 }, { carry: 1, momentum: -0.5, value: 0 }]) {
    const reference = deskSignals(entry.universe, { weights }).composite;
    assert.deepEqual(compositeOf(entry, { weights }).values, reference.values, JSON.stringify(weights));
  }
  assert.equal(compositeOf(entry, { weights: { carry: 3, momentum: 3, value: 3 } }), entry.signals.composite);
});

Deno.test("Lru keeps the most recently used entries only", () => {
  const cache = new Lru<number>(2);
  let made = 0;
  const get = (k: string) => cache.get(k, () => ++made);
  get("a"), get("b"), get("a"), get("c"); // b is the least recently used
  assert.ok(cache.has("a") && cache.has("c") && !cache.has("b"));
  assert.equal(get("a"), 1);
  assert.equal(made, 3);
});

const handler = () => createHandler(engine(), () => {});
const request = (path: string, init?: RequestInit) => handler()(new Request(`http://localhost${path}`, init));

Deno.test("handler: every view renders its charts as a page and as JSON", async () => {
  for (const view of VIEWS) {
    const page = request(`/?view=${view}&${SMALL}`);
    assert.equal(page.status, 200, view);
    const html = await page.text();
    assert.ok(html.includes('id="controls"') && html.includes("Synthetic stand-in"), view);
    const api = request(`/api/view?view=${view}&${SMALL}`);
    assert.equal(api.status, 200);
    assert.match(api.headers.get("server-timing") ?? "", /^compute;dur=[\d.]+, render;dur=[\d.]+$/);
    const body = await api.json();
    assert.equal(body.ok, true);
    assert.equal(body.view, view);
    const figures = body.html.match(/<figure class="chart/g)?.length ?? 0;
    assert.equal(figures, body.charts, view);
    assert.ok(figures >= 2, `${view}: ${figures} charts`);
    assert.ok(body.html.includes("data-tip") || body.html.includes("<title>"), `${view}: hover titles`);
  }
});

Deno.test("handler: each bad input is a 400 with its reason, on the page and from the API", async () => {
  const cases: [string, RegExp][] = [
    ["band=abc", /band must be a number >= 0 and <= 100 \(half-width in % of NAV\), received "abc"/],
    ["band=-1", /band must be a number >= 0/],
    ["start=2020-01-01&end=2019-01-01", /start and end must be an increasing range/],
    ["start=2020-01-01&end=2020-01-01", /start and end must be an increasing range/],
    ["carry=0&momentum=0&value=0", /weights must sum to a positive number/],
    ["view=pnl", /view must be one of overview, exposures, execution, risk, overlay, received "pnl"/],
    ["colour=red", /unknown key "colour"/],
    ["issuers=5000", /issuers must be an integer from 50 .* refused/],
  ];
  for (const [query, reason] of cases) {
    const api = request(`/api/view?${query}`);
    assert.equal(api.status, 400, query);
    const body = await api.json();
    assert.equal(body.ok, false);
    assert.ok(body.problems.some((p: string) => reason.test(p)), `${query}: ${body.problems}`);
    const page = request(`/?${query}`);
    assert.equal(page.status, 400, query);
    const html = await page.text();
    assert.ok(html.includes('class="status error"') && !html.includes('<figure class="chart'), query);
    const exported = request(`/export?${query}`);
    assert.equal(exported.status, 400, query);
    await exported.body?.cancel();
  }
});

Deno.test("handler: the export is a standalone file that refers to no URL", async () => {
  const response = request(`/export?view=risk&${SMALL}`);
  assert.equal(response.status, 200);
  assert.match(
    response.headers.get("content-disposition") ?? "",
    /^attachment; filename="creditlab-risk-2015-01-02-2016-12-30\.html"$/,
  );
  const html = await response.text();
  assert.ok(html.includes("<style>") && html.includes("<script>") && html.includes('<figure class="chart'));
  assert.doesNotMatch(html, /<link\b|<script\s+src|<img\b|\burl\(\s*["']?(https?:|\/\/)/i);
  assert.doesNotMatch(html, /(src|href)\s*=\s*["']?(https?:|\/\/|\/)/i);
});

Deno.test("handler: unknown paths are 404, other methods 405, and a failing computation a 500 that does not stop it", async () => {
  const missing = request("/nope");
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
  const post = request("/", { method: "POST" });
  assert.equal(post.status, 405);
  await post.body?.cancel();
  const broken = createHandler({
    ...engine(),
    compute: () => {
      throw new Error("simulated bug");
    },
  }, () => {});
  const failed = broken(new Request("http://localhost/api/view"));
  assert.equal(failed.status, 500);
  assert.deepEqual((await failed.json()).problems, ["Cannot compute the view: internal error, simulated bug"]);
  const typo = createHandler({
    ...engine(),
    compute: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'nav')");
    },
  }, () => {});
  const bug = typo(new Request("http://localhost/api/view"));
  assert.equal(bug.status, 500, "an engine TypeError is a bug, not bad input");
  await bug.body?.cancel();
  const next = broken(new Request("http://localhost/health"));
  assert.equal(next.status, 200);
  await next.body?.cancel();
});

Deno.test("DEFAULTS are the notebook's desk: 300 issuers, seed 42, weekly with a ±0.5 % band, 2008–2024", () => {
  assert.deepEqual(
    [DEFAULTS.issuers, DEFAULTS.seed, DEFAULTS.rebalance, DEFAULTS.band, DEFAULTS.start, DEFAULTS.end],
    [300, 42, "weekly", 0.005, "2008-01-02", "2024-12-31"],
  );
});

Deno.test("handler: edge states (a band that freezes the book, no costs, short window, odd weights) render every view", async () => {
  const states = [
    "band=100",
    "band=100&costs=none&mode=edge",
    "rebalance=252&band=0",
    "start=2016-06-01&end=2016-12-30",
    "carry=1&momentum=0&value=0&costs=impact&aum=20000",
    "carry=-1&momentum=2&value=0",
  ];
  for (const state of states) {
    for (const view of VIEWS) {
      const query = new URLSearchParams({ view, issuers: "50", start: "2015-01-02", end: "2016-12-30" });
      for (const [k, v] of new URLSearchParams(state)) query.set(k, v);
      const response = request(`/api/view?${query}`);
      const body = await response.json();
      assert.equal(response.status, 200, `${state} ${view}: ${body.problems}`);
      assert.ok((body.html.match(/<figure class="chart/g)?.length ?? 0) >= 2, `${state} ${view}`);
    }
  }
});

Deno.test("handler: a valid query the library refuses (impact costs that bankrupt the book) is a 400 with its reason", async () => {
  const response = request(`/api/view?${SMALL}&costs=impact&aum=1000000`);
  assert.equal(response.status, 400);
  const [reason] = (await response.json()).problems;
  assert.match(
    reason,
    /^Cannot run backtest: the book's NAV must be > 0 \(the book is bankrupt on \d{4}-\d{2}-\d{2}\)/,
  );
});

Deno.test("parsePort() reads --port N and --port=N, and rejects anything else", () => {
  assert.equal(parsePort([]), 8000);
  assert.equal(parsePort(["--port", "8080"]), 8080);
  assert.equal(parsePort(["--port=0"]), 0);
  assert.throws(() => parsePort(["--port", "http"]), {
    name: "RangeError",
    message: 'Cannot start dashboard: --port must be an integer 0–65535, received "http"',
  });
  assert.throws(() => parsePort(["--port"]), /--port must be followed by a number/);
  assert.throws(() => parsePort(["--host", "x"]), /the only option is --port N, received "--host"/);
});
