/**
 * The WebAssembly text of the SIMD GELU kernels (gelu_simd.ts runs them): the exact (erf) GELU
 * `x·Φ(x)` and its backward `g·(Φ(x) + x·φ(x))`, four float32 elements at a time in `f32x4`
 * lanes, relatively accurate into both tails:
 *
 * - the normal tail `Φ(−|x|) = ½·t·exp(P(t) − x²/2)` with `t = 1/(1 + |x|/(2√2))` and P the
 *   degree-9 Chebyshev fit of Numerical Recipes' erfc (fractional error below 1.2e-7, about one
 *   float32 ulp, all the way into the tail, where 1 + erf(x/√2), PyTorch's form, is 0);
 * - x²/2 as an unrounded pair hi + lo (an exact product: fused multiply-add, or Veltkamp's
 *   split where the engine has no FMA), and the exponent reduced as `(k·ln2_hi − hi) + P(t) −
 *   lo − k·ln2_lo` with ln2_hi's low bits zero, so the large part cancels exactly: rounding x²/2
 *   alone would cost up to 36 float32 ulps at |x| = 12;
 * - `exp(r)`, |r| ≤ ln2/2, by its degree-7 Taylor polynomial (remainder below 6e-9), times 2^k
 *   in two steps so that results below 2^−126 come out subnormal, not zero;
 * - |x| is clamped to 14 inside (where Φ(−|x|) and φ(x) are already 0 in float32 but for
 *   subnormals) and the exponentials are 0 beyond it, so x = ±∞ needs no special case:
 *   GELU(−∞) = −∞·0 and GELU′(±∞) are NaN, as PyTorch's. NaN stays NaN.
 *
 * No branches: both signs are computed and one is picked with `v128.bitselect`.
 *
 * @module
 */

import { wasmModule } from "./wasm_text.ts";

/** ln 2 split so that k·LN2_HI is exact for |k| < 2^12 (its low 12 significand bits are 0). */
const LN2_HI = 0.693359375;
const LN2_LO = Math.LN2 - LN2_HI;
const INV_SQRT_2PI = 0.3989422804014327;
/** |x| is clamped to this inside the kernels; the exponentials are 0 beyond it. */
const CLAMP = 13;

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

/** 1/7!, ..., 1/1!, 1/0!: Horner's order. */
const TAYLOR = (() => {
  const c: number[] = [];
  let f = 1;
  for (let i = 0; i <= 7; i++) {
    c.push(1 / f);
    f *= i + 1;
  }
  return c.reverse();
})();

/** The constants, each splatted to four float32 lanes at the start of memory (gelu_simd.ts writes them). */
export const GELU_CONSTANTS: readonly number[] = [
  0, // 0: zero
  0.5, // 1
  1, // 2
  Math.SQRT1_2 / 2, // 3: |x|·this = |x|/(2√2), so t = 1/(1 + this·|x|)
  CLAMP, // 4
  Math.LOG2E, // 5
  -LN2_HI, // 6
  -LN2_LO, // 7
  INV_SQRT_2PI, // 8
  4097, // 9: Veltkamp's splitter, 2^12 + 1
  1.5 * 2 ** 23, // 10: k + this has k's integer in its low bits
  -0.5, // 11
  ...ERFC, // 12..21
  ...TAYLOR, // 22..29
];
/** Bytes the constants take; data goes after them. */
export const GELU_CONSTANT_BYTES: number = 16 * GELU_CONSTANTS.length;

const ZERO = 0, HALF = 1, ONE = 2, T_SCALE = 3, CLAMP_AT = 4, LOG2E_AT = 5, NEG_LN2_HI = 6;
const NEG_LN2_LO = 7, INV_SQRT_2PI_AT = 8, SPLITTER = 9, MAGIC = 10, NEG_HALF = 11;
const ERFC_AT = 12;
/** 1's bits are 127 << 23: added to k << 23, they make the bits of 2^k. */
const EXP_BIAS = ONE;
const TAYLOR_AT = ERFC_AT + ERFC.length;

const c = (i: number) => `i32.const 0  v128.load offset=${16 * i}`;

