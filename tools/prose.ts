/**
 * The prose check of issue 15: every number a person typed into a notebook's Markdown cell must come from the
 * computation — a literal of the notebook's code (a parameter) or a number its cells print. A takeaway that says
 * "costs fall 67 %" passes only if some output shows 67 % (or 0.67, or 0.671…) or the code sets it; after a re-run
 * with other data or seeds the same sentence fails until it is rewritten or rendered from the values.
 *
 * What counts as a number of the prose ({@linkcode proseNumbers}), in a `markdown` cell:
 *
 *     counted      0.188 · −67 % · 4,504 · 63 481 (thin space) · 26 bp · ×8.7 · USD 2.39 MM · 2017-12-29 (a date)
 *     not counted  $…$, $$…$$, \(…\), \[…\] (math) · `code` and fenced code · link and image targets, URLs, HTML tags
 *                  years 1900–2100 (and the "09" of "2008–09") · the section number that opens a heading ("## 3.",
 *                  "# 03 ·") · list markers ("1. ") · references: notebook 06, notebooks 02 and 04, cell 20,
 *                  section 3.2, table 1, figure 2, equation 4, step 3, issue 15, page 12
 *                  a small number glued to a word by a hyphen ("10-year", "±2-notch", "1-year rate": N ≤ 10), and the
 *                  {@linkcode COMPOUND_ALLOWLIST} ("21-notch", "21-state": the size of the rating scale)
 *                  digits inside a word (H0A0, DGS10, Q4, 5y, 1st, COVID-19, 1e-4) · the day of a written date
 *                  ("31 December", "August 4") · names in {@linkcode NAMED_NUMBERS} ("S&P 500") · a journal's
 *                  volume(issue) in a citation ("J. Finance 56(1)")
 *     not checked  a Markdown cell tagged `cited`: its figures are quoted from the sources it names (history, a
 *                  paper's table), not computed. Use it for such cells only; the tag is the reader's warning.
 *
 * What counts as a source ({@linkcode notebookSources}): numeric literals of the code cells outside strings and
 * comments; every number of the outputs (`text/plain`, `text/markdown`, `text/html` with tags stripped, stream
 * text; not the SVG of charts); and the `original` figure of each claim cell (the cited study's number, see
 * lib/charts/claims.ts). A number a cell only echoes — printed because the cell's own string literal types it, as
 * in md`costs fall 67 %` — is not a source: the static text of each string literal holding a letter and a digit is
 * cut from that cell's outputs before they are read. Dates are looked up as text in the code and the outputs.
 *
 * How a prose number p with d decimals matches a source value v (signs ignored: the words carry the direction):
 *
 *     |v·s − p| ≤ ½·10^−d  for a scale s of its unit
 *     plain: s = 1 (and 100 when p < 1: 0.67 ↔ 67 %) · %, pp: s ∈ {1, 100} (67 % ↔ 0.67)
 *     bp: s ∈ {1, 100, 10⁴} (26 bp ↔ 0.26 in percent ↔ 0.0026) · MM/mn/million: {1, 10⁻⁶} · bn/billion: {1, 10⁻⁹}
 *
 * So the prose may round what a cell prints (0.19 for 0.1881), never state more digits than any source has.
 * The check reads files only: no notebook runs.
 * @module
 */

/** A number of a Markdown cell. */
export interface ProseNumber {
  /** As written, e.g. "−67 %" or "4,504". */ readonly text: string;
  /** Absolute value, separators removed (67 for "−67 %"); NaN for a date. */ readonly value: number;
  /** Digits after the decimal point, as written. */ readonly decimals: number;
  /** Unit as written, lower-cased: "", "%", "pp", "bp", "x", "mm", "bn". */ readonly unit: string;
  /** The ISO date, for a date ("2017-12-29" or "2017-12"). */ readonly date?: string;
  /** About 60 characters of the sentence around it. */ readonly context: string;
}

/** Numbers glued to a word by a hyphen that are names, not results ("21-notch": the rating scale has 21 notches). */
export const COMPOUND_ALLOWLIST: readonly string[] = ["21-notch", "21-state"];

/**
 * Names that contain a number and are not results, blanked before numbers are read: index names, and the size of
 * the kit's rating scale (lib/credit/ratings.ts: 21 notches, AAA to CC/C; the HMM of notebook 06 has one state each).
 */
export const NAMED_NUMBERS: readonly string[] = [
  "S&P 500",
  "Russell 2000",
  "Euro Stoxx 50",
  "FTSE 100",
  "21 notches",
  "21 states",
  "21 rating",
];

/** The tag of a Markdown cell whose figures are quoted from named sources and not checked. */
export const CITED_TAG = "cited";

