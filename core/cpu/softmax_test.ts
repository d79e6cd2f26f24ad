import { deepEqual, ok } from "node:assert/strict";
import { softmaxKernel } from "./softmax.ts";
import { SOFTMAX_CONSTANT_BYTES, SOFTMAX_CONSTANTS, softmaxModuleBytes } from "./softmax_simd.ts";

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

Deno.test("softmax rows give float64's softmax to 4 ulps (1 for log-softmax and long rows), causal masks included", () => {
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
      // short softmax rows: the float32 kernel (measured worst 3.8 ulps); else the float64 path
      const f32 = !log && size <= 1024, tol = f32 ? 2 ** -21 : 2 ** -23;
      for (let i = 0; i < got.length; i++) {
        if (!Object.is(got[i], want[i])) {
          differ++;
          ok(Math.abs(got[i] - want[i]) <= tol * Math.abs(want[i]), `${rows}x${size} at ${i}`);
        }
      }
      if (!f32) ok(differ <= got.length * 1e-5, `${rows}x${size} log=${log}: ${differ} differ`);
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

Deno.test("the float32 softmax module without fused multiply-add is as accurate", () => {
  const e = new WebAssembly.Instance(new WebAssembly.Module(softmaxModuleBytes(false))).exports;
  const h = new Float32Array((e.mem as WebAssembly.Memory).buffer);
  SOFTMAX_CONSTANTS.forEach((v, i) => h.fill(v, 4 * i, 4 * i + 4));
  const rows = 8, size = 64, at = SOFTMAX_CONSTANT_BYTES / 4, out = at + rows * size;
  const x = values(rows * size, 5);
  x[3] = x[70] = -Infinity;
  h.set(x, at);
  (e.softmax as (x: number, o: number, rows: number, stride: number) => void)(
    4 * at,
    4 * out,
    rows,
    size,
  );
  const want = reference(x, rows, size, false);
  for (let i = 0; i < rows * size; i++) {
    ok(
      Math.abs(h[out + i] - want[i]) <= 2 ** -21 * want[i],
      `at ${i}: ${h[out + i]} vs ${want[i]}`,
    );
  }
});
