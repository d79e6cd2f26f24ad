/**
 * The fused Adam/AdamW step: one thread per element updates the parameter and both moment
 * buffers in place, in the operation order of PyTorch's single-tensor AdamW (the CPU twin is
 * `core/cpu/adamw.ts`, which tests compare against). No loops (kernels/loop_steps.ts).
 *
 * @module
 */

import type { AdamHyperParams } from "../core/backend.ts";
import {
  grid1d,
  type KernelLaunch,
  packUniforms,
  type UniformField,
  uniformStructWGSL,
} from "./launch.ts";

/** One step over `n` elements: the hyper-parameters and where each buffer's elements start. */
export interface AdamWProblem extends AdamHyperParams {
  /** Number of elements. */
  readonly n: number;
  /** Element offsets of param, grad, expAvg and expAvgSq (default 0). */
  readonly offsets?: readonly [number, number, number, number];
}

const WORKGROUP = 256;
const FIELDS: UniformField[] = [
  { name: "n", type: "u32" },
  { name: "decay", type: "f32" },
  { name: "l2", type: "f32" },
  { name: "beta1", type: "f32" },
  { name: "one_minus_beta1", type: "f32" },
  { name: "beta2", type: "f32" },
  { name: "one_minus_beta2", type: "f32" },
  { name: "eps", type: "f32" },
  { name: "neg_step_size", type: "f32" },
  { name: "bias_correction2_sqrt", type: "f32" },
  { name: "p_offset", type: "u32" },
  { name: "g_offset", type: "u32" },
  { name: "m_offset", type: "u32" },
  { name: "v_offset", type: "u32" },
];

/**
 * WGSL of the step. Buffers: param, grad, expAvg, expAvgSq.
 *
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { adamwWGSL } from "./adamw.ts";
 * ok(adamwWGSL().includes("exp_avg_sq[vi] = v;"));
 * ```
 */
export function adamwWGSL(): string {
  return `// fused Adam/AdamW step, one thread per element
${uniformStructWGSL(FIELDS)}
@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> exp_avg: array<f32>;
@group(0) @binding(4) var<storage, read_write> exp_avg_sq: array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * ${WORKGROUP}u;
  if (i >= params.n) { return; }
  let pi = params.p_offset + i;
  let mi = params.m_offset + i;
  let vi = params.v_offset + i;
  let p = param[pi] * params.decay;           // AdamW: decoupled decay (1 for Adam)
  let g = grad[params.g_offset + i] + params.l2 * p; // Adam: L2 term (0 for AdamW)
  let m = exp_avg[mi] * params.beta1 + params.one_minus_beta1 * g;
  let v = exp_avg_sq[vi] * params.beta2 + params.one_minus_beta2 * (g * g);
  exp_avg[mi] = m;
  exp_avg_sq[vi] = v;
  let denom = sqrt(v) / params.bias_correction2_sqrt + params.eps;
  param[pi] = p + (m * params.neg_step_size) / denom;
}
`;
}

/**
 * Launch of {@link adamwWGSL}. Buffers: [param, grad, expAvg, expAvgSq].
 *
 * @param s the step: size, offsets and hyper-parameters
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { adamwLaunch } from "./adamw.ts";
 * const hp = { step: 1, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true };
 * equal(adamwLaunch({ n: 1000, ...hp }).workgroups[0], 4);
 * ```
 */
export function adamwLaunch(s: AdamWProblem, maxPerDim = 65535): KernelLaunch {
  const wd = s.weightDecay;
  const [po, go, mo, vo] = s.offsets ?? [0, 0, 0, 0];
  return {
    name: "adamw",
    source: adamwWGSL(),
    workgroups: grid1d(Math.ceil(s.n / WORKGROUP), maxPerDim),
    uniforms: packUniforms(FIELDS, {
      n: s.n,
      decay: s.decoupled ? 1 - s.lr * wd : 1,
      l2: s.decoupled ? 0 : wd,
      beta1: s.beta1,
      one_minus_beta1: 1 - s.beta1,
      beta2: s.beta2,
      one_minus_beta2: 1 - s.beta2,
      eps: s.eps,
      neg_step_size: -(s.lr / (1 - s.beta1 ** s.step)),
      bias_correction2_sqrt: Math.sqrt(1 - s.beta2 ** s.step),
      p_offset: po,
      g_offset: go,
      m_offset: mo,
      v_offset: vo,
    }),
  };
}
