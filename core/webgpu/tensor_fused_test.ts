import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import { fromTyped, tensor } from "../ops/creation.ts";
import { oneHot, oneHotAsync } from "../ops/encoding.ts";
import { multinomial, multinomialAsync } from "../ops/sampling.ts";
import { Generator } from "../random/generator.ts";
import { layerNorm } from "../ops/normalization.ts";
import type { Tensor } from "../tensor.ts";
import { AdamW } from "../optim/adam.ts";
import { webgpuStats } from "./init.ts";
import { assertClose, gpuTensorTest as gpu, randomFloats } from "./test_util.ts";

/** A cpu leaf and a webgpu leaf with the same random values. */
function pair(shape: number[], seed: number, grad = true): [Tensor, Tensor] {
  const v = randomFloats(shape.reduce((a, b) => a * b, 1), seed, -2, 2);
  const c = fromTyped(v.slice(), shape, "cpu"), g = fromTyped(v.slice(), shape, "webgpu");
  c.requiresGrad = g.requiresGrad = grad;
  return [c, g];
}

gpu(
  "F.layerNorm on webgpu: fused kernel, forward and grads equal the cpu composition",
  async () => {
    for (
      const [shape, norm, affine] of [
        [[3, 5, 7], [7], true],
        [[3, 5, 7], [5, 7], false],
        [[2, 33], [33], true],
      ] as const
    ) {
      const [xc, xg] = pair([...shape], 11);
      const [wc, wg] = pair([...norm], 12);
      const [bc, bg] = pair([...norm], 13);
      const [cc, cg] = pair([...shape], 14, false); // weights of the loss, so dx is not ~0
      const run = (x: Tensor, w: Tensor, b: Tensor, c: Tensor) => {
        const y = layerNorm(x, norm, affine ? { weight: w, bias: b } : {});
        y.mul(c).sum().backward();
        return y;
      };
      const yc = run(xc, wc, bc, cc), yg = run(xg, wg, bg, cg);
      equal(yg.gradFn, "layerNorm"); // one fused node on both devices
      equal(yc.gradFn, "layerNorm");
      assertClose(await yg.data(), yc.dataSync(), 1e-5, 1e-4);
      assertClose(await xg.grad!.data(), xc.grad!.dataSync(), 1e-4, 1e-3);
      if (affine) {
        assertClose(await wg.grad!.data(), wc.grad!.dataSync(), 1e-4, 1e-3);
        assertClose(await bg.grad!.data(), bc.grad!.dataSync(), 1e-4, 1e-3);
      } else equal(wg.grad, null);
    }
  },
);

gpu(
  "AdamW on webgpu: one fused dispatch per parameter, equal to cpu AdamW over 5 steps",
  async () => {
    const cpu = [pair([3, 7], 21)[0], pair([5], 22)[0]];
    const gpu = [pair([3, 7], 21)[1], pair([5], 22)[1]];
    const [cc, cg] = pair([3, 7], 23, false);
    const [dc, dg] = pair([5], 24, false);
    const make = (ps: Tensor[]) =>
      new AdamW([{ params: [ps[0]], weightDecay: 0.1 }, { params: [ps[1]], weightDecay: 0 }], {
        lr: 0.05,
        betas: [0.9, 0.95],
      });
    const oc = make(cpu), og = make(gpu);
    const loss = (ps: Tensor[], c: Tensor, d: Tensor) =>
      ps[0].mul(c).sum().add(ps[0].mul(ps[0]).sum()).add(ps[1].mul(d).sum());
    for (let step = 0; step < 5; step++) {
      oc.zeroGrad();
      og.zeroGrad();
      loss(cpu, cc, dc).backward();
      loss(gpu, cg, dg).backward();
      oc.step();
      const before = webgpuStats().dispatches;
      og.step();
      // one per parameter; on the first step the zero moments are filled first (one each)
      equal(webgpuStats().dispatches - before, step === 0 ? 2 + 4 : 2);
    }
    for (let i = 0; i < 2; i++) {
      assertClose(await gpu[i].data(), cpu[i].dataSync(), 1e-7, 1e-6);
    }
  },
);

gpu(
  "gelu (exact and tanh) on webgpu: forward and the fused g·gelu′(x) backward equal cpu",
  async () => {
    for (const approximate of ["none", "tanh"] as const) {
      const [xc, xg] = pair([3, 7], 31);
      const [cc, cg] = pair([3, 7], 32, false);
      const yc = xc.gelu({ approximate }), yg = xg.gelu({ approximate });
      yc.mul(cc).sum().backward();
      yg.mul(cg).sum().backward();
      assertClose(await yg.data(), yc.dataSync(), 1e-6, 2e-6);
      assertClose(await xg.grad!.data(), xc.grad!.dataSync(), 1e-6, 2e-6);
    }
  },
);

gpu(
  "oneHot without numClasses and multinomial on webgpu: the async variants read back",
  async () => {
    const cls = [3, 0, 4, 4, 1];
    const i = tensor(cls, { dtype: "int32", device: "webgpu" });
    throws(() => oneHot(i), {
      name: "SyncReadError",
      message: /^oneHot: without numClasses .* on webgpu; .*`await oneHotAsync\(idx\)`/,
    });
    const h = await oneHotAsync(i);
    equal(h.device, "webgpu");
    deepEqual(await h.toArray(), oneHot(tensor(cls, { dtype: "int32" })).toArraySync());
    // the kernel finds the bad class; the error is raised at the next readback
    const bad = await oneHotAsync(tensor([1, -2], { dtype: "int32", device: "webgpu" }));
    await rejects(bad.toArray(), {
      name: "IndexError",
      message: /^oneHot: class -2 is out of bounds for 2 classes \(found on webgpu/,
    });
    const w = randomFloats(2 * 7, 41, 0, 1);
    const pc = fromTyped(w.slice(), [2, 7], "cpu"), pg = fromTyped(w.slice(), [2, 7], "webgpu");
    throws(() => multinomial(pg, 3), {
      name: "SyncReadError",
      message: /^multinomial: .* on webgpu; `await multinomialAsync\(probs, n\)`/,
    });
    for (const replacement of [false, true]) {
      const sc = multinomial(pc, 5, { replacement, generator: new Generator(5) });
      const sg = await multinomialAsync(pg, 5, { replacement, generator: new Generator(5) });
      equal(sg.device, "webgpu");
      equal(sg.dtype, "int32");
      deepEqual(await sg.toArray(), sc.toArraySync());
    }
  },
);
