/**
 * The strided elementwise kernel (kernels/strided.ts) against its CPU twin, the CPU backend's
 * elementwise table: every unary and binary kernel of the Backend, on strided and broadcast
 * views, through both backends' `unary`/`binary`.
 */

import { equal } from "node:assert/strict";
import {
  BINARY_KERNELS,
  type BinaryKernel,
  type StridedView,
  UNARY_KERNELS,
  type UnaryKernel,
} from "../backend.ts";
import { backendFor } from "../device.ts";
import type { DType, TypedArray } from "../dtype.ts";
import { stridedLaunch } from "../../kernels/strided.ts";
import { assertClose, gpuTensorTest, gpuTest, randomFloats, readFloats } from "./test_util.ts";

// float32 tolerances: transcendental ops differ by a few ulp between llvmpipe and V8.
const ATOL = 1e-6;
const RTOL = 2e-6;
// Domain per op: log/sqrt on positives, the rest on [-3, 3).
const POSITIVE = new Set<UnaryKernel>(["log", "sqrt"]);
const BOOL_OUT = new Set<string>(["eq", "ne", "lt", "le", "gt", "ge", "and", "toBool", "isInf"]);

/** Runs one kernel on a device; inputs are uploaded as float32 views of the given layouts. */
async function run(
  device: "cpu" | "webgpu",
  op: UnaryKernel | BinaryKernel,
  inputs: { data: Float32Array; view: Omit<StridedView, "storage"> }[],
  outShape: number[],
): Promise<TypedArray> {
  const be = backendFor(device);
  const views = inputs.map((x) => ({ ...x.view, storage: be.upload(x.data.slice()) }));
  const dtype: DType = BOOL_OUT.has(op) ? "bool" : "float32";
  const n = outShape.reduce((p, s) => p * s, 1);
  const strides = outShape.map((_, d) => outShape.slice(d + 1).reduce((p, s) => p * s, 1));
  const out = { storage: be.alloc(dtype, n), shape: outShape, strides, offset: 0 };
  if (views.length === 1) be.unary(op as UnaryKernel, views[0], out);
  else be.binary(op as BinaryKernel, views[0], views[1], out);
  return await be.read(out);
}

gpuTensorTest(
  "elementwise: every unary kernel equals the CPU backend's on a transposed 5x7 view",
  async () => {
    // x holds a (7, 5) matrix; the view reads its transpose (5, 7) with strides (1, 5).
    const view = { shape: [5, 7], strides: [1, 5], offset: 0 };
    for (const op of UNARY_KERNELS) {
      const data = POSITIVE.has(op) ? randomFloats(35, 1, 0.1, 4) : randomFloats(35, 2, -3, 3);
      data[3] = 0; // sign/toBool at zero
      const want = await run("cpu", op, [{ data, view }], [5, 7]);
      assertClose(await run("webgpu", op, [{ data, view }], [5, 7]), want, ATOL, RTOL, op);
    }
  },
);

gpuTensorTest(
  "elementwise: every binary kernel equals the CPU backend's with broadcasting",
  async () => {
    // a: (3, 1, 4) contiguous at offset 2; b: (5, 1) -> out (3, 5, 4)
    const aView = { shape: [3, 1, 4], strides: [4, 4, 1], offset: 2 };
    const bView = { shape: [5, 1], strides: [1, 1], offset: 0 };
    for (const op of BINARY_KERNELS) {
      const x = randomFloats(14, 3, -2, 2);
      const y = op === "pow" ? new Float32Array([2, 3, 0.5, -1, 0]) : randomFloats(5, 4, -2, 2);
      if (op === "eq" || op === "ne") x[2] = y[0]; // make equality happen
      const inputs = [{ data: x, view: aView }, { data: y, view: bView }];
      const want = await run("cpu", op, inputs, [3, 5, 4]);
      assertClose(await run("webgpu", op, inputs, [3, 5, 4]), want, ATOL, RTOL, op);
    }
  },
);

gpuTest("elementwise: pow follows torch on negative bases and 0^0", async (exec) => {
  const x = new Float32Array([-2, -2, -2, 0, 4]);
  const y = new Float32Array([2, 3, 0.5, 0, -0.5]);
  const v = { strides: [1], offset: 0 };
  const a = exec.upload(x);
  const b = exec.upload(y);
  const out = exec.alloc(20);
  exec.dispatch(stridedLaunch("pow", [5], [v, v], v), [a, b, out]);
  const got = await readFloats(exec, out, 5);
  [a, b, out].forEach((buf) => exec.release(buf));
  assertClose(got, [4, -8, NaN, 1, 0.5], 0, 1e-6, "pow");
});

gpuTest("elementwise: tanh and sigmoid saturate without NaN at |x| = 100", async (exec) => {
  const x = exec.upload(new Float32Array([-100, 100, -1e30, 1e30]));
  const v = { strides: [1], offset: 0 };
  for (const [op, want] of [["tanh", [-1, 1, -1, 1]], ["sigmoid", [0, 1, 0, 1]]] as const) {
    const out = exec.alloc(16);
    exec.dispatch(stridedLaunch(op, [4], [v], v), [x, out]);
    assertClose(await readFloats(exec, out, 4), want, 0, 0, op);
    exec.release(out);
  }
  exec.release(x);
});

gpuTest("elementwise: a rank-0 (scalar) view and a 1x1 shape", async (exec) => {
  const x = exec.upload(new Float32Array([0, 0, -3]));
  const out = exec.alloc(4);
  exec.dispatch(
    stridedLaunch("abs", [], [{ strides: [], offset: 2 }], { strides: [], offset: 0 }),
    [
      x,
      out,
    ],
  );
  equal((await readFloats(exec, out, 1))[0], 3);
  const one = { strides: [1, 1], offset: 0 };
  exec.dispatch(stridedLaunch("neg", [1, 1], [{ strides: [1, 1], offset: 2 }], one), [x, out]);
  equal((await readFloats(exec, out, 1))[0], 3);
  [x, out].forEach((b) => exec.release(b));
});
