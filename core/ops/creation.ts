/**
 * Creation ops: tensors from nested arrays or typed arrays, constant fills,
 * ranges, the identity, and random tensors drawn from a {@link Generator}.
 *
 * @module
 */

import type { Device, DType, TypedArray } from "../dtype.ts";
import { allocArray, dtypeOfArray } from "../dtype.ts";
import { DTypeError, formatShape, ShapeError } from "../errors.ts";
import type { Generator } from "../random/generator.ts";
import { sizeOf } from "../shape.ts";
import { backendFor, getDefaultDevice } from "../device.ts";
import { Tensor } from "../tensor.ts";
import { WebGPUBufferSizeError } from "../webgpu/errors.ts";

/** Options shared by creation functions. */
export interface CreateOptions {
  /** Element type (default float32; a typed array's own type for typed-array data). */
  dtype?: DType;
  /** Make the result a leaf that collects gradients (float32 only). */
  requiresGrad?: boolean;
  /** Device (default: `getDefaultDevice()`, "cpu" unless `setDefaultDevice` was called). */
  device?: Device;
}

export { arange, eye, linspace } from "./ranges.ts";
export { rand, randint, randn, randperm, type RandpermOptions } from "./random_tensors.ts";

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
  device: Device = getDefaultDevice(),
): Tensor {
  return new Tensor(sized(shape, () => backendFor(device).upload(data)), shape);
}

/** Runs an allocation, naming `shape` in a WebGPUBufferSizeError. */
function sized<T>(shape: readonly number[], alloc: () => T): T {
  try {
    return alloc();
  } catch (e) {
    throw e instanceof WebGPUBufferSizeError ? e.withShape(shape) : e;
  }
}

/**
 * A zero-filled contiguous tensor (the output buffer of an op).
 *
 * @param shape the dims
 * @param dtype the element type
 * @param device where it lives
 * @returns the tensor
 */
export function empty(
  shape: readonly number[],
  dtype: DType,
  device: Device = getDefaultDevice(),
): Tensor {
  return new Tensor(sized(shape, () => backendFor(device).alloc(dtype, sizeOf(shape))), shape);
}

/**
 * Applies `requiresGrad` from creation options.
 *
 * @param t a fresh leaf
 * @param opts the options
 * @returns t
 */
export function finish(t: Tensor, opts: CreateOptions | undefined): Tensor {
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
