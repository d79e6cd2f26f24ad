/**
 * Kata 13, steps 13.6–13.8 (your file): kernels whose invocations cooperate through
 * workgroup (shared) memory — a block sum, a prefix sum of each row and a softmax of each row.
 * Workgroup sizes here are powers of two.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";

/**
 * 13.6 block sum: workgroup `w` sums `a[w·size .. (w+1)·size)` (the part below `n`) into
 * `out[w]`, by a tree in workgroup memory: each invocation adds its neighbour `width` away,
 * `width` halving from `size / 2` to 1, with a barrier between the levels.
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
 * @param workgroupSize invocations per workgroup, a power of two
 * @returns the WGSL source
 */
export function blockSumWGSL(workgroupSize: number): string {
  return todo("13.6", "blockSumWGSL: each workgroup sums its values by a tree in workgroup memory");
}

/**
 * 13.7 prefix sum: `out[r][c] = a[r][0] + … + a[r][c]` (inclusive) for a `(rows, cols)`
 * matrix, one workgroup per row. The row is scanned in chunks of `size`: each chunk by
 * Hillis–Steele in workgroup memory (at distance 1, 2, 4, … every invocation adds the value that
 * far to its left), plus the carry of the chunks before it.
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
 * @param workgroupSize invocations per workgroup, a power of two
 * @returns the WGSL source
 */
export function prefixSumWGSL(workgroupSize: number): string {
  return todo(
    "13.7",
    "prefixSumWGSL: inclusive prefix sums of each row, chunk by chunk with a carry",
  );
}

/**
 * 13.8 softmax over rows: `out[r][c] = exp(a[r][c] − max_r) / Σ_c' exp(a[r][c'] − max_r)`, one
 * workgroup per row of a `(rows, cols)` matrix. Invocation `t` visits columns `t, t + size, …`;
 * the row's max and sum are combined by trees in workgroup memory.
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
 * @param workgroupSize invocations per workgroup, a power of two
 * @returns the WGSL source
 */
export function softmaxWGSL(workgroupSize: number): string {
  return todo(
    "13.8",
    "softmaxWGSL: a softmax of each row, its max and sum combined in workgroup memory",
  );
}
