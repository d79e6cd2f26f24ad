/**
 * The WebAssembly text of the SIMD GELU kernels (gelu_simd.ts runs them): the exact (erf) GELU
 * `x·Φ(x)` and its backward `g·(Φ(x) + x·φ(x))`, two float32 elements at a time promoted to
 * `f64x2` lanes, computed with math.ts's formulas so the floats are the scalar loops' up to
 * the last bits of a double:
 *
 * - the normal tail `Φ(−|x|) = ½·t·exp(P(t) − x²/2)` with `t = 1/(1 + |x|/(2√2))` and P the
 *   degree-9 Chebyshev fit of Numerical Recipes' erfc (fractional error below 1.2e-7, i.e.
 *   about one float32 ulp, and relative all the way into the tail, where 1 + erf(x/√2) is 0);
 * - `exp` as in exp_simd.ts: `2^k·e^r` with `|r| ≤ ln2/2`, here a degree-10 Taylor polynomial
 *   (remainder below 3e-13 relative, far under float32's 6e-8), and 0 below −708 so that
 *   `exp(−∞)` is 0 as `Math.exp`'s (then GELU′(±∞) is NaN, as PyTorch's).
 *
 * No branches: both signs are computed and one is picked with `v128.bitselect`. NaN stays NaN.
 *
 * @module
 */

import { wasmModule } from "./wasm_text.ts";

const LOG2E = 1.4426950408889634;
const LN2_HI = 6.93147180369123816490e-01;
const LN2_LO = 1.90821492927058770002e-10;
const INV_SQRT_2PI = 0.3989422804014327;

/** Numerical Recipes' erfc exponent P(t), highest power first (Horner's order); math.ts's. */
const ERFC = [
  0.17087277,
  -0.82215223,
  1.48851587,
  -1.13520398,
  0.27886807,
  -0.18628806,
  0.09678418,
  0.37409196,
  1.00002368,
  -1.26551223,
];

/** 1/10!, ..., 1/1!, 1/0!: Horner's order. */
const TAYLOR = (() => {
  const c: number[] = [];
  let f = 1;
  for (let i = 0; i <= 10; i++) {
    c.push(1 / f);
    f *= i + 1;
  }
  return c.reverse();
})();

/** The constants, each splatted to 16 bytes at the start of memory (gelu_simd.ts writes them). */
export const GELU_CONSTANTS: readonly number[] = [
  0, // 0: zero
  0.5, // 1
  1, // 2
  Math.SQRT1_2 / 2, // 3: |x|·this = |x|/(2√2), so t = 1/(1 + this·|x|)
  -708, // 4: exp's lower limit; below it exp gives 0
  LOG2E, // 5
  LN2_HI, // 6
  LN2_LO, // 7
  INV_SQRT_2PI, // 8
  ...ERFC, // 9..18
  ...TAYLOR, // 19..29
];
/** Bytes the constants take; data goes after them. */
export const GELU_CONSTANT_BYTES: number = 16 * GELU_CONSTANTS.length;

const ZERO = 0, HALF = 1, ONE = 2, T_SCALE = 3, EXP_MIN = 4, LOG2E_AT = 5, LN2_HI_AT = 6;
const LN2_LO_AT = 7, INV_SQRT_2PI_AT = 8, ERFC_AT = 9, TAYLOR_AT = 9 + ERFC.length;

const c = (i: number) => `i32.const 0  v128.load offset=${16 * i}`;

/** `$acc = $acc·$by + constant(at)`, fused (relaxed SIMD) or not. */
const horner = (fused: boolean, acc: string, by: string, at: number) =>
  fused
    ? `local.get ${acc}  local.get ${by}  ${c(at)}  f64x2.relaxed_madd  local.set ${acc}`
    : `local.get ${acc}  local.get ${by}  f64x2.mul  ${c(at)}  f64x2.add  local.set ${acc}`;

/** Vectors per loop step: independent chains the CPU overlaps (one chain is latency-bound). */
const UNROLL = 4;
/** `f(j)` for each vector j of a loop step, stage by stage, so the chains interleave. */
const each = (f: (j: number) => string) =>
  Array.from({ length: UNROLL }, (_, j) => f(j)).join("\n    ");

/** `$e{j} = exp($a{j})` (0 where $a{j} < −708 or NaN), using `$k`, `$r` as scratch. */
const exp = (fused: boolean) => `
    ${each((j) => `local.get $a${j}  ${c(EXP_MIN)}  f64x2.max  local.set $r${j}`)}
    ${each((j) => `local.get $r${j}  ${c(LOG2E_AT)}  f64x2.mul  f64x2.nearest  local.set $k${j}`)}
    ${
  each((j) =>
    `local.get $r${j}  local.get $k${j}  ${c(LN2_HI_AT)}  f64x2.mul  f64x2.sub
    local.get $k${j}  ${c(LN2_LO_AT)}  f64x2.mul  f64x2.sub  local.set $r${j}`
  )
}
    ${each((j) => `${c(TAYLOR_AT)}  local.set $e${j}`)}
    ${
  TAYLOR.slice(1).map((_, i) => each((j) => horner(fused, `$e${j}`, `$r${j}`, TAYLOR_AT + 1 + i)))
    .join("\n    ")
}
    ;; times 2^k: (k + 1023) << 52 as the bits of a double; 0 below the limit
    ${
  each((j) =>
    `local.get $e${j}
    local.get $k${j}  i32x4.trunc_sat_f64x2_s_zero  i32.const 1023  i32x4.splat  i32x4.add
    i64x2.extend_low_i32x4_s  i32.const 52  i64x2.shl  f64x2.mul
    local.get $a${j}  ${c(EXP_MIN)}  f64x2.gt  v128.and  local.set $e${j}`
  )
}`;

