/**
 * Ranges and the identity: `arange`, `linspace`, `eye`.
 *
 * @module
 */

import { allocArray } from "../dtype.ts";
import { getDefaultDevice } from "../device.ts";
import type { Tensor } from "../tensor.ts";
import { type CreateOptions, finish, fromTyped, zeros } from "./creation.ts";

/**
 * Values from `start` (inclusive) to `end` (exclusive) by `step`, like
 * `torch.arange`; `arange(n)` counts 0..n-1. int32 when all arguments are
 * integers, else float32.
 *
 * @param start the first value (or the end, when `end` is omitted)
 * @param end the exclusive bound
 * @param step the increment (non-zero)
 * @param opts dtype, requiresGrad, device
 * @returns a 1-d tensor
 * @throws {RangeError} on a zero step or a step pointing away from `end`
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { arange } from "./ranges.ts";
 * deepEqual(arange(4).toArraySync(), [0, 1, 2, 3]);
 * deepEqual(arange(1, 2, 0.25).toArraySync(), [1, 1.25, 1.5, 1.75]);
 * ```
 */
export function arange(start: number, end?: number, step = 1, opts?: CreateOptions): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0 || !Number.isFinite(step)) {
    throw new RangeError(`Cannot make arange: step must be finite and non-zero, got ${step}`);
  }
  if ((end - start) * step < 0) {
    throw new RangeError(
      `Cannot make arange: step ${step} does not lead from ${start} to ${end}`,
    );
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  const ints = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const dtype = opts?.dtype ?? (ints ? "int32" : "float32");
  const arr = allocArray(dtype, n);
  for (let i = 0; i < n; i++) arr[i] = start + i * step;
  return finish(fromTyped(arr, [n], opts?.device), opts);
}

/**
 * `steps` evenly spaced values from `start` to `end`, both included.
 *
 * @param start first value
 * @param end last value
 * @param steps how many values (>= 0)
 * @param opts requiresGrad, device
 * @returns a 1-d float32 tensor
 * @throws {RangeError} on a negative or fractional `steps`
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { linspace } from "./ranges.ts";
 * deepEqual(linspace(0, 1, 5).toArraySync(), [0, 0.25, 0.5, 0.75, 1]);
 * ```
 */
export function linspace(start: number, end: number, steps: number, opts?: CreateOptions): Tensor {
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`Cannot make linspace: steps must be an integer >= 0, got ${steps}`);
  }
  const arr = new Float32Array(steps);
  const d = steps > 1 ? (end - start) / (steps - 1) : 0;
  // fill symmetric from both ends, as PyTorch does, so the last value is exactly `end`
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) arr[i] = i < half ? start + i * d : end - (steps - 1 - i) * d;
  if (steps === 1) arr[0] = start;
  return finish(fromTyped(arr, [steps], opts?.device), opts);
}

/**
 * The identity matrix (n x m, ones on the diagonal).
 *
 * @param n rows
 * @param m columns (default n)
 * @param opts dtype, requiresGrad, device
 * @returns the matrix
 * @throws {ShapeError} on a negative size
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { eye } from "./ranges.ts";
 * deepEqual(eye(2, 3).toArraySync(), [[1, 0, 0], [0, 1, 0]]);
 * ```
 */
export function eye(n: number, m = n, opts?: CreateOptions): Tensor {
  const t = zeros([n, m], { ...opts, device: "cpu" }); // checks the sizes and dtype
  const arr = t.dataSync();
  for (let i = 0; i < Math.min(n, m); i++) arr[i * m + i] = 1;
  return finish(fromTyped(arr, [n, m], opts?.device ?? getDefaultDevice()), opts);
}
