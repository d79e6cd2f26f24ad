/**
 * Kata 13, steps 13.1–13.5 (your file): elementwise kernels — map, zip, a bounds guard,
 * 2-d indexing (a transpose) and broadcasting. Each function returns the WGSL of one compute
 * kernel whose entry point is `main`, declaring the workgroup size it is given.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";

/**
 * 13.1 map: `out[i] = a[i] + 10`, one invocation per element. The harness launches exactly
 * `n / workgroupSize` workgroups, so every invocation has an element.
 *
 * Bindings (declare them so; leave out any you do not use):
 *
 * ```wgsl
 * struct Params { n: u32 }
 * @group(0) @binding(0) var<uniform> params: Params;
 * @group(0) @binding(1) var<storage, read> a: array<f32>;
 * @group(0) @binding(2) var<storage, read_write> out: array<f32>;
 * ```
 *
 * @param workgroupSize invocations per workgroup (declare `@workgroup_size(workgroupSize)`)
 * @returns the WGSL source
 */
export function mapWGSL(workgroupSize: number): string {
  return todo("13.1", "mapWGSL: a kernel with out[i] = a[i] + 10, one invocation per element");
}

/**
 * 13.2 zip: `out[i] = a[i] + b[i]`, one invocation per element (exactly `n` invocations).
 *
 * Bindings (declare them so; leave out any you do not use):
 *
 * ```wgsl
 * struct Params { n: u32 }
 * @group(0) @binding(0) var<uniform> params: Params;
 * @group(0) @binding(1) var<storage, read> a: array<f32>;
 * @group(0) @binding(2) var<storage, read> b: array<f32>;
 * @group(0) @binding(3) var<storage, read_write> out: array<f32>;
 * ```
 *
 * @param workgroupSize invocations per workgroup
 * @returns the WGSL source
 */
export function zipWGSL(workgroupSize: number): string {
  return todo("13.2", "zipWGSL: a kernel with out[i] = a[i] + b[i]");
}

/**
 * 13.3 guards: `out[i] = a[i] + 10` for `i < n`, where `n` is not a multiple of the workgroup
 * size: the last workgroup has invocations with no element, and they must not write.
 *
 * Bindings (declare them so; leave out any you do not use):
 *
 * ```wgsl
 * struct Params { n: u32 }
 * @group(0) @binding(0) var<uniform> params: Params;
 * @group(0) @binding(1) var<storage, read> a: array<f32>;
 * @group(0) @binding(2) var<storage, read_write> out: array<f32>;
 * ```
 *
 * @param workgroupSize invocations per workgroup
 * @returns the WGSL source
 */
export function guardWGSL(workgroupSize: number): string {
  return todo("13.3", "guardWGSL: out[i] = a[i] + 10 only where i < params.n");
}

/**
 * 13.4 2-d indexing: `out = aᵀ`. `a` is `(rows, cols)` row-major, `out` is `(cols, rows)`
 * row-major; invocation `(x, y)` of the 2-d grid handles `a[y][x]` (x runs along a row).
 *
 * Bindings (declare them so; leave out any you do not use):
 *
 * ```wgsl
 * struct Params { rows: u32, cols: u32 }
 * @group(0) @binding(0) var<uniform> params: Params;
 * @group(0) @binding(1) var<storage, read> a: array<f32>;
 * @group(0) @binding(2) var<storage, read_write> out: array<f32>;
 * ```
 *
 * @param workgroupSize `[x, y]` invocations per workgroup
 * @returns the WGSL source
 */
export function transposeWGSL(workgroupSize: readonly [number, number]): string {
  return todo("13.4", "transposeWGSL: out[col][row] = a[row][col] on a 2-d grid");
}

/**
 * 13.5 broadcast: `out[r][c] = a[r] + b[c]` — a column of `rows` values plus a row of `cols`
 * values gives a `(rows, cols)` matrix; invocation `(x, y)` writes `out[y][x]`.
 *
 * Bindings (declare them so; leave out any you do not use):
 *
 * ```wgsl
 * struct Params { rows: u32, cols: u32 }
 * @group(0) @binding(0) var<uniform> params: Params;
 * @group(0) @binding(1) var<storage, read> a: array<f32>;
 * @group(0) @binding(2) var<storage, read> b: array<f32>;
 * @group(0) @binding(3) var<storage, read_write> out: array<f32>;
 * ```
 *
 * @param workgroupSize `[x, y]` invocations per workgroup
 * @returns the WGSL source
 */
export function broadcastWGSL(workgroupSize: readonly [number, number]): string {
  return todo("13.5", "broadcastWGSL: out[row][col] = a[row] + b[col]");
}
