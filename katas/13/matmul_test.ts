/**
 * Kata 13, steps 13.9–13.11: your matmul kernels run on the WebGPU device and are compared with
 * a CPU spec on sizes that no workgroup or tile divides. Run `deno test -A katas/13`.
 *
 * @module
 */

import { assertKernel, kernelTest } from "./_harness.ts";
import { matmulCase, Rng } from "./_steps.ts";
import { naiveMatmulWGSL, registerMatmulWGSL, tiledMatmulWGSL } from "./matmul.ts";

/** Sizes with m ≠ n that `stepM` and `stepN` do not divide, k in [kLo, kHi]. */
function sizes(rng: Rng, stepM: number, stepN: number, kLo: number, kHi: number) {
  const m = rng.notMultiple(stepM, stepM + 1, 3 * stepM + 8);
  let n = rng.notMultiple(stepN, stepN + 1, 3 * stepN + 8);
  if (n === m) n++;
  return [m, n, rng.int(kLo, kHi)] as const;
}

Deno.test(kernelTest("13.9 naive matmul: invocation (x, y) computes out[y][x]", async () => {
  const rng = new Rng(1309);
  for (const size of [[8, 8], [16, 4], [4, 16]] as const) {
    const [m, n, k] = sizes(rng, size[1], size[0], 1, 40);
    const launch = { step: "13.9 naive matmul", workgroupSize: size, perInvocation: 1 };
    await assertKernel(matmulCase(naiveMatmulWGSL(size), launch, m, n, k, rng));
  }
}));

Deno.test(
  kernelTest("13.10 tiled matmul: tiles of a and b staged in workgroup memory", async () => {
    const rng = new Rng(1310);
    for (const tile of [4, 8, 16]) {
      const [m, n] = sizes(rng, tile, tile, 1, 1);
      const k = rng.notMultiple(tile, 2 * tile + 1, 4 * tile);
      const launch = {
        step: "13.10 tiled matmul",
        workgroupSize: [tile, tile] as const,
        perInvocation: 1,
      };
      await assertKernel(matmulCase(tiledMatmulWGSL(tile), launch, m, n, k, rng));
    }
  }),
);

Deno.test(
  kernelTest("13.11 register-blocked matmul: a 4×4 block of out per invocation", async () => {
    const rng = new Rng(1311);
    for (const size of [[4, 4], [8, 8], [16, 4]] as const) {
      const [m, n, k] = sizes(rng, 4 * size[1], 4 * size[0], 1, 40);
      const launch = {
        step: "13.11 register-blocked matmul",
        workgroupSize: size,
        perInvocation: 4,
      };
      await assertKernel(matmulCase(registerMatmulWGSL(size), launch, m, n, k, rng));
    }
  }),
);