/** `a·b + c` from three stack snippets, fused (relaxed SIMD) or not. */
const madd = (fused: boolean, a: string, b: string, add: string) =>
  fused ? `${a}  ${b}  ${add}  f32x4.relaxed_madd` : `${a}  ${b}  f32x4.mul  ${add}  f32x4.add`;

/** `$acc = $acc·$by + constant(at)`. */
const horner = (fused: boolean, acc: string, by: string, at: number) =>
  `${madd(fused, `local.get ${acc}`, `local.get ${by}`, c(at))}  local.set ${acc}`;

/** Vectors per loop step: independent chains the CPU overlaps (one chain is latency-bound). */
const UNROLL = 8;
/** `f(j)` for each vector j of a loop step, stage by stage, so the chains interleave. */
const each = (f: (j: number) => string) =>
  Array.from({ length: UNROLL }, (_, j) => f(j)).join("\n    ");

/**
 * `$lo{j}` = the rounding error of `$p{j} = $a{j}·$a{j}`: exact with FMA, by Veltkamp's split
 * otherwise (|a| ≤ 14, so nothing overflows). Uses `$r`, `$e` as scratch.
 */
const squareError = (fused: boolean) =>
  fused
    ? each((j) =>
      `local.get $a${j}  local.get $a${j}  local.get $p${j}  f32x4.neg  f32x4.relaxed_madd
    local.set $lo${j}`
    )
    : each((j) =>
      `local.get $a${j}  ${c(SPLITTER)}  f32x4.mul  local.tee $r${j}
    local.get $r${j}  local.get $a${j}  f32x4.sub  f32x4.sub  local.set $r${j} ;; high half
    local.get $a${j}  local.get $r${j}  f32x4.sub  local.set $e${j} ;; low half
    local.get $r${j}  local.get $r${j}  f32x4.mul  local.get $p${j}  f32x4.sub
    local.get $r${j}  local.get $e${j}  f32x4.mul  local.get $r${j}  local.get $e${j}  f32x4.mul
    f32x4.add  f32x4.add
    local.get $e${j}  local.get $e${j}  f32x4.mul  f32x4.add  local.set $lo${j}`
    );

/**
 * `$e{j}` = exp(`$add{j}` + `$p{j}` + `$lo{j}`) (no `$add` when `add` is null), 0 where
 * `$big{j}`; `$k`, `$r` are scratch. The reduced argument is
 * `(k·(−ln2_hi) + p) + add + lo + k·(−ln2_lo)`: the first sum is exact.
 */
const exp = (fused: boolean, add: string | null) => `
    ${
  each((j) =>
    `local.get $p${j}${add === null ? "" : `  local.get ${add}${j}  f32x4.add`}  ${c(LOG2E_AT)}
    f32x4.mul  f32x4.nearest  local.set $k${j}`
  )
}
    ${
  each((j) =>
    `${madd(fused, `local.get $k${j}`, c(NEG_LN2_HI), `local.get $p${j}`)}
    ${add === null ? "" : `local.get ${add}${j}  f32x4.add`}  local.get $lo${j}  f32x4.add
    local.set $r${j}
    ${madd(fused, `local.get $k${j}`, c(NEG_LN2_LO), `local.get $r${j}`)}  local.set $r${j}`
  )
}
    ${each((j) => `${c(TAYLOR_AT)}  local.set $e${j}`)}
    ${
  TAYLOR.slice(1).map((_, i) => each((j) => horner(fused, `$e${j}`, `$r${j}`, TAYLOR_AT + 1 + i)))
    .join("\n    ")
}
    ;; times 2^k (k ≥ −123 as |x| ≤ CLAMP): its bits are (k + 127) << 23, and k's integer is in
    ;; the low bits of k + 1.5·2^23
    ${
  each((j) =>
    `local.get $e${j}
    local.get $k${j}  ${c(MAGIC)}  f32x4.add  i32.const 23  i32x4.shl  ${c(EXP_BIAS)}  i32x4.add
    f32x4.mul  local.get $big${j}  v128.andnot  local.set $e${j}`
  )
}`;

