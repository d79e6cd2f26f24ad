/**
 * Inclusive scans (running sums or products) along the middle dim of a contiguous
 * `(outer, n, inner)` tensor on the GPU. A column of up to `SCAN_BLOCK` elements is scanned by
 * one thread; a longer one in blocks: each block is scanned by one thread that also writes
 * its total, the totals are scanned (recursively, by the backend), and every element past
 * the first block is combined with the total of the blocks before it. So no invocation loops
 * more than `SCAN_BLOCK` times: loop steps per invocation (kernels/loop_steps.ts) are at most
 * 1,025 in the block pass ({@linkcode scanLoopSteps}) and none in the carry pass, within
 * llvmpipe's budget for any length. Float32 sums are compensated (Kahan), so they stay within
 * an ulp or two of the float64 accumulation of the CPU twin (`core/cpu/scan.ts`, as PyTorch's
 * CPU cumsum); products and int32 sums accumulate plainly in the storage type.
 *
 * @module
 */

import type { ScanKernel } from "../core/backend.ts";
import {
  grid1d,
  type KernelLaunch,
  packUniforms,
  type UniformField,
  uniformStructWGSL,
  type WgslScalar,
} from "./launch.ts";
import { loopSteps } from "./loop_steps.ts";

const WORKGROUP = 256;

/** Elements one thread scans in a row. */
export const SCAN_BLOCK = 1024;

/**
 * Loop steps of one invocation of the block scan over a dim of n elements (kernels/loop_steps.ts):
 * one loop of at most {@linkcode SCAN_BLOCK} iterations, whatever n, so every scan keeps within
 * llvmpipe's budget. The carry pass and the recursion over block totals add no loop.
 *
 * @param n the scanned dim's size
 * @returns min(n, SCAN_BLOCK) + 1
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { LLVMPIPE_LOOP_STEPS } from "./loop_steps.ts";
 * import { scanLoopSteps } from "./scan.ts";
 * ok(scanLoopSteps(1e9) <= LLVMPIPE_LOOP_STEPS);
 * ```
 */
export function scanLoopSteps(n: number): number {
  return loopSteps(Math.min(n, SCAN_BLOCK));
}

/** One scan pass over x `(outer, n, inner)` at `xOffset` into out (same shape) at `outOffset`. */
export interface ScanProblem {
  /** Product of the dims before the scanned one. */
  outer: number;
  /** The scanned dim's size. */
  n: number;
  /** Product of the dims after it. */
  inner: number;
  /** Offset of x's first element. */
  xOffset: number;
  /** Offset of out's first element. */
  outOffset: number;
}

const FIELDS: UniformField[] = [
  "outer",
  "n",
  "inner",
  "blocks",
  "x_offset",
  "out_offset",
  "opaque", // always 0: hides the Kahan step's algebra from the compiler
].map((name) => ({ name, type: "u32" }));

const identity = (op: ScanKernel, t: WgslScalar) =>
  op === "sum" ? (t === "f32" ? "0.0" : "0") : (t === "f32" ? "1.0" : "1");
const combine = (op: ScanKernel, a: string, b: string) =>
  op === "sum" ? `${a} + ${b}` : `${a} * ${b}`;

function head(what: string, op: ScanKernel, t: WgslScalar): string {
  return `// scan (${op}, ${t}): ${what}
${uniformStructWGSL(FIELDS)}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * ${WORKGROUP}u;`;
}

/**
 * WGSL of the block scan: one thread per (outer, block, inner) scans `SCAN_BLOCK` elements of
 * its column into out and writes the block's total to `totals` (`(outer, blocks, inner)`).
 * Buffers: x, out, totals.
 *
 * @param op "sum" or "prod"
 * @param t the storage type of x, out and totals
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { scanBlocksWGSL } from "./scan.ts";
 * ok(scanBlocksWGSL("prod", "f32").includes("acc = acc * x["));
 * ```
 */
export function scanBlocksWGSL(op: ScanKernel, t: WgslScalar): string {
  const kahan = op === "sum" && t === "f32";
  const step = kahan ? KAHAN_STEP : `    acc = ${combine(op, "acc", "x[params.x_offset + at]")};`;
  return `@group(0) @binding(1) var<storage, read> x: array<${t}>;
@group(0) @binding(2) var<storage, read_write> out: array<${t}>;
@group(0) @binding(3) var<storage, read_write> totals: array<${t}>;
${head("blocks", op, t)}
  if (i >= params.outer * params.blocks * params.inner) { return; }
  let j = i % params.inner;
  let b = (i / params.inner) % params.blocks;
  let o = i / (params.inner * params.blocks);
  let start = b * ${SCAN_BLOCK}u;
  let end = min(start + ${SCAN_BLOCK}u, params.n);
  var acc = ${identity(op, t)};
  var lost = 0.0; // Kahan: what the running sum has dropped so far
  for (var k = start; k < end; k++) {
    let at = (o * params.n + k) * params.inner + j;
${step}
    out[params.out_offset + at] = acc;
  }
  totals[i] = acc;
}
`;
}

