/**
 * TeX to HTML at report time with KaTeX (pinned in deno.json): {@linkcode renderTex} turns one expression into
 * KaTeX's HTML (with MathML for screen readers and copy), and {@linkcode katexStyle} returns KaTeX's stylesheet with
 * its WOFF2 fonts inlined as `data:` URLs, so a report shows its formulas without fetching anything.
 * @module
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import katex from "katex";

/** The KaTeX version behind the reports. */
export const KATEX_VERSION: string = katex.version;

/** A TeX expression KaTeX cannot render, with the expression. */
export class TexError extends Error {}

/**
 * Renders one TeX expression (without its `$` delimiters) to HTML; `display` for a centred block.
 * @throws {TexError} If KaTeX cannot parse the expression.
 */
export function renderTex(tex: string, display: boolean): string {
  try {
    return katex.renderToString(tex, {
      displayMode: display,
      output: "htmlAndMathml",
      throwOnError: true,
      strict: "ignore",
      trust: false,
    });
  } catch (error) {
    throw new TexError(`KaTeX cannot render ${JSON.stringify(tex)}: ${(error as Error).message}`);
  }
}

let style: string | undefined;

/** KaTeX's CSS with every font as an inlined WOFF2 `data:` URL (about 400 kB, computed once). */
export function katexStyle(): string {
  if (style !== undefined) return style;
  const css = createRequire(import.meta.url).resolve("katex/dist/katex.min.css");
  const fonts = join(dirname(css), "fonts");
  style = Deno.readTextFileSync(css).replace(/src:\s*url\(fonts\/([\w-]+)\.woff2\)[^;}]*/g, (_, name: string) => {
    const data = Deno.readFileSync(join(fonts, `${name}.woff2`));
    return `src:url(data:font/woff2;base64,${encodeBase64(data)}) format("woff2")`;
  });
  if (/url\((?!data:)/.test(style)) throw new Error("katex.min.css still refers to a font file after inlining");
  return style;
}

function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
