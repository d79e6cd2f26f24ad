/**
 * `deno bench` for the memory-bound WebGPU kernels: elementwise add, softmax,
 * layernorm forward, fused cross-entropy and the fused AdamW step — each
 * against its CPU twin (plain TypeScript, the baseline). GB/s printed at start
 * come from the slope between K and 2K dispatches in one submit.
 *
 * @module
 */

import { webgpuUnavailableReason } from "../core/webgpu/device.ts";
import { WebGPUExecutor } from "../core/webgpu/executor.ts";
import { adamwCPU, adamwLaunch } from "../kernels/adamw.ts";
import { crossEntropyCPU, crossEntropyLaunch } from "../kernels/cross_entropy.ts";
import { binaryCPU, binaryLaunch } from "../kernels/elementwise.ts";
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
const view = { shape: [N], strides: [1], offset: 0 };
const targets = new Int32Array(ROWS).map((_, i) => i % V);
const cases: Case[] = [
  {
    name: `add ${N} floats`,
    bytes: 12 * N,
    launch: binaryLaunch("add", view, view, [N]),
    sizes: [N, N, N],
    cpu: () => binaryCPU("add", x, view, x, view, [N]),
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
    launch: crossEntropyLaunch({ rows: ROWS, cols: V, threads }),
    sizes: [ROWS * V, ROWS, ROWS, ROWS * V],
    cpu: () => crossEntropyCPU(x, targets, { rows: ROWS, cols: V }),
  },
  {
    name: `adamw step ${N} params`,
    bytes: 28 * N,
    launch: adamwLaunch({ n: N, step: 1 }),
    sizes: [N, N, N, N],
    cpu: () => {
      const p = x.slice(0, N);
      adamwCPU(p, p, new Float32Array(N), new Float32Array(N), { n: N, step: 1 });
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
