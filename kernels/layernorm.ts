/**
 * LayerNorm over the last dimension of a (rows x C) matrix: the forward pass
 * saves mean and rstd per row; the backward pass gives dx per row (one
 * workgroup per row) and dweight/dbias per column (kernels/layernorm_params.ts).
 * Loop steps per invocation (see kernels/loop_steps.ts) are
 * {@linkcode layerNormForwardLoopSteps} and {@linkcode layerNormBackwardLoopSteps}: on llvmpipe
 * the backend takes more threads for a long row, and refuses rows too long even for 256.
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
import { stridedLoopSteps, treeLoopSteps } from "./loop_steps.ts";

/** Rows to normalise. */
export interface LayerNormProblem {
  /** Number of rows. */
  rows: number;
  /** Normalised length C. */
  cols: number;
  /** Added to the variance (default 1e-5, as torch). */
  eps?: number;
  /** Threads per row (default 256; rowThreads() in launch.ts picks by adapter). */
  threads?: number;
}

const FIELDS: UniformField[] = [
  { name: "rows", type: "u32" },
  { name: "cols", type: "u32" },
  { name: "eps", type: "f32" },
];

function tree(threads: number): string {
  return `  for (var width = ${threads / 2}u; width > 0u; width = width / 2u) {
    workgroupBarrier();
    if (t < width) {
      partial[t] = partial[t] + partial[t + width];
      partial2[t] = partial2[t] + partial2[t + width];
    }
  }
  workgroupBarrier();`;
}

const header = (threads: number) =>
  `@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let row = wid.x + wid.y * groups.x;
  if (row >= params.rows) { return; } // uniform per workgroup
  let base = row * params.cols;
  let n = f32(params.cols);`;

/**
 * Loop steps of one invocation of the forward pass: three strided passes over the row (sum,
 * squared deviations, write) and two trees, 3·(⌈cols / threads⌉ + 1) + 2·(log2(threads) + 1).
 * Over 65,536 at 16 threads from cols = 349,457.
 *
 * @param cols the row length C
 * @param threads threads per row
 * @returns the steps
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { layerNormForwardLoopSteps } from "./layernorm.ts";
 * equal(layerNormForwardLoopSteps(349_456, 16), 65_536);
 * equal(layerNormForwardLoopSteps(349_457, 16), 65_539);
 * ```
 */
export function layerNormForwardLoopSteps(cols: number, threads: number): number {
  return 3 * stridedLoopSteps(cols, threads) + 2 * treeLoopSteps(threads);
}

/**
 * Loop steps of one invocation of the dx pass: two strided passes over the row (the sums, the
 * write) and a tree, 2·(⌈cols / threads⌉ + 1) + log2(threads) + 1. Over 65,536 at 16 threads
 * from cols = 524,225.
 *
 * @param cols the row length C
 * @param threads threads per row
 * @returns the steps
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { layerNormBackwardLoopSteps } from "./layernorm.ts";
 * equal(layerNormBackwardLoopSteps(524_224, 16), 65_535);
 * equal(layerNormBackwardLoopSteps(524_225, 16), 65_537);
 * ```
 */
export function layerNormBackwardLoopSteps(cols: number, threads: number): number {
  return 2 * stridedLoopSteps(cols, threads) + treeLoopSteps(threads);
}

/**
 * WGSL of the forward pass. Buffers: x, weight, bias, y, mean, rstd.
 *
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { layerNormForwardWGSL } from "./layernorm.ts";
 * ok(layerNormForwardWGSL().includes("let r = inverseSqrt(var_ + params.eps);"));
 * ```
 */
export function layerNormForwardWGSL(opts: { threads?: number } = {}): string {
  const threads = opts.threads ?? 256;
  return `// layernorm forward: one workgroup of ${threads} threads per row; saves mean and rstd
${uniformStructWGSL(FIELDS)}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> weight: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<storage, read_write> mean_out: array<f32>;
@group(0) @binding(6) var<storage, read_write> rstd_out: array<f32>;
var<workgroup> partial: array<f32, ${threads}>;
var<workgroup> partial2: array<f32, ${threads}>;

${header(threads)}
  var s = 0.0;
  for (var c = t; c < params.cols; c += ${threads}u) { s += x[base + c]; }
  partial[t] = s;
  partial2[t] = 0.0;
${tree(threads)}
  let mean = partial[0] / n;
  workgroupBarrier();
  var d2 = 0.0;
  for (var c = t; c < params.cols; c += ${threads}u) { let d = x[base + c] - mean; d2 = fma(d, d, d2); }
  partial[t] = d2;
${tree(threads)}
  let var_ = partial[0] / n; // biased, as torch's layer_norm
  let r = inverseSqrt(var_ + params.eps);
  if (t == 0u) { mean_out[row] = mean; rstd_out[row] = r; }
  for (var c = t; c < params.cols; c += ${threads}u) {
    y[base + c] = (x[base + c] - mean) * r * weight[c] + bias[c];
  }
}
`;
}

/**
 * WGSL of the input gradient: dx = rstd·(g - mean(g) - xhat·mean(g·xhat)), g = dy·weight.
 * Buffers: dy, x, weight, mean, rstd, dx.
 *
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { layerNormBackwardWGSL } from "./layernorm.ts";
 * ok(layerNormBackwardWGSL().includes("dx[base + c] = r * (g - mean_g - xhat * mean_gx);"));
 * ```
 */
