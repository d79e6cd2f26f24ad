/**
 * `deno bench` for the memory-bound WebGPU kernels: elementwise add, softmax,
 * layernorm forward, fused cross-entropy and the fused AdamW step — each
 * against its CPU twin (the CPU backend's kernel, the baseline). GB/s printed at
 * start come from the slope between K and 2K dispatches in one submit.
 *
 * @module
 */

import { webgpuUnavailableReason } from "../core/webgpu/device.ts";
import { WebGPUExecutor } from "../core/webgpu/executor.ts";
import { adamwKernel } from "../core/cpu/adamw.ts";
import { cpuBackend, CpuStorage } from "../core/cpu/backend.ts";
import { crossEntropyKernel } from "../core/cpu/cross_entropy.ts";
import { adamwLaunch } from "../kernels/adamw.ts";
import { crossEntropyLaunch } from "../kernels/cross_entropy.ts";
import { stridedLaunch } from "../kernels/strided.ts";
import { type KernelLaunch, rowThreads } from "../kernels/launch.ts";
import { layerNormForwardCPU, layerNormForwardLaunch } from "../kernels/layernorm.ts";
import { softmaxCPU, softmaxLaunch } from "../kernels/softmax.ts";
import { dispatchMs } from "./webgpu_timing.ts";

const reason = await webgpuUnavailableReason();
if (reason !== null) console.log(`WebGPU kernel benches skipped: ${reason}`);
const exec = reason === null
  ? await WebGPUExecutor.create({ maxPendingDispatches: 1 << 20 })
  : null;
const fallback = exec?.ctx.info.isFallbackAdapter !== false;
const N = fallback ? 1 << 18 : 1 << 24; // elements for elementwise and AdamW
const ROWS = fallback ? 256 : 8192; // rows for the row kernels
const C = 768, V = 1024;
const threads = rowThreads(fallback);

interface Case {
  name: string;
  bytes: number; // bytes moved by one dispatch
  launch: KernelLaunch;
  sizes: number[]; // floats per buffer
  cpu: () => void;
}

const x = new Float32Array(Math.max(N, ROWS * V)).map((_, i) => Math.sin(i));
const flat = { strides: [1], offset: 0 };
const xs = new CpuStorage(x, "float32"), sum = new CpuStorage(new Float32Array(N), "float32");
const xView = { storage: xs, shape: [N], ...flat }, sumView = { storage: sum, shape: [N], ...flat };
const targets = new Int32Array(ROWS).map((_, i) => i % V);
const ceOpts = { reduction: "none", ignoreIndex: -100, labelSmoothing: 0 } as const;
const hp = { step: 1, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };
const cases: Case[] = [
  {
    name: `add ${N} floats`,
    bytes: 12 * N,
    launch: stridedLaunch("add", [N], [flat, flat], flat),
    sizes: [N, N, N],
    cpu: () => cpuBackend.binary("add", xView, xView, sumView),
  },
  {
    name: `softmax ${ROWS}x${V}`,
    bytes: 8 * ROWS * V,
    launch: softmaxLaunch("softmax", { rows: ROWS, cols: V, threads }),
    sizes: [ROWS * V, ROWS * V],
    cpu: () => softmaxCPU("softmax", x, { rows: ROWS, cols: V }),
  },
  {
    name: `layernorm forward ${ROWS}x${C}`,
    bytes: 8 * ROWS * C,
    launch: layerNormForwardLaunch({ rows: ROWS, cols: C, threads }),
    sizes: [ROWS * C, C, C, ROWS * C, ROWS, ROWS],
    cpu: () => layerNormForwardCPU(x, x, x, { rows: ROWS, cols: C }),
  },
  {
    name: `cross-entropy fwd+grad ${ROWS}x${V}`,
    bytes: 8 * ROWS * V,
    launch: crossEntropyLaunch({
      rows: ROWS,
      cols: V,
      ignoreIndex: -100,
      labelSmoothing: 0,
      mean: false,
      code: 1,
      threads,
    }),
    sizes: [ROWS * V, ROWS, ROWS, ROWS, ROWS * V, 4],
    cpu: () =>
      crossEntropyKernel(x, ROWS, V, targets, ceOpts, new Float32Array(ROWS), x.slice(0, ROWS * V)),
  },
  {
    name: `adamw step ${N} params`,
    bytes: 28 * N,
    launch: adamwLaunch({ n: N, ...hp, decoupled: true }),
    sizes: [N, N, N, N],
    cpu: () => {
      const p = x.slice(0, N);
      const [m, v] = [new Float32Array(N), new Float32Array(N)];
      adamwKernel(p, 0, p, 0, m, 0, v, 0, N, { ...hp, decoupled: true });
    },
  },
];

for (const c of cases) {
  const group = c.name;
  const bufs = exec ? c.sizes.map((n) => exec.alloc(n * 4)) : [];
  if (c.name.startsWith("cross") && exec) exec.write(bufs[1], targets);
  const reps = Math.max(2, Math.round((fallback ? 2e7 : 2e9) / c.bytes));
  if (exec !== null) {
    const ms = await dispatchMs(exec, c.launch, bufs, reps);
    console.log(`${group}: webgpu ${(c.bytes / ms / 1e6).toFixed(2)} GB/s (slope)`);
  }
  Deno.bench({ name: "CPU twin (plain TS)", group, baseline: true, n: 3, warmup: 1, fn: c.cpu });
  Deno.bench({
    name: `webgpu (${reps} dispatches per iteration)`,
    group,
    ignore: exec === null,
    n: 5,
    warmup: 1,
    fn: async () => {
      for (let i = 0; i < reps; i++) exec!.dispatch(c.launch, bufs);
      await exec!.read(bufs[bufs.length - 1], 4);
    },
  });
}
