/**
 * WebAssembly SIMD kernels for the hottest float32 elementwise loops of a
 * small MLP's training step: `tanh`, the binary ops add/sub/mul/div and the
 * fused tanh backward `a·(1−b²)` (same shapes, or rows plus one broadcast
 * row such as a bias), `out += alpha·x` (SGD updates) and column sums (bias
 * gradients). Their WebAssembly text is in `elementwise_wat.ts`.
 *
 * V8 runs JavaScript arithmetic on scalar doubles (about 0.5 ns per element
 * for an add, 2.5 ns for a rational tanh); `f32x4` lanes do four at once.
 * Operands are copied into the module's memory and the result copied back,
 * which costs about 0.16 µs per 6,400 floats (in chunks of 16,384 floats, so
 * the memory stays small). Results are the scalar loops' floats, bit for bit: add/sub/mul/div run on `f32x4` lanes (a float32
 * operation rounds its exact result once, as the scalar double operation
 * stored to float32 does), and tanh, `a·(1−b²)` and axpy, whose scalar loops
 * round several double operations once, run on `f64x2` lanes with the same
 * operations.
 *
 * @module
 */

import { elementwiseModuleBytes, SIMD_BINARY_OPS, type SimdBinaryOp } from "./elementwise_wat.ts";

export type { SimdBinaryOp };

/**
 * From this many float32 elements on, the ops that have a kernel here run
 * through it; below it the copies cost more than the scalar loops.
 */
export const SIMD_MIN = 64;

/**
 * The SIMD kernel for a binary op on these arrays: the op's name when it has
 * one, the arrays are all float32 and hold at least {@link SIMD_MIN}
 * elements, else undefined.
 *
 * @param op the backend's binary kernel name
 * @param a first operand's elements
 * @param b second operand's elements
 * @param o the output's elements
 * @param n the element count
 * @returns the kernel, or undefined for the scalar loop
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { simdOp } from "./elementwise_simd.ts";
 * const f = new Float32Array(100);
 * equal(simdOp("add", f, f, f, 100), "add");
 * equal(simdOp("add", f, new Int32Array(100), f, 100), undefined);
 * equal(simdOp("pow", f, f, f, 100), undefined);
 * ```
 */
export function simdOp(
  op: string,
  a: ArrayBufferView,
  b: ArrayBufferView,
  o: ArrayBufferView,
  n: number,
): SimdBinaryOp | undefined {
  if (kernels === null || n < SIMD_MIN || !(SIMD_BINARY_OPS as string[]).includes(op)) {
    return undefined;
  }
  return o instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array
    ? op as SimdBinaryOp
    : undefined;
}

interface Kernels {
  memory: WebAssembly.Memory;
  binary: Record<SimdBinaryOp, (...args: number[]) => void>;
  tanh: (x: number, o: number, n: number) => void;
  axpy: (o: number, x: number, n: number, alpha: number) => void;
  colsum: (x: number, o: number, acc: number, rows: number, cols: number) => void;
}

function instantiate(): Kernels | null {
  try {
    const bytes = elementwiseModuleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
    const binary = Object.fromEntries(
      SIMD_BINARY_OPS.map((op) => [op, e[op]]),
    ) as Kernels["binary"];
    return {
      memory: e.mem as WebAssembly.Memory,
      binary,
      tanh: e.tanh as Kernels["tanh"],
      axpy: e.axpy as Kernels["axpy"],
      colsum: e.colsum as Kernels["colsum"],
    };
  } catch {
    return null;
  }
}

const kernels = instantiate();
let heap = kernels ? new Float32Array(kernels.memory.buffer) : new Float32Array(0);

/** Whether the SIMD elementwise kernels run on this engine (Deno: always). */
export const simdElementwise: boolean = kernels !== null;

/** A heap of at least `floats` floats (growing the memory as needed). */
function heapOf(k: Kernels, floats: number): Float32Array {
  const need = floats * 4;
  if (need > k.memory.buffer.byteLength) {
    k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / 65536));
    heap = new Float32Array(k.memory.buffer);
  }
  return heap;
}

const up4 = (x: number) => (x + 3) & ~3;

/**
 * Floats per operand per kernel call: large arrays go through the module's memory in chunks,
 * so it stays small (it never shrinks) and the copies stay in cache.
 */
const CHUNK = 16384;

