/**
 * A WebAssembly SIMD kernel for float32 matmul. Its functions are written
 * below in flat WebAssembly text and assembled to bytes at load time by
 * `wasm_text.ts` (no binary blob, no build step).
 *
 * V8 runs JavaScript arithmetic on scalar doubles, so the best register-tiled
 * TypeScript kernel tops out near 6 GFLOPS here; `f32x4` lanes give 6-8x
 * that. `gemm` computes 4x8 output tiles in eight `f32x4` accumulators,
 * reading A with its own strides (so Aᵀ costs nothing) and B by rows (Bᵀ is
 * first turned into rows by `transpose`). Sums are float32, as in BLAS, with
 * one rounding per step where relaxed SIMD's `f32x4.relaxed_madd` fuses (x86
 * with FMA, ARM) and two elsewhere.
 *
 * @module
 */

import type { StridedProduct } from "./matmul.ts";
import { wasmModule } from "./wasm_text.ts";

const PARAMS = ["a", "sai", "sap", "b", "ldb", "bps", "c", "ldc", "mp", "np", "k"];
const I32_LOCALS = ["jb", "i", "p", "pb", "co", "pa0", "pa1", "pa2", "pa3"];
const V128_LOCALS = ["av", "b0", "b1", "c00", "c01", "c10", "c11", "c20", "c21", "c30", "c31"];
const ROWS = [0, 1, 2, 3];
const forRows = (f: (r: number) => string) => ROWS.map(f).join("\n");

// Per tile row r (A row i + r): zero its accumulators, point at its A row,
// multiply-add one step of p, store the finished row.
const ZERO_TILE = forRows((r) =>
  `v128.const i32x4 0 0 0 0  local.set $c${r}0
  v128.const i32x4 0 0 0 0  local.set $c${r}1`
);
const ROW_POINTERS = forRows((r) =>
  r === 0
    ? "local.get $a  local.get $i  local.get $sai  i32.mul  i32.add  local.set $pa0"
    : `local.get $pa${r - 1}  local.get $sai  i32.add  local.set $pa${r}`
);
/** `$acc += $av * $b`, as one (relaxed) fused multiply-add or as a multiply and an add. */
const madd = (fused: boolean, acc: string, b: string) =>
  fused
    ? `local.get $av  local.get ${b}  local.get ${acc}  f32x4.relaxed_madd  local.set ${acc}`
    : `local.get ${acc}  local.get $av  local.get ${b}  f32x4.mul  f32x4.add  local.set ${acc}`;
const stepRows = (fused: boolean) =>
  forRows((r) =>
    `local.get $pa${r}  v128.load32_splat  local.set $av
  ${madd(fused, `$c${r}0`, "$b0")}
  ${madd(fused, `$c${r}1`, "$b1")}
  local.get $pa${r}  local.get $sap  i32.add  local.set $pa${r}`
  );
const STORE_TILE = forRows((r) =>
  `local.get $co  local.get $c${r}0  v128.store
  local.get $co  local.get $c${r}1  v128.store offset=16
  local.get $co  local.get $ldc  i32.add  local.set $co`
);

/**
 * `gemm(a, sai, sap, b, ldb, bps, c, ldc, mp, np, k)`: C (mp x np) = A (mp x
 * k) · B (k x np) with byte addresses and byte strides: A[i, p] at `a + i*sai
 * + p*sap`, B[p, j] at `b + p*ldb + 4j` for row-major B (`bps` 1) or at `b +
 * 4k*(j - j%8) + 32p + 4(j%8)` for B packed in 8-column panels (`bps` k,
 * `ldb` 32), C[i, j] at `c + i*ldc + 4j`. mp must be
 * a multiple of 4, np of 8, and mp, np, k positive (the loops test at the end).
 * Tile row r keeps columns 0-3 in `$c<r>0` and 4-7 in `$c<r>1`.
 *
 * With ldc = 4n for an n that is not a multiple of 8, the last panel's rows
 * spill up to 7 columns into the start of the next row; panels therefore run
 * last to first, so that the first panel, which owns those columns, writes
 * them last, and C comes out exactly (m x n) with no copy.
 */
