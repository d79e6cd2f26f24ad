/**
 * WGSL math with PyTorch's special cases and float32 accuracy where the
 * builtins fall short: `pow` with C's rules for ±0, ±Inf, NaN and negative
 * bases; `tanh` by a rational fit (lavapipe's builtin is neither accurate near
 * 0 nor safe from overflow); both GELU forms and their derivatives written
 * without cancellation, so tails stay relatively accurate (GELU's tanh form as
 * x·σ(2u) rather than ½x(1 + tanh u), whose 1 + tanh u is 0 in float32 below
 * x ≈ −5.3). The CPU has the same formulas in core/cpu/math.ts.
 *
 * @module
 */

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/**
 * The helpers, for any kernel's source: `is_nan`, `is_inf`, `pow_ieee`,
 * `tanh_accurate`, `gelu_erf`, `gelu_erf_grad`, `gelu_sigmoid`, `gelu_sigmoid_grad`.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { MATH_WGSL } from "./math_wgsl.ts";
 * ok(MATH_WGSL.includes("fn pow_ieee(a: f32, b: f32) -> f32"));
 * ```
 */
export const MATH_WGSL = `
// Bit tests: the shader compiler may assume comparisons never see NaN.
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }

// C's pow (as torch): pow(x, ±0) = 1, pow(1, y) = 1, pow(-1, ±Inf) = 1, pow(±0, y < 0) = ±Inf
// (the sign for odd integer y), a negative base to a non-integer power is NaN.
fn pow_ieee(a: f32, b: f32) -> f32 {
  let a_nan = is_nan(a);
  let b_nan = is_nan(b);
  if ((!b_nan && b == 0.0) || (!a_nan && a == 1.0)) { return 1.0; }
  if (a_nan || b_nan) { return bitcast<f32>(0x7fc00000u); }
  let ab = abs(a);
  let inf = bitcast<f32>(0x7f800000u);
  if (is_inf(b)) {
    if (ab == 1.0) { return 1.0; }
    return select(0.0, inf, (ab > 1.0) == (b > 0.0));
  }
  let integer = b == floor(b);
  let odd = integer && (b * 0.5) != floor(b * 0.5);
  let negative = bitcast<u32>(a) >= 0x80000000u; // -0 too
  var mag: f32;
  if (ab == 0.0) {
    mag = select(0.0, inf, b < 0.0);
  } else if (is_inf(a)) {
    mag = select(0.0, inf, b > 0.0);
  } else {
    if (a < 0.0 && !integer) { return bitcast<f32>(0x7fc00000u); }
    mag = exp2(b * log2(ab));
  }
  return select(mag, -mag, negative && odd);
}

// tanh = x·P(x²)/Q(x²) on |x| < 9 (all terms positive: no cancellation), ±1 beyond.
fn tanh_accurate(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (abs(x) >= 9.0) { return sign(x); }
  let t = x * x;
  let p = 0.9999999915456078 + t * (0.13396864033618971 + t * (0.0035142769861470696 +
    t * (2.0911833850113283e-05 + t * 1.3765338924276449e-08)));
  let q = 1.0 + t * (0.46730188346278395 + t * (0.025948395964062596 +
    t * (0.0003315990596366704 + t * 7.946500732922135e-07)));
  return x * p / q;
}

// exp(-x²/2) with x² split exactly (x = hi + lo, hi of 12 bits), so its rounding does not
// enter the exponent: a plain exp(-0.5 * x * x) is off by ~|x²|·2⁻²⁴ relative.
fn exp_neg_half_square(x: f32) -> f32 {
  let hi = bitcast<f32>(bitcast<u32>(x) & 0xfffff000u);
  let lo = x - hi;
  return exp(-0.5 * hi * hi) * exp(-0.5 * lo * (x + hi));
}

// Φ(-|x|) = erfc(|x|/√2)/2 (Numerical Recipes' erfc, fractional error < 1.2e-7), with
// e = exp(-x²/2) given.
fn normal_tail(x: f32, e: f32) -> f32 {
  let z = abs(x) * ${SQRT1_2};
  let t = 1.0 / (1.0 + 0.5 * z);
  let p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return 0.5 * t * exp(p) * e;
}

// GELU(x) = x·Φ(x), Φ(x) = 1 - Φ(-x) for x ≥ 0; ±Inf and NaN as x·Φ(x) gives them.
fn gelu_erf(x: f32) -> f32 {
  let xc = clamp(x, -20.0, 20.0);
  let q = normal_tail(xc, exp_neg_half_square(xc));
  return select(x * (1.0 - q), x * q, x < 0.0);
}

// GELU'(x) = Φ(x) + x·φ(x).
fn gelu_erf_grad(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let xc = clamp(x, -20.0, 20.0);
  let e = exp_neg_half_square(xc);
  let q = normal_tail(xc, e);
  return select(1.0 - q, q, x < 0.0) + x * ${INV_SQRT_2PI} * e; // NaN at ±Inf, as torch
}

// σ(2u) and 1 - σ(2u) for u = √(2/π)(x + 0.044715x³), each without cancellation.
fn gelu_sigmoids(x: f32) -> vec2<f32> {
  let u = ${GELU_C} * (x + ${GELU_A} * x * x * x);
  let e = exp(-2.0 * abs(u));
  let big = 1.0 / (1.0 + e);
  let small = e / (1.0 + e);
  return select(vec2<f32>(big, small), vec2<f32>(small, big), u < 0.0);
}

// GELU, tanh form: ½x(1 + tanh u) = x·σ(2u).
fn gelu_sigmoid(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  return x * gelu_sigmoids(x).x;
}

// Its derivative: σ(2u) + x·σ(2u)(1 - σ(2u))·2u′, u′ = √(2/π)(1 + 3·0.044715x²).
fn gelu_sigmoid_grad(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let s = gelu_sigmoids(x);
  let du = ${2 * GELU_C} * (1.0 + ${3 * GELU_A} * x * x);
  return s.x + x * s.x * s.y * du;
}
`;
