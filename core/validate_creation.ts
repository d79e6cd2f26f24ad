/**
 * Runtime checks of the arguments that make tensors: shapes, allocation sizes, dtypes, devices
 * and creation options (the general checks are in `validate.ts`).
 *
 * Creation functions take a shape as dims or as one array, as PyTorch does: `randn(27, 10)` and
 * `randn([27, 10])` are the same, and a trailing plain object is the options
 * (`randn(27, 10, { generator })`, `randn([27, 10], { generator })`).
 *
 * Every tensor's storage is checked before it is allocated: a tensor may have at most
 * {@link MAX_TENSOR_BYTES} (2 GiB). Every byte offset of such a tensor fits a signed 32-bit
 * integer, which the CPU's WebAssembly kernels (wasm32 addresses) and the WGSL kernels (32-bit
 * indices, and `maxStorageBufferBindingSize` is below 2 GiB on the adapters we know) rely on;
 * without the check a huge shape fails deep inside V8 ("Array buffer allocation failed") or the
 * GPU driver, without naming the shape.
 *
 * @module
 */

import type { Device, DType } from "./dtype.ts";
import { DTypeError, formatShape, ShapeError } from "./errors.ts";
import { checkBoolean, checkOneOf, checkOptions, describe } from "./validate.ts";

/** The most bytes one tensor may hold: 2 GiB. */
export const MAX_TENSOR_BYTES = 2 ** 31;

/**
 * Checks a shape given as a dims array or one dim.
 *
 * @param op the function, for the message
 * @param shape the dims, or a single dim
 * @returns the dims as a fresh array
 * @throws {TypeError} when the shape is not a number or an array of numbers
 * @throws {ShapeError} on a negative or non-integer dim
 * @example
 * ```ts
 * import { deepEqual, throws } from "node:assert/strict";
 * import { toShape } from "./validate_creation.ts";
 * deepEqual(toShape("zeros", 3), [3]);
 * throws(() => toShape("zeros", [2, -1]), /zeros: invalid shape \(2, -1\): dims must be integers >= 0/);
 * ```
 */
export function toShape(op: string, shape: unknown): number[] {
  if (typeof shape === "number") shape = [shape];
  else if (!Array.isArray(shape)) {
    throw new TypeError(
      `${op}: shape must be an array of dims or a number, got ${describe(shape)}`,
    );
  }
  const s = (shape as unknown[]).slice();
  for (let i = 0; i < s.length; i++) {
    const d = s[i];
    if (typeof d !== "number") {
      throw new TypeError(
        `${op}: dims must be numbers, got ${describe(d)} at position ${i}`,
      );
    }
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        `${op}: invalid shape ${formatShape(s as number[])}: dims must be integers >= 0`,
      );
    }
  }
  return s as number[];
}

const isOptions = (v: unknown): boolean =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

/**
 * Splits the arguments of a creation function into its shape and its options: dims as
 * arguments (`2, 3`) or one array (`[2, 3]`), then optionally one options object.
 *
 * @param op the function, for the message
 * @param args the arguments as given
 * @returns the checked dims and the options (undefined when none)
 * @throws {TypeError} when the shape is missing, or the arguments mix an array with dims
 * @throws {ShapeError} on a negative or non-integer dim
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { shapeAndOptions } from "./validate_creation.ts";
 * deepEqual(shapeAndOptions("randn", [27, 10, { requiresGrad: true }]), [[27, 10], { requiresGrad: true }]);
 * deepEqual(shapeAndOptions("randn", [[27, 10]]), [[27, 10], undefined]);
 * ```
 */
export function shapeAndOptions(op: string, args: readonly unknown[]): [number[], unknown] {
  let n = args.length;
  const last = args[n - 1];
  const opts = n > 1 && (isOptions(last) || last === undefined) ? last : undefined;
  if (n > 1 && (isOptions(last) || last === undefined)) n--;
  if (n === 0 || (n === 1 && isOptions(args[0]))) {
    throw new TypeError(
      `${op}: the shape is missing; pass dims (${op}(2, 3)) or an array (${op}([2, 3]))`,
    );
  }
  if (Array.isArray(args[0]) || n === 1) {
    if (n > 1) {
      throw new TypeError(
        `${op}: expected a shape array and options, got ${n + (opts === undefined ? 0 : 1)} ` +
          `arguments starting with an array; pass the dims either as arguments or as one array`,
      );
    }
    return [toShape(op, args[0]), opts];
  }
  return [toShape(op, args.slice(0, n)), opts];
}

