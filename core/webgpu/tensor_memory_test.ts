/**
 * Memory: `tidy` frees its tensors when `fn` throws and keeps tensors returned
 * at any depth (both devices); a WebGPU training loop makes no GPU objects per
 * step once warm (the buffer pool hands the same buffers to the same tensors,
 * so the executor's cached bind groups match). The loop test counts bind groups
 * created, not process memory: RSS depends on when V8 collects (the cause of
 * the growth was bind groups that only a major GC frees), so it would be a
 * flaky bound on CI, while the counter is exact.
 */

import { deepEqual, equal, ok, throws } from "node:assert/strict";
import type { Device } from "../dtype.ts";
import { isDisposed, keep, tidy } from "../memory.ts";
import { ones, tensor } from "../ops/creation.ts";
import type { Tensor } from "../tensor.ts";
import { makeTinyMlp } from "../testing/tiny_mlp.ts";
import { BufferPool } from "./buffer_pool.ts";
import { webgpuStats } from "./init.ts";
import { gpuTensorTest, gpuTest, skipReason } from "./test_util.ts";
import { initWebGPU } from "./init.ts";

for (const device of ["cpu", "webgpu"] as Device[]) {
  const gpu = device === "webgpu";
  const live = () => gpu ? webgpuStats().liveBuffers : 0;
  const test = (name: string, fn: () => Promise<void> | void) =>
    Deno.test({
      name: `${device}: ${name}`,
      ignore: gpu && skipReason !== null,
      sanitizeOps: false,
      sanitizeResources: false,
      fn: async () => {
        if (gpu) await initWebGPU();
        await fn();
      },
    });

  test("tidy frees the tensors of a scope whose fn throws, then rethrows", () => {
    const x = ones([4, 3], { device, requiresGrad: true });
    x.mul(2).add(1).dispose(); // scalar operands are cached on the device from their first use
    const before = live();
    const made: Tensor[] = [];
    let saved: Tensor | null = null;
    for (let i = 0; i < 5; i++) {
      throws(
        () =>
          tidy(() => {
            const h = x.mul(2).tanh(); // recorded: saves tensors for backward
            made.push(h, h.sum());
            saved = keep(h.add(1));
            throw new RangeError(`step ${i} failed`);
          }),
        { name: "RangeError", message: `step ${i} failed` },
      );
    }
    ok(made.every(isDisposed));
    equal(isDisposed(saved!), false); // keep() still wins
    equal(isDisposed(x), false); // a parameter
    equal(live() - before, gpu ? 5 : 0); // the five kept tensors only
  });

  test("tidy keeps tensors returned at any depth of arrays, objects, Maps and Sets", async () => {
    const x = tensor([1, 2], { device });
    let tmp: Tensor | null = null;
    const out = tidy(() => {
      tmp = x.add(1);
      const deep = { a: [[{ b: new Map([["k", [new Set([x.mul(3)])]]]) }]] };
      const cyclic: Record<string, unknown> = { t: x.mul(4) };
      cyclic.self = cyclic;
      return { deep, cyclic };
    });
    equal(isDisposed(tmp!), true);
    const inner = [...out.deep.a[0][0].b.get("k")![0]][0];
    equal(isDisposed(inner), false);
    deepEqual([...await inner.data()], [3, 6]);
    deepEqual([...await (out.cyclic.t as Tensor).data()], [4, 8]);
  });
}

gpuTensorTest(
  "a WebGPU training loop makes no bind groups and no buffers per step once warm",
  async () => {
    const mlp = makeTinyMlp("webgpu");
    let loss = 0;
    const steps = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const l = mlp.step();
        if (i % 10 === 9) loss = await l.item(); // a readback every 10 steps
        l.dispose();
      }
    };
    await steps(10); // warm: pipelines, pools, bind groups
    const before = webgpuStats();
    await steps(40);
    const after = webgpuStats();
    ok(Number.isFinite(loss));
    ok(after.dispatches - before.dispatches >= 40 * 20, "the steps ran");
    equal(after.bindGroups - before.bindGroups, 0, "bind groups created in 40 warm steps");
    equal(after.createdBuffers, before.createdBuffers);
    equal(after.liveBuffers, before.liveBuffers);
  },
);

gpuTest(
  "buffer pool: a bucket hands out its oldest free buffer, whatever the release order",
  (exec) => {
    const pool = new BufferPool(exec.ctx.device, GPUBufferUsage.STORAGE);
    const [a, b, c] = [pool.acquire(1000), pool.acquire(1000), pool.acquire(1000)];
    for (const order of [[a, b, c], [c, a, b], [b, c, a]]) {
      for (const x of order) pool.release(x);
      deepEqual([pool.acquire(1000), pool.acquire(1000), pool.acquire(1000)], [a, b, c]);
    }
    for (const x of [a, b, c]) pool.release(x);
    pool.trim();
    equal(pool.stats.createdBuffers, 0);
  },
);
