/**
 * Turns nbconvert's HTML of an executed notebook into a self-contained reader's report: every TeX expression
 * pre-rendered with KaTeX (fonts inlined), the MathJax and require.js tags removed, the notebook's title as the page
 * title, a table of contents, a link back to `index.html`, code hidden behind a toggle that needs no network, long
 * lines wrapped on screen and in print, the parameters of the run, and an anchor on every cell
 * (`id="cell-<cell id>"`, see {@linkcode cellAnchor}) that the claims ledger of `index.html` links to.
 * {@linkcode reportProblems} is the check the
 * report task and its test apply to the result: no raw TeX outside code, no external URL.
 * @module
 */
import { katexStyle, renderTex } from "./katex.ts";

/** Options of {@linkcode readerView}. */
export interface ReaderOptions {
  /** The page title (the notebook's first heading). */
  readonly title: string;
  /** Show code cells on load (the toggle still hides them). Default false. */
  readonly code?: boolean;
  /** Parameters overridden for this run, name → value. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** The defaults of the overridden parameters, name → source literal. */
  readonly defaults?: Readonly<Record<string, string>>;
  /** A one-line note under the bar (e.g. the data source and run date). */
  readonly note?: string;
  /**
   * The cells of the notebook the HTML was rendered from, in order: each rendered cell gets the id
   * {@linkcode cellAnchor} gives it. Omitted: no cell anchors.
   */
  readonly cells?: readonly AnchoredCell[];
}

/** A notebook cell as {@linkcode cellAnchor} reads it. */
export interface AnchoredCell {
  readonly cell_type: string;
  /** The cell id of nbformat ≥ 4.5. */ readonly id?: unknown;
}

const OPTION_KEYS = new Set(["title", "code", "parameters", "defaults", "note", "cells"]);

/**
 * The HTML id of a notebook cell in its report: `cell-<cell id>` (characters other than letters, digits, `-` and `_`
 * replaced by `_`), or `cell-<index>` (0-based JSON index) for a cell without an id.
 */
export function cellAnchor(cell: AnchoredCell, index: number): string {
  const id = typeof cell.id === "string" && cell.id.length > 0 ? cell.id.replace(/[^A-Za-z0-9_-]/g, "_") : `${index}`;
  return `cell-${id}`;
}

/** nbconvert's lab template opens each code and Markdown cell with this div (raw cells get none). */
const CELL_DIV = /<div class="jp-Cell jp-(Code|Markdown)Cell\b/g;

/**
 * Adds `id="cell-…"` to each cell's div of nbconvert's lab HTML, in order.
 * @throws {Error} When the HTML's cells are not the notebook's code and Markdown cells in order.
 */
function anchorCells(html: string, cells: readonly AnchoredCell[]): string {
  const rendered = cells.map((c, i) => ({ c, i })).filter(({ c }) =>
    c.cell_type === "code" || c.cell_type === "markdown"
  );
  let k = 0;
  const out = html.replace(CELL_DIV, (div: string, kind: string) => {
    const cell = rendered[k++];
    const expected = kind === "Code" ? "code" : "markdown";
    if (!cell || cell.c.cell_type !== expected) {
      throw new Error(
        `readerView: rendered cell ${k} is a ${expected} cell, the notebook's is ${cell?.c.cell_type ?? "missing"}`,
      );
    }
    return `<div id="${cellAnchor(cell.c, cell.i)}"${div.slice(4)}`;
  });
  if (k !== rendered.length) {
    throw new Error(`readerView: the HTML has ${k} cells, the notebook ${rendered.length} code and Markdown cells`);
  }
  return out;
}

/** Elements whose text is never TeX: code, preformatted output, styles, scripts, charts and rendered math. */
const SKIP = new Set(["script", "style", "pre", "code", "svg", "math", "textarea", "kbd", "samp"]);

const TAG = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w:-]*)\b[^>]*?(\/?)>/g;

/** Applies `f` to every text run of `html` outside {@linkcode SKIP} elements and outside KaTeX's output. */
function mapText(html: string, f: (text: string) => string): string {
  let out = "";
  let last = 0;
  let skipTag = "";
  let depth = 0;
  let katexDepth = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    const text = html.slice(last, m.index);
    out += skipTag || katexDepth ? text : f(text);
    out += m[0];
    last = TAG.lastIndex;
    if (m[0].startsWith("<!--")) continue;
    const name = m[2].toLowerCase();
    const closing = m[1] === "/", selfClosing = m[3] === "/";
    if (skipTag) {
      if (name === skipTag && !selfClosing) depth += closing ? -1 : 1;
      if (depth === 0) skipTag = "";
    } else if (katexDepth) {
      if (name === "span" && !selfClosing) katexDepth += closing ? -1 : 1;
    } else if (!closing && !selfClosing && SKIP.has(name)) {
      skipTag = name;
      depth = 1;
    } else if (!closing && name === "span" && /class="katex/.test(m[0])) katexDepth = 1;
  }
  return out + (skipTag || katexDepth ? html.slice(last) : f(html.slice(last)));
}

