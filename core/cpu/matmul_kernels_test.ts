/**
 * The two CPU matmul kernels agree: OpenBLAS (`cblas_sgemm` through FFI) and the WebAssembly
 * kernel give the same products and gradients up to float32 summation order, on odd shapes,
 * transposed views, batches and broadcast batches. And `setCpuOptions` / `cpuInfo` choose and
 * report the kernel. The agreement tests are ignored where OpenBLAS cannot load.
 */

import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { Generator } from "../random/generator.ts";
import { randn } from "../ops/random_tensors.ts";
import type { Tensor } from "../tensor.ts";
import { openBlas } from "./blas.ts";
import { cpuInfo, type CpuMatmulKernel, setCpuOptions } from "./cpu_options.ts";

const hasBlas = openBlas() !== null;

/** Runs `f` with the CPU matmul pinned to `kernel`, then restores the earlier choice. */
function withKernel<T>(kernel: CpuMatmulKernel, f: () => T): T {
  const before = cpuInfo().requested;
  setCpuOptions({ matmul: kernel });
  try {
    return f();
  } finally {
    setCpuOptions({ matmul: before });
  }
}

/** Output and input gradients of `f` on fresh leaves drawn from `seed`, on one kernel. */
function run(
  kernel: CpuMatmulKernel,
  shapes: number[][],
  seed: number,
  f: (xs: Tensor[]) => Tensor,
): Float32Array[] {
  return withKernel(kernel, () => {
    const g = new Generator(seed);
    const xs = shapes.map((s) => randn(s, { generator: g, requiresGrad: true }));
    const y = f(xs);
    const w = randn(y.shape, { generator: g });
    y.mul(w).sum().backward();
    return [y, ...xs.map((x) => x.grad!)].map((t) => t.dataSync() as Float32Array);
  });
}

/** float32 agreement: |a - b| <= 1e-5 · (1 + |b|) · sqrt(k)-ish slack for sums of k terms. */
function agree(label: string, ours: Float32Array[], ref: Float32Array[], k: number): void {
  equal(ours.length, ref.length);
  const tol = 4e-6 * Math.max(1, Math.sqrt(k)) * 4;
  ours.forEach((a, t) => {
    equal(a.length, ref[t].length, `${label}: output ${t} length`);
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(a[i] - ref[t][i]);
      ok(
        d <= tol * (1 + Math.abs(ref[t][i])),
        `${label}: output ${t}[${i}] ${a[i]} vs ${ref[t][i]}`,
      );
    }
  });
}

const dim = fc.integer({ min: 1, max: 45 });

Deno.test({
  name: "property (blas ≡ wasm): plain and transposed views, batched and broadcast, with grads",
  ignore: !hasBlas,
  fn: () => {
    fc.assert(
      fc.property(
        dim,
        dim,
        dim,
        fc.constantFrom([], [3], [2, 1], [1, 3]),
        fc.constantFrom([], [3], [2, 3], [1]),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        (m, k, n, leadA, leadB, transA, transB, seed) => {
          const aShape = transA ? [...leadA, k, m] : [...leadA, m, k];
          const bShape = transB ? [...leadB, n, k] : [...leadB, k, n];
          const f = ([a, b]: Tensor[]) => (transA ? a.mT : a).matmul(transB ? b.mT : b);
          const label = `A ${aShape}${transA ? "ᵀ" : ""} · B ${bShape}${transB ? "ᵀ" : ""}`;
          agree(
            label,
            run("blas", [aShape, bShape], seed, f),
            run("wasm", [aShape, bShape], seed, f),
            k,
          );
        },
      ),
      { numRuns: 60, seed: 13 },
    );
  },
});

Deno.test({
  name: "blas ≡ wasm on the GPT's products: head-split attention and a tied head",
  ignore: !hasBlas,
  fn: () => {
    // q·kᵀ and att·v on (B, nh, T, hs) views of a (B, T, C) projection, and x·Wᵀ
    const attn = ([x, w]: Tensor[]) => {
      const qkv = x.matmul(w.mT).view(2, 17, 3, 4, 8); // (B, T, 3, nh, hs)
      const [q, kk, v] = [0, 1, 2].map((i) => qkv.select(2, i).transpose(1, 2)); // (B, nh, T, hs)
      const att = q.matmul(kk.transpose(-2, -1)).mul(0.25).softmax(-1); // (B, nh, T, T)
      return att.matmul(v); // (B, nh, T, hs)
    };
    const shapes = [[2, 17, 32], [96, 32]];
    agree("attention", run("blas", shapes, 7, attn), run("wasm", shapes, 7, attn), 32);
  },
});

