/**
 * The CPU backend's `where`: `out = cond ? a : b` with broadcasting (the causal mask of
 * attention, `maskedFill`, ReLU-like selections). The dims are collapsed as far as the four
 * operands' strides allow, then each row runs a loop compiled for the output's array type and
 * specialised to the usual strides (a scalar or broadcast operand has stride 0), so the loop
 * stays monomorphic: a loop shared by every array type and stride ran at about 2.7 ns an
 * element, this one at well under 1.
 *
 * @module
 */

import type { StridedView } from "../backend.ts";
import type { TypedArray } from "../dtype.ts";
import { broadcastStrides } from "../shape.ts";
import { dataOf, overwritten } from "./elementwise.ts";
import { collapse, forEachRow } from "./strided_rows.ts";

/** `o[oo + i] = c[co + i·sc] ? a[ao + i·sa] : b[bo + i·sb]` for i < n. */
type WhereRow = (
  c: TypedArray,
  co: number,
  sc: number,
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

const SOURCE = `return function whereRow(c, co, sc, a, ao, sa, b, bo, sb, o, oo, n) {
  if (sc === 1 && sa === 0 && sb === 1) {
    const v = a[ao];
    for (let i = 0; i < n; i++) o[oo + i] = c[co + i] !== 0 ? v : b[bo + i];
  } else if (sc === 1 && sa === 1 && sb === 0) {
    const v = b[bo];
    for (let i = 0; i < n; i++) o[oo + i] = c[co + i] !== 0 ? a[ao + i] : v;
  } else if (sc === 1 && sa === 1 && sb === 1) {
    for (let i = 0; i < n; i++) o[oo + i] = c[co + i] !== 0 ? a[ao + i] : b[bo + i];
  } else {
    for (let i = 0; i < n; i++) o[oo + i] = c[co + i * sc] !== 0 ? a[ao + i * sa] : b[bo + i * sb];
  }
};`;

const compile = () => new Function(SOURCE)() as WhereRow;

/** One loop per output array type. */
const LOOPS = new Map<unknown, WhereRow>([
  [Float32Array, compile()],
  [Int32Array, compile()],
  [Uint8Array, compile()],
]);

/**
 * `out = cond ? a : b` with cond, a and b broadcast to out's shape; out is contiguous.
 *
 * @param c the condition's view (any dtype: nonzero is true)
 * @param a the values where the condition holds
 * @param b the values elsewhere
 * @param out the output view
 */
export function runWhere(c: StridedView, a: StridedView, b: StridedView, out: StridedView): void {
  const cd = dataOf(c), ad = dataOf(a), bd = dataOf(b), od = overwritten(out);
  const shape0 = out.shape;
  const bstr = (v: StridedView) => broadcastStrides(v.shape, v.strides, shape0);
  const { shape, strides } = collapse(shape0, [bstr(c), bstr(a), bstr(b), out.strides]);
  const last = shape.length - 1;
  const sc = strides[0][last], sa = strides[1][last], sb = strides[2][last];
  const row = LOOPS.get(od.constructor) ?? compile();
  forEachRow(shape, strides, [c.offset, a.offset, b.offset, out.offset], (o, n) => {
    row(cd, o[0], sc, ad, o[1], sa, bd, o[2], sb, od, o[3], n);
  });
}
