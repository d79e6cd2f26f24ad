// deno bench -A bench/matmul_cpu_bench.ts
// One group per shape: the naive i-k-j loop (baseline) against the TypeScript
// kernel (matmulScalarF32) and matmulF32 (WebAssembly SIMD). The
// flop count is in each name, so GFLOPS = flops / (time per iteration in ns).
import { matmulF32, matmulScalarF32 } from "../core/cpu/matmul.ts";
import { matmulNaiveF32 } from "../core/cpu/matmul_naive.ts";
import { flopsOf, matmulShapes } from "./matmul_shapes.ts";

function randomArray(len: number): Float32Array {
  const x = new Float32Array(len);
  for (let i = 0; i < len; i++) x[i] = Math.random() * 2 - 1;
  return x;
}

for (const s of matmulShapes) {
  const a = randomArray(s.m * s.k), b = randomArray(s.k * s.n);
  const out = new Float32Array(s.m * s.n);
  const opts = { transA: s.transA, transB: s.transB };
  const group = `${s.name} (${flopsOf(s)} flop)`;
  Deno.bench(`naive ${s.name}`, { group, baseline: true }, () => {
    matmulNaiveF32(a, b, out, s.m, s.k, s.n, opts);
  });
  Deno.bench(`matmulScalarF32 ${s.name}`, { group }, () => {
    matmulScalarF32(a, b, out, s.m, s.k, s.n, opts);
  });
  Deno.bench(`matmulF32 ${s.name}`, { group }, () => {
    matmulF32(a, b, out, s.m, s.k, s.n, opts);
  });
}
