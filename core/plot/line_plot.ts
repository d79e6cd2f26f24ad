/**
 * Line plots: loss curves and anything else drawn as y against x, several
 * series with a legend, optional log axes. NaN and ±Infinity (and values ≤ 0
 * on a log axis) are skipped: the line breaks there and starts again.
 *
 * @module
 */

import { drawAxes, layoutAxes } from "./axes.ts";
import { seriesColor } from "./colors.ts";
import { type Figure, makeFigure } from "./figure.ts";
import { checkOptions, type PlotValues, readInt, readText, readValues } from "./input.ts";
import { drawLegend } from "./legend.ts";
import { el, fmtCoord, svgDocument } from "./svg.ts";
import { ShapeError } from "../errors.ts";

/** One line of a `linePlot`. */
export interface LineSeries {
  /** The values (an array, a typed array or a CPU tensor). */
  readonly y: PlotValues;
  /** Their x positions (default 0, 1, 2, …); as long as `y`. */
  readonly x?: PlotValues;
  /** The legend entry (series without a label are left out of the legend). */
  readonly label?: string;
}

/** Options of `linePlot`. */
export interface LinePlotOptions {
  /** The lines, drawn in order in matplotlib's colour cycle. */
  readonly series: readonly LineSeries[];
  /** Text above the plot. */
  readonly title?: string;
  /** The x axis label. */
  readonly xLabel?: string;
  /** The y axis label. */
  readonly yLabel?: string;
  /** Log-scale x axis (ticks at powers of ten). */
  readonly logX?: boolean;
  /** Log-scale y axis (ticks at powers of ten). */
  readonly logY?: boolean;
  /** Figure width in pixels (default 640). */
  readonly width?: number;
  /** Figure height in pixels (default 400). */
  readonly height?: number;
  /** Light grid lines at the ticks (default true). */
  readonly grid?: boolean;
}

const OPTIONS = ["series", "title", "xLabel", "yLabel", "logX", "logY", "width", "height", "grid"];
const SIZE: readonly [number, number] = [80, 10000];

/**
 * Draws y against x for one or more series, as matplotlib's `plt.plot`.
 * Series longer than a few points per pixel are thinned to each pixel column's
 * first, lowest, highest and last point, so a 200,000-step loss curve stays a
 * small file with the same envelope.
 *
 * @param opts the series and the figure's texts and axes
 * @returns the figure
 * @throws {TypeError} on a series that is not numbers, a non-string label or an unknown option
 * @throws {RangeError} on no series, an empty series, a bad size, or nothing finite to draw
 * @throws {ShapeError} when a series' `x` and `y` differ in length
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { linePlot } from "./line_plot.ts";
 * const fig = linePlot({
 *   series: [{ y: [3.3, 2.9, 2.6, 2.4], label: "train" }, { y: [3.3, 3.0, 2.8, 2.7], label: "val" }],
 *   title: "loss", xLabel: "step", yLabel: "loss",
 * });
 * const svg = fig.toSvg();
 * equal(svg.match(/class="series"/g)?.length, 2);
 * equal(svg.match(/class="legend-entry"/g)?.length, 2);
 * ok(svg.includes(">loss</text>"));
 * // await fig.save("loss.svg");
 * ```
 */
export function linePlot(opts: LinePlotOptions): Figure {
  const caller = "linePlot";
  checkOptions(opts, OPTIONS, caller);
  const series = readSeries(opts.series, caller, opts.logX === true, opts.logY === true);
  const width = readInt(opts.width, "width", caller, 640, SIZE);
  const height = readInt(opts.height, "height", caller, 400, SIZE);
  const texts = {
    title: readText(opts.title, "title", caller),
    xLabel: readText(opts.xLabel, "xLabel", caller),
    yLabel: readText(opts.yLabel, "yLabel", caller),
  };
  const ext = extent(series);
  if (ext === null) {
    const what = opts.logX || opts.logY ? "finite (and, on a log axis, positive)" : "finite";
    throw new RangeError(`${caller}: no point has ${what} x and y: nothing to draw`);
  }
  const axes = layoutAxes({
    width,
    height,
    ...texts,
    x: { min: ext.xMin, max: ext.xMax, log: opts.logX === true },
    y: { min: ext.yMin, max: ext.yMax, log: opts.logY === true },
  });
  const { under, over } = drawAxes(axes, texts, opts.grid ?? true, width);
  const lines = series.map((s, i) => {
    const pts = s.points.map(([x, y]): Point => (isNaN(x) ? nan2 : [axes.x.map(x), axes.y.map(y)]));
    return el("path", {
      class: "series",
      d: pathData(thin(pts, s.monotonic)),
      fill: "none",
      stroke: seriesColor(i),
      "stroke-width": 1.5,
      "stroke-linejoin": "round",
      "stroke-linecap": "round",
    });
  });
  const legend = drawLegend(
    series.flatMap((s, i) =>
      s.label ? [{ label: s.label, color: seriesColor(i), swatch: "line" as const }] : []
    ),
    axes.frame,
  );
  const body = [under, ...lines, over, legend].filter((p) => p).join("\n");
  const name = texts.title ? ` ${JSON.stringify(texts.title)}` : "";
  return makeFigure(svgDocument(width, height, body), `linePlot${name}: ${series.length} series`);
}