/** A notebook as the check reads it. */
export interface ProseNotebook {
  readonly cells: readonly {
    readonly cell_type: string;
    readonly source: string | readonly string[];
    readonly outputs?: readonly Record<string, unknown>[];
    readonly metadata?: { readonly tags?: readonly string[] };
  }[];
}

/** A prose number with no source. */
export interface UnsourcedNumber extends ProseNumber {
  /** 0-based index of the Markdown cell in the notebook's JSON. */ readonly cell: number;
}

const CLAIM_MIME = "application/vnd.creditlab.claim+json";
const MATH =
  /\$\$[\s\S]+?\$\$|\\\[[\s\S]+?\\\]|\\begin\{([a-zA-Z]+\*?)\}[\s\S]+?\\end\{\1\}|\\\([\s\S]+?\\\)|\$(?=[^\s$])(?:\\\$|[^$])+?(?<=[^\s\\])\$/g;
const SEP = "[,\\u00a0\\u2009\\u202f]";
/** A prose number: not inside a word, not after "word-"; optional unit; not followed by a word character. */
const NUMBER = new RegExp(
  String.raw`(?<![\p{L}\p{N}_.,]|\p{L}[-\u2011])(\d{1,3}(?:${SEP}\d{3})+(?!\d)|\d+)(\.\d+)?` +
    String.raw`(?:[ \u00a0\u2009\u202f]?(%|pp|bps?|MM|mn|million|bn|billion|x|×)(?![\p{L}\p{N}]))?` +
    String.raw`(?![\p{L}\p{N}_]|\.\d|,\d)`,
  "gu",
);
const DATE = /(?<![\p{N}\p{L}])((?:19|20)\d\d)-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?(?![\p{N}])/gu;
const REFERENCE =
  /\b(?:notebooks?|sections?|cells?|tables?|figures?|fig\.|chapters?|eq\.|equations?|pages?|pp?\.|steps?|issues?)\s+\d+(?:\.\d+)*(?:\s*(?:,|and|or|&|–|-|to)\s*\d+(?:\.\d+)*)*|§\s*\d+(?:\.\d+)*/giu;
const MONTH =
  "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
const WRITTEN_DAY = new RegExp(
  String.raw`\b(?:(?:[1-9]|[12]\d|3[01])(?=\s+${MONTH}\b)|(?<=\b${MONTH}\s+)(?:[1-9]|[12]\d|3[01])\b)`,
  "g",
);
const ENTITIES: Record<string, string> = {
  nbsp: "\u00a0",
  thinsp: "\u2009",
  minus: "−",
  ndash: "–",
  mdash: "—",
  times: "×",
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  percnt: "%",
};

const joinSource = (s: string | readonly string[]) => typeof s === "string" ? s : s.join("");

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Blanks a match by spaces of the same length, so that offsets and word boundaries survive. */
const blank = (m: string) => m.replace(/[^\n]/g, " ");

/** The prose of a Markdown cell with math, code, link targets, tags, headings' numbers and references blanked. */
export function proseText(markdown: string): string {
  let t = markdown
    .replace(/^(\s*)(```|~~~)[\s\S]*?^\s*\2/gm, blank)
    .replace(/`[^`\n]*`/g, blank)
    .replace(MATH, blank)
    .replace(/<!--[\s\S]*?-->/g, blank)
    .replace(/^\s*\[[^\]]+\]:\s*\S+.*$/gm, blank)
    .replace(
      /(!?\[)([^\]]*)\]\(([^)]*)\)/g,
      (_, open: string, text: string, target: string) => " ".repeat(open.length) + text + " " + blank(target) + " ",
    )
    .replace(/<https?:[^>]*>|\bhttps?:\/\/[^\s)>\]]+/g, blank)
    .replace(/<\/?[a-zA-Z][^>]*>/g, blank);
  t = decodeEntities(t);
  t = t.replace(/^(\s*#{1,6}\s+)([\d.]+)(?=[\s.·:)–—-])/gm, (_, h: string, n: string) => h + blank(n))
    .replace(/^(\s*(?:[-*+]\s+)?)(\d+)([.)])(?=\s)/gm, (_, lead: string, n: string, p: string) => lead + blank(n) + p)
    .replace(REFERENCE, (m) => m.replace(/\d/g, " "))
    .replace(WRITTEN_DAY, blank)
    .replace(/(?<![\p{L}\p{N}.])\d+\(\d+\)/gu, blank);
  for (const name of NAMED_NUMBERS) t = t.split(name).join(blank(name));
  return t;
}

