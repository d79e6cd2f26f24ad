/**
 * Fused cross-entropy of the Tensor backend, in up to three dispatches: for "mean", a count of
 * the rows not ignored ({@link crossEntropyCountWGSL}); the row kernel
 * ({@link crossEntropyWGSL}: per-row loss and the gradient `softmax − target distribution`,
 * divided by that count for "mean"); and the reduction of the row losses, run by the backend's
 * sum and div kernels. Targets are checked in the row kernel: one outside `[0, C)` that is not
 * `ignore_index` goes to the error record. The CPU twin is `crossEntropyKernel` in
 * core/cpu/cross_entropy.ts. Loop steps per invocation (see kernels/loop_steps.ts):
 * {@linkcode crossEntropyLoopSteps} for the row kernel (the backend takes more threads for a
 * long row on llvmpipe, and refuses rows too long even for 256), and
 * {@linkcode crossEntropyCountLoopSteps} for the count, which runs in chunks of
 * {@linkcode CROSS_ENTROPY_COUNT_CHUNK} rows per workgroup.
 *
 * @module
 */

import {
  errorRecordWGSL,
  grid1d,
  type KernelLaunch,
  packUniforms,
  type UniformField,
  uniformStructWGSL,
} from "./launch.ts";
import { stridedLoopSteps, treeLoopSteps } from "./loop_steps.ts";

/** Rows of logits, their targets, and what the row kernel does with them. */
export interface CrossEntropyProblem {
  /** Number of rows (examples). */
  rows: number;
  /** Number of classes. */
  cols: number;
  /** A target whose rows count for nothing. */
  ignoreIndex: number;
  /** Label smoothing ε. */
  labelSmoothing: number;
  /** Divide the gradient by the count of rows not ignored ("mean"). */
  mean: boolean;
  /** The error-record code for a target out of range. */
  code: number;
  /** Threads per row (rowThreads() in launch.ts picks by adapter). */
  threads: number;
}

const FIELDS: UniformField[] = [
  { name: "rows", type: "u32" },
  { name: "cols", type: "u32" },
  { name: "ignore_index", type: "i32" },
  { name: "smoothing", type: "f32" },
  { name: "mean", type: "u32" },
  { name: "code", type: "u32" },
  { name: "chunk", type: "u32" },
];

/**
 * Rows one workgroup of the count kernel counts: ⌈16384 / threads⌉ + 1 + log2(threads) + 1
 * loop steps per invocation (1,030 at 16 threads), far below llvmpipe's 65,536. More rows
 * are counted by several workgroups, whose partial counts the backend sums.
 */
export const CROSS_ENTROPY_COUNT_CHUNK = 16384;

/**
 * Loop steps of one invocation of the row kernel ({@linkcode crossEntropyWGSL}): three
 * strided passes over the row (max and sum, sum of exp, gradient) and three trees,
 * 3·(⌈cols / threads⌉ + 1) + 3·(log2(threads) + 1). Over 65,536 at 16 threads from
 * cols = 349,425.
 *
 * @param cols the number of classes
 * @param threads threads per row
 * @returns the steps
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { crossEntropyLoopSteps } from "./cross_entropy.ts";
 * equal(crossEntropyLoopSteps(349_424, 16), 65_535);
 * equal(crossEntropyLoopSteps(349_425, 16), 65_538);
 * ```
 */
export function crossEntropyLoopSteps(cols: number, threads: number): number {
  return 3 * stridedLoopSteps(cols, threads) + 3 * treeLoopSteps(threads);
}

/**
 * Loop steps of one invocation of the count kernel ({@linkcode crossEntropyCountWGSL}) over
 * `rows` rows: a strided pass and a tree, ⌈rows / threads⌉ + 1 + log2(threads) + 1. One
 * workgroup counted all rows before: over 65,536 at 16 threads from 1,048,481 rows.
 *
 * @param rows rows one workgroup counts
 * @param threads threads of the workgroup
 * @returns the steps
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { crossEntropyCountLoopSteps } from "./cross_entropy.ts";
 * equal(crossEntropyCountLoopSteps(1_048_480, 16), 65_536);
 * equal(crossEntropyCountLoopSteps(16_384, 16), 1_030);
 * ```
 */
