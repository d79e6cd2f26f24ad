/**
 * Softmax over rows of float32 in WebAssembly SIMD, four lanes at a time: each row's max, then
 * `exp(x − max)` written out and summed, then each value times 1/sum. About 1 ns an element,
 * where the float64 path (a SIMD `f64x2` exp between JavaScript loops) took about 6; PyTorch's
 * float32 softmax works the same way.
 *
 * `exp` is float32's: `2^k·e^r` with `k = round(x·log2 e)`, `r = x − k·ln2` (ln2 in two parts,
 * the first with trailing zero bits, so `x − k·ln2_hi` is exact), `e^r` by its degree-7 Taylor
 * polynomial (remainder below 6e-9), within 2 ulps. Arguments below −87 give 0 (so masked
 * `−∞` entries are exactly 0), NaN stays NaN: a row with NaN or +∞, or only −∞, is NaN, as
 * PyTorch's. Results are within 4 ulps of float64 softmax.
 *
 * Rows go through the module's memory in chunks, padded with −∞ to a multiple of four.
 *
 * @module
 */

import { wasmModule } from "./wasm_text.ts";

const LN2_HI = 0.693359375;
const LN2_LO = Math.LN2 - LN2_HI;
/** exp's arguments are clamped to this; below it the result is 0. */
const EXP_MIN = -87;

/** 1/7!, ..., 1/1!, 1/0!: Horner's order. */
const TAYLOR = [5040, 720, 120, 24, 6, 2, 1, 1].map((f) => 1 / f);

/** The constants, each splatted to four float32 lanes at the start of the module's memory. */
export const SOFTMAX_CONSTANTS: readonly number[] = [
  EXP_MIN,
  Math.LOG2E,
  -LN2_HI,
  -LN2_LO,
  1.5 * 2 ** 23,
  1,
  ...TAYLOR,
];
/** Bytes the constants take; rows go after them. */
export const SOFTMAX_CONSTANT_BYTES: number = 16 * SOFTMAX_CONSTANTS.length;
const [MIN_AT, LOG2E_AT, NEG_LN2_HI, NEG_LN2_LO, MAGIC, ONE, TAYLOR_AT] = [0, 1, 2, 3, 4, 5, 6];
const c = (i: number) => `i32.const 0  v128.load offset=${16 * i}`;

const madd = (fused: boolean, a: string, b: string, add: string) =>
  fused ? `${a}  ${b}  ${add}  f32x4.relaxed_madd` : `${a}  ${b}  f32x4.mul  ${add}  f32x4.add`;

/** `$e` = exp(`$a` + `$lo`) as the module describes, with `$v`, `$k`, `$r` as scratch. */
const exp = (fused: boolean) => `
    local.get $a  ${c(MIN_AT)}  f32x4.max  local.tee $v
    ${c(LOG2E_AT)}  f32x4.mul  f32x4.nearest  local.set $k
    ${madd(fused, "local.get $k", c(NEG_LN2_HI), "local.get $v")}  local.get $lo  f32x4.add
    local.set $r
    ${madd(fused, "local.get $k", c(NEG_LN2_LO), "local.get $r")}  local.set $r
    ${c(TAYLOR_AT)}
    ${
  TAYLOR.slice(1).map((_, i) =>
    `local.set $e  ${madd(fused, "local.get $e", "local.get $r", c(TAYLOR_AT + 1 + i))}`
  )
    .join("\n    ")
}
    ;; times 2^k: k's integer is in the low bits of k + 1.5·2^23; (k + 127) << 23 are 2^k's bits
    local.get $k  ${c(MAGIC)}  f32x4.add  i32.const 23  i32x4.shl  ${c(ONE)}  i32x4.add  f32x4.mul
    local.get $a  ${c(MIN_AT)}  f32x4.lt  v128.andnot  local.set $e`;

/** Both halves, then both quarters of `$name` combined by `op`: every lane holds the total. */
const across = (name: string, op: string) => `
    local.get ${name}  local.get ${name}  local.get ${name}  i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
    ${op}  local.set ${name}
    local.get ${name}  local.get ${name}  local.get ${name}  i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11
    ${op}  local.set ${name}`;

