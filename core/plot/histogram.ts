/**
 * Histograms: the activation and gradient distributions of makemore part 3
 * (`plt.hist(h.view(-1).tolist(), 50)`), several series over shared bins with a
 * legend. NaN and ±Infinity are left out of the counts (the summary says how many).
 *
 * @module
 */

import { drawAxes, layoutAxes } from "./axes.ts";
import { seriesColor } from "./colors.ts";
import { type Figure, makeFigure } from "./figure.ts";
import { checkOptions, type PlotValues, readInt, readText, readValues } from "./input.ts";
import { drawLegend } from "./legend.ts";
import { el, fmtCoord, svgDocument } from "./svg.ts";

/** One distribution of a `histogram`. */
export interface HistogramSeries {
  /** The samples (an array, a typed array or a CPU tensor of any shape). */
  readonly values: PlotValues;
  /** The legend entry. */
  readonly label?: string;
}

/** Options of `histogram`. */
export interface HistogramOptions {
  /** The distributions, drawn over the same bins, translucent when several. */
  readonly series: readonly HistogramSeries[];
  /** The number of equal-width bins between the smallest and largest value (default 50). */
  readonly bins?: number;
  /** Heights as a density (each series' bars have area 1), as `torch.histogram(density=True)`. */
  readonly density?: boolean;
  /** Text above the plot. */
  readonly title?: string;
  /** The x axis label. */
  readonly xLabel?: string;
  /** The y axis label (default "count", or "density"). */
  readonly yLabel?: string;
  /** Figure width in pixels (default 640). */
  readonly width?: number;
  /** Figure height in pixels (default 400). */
  readonly height?: number;
  /** Light grid lines at the ticks (default true). */
  readonly grid?: boolean;
}

const OPTIONS = [
  "series",
  "bins",
  "density",
  "title",
  "xLabel",
  "yLabel",
  "width",
  "height",
  "grid",
];
const SIZE: readonly [number, number] = [80, 10000];

/**
 * Counts each series into `bins` equal bins spanning all series' finite values
 * (the largest value goes into the last bin, as numpy does) and draws one bar
 * per bin and series.
 *
 * @param opts the series, the bin count and the texts
 * @returns the figure
 * @throws {TypeError} on values that are not numbers or an unknown option
 * @throws {RangeError} on no series, an empty series, a bad bin count or size, or no finite value
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { histogram } from "./histogram.ts";
 * const fig = histogram({
 *   series: [{ values: [0.1, 0.2, 0.2, 0.9], label: "layer 1" }, { values: [0.5, 0.5], label: "layer 2" }],
 *   bins: 4,
 * });
 * const svg = fig.toSvg();
 * equal(svg.match(/class="bar"/g)?.length, 8); // 4 bins × 2 series
 * equal(svg.match(/class="legend-entry"/g)?.length, 2);
 * ```
 */
export function histogram(opts: HistogramOptions): Figure {
  const caller = "histogram";
  checkOptions(opts, OPTIONS, caller);
  if (!Array.isArray(opts.series)) {
    throw new TypeError(`${caller}: series must be an array of { values, label? }`);
  }
  if (opts.series.length === 0) {
    throw new RangeError(`${caller}: series is empty: expected at least one series`);
  }
  const series = opts.series.map((s, i) => {
    checkOptions(s, ["values", "label"], `${caller}: series[${i}]`);
    return {
      values: readValues(s.values, `series[${i}].values`, caller),
      label: readText(s.label, `series[${i}].label`, caller),
    };
  });
  const bins = readInt(opts.bins, "bins", caller, 50, [1, 10000]);
  const width = readInt(opts.width, "width", caller, 640, SIZE);
  const height = readInt(opts.height, "height", caller, 400, SIZE);
  const density = opts.density === true;
  const texts = {
    title: readText(opts.title, "title", caller),
    xLabel: readText(opts.xLabel, "xLabel", caller),
    yLabel: readText(opts.yLabel, "yLabel", caller) || (density ? "density" : "count"),
  };
  let lo = Infinity, hi = -Infinity, skipped = 0;
  for (const { values } of series) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) skipped++;
      else [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    }
  }
  if (lo === Infinity) throw new RangeError(`${caller}: no value is finite: nothing to draw`);
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const binWidth = (hi - lo) / bins;
  const heights = series.map(({ values }) => {
    const counts = new Float64Array(bins);
    let n = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      counts[Math.min(bins - 1, Math.floor((v - lo) / binWidth))]++;
      n++;
    }
    if (density && n > 0) { for (let b = 0; b < bins; b++) counts[b] /= n * binWidth; }
    return counts;
  });
  const top = Math.max(...heights.map((h) => Math.max(...h)));
  const axes = layoutAxes({
    width,
    height,
    ...texts,
    x: { min: lo, max: hi },
    y: { min: 0, max: top > 0 ? top : 1 },
  });
  const { under, over } = drawAxes(axes, texts, opts.grid ?? true, width);
  // One series: solid bars. Several: faint bars, each with its outline drawn
  // as a step line so overlapping distributions stay readable.
  const several = series.length > 1;
  const base = axes.y.map(0);
  const edge = (b: number) => axes.x.map(lo + b * binWidth);
  const bars = heights.flatMap((counts, s) => {
    const rects = Array.from(counts, (c, b) =>
      el("rect", {
        class: "bar",
        x: edge(b),
        y: axes.y.map(c),
        width: Math.max(0, edge(b + 1) - edge(b)),
        height: Math.max(0, base - axes.y.map(c)),
        fill: seriesColor(s),
        "fill-opacity": several ? 0.3 : 0.85,
        stroke: several ? undefined : "#fff",
        "stroke-width": several ? undefined : 0.5,
      }));
    if (!several) return rects;
    const steps = Array.from(
      counts,
      (c, b) => `V${fmtCoord(axes.y.map(c))} H${fmtCoord(edge(b + 1))}`,
    );
    const d = `M${fmtCoord(edge(0))},${fmtCoord(base)} ${steps.join(" ")} V${fmtCoord(base)}`;
    return [
      ...rects,
      el("path", {
        class: "outline",
        d,
        fill: "none",
        stroke: seriesColor(s),
        "stroke-width": 1.5,
      }),
    ];
  });
  const legend = drawLegend(
    series.flatMap((s, i) =>
      s.label ? [{ label: s.label, color: seriesColor(i), swatch: "box" as const }] : []
    ),
    axes.frame,
  );
  const body = [under, ...bars, over, legend].filter((p) => p).join("\n");
  const name = texts.title ? ` ${JSON.stringify(texts.title)}` : "";
  const note = skipped > 0 ? ` (${skipped} non-finite values skipped)` : "";
  return makeFigure(
    svgDocument(width, height, body),
    `histogram${name}: ${series.length} series, ${bins} bins${note}`,
  );
}
