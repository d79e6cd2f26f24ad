/**
 * The makemore MLP training step (batch 32, block 3, embedding 10 from a 27x10
 * table, hidden 200, tanh, fused cross-entropy, backward, SGD; one `tidy` per
 * step) on WebGPU vs CPU, same code (core/testing/tiny_mlp.ts) with only the
 * device changed. An iteration runs STEPS steps and reads the loss back once at
 * the end, so Deno's ≥ 10 ms `mapAsync` is paid once per STEPS steps.
 * Run directly for steps/s:
 *
 *   deno run -A bench/mlp_step_webgpu_bench.ts
 *
 * Skipped (with the reason printed) when no WebGPU adapter opens.
 *
 * @module
 */

import { makeTinyMlp } from "../core/testing/tiny_mlp.ts";
import { initWebGPU } from "../core/webgpu/init.ts";
import { webgpuUnavailableReason } from "../core/webgpu/device.ts";
import type { Device } from "../core/dtype.ts";

const STEPS = 20;
const reason = await webgpuUnavailableReason();
if (reason !== null) console.log(`WebGPU MLP step bench skipped: ${reason}`);
else await initWebGPU();

/**
 * Runs `n` steps and reads the last loss.
 *
 * @param device the device
 * @returns a function running n steps, resolving with the last loss
 */
function runner(device: Device): (n: number) => Promise<number> {
  const mlp = makeTinyMlp(device);
  return async (n: number) => {
    for (let i = 0; i < n - 1; i++) mlp.step().dispose();
    const last = mlp.step();
    const v = await last.item();
    last.dispose();
    return v;
  };
}

const devices: Device[] = ["cpu", "webgpu"];
for (const device of devices) {
  const run = device === "webgpu" && reason !== null ? null : runner(device);
  Deno.bench({
    name: `makemore MLP, ${STEPS} steps, ${device}`,
    group: "mlp step: cpu vs webgpu",
    baseline: device === "cpu",
    ignore: run === null,
    warmup: 2,
    fn: async () => {
      await run!(STEPS);
    },
  });
}

if (import.meta.main && reason === null) {
  for (const device of devices) {
    const run = runner(device);
    await run(10); // warm up: pipelines, pools
    const n = 200;
    const t0 = performance.now();
    const loss = await run(n);
    const s = (performance.now() - t0) / 1000;
    console.log(
      `${device}: ${(n / s).toFixed(1)} steps/s (${n} steps, last loss ${loss.toFixed(4)})`,
    );
  }
}
