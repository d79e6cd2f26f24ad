import { deepEqual, ok } from "node:assert/strict";
import { softmaxKernel } from "./softmax.ts";

/** The kernel's math with `Math.exp`, row by row (the reference the SIMD rows must give). */
function reference(x: Float32Array, rows: number, size: number, log: boolean): Float32Array {
  const out = new Float32Array(rows * size);
  for (let r = 0; r < rows; r++) {
    const row = Array.from(x.subarray(r * size, (r + 1) * size));
    const max = row.some((v) => v !== v) ? NaN : Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
    row.forEach((v, k) => {
      out[r * size + k] = log ? v - max - Math.log(sum) : Math.exp(v - max) / sum;
    });
  }
  return out;
}

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return (s / 2 ** 32 - 0.5) * 20;
  });
}

Deno.test("softmax rows through the SIMD exp give Math.exp's floats, causal masks included", () => {
  for (const [rows, size] of [[1, 1], [3, 5], [768, 64], [40, 1000], [3, 20000]]) {
    const x = values(rows * size, rows + size);
    for (let r = 0; r < rows; r++) {
      for (let k = r % size + 1; k < size; k++) if (k % 3 === 0) x[r * size + k] = -Infinity;
    }
    for (const log of [false, true]) {
      const got = new Float32Array(rows * size);
      softmaxKernel(x, rows, size, 1, log, got);
      const want = reference(x, rows, size, log);
      let differ = 0;
      for (let i = 0; i < got.length; i++) {
        if (!Object.is(got[i], want[i])) {
          differ++;
          ok(Math.abs(got[i] - want[i]) <= 2 ** -23 * Math.abs(want[i]), `at ${i}`);
        }
      }
      ok(differ <= got.length * 1e-5, `${rows}x${size} log=${log}: ${differ} differ`);
    }
  }
});

Deno.test("softmax rows: NaN, +Inf and all -Inf rows give NaN; a one-hot row stays one-hot", () => {
  const x = new Float32Array([
    ...[1, NaN, 2, 3],
    ...[1, Infinity, 2, 3],
    ...[-Infinity, -Infinity, -Infinity, -Infinity],
    ...[0, -Infinity, -Infinity, -Infinity],
  ]);
  const out = new Float32Array(16), lout = new Float32Array(16);
  softmaxKernel(x, 4, 4, 1, false, out);
  softmaxKernel(x, 4, 4, 1, true, lout);
  ok(out.subarray(0, 12).every(Number.isNaN) && lout.subarray(0, 12).every(Number.isNaN));
  deepEqual(Array.from(out.subarray(12)), [1, 0, 0, 0]);
  deepEqual(Array.from(lout.subarray(12)), [0, -Infinity, -Infinity, -Infinity]);
});
