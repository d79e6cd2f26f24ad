/**
 * CPU elementwise kernels. Each kernel is a loop specialised to one expression
 * (generated once from the table below, so every op gets its own monomorphic
 * loop: no per-element closure call), run over rows of a strided iteration
 * plan whose dims were collapsed as far as the strides allow.
 *
 * @module
 */

import { broadcastStrides, isContiguous, shapesEqual, sizeOf } from "../shape.ts";
import type { BinaryKernel, StridedView, UnaryKernel } from "../backend.ts";
import type { TypedArray } from "../dtype.ts";
import { fastTanh, geluErf, geluErfGrad, geluTanh, geluTanhGrad, powC } from "./math.ts";
import {
  SIMD_MIN,
  simdAxpy,
  simdBinaryRows,
  simdBinaryScalar,
  simdElementwise,
  simdOp,
  simdTanh,
} from "./elementwise_simd.ts";
import { geluSimd, simdGelu, simdGeluBackward } from "./gelu_simd.ts";
import { copyView } from "./copy.ts";
import { collapse, forEachRow } from "./strided_rows.ts";

export { collapse, forEachRow } from "./strided_rows.ts";

/** A unary row loop: `o[oo + i*so] = f(x[xo + i*sx])` for i < n. */
export type UnaryLoop = (
  x: TypedArray,
  xo: number,
  sx: number,
  o: TypedArray,
  oo: number,
  so: number,
  n: number,
) => void;

/** A binary row loop: `o[oo + i] = f(a[ao + i*sa], b[bo + i*sb])` for i < n. */
export type BinaryLoop = (
  a: TypedArray,
  ao: number,
  sa: number,
  b: TypedArray,
  bo: number,
  sb: number,
  o: TypedArray,
  oo: number,
  n: number,
) => void;

const UNARY_EXPR: Record<UnaryKernel, string> = {
  copy: "v",
  neg: "-v",
  exp: "Math.exp(v)",
  log: "Math.log(v)",
  sqrt: "Math.sqrt(v)",
  abs: "Math.abs(v)",
  tanh: "fastTanh(v)",
  relu: "(v > 0 || v !== v) ? v : 0",
  sigmoid: "1 / (1 + Math.exp(-v))",
  gelu: "geluErf(v)",
  geluTanh: "geluTanh(v)",
  geluGrad: "geluErfGrad(v)",
  geluTanhGrad: "geluTanhGrad(v)",
  sign: "v > 0 ? 1 : (v < 0 ? -1 : v)",
  toBool: "v !== 0 ? 1 : 0",
  isInf: "(v === Infinity || v === -Infinity) ? 1 : 0",
  sin: "Math.sin(v)",
  cos: "Math.cos(v)",
  log1p: "Math.log1p(v)",
};

const BINARY_EXPR: Record<BinaryKernel, string> = {
  add: "a + b",
  sub: "a - b",
  mul: "a * b",
  div: "a / b",
  pow: "powC(a, b)",
  maximum: "(a !== a || b !== b) ? NaN : (a > b ? a : b)",
  minimum: "(a !== a || b !== b) ? NaN : (a < b ? a : b)",
  eq: "a === b ? 1 : 0",
  ne: "a !== b ? 1 : 0",
  lt: "a < b ? 1 : 0",
  le: "a <= b ? 1 : 0",
  gt: "a > b ? 1 : 0",
  ge: "a >= b ? 1 : 0",
  and: "(a !== 0 && b !== 0) ? 1 : 0",
  tanhGrad: "a * (1 - b * b)",
  sigmoidGrad: "a * b * (1 - b)",
  geluBackward: "a * geluErfGrad(b)",
  geluTanhBackward: "a * geluTanhGrad(b)",
};

const HELPERS = ["geluErf", "geluErfGrad", "geluTanh", "geluTanhGrad", "powC", "fastTanh"] as const;
const HELPER_FNS = [geluErf, geluErfGrad, geluTanh, geluTanhGrad, powC, fastTanh];

function compileUnary(expr: string): UnaryLoop {
  const body = `return function unaryLoop(x, xo, sx, o, oo, so, n) {
  if (sx === 1 && so === 1) {
    for (let i = 0; i < n; i++) { const v = x[xo + i]; o[oo + i] = ${expr}; }
  } else {
    for (let i = 0; i < n; i++) { const v = x[xo + i * sx]; o[oo + i * so] = ${expr}; }
  }
};`;
  return new Function(...HELPERS, body)(...HELPER_FNS) as UnaryLoop;
}

