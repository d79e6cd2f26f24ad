/**
 * Matmul kernels: C = A·B (optionally C += A·B) in NN, NT and TN forms,
 * batched through batch strides in uniforms. The tiled kernel stages
 * (tileM x tileK) and (tileK x tileN) tiles in workgroup memory and lets each
 * thread accumulate a (threadM x 4) block in registers; operands whose
 * contiguous dimension is a multiple of 4 are loaded as vec4. A naive
 * one-thread-per-output kernel is the benchmark baseline.
 *
 * Layouts (row-major): A is (m x k), or (k x m) when transA; B is (k x n), or
 * (n x k) when transB; C is (m x n). Batch b reads A at aOffset + b·aBatchStride
 * (0 for a broadcast operand), likewise B and C. A launch sums k over [kBegin, kEnd): a long
 * K is split into passes accumulating into C when one invocation's loop steps
 * ({@linkcode matmulLoopSteps}) would exceed llvmpipe's budget (kernels/loop_steps.ts).
 *
 * @module
 */

import type { KernelLaunch } from "./launch.ts";
import { uniformStructWGSL } from "./launch.ts";
import {
  elemA,
  elemB,
  layout,
  MATMUL_FIELDS,
  type MatmulKernelOptions,
  type MatmulProblem,
  matmulUniforms,
} from "./matmul_common.ts";
import { matmulRegisterWGSL } from "./matmul_register.ts";
import { matmulStagedWGSL } from "./matmul_staged.ts";
import { loopSteps } from "./loop_steps.ts";

export type { MatmulKernelOptions, MatmulProblem };

/**
 * WGSL of the tiled kernel, staged or register-blocked per `o.variant`.
 *
 * @param o template parameters (see {@linkcode chooseMatmulKernel})
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { matmulWGSL } from "./matmul.ts";
 * const o = { transA: false, transB: true, accumulate: false, tileM: 32, tileN: 32, tileK: 16,
 *   threadM: 4, vecA: true, vecB: true, vecC: true };
 * ok(matmulWGSL({ ...o, variant: "staged" }).includes("var<workgroup> As"));
 * ok(!matmulWGSL({ ...o, variant: "register" }).includes("var<workgroup>"));
 * ```
 */
export function matmulWGSL(o: MatmulKernelOptions): string {
  return o.variant === "staged" ? matmulStagedWGSL(o) : matmulRegisterWGSL(o);
}

/**
 * WGSL of the naive kernel: one thread per element of C, a 16x16 workgroup.
 *
 * @param opts transA, transB, accumulate
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { matmulNaiveWGSL } from "./matmul.ts";
 * ok(matmulNaiveWGSL({ transA: false, transB: true, accumulate: false }).includes("@workgroup_size(16, 16)"));
 * ```
 */
export function matmulNaiveWGSL(
  opts: Pick<MatmulKernelOptions, "transA" | "transB" | "accumulate">,
): string {
  return `// naive matmul: one thread per output, transA=${opts.transA} transB=${opts.transB}
${uniformStructWGSL(MATMUL_FIELDS)}
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let col = gid.x;
  let row = gid.y;
  if (row >= params.M || col >= params.N) { return; }
  let a_base = params.a_offset + gid.z * params.a_batch_stride;
  let b_base = params.b_offset + gid.z * params.b_batch_stride;
  var acc = 0.0;
  for (var kk = params.k_begin; kk < params.k_end; kk++) {
    acc = fma(a[${elemA(opts.transA, "row", "kk")}], b[${elemB(opts.transB, "kk", "col")}], acc);
  }
  let c_index = params.c_offset + gid.z * params.c_batch_stride + row * params.N + col;
  c[c_index] = ${opts.accumulate ? "c[c_index] + acc" : "acc"};
}
`;
}

/** Limits the tile choice respects. */
export interface MatmulLimits {
  /** Bytes of workgroup memory. */
  maxComputeWorkgroupStorageSize: number;
  /** Threads per workgroup. */
  maxComputeInvocationsPerWorkgroup: number;
  /** A software (CPU) adapter: prefer the register-blocked kernel. */
  isFallbackAdapter?: boolean;
}