/** `softmax(x, o, rows, stride)`: rows of `stride` floats (a multiple of 4) at byte address x. */
const source = (fused: boolean) => `
  local.get $stride  i32.const 4  i32.mul  local.set $bytes
  loop
    f32.const -Infinity  f32x4.splat  local.set $m
    i32.const 0  local.set $j
    loop
      local.get $m  local.get $x  local.get $j  i32.add  v128.load  f32x4.max  local.set $m
      local.get $j  i32.const 16  i32.add  local.tee $j  local.get $bytes  i32.lt_s  br_if 0
    end
    ${across("$m", "f32x4.max")}
    v128.const i32x4 0 0 0 0  local.set $s
    i32.const 0  local.set $j
    loop
      ;; a + lo = x − max exactly (Knuth's two-sum): rounding x − max alone costs up to 16 ulps
      local.get $x  local.get $j  i32.add  v128.load  local.tee $xv  local.get $m  f32x4.sub
      local.tee $a  local.get $xv  f32x4.sub  local.set $bp
      local.get $xv  local.get $a  local.get $bp  f32x4.sub  f32x4.sub
      local.get $m  f32x4.neg  local.get $bp  f32x4.sub  f32x4.add  local.set $lo
      ${exp(fused)}
      local.get $o  local.get $j  i32.add  local.get $e  v128.store
      local.get $s  local.get $e  f32x4.add  local.set $s
      local.get $j  i32.const 16  i32.add  local.tee $j  local.get $bytes  i32.lt_s  br_if 0
    end
    ${across("$s", "f32x4.add")}
    ${c(ONE)}  local.get $s  f32x4.div  local.set $s
    i32.const 0  local.set $j
    loop
      local.get $o  local.get $j  i32.add
      local.get $o  local.get $j  i32.add  v128.load  local.get $s  f32x4.mul  v128.store
      local.get $j  i32.const 16  i32.add  local.tee $j  local.get $bytes  i32.lt_s  br_if 0
    end
    local.get $x  local.get $bytes  i32.add  local.set $x
    local.get $o  local.get $bytes  i32.add  local.set $o
    local.get $rows  i32.const 1  i32.sub  local.tee $rows  i32.const 0  i32.gt_s  br_if 0
  end
  end
`;

/**
 * The module's bytes: `softmax(x, o, rows, stride)` and its memory `mem`, whose first bytes must
 * hold the constants (see {@link softmaxRowsF32}).
 *
 * @param fused multiply-adds with relaxed SIMD's `f32x4.relaxed_madd`
 * @returns the bytes of a WebAssembly module
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { softmaxModuleBytes } from "./softmax_simd.ts";
 * ok(WebAssembly.validate(softmaxModuleBytes(false)));
 * ```
 */
export function softmaxModuleBytes(fused: boolean): Uint8Array<ArrayBuffer> {
  return wasmModule([{
    name: "softmax",
    params: ["x", "o", "rows", "stride"],
    i32Locals: ["bytes", "j"],
    v128Locals: ["m", "s", "a", "lo", "xv", "bp", "v", "k", "r", "e"],
    source: source(fused),
  }]);
}

interface Kernel {
  memory: WebAssembly.Memory;
  softmax: (x: number, o: number, rows: number, stride: number) => void;
}

function instantiate(fused: boolean): Kernel | null {
  try {
    const bytes = softmaxModuleBytes(fused);
    if (!WebAssembly.validate(bytes)) return null;
    const e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
    return { memory: e.mem as WebAssembly.Memory, softmax: e.softmax as Kernel["softmax"] };
  } catch {
    return null;
  }
}

const kernel = instantiate(true) ?? instantiate(false);

/** Whether {@link softmaxRowsF32} runs here (Deno: always). */
export const softmaxSimd: boolean = kernel !== null;

/** Floats per pass through the module's memory, for each of the input and the output. */
const CHUNK = 16384;
let heap: Float32Array | null = null;