const gemmSource = (fused: boolean) => `
  local.get $np  i32.const 4  i32.mul  i32.const 32  i32.sub  local.set $jb
  loop ;; over 8-column panels, last first; jb = 4 * the panel's first column
    i32.const 0  local.set $i
    loop ;; over 4-row tiles
      ${ZERO_TILE}
      ${ROW_POINTERS}
      local.get $b  local.get $jb  local.get $bps  i32.mul  i32.add  local.set $pb
      local.get $k  local.set $p
      loop ;; over p: tile += A[i..i+3, p] x B[p, j..j+7]
        local.get $pb  v128.load  local.set $b0
        local.get $pb  v128.load offset=16  local.set $b1
        ${stepRows(fused)}
        local.get $pb  local.get $ldb  i32.add  local.set $pb
        local.get $p  i32.const 1  i32.sub  local.set $p
        i32.const 0  local.get $p  i32.lt_s  br_if 0
      end
      local.get $c  local.get $i  local.get $ldc  i32.mul  i32.add  local.get $jb  i32.add
      local.set $co
      ${STORE_TILE}
      local.get $i  i32.const 4  i32.add  local.set $i
      local.get $i  local.get $mp  i32.lt_s  br_if 0
    end
    local.get $jb  i32.const 32  i32.sub  local.set $jb
    i32.const 0  local.get $jb  i32.le_s  br_if 0
  end
  end
`;

const TRANSPOSE_PARAMS = ["src", "dst", "rows", "cols"];
const TRANSPOSE_LOCALS = ["c0", "r0", "s", "d", "lds", "ldd"];
const TRANSPOSE_V128 = ["a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3"];

/** Shuffle lanes (bytes) interleaving floats 0, 1 (LO) or 2, 3 (HI) of two vectors. */
const UNPACK_LO = "0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23";
const UNPACK_HI = "8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31";
/** Shuffle lanes: the low (LO) or high (HI) halves of two vectors, concatenated. */
const HALVES_LO = "0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23";
const HALVES_HI = "8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31";

/**
 * `transpose(src, dst, rows, cols)`: dst (cols x rows) = srcᵀ for a row-major
 * src (rows x cols), byte addresses, rows and cols positive, in 4x4 blocks
 * of four `v128` loads, eight shuffles and four stores.
 *
 * Edges: blocks past the last row or column read up to 3 rows and 3 floats
 * beyond src (the caller leaves that readable) and write up to 3 rows and
 * floats beyond dst's (cols x rows) block, into the caller's slack. The
 * floats a block writes past the end of a dst row land at the start of the
 * next dst row; blocks run last to first along each row, so the block that
 * owns those floats writes them later.
 */
const TRANSPOSE_SOURCE = `
  local.get $cols  i32.const 4  i32.mul  local.set $lds
  local.get $rows  i32.const 4  i32.mul  local.set $ldd
  i32.const 0  local.set $c0
  loop ;; over blocks of 4 src columns (4 dst rows)
    local.get $rows  i32.const 1  i32.sub  i32.const -4  i32.and  local.set $r0
    loop ;; over blocks of 4 src rows, last first
      local.get $src  local.get $r0  local.get $lds  i32.mul  i32.add
      local.get $c0  i32.const 4  i32.mul  i32.add  local.set $s
      local.get $s  v128.load  local.set $a0
      local.get $s  local.get $lds  i32.add  local.tee $s  v128.load  local.set $a1
      local.get $s  local.get $lds  i32.add  local.tee $s  v128.load  local.set $a2
      local.get $s  local.get $lds  i32.add  v128.load  local.set $a3
      local.get $a0  local.get $a1  i8x16.shuffle ${UNPACK_LO}  local.set $t0
      local.get $a2  local.get $a3  i8x16.shuffle ${UNPACK_LO}  local.set $t1
      local.get $a0  local.get $a1  i8x16.shuffle ${UNPACK_HI}  local.set $t2
      local.get $a2  local.get $a3  i8x16.shuffle ${UNPACK_HI}  local.set $t3
      local.get $dst  local.get $c0  local.get $ldd  i32.mul  i32.add
      local.get $r0  i32.const 4  i32.mul  i32.add  local.set $d
      local.get $d  local.get $t0  local.get $t1  i8x16.shuffle ${HALVES_LO}  v128.store
      local.get $d  local.get $ldd  i32.add  local.tee $d
      local.get $t0  local.get $t1  i8x16.shuffle ${HALVES_HI}  v128.store
      local.get $d  local.get $ldd  i32.add  local.tee $d
      local.get $t2  local.get $t3  i8x16.shuffle ${HALVES_LO}  v128.store
      local.get $d  local.get $ldd  i32.add
      local.get $t2  local.get $t3  i8x16.shuffle ${HALVES_HI}  v128.store
      local.get $r0  i32.const 4  i32.sub  local.tee $r0
      i32.const -1  i32.gt_s  br_if 0
    end
    local.get $c0  i32.const 4  i32.add  local.tee $c0
    local.get $cols  i32.lt_s  br_if 0
  end
  end
`;

