/**
 * The two-moons toy data set (scikit-learn's `make_moons`), generated
 * deterministically from a seed.
 *
 * @module
 */

import { mulberry32, type Rng } from "./seeded.ts";
import { checkBoolean, checkNumber, checkOptions } from "../validate.ts";

/** Options of {@link makeMoons}. */
export interface MoonsOptions {
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0.1). */
  noise?: number;
  /** Seed of the {@link mulberry32} generator that drives shuffling and noise (default 1). */
  seed?: number;
  /** Shuffle the points, as scikit-learn does by default (default true). */
  shuffle?: boolean;
}

/** A two-moons data set: points and their ±1 labels. */
export interface Moons {
  /** `n` points `[x, y]`. */
  X: number[][];
  /** `n` labels: -1 for the upper (outer) moon, +1 for the lower (inner) moon. */
  y: number[];
}

/**
 * Two interleaving half circles, like scikit-learn's `make_moons`: `floor(n/2)`
 * points on the upper moon (`(cos t, sin t)`, label -1) and the rest on the lower
 * moon (`(1 - cos t, 0.5 - sin t)`, label +1), `t` evenly spaced over [0, π].
 *
 * Labels are ±1 (micrograd's `y * 2 - 1`), which is what a max-margin loss
 * wants; `(label + 1) / 2` gives scikit-learn's 0/1. The generator is
 * {@link mulberry32}: first a Fisher–Yates shuffle (when `shuffle`), then, point
 * by point, Gaussian noise on x then y (Box–Muller, two uniforms per normal).
 * The same `n` and options always give the same points; the numbers differ from
 * scikit-learn's, whose generator is NumPy's.
 *
 * @param n the number of points (a positive integer)
 * @param options noise, seed and shuffle
 * @returns the points `X` and their labels `y`
 * @throws {RangeError} when `n` is not a positive integer, `noise` is negative or
 *   not finite, or `seed` is not an integer
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { makeMoons } from "./moons.ts";
 * const { X, y } = makeMoons(100, { noise: 0.1, seed: 1 });
 * equal(X.length, 100);
 * equal(X[0].length, 2);
 * equal(y.filter((label) => label === 1).length, 50);
 * ```
 */
export function makeMoons(n: number, options: MoonsOptions = {}): Moons {
  const op = "makeMoons";
  checkNumber(op, "n", n, { integer: true, min: 1 });
  const { noise = 0.1, seed = 1, shuffle = true } = checkOptions(op, options, [
    "noise",
    "seed",
    "shuffle",
  ]);
  checkNumber(op, "noise", noise, { min: 0 });
  checkNumber(op, "seed", seed, { integer: true });
  checkBoolean(op, "shuffle", shuffle);
  const rng = mulberry32(seed);
  const nOuter = Math.floor(n / 2), nInner = n - nOuter;
  const X: number[][] = [], y: number[] = [];
  for (let i = 0; i < nOuter; i++) {
    const t = angle(i, nOuter);
    X.push([Math.cos(t), Math.sin(t)]);
    y.push(-1);
  }
  for (let i = 0; i < nInner; i++) {
    const t = angle(i, nInner);
    X.push([1 - Math.cos(t), 0.5 - Math.sin(t)]);
    y.push(1);
  }
  if (shuffle) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [X[i], X[j]] = [X[j], X[i]];
      [y[i], y[j]] = [y[j], y[i]];
    }
  }
  if (noise > 0) {
    for (const point of X) {
      point[0] += noise * gaussian(rng);
      point[1] += noise * gaussian(rng);
    }
  }
  return { X, y };
}

/** The i-th of m angles evenly spaced over [0, π] (NumPy's `linspace(0, pi, m)`). */
function angle(i: number, m: number): number {
  return m === 1 ? 0 : (Math.PI * i) / (m - 1);
}

/** A standard normal sample by Box–Muller (the cosine branch only). */
function gaussian(rng: Rng): number {
  const u1 = 1 - rng(); // in (0, 1], so the log is finite
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
