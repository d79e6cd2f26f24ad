/**
 * Axis scales: data value → pixel, with "nice" ticks (steps of 1, 2 or 5 × 10^k,
 * labels without float noise such as `0.30000000000000004`) for linear axes and
 * powers of ten for log axes.
 *
 * @module
 */

/** One tick of an axis. */
export interface Tick {
  /** The data value the tick marks. */
  readonly value: number;
  /** Its label; `""` for an unlabelled minor tick. */
  readonly label: string;
  /** For log axes: the label is `10` with this exponent as a superscript. */
  readonly exponent?: number;
}

/** A mapping from data values to pixels along one axis, with its ticks. */
export interface Scale {
  /** Whether values are placed by their base-10 logarithm. */
  readonly log: boolean;
  /** The data interval the axis spans (after rounding out to nice values). */
  readonly domain: readonly [number, number];
  /** The pixel positions of `domain[0]` and `domain[1]`. */
  readonly range: readonly [number, number];
  /** The labelled ticks, then the minor ones (log axes only; those have `""` labels, except 2 and 5 on a one-decade axis). */
  readonly ticks: readonly Tick[];
  /** Maps a data value to its pixel position. */
  map(v: number): number;
}

/** How to build a scale. */
export interface ScaleSpec {
  /** Smallest finite data value (positive for log scales). */
  readonly min: number;
  /** Largest finite data value. */
  readonly max: number;
  /** Pixel positions of the low and high ends (the y axis runs bottom → top). */
  readonly range: readonly [number, number];
  /** Place values by log10. */
  readonly log?: boolean;
  /** Round the domain out to tick values (default true); false keeps min/max exactly. */
  readonly nice?: boolean;
  /** At most this many labelled ticks (default 8; at least 3 on a nice linear axis, 2 otherwise). */
  readonly maxTicks?: number;
  /** Ticks on integers only (pixel indices of an image). */
  readonly integer?: boolean;
}

/**
 * The smallest step of 1, 2 or 5 × 10^k that is at least `raw`.
 *
 * @param raw the wanted step, > 0
 * @returns the nice step
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { niceStep } from "./scale.ts";
 * equal(niceStep(0.13), 0.2);
 * equal(niceStep(3), 5);
 * equal(niceStep(700), 1000);
 * ```
 */
export function niceStep(raw: number): number {
  const e = Math.floor(Math.log10(raw));
  const base = 10 ** e;
  for (const m of [1, 2, 5, 10]) {
    const step = clean(m * base);
    if (step >= raw * (1 - 1e-12)) return step;
  }
  return clean(10 * base);
}

/**
 * Formats a tick value so that ticks `step` apart read distinctly and without
 * float noise: fixed decimals for ordinary magnitudes, `1.5e6`-style beyond.
 *
 * @param v the tick value
 * @param step the distance between ticks
 * @returns the label
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { formatTick } from "./scale.ts";
 * equal(formatTick(0.1 + 0.2, 0.1), "0.3");
 * equal(formatTick(2000, 500), "2000");
 * equal(formatTick(1500000, 500000), "1.5e6");
 * equal(formatTick(-0, 1), "0");
 * ```
 */
export function formatTick(v: number, step: number): string {
  if (v === 0 || Math.abs(v) < step * 1e-9) return "0";
  const mag = Math.floor(Math.log10(Math.abs(v)));
  const stepMag = Math.floor(Math.log10(step) + 1e-9);
  if (mag >= 6 || mag <= -5) {
    const digits = Math.max(0, Math.min(15, mag - stepMag));
    return v.toExponential(digits).replace(/\.?0+e/, "e").replace("e+", "e");
  }
  return v.toFixed(Math.max(0, Math.min(15, -stepMag)));
}

/**
 * Builds a scale: the domain (rounded out to nice values unless `nice: false`),
 * the ticks, and the value → pixel map.
 *
 * @param spec the data extent, pixel range and options
 * @returns the scale
 * @throws {RangeError} when a log scale gets a non-positive `min`
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { makeScale } from "./scale.ts";
 * const s = makeScale({ min: 0.13, max: 0.92, range: [0, 100] });
 * deepEqual(s.domain, [0, 1]);
 * deepEqual(s.ticks.map((t) => t.label), ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
 * equal(s.map(0.5), 50);
 * const l = makeScale({ min: 0.002, max: 3, range: [0, 400], log: true });
 * deepEqual(l.domain, [0.001, 10]);
 * deepEqual(l.ticks.filter((t) => t.label).map((t) => t.exponent), [-3, -2, -1, 0, 1]);
 * ```
 */