Deno.test("blocks cut from wider matrices (row stride above the columns) multiply as their copies", () => {
  fc.assert(
    fc.property(
      dim,
      dim,
      dim,
      fc.constantFrom([], [3], [2, 1]),
      fc.boolean(),
      fc.boolean(),
      fc.integer({ min: 0, max: 1000 }),
      (m, k, n, lead, transA, transB, seed) => {
        // A's stored block is (m x k) or (k x m), a column slice of a matrix 3 columns wider
        const [ar, ac] = transA ? [k, m] : [m, k], [br, bc] = transB ? [n, k] : [k, n];
        const cut = (t: Tensor, cols: number, trans: boolean, copy: boolean) => {
          const block = t.slice(-1, 1, 1 + cols);
          const v = copy ? block.contiguous() : block;
          return trans ? v.mT : v;
        };
        const f = (copy: boolean) => ([a, b]: Tensor[]) =>
          cut(a, ac, transA, copy).matmul(cut(b, bc, transB, copy));
        const shapes = [[...lead, ar, ac + 3], [br, bc + 3]];
        for (const kernel of hasBlas ? ["blas", "wasm"] as const : ["wasm"] as const) {
          const label = `${kernel}: A ${ar}x${ac}${transA ? "ᵀ" : ""} · B ${br}x${bc}${
            transB ? "ᵀ" : ""
          }`;
          agree(label, run(kernel, shapes, seed, f(false)), run(kernel, shapes, seed, f(true)), k);
        }
      },
    ),
    { numRuns: 40, seed: 21 },
  );
});

Deno.test("setCpuOptions picks the WebAssembly kernel and cpuInfo reports it", () => {
  withKernel("wasm", () => {
    const info = cpuInfo();
    equal(info.matmul, "wasm");
    equal(info.requested, "wasm");
    equal(info.threads, 1);
    equal(info.blas, null);
  });
});

Deno.test({
  name: "setCpuOptions picks OpenBLAS and sets its threads",
  ignore: !hasBlas,
  fn: () => {
    withKernel("blas", () => {
      const info = cpuInfo();
      equal(info.matmul, "blas");
      match(info.blas!.config, /OpenBLAS/);
      const threads = info.threads;
      setCpuOptions({ threads: 1 });
      equal(cpuInfo().threads, 1);
      setCpuOptions({ threads });
      equal(cpuInfo().threads, threads);
    });
  },
});

Deno.test("setCpuOptions rejects unknown kernels and bad thread counts", () => {
  throws(() => setCpuOptions({ matmul: "mkl" as "blas" }), {
    name: "TypeError",
    message: 'setCpuOptions: matmul must be "wasm", "blas" or "auto", got "mkl"',
  });
  throws(() => setCpuOptions({ threads: 0 }), {
    name: "RangeError",
    message: "setCpuOptions: threads must be a positive integer, got 0",
  });
  throws(() => setCpuOptions({ threads: 1.5 }), RangeError);
});

/** `cpuInfo()`'s kernel and reason in a fresh `deno run` with `flags` and `env`. */
async function infoIn(flags: string[], env: Record<string, string> = {}): Promise<unknown> {
  const url = new URL("./cpu_options.ts", import.meta.url).href;
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(
      script,
      `import { cpuInfo } from "${url}"; const i = cpuInfo(); ` +
        `console.log(JSON.stringify({ matmul: i.matmul, reason: i.blasUnavailable }));`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--no-lock", "--allow-read", ...flags, script],
      env,
    }).output();
    ok(out.success, new TextDecoder().decode(out.stderr));
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } finally {
    await Deno.remove(script);
  }
}

Deno.test("without --allow-ffi the WebAssembly kernel runs, and cpuInfo says why", async () => {
  deepEqual(await infoIn(["--allow-env"]), {
    matmul: "wasm",
    reason: "FFI is not permitted (run with --allow-ffi)",
  });
});

Deno.test("KATAGRAD_CPU_MATMUL=wasm chooses the WebAssembly kernel", async () => {
  deepEqual(await infoIn(["--allow-env", "--allow-ffi"], { KATAGRAD_CPU_MATMUL: "wasm" }), {
    matmul: "wasm",
    reason: "the WebAssembly kernel was chosen",
  });
});
