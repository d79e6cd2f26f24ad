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
 * (0 for a broadcast operand), likewise B and C.
 *
 * @module
 */

import type { KernelLaunch, UniformField } from "./launch.ts";
import { packUniforms, uniformStructWGSL } from "./launch.ts";

/** Shape and layout of one (batched) matmul. */
export interface MatmulProblem {
  /** Rows of C. */
  m: number;
  /** Columns of C. */
  n: number;
  /** Inner dimension. */
  k: number;
  /** Number of matrices (default 1). */
  batch?: number;
  /** A is stored as (k x m). */
  transA?: boolean;
  /** B is stored as (n x k). */
  transB?: boolean;
  /** C += A·B instead of C = A·B. */
  accumulate?: boolean;
  /** Offsets (elements) of A, B, C. */
  aOffset?: number;
  /** Offset of B. */
  bOffset?: number;
  /** Offset of C. */
  cOffset?: number;
  /** Elements between consecutive A matrices (default m·k; 0 broadcasts A). */
  aBatchStride?: number;
  /** Elements between consecutive B matrices (default k·n; 0 broadcasts B). */
  bBatchStride?: number;
  /** Elements between consecutive C matrices (default m·n). */
  cBatchStride?: number;
}

/** Template parameters of {@linkcode matmulWGSL}. */
export interface MatmulKernelOptions {
  /** A stored transposed. */
  transA: boolean;
  /** B stored transposed. */
  transB: boolean;
  /** Accumulate into C. */
  accumulate: boolean;
  /** Rows of C per workgroup. */
  tileM: number;
  /** Columns of C per workgroup. */
  tileN: number;
  /** Depth of the staged tiles. */
  tileK: number;
  /** Rows of C per thread (the thread block is threadM x 4). */
  threadM: number;
  /** Load A as vec4 (its contiguous dimension is a multiple of 4). */
  vecA: boolean;
  /** Load B as vec4. */
  vecB: boolean;
  /** Store C as vec4 (n a multiple of 4). */
  vecC: boolean;
}

const FIELDS: UniformField[] = [
  "M",
  "N",
  "K",
  "a_offset",
  "b_offset",
  "c_offset",
  "a_batch_stride",
  "b_batch_stride",
  "c_batch_stride",
].map((name) => ({ name, type: "u32" as const }));

/** Resolved layout of a problem (defaults filled in). */
function layout(p: MatmulProblem): Required<MatmulProblem> {
  return {
    batch: 1,
    transA: false,
    transB: false,
    accumulate: false,
    aOffset: 0,
    bOffset: 0,
    cOffset: 0,
    aBatchStride: p.m * p.k,
    bBatchStride: p.k * p.n,
    cBatchStride: p.m * p.n,
    ...p,
  };
}

function uniforms(p: Required<MatmulProblem>): Uint32Array<ArrayBuffer> {
  return packUniforms(FIELDS, {
    M: p.m,
    N: p.n,
    K: p.k,
    a_offset: p.aOffset,
    b_offset: p.bOffset,
    c_offset: p.cOffset,
    a_batch_stride: p.aBatchStride,
    b_batch_stride: p.bBatchStride,
    c_batch_stride: p.cBatchStride,
  });
}

