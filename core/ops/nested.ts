/**
 * Reading `tensor()`'s data: nested arrays of numbers and booleans, and typed arrays, checked
 * (rectangular, numbers or booleans only, values that fit the dtype) and converted to the typed
 * array of the tensor's dtype.
 *
 * @module
 */

import { allocArray, type DType, dtypeOfArray, type TypedArray } from "../dtype.ts";
import { DTypeError, ShapeError } from "../errors.ts";
import { describe } from "../validate.ts";

/** Nested arrays of numbers or booleans, as `tensor()` accepts them. */
export type NestedArray = number | boolean | readonly NestedArray[];

const INT32_MIN = -(2 ** 31), INT32_MAX = 2 ** 31 - 1;

/**
 * Throws unless `v` converts to an int32 (finite, in range; fractions truncate as in PyTorch).
 *
 * @param op the function, for the message
 * @param v the value
 * @param where where it was found, e.g. " at data[3]"
 * @throws {RangeError} for NaN, ±Infinity or a value outside [-2^31, 2^31 - 1]
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkInt32 } from "./nested.ts";
 * throws(() => checkInt32("tensor", 1e10, " at data[0]"), /tensor: value 10000000000 at data\[0\] does not fit int32/);
 * ```
 */
export function checkInt32(op: string, v: number, where = ""): void {
  if (!(v > INT32_MIN - 1 && v < INT32_MAX + 1)) {
    throw new RangeError(
      `${op}: value ${v}${where} does not fit int32 (integers in [${INT32_MIN}, ${INT32_MAX}])`,
    );
  }
}

/**
 * Converts checked float64 values to the typed array of `dtype`.
 *
 * @param op the function, for the message
 * @param values the values (booleans as 0 and 1)
 * @param dtype the target dtype
 * @param path names element i in messages
 * @returns a new typed array
 * @throws {RangeError} when a value does not fit int32
 */
export function convertValues(
  op: string,
  values: ArrayLike<number>,
  dtype: DType,
  path: (i: number) => string = (i) => `data[${i}]`,
): TypedArray {
  const n = values.length;
  const out = allocArray(dtype, n);
  if (dtype === "int32") {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (!(v > INT32_MIN - 1 && v < INT32_MAX + 1)) checkInt32(op, v, ` at ${path(i)}`);
      out[i] = v;
    }
  } else if (dtype === "bool") {
    for (let i = 0; i < n; i++) out[i] = values[i] !== 0 ? 1 : 0;
  } else (out as Float32Array).set(values);
  return out;
}

/**
 * The elements of typed-array data, converted to `dtype` (always a copy).
 *
 * @param data a Float32Array, Int32Array or Uint8Array (bool)
 * @param dtype the target dtype, or undefined for the array's own
 * @returns the dtype and the copy
 * @throws {DTypeError} for another kind of typed array
 * @throws {RangeError} when a value does not fit int32
 */
export function fromTypedData(
  data: ArrayBufferView,
  dtype: DType | undefined,
): { dtype: DType; values: TypedArray } {
  const own = dtypeOfArray(data);
  if (own === undefined) {
    throw new DTypeError(
      `tensor: data of type ${data.constructor.name} is not supported; use a Float32Array, ` +
        "an Int32Array, a Uint8Array (bool) or nested arrays",
    );
  }
  const src = data as TypedArray, dt = dtype ?? own;
  if (dt === own && dt !== "bool") return { dtype: dt, values: src.slice() };
  if (dt === "int32" && own === "bool") return { dtype: dt, values: Int32Array.from(src) };
  return { dtype: dt, values: convertValues("tensor", src, dt) };
}

/**
 * Reads nested arrays: their shape, the values as float64 (booleans as 0 and 1) and whether
 * every value was a boolean.
 *
 * @param data a number, a boolean or nested arrays of them
 * @returns the shape, values and kind
 * @throws {TypeError} for an element that is not a number, a boolean or an array
 * @throws {ShapeError} for ragged nesting
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { readNested } from "./nested.ts";
 * const r = readNested([[1, 2], [3, 4]]);
 * deepEqual(r.shape, [2, 2]);
 * deepEqual([...r.values], [1, 2, 3, 4]);
 * ```
 */
export function readNested(
  data: unknown,
): { shape: number[]; values: Float64Array; allBool: boolean } {
  const shape: number[] = [];
  for (let cur = data; Array.isArray(cur); cur = cur[0]) {
    shape.push(cur.length);
    if (cur.length === 0) break;
  }
  if (shape.length === 0 && typeof data !== "number" && typeof data !== "boolean") {
    throw new TypeError(
      `tensor: data must be a number, a boolean, nested arrays of them or a typed array, got ${
        describe(data)
      }`,
    );
  }
  let size = 1;
  for (const d of shape) size *= d;
  const values = new Float64Array(size);
  let pos = 0, numbers = 0;
  const walk = (x: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof x === "number") {
        values[pos++] = x;
        numbers++;
      } else if (typeof x === "boolean") values[pos++] = x ? 1 : 0;
      else if (Array.isArray(x)) {
        throw new ShapeError(
          `tensor: ragged nested array: ${path} is an array, expected a number or a boolean ` +
            `as at data${"[0]".repeat(dim)}`,
        );
      } else {
        throw new TypeError(
          `tensor: ${path} must be a number or a boolean, got ${describe(x)}`,
        );
      }
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim]) {
      throw new ShapeError(
        `tensor: ragged nested array: ${path} ${
          Array.isArray(x) ? `has length ${x.length}` : `is ${describe(x)}`
        }, expected an array of length ${shape[dim]} as at data${"[0]".repeat(dim)}`,
      );
    }
    for (let i = 0; i < x.length; i++) walk(x[i], dim + 1, `${path}[${i}]`);
  };
  walk(data, 0, "data");
  return { shape, values, allBool: numbers === 0 && size > 0 };
}

/**
 * The nested-array path of flat element `i` of `shape`: `data[1][0]`.
 *
 * @param i the flat index
 * @param shape the dims
 * @returns the path
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { nestedPath } from "./nested.ts";
 * equal(nestedPath(3, [2, 3]), "data[1][0]");
 * ```
 */
export function nestedPath(i: number, shape: readonly number[]): string {
  let out = "";
  for (let d = shape.length - 1; d >= 0; d--) {
    out = `[${i % shape[d]}]${out}`;
    i = Math.floor(i / shape[d]);
  }
  return `data${out}`;
}
