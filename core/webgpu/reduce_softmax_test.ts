import { deepEqual } from "node:assert/strict";
import {
  reduceCPU,
  reduceLaunch,
  type ReduceOp,
  type ReduceProblem,
} from "../../kernels/reduce.ts";
import { softmaxCPU, softmaxLaunch, type SoftmaxProblem } from "../../kernels/softmax.ts";
import { assertClose, gpuTest, randomFloats, readFloats } from "./test_util.ts";
import type { WebGPUExecutor } from "./executor.ts";

// float32 tolerances: sums of up to 600 terms in [-1, 1): atol 2e-5; var, softmax: rtol 1e-5.
const OPS: ReduceOp[] = ["sum", "mean", "max", "min", "argmax", "var"];

async function runReduce(exec: WebGPUExecutor, op: ReduceOp, x: Float32Array, p: ReduceProblem) {
  const n = p.outer * p.inner;
  const gx = exec.upload(x);
  const out = exec.alloc(n * 4);
  const idx = exec.alloc(n * 4);
  exec.dispatch(reduceLaunch(op, p), op === "argmax" ? [gx, out, idx] : [gx, out]);
  const values = await readFloats(exec, out, n);
  const indices = new Int32Array(await exec.read(idx, n * 4));
  [gx, out, idx].forEach((b) => exec.release(b));
  return { values, indices };
}

const PROBLEMS: [string, ReduceProblem, number][] = [
  ["rows of 5x7", { outer: 5, len: 7, inner: 1 }, 35],
  ["columns of 5x7", { outer: 1, len: 5, inner: 7 }, 35],
  ["middle dim of 3x600x2", { outer: 3, len: 600, inner: 2 }, 3600],
  ["rows of a transposed 4x3 at offset 2", {
    outer: 3,
    len: 4,
    inner: 1,
    outerStride: 1,
    reduceStride: 3,
    offset: 2,
  }, 14],
  ["1x1", { outer: 1, len: 1, inner: 1 }, 1],
];

for (const op of OPS) {
  gpuTest(
    `reduce ${op}: matches the CPU twin on rows, columns, a middle dim, a strided view`,
    async (exec) => {
      let seed = 100;
      for (const [what, p, size] of PROBLEMS) {
        if (op === "var" && p.len === 1) continue; // var of one element divides by 0, as torch
        const x = randomFloats(size, seed++);
        const got = await runReduce(exec, op, x, p);
        const want = reduceCPU(op, x, p);
        assertClose(got.values, want.values, 2e-5, 1e-5, `${op} ${what}`);
        if (op === "argmax") {
          deepEqual([...got.indices.subarray(0, want.indices!.length)], [...want.indices!]);
        }
      }
    },
  );
}

gpuTest("reduce argmax: ties go to the first index, like torch", async (exec) => {
  const x = new Float32Array([1, 3, 3, 0, 2, 2, 2, 2]);
  const got = await runReduce(exec, "argmax", x, { outer: 2, len: 4, inner: 1 });
  deepEqual([...got.indices.subarray(0, 2)], [1, 0]);
});

gpuTest("reduce var: correction 0 gives the biased variance", async (exec) => {
  const x = new Float32Array([1, 2, 3, 4]);
  const got = await runReduce(exec, "var", x, { outer: 1, len: 4, inner: 1, correction: 0 });
  assertClose(got.values.subarray(0, 1), [1.25], 0, 1e-6, "var");
});

gpuTest(
  "softmax and logSoftmax: match the CPU twin, strided rows, a logit of 80",
  async (exec) => {
    const cases: SoftmaxProblem[] = [
      { rows: 3, cols: 7 },
      { rows: 2, cols: 513 },
      { rows: 4, cols: 5, rowStride: 8, offset: 3 },
      { rows: 1, cols: 1 },
    ];
    let seed = 200;
    for (const p of cases) {
      const size = (p.offset ?? 0) + (p.rows - 1) * (p.rowStride ?? p.cols) + p.cols;
      const x = randomFloats(size, seed++, -5, 5);
      x[0] = 80; // exp(80) overflows float32 unless the max is subtracted
      for (const op of ["softmax", "logSoftmax"] as const) {
        const gx = exec.upload(x);
        const out = exec.alloc(p.rows * p.cols * 4);
        exec.dispatch(softmaxLaunch(op, p), [gx, out]);
        const got = await readFloats(exec, out, p.rows * p.cols);
        [gx, out].forEach((b) => exec.release(b));
        assertClose(got, softmaxCPU(op, x, p), 1e-6, 1e-5, `${op} ${JSON.stringify(p)}`);
      }
    }
  },
);
