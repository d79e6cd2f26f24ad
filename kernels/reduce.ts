/**
 * Reductions over one dimension of a strided view, one workgroup per output:
 * each thread folds a strided slice, then the workgroup combines the partials
 * by a tree in workgroup memory. The input is seen as (outer, len, inner):
 * element (o, r, i) sits at offset + o·outerStride + r·reduceStride +
 * i·innerStride and the output (outer, inner) is contiguous — rows of a
 * matrix are inner = 1, its columns outer = 1.
 *
 * A long row is cut into `groups` chunks of `chunk` elements, one workgroup
 * each, writing partials shaped (outer, groups, inner) that a second launch
 * reduces (see {@linkcode REDUCE_CHUNK}). This bounds the loop steps of
 * every thread: Mesa's llvmpipe/lavapipe silently ends the loops of a shader
 * invocation after 65,536 steps in all (kernels/loop_steps.ts), which made a
 * one-workgroup sum of 2^21 ones read 131,070. Steps of one invocation over L
 * elements (L = chunk, or len in one group) at T threads, at most: sum and mean
 * ⌈L / 8T⌉ + 1 (eight at a time) + 8 (the tail) + log2(T) + 1 (the tree); max,
 * min and argmax ⌈L / T⌉ + 1 + log2(T) + 1; var twice that. The backend runs
 * only sums here, in chunks; the other ops serve the kernel tests.
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
  /**
   * Elements of a row each workgroup folds (default len: one workgroup per output). Below len,
   * the output holds (outer, ceil(len / chunk), inner) partials; sum, max and min only.
   */
  chunk?: number;
  /** The element type of x and out (default "f32"; sum, max and min also run on i32). */
  type?: WgslScalar;
}

/**
 * Row elements one workgroup of a sum folds: at most 142 loop steps per invocation at 16
 * threads (26 at 256), far below llvmpipe's 65,536, and enough workgroups to keep every core
 * busy. Rows longer than this are summed in passes, each pass reducing by
 * this factor.
 */
export const REDUCE_CHUNK = 16384;

/**
 * Rows up to this long are summed by one thread each, in order (the serial kernel of
 * kernels/index_select.ts): a workgroup per output would leave most of its threads idle.
 */
export const SERIAL_SUM_MAX = 64;

/**
 * The most float32 additions any element passes through in a sum of `len` elements as the
 * WebGPU backend runs it: `len` for a short row (one thread, in order), else by
 * {@linkcode reduceLaunch} in passes of {@linkcode REDUCE_CHUNK}: per pass, 3 in its group of eight, one per step of its thread's loop, at most 7 in
 * the tail, then log2(threads) in the tree. The computed sum is Σ xᵢ(1 + δᵢ) with
 * |δᵢ| ≤ γ_D = D·u / (1 − D·u), u = 2⁻²⁴ (Higham, Accuracy and Stability, §4.2), so
 * |error| ≤ γ_D · Σ|xᵢ|.
 *
 * @param len elements of the row
 * @param threads threads per workgroup
 * @returns D
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { sumRoundingDepth } from "./reduce.ts";
 * equal(sumRoundingDepth(16, 16), 16); // one thread, in order
 * equal(sumRoundingDepth(100, 16), 3 + 0 + 7 + 4); // 7 elements per thread, a 4-level tree
 * equal(sumRoundingDepth(2 ** 20, 16), (3 + 128 + 7 + 4) + (3 + 0 + 4 + 4)); // two passes
 * ```
 */
