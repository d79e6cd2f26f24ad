/**
 * The frame of a plot: margins sized to the tick labels, the two scales, and
 * the markup of grid lines, axis lines, ticks, tick labels, axis labels and
 * title. Tick counts are chosen so that labels never overlap.
 *
 * @module
 */

import { makeScale, type Scale, type Tick } from "./scale.ts";
import { el, fmtCoord, text } from "./svg.ts";

/** The plot area inside the figure, in pixels. */
export interface Frame {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** The data extent of one axis and how to draw it. */
export interface AxisExtent {
  readonly min: number;
  readonly max: number;
  readonly log?: boolean;
  /** Round the domain out to ticks (default true). */
  readonly nice?: boolean;
  /** Integer ticks only. */
  readonly integer?: boolean;
}

/** What `layoutAxes` needs. */
export interface AxesSpec {
  /** The figure's size; ignored along an axis whose plot size is given. */
  readonly width: number;
  readonly height: number;
  /** A fixed size for the plot area (images: whole pixels); the figure grows around it. */
  readonly plotWidth?: number;
  readonly plotHeight?: number;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: AxisExtent;
  readonly y: AxisExtent;
  /** Row 0 at the top (images) instead of the y axis growing upwards. */
  readonly yDown?: boolean;
}

/** A laid-out plot: where the data goes and how values map there. */
export interface Axes {
  /** The figure's size. */
  readonly width: number;
  readonly height: number;
  readonly frame: Frame;
  readonly x: Scale;
  readonly y: Scale;
}

/** Pixel width of one character of the 11px tick font (a generous average). */
export const CHAR_WIDTH = 6.6;
const TICK = 5;
const FONT = 11;
const TITLE_FONT = 14;

/**
 * Lays out a plot: sizes the margins from the title, axis labels and tick
 * labels, and builds the scales so that neighbouring tick labels keep a gap.
 *
 * @param spec the figure size, texts and data extents
 * @returns the frame and the scales
 */
export function layoutAxes(spec: AxesSpec): Axes {
  const top = spec.title ? 34 : 14;
  const bottom = TICK + FONT + 10 + (spec.xLabel ? FONT + 8 : 0);
  const plotHeight = spec.plotHeight ?? Math.max(20, spec.height - top - bottom);
  const yRange: [number, number] = spec.yDown ? [top, top + plotHeight] : [top + plotHeight, top];
  const yTicks = Math.min(8, Math.max(3, Math.floor(plotHeight / 45)));
  const y = makeScale({ ...spec.y, range: yRange, maxTicks: yTicks });
  const yLabelWidth = Math.max(0, ...y.ticks.map(labelWidth));
  const left = Math.ceil(8 + (spec.yLabel ? FONT + 10 : 0) + yLabelWidth + TICK + 4);
  const xAt = (maxTicks: number, right: number) => {
    const plotWidth = spec.plotWidth ?? Math.max(20, spec.width - left - right);
    return makeScale({ ...spec.x, range: [left, left + plotWidth], maxTicks });
  };
  let x: Scale, right = 16;
  // Fewer ticks until the widest label (plus a gap) fits between neighbours; the
  // right margin holds half of the last label.
  for (let maxTicks = 10;; maxTicks--) {
    x = xAt(maxTicks, 16);
    const widest = Math.max(0, ...x.ticks.map(labelWidth));
    right = Math.max(16, widest / 2 + 4);
    if (right > 16) x = xAt(maxTicks, right);
    const px = x.ticks.filter((t) => t.label).map((t) => x.map(t.value));
    const gap = Math.min(Infinity, ...px.slice(1).map((p, i) => Math.abs(p - px[i])));
    if (gap >= widest + 12) break;
    if (maxTicks <= 2) {
      // Still too tight (a tiny figure): label only every k-th tick.
      const labelled = x.ticks.filter((t) => t.label).length;
      const k = Math.max(1, Math.min(labelled - 1, Math.ceil((widest + 12) / gap)));
      let i = 0;
      const ticks = x.ticks.map((
        t,
      ) => (t.label && i++ % k !== 0 ? { value: t.value, label: "" } : t));
      x = { ...x, ticks };
      break;
    }
  }
  const frame = { left, top, width: x.range[1] - left, height: plotHeight };
  return {
    width: spec.plotWidth === undefined ? spec.width : left + spec.plotWidth + right,
    height: spec.plotHeight === undefined ? spec.height : top + plotHeight + bottom,
    frame,
    x,
    y,
  };
}

/**
 * The markup of the axes, in two layers: `under` (grid lines, drawn before the
 * data) and `over` (frame, ticks, labels, title, drawn after it).
 *
 * @param axes the laid-out plot
 * @param texts the title and axis labels
 * @param grid draw light grid lines at the labelled ticks
 * @param figureWidth the figure's width (to centre the title)
 * @returns the two layers
 */
export function drawAxes(
  axes: Axes,
  texts: { title: string; xLabel: string; yLabel: string },
  grid: boolean,
  figureWidth: number,
): { under: string; over: string } {
  const { frame: f, x, y } = axes;
  const bottom = f.top + f.height, right = f.left + f.width;
  const under: string[] = [], over: string[] = [];
  for (const t of x.ticks) {
    const px = x.map(t.value);
    if (grid && t.label) under.push(gridLine(px, f.top, px, bottom));
    const len = t.label ? TICK : TICK / 2;
    over.push(el("line", { x1: px, y1: bottom, x2: px, y2: bottom + len, stroke: "#333" }));
    if (t.label) {
      over.push(tickLabel(t, "x-tick", px, bottom + TICK + FONT + 1, "middle"));
    }
  }
  for (const t of y.ticks) {
    const py = y.map(t.value);
    if (grid && t.label) under.push(gridLine(f.left, py, right, py));
    const len = t.label ? TICK : TICK / 2;
    over.push(el("line", { x1: f.left - len, y1: py, x2: f.left, y2: py, stroke: "#333" }));
    if (t.label) over.push(tickLabel(t, "y-tick", f.left - TICK - 3, py + FONT * 0.35, "end"));
  }
  over.push(el("rect", {
    class: "frame",
    x: f.left,
    y: f.top,
    width: f.width,
    height: f.height,
    fill: "none",
    stroke: "#333",
  }));
  if (texts.xLabel) {
    over.push(el(
      "text",
      {
        class: "x-label",
        x: f.left + f.width / 2,
        y: bottom + TICK + FONT * 2 + 10,
        "text-anchor": "middle",
      },
      text(texts.xLabel),
    ));
  }
  if (texts.yLabel) {
    const cx = 8 + FONT, cy = f.top + f.height / 2;
    over.push(el(
      "text",
      {
        class: "y-label",
        x: cx,
        y: cy,
        "text-anchor": "middle",
        transform: `rotate(-90 ${fmtCoord(cx)} ${fmtCoord(cy)})`,
      },
      text(texts.yLabel),
    ));
  }
  if (texts.title) over.push(drawTitle(texts.title, figureWidth));
  return { under: under.join("\n"), over: over.join("\n") };
}

/**
 * The figure title, centred at the top.
 *
 * @param title the text
 * @param figureWidth the figure's width
 * @returns the `<text class="title">` element
 */
export function drawTitle(title: string, figureWidth: number): string {
  return el(
    "text",
    { class: "title", x: figureWidth / 2, y: 22, "text-anchor": "middle", "font-size": TITLE_FONT },
    text(title),
  );
}

/**
 * The estimated pixel width of a tick's label.
 *
 * @param t the tick
 * @returns the width (0 for unlabelled ticks)
 */
export function labelWidth(t: Tick): number {
  if (!t.label) return 0;
  if (t.exponent === undefined) return t.label.length * CHAR_WIDTH;
  return 2 * CHAR_WIDTH + String(t.exponent).length * CHAR_WIDTH * 0.75;
}

function gridLine(x1: number, y1: number, x2: number, y2: number): string {
  return el("line", { class: "grid", x1, y1, x2, y2, stroke: "#e5e5e5" });
}

function tickLabel(t: Tick, cls: string, x: number, y: number, anchor: string): string {
  const attrs = { class: cls, x, y, "text-anchor": anchor };
  if (t.exponent === undefined) return el("text", attrs, text(t.label));
  // 10 with the exponent raised: 10⁻³ as matplotlib draws log ticks.
  return el(
    "text",
    attrs,
    "10",
    el("tspan", { dy: -4, "font-size": 8 }, text(String(t.exponent))),
  );
}
