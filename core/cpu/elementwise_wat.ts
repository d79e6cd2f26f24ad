/**
 * The WebAssembly text of the SIMD elementwise kernels (elementwise_simd.ts
 * runs them): binary ops over rows with an optional broadcast row, tanh,
 * axpy and column sums, assembled by `wasm_text.ts`. `f32x4` lanes where a
 * float32 operation gives the scalar loop's float exactly, `f64x2` lanes
 * (promote, the scalar loop's double operations, demote) elsewhere.
 *
 * @module
 */

import { wasmModule } from "./wasm_text.ts";

/** Binary kernels with a SIMD loop. */
export type SimdBinaryOp = "add" | "sub" | "mul" | "div" | "tanhGrad";

/**
 * Each op's lanes: `f32x4` where float32 arithmetic gives the scalar loop's
 * result exactly (one rounding of an exact operation), `f64x2` (promoted,
 * computed as the scalar loop computes in doubles, demoted) elsewhere.
 */
const BINARY: Record<SimdBinaryOp, { wide: boolean; expr: string }> = {
  add: { wide: false, expr: "local.get $va  local.get $vb  f32x4.add" },
  sub: { wide: false, expr: "local.get $va  local.get $vb  f32x4.sub" },
  mul: { wide: false, expr: "local.get $va  local.get $vb  f32x4.mul" },
  div: { wide: false, expr: "local.get $va  local.get $vb  f32x4.div" },
  tanhGrad: {
    wide: true,
    expr:
      "local.get $va  local.get $one  local.get $vb  local.get $vb  f64x2.mul  f64x2.sub  f64x2.mul",
  },
};

/** Loads of a lane group into `$name`, the store of the value on the stack, and the group's bytes. */
const LANES = {
  narrow: {
    load: (ptr: string, name: string) => `local.get ${ptr}  v128.load  local.set ${name}`,
    store: "v128.store",
    bytes: 16,
    one: "f32.const 1  f32x4.splat",
  },
  wide: {
    load: (ptr: string, name: string) =>
      `local.get ${ptr}  v128.load64_zero  f64x2.promote_low_f32x4  local.set ${name}`,
    store: "f32x4.demote_f64x2_zero  v128.store64_lane 0",
    bytes: 8,
    one: "f64.const 1  f64x2.splat",
  },
};

/** Rows (`rows`, `cols`) of A and B into O; A and B step `sar`/`sbr` bytes per row (0: broadcast). */
const BINARY_PARAMS = ["a", "sar", "b", "sbr", "o", "rows", "cols"];
const BINARY_LOCALS = ["r", "c", "pa", "pb", "po"];

/**
 * `o[r, c] = f(a[r, c], b[r, c])` over `rows` x `cols` floats, a lane group
 * (4 floats, or 2 when wide) at a time; row r of A starts at `a + r*sar`, of
 * B at `b + r*sbr`, of O at `o + 4*r*cols`. When cols is not a multiple of
 * the group a row's last group spills into the next row, which that row then
 * overwrites (the last row spills into slack the caller leaves), and lanes
 * past a row of B read whatever follows it.
 */
const binarySource = (expr: string, wide: boolean) => {
  const l = wide ? LANES.wide : LANES.narrow;
  return `
  ${l.one}  local.set $one
  local.get $o  local.set $po
  i32.const 0  local.set $r
  loop ;; over rows
    local.get $a  local.get $r  local.get $sar  i32.mul  i32.add  local.set $pa
    local.get $b  local.get $r  local.get $sbr  i32.mul  i32.add  local.set $pb
    i32.const 0  local.set $c
    loop ;; over lane groups
      ${l.load("$pa", "$va")}
      ${l.load("$pb", "$vb")}
      local.get $po  ${expr}  ${l.store}
      local.get $pa  i32.const ${l.bytes}  i32.add  local.set $pa
      local.get $pb  i32.const ${l.bytes}  i32.add  local.set $pb
      local.get $po  i32.const ${l.bytes}  i32.add  local.set $po
      local.get $c  i32.const ${l.bytes / 4}  i32.add  local.set $c
      local.get $c  local.get $cols  i32.lt_s  br_if 0
    end
    local.get $o  local.get $r  i32.const 1  i32.add  local.tee $r
    local.get $cols  i32.mul  i32.const 4  i32.mul  i32.add  local.set $po
    local.get $r  local.get $rows  i32.lt_s  br_if 0
  end
  end
`;
};