export function sumRoundingDepth(len: number, threads: number): number {
  if (len <= SERIAL_SUM_MAX) return len;
  const tree = Math.log2(threads);
  let depth = 0;
  for (let n = len;; n = Math.ceil(n / REDUCE_CHUNK)) {
    const perThread = Math.ceil(Math.min(n, REDUCE_CHUNK) / threads);
    depth += 3 + Math.floor(perThread / 8) + Math.min(7, perThread) + tree;
    if (n <= REDUCE_CHUNK) return depth;
  }
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
  { name: "groups", type: "u32" },
  { name: "chunk", type: "u32" },
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

function body(op: ReduceOp, threads: number, type: WgslScalar): string {
  switch (op) {
    case "sum":
    case "mean": {
      const scale = op === "mean" ? " / f32(params.len)" : "";
      // eight strided loads added pairwise per step, then a tail of at most seven
      return `  var acc = ${type}(0);
  let rs = params.reduce_stride;
  let s = rs * ${threads}u;
  var r = r0 + t;
  for (; r + ${7 * threads}u < r1; r += ${8 * threads}u) {
    let b = base + r * rs;
    acc += ((x[b] + x[b + s]) + (x[b + 2u * s] + x[b + 3u * s])) +
      ((x[b + 4u * s] + x[b + 5u * s]) + (x[b + 6u * s] + x[b + 7u * s]));
  }
  for (; r < r1; r += ${threads}u) { acc += x[base + r * rs]; }
  partial[t] = acc;
${sumTree(threads)}
  if (t == 0u) { out[o] = partial[0]${scale}; }`;
    }
    case "max":
    case "min": {
      const fn = op;
      return `  var acc = x[base + r0 * params.reduce_stride];
  for (var r = r0 + t; r < r1; r += ${threads}u) { acc = ${fn}(acc, x[base + r * params.reduce_stride]); }
  partial[t] = acc;
${tree(threads, `      partial[t] = ${fn}(partial[t], partial[t + width]);`)}
  if (t == 0u) { out[o] = partial[0]; }`;
    }
    case "argmax":
      // ties go to the smallest index, as torch does
      return `  var best = x[base + r0 * params.reduce_stride];
  var best_index = r0;
  for (var r = r0 + t; r < r1; r += ${threads}u) {
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
  for (var r = r0 + t; r < r1; r += ${threads}u) { acc += x[base + r * params.reduce_stride]; }
  partial[t] = acc;
${sumTree(threads)}
  let mean = partial[0] / f32(params.len);
  workgroupBarrier();
  var dev = 0.0;
  for (var r = r0 + t; r < r1; r += ${threads}u) {
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
 * @param opts the op, threads per workgroup, element type
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { reduceWGSL } from "./reduce.ts";
 * ok(reduceWGSL({ op: "argmax" }).includes("var<storage, read_write> indices: array<i32>;"));
 * ```
 */
export function reduceWGSL(
  opts: { op: ReduceOp; threads?: number; type?: WgslScalar },
): string {
  const threads = opts.threads ?? 256;
  const argmax = opts.op === "argmax";
  const type = opts.type ?? "f32";
  return `// reduce ${opts.op}: one workgroup of ${threads} threads per output element
${uniformStructWGSL(FIELDS)}
@group(0) @binding(1) var<storage, read> x: array<${type}>;
@group(0) @binding(2) var<storage, read_write> out: array<${type}>;
${argmax ? "@group(0) @binding(3) var<storage, read_write> indices: array<i32>;" : ""}
var<workgroup> partial: array<${type}, ${threads}>;
${argmax ? `var<workgroup> partial_index: array<u32, ${threads}>;` : ""}

@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  // output index = (outer_i * groups + chunk_i) * inner + inner_i
  let o = wid.x + wid.y * groups.x;
  if (o >= params.outer * params.groups * params.inner) { return; } // uniform per workgroup
  let q = o / params.inner;
  let base = params.offset + (q / params.groups) * params.outer_stride +
    (o % params.inner) * params.inner_stride;
  let r0 = (q % params.groups) * params.chunk;
  let r1 = min(params.len, r0 + params.chunk);
${body(opts.op, threads, type)}
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
  const chunk = Math.min(p.chunk ?? p.len, p.len);
  const groups = Math.max(1, Math.ceil(p.len / Math.max(1, chunk)));
  if (groups > 1 && op !== "sum" && op !== "max" && op !== "min") {
    throw new RangeError(`Cannot chunk reduce ${op}: only sum, max and min rows split`);
  }
  return {
    name: `reduce_${op}`,
    source: reduceWGSL({ op, threads: p.threads, type: p.type }),
    workgroups: grid1d(p.outer * groups * p.inner, maxPerDim),
    uniforms: packUniforms(FIELDS, {
      outer: p.outer,
      len: p.len,
      inner: p.inner,
      outer_stride: p.outerStride ?? p.len * p.inner,
      reduce_stride: p.reduceStride ?? p.inner,
      inner_stride: p.innerStride ?? 1,
      offset: p.offset ?? 0,
      correction: p.correction ?? 1,
      groups,
      chunk: Math.max(1, chunk),
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
    else if (op === "max") values[o] = slice.reduce((a, v) => Math.max(a, v), -Infinity);
    else if (op === "min") values[o] = slice.reduce((a, v) => Math.min(a, v), Infinity);
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
