/**
 * A fused AdamW step (torch.optim.AdamW semantics) over a flat parameter
 * buffer: decoupled weight decay, then the Adam update with bias correction.
 * One dispatch per parameter buffer (or one over a packed buffer of all).
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

/** Hyperparameters of one step; defaults are torch's. */
export interface AdamWStep {
  /** Number of elements. */
  n: number;
  /** Step number t, starting at 1. */
  step: number;
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** beta1 (default 0.9). */
  beta1?: number;
  /** beta2 (default 0.999). */
  beta2?: number;
  /** eps (default 1e-8). */
  eps?: number;
  /** Weight decay (default 1e-2). */
  weightDecay?: number;
}

const WORKGROUP = 256;
const FIELDS: UniformField[] = [
  { name: "n", type: "u32" },
  { name: "lr", type: "f32" },
  { name: "beta1", type: "f32" },
  { name: "beta2", type: "f32" },
  { name: "eps", type: "f32" },
  { name: "weight_decay", type: "f32" },
  { name: "bias_correction1", type: "f32" },
  { name: "bias_correction2_sqrt", type: "f32" },
];

function resolved(s: AdamWStep): Required<AdamWStep> {
  return { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2, ...s };
}

/**
 * WGSL of the step. Buffers: param, grad, exp_avg, exp_avg_sq (param and moments updated in place).
 *
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { adamwWGSL } from "./adamw.ts";
 * ok(adamwWGSL().includes("p = p * (1.0 - params.lr * params.weight_decay);"));
 * ```
 */
export function adamwWGSL(): string {
  return `// fused AdamW step, one thread per element
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
  let g = grad[i];
  var p = param[i];
  p = p * (1.0 - params.lr * params.weight_decay);
  let m = params.beta1 * exp_avg[i] + (1.0 - params.beta1) * g;
  let v = params.beta2 * exp_avg_sq[i] + (1.0 - params.beta2) * g * g;
  exp_avg[i] = m;
  exp_avg_sq[i] = v;
  let denom = sqrt(v) / params.bias_correction2_sqrt + params.eps;
  param[i] = p - (params.lr / params.bias_correction1) * m / denom;
}
`;
}

/**
 * Launch of one step. Buffers: [param, grad, expAvg, expAvgSq].
 *
 * @param step size, step number and hyperparameters
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 */
export function adamwLaunch(step: AdamWStep, maxPerDim = 65535): KernelLaunch {
  const s = resolved(step);
  return {
    name: "adamw",
    source: adamwWGSL(),
    workgroups: grid1d(Math.ceil(s.n / WORKGROUP), maxPerDim),
    uniforms: packUniforms(FIELDS, {
      n: s.n,
      lr: s.lr,
      beta1: s.beta1,
      beta2: s.beta2,
      eps: s.eps,
      weight_decay: s.weightDecay,
      bias_correction1: 1 - s.beta1 ** s.step,
      bias_correction2_sqrt: Math.sqrt(1 - s.beta2 ** s.step),
    }),
  };
}

/**
 * CPU twin: the same step in place, in float32 arithmetic order of torch's single-tensor AdamW.
 *
 * @param param parameters (updated)
 * @param grad gradients
 * @param expAvg first moments (updated)
 * @param expAvgSq second moments (updated)
 * @param step step number and hyperparameters
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { adamwCPU } from "./adamw.ts";
 * const p = new Float32Array([1]);
 * adamwCPU(p, new Float32Array([0.5]), new Float32Array(1), new Float32Array(1),
 *   { n: 1, step: 1, lr: 0.1, weightDecay: 0 });
 * ok(Math.abs(p[0] - 0.9) < 1e-6); // the first step moves by lr·sign(g)
 * ```
 */
export function adamwCPU(
  param: Float32Array,
  grad: Float32Array,
  expAvg: Float32Array,
  expAvgSq: Float32Array,
  step: AdamWStep,
): void {
  const s = resolved(step);
  const bc1 = 1 - s.beta1 ** s.step, bc2s = Math.sqrt(1 - s.beta2 ** s.step);
  for (let i = 0; i < s.n; i++) {
    const g = grad[i];
    const p = param[i] * (1 - s.lr * s.weightDecay);
    expAvg[i] = s.beta1 * expAvg[i] + (1 - s.beta1) * g;
    expAvgSq[i] = s.beta2 * expAvgSq[i] + (1 - s.beta2) * g * g;
    param[i] = p - (s.lr / bc1) * expAvg[i] / (Math.sqrt(expAvgSq[i]) / bc2s + s.eps);
  }
}