const unescape = (s: string) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#0?39;|&#x27;/g, "'").replace(
    /&amp;/g,
    "&",
  );

/** `$$…$$`, `\[…\]`, a bare `\begin{env}…\end{env}`, `\(…\)` and `$…$` (not `$ ` nor ` $`). */
const MATH =
  /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|(\\begin\{([a-zA-Z]+\*?)\}[\s\S]+?\\end\{\4\})|\\\(([\s\S]+?)\\\)|\$(?=[^\s$])((?:\\\$|[^$])+?)(?<=[^\s\\])\$/g;

/**
 * Replaces every TeX expression in the text of `html` (outside code, preformatted output and charts) by KaTeX's
 * rendering; display math is wrapped in a `div.math-display`.
 * @throws {TexError} On an expression KaTeX cannot parse.
 */
export function renderMath(html: string): string {
  return mapText(html, (text) =>
    text.replace(MATH, (_, dollars, brackets, env, _name, parens, inline) => {
      if (inline !== undefined || parens !== undefined) return renderTex(unescape(inline ?? parens), false);
      return `<div class="math-display">${renderTex(unescape(dollars ?? brackets ?? env), true)}</div>`;
    }));
}

/** The text of `html` outside skipped elements, tags removed. */
function visibleText(html: string): string {
  const parts: string[] = [];
  mapText(html, (t) => (parts.push(t), t));
  return parts.join(" ");
}