export function crossEntropyCountLoopSteps(rows: number, threads: number): number {
  return stridedLoopSteps(rows, threads) + treeLoopSteps(threads);
}

/**
 * Workgroups of the count kernel: one per {@linkcode CROSS_ENTROPY_COUNT_CHUNK} rows.
 *
 * @param rows rows of logits
 * @returns the number of partial counts
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { crossEntropyCountGroups } from "./cross_entropy.ts";
 * equal(crossEntropyCountGroups(16_384), 1);
 * equal(crossEntropyCountGroups(16_385), 2);
 * ```
 */
export function crossEntropyCountGroups(rows: number): number {
  return Math.max(1, Math.ceil(rows / CROSS_ENTROPY_COUNT_CHUNK));
}

function tree(threads: number, combine: string): string {
  return `  for (var width = ${threads / 2}u; width > 0u; width = width / 2u) {
    workgroupBarrier();
    if (t < width) { ${combine} }
  }
  workgroupBarrier();`;
}

/**
 * WGSL of the row kernel, one workgroup per row. Buffers: x, targets, count (the count
 * kernel's output; read for "mean"), loss (per row), grad, err.
 *
 * @param threads threads per row (a power of two)
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { crossEntropyWGSL } from "./cross_entropy.ts";
 * ok(crossEntropyWGSL(16).includes("var<workgroup> partial: array<f32, 16>"));
 * ```
 */
export function crossEntropyWGSL(threads: number): string {
  return `// cross-entropy forward + gradient: one workgroup of ${threads} threads per row
${uniformStructWGSL(FIELDS)}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<i32>;
@group(0) @binding(3) var<storage, read> count: array<f32>;
@group(0) @binding(4) var<storage, read_write> loss: array<f32>;
@group(0) @binding(5) var<storage, read_write> grad: array<f32>;
${errorRecordWGSL(6)}
var<workgroup> partial: array<f32, ${threads}>;

@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let row = wid.x + wid.y * groups.x;
  if (row >= params.rows) { return; } // uniform per workgroup
  let base = row * params.cols;
  let label = targets[row];
  let ignored = label == params.ignore_index;
  if (!ignored && (label < 0 || label >= i32(params.cols))) {
    if (t == 0u) { report(params.code, label, i32(params.cols), row); }
  }
  let valid = !ignored && label >= 0 && label < i32(params.cols);
  var m = -3.4028234663852886e38;
  var sx = 0.0;
  for (var c = t; c < params.cols; c += ${threads}u) {
    m = max(m, x[base + c]);
    sx += x[base + c];
  }
  partial[t] = m;
${tree(threads, "partial[t] = max(partial[t], partial[t + width]);")}
  let row_max = partial[0];
  workgroupBarrier();
  var s = 0.0;
  for (var c = t; c < params.cols; c += ${threads}u) { s += exp(x[base + c] - row_max); }
  partial[t] = s;
${tree(threads, "partial[t] = partial[t] + partial[t + width];")}
  let row_sum = partial[0];
  workgroupBarrier();
  partial[t] = sx;
${tree(threads, "partial[t] = partial[t] + partial[t + width];")}
  let x_sum = partial[0];
  let eps = params.smoothing;
  let n_classes = f32(params.cols);
  let lse = log(row_sum) + row_max;
  let scale = select(1.0, 1.0 / count[0], params.mean != 0u);
  if (t == 0u) {
    let nll = lse - x[base + u32(clamp(label, 0, i32(params.cols) - 1))];
    let spread_loss = n_classes * lse - x_sum;
    loss[row] = select(0.0, (1.0 - eps) * nll + eps / n_classes * spread_loss, valid);
  }
  for (var c = t; c < params.cols; c += ${threads}u) {
    let p = exp(x[base + c] - row_max) / row_sum;
    let want = select(0.0, 1.0 - eps, i32(c) == label) + eps / n_classes;
    grad[base + c] = select(0.0, (p - want) * scale, valid);
  }
}
`;
}

