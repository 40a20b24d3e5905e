/**
 * The page around a view: header (data source and date range, the book), the controls panel, the view tabs, the
 * status line and the timing line; and the standalone export of a view (styles and script inline, no external
 * URL, so the file opens offline). Plain template strings; every value is escaped.
 * @module
 */
import type { MarketInfo } from "./engine.ts";
import {
  COST_MODELS,
  DEFAULTS,
  type QueryKey,
  type QueryLimits,
  queryValues,
  VIEW_LABELS,
  type ViewName,
  VIEWS,
} from "./params.ts";

const PAGE_DIR = new URL("./page/", import.meta.url);

/** The page's stylesheet and script, read once (they are served and inlined into exports). */
export const ASSETS = {
  css: Deno.readTextFileSync(new URL("style.css", PAGE_DIR)),
  js: Deno.readTextFileSync(new URL("app.js", PAGE_DIR)),
};

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** What a page shows: a rendered view, or the problems of the query. */
export interface PageContent {
  readonly view: ViewName;
  /** The form's values: the query as given (so that a bad value stays visible), defaults elsewhere. */
  readonly fields: Readonly<Record<QueryKey, string>>;
  /** Canonical query of the state (for tab and export links), or the raw query when it is invalid. */
  readonly query: string;
  /** The view's HTML, absent when the query has problems. */ readonly html?: string;
  readonly problems?: readonly string[];
  /** Query keys at fault: their fields are marked. */ readonly invalid?: readonly string[];
  readonly bookLine?: string;
  /** Server time, ms. */ readonly computeMs?: number;
  readonly renderMs?: number;
}

/** The form values of a raw query: each known key as given, the default elsewhere. */
export function rawFields(search: URLSearchParams): Record<QueryKey, string> {
  const fields = queryValues(DEFAULTS);
  for (const key of Object.keys(fields) as QueryKey[]) {
    const v = search.get(key);
    if (v !== null) fields[key] = v;
  }
  return fields;
}

/** The data line of the header: source, reason and date ranges. */
export function dataLine(info: MarketInfo): string {
  return `${info.label}${info.reason ? ` (${info.reason})` : ""} · market ${info.first} → ${info.last} · ` +
    `overlay history ${info.overlayFirst} → ${info.overlayLast}`;
}

function header(info: MarketInfo, bookLine: string | undefined): string {
  const badge = info.kind === "real" ? "Real data" : "Synthetic stand-in";
  return `<header class="top">
  <div class="brand"><span class="logo">creditlab</span><span class="product">Risk dashboard</span></div>
  <div class="data ${info.kind}"><span class="badge">${badge}</span><span id="data-line">${
    escapeHtml(dataLine(info))
  }</span></div>
  <div class="book" id="book-line">${escapeHtml(bookLine ?? "")}</div>
</header>`;
}

function tabs(active: ViewName, query: string): string {
  const params = new URLSearchParams(query);
  return `<nav class="tabs" id="tabs">${
    VIEWS.map((v) => {
      const q = new URLSearchParams(params);
      if (v === DEFAULTS.view) q.delete("view");
      else q.set("view", v);
      const href = `/${q.size ? `?${q}` : ""}`;
      return `<a href="${escapeHtml(href)}" data-view="${v}"${
        v === active ? ' class="active" aria-current="page"' : ""
      }>${VIEW_LABELS[v]}</a>`;
    }).join("")
  }</nav>`;
}

function option(value: string, label: string, selected: string): string {
  return `<option value="${escapeHtml(value)}"${value === selected ? " selected" : ""}>${escapeHtml(label)}</option>`;
}

function numberField(name: QueryKey, label: string, value: string, attrs: string, hint = ""): string {
  return `<label class="field"><span>${label}</span><input name="${name}" id="f-${name}" type="number" inputmode="decimal" ${attrs} value="${
    escapeHtml(value)
  }">${hint ? `<small>${hint}</small>` : ""}</label>`;
}

