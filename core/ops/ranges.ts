/**
 * Ranges and the identity: `arange`, `linspace`, `eye`.
 *
 * @module
 */

import { getDefaultDevice } from "../device.ts";
import type { Tensor } from "../tensor.ts";
import { checkNumber } from "../validate.ts";
import { checkCreateOptions, CREATE_OPTIONS } from "../validate_creation.ts";
import { type CreateOptions, finish, fromTyped, hostArray, zeros } from "./creation.ts";
import { checkInt32, convertValues } from "./nested.ts";

const isOptions = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);

/** Splits off a trailing options object: `arange(5, { dtype })`, `eye(3, { device })`. */
function trailingOptions(
  op: string,
  args: readonly unknown[],
  max: number,
): [unknown[], CreateOptions] {
  const list = args.slice();
  while (list.length > 0 && list[list.length - 1] === undefined) list.pop();
  const opts = list.length > 0 && isOptions(list[list.length - 1]) ? list.pop() : undefined;
  if (list.length > max) {
    throw new TypeError(
      `${op}: expected at most ${max} numbers before the options, got ${list.length} arguments`,
    );
  }
  return [list, checkCreateOptions(op, opts as CreateOptions | undefined, CREATE_OPTIONS)];
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) by `step`, like `torch.arange`;
 * `arange(n)` counts 0..n-1. int32 when all arguments are integers, else float32. The options
 * may follow any of the numbers: `arange(5, { dtype: "float32" })`, `arange(1, 5, { device })`.
 *
 * @param args `end`, or `start, end`, or `start, end, step` (non-zero, pointing from start to
 *   end), then optionally the options (dtype, requiresGrad, device)
 * @returns a 1-d tensor
 * @throws {TypeError} for a non-number bound or step, or an unknown option
 * @throws {RangeError} on a zero or non-finite step, a step pointing away from `end`, or a
 *   tensor over 2 GiB
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { arange } from "./ranges.ts";
 * deepEqual(arange(4).toArraySync(), [0, 1, 2, 3]);
 * deepEqual(arange(1, 2, 0.25).toArraySync(), [1, 1.25, 1.5, 1.75]);
 * deepEqual(arange(3, { dtype: "float32" }).toArraySync(), [0, 1, 2]);
 * ```
 */
export function arange(
  ...args:
    | [end: number, opts?: CreateOptions]
    | [start: number, end: number, opts?: CreateOptions]
    | [start: number, end: number | undefined, step: number, opts?: CreateOptions]
): Tensor {
  const [nums, opts] = trailingOptions("arange", args, 3);
  let start = checkNumber("arange", nums.length === 1 ? "end" : "start", nums[0]);
  let end = nums[1] === undefined ? undefined : checkNumber("arange", "end", nums[1]);
  const step = nums[2] === undefined ? 1 : checkNumber("arange", "step", nums[2]);
  if (end === undefined) [start, end] = [0, start];
  if (step === 0) {
    throw new RangeError(`arange: step must be a finite non-zero number, got ${step}`);
  }
  if ((end - start) * step < 0) {
    throw new RangeError(`arange: step ${step} does not lead from ${start} to ${end}`);
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  const ints = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const dtype = opts.dtype ?? (ints ? "int32" : "float32");
  const arr = hostArray("arange", [n], dtype);
  if (dtype === "int32" && n > 0) {
    checkInt32("arange", start, " (the first element)");
    checkInt32("arange", start + (n - 1) * step, " (the last element)");
  }
  for (let i = 0; i < n; i++) arr[i] = start + i * step;
  if (dtype === "bool") { for (let i = 0; i < n; i++) arr[i] = arr[i] !== 0 ? 1 : 0; }
  return finish(fromTyped(arr, [n], opts.device), opts);
}

/**
 * `steps` evenly spaced values from `start` to `end`, both included.
 *
 * @param start first value
 * @param end last value
 * @param steps how many values (an integer >= 0)
 * @param opts dtype (float32 by default; int32 truncates), requiresGrad, device
 * @returns a 1-d tensor
 * @throws {TypeError} for a non-number argument or an unknown option
 * @throws {RangeError} on a negative or fractional `steps`
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { linspace } from "./ranges.ts";
 * deepEqual(linspace(0, 1, 5).toArraySync(), [0, 0.25, 0.5, 0.75, 1]);
 * ```
 */
export function linspace(start: number, end: number, steps: number, opts?: CreateOptions): Tensor {
  checkNumber("linspace", "start", start);
  checkNumber("linspace", "end", end);
  checkNumber("linspace", "steps", steps, { integer: true, min: 0 });
  const o = checkCreateOptions("linspace", opts, CREATE_OPTIONS);
  const arr = hostArray("linspace", [steps], "float32") as Float32Array;
  const d = steps > 1 ? (end - start) / (steps - 1) : 0;
  // fill symmetric from both ends, as PyTorch does, so the last value is exactly `end`
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) arr[i] = i < half ? start + i * d : end - (steps - 1 - i) * d;
  if (steps === 1) arr[0] = start;
  const dtype = o.dtype ?? "float32";
  const out = dtype === "float32" ? arr : convertValues("linspace", arr.map(Math.trunc), dtype);
  return finish(fromTyped(out, [steps], o.device), o);
}

/**
 * The identity matrix (n x m, ones on the diagonal); the options may follow n:
 * `eye(3, { dtype: "int32" })`.
 *
 * @param n rows
 * @param m columns (default n)
 * @param opts dtype, requiresGrad, device
 * @returns the matrix
 * @throws {TypeError} for a non-number size or an unknown option
 * @throws {RangeError} on a negative or fractional size
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { eye } from "./ranges.ts";
 * deepEqual(eye(2, 3).toArraySync(), [[1, 0, 0], [0, 1, 0]]);
 * ```
 */
export function eye(
  ...args: [n: number, opts?: CreateOptions] | [n: number, m?: number, opts?: CreateOptions]
): Tensor {
  const [nums, o] = trailingOptions("eye", args, 2);
  const n = checkNumber("eye", "n", nums[0], { integer: true, min: 0 });
  const m = nums[1] === undefined ? n : checkNumber("eye", "m", nums[1], { integer: true, min: 0 });
  const t = zeros([n, m], { dtype: o.dtype, device: "cpu" }); // checks the size
  const arr = t.dataSync();
  for (let i = 0; i < Math.min(n, m); i++) arr[i * m + i] = 1;
  return finish(fromTyped(arr, [n, m], o.device ?? getDefaultDevice()), o);
}
