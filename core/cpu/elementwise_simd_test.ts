import { deepEqual, equal, ok } from "node:assert/strict";
import {
  simdAxpy,
  simdBinaryRows,
  simdBinaryScalar,
  simdColumnSum,
  simdElementwise,
  simdTanh,
} from "./elementwise_simd.ts";
import { binaryLoops } from "./elementwise.ts";
import { fastTanh } from "./math.ts";

/** Deterministic values in [-scale, scale). */
function values(n: number, seed: number, scale = 3): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

/** Distance in float32 ulps (of the expected value). */
function ulps(got: number, want: number): number {
  if (got === want) return 0;
  const ulp = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(want), 2 ** -126))) - 23);
  return Math.abs(got - want) / ulp;
}

/** The same floats (NaN payloads aside, which differ between JavaScript and the CPU's default). */
function sameFloats(got: Float32Array, want: Float32Array, what: string): void {
  deepEqual(Array.from(got), Array.from(want), what);
}

Deno.test("SIMD elementwise kernels are available in Deno", () => {
  ok(simdElementwise);
});

Deno.test("SIMD binary ops match the scalar loops bit for bit on dense and bias-row shapes", () => {
  for (const [rows, cols] of [[1, 1], [1, 7], [3, 5], [32, 27], [5, 200], [2, 1001]]) {
    const a = values(rows * cols + 3, rows * 7 + cols), b = values(rows * cols + 2, cols + 1, 1.2);
    b[2] = 0; // a division by zero (±Inf) on the way
    a[3] = NaN;
    for (const op of ["add", "sub", "mul", "div", "tanhGrad"] as const) {
      for (const bRow of [false, true]) {
        const got = new Float32Array(rows * cols + 4).fill(-7);
        simdBinaryRows(op, a, 3, cols, b, 2, bRow ? 0 : cols, got, 1, rows, cols);
        const want = new Float32Array(rows * cols + 4).fill(-7);
        for (let r = 0; r < rows; r++) {
          const bo = 2 + (bRow ? 0 : r * cols);
          binaryLoops[op](a, 3 + r * cols, 1, b, bo, 1, want, 1 + r * cols, cols);
        }
        sameFloats(got, want, `${op} ${rows}x${cols} bias row ${bRow}`);
      }
    }
  }
});

Deno.test("SIMD binary ops with a scalar operand match the scalar loops bit for bit", () => {
  const n = 1001, a = values(n + 1, 5);
  for (const op of ["add", "sub", "mul", "div", "tanhGrad"] as const) {
    for (const s of [0.1, -3, 0]) {
      const got = new Float32Array(n + 2).fill(-7), want = got.slice();
      simdBinaryScalar(op, a, 1, s, got, 1, n);
      binaryLoops[op](a, 1, 1, new Float32Array([s]), 0, 0, want, 1, n);
      sameFloats(got, want, `${op} ${s}`);
    }
  }
});

Deno.test("SIMD tanh gives fastTanh's floats (within 1 ulp of tanh), special values included", () => {
  const n = 40_001, x = new Float32Array(n + 8);
  for (let i = 0; i < n; i++) x[i] = -12 + (24 * i) / (n - 1);
  x.set([0, -0, NaN, Infinity, -Infinity, 9, -9, 1e-30], n);
  const got = new Float32Array(n + 10).fill(5);
  simdTanh(x, 0, got, 1, n + 8);
  equal(got[0], 5);
  equal(got[n + 9], 5);
  const want = new Float32Array(n + 8), f = new Float32Array(1);
  for (let i = 0; i < n + 8; i++) want[i] = fastTanh(x[i]);
  sameFloats(got.subarray(1, n + 9), want, "tanh");
  for (let i = 0; i < n; i++) {
    f[0] = Math.tanh(x[i]);
    ok(ulps(got[i + 1], f[0]) <= 1, `tanh(${x[i]}): ${got[i + 1]} vs ${f[0]}`);
  }
  deepEqual(Array.from(got.subarray(n + 1, n + 6)), [0, -0, NaN, 1, -1]);
});

Deno.test("SIMD axpy gives the scalar loop's floats and touches nothing else", () => {
  const n = 1003, x = values(n + 5, 11), o = values(n + 2, 12);
  const want = o.slice();
  for (let i = 0; i < n; i++) want[1 + i] += -0.1 * x[5 + i];
  simdAxpy(o, 1, -0.1, x, 5, n);
  sameFloats(o, want, "axpy");
});

Deno.test("SIMD column sums give the float64 row-by-row sums' floats, odd widths included", () => {
  for (const [rows, cols] of [[1, 1], [3, 5], [32, 27], [32, 200], [7, 1001]]) {
    const x = values(rows * cols + 3, rows + cols, 100);
    const got = new Float32Array(cols + 2).fill(9);
    simdColumnSum(x, 3, rows, cols, got, 1);
    const want = new Float32Array(cols + 2).fill(9);
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += x[3 + r * cols + j];
      want[1 + j] = s;
    }
    sameFloats(got, want, `${rows}x${cols}`);
  }
});

Deno.test("SIMD kernels over several chunks (more than 16,384 floats) match the scalar loops", () => {
  const n = 40_003, a = values(n, 11), b = values(n, 12, 1.2);
  // outputs are written from offset 1
  const same = (got: Float32Array, want: Float32Array, what: string) =>
    sameFloats(got.subarray(1, want.length + 1), want, what);
  for (const [rows, cols] of [[1, n], [n / 7 >> 0, 7], [3, 13_334]] as const) {
    const total = rows * cols;
    for (const bRow of [false, true]) {
      const got = new Float32Array(n + 2);
      simdBinaryRows("mul", a, 0, cols, b, 0, bRow ? 0 : cols, got, 1, rows, cols);
      const want = new Float32Array(n);
      for (let i = 0; i < total; i++) want[i] = Math.fround(a[i] * b[bRow ? i % cols : i]);
      same(got, want.subarray(0, total), `${rows}x${cols} bRow ${bRow}`);
    }
  }
  const s = new Float32Array(n + 2), t = new Float32Array(n + 2), p = new Float32Array(n + 2);
  simdBinaryScalar("sub", a, 0, 0.25, s, 1, n);
  simdTanh(a, 0, t, 1, n);
  p.set(b, 1);
  simdAxpy(p, 1, -0.5, a, 0, n);
  same(s, a.map((v) => v - 0.25), "scalar sub");
  same(t, a.map(fastTanh), "tanh");
  same(p, b.map((v, i) => v + -0.5 * a[i]), "axpy");
});
