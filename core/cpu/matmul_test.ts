import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { matmulF32, type MatmulOptions, matmulScalarF32 } from "./matmul.ts";
import { matmulNaiveF32 } from "./matmul_naive.ts";
import { simdModuleBytes, simdSupported } from "./matmul_simd.ts";
import { openBlas } from "./blas.ts";
import { matmulBlasF32 } from "./matmul_dispatch.ts";

type Kernel = typeof matmulF32;
const kernels: [string, Kernel][] = [
  ["matmulF32", matmulF32],
  ["matmulScalarF32", matmulScalarF32],
  ["matmulNaiveF32", matmulNaiveF32],
  // OpenBLAS's cblas_sgemm where FFI is allowed and the library is installed (CI installs it)
  ...(openBlas() ? [["matmulBlasF32", matmulBlasF32] as [string, Kernel]] : []),
];

/** mulberry32: a small seeded generator so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomArray(len: number, rand: () => number): Float32Array {
  const x = new Float32Array(len);
  for (let i = 0; i < len; i++) x[i] = rand() * 2 - 1;
  return x;
}

interface Case {
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  aOffset: number;
  bOffset: number;
  outOffset: number;
  accumulate: boolean;
}

/**
 * Runs one product with A, B and out placed at offsets inside larger arrays
 * whose other elements are NaN (a, b) or a sentinel (out), then compares each
 * output to a float64 reference within the float32 error bound of a k-term
 * sum, and checks that nothing outside the output was written.
 */
function check(kernel: Kernel, c: Case, seed: number): void {
  const { m, k, n, aOffset, bOffset, outOffset } = c;
  const rand = rng(seed);
  const a = new Float32Array(aOffset + m * k + 3).fill(NaN);
  const b = new Float32Array(bOffset + k * n + 3).fill(NaN);
  const out = new Float32Array(outOffset + m * n + 3).fill(777);
  a.set(randomArray(m * k, rand), aOffset);
  b.set(randomArray(k * n, rand), bOffset);
  // out starts as NaN without accumulate: every element must be overwritten.
  const start = c.accumulate ? randomArray(m * n, rand) : new Float32Array(m * n).fill(NaN);
  out.set(start, outOffset);
  const opts: MatmulOptions = {
    aOffset,
    bOffset,
    outOffset,
    transA: c.transA,
    transB: c.transB,
    accumulate: c.accumulate,
  };
  kernel(a, b, out, m, k, n, opts);
  const at = (i: number, p: number) => a[aOffset + (c.transA ? p * m + i : i * k + p)];
  const bt = (p: number, j: number) => b[bOffset + (c.transB ? j * k + p : p * n + j)];
  const label = `${m}x${k}x${n} ${JSON.stringify(opts)}`;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = c.accumulate ? start[i * n + j] : 0;
      let mag = Math.abs(sum);
      for (let p = 0; p < k; p++) {
        sum += at(i, p) * bt(p, j);
        mag += Math.abs(at(i, p) * bt(p, j));
      }
      // |error| <= (k + 1) * u * sum |terms| with u = 2^-24 (unit roundoff of float32)
      const tol = 1.01 * (k + 1) * 2 ** -24 * mag + 1e-30;
      const got = out[outOffset + i * n + j];
      ok(Math.abs(got - sum) <= tol, `${label}: out[${i}, ${j}] = ${got}, expected ${sum}`);
    }
  }
  for (let i = 0; i < outOffset; i++) equal(out[i], 777, `${label}: wrote before outOffset`);
  for (let i = outOffset + m * n; i < out.length; i++) {
    equal(out[i], 777, `${label}: wrote past out`);
  }
}

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 1],
  [5, 1, 9], // k = 1
  [9, 1, 20],
  [0, 3, 4],
  [3, 0, 4], // k = 0: out = 0 (or unchanged with accumulate)
  [3, 4, 0],
  [2, 3, 2],
  [3, 200, 2], // thinner than a tile
  [1, 30, 200], // one row, as when sampling from the MLP
  [2, 9, 5],
  [200, 30, 1], // one column
  [4, 4, 4],
  [9, 13, 6],
  [67, 45, 131],
  [32, 30, 200],
  [32, 200, 27],
  [30, 32, 200],
  [33, 257, 19], // two K blocks, edge tiles on both sides
  [70, 300, 521], // several M, N and K blocks
  [40, 4000, 19], // SIMD: B packed in panels, two blocks of rows
];

