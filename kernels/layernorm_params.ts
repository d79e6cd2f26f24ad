/**
 * The parameter gradients of LayerNorm over a (rows x C) matrix: dweight[c] = Σ dy·xhat and
 * dbias[c] = Σ dy over the rows, one thread per column and chunk of
 * {@linkcode LAYER_NORM_PARAMS_CHUNK} rows. One thread per column looped over all rows before,
 * which llvmpipe cut short from 65,536 rows (see kernels/loop_steps.ts); with several chunks
 * the kernel writes (chunks x C) partial sums that the backend reduces.
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
import { loopSteps } from "./loop_steps.ts";

/** Rows one thread sums: at most 16,385 loop steps per invocation. */
export const LAYER_NORM_PARAMS_CHUNK = 16384;

const WORKGROUP = 64;
const FIELDS: UniformField[] = [
  { name: "rows", type: "u32" },
  { name: "cols", type: "u32" },
  { name: "chunk", type: "u32" },
  { name: "groups", type: "u32" },
];

/** Rows and columns of the (rows x C) input. */
export interface LayerNormParamsProblem {
  /** Number of rows. */
  rows: number;
  /** Normalised length C. */
  cols: number;
}

/**
 * Chunks of rows the kernel sums separately.
 *
 * @param rows rows of the input
 * @returns ⌈rows / LAYER_NORM_PARAMS_CHUNK⌉, at least 1
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { layerNormParamsGroups } from "./layernorm_params.ts";
 * equal(layerNormParamsGroups(16_384), 1);
 * equal(layerNormParamsGroups(65_536), 4);
 * ```
 */
export function layerNormParamsGroups(rows: number): number {
  return Math.max(1, Math.ceil(rows / LAYER_NORM_PARAMS_CHUNK));
}

/**
 * Loop steps of one invocation summing `rows` rows: one loop, rows + 1. A thread summed all
 * rows before: over 65,536 from 65,536 rows.
 *
 * @param rows the rows one thread sums
 * @returns the steps
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { layerNormParamsLoopSteps } from "./layernorm_params.ts";
 * equal(layerNormParamsLoopSteps(65_535), 65_536);
 * ```
 */
export function layerNormParamsLoopSteps(rows: number): number {
  return loopSteps(rows);
}

/**
 * WGSL of the parameter gradients, one thread per (chunk, column). Buffers: dy, x, mean,
 * rstd, dweight, dbias (each (chunks x C); C when there is one chunk).
 *
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { layerNormParamsBackwardWGSL } from "./layernorm_params.ts";
 * ok(layerNormParamsBackwardWGSL().includes("dbias[i] = sb;"));
 * ```
 */
export function layerNormParamsBackwardWGSL(): string {
  return `// layernorm backward (dweight, dbias): one thread per chunk of rows and column
${uniformStructWGSL(FIELDS)}
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> mean_in: array<f32>;
@group(0) @binding(4) var<storage, read> rstd_in: array<f32>;
@group(0) @binding(5) var<storage, read_write> dweight: array<f32>;
@group(0) @binding(6) var<storage, read_write> dbias: array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * ${WORKGROUP}u; // i = chunk * cols + c
  if (i >= params.groups * params.cols) { return; }
  let c = i % params.cols;
  let g = i / params.cols;
  let r1 = min(params.rows, (g + 1u) * params.chunk);
  var sw = 0.0;
  var sb = 0.0;
  for (var row = g * params.chunk; row < r1; row++) {
    let j = row * params.cols + c;
    sw = fma(dy[j], (x[j] - mean_in[row]) * rstd_in[row], sw);
    sb += dy[j];
  }
  dweight[i] = sw;
  dbias[i] = sb;
}
`;
}

/**
 * Launch of the dweight/dbias pass. Buffers: [dy, x, mean, rstd, dweight, dbias], the last two
 * of (groups x C) floats, {@linkcode layerNormParamsGroups}.
 *
 * @param p rows, C
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { layerNormParamsBackwardLaunch } from "./layernorm_params.ts";
 * deepEqual(layerNormParamsBackwardLaunch({ rows: 100_000, cols: 64 }).workgroups, [7, 1, 1]);
 * ```
 */
export function layerNormParamsBackwardLaunch(
  p: LayerNormParamsProblem,
  maxPerDim = 65535,
): KernelLaunch {
  const groups = layerNormParamsGroups(p.rows);
  return {
    name: "layerNormParamsBackward",
    source: layerNormParamsBackwardWGSL(),
    workgroups: grid1d(Math.ceil(groups * p.cols / WORKGROUP), maxPerDim),
    uniforms: packUniforms(FIELDS, {
      rows: p.rows,
      cols: p.cols,
      chunk: LAYER_NORM_PARAMS_CHUNK,
      groups,
    }),
  };
}