// tanh(x) = x·P(x²)/Q(x²) for |x| ≤ 9, ±1 beyond: math.ts's fastTanh, in the same
// double operations, so that the results are the same floats.
const P = [0.9999999915456078, 0.13396864033618971, 0.0035142769861470696, 2.0911833850113283e-05];
const P4 = 1.3765338924276449e-08;
const Q = [1, 0.46730188346278395, 0.025948395964062596, 0.0003315990596366704];
const Q4 = 7.946500732922135e-07;

/** The coefficients' splats, kept in locals `$p0`..`$p4`, `$q1`..`$q4`. */
const COEFFS = [...P, P4].map((c, i) => `f64.const ${c}  f64x2.splat  local.set $p${i}`)
  .concat([...Q, Q4].slice(1).map((c, i) => `f64.const ${c}  f64x2.splat  local.set $q${i + 1}`))
  .join("\n");

/** Horner's rule on `$t`: ((c4·t + c3)·t + ...)·t + c0, leaving the value on the stack. */
const horner = (c: "p" | "q") =>
  `local.get $${c}4\n` +
  [3, 2, 1, 0].map((i) =>
    `local.get $t  f64x2.mul  ${
      c === "q" && i === 0 ? "local.get $one" : `local.get $${c}${i}`
    }  f64x2.add`
  ).join("\n");

/** `tanh(x, o, n)`: o[i] = tanh(x[i]) for i < n rounded up to even, two doubles at a time. */
const TANH_SOURCE = `
  ${COEFFS}
  f64.const 9  f64x2.splat  local.set $nine
  f64.const 1  f64x2.splat  local.set $one
  f64.const -1  f64x2.splat  local.set $mone
  v128.const i32x4 0 0 0 0  local.set $zero
  i32.const 0  local.set $i
  loop
    ${LANES.wide.load("$x", "$v")}
    local.get $v  local.get $v  f64x2.mul  local.set $t
    local.get $o
    ;; ±1 where |v| > 9, else v·P/Q (NaN compares false and stays NaN)
    local.get $one  local.get $mone  local.get $v  local.get $zero  f64x2.gt  v128.bitselect
    local.get $v  ${horner("p")}  f64x2.mul
    ${horner("q")}  f64x2.div
    local.get $v  f64x2.abs  local.get $nine  f64x2.gt
    v128.bitselect
    ${LANES.wide.store}
    local.get $x  i32.const 8  i32.add  local.set $x
    local.get $o  i32.const 8  i32.add  local.set $o
    local.get $i  i32.const 2  i32.add  local.tee $i
    local.get $n  i32.lt_s  br_if 0
  end
  end
`;

/** `axpy(o, x, n, alpha)`: o[i] += alpha·x[i] in doubles, alpha the double at byte address `alpha`. */
const AXPY_SOURCE = `
  local.get $alpha  v128.load64_splat  local.set $va
  i32.const 0  local.set $i
  loop
    local.get $o
    ${LANES.wide.load("$o", "$vo")}
    ${LANES.wide.load("$x", "$vx")}
    local.get $vo  local.get $vx  local.get $va  f64x2.mul  f64x2.add
    ${LANES.wide.store}
    local.get $x  i32.const 8  i32.add  local.set $x
    local.get $o  i32.const 8  i32.add  local.set $o
    local.get $i  i32.const 2  i32.add  local.tee $i
    local.get $n  i32.lt_s  br_if 0
  end
  end
`;