/**
 * Checks that a tensor of `shape` and `dtype` may be allocated ({@link MAX_TENSOR_BYTES}).
 *
 * @param op the function, for the message
 * @param shape checked dims
 * @param dtype the element type
 * @returns the element count
 * @throws {RangeError} naming the shape, the bytes it needs and the limit
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkAllocation } from "./validate_creation.ts";
 * throws(() => checkAllocation("zeros", [100000, 100000, 100], "float32"),
 *   /zeros: a float32 tensor of shape \(100000, 100000, 100\) needs 4000000000000 bytes, more than the 2 GiB/);
 * ```
 */
export function checkAllocation(op: string, shape: readonly number[], dtype: DType): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  const bytes = dtype === "bool" ? n : 4 * n;
  if (bytes > MAX_TENSOR_BYTES) {
    throw new RangeError(
      `${op}: a ${dtype} tensor of shape ${formatShape(shape)} needs ${bytes} bytes, more than ` +
        `the 2 GiB (${MAX_TENSOR_BYTES} bytes) one tensor may have`,
    );
  }
  return n;
}

const DEVICES: readonly Device[] = ["cpu", "webgpu"];

/**
 * Checks a dtype name.
 *
 * @param op the function, for the message
 * @param v the value
 * @returns the dtype
 * @throws {DTypeError} naming the dtypes there are
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkDType } from "./validate_creation.ts";
 * throws(() => checkDType("zeros", "float64"),
 *   /zeros: dtype "float64" is not supported; expected "float32", "int32" or "bool"/);
 * ```
 */
export function checkDType(op: string, v: unknown): DType {
  if (v !== "float32" && v !== "int32" && v !== "bool") {
    const got = typeof v === "string" ? JSON.stringify(v) : describe(v);
    throw new DTypeError(
      `${op}: dtype ${got} is not supported; expected "float32", "int32" or "bool"`,
    );
  }
  return v;
}

/**
 * Checks a device name.
 *
 * @param op the function, for the message
 * @param v the value
 * @returns the device
 * @throws {TypeError} naming the devices there are
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkDevice } from "./validate_creation.ts";
 * throws(() => checkDevice("zeros", "cuda"), /zeros: device must be "cpu" or "webgpu", got "cuda"/);
 * ```
 */
export function checkDevice(op: string, v: unknown): Device {
  return checkOneOf(op, "device", v, DEVICES);
}

/** The option names of the creation functions (`CreateOptions`). */
export const CREATE_OPTIONS: readonly string[] = ["dtype", "requiresGrad", "device"];

/**
 * Checks the options of a creation function: known keys, a supported dtype and device, a
 * boolean `requiresGrad`.
 *
 * @param op the function, for the message
 * @param opts the options given
 * @param allowed the known option names (besides nothing else)
 * @returns the options
 * @throws {TypeError} for an unknown key, a bad device or a non-boolean requiresGrad
 * @throws {DTypeError} for an unsupported dtype
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkCreateOptions } from "./validate_creation.ts";
 * throws(() => checkCreateOptions("zeros", { dtpye: "int32" } as object, ["dtype"]),
 *   /zeros: unknown option dtpye; did you mean dtype\?/);
 * ```
 */
export function checkCreateOptions<
  T extends { dtype?: DType; device?: Device; requiresGrad?: boolean },
>(op: string, opts: T | undefined, allowed: readonly string[]): Partial<T> {
  const o = checkOptions(op, opts, allowed);
  if (o.dtype !== undefined) checkDType(op, o.dtype);
  if (o.device !== undefined) checkDevice(op, o.device);
  if (o.requiresGrad !== undefined) checkBoolean(op, "requiresGrad", o.requiresGrad);
  return o;
}