function compileBinary(expr: string): BinaryLoop {
  const body = `return function binaryLoop(A, ao, sa, B, bo, sb, o, oo, n) {
  if (sa === 1 && sb === 1) {
    for (let i = 0; i < n; i++) { const a = A[ao + i], b = B[bo + i]; o[oo + i] = ${expr}; }
  } else if (sb === 0 && sa === 1) {
    const b = B[bo];
    for (let i = 0; i < n; i++) { const a = A[ao + i]; o[oo + i] = ${expr}; }
  } else if (sa === 0 && sb === 1) {
    const a = A[ao];
    for (let i = 0; i < n; i++) { const b = B[bo + i]; o[oo + i] = ${expr}; }
  } else {
    for (let i = 0; i < n; i++) { const a = A[ao + i * sa], b = B[bo + i * sb]; o[oo + i] = ${expr}; }
  }
};`;
  return new Function(...HELPERS, body)(...HELPER_FNS) as BinaryLoop;
}

/** One compiled loop per unary kernel. */
export const unaryLoops: Record<UnaryKernel, UnaryLoop> = Object.fromEntries(
  Object.entries(UNARY_EXPR).map(([k, e]) => [k, compileUnary(e)]),
) as Record<UnaryKernel, UnaryLoop>;

/** One compiled loop per binary kernel. */
export const binaryLoops: Record<BinaryKernel, BinaryLoop> = Object.fromEntries(
  Object.entries(BINARY_EXPR).map(([k, e]) => [k, compileBinary(e)]),
) as Record<BinaryKernel, BinaryLoop>;

/** The typed array a CPU view's storage holds. @param v the view @returns its elements */
export function dataOf(v: StridedView): TypedArray {
  return (v.storage as unknown as { data: TypedArray }).data;
}

/**
 * The storage's elements for a kernel that writes all of a dense view's elements before it
 * reads any: when the view is the whole storage, a reused array skips the zero-fill it owes
 * (`CpuStorage.dataToOverwrite`). Fetch the inputs first: one may share the storage.
 *
 * @param v the output view, dense
 * @returns the storage's typed array
 */
export function overwritten(v: StridedView): TypedArray {
  const s = v.storage as unknown as { length: number; dataToOverwrite(): TypedArray };
  return v.offset === 0 && sizeOf(v.shape) === s.length ? s.dataToOverwrite() : dataOf(v);
}

/** `out = f(x)`; x and out have the same shape; out may be strided. */
export function runUnary(op: UnaryKernel, x: StridedView, out: StridedView): void {
  const loop = unaryLoops[op];
  const xd = dataOf(x), od = isDense(out) ? overwritten(out) : dataOf(out);
  if (op === "copy") return copyView(x, xd, out, od);
  if (isDense(x) && isDense(out)) {
    const n = sizeOf(out.shape);
    const f32 = n >= SIMD_MIN && xd instanceof Float32Array && od instanceof Float32Array;
    if (f32 && op === "tanh" && simdElementwise) {
      simdTanh(xd as Float32Array, x.offset, od as Float32Array, out.offset, n);
    } else if (f32 && op === "gelu" && geluSimd) {
      simdGelu(xd as Float32Array, x.offset, od as Float32Array, out.offset, n);
    } else loop(xd, x.offset, 1, od, out.offset, 1, n);
    return;
  }
  const { shape, strides } = collapse(out.shape, [x.strides, out.strides]);
  if (shape.length === 1) {
    loop(xd, x.offset, strides[0][0], od, out.offset, strides[1][0], shape[0]);
    return;
  }
  const sx = strides[0][shape.length - 1], so = strides[1][shape.length - 1];
  forEachRow(shape, strides, [x.offset, out.offset], (o, n) => loop(xd, o[0], sx, od, o[1], so, n));
}

