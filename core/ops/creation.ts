/**
 * Creation ops: tensors from nested arrays or typed arrays, constant fills,
 * ranges, the identity, and random tensors drawn from a {@link Generator}.
 *
 * @module
 */

import type { Device, DType, TypedArray } from "../dtype.ts";
import { allocArray } from "../dtype.ts";
import { formatShape, ShapeError } from "../errors.ts";
import type { Generator } from "../random/generator.ts";
import { backendFor, getDefaultDevice } from "../device.ts";
import { Tensor } from "../tensor.ts";
import { WebGPUBufferSizeError } from "../webgpu/errors.ts";
import { checkScalar, checkTensor } from "../validate.ts";
import {
  checkAllocation,
  checkCreateOptions,
  CREATE_OPTIONS,
  shapeAndOptions,
  toShape,
} from "../validate_creation.ts";
import {
  checkInt32,
  convertValues,
  fromTypedData,
  type NestedArray,
  nestedPath,
  readNested,
} from "./nested.ts";

export { toShape };
export type { NestedArray };

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

/** A shape given as a list of dims or one dim. */
export type ShapeLike = readonly number[] | number;

/**
 * The arguments of the creation functions that take a shape: the dims as arguments
 * (`zeros(2, 3)`) or one array (`zeros([2, 3])`), then optionally the options object
 * (`zeros(2, 3, { dtype: "int32" })`, `zeros([2, 3], { dtype: "int32" })`).
 */
export type ShapeAndOptions<O> =
  | [shape: ShapeLike, opts?: O]
  | number[]
  | [...dims: number[], opts: O];

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
 * A zero-filled contiguous tensor (the output buffer of an op). Its size is checked here, before
 * anything is allocated: every op's output comes through this function.
 *
 * @param shape the dims
 * @param dtype the element type
 * @param device where it lives
 * @returns the tensor
 * @throws {RangeError} when the tensor would need more than 2 GiB
 */
export function empty(
  shape: readonly number[],
  dtype: DType,
  device: Device = getDefaultDevice(),
): Tensor {
  const n = checkAllocation("Cannot allocate", shape, dtype);
  return new Tensor(sized(shape, () => backendFor(device).alloc(dtype, n)), shape);
}

/**
 * A zero-filled host array for a creation function, its size checked first.
 *
 * @param op the function, for the message
 * @param shape checked dims
 * @param dtype the element type
 * @returns the array
 * @throws {RangeError} when the tensor would need more than 2 GiB
 */