export function layerNormBackwardWGSL(opts: { threads?: number } = {}): string {
  const threads = opts.threads ?? 256;
  return `// layernorm backward (dx): one workgroup of ${threads} threads per row
${uniformStructWGSL(FIELDS)}
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> weight: array<f32>;
@group(0) @binding(4) var<storage, read> mean_in: array<f32>;
@group(0) @binding(5) var<storage, read> rstd_in: array<f32>;
@group(0) @binding(6) var<storage, read_write> dx: array<f32>;
var<workgroup> partial: array<f32, ${threads}>;
var<workgroup> partial2: array<f32, ${threads}>;

${header(threads)}
  let mean = mean_in[row];
  let r = rstd_in[row];
  var sg = 0.0;
  var sgx = 0.0;
  for (var c = t; c < params.cols; c += ${threads}u) {
    let g = dy[base + c] * weight[c];
    sg += g;
    sgx = fma(g, (x[base + c] - mean) * r, sgx);
  }
  partial[t] = sg;
  partial2[t] = sgx;
${tree(threads)}
  let mean_g = partial[0] / n;
  let mean_gx = partial2[0] / n;
  for (var c = t; c < params.cols; c += ${threads}u) {
    let g = dy[base + c] * weight[c];
    let xhat = (x[base + c] - mean) * r;
    dx[base + c] = r * (g - mean_g - xhat * mean_gx);
  }
}
`;
}

function uniforms(p: LayerNormProblem) {
  return packUniforms(FIELDS, { rows: p.rows, cols: p.cols, eps: p.eps ?? 1e-5 });
}

/**
 * Launch of the forward pass. Buffers: [x, weight, bias, y, mean (rows), rstd (rows)].
 *
 * @param p rows, C, eps
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 */
export function layerNormForwardLaunch(p: LayerNormProblem, maxPerDim = 65535): KernelLaunch {
  return {
    name: "layerNorm",
    source: layerNormForwardWGSL({ threads: p.threads }),
    workgroups: grid1d(p.rows, maxPerDim),
    uniforms: uniforms(p),
  };
}

/**
 * Launch of the dx pass. Buffers: [dy, x, weight, mean, rstd, dx].
 *
 * @param p rows, C
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 */
export function layerNormBackwardLaunch(p: LayerNormProblem, maxPerDim = 65535): KernelLaunch {
  return {
    name: "layerNormBackward",
    source: layerNormBackwardWGSL({ threads: p.threads }),
    workgroups: grid1d(p.rows, maxPerDim),
    uniforms: uniforms(p),
  };
}

/**
 * CPU twin of the forward pass.
 *
 * @param x input (rows x C)
 * @param weight (C)
 * @param bias (C)
 * @param p rows, C, eps
 * @returns y, mean, rstd
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { layerNormForwardCPU } from "./layernorm.ts";
 * const { y } = layerNormForwardCPU(new Float32Array([1, 3]), new Float32Array([1, 1]),
 *   new Float32Array([0, 0]), { rows: 1, cols: 2, eps: 0 });
 * ok(Math.abs(y[0] + 1) < 1e-6 && Math.abs(y[1] - 1) < 1e-6);
 * ```
 */
export function layerNormForwardCPU(
  x: Float32Array,
  weight: Float32Array,
  bias: Float32Array,
  p: LayerNormProblem,
): { y: Float32Array; mean: Float32Array; rstd: Float32Array } {
  const { rows, cols } = p;
  const eps = p.eps ?? 1e-5;
  const y = new Float32Array(rows * cols), mean = new Float32Array(rows);
  const rstd = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * cols, (r + 1) * cols);
    const m = row.reduce((s, v) => s + v, 0) / cols;
    const v = row.reduce((s, a) => s + (a - m) ** 2, 0) / cols;
    const rs = 1 / Math.sqrt(v + eps);
    mean[r] = m;
    rstd[r] = rs;
    for (let c = 0; c < cols; c++) y[r * cols + c] = (row[c] - m) * rs * weight[c] + bias[c];
  }
  return { y, mean, rstd };
}

/**
 * CPU twin of both backward passes.
 *
 * @param dy upstream gradient (rows x C)
 * @param x forward input
 * @param weight (C)
 * @param mean saved mean per row
 * @param rstd saved rstd per row
 * @param p rows, C
 * @returns dx, dweight, dbias
 */
export function layerNormBackwardCPU(
  dy: Float32Array,
  x: Float32Array,
  weight: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  p: LayerNormProblem,
): { dx: Float32Array; dweight: Float32Array; dbias: Float32Array } {
  const { rows, cols } = p;
  const dx = new Float32Array(rows * cols);
  const dweight = new Float64Array(cols), dbias = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    let sg = 0, sgx = 0;
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const xhat = (x[i] - mean[r]) * rstd[r];
      const g = dy[i] * weight[c];
      sg += g;
      sgx += g * xhat;
      dweight[c] += dy[i] * xhat;
      dbias[c] += dy[i];
    }
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const xhat = (x[i] - mean[r]) * rstd[r];
      dx[i] = rstd[r] * (dy[i] * weight[c] - sg / cols - xhat * sgx / cols);
    }
  }
  return { dx, dweight: Float32Array.from(dweight), dbias: Float32Array.from(dbias) };
}
