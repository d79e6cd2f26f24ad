/**
 * WGSL `sin`, `cos` and `log1p` accurate to float32 (a few ulp), for the strided elementwise
 * kernel. WGSL's builtin sin/cos only promise an absolute error of 2⁻¹¹ on [−π, π], and WGSL
 * has no log1p (log(1 + x) loses every digit of a small x). The CPU twins are `Math.sin`,
 * `Math.cos` and `Math.log1p` (core/cpu/elementwise.ts). Loop steps: none (straight-line code).
 *
 * - sin/cos: Cody–Waite reduction by π/4 in three parts and Cephes' float32 minimax
 *   polynomials (sinf/cosf), within ~2 ulp for |x| < 8192; beyond, float32 reduction loses
 *   digits, as in Cephes. NaN and ±Inf give NaN.
 * - log1p: for 1 + x in [√½, √2], 2·atanh(x / (2 + x)) by its series (relative accuracy from
 *   x itself, so small x keep their digits); elsewhere ln(1 + x) from the exponent and Cephes'
 *   logf polynomial on the mantissa (1 + x rounds by at most an ulp of a log >= 0.34).
 *
 * @module
 */

/**
 * The WGSL helpers `sin_f32`, `cos_f32` and `log1p_f32` (they call `is_nan`/`is_inf`, which
 * the strided kernel's helpers define).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { SIN_COS_LOG1P_WGSL } from "./sin_cos_log1p.ts";
 * ok(SIN_COS_LOG1P_WGSL.includes("fn log1p_f32(x: f32) -> f32"));
 * ```
 */
export const SIN_COS_LOG1P_WGSL = `
// x reduced by j·π/4 (j even) to [-π/4, π/4]; returns (reduced x, j mod 8)
fn reduce_quarter_pi(ax: f32) -> vec2<f32> {
  var j = u32(ax * 1.27323954473516);
  if ((j & 1u) == 1u) { j += 1u; }
  let y = f32(j);
  let z = ((ax - y * 0.78515625) - y * 2.4187564849853515625e-4) - y * 3.77489497744594108e-8;
  return vec2<f32>(z, f32(j & 7u));
}
fn sin_poly(z: f32) -> f32 {
  let zz = z * z;
  return ((-1.9515295891e-4 * zz + 8.3321608736e-3) * zz - 1.6666654611e-1) * zz * z + z;
}
fn cos_poly(z: f32) -> f32 {
  let zz = z * z;
  return ((2.443315711809948e-5 * zz - 1.388731625493765e-3) * zz + 4.166664568298827e-2)
    * zz * zz - 0.5 * zz + 1.0;
}
fn sin_f32(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return bitcast<f32>(0x7fc00000u); }
  let r = reduce_quarter_pi(abs(x));
  var j = u32(r.y);
  var negative = bitcast<u32>(x) >= 0x80000000u; // -0 too: sin(-0) = -0
  if (j > 3u) { negative = !negative; j -= 4u; }
  let v = select(sin_poly(r.x), cos_poly(r.x), j == 2u);
  return select(v, -v, negative);
}
fn cos_f32(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return bitcast<f32>(0x7fc00000u); }
  let r = reduce_quarter_pi(abs(x));
  var j = u32(r.y);
  var negative = false;
  if (j > 3u) { negative = true; j -= 4u; }
  if (j > 1u) { negative = !negative; }
  let v = select(cos_poly(r.x), sin_poly(r.x), j == 2u);
  return select(v, -v, negative);
}
// ln(u) for a finite u > 0 (normal): u = 2^e·m with m in [√½, √2), Cephes' logf polynomial
fn log_positive(u: f32) -> f32 {
  let bits = bitcast<u32>(u);
  var e = i32((bits >> 23u) & 0xffu) - 126;
  var m = bitcast<f32>((bits & 0x007fffffu) | 0x3f000000u); // in [0.5, 1)
  if (m < 0.707106781186547524) { e -= 1; m = m + m - 1.0; } else { m = m - 1.0; }
  let z = m * m;
  var y = ((((((((7.0376836292e-2 * m - 1.1514610310e-1) * m + 1.1676998740e-1) * m
    - 1.2420140846e-1) * m + 1.4249322787e-1) * m - 1.6668057665e-1) * m + 2.0000714765e-1) * m
    - 2.4999993993e-1) * m + 3.3333331174e-1) * m * z;
  let fe = f32(e);
  y += -2.12194440e-4 * fe;
  y += -0.5 * z;
  return m + y + 0.693359375 * fe;
}
fn log1p_f32(x: f32) -> f32 {
  if (is_nan(x) || x == bitcast<f32>(0x7f800000u)) { return x; }
  if (x < -1.0) { return bitcast<f32>(0x7fc00000u); }
  if (x == -1.0) { return bitcast<f32>(0xff800000u); }
  if (x < -0.2928932 || x > 0.4142135) { return log_positive(1.0 + x); }
  // 1 + x in [√½, √2]: ln(1 + x) = 2·atanh(s), s = x / (2 + x), |s| < 0.1716, from x itself
  // (the textbook correction log(u) + (x − (u − 1)) / u is folded away by fast-math compilers)
  let s = x / (2.0 + x);
  let t = s * s;
  return 2.0 * s * (1.0 + t * (0.33333333333 + t * (0.2 + t * (0.14285714286 + t * (0.11111111111
    + t * 0.09090909091)))));
}
`;
