/**
 * Creation ops: tensors from nested arrays or typed arrays, constant fills,
 * ranges, the identity, and random tensors drawn from a {@link Generator}.
 *
 * @module
 */

import type { Device, DType, TypedArray } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";
import { DTypeError, formatShape, ShapeError } from "../errors.ts";
import { defaultGenerator, type Generator } from "../random/generator.ts";
import { sizeOf } from "../shape.ts";
import { backendFor, cpuData, Tensor } from "../tensor.ts";

/** Options shared by creation functions. */
export interface CreateOptions {
  /** Element type (default float32; a typed array's own type for typed-array data). */
  dtype?: DType;
  /** Make the result a leaf that collects gradients (float32 only). */
  requiresGrad?: boolean;
  /** Device (only "cpu" so far). */
  device?: Device;
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreateOptions {
  /** The generator to draw from (default: the process-wide one). */
  generator?: Generator;
}

/** Nested arrays of numbers or booleans, as `tensor()` accepts them. */
export type NestedArray = number | boolean | readonly NestedArray[];

/** A shape given as a list of dims or one dim. */
export type ShapeLike = readonly number[] | number;

/**
 * Checks a shape argument.
 *
 * @param op the op name for the message
 * @param shape a dims list or a single dim
 * @returns the dims as a fresh array
 * @throws {ShapeError} on a negative or non-integer dim
 */
export function toShape(op: string, shape: ShapeLike): number[] {
  const s = typeof shape === "number" ? [shape] : Array.from(shape);
  for (const d of s) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: invalid shape ${formatShape(s)}: dims must be integers >= 0`);
    }
  }
  return s;
}

/**
 * Wraps a typed array as a contiguous tensor of `shape` (no copy).
 *
 * @param data the elements, owned by the tensor from now on
 * @param shape the dims
 * @param device where the tensor lives
 * @returns the tensor
 */
export function fromTyped(
  data: TypedArray,
  shape: readonly number[],
  device: Device = "cpu",
): Tensor {
  return new Tensor(backendFor(device).upload(data), shape);
}

/**
 * A zero-filled contiguous tensor (the output buffer of an op).
 *
 * @param shape the dims
 * @param dtype the element type
 * @param device where it lives
 * @returns the tensor
 */
export function empty(shape: readonly number[], dtype: DType, device: Device = "cpu"): Tensor {
  return new Tensor(backendFor(device).alloc(dtype, sizeOf(shape)), shape);
}

function finish(t: Tensor, opts: CreateOptions | undefined): Tensor {
  if (opts?.requiresGrad) t.requiresGrad = true;
  return t;
}

function inferNested(data: NestedArray): { shape: number[]; bool: boolean } {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = (cur as readonly NestedArray[])[0];
    if (cur === undefined) break;
  }
  return { shape, bool: typeof cur === "boolean" };
}

function fillNested(
  data: NestedArray,
  shape: readonly number[],
  dim: number,
  out: TypedArray,
  pos: number,
): number {
  if (dim === shape.length) {
    if (typeof data === "boolean") out[pos] = data ? 1 : 0;
    else if (typeof data === "number") out[pos] = data;
    else {
      throw new ShapeError(
        `tensor: ragged nested array: expected a scalar at depth ${dim} of shape ${
          formatShape(shape)
        }`,
      );
    }
    return pos + 1;
  }
  if (!Array.isArray(data) || data.length !== shape[dim]) {
    throw new ShapeError(
      `tensor: ragged nested array: expected a sequence of length ${
        shape[dim]
      } at depth ${dim}, got ${Array.isArray(data) ? `length ${data.length}` : typeof data}`,
    );
  }
  for (const item of data as readonly NestedArray[]) {
    pos = fillNested(item, shape, dim + 1, out, pos);
  }
  return pos;
}

/**
 * Creates a tensor from nested arrays, a scalar, or a typed array.
 *
 * Numbers become float32 unless `dtype` says otherwise (JavaScript cannot tell
 * `1` from `1.0`); booleans become bool; a typed array keeps its dtype and is
 * copied.
 *
 * @param data nested arrays of numbers/booleans, a scalar, or a typed array
 * @param opts dtype, requiresGrad, device; `shape` for typed-array data (default 1-d)
 * @returns a new contiguous tensor
 * @throws {ShapeError} on ragged nesting or a shape that does not fit a typed array
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * const t = tensor([[1, 2, 3], [4, 5, 6]]);
 * deepEqual(t.shape, [2, 3]);
 * equal(t.dtype, "float32");
 * equal(tensor([0, 2], { dtype: "int32" }).dtype, "int32");
 * ```
 */
export function tensor(
  data: NestedArray | TypedArray,
  opts?: CreateOptions & { shape?: readonly number[] },
): Tensor {
  if (ArrayBuffer.isView(data)) {
    const src = data as TypedArray;
    const own = dtypeOfArray(src);
    if (own === undefined) throw new DTypeError("tensor: unsupported typed array");
    const dtype = opts?.dtype ?? own;
    const shape = opts?.shape ? toShape("tensor", opts.shape) : [src.length];
    if (sizeOf(shape) !== src.length) {
      throw new ShapeError(
        `tensor: shape ${formatShape(shape)} does not fit ${src.length} elements`,
      );
    }
    const arr = allocArray(dtype, src.length);
    if (dtype === "bool") { for (let i = 0; i < src.length; i++) arr[i] = src[i] !== 0 ? 1 : 0; }
    else arr.set(src);
    return finish(fromTyped(arr, shape, opts?.device), opts);
  }
  const { shape, bool } = inferNested(data as NestedArray);
  const dtype = opts?.dtype ?? (bool ? "bool" : "float32");
  const arr = allocArray(dtype, sizeOf(shape));
  fillNested(data as NestedArray, shape, 0, arr, 0);
  if (dtype === "bool") { for (let i = 0; i < arr.length; i++) arr[i] = arr[i] !== 0 ? 1 : 0; }
  return finish(fromTyped(arr, shape, opts?.device), opts);
}

/**
 * A tensor filled with `value`.
 *
 * @param shape the dims
 * @param value the fill value (a boolean makes a bool tensor)
 * @param opts dtype, requiresGrad, device
 * @returns the tensor
 * @throws {ShapeError} on an invalid shape
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { full } from "./creation.ts";
 * deepEqual(full([2, 2], 7).toArraySync(), [[7, 7], [7, 7]]);
 * ```
 */
export function full(shape: ShapeLike, value: number | boolean, opts?: CreateOptions): Tensor {
  return filled("full", shape, value, opts);
}

function filled(
  op: string,
  shape: ShapeLike,
  value: number | boolean,
  opts?: CreateOptions,
): Tensor {
  const s = toShape(op, shape);
  const dtype = opts?.dtype ?? (typeof value === "boolean" ? "bool" : "float32");
  const arr = allocArray(dtype, sizeOf(s));
  const v = typeof value === "boolean" ? (value ? 1 : 0) : value;
  if (v !== 0) arr.fill(dtype === "bool" ? (v !== 0 ? 1 : 0) : v);
  return finish(fromTyped(arr, s, opts?.device), opts);
}

/**
 * A tensor of zeros.
 *
 * @param shape the dims
 * @param opts dtype, requiresGrad, device
 * @returns the tensor
 * @throws {ShapeError} on an invalid shape
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { zeros } from "./creation.ts";
 * deepEqual(zeros([2, 3]).shape, [2, 3]);
 * ```
 */
export function zeros(shape: ShapeLike, opts?: CreateOptions): Tensor {
  return filled("zeros", shape, 0, opts);
}

/**
 * A tensor of ones.
 *
 * @param shape the dims
 * @param opts dtype, requiresGrad, device
 * @returns the tensor
 * @throws {ShapeError} on an invalid shape
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { ones } from "./creation.ts";
 * deepEqual(ones(3).toArraySync(), [1, 1, 1]);
 * ```
 */
export function ones(shape: ShapeLike, opts?: CreateOptions): Tensor {
  return filled("ones", shape, 1, opts);
}

/**
 * Zeros of another tensor's shape, dtype and device.
 *
 * @param t the template
 * @param opts overrides
 * @returns the tensor
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { ones, zerosLike } from "./creation.ts";
 * deepEqual(zerosLike(ones([2, 1])).toArraySync(), [[0], [0]]);
 * ```
 */
export function zerosLike(t: Tensor, opts?: CreateOptions): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, device: t.device, ...opts });
}