/** The numbers of a Markdown cell that must have a source (see the module doc for what is left out). */
export function proseNumbers(markdown: string): ProseNumber[] {
  let text = proseText(markdown);
  const found: { at: number; n: ProseNumber }[] = [];
  const out = { push: (n: ProseNumber, at: number) => found.push({ at, n }) };
  const context = (at: number, length: number) =>
    text.slice(Math.max(0, at - 30), at + length + 30).replace(/\s+/g, " ").trim();
  text = text.replace(DATE, (m, _y, _mo, _d, at: number) => {
    out.push({ text: m, value: NaN, decimals: 0, unit: "", date: m, context: context(at, m.length) }, at);
    return blank(m);
  });
  // "2008–09": the second year of a range.
  text = text.replace(
    /(?<![\p{N}])((?:19|20)\d\d[–-])(\d\d)(?![\p{N}])/gu,
    (_, y: string, yy: string) => y + blank(yy),
  );
  for (const m of text.matchAll(NUMBER)) {
    const [whole, integer, fraction = "", rawUnit = ""] = m;
    const at = m.index ?? 0;
    const value = Number(integer.replace(new RegExp(SEP, "g"), "") + fraction);
    const decimals = fraction ? fraction.length - 1 : 0;
    const after = text.slice(at + whole.length, at + whole.length + 2);
    const grouped = integer.length !== integer.replace(new RegExp(SEP, "g"), "").length;
    if (!fraction && !grouped && !rawUnit && value >= 1900 && value <= 2100) continue; // a year
    if (!rawUnit && /^[-\u2011]\p{L}/u.test(after)) {
      const word = /^[-\u2011](\p{L}+)/u.exec(text.slice(at + whole.length))?.[1] ?? "";
      if ((!fraction && value <= 10) || COMPOUND_ALLOWLIST.includes(`${whole}-${word}`)) continue;
    }
    const unit = rawUnit === "×"
      ? "x"
      : rawUnit === "bps"
      ? "bp"
      : rawUnit === "million" || rawUnit === "mn"
      ? "mm"
      : rawUnit === "billion"
      ? "bn"
      : rawUnit.toLowerCase();
    const sign = /[−-]$/.test(text.slice(Math.max(0, at - 1), at)) ? "−" : "";
    out.push({ text: sign + whole, value, decimals, unit, context: context(at, whole.length) }, at);
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.n);
}

/** Static text of the string literals of TypeScript source, and the source with strings and comments blanked. */
export function splitCode(code: string): { code: string; strings: string[] } {
  const strings: string[] = [];
  let out = "";
  let i = 0;
  const n = code.length;
  // Template literals nest through ${…}: a stack of brace depths, one per open template.
  const templates: number[] = [];
  let depth = 0;
  let last = ""; // last significant character of code, to tell a regex literal from a division
  const readQuoted = (quote: string) => {
    let j = i + 1;
    let s = "";
    while (j < n && code[j] !== quote && code[j] !== "\n") {
      if (code[j] === "\\") {
        s += code[j + 1] ?? "";
        j += 2;
      } else s += code[j++];
    }
    strings.push(s);
    out += blank(code.slice(i, j + 1));
    i = j + 1;
  };
  const readTemplate = () => {
    // From i (just after ` or }) to the closing ` or the next ${.
    let s = "";
    let j = i;
    while (j < n && code[j] !== "`" && !(code[j] === "$" && code[j + 1] === "{")) {
      if (code[j] === "\\") {
        s += code[j + 1] ?? "";
        j += 2;
      } else s += code[j++];
    }
    strings.push(s);
    out += blank(code.slice(i, j));
    if (code[j] === "`") {
      out += " ";
      i = j + 1;
      templates.pop();
    } else {
      out += "  ";
      i = j + 2;
      depth++;
    }
    last = "(";
  };
  while (i < n) {
    const c = code[i];
    if (c === "/" && code[i + 1] === "/") {
      const j = code.indexOf("\n", i);
      const end = j < 0 ? n : j;
      out += blank(code.slice(i, end));
      i = end;
    } else if (c === "/" && code[i + 1] === "*") {
      const j = code.indexOf("*/", i + 2);
      const end = j < 0 ? n : j + 2;
      out += blank(code.slice(i, end));
      i = end;
    } else if (c === '"' || c === "'") {
      readQuoted(c);
      last = "a";
    } else if (c === "`") {
      templates.push(depth);
      out += " ";
      i++;
      readTemplate();
    } else if (c === "/" && (last === "" || "(,=:[!&|?{};+-*%<>~^".includes(last))) {
      // A regex literal: to the unescaped closing slash on the line, classes skipped.
      let j = i + 1;
      let inClass = false;
      while (j < n && code[j] !== "\n" && (inClass || code[j] !== "/")) {
        if (code[j] === "\\") j++;
        else if (code[j] === "[") inClass = true;
        else if (code[j] === "]") inClass = false;
        j++;
      }
      out += blank(code.slice(i, j + 1));
      i = j + 1;
      last = "a";
    } else {
      if (c === "{") depth++;
      else if (c === "}") {
        depth--;
        if (templates.length && depth === templates[templates.length - 1]) {
          out += " ";
          i++;
          readTemplate();
          continue;
        }
      }
      if (!/\s/.test(c)) last = c;
      out += c;
      i++;
    }
  }
  return { code: out, strings };
}

