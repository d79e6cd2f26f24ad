/**
 * A stable sort of the rows of a `(rows, n)` tensor on the GPU, keeping the first `k` of
 * each row (`sort`, `argsort`, `topk`): a bitonic network over (value, position) keys in
 * global memory. Each row is padded to m = 2^⌈log2 n⌉ with entries that sort last; comparing
 * positions when values are equal makes the order total, so the result is the stable sort
 * whatever order the network compares in. NaN sorts above every number, −0 equals 0.
 *
 * Three kernels, launched by the backend: `init` copies a row into the key buffers, `step`
 * is one compare-exchange pass of the network (log2(m)·(log2(m)+1)/2 passes), `emit` writes the
 * first k values and positions. Loop steps (kernels/loop_steps.ts): none, in any of the three
 * (the network's passes are dispatches, not loops), so any row length keeps within llvmpipe's
 * budget. The CPU twin is `core/cpu/sort.ts`.
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

/** Element types of one sort: the sorted values' and the int32 positions' storage. */
export interface SortTypes {
  /** The storage of x and of the sorted values. */
  value: WgslScalar;
  /** The storage of the int32 `indices` output. */
  index: WgslScalar;
}

/** One sort: x is `(rows, n)`, values and indices `(rows, k)`, all contiguous. */
export interface SortProblem {
  /** Number of rows. */
  rows: number;
  /** Row length. */
  n: number;
  /** Entries kept per row. */
  k: number;
  /** Largest first. */
  descending: boolean;
  /** Offset of x's first element. */
  xOffset: number;
  /** Offset of the first value written. */
  valuesOffset: number;
  /** Offset of the first index written. */
  indicesOffset: number;
}

const FIELDS: UniformField[] = [
  "rows",
  "n",
  "m",
  "k",
  "block",
  "stride",
  "descending",
  "x_offset",
  "v_offset",
  "i_offset",
].map((name) => ({ name, type: "u32" }));

/**
 * The padded row length: the power of two the network sorts.
 *
 * @param n the row length
 * @returns 2^⌈log2 n⌉ (1 for n <= 1)
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { paddedLength } from "./sort.ts";
 * equal(paddedLength(65), 128);
 * ```
 */
export function paddedLength(n: number): number {
  let m = 1;
  while (m < n) m *= 2;
  return m;
}

// The one place an int32 index is written: the index storage's type decides the conversion.
const storeIndex = (t: SortTypes, v: string) => `${t.index}(${v})`;

function head(name: string): string {
  return `// sort ${name}
${uniformStructWGSL(FIELDS)}`;
}

const MAIN = (count: string) =>
  `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let t = gid.x + gid.y * groups.x * ${WORKGROUP}u;
  if (t >= ${count}) { return; }`;

/**
 * WGSL of the `init` kernel: keys[r, i] = x[r, i], pos[r, i] = i (i >= n marks padding).
 * Buffers: x, keys, pos.
 *
 * @param t the storage types
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { sortInitWGSL } from "./sort.ts";
 * ok(sortInitWGSL({ value: "f32", index: "f32" }).includes("pos[t] = i;"));
 * ```
 */
export function sortInitWGSL(t: SortTypes): string {
  return `${head("init")}
@group(0) @binding(1) var<storage, read> x: array<${t.value}>;
@group(0) @binding(2) var<storage, read_write> keys: array<${t.value}>;
@group(0) @binding(3) var<storage, read_write> pos: array<u32>;
${MAIN("params.rows * params.m")}
  let r = t / params.m;
  let i = t % params.m;
  if (i < params.n) { keys[t] = x[params.x_offset + r * params.n + i]; }
  pos[t] = i;
}
`;
}

/**
 * WGSL of one compare-exchange pass (`block`, `stride`) of the bitonic network.
 * Buffers: keys, pos.
 *
 * @param t the storage types
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { sortStepWGSL } from "./sort.ts";
 * ok(sortStepWGSL({ value: "f32", index: "f32" }).includes("fn before("));
 * ```
 */