/**
 * WGSL of the count kernel, one workgroup per {@linkcode CROSS_ENTROPY_COUNT_CHUNK} rows:
 * `count[g]` = the number of targets of chunk g that are not `ignore_index`, as f32 (exact up
 * to 2^24). Buffers: targets, count (one float per workgroup).
 *
 * @param threads threads of the workgroup (a power of two)
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { crossEntropyCountWGSL } from "./cross_entropy.ts";
 * ok(crossEntropyCountWGSL(16).includes("count[g] = partial[0];"));
 * ```
 */
export function crossEntropyCountWGSL(threads: number): string {
  return `// cross-entropy: rows not ignored, one workgroup of ${threads} threads per chunk of rows
${uniformStructWGSL(FIELDS)}
@group(0) @binding(1) var<storage, read> targets: array<i32>;
@group(0) @binding(2) var<storage, read_write> count: array<f32>;
var<workgroup> partial: array<f32, ${threads}>;

@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let g = wid.x;
  let r1 = min(params.rows, (g + 1u) * params.chunk);
  var n = 0.0;
  for (var r = g * params.chunk + t; r < r1; r += ${threads}u) {
    n += select(1.0, 0.0, targets[r] == params.ignore_index);
  }
  partial[t] = n;
${tree(threads, "partial[t] = partial[t] + partial[t + width];")}
  if (t == 0u) { count[g] = partial[0]; }
}
`;
}

function uniforms(p: CrossEntropyProblem): Uint32Array<ArrayBuffer> {
  return packUniforms(FIELDS, {
    rows: p.rows,
    cols: p.cols,
    ignore_index: p.ignoreIndex,
    smoothing: p.labelSmoothing,
    mean: p.mean ? 1 : 0,
    code: p.code,
    chunk: CROSS_ENTROPY_COUNT_CHUNK,
  });
}

/**
 * Launch of the row kernel. Buffers: [x, targets, count, loss, grad, err].
 *
 * @param p the problem
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { crossEntropyLaunch } from "./cross_entropy.ts";
 * const p = { rows: 32, cols: 27, ignoreIndex: -100, labelSmoothing: 0, mean: true, code: 1, threads: 16 };
 * deepEqual(crossEntropyLaunch(p).workgroups, [32, 1, 1]);
 * ```
 */
export function crossEntropyLaunch(p: CrossEntropyProblem, maxPerDim = 65535): KernelLaunch {
  return {
    name: "crossEntropy",
    source: crossEntropyWGSL(p.threads),
    workgroups: grid1d(p.rows, maxPerDim),
    uniforms: uniforms(p),
  };
}

/**
 * Launch of the count kernel. Buffers: [targets, count] (count: one float per workgroup,
 * {@linkcode crossEntropyCountGroups}).
 *
 * @param p the problem
 * @returns the launch
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { crossEntropyCountLaunch } from "./cross_entropy.ts";
 * const p = { rows: 32, cols: 27, ignoreIndex: -1, labelSmoothing: 0, mean: true, code: 1, threads: 16 };
 * deepEqual(crossEntropyCountLaunch(p).workgroups, [1, 1, 1]);
 * deepEqual(crossEntropyCountLaunch({ ...p, rows: 40_000 }).workgroups, [3, 1, 1]);
 * ```
 */
export function crossEntropyCountLaunch(p: CrossEntropyProblem): KernelLaunch {
  return {
    name: "crossEntropyCount",
    source: crossEntropyCountWGSL(p.threads),
    workgroups: [crossEntropyCountGroups(p.rows), 1, 1],
    uniforms: uniforms(p),
  };
}
