/**
 * A WebGPU tensor larger than the adapter can bind is refused at allocation
 * with WebGPUBufferSizeError (bytes, shape, limit), and nothing is allocated:
 * the buffer counters are unchanged after the error.
 */

import { equal, ok, throws } from "node:assert/strict";
import { tidy } from "../memory.ts";
import { zeros } from "../ops/creation.ts";
import { webgpuInfo } from "./device.ts";
import { WebGPUBufferSizeError } from "./errors.ts";
import { webgpuStats } from "./init.ts";
import { gpuTensorTest } from "./test_util.ts";

async function limit(): Promise<number> {
  const { maxStorageBufferBindingSize, maxBufferSize } = (await webgpuInfo()).limits;
  return Math.min(maxStorageBufferBindingSize, maxBufferSize);
}

function counters() {
  const { liveBuffers, liveBytes, createdBuffers } = webgpuStats();
  return { liveBuffers, liveBytes, createdBuffers };
}

const refused = (bytes: number, shape: string, max: number) => (e: unknown) => {
  ok(e instanceof WebGPUBufferSizeError && e instanceof RangeError, String(e));
  equal(e.byteLength, bytes);
  equal(e.limit, max);
  ok(
    e.message.startsWith(
      `Cannot allocate a webgpu tensor of shape ${shape}: ${bytes} bytes (`,
    ) && e.message.includes(`is over the adapter's maxStorageBufferBindingSize of ${max} bytes`),
    e.message,
  );
  return true;
};

gpuTensorTest(
  "a tensor one element over the binding limit is refused, nothing allocated",
  async () => {
    const max = await limit();
    const n = max / 4 + 1;
    const before = counters();
    throws(() => zeros([n], { device: "webgpu" }), refused(n * 4, `(${n})`, max));
    equal(JSON.stringify(counters()), JSON.stringify(before));
  },
);

gpuTensorTest(
  "the lecture's h for the whole training set, (182625, 30) @ (30, 200) = 139 MiB, is refused",
  async () => {
    const max = await limit();
    if (182625 * 200 * 4 <= max) return; // an adapter that binds it computes it instead
    const X = zeros([182625, 30], { device: "webgpu" }),
      W1 = zeros([30, 200], { device: "webgpu" });
    X.slice(0, 0, 1).add(1).dispose(); // the scalar 1 is cached on the device from now on
    const before = counters();
    throws(() => X.matmul(W1).tanh(), refused(146_100_000, "(182625, 200)", max));
    equal(JSON.stringify(counters()), JSON.stringify(before));
    throws(() => tidy(() => X.add(1).matmul(W1)), refused(146_100_000, "(182625, 200)", max));
    equal(webgpuStats().liveBuffers, before.liveBuffers); // tidy freed X + 1 (now pooled)
    equal(webgpuStats().liveBytes, before.liveBytes);
    X.dispose();
    W1.dispose();
  },
);

gpuTensorTest("uploading a CPU tensor over the limit is refused the same way", async () => {
  const max = await limit();
  if (max > 2 ** 28) return; // keep the host copy small: adapters with larger limits skip
  const n = max / 4 + 4;
  const before = counters();
  const big = zeros([2, n / 2]);
  await (async () => {
    try {
      await big.toDevice("webgpu");
    } catch (e) {
      return refused(n * 4, `(2, ${n / 2})`, max)(e);
    }
    throw new Error("toDevice did not throw");
  })();
  equal(JSON.stringify(counters()), JSON.stringify(before));
});

gpuTensorTest("a tensor of exactly the limit is allocated", async () => {
  const max = await limit();
  if (max > 2 ** 28) return; // keep the test light on big adapters
  const t = zeros([max / 4], { device: "webgpu" });
  equal(t.size, max / 4);
  t.dispose();
});