function elemA(trans: boolean, m: string, k: string): string {
  return trans ? `a_base + ${k} * params.M + ${m}` : `a_base + ${m} * params.K + ${k}`;
}
function elemB(trans: boolean, k: string, n: string): string {
  return trans ? `b_base + ${n} * params.K + ${k}` : `b_base + ${k} * params.N + ${n}`;
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
${uniformStructWGSL(FIELDS)}
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
  for (var kk = 0u; kk < params.K; kk++) {
    acc = fma(a[${elemA(opts.transA, "row", "kk")}], b[${elemB(opts.transB, "kk", "col")}], acc);
  }
  let c_index = params.c_offset + gid.z * params.c_batch_stride + row * params.N + col;
  c[c_index] = ${opts.accumulate ? "c[c_index] + acc" : "acc"};
}
`;
}

/** Lines that stage A's tile into `As[k * TILE_M + m]`. */
function loadA(o: MatmulKernelOptions, threads: number): string {
  const per = (o.tileM * o.tileK) / (o.vecA ? 4 : 1);
  const head = `  for (var e = lid; e < ${per}u; e += ${threads}u) {`;
  if (!o.vecA && !o.transA) {
    return `${head}
    let m = e / TILE_K; let k = e % TILE_K;
    let gm = tile_row + m; let gk = k0 + k;
    As[k * TILE_M + m] = select(0.0, a[${
      elemA(false, "gm", "gk")
    }], gm < params.M && gk < params.K);
  }`;
  }
  if (!o.vecA) {
    return `${head}
    let k = e / TILE_M; let m = e % TILE_M;
    let gm = tile_row + m; let gk = k0 + k;
    As[k * TILE_M + m] = select(0.0, a[${elemA(true, "gm", "gk")}], gm < params.M && gk < params.K);
  }`;
  }
  if (!o.transA) {
    return `${head}
    let m = e / (TILE_K / 4u); let k = (e % (TILE_K / 4u)) * 4u;
    let gm = tile_row + m; let gk = k0 + k;
    var v = vec4<f32>(0.0);
    if (gm < params.M && gk < params.K) { v = a[(${elemA(false, "gm", "gk")}) / 4u]; }
    As[k * TILE_M + m] = v.x; As[(k + 1u) * TILE_M + m] = v.y;
    As[(k + 2u) * TILE_M + m] = v.z; As[(k + 3u) * TILE_M + m] = v.w;
  }`;
  }
  return `${head}
    let k = e / (TILE_M / 4u); let m = (e % (TILE_M / 4u)) * 4u;
    let gm = tile_row + m; let gk = k0 + k;
    var v = vec4<f32>(0.0);
    if (gm < params.M && gk < params.K) { v = a[(${elemA(true, "gm", "gk")}) / 4u]; }
    As[k * TILE_M + m] = v.x; As[k * TILE_M + m + 1u] = v.y;
    As[k * TILE_M + m + 2u] = v.z; As[k * TILE_M + m + 3u] = v.w;
  }`;
}

/** Lines that stage B's tile into `Bs[k * TILE_N + n]`. */
function loadB(o: MatmulKernelOptions, threads: number): string {
  const per = (o.tileN * o.tileK) / (o.vecB ? 4 : 1);
  const head = `  for (var e = lid; e < ${per}u; e += ${threads}u) {`;
  if (!o.vecB && !o.transB) {
    return `${head}
    let k = e / TILE_N; let n = e % TILE_N;
    let gn = tile_col + n; let gk = k0 + k;
    Bs[k * TILE_N + n] = select(0.0, b[${
      elemB(false, "gk", "gn")
    }], gn < params.N && gk < params.K);
  }`;
  }
  if (!o.vecB) {
    return `${head}
    let n = e / TILE_K; let k = e % TILE_K;
    let gn = tile_col + n; let gk = k0 + k;
    Bs[k * TILE_N + n] = select(0.0, b[${elemB(true, "gk", "gn")}], gn < params.N && gk < params.K);
  }`;
  }
  if (!o.transB) {
    return `${head}
    let k = e / (TILE_N / 4u); let n = (e % (TILE_N / 4u)) * 4u;
    let gn = tile_col + n; let gk = k0 + k;
    var v = vec4<f32>(0.0);
    if (gn < params.N && gk < params.K) { v = b[(${elemB(false, "gk", "gn")}) / 4u]; }
    Bs[k * TILE_N + n] = v.x; Bs[k * TILE_N + n + 1u] = v.y;
    Bs[k * TILE_N + n + 2u] = v.z; Bs[k * TILE_N + n + 3u] = v.w;
  }`;
  }
  return `${head}
    let n = e / (TILE_K / 4u); let k = (e % (TILE_K / 4u)) * 4u;
    let gn = tile_col + n; let gk = k0 + k;
    var v = vec4<f32>(0.0);
    if (gn < params.N && gk < params.K) { v = b[(${elemB(true, "gk", "gn")}) / 4u]; }
    Bs[k * TILE_N + n] = v.x; Bs[(k + 1u) * TILE_N + n] = v.y;
    Bs[(k + 2u) * TILE_N + n] = v.z; Bs[(k + 3u) * TILE_N + n] = v.w;
  }`;
}

function store(o: MatmulKernelOptions): string {
  const lines: string[] = [];
  for (let i = 0; i < o.threadM; i++) {
    lines.push(`  let row${i} = tile_row + ty * THREAD_M + ${i}u;`);
    if (o.vecC) {
      lines.push(`  if (row${i} < params.M && col < params.N) {
    let ci = (c_base + row${i} * params.N + col) / 4u;
    c[ci] = ${o.accumulate ? `c[ci] + acc[${i}]` : `acc[${i}]`};
  }`);
    } else {
      lines.push(`  for (var j = 0u; j < 4u; j++) {
    if (row${i} < params.M && col + j < params.N) {
      let ci = c_base + row${i} * params.N + col + j;
      c[ci] = ${o.accumulate ? `c[ci] + acc[${i}][j]` : `acc[${i}][j]`};
    }
  }`);
    }
  }
  return lines.join("\n");
}

/**
 * WGSL of the register-tiled kernel.
 *
 * @param o template parameters (see {@linkcode chooseMatmulKernel})
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { matmulWGSL } from "./matmul.ts";
 * const src = matmulWGSL({ transA: false, transB: false, accumulate: false, tileM: 32, tileN: 32,
 *   tileK: 16, threadM: 4, vecA: true, vecB: true, vecC: true });
 * ok(src.includes("var<workgroup> As: array<f32, 512>;"));
 * ```
 */