const EXTERNAL_ATTR = /\b(?:src|href|xlink:href|srcset|action|data)\s*=\s*["']?\s*((?:https?:|file:)?\/\/[^"'\s>]*)/gi;
const EXTERNAL_CSS = /(?:url\(|@import)\s*["']?\s*((?:https?:|file:)?\/\/[^"')\s;]*)/gi;
const RAW_TEX = /\$\$|\\\(|\\\[|\\begin\{|\\end\{|\$[^$\n]{1,300}?\$/g;

/**
 * Problems that keep a report from being a self-contained file with rendered formulas: each external URL
 * (`http(s)://`, `file://`, protocol-relative `//`) in a `src`, `href` or CSS `url()`, and each raw TeX delimiter left
 * in the text outside code. Empty when the report is clean.
 */
export function reportProblems(html: string): string[] {
  const problems: string[] = [];
  for (const re of [EXTERNAL_ATTR, EXTERNAL_CSS]) {
    for (const m of html.matchAll(re)) problems.push(`external URL ${m[1].slice(0, 120)}`);
  }
  const text = visibleText(html);
  for (const m of text.matchAll(RAW_TEX)) {
    const at = m.index ?? 0;
    problems.push(`raw TeX ${JSON.stringify(text.slice(Math.max(0, at - 30), at + 50).replace(/\s+/g, " "))}`);
  }
  return problems;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const STYLE = `
  body.jp-Notebook { max-width: 1100px; margin: 0 auto; padding: 0 1rem 3rem; }
  .report-bar { position: sticky; top: 0; z-index: 10; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap;
    padding: .55rem .9rem; margin: 0 -1rem 1rem; background: #f6f8fa; border-bottom: 1px solid #d0d7de;
    font: 14px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
  .report-bar a { color: #0b5cad; text-decoration: none; font-weight: 600; }
  .report-bar .note { color: #59636e; flex: 1; }
  .report-bar button { font: inherit; padding: .2rem .7rem; border: 1px solid #afb8c1; border-radius: 6px; background: #fff; cursor: pointer; }
  nav.toc, .report-parameters { font: 14px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
    border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem 1rem; margin: 0 0 1.25rem; background: #fbfcfd; }
  nav.toc ol { margin: .3rem 0; padding-left: 1.4rem; }
  nav.toc li.h3 { margin-left: 1.2rem; list-style: circle; }
  nav.toc a { color: #0b5cad; text-decoration: none; }
  .report-parameters table { border-collapse: collapse; margin: .3rem 0 0 !important; }
  .report-parameters td { padding: .15rem .8rem .15rem 0; font-family: ui-monospace, monospace; }
  .math-display { overflow-x: auto; overflow-y: hidden; margin: .6em 0; }
  .katex { font-size: 1.1em; }
  .jp-InputArea-editor pre, .jp-OutputArea-output pre, .jp-RenderedText pre {
    white-space: pre-wrap !important; overflow-wrap: anywhere; word-break: normal; }
  .jp-InputArea-editor, .jp-OutputArea-output { overflow-x: visible !important; }
  .jp-OutputArea-output svg { max-width: 100%; height: auto; }
  body.hide-code .jp-CodeCell .jp-Cell-inputWrapper, body.hide-code .jp-CodeCell.jp-mod-noOutputs,
  body.hide-code .jp-OutputPrompt, body.hide-code .jp-InputPrompt { display: none; }
  body.hide-code .jp-OutputArea-child { display: block; }
  /* The parameters of the run stay visible with the code hidden: a reader sees what the numbers depend on. */
  body.hide-code .jp-CodeCell.celltag_parameters, body.hide-code .jp-CodeCell.celltag_injected-parameters { display: block; }
  body.hide-code .jp-CodeCell.celltag_parameters .jp-Cell-inputWrapper,
  body.hide-code .jp-CodeCell.celltag_injected-parameters .jp-Cell-inputWrapper { display: flex; }
  @media print {
    .report-bar button { display: none; }
    .report-bar { position: static; }
    .jp-OutputArea-output svg, .math-display, table { break-inside: avoid; }
    h1, h2, h3 { break-after: avoid; }
    .jp-OutputArea, .jp-OutputArea-child, .jp-OutputArea-output, .jp-Cell-outputArea, .jp-Cell-outputWrapper {
      max-height: none !important; overflow: visible !important; }
  }
`;

const SCRIPT = `
  (function () {
    var button = document.getElementById("toggle-code");
    function label() { button.textContent = document.body.classList.contains("hide-code") ? "Show code" : "Hide code"; }
    button.addEventListener("click", function () { document.body.classList.toggle("hide-code"); label(); });
    label();
  })();
`;

/**
 * The reader's view of nbconvert's lab-template HTML: math rendered, MathJax/require.js removed, title, table of
 * contents, back link, code toggle, wrapped lines, parameters, cell anchors (with `options.cells`).
 * @throws {TypeError} On an unknown option key.
 * @throws {Error} When `options.cells` are not the cells of the HTML.
 * @throws {TexError} On an expression KaTeX cannot parse.
 */
export function readerView(html: string, options: ReaderOptions): string {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new TypeError(`readerView: unknown option ${JSON.stringify(key)}`);
  }
  let out = html
    .replace(/<script\b[^>]*\bsrc=[^>]*>\s*<\/script>/gi, "")
    .replace(/<script type="text\/x-mathjax-config">[\s\S]*?<\/script>/gi, "");
  out = renderMath(out);
  if (options.cells) out = anchorCells(out, options.cells);
  out = out.replace(/<title>[\s\S]*?<\/title>/, `<title>${escapeHtml(options.title)}</title>`);
  out = out.replace("</head>", `<style>${katexStyle()}</style>\n<style>${STYLE}</style>\n</head>`);

  const toc: string[] = [];
  for (const m of out.matchAll(/<h([23]) id="([^"]+)">([\s\S]*?)<\/h\1>/g)) {
    const label = m[3].replace(/<a class="anchor-link"[\s\S]*?<\/a>/g, "").trim();
    toc.push(`<li class="h${m[1]}"><a href="#${m[2]}">${label}</a></li>`);
  }
  const parameters = Object.entries(options.parameters ?? {});
  const parameterBox = parameters.length === 0
    ? ""
    : `<div class="report-parameters"><strong>Parameters of this run</strong>
<table>${
      parameters.map(([k, v]) =>
        `<tr><td>${escapeHtml(k)} = ${escapeHtml(JSON.stringify(v))}</td><td>(default ${
          escapeHtml(options.defaults?.[k] ?? "?")
        })</td></tr>`
      ).join("")
    }</table></div>`;
  const header = `
<div class="report-bar"><a href="index.html">← All reports</a><span class="note">${
    escapeHtml(options.note ?? "")
  }</span><button id="toggle-code" type="button">Show code</button></div>`;
  const front = `${parameterBox}${
    toc.length ? `<nav class="toc"><strong>Contents</strong><ol>${toc.join("")}</ol></nav>` : ""
  }`;
  const h1 = out.indexOf("</h1>");
  if (h1 >= 0) out = out.slice(0, h1 + 5) + front + out.slice(h1 + 5);
  out = out.replace(/<body([^>]*)>/, (_, attrs: string) => {
    const cls = options.code ? "" : "hide-code";
    const withClass = /class="/.test(attrs)
      ? attrs.replace(/class="([^"]*)"/, (_m, c: string) => `class="${c} ${cls}"`)
      : `${attrs} class="${cls}"`;
    return `<body${withClass}>${header}${h1 >= 0 ? "" : front}`;
  });
  out = out.replace(/<\/body>(?![\s\S]*<\/body>)/, `<script>${SCRIPT}</script>\n</body>`);
  return out;
}