type Point = readonly [number, number];
const nan2: Point = [NaN, NaN];

interface ReadSeries {
  /** Points; a gap (non-drawable point) is `[NaN, NaN]`. */
  points: Point[];
  label: string;
  /** x never decreases (so pixel columns can be thinned). */
  monotonic: boolean;
}

function readSeries(v: unknown, caller: string, logX: boolean, logY: boolean): ReadSeries[] {
  if (!Array.isArray(v)) {
    throw new TypeError(`${caller}: series must be an array of { y, x?, label? }`);
  }
  if (v.length === 0) {
    throw new RangeError(`${caller}: series is empty: expected at least one series`);
  }
  return v.map((s, i) => {
    checkOptions(s, ["y", "x", "label"], `${caller}: series[${i}]`);
    const y = readValues(s.y, `series[${i}].y`, caller);
    const x = s.x === undefined ? null : readValues(s.x, `series[${i}].x`, caller);
    if (x !== null && x.length !== y.length) {
      throw new ShapeError(
        `${caller}: series[${i}].x has ${x.length} values but series[${i}].y has ${y.length}: expected equal lengths`,
      );
    }
    const ok = (v: number, log: boolean) => Number.isFinite(v) && (!log || v > 0);
    const points: Point[] = [];
    let monotonic = true, last = -Infinity;
    for (let j = 0; j < y.length; j++) {
      const xj = x === null ? j : x[j], yj = y[j];
      if (!ok(xj, logX) || !ok(yj, logY)) {
        points.push(nan2);
        continue;
      }
      if (xj < last) monotonic = false;
      last = xj;
      points.push([xj, yj]);
    }
    return { points, label: readText(s.label, `series[${i}].label`, caller), monotonic };
  });
}

function extent(series: readonly ReadSeries[]) {
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  for (const s of series) {
    for (const [x, y] of s.points) {
      if (isNaN(x)) continue;
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
  }
  return xMin === Infinity ? null : { xMin, xMax, yMin, yMax };
}

/**
 * Keeps, for each whole-pixel column of a run, its first, lowest, highest and
 * last point (in their original order); gaps are kept. Only for x that never
 * decreases, and only when there are more points than a few per pixel.
 */
function thin(pts: readonly Point[], monotonic: boolean): Point[] {
  if (!monotonic || pts.length < 4096) return pts.slice();
  const out: Point[] = [];
  let col: Point[] = [];
  const flush = () => {
    if (col.length === 0) return;
    let lo = col[0], hi = col[0];
    for (const p of col) {
      if (p[1] > lo[1]) lo = p; // larger pixel y is lower on screen
      if (p[1] < hi[1]) hi = p;
    }
    const keep = new Set([col[0], lo, hi, col[col.length - 1]]);
    for (const p of col) if (keep.has(p)) out.push(p);
    col = [];
  };
  for (const p of pts) {
    if (isNaN(p[0])) {
      flush();
      out.push(p);
    } else {
      if (col.length > 0 && Math.floor(col[0][0]) !== Math.floor(p[0])) flush();
      col.push(p);
    }
  }
  flush();
  return out;
}

/** `M x,y L x,y …`, a new `M` after each gap; a lone point becomes a dot (`h0` with round caps). */
function pathData(pts: readonly Point[]): string {
  const parts: string[] = [];
  let run = 0;
  for (const [x, y] of pts) {
    if (isNaN(x)) {
      if (run === 1) parts.push("h0");
      run = 0;
      continue;
    }
    parts.push(`${run === 0 ? "M" : "L"}${fmtCoord(x)},${fmtCoord(y)}`);
    run++;
  }
  if (run === 1) parts.push("h0");
  return parts.join(" ");
}