const PACK_PARAMS = ["src", "ld", "dst", "k", "np"];
const PACK_LOCALS = ["jb", "s", "d", "p"];

/**
 * `pack(src, ld, dst, k, np)`: copies B (k x np, row stride `ld` bytes) into
 * 8-column panels, each k x 8 contiguous, so that the kernel walks B through
 * consecutive cache lines and pages instead of one row per step.
 */
const PACK_SOURCE = `
  i32.const 0  local.set $jb
  loop ;; over panels; jb = 4 * the panel's first column
    local.get $src  local.get $jb  i32.add  local.set $s
    local.get $dst  local.get $jb  local.get $k  i32.mul  i32.add  local.set $d
    local.get $k  local.set $p
    loop ;; over rows: 8 floats each
      local.get $d  local.get $s  v128.load  v128.store
      local.get $d  local.get $s  v128.load offset=16  v128.store offset=16
      local.get $s  local.get $ld  i32.add  local.set $s
      local.get $d  i32.const 32  i32.add  local.set $d
      local.get $p  i32.const 1  i32.sub  local.set $p
      i32.const 0  local.get $p  i32.lt_s  br_if 0
    end
    local.get $jb  i32.const 32  i32.add  local.set $jb
    local.get $jb  local.get $np  i32.const 4  i32.mul  i32.lt_s  br_if 0
  end
  end
`;

/**
 * The kernel's module bytes: exported functions `gemm`, `transpose` and
 * `pack`, and an exported, growable memory `mem`.
 *
 * @param fused multiply-add with `f32x4.relaxed_madd` (relaxed SIMD: one
 * rounding where the CPU has FMA, about 20% faster here) instead of
 * `f32x4.mul` and `f32x4.add` (plain SIMD)
 * @returns the bytes of a WebAssembly module
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { simdModuleBytes } from "./matmul_simd.ts";
 * ok(WebAssembly.validate(simdModuleBytes(false)));
 * ok(WebAssembly.validate(simdModuleBytes(true)));
 * ```
 */
export function simdModuleBytes(fused: boolean): Uint8Array<ArrayBuffer> {
  return wasmModule([
    {
      name: "gemm",
      params: PARAMS,
      i32Locals: I32_LOCALS,
      v128Locals: V128_LOCALS,
      source: gemmSource(fused),
    },
    {
      name: "transpose",
      params: TRANSPOSE_PARAMS,
      i32Locals: TRANSPOSE_LOCALS,
      v128Locals: TRANSPOSE_V128,
      source: TRANSPOSE_SOURCE,
    },
    { name: "pack", params: PACK_PARAMS, i32Locals: PACK_LOCALS, source: PACK_SOURCE },
  ]);
}

interface SimdKernel {
  memory: WebAssembly.Memory;
  gemm: (...args: number[]) => void;
  transpose: (src: number, dst: number, rows: number, cols: number) => void;
  pack: (src: number, ld: number, dst: number, k: number, np: number) => void;
  fused: boolean;
}

/** The fused kernel where relaxed SIMD validates, else the plain one, else null. */
function instantiate(): SimdKernel | null {
  for (const fused of [true, false]) {
    try {
      const bytes = simdModuleBytes(fused);
      if (!WebAssembly.validate(bytes)) continue;
      const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
      const gemm = exports.gemm as SimdKernel["gemm"];
      const transpose = exports.transpose as SimdKernel["transpose"];
      const pack = exports.pack as SimdKernel["pack"];
      return { memory: exports.mem as WebAssembly.Memory, gemm, transpose, pack, fused };
    } catch {
      // try the next variant
    }
  }
  return null;
}

const kernel = instantiate();
let heap = kernel ? new Float32Array(kernel.memory.buffer) : new Float32Array(0);

/** Whether this engine runs the WebAssembly SIMD kernel (Deno always does). */
export const simdSupported: boolean = kernel !== null;
/** Whether that kernel multiply-adds with relaxed SIMD's `f32x4.relaxed_madd`. */
export const simdFused: boolean = kernel?.fused ?? false;