/**
 * `$v{j}` = the promoted inputs at `$x`; `$q{j}` = Φ(−|v|); `$neg{j}` = the lanes where v < 0;
 * `$z{j}` = v²/2.
 */
const tail = (fused: boolean) => `
    ${
  each((j) =>
    `local.get $x  v128.load64_zero offset=${8 * j}  f64x2.promote_low_f32x4  local.set $v${j}`
  )
}
    ${each((j) => `${c(ZERO)}  local.get $v${j}  f64x2.gt  local.set $neg${j}`)}
    ${
  each((j) =>
    `local.get $v${j}  local.get $v${j}  f64x2.mul  ${c(HALF)}  f64x2.mul  local.set $z${j}`
  )
}
    ${
  each((j) =>
    `${c(ONE)}  ${c(ONE)}  local.get $v${j}  f64x2.abs  ${c(T_SCALE)}  f64x2.mul  f64x2.add
    f64x2.div  local.set $t${j}`
  )
}
    ${each((j) => `${c(ERFC_AT)}  local.set $q${j}`)}
    ${
  ERFC.slice(1).map((_, i) => each((j) => horner(fused, `$q${j}`, `$t${j}`, ERFC_AT + 1 + i))).join(
    "\n    ",
  )
}
    ${each((j) => `local.get $q${j}  local.get $z${j}  f64x2.sub  local.set $a${j}`)}
    ${exp(fused)}
    ${
  each((j) =>
    `${c(HALF)}  local.get $t${j}  f64x2.mul  local.get $e${j}  f64x2.mul  local.set $q${j}`
  )
}`;

/** Φ(v{j}) on the stack: q where v < 0, else 1 − q. */
const cdf = (j: number) =>
  `local.get $q${j}  ${c(ONE)}  local.get $q${j}  f64x2.sub  local.get $neg${j}  v128.bitselect`;

/** Moves the pointers on by a loop step and loops while `$i < $n`. */
const next = (pointers: string[]) =>
  pointers.map((p) => `local.get ${p}  i32.const ${8 * UNROLL}  i32.add  local.set ${p}`)
    .join("\n    ") +
  `
    local.get $i  i32.const ${2 * UNROLL}  i32.add  local.tee $i
    local.get $n  i32.lt_s  br_if 0`;

/** `gelu(x, o, n)`: o[i] = x[i]·Φ(x[i]) for i < n rounded up to a multiple of 8. */
const geluSource = (fused: boolean) => `
  i32.const 0  local.set $i
  loop
    ${tail(fused)}
    ${
  each((j) =>
    `local.get $o  local.get $v${j}  ${cdf(j)}  f64x2.mul
    f32x4.demote_f64x2_zero  v128.store64_lane offset=${8 * j} 0`
  )
}
    ${next(["$x", "$o"])}
  end
  end
`;

/**
 * `geluBackward(g, x, o, n)`: o[i] = g[i]·(Φ(x[i]) + x[i]·φ(x[i])) for i < n rounded up to a
 * multiple of 8.
 */
const geluBackwardSource = (fused: boolean) => `
  i32.const 0  local.set $i
  loop
    ${tail(fused)}
    ${each((j) => `${c(ZERO)}  local.get $z${j}  f64x2.sub  local.set $a${j}`)}
    ${exp(fused)}
    ${
  each((j) =>
    `local.get $o
    local.get $g  v128.load64_zero offset=${8 * j}  f64x2.promote_low_f32x4
    ${cdf(j)}
    local.get $v${j}  ${c(INV_SQRT_2PI_AT)}  f64x2.mul  local.get $e${j}  f64x2.mul  f64x2.add
    f64x2.mul  f32x4.demote_f64x2_zero  v128.store64_lane offset=${8 * j} 0`
  )
}
    ${next(["$g", "$x", "$o"])}
  end
  end
`;

const VECTORS = ["v", "neg", "z", "t", "a", "e", "q", "k", "r"]
  .flatMap((name) => Array.from({ length: UNROLL }, (_, j) => `${name}${j}`));

/**
 * The module's bytes: `gelu(x, o, n)`, `geluBackward(g, x, o, n)` (byte addresses, n elements)
 * and the memory `mem`, whose first {@link GELU_CONSTANT_BYTES} bytes must hold
 * {@link GELU_CONSTANTS}, each splatted to two doubles.
 *
 * @param fused Horner steps with relaxed SIMD's `f64x2.relaxed_madd`
 * @returns the bytes of a WebAssembly module
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { geluModuleBytes } from "./gelu_wat.ts";
 * ok(WebAssembly.validate(geluModuleBytes(false)));
 * ```
 */
export function geluModuleBytes(fused: boolean): Uint8Array<ArrayBuffer> {
  return wasmModule([
    {
      name: "gelu",
      params: ["x", "o", "n"],
      i32Locals: ["i"],
      v128Locals: VECTORS,
      source: geluSource(fused),
    },
    {
      name: "geluBackward",
      params: ["g", "x", "o", "n"],
      i32Locals: ["i"],
      v128Locals: VECTORS,
      source: geluBackwardSource(fused),
    },
  ]);
}