/**
 * `o[oo + r*cols + c] = f(a[ao + r*sar + c], b[bo + r*sbr + c])` for r <
 * rows, c < cols, with `sar`/`sbr` either `cols` (a dense block) or 0 (one
 * row broadcast to every row).
 *
 * @param op the kernel
 * @param a first operand's elements
 * @param ao its offset
 * @param sar its row stride: cols or 0
 * @param b second operand's elements
 * @param bo its offset
 * @param sbr its row stride: cols or 0
 * @param o the output's elements
 * @param oo its offset
 * @param rows the number of rows (positive)
 * @param cols the number of columns (positive)
 * @throws {Error} when {@link simdElementwise} is false
 * @example A bias added to each row
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { simdBinaryRows } from "./elementwise_simd.ts";
 * const x = new Float32Array([1, 2, 3, 4, 5, 6]), bias = new Float32Array([10, 20, 30]);
 * const out = new Float32Array(6);
 * simdBinaryRows("add", x, 0, 3, bias, 0, 0, out, 0, 2, 3);
 * deepEqual(Array.from(out), [11, 22, 33, 14, 25, 36]);
 * ```
 */
export function simdBinaryRows(
  op: SimdBinaryOp,
  a: Float32Array,
  ao: number,
  sar: number,
  b: Float32Array,
  bo: number,
  sbr: number,
  o: Float32Array,
  oo: number,
  rows: number,
  cols: number,
): void {
  if (rows === 1) {
    for (let s = 0; s < cols; s += CHUNK) {
      binaryRowsOnce(op, a, ao + s, 0, b, bo + s, 0, o, oo + s, 1, Math.min(CHUNK, cols - s));
    }
    return;
  }
  const per = Math.max(1, Math.floor(CHUNK / cols));
  for (let r = 0; r < rows; r += per) {
    const n = Math.min(per, rows - r);
    binaryRowsOnce(op, a, ao + r * sar, sar, b, bo + r * sbr, sbr, o, oo + r * cols, n, cols);
  }
}

function binaryRowsOnce(
  op: SimdBinaryOp,
  a: Float32Array,
  ao: number,
  sar: number,
  b: Float32Array,
  bo: number,
  sbr: number,
  o: Float32Array,
  oo: number,
  rows: number,
  cols: number,
): void {
  if (kernels === null) throw new Error("Cannot run SIMD kernels: WebAssembly SIMD is missing");
  const total = rows * cols;
  const na = sar === 0 ? cols : total, nb = sbr === 0 ? cols : total;
  const bBase = up4(na + 4), oBase = bBase + up4(nb + 4);
  const h = heapOf(kernels, oBase + total + 8);
  h.set(a.subarray(ao, ao + na), 0);
  h.set(b.subarray(bo, bo + nb), bBase);
  kernels.binary[op](0, sar * 4, bBase * 4, sbr * 4, oBase * 4, rows, cols);
  o.set(h.subarray(oBase, oBase + total), oo);
}

/**
 * `o[oo + i] = f(a[ao + i], b)` for i < n: a dense operand and a scalar.
 *
 * @param op the kernel
 * @param a the dense operand's elements
 * @param ao its offset
 * @param b the scalar (a float32 value)
 * @param o the output's elements
 * @param oo its offset
 * @param n the element count (positive)
 * @throws {Error} when {@link simdElementwise} is false
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { simdBinaryScalar } from "./elementwise_simd.ts";
 * const out = new Float32Array(3);
 * simdBinaryScalar("mul", new Float32Array([1, 2, 3]), 0, 0.5, out, 0, 3);
 * deepEqual(Array.from(out), [0.5, 1, 1.5]);
 * ```
 */
export function simdBinaryScalar(
  op: SimdBinaryOp,
  a: Float32Array,
  ao: number,
  b: number,
  o: Float32Array,
  oo: number,
  n: number,
): void {
  for (let s = 0; s < n; s += CHUNK) {
    binaryScalarOnce(op, a, ao + s, b, o, oo + s, Math.min(CHUNK, n - s));
  }
}

function binaryScalarOnce(
  op: SimdBinaryOp,
  a: Float32Array,
  ao: number,
  b: number,
  o: Float32Array,
  oo: number,
  n: number,
): void {
  if (kernels === null) throw new Error("Cannot run SIMD kernels: WebAssembly SIMD is missing");
  const bBase = up4(n + 4), oBase = bBase + up4(n + 4);
  const h = heapOf(kernels, oBase + n + 8);
  h.set(a.subarray(ao, ao + n), 0);
  h.fill(b, bBase, bBase + n);
  kernels.binary[op](0, 0, bBase * 4, 0, oBase * 4, 1, n);
  o.set(h.subarray(oBase, oBase + n), oo);
}

