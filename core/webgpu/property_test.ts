import fc from "fast-check";
import { cpuBackend } from "../cpu/backend.ts";
import { broadcastStrides, contiguousStrides } from "../shape.ts";
import { stridedLaunch } from "../../kernels/strided.ts";
import { matmulLaunch, type MatmulProblem } from "../../kernels/matmul.ts";
import { reduceCPU, reduceLaunch } from "../../kernels/reduce.ts";
import { checkMatmul } from "./matmul_check.ts";
import { assertClose, gpuTest, randomFloats, readFloats } from "./test_util.ts";

// Fixed seeds: a failure reproduces with the same seed and prints the shrunk case.
const RUNS = { seed: 20261123, numRuns: 30 };

gpuTest(
  "property: matmul on random shapes, forms and batches equals the CPU twin",
  async (exec) => {
    const limits = { ...exec.ctx.info.limits, isFallbackAdapter: exec.ctx.info.isFallbackAdapter };
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          m: fc.integer({ min: 1, max: 40 }),
          n: fc.integer({ min: 1, max: 40 }),
          k: fc.integer({ min: 1, max: 40 }),
          batch: fc.integer({ min: 1, max: 3 }),
          transA: fc.boolean(),
          transB: fc.boolean(),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        async ({ seed, ...p }: MatmulProblem & { seed: number }) => {
          await checkMatmul(exec, p, (q) => matmulLaunch(q, limits), seed);
        },
      ),
      RUNS,
    );
  },
);

/** A shape and a shape that broadcasts against it (dims dropped or set to 1). */
const broadcastPair = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 0, maxLength: 4 })
  .chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
      fc.integer({ min: 0, max: shape.length }),
    )
  )
  .map(([shape, ones, drop]) => [shape, shape.map((s, i) => (ones[i] ? 1 : s)).slice(drop)]);

gpuTest("property: broadcast binary ops on random shapes equal the CPU twin", async (exec) => {
  const ops = ["add", "mul", "div", "maximum", "gt"] as const;
  await fc.assert(
    fc.asyncProperty(
      broadcastPair,
      fc.constantFrom(...ops),
      fc.boolean(),
      fc.integer({ min: 0, max: 1000 }),
      async ([aShape, bShape], op, swap, seed) => {
        const [s1, s2] = swap ? [bShape, aShape] : [aShape, bShape];
        const outShape = aShape;
        const size = (s: number[]) => s.reduce((p, x) => p * x, 1);
        const x = randomFloats(size(s1), seed, 0.5, 2);
        const y = randomFloats(size(s2), seed + 1, 0.5, 2);
        const bcast = (s: number[]) => ({
          strides: broadcastStrides(s, contiguousStrides(s), outShape),
          offset: 0,
        });
        const flat = { strides: contiguousStrides(outShape), offset: 0 };
        const [ga, gb, go] = [exec.upload(x), exec.upload(y), exec.alloc(size(outShape) * 4)];
        exec.dispatch(stridedLaunch(op, outShape, [bcast(s1), bcast(s2)], flat), [ga, gb, go]);
        const got = await readFloats(exec, go, size(outShape));
        [ga, gb, go].forEach((b) => exec.release(b));
        // the CPU twin: the CPU backend's binary kernel on the same views
        const view = (d: Float32Array, s: number[]) => ({
          storage: cpuBackend.upload(d.slice()),
          shape: s,
          strides: contiguousStrides(s),
          offset: 0,
        });
        const out = {
          storage: cpuBackend.alloc(op === "gt" ? "bool" : "float32", size(outShape)),
          ...flat,
          shape: outShape,
        };
        cpuBackend.binary(op, view(x, s1), view(y, s2), out);
        assertClose(got, cpuBackend.readSync(out), 1e-6, 1e-6, op);
      },
    ),
    RUNS,
  );
});

gpuTest(
  "property: sum and max over a random dim of a random 3-d shape equal the CPU twin",
  async (exec) => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(
          fc.integer({ min: 1, max: 9 }),
          fc.integer({ min: 1, max: 300 }),
          fc.integer({ min: 1, max: 9 }),
        ),
        fc.constantFrom("sum" as const, "max" as const, "argmax" as const),
        fc.integer({ min: 0, max: 1000 }),
        async ([outer, len, inner], op, seed) => {
          const p = { outer, len, inner };
          const x = randomFloats(outer * len * inner, seed);
          const [gx, go, gi] = [
            exec.upload(x),
            exec.alloc(outer * inner * 4),
            exec.alloc(outer * inner * 4),
          ];
          exec.dispatch(reduceLaunch(op, p), op === "argmax" ? [gx, go, gi] : [gx, go]);
          const got = await readFloats(exec, go, outer * inner);
          [gx, go, gi].forEach((b) => exec.release(b));
          assertClose(got, reduceCPU(op, x, p).values, 1e-5, 1e-5, op);
        },
      ),
      RUNS,
    );
  },
);
