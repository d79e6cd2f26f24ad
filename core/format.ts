/**
 * Readback helpers: nested arrays from flat data, and a printout in the
 * style of PyTorch's `print(tensor)`.
 *
 * @module
 */

import type { DType, TypedArray } from "./dtype.ts";

/** Nested arrays of numbers (or booleans for bool tensors), as `toArray()` returns. */
export type NestedValues = number | boolean | NestedValues[];

/**
 * Turns row-major flat data into nested arrays of `shape`.
 *
 * @param data the elements, row-major
 * @param shape the dims
 * @param dtype bool data becomes booleans
 * @returns a scalar for a 0-d shape, else nested arrays
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { nest } from "./format.ts";
 * deepEqual(nest(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], "float32"), [[1, 2, 3], [4, 5, 6]]);
 * ```
 */
export function nest(data: TypedArray, shape: readonly number[], dtype: DType): NestedValues {
  const conv = dtype === "bool" ? (v: number) => v !== 0 : (v: number) => v;
  if (shape.length === 0) return conv(data[0]);
  let pos = 0;
  const rec = (d: number): NestedValues[] => {
    const out: NestedValues[] = [];
    if (d === shape.length - 1) {
      for (let i = 0; i < shape[d]; i++) out.push(conv(data[pos++]));
    } else for (let i = 0; i < shape[d]; i++) out.push(rec(d + 1));
    return out;
  };
  return rec(0);
}

function floatFormatter(data: TypedArray): (v: number) => string {
  let maxAbs = 0, minAbs = Infinity, ints = true;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    if (v !== Math.round(v)) ints = false;
    const a = Math.abs(v);
    if (a === 0) continue;
    if (a > maxAbs) maxAbs = a;
    if (a < minAbs) minAbs = a;
  }
  const special = (v: number) => (v !== v ? "nan" : v > 0 ? "inf" : "-inf");
  const sci = (v: number) => v.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2");
  if (ints) {
    if (maxAbs > 1e8) return (v) => (Number.isFinite(v) ? sci(v) : special(v));
    return (v) => (Number.isFinite(v) ? `${v.toFixed(0)}.` : special(v));
  }
  if (maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4) {
    return (v) => (Number.isFinite(v) ? sci(v) : special(v));
  }
  return (v) => (Number.isFinite(v) ? v.toFixed(4) : special(v));
}

/**
 * Formats values like PyTorch: `tensor([[1.0000, 2.5000], ...])` with
 * aligned columns, `...` summarising tensors over 1000 elements, and the
 * extras (`dtype=...`, `requires_grad=True`, `grad_fn=<...>`) appended.
 *
 * @param data the elements, row-major
 * @param shape the dims
 * @param dtype the dtype
 * @param extras suffix items such as `requires_grad=True`
 * @returns the printout
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { formatTensor } from "./format.ts";
 * equal(formatTensor(new Float32Array([1, 2.5, -3, 4]), [2, 2], "float32", []),
 *   "tensor([[ 1.0000,  2.5000],\n        [-3.0000,  4.0000]])");
 * ```
 */
export function formatTensor(
  data: TypedArray,
  shape: readonly number[],
  dtype: DType,
  extras: readonly string[],
): string {
  const fmt = elementFormatter(data, dtype);
  const summarize = data.length > 1000;
  const strs: string[] = Array.from(data, (v) => fmt(v));
  const width = strs.reduce((w, s) => Math.max(w, s.length), 0);
  const pad = (s: string) => s.padStart(width);
  const strides: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i];
  }
  const indent = "tensor(".length;
  const rec = (d: number, base: number): string => {
    const n = shape[d];
    const idx: (number | null)[] = summarize && n > 6 ? [0, 1, 2, null, n - 3, n - 2, n - 1] : [
      ...Array(n).keys(),
    ];
    if (d === shape.length - 1) {
      return `[${idx.map((i) => (i === null ? "..." : pad(strs[base + i]))).join(", ")}]`;
    }
    const sep = "," + "\n".repeat(shape.length - 1 - d) + " ".repeat(indent + d + 1);
    return `[${
      idx.map((i) => (i === null ? "..." : rec(d + 1, base + i * strides[d]))).join(sep)
    }]`;
  };
  let body: string;
  if (shape.length === 0) body = strs[0];
  else if (data.length === 0) body = "[]";
  else body = rec(0, 0);
  const parts = [body];
  if (data.length === 0 && shape.length > 1) parts.push(`size=(${shape.join(", ")})`);
  parts.push(...extras);
  return `tensor(${parts.join(", ")})`;
}

/**
 * The formatter `formatTensor` applies to each element: `True`/`False` for
 * bool, integers for int32, and for float32 one style chosen for all of `data`
 * (fixed `1.0000`, whole `3.`, or scientific `1.0000e-05`), as PyTorch does.
 *
 * @param data all elements that will be shown together
 * @param dtype their dtype
 * @returns the formatter
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { elementFormatter } from "./format.ts";
 * const data = new Float32Array([1, 2.5]);
 * deepEqual(Array.from(data, elementFormatter(data, "float32")), ["1.0000", "2.5000"]);
 * ```
 */
export function elementFormatter(data: TypedArray, dtype: DType): (v: number) => string {
  if (dtype === "bool") return (v) => (v !== 0 ? "True" : "False");
  if (dtype === "int32") return (v) => String(v);
  return floatFormatter(data);
}
