/**
 * The Tensor backend's elementwise kernel: any number of strided, broadcast
 * inputs and a strided output (so in-place writes into views work), one WGSL
 * expression per op and element type, in a table typed over the backend's op
 * names (a missing formula does not compile). float32 is stored as `f32`, int32
 * as `i32` (exact, and wrapping on overflow as on the CPU) and bool as `i32`
 * 0/1; each operand is loaded as its own type, the expression is evaluated in
 * the value inputs' type, and the result is converted to the output's type (so
 * `copy` casts, truncating toward zero into int32). The CPU twin is the CPU
 * backend's elementwise table (core/cpu/elementwise.ts); tests compare the two
 * op by op. Loop steps (kernels/loop_steps.ts): none over the sizes; int32 `pow` loops at most
 * 32 times.
 *
 * @module
 */

import type { BinaryKernel, UnaryKernel } from "../core/backend.ts";
import { MATH_WGSL } from "./math_wgsl.ts";
import { SIN_COS_LOG1P_WGSL } from "./sin_cos_log1p.ts";
import {
  grid1d,
  type KernelLaunch,
  packUniforms,
  type UniformField,
  uniformStructWGSL,
  type WgslScalar,
} from "./launch.ts";

/** A view in element units, already broadcast to the output's rank. */
export interface StridedOperand {
  /** Per-dim strides (0 on broadcast dims), one per output dim. */
  strides: readonly number[];
  /** Index of the first element. */
  offset: number;
  /** The buffer's element type (default "f32"). */
  type?: WgslScalar;
}

const WORKGROUP = 256;

/** WGSL helpers the expressions below call (the numerics are in math_wgsl.ts). */
const HELPERS = `${MATH_WGSL}${SIN_COS_LOG1P_WGSL}
fn nan_or(x: f32, v: f32) -> f32 { return select(v, x, is_nan(x)); }
fn nan2(a: f32, b: f32, v: f32) -> f32 { return select(v, a + b, is_nan(a) || is_nan(b)); }
// Integer powers by squaring (wrapping as int32 does); a negative exponent truncates 1/a^|b|.
fn ipow(a: i32, b: i32) -> i32 {
  if (b < 0) { return select(select(0, select(-1, 1, (b & 1) == 0), a == -1), 1, a == 1); }
  var result = 1;
  var base = a;
  var e = b;
  for (var k = 0; k < 32 && e > 0; k++) {
    if ((e & 1) == 1) { result = result * base; }
    base = base * base;
    e = e >> 1u;
  }
  return result;
}
`;

/**
 * The ops of the strided kernel: the backend's unary and binary kernels, plus `where` (three
 * inputs: a bool condition and two values), `fill` (none) and `axpy` (in place).
 */
export type StridedOp = UnaryKernel | BinaryKernel | "where" | "fill" | "axpy";

/**
 * An op's expression: one for both element types, or one per type (`i32: null` for an op the
 * frontend runs on float32 only, such as `exp`).
 */
export type StridedFormula = string | { readonly f32: string; readonly i32: string | null };

/**
 * WGSL expressions of the backend's elementwise ops over inputs `a`, `b`, `c`
 * (and `o`, the old output value, for in-place updates); `alpha` and `ialpha` are
 * uniforms. Comparisons give 0.0 or 1.0, converted to the bool output.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { STRIDED_EXPR } from "./strided.ts";
 * equal(STRIDED_EXPR.add, "a + b");
 * ```
 */
export const STRIDED_EXPR: { readonly [K in StridedOp]: StridedFormula } = {
  copy: "a",
  neg: "-a",
  exp: { f32: "exp(a)", i32: null },
  log: { f32: "log(a)", i32: null },
  sqrt: { f32: "sqrt(a)", i32: null },
  abs: "abs(a)",
  tanh: { f32: "tanh_accurate(a)", i32: null },
  relu: { f32: "nan_or(a, select(a, 0.0, a < 0.0))", i32: "max(a, 0)" },
  sigmoid: { f32: "1.0 / (1.0 + exp(-a))", i32: null },
  gelu: { f32: "gelu_erf(a)", i32: null },
  geluTanh: { f32: "gelu_sigmoid(a)", i32: null },
  geluGrad: { f32: "gelu_erf_grad(a)", i32: null },
  geluTanhGrad: { f32: "gelu_sigmoid_grad(a)", i32: null },
  sign: { f32: "select(sign(a), a, a == 0.0 || is_nan(a))", i32: "sign(a)" },
  // NaN is true, ±0 false
  toBool: {
    f32: "select(0.0, 1.0, (bitcast<u32>(a) & 0x7fffffffu) != 0u)",
    i32: "select(0.0, 1.0, a != 0)",
  },
  isInf: { f32: "select(0.0, 1.0, is_inf(a))", i32: null },
  sin: { f32: "sin_f32(a)", i32: null },
  cos: { f32: "cos_f32(a)", i32: null },
  log1p: { f32: "log1p_f32(a)", i32: null },
  add: "a + b",
  sub: "a - b",
  mul: "a * b",
  div: { f32: "a / b", i32: null },
  pow: { f32: "pow_ieee(a, b)", i32: "ipow(a, b)" },
  maximum: { f32: "nan2(a, b, select(b, a, a > b))", i32: "max(a, b)" },
  minimum: { f32: "nan2(a, b, select(b, a, a < b))", i32: "min(a, b)" },
  eq: "select(0.0, 1.0, a == b)",
  // NaN != anything, whatever the compiler assumes
  ne: {
    f32: "select(0.0, 1.0, !(a == b) || is_nan(a) || is_nan(b))",
    i32: "select(0.0, 1.0, a != b)",
  },
  lt: "select(0.0, 1.0, a < b)",
  le: "select(0.0, 1.0, a <= b)",
  gt: "select(0.0, 1.0, a > b)",
  ge: "select(0.0, 1.0, a >= b)",
  and: { f32: "select(0.0, 1.0, a != 0.0 && b != 0.0)", i32: "select(0.0, 1.0, a != 0 && b != 0)" },
  tanhGrad: { f32: "a * (1.0 - b * b)", i32: null },
  sigmoidGrad: { f32: "a * b * (1.0 - b)", i32: null },
  geluBackward: { f32: "a * gelu_erf_grad(b)", i32: null },
  geluTanhBackward: { f32: "a * gelu_sigmoid_grad(b)", i32: null },
  where: "select(c, b, a != 0)", // a: the bool condition (i32 0/1)
  fill: { f32: "params.alpha", i32: "params.ialpha" },
  axpy: { f32: "o + params.alpha * a", i32: "o + params.ialpha * a" },
};

