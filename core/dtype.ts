/**
 * Tensor element types: `float32` (the default), `int32` (indices, counts) and
 * `bool` (masks, stored one byte per element), with PyTorch's promotion order
 * bool < int32 < float32.
 *
 * @module
 */

/** The element type of a tensor. */
export type DType = "float32" | "int32" | "bool";

/** The typed arrays that back tensors: one per {@link DType}. */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

/** Where a tensor lives. Only `"cpu"` has a backend so far. */
export type Device = "cpu" | "webgpu";

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };

/**
 * Allocates a zero-filled typed array for `n` elements of `dtype`.
 *
 * @param dtype the element type
 * @param n the element count
 * @returns a `Float32Array`, `Int32Array` or `Uint8Array`
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { allocArray } from "./dtype.ts";
 * ok(allocArray("bool", 3) instanceof Uint8Array);
 * ```
 */
export function allocArray(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(n);
    case "int32":
      return new Int32Array(n);
    case "bool":
      return new Uint8Array(n);
    default:
      return dtype satisfies never;
  }
}

/**
 * The dtype of a typed array, or `undefined` for other arrays.
 *
 * @param data a typed array
 * @returns its dtype
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { dtypeOfArray } from "./dtype.ts";
 * equal(dtypeOfArray(new Int32Array(2)), "int32");
 * ```
 */
export function dtypeOfArray(data: ArrayBufferView): DType | undefined {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Uint8Array) return "bool";
  return undefined;
}

/**
 * The result dtype of combining two dtypes, as PyTorch promotes them.
 *
 * @param a first dtype
 * @param b second dtype
 * @returns the higher of the two in bool < int32 < float32
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { promoteTypes } from "./dtype.ts";
 * equal(promoteTypes("int32", "float32"), "float32");
 * equal(promoteTypes("bool", "int32"), "int32");
 * ```
 */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The dtype a JavaScript scalar takes when it meets a tensor: booleans are
 * `bool`, integral numbers `int32`, other numbers (incl. NaN, ±Inf) `float32`.
 *
 * @param v the scalar
 * @returns its dtype
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { scalarDType } from "./dtype.ts";
 * equal(scalarDType(2), "int32");
 * equal(scalarDType(0.5), "float32");
 * ```
 */
export function scalarDType(v: number | boolean): DType {
  if (typeof v === "boolean") return "bool";
  return Number.isInteger(v) && Math.abs(v) <= 0x7fffffff ? "int32" : "float32";
}

/**
 * Whether values of this dtype are floating point.
 *
 * @param d the dtype
 * @returns true for `float32`
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { isFloat } from "./dtype.ts";
 * equal(isFloat("int32"), false);
 * ```
 */
export function isFloat(d: DType): boolean {
  return d === "float32";
}