export function sortStepWGSL(t: SortTypes): string {
  const greater = t.value === "f32"
    ? `fn greater(a: f32, b: f32) -> bool {
  // NaN above every number (bit tests: the compiler may assume comparisons never see NaN)
  let a_nan = (bitcast<u32>(a) & 0x7fffffffu) > 0x7f800000u;
  let b_nan = (bitcast<u32>(b) & 0x7fffffffu) > 0x7f800000u;
  if (a_nan) { return !b_nan; }
  return !b_nan && a > b;
}`
    : `fn greater(a: i32, b: i32) -> bool { return a > b; }`;
  return `${head("step")}
@group(0) @binding(1) var<storage, read_write> keys: array<${t.value}>;
@group(0) @binding(2) var<storage, read_write> pos: array<u32>;
${greater}
// whether (ka, pa) comes before (kb, pb) in the final order; padding (pos >= n) comes last
fn before(ka: ${t.value}, pa: u32, kb: ${t.value}, pb: u32) -> bool {
  let pad_a = pa >= params.n;
  let pad_b = pb >= params.n;
  if (pad_a != pad_b) { return pad_b; }
  if (!pad_a) {
    let desc = params.descending != 0u;
    if (greater(ka, kb)) { return desc; }
    if (greater(kb, ka)) { return !desc; }
  }
  return pa < pb;
}
${MAIN("params.rows * (params.m / 2u)")}
  let half = params.m / 2u;
  let r = t / half;
  let q = t % half;
  let i = (q / params.stride) * 2u * params.stride + q % params.stride;
  let a = r * params.m + i;
  let b = a + params.stride;
  let ka = keys[a];
  let kb = keys[b];
  let pa = pos[a];
  let pb = pos[b];
  // the network sorts blocks with (i & block) == 0 forwards, the others backwards
  let forwards = (i & params.block) == 0u;
  if (select(before(ka, pa, kb, pb), before(kb, pb, ka, pa), forwards)) {
    keys[a] = kb;
    keys[b] = ka;
    pos[a] = pb;
    pos[b] = pa;
  }
}
`;
}

/**
 * WGSL of the `emit` kernel: the first k keys and positions of each sorted row.
 * Buffers: keys, pos, values, indices.
 *
 * @param t the storage types
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { sortEmitWGSL } from "./sort.ts";
 * ok(sortEmitWGSL({ value: "f32", index: "i32" }).includes("= i32(pos[src]);"));
 * ```
 */
export function sortEmitWGSL(t: SortTypes): string {
  return `${head("emit")}
@group(0) @binding(1) var<storage, read> keys: array<${t.value}>;
@group(0) @binding(2) var<storage, read> pos: array<u32>;
@group(0) @binding(3) var<storage, read_write> values: array<${t.value}>;
@group(0) @binding(4) var<storage, read_write> indices: array<${t.index}>;
${MAIN("params.rows * params.k")}
  let r = t / params.k;
  let src = r * params.m + t % params.k;
  values[params.v_offset + t] = keys[src];
  indices[params.i_offset + t] = ${storeIndex(t, "pos[src]")};
}
`;
}

/**
 * The launches of one sort, in order: init, the network's passes, emit. Buffers: init
 * [x, keys, pos]; each step [keys, pos]; emit [keys, pos, values, indices], where keys
 * (value storage) and pos (u32) hold `rows · paddedLength(n)` elements.
 *
 * @param p the problem (rows, n and k at least 1)
 * @param t the storage types
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launches
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { sortLaunches } from "./sort.ts";
 * const p = { rows: 2, n: 5, k: 5, descending: false, xOffset: 0, valuesOffset: 0, indicesOffset: 0 };
 * const names = sortLaunches(p, { value: "f32", index: "f32" }).map((l) => l.name);
 * deepEqual(names, ["sortInit", ...Array(6).fill("sortStep"), "sortEmit"]); // m = 8: 1 + 2 + 3 passes
 * ```
 */
export function sortLaunches(p: SortProblem, t: SortTypes, maxPerDim = 65535): KernelLaunch[] {
  const m = paddedLength(p.n);
  const values = {
    rows: p.rows,
    n: p.n,
    m,
    k: p.k,
    block: 0,
    stride: 0,
    descending: p.descending ? 1 : 0,
    x_offset: p.xOffset,
    v_offset: p.valuesOffset,
    i_offset: p.indicesOffset,
  };
  const launch = (name: string, source: string, threads: number): KernelLaunch => ({
    name,
    source,
    workgroups: grid1d(Math.ceil(threads / WORKGROUP), maxPerDim),
    uniforms: packUniforms(FIELDS, values),
  });
  const out = [launch("sortInit", sortInitWGSL(t), p.rows * m)];
  const step = sortStepWGSL(t);
  for (let block = 2; block <= m; block *= 2) {
    for (let stride = block / 2; stride >= 1; stride /= 2) {
      values.block = block;
      values.stride = stride;
      out.push(launch("sortStep", step, p.rows * m / 2));
    }
  }
  out.push(launch("sortEmit", sortEmitWGSL(t), p.rows * p.k));
  return out;
}
