/**
 * What a kernel family hands the WebGPU executor: WGSL source, workgroup
 * counts and packed uniforms. Binding convention of every kernel: the uniform
 * struct `params` at `@group(0) @binding(0)` (when it has fields), then the
 * storage buffers at bindings 1, 2, ... in the order the caller passes them.
 *
 * @module
 */

/** Scalar types a uniform field may have. */
export type UniformType = "u32" | "i32" | "f32";

/** One named scalar of a kernel's uniform struct. */
export interface UniformField {
  /** Field name in the WGSL struct. */
  name: string;
  /** WGSL scalar type. */
  type: UniformType;
}

/** A dispatch ready for the executor. */
export interface KernelLaunch {
  /** Kernel name, for error messages and debugging. */
  name: string;
  /** Generated WGSL (the pipeline cache key). */
  source: string;
  /** Workgroup counts (x, y, z). */
  workgroups: [number, number, number];
  /** Packed uniform words (32-bit each), or null when the kernel has none. */
  uniforms: Uint32Array<ArrayBuffer> | null;
}

/**
 * The WGSL declaration of a uniform struct `Params` bound as `params`.
 *
 * @param fields the scalar fields, in order
 * @returns WGSL lines declaring the struct and its binding
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { uniformStructWGSL } from "./launch.ts";
 * const src = uniformStructWGSL([{ name: "n", type: "u32" }, { name: "alpha", type: "f32" }]);
 * ok(src.includes("alpha: f32,"));
 * ok(src.includes("var<uniform> params: Params;"));
 * ```
 */
export function uniformStructWGSL(fields: readonly UniformField[]): string {
  const body = fields.map((f) => `  ${f.name}: ${f.type},`).join("\n");
  return `struct Params {\n${body}\n}\n@group(0) @binding(0) var<uniform> params: Params;`;
}

/**
 * Packs uniform values as 32-bit words in field order (scalars pack tightly;
 * the buffer is padded to 16 bytes by the executor).
 *
 * @param fields the struct's fields
 * @param values a value per field name
 * @returns the words
 * @throws {RangeError} when a value is missing
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { packUniforms } from "./launch.ts";
 * const w = packUniforms([{ name: "n", type: "u32" }, { name: "a", type: "f32" }], { n: 7, a: 0.5 });
 * equal(w[0], 7);
 * equal(new Float32Array(w.buffer)[1], 0.5);
 * ```
 */
export function packUniforms(
  fields: readonly UniformField[],
  values: Record<string, number>,
): Uint32Array<ArrayBuffer> {
  const words = new Uint32Array(Math.max(4, Math.ceil(fields.length / 4) * 4));
  const f32 = new Float32Array(words.buffer);
  const i32 = new Int32Array(words.buffer);
  fields.forEach((f, i) => {
    const v = values[f.name];
    if (v === undefined) throw new RangeError(`Cannot pack uniforms: no value for ${f.name}`);
    if (f.type === "f32") f32[i] = v;
    else if (f.type === "i32") i32[i] = v;
    else words[i] = v;
  });
  return words;
}

/**
 * Splits `count` workgroups over x and y so neither exceeds the per-dimension
 * limit; kernels rebuild the linear id as `wid.x + wid.y * num_workgroups.x`.
 *
 * @param count workgroups needed
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns workgroup counts (x, y, 1)
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { grid1d } from "./launch.ts";
 * deepEqual(grid1d(10, 65535), [10, 1, 1]);
 * deepEqual(grid1d(70000, 65535), [35000, 2, 1]);
 * ```
 */
export function grid1d(count: number, maxPerDim = 65535): [number, number, number] {
  const c = Math.max(1, count);
  if (c <= maxPerDim) return [c, 1, 1];
  const y = Math.ceil(c / maxPerDim);
  return [Math.ceil(c / y), y, 1];
}

/**
 * Threads per row for the row kernels (softmax, reductions, layernorm,
 * cross-entropy). On a CPU-backed adapter (llvmpipe) a barrier costs a
 * coroutine switch per thread, so 16 threads per row run ~6x faster than 256
 * (measured on softmax 256x1024); a GPU wants 256. A row too long for llvmpipe's
 * loop budget at 16 gets more (`rowThreadsWithin` in kernels/loop_steps.ts).
 *
 * @param isFallbackAdapter whether the adapter is a software one
 * @returns threads per workgroup
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { rowThreads } from "./launch.ts";
 * equal(rowThreads(true), 16);
 * equal(rowThreads(false), 256);
 * ```
 */
export function rowThreads(isFallbackAdapter: boolean): number {
  return isFallbackAdapter ? 16 : 256;
}

/**
 * WGSL of the device-side error record that index-checking kernels bind: `err` (four atomic
 * words: the check's code, the offending value, the bound, the position) and `report()`,
 * which keeps the first error a dispatch finds. The executor reads the record at the next
 * readback and raises the matching error (an index is never clamped silently).
 *
 * @param binding the binding number of `err`
 * @returns the WGSL declarations
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { errorRecordWGSL } from "./launch.ts";
 * ok(errorRecordWGSL(4).includes("@binding(4) var<storage, read_write> err"));
 * ```
 */
export function errorRecordWGSL(binding: number): string {
  return `@group(0) @binding(${binding}) var<storage, read_write> err: array<atomic<u32>, 4>;
fn report(code: u32, value: i32, bound: i32, position: u32) {
  loop {
    let r = atomicCompareExchangeWeak(&err[0], 0u, code);
    if (r.exchanged) {
      atomicStore(&err[1], bitcast<u32>(value));
      atomicStore(&err[2], bitcast<u32>(bound));
      atomicStore(&err[3], position);
      return;
    }
    if (r.old_value != 0u) { return; } // an earlier error is kept
  }
}`;
}

/** The WGSL element type of a storage buffer: float32 as `f32`; int32 and bool (0/1) as `i32`. */
export type WgslScalar = "f32" | "i32";

/**
 * The WGSL element type that stores a dtype on the GPU: int32 is stored exactly (and wraps on
 * overflow, as on the CPU), bool as 0/1.
 *
 * @param dtype the tensor dtype
 * @returns "f32" for float32, else "i32"
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { wgslType } from "./launch.ts";
 * equal(wgslType("int32"), "i32");
 * equal(wgslType("float32"), "f32");
 * ```
 */
export function wgslType(dtype: "float32" | "int32" | "bool"): WgslScalar {
  return dtype === "float32" ? "f32" : "i32";
}