export function hostArray(op: string, shape: readonly number[], dtype: DType): TypedArray {
  return allocArray(dtype, checkAllocation(op, shape, dtype));
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

const TENSOR_OPTIONS = [...CREATE_OPTIONS, "shape"];

/**
 * Creates a tensor from nested arrays, a scalar, or a typed array.
 *
 * Numbers become float32 unless `dtype` says otherwise (JavaScript cannot tell `1` from `1.0`),
 * also when mixed with booleans (as PyTorch promotes them); booleans alone become bool; a typed
 * array keeps its dtype and is copied. Values converted to int32 must fit it (fractions
 * truncate, as in PyTorch).
 *
 * @param data nested arrays of numbers/booleans, a scalar, or a typed array
 * @param opts dtype, requiresGrad, device; `shape` for typed-array data (default 1-d)
 * @returns a new contiguous tensor
 * @throws {TypeError} when data holds something other than numbers and booleans, or for an
 *   unknown option
 * @throws {ShapeError} on ragged nesting or a shape that does not fit a typed array
 * @throws {RangeError} when a value does not fit int32
 * @throws {DTypeError} for an unsupported dtype or typed array
 * @throws {RangeError} when the tensor would need more than 2 GiB
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * const t = tensor([[1, 2, 3], [4, 5, 6]]);
 * deepEqual(t.shape, [2, 3]);
 * equal(t.dtype, "float32");
 * equal(tensor([0, 2], { dtype: "int32" }).dtype, "int32");
 * equal(tensor([true, 2.5]).dtype, "float32");
 * ```
 */
export function tensor(
  data: NestedArray | TypedArray,
  opts?: CreateOptions & { shape?: readonly number[] },
): Tensor {
  const o = checkCreateOptions("tensor", opts, TENSOR_OPTIONS);
  if (ArrayBuffer.isView(data)) {
    const { dtype, values } = fromTypedData(data, o.dtype);
    const shape = o.shape !== undefined ? toShape("tensor", o.shape) : [values.length];
    if (checkAllocation("tensor", shape, dtype) !== values.length) {
      throw new ShapeError(
        `tensor: shape ${formatShape(shape)} does not fit ${values.length} elements`,
      );
    }
    return finish(fromTyped(values, shape, o.device), o);
  }
  if (o.shape !== undefined) {
    throw new TypeError("tensor: the shape option is for typed-array data only");
  }
  const { shape, values, allBool } = readNested(data);
  const dtype = o.dtype ?? (allBool ? "bool" : "float32");
  checkAllocation("tensor", shape, dtype);
  const arr = convertValues("tensor", values, dtype, (i) => nestedPath(i, shape));
  return finish(fromTyped(arr, shape, o.device), o);
}

/**
 * A tensor filled with `value` (the shape is one array or one number, as in PyTorch's
 * `torch.full(size, fill_value)`).
 *
 * @param shape the dims
 * @param value the fill value (a boolean makes a bool tensor)
 * @param opts dtype, requiresGrad, device
 * @returns the tensor
 * @throws {ShapeError} on an invalid shape
 * @throws {TypeError} when value is not a number or a boolean, or for an unknown option
 * @throws {RangeError} when value does not fit an int32 tensor, or the tensor is over 2 GiB
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { full } from "./creation.ts";
 * deepEqual(full([2, 2], 7).toArraySync(), [[7, 7], [7, 7]]);
 * ```
 */
export function full(shape: ShapeLike, value: number | boolean, opts?: CreateOptions): Tensor {
  return filled("full", toShape("full", shape), checkScalar("full", "value", value), opts);
}

function filled(op: string, s: number[], value: number | boolean, opts: unknown): Tensor {
  const o = checkCreateOptions(op, opts as CreateOptions | undefined, CREATE_OPTIONS);
  const dtype = o.dtype ?? (typeof value === "boolean" ? "bool" : "float32");
  const v = typeof value === "boolean" ? (value ? 1 : 0) : value;
  if (dtype === "int32") checkInt32(op, v);
  // the backend's buffers are zero-filled, and on the CPU a freed one is reused warm: a fresh
  // megabyte array costs page faults on first touch, more than the op that fills it
  if (v === 0 && !Object.is(v, -0)) {
    const n = checkAllocation(op, s, dtype), device = o.device ?? getDefaultDevice();
    return finish(new Tensor(sized(s, () => backendFor(device).alloc(dtype, n)), s), o);
  }
  const arr = hostArray(op, s, dtype);
  if (v !== 0) arr.fill(dtype === "bool" ? (v !== 0 ? 1 : 0) : v);
  return finish(fromTyped(arr, s, o.device), o);
}

/**
 * A tensor of zeros. The shape is given as dims or as one array, then optionally the options:
 * `zeros(2, 3)`, `zeros([2, 3])`, `zeros(2, 3, { dtype: "int32" })`.
 *
 * @param args the dims or one array of them, then optionally the options (dtype, requiresGrad,
 *   device)
 * @returns the tensor
 * @throws {ShapeError} on an invalid shape
 * @throws {TypeError} when the shape is missing or not numbers, or for an unknown option
 * @throws {RangeError} when the tensor would need more than 2 GiB
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { zeros } from "./creation.ts";
 * deepEqual(zeros([2, 3]).shape, [2, 3]);
 * deepEqual(zeros(2, 3, { dtype: "int32" }).toArraySync(), [[0, 0, 0], [0, 0, 0]]);
 * ```
 */
export function zeros(...args: ShapeAndOptions<CreateOptions>): Tensor {
  const [shape, opts] = shapeAndOptions("zeros", args);
  return filled("zeros", shape, 0, opts);
}

/**
 * A tensor of ones; the arguments are {@link zeros}'s.
 *
 * @param args the dims or one array of them, then optionally the options (dtype, requiresGrad,
 *   device)
 * @returns the tensor
 * @throws {ShapeError} on an invalid shape
 * @throws {TypeError} when the shape is missing or not numbers, or for an unknown option
 * @throws {RangeError} when the tensor would need more than 2 GiB
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { ones } from "./creation.ts";
 * deepEqual(ones(3).toArraySync(), [1, 1, 1]);
 * deepEqual(ones(1, 2).toArraySync(), [[1, 1]]);
 * ```
 */
export function ones(...args: ShapeAndOptions<CreateOptions>): Tensor {
  const [shape, opts] = shapeAndOptions("ones", args);
  return filled("ones", shape, 1, opts);
}

function like(op: string, t: Tensor, value: number, opts: CreateOptions | undefined): Tensor {
  checkTensor(op, "input", t);
  const o = checkCreateOptions(op, opts, CREATE_OPTIONS);
  return filled(op, t.shape.slice(), value, { dtype: t.dtype, device: t.device, ...o });
}

/**
 * Zeros of another tensor's shape, dtype and device.
 *
 * @param t the template
 * @param opts overrides
 * @returns the tensor
 * @throws {TypeError} when t is not a Tensor, or for an unknown option
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { ones, zerosLike } from "./creation.ts";
 * deepEqual(zerosLike(ones([2, 1])).toArraySync(), [[0], [0]]);
 * ```
 */
export function zerosLike(t: Tensor, opts?: CreateOptions): Tensor {
  return like("zerosLike", t, 0, opts);
}

/**
 * Ones of another tensor's shape, dtype and device.
 *
 * @param t the template
 * @param opts overrides
 * @returns the tensor
 * @throws {TypeError} when t is not a Tensor, or for an unknown option
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { onesLike, zeros } from "./creation.ts";
 * deepEqual(onesLike(zeros([2])).toArraySync(), [1, 1]);
 * ```
 */
export function onesLike(t: Tensor, opts?: CreateOptions): Tensor {
  return like("onesLike", t, 1, opts);
}
