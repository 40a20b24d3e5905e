/**
 * `deno task dashboard` — the risk dashboard: a local web server on `lib/`.
 *
 *     deno task dashboard                  http://localhost:8000/
 *     deno task dashboard --port 8080      another port (0 picks a free one)
 *
 * Real data when `CREDITLAB_DATA` names a directory, the synthetic stand-in otherwise (as the notebooks resolve it);
 * the page says which, with its date range.
 *
 * Routes (GET):
 *
 *     /                 the page of a state (query keys in `params.ts`); 400 with the reasons for a bad query
 *     /api/view         the same state as JSON { html, query, computeMs, renderMs, … }; 400 { problems } when bad
 *     /export           the view as a standalone HTML file (attachment) that opens offline
 *     /assets/*.css|js  the page's stylesheet and script
 *     /health           { ok, data }
 *
 * A bad query never reaches `lib/`: it is answered with every problem at once. An error `lib/` raises for a valid
 * query (a RangeError or TypeError in the house grammar: the input's domain) is a 400 with its message; anything else
 * is a 500 with its message, and the server keeps serving.
 * @module
 */
import { resolveMarketData } from "../lib/mod.ts";
import { createEngine, type Engine, type EngineOptions } from "./engine.ts";
import { ASSETS, type PageContent, rawFields, renderExport, renderPage } from "./layout.ts";
import { type DashboardParams, DEFAULTS, parseParams, QueryError, toQuery, VIEWS } from "./params.ts";
import { bookLine, renderView } from "./views.ts";
import type { MarketDataSource } from "../lib/mod.ts";

/** A view rendered for a state, with the time it took. */
interface Rendered {
  readonly params: DashboardParams;
  readonly query: string;
  readonly html: string;
  readonly charts: number;
  readonly bookLine: string;
  readonly computeMs: number;
  readonly renderMs: number;
}

/** Computes and renders the view of a state, timing the computation (cache misses) and the rendering apart. */
export function renderState(engine: Engine, params: DashboardParams): Rendered {
  const t0 = performance.now();
  const computation = engine.compute(params);
  const view = renderView(computation, engine.info);
  const total = performance.now() - t0, computeMs = computation.computeMs();
  return {
    params,
    query: toQuery(params),
    html: view.html,
    charts: view.charts,
    bookLine: bookLine(computation),
    computeMs,
    renderMs: total - computeMs,
  };
}

const HTML = "text/html; charset=utf-8";

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

function html(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "content-type": HTML, "cache-control": "no-store", ...headers } });
}

/** The query keys at fault in a failed request. */
function keysOf(error: unknown): string[] {
  return error instanceof QueryError ? [...error.keys] : [];
}

/** The problems of a failed request: a bad query, or an input-domain error of `lib/`; null for a bug. */
function problemsOf(error: unknown): string[] | null {
  if (error instanceof QueryError) return [...error.problems];
  // lib/'s input errors follow "Cannot <action>: <name> must be …"; an engine TypeError ("Cannot read properties
  // of undefined") has no colon and is a bug, a 500.
  const domain = (error instanceof RangeError || error instanceof TypeError) && /^Cannot [^:]+: /.test(error.message);
  return domain ? [(error as Error).message] : null;
}

/**
 * The request handler of a dashboard on `engine`.
 *
 * @param log Where a 500 is reported (default `console.error`).
 */
export function createHandler(engine: Engine, log: (line: string) => void = console.error) {
  return (request: Request): Response => {
    const url = new URL(request.url);
    if (request.method !== "GET" && request.method !== "HEAD") {
      return json(405, { ok: false, problems: [`Cannot serve ${request.method}: only GET is supported`] }, {
        allow: "GET, HEAD",
      });
    }
    switch (url.pathname) {
      case "/assets/style.css":
        return new Response(ASSETS.css, { headers: { "content-type": "text/css; charset=utf-8" } });
      case "/assets/app.js":
        return new Response(ASSETS.js, { headers: { "content-type": "text/javascript; charset=utf-8" } });
      case "/health":
        return json(200, { ok: true, data: engine.info });
      case "/":
      case "/api/view":
      case "/export":
        break;
      default:
        return json(404, { ok: false, problems: [`Cannot serve ${url.pathname}: no such page`] });
    }
    const fields = rawFields(url.searchParams);
    const rawView = (VIEWS as readonly string[]).includes(fields.view)
      ? fields.view as DashboardParams["view"]
      : DEFAULTS.view;
    let rendered: Rendered;
    try {
      rendered = renderState(engine, parseParams(url.searchParams, engine.limits));
    } catch (error) {
      const problems = problemsOf(error);
      const status = problems ? 400 : 500;
      if (!problems) log(`dashboard: 500 on ${url.pathname}${url.search}: ${(error as Error)?.stack ?? error}`);
      const list = problems ?? [`Cannot compute the view: internal error, ${(error as Error)?.message ?? error}`];
      const query = url.searchParams.toString();
      const invalid = keysOf(error);
      if (url.pathname === "/api/view") {
        return json(status, { ok: false, status, problems: list, invalid, fields, query });
      }
      const page: PageContent = { view: rawView, fields, query, problems: list, invalid };
      return html(status, renderPage(engine.info, engine.limits, page));
    }
    const timing = {
      "server-timing": `compute;dur=${rendered.computeMs.toFixed(1)}, render;dur=${rendered.renderMs.toFixed(1)}`,
    };
    const content: PageContent & { html: string } = {
      view: rendered.params.view,
      fields: rawFields(new URLSearchParams(rendered.query)),
      query: rendered.query,
      html: rendered.html,
      bookLine: rendered.bookLine,
      computeMs: rendered.computeMs,
      renderMs: rendered.renderMs,
    };
    if (url.pathname === "/api/view") {
      return json(200, {
        ok: true,
        view: rendered.params.view,
        query: rendered.query,
        fields: content.fields,
        html: rendered.html,
        charts: rendered.charts,
        bookLine: rendered.bookLine,
        computeMs: rendered.computeMs,
        renderMs: rendered.renderMs,
      }, timing);
    }
    if (url.pathname === "/export") {
      const name = `creditlab-${rendered.params.view}-${rendered.params.start}-${rendered.params.end}.html`;
      return html(200, renderExport(engine.info, content, new Date()), {
        ...timing,
        "content-disposition": `attachment; filename="${name}"`,
      });
    }
    return html(200, renderPage(engine.info, engine.limits, content), timing);
  };
}

