/**
 * The legend box of a plot with several series: one entry per labelled series,
 * a line or a filled square in its colour, at the top right inside the frame.
 *
 * @module
 */

import { CHAR_WIDTH, type Frame } from "./axes.ts";
import { el, text } from "./svg.ts";

/** One legend entry. */
export interface LegendEntry {
  readonly label: string;
  readonly color: string;
  /** A line sample (line plots) or a filled square (histograms). */
  readonly swatch: "line" | "box";
}

const ROW = 16;

/**
 * Draws the legend; nothing when no entry has a label.
 *
 * @param entries the series, in order
 * @param frame the plot area
 * @returns the `<g class="legend">` markup, or `""`
 */
export function drawLegend(entries: readonly LegendEntry[], frame: Frame): string {
  if (entries.length === 0) return "";
  const textWidth = Math.max(...entries.map((e) => e.label.length * CHAR_WIDTH));
  const width = 8 + 22 + 6 + textWidth + 8, height = 6 + entries.length * ROW + 2;
  const x0 = frame.left + frame.width - width - 8, y0 = frame.top + 8;
  const parts = [el("rect", {
    x: x0,
    y: y0,
    width,
    height,
    rx: 3,
    fill: "#fff",
    "fill-opacity": 0.85,
    stroke: "#ccc",
  })];
  entries.forEach((e, i) => {
    const cy = y0 + 6 + i * ROW + ROW / 2 - 1;
    const swatch = e.swatch === "line"
      ? el("line", { x1: x0 + 8, y1: cy, x2: x0 + 30, y2: cy, stroke: e.color, "stroke-width": 2 })
      : el("rect", {
        x: x0 + 12,
        y: cy - 5,
        width: 12,
        height: 10,
        fill: e.color,
        "fill-opacity": 0.7,
      });
    parts.push(el(
      "g",
      { class: "legend-entry" },
      swatch,
      el("text", { x: x0 + 36, y: cy + 4 }, text(e.label)),
    ));
  });
  return el("g", { class: "legend" }, ...parts);
}
