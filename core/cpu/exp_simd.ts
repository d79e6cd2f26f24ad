/**
 * `exp` on doubles in WebAssembly `f64x2` lanes, eight at a time: V8's
 * `Math.exp` costs 7-10 ns a call, the larger part of a fused cross-entropy
 * over a (32, 27) batch; this runs at about 2 ns. Accurate to about 1 ulp of
 * a double, so float32 values rounded from it are `Math.exp`'s except within
 * a few double ulps of a float32 rounding boundary (about 1 in 10⁸ values).
 *
 * Method: x = k·ln2 + r with k = round(x/ln2) and |r| ≤ ln2/2 (ln2 split into
 * a high part whose trailing zero bits make k·ln2hi exact, and a low part);
 * exp(r) by its Taylor polynomial of degree 13 (remainder below 1e-17
 * relative), fused multiply-adds where relaxed SIMD has them; times 2^k built
 * in the exponent bits. x is clamped to [-700, 709] first: below -700 the
 * result is exp(-700) ≈ 1e-304 (0 once rounded to float32), above 709 it is
 * exp(709); NaN stays NaN. Four independent vectors per loop step let the
 * CPU overlap their polynomial chains.
 *
 * @module
 */

import { wasmModule } from "./wasm_text.ts";

const LOG2E = 1.4426950408889634;
const LN2_HI = 6.93147180369123816490e-01;
const LN2_LO = 1.90821492927058770002e-10;

/** 1/13!, 1/12!, ..., 1/0!: Horner's order. */
const TAYLOR = (() => {
  const c: number[] = [];
  let f = 1;
  for (let i = 0; i <= 13; i++) {
    c.push(1 / f);
    f *= i + 1;
  }
  return c.reverse();
})();

/** The constants, each splatted to 16 bytes at the start of memory (loads beat re-materialising). */
const CONSTANTS = [-700, 709, LOG2E, LN2_HI, LN2_LO, ...TAYLOR];
const CONSTANT_BYTES = 16 * CONSTANTS.length;
const constant = (i: number) => `i32.const 0  v128.load offset=${16 * i}`;

/** Vectors per loop step. */
const UNROLL = 4;
const each = (f: (j: number) => string) =>
  Array.from({ length: UNROLL }, (_, j) => f(j)).join("\n    ");

/** `$s = $s * $r + c`, fused or not. */
const madd = (fused: boolean, j: number, c: number) =>
  fused
    ? `local.get $s${j}  local.get $r${j}  ${constant(c)}  f64x2.relaxed_madd  local.set $s${j}`
    : `local.get $s${j}  local.get $r${j}  f64x2.mul  ${constant(c)}  f64x2.add  local.set $s${j}`;

/** `exp(p, n)`: the n doubles at byte address p (n rounded up to a multiple of 8) replaced by their exp. */
const expSource = (fused: boolean) => `
  i32.const 0  local.set $i
  loop
    ;; v = clamp(x, -700, 709); k = round(v / ln2); r = v - k·ln2
    ${
  each((j) =>
    `local.get $p  v128.load offset=${16 * j}  ${constant(0)}  f64x2.max  ${constant(1)}  f64x2.min
    local.set $v${j}`
  )
}
    ${each((j) => `local.get $v${j}  ${constant(2)}  f64x2.mul  f64x2.nearest  local.set $k${j}`)}
    ${
  each((j) =>
    `local.get $v${j}  local.get $k${j}  ${constant(3)}  f64x2.mul  f64x2.sub
    local.get $k${j}  ${constant(4)}  f64x2.mul  f64x2.sub  local.set $r${j}`
  )
}
    ${each((j) => `${constant(5)}  local.set $s${j}`)}
    ${TAYLOR.slice(1).map((_, c) => each((j) => madd(fused, j, 6 + c))).join("\n    ")}
    ;; times 2^k: (k + 1023) << 52 as the bits of a double
    ${
  each((j) =>
    `local.get $p  local.get $s${j}
    local.get $k${j}  i32x4.trunc_sat_f64x2_s_zero  i32.const 1023  i32x4.splat  i32x4.add
    i64x2.extend_low_i32x4_s  i32.const 52  i64x2.shl  f64x2.mul  v128.store offset=${16 * j}`
  )
}
    local.get $p  i32.const ${16 * UNROLL}  i32.add  local.set $p
    local.get $i  i32.const ${2 * UNROLL}  i32.add  local.tee $i
    local.get $n  i32.lt_s  br_if 0
  end
  end
`;

