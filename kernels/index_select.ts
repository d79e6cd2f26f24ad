/**
 * Kernels of the Tensor backend that index by a tensor of (i32, already checked) indices
 * or reduce with indices: index-select over an (outer, size, inner) view and
 * its scatter-add backward, and a one-thread-per-output reduction for
 * arg-max/min and logsumexp.
 *
 * Loop steps (kernels/loop_steps.ts): the serial reduction over a chunk of C elements takes
 * C + 1 (sums and arg ops) or 2·C + 1 (logsumexp: the max, then the sum of exp), 8,193 at
 * {@linkcode SERIAL_REDUCE_CHUNK}; index-select has no loop; the scatter-add's
 * compare-exchange loop retries only while other invocations change the same element, so its
 * steps are bounded by the writers of one element in flight at once (a SIMD group adding to
 * one element runs it once per lane), not by the tensor sizes.
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
  { name: "outer", type: "u32" },
  { name: "size", type: "u32" },
  { name: "inner", type: "u32" },
  { name: "count", type: "u32" },
  { name: "x_offset", type: "u32" },
  { name: "i_offset", type: "u32" },
];

const HEAD = `${uniformStructWGSL(FIELDS)}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * ${WORKGROUP}u; // over (outer, count, inner)
  if (i >= params.outer * params.count * params.inner) { return; }
  let k = i % params.inner;
  let j = (i / params.inner) % params.count;
  let o = i / (params.inner * params.count);
  let r = u32(clamp(idx[params.i_offset + j], 0, i32(params.size) - 1));`;

/**
 * WGSL of `out[o, j, k] = x[o, idx[j], k]`. Buffers: x, idx (i32), out.
 *
 * @param type the element type of x and out
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { indexSelectWGSL } from "./index_select.ts";
 * ok(indexSelectWGSL().includes("out[i] = x[params.x_offset"));
 * ```
 */
export function indexSelectWGSL(type: WgslScalar = "f32"): string {
  return `// index select: one thread per output element
@group(0) @binding(1) var<storage, read> x: array<${type}>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> out: array<${type}>;
${HEAD}
  out[i] = x[params.x_offset + (o * params.size + r) * params.inner + k];
}
`;
}

/**
 * WGSL of `acc[o, idx[j], k] += g[o, j, k]` (compare-exchange float atomics).
 * Buffers: g, idx (i32), acc (zeroed first).
 *
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { indexAddWGSL } from "./index_select.ts";
 * ok(indexAddWGSL().includes("atomicCompareExchangeWeak"));
 * ```
 */
export function indexAddWGSL(): string {
  return `// index add (scatter-add backward of index select)
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> acc: array<atomic<u32>>;
${HEAD}
  let t = (o * params.size + r) * params.inner + k;
  let add = g[params.x_offset + i];
  var old = atomicLoad(&acc[t]);
  loop {
    let next = bitcast<u32>(bitcast<f32>(old) + add);
    let res = atomicCompareExchangeWeak(&acc[t], old, next);
    if (res.exchanged) { break; }
    old = res.old_value;
  }
}
`;
}

/** Sizes of an index-select: x is (outer, size, inner), idx has `count` entries. */
export interface IndexSelectProblem {
  /** Product of dims before the indexed one. */
  outer: number;
  /** Length of the indexed dim of x. */
  size: number;
  /** Product of dims after it. */
  inner: number;
  /** Number of indices. */
  count: number;
  /** Offset of x (or of g for the backward). */
  xOffset: number;
  /** Offset of idx. */
  iOffset: number;
}

/**
 * Launch of the forward (`backward: false`) or the scatter-add.
 *
 * @param p sizes
 * @param backward the scatter-add instead of the select
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @param type the element type of x and out (the scatter-add is f32)
 * @returns the launch
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { indexSelectLaunch } from "./index_select.ts";
 * const p = { outer: 1, size: 5, inner: 3, count: 4, xOffset: 0, iOffset: 0 };
 * equal(indexSelectLaunch(p, false).name, "indexSelect");
 * ```
 */
export function indexSelectLaunch(
  p: IndexSelectProblem,
  backward: boolean,
  maxPerDim = 65535,
  type: WgslScalar = "f32",
): KernelLaunch {
  return {
    name: backward ? "indexAdd" : "indexSelect",
    source: backward ? indexAddWGSL() : indexSelectWGSL(type),
    workgroups: grid1d(Math.ceil(p.outer * p.count * p.inner / WORKGROUP), maxPerDim),
    uniforms: packUniforms(FIELDS, {
      outer: p.outer,
      size: p.size,
      inner: p.inner,
      count: p.count,
      x_offset: p.xOffset,
      i_offset: p.iOffset,
    }),
  };
}

/** Reductions of {@linkcode serialReduceWGSL}. */
export type SerialReduceOp = "argmax" | "argmin" | "logsumexp" | "sum";

const RFIELDS: UniformField[] = [
  { name: "outer", type: "u32" },
  { name: "len", type: "u32" },
  { name: "inner", type: "u32" },
  { name: "offset", type: "u32" },
  { name: "groups", type: "u32" },
  { name: "chunk", type: "u32" },
];

