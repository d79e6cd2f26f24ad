/**
 * `indexPut_` of the Tensor backend: `x[rows[j], i] = values[j, i]`, or `+=` with atomics (so
 * repeated rows add up: `atomicAdd` for int32, a compare-exchange loop for float32), for a
 * `(n, rowSize)` x and checked i32 row numbers (see flat_index.ts). Values are read through two strides, so a scalar, one row or
 * one row per index all work without a copy. The CPU twin is `indexPutKernel` in
 * core/cpu/indexing.ts.
 *
 * Loop steps (kernels/loop_steps.ts): no loop over the sizes; the compare-exchange loop retries
 * only while other invocations change the same element, so its steps are bounded by the
 * writers of one element in flight at once (a SIMD group of invocations adding to one element
 * runs it once per lane), not by the tensor sizes.
 *
 * @module
 */

import {
  grid1d,
  type KernelLaunch,
  packUniforms,
  type UniformField,
  uniformStructWGSL,
  type WgslScalar,
} from "./launch.ts";

const WORKGROUP = 256;
const FIELDS: UniformField[] = [
  { name: "count", type: "u32" },
  { name: "row_size", type: "u32" },
  { name: "x_offset", type: "u32" },
  { name: "r_offset", type: "u32" },
  { name: "v_offset", type: "u32" },
  { name: "v_stride0", type: "u32" },
  { name: "v_stride1", type: "u32" },
];

/** Sizes and layouts of one `indexPut_`. */
export interface IndexPutProblem {
  /** Number of row numbers. */
  count: number;
  /** Elements per row. */
  rowSize: number;
  /** Offset of x. */
  xOffset: number;
  /** Offset of the row numbers. */
  rowsOffset: number;
  /** Offset of the values. */
  valuesOffset: number;
  /** Strides of the values over (count, rowSize) (0 where broadcast). */
  valuesStrides: readonly [number, number];
}

/**
 * WGSL of the put (`accumulate: false`) or the accumulating put. Buffers: x, rows, values.
 *
 * @param accumulate add instead of assigning
 * @param type the element type of x and values
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { indexPutWGSL } from "./index_put.ts";
 * ok(indexPutWGSL(true, "f32").includes("atomicCompareExchangeWeak"));
 * ok(indexPutWGSL(true, "i32").includes("atomicAdd(&x[t], v)"));
 * ```
 */
export function indexPutWGSL(accumulate: boolean, type: WgslScalar): string {
  const x = !accumulate
    ? `array<${type}>`
    : type === "i32"
    ? "array<atomic<i32>>"
    : "array<atomic<u32>>";
  const write = !accumulate
    ? "  x[t] = v;"
    : type === "i32"
    ? "  atomicAdd(&x[t], v);"
    : `  var old = atomicLoad(&x[t]);
  loop {
    let next = bitcast<u32>(bitcast<f32>(old) + v);
    let res = atomicCompareExchangeWeak(&x[t], old, next);
    if (res.exchanged) { break; }
    old = res.old_value;
  }`;
  return `// index put${accumulate ? " (accumulate)" : ""}: one thread per written element
${uniformStructWGSL(FIELDS)}
@group(0) @binding(1) var<storage, read_write> x: ${x};
@group(0) @binding(2) var<storage, read> rows: array<i32>;
@group(0) @binding(3) var<storage, read> values: array<${type}>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * ${WORKGROUP}u;
  if (i >= params.count * params.row_size) { return; }
  let j = i / params.row_size;
  let k = i % params.row_size;
  let t = params.x_offset + u32(rows[params.r_offset + j]) * params.row_size + k;
  let v = values[params.v_offset + j * params.v_stride0 + k * params.v_stride1];
${write}
}
`;
}

/**
 * Launch of {@link indexPutWGSL}. Buffers: [x, rows, values].
 *
 * @param p sizes and layouts
 * @param accumulate add instead of assigning
 * @param type the element type of x and values
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { indexPutLaunch } from "./index_put.ts";
 * const p = { count: 3, rowSize: 1, xOffset: 0, rowsOffset: 0, valuesOffset: 0, valuesStrides: [0, 0] as const };
 * equal(indexPutLaunch(p, true, "i32").name, "indexPutAccumulate");
 * ```
 */
export function indexPutLaunch(
  p: IndexPutProblem,
  accumulate: boolean,
  type: WgslScalar,
  maxPerDim = 65535,
): KernelLaunch {
  return {
    name: accumulate ? "indexPutAccumulate" : "indexPut",
    source: indexPutWGSL(accumulate, type),
    workgroups: grid1d(Math.ceil(p.count * p.rowSize / WORKGROUP), maxPerDim),
    uniforms: packUniforms(FIELDS, {
      count: p.count,
      row_size: p.rowSize,
      x_offset: p.xOffset,
      r_offset: p.rowsOffset,
      v_offset: p.valuesOffset,
      v_stride0: p.valuesStrides[0],
      v_stride1: p.valuesStrides[1],
    }),
  };
}