/**
 * Ones of another tensor's shape, dtype and device.
 *
 * @param t the template
 * @param opts overrides
 * @returns the tensor
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { onesLike, zeros } from "./creation.ts";
 * deepEqual(onesLike(zeros([2])).toArraySync(), [1, 1]);
 * ```
 */
export function onesLike(t: Tensor, opts?: CreateOptions): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, device: t.device, ...opts });
}

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
 * import { arange } from "./creation.ts";
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
 * import { linspace } from "./creation.ts";
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
 * import { eye } from "./creation.ts";
 * deepEqual(eye(2, 3).toArraySync(), [[1, 0, 0], [0, 1, 0]]);
 * ```
 */
export function eye(n: number, m = n, opts?: CreateOptions): Tensor {
  const t = zeros([n, m], opts);
  const arr = cpuData(t);
  for (let i = 0; i < Math.min(n, m); i++) arr[i * m + i] = 1;
  return t;
}

/**
 * Uniform samples in [0, 1).
 *
 * @param shape the dims
 * @param opts generator, requiresGrad, device
 * @returns a float32 tensor
 * @throws {ShapeError} on an invalid shape
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Generator } from "../random/generator.ts";
 * import { rand } from "./creation.ts";
 * const v = rand([3, 4], { generator: new Generator(1) }).dataSync();
 * ok(v.every((x) => x >= 0 && x < 1));
 * ```
 */