/**
 * The module's bytes: `exp(p, n)` and the memory `mem`, whose first bytes
 * must hold the constants ({@link expSimd} writes them).
 *
 * @param fused multiply-add with relaxed SIMD's `f64x2.relaxed_madd`
 * @returns the bytes of a WebAssembly module
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { expModuleBytes } from "./exp_simd.ts";
 * ok(WebAssembly.validate(expModuleBytes(false)));
 * ```
 */
export function expModuleBytes(fused: boolean): Uint8Array<ArrayBuffer> {
  const vectors = Array.from({ length: UNROLL }, (_, j) => [`v${j}`, `k${j}`, `r${j}`, `s${j}`]);
  return wasmModule([{
    name: "exp",
    params: ["p", "n"],
    i32Locals: ["i"],
    v128Locals: vectors.flat(),
    source: expSource(fused),
  }]);
}

interface ExpKernel {
  memory: WebAssembly.Memory;
  exp: (p: number, n: number) => void;
}

function instantiate(): ExpKernel | null {
  for (const fused of [true, false]) {
    try {
      const bytes = expModuleBytes(fused);
      if (!WebAssembly.validate(bytes)) continue;
      const e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
      const memory = e.mem as WebAssembly.Memory;
      const f64 = new Float64Array(memory.buffer);
      CONSTANTS.forEach((c, i) => f64.fill(c, 2 * i, 2 * i + 2));
      return { memory, exp: e.exp as ExpKernel["exp"] };
    } catch {
      // try the next variant
    }
  }
  return null;
}

const kernel = instantiate();
let scratch = kernel ? new Float64Array(kernel.memory.buffer, CONSTANT_BYTES) : new Float64Array(0);

/** Whether {@link expScratch} and {@link expInPlace} run here (Deno: always). */
export const expSimd: boolean = kernel !== null;

/**
 * The kernel's buffer of at least `n` doubles, to fill with the arguments of
 * {@link expInPlace}. Valid until the next call.
 *
 * @param n the number of doubles needed
 * @returns a Float64Array view of the kernel's memory
 * @throws {Error} when {@link expSimd} is false
 * @example see {@link expInPlace}
 */
export function expScratch(n: number): Float64Array {
  if (kernel === null) throw new Error("Cannot run SIMD exp: WebAssembly SIMD is missing");
  const need = CONSTANT_BYTES + (n + 2 * UNROLL) * 8;
  if (need > kernel.memory.buffer.byteLength) {
    kernel.memory.grow(Math.ceil((need - kernel.memory.buffer.byteLength) / 65536));
    scratch = new Float64Array(kernel.memory.buffer, CONSTANT_BYTES);
  }
  return scratch;
}

/**
 * Replaces the first `n` doubles of the {@link expScratch} buffer (as big as
 * asked for last) by their exponentials.
 *
 * @param n the number of doubles (non-negative)
 * @throws {Error} when {@link expSimd} is false
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { expInPlace, expScratch } from "./exp_simd.ts";
 * const s = expScratch(3);
 * s.set([0, 1, -2.5]);
 * expInPlace(3);
 * ok(s[0] === 1 && Math.abs(s[1] / Math.E - 1) < 1e-15 && Math.abs(s[2] / Math.exp(-2.5) - 1) < 1e-15);
 * ```
 */
export function expInPlace(n: number): void {
  if (kernel === null) throw new Error("Cannot run SIMD exp: WebAssembly SIMD is missing");
  if (n > 0) kernel.exp(CONSTANT_BYTES, n);
}