/** Options of {@linkcode startDashboard}. */
export interface DashboardOptions extends EngineOptions {
  /** Port (default 8000; 0 picks a free one). */ readonly port?: number;
  /** Interface (default 127.0.0.1: the dashboard is local). */ readonly hostname?: string;
  /** Data source (default: `resolveMarketData` of the caller's setting; the CLI passes `CREDITLAB_DATA`). */
  readonly source?: MarketDataSource;
  /** Build the default universe and render every view once before listening (default true). */
  readonly warm?: boolean;
  /** Stops the server when aborted. */ readonly signal?: AbortSignal;
  /** Progress lines (default none). */ readonly log?: (line: string) => void;
}

/** A running dashboard. */
export interface Dashboard {
  /** Its address, e.g. `http://localhost:8000/`. */ readonly url: string;
  readonly engine: Engine;
  readonly server: Deno.HttpServer<Deno.NetAddr>;
}

/**
 * Builds the engine, starts listening (so a port in use fails at once), then warms the default state; requests that
 * arrive during the warm-up wait for it.
 */
export async function startDashboard(opts: DashboardOptions = {}): Promise<Dashboard> {
  const log = opts.log ?? (() => {});
  const source = opts.source ?? resolveMarketData(undefined);
  const t0 = performance.now();
  log(`Loading the market (${source.label})…`);
  const engine = createEngine(source, opts);
  const { promise, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    port: opts.port ?? 8000,
    hostname: opts.hostname ?? "127.0.0.1",
    signal: opts.signal,
    onListen: (addr) => resolve(addr),
  }, createHandler(engine));
  const addr = await promise;
  if (opts.warm ?? true) {
    log(`Building the default universe (${DEFAULTS.issuers} issuers, seed ${DEFAULTS.seed}) and every view…`);
    try {
      engine.compute(DEFAULTS).universe().ranks();
      for (const view of VIEWS) renderState(engine, { ...DEFAULTS, view });
    } catch (error) {
      await server.shutdown();
      throw error;
    }
  }
  log(`Ready in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
  const host = addr.hostname === "127.0.0.1" || addr.hostname === "0.0.0.0" ? "localhost" : addr.hostname;
  return { url: `http://${host}:${addr.port}/`, engine, server };
}

/** Reads `--port N` (or `--port=N`) from the command line. */
export function parsePort(args: readonly string[]): number {
  let port = 8000;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = a === "--port" ? args[++i] : a.startsWith("--port=") ? a.slice(7) : undefined;
    if (value === undefined) {
      if (a === "--port") {
        throw new RangeError("Cannot start dashboard: --port must be followed by a number, received nothing");
      }
      throw new RangeError(`Cannot start dashboard: the only option is --port N, received ${JSON.stringify(a)}`);
    }
    if (!/^\d{1,5}$/.test(value) || +value > 65535) {
      throw new RangeError(
        `Cannot start dashboard: --port must be an integer 0–65535, received ${JSON.stringify(value)}`,
      );
    }
    port = +value;
  }
  return port;
}

if (import.meta.main) {
  let port: number;
  try {
    port = parsePort(Deno.args);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(2);
  }
  const source = resolveMarketData(Deno.env.get("CREDITLAB_DATA"));
  try {
    const dashboard = await startDashboard({ port, source, log: (line) => console.log(line) });
    console.log(`creditlab risk dashboard on ${dashboard.url} (${source.label}); Ctrl-C stops it.`);
  } catch (error) {
    if (!(error instanceof Deno.errors.AddrInUse)) throw error;
    console.error(`Cannot start dashboard: port ${port} is in use; pass another with --port N (0 picks a free one)`);
    Deno.exit(2);
  }
}
