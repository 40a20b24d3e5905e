/**
 * The risk dashboard end to end in a real browser: Debian's Chromium driven by puppeteer-core. The server runs in
 * this process on a free port, on the data `CREDITLAB_DATA` resolves to (the stand-in without it). The test opens
 * every view and checks that each chart rendered (an SVG with data marks and hover values), changes the band and
 * sees the costs change without a reload in under a second (measured in the page), reloads from the URL and sees
 * the same state, sends each bad input and sees its message (and a 400 from the API), sorts a table, and opens an
 * exported view offline. Screenshots of each view go to `.tmp/dashboard-shots/` (git-ignored).
 */
import assert from "node:assert/strict";
// Pinned here, the only user (deno.json's import map is shared; moving it there is the lead's call).
// deno-lint-ignore no-import-prefix
import puppeteer, { type Page } from "npm:puppeteer-core@25.16.0";
import { CHROMIUM_FLAGS, ensureChromium } from "../../tools/chromium.ts";
import { startDashboard } from "../../dashboard/server.ts";
import { VIEWS } from "../../dashboard/params.ts";
import { resolveMarketData } from "../../lib/mod.ts";

const SHOTS = new URL("../../.tmp/dashboard-shots/", import.meta.url);
/** Most time a recomputation of the default universe may take, ms (the issue's requirement). */
const BUDGET_MS = 1000;

/** What each chart of the current view holds: data marks (lines, areas, bars, cells) and hover targets. */
function chartInventory(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("#view figure.chart")).map((figure) => {
      const svg = figure.querySelector(":scope > svg")!;
      const visible = (el: Element) => el.closest("g")?.getAttribute("fill-opacity") !== "0";
      const paths = Array.from(svg.querySelectorAll('g[aria-label="line"] path, g[aria-label="area"] path'))
        .filter((p) => visible(p) && (p.getAttribute("d") ?? "").length > 40).length;
      const shapes = Array.from(svg.querySelectorAll('g[aria-label="bar"] rect, g[aria-label="cell"] rect'))
        .filter(visible).length;
      const bins = Array.from(svg.querySelectorAll('g[aria-label="rect"] rect'))
        .filter((r) => visible(r) && r.closest("g")?.getAttribute("fill") !== "#e9ebef").length;
      const box = svg.getBoundingClientRect();
      return {
        name: figure.getAttribute("data-chart") ?? "?",
        title: svg.querySelector(':scope > text[aria-label="title"]')?.textContent ?? "",
        marks: paths + shapes + bins,
        tips: figure.querySelectorAll("[data-tip]").length,
        width: box.width,
        height: box.height,
      };
    })
  );
}

const kpiValues = (page: Page) =>
  page.evaluate(() => Array.from(document.querySelectorAll(".kpi-value")).map((k) => k.textContent));

/**
 * Runs `act` (a user's change to the controls), waits until the page has swapped the view in, and returns the
 * time from the change to the new view on screen, as the page measured it, and the API's HTTP status.
 */
async function recompute(page: Page, act: () => Promise<void>): Promise<{ ms: number; status: number }> {
  const before = await page.$eval("#view", (v) => Number((v as HTMLElement).dataset.version));
  await page.evaluate(() => ((globalThis as unknown as { t0: number }).t0 = performance.now()));
  await act();
  await page.waitForFunction(
    (n: number) => Number((document.getElementById("view") as HTMLElement).dataset.version) > n,
    { timeout: 15_000 },
    before,
  );
  return await page.evaluate(() => ({
    ms: performance.now() - (globalThis as unknown as { t0: number }).t0,
    status: Number((document.getElementById("view") as HTMLElement).dataset.status),
  }));
}

async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await page.click(selector, { count: 3 });
  await page.keyboard.press("Backspace");
  await page.keyboard.type(text);
  await page.keyboard.press("Tab"); // leaving the field fires "change"
}

