/**
 * Reductions over one dimension of a strided view, one workgroup per output:
 * each thread folds a strided slice, then the workgroup combines the partials
 * by a tree in workgroup memory. The input is seen as (outer, len, inner):
 * element (o, r, i) sits at offset + o·outerStride + r·reduceStride +
 * i·innerStride and the output (outer, inner) is contiguous — rows of a
 * matrix are inner = 1, its columns outer = 1.
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

/** Reductions the kernel implements. `argmax` also writes the max value. */
export type ReduceOp = "sum" | "mean" | "max" | "min" | "argmax" | "var";

/** The view being reduced. */
export interface ReduceProblem {
  /** Product of the dimensions before the reduced one. */
  outer: number;
  /** Length of the reduced dimension. */
  len: number;
  /** Product of the dimensions after it. */
  inner: number;
  /** Stride (elements) between consecutive outer indices (default len·inner). */
  outerStride?: number;
  /** Stride along the reduced dimension (default inner). */
  reduceStride?: number;
  /** Stride between consecutive inner indices (default 1). */
  innerStride?: number;
  /** Offset of the first element (default 0). */
  offset?: number;
  /** For var: divide by len - correction (1 = unbiased, torch's default). */
  correction?: number;
  /** Threads per output (default 256; rowThreads() in launch.ts picks by adapter). */
  threads?: number;
}

const FIELDS: UniformField[] = [
  { name: "outer", type: "u32" },
  { name: "len", type: "u32" },
  { name: "inner", type: "u32" },
  { name: "outer_stride", type: "u32" },
  { name: "reduce_stride", type: "u32" },
  { name: "inner_stride", type: "u32" },
  { name: "offset", type: "u32" },
  { name: "correction", type: "f32" },
];

/** Tree-combine `partial` (and `partial_index` for argmax) into element 0. */
function tree(threads: number, combine: string): string {
  return `  for (var width = ${threads / 2}u; width > 0u; width = width / 2u) {
    workgroupBarrier();
    if (t < width) {
${combine}
    }
  }
  workgroupBarrier();`;
}

const sumTree = (threads: number) =>
  tree(threads, "      partial[t] = partial[t] + partial[t + width];");

function body(op: ReduceOp, threads: number): string {
  switch (op) {
    case "sum":
    case "mean": {
      const scale = op === "mean" ? " / f32(params.len)" : "";
      return `  var acc = 0.0;
  for (var r = t; r < params.len; r += ${threads}u) { acc += x[base + r * params.reduce_stride]; }
  partial[t] = acc;
${sumTree(threads)}
  if (t == 0u) { out[o] = partial[0]${scale}; }`;
    }
    case "max":
    case "min": {
      const fn = op;
      return `  var acc = x[base];
  for (var r = t; r < params.len; r += ${threads}u) { acc = ${fn}(acc, x[base + r * params.reduce_stride]); }
  partial[t] = acc;
${tree(threads, `      partial[t] = ${fn}(partial[t], partial[t + width]);`)}
  if (t == 0u) { out[o] = partial[0]; }`;
    }
    case "argmax":
      // ties go to the smallest index, as torch does
      return `  var best = x[base];
  var best_index = 0u;
  for (var r = t; r < params.len; r += ${threads}u) {
    let v = x[base + r * params.reduce_stride];
    if (v > best || (v == best && r < best_index)) { best = v; best_index = r; }
  }
  partial[t] = best;
  partial_index[t] = best_index;
${
        tree(
          threads,
          `      let v = partial[t + width];
      let i = partial_index[t + width];
      if (v > partial[t] || (v == partial[t] && i < partial_index[t])) {
        partial[t] = v;
        partial_index[t] = i;
      }`,
        )
      }
  if (t == 0u) { out[o] = partial[0]; indices[o] = i32(partial_index[0]); }`;
    case "var":
      // two passes over the slice: the mean, then squared deviations from it
      return `  var acc = 0.0;
  for (var r = t; r < params.len; r += ${threads}u) { acc += x[base + r * params.reduce_stride]; }
  partial[t] = acc;
${sumTree(threads)}
  let mean = partial[0] / f32(params.len);
  workgroupBarrier();
  var dev = 0.0;
  for (var r = t; r < params.len; r += ${threads}u) {
    let d = x[base + r * params.reduce_stride] - mean;
    dev = fma(d, d, dev);
  }
  partial[t] = dev;
${sumTree(threads)}
  if (t == 0u) { out[o] = partial[0] / (f32(params.len) - params.correction); }`;
    default:
      throw new RangeError(`Cannot generate reduce kernel: unknown op ${op satisfies never}`);
  }
}

