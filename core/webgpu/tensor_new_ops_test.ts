/**
 * The ops added for the lectures and nanoGPT, on WebGPU tensors beyond the fixture suite:
 * allclose's sync/async split, topk and sort of a GPT-sized row with ties (equal to the CPU's,
 * position for position), gradients of cumsum, prod (zeros included), norm, sort and topk on
 * the device, and the views.
 */

import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import { allclose, allcloseSync } from "../ops/logical.ts";
import { randperm, tensor } from "../ops/creation.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import { assertClose, gpuTensorTest, randomFloats } from "./test_util.ts";

const gpu = (t: Tensor) => t.toDevice("webgpu");

gpuTensorTest("allclose answers on the GPU; allcloseSync names the async form there", async () => {
  const a = await gpu(tensor([1, 2, 3])), b = await gpu(tensor([1, 2, 3.000001]));
  equal(await allclose(a, b), true);
  equal(await a.allclose(b.add(0.1)), false);
  throws(() => allcloseSync(a, b), {
    name: "SyncReadError",
    message: "allcloseSync: the answer cannot be read synchronously on webgpu; " +
      "`await allclose(a, b)` reads it back",
  });
  throws(() => allcloseSync(a, tensor([1, 2, 3])), { name: "DeviceMismatchError" });
  await rejects(async () => await allclose(a, tensor([1, 2, 3])), { name: "DeviceMismatchError" });
});

gpuTensorTest(
  "topk and sort of GPT-sized rows with ties equal the CPU's, position for position",
  async () => {
    for (const [rows, vocab] of [[2, 65], [1, 1000]]) {
      // logits on a coarse grid: many ties
      const data = randomFloats(rows * vocab, vocab, -4, 4).map((v) => Math.round(v * 4) / 4);
      const cpu = tensor(data).reshape(rows, vocab), dev = await gpu(cpu);
      const k = 10;
      const want = cpu.topk(k), got = dev.topk(k);
      deepEqual(await got.indices.toArray(), want.indices.toArraySync());
      deepEqual(await got.values.toArray(), want.values.toArraySync());
      for (const descending of [false, true]) {
        const w = cpu.sort(-1, { descending }), g = dev.sort(-1, { descending });
        deepEqual(await g.indices.toArray(), w.indices.toArraySync());
      }
      deepEqual(await dev.argsort(0).toArray(), cpu.argsort(0).toArraySync());
    }
  },
);

gpuTensorTest(
  "gradients of cumsum, prod, norm, sort and topk on the GPU equal the CPU's",
  async () => {
    const x0 = tensor([[2, 0, 3, 0.5], [0, 0, 1, 2], [1.5, -2, 0.5, 1]]);
    const w = tensor([[1, -2, 3, 0.5], [2, 1, -1, 1], [0.5, 0.25, 2, -3]]);
    const fs: [string, (x: Tensor, w: Tensor) => Tensor][] = [
      ["cumsum", (x, w) => x.cumsum(1).mul(w).sum()],
      ["prod", (x, w) => x.mul(w).prod(0).sum()],
      ["norm", (x, w) => x.mul(w).norm(2, 1).sum()],
      ["sort", (x, w) => x.sort(0, { descending: true }).values.mul(w).sum()],
      ["topk", (x, w) => x.topk(2, 1).values.mul(w.narrow(1, 0, 2)).sum()],
    ];
    for (const [name, f] of fs) {
      const xc = x0.clone().detach();
      xc.requiresGrad = true;
      f(xc, w).backward();
      const xg = await gpu(x0);
      xg.requiresGrad = true;
      f(xg, await gpu(w)).backward();
      assertClose(await xg.grad!.data(), xc.grad!.dataSync(), 1e-6, 1e-6, name);
    }
  },
);

gpuTensorTest("views, flips, repeats and randperm on the GPU", async () => {
  const x = await gpu(tensor([[1, 2, 3], [4, 5, 6]]));
  deepEqual(await x.select(1, -1).toArray(), [3, 6]);
  deepEqual(await x.narrow(1, 1, 2).toArray(), [[2, 3], [5, 6]]);
  deepEqual(await Promise.all(x.unbind(0).map((t) => t.toArray())), [[1, 2, 3], [4, 5, 6]]);
  deepEqual(await x.flip(0, 1).toArray(), [[6, 5, 4], [3, 2, 1]]);
  deepEqual(await x.repeat(2, 1).toArray(), [[1, 2, 3], [4, 5, 6], [1, 2, 3], [4, 5, 6]]);
  deepEqual(await x.amax(1).toArray(), [3, 6]);
  deepEqual(await x.gt(2).any(1).toArray(), [true, true]);
  deepEqual(await x.gt(2).all(1).toArray(), [false, true]);
  const p = randperm(8, { generator: new Generator(3), device: "webgpu" });
  equal(p.device, "webgpu");
  deepEqual([...await p.data()], [...new Generator(3).randperm(8)]);
});