export function makeScale(spec: ScaleSpec): Scale {
  return spec.log ? logScale(spec) : linearScale(spec);
}

function linearScale(spec: ScaleSpec): Scale {
  let { min, max } = spec;
  if (min === max) {
    const half = spec.integer ? 1 : Math.abs(min) * 0.5 || 1;
    [min, max] = [min - half, max + half];
  }
  const nice = spec.nice ?? true;
  // A nice domain around zero always has a tick at each end and one at 0.
  const maxTicks = Math.max(nice ? 3 : 2, spec.maxTicks ?? 8);
  let step = niceStep((max - min) / (maxTicks - 1));
  if (spec.integer) step = Math.max(1, step);
  // Rounding out can add a tick at each end; widen the step until the count fits
  // (a few rounds at most: each one at least doubles the step).
  let lo = min, hi = max;
  for (let round = 0; round < 60; round++) {
    if (nice) {
      [lo, hi] = [clean(Math.floor(min / step) * step), clean(Math.ceil(max / step) * step)];
    }
    if (tickCount(lo, hi, step) <= maxTicks) break;
    step = niceStep(step * 1.5);
  }
  const ticks: Tick[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) {
    const value = clean(i * step);
    ticks.push({ value, label: formatTick(value, step) });
  }
  return mapping(false, [lo, hi], spec.range, ticks);
}

function logScale(spec: ScaleSpec): Scale {
  if (!(spec.min > 0)) {
    throw new RangeError(`Cannot build a log scale from min ${spec.min}: expected a value > 0`);
  }
  const nice = spec.nice ?? true;
  let e0 = Math.floor(Math.log10(spec.min) + 1e-12);
  let e1 = Math.ceil(Math.log10(spec.max) - 1e-12);
  if (e1 <= e0) e1 = e0 + 1;
  const lo = nice ? 10 ** e0 : spec.min, hi = nice ? 10 ** e1 : spec.max;
  if (!nice) [e0, e1] = [Math.ceil(Math.log10(lo) - 1e-12), Math.floor(Math.log10(hi) + 1e-12)];
  const maxTicks = Math.max(2, spec.maxTicks ?? 8);
  const every = Math.max(1, Math.ceil((e1 - e0 + 1) / maxTicks));
  const major: Tick[] = [], minor: Tick[] = [];
  for (let e = e0; e <= e1; e++) {
    if ((e - e0) % every === 0) major.push({ value: 10 ** e, label: `10^${e}`, exponent: e });
  }
  if (e1 - e0 <= 6) {
    for (let e = e0 - 1; e <= e1; e++) {
      for (let m = 2; m <= 9; m++) {
        const v = clean(m * 10 ** e);
        if (v < lo || v > hi) continue;
        // Within a single decade the powers of ten alone say too little: label 2 and 5 too.
        const label = e1 - e0 === 1 && (m === 2 || m === 5) ? formatTick(v, 10 ** e) : "";
        minor.push({ value: v, label });
      }
    }
  }
  return mapping(true, [lo, hi], spec.range, [...major, ...minor]);
}

function mapping(
  log: boolean,
  domain: [number, number],
  range: readonly [number, number],
  ticks: Tick[],
): Scale {
  const t = log ? Math.log10 : (v: number) => v;
  const t0 = t(domain[0]), span = t(domain[1]) - t0;
  const [p0, p1] = range;
  return {
    log,
    domain,
    range,
    ticks,
    map: (v) => p0 + ((t(v) - t0) / span) * (p1 - p0),
  };
}

function tickCount(lo: number, hi: number, step: number): number {
  return Math.floor(hi / step + 1e-9) - Math.ceil(lo / step - 1e-9) + 1;
}

/** Drops float noise: `0.30000000000000004` → `0.3`. */
function clean(v: number): number {
  return Number(v.toPrecision(12));
}
