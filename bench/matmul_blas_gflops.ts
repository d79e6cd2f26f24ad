/**
 * GFLOPS of the CPU matmul through tensors (`a.matmul(b)`, a fresh output each time, as a model
 * calls it) on 1024³ and (768x128)·(128x512): our WebAssembly kernel, our OpenBLAS path at 1 and
 * 2 threads, and PyTorch at 1 and 2 threads (bench/peers/matmul_torch.py --big), interleaved
 * round by round in one run. Needs `--allow-ffi` (or `-A`) for the OpenBLAS rows:
 *
 *   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE deno run -A bench/matmul_blas_gflops.ts [--rounds 3]
 *
 * (PyTorch runs with those two variables unset, as the README's table does; unset them for us
 * too, or OpenBLAS is held to the Haswell kernels they name.)
 *
 * @module
 */

import { parseArgs } from "node:util";
import { cpuInfo, Generator, randn, setCpuOptions, type Tensor } from "../mod.ts";

const SHAPES = [
  { name: "1024³", m: 1024, k: 1024, n: 1024 },
  { name: "(768x128)·(128x512)", m: 768, k: 128, n: 512 },
];

interface Setting {
  label: string;
  matmul: "wasm" | "blas";
  threads: number;
}

/** Best seconds per `a.matmul(b)` over one round of ~0.2 s. */
function secondsPerProduct(a: Tensor, b: Tensor, flops: number): number {
  const iters = Math.max(2, Math.round(2e8 / flops));
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) a.matmul(b).dispose();
    best = Math.min(best, (performance.now() - t0) / 1000 / iters);
  }
  return best;
}

interface TorchRows {
  torch: string;
  torch_threads: number;
  rows: Record<string, { gflops: number }>;
}

async function torch(threads: number): Promise<TorchRows> {
  const script = new URL("./peers/matmul_torch.py", import.meta.url).pathname;
  const env = { ...Deno.env.toObject() };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const args = [script, "--big", "--threads", String(threads)];
  const res = await new Deno.Command("/usr/bin/python3", { args, env, clearEnv: true }).output();
  if (!res.success) throw new Error(new TextDecoder().decode(res.stderr));
  return JSON.parse(new TextDecoder().decode(res.stdout));
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { rounds: { type: "string" } } });
  const rounds = Number(values.rounds ?? 3);
  const hasBlas = (() => {
    try {
      setCpuOptions({ matmul: "blas" });
      return true;
    } catch {
      return false;
    }
  })();
  const settings: Setting[] = [{ label: "ours wasm", matmul: "wasm", threads: 1 }];
  if (hasBlas) {
    settings.push(
      { label: "ours blas 1t", matmul: "blas", threads: 1 },
      { label: "ours blas 2t", matmul: "blas", threads: 2 },
    );
  }
  const g = new Generator(0);
  const operands = SHAPES.map((
    s,
  ) => [randn([s.m, s.k], { generator: g }), randn([s.k, s.n], { generator: g })]);
  const best = SHAPES.map(() => settings.map(() => Infinity));
  const torchBest = SHAPES.map(() => [0, 0]);
  let torchVersion = "";
  for (let r = 0; r < rounds; r++) {
    settings.forEach((st, si) => {
      setCpuOptions({
        matmul: st.matmul,
        ...(st.matmul === "blas" ? { threads: st.threads } : {}),
      });
      SHAPES.forEach((s, i) => {
        const sec = secondsPerProduct(operands[i][0], operands[i][1], 2 * s.m * s.k * s.n);
        best[i][si] = Math.min(best[i][si], sec);
      });
    });
    for (const [ti, threads] of [1, 2].entries()) {
      const t = await torch(threads);
      torchVersion = t.torch;
      SHAPES.forEach((s, i) =>
        torchBest[i][ti] = Math.max(torchBest[i][ti], t.rows[s.name].gflops)
      );
    }
  }
  const info = cpuInfo();
  console.log(
    `GFLOPS through tensors, best of ${rounds} interleaved rounds; OpenBLAS ` +
      `${info.blas?.core ?? "n/a"}, torch ${torchVersion}`,
  );
  const header = ["shape", ...settings.map((s) => s.label), "torch 1t", "torch 2t"];
  if (hasBlas) header.push("blas/torch 1t", "blas/torch 2t");
  const rows = [header];
  SHAPES.forEach((s, i) => {
    const gf = best[i].map((sec) => 2 * s.m * s.k * s.n / sec / 1e9);
    const row = [s.name, ...gf.map((x) => x.toFixed(1)), ...torchBest[i].map((x) => x.toFixed(1))];
    if (hasBlas) {
      row.push((gf[1] / torchBest[i][0]).toFixed(2), (gf[2] / torchBest[i][1]).toFixed(2));
    }
    rows.push(row);
  });
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) {
    console.log(r.map((x, c) => c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c])).join("  "));
  }
}
