/**
 * Iterating over strided views by rows: collapsing dims that are contiguous in every operand, then
 * visiting each innermost row with every operand's offset (the elementwise, copy and where
 * kernels share them).
 *
 * @module
 */

/**
 * Collapses an iteration over `shape` with one stride list per operand:
 * drops size-1 dims and merges neighbours that are contiguous in every operand.
 * Returns the collapsed shape and strides (at least one dim).
 */
export function collapse(
  shape: readonly number[],
  strides: (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    let merge = last >= 0;
    for (let k = 0; merge && k < strides.length; k++) {
      if (outStrides[k][last] !== strides[k][d] * shape[d]) merge = false;
    }
    if (merge) {
      outShape[last] *= shape[d];
      for (let k = 0; k < strides.length; k++) outStrides[k][last] = strides[k][d];
    } else {
      outShape.push(shape[d]);
      for (let k = 0; k < strides.length; k++) outStrides[k].push(strides[k][d]);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (let k = 0; k < strides.length; k++) outStrides[k].push(1);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls `row(offsets, n, innerStrides)` once per innermost row of a collapsed
 * iteration; `offsets` holds each operand's storage offset of the row start.
 */
export function forEachRow(
  shape: readonly number[],
  strides: (readonly number[])[],
  start: readonly number[],
  row: (offsets: number[], n: number) => void,
): void {
  const d = shape.length, k = strides.length;
  const inner = shape[d - 1];
  let rows = 1;
  for (let i = 0; i < d - 1; i++) rows *= shape[i];
  const offs = start.slice();
  const idx = new Array<number>(d).fill(0);
  for (let r = 0; r < rows; r++) {
    row(offs, inner);
    for (let j = d - 2; j >= 0; j--) {
      idx[j]++;
      for (let q = 0; q < k; q++) offs[q] += strides[q][j];
      if (idx[j] < shape[j]) break;
      for (let q = 0; q < k; q++) offs[q] -= strides[q][j] * shape[j];
      idx[j] = 0;
    }
  }
}