// A compensated (Kahan) step. The new sum passes through a select on a uniform that is always 0,
// so a fast-math compiler cannot fold (t − acc) − y to 0 (Mesa's NIR does, for plain code); a
// non-finite compensation (an infinite sum) is dropped, so ±Inf and NaN propagate as in a plain sum.
const KAHAN_STEP = `    let y = x[params.x_offset + at] - lost;
    let t = select(acc + y, 0.0, params.opaque != 0u);
    let c = (t - acc) - y;
    lost = select(c, 0.0, (bitcast<u32>(c) & 0x7f800000u) == 0x7f800000u);
    acc = t;`;

/**
 * WGSL that combines every element of out past the first block with the scanned total of the
 * blocks before it. Buffers: scanned totals `(outer, blocks, inner)`, out.
 *
 * @param op "sum" or "prod"
 * @param t the storage type
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { scanCarryWGSL } from "./scan.ts";
 * ok(scanCarryWGSL("sum", "f32").includes("out[at] = prefix + out[at];"));
 * ```
 */
export function scanCarryWGSL(op: ScanKernel, t: WgslScalar): string {
  return `@group(0) @binding(1) var<storage, read> scanned: array<${t}>;
@group(0) @binding(2) var<storage, read_write> out: array<${t}>;
${head("carry", op, t)}
  if (i >= params.outer * params.n * params.inner) { return; }
  let j = i % params.inner;
  let k = (i / params.inner) % params.n;
  let o = i / (params.inner * params.n);
  let b = k / ${SCAN_BLOCK}u;
  if (b == 0u) { return; }
  let prefix = scanned[(o * params.blocks + b - 1u) * params.inner + j];
  let at = params.out_offset + i;
  out[at] = ${combine(op, "prefix", "out[at]")};
}
`;
}

function launch(
  name: string,
  source: string,
  threads: number,
  p: ScanProblem,
  maxPerDim: number,
): KernelLaunch {
  return {
    name,
    source,
    workgroups: grid1d(Math.ceil(threads / WORKGROUP), maxPerDim),
    uniforms: packUniforms(FIELDS, {
      outer: p.outer,
      n: p.n,
      inner: p.inner,
      blocks: Math.ceil(p.n / SCAN_BLOCK),
      x_offset: p.xOffset,
      out_offset: p.outOffset,
      opaque: 0,
    }),
  };
}

/**
 * Launch of the block scan. Buffers: [x, out, totals] with totals of
 * `outer · ⌈n / SCAN_BLOCK⌉ · inner` elements.
 *
 * @param op "sum" or "prod"
 * @param t the storage type
 * @param p the problem
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { scanBlocksLaunch } from "./scan.ts";
 * const p = { outer: 2, n: 3000, inner: 1, xOffset: 0, outOffset: 0 };
 * deepEqual(scanBlocksLaunch("sum", "f32", p).workgroups, [1, 1, 1]); // 2 x 3 blocks
 * ```
 */
export function scanBlocksLaunch(
  op: ScanKernel,
  t: WgslScalar,
  p: ScanProblem,
  maxPerDim = 65535,
): KernelLaunch {
  const threads = p.outer * Math.ceil(p.n / SCAN_BLOCK) * p.inner;
  return launch("scanBlocks", scanBlocksWGSL(op, t), threads, p, maxPerDim);
}

/**
 * Launch of the carry pass (only needed when n > SCAN_BLOCK). Buffers: [scanned totals, out].
 *
 * @param op "sum" or "prod"
 * @param t the storage type
 * @param p the problem (its x offset is unused)
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { scanCarryLaunch } from "./scan.ts";
 * equal(scanCarryLaunch("sum", "f32", { outer: 1, n: 5000, inner: 2, xOffset: 0, outOffset: 0 }).name, "scanCarry");
 * ```
 */
export function scanCarryLaunch(
  op: ScanKernel,
  t: WgslScalar,
  p: ScanProblem,
  maxPerDim = 65535,
): KernelLaunch {
  return launch("scanCarry", scanCarryWGSL(op, t), p.outer * p.n * p.inner, p, maxPerDim);
}
