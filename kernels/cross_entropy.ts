/**
 * Cross-entropy forward fused with its gradient, one workgroup per row of
 * logits: loss[r] = logsumexp(x[r]) - x[r, y[r]] and
 * grad[r] = (softmax(x[r]) - onehot(y[r])) · gradScale (1/rows for a mean).
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

/** Rows of logits and their class targets. */
export interface CrossEntropyProblem {
  /** Number of rows (examples). */
  rows: number;
  /** Number of classes. */
  cols: number;
  /** Factor on the gradient: 1/rows for reduction "mean", 1 for "sum" (default 1/rows). */
  gradScale?: number;
  /** Threads per row (default 256; rowThreads() in launch.ts picks by adapter). */
  threads?: number;
}

const FIELDS: UniformField[] = [
  { name: "rows", type: "u32" },
  { name: "cols", type: "u32" },
  { name: "grad_scale", type: "f32" },
];

function tree(threads: number, combine: string): string {
  return `  for (var width = ${threads / 2}u; width > 0u; width = width / 2u) {
    workgroupBarrier();
    if (t < width) { ${combine} }
  }
  workgroupBarrier();`;
}

/**
 * WGSL of the fused kernel. Buffers: logits (f32), targets (i32), loss (f32 per row), grad (f32).
 *
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { crossEntropyWGSL } from "./cross_entropy.ts";
 * ok(crossEntropyWGSL().includes("loss[row] = log(row_sum) + row_max - x[base + u32(label)];"));
 * ```
 */
export function crossEntropyWGSL(opts: { threads?: number } = {}): string {
  const threads = opts.threads ?? 256;
  return `// cross-entropy forward + gradient: one workgroup of ${threads} threads per row
${uniformStructWGSL(FIELDS)}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<i32>;
@group(0) @binding(3) var<storage, read_write> loss: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad: array<f32>;
var<workgroup> partial: array<f32, ${threads}>;

@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let row = wid.x + wid.y * groups.x;
  if (row >= params.rows) { return; } // uniform per workgroup
  let base = row * params.cols;
  var m = -3.4028234663852886e38;
  for (var c = t; c < params.cols; c += ${threads}u) { m = max(m, x[base + c]); }
  partial[t] = m;
${tree(threads, "partial[t] = max(partial[t], partial[t + width]);")}
  let row_max = partial[0];
  workgroupBarrier();
  var s = 0.0;
  for (var c = t; c < params.cols; c += ${threads}u) { s += exp(x[base + c] - row_max); }
  partial[t] = s;
${tree(threads, "partial[t] = partial[t] + partial[t + width];")}
  let row_sum = partial[0];
  let label = targets[row];
  if (t == 0u) { loss[row] = log(row_sum) + row_max - x[base + u32(label)]; }
  for (var c = t; c < params.cols; c += ${threads}u) {
    let p = exp(x[base + c] - row_max) / row_sum;
    grad[base + c] = (p - select(0.0, 1.0, i32(c) == label)) * params.grad_scale;
  }
}
`;
}

/**
 * Launch of the fused kernel. Buffers: [logits, targets, loss (rows floats), grad (rows·cols)].
 *
 * @param problem rows, classes, gradient scale
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 */
export function crossEntropyLaunch(problem: CrossEntropyProblem, maxPerDim = 65535): KernelLaunch {
  return {
    name: "cross_entropy",
    source: crossEntropyWGSL({ threads: problem.threads }),
    workgroups: grid1d(problem.rows, maxPerDim),
    uniforms: packUniforms(FIELDS, {
      rows: problem.rows,
      cols: problem.cols,
      grad_scale: problem.gradScale ?? 1 / problem.rows,
    }),
  };
}

/**
 * CPU twin: per-row losses and the scaled gradient (float64 inside).
 *
 * @param x logits (rows x cols)
 * @param targets class per row
 * @param problem rows, classes, gradient scale
 * @returns losses per row and the gradient
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { crossEntropyCPU } from "./cross_entropy.ts";
 * const { loss, grad } = crossEntropyCPU(new Float32Array([0, 0]), new Int32Array([1]),
 *   { rows: 1, cols: 2 });
 * ok(Math.abs(loss[0] - Math.LN2) < 1e-7);
 * ok(Math.abs(grad[1] + 0.5) < 1e-7);
 * ```
 */
export function crossEntropyCPU(
  x: Float32Array,
  targets: Int32Array,
  problem: CrossEntropyProblem,
): { loss: Float32Array; grad: Float32Array } {
  const { rows, cols } = problem;
  const scale = problem.gradScale ?? 1 / rows;
  const loss = new Float32Array(rows);
  const grad = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * cols, (r + 1) * cols);
    const m = Math.max(...row);
    let s = 0;
    for (const v of row) s += Math.exp(v - m);
    loss[r] = Math.log(s) + m - row[targets[r]];
    for (let c = 0; c < cols; c++) {
      grad[r * cols + c] = (Math.exp(row[c] - m) / s - (c === targets[r] ? 1 : 0)) * scale;
    }
  }
  return { loss, grad };
}
