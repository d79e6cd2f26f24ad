/**
 * Kata 13's steps as the harness runs them: for each, the buffers, the uniform sizes and the
 * dispatch that the kernel gets, and the CPU spec of its output (float64 sums, rounded once).
 * Random sizes come from a seeded generator and never divide the workgroup size.
 *
 * @module
 */

import type { KernelCase } from "./_harness.ts";

/** A seeded generator (mulberry32): reproducible sizes and values. */
export class Rng {
  #s: number;
  /** @param seed the seed */
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  /** @returns a float in [0, 1) */
  next(): number {
    this.#s = (this.#s + 0x6d2b79f5) >>> 0;
    let t = this.#s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** @returns an integer in [lo, hi] */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** @returns an integer in [lo, hi] that is not a multiple of `d` (for d > 1) */
  notMultiple(d: number, lo: number, hi: number): number {
    for (;;) {
      const n = this.int(lo, hi);
      if (d === 1 || n % d !== 0) return n;
    }
  }
  /** @returns `n` floats uniform in [lo, hi), rounded to float32 */
  floats(n: number, lo = -1, hi = 1): Float32Array {
    return Float32Array.from({ length: n }, () => lo + (hi - lo) * this.next());
  }
}

const rowCol = (cols: number) => (i: number) => `row ${Math.floor(i / cols)}, column ${i % cols}`;

/** 13.1 map: `n = blocks · size` values, one invocation each. */
export function mapCase(wgsl: string, size: number, blocks: number, rng: Rng): KernelCase {
  const n = size * blocks, a = rng.floats(n);
  return {
    run: {
      step: "13.1 map",
      label: `workgroup size ${size}, ${blocks} workgroups, n = ${n}`,
      wgsl,
      workgroupSize: [size],
      params: [["n", n]],
      inputs: [["a", a]],
      output: ["out", n],
      workgroups: [blocks, 1, 1],
    },
    expected: a.map((x) => x + 10),
    atol: 0,
    rtol: 0,
  };
}

/** 13.2 zip: `out = a + b`, `n = blocks · size`. */
export function zipCase(wgsl: string, size: number, blocks: number, rng: Rng): KernelCase {
  const n = size * blocks, a = rng.floats(n), b = rng.floats(n);
  return {
    run: {
      step: "13.2 zip",
      label: `workgroup size ${size}, ${blocks} workgroups, n = ${n}`,
      wgsl,
      workgroupSize: [size],
      params: [["n", n]],
      inputs: [["a", a], ["b", b]],
      output: ["out", n],
      workgroups: [blocks, 1, 1],
    },
    expected: a.map((x, i) => x + b[i]),
    atol: 0,
    rtol: 0,
  };
}

/** 13.3 guards: `out = a + 10` on `n` values, `⌈n / size⌉` workgroups. */
export function guardCase(wgsl: string, size: number, n: number, rng: Rng): KernelCase {
  const a = rng.floats(n), blocks = Math.ceil(n / size);
  return {
    run: {
      step: "13.3 guards",
      label: `workgroup size ${size}, ${blocks} workgroups = ${
        blocks * size
      } invocations, n = ${n}`,
      wgsl,
      workgroupSize: [size],
      params: [["n", n]],
      inputs: [["a", a]],
      output: ["out", n],
      workgroups: [blocks, 1, 1],
    },
    expected: a.map((x) => x + 10),
    atol: 0,
    rtol: 0,
  };
}

const grid2d = (size: readonly [number, number], cols: number, rows: number) =>
  [Math.ceil(cols / size[0]), Math.ceil(rows / size[1]), 1] as [number, number, number];

/** 13.4 2-d indexing: `out (cols, rows) = aᵀ`, `a (rows, cols)`; x runs along a's rows. */
export function transposeCase(
  wgsl: string,
  size: readonly [number, number],
  rows: number,
  cols: number,
  rng: Rng,
): KernelCase {
  const a = rng.floats(rows * cols), expected = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) expected[c * rows + r] = a[r * cols + c];
  }
  const workgroups = grid2d(size, cols, rows);
  return {
    run: {
      step: "13.4 2-d indexing",
      label: `workgroup ${size.join("×")}, grid ${workgroups[0]}×${workgroups[1]}, a is ` +
        `(${rows}, ${cols}), out is (${cols}, ${rows})`,
      wgsl,
      workgroupSize: size,
      params: [["rows", rows], ["cols", cols]],
      inputs: [["a", a]],
      output: ["out", rows * cols],
      workgroups,
    },
    expected,
    atol: 0,
    rtol: 0,
    at: (i) =>
      `out row ${Math.floor(i / rows)}, column ${i % rows} = a[${i % rows}][${
        Math.floor(i / rows)
      }]`,
  };
}