/** `out = f(a, b)` with broadcasting; out is contiguous. */
export function runBinary(
  op: BinaryKernel,
  a: StridedView,
  b: StridedView,
  out: StridedView,
): void {
  const loop = binaryLoops[op];
  const ad = dataOf(a), bd = dataOf(b), od = overwritten(out);
  const shape0 = out.shape;
  if (isDense(a) && shapesEqual(a.shape, shape0)) {
    const n = sizeOf(shape0);
    if (isDense(b) && shapesEqual(b.shape, shape0)) {
      if (
        op === "geluBackward" && geluSimd && n >= SIMD_MIN && ad instanceof Float32Array &&
        bd instanceof Float32Array && od instanceof Float32Array
      ) {
        simdGeluBackward(ad, a.offset, bd, b.offset, od, out.offset, n);
        return;
      }
      const s = simdOp(op, ad, bd, od, n);
      if (s !== undefined) {
        simdBinaryRows(
          s,
          ad as Float32Array,
          a.offset,
          n,
          bd as Float32Array,
          b.offset,
          n,
          od as Float32Array,
          out.offset,
          1,
          n,
        );
      } else loop(ad, a.offset, 1, bd, b.offset, 1, od, out.offset, n);
      return;
    }
    if (sizeOf(b.shape) === 1) {
      if (op === "pow" && bd[b.offset] === 2) {
        // x ** 2 is x · x (exact either way): the SIMD multiply instead of Math.pow per element
        runBinary("mul", a, a, out);
        return;
      }
      const s = simdOp(op, ad, bd, od, n);
      if (s !== undefined) {
        simdBinaryScalar(
          s,
          ad as Float32Array,
          a.offset,
          bd[b.offset],
          od as Float32Array,
          out.offset,
          n,
        );
      } else loop(ad, a.offset, 1, bd, b.offset, 0, od, out.offset, n);
      return;
    }
  }
  const { shape, strides } = collapse(shape0, [
    bstr(a, shape0),
    bstr(b, shape0),
    out.strides,
  ]);
  const last = shape.length - 1;
  const sa = strides[0][last], sb = strides[1][last];
  if (shape.length === 1) {
    loop(ad, a.offset, sa, bd, b.offset, sb, od, out.offset, shape[0]);
    return;
  }
  if (shape.length === 2) {
    // rows of a broadcast (e.g. bias add): no per-row closure
    const rows = shape[0], n = shape[1];
    const ra = strides[0][0], rb = strides[1][0];
    const s = sa === 1 && sb === 1 && (ra === n || ra === 0) && (rb === n || rb === 0)
      ? simdOp(op, ad, bd, od, rows * n)
      : undefined;
    if (s !== undefined) {
      simdBinaryRows(
        s,
        ad as Float32Array,
        a.offset,
        ra,
        bd as Float32Array,
        b.offset,
        rb,
        od as Float32Array,
        out.offset,
        rows,
        n,
      );
      return;
    }
    for (let r = 0; r < rows; r++) {
      loop(ad, a.offset + r * ra, sa, bd, b.offset + r * rb, sb, od, out.offset + r * n, n);
    }
    return;
  }
  forEachRow(
    shape,
    strides,
    [a.offset, b.offset, out.offset],
    (o, n) => loop(ad, o[0], sa, bd, o[1], sb, od, o[2], n),
  );
}

/** `out += alpha * x` in place, x broadcast to out's shape; out may be strided. */
export function runAxpy(out: StridedView, alpha: number, x: StridedView): void {
  const xd = dataOf(x), od = dataOf(out);
  if (isDense(x) && isDense(out) && shapesEqual(x.shape, out.shape)) {
    const xo = x.offset, oo = out.offset, n = sizeOf(out.shape);
    if (
      simdElementwise && n >= SIMD_MIN && od instanceof Float32Array && xd instanceof Float32Array
    ) {
      simdAxpy(od, oo, alpha, xd, xo, n);
    } else for (let i = 0; i < n; i++) od[oo + i] += alpha * xd[xo + i];
    return;
  }
  const { shape, strides } = collapse(out.shape, [bstr(x, out.shape), out.strides]);
  const last = shape.length - 1, sx = strides[0][last], so = strides[1][last];
  const row = AXPY_ROWS.get(od.constructor) ?? compileAxpyRow();
  forEachRow(
    shape,
    strides,
    [x.offset, out.offset],
    (o, n) => row(od, o[1], so, alpha, xd, o[0], sx, n),
  );
}

/** `o[oo + i·so] += alpha·x[xo + i·sx]` for i < n. */
type AxpyRow = (
  o: TypedArray,
  oo: number,
  so: number,
  alpha: number,
  x: TypedArray,
  xo: number,
  sx: number,
  n: number,
) => void;

const compileAxpyRow = () =>
  new Function(`return function axpyRow(o, oo, so, alpha, x, xo, sx, n) {
  if (so === 1 && sx === 1) for (let i = 0; i < n; i++) o[oo + i] += alpha * x[xo + i];
  else for (let i = 0; i < n; i++) o[oo + i * so] += alpha * x[xo + i * sx];
};`)() as AxpyRow;

/** One strided axpy row loop per output array type, so each stays monomorphic. */
const AXPY_ROWS = new Map<unknown, AxpyRow>([
  [Float32Array, compileAxpyRow()],
  [Int32Array, compileAxpyRow()],
]);

/** Whether a view is row-major without gaps (tensors cache this). */
function isDense(v: StridedView): boolean {
  const c = (v as { isContiguous?: () => boolean }).isContiguous;
  return c !== undefined ? c.call(v) : isContiguous(v.shape, v.strides);
}

const bstr = (v: StridedView, target: readonly number[]) =>
  broadcastStrides(v.shape, v.strides, target);
