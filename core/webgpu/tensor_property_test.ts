/**
 * Property tests of the WebGPU Tensor device against the CPU device (fast-check, fixed seed):
 * the same Tensor calls on random shapes (not multiples of the tile sizes), broadcast and
 * strided (transposed, sliced) operands, forward and backward. Tolerance: rtol 1e-5,
 * atol 1e-5 (float32 in another summation order; tanh within 1e-6 of the CPU).
 */

import fc from "fast-check";
import { tensor } from "../ops/creation.ts";
import { F } from "../ops/nn_functional.ts";
import type { Tensor } from "../tensor.ts";
import { assertClose, gpuTensorTest as gpu, randomFloats } from "./test_util.ts";

const RUNS = { seed: 20261123, numRuns: 20 };

/** Runs `f` on CPU and WebGPU leaves made from the same values; compares outputs and grads. */
async function same(
  shapes: number[][],
  seed: number,
  f: (xs: Tensor[]) => Tensor,
  what: string,
): Promise<void> {
  const data = shapes.map((s, i) => randomFloats(s.reduce((p, d) => p * d, 1), seed + i));
  const run = async (device: "cpu" | "webgpu") => {
    const xs = data.map((d, i) =>
      tensor(d.slice(), { shape: shapes[i], device, requiresGrad: true })
    );
    const y = f(xs);
    y.mul(tensor(randomFloats(y.size, seed + 99), { shape: y.shape.slice(), device })).sum()
      .backward();
    return [await y.data(), ...await Promise.all(xs.map((x) => x.grad!.data()))];
  };
  const [c, g] = [await run("cpu"), await run("webgpu")];
  for (let i = 0; i < c.length; i++) {
    assertClose(g[i], c[i], 1e-5, 1e-5, `${what} ${JSON.stringify(shapes)} ${i}`);
  }
}

const dim = fc.integer({ min: 1, max: 37 });

gpu("property (webgpu ≡ cpu): matmul of plain and transposed views, batched", async () => {
  await fc.assert(
    fc.asyncProperty(
      dim,
      dim,
      dim,
      fc.integer({ min: 0, max: 3 }),
      fc.boolean(),
      fc.integer({ min: 0, max: 1000 }),
      async (m, k, n, batch, transB, seed) => {
        const lead = batch === 0 ? [] : [batch];
        const bShape = transB ? [...lead, n, k] : [...lead, k, n];
        await same([[...lead, m, k], bShape], seed, ([a, b]) => {
          return a.matmul(transB ? b.mT : b);
        }, "matmul");
      },
    ),
    RUNS,
  );
});

gpu(
  "property (webgpu ≡ cpu): matmul of blocks cut from wider matrices (attention's q, k, v)",
  async () => {
    await fc.assert(
      fc.asyncProperty(
        dim,
        dim,
        dim,
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        async (m, k, n, batch, transA, transB, seed) => {
          // each operand a column slice of a matrix 2 columns wider, maybe transposed
          const [ar, ac] = transA ? [k, m] : [m, k], [br, bc] = transB ? [n, k] : [k, n];
          const cut = (t: Tensor, cols: number, trans: boolean) => {
            const block = t.slice(-1, 1, 1 + cols);
            return trans ? block.mT : block;
          };
          await same([[batch, ar, ac + 2], [br, bc + 2]], seed, ([a, b]) => {
            return cut(a, ac, transA).matmul(cut(b, bc, transB));
          }, "matmul of slices");
        },
      ),
      { ...RUNS, numRuns: 10 },
    );
  },
);

gpu("property (webgpu ≡ cpu): causal softmax and softmax's fused backward", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 1000 }),
      async (batch, keys, fewer, seed) => {
        const queries = Math.max(1, keys - fewer), scale = 0.25 + (seed % 7) / 4;
        await same([[batch, queries, keys]], seed, ([x]) => {
          return F.causalSoftmax(x, scale).add(x.softmax(-1));
        }, "causalSoftmax");
      },
    ),
    { ...RUNS, numRuns: 10 },
  );
});

gpu(
  "property (webgpu ≡ cpu): broadcast binary ops, tanh, sums and softmax along a dim",
  async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        async (shape, seed) => {
          const other = shape.map((s, i) => (i % 2 === seed % 2 ? 1 : s));
          const d = seed % shape.length;
          await same([shape, other], seed, ([a, b]) => {
            const h = a.mul(b).add(a.sub(b).tanh());
            return h.softmax(d).add(h.sum(d, { keepdim: true }));
          }, "elementwise/softmax");
        },
      ),
      RUNS,
    );
  },
);

gpu("property (webgpu ≡ cpu): index, sliced and permuted views, logSoftmax", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 2, max: 9 }),
      fc.integer({ min: 2, max: 9 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 0, max: 1000 }),
      async (rows, cols, count, seed) => {
        const idx = Int32Array.from({ length: count }, (_, i) => (seed + 3 * i) % rows);
        await same([[rows, cols]], seed, ([x]) => {
          const i = tensor(idx.slice(), { device: x.device });
          const picked = x.index(i); // (count, cols), repeated rows accumulate
          const view = x.slice(1, 1).T; // strided
          return picked.logSoftmax(-1).sum(0).add(view.sum(1).mean());
        }, "index/views");
      },
    ),
    RUNS,
  );
});