export function rand(shape: ShapeLike, opts?: RandomOptions): Tensor {
  const s = toShape("rand", shape);
  const g = opts?.generator ?? defaultGenerator();
  return finish(fromTyped(g.uniform(sizeOf(s)), s, opts?.device), opts);
}

/**
 * Standard normal samples.
 *
 * @param shape the dims
 * @param opts generator, requiresGrad, device
 * @returns a float32 tensor
 * @throws {ShapeError} on an invalid shape
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { Generator } from "../random/generator.ts";
 * import { randn } from "./creation.ts";
 * deepEqual(randn(5, { generator: new Generator(3) }).dataSync(),
 *   randn(5, { generator: new Generator(3) }).dataSync());
 * ```
 */
export function randn(shape: ShapeLike, opts?: RandomOptions): Tensor {
  const s = toShape("randn", shape);
  const g = opts?.generator ?? defaultGenerator();
  return finish(fromTyped(g.normal(sizeOf(s)), s, opts?.device), opts);
}

/**
 * Integers uniform in [low, high), as int32.
 *
 * @param low inclusive bound
 * @param high exclusive bound
 * @param shape the dims
 * @param opts generator, device
 * @returns an int32 tensor
 * @throws {RangeError} when high <= low
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { randint } from "./creation.ts";
 * ok(randint(0, 27, [32, 3]).dataSync().every((v) => v >= 0 && v < 27));
 * ```
 */
export function randint(low: number, high: number, shape: ShapeLike, opts?: RandomOptions): Tensor {
  const s = toShape("randint", shape);
  const g = opts?.generator ?? defaultGenerator();
  return fromTyped(g.integers(low, high, sizeOf(s)), s, opts?.device);
}