/** The expression of `op` for values of `type`. */
function formula(op: StridedOp, type: WgslScalar): string {
  const f = STRIDED_EXPR[op];
  if (typeof f === "string") return f;
  const expr = f[type];
  if (expr === null) {
    throw new RangeError(`Cannot generate kernel ${op}: it is defined for float32 only`);
  }
  return expr;
}

const NAMES = ["a", "b", "c"];

function fields(rank: number, inputs: number): UniformField[] {
  const out: UniformField[] = [
    { name: "n", type: "u32" },
    { name: "alpha", type: "f32" },
    { name: "ialpha", type: "i32" },
  ];
  for (let d = 0; d < rank; d++) out.push({ name: `shape${d}`, type: "u32" });
  for (const x of [...NAMES.slice(0, inputs), "o"]) {
    out.push({ name: `${x}_offset`, type: "u32" });
    for (let d = 0; d < rank; d++) out.push({ name: `${x}_stride${d}`, type: "u32" });
  }
  return out;
}

/**
 * WGSL of one elementwise op over strided inputs of the given element types into a strided
 * output of type `out`. The expression runs in the value inputs' type (for `where`, the type of
 * `b` and `c`; with no inputs, the output's) and is converted to the output type.
 *
 * @param op a key of {@linkcode STRIDED_EXPR}
 * @param rank the output rank
 * @param inputs the element type of each input (0–3 of them)
 * @param out the element type of the output
 * @returns the WGSL source
 * @throws {RangeError} for a float-only op on int32 values
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { stridedWGSL } from "./strided.ts";
 * ok(stridedWGSL("mul", 2, ["f32", "f32"], "f32").includes("out[o_index] = f32(a * b);"));
 * ok(stridedWGSL("lt", 1, ["i32", "i32"], "i32").includes("var<storage, read> a_data: array<i32>"));
 * ```
 */
export function stridedWGSL(
  op: StridedOp,
  rank: number,
  inputs: readonly WgslScalar[],
  out: WgslScalar,
): string {
  const valueType = op === "where" ? inputs[1] : inputs[0] ?? out;
  const expr = formula(op, valueType);
  const names = NAMES.slice(0, inputs.length);
  const all = [...names, "o"];
  const idx = all.map((x) => `  var ${x}_index = params.${x}_offset;`);
  idx.push("  var rest = i;");
  for (let d = rank - 1; d >= 0; d--) {
    idx.push(`  let c${d} = rest % params.shape${d};`);
    if (d > 0) idx.push(`  rest = rest / params.shape${d};`);
    for (const x of all) idx.push(`  ${x}_index += c${d} * params.${x}_stride${d};`);
  }
  const bindings = names.map((x, i) =>
    `@group(0) @binding(${i + 1}) var<storage, read> ${x}_data: array<${inputs[i]}>;`
  );
  const loads = names.map((x) => `  let ${x} = ${x}_data[${x}_index];`);
  if (expr.includes("o +")) loads.push("  let o = out[o_index];");
  return `// tensor ${op}: ${inputs.length} strided input(s) (${
    inputs.join(", ")
  }), strided ${out} output, rank ${rank}
${uniformStructWGSL(fields(rank, inputs.length))}
${bindings.join("\n")}
@group(0) @binding(${inputs.length + 1}) var<storage, read_write> out: array<${out}>;
${HELPERS}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * ${WORKGROUP}u;
  if (i >= params.n) { return; }
${idx.join("\n")}
${loads.join("\n")}
  out[o_index] = ${out}(${expr});
}
`;
}

/**
 * Launch of {@linkcode stridedWGSL}. Buffers: [...inputs, out].
 *
 * @param op a key of {@linkcode STRIDED_EXPR}
 * @param shape the output shape
 * @param inputs the inputs' strides (broadcast to `shape`), offsets and element types
 * @param out the output's strides, offset and element type
 * @param alpha the scalar of `fill` and `axpy` (0 otherwise; truncated for int32)
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
  const ialpha = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.trunc(alpha)));
  const values: Record<string, number> = { n, alpha, ialpha };
  shape.forEach((s, d) => values[`shape${d}`] = s);
  const ops = [...inputs, out];
  const names = [...NAMES.slice(0, inputs.length), "o"];
  ops.forEach((v, j) => {
    values[`${names[j]}_offset`] = v.offset;
    v.strides.forEach((s, d) => values[`${names[j]}_stride${d}`] = s);
  });
  return {
    name: `tensor_${op}`,
    source: stridedWGSL(op, shape.length, inputs.map((v) => v.type ?? "f32"), out.type ?? "f32"),
    workgroups: grid1d(Math.ceil(n / WORKGROUP), maxPerDim),
    uniforms: packUniforms(fields(shape.length, inputs.length), values),
  };
}
