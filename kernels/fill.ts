/**
 * Fill and cast kernels over flat buffers. (Copying or transposing a strided
 * view into a contiguous buffer is the elementwise `identity` op.)
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

/** Casts between the storage types WGSL has (bool is stored as u32 0/1 on the GPU). */
export type CastKind = "f32_to_i32" | "i32_to_f32" | "f32_to_bool" | "bool_to_f32";

const WORKGROUP = 256;
const FILL_FIELDS: UniformField[] = [{ name: "n", type: "u32" }, { name: "value", type: "f32" }];
const CAST_FIELDS: UniformField[] = [{ name: "n", type: "u32" }];

const CASTS: { [K in CastKind]: { from: string; to: string; expr: string } } = {
  // WGSL's i32(f32) truncates toward zero like torch's .int(); out-of-range values saturate
  f32_to_i32: { from: "f32", to: "i32", expr: "i32(v)" },
  i32_to_f32: { from: "i32", to: "f32", expr: "f32(v)" },
  f32_to_bool: {
    from: "f32",
    to: "u32",
    expr: "select(0u, 1u, (bitcast<u32>(v) & 0x7fffffffu) != 0u)",
  },
  bool_to_f32: { from: "u32", to: "f32", expr: "select(0.0, 1.0, v != 0u)" },
};

const MAIN = `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * ${WORKGROUP}u;
  if (i >= params.n) { return; }`;

/**
 * WGSL that fills a float buffer with `params.value`. Buffers: out.
 *
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { fillWGSL } from "./fill.ts";
 * ok(fillWGSL().includes("out[i] = params.value;"));
 * ```
 */
export function fillWGSL(): string {
  return `// fill
${uniformStructWGSL(FILL_FIELDS)}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
${MAIN}
  out[i] = params.value;
}
`;
}

/**
 * WGSL of a cast. Buffers: x, out.
 *
 * @param opts the cast
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { castWGSL } from "./fill.ts";
 * ok(castWGSL({ kind: "f32_to_i32" }).includes("out[i] = i32(v);"));
 * ```
 */
export function castWGSL(opts: { kind: CastKind }): string {
  const c = CASTS[opts.kind];
  return `// cast ${opts.kind}
${uniformStructWGSL(CAST_FIELDS)}
@group(0) @binding(1) var<storage, read> x: array<${c.from}>;
@group(0) @binding(2) var<storage, read_write> out: array<${c.to}>;
${MAIN}
  let v = x[i];
  out[i] = ${c.expr};
}
`;
}

/**
 * Launch of a fill. Buffers: [out].
 *
 * @param n elements
 * @param value the value
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 */
export function fillLaunch(n: number, value: number, maxPerDim = 65535): KernelLaunch {
  return {
    name: "fill",
    source: fillWGSL(),
    workgroups: grid1d(Math.ceil(n / WORKGROUP), maxPerDim),
    uniforms: packUniforms(FILL_FIELDS, { n, value }),
  };
}

/**
 * Launch of a cast. Buffers: [x, out].
 *
 * @param kind the cast
 * @param n elements
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 */
export function castLaunch(kind: CastKind, n: number, maxPerDim = 65535): KernelLaunch {
  return {
    name: `cast_${kind}`,
    source: castWGSL({ kind }),
    workgroups: grid1d(Math.ceil(n / WORKGROUP), maxPerDim),
    uniforms: packUniforms(CAST_FIELDS, { n }),
  };
}

/**
 * CPU twin of {@linkcode castLaunch}.
 *
 * @param kind the cast
 * @param x input values
 * @returns the cast values (Int32Array, Float32Array or Uint32Array 0/1)
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { castCPU } from "./fill.ts";
 * deepEqual([...castCPU("f32_to_i32", new Float32Array([-1.7, 2.9]))], [-1, 2]);
 * ```
 */
export function castCPU(
  kind: CastKind,
  x: Float32Array | Int32Array | Uint32Array,
): Float32Array | Int32Array | Uint32Array {
  switch (kind) {
    case "f32_to_i32":
      return Int32Array.from(x, (v) => Math.trunc(v));
    case "i32_to_f32":
      return Float32Array.from(x);
    case "f32_to_bool":
      return Uint32Array.from(x, (v) => (v !== 0 ? 1 : 0));
    case "bool_to_f32":
      return Float32Array.from(x, (v) => (v !== 0 ? 1 : 0));
    default:
      throw new RangeError(`Cannot cast: unknown kind ${kind satisfies never}`);
  }
}
