/**
 * Chart frames: one self-contained SVG per chart holding a title, a subtitle, a legend, one or more Observable Plot
 * panels and a caption (the data source). A single SVG renders the same inline in Jupyter, VS Code and the HTML
 * reports, and saves to a standalone `.svg` file with {@linkcode savePlot}.
 *
 * Observable Plot needs a DOM: charts are built server-side with linkedom's `document`. A returned chart displays
 * inline in Deno's Jupyter kernel through the `Symbol.for("Jupyter.display")` protocol, as `image/svg+xml`.
 * @module
 */
import { parseHTML } from "linkedom";
import { rangeError, Received, requirementError, typeError } from "../core/check.ts";
import { THEME } from "./style.ts";

/** The linkedom document that every chart is built in; pass it to `Plot.plot({ document })`. */
export const plotDocument: Document = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>")
  .document as unknown as Document;

const SVG_NS = "http://www.w3.org/2000/svg";
const DISPLAY = Symbol.for("Jupyter.display");

/** A finished chart: an `<svg>` element that Jupyter displays inline. */
export type Chart = SVGSVGElement & { readonly title: string };

/** A legend entry: a coloured line, area or point with its label. */
export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly shape?: "line" | "dashed" | "rect" | "dot";
}

/** A continuous colour legend: a gradient bar with tick labels. */
export interface RampLegend {
  readonly label: string;
  /** Colour at evenly spaced points from the domain's low end to its high end. */
  readonly colors: readonly string[];
  /** Tick values and their labels. */
  readonly ticks: readonly { readonly position: number; readonly label: string }[];
}

/** Contents of a chart frame. */
export interface FrameSpec {
  readonly title: string;
  readonly subtitle?: string;
  /** Small print under the chart: units, source, method. */
  readonly caption?: string;
  readonly legend?: readonly LegendItem[] | RampLegend;
  /** Plot outputs (`<svg>` elements), stacked top to bottom. */
  readonly panels: readonly Element[];
  readonly width?: number;
}

