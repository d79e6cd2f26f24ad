/**
 * Test assertion for tensors: element-wise closeness with NaN and ±Inf
 * compared exactly (NaN only matches NaN, Inf only the same Inf).
 *
 * @module
 */

import { AssertionError } from "node:assert";
import type { NestedValues } from "../format.ts";
import type { Tensor } from "../tensor.ts";

function flat(v: NestedValues | ArrayLike<number>): number[] {
  if (typeof v === "number") return [v];
  if (typeof v === "boolean") return [v ? 1 : 0];
  const out: number[] = [];
  const arr = Array.from(v as ArrayLike<number | boolean | NestedValues>);
  for (const x of arr) out.push(...flat(x as NestedValues));
  return out;
}

function shapeOf(v: NestedValues): number[] {
  const s: number[] = [];
  let cur = v;
  while (Array.isArray(cur)) {
    s.push(cur.length);
    cur = cur[0];
  }
  return s;
}

/**
 * Asserts a tensor's shape and values: `|a − e| ≤ atol + rtol·|e|`, NaN and
 * ±Inf compared exactly.
 *
 * @param actual the tensor
 * @param expected nested arrays of the expected values (shape is checked)
 * @param opts tolerances (default atol 1e-5, rtol 1e-5)
 * @throws {AssertionError} naming the first differing element
 * @example
 * ```ts
 * import { assertClose } from "./assert_close.ts";
 * import { tensor } from "../ops/creation.ts";
 * assertClose(tensor([1, NaN, Infinity]).mul(2), [2, NaN, Infinity]);
 * ```
 */
export function assertClose(
  actual: Tensor,
  expected: NestedValues,
  opts: { atol?: number; rtol?: number } = {},
): void {
  const atol = opts.atol ?? 1e-5, rtol = opts.rtol ?? 1e-5;
  const es = shapeOf(expected);
  if (es.length !== actual.shape.length || es.some((d, i) => d !== actual.shape[i])) {
    throw new AssertionError({
      message: `shape (${actual.shape.join(", ")}) differs from expected (${es.join(", ")})`,
    });
  }
  const a = flat(actual.dataSync()), e = flat(expected);
  for (let i = 0; i < e.length; i++) {
    const x = a[i], y = e[i];
    const same = Number.isNaN(y)
      ? Number.isNaN(x)
      : !Number.isFinite(y)
      ? x === y
      : Number.isFinite(x) && Math.abs(x - y) <= atol + rtol * Math.abs(y);
    if (!same) {
      throw new AssertionError({
        message: `element ${i} (flat) is ${x}, expected ${y} (atol ${atol}, rtol ${rtol})`,
      });
    }
  }
}
