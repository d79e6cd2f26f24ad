// `deno task train` on WebGPU (lavapipe in CI): a short run writes a checkpoint that the CPU
// loads and samples from, and the GPU memory in use stays flat from step to step.
import { deepEqual, equal } from "node:assert/strict";
import { join } from "node:path";
import { setDefaultDeviceOpen } from "../core/device.ts";
import { webgpuStats } from "../core/webgpu/init.ts";
import { gpuTensorTest } from "../core/webgpu/test_util.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { sample } from "./sample.ts";
import { runCaptured, TINY_FLAGS, tinyText } from "./testing.ts";
import { train } from "./train.ts";

gpuTensorTest("train on WebGPU: flat GPU memory, a checkpoint the CPU samples from", async () => {
  const dir = await Deno.makeTempDir({ prefix: "katagrad_train_gpu_" });
  try {
    const text = join(dir, "tiny.txt");
    await Deno.writeTextFile(text, tinyText());
    const flags = TINY_FLAGS.map((f) => (f === "cpu" ? "webgpu" : f));
    const live: number[] = [];
    const r = await runCaptured(
      train,
      ["--data", text, ...flags, "--steps", "8", "--eval-interval", "8", "--out-dir", dir],
      { onStep: () => live.push(webgpuStats().liveBytes) },
    );
    equal(r.code, 0, r.err.join("\n"));
    equal(r.out[0].startsWith("training on webgpu"), true);
    // from the second step on (AdamW's moments exist), nothing accumulates; the last step
    // evaluated and saved, which also frees what it made
    deepEqual(live.slice(1, 7), Array(6).fill(live[1]));
    setDefaultDeviceOpen("cpu");
    const { info } = await loadCheckpoint(join(dir, "ckpt.safetensors"));
    equal(info.step, 8);
    equal(info.device, "webgpu");
    const s = await runCaptured(sample, ["--out-dir", dir, "--device", "cpu", "--tokens", "10"]);
    equal(s.code, 0, s.err.join("\n"));
  } finally {
    setDefaultDeviceOpen("cpu");
    await Deno.remove(dir, { recursive: true });
  }
});