/** Floats of A per block of rows: half of this machine's 1 MiB L2. */
const L2_FLOATS = 131072;
/** B is packed into panels from this size on (256 KiB; smaller B stays in L2 as it is). */
const PACK_MIN_FLOATS = 65536;

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/**
 * `out = A · B` (or `+=`) through the SIMD kernel; the caller has checked the
 * arguments and m, n, k are positive. B is row-major (`sbj` 1, `sbp` n) or
 * given as Bᵀ (`sbp` 1, `sbj` k); A may have any strides. A is copied once into the kernel's
 * memory, B too (transposed to rows when it comes as Bᵀ, i.e. `sbj !== 1`),
 * and the output comes back in one copy. Rows and columns past the edges
 * compute on whatever lies beyond A and B in memory, lane by lane, and are
 * overwritten or never copied out.
 *
 * @param x the operands
 * @param accumulate add to out instead of overwriting it
 * @throws {Error} when the engine has no WebAssembly SIMD ({@link simdSupported} is false)
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { simdProduct } from "./matmul_simd.ts";
 * // (2 x 3) · (3 x 2), both row-major
 * const a = new Float32Array([1, 2, 3, 4, 5, 6]), b = new Float32Array([1, 0, 0, 1, 1, 1]);
 * const out = new Float32Array(4);
 * const [sai, sap, sbp, sbj] = [3, 1, 2, 1];
 * simdProduct({ a, aOff: 0, sai, sap, b, bOff: 0, sbp, sbj, out, oOff: 0, m: 2, k: 3, n: 2 }, false);
 * deepEqual(Array.from(out), [4, 5, 10, 11]);
 * ```
 */
export function simdProduct(x: StridedProduct, accumulate: boolean): void {
  const { a, aOff, sai, sap, b, bOff, sbj, out, oOff, m, k, n } = x;
  if (kernel === null) throw new Error("Cannot multiply with SIMD: WebAssembly SIMD is missing");
  const mp = roundUp(m, 4), np = roundUp(n, 8);
  const packB = k * n >= PACK_MIN_FLOATS;
  // Layout in floats: A, slack for the reads of padding rows, B, slack for the
  // reads of padding columns, C (m x n) with room for the padding rows' writes,
  // then Bᵀ as given when it has to be transposed, and B's packed panels.
  const bBase = roundUp(m * k + 3 * k + 8, 4);
  const cBase = roundUp(bBase + k * n + 8, 4);
  const tBase = roundUp(cBase + mp * n + 8, 4);
  const pBase = roundUp(sbj === 1 ? tBase : tBase + n * k, 4);
  // (plus the transpose's reads past Bᵀ: 3 rows and 3 floats)
  const end = packB ? pBase + k * np : pBase;
  const need = (sbj === 1 ? end : Math.max(end, tBase + (n + 3) * k + 8)) * 4;
  if (need > kernel.memory.buffer.byteLength) {
    kernel.memory.grow(Math.ceil((need - kernel.memory.buffer.byteLength) / 65536));
    heap = new Float32Array(kernel.memory.buffer);
  }
  const h = heap;
  h.set(a.subarray(aOff, aOff + m * k), 0);
  if (sbj === 1) {
    h.set(b.subarray(bOff, bOff + k * n), bBase);
  } else {
    h.set(b.subarray(bOff, bOff + n * k), tBase); // Bᵀ (n x k), rows of stride k
    kernel.transpose(tBase * 4, bBase * 4, n, k);
  }
  if (packB) kernel.pack(bBase * 4, n * 4, pBase * 4, k, np);
  const bAt = packB ? pBase * 4 : bBase * 4, ldb = packB ? 32 : n * 4, bps = packB ? k : 1;
  // Blocks of rows whose A rows fill about half of L2 run in turn, so that
  // each panel of B reuses them from cache; rows spilling into the next
  // block's first row are overwritten when that block runs.
  const rowsPerBlock = Math.max(4, Math.floor(L2_FLOATS / k / 4) * 4);
  for (let i0 = 0; i0 < mp; i0 += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, mp - i0);
    const c = (cBase + i0 * n) * 4;
    kernel.gemm(i0 * sai * 4, sai * 4, sap * 4, bAt, ldb, bps, c, n * 4, rows, np, k);
  }
  if (accumulate) addInto(out, oOff, h, cBase, m * n);
  else out.set(h.subarray(cBase, cBase + m * n), oOff);
}

/** `out[oOff + i] += src[sOff + i]` for i < len (a loop of its own, so callers have none). */
function addInto(out: Float32Array, oOff: number, src: Float32Array, sOff: number, len: number) {
  for (let i = 0; i < len; i++) out[oOff + i] += src[sOff + i];
}