for (const [name, kernel] of kernels) {
  Deno.test(`${name}() matches a float64 reference for every shape and transposition`, () => {
    let seed = 1;
    for (const [m, k, n] of shapes) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const c = { m, k, n, transA, transB, aOffset: 0, bOffset: 0, outOffset: 0 };
          check(kernel, { ...c, accumulate: false }, seed++);
        }
      }
    }
  });

  Deno.test(`${name}() honours offsets and accumulate with every transposition`, () => {
    let seed = 100;
    for (const [m, k, n] of [[1, 1, 1], [3, 0, 4], [7, 5, 3], [67, 45, 131], [33, 257, 19]]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const accumulate of [false, true]) {
            const offsets = { aOffset: 5, bOffset: 11, outOffset: 3 };
            check(kernel, { m, k, n, transA, transB, accumulate, ...offsets }, seed++);
          }
        }
      }
    }
  });

  Deno.test(`${name}() gives exact small integer products`, () => {
    // (2x3)·(3x4) with integers: exact in float32, so compared with deepEqual
    const a = new Float32Array([1, -2, 3, 4, 5, -6]);
    const b = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, -9, 10, 11, 12]);
    const out = new Float32Array(8);
    kernel(a, b, out, 2, 3, 4);
    deepEqual(Array.from(out), [-36, 20, 22, 24, 83, -22, -19, -16]);
  });

  Deno.test(`${name}() propagates NaN and Inf like IEEE arithmetic`, () => {
    for (const [m, k, n] of [[3, 4, 5], [67, 45, 131]]) {
      for (const transA of [false, true]) {
        const a = new Float32Array(m * k).fill(1);
        const b = new Float32Array(k * n).fill(1);
        const idx = (i: number, p: number) => transA ? p * m + i : i * k + p;
        a[idx(1, 2)] = NaN; // row 1 of the output is NaN
        a[idx(2, 0)] = Infinity; // row 2 is +Inf ...
        b[0 * n + n - 1] = 0; // ... except column n-1, where Inf · 0 = NaN
        b[3 * n + n - 2] = -Infinity; // column n-2 is -Inf elsewhere
        const out = new Float32Array(m * n);
        kernel(a, b, out, m, k, n, { transA });
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let want = j === n - 1 ? k - 1 : k;
            if (j === n - 2) want = -Infinity;
            if (i === 2) want = j === n - 1 ? NaN : j === n - 2 ? NaN : Infinity;
            if (i === 1) want = NaN;
            equal(out[i * n + j], want, `${m}x${k}x${n} transA=${transA}: out[${i}, ${j}]`);
          }
        }
      }
    }
  });

  Deno.test(`${name}() throws RangeError on bad sizes and offsets`, () => {
    const a = new Float32Array(6), b = new Float32Array(6), out = new Float32Array(4);
    throws(() => kernel(a, b, out, -1, 3, 2), {
      name: "RangeError",
      message: "Cannot multiply: m, k, n must be non-negative integers, got m=-1, k=3, n=2",
    });
    throws(() => kernel(a, b, out, 2, 1.5, 2), {
      name: "RangeError",
      message: "Cannot multiply: m, k, n must be non-negative integers, got m=2, k=1.5, n=2",
    });
    throws(() => kernel(a, b, out, 2, 3, 2, { bOffset: -1 }), {
      name: "RangeError",
      message: "Cannot multiply: offsets must be non-negative integers, got aOffset=0, " +
        "bOffset=-1, outOffset=0",
    });
    throws(() => kernel(a, b, out, 2, 3, 2, { aOffset: 1 }), {
      name: "RangeError",
      message: "Cannot multiply: a has 6 elements, (2x3) from offset 1 needs 7",
    });
    throws(() => kernel(a, b, out, 2, 4, 2), {
      name: "RangeError",
      message: "Cannot multiply: a has 6 elements, (2x4) from offset 0 needs 8",
    });
    throws(() => kernel(a, b, new Float32Array(3), 2, 3, 2), {
      name: "RangeError",
      message: "Cannot multiply: out has 3 elements, (2x2) from offset 0 needs 4",
    });
  });
}

Deno.test("matmulF32() agrees with matmulNaiveF32() across calls that reuse its scratch", () => {
  const rand = rng(7);
  for (const [m, k, n] of [[70, 300, 521], [5, 6, 7], [64, 64, 64], [32, 200, 27]]) {
    const a = randomArray(m * k, rand), b = randomArray(k * n, rand);
    const fast = new Float32Array(m * n), slow = new Float32Array(m * n);
    matmulF32(a, b, fast, m, k, n, { transB: true, transA: m === 64 });
    matmulNaiveF32(a, b, slow, m, k, n, { transB: true, transA: m === 64 });
    for (let i = 0; i < m * n; i++) ok(Math.abs(fast[i] - slow[i]) <= 1e-4 * Math.sqrt(k));
  }
});