/**
 * WGSL of a reduction. Buffers: x, out (and indices, i32, for argmax).
 *
 * @param opts the op
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { reduceWGSL } from "./reduce.ts";
 * ok(reduceWGSL({ op: "argmax" }).includes("var<storage, read_write> indices: array<i32>;"));
 * ```
 */
export function reduceWGSL(opts: { op: ReduceOp; threads?: number }): string {
  const threads = opts.threads ?? 256;
  const argmax = opts.op === "argmax";
  return `// reduce ${opts.op}: one workgroup of ${threads} threads per output element
${uniformStructWGSL(FIELDS)}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${argmax ? "@group(0) @binding(3) var<storage, read_write> indices: array<i32>;" : ""}
var<workgroup> partial: array<f32, ${threads}>;
${argmax ? `var<workgroup> partial_index: array<u32, ${threads}>;` : ""}

@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let o = wid.x + wid.y * groups.x; // output index = outer_i * inner + inner_i
  if (o >= params.outer * params.inner) { return; } // uniform per workgroup
  let base = params.offset + (o / params.inner) * params.outer_stride +
    (o % params.inner) * params.inner_stride;
${body(opts.op, threads)}
}
`;
}

/**
 * Launch of a reduction over a (outer, len, inner) view. Buffers: [x, out]
 * (out holds outer·inner floats) or, for argmax, [x, out, indices].
 *
 * @param op the reduction
 * @param problem the view
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 */
export function reduceLaunch(
  op: ReduceOp,
  problem: ReduceProblem,
  maxPerDim = 65535,
): KernelLaunch {
  const p = problem;
  return {
    name: `reduce_${op}`,
    source: reduceWGSL({ op, threads: p.threads }),
    workgroups: grid1d(p.outer * p.inner, maxPerDim),
    uniforms: packUniforms(FIELDS, {
      outer: p.outer,
      len: p.len,
      inner: p.inner,
      outer_stride: p.outerStride ?? p.len * p.inner,
      reduce_stride: p.reduceStride ?? p.inner,
      inner_stride: p.innerStride ?? 1,
      offset: p.offset ?? 0,
      correction: p.correction ?? 1,
    }),
  };
}

/**
 * CPU twin of {@linkcode reduceLaunch} (float64 sums, rounded once).
 *
 * @param op the reduction
 * @param x input buffer
 * @param problem the view
 * @returns values (and indices for argmax)
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { reduceCPU } from "./reduce.ts";
 * const x = new Float32Array([1, 5, 2, 7, 0, 7]); // 2x3
 * deepEqual([...reduceCPU("sum", x, { outer: 2, len: 3, inner: 1 }).values], [8, 14]);
 * deepEqual([...reduceCPU("argmax", x, { outer: 1, len: 2, inner: 3 }).indices!], [1, 0, 1]);
 * ```
 */
export function reduceCPU(
  op: ReduceOp,
  x: Float32Array,
  problem: ReduceProblem,
): { values: Float32Array; indices: Int32Array | null } {
  const p = problem;
  const os = p.outerStride ?? p.len * p.inner, rs = p.reduceStride ?? p.inner;
  const is = p.innerStride ?? 1, off = p.offset ?? 0;
  const n = p.outer * p.inner;
  const values = new Float32Array(n);
  const indices = op === "argmax" ? new Int32Array(n) : null;
  for (let o = 0; o < n; o++) {
    const base = off + Math.floor(o / p.inner) * os + (o % p.inner) * is;
    const slice = Array.from({ length: p.len }, (_, r) => x[base + r * rs]);
    const sum = slice.reduce((s, v) => s + v, 0);
    if (op === "sum") values[o] = sum;
    else if (op === "mean") values[o] = sum / p.len;
    else if (op === "max") values[o] = Math.max(...slice);
    else if (op === "min") values[o] = Math.min(...slice);
    else if (op === "var") {
      const mean = sum / p.len;
      values[o] = slice.reduce((s, v) => s + (v - mean) ** 2, 0) / (p.len - (p.correction ?? 1));
    } else {
      let best = 0;
      for (let r = 1; r < p.len; r++) if (slice[r] > slice[best]) best = r;
      values[o] = slice[best];
      indices![o] = best;
    }
  }
  return { values, indices };
}
