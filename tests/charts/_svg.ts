/** Helpers of the chart tests: days, SVG parsing and the Jupyter display bundle. */
import { DOMParser } from "linkedom";

/** n consecutive days from 2024-01-01 (UTC midnight). */
export const days = (n: number): Date[] =>
  Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 86_400_000));
/** An SVG string parsed as a document. */
// deno-lint-ignore no-explicit-any
export const parse = (svg: string): any => new DOMParser().parseFromString(svg, "image/svg+xml");
/** Text contents of every `<text>` element. */
export const texts = (svg: string): (string | null)[] =>
  [...parse(svg).querySelectorAll("text")].map((t: Element) => t.textContent);
/** The bundle a chart gives Jupyter's display protocol. */
export const display = (x: unknown): Record<string, string> =>
  (x as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
/** SVG with the legend gradient ids (a module-wide counter) normalised, to compare two renderings. */
export const withoutRampIds = (svg: string): string => svg.replace(/creditlab-ramp-\d+/g, "creditlab-ramp");
