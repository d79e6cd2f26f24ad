// The GPT on WebGPU computes what it computes on the CPU: the same weights (the PyTorch fixture's)
// and batch give the same logits, loss and gradients, and one AdamW step the same weights.
import { deepEqual, equal } from "node:assert/strict";
import { getDefaultDevice, setDefaultDeviceOpen } from "../device.ts";
import { GPT } from "../nn/gpt.ts";
import { fromTyped } from "../ops/creation.ts";
import { Generator } from "../random/generator.ts";
import { assertAllClose, loadGPTFixture } from "../testing/gpt_checks.ts";
import type { Tensor } from "../tensor.ts";
import { setDefaultDevice } from "./init.ts";
import { gpuTensorTest } from "./test_util.ts";

/** Runs fn with tensors created on the GPU by default. */
async function onGpu<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = getDefaultDevice();
  await setDefaultDevice("webgpu");
  try {
    return await fn();
  } finally {
    setDefaultDeviceOpen(before);
  }
}

const toGpu = (t: Tensor) => fromTyped(t.dataSync(), t.shape.slice(), "webgpu");

gpuTensorTest(
  "GPT on WebGPU: logits, loss, gradients and an AdamW step as on the CPU",
  async () => {
    const fx = await loadGPTFixture(); // on the CPU
    const cfg = { ...fx.config, bias: true };
    const cpu = new GPT(cfg, { generator: new Generator(0) });
    cpu.loadStateDict(fx.a.init);
    const gpu = await onGpu(() => new GPT(cfg, { generator: new Generator(0) }));
    equal(gpu.wte.weight.device, "webgpu");
    equal(gpu.h.at(0).attn.mask.device, "webgpu");
    gpu.loadStateDict(Object.fromEntries(Object.entries(fx.a.init).map(([k, t]) => [k, toGpu(t)])));
    const [idx, targets] = [toGpu(fx.idx), toGpu(fx.targets)]; // T = 7 < blockSize 8: cropped mask
    const c = cpu.forward(fx.idx, fx.targets), g = gpu.forward(idx, targets);
    deepEqual(g.logits.shape, c.logits.shape);
    // Tolerance: 1e-6 + 1e-5·|x| on logits and loss, 1e-6 + 1e-4·|g| on gradients (float32 sums
    // in other orders on the two devices; the PyTorch fixture holds to the same bounds).
    assertAllClose("logits", await g.logits.data(), c.logits.dataSync(), 1e-6, 1e-5);
    assertAllClose("loss", [await g.loss!.item()], [c.loss!.itemSync()], 1e-6, 1e-5);
    const last = gpu.forward(idx).logits; // (B, 1, V), no targets
    assertAllClose(
      "last logits",
      await last.data(),
      cpu.forward(fx.idx).logits.dataSync(),
      1e-6,
      1e-5,
    );
    c.loss!.backward();
    g.loss!.backward();
    const cpuParams = cpu.namedParameters(), gpuParams = gpu.namedParameters();
    for (let i = 0; i < cpuParams.length; i++) {
      const [name, p] = cpuParams[i];
      assertAllClose(
        `grad of ${name}`,
        await gpuParams[i][1].grad!.data(),
        p.grad!.dataSync(),
        1e-6,
        1e-4,
      );
    }
    // eps 1e-3: the key biases' gradients are zero up to rounding (softmax ignores a shift along
    // a row), and Adam would turn that noise into ±lr steps whose signs differ between devices
    const step = (m: GPT) => {
      const opt = m.configureOptimizers({ lr: 1e-2, weightDecay: 0.1, betas: [0.9, 0.99] });
      for (const group of opt.paramGroups) group.eps = 1e-3;
      opt.step();
    };
    step(cpu);
    step(gpu);
    for (let i = 0; i < cpuParams.length; i++) {
      const [name, p] = cpuParams[i];
      assertAllClose(
        `${name} after a step`,
        await gpuParams[i][1].data(),
        p.dataSync(),
        1e-6,
        1e-4,
      );
    }
  },
);

gpuTensorTest("GPT.generate on WebGPU samples nanoGPT's tokens, as on the CPU", async () => {
  const fx = await loadGPTFixture();
  const gpu = await onGpu(() =>
    new GPT({ ...fx.config, bias: true }, { generator: new Generator(0) })
  );
  gpu.loadStateDict(Object.fromEntries(Object.entries(fx.a.init).map(([k, t]) => [k, toGpu(t)])));
  gpu.eval();
  const out = await gpu.generate(toGpu(fx.idx), 6, {
    temperature: 0.8,
    topK: 5,
    generator: new Generator(fx.seed),
  });
  equal(out.device, "webgpu");
  deepEqual(await out.data(), fx.a.generated);
});