/** 13.5 broadcast: `out[r][c] = a[r] + b[c]`, `(rows, cols)`. */
export function broadcastCase(
  wgsl: string,
  size: readonly [number, number],
  rows: number,
  cols: number,
  rng: Rng,
): KernelCase {
  const a = rng.floats(rows), b = rng.floats(cols), expected = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) expected[r * cols + c] = a[r] + b[c];
  }
  const workgroups = grid2d(size, cols, rows);
  return {
    run: {
      step: "13.5 broadcast",
      label: `workgroup ${size.join("×")}, grid ${workgroups[0]}×${workgroups[1]}, ` +
        `a has ${rows} values, b ${cols}, out is (${rows}, ${cols})`,
      wgsl,
      workgroupSize: size,
      params: [["rows", rows], ["cols", cols]],
      inputs: [["a", a], ["b", b]],
      output: ["out", rows * cols],
      workgroups,
    },
    expected,
    atol: 0,
    rtol: 0,
    at: rowCol(cols),
  };
}

/** 13.6 block sum: `out[w] = Σ a[w·size .. (w+1)·size)` over the values below `n`. */
export function blockSumCase(wgsl: string, size: number, n: number, rng: Rng): KernelCase {
  const a = rng.floats(n), blocks = Math.ceil(n / size), expected = new Float32Array(blocks);
  for (let w = 0; w < blocks; w++) {
    let s = 0;
    for (let i = w * size; i < Math.min(n, (w + 1) * size); i++) s += a[i];
    expected[w] = s;
  }
  return {
    run: {
      step: "13.6 shared-memory sum",
      label: `workgroup size ${size}, n = ${n}, ${blocks} workgroups`,
      wgsl,
      workgroupSize: [size],
      params: [["n", n]],
      inputs: [["a", a]],
      output: ["out", blocks],
      workgroups: [blocks, 1, 1],
    },
    expected,
    atol: 1e-5 * size,
    rtol: 1e-5,
    at: (w) => `the sum of workgroup ${w}: a[${w * size}..${Math.min(n, (w + 1) * size) - 1}]`,
  };
}

/** 13.7 prefix sum: inclusive cumulative sums of each row of `(rows, cols)`, a workgroup a row. */
export function prefixSumCase(
  wgsl: string,
  size: number,
  rows: number,
  cols: number,
  rng: Rng,
): KernelCase {
  const a = rng.floats(rows * cols), expected = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) expected[r * cols + c] = s += a[r * cols + c];
  }
  return {
    run: {
      step: "13.7 prefix sum",
      label: `workgroup size ${size}, (${rows}, ${cols}), one workgroup per row`,
      wgsl,
      workgroupSize: [size],
      params: [["rows", rows], ["cols", cols]],
      inputs: [["a", a]],
      output: ["out", rows * cols],
      workgroups: [rows, 1, 1],
    },
    expected,
    atol: 1e-5 * Math.sqrt(cols) * 4,
    rtol: 1e-5,
    at: rowCol(cols),
  };
}

/** 13.8 softmax of each row of `(rows, cols)`; odd rows are shifted by +100 (exp overflows). */
export function softmaxCase(
  wgsl: string,
  size: number,
  rows: number,
  cols: number,
  rng: Rng,
): KernelCase {
  const a = rng.floats(rows * cols, -4, 4), expected = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = a.subarray(r * cols, (r + 1) * cols);
    if (r % 2 === 1) row.forEach((x, c) => row[c] = x + 100);
    const max = Math.max(...row);
    let s = 0;
    for (const x of row) s += Math.exp(x - max);
    row.forEach((x, c) => expected[r * cols + c] = Math.exp(x - max) / s);
  }
  return {
    run: {
      step: "13.8 softmax",
      label: `workgroup size ${size}, (${rows}, ${cols}), one workgroup per row, odd rows + 100`,
      wgsl,
      workgroupSize: [size],
      params: [["rows", rows], ["cols", cols]],
      inputs: [["a", a]],
      output: ["out", rows * cols],
      workgroups: [rows, 1, 1],
    },
    expected,
    atol: 1e-6,
    rtol: 1e-4,
    at: rowCol(cols),
  };
}

/** How a matmul step launches: its workgroup and how many outputs one invocation computes. */
export interface MatmulLaunch {
  step: string;
  workgroupSize: readonly [number, number];
  /** Outputs per invocation along each side (1, or 4 for the register-blocked kernel). */
  perInvocation: number;
}

/** 13.9–13.11: `out (m, n) = a (m, k) · b (k, n)`. */
export function matmulCase(
  wgsl: string,
  launch: MatmulLaunch,
  m: number,
  n: number,
  k: number,
  rng: Rng,
): KernelCase {
  const a = rng.floats(m * k), b = rng.floats(k * n), expected = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      expected[i * n + j] = s;
    }
  }
  const [wx, wy] = launch.workgroupSize, per = launch.perInvocation;
  const workgroups: [number, number, number] = [
    Math.ceil(n / (wx * per)),
    Math.ceil(m / (wy * per)),
    1,
  ];
  return {
    run: {
      step: launch.step,
      label: `workgroup ${wx}×${wy}, grid ${workgroups[0]}×${workgroups[1]}, m = ${m}, n = ${n}, ` +
        `k = ${k}`,
      wgsl,
      workgroupSize: launch.workgroupSize,
      params: [["m", m], ["n", n], ["k", k]],
      inputs: [["a", a], ["b", b]],
      output: ["out", m * n],
      workgroups,
    },
    expected,
    atol: 1e-5 * k,
    rtol: 1e-5,
    at: rowCol(n),
  };
}