/**
 * Row elements one thread of {@linkcode serialReduceWGSL} folds (logsumexp reads them twice):
 * llvmpipe ends a shader invocation's loops after 65,536 steps in all (kernels/loop_steps.ts),
 * so longer rows are reduced in passes over (outer, groups, inner) partials.
 */
export const SERIAL_REDUCE_CHUNK = 4096;

/**
 * WGSL of a one-thread-per-output reduction of a contiguous (outer, len, inner)
 * view: arg-max/min (values and i32 indices, NaN wins, ties to the first) or
 * logsumexp, or a sum (of short rows, in order). Buffers: x, out, indices (arg
 * ops only), and with `chained` the
 * indices of the partials being reduced (a later pass: the index written is the
 * partial's). Thread (o, g) folds elements [g·chunk, (g+1)·chunk) of row o into
 * partial (outer_o, g, inner_o); one group gives the final result.
 *
 * @param op the reduction
 * @param chained whether x holds partials of an arg op whose indices come in a 4th buffer
 * @param type the element type of x and out (i32 for sums and arg ops of int32 tensors;
 *   logsumexp is f32 only)
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { serialReduceWGSL } from "./index_select.ts";
 * ok(serialReduceWGSL("logsumexp").includes("log(s)"));
 * ```
 */
export function serialReduceWGSL(
  op: SerialReduceOp,
  chained = false,
  type: WgslScalar = "f32",
): string {
  const arg = op === "argmax" || op === "argmin";
  const index = (r: string) => chained ? `u32(indices_in[base + ${r} * params.inner])` : r;
  const better = op === "argmax" ? "v > best" : "v < best";
  const body = arg
    ? `  var best = x[base + r0 * params.inner];
  var bi = r0;
  for (var r = r0; r < r1; r++) {
    let v = x[base + r * params.inner];
    if (!(best == best)) { break; }
    if (!(v == v) || ${better}) { best = v; bi = r; }
  }
  out[o] = best;
  indices[o] = i32(${index("bi")});`
    : op === "sum"
    ? `  var s = ${type}(0);
  for (var r = r0; r < r1; r++) { s += x[base + r * params.inner]; }
  out[o] = s;`
    : `  var m = x[base + r0 * params.inner];
  for (var r = r0 + 1u; r < r1; r++) { m = max(m, x[base + r * params.inner]); }
  if (abs(m) > 3.4028234663852886e38) { out[o] = m; return; }
  var s = 0.0;
  for (var r = r0; r < r1; r++) { s += exp(x[base + r * params.inner] - m); }
  out[o] = m + log(s);`;
  return `// ${op}: one thread per output
${uniformStructWGSL(RFIELDS)}
@group(0) @binding(1) var<storage, read> x: array<${type}>;
@group(0) @binding(2) var<storage, read_write> out: array<${type}>;
${arg ? "@group(0) @binding(3) var<storage, read_write> indices: array<i32>;" : ""}
${chained ? "@group(0) @binding(4) var<storage, read> indices_in: array<i32>;" : ""}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  // o = (outer_i * groups + chunk_i) * inner + inner_i
  let o = gid.x + gid.y * groups.x * 64u;
  if (o >= params.outer * params.groups * params.inner) { return; }
  let q = o / params.inner;
  let base = params.offset + (q / params.groups) * params.len * params.inner + o % params.inner;
  let r0 = (q % params.groups) * params.chunk;
  let r1 = min(params.len, r0 + params.chunk);
${body}
}
`;
}

/**
 * Launch of {@linkcode serialReduceWGSL}. Buffers: [x, out] or [x, out, indices]
 * (and the partials' indices when `chained`). With `chunk` below `len` the output
 * holds (outer, ceil(len / chunk), inner) partials.
 *
 * @param op the reduction
 * @param outer dims before
 * @param len the reduced length
 * @param inner dims after
 * @param offset x's offset
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @param chunk elements per thread (default len)
 * @param chained whether x holds partials with their indices in a 4th buffer
 * @param type the element type of x and out
 * @returns the launch
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { serialReduceLaunch } from "./index_select.ts";
 * equal(serialReduceLaunch("argmin", 2, 3, 1, 0).name, "argmin");
 * ```
 */
export function serialReduceLaunch(
  op: SerialReduceOp,
  outer: number,
  len: number,
  inner: number,
  offset: number,
  maxPerDim = 65535,
  chunk = len,
  chained = false,
  type: WgslScalar = "f32",
): KernelLaunch {
  const size = Math.max(1, Math.min(chunk, len));
  const groups = Math.max(1, Math.ceil(len / size));
  return {
    name: `${op}${chained ? "Chained" : ""}`,
    source: serialReduceWGSL(op, chained, type),
    workgroups: grid1d(Math.ceil(outer * groups * inner / 64), maxPerDim),
    uniforms: packUniforms(RFIELDS, { outer, len, inner, offset, groups, chunk: size }),
  };
}