function controls(
  f: Readonly<Record<QueryKey, string>>,
  limits: QueryLimits,
  query: string,
  invalid: readonly string[],
): string {
  const bad = (key: string) => (invalid.includes(key) ? ' aria-invalid="true"' : "");
  const schedules: [string, string][] = [
    ["daily", "Daily"],
    ["weekly", "Weekly"],
    ["monthly", "Monthly"],
    ["10", "Every 10 days"],
    ["21", "Every 21 days"],
    ["63", "Every 63 days"],
  ];
  if (!schedules.some(([v]) => v === f.rebalance)) schedules.push([f.rebalance, `Every ${f.rebalance} days`]);
  const costs: Record<(typeof COST_MODELS)[number], string> = {
    bidask: "Half the bid-ask",
    impact: "Bid-ask + square-root impact",
    none: "No costs (gross)",
  };
  return `<form id="controls" method="get" action="/" autocomplete="off" novalidate>
  <input type="hidden" name="view" value="${escapeHtml(f.view)}">
  <fieldset><legend>Signal: factor weights</legend>
    <div class="row3">
      ${numberField("carry", "Carry", f.carry, `step="0.1"${bad("carry")}`)}
      ${numberField("momentum", "Momentum", f.momentum, `step="0.1"${bad("momentum")}`)}
      ${numberField("value", "Value", f.value, `step="0.1"${bad("value")}`)}
    </div>
    <small>Composite Σw·rank-z / Σ|w|; the weights must sum to a positive number.</small>
  </fieldset>
  <fieldset><legend>Execution</legend>
    <label class="field"><span>Rebalance</span><select name="rebalance" id="f-rebalance"${bad("rebalance")}>${
    schedules.map(([v, l]) => option(v, l, f.rebalance)).join("")
  }</select></label>
    <div class="row2">
      ${numberField("band", "Inertia band (± % NAV)", f.band, `step="0.05" min="0"${bad("band")}`)}
      <label class="field"><span>Beyond the band</span><select name="mode" id="f-mode"${bad("mode")}>${
    option("target", "Trade to target", f.mode)
  }${option("edge", "Trade to edge", f.mode)}</select></label>
    </div>
    <div class="row2">
      <label class="field"><span>Cost model</span><select name="costs" id="f-costs"${bad("costs")}>${
    COST_MODELS.map((c) => option(c, costs[c], f.costs)).join("")
  }</select></label>
      ${numberField("aum", "AUM (USD MM)", f.aum, `step="100" min="1"${bad("aum")}`, "for the impact model")}
    </div>
  </fieldset>
  <fieldset><legend>Window and universe</legend>
    <div class="row2">
      <label class="field"><span>Start</span><input name="start" id="f-start"${
    bad("start")
  } type="date" min="${limits.firstDate}" max="${limits.lastDate}" value="${escapeHtml(f.start)}"></label>
      <label class="field"><span>End</span><input name="end" id="f-end"${
    bad("end")
  } type="date" min="${limits.firstDate}" max="${limits.lastDate}" value="${escapeHtml(f.end)}"></label>
    </div>
    <div class="row2">
      ${numberField("seed", "Universe seed", f.seed, `step="1" min="0"${bad("seed")}`)}
      ${
    numberField(
      "issuers",
      "Issuers",
      f.issuers,
      `step="10" min="${limits.minIssuers}" max="${limits.maxIssuers}"${bad("issuers")}`,
    )
  }
    </div>
  </fieldset>
  <div class="actions">
    <button type="submit" class="primary">Recompute</button>
    <a class="button" id="reset" href="/">Reset</a>
    <a class="button" id="export" href="/export${query ? `?${escapeHtml(query)}` : ""}" download>Export view</a>
  </div>
</form>`;
}

function timingLine(c: PageContent): string {
  if (c.computeMs === undefined) return "";
  const computed = c.computeMs < 1 ? "from cache" : `computed in ${Math.round(c.computeMs)} ms`;
  return `Server: ${computed}, rendered in ${Math.round(c.renderMs ?? 0)} ms`;
}

function statusBlock(problems: readonly string[] | undefined): string {
  if (!problems?.length) return `<div id="status" class="status" role="alert" hidden></div>`;
  return `<div id="status" class="status error" role="alert"><strong>Nothing was computed: the request has ${
    problems.length === 1 ? "a problem" : `${problems.length} problems`
  }.</strong><ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("")}</ul></div>`;
}

/** The message shown in place of the charts when the query cannot be served. */
export const INVALID_VIEW_HTML =
  `<div class="empty">Nothing to show until the request is fixed: the message above says what is wrong, and the fields at fault are marked in red.</div>`;

/** The full page of a state (or of a query with problems). */
export function renderPage(info: MarketInfo, limits: QueryLimits, c: PageContent): string {
  const title = `${VIEW_LABELS[c.view] ?? "Dashboard"} · creditlab risk dashboard`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
${header(info, c.bookLine)}
<div class="layout">
<aside class="panel">
${controls(c.fields, limits, c.query, c.invalid ?? [])}
<div class="timing" id="timing">${escapeHtml(timingLine(c))}</div>
</aside>
<main>
${tabs(c.view, c.query)}
${statusBlock(c.problems)}
<section id="view" data-view="${c.view}" data-version="0" data-ok="${c.problems?.length ? "false" : "true"}">${
    c.html ?? INVALID_VIEW_HTML
  }</section>
</main>
</div>
<script src="/assets/app.js"></script>
</body>
</html>
`;
}

/**
 * A view as a standalone HTML file: the header, the state's parameters, the view's charts and tables, with the
 * stylesheet and the script (tooltips, table sorting) inline. It refers to no URL, so it opens offline.
 */
export function renderExport(info: MarketInfo, c: PageContent & { html: string }, generated: Date): string {
  const params = Object.entries(c.fields).filter(([k]) => k !== "view").map(([k, v]) =>
    `<span><b>${escapeHtml(k)}</b> ${escapeHtml(v)}</span>`
  ).join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${VIEW_LABELS[c.view]} · creditlab risk dashboard export`)}</title>
<style>
${ASSETS.css}
</style>
</head>
<body class="export">
${header(info, c.bookLine)}
<main class="export-main">
<div class="export-meta"><strong>${escapeHtml(VIEW_LABELS[c.view])}</strong> · exported ${
    escapeHtml(generated.toISOString().replace("T", " ").slice(0, 16))
  } UTC · state <code>${escapeHtml(c.query || "(defaults)")}</code><div class="params">${params}</div></div>
<section id="view" data-view="${c.view}">${c.html}</section>
</main>
<script>
${ASSETS.js.replace(/<\/script/gi, "<\\/script")}
</script>
</body>
</html>
`;
}