/**
 * Picks the tiled kernel's parameters for a problem and adapter. A fallback
 * (CPU) adapter gets the register-blocked kernel (64x64 of C per workgroup of
 * 16x16 threads, 4x4 each); a GPU gets the staged kernel: 64x64 tiles (8x4 per
 * thread) for large C, 32x32 (4x4) for small C or tight limits. vec4 for
 * operands whose contiguous dimension, offset and batch stride are multiples
 * of 4.
 *
 * @param problem the matmul
 * @param limits device limits and whether the adapter is a fallback one
 * @returns template parameters
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { chooseMatmulKernel } from "./matmul.ts";
 * const limits = { maxComputeWorkgroupStorageSize: 16384, maxComputeInvocationsPerWorkgroup: 256 };
 * const o = chooseMatmulKernel({ m: 17, n: 33, k: 5 }, limits);
 * equal(o.variant, "staged");
 * equal(o.tileM, 32);
 * equal(o.vecB, false); // n = 33 is not a multiple of 4
 * equal(chooseMatmulKernel({ m: 17, n: 33, k: 5 }, { ...limits, isFallbackAdapter: true }).variant,
 *   "register");
 * ```
 */
export function chooseMatmulKernel(
  problem: MatmulProblem,
  limits: MatmulLimits,
): MatmulKernelOptions {
  const p = layout(problem);
  const aligned = (...xs: number[]) => xs.every((x) => x % 4 === 0);
  const vec = {
    vecA: aligned(p.transA ? p.m : p.k, p.aOffset, p.aBatchStride),
    vecB: aligned(p.transB ? p.k : p.n, p.bOffset, p.bBatchStride),
    vecC: aligned(p.n, p.cOffset, p.cBatchStride),
  };
  const form = { transA: p.transA, transB: p.transB, accumulate: p.accumulate };
  if (limits.isFallbackAdapter) {
    const small = limits.maxComputeInvocationsPerWorkgroup < 256;
    const tile = small ? 32 : 64;
    return { variant: "register", ...form, tileM: tile, tileN: tile, tileK: 4, threadM: 4, ...vec };
  }
  const big = p.m >= 128 && p.n >= 128;
  let tileM = big ? 64 : 32, tileN = big ? 64 : 32, threadM = big ? 8 : 4;
  const tileK = 16;
  const fits = () =>
    (tileM + tileN) * tileK * 4 <= limits.maxComputeWorkgroupStorageSize &&
    (tileN / 4) * (tileM / threadM) <= limits.maxComputeInvocationsPerWorkgroup;
  if (!fits()) [tileM, tileN, threadM] = [32, 32, 4];
  return { variant: "staged", ...form, tileM, tileN, tileK, threadM, ...vec };
}

/**
 * Loop steps of one invocation of the tiled kernel over `kLen` values of k (see
 * kernels/loop_steps.ts). Register-blocked: a loop over k four at a time, then the rest,
 * (⌊kLen / 4⌋ + 1) + (kLen mod 4 + 1): over 65,536 from K = 262,137. (Measured in one pass:
 * K = 262,138 was summed short for a (3, K)·(K, 5) product, 262,139 for (1, K)·(K, 4); every K
 * from 262,142.) Staged, at most: per tile of tileK, the two staging loops
 * (⌈tileM·tileK / (vec·threads)⌉ + 1 each), the tile's k loop (tileK + 1, if not unrolled), a
 * step of the loop over tiles and one for holding loops; + 1, + threadM·5 for a scalar store.
 * The naive kernel: kLen + 1.
 *
 * @param o the kernel's template parameters
 * @param kLen values of k one launch sums (kEnd − kBegin)
 * @returns the steps
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { chooseMatmulKernel, matmulLoopSteps } from "./matmul.ts";
 * const o = chooseMatmulKernel({ m: 2, n: 3, k: 8 }, {
 *   maxComputeWorkgroupStorageSize: 32768, maxComputeInvocationsPerWorkgroup: 1024,
 *   isFallbackAdapter: true });
 * equal(matmulLoopSteps(o, 262_136), 65_536);
 * equal(matmulLoopSteps(o, 262_137), 65_537);
 * ```
 */
export function matmulLoopSteps(o: MatmulKernelOptions, kLen: number): number {
  if (o.variant === "register") return loopSteps(Math.floor(kLen / 4)) + loopSteps(kLen % 4);
  const threads = (o.tileN / 4) * (o.tileM / o.threadM);
  const stage = (tile: number, vec: boolean) =>
    loopSteps(Math.ceil(tile * o.tileK / (vec ? 4 : 1) / threads));
  const tiles = Math.ceil(kLen / o.tileK);
  const perTile = stage(o.tileM, o.vecA) + stage(o.tileN, o.vecB) + loopSteps(o.tileK) + 1;
  return tiles * perTile + 1 + 1 + (o.vecC ? 0 : o.threadM * loopSteps(4));
}

