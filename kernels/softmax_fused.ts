/**
 * The WGSL of attention's fused softmax kernels, one workgroup per row like softmax.ts:
 *
 * - `causalSoftmax`: softmax of each row of `x·scale` over `(rows, cols)` matrices, entry
 *   (i, j) masked (0 in the output) when j > i + cols − rows; a row with no entry left is NaN;
 * - `softmaxBackward`: `out = scale·y·(g − Σ g·y)` per row.
 *
 * @module
 */

import {
  grid1d,
  type KernelLaunch,
  packUniforms,
  type UniformField,
  uniformStructWGSL,
} from "./launch.ts";
import { tree } from "./softmax.ts";

const CAUSAL_FIELDS: UniformField[] = [
  { name: "rows", type: "u32" }, // rows in all, matrices·rows_per
  { name: "cols", type: "u32" },
  { name: "rows_per", type: "u32" },
  { name: "x_offset", type: "u32" },
  { name: "scale", type: "f32" },
];

const BACKWARD_FIELDS: UniformField[] = [
  { name: "rows", type: "u32" },
  { name: "cols", type: "u32" },
  { name: "y_offset", type: "u32" },
  { name: "g_offset", type: "u32" },
  { name: "scale", type: "f32" },
];

const HEADER = (threads: number) => `
var<workgroup> partial: array<f32, ${threads}>;

@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let row = wid.x + wid.y * groups.x;
  if (row >= params.rows) { return; } // uniform per workgroup`;

/**
 * The causal softmax's WGSL. Bindings: params, x, out.
 *
 * @param threads threads per row (a power of two)
 * @returns the source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { causalSoftmaxWGSL } from "./softmax_fused.ts";
 * ok(causalSoftmaxWGSL(64).includes("@workgroup_size(64)"));
 * ```
 */
export function causalSoftmaxWGSL(threads: number): string {
  return `// causal softmax of x·scale over rows: one workgroup of ${threads} thread(s) per row
${uniformStructWGSL(CAUSAL_FIELDS)}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${HEADER(threads)}
  let base = params.x_offset + row * params.cols;
  // keys 0 ..< valid are visible to this query
  let visible = i32(row % params.rows_per) + i32(params.cols) - i32(params.rows_per) + 1;
  let valid = u32(clamp(visible, 0, i32(params.cols)));
  var m = -3.4028234663852886e38;
  for (var c = t; c < valid; c += ${threads}u) { m = max(m, x[base + c] * params.scale); }
  partial[t] = m;
${tree(threads, "partial[t] = max(partial[t], partial[t + width]);")}
  let row_max = partial[0];
${threads > 1 ? "  workgroupBarrier();" : ""}
  var s = 0.0;
  for (var c = t; c < valid; c += ${threads}u) { s += exp(x[base + c] * params.scale - row_max); }
  partial[t] = s;
${tree(threads, "partial[t] = partial[t] + partial[t + width];")}
  let row_sum = partial[0];
  let nan = bitcast<f32>(0x7fc00000u);
  for (var c = t; c < params.cols; c += ${threads}u) {
    var v = 0.0;
    if (valid == 0u) { v = nan; } else if (c < valid) { v = exp(x[base + c] * params.scale - row_max) / row_sum; }
    out[row * params.cols + c] = v;
  }
}
`;
}

/**
 * Softmax's backward WGSL. Bindings: params, y, g, out.
 *
 * @param threads threads per row (a power of two)
 * @returns the source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { softmaxBackwardWGSL } from "./softmax_fused.ts";
 * ok(softmaxBackwardWGSL(1).includes("@workgroup_size(1)"));
 * ```
 */
export function softmaxBackwardWGSL(threads: number): string {
  return `// softmax backward over rows: one workgroup of ${threads} thread(s) per row
${uniformStructWGSL(BACKWARD_FIELDS)}
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
${HEADER(threads)}
  let yb = params.y_offset + row * params.cols;
  let gb = params.g_offset + row * params.cols;
  var s = 0.0;
  for (var c = t; c < params.cols; c += ${threads}u) { s += g[gb + c] * y[yb + c]; }
  partial[t] = s;
${tree(threads, "partial[t] = partial[t] + partial[t + width];")}
  let dot = partial[0];
  for (var c = t; c < params.cols; c += ${threads}u) {
    out[row * params.cols + c] = params.scale * y[yb + c] * (g[gb + c] - dot);
  }
}
`;
}

/**
 * Launch of the causal softmax. Buffers: [x, out] (out: matrices·rows·cols floats).
 *
 * @param p the problem: matrices of rows x cols from x's offset, the scale, threads per row
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 */
export function causalSoftmaxLaunch(
  p: {
    matrices: number;
    rows: number;
    cols: number;
    offset: number;
    scale: number;
    threads: number;
  },
  maxPerDim = 65535,
): KernelLaunch {
  const rows = p.matrices * p.rows;
  return {
    name: "causalSoftmax",
    source: causalSoftmaxWGSL(p.threads),
    workgroups: grid1d(rows, maxPerDim),
    uniforms: packUniforms(CAUSAL_FIELDS, {
      rows,
      cols: p.cols,
      rows_per: p.rows,
      x_offset: p.offset,
      scale: p.scale,
    }),
  };
}

/**
 * Launch of softmax's backward. Buffers: [y, g, out] (out: rows·cols floats).
 *
 * @param p rows x cols of y and g from their offsets, the scale, threads per row
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 */
export function softmaxBackwardLaunch(
  p: {
    rows: number;
    cols: number;
    yOffset: number;
    gOffset: number;
    scale: number;
    threads: number;
  },
  maxPerDim = 65535,
): KernelLaunch {
  return {
    name: "softmaxBackward",
    source: softmaxBackwardWGSL(p.threads),
    workgroups: grid1d(p.rows, maxPerDim),
    uniforms: packUniforms(BACKWARD_FIELDS, {
      rows: p.rows,
      cols: p.cols,
      y_offset: p.yOffset,
      g_offset: p.gOffset,
      scale: p.scale,
    }),
  };
}
