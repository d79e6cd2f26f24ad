/**
 * Boolean images: makemore part 3's saturation figure,
 * `plt.imshow(h.abs() > 0.99, cmap="gray", interpolation="nearest")` — one
 * square pixel per element, white where true, black where false.
 *
 * @module
 */

import { drawAxes, layoutAxes } from "./axes.ts";
import { type Figure, makeFigure } from "./figure.ts";
import { checkOptions, type PlotMatrix, readInt, readMatrix, readText } from "./input.ts";
import { el, svgDocument } from "./svg.ts";

/** Options of `booleanImage`. */
export interface BooleanImageOptions {
  /** The rows (booleans or numbers; truthy is white), or a 2-d CPU tensor such as `h.abs().gt(0.99)`. */
  readonly values: PlotMatrix;
  /** Text above the image. */
  readonly title?: string;
  /** The x axis label (columns). */
  readonly xLabel?: string;
  /** The y axis label (rows). */
  readonly yLabel?: string;
  /** The side of one element's square in pixels (default: the largest that keeps the image within 600 px, at most 20). */
  readonly pixelSize?: number;
}

const OPTIONS = ["values", "title", "xLabel", "yLabel", "pixelSize"];

/**
 * Draws the matrix as an image of square pixels: a black background and a
 * white rectangle for each horizontal run of truthy elements in a row
 * (`true`, or a number other than 0 and NaN), with row and column indices on
 * the axes as `imshow` shows them.
 *
 * @param opts the values and texts
 * @returns the figure
 * @throws {TypeError} on values that are not numbers or booleans, or an unknown option
 * @throws {ShapeError} on ragged rows or a tensor that is not 2-d
 * @throws {RangeError} on empty values or a bad pixel size
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { booleanImage } from "./boolean_image.ts";
 * const fig = booleanImage({ values: [[true, true, false], [false, false, true]] });
 * const svg = fig.toSvg();
 * equal(svg.match(/class="pixels"/g)?.length, 2); // one run per row: [0, 2) and [2, 3)
 * ```
 */
export function booleanImage(opts: BooleanImageOptions): Figure {
  const caller = "booleanImage";
  checkOptions(opts, OPTIONS, caller);
  const m = readMatrix(opts.values, "values", caller, true);
  const texts = {
    title: readText(opts.title, "title", caller),
    xLabel: readText(opts.xLabel, "xLabel", caller),
    yLabel: readText(opts.yLabel, "yLabel", caller),
  };
  const fit = Math.max(1, Math.min(20, Math.floor(600 / Math.max(m.rows, m.cols))));
  const px = readInt(opts.pixelSize, "pixelSize", caller, fit, [1, 100]);
  // Pixel i is centred on index i, as imshow places it: the axis spans [-0.5, n - 0.5].
  const axes = layoutAxes({
    width: 0,
    height: 0,
    plotWidth: m.cols * px,
    plotHeight: m.rows * px,
    yDown: true,
    ...texts,
    x: { min: -0.5, max: m.cols - 0.5, nice: false, integer: true },
    y: { min: -0.5, max: m.rows - 0.5, nice: false, integer: true },
  });
  const { left, top } = axes.frame;
  const parts = [el("rect", {
    class: "image-background",
    x: left,
    y: top,
    width: m.cols * px,
    height: m.rows * px,
    fill: "#000",
  })];
  let white = 0;
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols;) {
      if (!truthy(m.data[i * m.cols + j])) {
        j++;
        continue;
      }
      const start = j;
      while (j < m.cols && truthy(m.data[i * m.cols + j])) j++;
      white += j - start;
      parts.push(el("rect", {
        class: "pixels",
        x: left + start * px,
        y: top + i * px,
        width: (j - start) * px,
        height: px,
        fill: "#fff",
        "shape-rendering": "crispEdges",
      }));
    }
  }
  const { over } = drawAxes(axes, texts, false, axes.width);
  const name = texts.title ? ` ${JSON.stringify(texts.title)}` : "";
  return makeFigure(
    svgDocument(axes.width, axes.height, [...parts, over].join("\n")),
    `booleanImage${name}: ${m.rows}×${m.cols}, ${white} white`,
  );
}

function truthy(v: number): boolean {
  return v !== 0 && !Number.isNaN(v);
}