/** The longest range of k one pass of a long matmul sums (a multiple of 16, the tileK). */
export const MATMUL_K_CHUNK = 65536;

/**
 * Values of k one launch sums: all of `k` when its loop steps fit `budget`, else the largest
 * power of two up to {@linkcode MATMUL_K_CHUNK} that does (the backend then runs passes).
 *
 * @param o the kernel's template parameters
 * @param k the inner dimension
 * @param budget the adapter's loop steps per invocation (`loopStepBudget`)
 * @returns the k range of one pass
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { chooseMatmulKernel, matmulKChunk } from "./matmul.ts";
 * const o = chooseMatmulKernel({ m: 2, n: 3, k: 8 }, {
 *   maxComputeWorkgroupStorageSize: 32768, maxComputeInvocationsPerWorkgroup: 1024,
 *   isFallbackAdapter: true });
 * equal(matmulKChunk(o, 262_136, 65_536), 262_136);
 * equal(matmulKChunk(o, 262_137, 65_536), 65_536);
 * equal(matmulKChunk(o, 262_137, Infinity), 262_137);
 * ```
 */
export function matmulKChunk(o: MatmulKernelOptions, k: number, budget: number): number {
  if (matmulLoopSteps(o, k) <= budget) return k;
  let chunk = MATMUL_K_CHUNK;
  while (chunk > 16 && matmulLoopSteps(o, chunk) > budget) chunk /= 2;
  return chunk;
}

/**
 * Launch of the tiled kernel. Buffers: [a, b, c].
 *
 * @param problem the matmul
 * @param options template parameters, or the limits to choose them by (default: a GPU with
 *   16 KiB of workgroup memory and 256 threads)
 * @returns the launch
 */
export function matmulLaunch(
  problem: MatmulProblem,
  options: MatmulKernelOptions | MatmulLimits = {
    maxComputeWorkgroupStorageSize: 16384,
    maxComputeInvocationsPerWorkgroup: 256,
  },
): KernelLaunch {
  const p = layout(problem);
  const o = "variant" in options ? options : chooseMatmulKernel(p, options);
  return {
    name: `matmul_${p.transA ? "T" : "N"}${p.transB ? "T" : "N"}`,
    source: matmulWGSL(o),
    workgroups: [Math.ceil(p.n / o.tileN), Math.ceil(p.m / o.tileM), p.batch],
    uniforms: matmulUniforms(p),
  };
}

/**
 * Launch of the naive kernel (benchmark baseline). Buffers: [a, b, c].
 *
 * @param problem the matmul
 * @returns the launch
 */
export function matmulNaiveLaunch(problem: MatmulProblem): KernelLaunch {
  const p = layout(problem);
  return {
    name: "matmulNaive",
    source: matmulNaiveWGSL(p),
    workgroups: [Math.ceil(p.n / 16), Math.ceil(p.m / 16), p.batch],
    uniforms: matmulUniforms(p),
  };
}

/**
 * CPU twin: the same (batched, transposed, accumulating) matmul, summed in
 * float64 and rounded once.
 *
 * @param a A's buffer
 * @param b B's buffer
 * @param c C's buffer (written in place)
 * @param problem the matmul
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { matmulCPU } from "./matmul.ts";
 * const c = new Float32Array(4);
 * // (2x3)·(3x2) with B given transposed as (2x3)
 * matmulCPU(new Float32Array([1, 2, 3, 4, 5, 6]), new Float32Array([1, 0, 1, 0, 1, 0]), c,
 *   { m: 2, n: 2, k: 3, transB: true });
 * deepEqual([...c], [4, 2, 10, 5]);
 * ```
 */
export function matmulCPU(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  problem: MatmulProblem,
): void {
  const p = layout(problem);
  for (let z = 0; z < p.batch; z++) {
    const ab = p.aOffset + z * p.aBatchStride;
    const bb = p.bOffset + z * p.bBatchStride;
    const cb = p.cOffset + z * p.cBatchStride;
    for (let i = 0; i < p.m; i++) {
      for (let j = 0; j < p.n; j++) {
        let s = 0;
        for (let k = p.kBegin; k < p.kEnd; k++) {
          const x = a[p.transA ? ab + k * p.m + i : ab + i * p.k + k];
          const y = b[p.transB ? bb + j * p.k + k : bb + k * p.n + j];
          s += x * y;
        }
        const ci = cb + i * p.n + j;
        c[ci] = p.accumulate ? c[ci] + s : s;
      }
    }
  }
}
