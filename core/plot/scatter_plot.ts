/**
 * Scatter plots, with an optional text label on each point: makemore part 2's
 * picture of the 2-d character embeddings (`plt.scatter(C[:,0], C[:,1], s=200)`
 * with each character written on its dot).
 *
 * @module
 */

import { drawAxes, layoutAxes } from "./axes.ts";
import { seriesColor } from "./colors.ts";
import { type Figure, makeFigure } from "./figure.ts";
import { checkOptions, describe, type PlotValues, readInt, readText, readValues } from "./input.ts";
import { el, svgDocument, text } from "./svg.ts";
import { ShapeError } from "../errors.ts";

/** Options of `scatterPlot`. */
export interface ScatterPlotOptions {
  /** The x coordinates (an array, a typed array or a CPU tensor). */
  readonly x: PlotValues;
  /** The y coordinates, as many as `x`. */
  readonly y: PlotValues;
  /** A text per point, written centred on its dot (e.g. `itos` for embeddings). */
  readonly labels?: readonly string[];
  /** Text above the plot. */
  readonly title?: string;
  /** The x axis label. */
  readonly xLabel?: string;
  /** The y axis label. */
  readonly yLabel?: string;
  /** Figure width in pixels (default 560). */
  readonly width?: number;
  /** Figure height in pixels (default 560). */
  readonly height?: number;
  /** Light grid lines at the ticks (default true). */
  readonly grid?: boolean;
}

const OPTIONS = ["x", "y", "labels", "title", "xLabel", "yLabel", "width", "height", "grid"];
const SIZE: readonly [number, number] = [80, 10000];

/**
 * Draws one dot per (x, y) pair, with `labels[i]` in white on dot `i` when
 * labels are given (the dots are then large enough to hold a character or
 * two). Points with a NaN or infinite coordinate are skipped, labels with them.
 *
 * @param opts the coordinates, labels and texts
 * @returns the figure
 * @throws {TypeError} on coordinates that are not numbers, labels that are not strings, or an unknown option
 * @throws {RangeError} on empty input, a bad size, or no finite point
 * @throws {ShapeError} when `x`, `y` and `labels` differ in length
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { scatterPlot } from "./scatter_plot.ts";
 * const fig = scatterPlot({ x: [0.1, -1.2, 0.8], y: [1.1, 0.3, -0.5], labels: [".", "a", "b"] });
 * const svg = fig.toSvg();
 * equal(svg.match(/<circle class="point"/g)?.length, 3);
 * equal(svg.match(/class="point-label"[^>]*>a</g)?.length, 1);
 * ```
 */
export function scatterPlot(opts: ScatterPlotOptions): Figure {
  const caller = "scatterPlot";
  checkOptions(opts, OPTIONS, caller);
  const xs = readValues(opts.x, "x", caller), ys = readValues(opts.y, "y", caller);
  if (xs.length !== ys.length) {
    throw new ShapeError(
      `${caller}: x has ${xs.length} values but y has ${ys.length}: expected equal lengths`,
    );
  }
  const labels = readLabels(opts.labels, xs.length, caller);
  const width = readInt(opts.width, "width", caller, 560, SIZE);
  const height = readInt(opts.height, "height", caller, 560, SIZE);
  const texts = {
    title: readText(opts.title, "title", caller),
    xLabel: readText(opts.xLabel, "xLabel", caller),
    yLabel: readText(opts.yLabel, "yLabel", caller),
  };
  const keep: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) keep.push(i);
  }
  if (keep.length === 0) {
    throw new RangeError(`${caller}: no point has finite x and y: nothing to draw`);
  }
  const axes = layoutAxes({
    width,
    height,
    ...texts,
    x: padded(keep.map((i) => xs[i])),
    y: padded(keep.map((i) => ys[i])),
  });
  const { under, over } = drawAxes(axes, texts, opts.grid ?? true, width);
  const r = labels ? 10 : 3.5;
  const marks = keep.map((i) => {
    const cx = axes.x.map(xs[i]), cy = axes.y.map(ys[i]);
    const dot = el("circle", { class: "point", cx, cy, r, fill: seriesColor(0) });
    if (!labels) return dot;
    const label = el(
      "text",
      {
        class: "point-label",
        x: cx,
        y: cy + 3.5,
        "text-anchor": "middle",
        fill: "#fff",
        "font-size": 10,
      },
      text(labels[i]),
    );
    return dot + label;
  });
  const body = [under, ...marks, over].filter((p) => p).join("\n");
  const name = texts.title ? ` ${JSON.stringify(texts.title)}` : "";
  return makeFigure(svgDocument(width, height, body), `scatterPlot${name}: ${keep.length} points`);
}

/** The extent of `v`, widened by 4% each side so dots at the ends stay inside the frame. */
function padded(v: readonly number[]): { min: number; max: number } {
  let min = Infinity, max = -Infinity;
  for (const x of v) [min, max] = [Math.min(min, x), Math.max(max, x)];
  const pad = (max - min) * 0.04;
  return { min: min - pad, max: max + pad };
}

function readLabels(v: unknown, n: number, caller: string): readonly string[] | null {
  if (v === undefined) return null;
  if (!Array.isArray(v)) {
    throw new TypeError(`${caller}: labels is ${describe(v)}: expected an array of strings`);
  }
  if (v.length !== n) {
    throw new ShapeError(
      `${caller}: labels has ${v.length} entries but x has ${n}: expected one label per point`,
    );
  }
  v.forEach((s, i) => {
    if (typeof s !== "string") {
      throw new TypeError(`${caller}: labels[${i}] is ${describe(s)}: expected a string`);
    }
  });
  return v;
}