/** Creates an SVG element with attributes. */
export function svgElement(tag: string, attributes: Record<string, string | number> = {}, text?: string): Element {
  const el = plotDocument.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Approximate rendered width of a text in px (0.55 em per character; enough for layout decisions). */
function textWidth(text: string, size: number): number {
  return text.length * size * 0.55;
}

/** Splits text into lines no wider than `width` px. */
function wrap(text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (textWidth(next, size) > width && line) (lines.push(line), (line = word));
    else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Assembles a chart: title, subtitle and legend on top, panels in the middle, caption below, on a white
 * background.
 *
 * @throws {TypeError} If the title is empty or no panel is given.
 */
export function frameChart(spec: FrameSpec): Chart {
  if (typeof spec.title !== "string" || spec.title.trim() === "") {
    throw typeError("draw chart", "title", "a non-empty string", spec.title);
  }
  if (spec.panels.length === 0) throw requirementError("draw chart", "panels", "hold at least one plot", 0, "type");
  const width = spec.width ?? THEME.width;
  const pad = 14;
  const root = svgElement("svg", {
    xmlns: SVG_NS,
    width,
    "font-family": THEME.fontFamily,
    "font-size": THEME.fontSize,
    fill: THEME.ink,
    role: "img",
  });
  root.appendChild(svgElement("title", {}, spec.title));
  const background = svgElement("rect", { width: "100%", height: "100%", fill: THEME.background });
  root.appendChild(background);

  let y = pad;
  for (const line of wrap(spec.title, THEME.titleSize, width - 2 * pad)) {
    y += THEME.titleSize + 2;
    root.appendChild(
      svgElement("text", { x: pad, y, "font-size": THEME.titleSize, "font-weight": 600, "aria-label": "title" }, line),
    );
  }
  if (spec.subtitle) {
    for (const line of wrap(spec.subtitle, THEME.subtitleSize, width - 2 * pad)) {
      y += THEME.subtitleSize + 4;
      root.appendChild(
        svgElement(
          "text",
          { x: pad, y, "font-size": THEME.subtitleSize, fill: THEME.muted, "aria-label": "subtitle" },
          line,
        ),
      );
    }
  }
  if (spec.legend) {
    y = Array.isArray(spec.legend)
      ? drawSwatches(root, spec.legend, y + 10, width, pad)
      : drawRamp(root, spec.legend as RampLegend, y + 10, pad);
  }
  y += 8;
  for (const panel of spec.panels) {
    const height = Number(panel.getAttribute("height") ?? THEME.panelHeight);
    panel.setAttribute("x", "0");
    panel.setAttribute("y", String(y));
    root.appendChild(panel);
    y += height + 6;
  }
  if (spec.caption) {
    y += 4;
    for (const line of wrap(spec.caption, THEME.captionSize, width - 2 * pad)) {
      y += THEME.captionSize + 3;
      root.appendChild(
        svgElement(
          "text",
          { x: pad, y, "font-size": THEME.captionSize, fill: THEME.muted, "aria-label": "caption" },
          line,
        ),
      );
    }
  }
  y += pad;
  root.setAttribute("height", String(Math.ceil(y)));
  root.setAttribute("viewBox", `0 0 ${width} ${Math.ceil(y)}`);
  return asChart(root, spec.title);
}

function drawSwatches(root: Element, items: readonly LegendItem[], top: number, width: number, pad: number): number {
  let x = pad, y = top;
  const rowHeight = 18;
  const group = svgElement("g", { "aria-label": "legend" });
  for (const item of items) {
    const w = 24 + textWidth(item.label, THEME.fontSize) + 16;
    if (x + w > width - pad && x > pad) (x = pad), (y += rowHeight);
    const cy = y + 6;
    const shape = item.shape ?? "line";
    if (shape === "rect") {
      group.appendChild(svgElement("rect", { x, y: cy - 6, width: 14, height: 12, fill: item.color }));
    } else if (shape === "dot") group.appendChild(svgElement("circle", { cx: x + 8, cy, r: 4.5, fill: item.color }));
    else {
      group.appendChild(svgElement("line", {
        x1: x,
        x2: x + 18,
        y1: cy,
        y2: cy,
        stroke: item.color,
        "stroke-width": 2.5,
        ...(shape === "dashed" ? { "stroke-dasharray": "4,3" } : {}),
      }));
    }
    group.appendChild(svgElement("text", { x: x + 24, y: cy + 4 }, item.label));
    x += w;
  }
  root.appendChild(group);
  return y + rowHeight;
}

let gradientId = 0;

function drawRamp(root: Element, ramp: RampLegend, top: number, pad: number): number {
  const id = `creditlab-ramp-${++gradientId}`;
  const barWidth = 260, barHeight = 10;
  const group = svgElement("g", { "aria-label": "legend" });
  const defs = svgElement("defs");
  const gradient = svgElement("linearGradient", { id, x1: 0, x2: 1, y1: 0, y2: 0 });
  ramp.colors.forEach((c, i) => {
    gradient.appendChild(svgElement("stop", { offset: `${(100 * i) / (ramp.colors.length - 1)}%`, "stop-color": c }));
  });
  defs.appendChild(gradient);
  group.appendChild(defs);
  group.appendChild(svgElement("text", { x: pad, y: top + 9, "font-weight": 500 }, ramp.label));
  const x0 = pad + textWidth(ramp.label, THEME.fontSize) + 14;
  group.appendChild(svgElement("rect", { x: x0, y: top, width: barWidth, height: barHeight, fill: `url(#${id})` }));
  for (const tick of ramp.ticks) {
    const x = x0 + tick.position * barWidth;
    group.appendChild(
      svgElement("line", { x1: x, x2: x, y1: top + barHeight, y2: top + barHeight + 4, stroke: THEME.ink }),
    );
    group.appendChild(
      svgElement("text", { x, y: top + barHeight + 15, "text-anchor": "middle", "font-size": 10.5 }, tick.label),
    );
  }
  root.appendChild(group);
  return top + barHeight + 20;
}

function asChart(root: Element, title: string): Chart {
  Object.defineProperty(root, "title", { value: title });
  Object.defineProperty(root, DISPLAY, {
    value: () => ({ "image/svg+xml": root.outerHTML, "text/plain": `[chart] ${title}` }),
  });
  return root as unknown as Chart;
}

/**
 * Writes a chart as a standalone `.svg` file (with an XML declaration), e.g. for a paper or a slide.
 *
 * @param chart A chart from one of the `lib/charts` helpers (`timeSeriesChart`, `heatmapChart`, …).
 * @param path Destination file; parent directories must exist.
 * @throws {TypeError} If `chart` is not a chart or `path` not a non-empty path or URL. @throws {RangeError} If the
 *   file cannot be written (its directory is missing, say), with the reason.
 */
export function savePlot(chart: Element, path: string | URL): void {
  const action = "save plot";
  if (!chart || typeof (chart as Element).outerHTML !== "string" || !(chart as Element).outerHTML.startsWith("<svg")) {
    throw typeError(action, "chart", "an <svg> element from lib/charts", chart);
  }
  if (!(path instanceof URL) && (typeof path !== "string" || path === "")) {
    throw typeError(action, "path", "a non-empty file path or a file URL", path);
  }
  try {
    Deno.writeTextFileSync(path, `<?xml version="1.0" encoding="UTF-8"?>\n${chart.outerHTML}\n`);
  } catch (error) {
    const reason = (error as Error)?.message?.split("\n")[0] ?? String(error);
    throw rangeError(
      action,
      "path",
      "a writable file whose directory exists",
      new Received(`${String(path)} (${reason})`),
    );
  }
}
