/**
 * Prints a GFLOPS table for the CPU matmul kernels: for each shape of
 * `matmul_shapes.ts`, the naive i-k-j loop, the TypeScript kernel
 * (`matmulScalarF32`), `matmulF32` (WebAssembly SIMD), their ratios to the
 * naive loop, and (with `--torch`) PyTorch's figures from
 * `bench/peers/matmul_torch.py`.
 *
 * ```sh
 * deno run bench/matmul_gflops.ts            # naive vs ours
 * deno run -A bench/matmul_gflops.ts --torch # plus PyTorch, 1 thread and default
 * ```
 *
 * The kernels are timed in alternating rounds in one process and each
 * figure is the best round (other processes on a shared machine only ever
 * make a round slower), so the ratio is the trustworthy number.
 *
 * @module
 */

import { matmulF32, matmulScalarF32 } from "../core/cpu/matmul.ts";
import { matmulNaiveF32 } from "../core/cpu/matmul_naive.ts";
import { openBlas } from "../core/cpu/blas.ts";
import { matmulBlasF32 } from "../core/cpu/matmul_dispatch.ts";
import { flopsOf, type MatmulShape, matmulShapes } from "./matmul_shapes.ts";

type Kernel = typeof matmulF32;

/** Best seconds per product of each kernel over `rounds` alternating rounds. */
function bestSeconds(s: MatmulShape, kernels: Kernel[], rounds: number): number[] {
  const a = new Float32Array(s.m * s.k).map(() => Math.random() * 2 - 1);
  const b = new Float32Array(s.k * s.n).map(() => Math.random() * 2 - 1);
  const out = new Float32Array(s.m * s.n);
  const opts = { transA: s.transA, transB: s.transB };
  const iters = Math.max(1, Math.round(2e7 / flopsOf(s))); // ~5-20 ms a round
  const best = kernels.map(() => Infinity);
  for (const kernel of kernels) for (let i = 0; i < 3; i++) kernel(a, b, out, s.m, s.k, s.n, opts);
  for (let r = 0; r < rounds; r++) {
    kernels.forEach((kernel, ki) => {
      const t0 = performance.now();
      for (let i = 0; i < iters; i++) kernel(a, b, out, s.m, s.k, s.n, opts);
      best[ki] = Math.min(best[ki], (performance.now() - t0) / 1000 / iters);
    });
  }
  return best;
}

interface TorchResult {
  torch: string;
  torch_threads: number;
  openblas_threads: string;
  rows: Record<string, { gflops: number }>;
}

/** Runs bench/peers/matmul_torch.py (with `--single`: one thread for torch and OpenBLAS). */
async function torchFigures(single: boolean): Promise<TorchResult> {
  const script = new URL("./peers/matmul_torch.py", import.meta.url).pathname;
  const env = { ...Deno.env.toObject() };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const args = single ? [script, "--single"] : [script];
  const res = await new Deno.Command("/usr/bin/python3", { args, env, clearEnv: true }).output();
  if (!res.success) throw new Error(new TextDecoder().decode(res.stderr));
  return JSON.parse(new TextDecoder().decode(res.stdout));
}

if (import.meta.main) {
  const withTorch = Deno.args.includes("--torch");
  const torch = withTorch ? [await torchFigures(true), await torchFigures(false)] : [];
  const header = ["shape", "flop", "naive GF/s", "TS GF/s", "TS/naive", "SIMD GF/s", "SIMD/naive"];
  header.push("SIMD µs");
  const blas = openBlas() !== null;
  if (blas) header.push("BLAS GF/s", "BLAS µs");
  if (withTorch) header.push("torch 1 thread GF/s", "torch default GF/s");
  const rows = [header];
  for (const s of matmulShapes) {
    const kernels = [matmulNaiveF32, matmulScalarF32, matmulF32, ...(blas ? [matmulBlasF32] : [])];
    const [naive, ts, simd, viaBlas] = bestSeconds(s, kernels, 15);
    const gf = (sec: number) => (flopsOf(s) / sec / 1e9).toFixed(2);
    const row = [s.name, String(flopsOf(s)), gf(naive), gf(ts), (naive / ts).toFixed(2)];
    row.push(gf(simd), (naive / simd).toFixed(2), (simd * 1e6).toFixed(1));
    if (blas) row.push(gf(viaBlas), (viaBlas * 1e6).toFixed(1));
    for (const t of torch) row.push(t.rows[s.name].gflops.toFixed(1));
    rows.push(row);
  }
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) {
    console.log(r.map((x, c) => c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c])).join("  "));
  }
  if (withTorch) {
    const [one, all] = torch;
    console.log(
      `torch ${one.torch}: 1 thread = set_num_threads(1) + OPENBLAS_NUM_THREADS=1; default = ` +
        `${all.torch_threads} torch thread(s), OpenBLAS threads ${all.openblas_threads}`,
    );
  }
  console.log("GF/s = 1e9 flop per second; best of 15 rounds");
}
