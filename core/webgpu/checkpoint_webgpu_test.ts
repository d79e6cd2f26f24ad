import { deepEqual, equal } from "node:assert/strict";
import { join } from "node:path";
import { loadSafetensors } from "../io/safetensors.ts";
import * as nn from "../nn/mod.ts";
import { randn, tensor } from "../ops/creation.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import { gpuTensorTest } from "./test_util.ts";

/** A model whose parameters and buffers live on the GPU. */
class GpuNet extends nn.Module {
  readonly C: Tensor;
  readonly W: Tensor;
  readonly steps: Tensor;
  constructor(seed: number) {
    super();
    const g = new Generator(seed);
    this.C = this.registerParameter("C", randn([27, 10], { generator: g, device: "webgpu" }));
    this.W = this.registerParameter("W", randn([30, 7], { generator: g, device: "webgpu" }).t());
    this.steps = this.registerBuffer(
      "steps",
      tensor([12345], { dtype: "int32", device: "webgpu" }),
    );
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

gpuTensorTest("saveModule() saves a model that lives on the GPU, loadable on the CPU", async () => {
  const dir = await Deno.makeTempDir({ prefix: "katagrad_gpu_ckpt_" });
  try {
    const net = new GpuNet(42);
    equal(net.C.device, "webgpu");
    const p = join(dir, "gpu.safetensors");
    await nn.saveModule(p, net, { device: "webgpu" });
    const file = await loadSafetensors(p);
    deepEqual(file.metadata, { device: "webgpu" });
    deepEqual(file.tensors.C.shape, [27, 10]);
    deepEqual(file.tensors.W.shape, [7, 30]); // a transposed view saves in its own order
    deepEqual([...file.tensors.C.data], [...(await net.C.data())]);
    deepEqual([...file.tensors.W.data], [...(await net.W.data())]);
    equal(file.tensors.steps.dtype, "I32");
    deepEqual([...file.tensors.steps.data], [12345]);
    // and the same generator on the CPU gives the same numbers the file holds
    const cpuC = randn([27, 10], { generator: new Generator(42) });
    deepEqual([...file.tensors.C.data], [...cpuC.dataSync()]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