/** The module's memory as floats, at least `floats` past the constants, constants written. */
function heapOf(k: Kernel, floats: number): Float32Array {
  const need = SOFTMAX_CONSTANT_BYTES + 4 * floats;
  if (heap === null || heap.byteLength < need) {
    const grow = need - k.memory.buffer.byteLength;
    if (grow > 0) k.memory.grow(Math.ceil(grow / 65536));
    heap = new Float32Array(k.memory.buffer);
    SOFTMAX_CONSTANTS.forEach((v, i) => heap!.fill(v, 4 * i, 4 * i + 4));
  }
  return heap;
}

/**
 * `out` = the softmax of each of the `rows` rows of `size` contiguous floats of `x`.
 *
 * @param x the input, `rows·size` floats
 * @param rows the row count
 * @param size the row length (at least 1)
 * @param out the output, `rows·size` floats
 * @throws {Error} when {@link softmaxSimd} is false
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { softmaxRowsF32 } from "./softmax_simd.ts";
 * const out = new Float32Array(3);
 * softmaxRowsF32(new Float32Array([0, Math.log(3), -Infinity]), 1, 3, out);
 * ok(Math.abs(out[0] - 0.25) < 1e-7 && Math.abs(out[1] - 0.75) < 1e-7 && out[2] === 0);
 * ```
 */
export function softmaxRowsF32(x: Float32Array, rows: number, size: number, out: Float32Array) {
  runRows(rows, size, out, (h, at, r0, n, stride) => {
    if (stride === size) h.set(x.subarray(r0 * size, (r0 + n) * size), at);
    else {
      for (let r = 0; r < n; r++) {
        const to = at + r * stride;
        h.set(x.subarray((r0 + r) * size, (r0 + r + 1) * size), to);
        h.fill(-Infinity, to + size, to + stride);
      }
    }
  });
}

/**
 * Causal self-attention's weights: the softmax of each row of `x·scale` over the `(rows, cols)`
 * matrices of `x`, entry (i, j) masked to −∞ when j > i + cols − rows (then exactly 0).
 *
 * @param x the input, `matrices·rows·cols` floats
 * @param matrices the matrix count
 * @param rows rows of each matrix (queries)
 * @param cols columns (keys)
 * @param scale the factor applied before the softmax
 * @param out the output, as x
 * @throws {Error} when {@link softmaxSimd} is false
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { causalSoftmaxF32 } from "./softmax_simd.ts";
 * const out = new Float32Array(4);
 * causalSoftmaxF32(new Float32Array([5, 9, 0, 0]), 1, 2, 2, 0.5, out);
 * deepEqual(Array.from(out), [1, 0, 0.5, 0.5]);
 * ```
 */
export function causalSoftmaxF32(
  x: Float32Array,
  matrices: number,
  rows: number,
  cols: number,
  scale: number,
  out: Float32Array,
) {
  runRows(matrices * rows, cols, out, (h, at, r0, n, stride) => {
    for (let r = 0; r < n; r++) {
      const row = r0 + r, from = row * cols, to = at + r * stride;
      const valid = Math.max(0, Math.min(cols, (row % rows) + cols - rows + 1));
      for (let j = 0; j < valid; j++) h[to + j] = x[from + j] * scale;
      h.fill(-Infinity, to + valid, to + stride);
    }
  });
}

/** Rows through the module's memory in chunks: `load` writes n rows from r0, `stride` apart. */
function runRows(
  rows: number,
  size: number,
  out: Float32Array,
  load: (h: Float32Array, at: number, r0: number, n: number, stride: number) => void,
): void {
  if (kernel === null) throw new Error("Cannot run SIMD softmax: WebAssembly SIMD is missing");
  const stride = (size + 3) & ~3, per = Math.max(1, Math.floor(CHUNK / stride));
  const h = heapOf(kernel, 2 * per * stride);
  const X = SOFTMAX_CONSTANT_BYTES / 4, O = X + per * stride;
  for (let r0 = 0; r0 < rows; r0 += per) {
    const n = Math.min(per, rows - r0);
    load(h, X, r0, n, stride);
    kernel.softmax(4 * X, 4 * O, n, stride);
    if (stride === size) out.set(h.subarray(O, O + n * size), r0 * size);
    else {
      for (let r = 0; r < n; r++) {
        out.set(h.subarray(O + r * stride, O + r * stride + size), (r0 + r) * size);
      }
    }
  }
}
