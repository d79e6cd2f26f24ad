/**
 * Plots as SVG, for the lectures' figures: `linePlot` (loss curves, log axes),
 * `scatterPlot` (labelled points), `histogram` (distributions), `heatmap`
 * (cells with text) and `booleanImage` (true/false pixels). Each returns a
 * `Figure`: `toSvg()`, `save("fig.svg")`, and an inline display in `deno jupyter`.
 *
 * @module
 */

export { booleanImage, type BooleanImageOptions } from "./boolean_image.ts";
export { type Figure, jupyterDisplay } from "./figure.ts";
export { heatmap, type HeatmapOptions } from "./heatmap.ts";
export { histogram, type HistogramOptions, type HistogramSeries } from "./histogram.ts";
export type { PlotMatrix, PlotValues, TensorLike } from "./input.ts";
export { linePlot, type LinePlotOptions, type LineSeries } from "./line_plot.ts";
export { scatterPlot, type ScatterPlotOptions } from "./scatter_plot.ts";
