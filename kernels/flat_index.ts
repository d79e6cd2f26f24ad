/**
 * The index check of the Tensor backend: k broadcast index operands checked against their
 * dims' bounds (negatives counted from the end when asked) and combined into flat row numbers
 * `((i0·b1 + i1)·b2 + …)`. An index out of range is written to the error record (see
 * `errorRecordWGSL`) and replaced by 0, so later kernels stay in bounds; the host raises the
 * error at the next readback. Indices and row numbers are i32 buffers. The CPU twin is
 * `flatIndexKernel` in core/cpu/indexing.ts. No loop over the sizes (the ranks and operands
 * are unrolled in the generated WGSL); `report()`'s compare-exchange loop ends at its first
 * exchange or first sight of an earlier error (kernels/loop_steps.ts).
 *
 * @module
 */

import {
  errorRecordWGSL,
  grid1d,
  type KernelLaunch,
  packUniforms,
  type UniformField,
  uniformStructWGSL,
} from "./launch.ts";

const WORKGROUP = 256;

/** One index operand: element offset and strides over the common shape (0 = broadcast). */
export interface IndexOperandLayout {
  /** Index of element (0, …, 0). */
  readonly offset: number;
  /** Per-dim strides, one per dim of the common shape. */
  readonly strides: readonly number[];
}

/** A flat-index problem: the common shape, the operands and their bounds and error codes. */
export interface FlatIndexProblem {
  /** The broadcast shape of the operands (and of the output). */
  readonly shape: readonly number[];
  /** k operands. */
  readonly operands: readonly IndexOperandLayout[];
  /** The size of each operand's dim. */
  readonly bounds: readonly number[];
  /** The error-record code of each operand (what the host reports for it). */
  readonly codes: readonly number[];
  /** Whether `−bound <= i < 0` counts from the end. */
  readonly negative: boolean;
}

function fields(rank: number, k: number): UniformField[] {
  const f: UniformField[] = [
    { name: "n", type: "u32" },
    { name: "negative", type: "u32" },
  ];
  for (let d = 0; d < rank; d++) f.push({ name: `shape${d}`, type: "u32" });
  for (let j = 0; j < k; j++) {
    f.push({ name: `bound${j}`, type: "i32" }, { name: `code${j}`, type: "u32" });
    f.push({ name: `offset${j}`, type: "u32" });
    for (let d = 0; d < rank; d++) f.push({ name: `stride${j}_${d}`, type: "u32" });
  }
  return f;
}

/**
 * WGSL of the check for `k` operands over a rank-`rank` shape. Buffers: idx0 … idx(k−1), out,
 * err.
 *
 * @param rank the rank of the common shape
 * @param k the number of index operands
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { flatIndexWGSL } from "./flat_index.ts";
 * ok(flatIndexWGSL(2, 2).includes("row = row * params.bound1 + v1;"));
 * ```
 */
export function flatIndexWGSL(rank: number, k: number): string {
  const bindings: string[] = [];
  for (let j = 0; j < k; j++) {
    bindings.push(`@group(0) @binding(${j + 1}) var<storage, read> idx${j}: array<i32>;`);
  }
  bindings.push(`@group(0) @binding(${k + 1}) var<storage, read_write> out: array<i32>;`);
  const pos = ["  var rest = i;"];
  for (let j = 0; j < k; j++) pos.push(`  var p${j} = params.offset${j};`);
  for (let d = rank - 1; d >= 0; d--) {
    pos.push(`  let c${d} = rest % params.shape${d};`);
    if (d > 0) pos.push(`  rest = rest / params.shape${d};`);
    for (let j = 0; j < k; j++) pos.push(`  p${j} += c${d} * params.stride${j}_${d};`);
  }
  const checks: string[] = ["  var row = 0;"];
  for (let j = 0; j < k; j++) {
    checks.push(`  let raw${j} = idx${j}[p${j}];
  var v${j} = select(raw${j}, raw${j} + params.bound${j}, raw${j} < 0 && params.negative != 0u);
  if (v${j} < 0 || v${j} >= params.bound${j}) {
    report(params.code${j}, raw${j}, params.bound${j}, i);
    v${j} = 0;
  }
  row = row * params.bound${j} + v${j};`);
  }
  return `// flat index: ${k} index operand(s) checked and combined, rank ${rank}
${uniformStructWGSL(fields(rank, k))}
${bindings.join("\n")}
${errorRecordWGSL(k + 2)}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * ${WORKGROUP}u;
  if (i >= params.n) { return; }
${pos.join("\n")}
${checks.join("\n")}
  out[i] = row;
}
`;
}

/**
 * Launch of {@link flatIndexWGSL}. Buffers: [...operands, out, err].
 *
 * @param p the problem
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { flatIndexLaunch } from "./flat_index.ts";
 * const p = { shape: [600], operands: [{ offset: 0, strides: [1] }], bounds: [27], codes: [1], negative: true };
 * equal(flatIndexLaunch(p).workgroups[0], 3);
 * ```
 */
export function flatIndexLaunch(p: FlatIndexProblem, maxPerDim = 65535): KernelLaunch {
  const rank = p.shape.length, k = p.operands.length;
  let n = 1;
  for (const s of p.shape) n *= s;
  const values: Record<string, number> = { n, negative: p.negative ? 1 : 0 };
  p.shape.forEach((s, d) => values[`shape${d}`] = s);
  p.operands.forEach((o, j) => {
    values[`bound${j}`] = p.bounds[j];
    values[`code${j}`] = p.codes[j];
    values[`offset${j}`] = o.offset;
    o.strides.forEach((s, d) => values[`stride${j}_${d}`] = s);
  });
  return {
    name: "flatIndex",
    source: flatIndexWGSL(rank, k),
    workgroups: grid1d(Math.ceil(n / WORKGROUP), maxPerDim),
    uniforms: packUniforms(fields(rank, k), values),
  };
}
