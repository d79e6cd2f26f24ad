/**
 * Softmax and log-softmax over the rows of a (rows x cols) matrix, one
 * workgroup per row: a workgroup max, a workgroup sum of exp(x - max), then
 * each thread writes its strided share of the row. Its loop steps per invocation are
 * {@linkcode softmaxLoopSteps}: on llvmpipe the backend takes more threads for a long row, and
 * normalises rows too long even for 256 threads in passes (a logsumexp per row, then
 * elementwise kernels).
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

/** The two forms. */
export type SoftmaxOp = "softmax" | "logSoftmax";

/** Rows to normalise. */
export interface SoftmaxProblem {
  /** Number of rows. */
  rows: number;
  /** Row length. */
  cols: number;
  /** Elements between row starts of the input (default cols); output rows are contiguous. */
  rowStride?: number;
  /** Offset of the input (default 0). */
  offset?: number;
  /** Threads per row (default 256; rowThreads() in launch.ts picks by adapter). */
  threads?: number;
}

const FIELDS: UniformField[] = [
  { name: "rows", type: "u32" },
  { name: "cols", type: "u32" },
  { name: "row_stride", type: "u32" },
  { name: "offset", type: "u32" },
];

/**
 * WGSL that tree-combines `partial` into element 0 (nothing to do with one thread per row).
 *
 * @param threads threads per row (a power of two)
 * @param combine the statement that folds `partial[t + width]` into `partial[t]`
 * @returns the WGSL lines
 */
export function tree(threads: number, combine: string): string {
  if (threads === 1) return "";
  return `  for (var width = ${threads / 2}u; width > 0u; width = width / 2u) {
    workgroupBarrier();
    if (t < width) { ${combine} }
  }
  workgroupBarrier();`;
}

/**
 * Loop steps of one invocation of {@linkcode softmaxWGSL} (see kernels/loop_steps.ts): three
 * strided passes over the row (max, sum of exp, write) and two trees,
 * 3·(⌈cols / threads⌉ + 1) + 2·(log2(threads) + 1). Over 65,536 at 16 threads from
 * cols = 349,457.
 *
 * @param cols the row length
 * @param threads threads per row
 * @returns the steps
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { softmaxLoopSteps } from "./softmax.ts";
 * equal(softmaxLoopSteps(349_456, 16), 65_536);
 * equal(softmaxLoopSteps(349_457, 16), 65_539);
 * ```
 */
export function softmaxLoopSteps(cols: number, threads: number): number {
  return 3 * stridedLoopSteps(cols, threads) + 2 * treeLoopSteps(threads);
}

/**
 * WGSL of softmax or log-softmax. Buffers: x, out.
 *
 * @param opts the form
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { softmaxWGSL } from "./softmax.ts";
 * ok(softmaxWGSL({ op: "logSoftmax" }).includes("x[base + c] - row_max - log(row_sum)"));
 * ```
 */
export function softmaxWGSL(opts: { op: SoftmaxOp; threads?: number }): string {
  const threads = opts.threads ?? 256;
  const write = opts.op === "softmax"
    ? "exp(x[base + c] - row_max) / row_sum"
    : "x[base + c] - row_max - log(row_sum)";
  return `// ${opts.op} over rows: one workgroup of ${threads} thread(s) per row
${uniformStructWGSL(FIELDS)}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
var<workgroup> partial: array<f32, ${threads}>;

@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let row = wid.x + wid.y * groups.x;
  if (row >= params.rows) { return; } // uniform per workgroup
  let base = params.offset + row * params.row_stride;
  var m = -3.4028234663852886e38;
  for (var c = t; c < params.cols; c += ${threads}u) { m = max(m, x[base + c]); }
  partial[t] = m;
${tree(threads, "partial[t] = max(partial[t], partial[t + width]);")}
  let row_max = partial[0];
${threads > 1 ? "  workgroupBarrier();" : ""}
  var s = 0.0;
  for (var c = t; c < params.cols; c += ${threads}u) { s += exp(x[base + c] - row_max); }
  partial[t] = s;
${tree(threads, "partial[t] = partial[t] + partial[t + width];")}
  let row_sum = partial[0];
  for (var c = t; c < params.cols; c += ${threads}u) {
    out[row * params.cols + c] = ${write};
  }
}
`;
}

/**
 * Launch of softmax / log-softmax. Buffers: [x, out] (out: rows·cols floats).
 *
 * @param op the form
 * @param problem the rows
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 */
export function softmaxLaunch(
  op: SoftmaxOp,
  problem: SoftmaxProblem,
  maxPerDim = 65535,
): KernelLaunch {
  return {
    name: op,
    source: softmaxWGSL({ op, threads: problem.threads }),
    workgroups: grid1d(problem.rows, maxPerDim),
    uniforms: packUniforms(FIELDS, {
      rows: problem.rows,
      cols: problem.cols,
      row_stride: problem.rowStride ?? problem.cols,
      offset: problem.offset ?? 0,
    }),
  };
}

/**
 * CPU twin of {@linkcode softmaxLaunch} (float64 inside, rounded once).
 *
 * @param op the form
 * @param x input buffer
 * @param problem the rows
 * @returns contiguous (rows x cols) output
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { softmaxCPU } from "./softmax.ts";
 * const p = softmaxCPU("softmax", new Float32Array([0, Math.log(3)]), { rows: 1, cols: 2 });
 * ok(Math.abs(p[0] - 0.25) < 1e-7 && Math.abs(p[1] - 0.75) < 1e-7);
 * ```
 */
export function softmaxCPU(op: SoftmaxOp, x: Float32Array, problem: SoftmaxProblem): Float32Array {
  const { rows, cols } = problem;
  const stride = problem.rowStride ?? cols, off = problem.offset ?? 0;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(off + r * stride, off + r * stride + cols);
    const m = row.reduce((a, v) => Math.max(a, v), -Infinity);
    let s = 0;
    for (const v of row) s += Math.exp(v - m);
    for (let c = 0; c < cols; c++) {
      out[r * cols + c] = op === "softmax" ? Math.exp(row[c] - m) / s : row[c] - m - Math.log(s);
    }
  }
  return out;
}
