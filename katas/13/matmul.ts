/**
 * Kata 13, steps 13.9–13.11 (your file): `out = a · b` for `a` `(m, k)`, `b` `(k, n)`,
 * `out` `(m, n)`, all row-major — naive, tiled in workgroup memory, and register-blocked.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";

/**
 * 13.9 naive matmul: invocation `(x, y)` computes `out[y][x]` as a dot product over k.
 *
 * Bindings (declare them so; leave out any you do not use):
 *
 * ```wgsl
 * struct Params { m: u32, n: u32, k: u32 }
 * @group(0) @binding(0) var<uniform> params: Params;
 * @group(0) @binding(1) var<storage, read> a: array<f32>;
 * @group(0) @binding(2) var<storage, read> b: array<f32>;
 * @group(0) @binding(3) var<storage, read_write> out: array<f32>;
 * ```
 *
 * @param workgroupSize `[x, y]` invocations per workgroup
 * @returns the WGSL source
 */
export function naiveMatmulWGSL(workgroupSize: readonly [number, number]): string {
  return todo("13.9", "naiveMatmulWGSL: out[row][col] = dot(row of a, column of b)");
}

/**
 * 13.10 tiled matmul: a `(tile, tile)` workgroup computes a `tile × tile` block of `out`, one
 * value per invocation. For each slab of `tile` values of k, every invocation loads one value of
 * `a`'s and one of `b`'s tile into workgroup memory (zero outside the matrices), the workgroup
 * waits, each invocation adds `tile` products from the tiles, and the workgroup waits again
 * before the next slab overwrites them.
 *
 * Bindings (declare them so; leave out any you do not use):
 *
 * ```wgsl
 * struct Params { m: u32, n: u32, k: u32 }
 * @group(0) @binding(0) var<uniform> params: Params;
 * @group(0) @binding(1) var<storage, read> a: array<f32>;
 * @group(0) @binding(2) var<storage, read> b: array<f32>;
 * @group(0) @binding(3) var<storage, read_write> out: array<f32>;
 * ```
 *
 * @param tile the tile's side; the workgroup is `[tile, tile]`
 * @returns the WGSL source
 */
export function tiledMatmulWGSL(tile: number): string {
  return todo("13.10", "tiledMatmulWGSL: stage tiles of a and b in workgroup memory");
}

/**
 * 13.11 register-blocked matmul: invocation `(x, y)` computes the 4 × 4 block of `out` at rows
 * `4y .. 4y+3`, columns `4x .. 4x+3`. For each k it loads 4 values of `a`'s column and 4 of
 * `b`'s row into registers and adds their outer product to 16 accumulators: 8 loads for 16
 * multiply-adds, where the naive kernel does 2 loads per multiply-add.
 *
 * Bindings (declare them so; leave out any you do not use):
 *
 * ```wgsl
 * struct Params { m: u32, n: u32, k: u32 }
 * @group(0) @binding(0) var<uniform> params: Params;
 * @group(0) @binding(1) var<storage, read> a: array<f32>;
 * @group(0) @binding(2) var<storage, read> b: array<f32>;
 * @group(0) @binding(3) var<storage, read_write> out: array<f32>;
 * ```
 *
 * @param workgroupSize `[x, y]` invocations per workgroup
 * @returns the WGSL source
 */
export function registerMatmulWGSL(workgroupSize: readonly [number, number]): string {
  return todo("13.11", "registerMatmulWGSL: a 4x4 block of out per invocation, in registers");
}