/** Every number of a text, as absolute values (grouped digits also read group by group: "1,234" → 1234, 1, 234). */
function textNumbers(text: string, into: number[]): void {
  const re = new RegExp(String.raw`\d+(?:${SEP}\d{3})*(?:\.\d+)?(?:[eE][+-]?\d+)?`, "g");
  for (const m of text.matchAll(re)) {
    const plain = m[0].replace(new RegExp(SEP, "g"), "");
    into.push(Number(plain));
    if (plain !== m[0]) { for (const part of m[0].split(new RegExp(SEP))) into.push(Number(part)); }
  }
}

/** What prose numbers are matched against: the sorted source values and the text searched for dates. */
export interface ProseSources {
  /** Absolute values, ascending. */ readonly values: Float64Array;
  /** Code and output text, for date look-ups. */ readonly text: string;
}

const outputText = (v: unknown) => typeof v === "string" ? v : Array.isArray(v) ? v.join("") : "";

/** The sources of a notebook's prose (see the module doc). */
export function notebookSources(notebook: ProseNotebook): ProseSources {
  const values: number[] = [];
  const texts: string[] = [];
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "code") continue;
    const source = joinSource(cell.source);
    texts.push(source);
    const { code, strings } = splitCode(source);
    // Numeric literals outside strings and comments, not part of an identifier (x2, DGS10); 1_000 = 1000.
    for (const m of code.matchAll(/(?<![\p{L}\p{N}_$.])\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?/gu)) {
      values.push(Number(m[0].replace(/_/g, "")));
    }
    const echoed = strings.filter((s) => /\p{L}/u.test(s) && /\d/.test(s)).map((s) => s.trim()).filter(Boolean)
      .sort((a, b) => b.length - a.length);
    for (const o of cell.outputs ?? []) {
      const data = (o.data ?? {}) as Record<string, unknown>;
      const parts: string[] = [];
      if (o.output_type === "stream") parts.push(outputText(o.text));
      for (const mime of ["text/plain", "text/markdown"]) parts.push(outputText(data[mime]));
      const html = outputText(data["text/html"]);
      if (html) {
        parts.push(decodeEntities(html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ")));
      }
      let text = parts.join("\n");
      texts.push(text);
      for (const s of echoed) text = text.split(s).join(" ");
      textNumbers(text, values);
      const row = data[CLAIM_MIME];
      const parsed = typeof row === "string" ? JSON.parse(row) : row;
      if (parsed && typeof parsed === "object" && typeof (parsed as { original?: unknown }).original === "string") {
        textNumbers((parsed as { original: string }).original, values);
      }
    }
  }
  return { values: Float64Array.from(values.filter(Number.isFinite)).sort(), text: texts.join("\n") };
}

const SCALES: Record<string, readonly number[]> = {
  "": [1],
  "%": [1, 100],
  pp: [1, 100],
  bp: [1, 100, 1e4],
  x: [1],
  mm: [1, 1e-6],
  bn: [1, 1e-9],
};

/** True when some source value v rounds to the prose number: |v·s − p| ≤ ½·10^−d for a scale s of its unit. */
export function hasSource(n: ProseNumber, sources: ProseSources): boolean {
  if (n.date !== undefined) return sources.text.includes(n.date);
  const half = 0.5 * 10 ** -n.decimals * (1 + 1e-9) + 1e-12;
  const scales = n.unit === "" && n.value < 1 ? [1, 100] : SCALES[n.unit] ?? [1];
  const v = sources.values;
  for (const s of scales) {
    const lo = (n.value - half) / s, hi = (n.value + half) / s;
    let a = 0, b = v.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (v[mid] < lo) a = mid + 1;
      else b = mid;
    }
    if (a < v.length && v[a] <= hi) return true;
  }
  return false;
}

/** The numbers of the notebook's Markdown cells with no source in its code or outputs, in cell order. */
export function unsourcedNumbers(notebook: ProseNotebook): UnsourcedNumber[] {
  const sources = notebookSources(notebook);
  const out: UnsourcedNumber[] = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "markdown" || cell.metadata?.tags?.includes(CITED_TAG)) return;
    for (const n of proseNumbers(joinSource(cell.source))) if (!hasSource(n, sources)) out.push({ ...n, cell: index });
  });
  return out;
}
