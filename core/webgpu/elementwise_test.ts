import { equal } from "node:assert/strict";
import {
  BINARY_OPS,
  binaryCPU,
  binaryLaunch,
  type BinaryOp,
  contiguousStrides,
  type StridedView,
  UNARY_OPS,
  unaryCPU,
  unaryLaunch,
  type UnaryOp,
} from "../../kernels/elementwise.ts";
import { assertClose, gpuTest, randomFloats, readFloats } from "./test_util.ts";
import type { WebGPUExecutor } from "./executor.ts";

// float32 tolerances: transcendental ops differ by a few ulp between llvmpipe and V8.
const ATOL = 1e-6;
const RTOL = 2e-6;
// Domain per op: log/sqrt/rsqrt on positives, the rest on [-3, 3).
const POSITIVE = new Set<UnaryOp>(["log", "sqrt", "rsqrt", "reciprocal"]);

async function runUnary(exec: WebGPUExecutor, op: UnaryOp, x: Float32Array, view: StridedView) {
  const a = exec.upload(x);
  const n = view.shape.reduce((p, s) => p * s, 1);
  const out = exec.alloc(n * 4);
  exec.dispatch(unaryLaunch(op, view), [a, out]);
  const got = await readFloats(exec, out, n);
  exec.release(a);
  exec.release(out);
  return got;
}

gpuTest(
  "elementwise: every unary op matches its CPU twin on a transposed 5x7 view",
  async (exec) => {
    // x holds a (7, 5) matrix; the view reads its transpose (5, 7) with strides (1, 5), offset 0.
    const view: StridedView = { shape: [5, 7], strides: [1, 5], offset: 0 };
    for (const op of Object.keys(UNARY_OPS) as UnaryOp[]) {
      const x = POSITIVE.has(op) ? randomFloats(35, 1, 0.1, 4) : randomFloats(35, 2, -3, 3);
      const got = await runUnary(exec, op, x, view);
      assertClose(got, unaryCPU(op, x, view), ATOL, RTOL, op);
    }
  },
);

gpuTest("elementwise: every binary op matches its CPU twin with broadcasting", async (exec) => {
  // a: (3, 1, 4) contiguous at offset 2; b: (5, 1) -> out (3, 5, 4)
  const outShape = [3, 5, 4];
  const aView: StridedView = { shape: [3, 1, 4], strides: [4, 4, 1], offset: 2 };
  const bView: StridedView = { shape: [5, 1], strides: [1, 1], offset: 0 };
  for (const op of Object.keys(BINARY_OPS) as BinaryOp[]) {
    const x = randomFloats(14, 3, -2, 2);
    const y = op === "pow" ? new Float32Array([2, 3, 0.5, -1, 0]) : randomFloats(5, 4, -2, 2);
    if (op === "eq" || op === "ne") x[2] = y[0]; // make equality happen
    const a = exec.upload(x);
    const b = exec.upload(y);
    const out = exec.alloc(60 * 4);
    exec.dispatch(binaryLaunch(op, aView, bView, outShape), [a, b, out]);
    const got = await readFloats(exec, out, 60);
    [a, b, out].forEach((buf) => exec.release(buf));
    assertClose(got, binaryCPU(op, x, aView, y, bView, outShape), ATOL, RTOL, op);
  }
});

gpuTest("elementwise: pow follows torch on negative bases and 0^0", async (exec) => {
  const x = new Float32Array([-2, -2, -2, 0, 4]);
  const y = new Float32Array([2, 3, 0.5, 0, -0.5]);
  const v: StridedView = { shape: [5], strides: [1], offset: 0 };
  const a = exec.upload(x);
  const b = exec.upload(y);
  const out = exec.alloc(20);
  exec.dispatch(binaryLaunch("pow", v, v, [5]), [a, b, out]);
  const got = await readFloats(exec, out, 5);
  [a, b, out].forEach((buf) => exec.release(buf));
  assertClose(got, [4, -8, NaN, 1, 0.5], 0, 1e-6, "pow");
});

gpuTest("elementwise: tanh and sigmoid saturate without NaN at |x| = 100", async (exec) => {
  const x = new Float32Array([-100, 100, -1e30, 1e30]);
  const v: StridedView = { shape: [4], strides: contiguousStrides([4]), offset: 0 };
  assertClose(await runUnary(exec, "tanh", x, v), [-1, 1, -1, 1], 0, 0, "tanh");
  assertClose(await runUnary(exec, "sigmoid", x, v), [0, 1, 0, 1], 0, 0, "sigmoid");
});

gpuTest("elementwise: a rank-0 (scalar) view and a 1x1 shape", async (exec) => {
  const x = new Float32Array([0, 0, -3]);
  equal((await runUnary(exec, "abs", x, { shape: [], strides: [], offset: 2 }))[0], 3);
  equal((await runUnary(exec, "neg", x, { shape: [1, 1], strides: [1, 1], offset: 2 }))[0], 3);
});