export function matmulWGSL(o: MatmulKernelOptions): string {
  const wgX = o.tileN / 4;
  const wgY = o.tileM / o.threadM;
  const threads = wgX * wgY;
  const fma = Array.from(
    { length: o.threadM },
    (_, i) => `      acc[${i}] = fma(vec4<f32>(As[ka + ty * THREAD_M + ${i}u]), bv, acc[${i}]);`,
  ).join("\n");
  const arr = (vec: boolean) => (vec ? "array<vec4<f32>>" : "array<f32>");
  return `// tiled matmul ${o.tileM}x${o.tileN}x${o.tileK}, ${o.threadM}x4 per thread, ` +
    `transA=${o.transA} transB=${o.transB} vec4 A/B/C=${o.vecA}/${o.vecB}/${o.vecC}
${uniformStructWGSL(FIELDS)}
@group(0) @binding(1) var<storage, read> a: ${arr(o.vecA)};
@group(0) @binding(2) var<storage, read> b: ${arr(o.vecB)};
@group(0) @binding(3) var<storage, read_write> c: ${arr(o.vecC)};

const TILE_M = ${o.tileM}u;
const TILE_N = ${o.tileN}u;
const TILE_K = ${o.tileK}u;
const THREAD_M = ${o.threadM}u;
var<workgroup> As: array<f32, ${o.tileM * o.tileK}>; // As[k * TILE_M + m]
var<workgroup> Bs: array<f32, ${o.tileN * o.tileK}>; // Bs[k * TILE_N + n]

@compute @workgroup_size(${wgX}, ${wgY})
fn main(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(local_invocation_id) local: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let tx = local.x;
  let ty = local.y;
  let tile_row = wid.y * TILE_M;
  let tile_col = wid.x * TILE_N;
  let a_base = params.a_offset + wid.z * params.a_batch_stride;
  let b_base = params.b_offset + wid.z * params.b_batch_stride;
  let c_base = params.c_offset + wid.z * params.c_batch_stride;
  var acc: array<vec4<f32>, ${o.threadM}>;
  for (var k0 = 0u; k0 < params.K; k0 += TILE_K) {
${loadA(o, threads)}
${loadB(o, threads)}
    workgroupBarrier();
    for (var k = 0u; k < TILE_K; k++) {
      let ka = k * TILE_M;
      let kb = k * TILE_N + tx * 4u;
      let bv = vec4<f32>(Bs[kb], Bs[kb + 1u], Bs[kb + 2u], Bs[kb + 3u]);
${fma}
    }
    workgroupBarrier();
  }
  let col = tile_col + tx * 4u;
${store(o)}
}
`;
}

