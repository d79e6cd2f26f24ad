/**
 * The register-blocked matmul kernel: no workgroup memory and no barriers;
 * each thread accumulates a (threadM x 4) block of C in registers, walking K
 * four steps at a time with vec4 loads where an operand's contiguous
 * dimension allows. On a CPU-backed adapter (llvmpipe) this beats staging
 * tiles in workgroup memory by ~10x: barriers there are coroutine switches,
 * and caches already do the staging.
 *
 * @module
 */

import type { MatmulKernelOptions } from "./matmul_common.ts";
import { MATMUL_FIELDS } from "./matmul_common.ts";
import { uniformStructWGSL } from "./launch.ts";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Scalar A(r, k) through load_a. */
function aAt(o: MatmulKernelOptions, r: string, k: string): string {
  return o.transA
    ? `load_a(a_base + (${k}) * params.M + ${r})`
    : `load_a(a_base + ${r} * params.K + ${k})`;
}
/** Scalar B(k, c) through load_b. */
function bAt(o: MatmulKernelOptions, k: string, c: string): string {
  return o.transB
    ? `load_b(b_base + ${c} * params.K + ${k})`
    : `load_b(b_base + (${k}) * params.N + ${c})`;
}

/** Lines defining `ak{i}` (vec4 over k..k+3 of row i) for each row of the block. */
function loadAk(o: MatmulKernelOptions): string[] {
  const tm = o.threadM;
  if (o.vecA && !o.transA) {
    return range(tm).map((i) => `    let ak${i} = a[(a_base + r${i} * params.K + k) / 4u];`);
  }
  if (o.vecA && o.transA) {
    // vec4 over 4 consecutive rows at each of k..k+3, then regrouped per row
    const lines: string[] = [];
    for (let q = 0; q < tm / 4; q++) {
      for (let t = 0; t < 4; t++) {
        lines.push(`    let av${t}_${q} = a[(a_base + (k + ${t}u) * params.M + rq${q}) / 4u];`);
      }
    }
    const comp = ["x", "y", "z", "w"];
    for (let i = 0; i < tm; i++) {
      const q = Math.floor(i / 4), c = comp[i % 4];
      lines.push(
        `    let ak${i} = vec4<f32>(av0_${q}.${c}, av1_${q}.${c}, av2_${q}.${c}, av3_${q}.${c});`,
      );
    }
    return lines;
  }
  return range(tm).map((i) =>
    `    let ak${i} = vec4<f32>(${range(4).map((t) => aAt(o, `r${i}`, `k + ${t}u`)).join(", ")});`
  );
}

/** Lines defining `bk{t}` (vec4 over the block's 4 columns at k + t). */
function loadBk(o: MatmulKernelOptions): string[] {
  if (o.vecB && !o.transB) {
    return range(4).map((t) => `    let bk${t} = b[(b_base + (k + ${t}u) * params.N + cv) / 4u];`);
  }
  if (o.vecB && o.transB) {
    const lines = range(4).map((j) => `    let bc${j} = b[(b_base + c${j} * params.K + k) / 4u];`);
    const comp = ["x", "y", "z", "w"];
    return lines.concat(
      range(4).map((t) =>
        `    let bk${t} = vec4<f32>(bc0.${comp[t]}, bc1.${comp[t]}, bc2.${comp[t]}, bc3.${
          comp[t]
        });`
      ),
    );
  }
  return range(4).map((t) =>
    `    let bk${t} = vec4<f32>(${range(4).map((j) => bAt(o, `k + ${t}u`, `c${j}`)).join(", ")});`
  );
}

function store(o: MatmulKernelOptions): string {
  const value = (i: number, j?: number) => {
    const v = j === undefined ? `acc[${i}]` : `acc[${i}][${j}]`;
    return o.accumulate ? `c[ci] + ${v}` : v;
  };
  return range(o.threadM).map((i) => {
    if (o.vecC) {
      return `  if (row0 + ${i}u < params.M && col < params.N) {
    let ci = (c_base + (row0 + ${i}u) * params.N + col) / 4u;
    c[ci] = ${value(i)};
  }`;
    }
    return range(4).map((j) =>
      `  if (row0 + ${i}u < params.M && col + ${j}u < params.N) {
    let ci = c_base + (row0 + ${i}u) * params.N + col + ${j}u;
    c[ci] = ${value(i, j)};
  }`
    ).join("\n");
  }).join("\n");
}