/**
 * `o[oo + i] = tanh(x[xo + i])` for i < n.
 *
 * @param x the input elements
 * @param xo their offset
 * @param o the output's elements
 * @param oo its offset
 * @param n the element count (positive)
 * @throws {Error} when {@link simdElementwise} is false
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { simdTanh } from "./elementwise_simd.ts";
 * const out = new Float32Array(2);
 * simdTanh(new Float32Array([0.5, -20]), 0, out, 0, 2);
 * ok(Math.abs(out[0] - Math.tanh(0.5)) < 1e-7 && out[1] === -1);
 * ```
 */
export function simdTanh(x: Float32Array, xo: number, o: Float32Array, oo: number, n: number) {
  for (let s = 0; s < n; s += CHUNK) tanhOnce(x, xo + s, o, oo + s, Math.min(CHUNK, n - s));
}

function tanhOnce(x: Float32Array, xo: number, o: Float32Array, oo: number, n: number) {
  if (kernels === null) throw new Error("Cannot run SIMD kernels: WebAssembly SIMD is missing");
  const oBase = up4(n + 4);
  const h = heapOf(kernels, oBase + n + 4);
  h.set(x.subarray(xo, xo + n), 0);
  kernels.tanh(0, oBase * 4, n);
  o.set(h.subarray(oBase, oBase + n), oo);
}

/**
 * `o[oo + i] += alpha · x[xo + i]` for i < n (in doubles, as the scalar loop).
 *
 * @param o the updated elements
 * @param oo their offset
 * @param alpha the factor
 * @param x the added elements
 * @param xo their offset
 * @param n the element count (positive)
 * @throws {Error} when {@link simdElementwise} is false
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { simdAxpy } from "./elementwise_simd.ts";
 * const p = new Float32Array([1, 2, 3]);
 * simdAxpy(p, 0, -0.5, new Float32Array([2, 2, 4]), 0, 3);
 * deepEqual(Array.from(p), [0, 1, 1]);
 * ```
 */
export function simdAxpy(
  o: Float32Array,
  oo: number,
  alpha: number,
  x: Float32Array,
  xo: number,
  n: number,
): void {
  for (let s = 0; s < n; s += CHUNK) axpyOnce(o, oo + s, alpha, x, xo + s, Math.min(CHUNK, n - s));
}

function axpyOnce(
  o: Float32Array,
  oo: number,
  alpha: number,
  x: Float32Array,
  xo: number,
  n: number,
): void {
  if (kernels === null) throw new Error("Cannot run SIMD kernels: WebAssembly SIMD is missing");
  const xBase = up4(n + 4), alphaAt = xBase + up4(n + 4);
  const h = heapOf(kernels, alphaAt + 4);
  h.set(o.subarray(oo, oo + n), 0);
  h.set(x.subarray(xo, xo + n), xBase);
  new Float64Array(h.buffer, alphaAt * 4, 1)[0] = alpha;
  kernels.axpy(0, xBase * 4, n, alphaAt * 4);
  o.set(h.subarray(0, n), oo);
}

/**
 * `o[oo + j] = Σ_r x[xo + r*cols + j]` for j < cols: the sum over the rows of
 * a row-major block, accumulated in doubles row by row (the scalar
 * reduction's floats).
 *
 * @param x the input elements
 * @param xo the block's offset
 * @param rows the number of rows (positive)
 * @param cols the number of columns (positive)
 * @param o the output's elements
 * @param oo its offset
 * @throws {Error} when {@link simdElementwise} is false
 * @example Bias gradients: the column sums of a (3 x 2) block
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { simdColumnSum } from "./elementwise_simd.ts";
 * const out = new Float32Array(2);
 * simdColumnSum(new Float32Array([1, 2, 3, 4, 5, 6]), 0, 3, 2, out, 0);
 * deepEqual(Array.from(out), [9, 12]);
 * ```
 */
export function simdColumnSum(
  x: Float32Array,
  xo: number,
  rows: number,
  cols: number,
  o: Float32Array,
  oo: number,
): void {
  if (kernels === null) throw new Error("Cannot run SIMD kernels: WebAssembly SIMD is missing");
  const total = rows * cols;
  const oBase = up4(total + 4), accBase = oBase + up4(cols + 4);
  const h = heapOf(kernels, accBase + 2 * cols + 8);
  h.set(x.subarray(xo, xo + total), 0);
  kernels.colsum(0, oBase * 4, accBase * 4, rows, cols);
  o.set(h.subarray(oBase, oBase + cols), oo);
}
