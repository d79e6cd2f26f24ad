/**
 * The Tensor backend's elementwise kernel: any number of strided, broadcast
 * float inputs and a strided output (so in-place writes into views work), one
 * WGSL expression per op, in a table typed over the backend's op names (a
 * missing formula does not compile). On the GPU every dtype is stored as f32
 * values (int32 exact up to 2^24, bool as 0/1), so one template serves them all.
 * The CPU twin is the CPU backend's elementwise table (core/cpu/elementwise.ts);
 * tests compare the two op by op.
 *
 * @module
 */

import type { BinaryKernel, UnaryKernel } from "../core/backend.ts";
import { SIN_COS_LOG1P_WGSL } from "./sin_cos_log1p.ts";
import {
  grid1d,
  type KernelLaunch,
  packUniforms,
  type UniformField,
  uniformStructWGSL,
} from "./launch.ts";

/** A view in element units, already broadcast to the output's rank. */
export interface StridedOperand {
  /** Per-dim strides (0 on broadcast dims), one per output dim. */
  strides: readonly number[];
  /** Index of the first element. */
  offset: number;
}

const WORKGROUP = 256;
const SQRT1_2 = Math.SQRT1_2;
const GELU_C = Math.sqrt(2 / Math.PI);

/** WGSL helpers the expressions below call. */
const HELPERS = `${SIN_COS_LOG1P_WGSL}
fn erf_approx(x: f32) -> f32 {
  // Abramowitz-Stegun 7.1.26, |error| < 1.5e-7
  let ax = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * ax);
  let poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t
    + 0.254829592) * t;
  return sign(x) * (1.0 - poly * exp(-ax * ax));
}
fn tanh_safe(x: f32) -> f32 {
  // tanh(15) == 1 in float32; clamping keeps exp() from overflowing in tanh.
  return tanh(clamp(x, -15.0, 15.0));
}
fn pow_torch(a: f32, b: f32) -> f32 {
  // WGSL pow is undefined for a < 0 and pow(0, 0); torch follows C pow.
  if (b == 0.0) { return 1.0; }
  let mag = pow(abs(a), b);
  if (a >= 0.0) { return mag; }
  if (b != floor(b)) { return bitcast<f32>(0x7fc00000u); }
  let odd = (b * 0.5) != floor(b * 0.5);
  return select(mag, -mag, odd);
}
fn gelu_exact(x: f32) -> f32 {
  return 0.5 * x * (1.0 + erf_approx(x * ${SQRT1_2}));
}
// Bit tests: the shader compiler may assume comparisons never see NaN.
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn nan_or(x: f32, v: f32) -> f32 { return select(v, x, is_nan(x)); }
fn nan2(a: f32, b: f32, v: f32) -> f32 { return select(v, a + b, is_nan(a) || is_nan(b)); }
fn pow_nan(a: f32, b: f32) -> f32 {
  if (b == 0.0 || a == 1.0) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return bitcast<f32>(0x7fc00000u); }
  if (a == -1.0 && is_inf(b)) { return 1.0; }
  return pow_torch(a, b);
}
fn gelu_tanh_grad(x: f32) -> f32 {
  let th = tanh_safe(${GELU_C} * (x + 0.044715 * x * x * x));
  return 0.5 * (1.0 + th) + 0.5 * x * (1.0 - th * th) * ${GELU_C} * (1.0 + 3.0 * 0.044715 * x * x);
}
`;

/**
 * The ops of the strided kernel: the backend's unary and binary kernels, plus `trunc` (the
 * float → int32 copy), `where` (three inputs), `fill` (none) and `axpy` (in place).
 */
export type StridedOp = UnaryKernel | BinaryKernel | "trunc" | "where" | "fill" | "axpy";

/**
 * WGSL expressions of the backend's elementwise ops over inputs `a`, `b`, `c`
 * (and `o`, the old output value, for in-place updates); `alpha` is a uniform.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { STRIDED_EXPR } from "./strided.ts";
 * equal(STRIDED_EXPR.add, "a + b");
 * ```
 */
export const STRIDED_EXPR: { readonly [K in StridedOp]: string } = {
  copy: "a",
  trunc: "trunc(a)",
  neg: "-a",
  exp: "exp(a)",
  log: "log(a)",
  sqrt: "sqrt(a)",
  abs: "abs(a)",
  tanh: "nan_or(a, tanh_safe(a))",
  relu: "nan_or(a, select(a, 0.0, a < 0.0))",
  sigmoid: "1.0 / (1.0 + exp(-a))",
  gelu: "gelu_exact(a)",
  geluTanh: `0.5 * a * (1.0 + tanh_safe(${GELU_C} * (a + 0.044715 * a * a * a)))`,
  geluGrad: `0.5 * (1.0 + erf_approx(a * ${SQRT1_2})) + a * ${
    1 / Math.sqrt(2 * Math.PI)
  } * exp(-0.5 * a * a)`,
  geluTanhGrad: "gelu_tanh_grad(a)",
  sign: "select(sign(a), a, a == 0.0 || is_nan(a))",
  toBool: "select(0.0, 1.0, (bitcast<u32>(a) & 0x7fffffffu) != 0u)", // NaN is true, ±0 false
  isInf: "select(0.0, 1.0, is_inf(a))",
  sin: "sin_f32(a)",
  cos: "cos_f32(a)",
  log1p: "log1p_f32(a)",
  add: "a + b",
  sub: "a - b",
  mul: "a * b",
  div: "a / b",
  pow: "pow_nan(a, b)",
  maximum: "nan2(a, b, select(b, a, a > b))",
  minimum: "nan2(a, b, select(b, a, a < b))",
  eq: "select(0.0, 1.0, a == b)",
  ne: "select(0.0, 1.0, !(a == b) || is_nan(a) || is_nan(b))", // NaN != anything, whatever the compiler assumes
  lt: "select(0.0, 1.0, a < b)",
  le: "select(0.0, 1.0, a <= b)",
  gt: "select(0.0, 1.0, a > b)",
  ge: "select(0.0, 1.0, a >= b)",
  and: "select(0.0, 1.0, a != 0.0 && b != 0.0)",
  tanhGrad: "a * (1.0 - b * b)",
  sigmoidGrad: "a * b * (1.0 - b)",
  geluBackward: `a * (0.5 * (1.0 + erf_approx(b * ${SQRT1_2})) + b * ${
    1 / Math.sqrt(2 * Math.PI)
  } * exp(-0.5 * b * b))`,
  geluTanhBackward: "a * gelu_tanh_grad(b)",
  where: "select(c, b, a != 0.0)",
  fill: "params.alpha",
  axpy: "o + params.alpha * a",
};

