/**
 * The staged matmul kernel: tiles of A and B in workgroup memory, a register
 * block of C per thread, vec4 global loads where the layout allows.
 *
 * @module
 */

import { uniformStructWGSL } from "./launch.ts";
import { elemA, elemB, MATMUL_FIELDS, type MatmulKernelOptions } from "./matmul_common.ts";

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
    }], gm < params.M && gk < params.k_end);
  }`;
  }
  if (!o.vecA) {
    return `${head}
    let k = e / TILE_M; let m = e % TILE_M;
    let gm = tile_row + m; let gk = k0 + k;
    As[k * TILE_M + m] = select(0.0, a[${
      elemA(true, "gm", "gk")
    }], gm < params.M && gk < params.k_end);
  }`;
  }
  if (!o.transA) {
    return `${head}
    let m = e / (TILE_K / 4u); let k = (e % (TILE_K / 4u)) * 4u;
    let gm = tile_row + m; let gk = k0 + k;
    var v = vec4<f32>(0.0);
    if (gm < params.M && gk < params.k_end) { v = a[(${elemA(false, "gm", "gk")}) / 4u]; }
    As[k * TILE_M + m] = v.x; As[(k + 1u) * TILE_M + m] = v.y;
    As[(k + 2u) * TILE_M + m] = v.z; As[(k + 3u) * TILE_M + m] = v.w;
  }`;
  }
  return `${head}
    let k = e / (TILE_M / 4u); let m = (e % (TILE_M / 4u)) * 4u;
    let gm = tile_row + m; let gk = k0 + k;
    var v = vec4<f32>(0.0);
    if (gm < params.M && gk < params.k_end) { v = a[(${elemA(true, "gm", "gk")}) / 4u]; }
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
    }], gn < params.N && gk < params.k_end);
  }`;
  }
  if (!o.vecB) {
    return `${head}
    let n = e / TILE_K; let k = e % TILE_K;
    let gn = tile_col + n; let gk = k0 + k;
    Bs[k * TILE_N + n] = select(0.0, b[${
      elemB(true, "gk", "gn")
    }], gn < params.N && gk < params.k_end);
  }`;
  }
  if (!o.transB) {
    return `${head}
    let k = e / (TILE_N / 4u); let n = (e % (TILE_N / 4u)) * 4u;
    let gn = tile_col + n; let gk = k0 + k;
    var v = vec4<f32>(0.0);
    if (gn < params.N && gk < params.k_end) { v = b[(${elemB(false, "gk", "gn")}) / 4u]; }
    Bs[k * TILE_N + n] = v.x; Bs[k * TILE_N + n + 1u] = v.y;
    Bs[k * TILE_N + n + 2u] = v.z; Bs[k * TILE_N + n + 3u] = v.w;
  }`;
  }
  return `${head}
    let n = e / (TILE_K / 4u); let k = (e % (TILE_K / 4u)) * 4u;
    let gn = tile_col + n; let gk = k0 + k;
    var v = vec4<f32>(0.0);
    if (gn < params.N && gk < params.k_end) { v = b[(${elemB(true, "gk", "gn")}) / 4u]; }
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
 * WGSL of the staged kernel: (tileM x tileK) and (tileK x tileN) tiles in workgroup memory,
 * a (threadM x 4) block of C per thread.
 *
 * @param o template parameters (see {@linkcode chooseMatmulKernel})
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { matmulStagedWGSL } from "./matmul_staged.ts";
 * const src = matmulStagedWGSL({ variant: "staged", transA: false, transB: false, accumulate: false, tileM: 32, tileN: 32,
 *   tileK: 16, threadM: 4, vecA: true, vecB: true, vecC: true });
 * ok(src.includes("var<workgroup> As: array<f32, 512>;"));
 * ```
 */
export function matmulStagedWGSL(o: MatmulKernelOptions): string {
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
${uniformStructWGSL(MATMUL_FIELDS)}
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
  for (var k0 = params.k_begin; k0 < params.k_end; k0 += TILE_K) {
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