/** Limits the tile choice respects. */
export interface MatmulLimits {
  /** Bytes of workgroup memory. */
  maxComputeWorkgroupStorageSize: number;
  /** Threads per workgroup. */
  maxComputeInvocationsPerWorkgroup: number;
}

/**
 * Picks the tiled kernel's parameters for a problem: 64x64 tiles (8x4 per
 * thread) for large C, 32x32 (4x4) for small or when the device's limits are
 * tight; vec4 for operands whose contiguous dimension, offset and batch stride
 * are multiples of 4.
 *
 * @param problem the matmul
 * @param limits device limits
 * @returns template parameters
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { chooseMatmulKernel } from "./matmul.ts";
 * const limits = { maxComputeWorkgroupStorageSize: 16384, maxComputeInvocationsPerWorkgroup: 256 };
 * const o = chooseMatmulKernel({ m: 17, n: 33, k: 5 }, limits);
 * equal(o.tileM, 32);
 * equal(o.vecB, false); // n = 33 is not a multiple of 4
 * ```
 */
export function chooseMatmulKernel(
  problem: MatmulProblem,
  limits: MatmulLimits,
): MatmulKernelOptions {
  const p = layout(problem);
  const big = p.m >= 128 && p.n >= 128;
  let tileM = big ? 64 : 32, tileN = big ? 64 : 32, threadM = big ? 8 : 4;
  const tileK = 16;
  const fits = () =>
    (tileM + tileN) * tileK * 4 <= limits.maxComputeWorkgroupStorageSize &&
    (tileN / 4) * (tileM / threadM) <= limits.maxComputeInvocationsPerWorkgroup;
  if (!fits()) [tileM, tileN, threadM] = [32, 32, 4];
  const aligned = (...xs: number[]) => xs.every((x) => x % 4 === 0);
  return {
    transA: p.transA,
    transB: p.transB,
    accumulate: p.accumulate,
    tileM,
    tileN,
    tileK,
    threadM,
    vecA: aligned(p.transA ? p.m : p.k, p.aOffset, p.aBatchStride),
    vecB: aligned(p.transB ? p.k : p.n, p.bOffset, p.bBatchStride),
    vecC: aligned(p.n, p.cOffset, p.cBatchStride),
  };
}

/**
 * Launch of the tiled kernel. Buffers: [a, b, c].
 *
 * @param problem the matmul
 * @param options template parameters (default: {@linkcode chooseMatmulKernel} for 16 KiB / 256 threads)
 * @returns the launch
 */
export function matmulLaunch(
  problem: MatmulProblem,
  options?: MatmulKernelOptions,
): KernelLaunch {
  const p = layout(problem);
  const o = options ?? chooseMatmulKernel(p, {
    maxComputeWorkgroupStorageSize: 16384,
    maxComputeInvocationsPerWorkgroup: 256,
  });
  return {
    name: `matmul_${p.transA ? "T" : "N"}${p.transB ? "T" : "N"}`,
    source: matmulWGSL(o),
    workgroups: [Math.ceil(p.n / o.tileN), Math.ceil(p.m / o.tileM), p.batch],
    uniforms: uniforms(p),
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
    name: "matmul_naive",
    source: matmulNaiveWGSL(p),
    workgroups: [Math.ceil(p.n / 16), Math.ceil(p.m / 16), p.batch],
    uniforms: uniforms(p),
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
        for (let k = 0; k < p.k; k++) {
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
