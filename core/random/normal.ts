/**
 * `torch.randn` on the CPU, as PyTorch 1.13 computes it for float32 on x86-64
 * with AVX2 (and, as an option, with its portable "default" kernels). Below 16 elements each value is a double-precision Box–Muller
 * sample (the generator caches the second sample of each pair, across calls);
 * from 16 elements on, `normal_fill` first draws all the uniforms, then turns
 * each block of 16 into 16 normals with float32 SIMD arithmetic (lanes j and
 * j + 8 of a block form one Box–Muller pair), and when the size is not a
 * multiple of 16 it draws 16 fresh uniforms for the last 16 slots and
 * transforms those again.
 *
 * The AVX2 kernel uses its own float32 log/sin/cos polynomials with fused
 * multiply-adds (see float32_math.ts). The default kernel (no AVX, and the
 * kernel of non-x86 builds) calls the C library's float `logf`, `sinf`, `cosf`
 * with separate multiplies and adds; it is emulated with correctly rounded
 * float32 results of `Math.log`, `Math.sin`, `Math.cos`.
 *
 * @module
 */

import type { RandomBits } from "./bits.ts";
import { fma32, logAvx2, type SinCos, sincosAvx2 } from "./float32_math.ts";

const f = Math.fround;
/** float32(2π), the constant PyTorch broadcasts into the AVX2 kernel. */
const TWO_PI_F32 = f(2 * Math.PI);

/** Which of PyTorch's CPU kernels to reproduce: `"avx2"` (x86-64 default) or `"default"`. */
export type CpuCapability = "avx2" | "default";

/**
 * Fills a new Float32Array with `n` normal samples in PyTorch's order.
 *
 * @param bits the generator to draw from
 * @param n how many samples
 * @param mean the mean (float32)
 * @param std the standard deviation (float32)
 * @param capability which kernel to reproduce for n >= 16 (default `"avx2"`)
 * @returns the samples
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { Generator } from "./generator.ts";
 * import { normalFill } from "./normal.ts";
 * const a = normalFill(new Generator(1), 40, 0, 1);
 * const b = normalFill(new Generator(1), 40, 0, 1, "default");
 * equal(a.length, 40);
 * ok(a.every((v, i) => Math.abs(v - b[i]) < 1e-5)); // the kernels differ in the last bits
 * ```
 */
export function normalFill(
  bits: RandomBits,
  n: number,
  mean: number,
  std: number,
  capability: CpuCapability = "avx2",
): Float32Array {
  const out = new Float32Array(n);
  if (n < 16) {
    for (let i = 0; i < n; i++) out[i] = bits.nextNormalDouble() * std + mean;
    return out;
  }
  const m = f(mean);
  const s = f(std);
  for (let i = 0; i < n; i++) out[i] = bits.nextFloat();
  const sc: SinCos = { sin: 0, cos: 0 };
  const fill = capability === "avx2" ? fill16Avx2 : fill16Default;
  for (let i = 0; i + 16 <= n; i += 16) fill(out, i, m, s, sc);
  if (n % 16 !== 0) {
    const start = n - 16;
    for (let i = 0; i < 16; i++) out[start + i] = bits.nextFloat();
    fill(out, start, m, s, sc);
  }
  return out;
}

/** One block of `normal_fill_16_AVX2`: uniforms at o..o+15 become normals in place. */
function fill16Avx2(data: Float32Array, o: number, mean: number, std: number, sc: SinCos): void {
  for (let j = 0; j < 8; j++) {
    const u1 = f(1 - data[o + j]); // [0, 1) -> (0, 1] for the log
    const u2 = data[o + j + 8];
    const radius = f(Math.sqrt(f(logAvx2(u1) * -2)));
    const theta = f(TWO_PI_F32 * u2);
    sincosAvx2(theta, sc);
    data[o + j] = fma32(f(radius * sc.cos), std, mean);
    data[o + j + 8] = fma32(f(radius * sc.sin), std, mean);
  }
}

/** One block of the portable `normal_fill_16`: float libm calls, no fused operations. */
function fill16Default(data: Float32Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = f(1 - data[o + j]);
    const u2 = data[o + j + 8];
    const radius = f(Math.sqrt(f(-2 * f(Math.log(u1)))));
    const theta = f(2 * Math.PI * u2); // 2.0f * pi<double> * u2 in double, stored as float
    data[o + j] = f(f(f(radius * f(Math.cos(theta))) * std) + mean);
    data[o + j + 8] = f(f(f(radius * f(Math.sin(theta))) * std) + mean);
  }
}

/**
 * One pair of double-precision Box–Muller normals from two 53-bit uniforms, as
 * `at::normal_distribution<double>` computes them: returns r·cos θ and hands
 * r·sin θ to `keep` (the generator's cache).
 *
 * @param u1 the first uniform (the angle)
 * @param u2 the second uniform (the radius)
 * @param keep receives the second sample
 * @returns the first sample
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { boxMullerDouble } from "./normal.ts";
 * let second = NaN;
 * const first = boxMullerDouble(0, 1 - Math.exp(-0.5), (v) => (second = v));
 * ok(Math.abs(first - 1) < 1e-12); // r = 1, theta = 0
 * equal(second, 0);
 * ```
 */
export function boxMullerDouble(u1: number, u2: number, keep: (v: number) => void): number {
  const r = Math.sqrt(-2 * Math.log(1 - u2));
  const theta = 2 * Math.PI * u1;
  keep(r * Math.sin(theta));
  return r * Math.cos(theta);
}
