/**
 * Float32 arithmetic for emulating PyTorch's AVX2 `normal_fill` bit for bit:
 * a correctly rounded fused multiply-add, and the Cephes-style `log` and
 * `sincos` polynomials that PyTorch's x86-64 build evaluates 8 lanes at a time
 * (as compiled by GCC 12 for the AVX2 kernels: each multiply whose only use is
 * an add is fused into an FMA; the exact fusion pattern was read from the
 * machine code of Debian's libtorch 1.13.1).
 *
 * Every intermediate is rounded to float32 with `Math.fround`, which matches a
 * float32 operation exactly for `+ - * /` and `sqrt` of float32 inputs (double
 * has more than twice float's precision, so rounding twice is harmless).
 *
 * @module
 */

const f = Math.fround;

/**
 * `a * b + c` rounded once to float32, as the `vfmadd` instructions do, for
 * float32 inputs. The product of two floats is exact in double; the sum is
 * rounded to double and then to float, which is only wrong when the double
 * lands exactly on a float halfway point; that case is resolved with the exact
 * rounding error of the double sum.
 *
 * @param a float32 factor
 * @param b float32 factor
 * @param c float32 addend
 * @returns the float32 nearest to a·b + c
 * @example A product that double rounding would get wrong
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { fma32 } from "./float32_math.ts";
 * // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24; minus 2^-70 it is just below a halfway point
 * const a = 1 + 2 ** -12;
 * equal(fma32(a, a, -(2 ** -70)), 1 + 2 ** -11);
 * equal(fma32(a, a, 2 ** -70), 1 + 2 ** -11 + 2 ** -23);
 * ```
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = f(s);
  if (r === s) return r;
  const d = s - r; // exact: r is within half a float ulp of s
  const t = r + 2 * d; // the other float neighbour when s is a halfway point
  if (f(t) !== t) return r;
  // s is exactly halfway between r and t: the exact error of p + c decides
  const bb = s - p;
  const err = (p - (s - bb)) + (c - bb);
  if (err === 0) return r; // a true tie: fround already rounded to even
  const up = err > 0;
  return (t > r) === up ? t : r;
}

// Cephes logf constants (as float32).
const SQRTHF = f(0.707106781186547524);
const LOG_P = [
  7.0376836292e-2,
  -1.1514610310e-1,
  1.1676998740e-1,
  -1.2420140846e-1,
  1.4249322787e-1,
  -1.6668057665e-1,
  2.0000714765e-1,
  -2.4999993993e-1,
  3.3333331174e-1,
].map(f);
const LOG_Q1 = f(-2.12194440e-4);
const LOG_Q2 = f(0.693359375);
const MIN_NORM = 2 ** -126;

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/**
 * Natural logarithm of a float32 in the 8-lane AVX2 form PyTorch uses in
 * `normal_fill` (range reduction to [√½, √2), a degree-8 polynomial, Cephes
 * constants), reproduced operation by operation.
 *
 * @param v a float32 value
 * @returns the float32 result of the AVX2 `log` (NaN for v ≤ 0)
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { logAvx2 } from "./float32_math.ts";
 * equal(logAvx2(1), 0);
 * ok(Math.abs(logAvx2(Math.fround(0.3)) - Math.log(0.3)) < 1e-7);
 * ok(Number.isNaN(logAvx2(0)));
 * ```
 */
export function logAvx2(v: number): number {
  if (!(v > 0)) return NaN;
  scratch[0] = Math.max(v, MIN_NORM);
  const bits = scratchBits[0];
  let e = f((bits >>> 23) - 127 + 1);
  scratchBits[0] = (bits & 0x807fffff) | 0x3f000000; // mantissa in [0.5, 1)
  let x = scratch[0];
  if (x < SQRTHF) {
    e = e - 1;
    x = f(f(x - 1) + x);
  } else {
    x = f(x - 1);
  }
  let y = LOG_P[0];
  for (let k = 1; k < 9; k++) y = fma32(y, x, LOG_P[k]);
  const z = f(x * x);
  y = f(x * y);
  y = fma32(y, z, f(e * LOG_Q1));
  y = f(y - f(z * 0.5));
  x = f(x + y);
  return fma32(e, LOG_Q2, x);
}

// Cephes sinf/cosf constants (as float32).
const FOPI = f(1.27323954473516);
const DP1 = f(-0.78515625);
const DP2 = f(-2.4187564849853515625e-4);
const DP3 = f(-3.77489497744594108e-8);
const SIN_P0 = f(-1.9515295891e-4);
const SIN_P1 = f(8.3321608736e-3);
const SIN_P2 = f(-1.6666654611e-1);
const COS_P0 = f(2.443315711809948e-5);
const COS_P1 = f(-1.388731625493765e-3);
const COS_P2 = f(4.166664568298827e-2);

/** Sine and cosine of one float32 angle, as {@linkcode sincosAvx2} returns them. */
export interface SinCos {
  /** sin(θ) as float32 */
  sin: number;
  /** cos(θ) as float32 */
  cos: number;
}

/**
 * Sine and cosine of a float32 angle in the 8-lane AVX2 form PyTorch uses in
 * `normal_fill` (octant reduction by 4/π with a three-part π/4, two Cephes
 * polynomials), reproduced operation by operation. Accurate for |θ| < 8192.
 *
 * @param theta a float32 angle in radians
 * @param out where the two results go (reused to avoid allocation)
 * @returns `out`
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { sincosAvx2 } from "./float32_math.ts";
 * const r = sincosAvx2(Math.fround(2), { sin: 0, cos: 0 });
 * ok(Math.abs(r.sin - Math.sin(2)) < 1e-7 && Math.abs(r.cos - Math.cos(2)) < 1e-7);
 * ```
 */
export function sincosAvx2(theta: number, out: SinCos): SinCos {
  const ax = Math.abs(theta);
  let j = Math.trunc(f(ax * FOPI)) | 0;
  j = (j + 1) & ~1;
  const y = j; // exact in float32 for the ranges used here
  const negSin = ((j & 4) !== 0) !== (theta < 0 || Object.is(theta, -0));
  const negCos = (~(j - 2) & 4) !== 0;
  const cosPolyFirst = (j & 2) === 0;
  let x = fma32(y, DP1, ax);
  x = fma32(y, DP2, x);
  x = fma32(y, DP3, x);
  const z = f(x * x);
  let c = fma32(COS_P0, z, COS_P1);
  c = fma32(c, z, COS_P2);
  c = f(z * c);
  c = fma32(c, z, -f(z * 0.5));
  c = f(c + 1);
  let s = fma32(z, SIN_P0, SIN_P1);
  s = fma32(s, z, SIN_P2);
  s = f(z * s);
  s = fma32(s, x, x);
  const sinv = cosPolyFirst ? s : c;
  const cosv = cosPolyFirst ? c : s;
  out.sin = negSin ? -sinv : sinv;
  out.cos = negCos ? -cosv : cosv;
  return out;
}