/** Sets form fields (e.g. a date picker's value) and fires one "change", as a form submitted at once does. */
async function setValues(page: Page, values: Record<string, string>): Promise<void> {
  await page.evaluate((values) => {
    let last: Element | null = null;
    for (const [selector, value] of Object.entries(values)) {
      last = document.querySelector(selector);
      (last as HTMLInputElement).value = value;
    }
    last!.dispatchEvent(new Event("change", { bubbles: true }));
  }, values);
}

const statusText = (page: Page) => page.$eval("#status", (s) => ((s as HTMLElement).hidden ? "" : s.textContent ?? ""));

Deno.test({
  name: "dashboard in Chromium: every view renders, controls recompute in < 1 s, state in the URL, bad input reported",
  fn: async (t) => {
    Deno.mkdirSync(SHOTS, { recursive: true });
    const controller = new AbortController();
    const source = resolveMarketData(Deno.env.get("CREDITLAB_DATA"));
    const dashboard = await startDashboard({ port: 0, source, signal: controller.signal });
    const browser = await puppeteer.launch({
      executablePath: ensureChromium((line) => console.log(line)),
      args: CHROMIUM_FLAGS,
      headless: true,
    });
    const timings: Record<string, number> = {};
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1600, height: 1000 });
      const open = (query = "") => page.goto(`${dashboard.url}${query ? `?${query}` : ""}`, { waitUntil: "load" });

      await t.step("every chart of every view renders, with hover values; screenshots saved", async () => {
        for (const view of VIEWS) {
          const response = await open(`view=${view}`);
          assert.equal(response?.status(), 200, view);
          const header = await page.$eval(".top .data", (d) => d.textContent ?? "");
          assert.match(header, /market \d{4}-\d{2}-\d{2} → \d{4}-\d{2}-\d{2}/, "the header states the data's range");
          assert.match(header, source.kind === "real" ? /Real data/ : /Synthetic stand-in/);
          const charts = await chartInventory(page);
          assert.ok(charts.length >= 2, `${view}: ${charts.length} charts`);
          for (const c of charts) {
            assert.ok(c.title.length > 0, `${view}/${c.name}: title`);
            assert.ok(c.marks > 0, `${view}/${c.name}: no data marks`);
            assert.ok(c.tips > 0, `${view}/${c.name}: no hover values`);
            assert.ok(c.width > 300 && c.height > 150, `${view}/${c.name}: ${c.width}×${c.height}`);
          }
          await page.screenshot({ path: new URL(`${view}.png`, SHOTS).pathname as `${string}.png`, fullPage: true });
        }
        // Hovering a chart shows the values of that date.
        await open();
        const band = await page.$('figure[data-chart="nav"] .hover-band rect:nth-child(120)');
        assert.ok(band, "a hover band of the NAV chart");
        await band.hover();
        const tip = await page.$eval(".tooltip", (el) => ((el as HTMLElement).hidden ? "" : el.textContent ?? ""));
        assert.match(tip, /^\d{4}-\d{2}-\d{2}\nDesk \(weekly, ±0\.5 % band\): \d+\.\d{4}\n/);
      });

      await t.step("changing the band recomputes every chart without a reload, costs change, in < 1 s", async () => {
        await open("view=execution");
        await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 1));
        const before = await kpiValues(page);
        const { ms, status } = await recompute(page, () => typeInto(page, "#f-band", "2"));
        assert.equal(status, 200);
        timings["band 0.5 → 2 %"] = ms;
        const after = await kpiValues(page);
        assert.notEqual(after[0], before[0], `desk costs a year: ${before[0]} → ${after[0]}`);
        assert.ok(
          parseFloat(after[0]!) < parseFloat(before[0]!),
          `a wider band trades less: costs ${before[0]} → ${after[0]}`,
        );
        assert.equal(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker), 1, "no reload");
        assert.match(await page.evaluate(() => location.search), /band=2/);
        assert.match(await page.$eval("#timing", (e) => e.textContent ?? ""), /^Recomputed in \d+ ms in the browser/);
        const charts = await chartInventory(page);
        assert.ok(charts.every((c) => c.marks > 0 && c.tips > 0), "every chart redrawn");
        // The other controls, each within the budget too.
        const changes: [string, () => Promise<void>][] = [
          ["band variant → edge", () => page.select("#f-mode", "edge").then(() => {})],
          ["rebalance → monthly", () => page.select("#f-rebalance", "monthly").then(() => {})],
          ["cost model → impact", () => page.select("#f-costs", "impact").then(() => {})],
          ["carry weight → 2", () => typeInto(page, "#f-carry", "2")],
          ["start → 2012-01-03", () => setValues(page, { "#f-start": "2012-01-03" })],
        ];
        for (const [name, act] of changes) {
          const r = await recompute(page, act);
          assert.equal(r.status, 200, name);
          timings[name] = r.ms;
        }
        for (const [name, ms] of Object.entries(timings)) {
          assert.ok(ms < BUDGET_MS, `${name}: recomputed in ${ms.toFixed(0)} ms, over the ${BUDGET_MS} ms budget`);
        }
        // A new seed simulates a new universe (about 2 s, then cached): reported, not held to the budget.
        const fresh = await recompute(page, () => typeInto(page, "#f-seed", "7"));
        assert.equal(fresh.status, 200);
        timings["seed → 7 (new universe, uncached)"] = fresh.ms;
        const cached = await recompute(page, () => typeInto(page, "#f-seed", "42"));
        assert.ok(cached.ms < BUDGET_MS, `back to the cached seed 42: ${cached.ms.toFixed(0)} ms`);
        timings["seed → 42 (cached)"] = cached.ms;
      });

      await t.step("reloading the URL restores the same state; the URL is shareable", async () => {
        const url = page.url();
        const state = async (p: Page) => ({
          kpis: await kpiValues(p),
          fields: await p.$$eval("#controls [name]", (els) => els.map((e) => (e as HTMLInputElement).value)),
          tab: await p.$eval(".tabs a.active", (a) => a.textContent),
        });
        const before = await state(page);
        assert.deepEqual(before.fields.slice(0, 7), ["execution", "2", "1", "1", "monthly", "2", "edge"]);
        await page.reload({ waitUntil: "load" });
        assert.equal(page.url(), url);
        assert.deepEqual(await state(page), before);
        const other = await browser.newPage();
        await other.goto(url, { waitUntil: "load" });
        assert.deepEqual(await state(other), before);
        await other.close();
        // Back in history: the previous view and state come back from the URL.
        await open("view=overview");
        await page.click('.tabs a[data-view="risk"]');
        await page.waitForFunction(() => document.getElementById("view")?.dataset.view === "risk");
        await page.goBack();
        await page.waitForFunction(() => document.getElementById("view")?.dataset.view === "overview");
      });

      await t.step("each bad input shows a clear message, and the API answers 400 with the reason", async () => {
        const cases: [string, RegExp][] = [
          ["band=abc", /band must be a number >= 0 and <= 100 \(half-width in % of NAV\), received "abc"/],
          ["band=-1", /band must be a number >= 0/],
          ["start=2020-06-01&end=2019-06-01", /start and end must be an increasing range/],
          ["start=2020-06-01&end=2020-06-01", /start and end must be an increasing range/],
          ["carry=1&momentum=-1&value=0", /the weights must sum to a positive number/],
          ["view=pnl", /view must be one of overview, exposures, execution, risk, overlay/],
          ["colour=red", /unknown key "colour"/],
          ["issuers=5000", /issuers must be an integer from 50 .*refused so as not to tie up the server/],
        ];
        for (const [query, reason] of cases) {
          const response = await open(query);
          assert.equal(response?.status(), 400, query);
          assert.match(await statusText(page), reason, query);
          assert.equal(await page.$$eval("#view figure", (f) => f.length), 0, `${query}: no stale or blank chart`);
          const api = await page.evaluate(async (q) => {
            const r = await fetch(`/api/view?${q}`);
            return { status: r.status, body: await r.json() };
          }, query);
          assert.equal(api.status, 400, query);
          assert.ok(api.body.problems.some((p: string) => reason.test(p)), `${query}: ${api.body.problems}`);
        }
        await page.screenshot({ path: new URL("error.png", SHOTS).pathname as `${string}.png` });
        // The same through the controls, without a reload; fixing the input brings the charts back.
        assert.equal((await open())?.status(), 200, "the server keeps serving");
        const rejected = await recompute(page, () => typeInto(page, "#f-band", "-1"));
        assert.equal(rejected.status, 400);
        assert.match(await statusText(page), /band must be a number >= 0/);
        assert.equal(await page.$eval("#f-band", (e) => e.getAttribute("aria-invalid")), "true", "the field is marked");
        const inverted = await recompute(
          page,
          () => setValues(page, { "#f-band": "0.5", "#f-start": "2020-06-01", "#f-end": "2019-06-01" }),
        );
        assert.equal(inverted.status, 400);
        assert.match(await statusText(page), /start and end must be an increasing range/);
        const fixed = await recompute(page, () => setValues(page, { "#f-end": "2024-12-31" }));
        assert.equal(fixed.status, 200);
        assert.equal(await statusText(page), "");
        assert.equal(await page.$$eval("[aria-invalid]", (e) => e.length), 0, "the marks are cleared");
        assert.ok((await chartInventory(page)).every((c) => c.marks > 0));
      });

      await t.step("tables sort on a click of their header", async () => {
        await open("view=risk");
        const column = async () =>
          await page.$$eval(
            '[data-table="worst-days"] tbody tr',
            (rows) => rows.map((r) => parseFloat((r.cells[1].textContent ?? "").replace("−", "-"))),
          );
        const header = '[data-table="worst-days"] th:nth-child(2)';
        await page.click(header);
        const ascending = await column();
        assert.deepEqual(ascending, [...ascending].sort((a, b) => a - b));
        await page.click(header);
        const descending = await column();
        assert.deepEqual(descending, [...ascending].reverse());
        const dates = async () =>
          await page.$$eval('[data-table="worst-days"] tbody tr', (rows) => rows.map((r) => r.cells[0].textContent));
        await page.click('[data-table="worst-days"] th:nth-child(1)');
        const sorted = await dates();
        assert.deepEqual(sorted, [...sorted].sort());
      });

      await t.step("the export button gives a standalone HTML file that opens offline", async () => {
        await open("view=overview&band=1");
        const href = await page.$eval("#export", (a) => (a as HTMLAnchorElement).href);
        const response = await fetch(href);
        assert.equal(response.status, 200);
        assert.match(response.headers.get("content-disposition") ?? "", /^attachment; filename=".+\.html"$/);
        const file = new URL("export-overview.html", SHOTS);
        Deno.writeTextFileSync(file, await response.text());
        const offline = await browser.newPage();
        await offline.setViewport({ width: 1600, height: 1000 });
        await offline.setOfflineMode(true);
        await offline.setRequestInterception(true);
        const outside: string[] = [];
        offline.on("request", (r) => {
          if (r.url().startsWith("file:")) r.continue();
          else (outside.push(r.url()), r.abort());
        });
        await offline.goto(file.href, { waitUntil: "load" });
        assert.deepEqual(outside, [], "the export asks for nothing outside the file");
        const charts = await chartInventory(offline);
        assert.equal(charts.length, 4);
        assert.ok(charts.every((c) => c.marks > 0 && c.tips > 0));
        assert.match(await offline.$eval(".export-meta", (m) => m.textContent ?? ""), /state band=1/);
        await offline.screenshot({ path: new URL("export.png", SHOTS).pathname as `${string}.png`, fullPage: true });
        await offline.close();
      });

      console.log(
        `    recompute in the browser (ms): ${
          Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ")
        }`,
      );
    } finally {
      await browser.close();
      controller.abort();
      await dashboard.server.finished;
    }
  },
});