/**
 * `colsum(x, o, acc, rows, cols)`: o[j] = Σ_r x[r, j] for a row-major (rows x
 * cols) x, summed in doubles at `acc` (cols rounded up to even), rows in order,
 * as the scalar reduction does. Rows must be positive.
 */
const COLSUM_SOURCE = `
  i32.const 0  local.set $j
  loop ;; acc = 0
    local.get $acc  local.get $j  i32.const 8  i32.mul  i32.add
    v128.const i32x4 0 0 0 0  v128.store
    local.get $j  i32.const 2  i32.add  local.tee $j
    local.get $cols  i32.lt_s  br_if 0
  end
  local.get $x  local.set $px
  i32.const 0  local.set $r
  loop ;; over rows
    local.get $acc  local.set $pa
    i32.const 0  local.set $j
    loop ;; over column pairs: acc[j..j+1] += x[r, j..j+1]
      local.get $pa
      local.get $pa  v128.load  ${LANES.wide.load("$px", "$v")}  local.get $v  f64x2.add
      v128.store
      local.get $pa  i32.const 16  i32.add  local.set $pa
      local.get $px  i32.const 8  i32.add  local.set $px
      local.get $j  i32.const 2  i32.add  local.tee $j
      local.get $cols  i32.lt_s  br_if 0
    end
    ;; the next row starts cols floats on (an odd cols read one float past this row)
    local.get $x  local.get $r  i32.const 1  i32.add  local.tee $r
    local.get $cols  i32.mul  i32.const 4  i32.mul  i32.add  local.set $px
    local.get $r  local.get $rows  i32.lt_s  br_if 0
  end
  i32.const 0  local.set $j
  loop ;; o = acc rounded to float32
    local.get $o  local.get $j  i32.const 4  i32.mul  i32.add
    local.get $acc  local.get $j  i32.const 8  i32.mul  i32.add  v128.load
    ${LANES.wide.store}
    local.get $j  i32.const 2  i32.add  local.tee $j
    local.get $cols  i32.lt_s  br_if 0
  end
  end
`;

const COEFF_LOCALS = ["p0", "p1", "p2", "p3", "p4", "q1", "q2", "q3", "q4"];
/** The binary ops, in the module's export order. */
export const SIMD_BINARY_OPS = Object.keys(BINARY) as SimdBinaryOp[];

/**
 * The module's bytes: one exported function per binary op (`add`, ...,
 * `tanhGrad`), `tanh`, `axpy`, and the memory `mem`.
 *
 * @returns the bytes of a WebAssembly module
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { elementwiseModuleBytes } from "./elementwise_wat.ts";
 * ok(WebAssembly.validate(elementwiseModuleBytes()));
 * ```
 */
export function elementwiseModuleBytes(): Uint8Array<ArrayBuffer> {
  return wasmModule([
    ...SIMD_BINARY_OPS.map((op) => ({
      name: op,
      params: BINARY_PARAMS,
      i32Locals: BINARY_LOCALS,
      v128Locals: ["va", "vb", "one"],
      source: binarySource(BINARY[op].expr, BINARY[op].wide),
    })),
    {
      name: "tanh",
      params: ["x", "o", "n"],
      i32Locals: ["i"],
      v128Locals: ["v", "t", "nine", "one", "mone", "zero", ...COEFF_LOCALS],
      source: TANH_SOURCE,
    },
    {
      name: "colsum",
      params: ["x", "o", "acc", "rows", "cols"],
      i32Locals: ["r", "j", "px", "pa"],
      v128Locals: ["v"],
      source: COLSUM_SOURCE,
    },
    {
      name: "axpy",
      params: ["o", "x", "n", "alpha"],
      i32Locals: ["i"],
      v128Locals: ["va", "vo", "vx"],
      source: AXPY_SOURCE,
    },
  ]);
}
