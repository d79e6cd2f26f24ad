/**
 * `deno bench` for WebGPU matmul: naive WGSL (baseline) vs our tiled WGSL vs
 * tfjs's WebGPU backend (peer), square and GPT-shaped sizes. Each iteration queues REPS
 * matmuls in one submit and waits with one 4-byte readback, so the readback's
 * fixed cost is shared; the GFLOPS printed at start are the slope between K
 * and 2K matmuls (see bench/webgpu_timing.ts), never one dispatch by wall clock.
 * Skipped (with the reason printed) when no WebGPU adapter opens.
 *
 * @module
 */

import { webgpuUnavailableReason } from "../core/webgpu/device.ts";
import { WebGPUExecutor } from "../core/webgpu/executor.ts";
import type { KernelLaunch } from "../kernels/launch.ts";
import { matmulLaunch, matmulNaiveLaunch } from "../kernels/matmul.ts";
import { dispatchMs, slopeMs } from "./webgpu_timing.ts";
import { loadTfjs, type TfTensor } from "./tfjs_peer.ts";

const reason = await webgpuUnavailableReason();
if (reason !== null) console.log(`WebGPU matmul benches skipped: ${reason}`);
const exec = reason === null
  ? await WebGPUExecutor.create({ maxPendingDispatches: 1 << 20 })
  : null;
const info = exec?.ctx.info;
// A software adapter runs ~10 GFLOPS at best: keep to 256 and 512 there.
const SIZES = info?.isFallbackAdapter === false ? [256, 512, 1024, 2048, 4096] : [256, 512];
const tf = exec !== null ? await loadTfjs() : null;
if (tf !== null) await tf.setBackend("webgpu");

// GPT-shaped: M = B·T, (K, N) in {(C, 3C), (C, C), (C, 4C), (4C, C)}
const BT = info?.isFallbackAdapter === false ? 8192 : 256;
const C = info?.isFallbackAdapter === false ? 768 : 128;
const SHAPES: [number, number, number, string][] = [
  ...SIZES.map((n) => [n, n, n, "square"] as [number, number, number, string]),
  [BT, C, 3 * C, "GPT qkv"],
  [BT, C, C, "GPT attn proj"],
  [BT, C, 4 * C, "GPT mlp fc"],
  [BT, 4 * C, C, "GPT mlp proj"],
];

for (const [m, k, n, label] of SHAPES) {
  const flop = 2 * m * k * n;
  const reps = Math.max(2, Math.round(1e8 / flop));
  const p = { m, n, k };
  const group = `matmul ${label} ${m}x${k}x${n} webgpu (${reps} per iteration)`;
  const bufs = exec ? [exec.alloc(m * k * 4), exec.alloc(k * n * 4), exec.alloc(m * n * 4)] : [];
  const limits = info ? { ...info.limits, isFallbackAdapter: info.isFallbackAdapter } : undefined;
  const launches: [string, KernelLaunch][] = [
    ["naive WGSL", matmulNaiveLaunch(p)],
    ["katagrad tiled WGSL", matmulLaunch(p, limits)],
  ];
  if (exec !== null) {
    for (const [name, launch] of launches) {
      const ms = await dispatchMs(exec, launch, bufs, reps);
      console.log(`${group}: ${name}: ${(flop / ms / 1e6).toFixed(2)} GFLOPS (slope)`);
    }
  }
  for (const [name, launch] of launches) {
    Deno.bench({
      name,
      group,
      baseline: name === "naive WGSL",
      ignore: exec === null,
      n: 5,
      warmup: 1,
      fn: async () => {
        for (let i = 0; i < reps; i++) exec!.dispatch(launch, bufs);
        await exec!.read(bufs[2], 4);
      },
    });
  }
  const ta = tf ? tf.randomUniform([m, k]) : null;
  const tb = tf ? tf.randomUniform([k, n]) : null;
  let last: TfTensor | null = null;
  const tfjsOne = () => {
    last?.dispose();
    last = tf!.matMul(ta!, tb!);
  };
  if (exec !== null) {
    const ms = await slopeMs(tfjsOne, async () => void await last!.data(), reps);
    console.log(
      `${group}: tfjs-backend-webgpu 4.22.0: ${(flop / ms / 1e6).toFixed(2)} GFLOPS (slope)`,
    );
  }
  Deno.bench({
    name: "tfjs-backend-webgpu 4.22.0",
    group,
    ignore: exec === null,
    n: 5,
    warmup: 1,
    fn: async () => {
      for (let i = 0; i < reps; i++) tfjsOne();
      await last!.data();
    },
  });
}
