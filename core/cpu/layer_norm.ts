/**
 * The CPU LayerNorm kernels: the forward over the last dim of a `(rows, cols)` block, saving
 * each row's mean and 1/std, and the backward from those. Statistics are accumulated in float64.
 *
 * @module
 */

/**
 * `y = (x − mean)·rstd·w + b` per row, with the biased variance; writes the row means and
 * `rstd = 1/√(var + eps)`.
 *
 * @param x the input, `rows·cols` elements from `xo`
 * @param xo x's offset
 * @param rows the number of rows
 * @param cols the normalised length
 * @param w the weight (`cols` from `wo`)
 * @param wo w's offset
 * @param b the bias (`cols` from `bo`)
 * @param bo b's offset
 * @param eps added to the variance
 * @param y the output (`rows·cols`, from 0)
 * @param mean the row means (`rows`, from 0)
 * @param rstd the row reciprocal standard deviations (`rows`, from 0)
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { layerNormKernel } from "./layer_norm.ts";
 * const y = new Float32Array(2), m = new Float32Array(1), r = new Float32Array(1);
 * const one = new Float32Array([1, 1]), zero = new Float32Array(2);
 * layerNormKernel(new Float32Array([1, 3]), 0, 1, 2, one, 0, zero, 0, 0, y, m, r);
 * ok(m[0] === 2 && Math.abs(y[0] + 1) < 1e-6 && Math.abs(y[1] - 1) < 1e-6);
 * ```
 */
export function layerNormKernel(
  x: Float32Array,
  xo: number,
  rows: number,
  cols: number,
  w: Float32Array,
  wo: number,
  b: Float32Array,
  bo: number,
  eps: number,
  y: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const base = xo + r * cols, out = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += x[base + j];
    const mu = s / cols;
    let ss = 0;
    for (let j = 0; j < cols; j++) {
      const d = x[base + j] - mu;
      ss += d * d;
    }
    const inv = 1 / Math.sqrt(ss / cols + eps);
    for (let j = 0; j < cols; j++) y[out + j] = (x[base + j] - mu) * inv * w[wo + j] + b[bo + j];
    mean[r] = mu;
    rstd[r] = inv;
  }
}

/**
 * The LayerNorm backward with `xhat = (x − mean)·rstd` and `gw = dy·w`:
 * `dx = rstd·(gw − mean(gw) − xhat·mean(gw·xhat))`, `dw = Σ_rows dy·xhat`, `db = Σ_rows dy`.
 *
 * @param dy the output gradient (`rows·cols` from `dyo`)
 * @param dyo dy's offset
 * @param x the forward input (`rows·cols` from `xo`)
 * @param xo x's offset
 * @param w the weight (`cols` from `wo`)
 * @param wo w's offset
 * @param mean the saved row means
 * @param rstd the saved row reciprocal standard deviations
 * @param rows the number of rows
 * @param cols the normalised length
 * @param dx the input gradient (destination, from 0)
 * @param dw the weight gradient (destination, from 0)
 * @param db the bias gradient (destination, from 0)
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { layerNormBackwardKernel } from "./layer_norm.ts";
 * const dx = new Float32Array(2), dw = new Float32Array(2), db = new Float32Array(2);
 * const one = new Float32Array([1, 1]);
 * layerNormBackwardKernel(one, 0, new Float32Array([1, 3]), 0, one, 0, new Float32Array([2]),
 *   new Float32Array([1]), 1, 2, dx, dw, db);
 * ok(dx[0] === 0 && dx[1] === 0 && dw[0] === -1 && db[1] === 1); // a constant dy moves nothing
 * ```
 */
export function layerNormBackwardKernel(
  dy: Float32Array,
  dyo: number,
  x: Float32Array,
  xo: number,
  w: Float32Array,
  wo: number,
  mean: Float32Array,
  rstd: Float32Array,
  rows: number,
  cols: number,
  dx: Float32Array,
  dw: Float32Array,
  db: Float32Array,
): void {
  const accW = new Float64Array(cols), accB = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const xb = xo + r * cols, gb = dyo + r * cols, out = r * cols;
    const mu = mean[r], inv = rstd[r];
    let sumG = 0, sumGX = 0;
    for (let j = 0; j < cols; j++) {
      const g = dy[gb + j], xhat = (x[xb + j] - mu) * inv, gw = g * w[wo + j];
      sumG += gw;
      sumGX += gw * xhat;
      accW[j] += g * xhat;
      accB[j] += g;
    }
    const mG = sumG / cols, mGX = sumGX / cols;
    for (let j = 0; j < cols; j++) {
      const xhat = (x[xb + j] - mu) * inv;
      dx[out + j] = inv * (dy[gb + j] * w[wo + j] - mG - xhat * mGX);
    }
  }
  for (let j = 0; j < cols; j++) {
    dw[j] = accW[j];
    db[j] = accB[j];
  }
}
