/**
 * IEEE 754 half precision (binary16) ↔ single precision conversions on bit
 * patterns, so float32 weights can be stored as `F16` in a checkpoint and read
 * back. float32 → float16 rounds to nearest, ties to even, through the
 * subnormal range; overflow gives ±Inf; NaN gives `sign | 0x7e00` as PyTorch's
 * CPU conversion does.
 *
 * @module
 */

import { checkInstance, checkNumber } from "../validate.ts";

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** float32 bit pattern → float16 bit pattern, round to nearest even. */
function bitsToHalf(b: number): number {
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | (mant ? 0x7e00 : 0x7c00); // NaN (canonical quiet) or Inf
  const e = exp - 112; // rebias 127 → 15
  if (e >= 0x1f) return sign | 0x7c00; // too large: Inf
  if (e <= 0) {
    // subnormal half (or zero): value = mant' * 2^-24 with the implicit bit made explicit
    if (e < -10) return sign; // below half the smallest subnormal: ±0
    mant |= 0x800000;
    const shift = 14 - e; // 13 bits of precision lost, plus 1 - e for the denormalisation
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h++; // may carry into the smallest normal
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++; // a carry may reach Inf, as it should
  return sign | h;
}

/** float16 bit pattern → float32 bit pattern (exact). */
function halfToBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant ? 0x400000 | (mant << 13) : 0)) >>> 0;
  if (exp !== 0) return (sign | ((exp + 112) << 23) | (mant << 13)) >>> 0;
  if (mant === 0) return sign >>> 0;
  // subnormal half: normalise into a float32 normal
  let e = 113;
  let m = mant;
  while ((m & 0x400) === 0) {
    m <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((m & 0x3ff) << 13)) >>> 0;
}

/**
 * Rounds one number to float16 and returns its bit pattern.
 *
 * @param x the value (first rounded to float32, as a Float32Array would)
 * @returns the 16-bit pattern
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { float32ToFloat16Bits } from "./float16.ts";
 * equal(float32ToFloat16Bits(1), 0x3c00);
 * equal(float32ToFloat16Bits(65520), 0x7c00); // rounds up to Inf
 * equal(float32ToFloat16Bits(2 ** -25), 0); // a tie between 0 and 2^-24: even
 * ```
 */
export function float32ToFloat16Bits(x: number): number {
  if (typeof x !== "number") checkNumber("float32ToFloat16Bits", "x", x);
  scratchF32[0] = x;
  return bitsToHalf(scratchU32[0]);
}

/**
 * The value of a float16 bit pattern.
 *
 * @param h the 16-bit pattern
 * @returns the number it encodes (exact)
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { float16BitsToNumber } from "./float16.ts";
 * equal(float16BitsToNumber(0x3555), 0.333251953125);
 * equal(float16BitsToNumber(0x0001), 2 ** -24);
 * equal(float16BitsToNumber(0xfc00), -Infinity);
 * ```
 */
export function float16BitsToNumber(h: number): number {
  if (!(h >= 0 && h <= 0xffff && Number.isInteger(h))) {
    checkNumber("float16BitsToNumber", "h", h, { integer: true, min: 0, max: 0xffff });
  }
  scratchU32[0] = halfToBits(h & 0xffff);
  return scratchF32[0];
}

/**
 * Converts float32 values to float16 bit patterns (round to nearest even).
 *
 * @param values the float32 values
 * @returns one 16-bit pattern per value
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { float32ArrayToFloat16 } from "./float16.ts";
 * deepEqual([...float32ArrayToFloat16(Float32Array.of(1, -2, 0.1))], [0x3c00, 0xc000, 0x2e66]);
 * ```
 */
export function float32ArrayToFloat16(values: Float32Array): Uint16Array {
  checkInstance("float32ArrayToFloat16", "values", values, Float32Array, "a Float32Array");
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < out.length; i++) out[i] = bitsToHalf(bits[i]);
  return out;
}

/**
 * Converts float16 bit patterns to float32 values (exact).
 *
 * @param halves the 16-bit patterns
 * @returns one float32 per pattern
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { float16ArrayToFloat32 } from "./float16.ts";
 * deepEqual([...float16ArrayToFloat32(Uint16Array.of(0x3c00, 0xc000, 0x2e66))], [1, -2, 0.0999755859375]);
 * ```
 */
export function float16ArrayToFloat32(halves: Uint16Array): Float32Array {
  checkInstance("float16ArrayToFloat32", "halves", halves, Uint16Array, "a Uint16Array");
  const out = new Float32Array(halves.length);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < halves.length; i++) bits[i] = halfToBits(halves[i]);
  return out;
}
