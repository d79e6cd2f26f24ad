/**
 * Kata 13, steps 13.6–13.8: your workgroup-memory kernels run on the WebGPU device and are
 * compared with CPU specs, at several workgroup sizes (powers of two). Run
 * `deno test -A katas/13`.
 *
 * @module
 */

import { assertKernel, kernelTest } from "./_harness.ts";
import { blockSumCase, prefixSumCase, Rng, softmaxCase } from "./_steps.ts";
import { blockSumWGSL, prefixSumWGSL, softmaxWGSL } from "./shared_memory.ts";

Deno.test(kernelTest(
  "13.6 shared-memory sum: each workgroup sums its block by a tree in workgroup memory",
  async () => {
    const rng = new Rng(1306);
    for (const size of [16, 64, 256]) {
      const n = rng.notMultiple(size, 2 * size, 6 * size);
      await assertKernel(blockSumCase(blockSumWGSL(size), size, n, rng));
    }
  },
));

Deno.test(
  kernelTest("13.7 prefix sum: inclusive cumulative sums of each row, chunk by chunk", async () => {
    const rng = new Rng(1307);
    for (const size of [8, 32, 128]) {
      const cols = rng.notMultiple(size, 2 * size + 1, 4 * size);
      await assertKernel(prefixSumCase(prefixSumWGSL(size), size, rng.int(2, 5), cols, rng));
      await assertKernel(prefixSumCase(prefixSumWGSL(size), size, 2, rng.int(1, size - 1), rng));
    }
  }),
);

Deno.test(kernelTest(
  "13.8 softmax: each row's exp(x - max) / sum, rows shifted by +100 included",
  async () => {
    const rng = new Rng(1308);
    for (const size of [4, 32, 128]) {
      const cols = rng.notMultiple(size, size + 1, 3 * size);
      await assertKernel(softmaxCase(softmaxWGSL(size), size, rng.int(2, 6), cols, rng));
      await assertKernel(softmaxCase(softmaxWGSL(size), size, 3, rng.int(1, size - 1), rng));
    }
  },
));