/**
 * WGSL of the register-blocked kernel; the workgroup is (tileN / 4) x (tileM / threadM) threads.
 *
 * @param o template parameters
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { matmulRegisterWGSL } from "./matmul_register.ts";
 * const src = matmulRegisterWGSL({ variant: "register", transA: false, transB: false,
 *   accumulate: false, tileM: 64, tileN: 64, tileK: 4, threadM: 4, vecA: true, vecB: true,
 *   vecC: true });
 * ok(src.includes("acc[0] = fma(vec4<f32>(ak0.x), bk0"));
 * ```
 */
export function matmulRegisterWGSL(o: MatmulKernelOptions): string {
  const tm = o.threadM;
  const arr = (vec: boolean) => (vec ? "array<vec4<f32>>" : "array<f32>");
  const loader = (x: string, vec: boolean) =>
    vec
      ? `fn load_${x}(i: u32) -> f32 { return ${x}[i / 4u][i % 4u]; }`
      : `fn load_${x}(i: u32) -> f32 { return ${x}[i]; }`;
  const fma4 = range(tm).map((i) =>
    `    acc[${i}] = fma(vec4<f32>(ak${i}.x), bk0, fma(vec4<f32>(ak${i}.y), bk1, ` +
    `fma(vec4<f32>(ak${i}.z), bk2, fma(vec4<f32>(ak${i}.w), bk3, acc[${i}]))));`
  );
  const tail = range(tm).map((i) =>
    `    acc[${i}] = fma(vec4<f32>(${aAt(o, `r${i}`, "k")}), ` +
    `vec4<f32>(${range(4).map((j) => bAt(o, "k", `c${j}`)).join(", ")}), acc[${i}]);`
  );
  return `// register-blocked matmul: ${tm}x4 of C per thread, no workgroup memory,
// transA=${o.transA} transB=${o.transB} vec4 A/B/C=${o.vecA}/${o.vecB}/${o.vecC}
${uniformStructWGSL(MATMUL_FIELDS)}
@group(0) @binding(1) var<storage, read> a: ${arr(o.vecA)};
@group(0) @binding(2) var<storage, read> b: ${arr(o.vecB)};
@group(0) @binding(3) var<storage, read_write> c: ${arr(o.vecC)};
${loader("a", o.vecA)}
${loader("b", o.vecB)}

@compute @workgroup_size(${o.tileN / 4}, ${o.tileM / tm})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let col = gid.x * 4u;
  let row0 = gid.y * ${tm}u;
  let a_base = params.a_offset + gid.z * params.a_batch_stride;
  let b_base = params.b_offset + gid.z * params.b_batch_stride;
  let c_base = params.c_offset + gid.z * params.c_batch_stride;
  // Out-of-range rows/columns read the last valid one; their results are never stored.
${range(tm).map((i) => `  let r${i} = min(row0 + ${i}u, params.M - 1u);`).join("\n")}
${range(tm / 4).map((q) => `  let rq${q} = min(row0 + ${4 * q}u, params.M - 4u);`).join("\n")}
${range(4).map((j) => `  let c${j} = min(col + ${j}u, params.N - 1u);`).join("\n")}
  let cv = min(col, params.N - 4u);
  var acc: array<vec4<f32>, ${tm}>;
  let k4 = params.k_begin + ((params.k_end - params.k_begin) & ~3u);
  for (var k = params.k_begin; k < k4; k += 4u) {
${loadAk(o).join("\n")}
${loadBk(o).join("\n")}
${fma4.join("\n")}
  }
  for (var k = k4; k < params.k_end; k++) {
${tail.join("\n")}
  }
${store(o)}
}
`;
}
