/**
 * Colours of the plots: the ten-colour cycle that matplotlib's figures in the
 * lectures use for series, and the "Blues" ramp of the bigram count heatmap.
 *
 * @module
 */

/** Series colours, in order (matplotlib's `tab10`). */
export const SERIES_COLORS: readonly string[] = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

/**
 * The colour of the `i`-th series (the cycle repeats after ten).
 *
 * @param i the series index
 * @returns a `#rrggbb` colour
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { seriesColor } from "./colors.ts";
 * equal(seriesColor(0), "#1f77b4");
 * equal(seriesColor(10), "#1f77b4");
 * ```
 */
export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length];
}

// Stops of the "Blues" ramp, light to dark (ColorBrewer's 9-class Blues).
const BLUES: readonly (readonly [number, number, number])[] = [
  [247, 251, 255],
  [222, 235, 247],
  [198, 219, 239],
  [158, 202, 225],
  [107, 174, 214],
  [66, 146, 198],
  [33, 113, 181],
  [8, 81, 156],
  [8, 48, 107],
];

/**
 * The "Blues" colour of `t` in [0, 1] (0 near white, 1 dark blue), linearly
 * interpolated between the ramp's stops; `t` outside [0, 1] is clamped.
 *
 * @param t the position on the ramp
 * @returns `{ fill, dark }`: the colour and whether text on it should be light
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { blues } from "./colors.ts";
 * deepEqual(blues(0), { fill: "#f7fbff", dark: false });
 * deepEqual(blues(1), { fill: "#08306b", dark: true });
 * ```
 */
export function blues(t: number): { fill: string; dark: boolean } {
  const x = Math.min(1, Math.max(0, t)) * (BLUES.length - 1);
  const i = Math.min(BLUES.length - 2, Math.floor(x)), f = x - i;
  const rgb = [0, 1, 2].map((c) => Math.round(BLUES[i][c] + f * (BLUES[i + 1][c] - BLUES[i][c])));
  // Relative luminance (sRGB weights, no gamma): light text on dark fills.
  const luminance = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
  return {
    fill: `#${rgb.map((c) => c.toString(16).padStart(2, "0")).join("")}`,
    dark: luminance < 0.5,
  };
}