/**
 * `$v{j}` = the inputs at `$x`; `$neg{j}` = the lanes where v < 0; `$a{j}` = min(|v|, CLAMP),
 * `$big{j}` = the lanes where |v| > CLAMP; `$p{j}` + `$lo{j}` = a² exactly; `$t{j}` = t;
 * `$q{j}` = Φ(−|v|).
 */
const tail = (fused: boolean) => `
    ${each((j) => `local.get $x  v128.load offset=${16 * j}  local.set $v${j}`)}
    ${each((j) => `${c(ZERO)}  local.get $v${j}  f32x4.gt  local.set $neg${j}`)}
    ${
  each((j) =>
    `local.get $v${j}  f32x4.abs  local.tee $a${j}  ${c(CLAMP_AT)}  f32x4.gt  local.set $big${j}
    local.get $a${j}  ${c(CLAMP_AT)}  f32x4.pmin  local.set $a${j}`
  )
}
    ${each((j) => `local.get $a${j}  local.get $a${j}  f32x4.mul  local.set $p${j}`)}
    ${squareError(fused)}
    ${
  each((j) =>
    `local.get $p${j}  ${c(NEG_HALF)}  f32x4.mul  local.set $p${j}
    local.get $lo${j}  ${c(NEG_HALF)}  f32x4.mul  local.set $lo${j}`
  )
}
    ${
  each((j) =>
    `${c(ONE)}  ${madd(fused, `local.get $a${j}`, c(T_SCALE), c(ONE))}  f32x4.div  local.set $t${j}`
  )
}
    ${each((j) => `${c(ERFC_AT)}  local.set $q${j}`)}
    ${
  ERFC.slice(1).map((_, i) => each((j) => horner(fused, `$q${j}`, `$t${j}`, ERFC_AT + 1 + i))).join(
    "\n    ",
  )
}
    ${exp(fused, "$q")}
    ${
  each((j) =>
    `${c(HALF)}  local.get $t${j}  f32x4.mul  local.get $e${j}  f32x4.mul  local.set $q${j}`
  )
}`;

/** Φ(v{j}) on the stack: q where v < 0, else 1 − q. */
const cdf = (j: number) =>
  `local.get $q${j}  ${c(ONE)}  local.get $q${j}  f32x4.sub  local.get $neg${j}  v128.bitselect`;

/** Moves the pointers on by a loop step and loops while `$i < $n`. */
const next = (pointers: string[]) =>
  pointers.map((p) => `local.get ${p}  i32.const ${16 * UNROLL}  i32.add  local.set ${p}`)
    .join("\n    ") +
  `
    local.get $i  i32.const ${4 * UNROLL}  i32.add  local.tee $i
    local.get $n  i32.lt_s  br_if 0`;

/** `gelu(x, o, n)`: o[i] = x[i]·Φ(x[i]) for i < n rounded up to a multiple of 8. */
const geluSource = (fused: boolean) => `
  i32.const 0  local.set $i
  loop
    ${tail(fused)}
    ${
  each((j) => `local.get $o  local.get $v${j}  ${cdf(j)}  f32x4.mul  v128.store offset=${16 * j}`)
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
    ${exp(fused, null)}
    ${
  each((j) =>
    `local.get $o
    local.get $g  v128.load offset=${16 * j}
    ${cdf(j)}
    local.get $v${j}  ${c(INV_SQRT_2PI_AT)}  f32x4.mul  local.get $e${j}  f32x4.mul  f32x4.add
    f32x4.mul  v128.store offset=${16 * j}`
  )
}
    ${next(["$g", "$x", "$o"])}
  end
  end
`;

const VECTORS = ["v", "neg", "a", "big", "p", "lo", "t", "q", "k", "r", "e"]
  .flatMap((name) => Array.from({ length: UNROLL }, (_, j) => `${name}${j}`));

/**
 * The module's bytes: `gelu(x, o, n)`, `geluBackward(g, x, o, n)` (byte addresses, n elements)
 * and the memory `mem`, whose first {@link GELU_CONSTANT_BYTES} bytes must hold
 * {@link GELU_CONSTANTS}, each splatted to four float32 lanes.
 *
 * @param fused multiply-adds with relaxed SIMD's `f32x4.relaxed_madd` (and x² exact by it)
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
