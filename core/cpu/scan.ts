/**
 * The CPU scan kernel: inclusive running sums and products along the middle dim of a
 * contiguous `(outer, n, inner)` block. It accumulates in float64 and rounds each output once,
 * as PyTorch's CPU cumsum does (its accumulator is a double); int32 outputs wrap. The WebGPU
 * twin is `kernels/scan.ts`.
 *
 * @module
 */

import type { ScanKernel } from "../backend.ts";
import type { TypedArray } from "../dtype.ts";

let scratch = new Float64Array(64);

/**
 * Scans `x[xo ..]` viewed as `(outer, n, inner)` along `n` into `out[oo ..]` (same shape).
 *
 * @param op "sum" (running sum) or "prod" (running product)
 * @param x input data
 * @param xo offset of x's first element
 * @param outer product of the dims before the scanned one
 * @param n the scanned dim's size
 * @param inner product of the dims after it
 * @param out output data
 * @param oo offset of out's first element
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { scanKernel } from "./scan.ts";
 * const out = new Float32Array(4);
 * scanKernel("sum", new Float32Array([1, 2, 3, 4]), 0, 2, 2, 1, out, 0); // rows [1, 2], [3, 4]
 * deepEqual([...out], [1, 3, 3, 7]);
 * ```
 */
export function scanKernel(
  op: ScanKernel,
  x: TypedArray,
  xo: number,
  outer: number,
  n: number,
  inner: number,
  out: TypedArray,
  oo: number,
): void {
  const prod = op === "prod";
  if (scratch.length < inner) scratch = new Float64Array(inner);
  const acc = scratch;
  for (let o = 0; o < outer; o++) {
    acc.fill(prod ? 1 : 0, 0, inner);
    for (let k = 0; k < n; k++) {
      const at = (o * n + k) * inner;
      for (let j = 0; j < inner; j++) {
        acc[j] = prod ? acc[j] * x[xo + at + j] : acc[j] + x[xo + at + j];
        out[oo + at + j] = acc[j];
      }
    }
  }
}