Deno.test("matmulF32() runs the WebAssembly SIMD kernel under Deno", () => {
  // Otherwise the matmulF32 tests above would only repeat matmulScalarF32's.
  ok(simdSupported);
});

Deno.test("the SIMD gemm kernel, fused and unfused, computes padded tiles", () => {
  // (8x5)·(5x16): A given row-major and as Aᵀ (byte strides sai, sap), B row-major or packed
  const m = 8, k = 5, n = 16, rand = rng(11);
  const a = randomArray(m * k, rand), b = randomArray(k * n, rand);
  for (const fused of [false, true]) {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(simdModuleBytes(fused)));
    const heap = new Float32Array((exports.mem as WebAssembly.Memory).buffer);
    const gemm = exports.gemm as (...args: number[]) => void;
    const pack = exports.pack as (...args: number[]) => void;
    heap.set(b, 100);
    pack(400, 4 * n, 2000, k, n); // two panels of (5 x 8) from float 500 on
    for (let p = 0; p < k; p++) {
      for (let j = 0; j < n; j++) {
        equal(heap[500 + (j >> 3) * 8 * k + p * 8 + (j & 7)], b[p * n + j]);
      }
    }
    for (const [transA, packed] of [[false, false], [true, false], [false, true], [true, true]]) {
      const at = new Float32Array(m * k);
      for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) at[p * m + i] = a[i * k + p];
      heap.set(transA ? at : a, 0);
      const [sai, sap] = transA ? [4, 4 * m] : [4 * k, 4];
      const [bAt, ldb, bps] = packed ? [2000, 32, k] : [400, 4 * n, 1];
      gemm(0, sai, sap, bAt, ldb, bps, 4000, 4 * n, m, n, k);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let want = 0;
          for (let p = 0; p < k; p++) want += a[i * k + p] * b[p * n + j];
          const got = heap[1000 + i * n + j];
          const label = `fused=${fused} transA=${transA} packed=${packed} C[${i}, ${j}]`;
          ok(Math.abs(got - want) < 1e-6, label);
        }
      }
    }
  }
});

Deno.test("the SIMD module's transpose turns (37x21) into (21x37), writing only its slack past it", () => {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(simdModuleBytes(false)));
  const heap = new Float32Array((exports.mem as WebAssembly.Memory).buffer);
  const transpose = exports.transpose as (...args: number[]) => void;
  for (const [rows, cols] of [[37, 21], [4, 8], [3, 2], [1, 1], [6, 5]]) {
    const src = randomArray(rows * cols, rng(rows + cols));
    heap.fill(-1, 0, 1000);
    heap.set(src, 0);
    // the block, then slack: 3 more rows and 3 floats
    const end = 1000 + (cols + 3) * rows + 3;
    heap.fill(NaN, 1000, end + 8);
    transpose(0, 4000, rows, cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) equal(heap[1000 + c * rows + r], src[r * cols + c]);
    }
    for (let i = end; i < end + 8; i++) ok(Number.isNaN(heap[i]), `wrote past the slack: ${i}`);
    deepEqual(Array.from(heap.subarray(0, rows * cols)), Array.from(src), "src unchanged");
  }
});

Deno.test("a tall product (past 16 MiB of operands) runs in blocks of rows with the same result", () => {
  const m = 70_001, k = 30, n = 40; // 4.9M floats: over the block limit
  const a = new Float32Array(m * k).map((_, i) => ((i * 7919) % 113) / 113 - 0.5);
  const b = new Float32Array(k * n).map((_, i) => ((i * 104729) % 97) / 97 - 0.5);
  const out = new Float32Array(m * n + 3).fill(9);
  matmulF32(a, b, out, m, k, n, { outOffset: 3 });
  equal(out[0] + out[1] + out[2], 27); // before the offset: untouched
  for (const i of [0, 1, 4095, 50_000, 59_883, 59_884, m - 1]) {
    for (const j of [0, 17, n - 1]) {
      let want = 0;
      for (let p = 0; p < k; p++) want += a[i * k + p] * b[p * n + j];
      ok(
        Math.abs(out[3 + i * n + j] - want) < 1e-5,
        `(${i}, ${j}): ${out[3 + i * n + j]} vs ${want}`,
      );
    }
  }
});
