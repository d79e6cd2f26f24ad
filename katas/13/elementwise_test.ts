/**
 * Kata 13, steps 13.1–13.5: your elementwise kernels run on the WebGPU device and are compared
 * with CPU specs, at several workgroup sizes. Run `deno test -A katas/13`.
 *
 * @module
 */

import { assertKernel, kernelTest } from "./_harness.ts";
import { broadcastCase, guardCase, mapCase, Rng, transposeCase, zipCase } from "./_steps.ts";
import { broadcastWGSL, guardWGSL, mapWGSL, transposeWGSL, zipWGSL } from "./elementwise.ts";

/** 2-d workgroups: square, wide, and one column wide. */
const GRIDS: readonly [number, number][] = [[8, 8], [16, 4], [1, 32]];

Deno.test(kernelTest("13.1 map: out[i] = a[i] + 10, one invocation per element", async () => {
  const rng = new Rng(1301);
  for (const size of [1, 100, 256]) {
    await assertKernel(mapCase(mapWGSL(size), size, rng.int(2, 7), rng));
  }
}));

Deno.test(kernelTest("13.2 zip: out[i] = a[i] + b[i]", async () => {
  const rng = new Rng(1302);
  for (const size of [1, 100, 256]) {
    await assertKernel(zipCase(zipWGSL(size), size, rng.int(2, 7), rng));
  }
}));

Deno.test(kernelTest(
  "13.3 guards: n is not a multiple of the workgroup size; extra invocations write nothing",
  async () => {
    const rng = new Rng(1303);
    for (const size of [7, 64, 256]) {
      await assertKernel(
        guardCase(guardWGSL(size), size, rng.notMultiple(size, size + 1, 5 * size), rng),
      );
      await assertKernel(guardCase(guardWGSL(size), size, rng.int(1, size - 1), rng));
    }
  },
));

Deno.test(kernelTest("13.4 2-d indexing: out = aᵀ, invocation (x, y) moves a[y][x]", async () => {
  const rng = new Rng(1304);
  for (const size of GRIDS) {
    const rows = rng.notMultiple(size[1], 3, 40);
    let cols = rng.notMultiple(size[0], 3, 40);
    if (cols === rows) cols++;
    await assertKernel(transposeCase(transposeWGSL(size), size, rows, cols, rng));
  }
}));

Deno.test(kernelTest("13.5 broadcast: out[r][c] = a[r] + b[c]", async () => {
  const rng = new Rng(1305);
  for (const size of GRIDS) {
    const rows = rng.notMultiple(size[1], 3, 40);
    let cols = rng.notMultiple(size[0], 3, 40);
    if (cols === rows) cols++;
    await assertKernel(broadcastCase(broadcastWGSL(size), size, rows, cols, rng));
  }
}));