const NAMES = ["a", "b", "c"];

function fields(rank: number, inputs: number): UniformField[] {
  const out: UniformField[] = [{ name: "n", type: "u32" }, { name: "alpha", type: "f32" }];
  for (let d = 0; d < rank; d++) out.push({ name: `shape${d}`, type: "u32" });
  for (const x of [...NAMES.slice(0, inputs), "o"]) {
    out.push({ name: `${x}_offset`, type: "u32" });
    for (let d = 0; d < rank; d++) out.push({ name: `${x}_stride${d}`, type: "u32" });
  }
  return out;
}

/**
 * WGSL of one elementwise op over `inputs` strided inputs into a strided output.
 *
 * @param op a key of {@linkcode STRIDED_EXPR}
 * @param rank the output rank
 * @param inputs how many inputs (0–3)
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { stridedWGSL } from "./strided.ts";
 * ok(stridedWGSL("mul", 2, 2).includes("out[o_index] = a * b;"));
 * ```
 */
export function stridedWGSL(op: StridedOp, rank: number, inputs: number): string {
  const expr = STRIDED_EXPR[op];
  const names = NAMES.slice(0, inputs);
  const all = [...names, "o"];
  const idx = all.map((x) => `  var ${x}_index = params.${x}_offset;`);
  idx.push("  var rest = i;");
  for (let d = rank - 1; d >= 0; d--) {
    idx.push(`  let c${d} = rest % params.shape${d};`);
    if (d > 0) idx.push(`  rest = rest / params.shape${d};`);
    for (const x of all) idx.push(`  ${x}_index += c${d} * params.${x}_stride${d};`);
  }
  const bindings = names.map((x, i) =>
    `@group(0) @binding(${i + 1}) var<storage, read> ${x}_data: array<f32>;`
  );
  const loads = names.map((x) => `  let ${x} = ${x}_data[${x}_index];`);
  if (expr.includes("o +")) loads.push("  let o = out[o_index];");
  return `// tensor ${op}: ${inputs} strided input(s), strided output, rank ${rank}
${uniformStructWGSL(fields(rank, inputs))}
${bindings.join("\n")}
@group(0) @binding(${inputs + 1}) var<storage, read_write> out: array<f32>;
${HELPERS}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * ${WORKGROUP}u;
  if (i >= params.n) { return; }
${idx.join("\n")}
${loads.join("\n")}
  out[o_index] = ${expr};
}
`;
}

/**
 * Launch of {@linkcode stridedWGSL}. Buffers: [...inputs, out].
 *
 * @param op a key of {@linkcode STRIDED_EXPR}
 * @param shape the output shape
 * @param inputs the inputs' strides (broadcast to `shape`) and offsets
 * @param out the output's strides and offset
 * @param alpha the scalar of `fill` and `axpy` (0 otherwise)
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { stridedLaunch } from "./strided.ts";
 * const l = stridedLaunch("neg", [600], [{ strides: [1], offset: 0 }], { strides: [1], offset: 0 });
 * deepEqual(l.workgroups, [3, 1, 1]);
 * ```
 */
export function stridedLaunch(
  op: StridedOp,
  shape: readonly number[],
  inputs: readonly StridedOperand[],
  out: StridedOperand,
  alpha = 0,
  maxPerDim = 65535,
): KernelLaunch {
  let n = 1;
  for (const s of shape) n *= s;
  const values: Record<string, number> = { n, alpha };
  shape.forEach((s, d) => values[`shape${d}`] = s);
  const ops = [...inputs, out];
  const names = [...NAMES.slice(0, inputs.length), "o"];
  ops.forEach((v, j) => {
    values[`${names[j]}_offset`] = v.offset;
    v.strides.forEach((s, d) => values[`${names[j]}_stride${d}`] = s);
  });
  return {
    name: `tensor_${op}`,
    source: stridedWGSL(op, shape.length, inputs.length),
    workgroups: grid1d(Math.ceil(n / WORKGROUP), maxPerDim),
    uniforms: packUniforms(fields(shape.length, inputs.length), values),
  };
}
